"""What changed since a page's last clinical review: its text then (from git), a word diff, and changed source data.

The text compared is what the fingerprint covers from the page's own file: the title, description and navigation
title, and the Markdown body. The sources the page cites and the site-wide caveat and urgent-help box are compared
field by field with their files at the same commit.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ...load import gitinfo
from ...load.frontmatter import parse_yaml, split_front_matter
from ...load.pages import Reviewer, Source, sources_of
from ...load.review_records import source_data
from ...load.settings import SiteSettings

VISIBLE = (("title", "Title"), ("description", "Description"), ("nav_title", "Navigation title"))
PARAGRAPHS = re.compile(r"\n[ \t]*\n+")
TOKENS = re.compile(r"\s+|[^\s]+")

Kind = Literal["same", "removed", "added"]


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


@dataclass(frozen=True)
class Change:
    """One paragraph that changed, as runs of words that stayed, went or came."""

    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class History:
    """What the packet says under "What changed since the last review"."""

    record: Reviewer | None
    status: Literal["no-review", "no-git", "no-commit", "commit-missing", "compared"]
    changes: tuple[Change, ...] = ()
    unchanged_paragraphs: int = 0
    changed_sources: tuple[str, ...] = ()  # ids of cited sources whose data changed
    changed_site_text: tuple[str, ...] = ()  # "caveat", "urgent-help box"


def history(
    page_path: Path,
    current_text: str,
    record: Reviewer | None,
    sources_path: Path | None,
    cited: list[Source],
    settings: SiteSettings,
    settings_path: Path,
    urgent_help_form: str | None,  # the form of the urgent-help box the page shows, or None
) -> History:
    if record is None:
        return History(None, "no-review")
    if not gitinfo.available(page_path):
        return History(record, "no-git")
    if not record.commit:
        return History(record, "no-commit")
    old = gitinfo.text_at(page_path, record.commit)
    if old is None:
        return History(record, "commit-missing")
    changes, unchanged = word_diff(visible_text(old), current_text)
    return History(
        record,
        "compared",
        tuple(changes),
        unchanged,
        changed_sources(sources_path, record.commit, cited),
        changed_site_text(settings_path, settings, record.commit, urgent_help_form),
    )


def visible_text(file_text: str) -> str:
    """The title, description, navigation title and Markdown body of a page's file, as paragraphs."""
    text = file_text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    parsed, _ = split_front_matter(text, "<git>")
    if parsed is None:
        return text
    return page_text_of(parsed.data, parsed.body)


def page_text_of(data: dict[str, Any], body: str) -> str:
    fields = [f"{label}: {data[key]}" for key, label in VISIBLE if isinstance(data.get(key), str)]
    return "\n\n".join([*fields, body.strip("\n")])


def word_diff(old: str, new: str) -> tuple[list[Change], int]:
    """The paragraphs that changed, each as a word diff, and how many stayed the same."""
    before, after = PARAGRAPHS.split(old.strip()), PARAGRAPHS.split(new.strip())
    changes: list[Change] = []
    unchanged = 0
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            unchanged += a1 - a0
            continue
        olds, news = before[a0:a1], after[b0:b1]
        for index in range(max(len(olds), len(news))):
            changes.append(Change(tuple(words(olds[index] if index < len(olds) else "", news[index] if index < len(news) else ""))))
    return changes, unchanged


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


def changed_sources(sources_path: Path | None, commit: str, cited: list[Source]) -> tuple[str, ...]:
    if sources_path is None:
        return ()
    old = gitinfo.text_at(sources_path, commit)
    parsed, _ = split_front_matter(old.replace("\r\n", "\n"), "<git>") if old else (None, [])
    before = sources_of(parsed.data) if parsed is not None else {}
    return tuple(s.id for s in cited if s.id not in before or source_data(before[s.id]) != source_data(s))


def _same(value: object) -> object:
    """A setting as compared: text with its spaces normalised (the settings loader normalises some), an absent one as ''."""
    if value is None:
        return ""
    return " ".join(value.split()) if isinstance(value, str) else value


def changed_site_text(path: Path, settings: SiteSettings, commit: str, urgent_help_form: str | None) -> tuple[str, ...]:
    old = gitinfo.text_at(path, commit)
    if old is None:
        return ()
    data, _, _ = parse_yaml(old.replace("\r\n", "\n"), "<git>", 1)
    data = data if isinstance(data, dict) else {}
    changed = []
    if " ".join(str(data.get("caveat", "")).split()) != settings.caveat:
        changed.append("caveat")
    urgent = data.get("urgent_help") if isinstance(data.get("urgent_help"), dict) else {}
    before = {**urgent, "emergency_number": data.get("emergency_number")}
    now = settings.urgent_help.written(urgent_help_form) if urgent_help_form else {}
    if any(_same(before.get(key)) != _same(value) for key, value in now.items()):
        changed.append("urgent-help box")
    return tuple(changed)
