"""The preview without a browser: builds and swaps, the rebuild logic, file events, what a request gets, and faults.

The rebuild logic is driven directly (PreviewBuild, Rebuilder, Watcher, respond), with no socket and no browser.
A few tests start `build.py serve` in its own process and talk HTTP to it, for what only a real process shows:
the Host check and redirects on the wire, and stopping with a signal in the middle of a long build. The path from
a save to the screen is tested in a browser in tests/browser/test_preview.py.
"""

from __future__ import annotations

import ast
import asyncio
import http.client
import json
import os
import queue
import random
import re
import shutil
import signal
import socket
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.websocket import websocket_connect
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
    FileSystemEvent,
)

import sitegen.pipeline
from sitegen.commands.cli import main
from sitegen.pipeline import BuildOptions, build_site
from sitegen.preview.build import PreviewBuild, Published
from sitegen.preview.lifecycle import Message, build_messages, exposure_warning, serve
from sitegen.preview.server import AllowedHosts, client_file, error_panel, inject, make_app, respond
from sitegen.preview.watch import Rebuilder, Watcher, _Handler, is_source_change, watched_folders
from sitegen.problems import Problem, error, notice, warning
from sitegen.write.output import MARKER
from tests.conftest import AS_OF, REPO, SITE_SETTINGS, SOURCES_PAGE, Project, page
from tests.support import BUILT, SERVING, PreviewProcess

# --- helpers ------------------------------------------------------------------------------------------------------


def options_of(project: Project) -> BuildOptions:
    return BuildOptions(project.content, project.templates, project.site, today=AS_OF)


@pytest.fixture
def preview(project: Project, tmp_path: Path) -> PreviewBuild:
    folder = tmp_path / "preview"
    folder.mkdir()
    return PreviewBuild(options_of(project), folder)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> PreviewBuild:
    """A preview of a small site with a section (guides/), built and published once for the tests that only request."""
    root = tmp_path_factory.mktemp("served")
    project = Project(root)
    shutil.copytree(REPO / "templates", project.templates)
    project.write("content/_site.yml", SITE_SETTINGS)
    project.write("content/index.md", page())
    project.write("content/sources.md", SOURCES_PAGE)
    project.write("content/guides/index.md", page(title="Guides", order=2))
    (root / "preview").mkdir()
    preview = PreviewBuild(options_of(project), root / "preview")
    assert not build_and_publish(preview).outcome.failed
    return preview


def build_and_publish(preview: PreviewBuild) -> Published:
    return preview.publish(preview.build())


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(project: Project, folder: Path) -> dict[str, bytes]:
    """A clean build of the project as the preview builds it (drafts included), file by file."""
    result = build_site(BuildOptions(project.content, project.templates, folder / "site", include_drafts=True, today=AS_OF))
    assert result.written, [str(p) for p in result.problems]
    return files_of(folder / "site")


def served_text(preview: PreviewBuild, path: str) -> str:
    response = respond(preview, path)
    assert response.status == 200, response
    return response.body.decode("utf-8")


