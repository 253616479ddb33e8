"""Output for GitHub Actions: problems as workflow commands, and the job summary.

``--format github`` prints each problem as a workflow command, ``::error file=F,line=N,title=T::message``,
which GitHub shows beside that line in a pull request's "Files changed" and in the run's summary. Values are
escaped as GitHub's runner reads them: in the message %, CR and LF; in a property also ':' and ','.

The job summary is Markdown appended to the file named by $GITHUB_STEP_SUMMARY: the build's counts, and each
page's reading grade and review dates.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path

from ..check.review_report import ReviewDates, markdown_text
from ..load.review_dates import long_date
from ..markup.readability import MAXIMUM_GRADE
from ..pipeline import BuildResult
from ..problems import Problem, Severity, severity_counts

SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"
TITLES: dict[Severity, str] = {
    "error": "Build error",
    "warning": "Warning",
    "notice": "Notice (never fails the build)",
}
STRICT_WARNING_TITLE = "Warning (fails the build: --strict treats warnings as errors)"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, properties: Mapping[str, str | int] | None = None) -> str:
    """One workflow command line, such as ::error file=a.md,line=3::message."""
    props = ",".join(f"{name}={escape_property(str(value))}" for name, value in (properties or {}).items())
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(problem: Problem, strict: bool) -> str:
    """A problem as an annotation on its file and line. Under --strict a warning fails the build, so it is shown as an error."""
    command: str = problem.severity
    title = TITLES[problem.severity]
    if strict and problem.severity == "warning":
        command, title = "error", STRICT_WARNING_TITLE
    return workflow_command(command, str(problem), {"file": problem.path, "line": problem.line, "title": title})


def job_summary(result: BuildResult, strict: bool, today: datetime.date) -> str:
    counts = severity_counts(result.problems)
    grades = {r.shown: r.level.summary.replace("/", " / ") for r in result.reading}
    return build_summary(counts, result.page_count, result.failed(strict), grades, result.reviews, today)


def build_summary(
    counts: Mapping[str, int],
    page_count: int,
    failed: bool,
    grades: Mapping[str, str],
    reviews: tuple[ReviewDates, ...] | None,
    today: datetime.date,
) -> str:
    """The job summary: the outcome and counts, then one row per page with its reading grade and review dates."""
    outcome = "failed" if failed else "passed"
    lines = [
        f"## Site build {outcome}",
        "",
        "| Pages | Errors | Warnings | Notices |",
        "|---|---|---|---|",
        f"| {page_count} | {counts.get('error', 0)} | {counts.get('warning', 0)} | {counts.get('notice', 0)} |",
        "",
    ]
    if failed:
        lines += [
            "Each problem is marked on its line in the pull request's **Files changed** tab, and listed under **Annotations** "
            "on this page.",
            "",
        ]
    if reviews:
        spanish = "; INFLESZ in Spanish" if any(g.startswith("INFLESZ") for g in grades.values()) else ""
        lines += [
            f"### Pages (reading grade target: {MAXIMUM_GRADE:g} or below; review dates as of {long_date(today)})",
            "",
            f"| Page | Reading grade (Flesch-Kincaid / SMOG{spanish}) | Last reviewed | Next review due | Review |",
            "|---|---|---|---|---|",
        ]
        for dates in sorted(reviews, key=lambda d: d.shown):
            grade = grades.get(dates.shown)
            shown_grade = grade or "not graded (a reference page, or too short)"
            lines.append(
                f"| {markdown_text(dates.title)} ({markdown_text(dates.shown)}) | {shown_grade} | {long_date(dates.last_reviewed)} "
                f"| {long_date(dates.next_review)} | {dates.status(today)} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def append_summary(markdown: str, environ: Mapping[str, str]) -> str | None:
    """Append markdown to the job summary when $GITHUB_STEP_SUMMARY names a file; why it could not, or None."""
    target = environ.get(SUMMARY_VARIABLE)
    if not target:
        return None
    try:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    except OSError as exc:
        return f"Note: cannot write the job summary to {target}: {(exc.strerror or str(exc)).lower()}"
    return None
