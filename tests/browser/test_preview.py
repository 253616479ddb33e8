"""`build.py serve` in headless Chromium: saves show up, CSS swaps in place, failed builds show a panel and recover."""

from __future__ import annotations

import re
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect
from watchdog.events import FileModifiedEvent, FileMovedEvent, FileOpenedEvent

from sitegen.pipeline import BuildOptions, build_site
from sitegen.preview import error_panel, inject, is_source_change, watched_folders
from sitegen.problems import Problem
from tests.browser.conftest import PreviewProcess
from tests.conftest import AS_OF, SITE_SETTINGS, Project, page

CONNECTED = "html[data-preview=connected]"
PANEL = "#preview-error"
EXECUTABLE_SCRIPT = re.compile(r"<script(?![^>]*type=\"application/ld\+json\")", re.IGNORECASE)  # JSON-LD is data


def save(project: Project, relative: str, text: str) -> None:
    project.write(relative, text)


def test_a_saved_edit_shows_in_the_open_page(preview: PreviewProcess, project: Project, tab) -> None:
    tab.goto(preview.url)
    expect(tab.locator("main")).to_contain_text("Hello")
    save(project, "content/index.md", page(body="Freshly edited words [@gauthier2021]."))
    expect(tab.locator("main")).to_contain_text("Freshly edited words")


def test_two_saves_one_second_apart_both_show(preview: PreviewProcess, project: Project, tab) -> None:
    tab.goto(preview.url)
    first = time.monotonic()
    save(project, "content/index.md", page(body="The first save [@gauthier2021]."))
    expect(tab.locator("main")).to_contain_text("The first save")
    time.sleep(max(0.0, first + 1.0 - time.monotonic()))
    save(project, "content/index.md", page(body="The second save [@gauthier2021]."))
    expect(tab.locator("main")).to_contain_text("The second save")


def test_a_css_change_applies_without_reloading_the_page(preview: PreviewProcess, project: Project, tab) -> None:
    tab.goto(preview.url)
    tab.wait_for_selector(CONNECTED, state="attached")
    tab.evaluate("window.sameDocument = true")
    css = project.templates / "static" / "style.css"
    save(project, "templates/static/style.css", css.read_text() + "\nhtml body h1 { color: rgb(1, 2, 3) !important; }\n")
    expect(tab.locator("h1")).to_have_css("color", "rgb(1, 2, 3)")
    assert tab.evaluate("window.sameDocument") is True


@pytest.mark.parametrize(
    ("relative", "broken", "message"),
    [
        ("content/index.md", page(body="Unknown [@nosuch]."), r"content/index\.md:11: unknown source '@nosuch'"),
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
    save(project, relative, broken)
    expect(tab.locator(PANEL)).to_contain_text(re.compile(message))
    expect(tab.locator("main")).to_contain_text("Hello")
    response = tab.request.get(preview.url + "index.html")
    assert response.status == 200 and "Hello" in response.text()

    save(project, relative, good.replace("Hello", "Hello again"))
    expect(tab.locator(PANEL)).to_have_count(0)
    expect(tab.locator("main")).to_contain_text("Hello again" if "Hello" in good else "Hello")
    assert preview.process.poll() is None


def test_a_missing_path_gets_the_sites_404_page(preview: PreviewProcess, tab) -> None:
    real = tab.request.get(preview.url + "404.html")
    assert real.status == 200
    response = tab.goto(preview.url + "no/such/page.html")
    assert response is not None and response.status == 404
    assert response.text() == real.text()
    expect(tab.locator("h1")).to_have_text("Page not found")


def test_drafts_show_with_a_banner_in_the_preview_only(start_preview: Callable[..., PreviewProcess], project: Project, tab) -> None:
    save(project, "content/wip.md", page(title="Work in progress", order=2, draft="true"))
    preview = start_preview()
    tab.goto(preview.url + "wip.html")
    expect(tab.locator(".draft-banner")).to_contain_text("Draft")

    result = build_site(BuildOptions(project.content, project.templates, project.site, today=AS_OF))
    assert result.written
    assert not (project.site / "wip.html").exists()
    assert "Work in progress" not in (project.site / "index.html").read_text()


def test_the_reload_script_is_only_in_responses_never_in_files(preview: PreviewProcess, project: Project, tab) -> None:
    save(project, "content/index.md", page(body="Broken [@nosuch]."))
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
        save(project, relative, text)
        expect(tab.locator(where)).to_contain_text(shown)
    clean = project.root / "clean" / "site"
    build_site(BuildOptions(project.content, project.templates, clean, include_drafts=True, today=AS_OF))
    served = preview.folder / "site"
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


def test_a_port_in_use_gives_a_clear_message(start_preview: Callable[..., PreviewProcess]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        preview = start_preview("--port", str(port))
        assert preview.process.wait(20) == 1
    preview.stop()
    assert f"Cannot start the preview: port {port} on 127.0.0.1 is already in use" in preview.output
    assert "Traceback" not in preview.output
    assert list(preview.temp.iterdir()) == []


def test_the_preview_folder_is_not_site(preview: PreviewProcess, project: Project) -> None:
    assert not project.site.exists()
    assert not preview.folder.is_relative_to(project.root / "site")
    assert Path(preview.folder, "site", "index.html").is_file(), preview.output + str(list(preview.folder.rglob("*")))


# The parts of the preview that need no server or browser.


def test_the_snippet_and_panel_go_in_whatever_the_tag_case() -> None:
    assert inject("<HTML><HEAD><title>t</title></HEAD><BODY class=x><p>p</p></BODY></HTML>", "<S>", "<P>") == (
        "<HTML><HEAD><title>t</title><S></HEAD><BODY class=x><P><p>p</p></BODY></HTML>"
    )
    assert inject("<p>no head, no body</p>", "<S>", "<P>") == "<S><p>no head, no body</p><P>"


def test_the_error_panel_escapes_the_problem_text() -> None:
    panel = error_panel([Problem("content/a.md", 3, "unknown source '<b>'")])
    assert "<li><code>content/a.md:3: unknown source &#x27;&lt;b&gt;&#x27;</code></li>" in panel


def test_only_sources_are_watched_and_output_events_are_ignored(project: Project, tmp_path: Path) -> None:
    options = BuildOptions(project.content, project.templates, project.site)
    assert watched_folders(options) == sorted([project.content.resolve(), project.templates.resolve()])
    site = project.site.resolve()
    assert not is_source_change(FileModifiedEvent(str(site / "index.html")), [site])
    assert not is_source_change(FileMovedEvent(str(site / "a.html"), str(site / "b.html")), [site])
    assert not is_source_change(FileOpenedEvent(str(project.content / "index.md")), [site])
    assert is_source_change(FileModifiedEvent(str(project.content / "index.md")), [site])
    assert is_source_change(FileMovedEvent(str(project.content / ".index.md.tmp"), str(project.content / "index.md")), [site])
