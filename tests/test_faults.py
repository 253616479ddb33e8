"""Hostile input and a hostile environment: every fault is 'path:line: message', exit status 1, an unchanged site/
and no staging folder left behind; never a traceback, never a hang (issue 11).

Each test first builds the valid test project, then breaks one thing and builds again. Faults of the environment
that root ignores (a file or folder without read permission, a read-only site/) are simulated with monkeypatch,
because the tests run as root.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from sitegen.load.files import SAVE_AS_UTF8
from sitegen.load.images import ImageInfo
from sitegen.markup.converter import MarkdownRefs, make_markdown
from sitegen.markup.extensions import limits
from sitegen.write import output
from tests.conftest import SITE_SETTINGS, SOURCES_PAGE, Project, page

pytestmark = pytest.mark.slow  # a minute or more: the slow layer

PROBLEM = re.compile(r"^[^\n]+:\d+: ")
ICON_ARRAY = (
    "```icon-array\ntitle: {title}\naffected: {affected}\nstatement: 5 out of 100\n"
    "affected_label: a\nunaffected_label: b\nsources: [gauthier2021]\n```"
)
BAR_CHART = "```bar-chart\ntitle: t\nstatement: s\nunit: months\nbars:\n  - label: a\n    value: {value}\nsources: [gauthier2021]\n```"
GLOSSARY = "\n  - term: CRS\n    definition: {definition}\n    sources: [{source}]{extra}"


def glossary(definition: str = "A reaction.", source: str = "gauthier2021", extra: str = "") -> str:
    return page("Glossary", "The words.", 8, terms=GLOSSARY.format(definition=definition, source=source, extra=extra))


def with_source_line(line: str) -> str:
    """The sources page with one more line in its source entry (it becomes line 21)."""
    return SOURCES_PAGE.replace("    pmid: '32967009'\n", f"    pmid: '32967009'\n{line}\n")


@pytest.fixture
def built(project: Project, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """The project built once without problems: site/ as it is before the fault."""
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    return project.snapshot()


def fails_cleanly(project: Project, capsys: pytest.CaptureFixture[str], before: dict[str, bytes], *args: str) -> list[str]:
    """Build; assert exit 1, one 'path:line: message' per problem, site/ unchanged and no leftovers; return the problems."""
    status, out, err = project.build(*args, capsys=capsys)
    assert status == 1, out + err
    assert "Traceback" not in out + err
    problems = [line for line in err.splitlines() if not line.startswith("Build failed")]
    assert problems
    assert all(PROBLEM.match(line) for line in problems), problems
    assert project.snapshot() == before
    assert not [p.name for p in project.root.iterdir() if output.STAGING_INFIX in p.name or output.OLD_INFIX in p.name]
    return problems


def write_all(project: Project, files: dict[str, str | bytes]) -> None:
    for relative, text in files.items():
        project.write(relative, text)


# --- never a traceback: each class of bad value, at its line ---------------------------------------------------

CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    # dates that YAML accepts but the calendar does not, anywhere
    "page: 30 February": (
        {"content/index.md": page(published="2026-02-30")},
        "content/index.md:6: 'published' is not a real date: '2026-02-30' (day is out of range for month)",
    ),
    "page: month 13": (
        {"content/index.md": page(last_reviewed="2026-13-01")},
        "content/index.md:7: 'last_reviewed' is not a real date: '2026-13-01' (month must be in 1..12)",
    ),
    "page: year 0": (
        {"content/index.md": page(next_review="0000-01-01")},
        "content/index.md:8: 'next_review' is not a real date: '0000-01-01' (year 0 is out of range)",
    ),
    "page: year 9999": (
        {"content/index.md": page(next_review="9999-12-31")},
        "content/index.md:8: 'next_review' must be a date between 1900 and 2999, not the date '9999-12-31'",
    ),
    "page: a time that does not exist": (
        {"content/index.md": page(published="2026-01-01 25:00:00")},
        "content/index.md:6: 'published' is not a real date: '2026-01-01 25:00:00' (hour must be in 0..23)",
    ),
    "settings: 30 February": (
        {"content/_site.yml": SITE_SETTINGS + "review_grace_days: 2026-02-30\n"},
        "content/_site.yml:16: 'review_grace_days' is not a real date: '2026-02-30' (day is out of range for month)",
    ),
    "figure: 30 February": (
        {"content/index.md": page(body=ICON_ARRAY.format(title="2026-02-30", affected=5))},
        "content/index.md:19: 'title' is not a real date: '2026-02-30' (day is out of range for month)",
    ),
    "source: 30 February": (
        {"content/sources.md": with_source_line("    accessed: 2026-02-30")},
        "content/sources.md:21: 'accessed' in item 1 of 'sources' is not a real date: '2026-02-30' (day is out of range for month)",
    ),
    "glossary: 30 February": (
        {"content/glossary.md": glossary(definition="2026-02-30")},
        "content/glossary.md:12: 'definition' in item 1 of 'terms' is not a real date: '2026-02-30' (day is out of range for month)",
    ),
    # huge integers, and values that overflow
    "page: an integer of 5,000 digits": (
        {"content/index.md": page(nav_order="9" * 5000)},
        "content/index.md:5: 'nav_order' is not a real whole number: '999999999999999999999999999...' (too many digits)",
    ),
    "page: an integer of 30 digits": (
        {"content/index.md": page(nav_order="9" * 30)},
        "content/index.md:5: 'nav_order' must be a number between -1,000,000,000 and 1,000,000,000, not the number " + "9" * 30,
    ),
    "settings: an integer of 5,000 digits": (
        {"content/_site.yml": SITE_SETTINGS + "review_grace_days: " + "9" * 5000 + "\n"},
        "content/_site.yml:16: 'review_grace_days' is not a real whole number: '999999999999999999999999999...' (too many digits)",
    ),
    "settings: months that overflow a date": (
        {"content/_site.yml": SITE_SETTINGS + "max_review_interval_months: 1000000000\n"},
        "content/_site.yml:16: 'max_review_interval_months' must be between 1 and 60, not 1000000000",
    ),
    "figure: an integer of 1,000 digits": (
        {"content/index.md": page(body=ICON_ARRAY.format(title="t", affected="9" * 1000))},
        "content/index.md:20: 'affected' must be a number between -1,000,000,000 and 1,000,000,000, "
        "not the number 999999999999... (1000 digits)",
    ),
    "figure: a bar value of 400 digits": (
        {"content/index.md": page(body=BAR_CHART.format(value="9" * 400))},
        "content/index.md:24: 'value' in item 1 of 'bars' must be a number between -1,000,000,000 and 1,000,000,000, "
        "not the number 999999999999... (400 digits)",
    ),
    "figure: infinity": (
        {"content/index.md": page(body=BAR_CHART.format(value=".inf"))},
        "content/index.md:24: 'value' in item 1 of 'bars' must be a number between -1,000,000,000 and 1,000,000,000, not the number inf",
    ),
    "figure: not a number": (
        {"content/index.md": page(body=BAR_CHART.format(value=".nan"))},
        "content/index.md:24: 'value' in item 1 of 'bars' must be a number between -1,000,000,000 and 1,000,000,000, "
        "not 'not a number' (.nan)",
    ),
    # deep nesting in lists, brackets, blockquotes and YAML
    "markdown: lists 60 deep": (
        {"content/index.md": page(body="\n".join("    " * depth + "- a" for depth in range(60)))},
        "content/index.md:38: lists, quotes or brackets are nested too deeply to read; keep nesting under 40 levels",
    ),
    "markdown: quotes 100 deep": (
        {"content/index.md": page(body=">" * 100 + " a")},
        "content/index.md:18: lists, quotes or brackets are nested too deeply to read; keep nesting under 40 levels",
    ),
    "markdown: brackets 100 deep": (
        {"content/index.md": page(body="[" * 100 + "a" + "]" * 100)},
        "content/index.md:18: brackets are nested more than 10 deep here; close each '[' with ']' before opening another",
    ),
    "front matter: YAML 50 deep": (
        {"content/index.md": page(title="[" * 50 + "]" * 50)},
        "content/index.md:2: the YAML is nested more than 12 levels deep",
    ),
    "settings: YAML 50 deep": (
        {"content/_site.yml": SITE_SETTINGS + "tagline: " + "{a: " * 50 + "b" + "}" * 50 + "\n"},
        "content/_site.yml:16: the YAML is nested more than 12 levels deep",
    ),
    "figure: YAML 50 deep": (
        {"content/index.md": page(body=ICON_ARRAY.format(title="[" * 50 + "]" * 50, affected=5))},
        "content/index.md:19: the YAML is nested more than 12 levels deep",
    ),
    "front matter: 20,001 values": (
        {"content/index.md": page(keywords="[" + "a, " * 20_000 + "a]")},
        "content/index.md:10: the YAML holds more than 20,000 values by this line; it may hold no more",
    ),
    # addresses that urlsplit cannot read (one '[' in the host)
    "markdown: a link": (
        {"content/index.md": page(body="See [this](http://[x/) [@gauthier2021].")},
        "content/index.md:18: cannot read the link address 'http://[x/'; check its brackets and spaces",
    ),
    "markdown: an image": (
        {"content/index.md": page(body="![a chart](http://[x/a.png) [@gauthier2021].")},
        "content/index.md:18: cannot read the image address 'http://[x/a.png'; check its brackets and spaces",
    ),
    "markdown: a reference": (
        {"content/index.md": page(body="See [this][r] [@gauthier2021].\n\n[r]: http://[x/")},
        "content/index.md:18: cannot read the link address 'http://[x/'; check its brackets and spaces",
    ),
    "source: url": (
        {"content/sources.md": with_source_line("    url: http://[x/")},
        "content/sources.md:21: 'url' cannot be read as a web address: 'http://[x/'; check its brackets and port",
    ),
    "source: a port that is not a number": (
        {"content/sources.md": with_source_line("    url: https://example.org:80x/")},
        "content/sources.md:21: 'url' cannot be read as a web address: 'https://example.org:80x/'; check its brackets and port",
    ),
    "settings: base_url": (
        {"content/_site.yml": SITE_SETTINGS + "base_url: http://[x/\n"},
        "content/_site.yml:16: 'base_url': the address must start with https:// (or http://) and name a host, not 'http://[x/'",
    ),
    "settings: contact": (
        {"content/_site.yml": SITE_SETTINGS.replace("contact: test-team@example.org", "contact: https://[x")},
        "content/_site.yml:4: 'contact' must be an email address or a web address starting with https://, not 'https://[x'",
    ),
    "glossary: an address field": (
        {"content/glossary.md": glossary(extra="\n    url: http://[x/")},
        "content/glossary.md:14: unknown field 'url' in item 1 of 'terms'",
    ),
    # files and templates that are not UTF-8, including one that no page uses
    "a page that is not UTF-8": (
        {"content/index.md": page(body="Caf\xe9 [@gauthier2021].").encode("latin-1")},
        f"content/index.md:18: the file is not UTF-8 text: byte 0xe9 on this line cannot be read (it is probably é from a "
        f"Windows program); {SAVE_AS_UTF8}",
    ),
    "settings that are not UTF-8": (
        {"content/_site.yml": SITE_SETTINGS.encode() + b"tagline: caf\xe9\n"},
        f"content/_site.yml:16: the file is not UTF-8 text: byte 0xe9 on this line cannot be read (it is probably é from a "
        f"Windows program); {SAVE_AS_UTF8}",
    ),
    "an unused template that is not UTF-8": (
        {"templates/unused.html": b"<p>\n caf\xe9</p>\n"},
        "templates/unused.html:2: the template is not UTF-8 text (byte 0xe9); save it as UTF-8",
    ),
    "a page with an invisible control character": (
        {"content/index.md": page(body="One\x00two [@gauthier2021].")},
        "content/index.md:18: this line holds an invisible control character (U+0000); delete it",
    ),
    "a title with an invisible control character": (
        {"content/index.md": page(description='"About\\x1b[31m home."')},
        "content/index.md:3: 'description' holds an invisible control character (U+001B); delete it",
    ),
    # file names
    "a file name with a backslash": (
        {"content/a\\b.md": page("B", order=3)},
        "content/a\\b.md:1: the file name holds a character that cannot be part of a web address "
        "(such as \\, :, a tab or a line break); rename it",
    ),
    "a file name with a colon": (
        {"content/a:b.md": page("B", order=3)},
        "content/a:b.md:1: the file name holds a character that cannot be part of a web address "
        "(such as \\, :, a tab or a line break); rename it",
    ),
    "a file name with a line break": (
        {"content/a\nb.md": page("B", order=3)},
        "content/a\\nb.md:1: the file name holds a character that cannot be part of a web address "
        "(such as \\, :, a tab or a line break); rename it",
    ),
    "a file name with a control character": (
        {"templates/static/a\x01.css": "p {}"},
        "templates/static/a\\x01.css:1: the file name holds a character that cannot be part of a web address "
        "(such as \\, :, a tab or a line break); rename it",
    ),
    "a file name too long for an address": (
        {f"content/{'a' * 220}.md": page("A", order=3)},
        f"content/{'a' * 220}.md:1: the file name is too long; use a shorter one",
    ),
    "a page too big": (
        {"content/index.md": page(body=("Cells fight cancer [@gauthier2021].\n\n" * 3000))},
        "content/index.md:1: the file is 109 KB; a file of this kind may be at most 100 KB: split it, or make it smaller",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_one_problem_at_its_line(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str], name: str
) -> None:
    files, expected = CASES[name]
    write_all(project, files)
    problems = fails_cleanly(project, capsys, built)
    assert expected in problems, problems


def test_a_file_name_that_is_not_utf8(project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    (project.content / os.fsdecode(b"caf\xe9.md")).write_text(page("C", order=3))
    assert fails_cleanly(project, capsys, built) == [
        "content/caf\\xe9.md:1: the file name is not UTF-8 text; rename it using letters, digits and '-'"
    ]


# --- never a traceback: the environment --------------------------------------------------------------------------


def refuse_reading(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Reading target (a file, or the folder) fails as it does without read permission."""
    real_open, real_scandir = Path.open, os.scandir

    def fake_open(self: Path, *args: object, **kwargs: object) -> object:
        if self.resolve() == target.resolve():
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def fake_scandir(path: object = ".") -> object:
        if Path(os.fspath(path)).resolve() == target.resolve():  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))  # type: ignore[arg-type]
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("content/index.md", "content/index.md:1: cannot read the file: permission denied"),
        ("content/_site.yml", "content/_site.yml:1: cannot read the file: permission denied"),
        ("templates/page.html", "templates/page.html:1: cannot read the file: permission denied"),
        ("content", "content:1: cannot read this folder: permission denied"),
    ],
)
def test_an_unreadable_file_or_folder(
    project: Project,
    built: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    expected: str,
) -> None:
    refuse_reading(monkeypatch, project.root / target)
    assert expected in fails_cleanly(project, capsys, built)


