"""The placeholders that `build.py new` writes ('REPLACE: ...'): each one left in a page is reported at its line.

Tree processor ``placeholders`` (18.6, after ``document_walk`` 19) reads the text the parser made, outside code.
A placeholder is a warning, so that --strict (and so publishing) fails on it; while the page is a draft, which
is not published, it is a notice. The front matter's placeholders are reported by the renderer, with
placeholder_problem().
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown

from ...problems import Problem, notice, warning
from ..page import DocumentTreeprocessor, SiteExtension

MARKER = "REPLACE:"
MESSAGE = "this is placeholder text from `build.py new` (it starts with 'REPLACE:'): write your own text in its place"


def placeholder_problem(shown: str, line: int, draft: bool) -> Problem:
    if draft:
        return notice(shown, line, f"{MESSAGE} before you publish the page (it is a draft, so it is not published yet)")
    return warning(shown, line, MESSAGE)


class PlaceholderTreeprocessor(DocumentTreeprocessor["PlaceholderExtension"]):
    def run(self, root: Element) -> None:
        document = self.document
        walk = document.walk
        lines: set[int] = set()
        for piece in walk.pieces:
            if MARKER in piece.text and not walk.in_code(piece):
                line = piece.line_at(piece.text.index(MARKER))
                if line not in lines:
                    lines.add(line)
                    document.problems.append(placeholder_problem(document.shown, line, document.draft))


class PlaceholderExtension(SiteExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(PlaceholderTreeprocessor(md, self), "placeholders", 18.6)


def makeExtension(**kwargs: Any) -> PlaceholderExtension:  # noqa: N802 (Markdown's API)
    return PlaceholderExtension(**kwargs)
