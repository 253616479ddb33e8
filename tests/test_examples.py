"""Example sites under tests/examples/<name>/ are built and compared file by file with expected/.

Only the files the build generates are compared (HTML, XML, text); the stylesheet and the favicon are copies of
templates/static/. Set UPDATE_EXPECTED=1 to rewrite expected/ when a change to the output is intended.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from tests.conftest import REPO

GENERATED = (".html", ".xml", ".txt")
EXAMPLES = sorted(p.name for p in (Path(__file__).parent / "examples").iterdir() if p.is_dir())


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_site_matches_expected_output(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).parent / "examples" / name
    site = tmp_path / "site"
    status = main(
        [
            "--strict",
            "--as-of",
            "2026-03-01",
            "--content",
            str(example / "content"),
            "--templates",
            str(REPO / "templates"),
            "--site",
            str(site),
        ]
    )
    assert status == 0, capsys.readouterr().err
    expected = example / "expected"
    if os.environ.get("UPDATE_EXPECTED"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(site, expected, ignore=lambda _, names: [n for n in names if not n.endswith(GENERATED) and "." in n])
    built = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name.endswith(GENERATED)}
    wanted = {p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file()}
    assert built == wanted
    for relative in sorted(built):
        got = (site / relative).read_text(encoding="utf-8").splitlines()
        want = (expected / relative).read_text(encoding="utf-8").splitlines()
        diff = "\n".join(difflib.unified_diff(want, got, f"expected/{relative}", f"built/{relative}", lineterm=""))
        assert not diff, diff
