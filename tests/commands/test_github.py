"""--format github: every problem as a GitHub Actions workflow command, read back by a parser of that format; the job summary."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitegen.commands.github import workflow_command
from tests.conftest import REPO, Project, page

COMMAND = re.compile(r"^::(?P<command>[a-z-]+)(?: (?P<properties>[^:]*))?::(?P<message>.*)$")


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line as GitHub's runner reads it: ::command key=value,key=value::message."""
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    assert "\n" not in line and "\r" not in line
    properties: dict[str, str] = {}
    for pair in filter(None, (match.group("properties") or "").split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape_property(value)
    return match.group("command"), properties, unescape_data(match.group("message"))


def commands(out: str) -> list[tuple[str, dict[str, str], str]]:
    return [parse_command(line) for line in out.splitlines() if line.startswith("::")]


@pytest.mark.parametrize(
    "message",
    ["100% sure", "line one\nline two\r\n", "a::b, c: d", "%0A is not a newline", ""],
)
def test_messages_and_properties_survive_the_escaping(message: str) -> None:
    line = workflow_command("error", message, {"file": "content/a,b:c.md", "line": 3, "title": "50% done: yes, really"})
    assert parse_command(line) == ("error", {"file": "content/a,b:c.md", "line": "3", "title": "50% done: yes, really"}, message)


def test_a_command_without_properties() -> None:
    assert workflow_command("notice", "hello") == "::notice::hello"
    assert parse_command("::notice::hello") == ("notice", {}, "hello")


def failing_project(project: Project) -> None:
    project.write("content/index.md", page(body="Hello [@gauthier2012].\n\nAbout 19% of people.\n"))
    project.write("content/other.md", page(title="Other", order=2, next_review="2026-02-20"))


def test_each_problem_is_an_annotation_on_its_file_and_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    failing_project(project)
    status, out, err = project.build("check", "--format", "github", capsys=capsys)
    assert status == 1
    assert commands(out) == [
        (
            "error",
            {"file": "content/index.md", "line": "18", "title": "Build error"},
            "content/index.md:18: unknown source '@gauthier2012' (did you mean 'gauthier2021'?)",
        ),
        (
            "warning",
            {"file": "content/index.md", "line": "20", "title": "Warning"},
            "content/index.md:20: warning: '19%' has no citation in the same paragraph, list item or table cell; add one such as [@key]",
        ),
        (
            "notice",
            {"file": "content/other.md", "line": "8", "title": "Notice (never fails the build)"},
            "content/other.md:8: notice: review is overdue: it was due on 20 February 2026; the build will fail after "
            "22 March 2026 unless the page is reviewed and its dates updated",
        ),
    ]
    assert "content/index.md:18" not in err  # each problem once, as an annotation
    assert err.splitlines()[-1] == "Build failed: 1 error, 1 warning, 1 notice. site/ was not changed."


def test_under_strict_a_warning_is_an_error_annotation_that_says_why(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page(body="Hello [@gauthier2021].\n\nAbout 19% of people.\n"))
    status, out, _ = project.build("check", "--strict", "--format", "github", capsys=capsys)
    assert status == 1
    assert commands(out) == [
        (
            "error",
            {"file": "content/index.md", "line": "20", "title": "Warning (fails the build: --strict treats warnings as errors)"},
            "content/index.md:20: warning: '19%' has no citation in the same paragraph, list item or table cell; add one such as [@key]",
        )
    ]


def test_plain_stays_the_default(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    failing_project(project)
    _, out, err = project.build("check", capsys=capsys)
    assert "::" not in out + err
    assert err.splitlines()[0] == "content/index.md:18: unknown source '@gauthier2012' (did you mean 'gauthier2021'?)"


def test_the_job_summary_has_the_counts_grades_and_review_dates(
    project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier step.\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    body = (
        "Doctors collect some of your T cells, which are a kind of white blood cell. In a laboratory, the cells are "
        "given a new gene that helps them find the cancer. Millions of these cells are grown over a few weeks. Then "
        "they are put back into your vein, where they find and kill cancer cells [@gauthier2021].\n"
    )
    project.write("content/index.md", page(body=body))
    project.write("content/other.md", page(title="Other | more", order=2, next_review="2026-03-20"))
    status, _, _ = project.build("--format", "github", "--as-of", "2026-03-01", capsys=capsys)
    assert status == 0
    assert summary.read_text() == (
        "Earlier step.\n"
        "## Site build passed\n"
        "\n"
        "| Pages | Errors | Warnings | Notices |\n"
        "|---|---|---|---|\n"
        "| 3 | 0 | 0 | 0 |\n"
        "\n"
        "### Pages (reading grade target: 8 or below; review dates as of 1 March 2026)\n"
        "\n"
        "| Page | Reading grade (Flesch-Kincaid / SMOG) | Last reviewed | Next review due | Review |\n"
        "|---|---|---|---|---|\n"
        "| Home (content/index.md) | 2.7 / 5.5 | 2 January 2026 | 1 July 2026 | up to date |\n"
        "| Other \\| more (content/other.md) | not graded (a reference page, or too short) | 2 January 2026 | 20 March 2026 "
        "| due in 19 days |\n"
        "| Sources (content/sources.md) | not graded (a reference page, or too short) | 2 January 2026 | 1 July 2026 | up to date |\n"
        "\n\n"
    )


def test_a_failed_build_says_where_the_problems_are_marked(
    project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    failing_project(project)
    project.build("check", "--format", "github", capsys=capsys)
    head = summary.read_text().split("### Pages")[0]
    assert head == (
        "## Site build failed\n\n| Pages | Errors | Warnings | Notices |\n|---|---|---|---|\n| 3 | 1 | 1 | 1 |\n\n"
        "Each problem is marked on its line in the pull request's **Files changed** tab, and listed under **Annotations** on "
        "this page.\n\n"
    )


def test_no_summary_without_format_github_even_inside_github_actions(
    project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    project.build("check", capsys=capsys)
    assert not summary.exists()


def test_a_summary_that_cannot_be_written_is_a_note_not_a_failure(
    project: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing" / "summary.md"))
    status, _, err = project.build("check", "--format", "github", capsys=capsys)
    assert status == 0
    assert err == f"Note: cannot write the job summary to {tmp_path / 'missing' / 'summary.md'}: no such file or directory\n"


# The workflows use it: the publishing build, and a preview of every pull request.


def ci_jobs() -> dict[str, Any]:
    return yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())["jobs"]


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


def test_every_build_in_the_workflows_marks_problems_on_their_lines() -> None:
    commands = [
        " ".join(step["run"].split())
        for path in sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
        for job in yaml.safe_load(path.read_text())["jobs"].values()
        for step in job["steps"]
        if "build.py" in step.get("run", "")
    ]
    checked = [command for command in commands if not command.startswith("python build.py --repository-url")]  # the preview
    assert len(checked) == 3  # publishing, the pull-request check, the review reminder
    assert all("--format github" in command for command in checked), checked


def test_each_pull_request_gets_a_preview_to_download_and_nothing_is_deployed() -> None:
    jobs = ci_jobs()
    name, preview = next((n, j) for n, j in jobs.items() if steps_using(j, "actions/upload-artifact"))
    assert preview["if"] == "github.event_name == 'pull_request'"
    assert preview["permissions"] == {"contents": "read"}
    assert not any(name in ([j["needs"]] if isinstance(j.get("needs"), str) else j.get("needs", [])) for j in jobs.values())
    runs = [" ".join(step["run"].split()) for step in preview["steps"] if "run" in step]
    check = next(step for step in preview["steps"] if "check --strict --format github" in step.get("run", ""))
    assert check["continue-on-error"] is True
    assert any(run.startswith("python build.py --repository-url") for run in runs)
    (upload,) = steps_using(preview, "actions/upload-artifact")
    assert upload["with"]["name"] == "site-preview-pr-${{ github.event.pull_request.number }}"
    assert upload["with"]["path"] == "site"
    summary = next(step for step in preview["steps"] if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    assert summary["env"]["ARTIFACT_URL"] == f"${{{{ steps.{upload['id']}.outputs.artifact-url }}}}"
    text = summary["run"]
    assert "[$ARTIFACT_NAME]($ARTIFACT_URL)" in text and "Unzip" in text and "**index.html**" in text
    last = preview["steps"][-1]
    assert last["if"] == f"steps.{check['id']}.outcome == 'failure'" and "exit 1" in last["run"]
