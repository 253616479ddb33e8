"""The real site, built once per session into pytest's temporary folder and served on 127.0.0.1 for the browser."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO, require_tool

TOOLS = REPO / "tests" / "tools"
NODE_MODULES = TOOLS / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
# Pages the site promises; every other *.html in the build (404.html, ...) is checked as well.
PROMISED_PAGES = {"index.html", "efficacy.html", "side-effects.html", "success-factors.html", "sources.html", "about.html"}


def require_node_tool(path: Path, what: str) -> Path:
    """The path of a tool installed by `npm ci` in tests/tools; skips locally, fails in CI, when it is missing."""
    require_tool(path.exists(), f"{what} (npm ci in tests/tools)")
    return path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's real content, built with --strict (never into the repository's own site/)."""
    site = tmp_path_factory.mktemp("quality") / "site"
    completed = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--strict", "--site", str(site)], cwd=REPO, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return site


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[str]:
    """Every HTML page of the built site, as paths relative to the site folder."""
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    assert PROMISED_PAGES <= set(pages), f"the build is missing {sorted(PROMISED_PAGES - set(pages))}"
    return pages


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1, as a browser would see it once published."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def java() -> str:
    found = shutil.which("java")
    require_tool(found is not None, "Java (Debian package 'default-jre-headless')")
    return str(found)
