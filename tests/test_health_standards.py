"""Health-content rules enforced by the build: review dates, reading level, glossary page, structured data."""

from __future__ import annotations

import datetime
import json
import re

import pytest

from sitegen.load.review_dates import add_months
from tests.conftest import AS_OF, Project, page

TODAY = AS_OF


def days(n: int) -> str:
    return (TODAY + datetime.timedelta(days=n)).isoformat()


def test_page_shows_review_dates_and_that_clinical_review_is_not_done(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    html = (project.site / "index.html").read_text()
    main = html[html.index("<main") : html.index("</main>")]
    assert "Content last checked: 2 January 2026 · Next check due: 1 July 2026" in main
    assert "Clinical review: not yet done." in main


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"last_reviewed": days(-10), "next_review": days(-20)}, "content/index.md:8: 'next_review' must be after 'last_reviewed'"),
        (
            {"last_reviewed": days(-10), "next_review": add_months(TODAY, 13).isoformat()},
            "content/index.md:8: 'next_review' is more than 12 months after 'last_reviewed'",
        ),
        ({"last_reviewed": days(-300), "next_review": days(-40)}, "content/index.md:8: review was due on"),
        ({"last_reviewed": days(5), "next_review": days(60)}, "content/index.md:7: 'last_reviewed' ("),
        (
            {"published": days(-5), "last_reviewed": days(-10), "next_review": days(60)},
            "content/index.md:7: 'last_reviewed' is before 'published'",
        ),
    ],
)
def test_review_date_errors(project: Project, capsys: pytest.CaptureFixture[str], fields: dict[str, str], expected: str) -> None:
    project.write("content/index.md", page(**({"published": days(-400)} | fields)))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert any(line.startswith(expected) for line in err.splitlines()), err


def test_overdue_review_is_a_notice_within_the_grace_period_even_with_strict(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    due = TODAY - datetime.timedelta(days=10)
    end = due + datetime.timedelta(days=30)
    project.write("content/index.md", page(published=days(-300), last_reviewed=days(-200), next_review=due.isoformat()))
    for strict in ((), ("--strict",)):
        status, _, err = project.build(*strict, capsys=capsys)
        assert status == 0, err
        assert (
            f"content/index.md:8: notice: review is overdue: it was due on {due.day} {due:%B %Y}; "
            f"the build will fail after {end.day} {end:%B %Y} unless the page is reviewed and its dates updated"
        ) in err


def test_grace_period_and_maximum_interval_come_from_site_settings(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    settings = (project.content / "_site.yml").read_text()
    project.write("content/_site.yml", settings + "review_grace_days: 5\nmax_review_interval_months: 3\n")
    project.write("content/index.md", page(published=days(-300), last_reviewed=days(-200), next_review=days(-10)))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert "beyond the 5-day grace period" in err
    assert "'next_review' is more than 3 months after 'last_reviewed'" in err


def test_review_dates_are_never_taken_from_the_build_time(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page().replace("last_reviewed: 2026-01-02\n", ""))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert "content/index.md:1: missing required field 'last_reviewed'" in err


def test_hard_page_warns_and_exempt_page_does_not(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    dense = (
        "Immunotherapeutic interventions utilising genetically engineered autologous lymphocytes demonstrated "
        "considerable heterogeneity regarding durability [@gauthier2021]. "
    ) * 5
    project.write("content/hard.md", page(title="Hard", order=2, body=dense))
    status, out, err = project.build(capsys=capsys)
    assert status == 0
    assert re.search(
        r"content/hard\.md:18: warning: reading grade is above 8 \(Flesch-Kincaid [\d.]+, SMOG [\d.]+\)\. "
        r'The hardest sentence is "Immunotherapeutic interventions .*": use shorter sentences and everyday words',
        err,
    )
    assert re.search(r"Reading grade \(Flesch-Kincaid/SMOG, target 8 or below\):.*hard\.md [\d.]+/[\d.]+", out)
    project.write("content/hard.md", page(title="Hard", order=2, body=dense, reading_level_exempt="true"))
    status, out, err = project.build("--strict", capsys=capsys)
    assert status == 0, err


GLOSSARY_PAGE = page(
    title="Words to know",
    order=5,
    body="Words used on this site.",
    terms="""
  - term: Complete response
    definition: No sign of cancer can be found after treatment.
    sources: [gauthier2021]
  - term: Cytokine release syndrome
    abbreviation: CRS
    definition: A reaction of the immune system.
    sources: [gauthier2021]""",
)


def test_glossary_page_lists_terms_and_other_pages_link_their_first_use(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/glossary.md", GLOSSARY_PAGE)
    project.write("content/index.md", page(body="A complete response [@gauthier2021]. Complete response again. CRS too."))
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err
    glossary = (project.site / "glossary.html").read_text()
    assert '<dt id="term-cytokine-release-syndrome">Cytokine release syndrome (CRS)</dt>' in glossary
    assert '<dd>A reaction of the immune system. <sup class="citation">[<a href="#source-note-1">' in glossary
    assert 'class="term"' not in glossary
    home = (project.site / "index.html").read_text()
    assert home.count('href="glossary.html#term-complete-response"') == 1
    assert (
        '<a class="term" href="glossary.html#term-cytokine-release-syndrome"><abbr title="Cytokine release syndrome">CRS</abbr></a>' in home
    )


def test_glossary_term_with_unknown_source_is_an_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write(
        "content/glossary.md", GLOSSARY_PAGE.replace("sources: [gauthier2021]\n  - term: Cyt", "sources: [gauthier2012]\n  - term: Cyt")
    )
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert "content/glossary.md:13: unknown source 'gauthier2012' for 'Complete response' (did you mean 'gauthier2021'?)" in err


def structured_data(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, flags=re.S)
    assert match
    return json.loads(match.group(1))


def test_each_page_carries_medical_web_page_json_ld(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build("--base-url", "https://example.org/site/", capsys=capsys)
    data = structured_data((project.site / "index.html").read_text())
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "Home" and data["description"] == "About Home." and data["inLanguage"] == "en"
    assert data["datePublished"] == "2026-01-01"
    assert "lastReviewed" not in data and "reviewedBy" not in data  # only a current clinical review gives them
    assert data["audience"] == {"@type": "Patient"}
    assert data["about"]["name"] == "CAR T-cell therapy"
    assert data["url"] == "https://example.org/site/"
    assert [c["sameAs"] for c in data["citation"]] == ["https://doi.org/10.1182/blood.2020006770"]


def test_json_ld_cannot_break_out_of_its_element(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page(title="A </script> title"))
    project.build(capsys=capsys)
    html = (project.site / "index.html").read_text()
    data = structured_data(html)
    assert data["name"] == "A </script> title"
    assert html.count("</script>") == 1
