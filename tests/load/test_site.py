"""Sections: sub-folders of content/ with their own index and navigation, crawled like a published site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from tests.conftest import REPO, Project, page
from tests.crawler import crawl

EXAMPLE = REPO / "tests" / "examples" / "sections" / "content"


@pytest.fixture(scope="module")
def sections_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sections") / "site"
    status = main(["--strict", "--as-of", "2026-03-01", "--no-cache", "--content", str(EXAMPLE), "--site", str(site)])
    assert status == 0
    return site


def between(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_every_page_and_link_of_the_sections_example_resolves(sections_site: Path) -> None:
    report = crawl((sections_site / "index.html").as_uri(), sections_site.as_uri() + "/")
    assert report.broken == []
    pages = {Path(p).relative_to(sections_site).as_posix() for p in (url.removeprefix("file://") for url in report.pages)}
    assert {"index.html", "leaflets/index.html", "leaflets/responses.html", "leaflets/remission.html", "care/index.html"} <= pages


def test_the_top_navigation_lists_top_level_pages_and_sections_only(sections_site: Path) -> None:
    nav = between((sections_site / "leaflets" / "responses.html").read_text(), '<nav class="site-nav"', "</nav>")
    menu, links = between(nav, '<details class="site-menu">', "</details>"), nav[nav.index('<ul class="site-links">') :]
    for listing in (menu, links):  # the phone's "Menu" and the wider screen's list hold the same links
        assert re.findall(r">([^<>]+)</a></li>", listing) == ["Home", "Leaflets", "Sources", "Care"]
        assert '<a href="../leaflets/index.html" aria-current="page">Leaflets</a>' in listing
    assert "Responses" not in nav and "At home" not in nav


def test_a_page_in_a_section_shows_breadcrumbs_and_its_sections_pages(sections_site: Path) -> None:
    html = (sections_site / "leaflets" / "responses.html").read_text()
    crumbs = between(html, '<nav class="breadcrumbs', "</nav>")
    assert '<a href="../index.html">Home</a>' in crumbs and '<a href="../leaflets/index.html">Leaflets</a>' in crumbs
    assert '<li aria-current="page">Responses</li>' in crumbs
    section = between(html, '<nav class="section-nav"', "</nav>")
    assert '<a href="../leaflets/responses.html" aria-current="page">Responses</a>' in section
    assert '<a href="../leaflets/remission.html">Not a cure</a>' in section
    assert "At home" not in section


def test_a_section_without_an_index_gets_a_generated_list_of_its_pages(sections_site: Path) -> None:
    html = (sections_site / "care" / "index.html").read_text()
    assert "<h1>Care</h1>" in html
    assert '<li><a href="../care/at-home.html">At home</a></li>' in between(html, '<ul class="section-pages">', "</ul>")
    assert 'class="caveat"' in html
    crumbs = between(html, '<nav class="breadcrumbs', "</nav>")
    assert crumbs.count("Care") == 1


def test_top_level_pages_have_no_breadcrumbs(sections_site: Path) -> None:
    assert 'class="breadcrumbs' not in (sections_site / "index.html").read_text()


def test_a_long_section_shows_the_pages_around_this_one_and_links_to_its_index(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(1, 21):
        project.write(f"content/leaflets/leaflet-{n:02}.md", page(f"Leaflet {n}", order=n))
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err

    def section_nav(name: str) -> tuple[list[str], str]:
        nav = between((project.site / "leaflets" / name).read_text(), '<nav class="section-nav"', "</nav>")
        return re.findall(r">(Leaflet \d+)</a></li>", nav), nav

    shown, nav = section_nav("leaflet-10.html")
    assert shown == [f"Leaflet {n}" for n in range(7, 14)]
    assert '<a href="../leaflets/leaflet-10.html" aria-current="page">Leaflet 10</a>' in nav
    assert '<a href="../leaflets/index.html">All 20 pages in Leaflets</a>' in nav
    assert section_nav("leaflet-01.html")[0] == [f"Leaflet {n}" for n in range(1, 8)]
    assert section_nav("leaflet-20.html")[0] == [f"Leaflet {n}" for n in range(14, 21)]
    index = (project.site / "leaflets" / "index.html").read_text()
    assert re.findall(r">(Leaflet \d+)</a></li>", between(index, '<ul class="section-pages">', "</ul>")) == [
        f"Leaflet {n}" for n in range(1, 21)
    ]
