"""Printing a page for an appointment: navigation hidden, caveat and sources kept, web addresses printed."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BASE_URL

A4_WIDTH_PX = 794  # 210 mm at 96 px per inch, the width Chromium lays out an A4 page at


def test_printed_page_keeps_caveat_and_sources_and_hides_navigation(browser, published_site: Path) -> None:
    page = browser.new_page()
    page.goto((published_site / "efficacy.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator("summary").is_hidden()  # no "Menu" on paper, at any width
    assert page.locator(".site-title").is_visible() and page.locator(".tagline").is_hidden()
    assert page.locator(".skip-link").is_hidden()
    assert page.locator("main .caveat").is_visible()
    assert page.locator(".page-sources").is_visible()
    assert page.locator(".page-review").is_visible()
    assert page.get_by_text(f"Printed from {BASE_URL}efficacy.html").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".site-nav").is_visible()
    assert page.get_by_text("Printed from").is_hidden()
    page.close()


def test_a_page_printed_from_a_phone_has_no_menu_either(browser, published_site: Path) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 667})
    page.goto((published_site / "side-effects.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden() and page.locator("summary").is_hidden()
    assert page.locator("main .key-points").is_visible() and page.locator("main .urgent-help").is_visible()
    page.close()


def test_printed_links_show_their_web_address(browser, published_site: Path) -> None:
    page = browser.new_page()
    page.goto((published_site / "sources.html").as_uri())
    page.emulate_media(media="print")
    after = page.evaluate("""() => getComputedStyle(document.querySelector('main a[href^="https://doi.org"]'), '::after').content""")
    assert after == '" (https://doi.org/10.1182/blood.2020006770)"'
    page.close()


def test_no_printed_page_is_wider_than_a4_paper(browser, published_site: Path) -> None:
    """The printed web addresses are long; they must wrap, or the end of a line is cut off on paper."""
    page = browser.new_page(viewport={"width": A4_WIDTH_PX, "height": 1123})
    page.emulate_media(media="print")
    too_wide = {}
    for html_file in sorted(published_site.rglob("*.html")):  # the Spanish pages in es/ too
        page.goto(html_file.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > A4_WIDTH_PX:
            too_wide[html_file.relative_to(published_site).as_posix()] = width
    page.close()
    assert too_wide == {}
