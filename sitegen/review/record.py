"""`build.py review PAGE --name ... --credentials ... --scope ...`: record a clinical review in the page's front matter.

The record gets the day's date, the page's fingerprint and, when git holds the page as it is, the commit. The
page's last_reviewed becomes that day and next_review that day plus the site's max_review_interval_months.

The front matter is edited in place, as text: only the two dates' values change, and the record is added after the
last one (or in place of '[]'), indented like the records before it. Comments, blank lines, quoting, key order
and line endings stay as the editor wrote them. The positions come from PyYAML's safe loader (the same parser the
build uses), and the edited front matter is read back and must hold exactly the old data plus the change, or
nothing is written.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..load import gitinfo
from ..load.frontmatter import find_fences, parse_yaml
from ..load.review_dates import add_months, long_date
from ..load.site import Site
from ..pipeline import BuildOptions, analyse_for_review, not_a_page
from ..problems import Problem, display_path, error, notice, quoted_short
from ..render.rendering import RenderedPage
from ..write.files import replace_file
from . import seen
from .code import LENGTH, distance, grouped, is_well_formed, normalise, review_code

ONE_LINE = re.compile(r"^[^\x00-\x1f\x7f]+$")
MAX_MISTYPED = 3  # wrong, missing, extra or swapped characters: more, and the code is not taken for a mistype of another


class EditError(ValueError):
    """The front matter cannot be edited safely; the message says why, for the editor."""


@dataclass(frozen=True)
class ReviewRequest:
    page: Path
    name: str
    credentials: str
    scope: str
    code: str | None = None  # the page's review code, from the packet the reviewer signed off


@dataclass(frozen=True)
class RecordedReview:
    shown: str
    record: dict[str, Any]
    last_reviewed: datetime.date
    next_review: datetime.date


def record_review(options: BuildOptions, request: ReviewRequest) -> tuple[RecordedReview | None, list[Problem]]:
    """Add the review record to the page's file; every problem, and nothing written, when it cannot be done."""
    shown = display_path(request.page)
    problems = request_problems(request, shown)
    if not (request.code or "").strip():
        problems.append(error(shown, 1, missing_code(shown)))
    analysis = analyse_for_review(options)
    item = analysis.find(request.page)
    if item is None:
        errors = analysis.errors_in(request.page)
        return None, [*problems, *errors, refused(shown, 1)] if errors else [*problems, not_a_page(request.page, options.content_dir)]
    blocking = analysis.blocking(item, options.strict)
    if blocking or analysis.site is None:
        return None, [*problems, *blocking, refused(shown, 1)]
    if problems:
        return None, problems
    site, page = analysis.site_of(item.page) or analysis.site, item.page  # a translation: the site in its language
    current = item.review.fingerprint
    folder = seen.folder_for(options.content_dir, options.project_root)
    problems = code_problems(request.code or "", current, site, item, folder, options.content_dir)
    if problems:
        return None, problems
    found: list[Problem] = []
    commit = gitinfo.committed_at_head(page.path)
    if commit is None:
        why = "git is not available here" if not gitinfo.available(page.path) else "the page has changes that are not committed"
        found.append(
            notice(shown, 1, f"no commit was recorded, because {why}; later review packets cannot show what changed after this review")
        )
    record: dict[str, Any] = {
        "name": request.name.strip(),
        "credentials": request.credentials.strip(),
        "date": options.today,
        "scope": request.scope.strip(),
        "fingerprint": current,
    }
    if commit:
        record["commit"] = commit
    next_review = add_months(options.today, site.settings.max_review_interval_months)
    try:
        raw = page.path.read_bytes()
        text = raw.decode("utf-8")
        edited = add_record(text, record, options.today, next_review)
        replace_file(page.path, edited.encode("utf-8"))
    except EditError as exc:
        return None, [error(shown, page.lines.line_of("reviewed_by"), str(exc))]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(shown, 1, f"cannot write the page: {exc}")]
    return RecordedReview(shown, record, options.today, next_review), found


