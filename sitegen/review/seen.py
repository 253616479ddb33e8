"""What each review packet showed: one small record per page, written when the packet is made, read by `review`.

When the review code typed into `build.py review` is that of an earlier packet, the page has changed since the
reviewer saw it; the record holds the text the packet was made from, so that `review` can show the changed words.

The records are kept in the project's `.review-packets/` folder (beside content/; never committed), one JSON file
per page and review code; the KEEP_PER_PAGE newest of each page are kept. JSON is data: reading it runs no code,
unlike pickle, so a record that came with a clone or was edited by hand can do no harm. A record is checked field
by field and ignored when it is not one that this module wrote. And a record can only ever explain a refusal: a
review is recorded when the typed code is the page's code now, which `review` computes from the page itself,
never from a record.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..load.files import read_bytes
from ..load.pages import Page
from ..load.review_records import source_data
from ..load.site import Site
from ..render.rendering import RenderedPage
from ..word_diff import shown, words
from ..write.files import replace_file

FOLDER = ".review-packets"
FORMAT = 1
MAX_RECORD_BYTES = 512 * 1024  # a page is at most 100 KB; its cited sources and the site text add little
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
KEEP_PER_PAGE = 20  # the newest records of each page are kept; older packets are long out of use


@dataclass(frozen=True)
class SeenText:
    """What a reviewer sees of a page: its own text, the data of the sources it cites, and the site-wide text it shows."""

    paragraphs: tuple[str, ...]  # the title, description, navigation title, Markdown body, glossary terms, source list
    sources: dict[str, dict[str, Any]]  # id -> the source's data, dates as YYYY-MM-DD
    caveat: str
    urgent_help: list[Any] | None  # heading, action and signs, when the page shows the box


@dataclass(frozen=True)
class PacketRecord:
    page: str  # the page's file, from the content folder, with '/'
    code: str  # the review code, without dashes
    fingerprint: str
    made_on: datetime.date
    seen: SeenText


def seen_text(site: Site, item: RenderedPage) -> SeenText:
    """What the packet of item shows, as data that JSON can hold."""
    sources = site.bibliography.sources
    cited = {c.key: _plain(source_data(sources[c.key])) for c in item.citations if c.key in sources}
    urgent = site.settings.urgent_help
    shown_help = [urgent.heading, urgent.action, list(urgent.signs)] if item.needs_urgent_help else None
    return SeenText(tuple(text for text, _ in page_paragraphs(item.page)), cited, site.settings.caveat, shown_help)


def page_paragraphs(page: Page) -> list[tuple[str, int]]:
    """The page's own text as paragraphs, each with the line of the file on which it starts."""
    line = page.lines.line_of
    found = [(f"{label}: {value}", line(key)) for key, label, value in (
        ("title", "Title", page.title), ("description", "Description", page.description), ("nav_title", "Navigation title", page.nav_title)
    )]  # fmt: skip
    body = page.body.replace("\r\n", "\n").replace("\r", "\n")
    start = 0
    for blank in [*PARAGRAPH_BREAK.finditer(body), None]:
        end = blank.start() if blank else len(body)
        text = body[start:end].strip("\n")
        if text.strip():
            first = start + len(body[start:end]) - len(body[start:end].lstrip("\n"))
            found.append((text, page.body_first_line + body.count("\n", 0, first)))
        start = blank.end() if blank else len(body)
    for index, term in enumerate(page.terms):
        name = f"{term.term} ({term.abbreviation})" if term.abbreviation else term.term
        found.append((f"{name}: {term.definition} Sources: {', '.join(term.sources)}", line("terms", index)))
    for index, source in enumerate(page.sources):
        data = _plain(source_data(source))
        found.append((" · ".join(f"{key}: {value}" for key, value in data.items()), line("sources", index)))
    return found


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in data.items()}


def folder_for(content_dir: Path, project_root: Path | None) -> Path:
    return (project_root if project_root is not None else content_dir.parent) / FOLDER


