"""Helpers shared by the tests and the scripts in tests/tools: one local HTTP server, one HTML reader, the real
content's review dates, and the preview run as the editor runs it.

Nothing here imports sitegen: the crawler and the servers check the built site independently of the build's own
link check.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

# --- one local HTTP server ----------------------------------------------------------------------------------------


class _FolderHandler(SimpleHTTPRequestHandler):
    """A folder's files under a path prefix; a missing file gets not_found_page (like GitHub Pages' 404.html) when set."""

    prefix = "/"
    not_found_page: str | None = None

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\x00outside")  # nothing is served outside the prefix
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / self.not_found_page if self.not_found_page else None
        if code != 404 or page is None or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the standard library's name)
        pass


@contextmanager
def serve_folder(folder: Path, prefix: str = "/", not_found_page: str | None = None) -> Iterator[str]:
    """Serve folder on 127.0.0.1 on a free port, under prefix (a GitHub project site is served under /<repo>/).

    Yields the base URL, ending in '/'. With not_found_page (such as "404.html"), a missing path at any depth gets
    that page with status 404, as on GitHub Pages.
    """
    handler = type("Handler", (_FolderHandler,), {"prefix": prefix, "not_found_page": not_found_page})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


# --- one HTML reader --------------------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "srcset", "poster", "data", "action", "formaction", "cite", "background", "xlink:href"}
SKIPPED_TEXT = {"script", "style", "template"}


@dataclass(frozen=True)
class HtmlRef:
    tag: str
    attribute: str
    url: str
    line: int


@dataclass
class HtmlPage:
    ids: set[str] = field(default_factory=set)
    refs: list[HtmlRef] = field(default_factory=list)
    tags: list[tuple[str, dict[str, str], int]] = field(default_factory=list)  # (name, attributes, line)
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All the text, outside scripts and styles, with tags left out and white space made single spaces."""
        return " ".join(" ".join(self.texts).split())


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = HtmlPage()
        self.skipping = 0

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attr_list}
        line = self.getpos()[0]
        self.page.tags.append((tag, attrs, line))
        if "id" in attrs:
            self.page.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.page.ids.add(attrs["name"])
        for attribute, value in attrs.items():
            if attribute in URL_ATTRIBUTES and value.strip():
                urls = [c.split()[0] for c in value.split(",") if c.strip()] if attribute == "srcset" else [value.strip()]
                self.page.refs += [HtmlRef(tag, attribute, url, line) for url in urls]
        if tag in SKIPPED_TEXT:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TEXT and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.page.texts.append(data)


def read_html(text: str) -> HtmlPage:
    """Ids, URLs (with their lines) and text of an HTML document or fragment, read with the standard library's parser."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.page


def text_of(html: str) -> str:
    return read_html(html).text


# --- the scripts in tests/tools -----------------------------------------------------------------------------------

TOOLS = REPO / "tests" / "tools"


def run_page_weight(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """tests/tools/page_weight.py on a built site."""
    command = [sys.executable, str(TOOLS / "page_weight.py"), "--site", str(site), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


# --- the real content's review dates ------------------------------------------------------------------------------

REAL_CONTENT = REPO / "content"


@dataclass(frozen=True)
class PageDates:
    shown: str  # content/index.md, as the build names it when run from the repository
    last_reviewed: datetime.date
    next_review: datetime.date
    next_review_line: int


def front_matter(path: Path) -> tuple[dict, list[str]]:
    """A page's front matter as data, and its lines (the first is the opening '---')."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = lines.index("---", 1)
    return yaml.safe_load("\n".join(lines[1:end])) or {}, lines[:end]


def review_dates(content: Path = REAL_CONTENT) -> list[PageDates]:
    """The review dates of every page the build publishes (drafts and _data files left out)."""
    found = []
    for path in sorted(content.rglob("*.md")):
        relative = path.relative_to(content)
        if any(part.startswith(("_", ".")) for part in relative.parts):
            continue
        data, lines = front_matter(path)
        if data.get("draft"):
            continue
        line = next(i for i, text in enumerate(lines, 1) if text.startswith("next_review:"))
        shown = path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)
        found.append(PageDates(shown, data["last_reviewed"], data["next_review"], line))
    assert found, f"no pages in {content}"
    return found


def latest_review(content: Path = REAL_CONTENT) -> datetime.date:
    """The day the content was last reviewed: the real content is built as of this day, so no test depends on today's date."""
    return max(page.last_reviewed for page in review_dates(content))


def review_grace_days(content: Path = REAL_CONTENT) -> int:
    settings = yaml.safe_load((content / "_site.yml").read_text(encoding="utf-8")) or {}
    return int(settings.get("review_grace_days", 30))


# --- the preview, as the editor runs it -------------------------------------------------------------------------

SERVING = re.compile(r"Serving the preview at (http://\S+) ")
FOLDER = re.compile(r"Preview files are in (\S+) ")
BUILT = re.compile(r"^(Built the preview in|Build failed)")


class PreviewProcess:
    """`python build.py serve --port 0` (or another script taking the same arguments) in its own process.

    Its output is collected line by line. TMPDIR is a folder of the test's own, so that what the preview leaves
    behind can be seen.
    """

    def __init__(self, root: Path, *args: str, script: Path = REPO / "build.py") -> None:
        self.temp = root / "tmp"
        self.temp.mkdir(exist_ok=True)
        command = [sys.executable, str(script), "serve", "--port", "0", *args]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(self.temp), "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 20) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if match := pattern.search(line):
                    return match
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.02)
        raise AssertionError(f"no line matching {pattern.pattern!r} in the preview's output:\n{self.output}")

    @property
    def url(self) -> str:
        return self.wait_for(SERVING).group(1)

    @property
    def folder(self) -> Path:
        return Path(self.wait_for(FOLDER).group(1))

    @property
    def served_site(self) -> Path:
        """The folder of the build being served: the newest site-N in the preview's folder."""
        self.wait_for(BUILT)
        builds = [p for p in self.folder.glob("site-*") if p.name.removeprefix("site-").isdigit()]
        assert builds, f"no build in {self.folder}:\n{self.output}"
        return max(builds, key=lambda p: int(p.name.removeprefix("site-")))

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10) -> int:
        """Stop the server as a terminal or a process manager would; kill it if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"the preview did not stop within {timeout} s:\n{self.output}") from None
        finally:
            self._reader.join(timeout=5)
