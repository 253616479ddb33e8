"""The repository's own content builds with --strict and no problems, and holds the pages the site promises.

It is built as of the day it was last reviewed (REAL_AS_OF), so these tests pass on any day. What happens as
its review falls due is tested here too, on the days that matter: the day after 'next_review' (a notice) and
the day after the grace period (an error). One test alone uses today's date: it fails when the content's
review is overdue beyond the grace period, which is what it is for.
"""

from __future__ import annotations

import datetime
import re
import warnings
from pathlib import Path

from tests.conftest import REAL_AS_OF, STRICT, RealContent
from tests.support import PageDates, read_html, review_dates, review_grace_days, text_of

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


def test_the_real_content_builds_with_strict_and_no_problems_as_of_its_last_review(real_content: RealContent) -> None:
    build = real_content.build(*STRICT)
    assert build.status == 0, build.err
    assert build.err == ""
    assert re.match(r"Built \d+ pages in \d+\.\d\d s into .*site/\.\n", build.out)


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
    ids = read_html(html).ids
    assert "source-gauthier2021" in ids
    assert "adapted from Lee et al.</cite> <i>" in html  # a title that ends with a full stop gets no second one
    assert "<cite>Managing side effects</cite>. <i>yescarta.com</i>." in html
    assert "<i>alliancerm.org (press release)</i>. 27 June 2025." in html
    assert "fda.gov" not in html  # the FDA page's address could not be checked: the press release is cited instead


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
    return text_of(html[html.index('<div class="content">') : html.index('<section class="page-review"')])


def test_side_effects_page_says_when_to_get_help_and_when_crs_can_start(built_site: Path) -> None:
    text = page_text(built_site, "side-effects.html")
    assert "When to call and what to expect" in text
    assert "call your care team straight away, day or night, if you have a fever of 38 °C (100.4 °F) or higher" in text
    assert "If you cannot reach your care team straight away, get emergency help" in text
    assert "CRS can start in the first 1 or 2 weeks after the CAR T cells are given" in text
    assert "infections and low blood counts" in text
    assert "We do not know whether side effects are milder the second time".lower() in text.lower()


def test_staying_near_the_centre_and_driving_give_the_labels_since_june_2025_never_the_old_weeks(built_site: Path) -> None:
    side_effects = page_text(built_site, "side-effects.html")
    assert "Since June 2025, the US labels of approved CAR T-cell treatments ask people to stay near the centre for at least 2 weeks" in (
        side_effects
    )
    assert "not to drive for at least 2 weeks after the infusion" in side_effects
    assert "Your team will tell you how long." in side_effects
    questions = page_text(built_site, "questions.html")
    for question in (
        "How long must I stay near the treatment centre?",
        "When can I drive again?",
        "Does someone need to stay with me day and night, and for how long?",
    ):
        assert question in questions
    for name in PAGES:
        text = page_text(built_site, name) if name != "404.html" else ""
        assert not re.search(r"about (4|8|four|eight) weeks", text, flags=re.I), name


def test_the_side_effect_numbers_come_with_the_study_s_scope(built_site: Path) -> None:
    text = page_text(built_site, "side-effects.html")
    section = text[text.index("How often were side effects severe?") : text.index("Are side effects milder the second time?")]
    for scope in ("phase 1/2 clinical trial at one centre", "B cells", "CD19", "may not apply to other CAR T-cell treatments"):
        assert scope in section
    assert section.index("CD19") < section.index("9 out of 100")


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


# --- the review dates of the real content, on the days that matter -----------------------------------------------


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def first_due() -> tuple[datetime.date, list[PageDates]]:
    """The first day a review falls due, and the pages due that day."""
    pages = review_dates()
    due = min(p.next_review for p in pages)
    return due, [p for p in pages if p.next_review == due]


def check_as_of(real_content: RealContent, day: datetime.date) -> tuple[int, list[str]]:
    build = real_content.build("check", "--strict", "--as-of", day.isoformat())
    return build.status, build.err.splitlines()


def test_the_content_was_reviewed_on_the_day_the_tests_build_it_as_of() -> None:
    assert REAL_AS_OF == max(p.last_reviewed for p in review_dates())
    assert all(p.next_review > REAL_AS_OF for p in review_dates()), "a page was already due for review when it was last reviewed"


def test_on_the_day_a_review_is_due_there_is_nothing_to_report(real_content: RealContent) -> None:
    due, _ = first_due()
    status, err = check_as_of(real_content, due)
    assert (status, err) == (0, [])


def test_the_day_after_next_review_each_page_due_gets_a_notice_and_the_strict_build_passes(real_content: RealContent) -> None:
    due, pages = first_due()
    status, err = check_as_of(real_content, due + datetime.timedelta(days=1))
    assert status == 0, err
    grace_end = due + datetime.timedelta(days=review_grace_days())
    assert sorted(err) == sorted(
        f"{p.shown}:{p.next_review_line}: notice: review is overdue: it was due on {long_date(due)}; "
        f"the build will fail after {long_date(grace_end)} unless the page is reviewed and its dates updated"
        for p in pages
    )


def test_the_day_after_the_grace_period_each_page_due_is_an_error_and_the_build_fails(real_content: RealContent) -> None:
    due, pages = first_due()
    late = review_grace_days() + 1
    status, err = check_as_of(real_content, due + datetime.timedelta(days=late))
    assert status == 1
    for p in pages:
        assert (
            f"{p.shown}:{p.next_review_line}: review was due on {long_date(due)}, {late} days ago, "
            f"beyond the {review_grace_days()}-day grace period: review the page, then update its dates"
        ) in err
    assert err[-1].startswith("Build failed: ")


def test_the_real_content_is_not_overdue_for_review_today(real_content: RealContent) -> None:
    """The one test that uses today's date: it fails once a page's review is overdue beyond the grace period.

    Within the grace period it passes with a warning in pytest's summary. To publish again, review the pages
    and update their dates (docs/review.md, "Review dates").
    """
    today = datetime.date.today()
    build = real_content.build("check", "--strict", "--as-of", today.isoformat())
    assert build.status == 0, f"As of today ({today}), the real content cannot be published:\n{build.err}"
    if notices := [line for line in build.err.splitlines() if ": notice: " in line]:
        warnings.warn(UserWarning("review due soon:\n" + "\n".join(notices)), stacklevel=1)