# --- the review code: the page as the reviewer saw it ------------------------------------------------------------


def missing_code(shown: str) -> str:
    return (
        "the review code is missing, so the review was not recorded: a review records the page as the reviewer saw it. "
        "Add --code and the review code printed for this page in the packet the reviewer signed off (three groups of four "
        f"letters and digits). If there is no packet yet, make one: `python3 build.py review-packet {shown}`"
    )


def code_problems(typed: str, fingerprint: str, site: Site, item: RenderedPage, folder: Path, content_dir: Path) -> list[Problem]:
    """Nothing when typed is the page's review code now. Otherwise why not: a mistype (close to this page's code, or
    to no code at all), the code of another page, or the code of a packet made before the page changed, with what
    changed since."""
    shown, relative = item.page.shown, item.page.relative.as_posix()
    now = normalise(review_code(fingerprint))
    code = normalise(typed)
    if code == now:
        return []
    as_typed = quoted_short(" ".join(typed.split()))
    record = seen.read_record(folder, code, relative) if is_well_formed(code) else None
    if record is not None and record.page == relative:
        return changed_since(record, site, item)
    if record is not None:
        return [
            error(
                shown,
                1,
                f"the review code {grouped(code)} is the code of {display_path(content_dir / record.page)}, in the review packet made on "
                f"{long_date(record.made_on)}, not of this page: record each page's review with the code printed for that page",
            )
        ]
    earlier = seen.records_of(folder, relative) if len(code) <= 2 * LENGTH else []
    known = [(now, None), *((r.code, r) for r in earlier)]
    nearest, closest = min(((distance(code, c), index) for index, (c, _) in enumerate(known)), default=(LENGTH, 0))
    if nearest <= MAX_MISTYPED:
        near_code, near_record = known[closest]
        if near_record is None:
            return [
                error(
                    shown,
                    1,
                    f"the review code {as_typed} is mistyped: the closest review code of this page is {grouped(near_code)}. "
                    "Check it against the packet, then type it again",
                )
            ]
        mistyped = error(
            shown,
            1,
            f"the review code {as_typed} is mistyped: the closest is {grouped(near_code)}, from the review packet made on "
            f"{long_date(near_record.made_on)}",
        )
        return [mistyped, *changed_since(near_record, site, item)]
    if is_well_formed(code):
        return [
            error(
                shown,
                1,
                f"the review code {grouped(code)} is not this page's code now: the page has changed since the packet with this "
                "code was made (or the code is another page's), so the review was not recorded. Make a new packet "
                f"(`python3 build.py review-packet {shown}`) and have it reviewed. No copy of the text that packet was made "
                "from is kept on this computer, so the changes cannot be shown",
            )
        ]
    return [
        error(
            shown,
            1,
            f"the review code {as_typed} is mistyped: it is not this page's code, nor close to it. Copy the code printed "
            "under this page's title in the packet: three groups of four letters and digits",
        )
    ]


def changed_since(record: seen.PacketRecord, site: Site, item: RenderedPage) -> list[Problem]:
    """The refusal when the page changed since the reviewer's packet: what changed, word by word, at its line."""
    shown = item.page.shown
    paragraphs = seen.page_paragraphs(item.page)
    changes = seen.changed_words(record.seen, seen.seen_text(site, item), [line for _, line in paragraphs])
    first = error(
        shown,
        1,
        f"the page has changed since its review packet was made on {long_date(record.made_on)} (review code "
        f"{grouped(record.code)}): the reviewer did not see it as it is now, so the review was not recorded. Make a new "
        f"packet (`python3 build.py review-packet {shown}`) and have the changes reviewed. What changed:",
    )
    return [first, *(error(shown, line, f"changed: {text}") for line, text in changes)]


