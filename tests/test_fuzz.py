"""Fuzzing the real content: mutated copies of content/ never make the build crash, print a problem that is not
'path:line: message', change site/ when the build fails, or leave a staging folder behind (issue 11).

Each case copies one file of the real content (a page or _site.yml), applies one to three mutations (a line
deleted or duplicated, a character flipped, or '---', ':', a tab, a quote or a date inserted), builds through the
command line in this process, and puts the file back. The seed is fixed; FUZZ_CASES and FUZZ_SEED change the
run (FUZZ_CASES=5000 for a long one).

The build is the real one. Four things are reused between cases, because they depend only on what the case did
not change: the Jinja environment (the templates never change), each page as loaded from its bytes, each page's
Markdown conversion (a pure function of the page's text and of what it may refer to) and the facts read from the
HTML of each rendered template.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitegen import checks, output, pipeline
from sitegen.cli import main
from tests.conftest import REPO

pytestmark = pytest.mark.unit

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


def remembering_markdown(make_markdown: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """make_markdown whose converters remember each conversion: RenderedMarkdown is plain data, a function of the
    refs and of the arguments, so a page that a case did not change is not converted again."""
    conversions: dict[tuple[object, ...], object] = {}

    class Remembering:
        def __init__(self, refs: object) -> None:
            self.refs = refs
            self.converter: Any = None

        def render(self, *args: object) -> object:
            key = (repr(self.refs), args)
            if key not in conversions:
                self.converter = self.converter or make_markdown(self.refs)
                conversions[key] = self.converter.render(*args)
            return conversions[key]

    return Remembering


def reuse_between_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Jinja environment, loaded pages, Markdown conversions and the facts of each rendered template, where the
    build takes them from (a build that takes them elsewhere is only slower)."""
    environments: dict[object, object] = {}
    if hasattr(pipeline, "make_environment"):
        real_environment = pipeline.make_environment
        monkeypatch.setattr(pipeline, "make_environment", lambda folder: environments.setdefault(folder, real_environment(folder)))
    if hasattr(pipeline, "make_markdown"):
        monkeypatch.setattr(pipeline, "make_markdown", remembering_markdown(pipeline.make_markdown))
    if hasattr(checks, "parse_html"):
        monkeypatch.setattr(checks, "parse_html", functools.lru_cache(maxsize=256)(checks.parse_html))
    if hasattr(pipeline, "load_page"):
        monkeypatch.setattr(pipeline, "load_page", remembering_pages(pipeline.load_page))


def remembering_pages(load_page: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """load_page that reads a file again only when its bytes changed (a Page is frozen data)."""
    loaded: dict[tuple[object, ...], tuple[Any, list[Any]]] = {}

    def load(found: Any) -> tuple[Any, list[Any]]:
        key = (found.path, found.relative, found.shown, found.path.read_bytes())
        if key not in loaded:
            loaded[key] = load_page(found)
        page, problems = loaded[key]
        return page, list(problems)

    return load


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def latest_review(content: Path) -> str:
    """The day the real content was last reviewed: review dates are checked as of then, so the unchanged content builds."""
    dates = re.findall(r"^last_reviewed: (\d{4}-\d{2}-\d{2})", "\n".join(p.read_text() for p in content.glob("*.md")), re.MULTILINE)
    return max(dates)


def test_mutated_real_content_never_crashes_and_never_changes_site_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    reuse_between_cases(monkeypatch)
    args = ["build", "--as-of", latest_review(tmp_path / "content"), "--content", "content", "--templates", "templates", "--site", "site"]

    def build() -> tuple[int, list[str]]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(args)
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