def write_records(folder: Path, records: list[PacketRecord]) -> str | None:
    """Save the records (replacing any of the same page and code), then keep the newest KEEP_PER_PAGE of each page;
    why not, when they cannot be saved."""
    try:
        folder.mkdir(exist_ok=True)
        for record in records:
            data = json.dumps(_as_data(record), ensure_ascii=False, indent=1).encode("utf-8")
            replace_file(_path(folder, record.page, record.code), data)
        for page in {record.page for record in records}:
            files = sorted(folder.glob(f"{_page_key(page)}-*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
            for old in files[KEEP_PER_PAGE:]:
                old.unlink(missing_ok=True)
    except OSError as exc:
        return f"cannot save what the packet showed in {folder}: {(exc.strerror or str(exc)).lower()}"
    return None


def read_record(folder: Path, code: str, page: str | None = None) -> PacketRecord | None:
    """The record of a packet with this code (page's own first), or None: none was made here, or the file is not
    one that this module wrote."""
    if not code.isalnum() or not folder.is_dir():
        return None
    paths = sorted(folder.glob(f"*-{code}.json"))
    if page is not None:
        paths.sort(key=lambda path: path.name != _path(folder, page, code).name)
    return next((r for r in map(_read, paths) if r is not None and r.code == code), None)


def records_of(folder: Path, page: str) -> list[PacketRecord]:
    """Every record of a page, newest first."""
    if not folder.is_dir():
        return []
    found = [_read(path) for path in folder.glob(f"{_page_key(page)}-*.json")]
    return sorted((r for r in found if r is not None and r.page == page), key=lambda r: r.made_on, reverse=True)


def _page_key(page: str) -> str:
    return hashlib.sha256(page.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _path(folder: Path, page: str, code: str) -> Path:
    """One file per page and code, named so that a page's records, or a code's, are found from the names alone."""
    return folder / f"{_page_key(page)}-{code}.json"


def _read(path: Path) -> PacketRecord | None:
    data, problems = read_bytes(path, str(path), MAX_RECORD_BYTES)
    if data is None or problems:
        return None
    try:
        return _from_data(json.loads(data.decode("utf-8")))
    except (ValueError, TypeError, KeyError):
        return None


def _as_data(record: PacketRecord) -> dict[str, Any]:
    seen = record.seen
    return {
        "format": FORMAT,
        "page": record.page,
        "code": record.code,
        "fingerprint": record.fingerprint,
        "made_on": record.made_on.isoformat(),
        "paragraphs": list(seen.paragraphs),
        "sources": seen.sources,
        "caveat": seen.caveat,
        "urgent_help": seen.urgent_help,
    }


def _from_data(data: Any) -> PacketRecord:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a packet record")
    texts = [data[key] for key in ("page", "code", "fingerprint", "made_on", "caveat")]
    paragraphs, sources, urgent_help = data["paragraphs"], data["sources"], data["urgent_help"]
    well_formed = (
        all(isinstance(t, str) for t in texts)
        and isinstance(paragraphs, list)
        and all(isinstance(p, str) for p in paragraphs)
        and isinstance(sources, dict)
        and all(isinstance(v, dict) for v in sources.values())
        and (urgent_help is None or isinstance(urgent_help, list))
    )
    if not well_formed:
        raise ValueError("not a packet record")
    page, code, fingerprint, made_on, caveat = texts
    seen = SeenText(tuple(paragraphs), sources, caveat, urgent_help)
    return PacketRecord(page, code, fingerprint, datetime.date.fromisoformat(made_on), seen)


def changed_words(before: SeenText, now: SeenText, lines: list[int]) -> list[tuple[int, str]]:
    """What changed since before: each changed paragraph at the line where it now is (lines[i] is the line of
    now.paragraphs[i]), as its words with '[removed: ...]' and '[added: ...]'; then the site text and sources."""
    old, new = before.paragraphs, now.paragraphs
    found: list[tuple[int, str]] = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        olds, news = old[a0:a1], new[b0:b1]
        for index in range(max(len(olds), len(news))):
            line = lines[min(b0 + index, len(lines) - 1)] if lines else 1
            segments = words(olds[index] if index < len(olds) else "", news[index] if index < len(news) else "")
            found.append((line, shown(segments)))
    if before.caveat != now.caveat:
        found.append((1, f"the caveat that every page shows (in the site settings): {shown(words(before.caveat, now.caveat))}"))
    if before.urgent_help != now.urgent_help:
        what = "is now shown" if before.urgent_help is None else "is no longer shown" if now.urgent_help is None else "changed"
        found.append((1, f"the 'Get help straight away' box {what}"))
    for key in sorted(before.sources.keys() | now.sources.keys()):
        if key not in now.sources:
            found.append((1, f"the page no longer cites the source '{key}'"))
        elif key not in before.sources:
            found.append((1, f"the page now cites the source '{key}'"))
        elif before.sources[key] != now.sources[key]:
            then, latest = before.sources[key], now.sources[key]
            fields = ", ".join(sorted(k for k in then.keys() | latest.keys() if then.get(k) != latest.get(k)))
            found.append((1, f"the details of the cited source '{key}' changed ({fields}), in the list of sources"))
    return found
