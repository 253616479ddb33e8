"""The real content's numbers are bound to their sources' recorded figures: each of these edits to a copy of the real
content fails the build at the changed line, naming the number, and no recorded locator goes beyond what the
reference files confirm.

The five edits are made to one copy, on different lines, and checked with one build."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from sitegen.commands.cli import main
from tests.conftest import REAL_AS_OF
from tests.support import REAL_CONTENT, REPO

# Where the reference files (medical-facts.md, sources.yaml, content-audit.md §2.1) say a figure was read. A locator
# beyond these would be a guess: this test fails, and the reviewer checks it against the source first.
CONFIRMED_LOCATORS = {"gauthier2021": {"abstract", "Key Points"}}


def first(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} is no longer in the page: update this test to today's text"
    return match.group(0)


def moved_icon_array(text: str) -> str:
    """The severe-CRS icon array with its value and its statement moved together, from 9 to 7 out of 100."""
    block = first(r"```icon-array\n(?:.*\n)*?affected: 9\n(?:.*\n)*?```", text)
    moved = block.replace("affected: 9", "affected: 7").replace("About 9 out of 100", "About 7 out of 100")
    return text.replace(block, moved.replace("About 91 out of 100", "About 93 out of 100"), 1)


EDITS = {
    "index.md": [lambda text: text.replace(first(r"about 39 out of 100 people \(39%\)", text), "about 41 out of 100 people (41%)", 1)],
    "efficacy.md": [
        lambda text: text.replace(first(r"about 39 out of 100 people \(39%\)", text), "about 93 out of 100 people (39%)", 1),
        lambda text: text.replace(
            first(r"about 22 out of 100 \(22%\) \[@gauthier2021\] \|", text), "about 24 out of 100 (24%) [@gauthier2021] |", 1
        ),
        lambda text: text.replace(first(r"\b9 people had CLL", text), "10 people had CLL", 1),
    ],
    "side-effects.md": [moved_icon_array],
}


@dataclass(frozen=True)
class Checked:
    content: Path
    problems: list[str]

    def line_of(self, name: str, fragment: str) -> int:
        lines = (self.content / name).read_text(encoding="utf-8").splitlines()
        found = [number for number, line in enumerate(lines, start=1) if fragment in line]
        assert len(found) == 1, f"{fragment!r} is on lines {found} of {name}"
        return found[0]

    def at(self, name: str, fragment: str) -> list[str]:
        """The problems reported at the line of fragment in content/name, without their path and line."""
        prefix = f"{self.content / name}:{self.line_of(name, fragment)}: "
        return [p.removeprefix(prefix) for p in self.problems if p.startswith(prefix)]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    content = tmp_path_factory.mktemp("edited") / "content"
    shutil.copytree(REAL_CONTENT, content)
    for name, edits in EDITS.items():
        path = content / name
        for edit in edits:
            before = path.read_text(encoding="utf-8")
            path.write_text(edit(before), encoding="utf-8")
            assert path.read_text(encoding="utf-8") != before, f"an edit no longer applies to {name}: update this test"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["check", "--content", str(content), "--templates", str(REPO / "templates"), "--as-of", REAL_AS_OF.isoformat()])
    assert status == 1, err.getvalue()
    return Checked(content, err.getvalue().splitlines())


def test_a_response_rate_moved_by_two_in_both_its_forms_fails_at_its_line(checked: Checked) -> None:
    assert checked.at("index.md", "about 41 out of 100 people (41%)") == [
        "'41 out of 100' and '41%' match no figure recorded for gauthier2021; did you mean '39 out of 100' (Overall response: 39%) "
        "or '22 out of 100' (Complete response in CLL: 22%)?"
    ]


def test_a_frequency_that_disagrees_with_its_percentage_fails_at_its_line(checked: Checked) -> None:
    assert checked.at("efficacy.md", "about 93 out of 100 people (39%)") == [
        "'93 out of 100' and '39%' beside it give two different numbers; both forms must give the same figure (gauthier2021 "
        "records Overall response: 39%)"
    ]


def test_an_icon_array_whose_value_and_statement_move_together_fails_at_both(checked: Checked) -> None:
    assert checked.at("side-effects.md", "affected: 7") == [
        "'affected' (7 out of 100) matches no figure recorded for gauthier2021; did you mean '9 out of 100' (Severe CRS, grade 3 "
        "or higher: 9%) or '11 out of 100' (Severe neurotoxicity, grade 3 or higher: 11%)?"
    ]
    statement = checked.at("side-effects.md", "About 7 out of 100")
    assert [p.split(";")[0] for p in statement] == [
        "'7 out of 100' matches no figure recorded for gauthier2021",
        "'93 out of 100' matches no figure recorded for gauthier2021",
    ]


def test_a_table_cell_moved_fails_at_its_row(checked: Checked) -> None:
    assert checked.at("efficacy.md", "about 24 out of 100 (24%)") == [
        "'24 out of 100' and '24%' match no figure recorded for gauthier2021; did you mean '22 out of 100' (Complete response in "
        "CLL: 22%) or '21 out of 100' (Complete response in ALL: 21%)?",
        "'78 out of 100' would be the rest of gauthier2021's Complete response in CLL (22%), but this table row does not give "
        "that figure itself; give both in the same place, or check the number",
    ]


def test_a_group_size_moved_fails_at_its_line(checked: Checked) -> None:
    assert checked.at("efficacy.md", "10 people had CLL") == [
        "'10' matches no figure recorded for gauthier2021; did you mean '9' (People with CLL) or '14' (People with ALL)?"
    ]


def test_no_recorded_locator_goes_beyond_the_reference_files() -> None:
    text = (REAL_CONTENT / "sources.md").read_text(encoding="utf-8")
    sources = yaml.safe_load(text.split("---\n")[1])["sources"]
    located = {(s["id"], f["locator"]) for s in sources for f in s.get("figures", ()) if "locator" in f}
    assert located, "gauthier2021's figures have confirmed locators"
    assert {(source, locator) for source, locator in located if locator not in CONFIRMED_LOCATORS.get(source, set())} == set()
