"""The README and the guides in docs/: a short README that starts with the two commands, and links that lead somewhere.

Each file is read as GitHub shows it: converted by Python-Markdown (with tables and fenced code, so a link in code is
not a link), and each heading's anchor made as GitHub makes it.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest

from tests.conftest import REPO

README = REPO / "README.md"
GUIDES = sorted((REPO / "docs").glob("*.md"))
COMMANDS = [
    "python3 -m pip install -e . && python3 build.py",
    ".ci/install-tools && python3 -m pytest",
]


class Reader(HTMLParser):
    """The links, the code blocks and the heading anchors of one converted Markdown file."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.code_blocks: list[str] = []
        self.anchors: list[str] = []
        self._heading: list[str] | None = None
        self._pre: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag == "img" and found.get("src"):
            self.links.append(found["src"] or "")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        if tag == "pre":
            self._pre = []

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.anchors.append(github_anchor("".join(self._heading)))
            self._heading = None
        if tag == "pre" and self._pre is not None:
            self.code_blocks.append("".join(self._pre).strip())
            self._pre = None

    def handle_data(self, data: str) -> None:
        for part in (self._heading, self._pre):
            if part is not None:
                part.append(data)


def github_anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, only letters, digits, '_', '-' and spaces, each space a '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def read(path: Path) -> Reader:
    reader = Reader()
    reader.feed(markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables", "fenced_code"]))
    reader.close()
    counts: Counter[str] = Counter()
    unique = []
    for anchor in reader.anchors:  # a repeated heading gets -1, -2 ... as on GitHub
        unique.append(f"{anchor}-{counts[anchor]}" if counts[anchor] else anchor)
        counts[anchor] += 1
    reader.anchors = unique
    return reader


def test_the_readme_is_at_most_400_lines() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"README.md has {lines} lines; move the detail into a guide in docs/"


def test_the_readme_starts_with_the_two_commands_then_shows_how_to_make_a_virtual_environment() -> None:
    blocks = read(README).code_blocks
    assert blocks[:2] == COMMANDS
    assert "python3 -m venv .venv && . .venv/bin/activate" in blocks[2:]
    text = README.read_text(encoding="utf-8")
    assert "externally-managed-environment" in text and "python3-venv" in text


def test_the_guides_are_in_docs() -> None:
    assert {p.name for p in GUIDES} >= {"editing.md", "review.md", "publishing.md", "contributing.md"}


@pytest.mark.parametrize("path", [README, *GUIDES], ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(path: Path) -> None:
    broken = []
    for link in read(path).links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            continue
        target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not target.exists():
            broken.append(f"{link}: no file {target.relative_to(REPO) if target.is_relative_to(REPO) else target}")
        elif parts.fragment and (target.suffix != ".md" or unquote(parts.fragment) not in read(target).anchors):
            broken.append(f"{link}: no heading with the anchor #{parts.fragment} in {target.relative_to(REPO)}")
    assert not broken, "\n".join(broken)
