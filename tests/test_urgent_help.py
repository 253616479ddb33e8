"""The "Get help straight away" box in two tiers: call the care team, or get emergency help when they cannot be
reached, with the emergency number set once in _site.yml; whole on one page, short on the others."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SITE_SETTINGS, Project, page

EMERGENCY = '  emergency: "If you cannot reach your care team straight away, get emergency help: call {emergency_number}."\n'
SHORT_FORM = (
    "  compact_action: Call your care team straight away, day or night, if you get a fever or another warning sign.\n"
    "  full_box_page: side-effects.md\n"
)


def settings(old: str = "", new: str = "") -> str:
    assert old in SITE_SETTINGS
    return SITE_SETTINGS.replace(old, new) if old else SITE_SETTINGS


def box_of(html: str) -> str:
    start = html.index('<section class="urgent-help')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def short_form(project: Project) -> Project:
    """A site whose side-effects page shows the whole box, and whose home page names a side effect."""
    project.write("content/_site.yml", settings(EMERGENCY, EMERGENCY + SHORT_FORM))
    project.write("content/index.md", page(body="Side effects can be severe [@gauthier2021]."))
    project.write("content/side-effects.md", page("Side effects", "What to watch for [@gauthier2021].", order=2))
    return project


def test_the_box_gives_the_second_tier_with_the_number_as_a_link_and_cites_its_sources(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/index.md", page(body="Side effects can be severe [@gauthier2021]."))
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    box = box_of((project.site / "index.html").read_text())
    assert box.index("<li>confusion</li>") < box.index("If you cannot reach your care team straight away")
    assert (
        '<strong>If you cannot reach your care team straight away, get emergency help: call <a class="urgent-help-number" '
        'href="tel:112">112</a>.</strong>'
    ) in box
    assert re.search(r'Sources: <a href="sources.html#source-gauthier2021">Blood<span class="visually-hidden">: Factors', box)


def test_the_named_page_shows_the_whole_box_and_the_others_a_short_form_that_links_to_it(
    short_form: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = short_form.build("--strict", capsys=capsys)
    assert status == 0, err
    whole = box_of((short_form.site / "side-effects.html").read_text())
    assert 'id="urgent-help"' in whole and "<li>a fever</li>" in whole
    short = box_of((short_form.site / "index.html").read_text())
    assert 'class="urgent-help urgent-help-compact"' in short and "<li>" not in short
    assert "Call your care team straight away, day or night, if you get a fever or another warning sign." in short
    assert 'href="tel:112">112</a>' in short
    assert '<a href="side-effects.html#urgent-help">See all the signs</a>' in short
    assert 'class="urgent-help' not in (short_form.site / "sources.html").read_text()


def test_the_page_with_the_whole_box_shows_it_even_when_it_names_no_side_effect(
    short_form: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    short_form.write("content/side-effects.md", page("Side effects", "What to watch for [@gauthier2021].", order=2))
    short_form.write("content/index.md", page())
    status, _, err = short_form.build(capsys=capsys)
    assert status == 0, err
    assert 'id="urgent-help"' in (short_form.site / "side-effects.html").read_text()
    assert 'class="urgent-help' not in (short_form.site / "index.html").read_text()


def test_a_template_that_drops_the_short_form_fails_the_build(short_form: Project, capsys: pytest.CaptureFixture[str]) -> None:
    template = short_form.templates / "_urgent_help.html"
    text = template.read_text()
    template.write_text(text.replace("{{ urgent_help.compact_action }} <strong>{{ emergency }}</strong>", ""))
    status, _, err = short_form.build(capsys=capsys)
    assert status == 1
    assert (
        "templates/page.html:1: this page names a side effect, so it must show the short form of the 'Get help straight away' "
        "box from the site settings, visibly; its short action and emergency-help sentence are missing (in index.html)"
    ) in err


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'emergency_number: "112"\n',
            "",
            "content/_site.yml:1: missing required field 'emergency_number'",
        ),
        (
            'emergency_number: "112"\n',
            "emergency_number: 112\n",
            "content/_site.yml:8: 'emergency_number' must be text, not the number 112 (put it in quotes to make it text)",
        ),
        (
            'emergency_number: "112"\n',
            'emergency_number: "call one-one-two"\n',
            'content/_site.yml:8: \'emergency_number\' must be the number to call, in digits, such as "911" or "112", '
            "not 'call one-one-two'",
        ),
        (
            "call {emergency_number}.",
            "call your local number.",
            "content/_site.yml:13: 'emergency' in 'urgent_help' must say where the emergency number goes: write {emergency_number} once "
            "(the number itself is set as 'emergency_number'), for example \"If you cannot reach your care team straight away, "
            'get emergency help: call {emergency_number}."',
        ),
        (
            "call {emergency_number}.",
            "call {emergency_number} (112 in Europe).",
            "content/_site.yml:13: 'emergency' in 'urgent_help' writes the emergency number 112: write {emergency_number} in "
            "'emergency' instead, so that the number is set in one place ('emergency_number')",
        ),
        (
            "  sources: [gauthier2021]\n",
            "  full_box_page: side-effects.md\n  sources: [gauthier2021]\n",
            "content/_site.yml:14: with 'full_box_page', the other pages show a short form of the box: set its sentence as "
            "'compact_action' in 'urgent_help'",
        ),
    ],
    ids=["missing number", "unquoted number", "not a number", "no place for the number", "number written out", "no short form"],
)
def test_a_mistake_in_the_emergency_settings_is_reported_at_its_line(
    project: Project, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    project.write("content/_site.yml", settings(old, new))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert expected in err.splitlines(), err


def test_a_full_box_page_that_is_not_a_page_is_reported_with_a_suggestion(short_form: Project, capsys: pytest.CaptureFixture[str]) -> None:
    short_form.write("content/_site.yml", settings(EMERGENCY, EMERGENCY + SHORT_FORM.replace("side-effects.md", "side-efects.md")))
    status, _, err = short_form.build(capsys=capsys)
    assert status == 1
    assert (
        "content/_site.yml:15: 'full_box_page' in 'urgent_help' names 'side-efects.md', which is not a page of the site "
        "(did you mean 'side-effects.md'?); name the file in content/ that shows the whole box"
    ) in err.splitlines()
