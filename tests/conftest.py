"""Shared fixtures: small content trees built through the real command line, the real content built once per set
of flags, the built site served on 127.0.0.1, and Chromium.

The tests mirror the package (the tests of sitegen/load/pages.py are in tests/load/test_pages.py), and come in four
layers, marked here so that no test is left unmarked (see layer_of):
- unit (every test not marked otherwise): no browser, no Java, no node; `python3 -m pytest -m unit`;
- slow (a module with `pytestmark = pytest.mark.slow`): like unit, but it takes a minute: hostile input, the fuzz
  test, the few-hundred-page builds, Python-Markdown's own suite;
- browser (tests/browser/): Chromium, through Playwright;
- quality (tests/quality/): the Nu Html Checker (Java), axe-core and Lighthouse (node), in Chromium.

No test depends on today's date: the test sites are built as of AS_OF, and the real content as of the day it was
last reviewed (REAL_AS_OF). One test alone builds the real content as of today, to report an overdue review.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import shutil
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import pytest

import sitegen.commands.cli
import sitegen.pipeline
from sitegen.commands.cli import main
from tests.support import REAL_CONTENT, REPO, latest_review, serve_folder

AS_OF = datetime.date(2026, 3, 1)  # the day the test sites' review dates are checked against
REAL_AS_OF = latest_review()  # the real content is built as of its latest 'last_reviewed', never as of today

SITE_SETTINGS = """\
title: Test site
language: en
publisher: The test team
contact: test-team@example.org
funding: The test team pays for this test site.
conflicts_of_interest: None that the test team knows of.
caveat: Long-term survival after a second infusion is not yet known.
emergency_number: "112"
urgent_help:
  heading: Get help straight away
  action: Call your care team at once, day or night, if you notice any of these signs.
  signs: [a fever, confusion]
  emergency: "If you cannot reach your care team straight away, get emergency help: call {emergency_number}."
  sources: [gauthier2021]
  shown_on_pages_that_mention: [side effect, side effects, CRS]
"""

SOURCES_PAGE = """\
---
title: Sources
description: Where the facts come from.
nav_title: Sources
nav_order: 9
published: 2026-01-01
last_reviewed: 2026-01-02
next_review: 2026-07-01
reviewed_by: []
sources:
  - id: gauthier2021
    authors: Gauthier J, et al.
    title: Factors associated with outcomes after a second CD19-targeted CAR T-cell infusion
    container: Blood
    year: 2021
    volume: 137
    issue: 3
    pages: 323-335
    doi: 10.1182/blood.2020006770
    pmid: '32967009'
