"""Only the project's own files are published: symbolic links lead only to regular files of content/ or templates/
(never to a hidden file or one git ignores), and no two names in a folder differ only in capitals or normalisation."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from collections.abc import Callable

import jinja2
import pytest

from sitegen.render.templating import make_environment
from tests.conftest import Project, page

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>'


def fails(project: Project, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Build a site that was built before; the build fails, site/ is unchanged, and the problems are returned."""
    project.build(capsys=capsys)
    before = project.snapshot()
    status, out, err = project.build(capsys=capsys)
    assert status == 1, out + err
    assert project.snapshot() == before
    return [line for line in err.splitlines() if not line.startswith("Build failed")]


def link(project: Project, name: str, target: str) -> None:
    path = project.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def test_a_link_to_the_projects_env_file_is_refused_and_nothing_is_published(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write(".env", "GITHUB_TOKEN=ghp_secret\n")
    link(project, "templates/static/env.txt", "../../.env")
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert err.splitlines()[:-1] == [
        "templates/static/env.txt:1: is a symbolic link to '../../.env', outside content/ and templates/; only the site's own "
        "files are published: copy the file here instead"
    ]
    assert not project.site.exists()


def fifo(project: Project) -> None:
    os.mkfifo(project.root / "content" / "pipe")


LINKS: list[tuple[str, Callable[[Project], None], str, str, str]] = [
    # (id, what to make first, the link, where it points, the message)
    (
        "a hidden file of content/",
        lambda p: p.write("content/.secret.txt", "secret"),
        "content/notes.txt",
        ".secret.txt",
        "content/notes.txt:1: is a symbolic link to '.secret.txt', a hidden file (a name in its path starts with '.'), which is "
        "never published; remove the link",
    ),
    (
        "a file in a hidden folder of templates/",
        lambda p: p.write("templates/.private/key.pem", "secret"),
        "templates/static/key.css",
        "../.private/key.pem",
        "templates/static/key.css:1: is a symbolic link to '../.private/key.pem', a hidden file (a name in its path starts "
        "with '.'), which is never published; remove the link",
    ),
    (
        "a link with a hidden name, which a template could include",
        lambda p: p.write(".env", "secret"),
        "templates/.secret.html",
        "../.env",
        "templates/.secret.html:1: is a symbolic link to '../.env', outside content/ and templates/; only the site's own files "
        "are published: copy the file here instead",
    ),
    (
        "a template",
        lambda p: p.write("notes.txt", "secret"),
        "templates/_notes.html",
        "../notes.txt",
        "templates/_notes.html:1: is a symbolic link to '../notes.txt', outside content/ and templates/; only the site's own "
        "files are published: copy the file here instead",
    ),
    (
        "a chain of links that ends outside",
        lambda p: (p.write(".env", "secret"), link(p, "content/images/b.png", "../../.env")),
        "content/images/a.png",
        "b.png",
        "content/images/a.png:1: is a symbolic link to 'b.png', which leads to '.env', outside content/ and templates/; only "
        "the site's own files are published: copy the file here instead\n"
        "content/images/b.png:1: is a symbolic link to '../../.env', outside content/ and templates/; only the site's own files "
        "are published: copy the file here instead",
    ),
    (
        "nothing",
        lambda p: None,
        "content/images/gone.png",
        "missing.png",
        "content/images/gone.png:1: is a symbolic link to 'missing.png', which does not exist; remove it",
    ),
    (
        "a folder",
        lambda p: None,
        "content/more",
        "../templates",
        "content/more:1: is a symbolic link to the folder '../templates'; links to folders are not followed: move the folder here",
    ),
    (
        "a pipe",
        fifo,
        "content/data.txt",
        "pipe",
        "content/data.txt:1: is a symbolic link to 'pipe', which is not a regular file; remove it",
    ),
]


@pytest.mark.parametrize(("make", "name", "target", "message"), [case[1:] for case in LINKS], ids=[case[0] for case in LINKS])
def test_a_link_is_followed_only_to_a_regular_file_of_content_or_templates(
    project: Project, capsys: pytest.CaptureFixture[str], make: Callable[[Project], None], name: str, target: str, message: str
) -> None:
    project.build(capsys=capsys)
    make(project)
    link(project, name, target)
    assert fails(project, capsys) == message.split("\n")


def test_links_between_content_and_templates_are_followed(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/images/logo.svg", SVG)
    link(project, "templates/static/logo.svg", "../../content/images/logo.svg")
    link(project, "content/images/same-logo.svg", "logo.svg")
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    assert (project.site / "logo.svg").read_text() == SVG
    assert (project.site / "images" / "same-logo.svg").read_text() == SVG


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_link_to_a_file_git_ignores_is_refused_when_the_project_is_a_repository(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/drafts/chart.svg", SVG)
    link(project, "content/images/chart.svg", "../drafts/chart.svg")
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err  # not a repository: nothing is ignored
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    project.write(".gitignore", "content/drafts/\n")
    assert fails(project, capsys) == [
        "content/images/chart.svg:1: is a symbolic link to '../drafts/chart.svg', a file that git ignores, so it is not part of "
        "the project; remove the link, or copy the file here and commit it"
    ]


NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (
            ["content/Safety.md", "content/safety.md"],
            "content/safety.md:1: this name and 'content/Safety.md' differ only in capitals, so they are one file on a Mac or a "
            "Windows computer: rename one of them, or merge them",
        ),
        (
            ["content/Care/index.md", "content/care/steps.md"],
            "content/care:1: this name and 'content/Care' differ only in capitals, so they are one file on a Mac or a Windows "
            "computer: rename one of them, or merge them",
        ),
        (
            [f"content/images/{NFD}.svg", f"content/images/{NFC}.svg"],  # sorted by code point: 'e' and U+0301 come first
            f"content/images/{NFC}.svg:1: this name and 'content/images/{NFD}.svg' differ only in how an accented letter is "
            "stored (Unicode NFC or NFD), so they are one file on a Mac or a Windows computer: rename one of them, or merge them",
        ),
        (
            ["templates/static/Logo.svg", "templates/static/logo.svg"],
            "templates/static/logo.svg:1: this name and 'templates/static/Logo.svg' differ only in capitals, so they are one file "
            "on a Mac or a Windows computer: rename one of them, or merge them",
        ),
    ],
    ids=["pages", "folders", "NFC and NFD", "static files"],
)
def test_two_names_that_differ_only_in_capitals_or_normalisation_name_both(
    project: Project, capsys: pytest.CaptureFixture[str], names: list[str], message: str
) -> None:
    project.build(capsys=capsys)
    for order, name in enumerate(names, start=2):
        project.write(name, SVG if name.endswith(".svg") else page(title=f"Page {order}", order=order))
    assert fails(project, capsys) == [message]


def test_templates_load_only_files_the_build_found(project: Project) -> None:
    project.write(".env", "GITHUB_TOKEN=ghp_secret\n")
    link(project, "templates/.secret.html", "../.env")
    link(project, "templates/secret.html", "../.env")
    env = make_environment(project.templates)
    assert "page.html" in env.list_templates()
    for name in (".secret.html", "secret.html", "static/style.css"):
        with pytest.raises(jinja2.TemplateNotFound):
            env.get_template(name)