def is_utf8(text: str) -> bool:
    """False for text that holds bytes that were not UTF-8 (Python gives them as lone surrogates, U+DC80 to U+DCFF)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refused(shown: str, line: int) -> Problem:
    return error(shown, line, "the review was not recorded, because of the problems reported with it; fix them, then record it again")


def request_problems(request: ReviewRequest, shown: str) -> list[Problem]:
    problems = []
    for option, value in (("--name", request.name), ("--credentials", request.credentials), ("--scope", request.scope)):
        if not value.strip() or not ONE_LINE.match(value):
            problems.append(error(shown, 1, f"{option} must be one line of text, such as the reviewer gave it"))
        elif not value.isascii() and not is_utf8(value):
            problems.append(
                error(
                    shown,
                    1,
                    f"{option} holds characters that are not UTF-8 text (the terminal is set to another encoding); "
                    "type it again in a terminal set to UTF-8",
                )
            )
    return problems


# --- editing the front matter as text ---------------------------------------------------------------------------


def add_record(text: str, record: Mapping[str, Any], last_reviewed: datetime.date, next_review: datetime.date) -> str:
    """text with the record added to reviewed_by and the two dates set; everything else as it was.

    The front matter is found by the build's own splitter, and read before and after the edit by the build's own
    YAML reader: the edit stands only when the build will read exactly the old data plus the change."""
    fences, reason = find_fences(text)
    if fences is None:
        raise EditError(reason)
    front = text[fences.yaml_start : fences.yaml_end]
    old_data = read_front(front)
    edited = edit_front(front, record, last_reviewed, next_review, fences.newline)
    wanted = dict(old_data, last_reviewed=last_reviewed, next_review=next_review)
    wanted["reviewed_by"] = [*(old_data.get("reviewed_by") or []), dict(record)]
    if read_front(edited) != wanted:
        raise EditError(UNSAFE)
    return text[: fences.yaml_start] + edited + text[fences.yaml_end :]


UNSAFE = (
    "the front matter could not be edited safely, so nothing was changed: lay it out as `build.py new` writes it "
    "(one 'key: value' on each line), then record the review again"
)


def read_front(front: str) -> dict[str, Any]:
    """The front matter's data as the build reads it (its loader, its line endings)."""
    data, _, problems = parse_yaml(front.replace("\r\n", "\n").replace("\r", "\n"), "<front matter>", 2)
    if not isinstance(data, dict) or any(p.is_error for p in problems):
        raise EditError(UNSAFE)
    return data


def edit_front(front: str, record: Mapping[str, Any], last_reviewed: datetime.date, next_review: datetime.date, newline: str) -> str:
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)  # the pure-Python loader: its marks count characters
    except yaml.YAMLError:
        raise EditError(UNSAFE) from None
    if not isinstance(root, yaml.MappingNode):
        raise EditError("the front matter must be a mapping of 'key: value' lines")
    values = {str(key.value): (key, value) for key, value in root.value}
    for needed in ("last_reviewed", "next_review", "reviewed_by"):
        if needed not in values:
            raise EditError(f"the front matter has no '{needed}'")
    edits: list[tuple[int, int, str]] = []
    for key, day in (("last_reviewed", last_reviewed), ("next_review", next_review)):
        node = values[key][1]
        edits.append((node.start_mark.index, node.end_mark.index, day.isoformat()))
    key_node, records = values["reviewed_by"]
    if root.flow_style or (isinstance(records, yaml.SequenceNode) and records.flow_style and records.value):
        edits.append(flow_edit(front, records, record, newline))
    elif isinstance(records, yaml.SequenceNode) and records.value:
        edits.append(block_edit(front, records, record, newline))
    else:
        if isinstance(records, yaml.SequenceNode):  # '[]': the list becomes the lines below the key
            start, end = records.start_mark.index, records.end_mark.index
            if not front[end : line_end(front, end)].strip():  # nothing, not even a comment, after '[]': no trailing space either
                start = len(front[:start].rstrip(" \t"))
                end = line_end(front, end)
            edits.append((start, end, ""))
        elif not (isinstance(records, yaml.ScalarNode) and records.value == "" and not records.style):
            raise EditError("'reviewed_by' must be a list")
        dash = key_node.start_mark.column + 2
        after = line_end(front, records.end_mark.index)
        edits.append((after, after, block_lines(record, " " * dash + "- ", " " * (dash + 2), newline)))
    for start, end, replacement in sorted(edits, reverse=True):
        front = front[:start] + replacement + front[end:]
    return front


