"""Rebuilding with a render cache re-renders only what an edit touched, and writes the same bytes as a clean build."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from sitegen.incremental import RenderCache, fingerprint, template_fingerprint
from sitegen.pipeline import BuildOptions, build_site
from sitegen.rendering import create_environment
from tests.conftest import AS_OF, SITE_SETTINGS, SOURCES_PAGE, Project, page

SECOND_SOURCE = """\
  - id: second2020
    title: A second source
    year: 2020
"""


def sources_page(extra_sources: str = "") -> str:
    return SOURCES_PAGE.replace("---\nThe list of sources", f"{extra_sources}---\nThe list of sources")


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


class Builds:
    """The same project built twice after every edit: once with a cache kept across builds, once from scratch."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.cache = RenderCache()

    def options(self, name: str) -> BuildOptions:
        return BuildOptions(self.project.content, self.project.templates, self.project.root / name / "site", today=AS_OF)

    def rebuild(self) -> set[tuple[str, str]]:
        """Build incrementally and from scratch; check both outputs are identical; return what the cache re-rendered."""
        self.cache.made.clear()
        incremental = build_site(self.options("incremental"), self.cache)
        clean = build_site(self.options("clean"))
        assert [str(p) for p in incremental.problems] == [str(p) for p in clean.problems]
        assert incremental.published == clean.published
        if clean.published:
            assert snapshot(self.options("incremental").site_dir) == snapshot(self.options("clean").site_dir)
        return {made for made in self.cache.made if made[0] != "reading"}  # the reading grade follows the Markdown's HTML


def html(*names: str) -> set[tuple[str, str]]:
    return {("html", f"{name}.html") for name in names}


def markdown(*names: str) -> set[tuple[str, str]]:
    return {("markdown", f"content/{name}.md") for name in names}


def parsed(*names: str) -> set[tuple[str, str]]:
    return {("page", f"content/{name}.md") for name in names}


ALL = ("index", "a", "b", "sources")
TEMPLATES = {("templates", "all")}  # every template compiled once, to report all syntax errors


@pytest.fixture
def builds(project: Project) -> Builds:
    project.write("content/index.md", page())
    project.write("content/a.md", page("Page A", "Text of A [@gauthier2021].", 2))
    project.write("content/b.md", page("Page B", "Text of B [@gauthier2021].", 3))
    project.write("content/sources.md", sources_page())
    return Builds(project)


def test_a_sequence_of_edits_re_renders_only_what_each_touched(builds: Builds, project: Project) -> None:
    assert builds.rebuild() == parsed(*ALL) | markdown(*ALL) | html(*ALL) | TEMPLATES
    assert builds.rebuild() == set()

    project.write("content/a.md", page("Page A", "New text of A [@gauthier2021].", 2))
    assert builds.rebuild() == parsed("a") | markdown("a") | html("a")

    project.write("content/b.md", page("Page B", "Text of B [@gauthier2021].", 3, nav_title="Bee"))
    assert builds.rebuild() == parsed("b") | html(*ALL), "a navigation title is on every page; b's body is unchanged"

    project.write("content/sources.md", sources_page(SECOND_SOURCE))
    assert builds.rebuild() == parsed("sources") | markdown(*ALL) | html(*ALL), "every page links to the sources page"

    project.write("content/a.md", page("Page A", "Now A cites two [@second2020; @gauthier2021].", 2))
    assert builds.rebuild() == parsed("a") | markdown("a") | html("a"), "citation numbers are per page"

    template = project.templates / "page.html"
    template.write_text(template.read_text().replace("</h1>", "</h1>\n<p>Template edited.</p>"))
    assert builds.rebuild() == html(*ALL) | TEMPLATES

    project.write("content/_site.yml", SITE_SETTINGS.replace("Test site", "Renamed site"))
    assert builds.rebuild() == html(*ALL)

    css = project.templates / "static" / "style.css"
    css.write_text(css.read_text() + "\nmain { margin: 0; }\n")
    assert builds.rebuild() == set()
    assert b"main { margin: 0; }" in (project.root / "incremental" / "site" / "style.css").read_bytes()

    (project.content / "b.md").unlink()
    assert builds.rebuild() == markdown("index", "a", "sources") | html("index", "a", "sources")
    assert not (project.root / "incremental" / "site" / "b.html").exists()


def test_a_failed_build_in_between_leaves_no_stale_page(builds: Builds, project: Project) -> None:
    builds.rebuild()
    good = (project.content / "a.md").read_text()
    project.write("content/a.md", page("Page A", "Broken [@nosuch].", 2))
    builds.rebuild()
    project.write("content/index.md", page(body="Home changed while A was broken [@gauthier2021]."))
    project.write("content/a.md", good)
    assert builds.rebuild() == parsed("index", "a") | markdown("index", "a") | html("index"), "a.md changed twice; its HTML is as before"
    assert b"Home changed while A was broken" in (project.root / "incremental" / "site" / "index.html").read_bytes()


def test_reuse_decides_by_content_not_by_modification_time(tmp_path: Path) -> None:
    cache = RenderCache()
    made: list[str] = []
    assert cache.reuse("html", "x.html", ("same", 1), lambda: made.append("first") or "first") == "first"
    assert cache.reuse("html", "x.html", ("same", 1), lambda: made.append("second") or "second") == "first"
    assert cache.reuse("html", "x.html", ("other", 1), lambda: made.append("third") or "third") == "third"
    assert made == ["first", "third"]
    assert fingerprint(("a", datetime.date(2026, 1, 1))) == fingerprint(("a", datetime.date(2026, 1, 1)))


def test_the_template_fingerprint_covers_every_template_a_page_uses(project: Project) -> None:
    env = create_environment(project.templates)
    before = template_fingerprint(env, "page.html")
    base = project.templates / "base.html"
    base.write_text(base.read_text().replace("<body>", "<body class='edited'>"))
    after_base = template_fingerprint(create_environment(project.templates), "page.html")
    assert after_base != before
    (project.templates / "unrelated.html").write_text("<p>not used by page.html</p>")
    assert template_fingerprint(create_environment(project.templates), "page.html") == after_base
