"""The text a clinical review covered, read from git at the review's commit: the page's file, the source list and the
site settings as they were then; and word diffs, as runs of words that stayed, went or came."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ...load import gitinfo
from ...load.frontmatter import parse_yaml, split_front_matter
from ...load.pages import Reviewer, Source, sources_of
from ...load.settings import SiteSettings

Status = Literal["no-git", "no-commit", "commit-missing", "unknown", "compared"]


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
    urgent = data.get("urgent_help")
    if not isinstance(urgent, dict):
        urgent = {}
    before = {**urgent, "emergency_number": data.get("emergency_number")}
    now = settings.urgent_help.written(urgent_help_form) if urgent_help_form else {}
    if any(_same(before.get(key)) != _same(value) for key, value in now.items()):
        changed.append("urgent-help box")
    return tuple(changed)
