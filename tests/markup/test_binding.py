"""Every number that cites a source is a figure the source records: the accepted forms, the numbers that are not
figures, and the exact message of each rule, as Markdown in and problems out."""

from __future__ import annotations

import pytest

from tests.markup.extensions.conftest import converter

SOURCES = ["gauthier2021", "stjude_cart", "lee2019_astct", "yescarta_patient", "acs_cart", "msd_response"]
FIGURES = {
    "gauthier2021": [
        ("People in the study", 44),
        ("People with CLL", 9),
        ("Overall response", "39%"),
        ("Complete response", "20%"),
        ("Complete response in CLL", "2 of 9"),
        ("Median length of response in NHL", "6 months"),
        ("Higher dose", "38.6%"),
    ],
    "stjude_cart": [("When CRS can start", "1 to 2 weeks")],
    "lee2019_astct": [("CRS grades", "1 to 4"), ("Grade that means death", 5)],
    "yescarta_patient": [("Fever to call about", "38 °C")],
}


def problems(text: str, language: str = "en", figures: dict[str, list[tuple[str, object]]] | None = None) -> list[str]:
    md = converter(SOURCES, figures=FIGURES if figures is None else figures, language=language)
    return [str(p) for p in md.render(text, "content/page.md", 10).problems]


ACCEPTED = {
    "the percentage": "About 39% had a response [@gauthier2021].",
    "its natural frequency": "About 39 out of 100 people had a response [@gauthier2021].",
    "both forms side by side": "About 39 out of 100 people (39%) had a response [@gauthier2021].",
    "a noun before 'out of'": "About 39 people out of 100 had a response [@gauthier2021].",
    "'in every'": "About 39 in every 100 people had a response [@gauthier2021].",
    "the complement beside the figure": "About 39 out of 100 had a response. About 61 out of 100 did not [@gauthier2021].",
    "the complement as a percentage": "39% had a response and 61% did not [@gauthier2021].",
    "a count": "The study had 44 people [@gauthier2021].",
    "a small number spelled out": "Nine people had CLL [@gauthier2021].",
    "N of M": "2 of 9 people with CLL had a complete response [@gauthier2021].",
    "N of M as a natural frequency": "About 22 out of 100 people with CLL (22%) had a complete response [@gauthier2021].",
    "the rest of N of M": "2 of 9 had one; 7 of 9 did not [@gauthier2021].",
    "a decimal percentage rounded": "About 39 out of 100 (38.6%) got a higher dose [@gauthier2021].",
    "a duration": "Half lasted less than 6 months [@gauthier2021].",
    "a duration spelled out": "Half lasted less than six months [@gauthier2021].",
    "a range": "CRS can start in the first 1 to 2 weeks [@stjude_cart].",
    "a range with 'or'": "CRS can start in the first 1 or 2 weeks [@stjude_cart].",
    "a range with a dash": "CRS can start in the first 1–2 weeks [@stjude_cart].",
    "a range with 'between'": "CRS can start between 1 and 2 weeks after [@stjude_cart].",
    "one end of a range with its unit": "CRS usually starts within 2 weeks [@stjude_cart].",
    "the ends of a range apart": "Grades go from 1 (mild) to 4 (life-threatening); grade 5 means death [@lee2019_astct].",
    "a temperature in both scales": "Call about a fever of 38 °C (100.4 °F) or higher [@yescarta_patient].",
    "a figure of any source cited": "Fever is the main sign; 39% responded [@acs_cart; @gauthier2021].",
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_each_accepted_form_of_a_figure_passes(name: str) -> None:
    assert problems(ACCEPTED[name]) == []


NOT_FIGURES = {
    "a year": "The study was published in 2021 [@gauthier2021].",
    "the day of a date": "It was checked on 30 November 2026, on November 30, 2026 and on 2026-11-30 [@gauthier2021].",
    "a name with digits": "The cells find CD19; COVID-19 and IL-6 are names too [@gauthier2021].",
    "the 100 of 'out of 100'": 'We give numbers "out of 100" so they are easy to compare [@gauthier2021].',
    "'one' as a word": "In one study, one kind of cell was used [@gauthier2021].",
    "the numbers of a numbered list": "1. First step [@gauthier2021].\n2. Second step [@gauthier2021].\n3. Third step [@gauthier2021].",
    "a number in code": "Write `41%` like this [@gauthier2021].",
}


@pytest.mark.parametrize("name", NOT_FIGURES)
def test_numbers_that_are_not_figures_are_left_alone(name: str) -> None:
    assert problems(NOT_FIGURES[name]) == []


def test_a_number_no_cited_source_records_names_the_closest_figures() -> None:
    assert problems("Intro.\n\nAbout 41 out of 100 people (41%) had a response [@gauthier2021].") == [
        "content/page.md:12: '41 out of 100' and '41%' match no figure recorded for gauthier2021; did you mean '39 out of 100' "
        "(Overall response: 39%) or '22 out of 100' (Complete response in CLL: 2 of 9)?"
    ]


def test_the_closest_figures_come_from_every_cited_source_that_records_figures() -> None:
    assert problems("It lasted 7 weeks [@gauthier2021; @stjude_cart].") == [
        "content/page.md:10: '7 weeks' matches no figure recorded for gauthier2021 or stjude_cart; did you mean '2 weeks' "
        "(stjude_cart's When CRS can start: 1 to 2 weeks)?"
    ]


def test_a_number_of_a_kind_the_sources_do_not_record_says_so() -> None:
    assert problems("It took 3 days [@gauthier2021].") == [
        "content/page.md:10: '3 days' matches no figure recorded for gauthier2021, which records no duration in days; record it "
        "under its source in content/sources.md if the source gives it"
    ]


def test_a_spelled_out_number_is_a_number() -> None:
    assert problems("Ten people had CLL [@gauthier2021].") == [
        "content/page.md:10: 'Ten' matches no figure recorded for gauthier2021; did you mean '9' (People with CLL) or '2' "
        "(Complete response in CLL: 2 of 9)?"
    ]


def test_forms_side_by_side_that_disagree_are_an_error() -> None:
    assert problems("About 39 out of 100 people (45%) had a response [@gauthier2021].") == [
        "content/page.md:10: '39 out of 100' and '45%' beside it give two different numbers; both forms must give the same "
        "figure (gauthier2021 records Overall response: 39%)"
    ]


def test_temperatures_side_by_side_that_disagree_are_an_error() -> None:
    assert problems("Call about a fever of 38 °C (101.4 °F) [@yescarta_patient].") == [
        "content/page.md:10: '38 °C' and '101.4 °F' beside it give two different numbers; both forms must give the same figure "
        "(yescarta_patient records Fever to call about: 38 °C)"
    ]


def test_a_complement_needs_its_figure_in_the_same_block() -> None:
    assert problems("About 22 out of 100 people (22%) had a complete response. About 80 out of 100 did not [@gauthier2021].") == [
        "content/page.md:10: '80 out of 100' would be the rest of gauthier2021's Complete response (20%), but this paragraph does "
        "not give that figure itself; give both in the same place, or check the number"
    ]


def test_numbers_whose_sources_record_no_figures_are_one_warning_per_sentence() -> None:
    assert problems("Two of them, in 3 of 10 people, last 5 days [@acs_cart; @msd_response].") == [
        "content/page.md:10: warning: 'Two', '3 of 10' and '5 days' cite acs_cart and msd_response, which record no figures "
        "yet: record each figure under the source that gives it in content/sources.md (only what the source says)"
    ]


def test_a_sentence_without_a_citation_takes_that_of_the_next_cited_sentence() -> None:
    assert problems("- It happened in about 93 out of 100 people (39%). It did not happen in about 61 out of 100 [@gauthier2021].") == [
        "content/page.md:10: '93 out of 100' and '39%' beside it give two different numbers; both forms must give the same "
        "figure (gauthier2021 records Overall response: 39%)"
    ]


def test_the_problem_is_at_the_line_of_the_number() -> None:
    assert problems("In one study\nof 44 people,\nabout 41 out of 100\nhad a response [@gauthier2021].")[0].startswith(
        "content/page.md:12: '41 out of 100' matches no figure"
    )


def test_a_table_cell_cites_what_is_written_in_it() -> None:
    table = (
        "| Cancer | Complete response |\n|---|---|\n| CLL (10 people) | 22% [@gauthier2021] |\n| All (45 people) [@gauthier2021] | 20% |"
    )
    assert problems(table) == [
        "content/page.md:13: warning: '20%' has no citation in the same paragraph, list item or table cell; add one such as [@key]",
        "content/page.md:13: '45' matches no figure recorded for gauthier2021; did you mean '44' (People in the study) or '9' "
        "(People with CLL)?",
    ]


def test_a_table_row_holds_a_figure_and_its_complement() -> None:
    table = "| Cancer | Yes | No |\n|---|---|---|\n| Any | 20 out of 100 [@gauthier2021] | 80 out of 100 [@gauthier2021] |"
    assert problems(table) == []


def test_a_rounding_says_how_a_natural_frequency_is_rounded() -> None:
    text = "About 40 out of 100 people (38.6%) got a higher dose [@gauthier2021]."
    assert problems(text, figures={"gauthier2021": [("Higher dose", "38.6%", 5)]}) == []
    assert problems(text, figures={"gauthier2021": [("Higher dose", "38.6%")]}) == [
        "content/page.md:10: '40 out of 100' and '38.6%' beside it give two different numbers; both forms must give the same "
        "figure (gauthier2021 records Higher dose: 38.6%)"
    ]


def test_spanish_renderings_are_checked_in_spanish() -> None:
    text = (
        "Unas 39 de cada 100 personas (39 %) respondieron. Unas 61 de cada 100 no [@gauthier2021]. "
        "Nueve personas tenían LLC [@gauthier2021]."
    )
    assert problems(text, language="es") == []
    assert problems("Unas 41 de cada 100 personas respondieron [@gauthier2021].", language="es") == [
        "content/page.md:10: '41 de cada 100' matches no figure recorded for gauthier2021; did you mean '39 de cada 100' "
        "(Overall response: 39%) or '22 de cada 100' (Complete response in CLL: 2 of 9)?"
    ]
    assert problems("La respuesta duró de 1 a 2 semanas y 6 meses [@gauthier2021; @stjude_cart].", language="es") == []


# --- pictures take their values from recorded figures ---------------------------------------------------------------

PICTURE = """\
```icon-array
title: Overall response in one study of 44 people
affected: {affected}
statement: {statement}
affected_label: Cancer shrank or disappeared
unaffected_label: Cancer did not shrink
sources: [{sources}]
```"""


def picture(
    affected: object = "Overall response",
    statement: str = "About 39 out of 100 had a response. About 61 out of 100 did not.",
    sources: str = "gauthier2021",
) -> list[str]:
    return problems(PICTURE.format(affected=affected, statement=statement, sources=sources))


def test_an_icon_array_may_name_its_figure() -> None:
    md = converter(SOURCES, figures=FIGURES)
    result = md.render(PICTURE.format(affected="overall response", statement="About 39 out of 100 had one.", sources="gauthier2021"))
    assert [str(p) for p in result.problems] == []
    assert "Cancer shrank or disappeared: 39 out of 100." in result.html


def test_an_icon_array_naming_no_figure_gets_the_closest_name() -> None:
    assert picture(affected="overal response") == [
        "content/page.md:12: 'affected' names no figure recorded for gauthier2021: 'overal response' (did you mean 'Overall response'?)"
    ]


def test_an_icon_array_must_name_a_percentage() -> None:
    assert picture(affected="People in the study") == [
        "content/page.md:12: 'affected' names 'People in the study', which is a count; it must be a percentage or an 'N of M'"
    ]


def test_an_icon_array_whose_value_and_statement_move_together_fails_at_both() -> None:
    assert picture(affected=41, statement="About 41 out of 100 had a response. About 59 out of 100 did not.") == [
        "content/page.md:12: 'affected' (41 out of 100) matches no figure recorded for gauthier2021; did you mean '39 out of 100' "
        "(Overall response: 39%) or '22 out of 100' (Complete response in CLL: 2 of 9)?",
        "content/page.md:13: '41 out of 100' matches no figure recorded for gauthier2021; did you mean '39 out of 100' "
        "(Overall response: 39%) or '22 out of 100' (Complete response in CLL: 2 of 9)?",
        "content/page.md:13: '59 out of 100' matches no figure recorded for gauthier2021; did you mean '61 out of 100' "
        "(Overall response: 39%) or '78 out of 100' (Complete response in CLL: 2 of 9)?",
    ]


def test_a_pictures_texts_are_checked_at_their_lines() -> None:
    text = PICTURE.format(affected=39, statement="About 39 out of 100 had a response.", sources="gauthier2021")
    assert problems(text.replace("44 people", "45 people")) == [
        "content/page.md:11: '45' matches no figure recorded for gauthier2021; did you mean '44' (People in the study) or '9' "
        "(People with CLL)?"
    ]


def test_a_picture_whose_sources_record_nothing_is_a_missing_record() -> None:
    assert picture(affected=39, statement="About 39 out of 100 had a response.", sources="acs_cart") == [
        "content/page.md:11: warning: '44' cites acs_cart, which records no figures yet: record each figure under the source "
        "that gives it in content/sources.md (only what the source says)",
        "content/page.md:12: warning: 'affected' (39 out of 100) cites acs_cart, which records no figures yet: record each "
        "figure under the source that gives it in content/sources.md (only what the source says)",
        "content/page.md:13: warning: '39 out of 100' cites acs_cart, which records no figures yet: record each figure under the "
        "source that gives it in content/sources.md (only what the source says)",
    ]


BARS = """\
```bar-chart
title: Median length of response
statement: Half of the responses lasted less than this.
unit: months
bars:
  - label: NHL
    value: {value}
sources: [gauthier2021]
```"""


def test_a_bar_may_name_its_figure_or_give_its_value() -> None:
    assert problems(BARS.format(value="Median length of response in NHL")) == []
    assert problems(BARS.format(value=6)) == []
    assert problems(BARS.format(value=7)) == [
        "content/page.md:16: 'value' of 'NHL' (7 months) matches no figure recorded for gauthier2021; did you mean '6 months' "
        "(Median length of response in NHL)?"
    ]


def test_a_bar_must_name_a_figure_in_the_charts_unit() -> None:
    assert problems(BARS.format(value="Overall response")) == [
        "content/page.md:16: 'value' of 'NHL' names 'Overall response', which is not a duration in months"
    ]