async def until(condition: Callable[[], object], timeout: float = 10) -> None:
    """Wait on the event loop until condition() is true."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def run(scenario: Callable[[asyncio.AbstractEventLoop], object]) -> object:
    async def main() -> object:
        return await scenario(asyncio.get_running_loop())  # type: ignore[misc]

    return asyncio.run(main())


# --- building and swapping ------------------------------------------------------------------------------------------


def test_a_build_is_served_once_it_is_published_and_its_digests_name_every_file(preview: PreviewBuild) -> None:
    outcome = preview.build()
    assert not outcome.failed and outcome.site_dir is not None
    assert preview.site_dir is None and respond(preview, "").status == 503  # nothing is served before the swap
    published = preview.publish(outcome)
    assert published.first
    assert preview.site_dir == outcome.site_dir
    assert list(published.changed) == sorted(set(files_of(outcome.site_dir)) - {MARKER})
    page_html = served_text(preview, "")
    assert "Hello" in page_html and '<script src="/__preview__/client.js" data-generation="1" async>' in page_html


def test_a_broken_file_keeps_the_last_good_build_and_shows_its_problems(preview: PreviewBuild, project: Project) -> None:
    build_and_publish(preview)
    served, before = preview.site_dir, files_of(preview.site_dir)
    project.write("content/index.md", page(body="Unknown [@nosuch]."))
    published = build_and_publish(preview)
    assert published.outcome.failed and published.changed == () and published.panel_changed
    assert preview.site_dir == served and files_of(served) == before
    shown = served_text(preview, "index.html")
    assert "Hello" in shown
    assert '<p class="preview-error-title">The preview could not be updated: the build failed in content/index.md.</p>' in shown
    assert '<li class="preview-error"><code>content/index.md:18: unknown source &#x27;@nosuch&#x27;' in shown
    assert build_messages(published) == [*published.outcome.problems, Message(BUILD_FAILED, to_stderr=True)]
    assert [p.name for p in preview.folder.iterdir()] == [served.name]  # a failed build leaves nothing behind

    project.write("content/index.md", page(body="Fixed [@gauthier2021]."))
    published = build_and_publish(preview)
    assert published.panel_changed and published.changed == ("index.html",)
    shown = served_text(preview, "index.html")
    assert "Fixed" in shown and "preview-error" not in shown
    assert [p.name for p in preview.folder.iterdir()] == [preview.site_dir.name]  # the build it replaced is removed
    assert build_messages(published)[-1].text.startswith("Rebuilt in ")
    assert build_messages(published)[-1].text.endswith(" ms: index.html.")


BUILD_FAILED = "Build failed: the preview keeps showing the last good pages, with the problems above."


def test_a_renamed_or_deleted_page_is_picked_up(preview: PreviewBuild, project: Project) -> None:
    project.write("content/about.md", page(title="About", order=2))
    build_and_publish(preview)
    (project.content / "about.md").rename(project.content / "info.md")
    published = build_and_publish(preview)
    assert {"about.html", "info.html"} <= set(published.changed)
    assert respond(preview, "about.html").status == 404
    assert "About" in served_text(preview, "info.html")
    (project.content / "info.md").unlink()
    published = build_and_publish(preview)
    assert "info.html" in published.changed
    assert respond(preview, "info.html").status == 404
    assert "info.html" not in served_text(preview, "index.html")


def test_a_crash_in_the_generator_keeps_the_last_good_build_and_the_preview_going(
    preview: PreviewBuild, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    published: list[Published] = []

    def crash(options: BuildOptions, *args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    async def scenario(loop: asyncio.AbstractEventLoop) -> None:
        rebuilder = Rebuilder(preview, loop, published.append, settle=0)
        rebuilder.start()
        await rebuilder.idle.wait()
        good = preview.site_dir
        monkeypatch.setattr(sitegen.pipeline, "build_site", crash)
        project.write("content/index.md", page(body="Changed [@gauthier2021]."))
        rebuilder.saved()
        await rebuilder.idle.wait()
        crashed = published[-1]
        assert crashed.outcome.failed and preview.site_dir == good
        assert crashed.outcome.crash is not None and crashed.outcome.crash.rstrip().endswith("RuntimeError: boom")
        [problem] = crashed.outcome.problems
        assert problem.path.endswith("sitegen/preview/build.py")
        assert problem.message.startswith("the generator crashed (RuntimeError: boom); this is a bug in the generator")
        shown = served_text(preview, "index.html")
        assert "Hello" in shown and "the generator crashed (RuntimeError: boom)" in shown
        messages = build_messages(crashed)
        assert isinstance(messages[0], Message) and messages[0].to_stderr and messages[0].text.startswith("Traceback")
        assert messages[1:] == [problem, Message(BUILD_FAILED, to_stderr=True)]

        monkeypatch.undo()
        rebuilder.saved()
        await rebuilder.idle.wait()
        assert not published[-1].outcome.failed and preview.errors == ()
        assert "Changed" in served_text(preview, "index.html")

    run(scenario)
    assert len(published) == 3


def test_a_burst_of_saves_ends_in_the_same_output_as_a_clean_build(preview: PreviewBuild, project: Project, tmp_path: Path) -> None:
    chance = random.Random(20261130)

    def rename_extra(i: int) -> None:
        for old, new in (("extra.md", "more.md"), ("more.md", "extra.md")):
            if (project.content / old).exists():
                (project.content / old).rename(project.content / new)
                return

    def delete_extra(i: int) -> None:
        for name in ("extra.md", "more.md"):
            (project.content / name).unlink(missing_ok=True)

    edits: list[Callable[[int], object]] = [
        lambda i: project.write("content/index.md", page(body=f"Save number {i} [@gauthier2021].")),
        lambda i: project.write("content/extra.md", page(title=f"Extra {i}", order=2)),
        rename_extra,
        delete_extra,
        lambda i: project.write("content/wip.md", page(title=f"Draft {i}", order=4, draft="true")),
        lambda i: project.write("content/_site.yml", SITE_SETTINGS.replace("Test site", f"Test site {i}")),
        lambda i: project.write("templates/style.css", (REPO / "templates/style.css").read_text() + f"\n/* {i} */\n"),
        lambda i: project.write("content/.index.md.swp", f"editor state {i}"),
    ]

    async def scenario(loop: asyncio.AbstractEventLoop) -> Rebuilder:
        # Builds take at least 20 ms here, so that saves keep arriving while a build runs.
        rebuilder = Rebuilder(preview, loop, lambda published: None, before_build=lambda: time.sleep(0.02), settle=0.005)
        rebuilder.start()
        await rebuilder.idle.wait()
        for i in range(30):
            chance.choice(edits)(i)
            rebuilder.saved()
            await asyncio.sleep(chance.uniform(0, 0.02))
        await rebuilder.idle.wait()
        return rebuilder

    rebuilder = run(scenario)
    assert isinstance(rebuilder, Rebuilder)
    assert rebuilder.restarts > 0, "no save came while a build ran"
    assert rebuilder.builds_started < 31, "saves were not gathered into fewer builds"
    assert preview.site_dir is not None and not preview.errors
    assert files_of(preview.site_dir) == clean_build(project, tmp_path / "clean")


def test_requests_get_the_last_good_build_while_a_rebuild_runs(preview: PreviewBuild, project: Project) -> None:
    build_and_publish(preview)
    building, release = threading.Event(), threading.Event()

    def long_build() -> None:
        building.set()
        release.wait(10)

    async def scenario(loop: asyncio.AbstractEventLoop) -> None:
        rebuilder = Rebuilder(preview, loop, lambda published: None, before_build=long_build, settle=0)
        project.write("content/index.md", page(body="Newer words [@gauthier2021]."))
        rebuilder.saved()
        await until(building.is_set)
        assert "Hello" in served_text(preview, "index.html")  # answered at once, from the last good build
        release.set()
        await rebuilder.idle.wait()
        assert "Newer words" in served_text(preview, "index.html")

    run(scenario)


def test_a_build_still_running_when_the_preview_stops_is_dropped(preview: PreviewBuild, project: Project) -> None:
    build_and_publish(preview)
    served = preview.site_dir
    building, release = threading.Event(), threading.Event()
    published: list[Published] = []

    def long_build() -> None:
        building.set()
        release.wait(10)

    async def scenario(loop: asyncio.AbstractEventLoop) -> None:
        rebuilder = Rebuilder(preview, loop, published.append, before_build=long_build, settle=0)
        project.write("content/index.md", page(body="Too late [@gauthier2021]."))
        rebuilder.saved()
        await until(building.is_set)
        rebuilder.stop()
        rebuilder.saved()  # a save after stopping starts nothing
        release.set()
        await until(lambda: not rebuilder.running)
        assert rebuilder.builds_started == 1

    run(scenario)
    assert published == [] and preview.site_dir == served
    assert [p.name for p in preview.folder.iterdir()] == [served.name]


# --- what a request gets --------------------------------------------------------------------------------------------


def test_a_folder_without_its_slash_redirects_to_the_folder_on_the_preview(served: PreviewBuild) -> None:
    assert respond(served, "guides").location == "/guides/"
    assert "Guides" in served_text(served, "guides/")


@pytest.mark.parametrize(
    "path",
    [
        "\\evil.example/..",  # GET /%5Cevil.example%2F.. once decoded: used to redirect to /\evil.example/../
        "\\evil.example/../",
        "/evil.example/..",  # GET //evil.example/..
        "\\\\evil.example/guides/..",
        "guides/../\\evil.example/..",
        "guides/..",
        "guides/./",
        "../guides",
        "%5Cevil.example",
        "\\/evil.example/..",
        "\tevil.example/..",
    ],
)
def test_no_request_is_redirected_off_the_preview(served: PreviewBuild, path: str) -> None:
    location = respond(served, path).location
    if location is not None:
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
        assert urlsplit(urljoin("http://127.0.0.1:8000/a/b", location)).netloc == "127.0.0.1:8000", location


@pytest.mark.parametrize("path", [MARKER, ".hidden", "../" + MARKER, "guides/../../x", "/etc/passwd", "..", "%2e%2e/x"])
def test_dotfiles_and_paths_outside_the_site_get_the_404_page(served: PreviewBuild, path: str) -> None:
    response = respond(served, path)
    assert response.status == 404 and b"Page not found" in response.body


def test_files_other_than_html_are_served_as_they_are(served: PreviewBuild) -> None:
    response = respond(served, "favicon.svg")
    assert response.status == 200 and response.content_type == "image/svg+xml"
    assert response.body == (served.options.templates_dir / "static" / "favicon.svg").read_bytes()


@pytest.mark.parametrize(
    ("bound", "header", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "LocalHost:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "evil.example:8000", False),  # DNS rebinding: the attacker's name, resolved to 127.0.0.1
        ("127.0.0.1", "localhost.evil.example:8000", False),
        ("127.0.0.1", "127.0.0.1.evil.example:8000", False),
        ("127.0.0.1", "127.0.0.1:8001", False),
        ("127.0.0.1", "127.0.0.1", False),  # no port means 80
        ("127.0.0.1", "127.0.0.1:8000:8000", False),
        ("127.0.0.1", "[::1]", False),
        ("127.0.0.1", "", False),
        ("127.0.0.1", "192.168.1.5:8000", False),  # not this preview's address
        ("0.0.0.0", "192.168.1.5:8000", True),  # every address of this computer, when bound to all of them
        ("0.0.0.0", "[fe80::1]:8000", True),
        ("0.0.0.0", "evil.example:8000", False),
        ("preview.lan", "preview.lan:8000", True),
        ("preview.lan", "evil.example:8000", False),
        ("::1", "[::1]:8000", True),
    ],
)
def test_only_requests_to_the_previews_own_address_are_answered(bound: str, header: str, allowed: bool) -> None:
    assert AllowedHosts.of(bound, 8000).allows(header) is allowed
    if header.endswith(":8000"):  # on port 80, a browser leaves the port out
        assert AllowedHosts.of(bound, 80).allows(header.removesuffix(":8000")) is allowed


def test_the_snippet_and_panel_go_in_whatever_the_tag_case() -> None:
    assert inject("<HTML><HEAD><title>t</title></HEAD><BODY class=x><p>p</p></BODY></HTML>", "<S>", "<P>") == (
        "<HTML><HEAD><title>t</title><S></HEAD><BODY class=x><P><p>p</p></BODY></HTML>"
    )
    assert inject("<p>no head, no body</p>", "<S>", "<P>") == "<S><p>no head, no body</p><P>"


def test_the_error_panel_names_each_file_and_escapes_the_problem_text() -> None:
    panel = error_panel(
        [Problem("content/a.md", 3, "unknown source '<b>'"), Problem("templates/page.html", 1, "x"), Problem("content/a.md", 4, "y")]
    )
    assert "the build failed in content/a.md and templates/page.html.</p>" in panel
    assert '<li class="preview-error"><code>content/a.md:3: unknown source &#x27;&lt;b&gt;&#x27;</code></li>' in panel


def test_the_error_panel_lists_warnings_apart_from_errors() -> None:
    panel = error_panel([error("content/a.md", 3, "broken"), warning("content/b.md", 4, "hard"), notice("content/b.md", 5, "soon")])
    assert "the build failed in content/a.md.</p>" in panel
    assert panel.index('<li class="preview-error"><code>content/a.md:3: broken</code></li>') < panel.index("And 1 warning and 1 notice:")
    assert '<li class="preview-warning"><code>content/b.md:4: warning: hard</code></li>' in panel
    assert '<li class="preview-notice"><code>content/b.md:5: notice: soon</code></li>' in panel


def test_a_build_with_warnings_shows_them_in_a_panel_that_folds_away(preview: PreviewBuild, project: Project) -> None:
    project.write("content/index.md", page(body="Hello [@gauthier2021].\n\nREPLACE: a second paragraph."))
    published = build_and_publish(preview)
    assert not published.outcome.failed and published.panel_changed
    shown = served_text(preview, "index.html")
    assert "preview-error" not in shown
    panel = shown[shown.index('<details id="preview-warnings" open>') : shown.index("</details>") + 10]
    assert panel == (
        '<details id="preview-warnings" open>\n'
        '<summary class="preview-warnings-title">The preview is up to date, with 1 warning.</summary>\n'
        '<ul><li class="preview-warning"><code>content/index.md:20: warning: this is placeholder text from `build.py new` (it starts '
        "with &#x27;REPLACE:&#x27;): write your own text in its place</code></li></ul>\n"
        "<p>The published build (with --strict) fails on warnings: fix them before you publish. Fix the file and save: this page "
        "updates by itself.</p>\n"
        "</details>"
    )
    project.write("content/index.md", page(body="Hello [@gauthier2021]."))
    published = build_and_publish(preview)
    assert published.panel_changed and "preview-warnings" not in served_text(preview, "index.html")


def test_the_client_script_and_stylesheet_are_package_files_declared_as_package_data() -> None:
    package = REPO / "sitegen" / "preview"
    assets = sorted(p.name for p in package.iterdir() if p.is_file() and p.suffix != ".py")
    assert assets == ["client.css", "client.js"]
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["packages"]["find"]["include"] == ["sitegen*"]  # every sub-package, sitegen.preview included
    assert sorted(setuptools["package-data"]["sitegen.preview"]) == assets
    for name in assets:
        assert client_file(name) == (package / name).read_bytes()
    assert b"LiveReloadPluginSitegenPreview" in client_file("client.js") and b"#preview-error" in client_file("client.css")


def test_only_cli_py_prints() -> None:
    """The preview hands its messages to cli.py, which prints them, as the build does."""
    printing = []
    for path in sorted((REPO / "sitegen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name == "print" or name.endswith(("stdout.write", "stderr.write", "print_exc", "print_exception")):
                printing.append(f"{path.relative_to(REPO)}:{node.lineno}: {name}")
    assert printing and all(line.startswith("sitegen/commands/cli.py:") for line in printing), "\n".join(printing)


# --- file events ----------------------------------------------------------------------------------------------------

IGNORED_NAMES = [".hidden.md", "._index.md", "index.md.swp", ".index.md.swp", "index.md~", "#index.md#", ".#index.md", "4913"]


def test_only_sources_are_watched_and_output_events_are_ignored(project: Project) -> None:
    options = options_of(project)
    assert watched_folders(options) == sorted([project.content.absolute(), project.templates.absolute()])
    sources, site = watched_folders(options), project.site.absolute()
    assert not is_source_change(FileModifiedEvent(str(site / "index.html")), sources, [site])
    assert not is_source_change(FileMovedEvent(str(site / "a.html"), str(site / "b.html")), sources, [site])
    assert not is_source_change(FileOpenedEvent(str(project.content / "index.md")), sources, [site])
    assert is_source_change(FileModifiedEvent(str(project.content / "index.md")), sources, [site])
    assert is_source_change(FileClosedEvent(str(project.templates / "style.css")), sources, [site])
    assert is_source_change(FileMovedEvent(str(project.content / ".index.md.tmp"), str(project.content / "index.md")), sources, [site])
    assert is_source_change(FileMovedEvent(str(project.content / "a.md"), str(project.content / "b.md")), sources, [site])
    assert is_source_change(FileDeletedEvent(str(project.content / "a.md")), sources, [site])


def test_content_itself_made_moved_or_deleted_is_a_change_but_nothing_else_beside_it(project: Project) -> None:
    sources = [project.content.absolute(), project.templates.absolute()]
    root = project.root.absolute()
    for event in (DirCreatedEvent(str(project.content)), DirDeletedEvent(str(project.content))):
        assert is_source_change(event, sources, [])
    assert is_source_change(DirMovedEvent(str(root / "content.bak"), str(project.content)), sources, [])
    assert not is_source_change(DirModifiedEvent(str(root)), sources, [])  # a file beside content/ was made
    assert not is_source_change(FileCreatedEvent(str(root / "README.md")), sources, [])
    assert not is_source_change(DirCreatedEvent(str(root / ".site-build-1-x")), sources, [])


@pytest.mark.parametrize("name", IGNORED_NAMES + ["sub/.drafts/page.md", ".git/index"])
def test_dotfiles_and_editor_files_are_never_a_change(project: Project, name: str) -> None:
    sources = [project.content.absolute(), project.templates.absolute()]
    for folder in sources:
        path = str(folder / name)
        for event in (FileCreatedEvent(path), FileModifiedEvent(path), FileClosedEvent(path), FileDeletedEvent(path)):
            assert not is_source_change(event, sources, []), event
        assert not is_source_change(FileMovedEvent(path, path + "~"), sources, [])


def test_the_watcher_reports_saves_renames_and_deletions_and_never_editor_files(project: Project) -> None:
    seen: queue.Queue[object] = queue.Queue()
    watcher = Watcher(options_of(project), [project.site], seen.put)
    watcher.start()
    try:
        for name in IGNORED_NAMES:
            (project.content / name).write_text("what an editor keeps")
        (project.content / "about.md").write_text(page(title="About", order=2))
        first = seen.get(timeout=5)
        assert Path(first.src_path).name == "about.md", first  # nothing before it: the editor files were ignored
        (project.content / "about.md").rename(project.content / "info.md")
        assert any(getattr(e, "dest_path", "").endswith("info.md") for e in drain(seen, "moved"))
        (project.content / "info.md").unlink()
        assert any(e.src_path.endswith("info.md") for e in drain(seen, "deleted"))
    finally:
        watcher.stop()


def test_the_watcher_is_not_woken_by_the_build_reading_the_sources(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build reads every page; at 1000 pages, handling the opens and closes took as long as the build itself."""
    woken: queue.Queue[FileSystemEvent] = queue.Queue()
    monkeypatch.setattr(_Handler, "on_any_event", lambda self, event: woken.put(event))
    watcher = Watcher(options_of(project), [project.site], lambda event: None)
    watcher.start()
    try:
        for _ in range(50):
            for path in [*project.content.rglob("*"), *project.templates.rglob("*")]:
                if path.is_file():
                    path.read_bytes()
        (project.content / "about.md").write_text(page(title="About", order=2))
        first = woken.get(timeout=5)
        assert (first.event_type, Path(first.src_path).name) == ("created", "about.md")
    finally:
        watcher.stop()


