"""`build.py serve` in headless Chromium: saves show up, CSS swaps in place, failed builds show a panel and recover.

The preview's parts are tested without a browser or a socket in tests/preview/test_preview.py; these tests are the path
from a save to the screen, end to end.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from sitegen.pipeline import BuildOptions, build_site
from tests.conftest import AS_OF, SITE_SETTINGS, Project, page
from tests.support import PreviewProcess

CONNECTED = "html[data-preview=connected]"
PANEL = "#preview-error"
WARNINGS = "#preview-warnings"
EXECUTABLE_SCRIPT = re.compile(r"<script(?![^>]*type=\"application/ld\+json\")", re.IGNORECASE)  # JSON-LD is data


def test_a_saved_edit_shows_in_the_open_page(preview: PreviewProcess, project: Project, tab) -> None:
    tab.goto(preview.url)
    expect(tab.locator("main")).to_contain_text("Hello")
    project.write("content/index.md", page(body="Freshly edited words [@gauthier2021]."))
    expect(tab.locator("main")).to_contain_text("Freshly edited words")


def test_two_saves_one_second_apart_both_show(preview: PreviewProcess, project: Project, tab) -> None:
    tab.goto(preview.url)
    first = time.monotonic()
    project.write("content/index.md", page(body="The first save [@gauthier2021]."))
    expect(tab.locator("main")).to_contain_text("The first save")
    time.sleep(max(0.0, first + 1.0 - time.monotonic()))
    project.write("content/index.md", page(body="The second save [@gauthier2021]."))
    expect(tab.locator("main")).to_contain_text("The second save")


def test_a_css_change_applies_to_the_open_page(preview: PreviewProcess, project: Project, tab) -> None:
    """Every page carries the stylesheet inline, so a change to it changes every page, and the open page reloads."""
    tab.goto(preview.url)
    tab.wait_for_selector(CONNECTED, state="attached")
    css = project.templates / "style.css"
    project.write("templates/style.css", css.read_text() + "\nhtml body h1 { color: rgb(1, 2, 3) !important; }\n")
    expect(tab.locator("h1")).to_have_css("color", "rgb(1, 2, 3)")


@pytest.mark.parametrize(
    ("relative", "broken", "message"),
    [
        ("content/index.md", page(body="Unknown [@nosuch]."), r"content/index\.md:18: unknown source '@nosuch'"),
        ("content/_site.yml", "title: [unclosed\n", r"content/_site\.yml:\d+: invalid YAML: "),
        ("templates/page.html", "{% if %}\n", r"templates/page\.html:1: template syntax error: "),
    ],
    ids=["unknown-citation", "bad-yaml", "template-error"],
)
def test_a_failed_build_shows_a_panel_until_the_file_is_fixed(
    preview: PreviewProcess, project: Project, tab, relative: str, broken: str, message: str
) -> None:
    tab.goto(preview.url)
    good = (project.root / relative).read_text()
    project.write(relative, broken)
    expect(tab.locator(PANEL)).to_contain_text(re.compile(message))
    expect(tab.locator("main")).to_contain_text("Hello")
    response = tab.request.get(preview.url + "index.html")
    assert response.status == 200 and "Hello" in response.text()

    project.write(relative, good.replace("Hello", "Hello again"))
    expect(tab.locator(PANEL)).to_have_count(0)
    expect(tab.locator("main")).to_contain_text("Hello again" if "Hello" in good else "Hello")
    assert preview.process.poll() is None


def test_warnings_show_in_a_panel_that_folds_away(preview: PreviewProcess, project: Project, tab) -> None:
    tab.goto(preview.url)
    expect(tab.locator(WARNINGS)).to_have_count(0)
    project.write("content/index.md", page(body="Hello [@gauthier2021].\n\nREPLACE: a second paragraph."))
    expect(tab.locator(WARNINGS)).to_contain_text("The preview is up to date, with 1 warning.")
    item = tab.locator(f"{WARNINGS} li")
    expect(item).to_contain_text("content/index.md:20: warning: this is placeholder text from `build.py new`")
    expect(tab.locator(PANEL)).to_have_count(0)
    tab.locator(f"{WARNINGS} summary").focus()
    tab.keyboard.press("Enter")
    expect(item).to_be_hidden()
    project.write("content/index.md", page(body="Hello again [@gauthier2021]."))
    expect(tab.locator(WARNINGS)).to_have_count(0)
    expect(tab.locator("main")).to_contain_text("Hello again")


def test_a_missing_path_gets_the_sites_404_page(preview: PreviewProcess, tab) -> None:
    real = tab.request.get(preview.url + "404.html")
    assert real.status == 200
    response = tab.goto(preview.url + "no/such/page.html")
    assert response is not None and response.status == 404
    assert response.text() == real.text()
    expect(tab.locator("h1")).to_have_text("Page not found")


def test_drafts_show_with_a_banner_in_the_preview_only(start_preview: Callable[..., PreviewProcess], project: Project, tab) -> None:
    project.write("content/wip.md", page(title="Work in progress", order=2, draft="true"))
    preview = start_preview()
    tab.goto(preview.url + "wip.html")
    expect(tab.locator(".draft-banner")).to_contain_text("Draft")

    result = build_site(BuildOptions(project.content, project.templates, project.site, today=AS_OF))
    assert result.written
    assert not (project.site / "wip.html").exists()
    assert "Work in progress" not in (project.site / "index.html").read_text()


def test_the_reload_script_is_only_in_responses_never_in_files(preview: PreviewProcess, project: Project, tab) -> None:
    project.write("content/index.md", page(body="Broken [@nosuch]."))
    tab.goto(preview.url)
    expect(tab.locator(PANEL)).to_be_visible()
    served = tab.request.get(preview.url + "index.html").text()
    assert "/__preview__/client.js" in served and 'id="preview-error"' in served
    for built in (preview.folder / "site").rglob("*.html"):
        text = built.read_text()
        assert not EXECUTABLE_SCRIPT.search(text), built.name
        assert "livereload" not in text and "__preview__" not in text and "preview-error" not in text, built.name


def test_incremental_preview_output_equals_a_clean_build(preview: PreviewProcess, project: Project, tab) -> None:
    tab.goto(preview.url + "about.html")
    edits = [
        ("content/about.md", page(title="About", order=3, body="All about us [@gauthier2021]."), "main", "All about us"),
        ("content/index.md", page(title="Start", body="Renamed home [@gauthier2021]."), "nav", "Start"),
        ("content/about.md", page(title="About us", order=3, body="Still about us [@gauthier2021]."), "nav", "About us"),
        ("content/_site.yml", SITE_SETTINGS.replace("Test site", "Renamed site"), "header", "Renamed site"),
    ]
    for relative, text, where, shown in edits:
        project.write(relative, text)
        expect(tab.locator(where)).to_contain_text(shown)
    clean = project.root / "clean" / "site"
    build_site(BuildOptions(project.content, project.templates, clean, include_drafts=True, today=AS_OF))
    served = preview.served_site
    files = sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(served).as_posix() for p in served.rglob("*") if p.is_file())
    for name in files:
        assert (served / name).read_bytes() == (clean / name).read_bytes(), name


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_stopping_leaves_no_process_and_no_folder(preview: PreviewProcess, signum: int, tab) -> None:
    tab.goto(preview.url)
    tab.wait_for_selector(CONNECTED, state="attached")
    folder = preview.folder
    assert folder.is_dir()
    assert preview.stop(signum) == 0
    assert "Preview stopped." in preview.output
    assert "Traceback" not in preview.output
    assert not folder.exists()
    assert list(preview.temp.iterdir()) == []


def test_the_preview_folder_is_not_site(preview: PreviewProcess, project: Project) -> None:
    assert not project.site.exists()
    assert not preview.folder.is_relative_to(project.root / "site")
    assert (preview.served_site / "index.html").is_file(), preview.output
