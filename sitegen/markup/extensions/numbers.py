"""Every number cites a source: a paragraph, list item or table cell with a percentage or "N out of M" needs a citation.

The page's language says how a number is written (languages.py): "39 out of 100" in English, "39 de cada 100" and
"39 %" in Spanish, where a number written against the Spanish style ('39%', a decimal comma) is a warning too, and the
space before '%' becomes a non-breaking one (tree processor ``percent_spacing``, 5.9, after ``typography``).

Tree processor ``number_sources`` (18.5, after ``document_walk`` 19, before ``citations`` 18 replaces the
placeholders) judges the blocks the parser made: text in code is not prose, a table cell is a cell with or
without leading pipes, and a nested list item is its own block. The warning names the line of the number.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from ..languages import NBSP, PERCENT_AFTER_SPACE, number_style, style_problems
from .citations import PLACEHOLDER_TAG
from .document import Document, TextPiece

NUMBER = number_style("en").uncited
TEXT_BLOCKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}
NOT_PROSE = {"code", "pre", "script", "style"}


def uncited_number(text: str, language: str = "en") -> re.Match[str] | None:
    """The first percentage or natural frequency in text, for text that carries no citation."""
    return number_style(language).uncited.search(text)


def number_warning(found: str) -> str:
    return f"'{found}' has no citation in the same paragraph, list item or table cell; add one such as [@key]"


class NumberSourceTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, document: Document, language: str = "en") -> None:
        super().__init__(md)
        self.document = document
        self.language = language

    def run(self, root: Element) -> None:
        walk = self.document.walk
        blocks: dict[Element, list[TextPiece]] = {}
        cited: set[Element] = set()
        for item in walk.order:
            owner = self.block_of(item.element if isinstance(item, TextPiece) and not item.is_tail else item, walk)
            if isinstance(item, TextPiece):
                if item.is_tail:
                    owner = self.block_of(walk.parents.get(item.element), walk)
                if owner is not None and not self.in_code(item, walk):
                    blocks.setdefault(owner, []).append(item)
                    for offset, message in style_problems(item.text, self.language):
                        self.document.warning(item.line_at(offset), message)
            elif item.tag == PLACEHOLDER_TAG and owner is not None:
                cited.add(owner)
        for block, pieces in blocks.items():
            if block in cited:
                continue
            for piece in pieces:
                match = uncited_number(piece.text, self.language)
                if match:
                    self.document.warning(piece.line_at(match.start()), number_warning(match.group(0)))
                    break

    @staticmethod
    def block_of(element: Element | TextPiece | None, walk: Any) -> Element | None:
        """The nearest paragraph, list item, cell or heading that holds element."""
        current = element if isinstance(element, Element) else None
        while current is not None and current.tag not in TEXT_BLOCKS:
            current = walk.parents.get(current)
        return current

    @staticmethod
    def in_code(piece: TextPiece, walk: Any) -> bool:
        start = walk.parents.get(piece.element) if piece.is_tail else piece.element
        return any(e.tag in NOT_PROSE for e in (start, *walk.ancestors(start)) if e is not None)


class PercentSpacingTreeprocessor(Treeprocessor):
    """In Spanish, the space of '39 %' becomes a non-breaking space, so that a line never ends between them."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag in NOT_PROSE:
                continue
            if element.text and " %" in element.text:
                element.text = type(element.text)(PERCENT_AFTER_SPACE.sub(NBSP, element.text))
            if element.tail and " %" in element.tail:
                element.tail = type(element.tail)(PERCENT_AFTER_SPACE.sub(NBSP, element.tail))


class NumberSourceExtension(Extension):
    def __init__(self, document: Document, language: str = "en", **kwargs: Any) -> None:
        self.document = document
        self.language = language
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(NumberSourceTreeprocessor(md, self.document, self.language), "number_sources", 18.5)
        if self.language == "es":
            md.treeprocessors.register(PercentSpacingTreeprocessor(md), "percent_spacing", 5.9)
