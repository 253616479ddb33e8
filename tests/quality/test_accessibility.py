"""axe-core in Debian's Chromium finds no WCAG 2.2 AA violation on any page, light and dark, at 375 and 1280 px."""

from __future__ import annotations

import pytest

from tests.quality.conftest import AXE_JS, require_node_tool

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
# A page axe must fail: proves that axe is injected and run with these tags in this browser.
BAD_PAGE = """<!doctype html><html lang="en"><head><title>Bad</title></head><body><main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#999;background:#aaa">Grey on grey</p></main></body></html>"""


def axe_violations(page, tags: list[str]) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(AXE_RUN, tags)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations(browser, site_url: str, site_pages: list[str], scheme: str, width: int) -> None:
    require_node_tool(AXE_JS, "axe-core (npm)")
    # bypass_csp lets axe's script into pages whose Content-Security-Policy forbids it; the pages are otherwise unchanged.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": width, "height": 800})
    failures: list[str] = []
    try:
        page = context.new_page()
        for name in site_pages:
            response = page.goto(f"{site_url}/{name}")
            assert response is not None and response.ok, name
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (scheme == "dark")
            assert page.evaluate("document.documentElement.clientWidth") == width
            failures += [f"{name}: {line}" for line in axe_violations(page, WCAG_22_AA)]
            # Reflow (WCAG 1.4.10), which axe does not test: nothing makes the page scroll sideways.
            if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                failures.append(f"{name}: the page scrolls sideways at {width} px")
    finally:
        context.close()
    assert not failures, f"{scheme} scheme, {width} px:\n" + "\n".join(failures)


def test_axe_reports_a_missing_alt_text_and_low_contrast(browser) -> None:
    require_node_tool(AXE_JS, "axe-core (npm)")
    page = browser.new_page()
    try:
        page.set_content(BAD_PAGE)
        found = {line.split(" ", 1)[0] for line in axe_violations(page, WCAG_22_AA)}
    finally:
        page.close()
    assert {"image-alt", "color-contrast"} <= found
