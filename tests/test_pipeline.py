"""Building through the command line: the caveat and urgent-help checks, output checks in memory, atomic and guarded output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.cache import ENTRY_SUFFIX, KEEP_DAYS, SWEEP_EVERY_SECONDS, SWEPT
from sitegen.commands.cli import main
from sitegen.model import Origin, OutputFile
from sitegen.problems import display_path
from sitegen.write import output
from sitegen.write.output import MARKER, UnsafeOutputPathError, remove_stale_folders, safe_target, write_site
from tests.conftest import REPO, Project, page

CAVEAT = "Long-term survival after a second infusion is not yet known."


def break_template(project: Project, name: str, old: str, new: str) -> None:
    template = project.templates / name
    text = template.read_text()
    assert old in text, f"{old!r} is not in {name}"
    template.write_text(text.replace(old, new))


def test_build_prints_a_summary_and_writes_pages(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = project.build(capsys=capsys)
    assert status == 0, err
    assert re.search(r"^Built 2 pages in \d+\.\d\d s into site/\.$", out, flags=re.M)
    assert sorted(project.snapshot()) == [MARKER, "404.html", "favicon.svg", "index.html", "robots.txt", "sources.html"]


def test_every_page_shows_the_caveat_inside_main_before_the_first_section(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    for name in ("index.html", "sources.html", "404.html"):
        html = (project.site / name).read_text()
        main = html[html.index("<main") : html.index("</main>")]
        assert CAVEAT in main.split("<h2")[0]


def test_a_template_without_the_caveat_fails_the_build_at_the_template(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    before = project.snapshot()
    break_template(project, "page.html", '{% include "_caveat.html" %}', "")
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert (
        "templates/page.html:1: the page does not show the long-term survival caveat near the top of <main>, "
        "before the first section heading (in 2 pages, such as index.html)"
    ) in err
    assert "site/" not in err.replace("site/ was not changed", "")
    assert project.snapshot() == before


@pytest.mark.parametrize(
    ("wrapper", "hider"),
    [
        ('<div class="caveat" role="note" hidden>', "<div hidden>"),
        ('<div class="caveat" role="note" aria-hidden="true">', '<div aria-hidden="true">'),
        ('<details><summary>Note</summary><div class="caveat" role="note">', "a closed <details>"),
        ('<div class="caveat" role="note" style="display:none">', '<div style="display:none">'),
        ('<template><div class="caveat" role="note">', "<template>"),
    ],
)
def test_a_caveat_that_readers_cannot_see_fails_the_build(
    project: Project, capsys: pytest.CaptureFixture[str], wrapper: str, hider: str
) -> None:
    closing = "</div></details>" if "details" in wrapper else "</div></template>" if "template" in wrapper else "</div>"
    project.write("templates/_caveat.html", f"{wrapper}\n  <p><strong>Please note:</strong> {{{{ site.caveat }}}}</p>\n{closing}\n")
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert f"templates/page.html:1: the long-term survival caveat is on the page but hidden from readers by {hider}" in err


def test_caveat_text_is_set_once_in_the_site_settings(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    settings = (project.content / "_site.yml").read_text()
    project.write("content/_site.yml", settings.replace(CAVEAT, "Nobody knows the long-term outcome yet."))
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    assert "Nobody knows the long-term outcome yet." in (project.site / "index.html").read_text()


def test_a_page_that_names_a_side_effect_shows_the_urgent_help_box(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page(body="Side effects can be severe [@gauthier2021]."))
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    home = (project.site / "index.html").read_text()
    home = home[home.index("<body") :]  # the stylesheet in <head> names the box's classes too
    box = home[home.index('<section class="urgent-help"') :]
    assert 'aria-labelledby="urgent-help-title"' in box
    assert "Call your care team at once, day or night" in box and "<li>a fever</li>" in box
    assert home.index("urgent-help") > home.index('class="caveat"')
    assert 'class="urgent-help' not in (project.site / "sources.html").read_text()


def test_a_template_that_drops_the_urgent_help_box_fails_the_build(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page(body="About CRS [@gauthier2021]."))
    break_template(project, "page.html", '{% include "_urgent_help.html" %}', "")
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert (
        "templates/page.html:1: this page names a side effect, so it must show the 'Get help straight away' box from the "
        "site settings, visibly; its heading, action and emergency-help sentence are missing (in index.html)"
    ) in err


def test_the_urgent_help_box_can_be_asked_for_in_front_matter(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page(urgent_help="true"))
    project.build(capsys=capsys)
    assert "Get help straight away" in (project.site / "index.html").read_text()


def test_check_reports_problems_and_leaves_site_alone(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    before = project.snapshot()
    project.write("content/index.md", page(body="Changed text [@gauthier2021]."))
    status, out, _ = project.build("check", capsys=capsys)
    assert status == 0
    assert "Checked 2 pages" in out and "site/ was not changed" in out
    assert project.snapshot() == before
    assert not [p for p in project.root.iterdir() if p.name.startswith(".site")]


def test_failed_build_leaves_no_staging_folder_behind(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    break_template(project, "page.html", '{% include "_caveat.html" %}', "")
    project.build(capsys=capsys)
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "site", "templates"]


@pytest.mark.parametrize("swap", ["renameat2", "two renames"])
def test_a_second_build_replaces_site_completely(
    project: Project, swap: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linux swaps the folders in one step; elsewhere (macOS, Windows) it is two renames, which must also succeed."""
    if swap == "two renames":
        monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    project.write("content/extra.md", page(title="Extra", order=2))
    project.build(capsys=capsys)
    assert (project.site / "extra.html").exists()
    (project.content / "extra.md").unlink()
    status, _, _ = project.build(capsys=capsys)
    assert status == 0
    assert not (project.site / "extra.html").exists()
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "site", "templates"]


