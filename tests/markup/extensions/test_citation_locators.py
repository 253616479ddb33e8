"""Citation locators, Pandoc's [@key, p. 3]: parsed, shown in "Sources for this page", and beside each sentence in the packet."""

from __future__ import annotations

import re

import pytest

from sitegen.markup.extensions.citations import CitedKey, parse_citation
from tests.conftest import Project, page
from tests.load.test_review_records import SETTINGS, SOURCES
from tests.markup.extensions.conftest import convert

SECOND_SOURCE = """\
  - id: test_page
    authors: Test Publisher
    title: A fictional web page for the tests
    url: https://example.org/test-page
    figures:
      - name: A second share of people
        value: 7%
"""


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("@test_article, p. 3", [CitedKey("test_article", "p. 3")]),
        ("@test_article, table 2", [CitedKey("test_article", "table 2")]),
        ("@a, fig. 1; @b", [CitedKey("a", "fig. 1"), CitedKey("b")]),
        ("@a,   pp.  3-4 ", [CitedKey("a", "pp. 3-4")]),
        ("@a; @b, section 2.1", [CitedKey("a"), CitedKey("b", "section 2.1")]),
        ("@a p. 3", None),
        ("@a, " + "x" * 61, None),
        ("@a, p. 3; b", None),
    ],
)
def test_parse_citation(inner: str, expected: list[CitedKey] | None) -> None:
    assert parse_citation(inner) == expected


def test_locators_are_kept_per_source_in_first_citation_order() -> None:
    result = convert("A [@a, fig. 1; @b]. B [@a, table 2]. C [@a, fig. 1]. D [@b].", ["a", "b"])
    assert [(c.key, c.locators) for c in result.citations] == [("a", ("fig. 1", "table 2")), ("b", ())]
    assert result.problems == ()


def test_locator_sentences_keep_their_locators_for_the_packet() -> None:
    result = convert("About 5 out of 100 [@a, table 2]. Then [@b, p. 4].", ["a", "b"])
    [passage] = result.passages
    assert [(s.text, s.citations) for s in passage.statements] == [
        ("About 5 out of 100.", (CitedKey("a", "table 2"),)),
        ("Then.", (CitedKey("b", "p. 4"),)),
    ]


@pytest.fixture
def site(project: Project) -> Project:
    project.write("content/_site.yml", SETTINGS)
    project.write("content/sources.md", SOURCES.replace("---\nThe list", SECOND_SOURCE + "---\nThe list"))
    project.write(
        "content/index.md",
        page(
            body="About 5 out of 100 [@test_article, p. 3]. About 7 out of 100 [@test_article, table 2; @test_page].\n\nMore [@test_page]."
        ),
    )
    return project


def test_sources_for_this_page_show_each_locator_once(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = site.build("--strict", capsys=capsys)
    assert status == 0, err
    html = (site.site / "index.html").read_text(encoding="utf-8")
    notes = re.findall(r'<li id="source-note-\d+">.*?</li>', html, flags=re.S)
    assert len(notes) == 2
    assert '<span class="locator">Cited here: p. 3; table 2.</span>' in notes[0]
    assert "Cited here" not in notes[1]


def test_packet_gives_the_locator_in_its_sentences_key(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = site.build("review-packet", "content/index.md", "--out", "packet", capsys=capsys)
    assert status == 0, err
    packet = (site.root / "packet" / "index.html").read_text(encoding="utf-8")
    body = re.search(r'<p class="gutter"><span class="ln">18</span>(.*?)</p>', packet, flags=re.S)
    assert body
    assert re.findall(r'<a class="key" href="#source-(\d)">(.*?)</a>', body.group(1)) == [
        ("1", "[S1, p. 3]"),
        ("1", "[S1, table 2]"),
        ("2", "[S2]"),
    ]