def drain(events: queue.Queue, kind: str) -> list:
    """Events until one of this kind has arrived."""
    found = []
    while not found or found[-1].event_type != kind:
        found.append(events.get(timeout=5))
    return found


def test_a_preview_started_without_content_or_whose_content_is_deleted_recovers_when_it_is_back(project: Project, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    shutil.copytree(project.content, backup)
    shutil.rmtree(project.content)
    folder = tmp_path / "preview"
    folder.mkdir()
    preview = PreviewBuild(options_of(project), folder)

    async def scenario(loop: asyncio.AbstractEventLoop) -> None:
        def saved(event: object) -> None:
            loop.call_soon_threadsafe(rebuilder.saved)

        watcher = Watcher(preview.options, [folder, project.site], saved)
        rebuilder = Rebuilder(preview, loop, lambda published: None, before_build=watcher.refresh)
        watcher.start()
        rebuilder.start()
        try:
            await rebuilder.ready.wait()
            assert preview.site_dir is None
            assert any("the content folder does not exist" in p.message for p in preview.errors)
            assert b"the content folder does not exist" in respond(preview, "").body

            shutil.copytree(backup, project.content)  # content/ appears
            await until(lambda: preview.site_dir is not None and not preview.errors)
            assert "Hello" in served_text(preview, "index.html")

            shutil.move(project.content, tmp_path / "away")  # content/ is moved away, then brought back
            await until(lambda: preview.errors)
            assert "Hello" in served_text(preview, "index.html")
            shutil.move(tmp_path / "away", project.content)
            await until(lambda: not preview.errors)

            project.write("content/index.md", page(body="Edited after the move [@gauthier2021]."))  # the folder is watched again
            await until(lambda: "Edited after the move" in served_text(preview, "index.html"))
        finally:
            rebuilder.stop()
            watcher.stop()

    run(scenario)


# --- the process: the command line, the wire, signals -------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_that_is_not_a_port_number_is_an_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", port])
    assert exit_info.value.code == 2
    reason = f"'{port}' is not a number" if port == "http" else f"{port} is not a port number (0 to 65535)"
    assert f"argument --port: {reason}" in capsys.readouterr().err


def test_a_port_in_use_gives_one_line_and_status_1(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["serve", "--port", str(port), "--as-of", AS_OF.isoformat(), "--content", "content", "--templates", "templates"])
    assert status == 1
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        f"Cannot start the preview: port {port} on 127.0.0.1 is already in use. Stop what uses it, or choose another with --port.\n",
    )
    assert list(temp.iterdir()) == []


