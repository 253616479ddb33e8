"""`build.py review` edits every front-matter layout that the build accepts, or refuses with a plain message: never a
traceback, and never a file the build then reads differently."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from sitegen.commands.cli import main
from sitegen.review.record import UNSAFE, EditError, add_record
from tests.conftest import AS_OF, Project, page
from tests.load.test_review_records import SETTINGS, SOURCES, packet_code, review

Layout = Callable[[str], str]


@pytest.fixture
def site(project: Project) -> Project:
    project.write("content/_site.yml", SETTINGS)
    project.write("content/sources.md", SOURCES)
    project.write("content/index.md", page(body="About 5 out of 100 people had a side effect [@test_article]."))
    return project


def records_after_two_reviews(site: Project, capsys: pytest.CaptureFixture[str], layout: Layout) -> tuple[int, str, str]:
    """Record a review, lay the page's front matter out another way, check that the build accepts it, record a second."""
    status, _, err = review(site, capsys)
    assert status == 0, err
    path = site.content / "index.md"
    text = layout(path.read_bytes().decode("utf-8"))
    path.write_bytes(text.encode("utf-8"))
    status, _, err = site.build("check", "--strict", capsys=capsys)
    assert status == 0, f"the build does not accept this layout:\n{err}"
    return review(site, capsys, "--as-of", "2026-03-02", scope="plain language")


