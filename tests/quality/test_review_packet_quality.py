"""The review packet of the real content passes the site's gates: vnu, axe-core (WCAG 2.2 AA), no third-party
requests, and it prints on A4 and Letter without anything cut off."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.quality.conftest import AXE_JS, VNU_JAR, require_node_tool
from tests.quality.test_accessibility import WCAG_22_AA, axe_violations
from tests.support import latest_review, serve_folder

# Printable width in CSS pixels (96 per inch) of each paper size, less the packet's 15 mm margins.
PAPER = {"A4": (210 - 30) / 25.4 * 96, "Letter": 8.5 * 96 - 30 / 25.4 * 96}


@pytest.fixture(scope="session")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review packet of every page of the real content (never written into the repository)."""
    out = tmp_path_factory.mktemp("packet") / "packet"
    completed = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "review-packet", "--out", str(out), "--strict", "--as-of", latest_review().isoformat()],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return out


@pytest.fixture(scope="session")
def packet_pages(packet: Path) -> list[str]:
    pages = sorted(p.relative_to(packet).as_posix() for p in packet.rglob("*.html"))
    assert {"index.html", "pages/efficacy.html", "pages/glossary.html", "pages/sources.html"} <= set(pages)
    return pages


@pytest.fixture(scope="session")
def packet_url(packet: Path) -> Iterator[str]:
    with serve_folder(packet) as url:
        yield url.rstrip("/")


def test_nu_html_checker_finds_no_errors_in_the_packet(packet: Path, packet_pages: list[str], java: str) -> None:
    vnu = require_node_tool(VNU_JAR, "Nu Html Checker (npm vnu-jar)")
    completed = subprocess.run(
        [
            java,
            "-XX:-UsePerfData",
            "-jar",
            str(vnu),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            *(str(packet / p) for p in packet_pages),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(completed.stdout)["messages"]
    assert not messages, "\n".join(f"{m.get('url')}:{m.get('lastLine', '?')}: {m['message']}" for m in messages)
    assert completed.returncode == 0


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations_in_the_packet(browser, packet_url: str, packet_pages: list[str], scheme: str, width: int) -> None:
    require_node_tool(AXE_JS, "axe-core (npm)")
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": width, "height": 800})
    failures: list[str] = []
    elsewhere: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(packet_url) else None)
        for name in packet_pages:
            response = page.goto(f"{packet_url}/{name}")
            assert response is not None and response.ok, name
            failures += [f"{name}: {line}" for line in axe_violations(page, WCAG_22_AA)]
            if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                failures.append(f"{name}: the page scrolls sideways at {width} px")
    finally:
        context.close()
    assert not failures, f"{scheme} scheme, {width} px:\n" + "\n".join(failures)
    assert not elsewhere, f"requests to other origins: {elsewhere}"


OVERFLOW = """width => [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName.toLowerCase() + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 60))"""


@pytest.mark.parametrize("paper", sorted(PAPER))
def test_packet_prints_on_a4_and_letter_without_anything_cut_off(browser, packet_url: str, paper: str) -> None:
    width = int(PAPER[paper])
    page = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        page.goto(f"{packet_url}/pages/efficacy.html")
        page.emulate_media(media="print")
        assert page.locator(".skip-link").is_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(OVERFLOW, width) == []
        # Black and white: in print every highlighted sentence is marked by an underline, not only by a colour.
        assert page.evaluate("getComputedStyle(document.querySelector('mark')).textDecorationLine") == "underline"
        assert page.evaluate("getComputedStyle(document.querySelector('mark')).backgroundColor") in (
            "rgba(0, 0, 0, 0)",
            "rgb(255, 255, 255)",
        )
        pdf = page.pdf(format=paper)
    finally:
        page.close()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 2