def start_preview(project: Project, *args: str, script: Path = REPO / "build.py") -> PreviewProcess:
    paths = ["--as-of", AS_OF.isoformat(), "--content", str(project.content), "--templates", str(project.templates)]
    process = PreviewProcess(project.root, *paths, *args, script=script)
    process.wait_for(SERVING)
    process.wait_for(BUILT)
    return process


def http_get(url: str, path: str, host: str | None = None, method: str = "GET", **headers: str) -> tuple[int, str | None, bytes]:
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request(method, path, headers={"Host": host or address.netloc, **headers})
        response = connection.getresponse()
        return response.status, response.getheader("Location"), response.read()
    finally:
        connection.close()


@contextmanager
def serving(preview: PreviewBuild) -> Iterator[str]:
    """The preview's tornado application for a built preview, on 127.0.0.1, on an event loop in another thread."""
    loop = asyncio.new_event_loop()
    started: queue.Queue[tuple[HTTPServer, str]] = queue.Queue()

    async def start() -> None:
        rebuilder = Rebuilder(preview, loop, lambda published: None)
        rebuilder.ready.set()
        sockets = bind_sockets(0, "127.0.0.1")
        port = sockets[0].getsockname()[1]
        server = HTTPServer(make_app(preview, rebuilder, AllowedHosts.of("127.0.0.1", port)))
        server.add_sockets(sockets)
        started.put((server, f"http://127.0.0.1:{port}/"))

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    server, url = started.get(timeout=10)
    try:
        yield url
    finally:
        loop.call_soon_threadsafe(server.stop)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()


