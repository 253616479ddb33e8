"""Review reminders: check --review-report at a fixed --as-of, its Markdown, the weekly workflow and the issue it keeps."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, Project, page

REVIEW_WORKFLOW = REPO / ".github" / "workflows" / "review-reminders.yml"
REVIEW_ISSUE = REPO / ".ci" / "review-issue"


@pytest.fixture
def dated(project: Project) -> Project:
    """Pages whose next review is far off, soon, today, overdue within the grace period, and beyond it."""
    project.write("content/soon.md", page(title="Soon", order=2, next_review="2026-06-20"))
    project.write("content/today.md", page(title="Today", order=3, next_review="2026-06-01"))
    project.write("content/late.md", page(title="Late", order=4, next_review="2026-05-20"))
    project.write("content/very-late.md", page(title="Very late", order=5, published="2025-01-01", last_reviewed="2025-01-02",
                  next_review="2026-04-01"))  # fmt: skip
    project.write("content/index.md", page(next_review="2026-08-01"))
    project.write("content/sources.md", (project.content / "sources.md").read_text().replace("2026-07-01", "2026-12-01"))
    return project


def test_the_report_lists_pages_due_within_30_days_or_overdue_most_urgent_first(dated: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = dated.build("check", "--review-report", "--as-of", "2026-06-01", capsys=capsys)
    assert status == 1  # very-late.md is past its grace period: an error
    report = out.splitlines()[out.splitlines().index("Pages due for review within 30 days of 1 June 2026, or overdue:") :]
    assert report == [
        "Pages due for review within 30 days of 1 June 2026, or overdue:",
        "  content/very-late.md: next review 1 April 2026, overdue by 61 days: the build fails until the page is reviewed "
        "(last reviewed 2 January 2025)",
        "  content/late.md: next review 20 May 2026, overdue by 12 days: the build fails after 19 June 2026 (last reviewed 2 January 2026)",
        "  content/today.md: next review 1 June 2026, due today (last reviewed 2 January 2026)",
        "  content/soon.md: next review 20 June 2026, due in 19 days (last reviewed 2 January 2026)",
    ]
    assert "content/very-late.md:8: review was due on 1 April 2026, 61 days ago" in err


def test_nothing_due_is_one_line_and_an_empty_file(project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = tmp_path / "due.md"
    report.write_text("left over from last week")
    status, out, _ = project.build("check", "--review-report-file", str(report), "--as-of", "2026-03-01", capsys=capsys)
    assert status == 0
    assert "Review dates: no page is due for review within 30 days of 1 March 2026." in out.splitlines()
    assert report.read_text() == ""


def test_the_markdown_report_is_the_issue_body(dated: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = tmp_path / "due.md"
    dated.write("content/late.md", page(title="Late | [draft]", order=4, next_review="2026-05-20"))
    dated.build(
        "check",
        "--review-report-file",
        str(report),
        "--repository-url",
        "https://github.com/owner/repo",
        "--as-of",
        "2026-06-10",
        capsys=capsys,
    )
    assert report.read_text() == (
        "These pages are due for review within 30 days of 10 June 2026, or are overdue.\n"
        "\n"
        "| Page | Last reviewed | Next review due | Status |\n"
        "|---|---|---|---|\n"
        "| [Very late](https://github.com/owner/repo/blob/HEAD/content/very-late.md) (content/very-late.md) | 2 January 2025 "
        "| 1 April 2026 | overdue by 70 days: the build fails until the page is reviewed |\n"
        "| [Late \\| \\[draft\\]](https://github.com/owner/repo/blob/HEAD/content/late.md) (content/late.md) | 2 January 2026 "
        "| 20 May 2026 | overdue by 21 days: the build fails after 19 June 2026 |\n"
        "| [Today](https://github.com/owner/repo/blob/HEAD/content/today.md) (content/today.md) | 2 January 2026 | 1 June 2026 "
        "| overdue by 9 days: the build fails after 1 July 2026 |\n"
        "| [Soon](https://github.com/owner/repo/blob/HEAD/content/soon.md) (content/soon.md) | 2 January 2026 | 20 June 2026 "
        "| due in 10 days |\n"
        "\n"
        "**What to do:** ask a clinical reviewer to check the whole page against its sources. When the review is done, change "
        "`last_reviewed` to the day of the review and `next_review` to the day the next one is due, and add the reviewer to "
        "`reviewed_by` (never a reviewer who has not reviewed the page).\n"
        "\n"
        "A review that is overdue only gives a notice for the grace period; after it, the build fails and the site cannot be "
        "published until the page is reviewed.\n"
        "\n"
        'This issue is updated every week by the "Review reminders" workflow, and closed when no page is due.\n'
    )


def test_with_format_github_the_report_is_also_in_the_job_summary(
    dated: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    dated.build("check", "--review-report", "--format", "github", "--as-of", "2026-04-01", capsys=capsys)
    section = summary.read_text().split("## Pages due for review\n\n", 1)[1]
    assert section.startswith(
        "These pages are due for review within 30 days of 1 April 2026, or are overdue.\n\n"
        "| Page | Last reviewed | Next review due | Status |\n|---|---|---|---|\n"
        "| Very late (content/very-late.md) | 2 January 2025 | 1 April 2026 | due today |\n"
    )


def test_a_report_that_cannot_be_made_fails_and_writes_no_file(
    project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project.write("content/_site.yml", "title: [broken\n")
    report = tmp_path / "due.md"
    status, _, err = project.build("check", "--review-report-file", str(report), capsys=capsys)
    assert status == 1
    assert err.splitlines()[-1] == "The review report could not be made: the site settings have errors (see above)."
    assert not report.exists()


# The weekly workflow and the issue it keeps.


def workflow() -> dict[str, Any]:
    return yaml.safe_load(REVIEW_WORKFLOW.read_text())


def test_the_reminder_runs_weekly_with_the_least_permissions_and_runs_the_report() -> None:
    flow = workflow()
    on = flow[True]  # YAML 1.1 reads 'on' as true
    (schedule,) = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "1")
    assert "workflow_dispatch" in on
    assert flow["permissions"] == {}
    (job,) = flow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    runs = [" ".join(step["run"].split()) for step in job["steps"] if "run" in step]
    report = next(r for r in runs if "build.py" in r)
    assert report.startswith("python build.py check --format github --no-cache --review-report --review-report-file")
    issue_step = next(s for s in job["steps"] if ".ci/review-issue" in s.get("run", ""))
    assert issue_step["env"] == {"GH_TOKEN": "${{ github.token }}", "GH_REPO": "${{ github.repository }}"}
    assert issue_step["if"] == "${{ !cancelled() }}"


def test_no_other_job_can_write_to_issues() -> None:
    writers = []
    for path in sorted((REPO / ".github" / "workflows").glob("*.y*ml")):
        flow = yaml.safe_load(path.read_text())
        for name, job in flow["jobs"].items():
            permissions = job.get("permissions", flow.get("permissions"))
            if isinstance(permissions, dict) and permissions.get("issues") == "write":
                writers.append((path.name, name))
    assert writers == [("review-reminders.yml", "remind")]


@pytest.fixture
def fake_gh(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A stand-in for the gh CLI: records each call, and answers 'issue list' with $OPEN_ISSUES."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "gh.log"
    gh = bin_dir / "gh"
    gh.write_text('#!/bin/sh\necho "gh $*" >> "$GH_LOG"\nif [ "$1 $2" = "issue list" ]; then printf "%s" "$OPEN_ISSUES"; fi\n')
    gh.chmod(0o755)
    env = os.environ | {"PATH": f"{bin_dir}:{os.environ['PATH']}", "GH_LOG": str(log), "OPEN_ISSUES": ""}
    return env, log


def run_review_issue(env: dict[str, str], report: Path, open_issues: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([REVIEW_ISSUE, str(report)], env=env | {"OPEN_ISSUES": open_issues}, capture_output=True, text=True)


LIST_CALL = 'gh issue list --state open --limit 1000 --json number,title --jq .[] | select(.title == "Pages due for review") | .number'


def test_review_issue_opens_an_issue_when_pages_are_due(fake_gh: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    env, log = fake_gh
    report = tmp_path / "due.md"
    report.write_text("These pages are due.\n")
    completed = run_review_issue(env, report)
    assert completed.returncode == 0, completed.stderr
    assert log.read_text().splitlines() == [LIST_CALL, f"gh issue create --title Pages due for review --body-file {report}"]


def test_review_issue_updates_the_open_issue(fake_gh: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    env, log = fake_gh
    report = tmp_path / "due.md"
    report.write_text("These pages are due.\n")
    completed = run_review_issue(env, report, open_issues="42\n")
    assert completed.returncode == 0, completed.stderr
    assert log.read_text().splitlines() == [LIST_CALL, f"gh issue edit 42 --body-file {report}"]
    assert completed.stdout == 'Updated issue #42, "Pages due for review".\n'


def test_review_issue_closes_the_issue_when_nothing_is_due(fake_gh: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    env, log = fake_gh
    report = tmp_path / "due.md"
    report.write_text("")
    completed = run_review_issue(env, report, open_issues="42\n")
    assert completed.returncode == 0, completed.stderr
    assert log.read_text().splitlines() == [
        LIST_CALL,
        "gh issue close 42 --comment No page is due for review within 30 days now, so this issue is closed. "
        "It opens again when a page is due.",
    ]
    completed = run_review_issue(env, report)
    assert completed.stdout == 'No page is due for review, and no "Pages due for review" issue is open.\n'
    assert log.read_text().splitlines()[-1] == LIST_CALL


def test_review_issue_fails_when_the_report_was_not_written(fake_gh: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    env, log = fake_gh
    completed = run_review_issue(env, tmp_path / "missing.md", open_issues="42\n")
    assert completed.returncode == 1
    assert (
        completed.stderr
        == f"review-issue: {tmp_path / 'missing.md'} was not written, so the review dates are unknown; see the check above\n"
    )
    assert not log.exists()
