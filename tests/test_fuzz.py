"""Fuzzing the real content: mutated copies of content/ never make the build crash, print a problem that is not
'path:line: message', change site/ when the build fails, or leave a staging folder behind (issue 11).

Each case copies one file of the real content (a page or _site.yml), applies one to three mutations (a line
deleted or duplicated, a character flipped, or '---', ':', a tab, a quote or a date inserted), builds through the
command line in this process, and puts the file back. The seed is fixed; FUZZ_CASES and FUZZ_SEED change the
run (FUZZ_CASES=5000 for a long one).

The build is the real one, with its own build cache on disk (as `build.py` keeps it), so a page that a case did
not change is not rendered again.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from sitegen.write import output
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # a minute or more: the slow layer

CASES = int(os.environ.get("FUZZ_CASES", "500"))
SEED = int(os.environ.get("FUZZ_SEED", "11"))
PROBLEM = re.compile(r"^[^\n]+:\d+: ")
SUMMARY = ("Build failed: ", "Built ", "Reading grade ", "Note: ")
DATES = ("2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "2026-01-01", "1900-01-01", "2026-1-1", "26-01-01")
FLIPPED = "abcXYZ019 -_*[]()<>`#:;'\"@!&|{}\\/\t~=%.,?\u00e9\u00a0\u200b\u2028\U0001f600"


def delete_line(lines: list[str], rng: random.Random) -> None:
    if len(lines) > 1:
        del lines[rng.randrange(len(lines))]


def duplicate_line(lines: list[str], rng: random.Random) -> None:
    index = rng.randrange(len(lines))
    lines.insert(index, lines[index])


def flip_character(lines: list[str], rng: random.Random) -> None:
    index = rng.randrange(len(lines))
    line = lines[index]
    if line:
        at = rng.randrange(len(line))
        lines[index] = line[:at] + rng.choice(FLIPPED) + line[at + 1 :]


def inserting(text: Callable[[random.Random], str]) -> Callable[[list[str], random.Random], None]:
    def insert(lines: list[str], rng: random.Random) -> None:
        index = rng.randrange(len(lines))
        at = rng.randrange(len(lines[index]) + 1)
        lines[index] = lines[index][:at] + text(rng) + lines[index][at:]

    return insert


def insert_separator_line(lines: list[str], rng: random.Random) -> None:
    lines.insert(rng.randrange(len(lines) + 1), "---")


def replace_date(lines: list[str], rng: random.Random) -> None:
    dated = [i for i, line in enumerate(lines) if re.search(r"\d{4}-\d{2}-\d{2}", line)]
    if dated:
        index = rng.choice(dated)
        lines[index] = re.sub(r"\d{4}-\d{2}-\d{2}", rng.choice(DATES), lines[index], count=1)
    else:
        inserting(lambda r: r.choice(DATES))(lines, rng)


MUTATIONS = (
    delete_line,
    duplicate_line,
    flip_character,
    insert_separator_line,
    inserting(lambda rng: ":"),
    inserting(lambda rng: ": "),
    inserting(lambda rng: "\t"),
    inserting(lambda rng: rng.choice("'\"")),
    inserting(lambda rng: rng.choice(DATES)),
    replace_date,
)


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        rng.choice(MUTATIONS)(lines, rng)
    return "\n".join(lines)


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def latest_review(content: Path) -> str:
    """The day the real content was last reviewed: review dates are checked as of then, so the unchanged content builds."""
    dates = re.findall(r"^last_reviewed: (\d{4}-\d{2}-\d{2})", "\n".join(p.read_text() for p in content.rglob("*.md")), re.MULTILINE)
    return max(dates)


def test_mutated_real_content_never_crashes_and_never_changes_site_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    args = ["build", "--as-of", latest_review(tmp_path / "content"), "--content", "content", "--templates", "templates", "--site", "site"]

    def build() -> tuple[int, list[str]]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(args, project_root=tmp_path)
        return status, [line for line in err.getvalue().splitlines() if not line.startswith(SUMMARY)]

    status, problems = build()
    assert status == 0, problems
    site = snapshot(tmp_path / "site")
    files = sorted([*(tmp_path / "content").glob("*.md"), tmp_path / "content" / "_site.yml"])
    rng = random.Random(SEED)
    failed = 0
    for case in range(CASES):
        file = rng.choice(files)
        original = file.read_text(encoding="utf-8")
        mutated = mutate(original, rng)
        file.write_text(mutated, encoding="utf-8")
        where = f"case {case} (FUZZ_SEED={SEED}): {file.name} mutated to\n{mutated}"
        try:
            status, problems = build()
        except Exception as exc:  # the build must report every fault as a problem
            raise AssertionError(f"{type(exc).__name__}: {exc}\n{where}") from exc
        finally:
            file.write_text(original, encoding="utf-8")
        assert status in (0, 1), where
        assert all(PROBLEM.match(line) for line in problems), f"{problems}\n{where}"
        if status == 1:
            failed += 1
            assert snapshot(tmp_path / "site") == site, where
        else:
            site = snapshot(tmp_path / "site")
        leftovers = [p.name for p in tmp_path.iterdir() if output.STAGING_INFIX in p.name or output.OLD_INFIX in p.name]
        assert not leftovers, where
    assert failed > CASES // 4  # the mutations do break the content, most of the time