def test_over_http_only_the_previews_own_address_is_answered_and_no_redirect_leaves_it(served: PreviewBuild) -> None:
    with serving(served) as url:
        port = urlsplit(url).port
        for path in ("/", "/index.html", "/livereload.js", "/__preview__/client.js", "/no/such/page"):
            status, _, body = http_get(url, path, host=f"evil.example:{port}")
            assert status == 403 and b"This preview answers only at its own address" in body, path
        upgrade = {
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        }
        assert http_get(url, "/livereload", host=f"evil.example:{port}", **upgrade)[0] == 403
        assert http_get(url, "/livereload", **upgrade)[0] == 101
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            status, _, body = http_get(url, "/", host=host)
            assert status == 200 and b"Hello" in body, host
        assert http_get(url, "/__preview__/client.js")[2] == client_file("client.js")
        assert http_get(url, "/", method="HEAD")[::2] == (200, b"")
        assert http_get(url, "/guides")[:2] == (302, "/guides/")
        for path in (
            "/%5Cevil.example%2F..",
            "//evil.example/%2E%2E",
            "/%2F%2Fevil.example%2F..",
            "/%5C%5Cevil.example",
            "/guides%2F..%5C",
        ):
            status, location, _ = http_get(url, path)
            assert location is None or urlsplit(urljoin(url, location)).netloc == urlsplit(url).netloc, (path, status, location)