def block_edit(front: str, records: yaml.SequenceNode, record: Mapping[str, Any], newline: str) -> tuple[int, int, str]:
    """The record as lines after the last one, laid out like the first: its '-' where theirs is, its keys under theirs."""
    first = records.value[0].start_mark  # the first record's first key, after its '-'
    line_start = max(front.rfind("\n", 0, first.index), front.rfind("\r", 0, first.index)) + 1
    lead = front[line_start : first.index]
    if re.fullmatch(r" *- +", lead):  # '- name:' or '-   name:'
        prefix, inner = lead, " " * len(lead)
    else:  # '-' alone on the line before the record
        dash = records.start_mark.column  # a list's start is its first '-'
        prefix, inner = " " * dash + "- ", " " * (dash + 2)
    after = last_line_end(front, records.value[-1])
    return after, after, block_lines(record, prefix, inner, newline)


def flow_edit(front: str, records: yaml.Node, record: Mapping[str, Any], newline: str) -> tuple[int, int, str]:
    """The record as '{name: ..., ...}' in a list written in brackets, or in front matter written in braces."""
    mapping = "{" + ", ".join(f"{name}: {flow_value(value)}" for name, value in record.items()) + "}"
    if isinstance(records, yaml.SequenceNode) and records.flow_style:
        if not records.value:  # '[]'
            return records.start_mark.index, records.end_mark.index, f"[{mapping}]"
        last = records.value[-1]
        if last.start_mark.line == records.start_mark.line:  # every record on the line of its '['
            return last.end_mark.index, last.end_mark.index, f", {mapping}"
        return last.end_mark.index, last.end_mark.index, f",{newline}{' ' * last.start_mark.column}{mapping}"
    if isinstance(records, yaml.ScalarNode) and records.value == "" and not records.style:
        return records.start_mark.index, records.end_mark.index, f" [{mapping}]"
    raise EditError("'reviewed_by' must be a list written in brackets, [ ], in front matter written in braces, { }")


def block_lines(record: Mapping[str, Any], prefix: str, inner: str, newline: str) -> str:
    lines = [(prefix if index == 0 else inner) + f"{name}: {yaml_value(value)}" for index, (name, value) in enumerate(record.items())]
    return "".join(newline + line for line in lines)


def line_end(text: str, index: int) -> int:
    """Where the line holding index ends (before its '\\r\\n', '\\n' or '\\r')."""
    found = NEXT_BREAK.search(text, index)
    if found is None:
        return len(text)
    end = found.start()
    return end - 1 if text[end] == "\n" and end > 0 and text[end - 1] == "\r" else end


NEXT_BREAK = re.compile(r"[\r\n]")


def last_line_end(text: str, node: yaml.Node) -> int:
    """The end of the line on which node's last value ends (its end mark can lie on a later line, after comments);
    a value in brackets or braces ends with them."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        return line_end(text, node.end_mark.index - 1)
    return line_end(text, max(node.end_mark.index - 1, node.start_mark.index))


def flow_value(value: Any) -> str:
    """value inside brackets or braces, where ',' ':' and brackets end plain text: a date as it is, text in quotes."""
    return value.isoformat() if isinstance(value, datetime.date) else json.dumps(str(value), ensure_ascii=False)


def yaml_value(value: Any) -> str:
    """value as a YAML scalar: a date as YYYY-MM-DD; text plain when YAML reads it back as the same text, else in quotes."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    plain = text == text.strip() and "#" not in text and ": " not in text and not text.endswith(":")
    if plain:
        try:
            plain = yaml.safe_load(f"key: {text}") == {"key": text}
        except yaml.YAMLError:
            plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)
