"""Recorded figures in the source list, through the build: each mistake in them gets its exact message at its line,
every number that cites a source is held to them, and the sources page shows them with their locators."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SOURCES_PAGE, Project, page, sources_page
from tests.support import read_html, text_of


def with_figures(lines: str) -> str:
    """SOURCES_PAGE with gauthier2021's 'figures' list written as lines (each already indented by 6)."""
    return SOURCES_PAGE.replace("    pmid: '32967009'\n", f"    pmid: '32967009'\n    figures:\n{lines}")


FIGURE_LINE = 22  # the first line of a figure written by with_figures, in content/sources.md

BAD_FIGURES = {
    "a value of unknown kind": (
        "      - name: Overall response\n        value: 39 bananas\n",
        f"content/sources.md:{FIGURE_LINE + 1}: the value of the figure 'Overall response' is '39 bananas', of no kind the check "
        "knows: 'bananas' is not a unit of time (hours, days, weeks, months or years)",
    ),
    "a value that is no number": (
        "      - name: Overall response\n        value: most people\n",
        f"content/sources.md:{FIGURE_LINE + 1}: the value of the figure 'Overall response' is 'most people', which is of no kind "
        "the check knows: write a count (44), N of M (14 of 44), a percentage (39%), a duration (33 months), a range (1 to 2 "
        "weeks) or a temperature (38 °C)",
    ),
    "a percentage above 100": (
        "      - name: Overall response\n        value: 139%\n",
        f"content/sources.md:{FIGURE_LINE + 1}: the value of the figure 'Overall response' is '139%': a percentage is at most 100%",
    ),
    "N larger than M": (
        "      - name: Complete response in CLL\n        value: 9 of 2\n",
        f"content/sources.md:{FIGURE_LINE + 1}: the value of the figure 'Complete response in CLL' is '9 of 2': 'N of M' needs "
        "whole numbers, with M more than 0 and N no more than M",
    ),
    "a range the wrong way round": (
        "      - name: When CRS starts\n        value: 2 to 1 weeks\n",
        f"content/sources.md:{FIGURE_LINE + 1}: the value of the figure 'When CRS starts' is '2 to 1 weeks': a range goes from "
        "the smaller number to the larger",
    ),
    "a count with decimals": (
        "      - name: People in the study\n        value: 44.5\n",
        f"content/sources.md:{FIGURE_LINE + 1}: the value of the figure 'People in the study' is 44.5: a count is a whole number; "
        "write 44.5% for a percentage, or add its unit, such as 44.5 months",
    ),
    "the same name twice": (
        "      - name: Overall response\n        value: 39%\n      - name: overall  Response\n        value: 20%\n",
        f"content/sources.md:{FIGURE_LINE + 2}: the figure 'overall Response' is recorded twice for gauthier2021 (also on line "
        f"{FIGURE_LINE}); give each figure its own name",
    ),
    "a missing value": (
        "      - name: Overall response\n",
        f"content/sources.md:{FIGURE_LINE}: missing required field 'value' in item 1 of 'figures' of item 1 of 'sources'",
    ),
    "an unknown field": (
        "      - name: Overall response\n        value: 39%\n        locater: Key Points\n",
        f"content/sources.md:{FIGURE_LINE + 2}: unknown field 'locater' in item 1 of 'figures' of item 1 of 'sources' "
        "(did you mean 'locator'?)",
    ),
    "a rounding that is not 1, 5 or 10": (
        "      - name: Overall response\n        value: 38.6%\n        round_to: 3\n",
        f"content/sources.md:{FIGURE_LINE + 2}: 'round_to' of the figure 'Overall response' must be 1, 5 or 10, not the number 3",
    ),
    "a rounding of a count": (
        "      - name: People in the study\n        value: 44\n        round_to: 5\n",
        f"content/sources.md:{FIGURE_LINE + 2}: 'round_to' of the figure 'People in the study' applies only to a percentage or an "
        "'N of M', not to a count",
    ),
    "a figure that is not a mapping": (
        "      - 39%\n",
        f"content/sources.md:{FIGURE_LINE}: item 1 of 'figures' must be a mapping with 'name' and 'value', not the text '39%'",
    ),
    "a name without a word": (
        "      - name: '39'\n        value: 39%\n",
        f"content/sources.md:{FIGURE_LINE}: the name of the figure '39' needs a word that says what the number is",
    ),
}


@pytest.mark.parametrize("name", BAD_FIGURES)
def test_a_mistake_in_a_recorded_figure_is_reported_at_its_line(project: Project, capsys: pytest.CaptureFixture[str], name: str) -> None:
    figures, expected = BAD_FIGURES[name]
    project.write("content/sources.md", with_figures(figures))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert expected in err.splitlines(), err
    assert not project.site.exists()


