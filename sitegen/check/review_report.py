"""Review reminders: which pages are due for review soon, or overdue, as plain text and as Markdown.

A page is due when its next_review is at most DUE_SOON_DAYS away, or has passed. The build itself only gives a
notice once next_review has passed, and an error after the grace period (see review.py); this report warns a
month before that, for the weekly "Pages due for review" issue and for the job summary.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..load.pages import Page
from ..load.review_dates import grace_ends, long_date
from ..load.settings import SiteSettings
from ..problems import display_path

DUE_SOON_DAYS = 30
ISSUE_TITLE = "Pages due for review"
ISSUE_FOOTER = '\nThis issue is updated every week by the "Review reminders" workflow, and closed when no page is due.\n'


@dataclass(frozen=True)
class ReviewDates:
    """A page's review dates, as the report and the job summary show them."""

    shown: str
    title: str
    last_reviewed: datetime.date
    next_review: datetime.date
    grace_ends: datetime.date  # the last day on which the site still builds while the review is overdue

    def days_left(self, today: datetime.date) -> int:
        return (self.next_review - today).days

    def is_due(self, today: datetime.date) -> bool:
        return self.days_left(today) <= DUE_SOON_DAYS

    def status(self, today: datetime.date) -> str:
        days = self.days_left(today)
        if today > self.grace_ends:
            return f"overdue by {_days(-days)}: the build fails until the page is reviewed"
        if days < 0:
            return f"overdue by {_days(-days)}: the build fails after {long_date(self.grace_ends)}"
        if days == 0:
            return "due today"
        if days <= DUE_SOON_DAYS:
            return f"due in {_days(days)}"
        return "up to date"


def review_dates(pages: Iterable[Page], settings: SiteSettings) -> tuple[ReviewDates, ...]:
    return tuple(ReviewDates(p.shown, p.title, p.last_reviewed, p.next_review, grace_ends(p, settings)) for p in pages)


def due_pages(dates: Iterable[ReviewDates], today: datetime.date) -> list[ReviewDates]:
    """The pages due within DUE_SOON_DAYS or overdue, the most urgent first."""
    return sorted((d for d in dates if d.is_due(today)), key=lambda d: (d.next_review, d.shown))


def plain_report(dates: Iterable[ReviewDates], today: datetime.date) -> list[str]:
    """One line per page that is due, under a heading line; one line when none is."""
    due = due_pages(dates, today)
    if not due:
        return [f"Review dates: no page is due for review within {DUE_SOON_DAYS} days of {long_date(today)}."]
    lines = [f"Pages due for review within {DUE_SOON_DAYS} days of {long_date(today)}, or overdue:"]
    lines += [
        f"  {d.shown}: next review {long_date(d.next_review)}, {d.status(today)} (last reviewed {long_date(d.last_reviewed)})" for d in due
    ]
    return lines


def markdown_report(dates: Iterable[ReviewDates], today: datetime.date, repository_url: str | None = None) -> str:
    """The body of the "Pages due for review" issue: a table and what to do. Empty when no page is due."""
    due = due_pages(dates, today)
    if not due:
        return ""
    rows = "\n".join(
        f"| {_page_cell(d, repository_url)} | {long_date(d.last_reviewed)} | {long_date(d.next_review)} | {d.status(today)} |" for d in due
    )
    return (
        f"These pages are due for review within {DUE_SOON_DAYS} days of {long_date(today)}, or are overdue.\n\n"
        "| Page | Last reviewed | Next review due | Status |\n"
        "|---|---|---|---|\n"
        f"{rows}\n\n"
        "**What to do:** ask a clinical reviewer to check the whole page against its sources. When the review is done, "
        "change `last_reviewed` to the day of the review and `next_review` to the day the next one is due, and add the "
        "reviewer to `reviewed_by` (never a reviewer who has not reviewed the page).\n\n"
        "A review that is overdue only gives a notice for the grace period; after it, the build fails and the site "
        "cannot be published until the page is reviewed.\n"
    )


def summary_section(markdown: str) -> str:
    """The report as a section of the job summary."""
    return f"## {ISSUE_TITLE}\n\n" + (markdown or f"No page is due for review within {DUE_SOON_DAYS} days.\n")


def write_report(file: Path, markdown: str) -> str | None:
    """Write the issue's body (an empty file when no page is due); the problem as a line, or None."""
    try:
        file.write_text(markdown + ISSUE_FOOTER if markdown else "", encoding="utf-8")
    except OSError as exc:
        return f"{display_path(file)}:1: cannot write the review report: {(exc.strerror or str(exc)).lower()}"
    return None


def _page_cell(dates: ReviewDates, repository_url: str | None) -> str:
    title, shown = markdown_text(dates.title), markdown_text(dates.shown)
    if repository_url:
        return f"[{title}]({repository_url}/blob/HEAD/{quote(dates.shown)}) ({shown})"
    return f"{title} ({shown})"


def markdown_text(text: str) -> str:
    """text for a Markdown table cell or link text: pipes, brackets and other marks written literally."""
    return "".join(f"\\{c}" if c in "\\`*_[]<>|#!" else c for c in " ".join(text.split()))


def _days(count: int) -> str:
    return f"{count} day" + ("" if count == 1 else "s")
