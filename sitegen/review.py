"""Review dates: every page says when it was last checked and when the next check is due, and the build holds it to that."""

from __future__ import annotations

import calendar
import datetime

from .pages import SourcePage
from .problems import Problem, error, warning
from .rendering import long_date
from .settings import SiteSettings


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_review_dates(page: SourcePage, settings: SiteSettings, today: datetime.date) -> list[Problem]:
    """Dates in order, a review interval within the maximum, and no review overdue beyond the grace period."""
    line = page.lines.line_of
    problems: list[Problem] = []
    if page.last_reviewed < page.published:
        problems.append(error(page.shown, line("last_reviewed"), "'last_reviewed' is before 'published'"))
    if page.last_reviewed > today:
        problems.append(error(page.shown, line("last_reviewed"), f"'last_reviewed' ({page.last_reviewed}) is in the future"))
    if page.next_review <= page.last_reviewed:
        problems.append(error(page.shown, line("next_review"), "'next_review' must be after 'last_reviewed'"))
        return problems
    latest = add_months(page.last_reviewed, settings.max_review_interval_months)
    if page.next_review > latest:
        problems.append(
            error(
                page.shown,
                line("next_review"),
                f"'next_review' is more than {settings.max_review_interval_months} months after 'last_reviewed'; "
                f"set it to {latest} or earlier",
            )
        )
    overdue_days = (today - page.next_review).days
    if overdue_days > settings.review_grace_days:
        problems.append(
            error(
                page.shown,
                line("next_review"),
                f"review was due on {long_date(page.next_review)}, {overdue_days} days ago, "
                f"beyond the {settings.review_grace_days}-day grace period: review the page, then update its dates",
            )
        )
    elif overdue_days > 0:
        problems.append(warning(page.shown, line("next_review"), f"review is overdue: it was due on {long_date(page.next_review)}"))
    return problems
