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
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..analysis import analyse, not_a_page
from ..load import gitinfo
from ..load.review_dates import add_months
from ..pipeline import BuildOptions
from ..problems import Problem, display_path, error, notice
from ..render.rendering import review_of

ONE_LINE = re.compile(r"^[^\x00-\x1f\x7f]+$")


class EditError(ValueError):
    """The front matter cannot be edited safely; the message says why, for the editor."""


@dataclass(frozen=True)
class ReviewRequest:
    page: Path
    name: str
    credentials: str
    scope: str
    expected_fingerprint: str | None = None  # from the review packet: the page must not have changed since


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
    if problems:
        return None, problems
    analysis = analyse(options)
    item = analysis.find(request.page)
    if item is None:
        found = [p for p in analysis.problems if p.path == shown and p.is_error]
        return None, found + [refused(shown, 1)] if found else [not_a_page(request.page, options.content_dir)]
    blocking = analysis.blocking(item, options.strict)
    if blocking or analysis.site is None:
        return None, [*blocking, refused(shown, 1)]
    site, page = analysis.site, item.page
    current = (item.review or review_of(site, item)).fingerprint
    if request.expected_fingerprint and request.expected_fingerprint != current:
        return None, [
            error(
                shown,
                page.lines.line_of("reviewed_by"),
                f"the page has changed since the review packet was made (its fingerprint was {request.expected_fingerprint}, "
                f"it is now {current}): make a new packet (`python3 build.py review-packet {shown}`) and have it reviewed",
            )
        ]
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
        write_atomically(page.path, edited.encode("utf-8"))
    except EditError as exc:
        return None, [error(shown, page.lines.line_of("reviewed_by"), str(exc))]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(shown, 1, f"cannot write the page: {exc}")]
    return RecordedReview(shown, record, options.today, next_review), found


def refused(shown: str, line: int) -> Problem:
    return error(shown, line, "the review was not recorded, because of the problems reported with it; fix them, then record it again")


def request_problems(request: ReviewRequest, shown: str) -> list[Problem]:
    problems = []
    for option, value in (("--name", request.name), ("--credentials", request.credentials), ("--scope", request.scope)):
        if not value.strip() or not ONE_LINE.match(value):
            problems.append(error(shown, 1, f"{option} must be one line of text, such as the reviewer gave it"))
    return problems


# --- editing the front matter as text ---------------------------------------------------------------------------


def add_record(text: str, record: Mapping[str, Any], last_reviewed: datetime.date, next_review: datetime.date) -> str:
    """text with the record added to reviewed_by and the two dates set; everything else as it was."""
    start = 1 if text.startswith("\ufeff") else 0
    first_end = text.find("\n", start)
    if first_end < 0 or text[start:first_end].strip() != "---":
        raise EditError("the file must start with a '---' line, then the front matter")
    closing = re.compile(r"^(---|\.\.\.)[ \t]*\r?$", re.MULTILINE).search(text, first_end + 1)
    if closing is None:
        raise EditError("the front matter has no closing '---' line")
    front = text[first_end + 1 : closing.start()]
    newline = "\r\n" if "\r\n" in text else "\n"
    edited = edit_front(front, record, last_reviewed, next_review, newline)
    old_data = yaml.safe_load(front) or {}
    wanted = dict(old_data, last_reviewed=last_reviewed, next_review=next_review)
    wanted["reviewed_by"] = [*(old_data.get("reviewed_by") or []), dict(record)]
    if yaml.safe_load(edited) != wanted:
        raise EditError("the front matter could not be edited safely; add the record by hand as the README shows, with the fingerprint")
    return text[: first_end + 1] + edited + text[closing.start() :]


def edit_front(front: str, record: Mapping[str, Any], last_reviewed: datetime.date, next_review: datetime.date, newline: str) -> str:
    root = yaml.compose(front, Loader=yaml.SafeLoader)
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
    if isinstance(records, yaml.SequenceNode) and records.value:
        if records.flow_style:
            raise EditError("'reviewed_by' is written on one line ([...]); put each record on lines of its own, as the README shows")
        first = records.value[0].start_mark  # the first record's first key, after its '- '
        line_start = front.rfind("\n", 0, first.index) + 1
        dash = front.rfind("-", line_start, first.index) - line_start
        dash = dash if dash >= 0 else max(first.column - 2, 0)  # '-' alone on the line before the record
        inner = first.column
        after = last_line_end(front, records.value[-1])
    else:
        if isinstance(records, yaml.SequenceNode):  # '[]': the list becomes the lines below the key
            start, end = records.start_mark.index, records.end_mark.index
            if not front[end : line_end(front, end)].strip():  # nothing, not even a comment, after '[]': no trailing space either
                start = len(front[:start].rstrip(" \t"))
                end = line_end(front, end)
            edits.append((start, end, ""))
        elif not (isinstance(records, yaml.ScalarNode) and records.value == ""):
            raise EditError("'reviewed_by' must be a list")
        dash = key_node.start_mark.column + 2
        inner = dash + 2
        after = line_end(front, records.end_mark.index)
    lines = [" " * dash + "- " + f"{name}: {yaml_value(value)}" if index == 0 else " " * inner + f"{name}: {yaml_value(value)}"
             for index, (name, value) in enumerate(record.items())]  # fmt: skip
    edits.append((after, after, "".join(newline + line for line in lines)))
    for start, end, replacement in sorted(edits, reverse=True):
        front = front[:start] + replacement + front[end:]
    return front


def line_end(text: str, index: int) -> int:
    """Where the line holding index ends (before its '\\r\\n' or '\\n')."""
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def last_line_end(text: str, node: yaml.Node) -> int:
    """The end of the line on which node's last value ends (its end mark can lie on a later line, after comments)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return line_end(text, max(node.end_mark.index - 1, node.start_mark.index))


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


def write_atomically(path: Path, data: bytes) -> None:
    """Replace path's bytes in one step, keeping its permissions: a reader sees the old file or the new one."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
