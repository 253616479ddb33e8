"""The site reads on the narrowest phones: no page scrolls sideways at 320 px, in either colour scheme."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def narrow_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("narrow") / "site"
    subprocess.run([sys.executable, str(REPO / "build.py"), "--site", str(site)], cwd=REPO, check=True, capture_output=True)
    return site


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_scrolls_sideways_at_320_px(browser, narrow_site: Path, scheme: str) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640}, color_scheme=scheme)
    too_wide = {}
    for html_file in sorted(narrow_site.glob("*.html")):
        page.goto(html_file.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[html_file.name] = width
    page.close()
    assert too_wide == {}