def test_a_rebuild_links_unchanged_files_from_the_last_site_and_writes_the_changed_ones(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("content/extra.md", page(title="Extra", order=2))
    assert project.build(capsys=capsys)[0] == 0
    before = {name: (project.site / name).stat().st_ino for name in ("extra.html", "index.html", "favicon.svg")}
    project.write("content/extra.md", page(title="Extra", order=2, body="Changed text [@gauthier2021]."))
    assert project.build(capsys=capsys)[0] == 0
    after = {name: (project.site / name).stat().st_ino for name in before}
    assert after["favicon.svg"] == before["favicon.svg"] and after["index.html"] == before["index.html"]
    assert after["extra.html"] != before["extra.html"]
    assert "Changed text" in (project.site / "extra.html").read_text()
    assert (project.site / "index.html").stat().st_nlink == 1  # the old site is gone: the file is linked from site/ only


def test_files_are_linked_only_from_a_folder_the_build_wrote(tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "index.html").write_bytes(b"same")
    assert write_site([OutputFile("index.html", b"same", Origin("content/index.md"))], tmp_path / "site", earlier=stranger) == []
    assert (tmp_path / "site" / "index.html").stat().st_ino != (stranger / "index.html").stat().st_ino
    assert (tmp_path / "site" / "index.html").read_bytes() == b"same"


def test_cache_files_unused_for_two_weeks_are_removed_at_most_once_an_hour(
    project: Project, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cache = tmp_path_factory.mktemp("cache")

    def build() -> None:
        command = ["--as-of", "2026-03-01", "--content", str(project.content), "--templates", str(project.templates)]
        assert main([*command, "--site", str(project.site), "--cache-dir", str(cache)], project_root=project.root) == 0

    def stale(name: str) -> Path:
        path = cache / f"{name}{ENTRY_SUFFIX}"
        path.write_bytes(b"")
        old = path.stat().st_mtime - (KEEP_DAYS + 1) * 86400  # the file system's clock: the test also runs under faketime
        os.utime(path, (old, old))
        return path

    first = stale("first")
    build()
    assert not first.exists() and any(cache.glob(f"*{ENTRY_SUFFIX}"))  # the pages just built are kept
    second = stale("second")
    build()
    assert second.exists()
    swept = cache / SWEPT
    swept.write_text(repr(float(swept.read_text()) - SWEEP_EVERY_SECONDS - 1))
    build()
    assert not second.exists()


def test_output_paths_cannot_escape_the_site_folder(tmp_path: Path) -> None:
    for bad in ("../outside.html", "/etc/passwd", "a/../../outside.html", "", "a\\b.html", "a/./b.html"):
        with pytest.raises(UnsafeOutputPathError):
            safe_target(tmp_path / "site", bad)
    problems = write_site([OutputFile("../outside.html", b"x", Origin("content/x.md"))], tmp_path / "site")
    assert [str(p) for p in problems] == [
        f"{display_path(tmp_path / 'site')}:1: refusing to write outside the output folder: ../outside.html"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_slug_cannot_hold_a_path(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/evil.md", page(title="Evil", order=3, slug="../../evil"))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert "content/evil.md:10: 'slug' may hold only lowercase letters, digits and '-' (at most 100), not '../../evil'" in err


@pytest.mark.parametrize(("file", "extra", "line"), [("content/lost.md", {"slug": '"404"'}, 10), ("content/404.md", {}, 1)])
def test_a_page_cannot_take_a_name_the_build_writes_itself(
    project: Project, capsys: pytest.CaptureFixture[str], file: str, extra: dict[str, str], line: int
) -> None:
    project.write(file, page(title="Lost", order=3, **extra))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert f"{file}:{line}: this page would be written to 404.html, which the page-not-found page already uses; choose another name" in err


def test_drafts_are_left_out_of_a_normal_build(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/draft.md", page(title="Unfinished", order=2, draft="true"))
    project.build(capsys=capsys)
    assert not (project.site / "draft.html").exists()
    assert "Unfinished" not in (project.site / "index.html").read_text()


def test_every_internal_link_is_relative(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    for html_file in project.site.glob("*.html"):
        for url in re.findall(r'(?:href|src)="([^"]+)"', html_file.read_text()):
            assert not url.startswith("/"), f"{html_file.name}: {url}"


def test_a_broken_link_in_a_template_is_reported_at_the_template_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    break_template(project, "base.html", 'favicon.svg"', 'favicon.sgv"')
    line = next(i for i, text in enumerate((project.templates / "base.html").read_text().splitlines(), 1) if "favicon.sgv" in text)
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert (
        f"templates/base.html:{line}: 'favicon.sgv' points to favicon.sgv, which the build does not write "
        "(did you mean 'favicon.svg'?) (in 3 pages, such as index.html)"
    ) in err


def test_a_third_party_load_in_a_template_is_reported_at_the_template_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    break_template(project, "base.html", "</head>", '<script src="https://cdn.example/x.js"></script>\n</head>')
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert re.search(r"templates/base\.html:\d+: 'https://cdn\.example/x\.js' loads from another site; ship the file with the site", err)


def test_a_broken_link_in_markdown_is_reported_at_the_markdown_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/index.md", page(body="Hello [@gauthier2021].\n\nSee [the list](sources.md#nowhere)."))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert "content/index.md:20: 'sources.md#nowhere' points to '#nowhere', but sources.html has no such anchor" in err


def test_script_in_markdown_fails_the_build_and_leaves_site_unchanged(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    before = project.snapshot()
    project.write("content/index.md", page(body="Hello [@gauthier2021].\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"))
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 1
    assert "content/index.md:20: <script> is not allowed in a page" in err
    assert "content/index.md:22: javascript: addresses are not allowed in pages" in err
    assert project.snapshot() == before


def test_help_lists_the_commands() -> None:
    completed = subprocess.run([sys.executable, str(REPO / "build.py"), "--help"], capture_output=True, text=True, check=True)
    for word in ("build", "check", "path:line: message"):
        assert word in completed.stdout


def test_build_writes_nothing_outside_site(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    marker = project.root / "keep.txt"
    marker.write_text("mine")
    before = {p: p.stat().st_mtime_ns for p in project.root.rglob("*") if "site" not in p.parts}
    project.build(capsys=capsys)
    after = {p: p.stat().st_mtime_ns for p in project.root.rglob("*") if "site" not in p.parts}
    assert before == after
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "keep.txt", "site", "templates"]


# --- the output folder: never a folder the build did not make ------------------------------------------------


def run_build_py(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """build.py as an editor runs it, with the project as its root (a copy of build.py next to content/)."""
    shutil.copy(REPO / "build.py", project.root / "build.py")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "build.py", *args, "--as-of", "2026-03-01", "--no-cache"]
    return subprocess.run(command, cwd=project.root, capture_output=True, text=True, env=env)


@pytest.mark.parametrize(
    ("site", "message"),
    [
        ("content", "content:1: refusing to write the site here: it would delete content/, which the build reads"),
        ("templates", "templates:1: refusing to write the site here: it would delete templates/, which the build reads"),
        (".", ".:1: refusing to write the site here: it would delete content/, which the build reads"),
        ("content/out", "content/out:1: refusing to write the site inside content/, which the build reads"),
    ],
)
def test_site_option_never_deletes_what_the_build_reads(project: Project, site: str, message: str) -> None:
    before = sorted(str(p.relative_to(project.root)) for p in project.root.rglob("*"))
    completed = run_build_py(project, "--site", site)
    assert completed.returncode == 1
    assert message in completed.stderr
    assert sorted(str(p.relative_to(project.root)) for p in project.root.rglob("*") if p.name != "build.py") == before


def test_site_option_refuses_a_folder_it_did_not_make(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    mine = project.root / "documents"
    mine.mkdir()
    (mine / "thesis.docx").write_text("years of work")
    status, _, err = project.build("--site", str(mine), capsys=capsys)
    assert status == 1
    assert "refusing to replace this folder: it is not empty and was not made by build.py" in err
    assert (mine / "thesis.docx").read_text() == "years of work"


def test_site_option_refuses_a_git_work_tree_and_the_project_root(project: Project) -> None:
    (project.root / "other").mkdir()
    (project.root / "other" / ".git").mkdir()
    completed = run_build_py(project, "--site", "other")
    assert "other:1: refusing to write the site here: it is a git work tree, which the build would delete" in completed.stderr
    assert (project.root / "other" / ".git").is_dir()


def test_site_option_accepts_an_empty_folder_and_then_its_own(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    out = project.root / "public"
    out.mkdir()
    assert project.build("--site", str(out), capsys=capsys)[0] == 0
    assert (out / MARKER).is_file()
    assert project.build("--site", str(out), capsys=capsys)[0] == 0


@pytest.mark.parametrize("kind", ["file", "dangling symlink"])
def test_an_output_path_that_is_not_a_folder_is_an_error(project: Project, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    if kind == "file":
        project.site.write_text("not a folder")
        expected = "site:1: the output folder is a file, not a folder"
    else:
        project.site.symlink_to(project.root / "nowhere")
        expected = "site:1: the output folder is a symbolic link; point --site at a real folder"
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert expected in err
    assert not [p for p in project.root.iterdir() if p.name.startswith(".site")]


def test_the_old_site_stays_when_it_cannot_be_removed(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.build(capsys=capsys)
    project.write("content/index.md", page(body="New text [@gauthier2021]."))

    def refuse(path: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", refuse)
    status, out, err = project.build(capsys=capsys)
    assert status == 0, err
    assert "New text" in (project.site / "index.html").read_text()
    assert "warning: the new site is in place, but the old one could not be removed (permission denied" in err


def test_stale_staging_folders_of_killed_builds_are_removed_but_no_others(tmp_path: Path) -> None:
    site = tmp_path / "site"
    dead = tmp_path / ".site-build-999999999-x1y2"
    dead.mkdir()
    (dead / MARKER).write_text("written by build.py\n")
    running = tmp_path / f".site-build-{os.getppid()}-a1b2"
    running.mkdir()
    (running / MARKER).write_text("written by build.py\n")
    unmarked = tmp_path / ".site-build-someone-elses"
    unmarked.mkdir()
    interrupted = tmp_path / ".site-old-999999999-k3l4"
    (interrupted / "site").mkdir(parents=True)
    (interrupted / "site" / MARKER).write_text("written by build.py\n")
    (interrupted / "site" / "index.html").write_text("the last good site")
    remove_stale_folders(site)
    assert (site / "index.html").read_text() == "the last good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".site-build-someone-elses", running.name, "site"])


def test_every_command_has_a_runner_and_a_help_line() -> None:
    from sitegen.commands import cli

    assert set(cli.RUNNERS) | {"new"} == set(cli.COMMANDS)
    helped = cli.make_parser(REPO).format_help()
    assert all(f"    {command}" in helped for command in cli.COMMANDS), helped
