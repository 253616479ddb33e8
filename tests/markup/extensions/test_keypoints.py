"""Key points: 2 to 4 short sentences or bullets, written first in a page's text under '## Key points', shown under the
title and the caveat, and checked like any other text, each problem at the line the editor wrote."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Project, page, sources_page

MISSING = (
    "warning: this page has no key points: start its text with a '## Key points' heading and 2 to 4 short sentences or "
    'bullets that say what the page says (see docs/editing.md, "Key points")'
)


def key_points_page(points: str, rest: str = "## More\n\nThe rest of the page [@gauthier2021].") -> str:
    """A page whose text starts with the key points given (its line 11 is the '## Key points' heading)."""
    return page(body=f"## Key points\n\n{points}\n\n{rest}", key_points=False)


def problems(err: str) -> list[str]:
    return [line for line in err.splitlines() if not line.startswith(("Build failed", "Built", "Rendered"))]


def test_key_points_are_shown_under_the_title_and_the_caveat_and_before_the_urgent_help_box(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write(
        "content/index.md",
        key_points_page(
            "- About 39 out of 100 people (39%) had a response [@gauthier2021].\n- Side effects can be severe.", "## More\n\nText."
        ),
    )
    project.write("content/sources.md", sources_page(**{"Overall response": "39%"}))
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err
    html = (project.site / "index.html").read_text()
    order = [
        html.index(marker) for marker in ("<h1>", 'class="caveat"', 'class="key-points"', 'class="urgent-help"', '<div class="content">')
    ]
    assert order == sorted(order)
    section = html[html.index("<section") : html.index("</section>")]
    assert section.startswith('<section aria-labelledby="key-points" class="key-points"><h2 id="key-points">Key points</h2>')
    assert '(39%) had a response <sup class="citation">[<a href="#source-note-1">' in section
    content = html[html.index('<div class="content">') :]
    assert "Key points" not in content.split("</div>")[0] and '<h2 id="more">More</h2>' in content


def test_a_page_without_key_points_gets_a_warning_that_strict_makes_an_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page(body="Just text [@gauthier2021].", key_points=False))
    status, _, err = project.build(capsys=capsys)
    assert status == 0
    assert problems(err) == [f"content/index.md:11: {MISSING}"]  # not for sources.md, 404.html or section indexes
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 1 and f"content/index.md:11: {MISSING}" in err


def test_generated_pages_and_the_list_of_sources_need_no_key_points(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/care/at-home.md", page("At home", order=3))
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err
    for generated in ("care/index.html", "404.html", "sources.html"):
        assert 'class="key-points"' not in (project.site / generated).read_text()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Intro [@gauthier2021].\n\n## Key points\n\n- One.\n- Two.",
            [
                f"content/index.md:11: {MISSING}",
                "content/index.md:13: warning: '## Key points' must be the first thing in the page's text, straight after the "
                "front matter, so that readers see the key points under the title",
            ],
        ),
        (
            "## Key points\n\n- One.\n- Two.\n- Three.\n- Four.\n- Five.",
            ["content/index.md:11: warning: the key points hold 5 sentences or bullets; give 2 to 4, each short"],
        ),
        (
            "## Key points\n\nOnly one sentence here [@gauthier2021].",
            ["content/index.md:11: warning: the key points hold 1 sentence or bullet; give 2 to 4, each short"],
        ),
        (
            "## Key points\n\nA first sentence. A second one.\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            ["content/index.md:15: warning: the key points may hold only short sentences or a list; move this below the next '##' heading"],
        ),
        (
            "## Key points\n\n- A short point.\n"
            "- This point goes on and on with far too many words for anyone to take in at a single glance today.",
            [
                "content/index.md:14: warning: a key point's sentence has 21 words, more than 20: \"This point goes on and on with far "
                'too many words for anyone to take in at a single glance today."; split it, or say less'
            ],
        ),
    ],
    ids=["not first", "too many", "too few", "a table", "a long sentence"],
)
def test_each_key_points_problem_is_reported_at_its_line(
    project: Project, capsys: pytest.CaptureFixture[str], body: str, expected: list[str]
) -> None:
    project.write("content/index.md", page(body=body, key_points=False))
    status, _, err = project.build(capsys=capsys)
    assert status == 0
    assert problems(err) == expected


def test_key_points_sentences_count_one_by_one_in_paragraphs(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", key_points_page("The first point. The second point.\n\nThe third point [@gauthier2021]."))
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err


def test_hard_key_points_get_their_own_reading_grade_warning(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    hard = (
        "- Immunotherapeutic interventions necessitate comprehensive multidisciplinary evaluation of eligibility.\n"
        "- Lymphodepleting chemotherapy precedes administration of genetically modified autologous lymphocytes.\n"
        "- Cytokine-mediated complications occasionally necessitate intensive supportive management and corticosteroid administration."
    )
    project.write("content/index.md", key_points_page(hard, "## More\n\n" + "The page is easy to read. It has short words. " * 8))
    _, _, err = project.build(capsys=capsys)
    found = [line for line in problems(err) if "key points' reading grade" in line]
    assert len(found) == 1
    assert re.fullmatch(
        r"content/index\.md:1[345]: warning: the key points' reading grade is above 8 \(Flesch-Kincaid [\d.]+, SMOG [\d.]+\)\. "
        r'The hardest sentence is "[^"]+": use shorter sentences and everyday words',
        found[0],
    )


def test_key_points_go_through_the_same_checks_as_any_text(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    points = "- About 39 out of 100 people (39%) had a response.\n- See [@gauthier2012].\n- <script>alert(1)</script> Text."
    project.write("content/index.md", key_points_page(points))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    found = problems(err)
    uncited = "'39 out of 100' has no citation in the same paragraph, list item or table cell; add one such as [@key]"
    assert f"content/index.md:13: warning: {uncited}" in found
    assert "content/index.md:14: unknown source '@gauthier2012' (did you mean 'gauthier2021'?)" in found
    assert any(line.startswith("content/index.md:15: <script> is not allowed in a page") for line in found)


def test_the_first_use_of_a_glossary_term_is_linked_in_the_key_points(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    glossary = page(
        "Words",
        order=5,
        terms="\n  - term: Relapse\n    definition: The cancer comes back.\n    sources: [gauthier2021]",
    )
    project.write("content/glossary.md", glossary)
    project.write("content/index.md", key_points_page("- A relapse is common.\n- Ask about a relapse.", "## More\n\nA relapse again."))
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err
    html = (project.site / "index.html").read_text()
    assert html.count('class="term"') == 1
    assert html.index('class="term"') < html.index("</section>")