---
The list of sources [@gauthier2021].
"""


def sources_page(**figures: str) -> str:
    """SOURCES_PAGE with gauthier2021 recording these figures: sources_page(**{"Overall response": "39%"})."""
    listed = "".join(f"      - name: {name}\n        value: {value}\n" for name, value in figures.items())
    return SOURCES_PAGE.replace(
        "    pmid: '32967009'\n", f"    pmid: '32967009'\n    figures:\n{listed}" if listed else "    pmid: '32967009'\n"
    )


# A page's key points, and a heading that ends them: 7 lines, so that the body given to page() starts on line 18.
KEY_POINTS = "## Key points\n\n- The first point.\n- The second point.\n\n## The page\n\n"


def page(title: str = "Home", body: str = "Hello [@gauthier2021].", order: int = 1, key_points: bool = True, **extra: str) -> str:
    """Front matter and body of a valid page, its key points first unless key_points is False; extra adds or overrides
    front matter lines."""
    fields = {
        "title": title,
        "description": f"About {title}.",
        "nav_title": title,
        "nav_order": str(order),
        "published": "2026-01-01",
        "last_reviewed": "2026-01-02",
        "next_review": "2026-07-01",
        "reviewed_by": "[]",
    }
    fields.update(extra)
    front = "\n".join(f"{key}: {value}" for key, value in fields.items())
    return f"---\n{front}\n---\n{KEY_POINTS if key_points else ''}{body}\n"


@dataclass
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def build(self, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
        """Run build.py's main() on this project; returns (status, stdout, stderr)."""
        defaults = {
            "--as-of": AS_OF.isoformat(),
            "--content": str(self.content),
            "--templates": str(self.templates),
            "--site": str(self.site),
        }
        extra = [part for option, value in defaults.items() if option not in args for part in (option, value)]
        status = main([*args, *extra])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    def snapshot(self) -> dict[str, bytes]:
        """Every file under site/, by relative path."""
        return {p.relative_to(self.site).as_posix(): p.read_bytes() for p in sorted(self.site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def user_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Builds in the tests (and the build.py they start) keep their cache in a folder of this run, never in the
    user's own cache folder."""
    folder = tmp_path_factory.mktemp("user-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        patch.setenv("LOCALAPPDATA", str(folder))
        yield folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A minimal valid site (home and sources) using the repository's own templates, outside any git work tree."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # pytest's folder may lie inside this repository
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    proj = Project(tmp_path)
    proj.write("content/_site.yml", SITE_SETTINGS)
    proj.write("content/index.md", page())
    proj.write("content/sources.md", SOURCES_PAGE)
    return proj


CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # CI on GitHub points this at its preinstalled Chrome
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_tool(available: bool, what: str) -> None:
    """Skip a test when a tool is missing on a developer's machine; in CI (CI=true) fail instead."""
    if available:
        return
    message = f"{what} is not installed; run .ci/install-tools"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201
    """Headless Chromium (CHROMIUM, by default Debian's), driven by Playwright, started once per test session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_tool(sync_playwright is not None, "Playwright (pip)")
    require_tool(CHROMIUM.exists(), "Chromium (Debian package 'chromium')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


# --- layers: what a test needs, by its marker ----------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent
# Python-Markdown's own test suite, downloaded by .ci/install-tools: inputs for tests/markup/test_markdown_suite.py
collect_ignore = ["tools/markdown-suite"]
LAYER_FOLDERS = {"browser": "browser", "quality": "quality"}  # whole-site tests: tests/<folder>/ -> their marker
LAYERS = ("unit", "slow", "browser", "quality")


def layer_of(item: pytest.Item) -> str:
    """A test's layer: browser and quality for the whole-site tests in their folders; slow for a module that says
    `pytestmark = pytest.mark.slow` (it lives beside the tests of the module it tests); unit for every other."""
    relative = Path(item.path).resolve().relative_to(TESTS)
    if len(relative.parts) > 1 and relative.parts[0] in LAYER_FOLDERS:
        return LAYER_FOLDERS[relative.parts[0]]
    return "slow" if item.get_closest_marker("slow") else "unit"


def runs_last(test: Callable[..., None]) -> Callable[..., None]:
    """Run this test after every other one (it checks something about the whole run)."""
    test.runs_last = True  # type: ignore[attr-defined]
    return test


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with its layer and refuse a unit or slow test that starts a browser.

    Unit tests run first, then slow, browser and quality tests (fast failures first; and Playwright's session-long
    browser keeps an event loop running, in which a unit test could not start one of its own), and runs_last tests
    at the very end.
    """
    misplaced = []
    layers = {}
    for item in items:
        layer = layers[item.nodeid] = layer_of(item)
        if not item.get_closest_marker(layer):
            item.add_marker(getattr(pytest.mark, layer))
        if layer in ("unit", "slow") and "browser" in getattr(item, "fixturenames", ()):
            misplaced.append(item.nodeid)
    if misplaced:
        raise pytest.UsageError("these tests use the browser, so they belong in tests/browser/: " + ", ".join(misplaced))
    order = {layer: index for index, layer in enumerate(LAYERS)}
    items[:] = sorted(items, key=lambda item: (getattr(getattr(item, "obj", None), "runs_last", False), order[layers[item.nodeid]]))


# --- the real content: built once per set of flags per run, and counted ------------------------------------------

BASE_URL = "https://owner.github.io/car-t-second-infusion/"
REPOSITORY_URL = "https://github.com/owner/car-t-second-infusion"
STRICT = ("--strict", "--repository-url", REPOSITORY_URL)  # with the "Report a problem" link, which the quality gates check too
PUBLISHED = ("--strict", "--base-url", BASE_URL, "--repository-url", REPOSITORY_URL)  # as the Pages workflow builds it
# Pages the site promises; every other *.html in the build (404.html, ...) is checked as well.
PROMISED_PAGES = {"index.html", "efficacy.html", "side-effects.html", "success-factors.html", "sources.html", "about.html"}
PROMISED_PAGES |= {"es/index.html", "es/fuentes.html", "es/404.html"}  # the Spanish edition


class BuildCounter:
    """Counts the builds of one content folder, by their options (the output folder left out)."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = content_dir.resolve()
        self.counts: Counter[str] = Counter()

    def wrap(self, build_site: Callable[..., object]) -> Callable[..., object]:
        def counted(options: sitegen.pipeline.BuildOptions, *args: object, **kwargs: object) -> object:
            if Path(options.content_dir).resolve() == self.content_dir:
                shown = {f.name: getattr(options, f.name) for f in fields(options) if f.name != "site_dir"}
                self.counts[repr(shown)] += 1
            return build_site(options, *args, **kwargs)

        return counted

    def repeated(self) -> dict[str, int]:
        return {options: count for options, count in self.counts.items() if count > 1}


@pytest.fixture(scope="session", autouse=True)
def real_content_builds() -> Iterator[BuildCounter]:
    """Every build of the repository's content/ in this run (through cli.main or build_site), counted."""
    counter = BuildCounter(REAL_CONTENT)
    with pytest.MonkeyPatch.context() as patch:
        for module in (sitegen.commands.cli, sitegen.pipeline):
            patch.setattr(module, "build_site", counter.wrap(module.build_site))
        yield counter


@dataclass(frozen=True)
class RealBuild:
    args: tuple[str, ...]
    status: int
    out: str
    err: str
    site: Path | None  # None for `check`


class RealContent:
    """Builds of the repository's own content/ through build.py's main(), as of REAL_AS_OF unless --as-of is given.

    Each set of flags is built once per run, into pytest's temporary folder (never into the repository's site/).
    """

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.tmp_path_factory = tmp_path_factory
        self.builds: dict[tuple[str, ...], RealBuild] = {}

    def build(self, *flags: str) -> RealBuild:
        if flags not in self.builds:
            self.builds[flags] = self._build(flags)
        return self.builds[flags]

    def _build(self, flags: tuple[str, ...]) -> RealBuild:
        args = [*flags] + ([] if "--as-of" in flags else ["--as-of", REAL_AS_OF.isoformat()])
        site = None if "check" in flags else self.tmp_path_factory.mktemp("real") / "site"
        args += ["--site", str(site)] if site else []
        out, err = io.StringIO(), io.StringIO()
        with contextlib.chdir(REPO), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(args, project_root=REPO)
        return RealBuild(tuple(args), status, out.getvalue(), err.getvalue(), site)


@pytest.fixture(scope="session")
def real_content(tmp_path_factory: pytest.TempPathFactory) -> RealContent:
    return RealContent(tmp_path_factory)


def successful(build: RealBuild) -> Path:
    assert build.status == 0, f"build.py {' '.join(build.args)} failed:\n{build.out}{build.err}"
    assert build.site is not None
    return build.site


@pytest.fixture(scope="session")
def built_site(real_content: RealContent) -> Path:
    """The real content built with --strict, as of its last review."""
    return successful(real_content.build(*STRICT))


@pytest.fixture(scope="session")
def published_site(real_content: RealContent) -> Path:
    """The real content built as the Pages workflow builds it: --strict, with a base URL and a repository URL."""
    return successful(real_content.build(*PUBLISHED))


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[str]:
    """Every HTML page of the built site, as paths relative to the site folder."""
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    assert PROMISED_PAGES <= set(pages), f"the build is missing {sorted(PROMISED_PAGES - set(pages))}"
    return pages


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1, as a browser would see it once published (no '/' at the end)."""
    with serve_folder(built_site) as url:
        yield url.rstrip("/")