def test_numbers_citing_a_source_whose_figures_have_a_mistake_wait_until_it_is_fixed(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/sources.md", with_figures("      - name: Overall response\n        value: 39 bananas\n"))
    project.write("content/index.md", page(body="About 41 out of 100 people (41%) had a response [@gauthier2021]."))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert err.splitlines() == [
        f"content/sources.md:{FIGURE_LINE + 1}: the value of the figure 'Overall response' is '39 bananas', of no kind the check "
        "knows: 'bananas' is not a unit of time (hours, days, weeks, months or years)",
        "Build failed: 1 error. site/ was not changed.",
    ]


def test_a_language_without_number_words_is_refused(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/_site.yml", (project.content / "_site.yml").read_text().replace("language: en", "language: fr"))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert (
        "content/_site.yml:2: the number check cannot read 'fr' yet: it knows the words for numbers of en, es; add the "
        "language's words to sitegen/languages.py"
    ) in err.splitlines()


# --- the check, through a whole build -------------------------------------------------------------------------------


def build_home(project: Project, capsys: pytest.CaptureFixture[str], body: str, *args: str, **figures: str) -> tuple[int, list[str]]:
    project.write("content/sources.md", sources_page(**figures))
    project.write("content/index.md", page(body=body))
    status, _, err = project.build(*args, capsys=capsys)
    return status, err.splitlines()


def test_a_number_its_source_does_not_record_fails_the_build_at_its_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    body = "Intro.\n\nIn one study,\nabout 41 out of 100 people (41%) had a response [@gauthier2021]."
    status, err = build_home(project, capsys, body, **{"Overall response": "39%"})
    assert status == 1
    assert (
        "content/index.md:21: '41 out of 100' and '41%' match no figure recorded for gauthier2021; did you mean '39 out of 100' "
        "(Overall response: 39%)?"
    ) in err


def test_a_missing_record_is_a_warning_and_strict_makes_it_fail(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    body = "CRS can start in the first 1 or 2 weeks [@gauthier2021]."
    expected = (
        "content/index.md:18: warning: '1 or 2 weeks' cites gauthier2021, which records no figures yet: record each figure under "
        "the source that gives it in content/sources.md (only what the source says)"
    )
    status, err = build_home(project, capsys, body)
    assert status == 0 and expected in err
    status, err = build_home(project, capsys, body, "--strict")
    assert status == 1 and expected in err


def test_every_number_bound_to_a_figure_builds_with_strict(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    body = (
        "In one study of 44 people [@gauthier2021], published in 2021, about 39 out of 100 people (39%) had a response. "
        "About 61 out of 100 did not [@gauthier2021]. Nine people had CLL [@gauthier2021]."
    )
    status, err = build_home(
        project, capsys, body, "--strict", **{"People in the study": "44", "People with CLL": "9", "Overall response": "39%"}
    )
    assert status == 0, err


def test_a_recorded_figure_no_page_gives_is_a_warning(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    body = "About 39 out of 100 people (39%) had a response [@gauthier2021]."
    status, err = build_home(project, capsys, body, "--strict", **{"Overall response": "39%", "Complete response": "20%"})
    assert status == 1
    assert (
        f"content/sources.md:{FIGURE_LINE + 2}: warning: the figure 'Complete response' of gauthier2021 is used on no page, but the "
        "sources page lists it as used; remove it, or give it on a page"
    ) in err


def test_a_glossary_definition_is_checked_against_its_terms_sources(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/sources.md", sources_page(**{"Median length of response in NHL": "6 months"}))
    project.write(
        "content/glossary.md",
        page(title="Words", order=2, body="Words.").replace(
            "reviewed_by: []",
            "reviewed_by: []\nterms:\n  - term: Median\n    definition: For NHL it was 8 months.\n    sources: [gauthier2021]",
        ),
    )
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert (
        "content/glossary.md:12: '8 months' matches no figure recorded for gauthier2021; did you mean '6 months' "
        "(Median length of response in NHL)?"
    ) in err.splitlines()


def test_a_picture_takes_its_value_from_a_named_figure(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    picture = (
        "```icon-array\ntitle: Overall response\naffected: overall response\n"
        "statement: About 39 out of 100 people had their cancer shrink or disappear.\n"
        "affected_label: Cancer shrank\nunaffected_label: Cancer did not shrink\nsources: [gauthier2021]\n```"
    )
    status, err = build_home(project, capsys, f"Intro.\n\n{picture}", "--strict", **{"Overall response": "39%"})
    assert status == 0, err
    svg = (project.site / "index.html").read_text()
    assert svg.count('<use href="#figure-1-row"') + svg.count('<use href="#figure-1-person"') > 0
    assert "Cancer shrank: 39 out of 100" in svg


def test_sources_page_shows_each_figure_with_its_locator(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write(
        "content/sources.md",
        with_figures(
            "      - name: Overall response\n        value: 39%\n        locator: Key Points\n"
            "      - name: When CRS can start\n        value: 1 to 2 weeks\n"
        ),
    )
    project.write(
        "content/index.md", page(body="About 39 out of 100 people (39%) [@gauthier2021]. It starts within 1 to 2 weeks [@gauthier2021].")
    )
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err
    html = (project.site / "sources.html").read_text()
    entry = html[html.index('id="source-gauthier2021"') :]
    entry = entry[: entry.index("</ul>")]
    assert "Numbers on this site that come from it:" in text_of(entry)
    items = [text_of(m) for m in re.findall(r"<li id=\"figure-[^\"]+\">(.*?)</li>", entry, flags=re.S)]
    assert items == ["Overall response: 39% (where in the source: Key Points)", "When CRS can start: 1 to 2 weeks"]
    assert {"figure-gauthier2021-overall-response", "figure-gauthier2021-when-crs-can-start"} <= read_html(html).ids


def test_the_urgent_help_box_is_held_to_its_sources_figures(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    settings = (
        (project.content / "_site.yml")
        .read_text()
        .replace("signs: [a fever, confusion]", "signs: [a fever of 38 °C (101.4 °F) or higher, confusion]")
    )
    project.write("content/_site.yml", settings)
    project.write("content/sources.md", sources_page(**{"Fever to call about": "38 °C"}))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert (
        "content/_site.yml:12: '38 °C' and '101.4 °F' beside it give two different numbers; both forms must give the same "
        "figure (gauthier2021 records Fever to call about: 38 °C)"
    ) in err.splitlines()
    project.write("content/_site.yml", settings.replace("101.4 °F", "100.4 °F"))
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err
