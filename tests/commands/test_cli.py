"""Editing without being a programmer: `build.py new`, the help, "did you mean", and plain hints for YAML mistakes."""

from __future__ import annotations

import argparse

import pytest

from sitegen.commands.cli import main, make_parser
from tests.conftest import AS_OF, REPO, Project, page

NEW_PAGE = """\
---
title: "Side effects: what to expect"
description: "REPLACE: one or two sentences that say what this page is about, for search results and link previews."
nav_title: "Side effects: what to expect"
nav_order: 10
published: 2026-03-01
last_reviewed: 2026-03-01
next_review: 2026-09-01
reviewed_by: []
draft: true  # a draft is not published: delete this line when the page is ready
---

## Key points

- REPLACE: Start with the main points here, in 2 to 4 short bullets. Readers see them first, under the title.
- REPLACE: Say what the page says, and nothing more. Cite a source for each fact, as below.

## REPLACE: A first section

REPLACE: Use short sentences and plain words. Explain a hard word the first time you use it.

REPLACE: Put a source straight after each fact, like this: [@gauthier2021]. The part after the @ is the id of a source in
content/sources.md: add a new source there first. Every number needs a source in the same paragraph.
"""
PLACEHOLDER = "this is placeholder text from `build.py new` (it starts with 'REPLACE:'): write your own text in its place"


