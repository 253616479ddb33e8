"""The preview's panels (a failed build's errors and warnings, a good build's warnings) pass axe-core's WCAG 2.2 AA
rules over a real page of the site, in light and dark and at phone and desktop widths."""

from __future__ import annotations

import pytest

from sitegen.preview.server import client_file, error_panel, inject, warning_panel
from sitegen.problems import error, notice, warning
from tests.conftest import Project, page
from tests.quality.conftest import AXE_JS, require_node_tool
from tests.quality.test_accessibility import WCAG_22_AA, axe_violations
from tests.support import serve_folder

PROBLEMS = [
    error("content/index.md", 11, "unknown source '@nosuch' (did you mean 'gauthier2021'?)"),
    warning("content/index.md", 13, "this is placeholder text from `build.py new` (it starts with 'REPLACE:'): write your own text"),
    notice("content/index.md", 7, "review is overdue: it was due on 1 March 2026"),
]
PANELS = {"errors": error_panel(PROBLEMS), "warnings": warning_panel(PROBLEMS[1:])}


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations_with_a_panel_over_the_page(
    browser, project: Project, capsys: pytest.CaptureFixture[str], scheme: str, width: int
) -> None:
    require_node_tool(AXE_JS, "axe-core (npm)")
    project.write("content/index.md", page(body="Hello [@gauthier2021].\n\n" + "A line of text to read. " * 80))
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    (project.site / "__preview__").mkdir()
    (project.site / "__preview__" / "client.css").write_bytes(client_file("client.css"))
    home = (project.site / "index.html").read_text(encoding="utf-8")
    for name, panel in PANELS.items():
        html = inject(home, '<link rel="stylesheet" href="__preview__/client.css">\n', panel)
        (project.site / f"panel-{name}.html").write_text(html, encoding="utf-8")
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": width, "height": 800})
    failures: list[str] = []
    try:
        tab = context.new_page()
        with serve_folder(project.site) as url:
            for name in PANELS:
                response = tab.goto(f"{url}panel-{name}.html")
                assert response is not None and response.ok
                assert tab.locator("#preview-error, #preview-warnings").is_visible()
                failures += [f"{name}: {line}" for line in axe_violations(tab, WCAG_22_AA)]
    finally:
        context.close()
    assert failures == []