def assert_two_records_read_by_the_build(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = site.build("--strict", "--as-of", "2026-03-02", capsys=capsys)
    assert status == 0, err
    html = (site.site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"Clinical review by Test Reviewer, Test credentials, on (\d March 2026) \(", html) == [
        "1 March 2026",
        "2 March 2026",
    ]
    assert "Clinical review by Test Reviewer, Test credentials, on 2 March 2026 (plain language)." in html


def front(text: str) -> str:
    return text.split("---", 2)[1]


def wide_dashes(text: str) -> str:
    return (
        text.replace("  - name:", "  -   name:")
        .replace("\n    credentials:", "\n      credentials:")
        .replace("\n    date:", "\n      date:")
        .replace("\n    scope:", "\n      scope:")
        .replace("\n    fingerprint:", "\n      fingerprint:")
    )


def flow_records(text: str) -> str:
    """The record as a flow mapping over several lines: '- {name: ...,' then the other keys, then '}'."""
    record = re.search(r"\n  - name: (.*)\n    credentials: (.*)\n    date: (.*)\n    scope: (.*)\n    fingerprint: (.*)", text)
    assert record
    name, credentials, date, scope, fingerprint = record.groups()
    flow = (
        f'\n  - {{name: {name}, credentials: {credentials},\n     date: {date}, scope: {scope},\n     fingerprint: "{fingerprint}"\n    }}'
    )
    return text[: record.start()] + flow + text[record.end() :]


RECORD = re.compile(r"reviewed_by:\n  - name: (.*)\n    credentials: (.*)\n    date: (.*)\n    scope: (.*)\n    fingerprint: (.*)")


def bracketed_records(text: str) -> str:
    """The records in brackets, on the line of 'reviewed_by'."""
    record = RECORD.search(text)
    assert record
    name, credentials, date, scope, fingerprint = record.groups()
    flow = f'reviewed_by: [{{name: {name}, credentials: {credentials}, date: {date}, scope: {scope}, fingerprint: "{fingerprint}"}}]'
    return text[: record.start()] + flow + text[record.end() :]


def flow_front_matter(text: str) -> str:
    """The whole front matter as one flow mapping over several lines."""
    lines = front(bracketed_records(text)).strip("\n").split("\n")
    return "---\n{" + ",\n ".join(lines) + "}\n---" + text.split("---", 2)[2]


LAYOUTS: dict[str, Layout] = {
    "records written '-   name:'": wide_dashes,
    "records at the key's column": lambda t: t.replace("\n  - ", "\n- ").replace("\n    ", "\n  "),
    "'-' alone on its line": lambda t: t.replace("\n  - name:", "\n  -\n    name:"),
    "a record as a multi-line flow mapping": flow_records,
    "the front matter as a multi-line flow mapping": flow_front_matter,
    "records in brackets on one line": bracketed_records,
    "comments and blank lines between and after records": lambda t: t.replace("\n  - name:", "\n  # the first review\n\n  - name:").replace(
        "\n---\n", "\n  # end of the records\n# end of the front matter\n---\n", 1
    ),
    "a folded last value": lambda t: re.sub(r"\n    fingerprint: (.*)", r"\n    fingerprint: >-\n      \1", t, count=1),
    "a quoted key and value": lambda t: t.replace("\n    scope: medical accuracy", "\n    'scope': \"medical accuracy\""),
    "a closing '---' followed by a non-breaking space": lambda t: t.replace("\n---\n", "\n---\u00a0\n", 1),
    "a closing '...'": lambda t: t.replace("\n---\n", "\n...\n", 1),
    "Windows line endings": lambda t: t.replace("\n", "\r\n"),
    "old Mac line endings (CR only)": lambda t: t.replace("\n", "\r"),
    "a byte-order mark": lambda t: "\ufeff" + t,
    "a last value kept with its blank lines": lambda t: re.sub(r"\n    scope: (.*)", r"\n    scope: |+\n      \1\n", t, count=1),
    "a tagged list": lambda t: t.replace("reviewed_by:\n", "reviewed_by: !!seq\n"),
    "a comment inside brackets": lambda t: bracketed_records(t).replace("}]", "}  # the first review\n  ]"),
    "keys in quotes and the dates' comments": lambda t: t.replace("last_reviewed:", "'last_reviewed':").replace(
        "next_review: 2027-03-01", '"next_review": 2027-03-01    # a year on'
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_review_records_into_every_layout_the_build_accepts_or_says_why_not(
    site: Project, capsys: pytest.CaptureFixture[str], layout: Layout
) -> None:
    path = site.content / "index.md"
    status, out, err = records_after_two_reviews(site, capsys, layout)
    if status == 0:
        assert_two_records_read_by_the_build(site, capsys)
        return
    assert out == "" and "Traceback" not in err
    assert re.fullmatch(r"content/index\.md:\d+: [^\n]+\n(content/index\.md:1: notice: [^\n]+\n)?", err), err
    assert b"plain language" not in path.read_bytes()


@pytest.mark.parametrize(
    "layout",
    [
        wide_dashes,
        flow_records,
        flow_front_matter,
        LAYOUTS["a closing '---' followed by a non-breaking space"],
        LAYOUTS["old Mac line endings (CR only)"],
    ],
    ids=["-   name", "multi-line flow mapping record", "multi-line flow mapping front matter", "--- and a non-breaking space", "CR only"],
)
def test_the_cases_from_the_issue_are_recorded(site: Project, capsys: pytest.CaptureFixture[str], layout: Layout) -> None:
    status, _, err = records_after_two_reviews(site, capsys, layout)
    assert status == 0, err
    assert_two_records_read_by_the_build(site, capsys)


def test_the_line_endings_and_the_layout_of_the_records_are_kept(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = records_after_two_reviews(site, capsys, lambda t: wide_dashes(t).replace("\n", "\r"))
    assert status == 0, err
    text = (site.content / "index.md").read_bytes().decode("utf-8")
    assert "\n" not in text
    second = text[text.index("  -   name: Test Reviewer\r      credentials", text.index("date: 2026-03-01")) :]
    assert second.startswith("  -   name: Test Reviewer\r      credentials: Test credentials\r      date: 2026-03-02\r")


def test_a_name_that_is_not_utf8_is_refused_plainly(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """A terminal set to another encoding passes bytes that are not UTF-8: Python gives them as surrogates."""
    before = (site.content / "index.md").read_bytes()
    name = b"Test Reviewer \xe9".decode("utf-8", "surrogateescape")
    args = ["review", "content/index.md", "--name", name, "--credentials", "Test credentials", "--scope", "medical accuracy"]
    args += ["--code", packet_code(site, capsys)]
    status = main([*args, "--as-of", AS_OF.isoformat(), "--content", str(site.content), "--templates", str(site.templates)])
    err = capsys.readouterr().err
    assert status == 1
    assert err == (
        "content/index.md:1: --name holds characters that are not UTF-8 text (the terminal is set to another encoding); "
        "type it again in a terminal set to UTF-8\n"
    )
    assert (site.content / "index.md").read_bytes() == before


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("reviewed_by:\n  name: Test Reviewer", "'reviewed_by' must be a list"),
        ("reviewed_by: [\n", UNSAFE),
        ("reviewed_by: []", "the front matter has no 'next_review'"),
    ],
)
def test_front_matter_that_cannot_be_edited_safely_is_refused_with_a_message(front_matter: str, message: str) -> None:
    text = f"---\nlast_reviewed: 2026-01-02\n{front_matter}\n---\nText.\n"
    if "next_review" not in message:
        text = text.replace("last_reviewed: 2026-01-02\n", "last_reviewed: 2026-01-02\nnext_review: 2026-07-01\n")
    record = {"name": "Test Reviewer", "credentials": "Test credentials", "date": AS_OF, "scope": "medical accuracy"}
    with pytest.raises(EditError) as refused:
        add_record(text, record, AS_OF, AS_OF)
    assert str(refused.value) == message
