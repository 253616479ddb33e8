"""Every kind of bad input gives 'path:line: message', all at once, exit status 1, and an untouched site/."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO, Project, page

CASES = {
    "malformed YAML": (
        "content/index.md",
        "---\ntitle: Home\ndescription: [unclosed\nnav_title: Home\n---\nBody\n",
        "content/index.md:3: invalid YAML: ",
    ),
    "front matter that is not a mapping": (
        "content/index.md",
        "---\n- just\n- a list\n---\nBody\n",
        "content/index.md:2: the front matter must be a mapping of 'key: value' lines; it is not a list",
    ),
    "no closing ---": (
        "content/index.md",
        "---\ntitle: Home\n\nBody text\n",
        "content/index.md:1: the front matter has no closing '---' line",
    ),
    "missing required field": (
        "content/index.md",
        page().replace("description: About Home.\n", ""),
        "content/index.md:1: missing required field 'description'",
    ),
    "wrong type: date": (
        "content/index.md",
        page(last_reviewed="'last week'"),
        "content/index.md:7: 'last_reviewed' must be a date written as YYYY-MM-DD, without quotes, not the text 'last week'",
    ),
    "wrong type: list": (
        "content/index.md",
        page(reviewed_by="Dr Nobody"),
        "content/index.md:9: 'reviewed_by' must be a list, not the text 'Dr Nobody'",
    ),
    "wrong type: number": (
        "content/index.md",
        page(nav_order="first"),
        "content/index.md:5: 'nav_order' must be a whole number, not the text 'first'",
    ),
    "unknown key": (
        "content/index.md",
        page(titel="Home"),
        "content/index.md:10: unknown field 'titel' (did you mean 'title'?)",
    ),
    "unknown citation key": (
        "content/index.md",
        page(body="Line one.\n\nAbout 39 out of 100 people (39%) [@gauthier2012]."),
        "content/index.md:20: unknown source '@gauthier2012' (did you mean 'gauthier2021'?)",
    ),
    "two pages with the same output path": (
        "content/home.md",
        page(title="Other", slug="index"),
        "content/index.md:",
    ),
    "not UTF-8": (
        "content/index.md",
        page(body="Caf\xe9").encode("latin-1"),
        "content/index.md:18: the file is not UTF-8 text: byte 0xe9 on this line cannot be read (it is probably é from a Windows "
        "program); save the file as UTF-8.",
    ),
    "empty file": (
        "content/index.md",
        "",
        "content/index.md:1: the file is empty",
    ),
    "template syntax error": (
        "templates/page.html",
        "{% extends 'base.html' %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock %}\n",
        "templates/page.html:3: template syntax error: ",
    ),
    "undefined template variable": (
        "templates/page.html",
        "{% extends 'base.html' %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n{{ site.caveat }}\n{{ page.subtitle }}\n{% endblock %}\n",
        "templates/page.html:5: the template uses 'subtitle', which a page does not have (while rendering content/",
    ),
    "bad site settings": (
        "content/_site.yml",
        "title: Test\nlanguage: en\npublisher: Team\ncaveat: Unknown.\nbase_ulr: https://example.org/\nfunding: None.\n",
        "content/_site.yml:5: unknown field 'base_ulr' (did you mean 'base_url'?)",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_reported_at_its_line_and_site_is_untouched(project: Project, capsys: pytest.CaptureFixture[str], name: str) -> None:
    status, _, _ = project.build(capsys=capsys)
    assert status == 0
    before = project.snapshot()

    path, text, expected = CASES[name]
    project.write(path, text)
    status, out, err = project.build(capsys=capsys)

    assert status == 1
    assert any(line.startswith(expected) for line in err.splitlines()), err
    assert "Traceback" not in err + out
    assert "Build failed" in err
    assert project.snapshot() == before


def test_duplicate_output_path_names_both_files(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/home.md", page(title="Other", slug="index"))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert "content/home.md:10: this page and content/index.md would both be written to index.html" in err
    assert "content/index.md:1: this page and content/home.md would both be written to index.html" in err


def test_all_problems_are_reported_at_once(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/a.md", page(title="A", order=2, titel="x"))
    project.write("content/b.md", page(title="B", order=3, body="[@nope]"))
    project.write("content/c.md", "")
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    lines = [line for line in err.splitlines() if line.startswith("content/")]
    assert lines == [
        "content/a.md:10: unknown field 'titel' (did you mean 'title'?)",
        "content/b.md:18: unknown source '@nope'",
        "content/c.md:1: the file is empty",
    ]
    assert "3 errors" in err


def test_a_front_matter_error_does_not_hide_the_pages_other_problems(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    body = "Read [more](missing.md).\n\nAbout 39 out of 100 people [@nope]."
    project.write("content/a.md", page(title="A", order=2, titel="x", body=body).replace("nav_order: 2\n", ""))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert [line for line in err.splitlines() if line.startswith("content/a.md")] == [
        "content/a.md:1: missing required field 'nav_order'",
        "content/a.md:9: unknown field 'titel' (did you mean 'title'?)",
        "content/a.md:18: link to 'missing.md', but there is no such page",
        "content/a.md:20: unknown source '@nope'",
    ]
    assert not (project.site / "a.html").exists()


def test_command_line_gives_no_traceback_and_status_1(project: Project) -> None:
    project.write("content/index.md", "---\ntitle: [broken\n---\n")
    command = [sys.executable, str(REPO / "build.py"), "--as-of", "2026-03-01", "--content", "content", "--templates", "templates"]
    completed = subprocess.run(
        [*command, "--site", "site"],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 1
    assert completed.stderr.splitlines()[0].startswith("content/index.md:2: invalid YAML:")
    assert "Traceback" not in completed.stderr
    assert not project.site.exists()


def test_uncited_source_is_a_warning_and_strict_makes_it_fail(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    sources = (project.content / "sources.md").read_text()
    project.write("content/sources.md", sources.replace("---\nThe list", "  - id: unused2020\n    title: Never cited\n---\nThe list"))
    status, out, err = project.build(capsys=capsys)
    assert status == 0
    assert "content/sources.md:21: warning: source 'unused2020' is not cited by any page" in err
    assert "1 warning" in out

    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 1
    assert "(--strict treats warnings as errors)" in err


def test_a_windows_file_is_told_to_be_saved_as_utf8_and_how(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """Curly quotes typed in Word or Notepad on Windows are bytes 0x93 and 0x94 in Windows-1252."""
    project.write("content/index.md", page(body="\u201cAsk your care team\u201d [@gauthier2021].").encode("cp1252"))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert err.splitlines()[0] == (
        "content/index.md:18: the file is not UTF-8 text: byte 0x93 on this line cannot be read (it is probably \u201c from a "
        "Windows program); save the file as UTF-8. VS Code: click the encoding at the bottom right, 'Save with Encoding', "
        "'UTF-8'. Notepad: 'Save as', Encoding 'UTF-8'. TextEdit: 'Format', 'Make Plain Text', then save with 'Unicode (UTF-8)'. "
        "Word: 'Save as' 'Plain Text', then 'Unicode (UTF-8)'. GitHub's web editor saves UTF-8: retype there what it shows as \ufffd"
    )
