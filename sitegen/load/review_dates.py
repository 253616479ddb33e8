"""Review dates: every page says when it was last checked and when the next check is due, and the build holds it to that.

Once next_review has passed, the build gives a notice (which never fails a build, with or without --strict) for
the grace period, then an error. So publishing never stops on a date without weeks of warning.
"""

from __future__ import annotations

import calendar
import datetime

from ..problems import Problem, error, notice
from .pages import Page
from .settings import SiteSettings


def long_date(value: datetime.date) -> str:
    """26 November 2026: unambiguous for readers everywhere."""
    return f"{value.day} {value:%B %Y}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return datetime.date.max if months > 0 else datetime.date.min
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def grace_ends(page: Page, settings: SiteSettings) -> datetime.date:
    """The last day on which the site still builds although the page's review is overdue."""
    try:
        return page.next_review + datetime.timedelta(days=settings.review_grace_days)
    except OverflowError:
        return datetime.date.max


def check_review_dates(page: Page, settings: SiteSettings, today: datetime.date) -> list[Problem]:
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
    if today > grace_ends(page, settings):
        problems.append(
            error(
                page.shown,
                line("next_review"),
                f"review was due on {long_date(page.next_review)}, {overdue_days} days ago, "
                f"beyond the {settings.review_grace_days}-day grace period: review the page, then update its dates",
            )
        )
    elif overdue_days > 0:
        problems.append(
            notice(
                page.shown,
                line("next_review"),
                f"review is overdue: it was due on {long_date(page.next_review)}; "
                f"the build will fail after {long_date(grace_ends(page, settings))} unless the page is reviewed and its dates updated",
            )
        )
    return problems
