"""The text a clinical review covered, read from git at the review's commit: the page's file, the source list and the
site settings as they were then; and word diffs, as runs of words that stayed, went or came."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ...load import gitinfo
from ...load.frontmatter import parse_yaml, split_front_matter
from ...load.pages import Reviewer, Source, sources_of
from ...load.settings import SiteSettings

TOKENS = re.compile(r"\s+|[^\s]+")
CONTEXT_WORDS = 12  # words kept on each side of a change; longer unchanged runs are shortened

Kind = Literal["same", "removed", "added"]
Status = Literal["no-git", "no-commit", "commit-missing", "unknown", "compared"]


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


@dataclass(frozen=True)
class Then:
    """What the reviewed version held."""

    record: Reviewer
    data: dict[str, Any]  # the page's front matter
    body: str
    body_first_line: int
    sources: dict[str, Source]  # the source list, by id ({} when it could not be read)
    settings: dict[str, Any]  # the site settings ({} when they could not be read)


def reviewed_version(page_path: Path, record: Reviewer, sources_path: Path | None, settings_path: Path) -> tuple[Status, Then | None]:
    """The page, its sources and the site settings at the commit of record; or why they cannot be read."""
    if not gitinfo.available(page_path):
        return "no-git", None
    if not record.commit:
        return "no-commit", None
    old = gitinfo.text_at(page_path, record.commit)
    if old is None:
        return "commit-missing", None
    parsed, _ = split_front_matter(_lines(old), "<git>")
    if parsed is None or not isinstance(parsed.data, dict):
        return "unknown", None
    sources: dict[str, Source] = {}
    listing = gitinfo.text_at(sources_path, record.commit) if sources_path is not None else None
    if listing is not None:
        before, _ = split_front_matter(_lines(listing), "<git>")
        sources = sources_of(before.data) if before is not None and isinstance(before.data, dict) else {}
    settings_text = gitinfo.text_at(settings_path, record.commit)
    settings, _, _ = parse_yaml(_lines(settings_text), "<git>", 1) if settings_text else ({}, [], None)
    return "compared", Then(
        record, parsed.data, parsed.body, parsed.body_first_line, sources, settings if isinstance(settings, dict) else {}
    )


def _lines(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def words(old: str, new: str) -> list[Segment]:
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    segments: list[Segment] = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[a0:a1])))
            continue
        if a1 > a0:
            segments.append(Segment("removed", "".join(a[a0:a1])))
        if b1 > b0:
            segments.append(Segment("added", "".join(b[b0:b1])))
    return segments


def merged(segments: list[Segment]) -> tuple[Segment, ...]:
    """'[removed: not] [added: still] [removed: known] [added: unknown]' as '[removed: not known] [added: still unknown]':
    changes that only spaces separate are read as one."""
    result: list[Segment] = []
    index = 0
    while index < len(segments):
        if segments[index].kind == "same":
            result.append(segments[index])
            index += 1
            continue
        removed: list[str] = []
        added: list[str] = []
        while index < len(segments):
            segment = segments[index]
            between = (
                segment.kind == "same" and not segment.text.strip() and index + 1 < len(segments) and segments[index + 1].kind != "same"
            )
            if segment.kind == "same" and not between:
                break
            if segment.kind != "added":
                removed.append(segment.text)
            if segment.kind != "removed":
                added.append(segment.text)
            index += 1
        result += [Segment(kind, "".join(texts)) for kind, texts in (("removed", removed), ("added", added)) if "".join(texts).strip()]
    return tuple(result)


def tidy(segments: list[Segment]) -> tuple[Segment, ...]:
    """The spaces at either end of a change, outside it: 'had a [added: mild] side', not 'had a [added: mild ]side'."""
    result: list[Segment] = []

    def add(kind: Kind, text: str) -> None:
        if not text:
            return
        if result and result[-1].kind == kind == "same":
            result[-1] = Segment("same", result[-1].text + text)
        else:
            result.append(Segment(kind, text))

    for segment in segments:
        if segment.kind == "same":
            add("same", segment.text)
            continue
        core = segment.text.strip()
        start = segment.text.index(core) if core else len(segment.text)
        add("same", segment.text[:start])
        add(segment.kind, core)
        add("same", segment.text[start + len(core) :])
    return tuple(result)


def shorten(segments: tuple[Segment, ...]) -> list[Segment]:
    """Long runs of unchanged words keep CONTEXT_WORDS words next to each change, with '…' between."""
    result = []
    for index, segment in enumerate(segments):
        words = segment.text.split()
        if segment.kind != "same" or len(words) <= 2 * CONTEXT_WORDS:
            result.append(segment)
            continue
        parts = [" ".join(words[:CONTEXT_WORDS])] if index > 0 else []
        parts.append("…")
        parts += [" ".join(words[-CONTEXT_WORDS:])] if index < len(segments) - 1 else []
        before = " " if segment.text[0].isspace() else ""
        after = " " if segment.text[-1].isspace() else ""
        result.append(Segment("same", before + " ".join(parts) + after))
    return result


def _same(value: object) -> object:
    """A setting as compared: text with its spaces normalised (the settings loader normalises some), an absent one as ''."""
    if value is None:
        return ""
    return " ".join(value.split()) if isinstance(value, str) else value


def old_caveat(data: dict[str, Any]) -> str:
    return " ".join(str(data.get("caveat", "")).split())


def changed_site_text(data: dict[str, Any], settings: SiteSettings, urgent_help_form: str | None) -> tuple[str, ...]:
    """What of the site-wide text a page shows changed since: "caveat", "urgent-help box"."""
    if not data:
        return ()
    changed = []
    if old_caveat(data) != settings.caveat:
        changed.append("caveat")
    urgent = data.get("urgent_help") if isinstance(data.get("urgent_help"), dict) else {}
    before = {**urgent, "emergency_number": data.get("emergency_number")}
    now = settings.urgent_help.written(urgent_help_form) if urgent_help_form else {}
    if any(_same(before.get(key)) != _same(value) for key, value in now.items()):
        changed.append("urgent-help box")
    return tuple(changed)