def test_a_page_showing_an_older_build_is_reloaded_when_it_connects_and_no_other_site_may_connect(served: PreviewBuild) -> None:
    async def connect(url: str, generation: int, **headers: str) -> dict:
        """livereload.js's handshake; returns the message that follows 'info', or the reply to a second 'hello'."""
        socket = await websocket_connect(HTTPRequest(url.replace("http:", "ws:") + "livereload", headers=headers))
        hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
        await socket.write_message(json.dumps(hello))
        assert json.loads(await socket.read_message())["command"] == "hello"
        info = {"command": "info", "url": url, "plugins": {"sitegen-preview": {"generation": generation}}}
        await socket.write_message(json.dumps(info))
        await socket.write_message(json.dumps(hello))
        reply = json.loads(await socket.read_message())
        socket.close()
        return reply

    with serving(served) as url:
        current = served.generation
        assert asyncio.run(connect(url, current - 1)) == {"command": "reload", "path": "*", "liveCSS": True, "liveImg": True}
        assert asyncio.run(connect(url, current))["command"] == "hello"  # up to date: no reload before the next reply
        with pytest.raises(HTTPClientError) as refused:
            asyncio.run(connect(url, current, Origin="http://evil.example"))
        assert refused.value.code == 403


def test_the_preview_hands_every_message_to_its_caller_and_removes_its_folder(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    shown: list[object] = []
    running, lock = [True], threading.Lock()

    def stop() -> None:  # SIGTERM to this process, as a process manager would; only while the preview handles it
        with lock:
            if running[0]:
                os.kill(os.getpid(), signal.SIGTERM)

    def show(message: object) -> None:
        shown.append(message)
        if str(message).startswith("Built the preview in "):
            stop()
        if str(message) == "Preview stopped.":
            with lock:
                running[0] = False

    safety = threading.Timer(30, stop)  # should the preview never say it has built
    safety.start()
    try:
        assert serve(options_of(project), "127.0.0.1", 0, show=show) == 0
    finally:
        safety.cancel()
    lines = [str(m) for m in shown]
    assert lines[0] == f"Preview files are in {temp / Path(lines[0].split()[4]).name} (deleted when the preview stops)."
    assert re.fullmatch(r"Serving the preview at http://127\.0\.0\.1:\d+/ \(press Ctrl-C to stop\)", lines[1])
    assert re.fullmatch(r"Built the preview in \d+\.\d\d s, drafts included\.", lines[2])
    assert lines[3:] == ["Preview stopped."]
    assert all(isinstance(m, Message) and not m.to_stderr for m in shown)
    assert capsys.readouterr() == ("", "")  # nothing printed: cli.py prints what it is handed
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize(
    ("host", "warned"),
    [
        ("127.0.0.1", False),
        ("localhost", False),
        ("::1", False),
        ("127.0.0.2", False),
        ("0.0.0.0", True),
        ("192.168.1.5", True),
        ("::", True),
    ],
)
def test_an_address_that_other_computers_can_reach_is_warned_about(host: str, warned: bool) -> None:
    warning = exposure_warning(host)
    assert (warning is not None) is warned
    if warning:
        assert str(warning) == f"Warning: {host} lets other computers see the preview, drafts included."


# Runs build.py's main() with build_site slowed down while a file named 'slow' is beside content/.
SLOW_BUILD = """\
import sys, time
from pathlib import Path
import sitegen.pipeline
real = sitegen.pipeline.build_site
def slow_build_site(options, *args, **kwargs):
    flag = Path(options.content_dir).parent / "slow"
    if flag.exists():
        (flag.parent / "building").touch()
        time.sleep(float(flag.read_text()))
    return real(options, *args, **kwargs)
sitegen.pipeline.build_site = slow_build_site
from sitegen.commands.cli import main
sys.exit(main())
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_stops_the_preview_within_2_s_during_a_long_rebuild(project: Project, signum: int) -> None:
    script = project.root / "slow_build.py"
    script.write_text(SLOW_BUILD)
    preview = start_preview(project, script=script)
    folder = preview.folder
    (project.root / "slow").write_text("60")
    project.write("content/index.md", page(body="A save that starts a minute-long build [@gauthier2021]."))
    deadline = time.monotonic() + 10
    while not (project.root / "building").exists():
        assert time.monotonic() < deadline and preview.process.poll() is None, preview.output
        time.sleep(0.02)
    assert http_get(preview.url, "/")[0] == 200  # still serving the last good build meanwhile
    assert http_get(preview.url, "/", host=f"evil.example:{urlsplit(preview.url).port}")[0] == 403
    preview.process.send_signal(signum)
    try:
        status = preview.process.wait(2)
    except Exception:
        preview.stop(signal.SIGKILL)
        raise
    assert status == 0
    preview.stop()
    assert "Preview stopped." in preview.output and "Traceback" not in preview.output
    deadline = time.monotonic() + 5  # the folder is removed at once, and again by a helper once the process has ended
    while folder.exists() or list(preview.temp.iterdir()):
        assert time.monotonic() < deadline, list(preview.temp.rglob("*"))
        time.sleep(0.05)
