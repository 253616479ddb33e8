"""Clinical review records bound to what was reviewed: a page's fingerprint, and whether its reviews still cover it.

A fingerprint is the SHA-256 of what a reader of the page is shown and a reviewer checks:
- the page's own text: the front-matter fields readers see (title, description, navigation title, and the
  glossary terms or the source list on the pages that show them) and the Markdown body;
- the data of every source the page cites: in its text, its figures' captions, and (on the glossary page) its
  terms' definitions;
- the site-wide text the page shows: the caveat, and the urgent-help box on the pages that show it.
Review dates, review records, navigation order and other settings are left out: recording a review changes them.

A record is current when its fingerprint is the page's. A page with records, none of them current, has changed
since its last review: the build warns at the latest record, or fails when the site sets require_current_review.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..problems import Problem, error, warning
from .pages import Page, Reviewer, Source
from .review_dates import long_date
from .settings import SiteSettings

FINGERPRINT_VERSION = 1


def source_data(source: Source) -> dict[str, Any]:
    """A source's fields as data, without the lines they are written on (a source without figures as before figures)."""
    data = {k: v for k, v in dataclasses.asdict(source).items() if k not in ("line", "figures") and v is not None}
    if source.figures:
        data["figures"] = [[f.name, f.written, f.locator, f.round_to] for f in source.figures]
    return data


def page_text(page: Page) -> dict[str, Any]:
    """The part of a page's file that readers see."""
    return {
        "title": page.title,
        "description": page.description,
        "nav_title": page.nav_title,
        "terms": [dataclasses.asdict(t) | {"line": None, "definition_line": None} for t in page.terms],
        "sources": [source_data(s) for s in page.sources],
        "body": page.body.replace("\r\n", "\n").replace("\r", "\n"),
    }


def fingerprint(page: Page, cited: Sequence[Source], caveat: str, urgent_help: list[object] | None) -> str:
    """sha256:HEX of the page's text, the data of its cited sources, and the site-wide text it shows."""
    reviewed = {
        "version": FINGERPRINT_VERSION,
        "page": page_text(page),
        "cited": [source_data(s) for s in cited],
        "caveat": caveat,
        "urgent_help": urgent_help,  # what the page shows of the box (UrgentHelp.shown_text), or None
    }
    text = json.dumps(reviewed, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_iso)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iso(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


@dataclass(frozen=True)
class ReviewState:
    """A page's fingerprint now, the records that cover it, and its latest record."""

    fingerprint: str
    current: tuple[Reviewer, ...] = ()
    latest: Reviewer | None = None

    @property
    def changed_since(self) -> Reviewer | None:
        """The latest record, when no record covers the page as it is now."""
        return None if self.current else self.latest

    @property
    def last_clinical_review(self) -> datetime.date | None:
        return max((r.date for r in self.current), default=None)


def review_state(page: Page, current_fingerprint: str) -> ReviewState:
    records = page.reviewed_by
    latest = max(reversed(records), key=lambda r: r.date) if records else None  # of two on one day, the one written last
    return ReviewState(current_fingerprint, tuple(r for r in records if r.fingerprint == current_fingerprint), latest)


def future_reviews(page: Page, today: datetime.date) -> list[Problem]:
    """Review records dated after today."""
    return [
        error(page.shown, record.line, f"the review by {record.name} is dated {record.date}, which is in the future")
        for record in page.reviewed_by
        if record.date > today
    ]


def coverage_problems(page: Page, state: ReviewState, settings: SiteSettings) -> list[Problem]:
    """A review that no longer covers the page (an error under require_current_review), or none at all where the site
    requires one: the problems that recording a clinical review resolves."""
    problems: list[Problem] = []
    packet = f"`python3 build.py review-packet {page.shown}`"
    stale = state.changed_since
    if stale is not None:
        report = error if settings.require_current_review else warning
        problems.append(
            report(
                page.shown,
                stale.line,
                f"the page has changed since the clinical review by {stale.name} on {long_date(stale.date)} ({stale.scope}), "
                f"which no longer covers it: send the reviewer a new review packet ({packet}), then record the review "
                "with `python3 build.py review`",
            )
        )
    elif not page.reviewed_by and settings.require_current_review:
        problems.append(
            error(
                page.shown,
                page.lines.line_of("reviewed_by"),
                f"the site requires a current clinical review of every page (require_current_review), and this page has none: "
                f"send a review packet ({packet}), then record the review with `python3 build.py review`",
            )
        )
    return problems