def test_a_missing_content_folder(project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project.content)
    assert fails_cleanly(project, capsys, built) == ["content:1: the content folder does not exist; create it with an index.md page"]


def test_a_missing_templates_folder(project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project.templates)
    assert fails_cleanly(project, capsys, built) == ["templates:1: the templates folder does not exist; point --templates at it"]


def test_a_pipe_is_never_read(project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(project.content / "waiting.md")
    assert "content/waiting.md:1: is not a regular file (it is a device, a pipe or a socket); remove it" in fails_cleanly(
        project, capsys, built
    )


def fail_writes(monkeypatch: pytest.MonkeyPatch, code: int, after: int = 1, name: str | None = None) -> None:
    """Making a file (writing it, or linking an unchanged one from the last site) fails with errno code once `after`
    files were made (or for the file called name)."""
    real_write, real_link = Path.write_bytes, os.link
    made = []

    def make(path: Path) -> None:
        if (name is None and len(made) >= after) or path.name == name:
            raise OSError(code, os.strerror(code), str(path))
        made.append(path)

    def write(self: Path, data: bytes) -> int:
        make(self)
        return real_write(self, data)

    def link(source: object, target: object, **kwargs: object) -> None:
        make(Path(os.fsdecode(target)))  # type: ignore[arg-type]
        real_link(source, target, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_bytes", write)
    monkeypatch.setattr(os, "link", link)


def test_a_full_disk(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("content/index.md", page(body="New text [@gauthier2021]."))
    fail_writes(monkeypatch, errno.ENOSPC, after=2)
    assert fails_cleanly(project, capsys, built) == ["site:1: cannot write the site: no space left on device; the old site was kept"]


def test_an_output_name_too_long_for_the_file_system(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("content/about.md", page("About", order=2))
    fail_writes(monkeypatch, errno.ENAMETOOLONG, name="about.html")
    assert fails_cleanly(project, capsys, built) == [
        "content/about.md:1: the output file name is too long for the file system; use a shorter slug"
    ]


def test_a_read_only_output_folder(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("content/index.md", page(body="New text [@gauthier2021]."))

    def read_only(*paths: object) -> bool:
        raise OSError(errno.EROFS, "Read-only file system", str(paths[-1]))

    monkeypatch.setattr(output, "_exchange", read_only)
    monkeypatch.setattr(os, "rename", read_only)
    assert fails_cleanly(project, capsys, built) == [
        "site:1: cannot replace the output folder: read-only file system (site); the old site was kept"
    ]


def test_a_folder_where_nothing_can_be_written(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(project.root))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    assert fails_cleanly(project, capsys, built) == ["site:1: cannot write beside the output folder: permission denied (.)"]


@pytest.mark.parametrize("kind", ["a file", "a dangling symbolic link"])
def test_an_output_folder_that_is_not_a_folder(project: Project, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    if kind == "a file":
        project.site.write_text("not a folder")
        expected = "site:1: the output folder is a file, not a folder; remove it or choose another --site"
    else:
        project.site.symlink_to(project.root / "nowhere")
        expected = "site:1: the output folder is a symbolic link; point --site at a real folder"
    status, _, err = project.build(capsys=capsys)
    assert (status, err.splitlines()[0]) == (1, expected)
    assert project.site.is_symlink() or project.site.read_text() == "not a folder"
    assert not [p for p in project.root.iterdir() if p.name.startswith(".site")]


# --- never a hang: the limits, each reported at the line to change -------------------------------------------

LINE_LIMIT = (
    "this line has {:,} characters; a line may have at most 2,000: break it into shorter lines (Markdown joins the lines of "
    "a paragraph or list item), split a wide table, or put code in a fenced block (``` above and below it)"
)
BLOCK_LINES = (
    "{} lines follow each other without a blank line; a paragraph, list, table or indented code may have at most 100 lines: "
    "put blank lines between paragraphs, split the list or table, or put code in a fenced block (``` above and below it)"
)


def wrapped(text: str, width: int = 80) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


HANGS: dict[str, tuple[str, str]] = {
    # the inputs that took minutes, on one line and wrapped over lines of one paragraph
    "20,000 '![' on one line": ("![" * 20_000, "12: " + LINE_LIMIT.format(40_000)),
    "20,000 '<a ' on one line": ("<a " * 20_000, "12: " + LINE_LIMIT.format(60_000)),
    "20,000 '[' wrapped": (wrapped("[" * 20_000), "12: " + BLOCK_LINES.format(250)),
    "5,000 '[a](' wrapped": (wrapped("[a](" * 5_000), "12: " + BLOCK_LINES.format(250)),
    "20,000 lines '# a'": (
        "\n".join(["# a"] * 20_000),
        "2012: this page has 20,001 lines; a page may have at most 2,000: split it into two pages",
    ),
    "5,000 setext headings": (
        "\n".join(["a\n="] * 5_000),
        "2012: this page has 10,001 lines; a page may have at most 2,000: split it into two pages",
    ),
    "20,000 '```' lines": (
        "\n".join(["```"] * 20_000),
        "2012: this page has 20,001 lines; a page may have at most 2,000: split it into two pages",
    ),
    "1,000 lines '# a'": ("\n".join(["# a"] * 1_000), "12: " + BLOCK_LINES.format("1,000")),
    "a table of 20,000 columns": ("|" + "a|" * 20_000 + "\n|" + "-|" * 20_000, "12: " + LINE_LIMIT.format(40_001)),
    "50,000 digits": ("1" * 50_000, "12: " + LINE_LIMIT.format(50_000)),
    # what stays under the line and block limits
    "11 '[' never closed": (
        "[" * 11 + " a",
        "12: 11 '[' in this paragraph are never closed by ']'; at most 10 may be: "
        "close each link or citation, or write \\[ for a bracket that is only text",
    ),
    "11 link addresses never closed": (
        "[a](" * 11,
        "12: 11 link addresses in this paragraph are not closed by ')' or hold a stray quote; "
        'at most 10 may be: write each link as [text](address) or [text](address "title")',
    ),
    "11 link addresses with a stray quote": (
        "[a](b ') " * 11,
        "12: 11 link addresses in this paragraph are not closed by ')' or hold a stray quote; "
        'at most 10 may be: write each link as [text](address) or [text](address "title")',
    ),
    "11 groups of backticks not closed by as many": (
        "Some " + " ".join("`" * length for length in range(1, 12)) + " code",
        "12: 11 backticks (`), alone or in groups, in this paragraph are not closed by as many backticks; at most 10 may be: "
        "close each piece of code with as many backticks as opened it, or write \\` for a backtick that is only text",
    ),
    "a tag that never ends": (
        "Text <a href='x' and more",
        "12: \"<a href='x' and more\" starts an HTML tag that does not end with '>' on this line; "
        "write &lt; for a '<' that is only text, or finish the tag on its line",
    ),
    "an end tag that never ends": (
        "Text </span and more",
        "12: '</span and more' starts an HTML tag that does not end with '>' on this line; "
        "write &lt; for a '<' that is only text, or finish the tag on its line",
    ),
    "a comment that never ends": ("Text <!-- and more", "12: this HTML comment '<!--' is never closed by '-->'; close it"),
    "a declaration": ("<!x y", "12: '<!' is not allowed in a page; write &lt; for a '<' that is only text"),
    "a processing instruction": ("<?x y", "12: '<?' is not allowed in a page; write &lt; for a '<' that is only text"),
    "2,001 lines": (
        "\n\n".join(["a"] * 1_001),
        "2012: this page has 2,002 lines; a page may have at most 2,000: split it into two pages",
    ),
    "1,001 marks": (
        "\n\n".join(["*a* " * 100] * 11),
        "22: this page has more than 1,000 marks that make links, citations, emphasis, code or HTML (* _ [ ` < &) "
        "by this paragraph; split the page into two",
    ),
    "102 code fence lines": (
        "\n\n".join(["```\na\n```"] * 51),
        "212: this page has 102 code fence lines (``` or ~~~); a page may have at most 100: split the page",
    ),
    "201 HTML tags": (
        "\n".join(["<br> a"] * 99) + "\n\n" + "\n".join(["<br> a"] * 99) + "\n\n<br><br><br><br>",
        "212: this page has more than 200 HTML tags and comments by this line: write them in Markdown, "
        "put code that shows HTML in a fenced block (``` above and below it), or split the page",
    ),
    "21 '<' that the HTML parser scans past their line": (
        "\n".join(["a <b and `<c`"] * 10 + ["", "    <d"]),  # in text, in a code span, in indented code
        "23: this page has more than 20 '<' by this line that start an HTML tag, comment or declaration not finished on "
        "its line: finish each tag on its line, write &lt; for a '<' in text, put code that holds them in a fenced block "
        "(``` above and below it), or split the page",
    ),
    "2,001 table cells": (
        "\n\n".join(["|" + "a|" * 50 + "\n|" + "-|" * 50 + "\n" + "\n".join(["|" + "a|" * 50] * 9)] * 5),
        "48: this page has more than 2,000 paragraphs, list items, table cells and headings by this line; split it into two pages",
    ),
}


@pytest.mark.parametrize("name", HANGS)
def test_an_input_that_would_hang_is_refused_at_its_line(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str], name: str
) -> None:
    body, expected = HANGS[name]
    project.write("content/index.md", page(body=body, reading_level_exempt="true", key_points=False))
    problems = fails_cleanly(project, capsys, built)
    assert f"content/index.md:{expected}" in problems, problems[:3]


def test_limit_problems_on_one_page_are_counted_after_the_first_20() -> None:
    md = make_markdown(MarkdownRefs(frozenset({"a"})))
    result = md.render("\n\n".join(["[" * 11 + " a"] * 30))
    assert len(result.problems) == limits.MAX_REPORTED + 1
    assert str(result.problems[-1]) == "<text>:1: 10 more limits are broken on this page; fix the ones shown first"
    assert result.html == ""


def test_a_page_at_every_limit_builds(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """The limits leave room for real pages: a long paragraph, a big table, many links and a few tags."""
    paragraph = "\n".join(["Cells fight cancer [@gauthier2021], see [the sources](sources.md). " * 2] * 70)
    table = "| a | b |\n|---|---|\n" + "\n".join(["| *x* | [y](sources.md) |"] * (limits.MAX_BLOCK_LINES - 2))
    tags = 'Text<br>\nmore <abbr title="don\'t > worry">CRS</abbr> and `<code>` <!-- a note\nover lines -->.'
    project.write("content/index.md", page(body=f"{paragraph}\n\n{table}\n\n{tags}", reading_level_exempt="true"))
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err


# --- right messages ------------------------------------------------------------------------------------------


def test_a_key_that_is_a_number_is_reported_at_its_line(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/index.md", page().replace("description:", "1: x\ndescription:"))
    assert fails_cleanly(project, capsys, built) == ["content/index.md:3: unknown field '1'"]


def test_a_key_or_slug_with_a_line_break_is_shown_on_one_line(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/index.md", page(slug='"a\\nb"').replace("description:", '"x\\ny": z\ndescription:'))
    assert fails_cleanly(project, capsys, built) == [
        "content/index.md:3: unknown field 'x\\ny'",
        "content/index.md:11: 'slug' may hold only lowercase letters, digits and '-' (at most 100), not 'a\\nb'",
    ]


def test_glossary_problems_are_reported_at_the_glossary_line(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/glossary.md", glossary(source="gauthier2012"))
    assert fails_cleanly(project, capsys, built) == [
        "content/glossary.md:13: unknown source 'gauthier2012' for 'CRS' (did you mean 'gauthier2021'?)"
    ]


def test_citations_in_an_image_alt_text_or_a_link_title_are_errors_and_never_a_superscript() -> None:
    chart = ImageInfo("chart.png", "content/chart.png", 100, "PNG", 10, 10)
    md = make_markdown(MarkdownRefs(frozenset({"a"}), {"index.md": "index.html"}, images={"chart.png": chart}))
    result = md.render('![Chart [@a]](chart.png)\n\n[home](index.md "Home [@a]")', output_path="index.html")
    assert [str(p) for p in result.problems] == [
        "<text>:1: a citation in an image's alt text is not read as a citation; put it in the text after the image",
        "<text>:3: a citation in a link's title is not read as a citation; put it in the text after the link",
    ]
    assert '<img alt="Chart [@a]" height="10" src="chart.png" width="10">' in result.html
    assert 'title="Home [@a]"' in result.html
    assert "<sup" not in result.html


@pytest.mark.parametrize("text", ["A fact [@gauthier2021,\np. 3].", "A fact [\n@gauthier2021].", "A fact [@gauthier2021;\n@gauthier2021]."])
def test_a_citation_wrapped_over_two_lines_is_a_citation(project: Project, capsys: pytest.CaptureFixture[str], text: str) -> None:
    project.write("content/index.md", page(body=text))
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    assert '<sup class="citation">[<a href="#source-note-1">' in (project.site / "index.html").read_text()


def test_one_wrong_field_of_a_source_is_reported_once(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/sources.md", SOURCES_PAGE.replace("year: 2021", "year: soon"))
    project.write(
        "content/index.md", page(body="Hello [@gauthier2021].\n\nAgain [@gauthier2021, p. 3].\n\nSee [it](sources.md#source-gauthier2021).")
    )
    assert fails_cleanly(project, capsys, built) == [
        "content/sources.md:15: 'year' in item 1 of 'sources' must be a whole number, not the text 'soon'"
    ]


def test_a_source_list_that_cannot_be_read_is_reported_once(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/sources.md", SOURCES_PAGE.replace("title: Factors associated", "title: Factors: associated"))
    problems = fails_cleanly(project, capsys, built)
    assert len(problems) == 1
    assert problems[0].startswith("content/sources.md:13: the text of 'title' has a colon in it, so put the whole text in quotes")


def test_a_glossary_term_without_sources_is_reported_at_its_sources(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/glossary.md", glossary(source=""))
    assert fails_cleanly(project, capsys, built) == ["content/glossary.md:13: 'CRS' must list at least one source"]


def test_a_page_that_failed_validation_is_still_a_link_target(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/about.md", page("About", order=2, nav_order="first"))
    project.write("content/index.md", page(body="See [about](about.md) and [its part](about.md#part) [@gauthier2021]."))
    assert fails_cleanly(project, capsys, built) == ["content/about.md:5: 'nav_order' must be a whole number, not the text 'first'"]


def test_a_missing_home_page_is_reported_once(project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    (project.content / "index.md").unlink()
    project.write("content/about.md", page("About", order=2))
    assert fails_cleanly(project, capsys, built) == ["content:1: there is no home page: add index.md"]


# --- security ------------------------------------------------------------------------------------------------

ALIAS_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]" for previous, name in zip("abcdefgh", "bcdefghi", strict=True)]
)


def test_a_yaml_alias_bomb_is_refused_before_it_expands(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/index.md", page(key_points=False).replace("---\nHello", ALIAS_BOMB + "\n---\nHello"))
    assert fails_cleanly(project, capsys, built) == [
        "content/index.md:11: YAML aliases ('*a') are not allowed here; write the value out in full"
    ]


def test_dotfiles_and_editor_files_are_never_read(project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    for name in (".hidden.md", "._index.md", "index.md.swp", "index.md~", "#index.md#", "4913", ".#index.md"):
        project.write(f"content/{name}", b"\xff not a page at all")
    status, _, err = project.build(capsys=capsys)
    assert (status, err) == (0, "")
    assert project.snapshot() == built


def test_a_javascript_address_in_a_source_is_an_error(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/sources.md", with_source_line("    url: javascript:alert(document.cookie)"))
    assert fails_cleanly(project, capsys, built) == [
        "content/sources.md:21: 'url' must start with https:// or http://, not 'javascript:alert(document.cookie)'"
    ]


def test_glossary_entries_hold_no_addresses(project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/glossary.md", glossary(extra="\n    url: javascript:alert(1)"))
    assert fails_cleanly(project, capsys, built) == ["content/glossary.md:14: unknown field 'url' in item 1 of 'terms'"]


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
HOSTILE_SVGS = {  # each about 2 MB, the most a picture may be
    "two million characters of CSS": (
        SVG_OPEN + '<rect style="' + "(" * 1_990_000 + '"/></svg>',
        "1: the attribute style on <rect> holds 1,990,000 characters of CSS, more than a picture needs; export the picture "
        "again as plain SVG",
    ),
    "nested 500,000 deep": (
        SVG_OPEN + "<g>" * 500_000,
        "1: elements are nested more than 100 deep; ungroup some of them (in Inkscape: Object > Ungroup)",
    ),
    "45,000 addresses of other sites": (
        SVG_OPEN + "".join(f'<rect fill="url(https://evil.example/{n})"/>' for n in range(45_000)) + "</svg>",
        "1: the attribute fill on <rect> loads 'https://evil.example/0' with url(); a picture may point only inside itself: use "
        "a colour, or url(#id) of a gradient, pattern, clip path, mask, marker or filter in the same file",
    ),
    "130,000 uses of one group": (
        SVG_OPEN + '<g id="a"><rect/></g>' + '<use href="#a"/>' * 130_000 + "</svg>",
        "1: <use> elements make the picture draw more than 100,000 extra elements; draw repeated parts fewer times",
    ),
}


@pytest.mark.parametrize("name", HOSTILE_SVGS)
def test_a_hostile_svg_of_two_megabytes_fails_cleanly_at_the_page_line(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str], name: str
) -> None:
    svg, finding = HOSTILE_SVGS[name]
    project.write("content/images/hostile.svg", svg)
    project.write("content/index.md", page(body="Hello [@gauthier2021].\n\n![A picture](images/hostile.svg)"))
    problems = fails_cleanly(project, capsys, built)
    line, message = finding.split(": ", 1)
    assert (
        problems[0]
        == f"content/index.md:20: the picture 'images/hostile.svg' cannot be published (content/images/hostile.svg:{line}): {message}"
    )


@pytest.mark.parametrize("folder", ["templates/static", "content"])
def test_a_symbolic_link_out_of_the_project_is_an_error_and_never_copied(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory, folder: str
) -> None:
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"
    secret.write_text("private key")
    link = project.root / folder / "notes.css"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret)
    assert fails_cleanly(project, capsys, built) == [
        f"{folder}/notes.css:1: is a symbolic link to '{secret}', outside content/ and templates/; only the site's own files are "
        "published: copy the file here instead"
    ]
    assert not any(b"private key" in data for data in project.snapshot().values())


@pytest.mark.parametrize(
    "markup",
    [
        '<video src="https://cdn.example.org/v.mp4"></video>',
        '<video poster="https://cdn.example.org/p.png"></video>',
        '<audio src="https://cdn.example.org/a.mp3"></audio>',
        '<video><source src="https://cdn.example.org/v.webm"></video>',
        '<picture><source srcset="https://cdn.example.org/p.webp 2x"></picture>',
        '<img alt="" src="favicon.svg" srcset="favicon.svg 1x, https://cdn.example.org/b.png 2x">',
        '<object data="https://cdn.example.org/o.svg"></object>',
        '<embed src="https://cdn.example.org/e.svg">',
        '<table background="https://cdn.example.org/bg.png"></table>',
        '<link rel="preconnect" href="https://cdn.example.org">',
    ],
)
def test_a_template_that_loads_from_another_site_fails_at_its_line(
    project: Project, built: dict[str, bytes], capsys: pytest.CaptureFixture[str], markup: str
) -> None:
    template = project.templates / "page.html"
    lines = template.read_text().splitlines(keepends=True)
    block = next(i for i, line in enumerate(lines) if "block main" in line)
    lines.insert(block + 1, markup + "\n")
    template.write_text("".join(lines))
    url = re.search(r"https://cdn\.example\.org[^\" ]*", markup).group()  # type: ignore[union-attr]
    problems = fails_cleanly(project, capsys, built)
    assert problems == [
        f"templates/page.html:{block + 2}: '{url}' loads from another site; ship the file with the site (in 2 pages, such as index.html)"
    ]
