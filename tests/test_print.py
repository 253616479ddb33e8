"""Printing a page for an appointment: navigation hidden, caveat and sources kept, web addresses printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def printed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("print") / "site"
    command = [
        sys.executable,
        str(REPO / "build.py"),
        "--site",
        str(site),
        "--base-url",
        "https://example.org/car-t/",
        "--repository-url",
        "https://github.com/example/car-t",
    ]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return site


def test_printed_page_keeps_caveat_and_sources_and_hides_navigation(browser, printed_site: Path) -> None:
    page = browser.new_page()
    page.goto((printed_site / "efficacy.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".skip-link").is_hidden()
    assert page.locator("main .caveat").is_visible()
    assert page.locator(".page-sources").is_visible()
    assert page.locator(".page-review").is_visible()
    assert page.get_by_text("Printed from https://example.org/car-t/efficacy.html").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".site-nav").is_visible()
    assert page.get_by_text("Printed from").is_hidden()
    page.close()


def test_printed_links_show_their_web_address(browser, printed_site: Path) -> None:
    page = browser.new_page()
    page.goto((printed_site / "sources.html").as_uri())
    page.emulate_media(media="print")
    after = page.evaluate("""() => getComputedStyle(document.querySelector('main a[href^="https://doi.org"]'), '::after').content""")
    assert after == '" (https://doi.org/10.1182/blood.2020006770)"'
    page.close()


def test_printed_page_makes_a_pdf(browser, printed_site: Path) -> None:
    page = browser.new_page()
    page.goto((printed_site / "side-effects.html").as_uri())
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()
