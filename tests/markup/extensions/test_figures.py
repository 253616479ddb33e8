"""Risk pictures: ```icon-array and ```bar-chart blocks, as Markdown in and HTML out, and their errors at path:line."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from markdown.test_tools import TestCase

from sitegen.markup.pictures import Bar, BarChartSpec, IconArraySpec, render_bar_chart, render_icon_array
from tests.conftest import Project, page, sources_page
from tests.markup.extensions.conftest import converter, keys

SOURCES = ["gauthier2021", "msd_response", "acs_cart"]

ICON_ARRAY = """\
```icon-array
title: Overall response
affected: 39
statement: About 39 out of 100 people had their cancer shrink or disappear.
affected_label: Cancer shrank or disappeared
unaffected_label: Cancer did not shrink or disappear
sources: [gauthier2021]
```"""

BAR_CHART = """\
```bar-chart
title: Complete response by type of cancer
statement: About 22 out of 100 people with CLL and 19 out of 100 with NHL had a complete response.
unit: "%"
label_heading: Type of cancer
value_heading: Complete response
bars:
  - label: CLL
    value: 22
  - label: NHL
    value: 19
sources: [gauthier2021]
```"""

SPEC = IconArraySpec(
    title="Severe CRS",
    statement="About 9 out of 100 people had severe CRS.",
    affected=9,
    affected_label="Severe CRS",
    unaffected_label="No severe CRS",
    sources=("gauthier2021",),
)


def cite(*numbers: int) -> str:
    links = ", ".join(f'<a href="#source-note-{n}"><span class="visually-hidden">source </span>{n}</a>' for n in numbers)
    return f'<sup class="citation">[{links}]</sup>'


def svg_of(html: str, number: int = 1) -> ElementTree.Element:
    svgs = re.findall(r"<svg class=\"figure-graphic\".*?</svg>", html, flags=re.S)
    return ElementTree.fromstring(svgs[number - 1])


def icon_indexes(svg: ElementTree.Element, group_class: str) -> list[int]:
    """The places (0 to 99, along the rows from the top left) of the people drawn in one group."""
    row = next(g for g in svg.iter("g") if g.get("id", "").endswith("-row"))
    row_xs = [int(use.get("x")) for use in row.iter("use")]
    group = next(g for g in svg.iter("g") if g.get("class") == group_class)
    indexes = []
    for use in group.iter("use"):
        y = int(use.get("y"))
        xs = row_xs if use.get("href").endswith("-row") else [int(use.get("x"))]
        indexes += [(y // 24) * 10 + x // 20 for x in xs]
    return indexes


class TestRendering(TestCase):
    def convert(self, text: str, first_line: int = 1):
        return converter(SOURCES).render(text, "content/page.md", first_line)

    def test_icon_array_is_a_figure_with_svg_caption_legend_and_table(self):
        result = self.convert(ICON_ARRAY)
        self.assertEqual(result.problems, ())
        html = result.html
        self.assertTrue(html.startswith('<figure class="figure figure-icon-array">\n<figcaption>'))
        self.assertIn(
            '<figcaption><span class="figure-title">Overall response</span> About 39 out of 100 people had their cancer shrink '
            f'or disappear. <span class="figure-source">Source: {cite(1)}</span></figcaption>',
            html,
        )
        self.assertIn('<svg class="figure-graphic" role="img" aria-labelledby="figure-1-title figure-1-desc"', html)
        self.assertIn('<title id="figure-1-title">Overall response</title>', html)
        self.assertIn(
            '<desc id="figure-1-desc">A chart of 100 people. Cancer shrank or disappeared: 39 out of 100. '
            "Cancer did not shrink or disappear: 61 out of 100.</desc>",
            html,
        )
        self.assertIn("<caption>Overall response: the numbers</caption>", html)
        self.assertIn('<thead><tr><th scope="col">Group</th><th scope="col">People out of 100</th></tr></thead>', html)
        self.assertIn(
            '<tbody><tr><th scope="row">Cancer shrank or disappeared</th><td>39</td></tr>'
            '<tr><th scope="row">Cancer did not shrink or disappear</th><td>61</td></tr></tbody>',
            html,
        )
        self.assertEqual(keys(result), ("gauthier2021",))

    def test_svg_title_is_its_first_child(self):
        svg = svg_of(self.convert(ICON_ARRAY).html)
        self.assertEqual([child.tag for child in svg][:3], ["title", "desc", "defs"])

    def test_affected_people_come_first_and_are_hatched_as_well_as_coloured(self):
        for affected in (0, 9, 39, 40, 100):
            with self.subTest(affected=affected):
                html = render_icon_array(SPEC.__class__(**{**SPEC.__dict__, "affected": affected}), "figure-3", "[1]")
                svg = ElementTree.fromstring(re.search(r"<svg class=\"figure-graphic\".*?</svg>", html, flags=re.S).group(0))
                self.assertEqual(icon_indexes(svg, "figure-affected"), list(range(affected)))
                self.assertEqual(icon_indexes(svg, "figure-unaffected"), list(range(affected, 100)))
                affected_group = next(g for g in svg.iter("g") if g.get("class") == "figure-affected")
                self.assertEqual(affected_group.get("fill"), "url(#figure-3-hatch)")
                self.assertEqual([p.get("id") for p in svg.iter("pattern")], ["figure-3-hatch"])

    def test_legend_shows_both_groups_with_their_marks(self):
        html = render_icon_array(SPEC, "figure-2", "[1]")
        self.assertIn(
            '<li><svg class="figure-key" aria-hidden="true" viewBox="-2 -2 20 26" width="20" height="26">'
            '<use class="figure-affected" href="#figure-2-person" fill="url(#figure-2-hatch)"/></svg>Severe CRS</li>',
            html,
        )
        self.assertIn('<use class="figure-unaffected" href="#figure-2-person"/></svg>No severe CRS</li>', html)

    def test_no_inline_styles_because_the_pages_csp_blocks_them(self):
        chart = BarChartSpec("T", "About 5 out of 100.", "%", (Bar("A", 5),), ("gauthier2021",))
        for html in (render_icon_array(SPEC, "figure-1", "[1]"), render_bar_chart(chart, "figure-2", "[1]")):
            self.assertNotIn("style", html)

    def test_text_is_escaped(self):
        spec = SPEC.__class__(**{**SPEC.__dict__, "title": "Risk <b> & more", "affected_label": 'Had "it"'})
        html = render_icon_array(spec, "figure-1", "[1]")
        self.assertIn('<title id="figure-1-title">Risk &lt;b&gt; &amp; more</title>', html)
        self.assertIn("Had &quot;it&quot;</li>", html)
        self.assertNotIn("<b>", html)

    def test_bar_chart_writes_each_value_beside_its_bar(self):
        result = self.convert(BAR_CHART)
        self.assertEqual(result.problems, ())
        html = result.html
        self.assertTrue(html.startswith('<figure class="figure figure-bar-chart">'))
        self.assertIn('<desc id="figure-1-desc">A bar chart. CLL: 22%. NHL: 19%.</desc>', html)
        # Percentages are drawn on a track of 200 units standing for 100 out of 100.
        self.assertIn('<rect class="figure-bar" x="0" y="26" width="44" height="22"/><text x="50" y="43">22%</text>', html)
        self.assertIn('<rect class="figure-bar" x="0" y="88" width="38" height="22"/><text x="44" y="105">19%</text>', html)
        self.assertEqual(html.count('class="figure-track"'), 2)
        self.assertIn('<th scope="col">Type of cancer</th><th scope="col">Complete response (out of 100 people)</th>', html)
        self.assertIn('<tr><th scope="row">CLL</th><td>22</td></tr>', html)

    def test_months_are_scaled_to_the_longest_bar_without_a_track(self):
        chart = BarChartSpec(
            "Median length of response",
            "33 months in CLL and 4 months in ALL.",
            "months",
            (Bar("CLL", 33), Bar("ALL", 4)),
            ("gauthier2021",),
            "Type of cancer",
            "Median length of response",
        )
        html = render_bar_chart(chart, "figure-1", "[1]")
        self.assertIn('width="200" height="22"/><text x="206" y="43">33 months</text>', html)
        self.assertIn('width="24.2" height="22"/><text x="30.2" y="105">4 months</text>', html)
        self.assertNotIn("figure-track", html)
        self.assertIn('<th scope="col">Median length of response (months)</th>', html)

    def test_caption_citation_is_numbered_where_it_stands_on_the_page(self):
        text = f"First [@acs_cart].\n\n{ICON_ARRAY}\n\nThen [@msd_response] and [@gauthier2021]."
        result = self.convert(text)
        self.assertEqual(keys(result), ("acs_cart", "gauthier2021", "msd_response"))
        self.assertIn(f'<span class="figure-source">Source: {cite(2)}</span>', result.html)
        self.assertTrue(result.html.endswith(f"<p>Then {cite(3)} and {cite(2)}.</p>"))

    def test_figure_with_several_sources_cites_them_all_in_one_superscript(self):
        result = self.convert(ICON_ARRAY.replace("sources: [gauthier2021]", "sources: [msd_response, gauthier2021]"))
        self.assertIn(f"Source: {cite(1, 2)}</span>", result.html)
        self.assertEqual(keys(result), ("msd_response", "gauthier2021"))

    def test_two_figures_on_a_page_have_unique_ids(self):
        result = self.convert(f"{ICON_ARRAY}\n\nBetween.\n\n{BAR_CHART}")
        ids = re.findall(r'\bid="([^"]+)"', result.html)
        self.assertEqual(len(ids), len(set(ids)))
        self.assertIn("figure-1-title", ids)
        self.assertIn("figure-2-title", ids)
        for labelled_by in re.findall(r'aria-labelledby="([^"]+)"', result.html):
            for target in labelled_by.split():
                self.assertIn(target, ids)
        for reference in re.findall(r'(?:href="#|url\(#)(figure-[^")]+)', result.html):
            self.assertIn(reference, ids)

    def test_figure_numbers_start_again_on_each_page(self):
        md = converter(SOURCES)
        md.render(f"{ICON_ARRAY}\n\n{ICON_ARRAY}")
        second = md.render(ICON_ARRAY)
        self.assertIn('id="figure-1-title"', second.html)
        self.assertNotIn("figure-2", second.html)

    def test_surrounding_text_keeps_its_paragraphs_and_line_numbers(self):
        result = self.convert(f"Before.\n{ICON_ARRAY}\nAfter [@gauthier2012].", first_line=20)
        self.assertTrue(result.html.startswith("<p>Before.</p>\n<figure"))
        self.assertTrue(result.html.endswith("</figure>\n<p>After [@gauthier2012].</p>"))
        self.assertEqual(
            [str(p) for p in result.problems], ["content/page.md:29: unknown source '@gauthier2012' (did you mean 'gauthier2021'?)"]
        )

    def test_a_block_shown_inside_other_fenced_code_is_left_as_code(self):
        result = self.convert(f"````markdown\n{ICON_ARRAY}\n````")
        self.assertEqual(result.problems, ())
        self.assertNotIn("<figure", result.html)
        self.assertIn("<code", result.html)
        self.assertIn("```icon-array", result.html)


class TestValidation(TestCase):
    """Each problem is reported at the key's line in the file; the block starts on line 10 of content/page.md."""

    def problems(self, block: str) -> list[str]:
        result = converter(SOURCES).render(f"Intro.\n\n{block}", "content/page.md", first_line=8)
        if result.problems:
            self.assertNotIn("<figure", result.html)
        return [str(p) for p in result.problems]

    def test_a_valid_block_has_no_problems(self):
        self.assertEqual(self.problems(ICON_ARRAY), [])
        self.assertEqual(self.problems(BAR_CHART), [])

    def test_missing_field_is_reported_at_the_opening_fence(self):
        block = ICON_ARRAY.replace("affected_label: Cancer shrank or disappeared\n", "")
        self.assertEqual(self.problems(block), ["content/page.md:10: missing required field 'affected_label'"])

    def test_unknown_field_suggests_the_right_name(self):
        block = ICON_ARRAY.replace("statement:", "statment:")
        self.assertEqual(
            self.problems(block),
            [
                "content/page.md:10: missing required field 'statement'",
                "content/page.md:13: unknown field 'statment' (did you mean 'statement'?)",
            ],
        )

    def test_wrong_type(self):
        block = ICON_ARRAY.replace("affected: 39", "affected: 39.5")
        self.assertEqual(
            self.problems(block),
            ["content/page.md:12: 'affected' must be a whole number or the name of a recorded figure, not the number 39.5"],
        )

    def test_affected_that_is_no_name_says_what_it_may_be(self):
        block = ICON_ARRAY.replace("affected: 39", "affected: many")
        self.assertEqual(
            self.problems(block),
            [
                "content/page.md:12: 'affected' names no figure recorded for gauthier2021: 'many'; "
                "write a number, or the name of one of its figures"
            ],
        )

    def test_affected_must_be_between_0_and_100(self):
        block = ICON_ARRAY.replace("affected: 39", "affected: 139").replace("About 39", "About 139")
        self.assertEqual(
            self.problems(block),
            [
                "content/page.md:12: 'affected' must be between 0 and 100, not 139",
                "content/page.md:13: '139 out of 100' matches no figure recorded for gauthier2021; "
                "did you mean '91 out of 100' (Severe CRS: 9%) or '89 out of 100' (Severe neurotoxicity: 11%)?",
            ],
        )

    def test_statement_must_give_the_number_in_words(self):
        block = ICON_ARRAY.replace("About 39 out of 100 people", "About 39% of people")
        self.assertEqual(self.problems(block), ["content/page.md:13: 'statement' must give the number in words: '39 out of 100'"])

    def test_statement_with_a_different_number_is_wrong(self):
        block = ICON_ARRAY.replace("affected: 39", "affected: 9")
        self.assertEqual(self.problems(block), ["content/page.md:13: 'statement' must give the number in words: '9 out of 100'"])

    def test_unknown_source_suggests_a_known_one(self):
        block = ICON_ARRAY.replace("sources: [gauthier2021]", "sources:\n  - gauthier2021\n  - gauthier2012")
        self.assertEqual(self.problems(block), ["content/page.md:18: unknown source 'gauthier2012' (did you mean 'gauthier2021'?)"])

    def test_sources_must_not_be_empty(self):
        block = ICON_ARRAY.replace("sources: [gauthier2021]", "sources: []")
        self.assertEqual(self.problems(block), ["content/page.md:16: 'sources' must list at least one source id, such as 'gauthier2021'"])

    def test_block_that_is_never_closed_is_an_error_at_its_opening_line(self):
        block = ICON_ARRAY.removesuffix("```") + "\nMore text."
        self.assertEqual(self.problems(block), ["content/page.md:10: the icon-array block has no closing '```' line"])

    def test_invalid_yaml_is_reported_at_its_line(self):
        block = ICON_ARRAY.replace("sources: [gauthier2021]", "sources: [gauthier2021")
        (problem,) = self.problems(block)
        self.assertTrue(problem.startswith("content/page.md:16: invalid YAML: "), problem)

    def test_block_must_hold_key_value_lines(self):
        self.assertEqual(
            self.problems("```bar-chart\n- just\n- a list\n```"),
            ["content/page.md:10: the bar-chart block must hold 'key: value' lines; it is not a list"],
        )
        self.assertEqual(
            self.problems("```bar-chart\n```"), ["content/page.md:10: the bar-chart block must hold 'key: value' lines; it is empty"]
        )

    def test_unit_must_be_percent_or_months(self):
        block = BAR_CHART.replace('unit: "%"', "unit: weeks")
        self.assertEqual(self.problems(block), ["content/page.md:13: 'unit' must be '%' or 'months', not the text 'weeks'"])

    def test_bar_without_a_value(self):
        block = BAR_CHART.replace("    value: 19\n", "")
        self.assertEqual(self.problems(block), ["content/page.md:19: missing required field 'value' in item 2 of 'bars'"])

    def test_bar_value_must_be_a_number_or_a_name(self):
        block = BAR_CHART.replace("value: 19", "value: [19]")
        expected = "content/page.md:20: 'value' in item 2 of 'bars' must be a number or the name of a recorded figure, not a list"
        self.assertEqual(self.problems(block), [expected])
        block = BAR_CHART.replace("value: 19", "value: nineteen")
        expected = (
            "content/page.md:20: 'value' of 'NHL' names no figure recorded for gauthier2021: 'nineteen'; "
            "write a number, or the name of one of its figures"
        )
        self.assertEqual(self.problems(block), [expected])

    def test_bar_value_of_400_digits_is_out_of_range_not_a_crash(self):
        block = BAR_CHART.replace("value: 19", "value: " + "9" * 400)
        expected = (
            "content/page.md:20: 'value' in item 2 of 'bars' must be a number between -1,000,000,000 and 1,000,000,000, "
            "not the number 999999999999... (400 digits)"
        )
        self.assertEqual(self.problems(block), [expected])

    def test_percentage_above_100_is_wrong(self):
        block = BAR_CHART.replace("value: 19", "value: 190")
        self.assertEqual(self.problems(block), ["content/page.md:20: 'value' of 'NHL' must be between 0 and 100, not 190"])

    def test_statement_must_give_every_bar_in_words(self):
        block = BAR_CHART.replace(" and 19 out of 100 with NHL", "")
        self.assertEqual(self.problems(block), ["content/page.md:20: 'statement' must give the value of 'NHL' in words: '19 out of 100'"])

    def test_durations_need_not_be_repeated_in_the_statement(self):
        block = (
            BAR_CHART.replace('unit: "%"', "unit: months")
            .replace("About 22 out of 100 people with CLL and 19 out of 100 with NHL", "Half")
            .replace("value: 22", "value: 33")
            .replace("value: 19", "value: 6")
        )
        self.assertEqual(self.problems(block), [])

    def test_bars_must_not_be_empty(self):
        block = re.sub(r"bars:\n(  .*\n)+", "bars: []\n", BAR_CHART)
        self.assertEqual(self.problems(block), ["content/page.md:16: 'bars' must list at least one bar, each with 'label' and 'value'"])

    def test_every_problem_in_a_block_is_reported_at_once(self):
        block = BAR_CHART.replace('unit: "%"', "unit: weeks").replace("sources: [gauthier2021]", "sources: [gauthier2012]")
        self.assertEqual(
            self.problems(block),
            [
                "content/page.md:13: 'unit' must be '%' or 'months', not the text 'weeks'",
                "content/page.md:21: unknown source 'gauthier2012' (did you mean 'gauthier2021'?)",
            ],
        )


def test_a_bad_figure_block_fails_the_build_with_its_path_and_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page(body=f"Intro [@gauthier2021].\n\n{ICON_ARRAY.replace('affected: 39', 'affected: 38')}"))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert "content/index.md:23: 'statement' must give the number in words: '38 out of 100'" in err.splitlines()
    assert not project.site.exists()


def test_a_figure_block_builds_into_the_page(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page(body=f"Intro.\n\n{ICON_ARRAY}"))
    project.write("content/sources.md", sources_page(**{"Overall response": "39%"}))
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err
    html = (project.site / "index.html").read_text()
    assert '<figure class="figure figure-icon-array">' in html
    assert f'<span class="figure-source">Source: {cite(1)}</span>' in html
    assert '<li id="source-note-1">' in html
