"""Every number cites a source, and every number that cites a source is a figure the source is recorded to give.

Tree processor ``number_sources`` (18.5, after ``statements`` 18.7, before ``citations`` 18 replaces the
placeholders) judges the blocks the parser made, in two ways:

1. A paragraph, list item or table cell with a percentage or "N out of M" needs a citation: text in code is not
   prose, a table cell is a cell with or without leading pipes, and a nested list item is its own block. The
   warning names the line of the number.
2. Every sentence, table cell and heading that cites a source (statements.py: a citation covers its sentence, and
   a sentence stating a number takes the citations of the next cited sentence of its block) has each number
   checked against the recorded figures of the sources it cites (binding.py). A table cell cites what is written
   in it, nothing more: not its row, not its column's heading, not the sentence before the table. The sentences of
   one paragraph, list item or table row are checked together, so that "61 out of 100 did not" finds the 39 it is
   the rest of. Pictures are checked where their YAML is read (figures.py); glossary definitions where their
   front matter is (render/rendering.py).

The page's language says how a number is written (sitegen/languages.py): "39 out of 100" in English, "39 de cada
100" and "39 %" in Spanish, where a number written against the Spanish style ('39%', a decimal comma) is a warning
too, and the space before '%' becomes a non-breaking one (tree processor ``percent_spacing``, 5.9, after
``typography``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from ...languages import NBSP, PERCENT_AFTER_SPACE, style_problems, words_of
from ..binding import Claim, NumberCheck
from ..page import PLACEHOLDER_TAG, DocumentTreeprocessor, Passage, SiteExtension, TextPiece, Walk, number_warning

TEXT_BLOCKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}
NOT_PROSE = {"code", "pre", "script", "style"}
BLOCK_NAMES = {"p": "paragraph", "li": "list item", "tr": "table row", "th": "table row", "dt": "definition", "dd": "definition"}


class NumberSourceTreeprocessor(DocumentTreeprocessor["NumberSourceExtension"]):
    def run(self, root: Element) -> None:
        self.warn_uncited()
        self.check_figures()

    def warn_uncited(self) -> None:
        walk, words = self.document.walk, words_of(self.extension.language)
        blocks: dict[Element, list[TextPiece]] = {}
        cited: set[Element] = set()
        for item in walk.order:
            owner = self.block_of(item.element if isinstance(item, TextPiece) and not item.is_tail else item, walk)
            if isinstance(item, TextPiece):
                if item.is_tail:
                    owner = self.block_of(walk.parents.get(item.element), walk)
                if owner is not None and not self.in_code(item, walk):
                    blocks.setdefault(owner, []).append(item)
                    for offset, message in style_problems(item.text, words):
                        self.document.warning(item.line_at(offset), message)
            elif item.tag == PLACEHOLDER_TAG and owner is not None:
                cited.add(owner)
        for block, pieces in blocks.items():
            if block in cited:
                continue
            for piece in pieces:
                match = words.uncited.search(piece.text)
                if match:
                    self.document.warning(piece.line_at(match.start()), number_warning(match.group(0)))
                    break

    def check_figures(self) -> None:
        """Each cited number of each block against the figures its sources record."""
        document, check = self.document, self.extension.check
        for passage in self.extension.passages:
            if passage.kind == "figure":
                continue
            claims = [
                Claim(s.prose or s.text, s.line, tuple(c.key for c in s.citations), s.breaks) for s in passage.statements if s.citations
            ]
            if not claims:
                continue
            result = check.check_block(claims, BLOCK_NAMES.get(passage.kind, "heading"), document.shown)
            document.problems += result.problems
            document.figures_used |= result.used

    @staticmethod
    def block_of(element: Element | TextPiece | None, walk: Walk) -> Element | None:
        """The nearest paragraph, list item, cell or heading that holds element."""
        current = element if isinstance(element, Element) else None
        while current is not None and current.tag not in TEXT_BLOCKS:
            current = walk.parents.get(current)
        return current

    @staticmethod
    def in_code(piece: TextPiece, walk: Walk) -> bool:
        start = walk.parents.get(piece.element) if piece.is_tail else piece.element
        return start is not None and any(e.tag in NOT_PROSE for e in (start, *walk.ancestors(start)))


class PercentSpacingTreeprocessor(Treeprocessor):
    """Where a language writes '39 %', the space becomes a non-breaking one, so that a line never ends between them."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag in NOT_PROSE:
                continue
            if element.text and " %" in element.text:
                element.text = type(element.text)(PERCENT_AFTER_SPACE.sub(NBSP, element.text))
            if element.tail and " %" in element.tail:
                element.tail = type(element.tail)(PERCENT_AFTER_SPACE.sub(NBSP, element.tail))


class NumberSourceExtension(SiteExtension):
    """Given the statements extension's ``passages`` (the page's sentences and their citations, filled before this
    runs) and the site's NumberCheck: objects, not options."""

    def __init__(self, *, passages: Sequence[Passage], check: NumberCheck, **kwargs: Any) -> None:
        self.config = {"language": ["en", "The pages' language, in which their numbers are read (sitegen/languages.py)"]}
        super().__init__(**kwargs)
        self.passages = passages
        self.check = check
        self.language: str = self.getConfig("language")

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(NumberSourceTreeprocessor(md, self), "number_sources", 18.5)
        if " %" in words_of(self.language).percent_form:
            md.treeprocessors.register(PercentSpacingTreeprocessor(md), "percent_spacing", 5.9)


def makeExtension(**kwargs: Any) -> NumberSourceExtension:  # noqa: N802 (Markdown's API)
    return NumberSourceExtension(**kwargs)
