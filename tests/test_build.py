"""Building through the command line: the caveat check, atomic output, check mode and relative links."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.checks import check_caveat, parse_html
from sitegen.output import OutputFile, UnsafeOutputPathError, stage
from tests.conftest import REPO, Project, page

CAVEAT = "Long-term survival after a second infusion is not yet known."


def test_build_prints_a_summary_and_writes_pages(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = project.build(capsys=capsys)
    assert status == 0, err
    assert re.search(r"^Built 2 pages in \d+\.\d\d s into site/\.$", out, flags=re.M)
    assert sorted(project.snapshot()) == ["404.html", "favicon.svg", "index.html", "robots.txt", "sources.html", "style.css"]


def test_every_page_shows_the_caveat_inside_main_before_the_first_section(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    for name in ("index.html", "sources.html"):
        html = (project.site / name).read_text()
        main = html[html.index("<main") : html.index("</main>")]
        assert CAVEAT in main.split("<h2")[0]


def test_a_template_without_the_caveat_fails_the_build(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    before = project.snapshot()
    template = project.templates / "page.html"
    template.write_text(template.read_text().replace('{% include "_caveat.html" %}', ""))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert "site/index.html:1: page does not show the long-term survival caveat near the top of <main>" in err
    assert "site/sources.html:1: page does not show the long-term survival caveat near the top of <main>" in err
    assert project.snapshot() == before


def test_caveat_only_in_the_footer_is_not_enough() -> None:
    html = f"<main><h1>T</h1><h2>Section</h2><p>{CAVEAT}</p></main><footer>{CAVEAT}</footer>"
    assert [str(p) for p in check_caveat("x.html", parse_html(html), CAVEAT)] == [
        "x.html:1: page does not show the long-term survival caveat near the top of <main>"
    ]
    assert check_caveat("x.html", parse_html(f"<main><h1>T</h1><p>{CAVEAT}</p><h2>S</h2></main>"), CAVEAT) == []


def test_caveat_text_is_set_once_in_the_site_settings(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    settings = (project.content / "_site.yml").read_text()
    project.write("content/_site.yml", settings.replace(CAVEAT, "Nobody knows the long-term outcome yet."))
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    assert "Nobody knows the long-term outcome yet." in (project.site / "index.html").read_text()


def test_check_reports_problems_and_leaves_site_alone(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    before = project.snapshot()
    project.write("content/index.md", page(body="Changed text [@gauthier2021]."))
    status, out, _ = project.build("check", capsys=capsys)
    assert status == 0
    assert "Checked 2 pages" in out and "site/ was not changed" in out
    assert project.snapshot() == before
    assert not [p for p in project.root.iterdir() if p.name.startswith(".site-")]


def test_failed_build_leaves_no_staging_folder_behind(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.build(capsys=capsys)
    template = project.templates / "page.html"
    template.write_text(template.read_text().replace('{% include "_caveat.html" %}', ""))
    project.build(capsys=capsys)
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "site", "templates"]


def test_a_second_build_replaces_site_completely(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/extra.md", page(title="Extra", order=2))
    project.build(capsys=capsys)
    assert (project.site / "extra.html").exists()
    (project.content / "extra.md").unlink()
    status, _, _ = project.build(capsys=capsys)
    assert status == 0
    assert not (project.site / "extra.html").exists()


def test_output_paths_cannot_escape_the_site_folder(tmp_path: Path) -> None:
    for bad in ("../outside.html", "/etc/passwd", "a/../../outside.html", ""):
        with pytest.raises(UnsafeOutputPathError):
            stage([OutputFile(bad, b"x")], None, tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_slug_cannot_hold_a_path(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/evil.md", page(title="Evil", order=3, slug="../../evil"))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert "content/evil.md:10: 'slug' may hold only lowercase letters, digits and '-', not '../../evil'" in err


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


def test_a_broken_link_in_a_template_is_reported(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    base = project.templates / "base.html"
    base.write_text(base.read_text().replace('style.css"', 'styles.css"'))
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert re.search(r"site/index\.html:\d+: link 'styles\.css' points to a file that the build does not write", err)


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