def new(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["new", *args, "--content", str(project.content)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_new_writes_a_draft_with_every_required_field_and_placeholders(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = new(project, capsys, "Side effects: what to expect", "--as-of", "2026-03-01")
    assert (status, err) == (0, "")
    assert out == (
        "Wrote content/side-effects-what-to-expect.md, a draft: write your own text in place of each 'REPLACE:' placeholder, "
        "and delete the line 'draft: true' when the page is ready. Until then it is not published, nor in the navigation; "
        "the preview (python3 build.py serve) shows it at /side-effects-what-to-expect.html.\n"
    )
    assert (project.content / "side-effects-what-to-expect.md").read_text() == NEW_PAGE  # sources.md has nav_order 9


def test_a_draft_is_not_published_nor_in_the_navigation(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    new(project, capsys, "Side effects: what to expect", "--as-of", "2026-03-01")
    status, _, err = project.build("--strict", "--as-of", "2026-03-01", capsys=capsys)
    assert status == 0, err
    assert not (project.site / "side-effects-what-to-expect.html").exists()
    assert "side-effects-what-to-expect" not in (project.site / "index.html").read_text()


def test_unedited_placeholders_fail_strict_at_their_lines(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    new(project, capsys, "Side effects: what to expect", "--as-of", "2026-03-01")
    path = project.content / "side-effects-what-to-expect.md"
    path.write_text(path.read_text().replace("draft: true  # a draft is not published: delete this line when the page is ready\n", ""))
    status, _, err = project.build("--strict", "--as-of", "2026-03-01", capsys=capsys)
    assert status == 1
    assert [line for line in err.splitlines() if line.startswith("content/")] == [
        f"content/side-effects-what-to-expect.md:{line}: warning: {PLACEHOLDER}" for line in (3, 14, 15, 17, 19, 21)
    ]
    status, _, err = project.build("--as-of", "2026-03-01", capsys=capsys)
    assert status == 0 and err.count(PLACEHOLDER) == 6  # a warning without --strict


def test_a_drafts_placeholders_are_notices_in_the_preview(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """The preview (and review) include drafts: a placeholder there is a notice, which fails nothing."""
    from sitegen.pipeline import BuildOptions, build_site

    new(project, capsys, "Side effects: what to expect", "--as-of", "2026-03-01")
    options = BuildOptions(project.content, project.templates, project.root / "preview", include_drafts=True, today=AS_OF)
    result = build_site(options)
    assert not result.failed(strict=True)
    assert [str(p) for p in result.problems if p.path.endswith("what-to-expect.md")][0] == (
        f"content/side-effects-what-to-expect.md:3: notice: {PLACEHOLDER} before you publish the page "
        "(it is a draft, so it is not published yet)"
    )
    html = (project.root / "preview" / "side-effects-what-to-expect.html").read_text()
    assert "<h1>Side effects: what to expect</h1>" in html and "Draft: this page is not published." in html
    assert "side-effects-what-to-expect" not in (project.root / "preview" / "index.html").read_text()


def test_the_next_review_is_sooner_when_the_site_allows_less_than_6_months(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    settings = project.content / "_site.yml"
    settings.write_text(settings.read_text() + "max_review_interval_months: 3\n")
    new(project, capsys, "Care at home", "--as-of", "2026-11-30")
    text = (project.content / "care-at-home.md").read_text()
    assert "published: 2026-11-30\nlast_reviewed: 2026-11-30\nnext_review: 2027-02-28\n" in text


def test_new_refuses_to_overwrite_an_existing_page(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = (project.content / "sources.md").read_text()
    status, out, err = new(project, capsys, "Other sources", "--slug", "sources")
    assert (status, out) == (1, "")
    assert err == "content/sources.md:1: this file already exists and was not changed; choose another title, or a file name with --slug\n"
    assert (project.content / "sources.md").read_text() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["../x"],
            "content:1: the title '../x' holds '/', which would make it a path to a folder: write it without '/' or '\\'. "
            "The page is always made in the content folder",
        ),
        (
            ["Care", "--slug", "guide\\care"],
            "content:1: --slug 'guide\\\\care' holds '\\', which would make it a path to a folder: write it without '/' or '\\'. "
            "The page is always made in the content folder",
        ),
        (["Index"], "content:1: 'index' is the home page's name, which the site keeps; choose another file name with --slug"),
        (["404"], "content:1: '404' is the page-not-found page's name, which the site keeps; choose another file name with --slug"),
        (["Aux"], "content:1: 'aux' is a name that Windows cannot give a file; choose another file name with --slug"),
        (["home"], "content/index.md:2: this page already has the title 'home'; give the new page a title of its own"),
        (
            ["Side effects", "--slug", "Bad Name"],
            "content:1: 'Bad Name' cannot be a file name; choose one with --slug, using lowercase letters, digits and '-'",
        ),
    ],
    ids=["path in the title", "path in the slug", "home page", "page-not-found page", "Windows name", "existing title", "bad slug"],
)
def test_new_refuses_names_the_site_cannot_use(project: Project, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    status, out, err = new(project, capsys, *args)
    assert (status, out) == (1, "")
    assert err == message + "\n"
    assert sorted(p.name for p in project.content.iterdir()) == ["_site.yml", "index.md", "sources.md"]


def test_new_refuses_the_address_of_another_page(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/effects.md", page(title="Effects", order=2, slug="side-effects"))
    status, _, err = new(project, capsys, "Side effects")
    assert status == 1
    assert err == (
        "content/effects.md:1: this page is written to side-effects.html, the new page's address; choose another file name with --slug\n"
    )


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


def test_a_title_with_quotes_and_a_hash_stays_whole(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    new(project, capsys, 'Page #2: the "why"', "--as-of", "2026-03-01")
    path = project.content / "page-2-the-why.md"
    text = path.read_text()
    assert 'title: "Page #2: the \\"why\\""' in text
    path.write_text(text.replace("draft: true", "draft: false"))
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


COMMAND_LIST = "build, check, serve, new, review, review-packet, translations, translated"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chek"], f"build.py: error: unknown command 'chek' (did you mean 'check'?); the commands are {COMMAND_LIST}"),
        (["buidl", "--strict"], f"build.py: error: unknown command 'buidl' (did you mean 'build'?); the commands are {COMMAND_LIST}"),
        (["preview"], f"build.py: error: unknown command 'preview' (did you mean 'serve'?); the commands are {COMMAND_LIST}"),
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
RECORD = (
    "\n  - name: Test Reviewer\n    credentials: Test credentials\n    date: 2026-02-01\n    scope: medical accuracy"
    "\n    fingerprint: sha256:" + "0" * 64
)


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
        (
            "---\ntitle: Home\n  description: About.\n" + BASE.split("\n", 1)[1],
            "content/index.md:3: this line is indented; keys in the front matter start at the beginning of the line",
        ),
        (
            "---\ntitle: Home\n  published: 2026-01-01\n" + BASE.replace("published: 2026-01-01\n", ""),
            "content/index.md:3: this line is indented; keys in the front matter start at the beginning of the line",
        ),
        (
            "---\n  title: Home\n" + BASE,
            "content/index.md:2: this line is indented; keys in the front matter start at the beginning of the line",
        ),
        (
            "---\ntitle: Home\n" + BASE.replace("reviewed_by: []", "reviewed_by:" + RECORD.replace("\n    date:", "\n      date:")),
            "content/index.md:12: this line is not in line with the one above it: start 'date' in the same column as 'credentials'",
        ),
        (
            "---\ntitle:\u00a0Home\n" + BASE,
            "content/index.md:2: a non-breaking space after 'title:': type the space again",
        ),
        (
            "---\ntitle: Home\n" + BASE.replace("nav_title: Home", "nav_title:\u202fHome"),
            "content/index.md:4: a narrow non-breaking space after 'nav_title:': type the space again",
        ),
        (
            "---\ntitle: Home\n\u200bdescription: About.\n" + BASE.split("\n", 1)[1],
            "content/index.md:3: an invisible zero-width space before the field name 'description': delete the name, "
            "and the spaces before it, and type it again",
        ),
    ],
    ids=[
        "colon",
        "tab",
        "hash",
        "no closing ---",
        "indented",
        "indented date",
        "indented first line",
        "record key out of line",
        "non-breaking space",
        "narrow non-breaking space",
        "zero-width space",
    ],
)
def test_yaml_mistakes_get_a_plain_hint(project: Project, capsys: pytest.CaptureFixture[str], text: str, expected: str) -> None:
    project.write("content/index.md", text)
    _, _, err = project.build("check", capsys=capsys)
    assert err.splitlines()[0] == expected


def follow(advice: str, line: str) -> str:
    """line changed as the advice says, the way an editor would."""
    if advice.startswith("this line is indented"):
        return line.lstrip(" ")
    if advice.startswith("this line is not in line"):
        return "    " + line.lstrip(" ")
    if "space after" in advice:
        return line.replace("\u00a0", " ").replace("\u202f", " ")
    if "has a colon in it" in advice:
        return advice.rsplit("quotes: ", 1)[1]
    raise AssertionError(f"no way to follow {advice!r}")


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Home\n  description: About.\n" + BASE.split("\n", 1)[1],
        "---\ntitle: Home\n  published: 2026-01-01\n" + BASE.replace("published: 2026-01-01\n", ""),
        "---\ntitle: Home\n" + BASE.replace("reviewed_by: []", "reviewed_by:" + RECORD.replace("\n    date:", "\n       date:")),
        "---\ntitle: Home\n" + BASE.replace("reviewed_by: []", "reviewed_by:" + RECORD.replace("\n    scope:", "\n   scope:")),
        "---\ntitle:\u00a0Home\n" + BASE,
        "---\ntitle: Side effects: what to expect\n" + BASE,
    ],
    ids=["indented", "indented date", "record key too far in", "record key not far enough", "non-breaking space", "colon"],
)
def test_following_the_advice_fixes_the_line(project: Project, capsys: pytest.CaptureFixture[str], text: str) -> None:
    """Each hint is checked by trying its fix before it is given, so that it can never send the editor round in a loop."""
    path = project.write("content/index.md", text)
    _, _, err = project.build("check", capsys=capsys)
    where, advice = err.splitlines()[0].split(": ", 1)
    number = int(where.rsplit(":", 1)[1])
    lines = text.split("\n")
    lines[number - 1] = follow(advice, lines[number - 1])
    path.write_text("\n".join(lines), encoding="utf-8")
    _, _, err = project.build("check", capsys=capsys)
    assert not [line for line in err.splitlines() if line.startswith("content/index.md:") and ": warning: " not in line], err
