"""The repository's own content builds with --strict and no problems, and holds the pages the site promises."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.checks import parse_html
from tests.conftest import REPO

PAGES = [
    "index.html",
    "efficacy.html",
    "side-effects.html",
    "success-factors.html",
    "questions.html",
    "sources.html",
    "glossary.html",
    "about.html",
    "404.html",
]
NUMBER = re.compile(r"\d+(?:\.\d+)?\s?%|\b\d+ out of \d+\b|\b\d+ months?\b")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("real") / "site"
    completed = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--strict", "--site", str(site)], cwd=REPO, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert re.match(r"Built \d+ pages in \d+\.\d\d s into .*site/\.\n", completed.stdout)
    return site


def test_the_promised_pages_are_built(built_site: Path) -> None:
    for name in PAGES:
        assert (built_site / name).is_file(), name


def test_every_page_has_one_h1_lang_skip_link_and_favicon(built_site: Path) -> None:
    for html_file in built_site.glob("*.html"):
        html = html_file.read_text()
        assert html.count("<h1") == 1, html_file.name
        assert re.search(r'<html lang="[a-z]{2}', html)
        assert 'class="skip-link" href="#main"' in html
        assert 'rel="icon"' in html
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert set(scripts) <= {'<script type="application/ld+json">'}, "no JavaScript: only the JSON-LD data block"


def test_every_number_on_the_health_pages_has_a_citation_in_its_block(built_site: Path) -> None:
    for name in ["index.html", "efficacy.html", "side-effects.html", "success-factors.html"]:
        html = (built_site / name).read_text()
        content = html[html.index('<div class="content">') : html.index('<section class="page-review"')]
        blocks = re.findall(r"<(p|li|td|th|figcaption)\b[^>]*>(.*?)</\1>", content, flags=re.S)
        assert blocks
        for _, block in blocks:
            text = re.sub(r"<sup class=\"citation\">.*?</sup>", "", block, flags=re.S)
            if NUMBER.search(re.sub(r"<[^>]+>", "", text)):
                assert 'class="citation"' in block, f"{name}: number without a citation: {block!r}"


def test_sources_page_links_doi_and_pubmed(built_site: Path) -> None:
    html = (built_site / "sources.html").read_text()
    assert 'href="https://doi.org/10.1182/blood.2020006770"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/32967009/"' in html
    ids = parse_html(html).ids
    assert "source-gauthier2021" in ids


def test_each_page_ends_with_its_sources_linking_to_the_sources_page(built_site: Path) -> None:
    for name in ["index.html", "efficacy.html", "side-effects.html", "success-factors.html", "about.html"]:
        html = (built_site / name).read_text()
        assert "Sources for this page" in html
        assert 'href="sources.html#source-gauthier2021"' in html


def test_questions_page_draws_on_the_success_factors(built_site: Path) -> None:
    text = re.sub(r"<[^>]+>", "", (built_site / "questions.html").read_text())
    for question in [
        "What lymphodepletion did I have before my first infusion?",
        "Would my second dose be higher than my first?",
        "What does my type of cancer mean for me?",
    ]:
        assert question in text


def test_glossary_holds_every_term_of_the_reference_glossary(built_site: Path) -> None:
    html = (built_site / "glossary.html").read_text()
    for term in ["Cytokine release syndrome (CRS)", "Lymphodepletion", "Fludarabine", "Cyclophosphamide", "Complete response", "Relapse"]:
        assert f">{term}</h2>" in html


def test_health_pages_link_terms_to_the_glossary(built_site: Path) -> None:
    for name in ["efficacy.html", "side-effects.html", "success-factors.html"]:
        assert 'class="term" href="glossary.html#term-' in (built_site / name).read_text()
