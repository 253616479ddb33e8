"""The repository's own content builds with --strict and no problems, and holds the pages the site promises."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.html_facts import parse_html
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
    "accessibility.html",
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
        assert f">{term}</dt>" in html


def test_health_pages_link_terms_to_the_glossary(built_site: Path) -> None:
    for name in ["efficacy.html", "side-effects.html", "success-factors.html"]:
        assert 'class="term" href="glossary.html#term-' in (built_site / name).read_text()


def page_text(built_site: Path, name: str) -> str:
    html = (built_site / name).read_text()
    return " ".join(re.sub(r"<[^>]+>", " ", html[html.index('<div class="content">') : html.index('<section class="page-review"')]).split())


def test_side_effects_page_says_when_to_get_help_and_when_crs_can_start(built_site: Path) -> None:
    text = page_text(built_site, "side-effects.html")
    assert "Get help straight away" in text
    assert "tell your care team straight away, day or night, if you have a fever" in text
    assert "CRS can start in the first 1 or 2 weeks after the CAR T cells are given" in text
    assert "infections and low blood counts" in text
    assert "We do not know whether side effects are milder the second time".lower() in text.lower()


def test_severe_side_effects_are_never_called_uncommon_or_rare(built_site: Path) -> None:
    for name in PAGES:
        text = page_text(built_site, name) if name != "404.html" else ""
        assert "uncommon" not in text.lower(), name
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if re.search(r"\b(9|11) out of 100\b", sentence):
                assert not re.search(r"\b(uncommon|rare|rarely)\b", sentence, flags=re.I), f"{name}: {sentence}"


def test_no_claims_about_the_authors_or_a_review_that_did_not_happen(built_site: Path) -> None:
    about = page_text(built_site, "about.html")
    assert "No clinician has reviewed this site yet." in about
    for html_file in built_site.glob("*.html"):
        html = html_file.read_text()
        assert "nurse educator" not in html and "patient advocate" not in html, html_file.name
        assert "formally reviewed" not in html, html_file.name


def test_definitions_cite_medical_sources_not_wikipedia(built_site: Path) -> None:
    for html_file in built_site.glob("*.html"):
        assert "wikipedia.org" not in html_file.read_text().lower(), html_file.name


def test_accessibility_statement_names_the_standard_the_tools_and_the_date(built_site: Path) -> None:
    text = page_text(built_site, "accessibility.html")
    for fact in ["WCAG) 2.2, at level AA", "Nu Html Checker", "axe-core", "Lighthouse", "375 pixels", "1280 pixels", "30 November 2026"]:
        assert fact in text, fact
