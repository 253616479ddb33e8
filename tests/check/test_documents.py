"""The build reports a broken reference (an anchor, an image, a page) at its Markdown line, never at site/.

(That every link of the real site resolves in a browser is tested in tests/browser/test_links.py.)"""

from __future__ import annotations

import pytest

from tests.conftest import Project, page

# A broken reference in a page's body, the same line with a working reference, and the problem the build reports.
BROKEN_REFERENCES = {
    "in-page anchor": ("[Jump](#nowhere)", "[Jump](#main)", "'#nowhere' points to '#nowhere', but index.html has no such anchor"),
    "image": (
        "![A plus sign](missing.svg)",
        "![A plus sign](images/plus.svg)",
        "the picture 'missing.svg' was not found: there is no file content/missing.svg; put pictures in content/images/",
    ),
    "page": ("[Gone](gone.html)", "[Gone](sources.html)", "'gone.html' points to gone.html, which the build does not write"),
    "page by its Markdown file": ("[Gone](gone.md)", "[Gone](sources.md)", "link to 'gone.md', but there is no such page"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_REFERENCES))
def test_the_build_reports_a_broken_reference_at_its_markdown_line(project: Project, capsys: pytest.CaptureFixture[str], case: str) -> None:
    broken, working, message = BROKEN_REFERENCES[case]
    project.write(
        "content/images/plus.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><path d="M3 0h2v8H3zM0 3h8v2H0z"/></svg>'
    )
    body = "Intro [@gauthier2021].\n\n## A section\n\nSome text.\n\nSee this: {}\n"
    project.write("content/index.md", page(body=body.format(broken)))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    line = 1 + page(body=body.format(broken)).splitlines().index(f"See this: {broken}")
    assert f"content/index.md:{line}: {message}" in err, err
    assert "site/index.html" not in err
    project.write("content/index.md", page(body=body.format(working)))
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
