"""Shared helpers: small content trees built through the real command line."""

from __future__ import annotations

import datetime
import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.cli import main

REPO = Path(__file__).resolve().parent.parent
AS_OF = datetime.date(2026, 3, 1)  # the day the test sites' review dates are checked against

SITE_SETTINGS = """\
title: Test site
language: en
publisher: The test team
contact: test-team@example.org
funding: The test team pays for this test site.
conflicts_of_interest: None that the test team knows of.
caveat: Long-term survival after a second infusion is not yet known.
urgent_help:
  heading: Get help straight away
  action: Call your care team at once, day or night, if you notice any of these signs.
  signs: [a fever, confusion]
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


def page(title: str = "Home", body: str = "Hello [@gauthier2021].", order: int = 1, **extra: str) -> str:
    """Front matter and body of a valid page; extra adds or overrides front matter lines."""
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
    return f"---\n{front}\n---\n{body}\n"


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
    """Debian's headless Chromium, driven by Playwright, started once per test session."""
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
