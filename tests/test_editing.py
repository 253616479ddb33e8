"""Editing without being a programmer: `build.py new`, the help, "did you mean", and plain hints for YAML mistakes."""

from __future__ import annotations

import argparse

import pytest

from sitegen.cli import main, make_parser
from tests.conftest import REPO, Project, page

NEW_PAGE = """\
---
title: "Side effects: what to expect"
description: "One or two sentences that say what this page is about, for search results and link previews."
nav_title: "Side effects: what to expect"
nav_order: 10
published: 2026-03-01
last_reviewed: 2026-03-01
next_review: 2026-09-01
reviewed_by: []
---

## Key points

- Start with the main points here, in 2 to 4 short bullets. Readers see them first, under the title.
- Say what the page says, and nothing more. Cite a source for each fact, as below.

## A first section

Use short sentences and plain words. Explain a hard word the first time you use it.

Put a source straight after each fact, like this: `[@gauthier2021]`. The part after the `@` is the `id` of a
source in `content/sources.md`. Add a new source there first.

Every number needs a source in the same paragraph. Write a number like this: `about 39 out of 100 people (39%)`.
"""


def new(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["new", *args, "--content", str(project.content)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_new_writes_every_required_field_with_todays_dates_and_a_guide(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = new(project, capsys, "Side effects: what to expect", "--as-of", "2026-03-01")
    assert (status, err) == (0, "")
    assert out == "Wrote content/side-effects-what-to-expect.md. Open it, write the page, and replace the description.\n"
    assert (project.content / "side-effects-what-to-expect.md").read_text() == NEW_PAGE  # sources.md has nav_order 9


def test_the_new_page_builds_strictly_and_shows_its_title(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    new(project, capsys, "Side effects: what to expect", "--as-of", "2026-03-01")
    status, out, err = project.build("--strict", "--as-of", "2026-03-01", capsys=capsys)
    assert status == 0, err
    html = (project.site / "side-effects-what-to-expect.html").read_text()
    assert "<h1>Side effects: what to expect</h1>" in html
    assert "<code>[@gauthier2021]</code>" in html


def test_the_next_review_is_sooner_when_the_site_allows_less_than_6_months(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    settings = project.content / "_site.yml"
    settings.write_text(settings.read_text() + "max_review_interval_months: 3\n")
    new(project, capsys, "Care at home", "--as-of", "2026-11-30")
    text = (project.content / "care-at-home.md").read_text()
    assert "published: 2026-11-30\nlast_reviewed: 2026-11-30\nnext_review: 2027-02-28\n" in text


def test_new_refuses_to_overwrite_an_existing_page(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = (project.content / "index.md").read_text()
    status, out, err = new(project, capsys, "Index")
    assert (status, out) == (1, "")
    assert err == "content/index.md:1: this file already exists and was not changed; choose another title, or a file name with --slug\n"
    assert (project.content / "index.md").read_text() == before


def test_new_with_a_slug_and_a_title_that_makes_no_file_name(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = new(project, capsys, "???")
    assert status == 1
    assert err == (
        "content:1: the title has no letters or digits to make a file name from; choose one with --slug, "
        "using lowercase letters, digits and '-'\n"
    )
    status, out, _ = new(project, capsys, "Über CAR-T — FAQ", "--slug", "faq")
    assert status == 0
    assert 'title: "Über CAR-T — FAQ"' in (project.content / "faq.md").read_text()
    status, _, err = new(project, capsys, "Anything", "--slug", "Bad Name")
    assert err.startswith("content:1: 'Bad Name' cannot be a file name; choose one with --slug")


def test_a_title_with_quotes_and_a_hash_stays_whole(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    new(project, capsys, 'Page #2: the "why"', "--as-of", "2026-03-01")
    text = (project.content / "page-2-the-why.md").read_text()
    assert 'title: "Page #2: the \\"why\\""' in text
    status, _, err = project.build("--as-of", "2026-03-01", capsys=capsys)
    assert status == 0, err
    assert "<h1>Page #2: the &#34;why&#34;</h1>" in (project.site / "page-2-the-why.html").read_text()


# Help and "did you mean"


def every_option(parser: argparse.ArgumentParser) -> set[str]:
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = set(commands.choices)
    for sub in commands.choices.values():
        for action in sub._actions:
            if not isinstance(action, argparse._HelpAction):
                found.update(action.option_strings or [action.dest])
    return found


def test_top_level_help_lists_every_command_and_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"], project_root=REPO)
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    words = set(help_text.replace(",", " ").split())
    options = every_option(make_parser(REPO))
    assert {"--strict", "--base-url", "--as-of", "--format", "--review-report", "--slug", "new"} <= options
    assert options - words == set()
    assert help_text.index("options of 'build', 'check', 'serve'") < help_text.index("Every problem is printed as")


COMMAND_LIST = "build, check, serve, new, review, review-packet"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chek"], f"build.py: error: unknown command 'chek' (did you mean 'check'?); the commands are {COMMAND_LIST}"),
        (["buidl", "--strict"], f"build.py: error: unknown command 'buidl' (did you mean 'build'?); the commands are {COMMAND_LIST}"),
        (
            ["check", "--strcit"],
            "build.py: error: unrecognized arguments: --strcit (did you mean '--strict'?) ('build.py check --help' lists the options)",
        ),
        (
            ["--review-reprot"],
            "build.py: error: unrecognized arguments: --review-reprot ('build.py build --help' lists the options)",
        ),
    ],
)
def test_a_mistyped_command_or_option_gets_did_you_mean(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv, project_root=REPO)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == message


# Plain hints for the commonest YAML mistakes


BASE = page(title="Home", key_points=False).split("\n", 2)[2]  # every field after the title, the closing '---' and the body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: Side effects: what to expect\n" + BASE,
            "content/index.md:2: the text of 'title' has a colon in it, so put the whole text in quotes: "
            'title: "Side effects: what to expect"',
        ),
        (
            "---\ntitle: Home\n\tdescription: About.\n" + BASE.split("\n", 1)[1],
            "content/index.md:3: this line has a tab character; use spaces, not tabs, at the start of lines",
        ),
        (
            "---\ntitle: Page #2 of 3\n" + BASE,
            "content/index.md:2: warning: 'title' was cut short at ' #': the rest of the line was left out, because ' #' "
            'starts a comment; put the whole text in quotes: title: "Page #2 of 3"',
        ),
        (
            "---\ntitle: Home\n" + BASE.replace("---\n", "\n") + "\n---\n\nMore text.\n",
            "content/index.md:11: this line was read as front matter: is the closing '---' of the front matter missing? "
            "The '---' on line 13 was read as its end. Add a '---' line where the front matter ends",
        ),
    ],
    ids=["colon", "tab", "hash", "no closing ---"],
)
def test_yaml_mistakes_get_a_plain_hint(project: Project, capsys: pytest.CaptureFixture[str], text: str, expected: str) -> None:
    project.write("content/index.md", text)
    _, _, err = project.build("check", capsys=capsys)
    assert err.splitlines()[0] == expected
