"""The site reads on the narrowest phones: no page scrolls sideways at 320 px, in either colour scheme."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_scrolls_sideways_at_320_px(browser, built_site: Path, scheme: str) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640}, color_scheme=scheme)
    too_wide = {}
    for html_file in sorted(built_site.rglob("*.html")):  # the Spanish pages in es/ too
        page.goto(html_file.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[html_file.relative_to(built_site).as_posix()] = width
    page.close()
    assert too_wide == {}
