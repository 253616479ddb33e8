"""A page's cache key holds everything its rendering reads (render/rendering.py: SiteInput and PageInput), by construction."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sitegen.cache import stable
from sitegen.load.site import Navigation, NavPage
from sitegen.pipeline import BuildOptions, analyse_site
from sitegen.render.rendering import PageInput, SiteInput, page_key
from tests.conftest import AS_OF, Project, page


def site_input(project: Project) -> tuple[SiteInput, list[PageInput]]:
    """The English SiteInput and PageInputs a build of project makes."""
    captured: list[tuple[SiteInput, list[PageInput]]] = []
    import sitegen.pipeline as pipeline

    original = pipeline.rendered_pages

    def capture(site: SiteInput, env: object, pages: list[PageInput], *args: object) -> object:
        captured.append((site, pages))
        return original(site, env, pages, *args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "rendered_pages", capture)
        analyse_site(BuildOptions(project.content, project.templates, project.root / "site", today=AS_OF, check_only=True))
    return captured[0]


def changed(value: object) -> object:
    """Another value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, Path):
        return value / "x"
    if isinstance(value, frozenset):
        return value | {"x"}
    if isinstance(value, tuple):
        return (*value, ("x", "y"))
    if isinstance(value, dict):
        return {**value, "x": {"en": "y"}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        first = dataclasses.fields(value)[0]
        return dataclasses.replace(value, **{first.name: changed(getattr(value, first.name))})  # type: ignore[misc]
    if value is None:
        return "x"
    raise AssertionError(f"no other value for {value!r}")


def test_every_field_of_the_site_input_is_in_every_pages_key(project: Project) -> None:
    site, pages = site_input(project)
    before = page_key(site, pages[0])
    for field in dataclasses.fields(site):
        other = dataclasses.replace(site, **{field.name: changed(getattr(site, field.name))})
        assert page_key(other, pages[0]) != before, f"SiteInput.{field.name} is not in the page's key"


def test_a_pages_key_changes_with_its_own_text_not_with_another_pages_text(project: Project) -> None:
    project.write("content/about.md", page("About", order=2, body="About us [@gauthier2021]."))
    site, pages = site_input(project)
    home = next(p for p in pages if p.page.output_path == "index.html")
    key = page_key(site, home)
    project.write("content/about.md", page("About", order=2, body="About us, changed [@gauthier2021]."))
    assert page_key(*_home(project)) == key
    project.write("content/about.md", page("About the site", order=2, body="About us, changed [@gauthier2021]."))
    assert page_key(*_home(project)) != key  # its title is in every page's navigation
    project.write("content/index.md", page(body="Hello again [@gauthier2021]."))
    assert page_key(*_home(project)) != key


def _home(project: Project) -> tuple[SiteInput, PageInput]:
    site, pages = site_input(project)
    return site, next(p for p in pages if p.page.output_path == "index.html")


def test_the_navigation_holds_no_pages_text() -> None:
    assert {f.name for f in dataclasses.fields(NavPage)} == {"nav_title", "output_path", "nav_order", "top_level", "draft"}
    assert {f.name for f in dataclasses.fields(Navigation)} == {"pages", "sections", "prefix"}


def test_a_key_refuses_an_object_that_is_not_plain_data() -> None:
    class Opaque:
        pass

    with pytest.raises(TypeError, match="a build cache key cannot hold a Opaque"):
        stable({"x": Opaque()})
