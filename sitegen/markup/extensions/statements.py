"""What a page states, sentence by sentence, with the citations of each sentence: the review packet's text.

Tree processor ``statements`` (18.7) runs after ``document_walk`` (19) has read the tree and before ``citations``
(18) turns the citation placeholders into superscripts, so every citation is still where the editor wrote it, with
its keys and locators. Each block the parser made (a heading, paragraph, list item, table row, definition) is one
Passage; a figure (icon array, bar chart) is one Passage made from its checked data.

Sentences end as the reading grade's do (readability.SENTENCE_END). A citation belongs to the sentence it stands
in; a citation standing alone after a sentence's full stop belongs to that sentence. A sentence that states a
number (a digit) and cites nothing takes the citations of the next cited sentence in its block, as a citation at
the end of a paragraph covers the sentences before it; a number with no citation after it in its block is uncited. A
number here is a digit, or a number as the page's language counts them ("nine", see markup/quantities.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown

from ...languages import ENGLISH, NumberWords
from ..page import PLACEHOLDER_TAG, CitedKey, Document, DocumentTreeprocessor, Passage, SiteExtension, Statement, parse_citation
from ..pictures import BarChartSpec, IconArraySpec, PictureSpec
from ..readability import NOT_AN_END, SENTENCE_END

BLOCKS = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}
NESTED = {"p", "ul", "ol", "dl", "li", "table", "blockquote", "pre", "div", "hr", "dt", "dd"}
MARK = "\x01"
CODE = {"code", "kbd", "samp", "pre"}
CODE_CHARACTER = re.compile(r"[^\W_]")
CODE_MASK = "\x1f"  # stands for each letter and digit of code, so that masked text keeps its length and its spaces
STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[.,;:!?…)\]”’])")


class StatementTreeprocessor(DocumentTreeprocessor["StatementExtension"]):
    def run(self, root: Element) -> None:
        document = self.document
        found: list[Passage] = []
        cited = None if self.extension.every_block else self.cited_blocks(document)
        for element in root.iter():
            if cited is not None and element not in cited:
                continue
            if element.tag == "tr":
                cells = [c for c in element if c.tag in ("td", "th")]
                kind = "th" if cells and all(c.tag == "th" for c in cells) else "tr"
                said = [self.cell(c, document) for c in cells]
                found.append(Passage(kind, document.line_of(element), tuple(s for s in said if s.text)))
            elif element.tag in BLOCKS:
                figure = self.figure(element, document)
                if figure is not None:
                    found.append(figure)
                    continue
                statements = self.sentences(element, document)
                if statements:
                    kind = "li" if element.tag == "p" and self.parent_tag(element, document) == "li" else element.tag
                    found.append(Passage(kind, document.line_of(element), statements))
        self.extension.passages.extend(found)

    @staticmethod
    def cited_blocks(document: Document) -> set[Element]:
        """The blocks (and table rows) that hold a citation: the only ones whose sentences can cite anything."""
        walk, found = document.walk, set()
        for item in walk.order:
            if isinstance(item, Element) and item.tag == PLACEHOLDER_TAG:
                block = walk.parents.get(item)
                while block is not None and block.tag not in BLOCKS and block.tag != "tr":
                    block = walk.parents.get(block)
                if block is not None:
                    found.add(block)
        return found

    @staticmethod
    def parent_tag(element: Element, document: Document) -> str | None:
        parent = document.walk.parents.get(element)
        return parent.tag if parent is not None else None

    def cell(self, cell: Element, document: Document) -> Statement:
        text, masked, groups = self.gather(cell)
        citations = tuple(key for group in groups for key in group)
        return self.statement(text, masked, document.line_of(cell), citations)

    def statement(self, raw: str, masked: str, line: int, citations: tuple[CitedKey, ...]) -> Statement:
        """A Statement of raw text (with MARKs) that starts on line; masked is the same with code masked."""
        shown, breaks = clean_lines(raw.replace(MARK, ""))
        prose = clean_lines(masked.replace(MARK, ""))[0] if masked != raw else shown
        has_number = self.extension.has_number
        numbered = bool(has_number and not citations and has_number(prose))  # only an uncited sentence takes citations
        return Statement(shown, line, citations, breaks=breaks, numbered=numbered, prose=prose if prose != shown else "")

    def sentences(self, block: Element, document: Document) -> tuple[Statement, ...]:
        text, masked, groups = self.gather(block)
        first_line = document.line_of(block)
        statements: list[Statement] = []
        start = 0
        used = 0
        ends = [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]
        for end in ends:
            piece = text[start:end]
            if end < len(text) and NOT_AN_END.search(piece.replace(MARK, "").rstrip()):
                continue
            marks = piece.count(MARK)
            keys = tuple(key for group in groups[used : used + marks] for key in group)
            used += marks
            line = first_line + text.count("\n", 0, start + len(piece) - len(piece.lstrip()))
            statement = self.statement(piece, masked[start:end], line, keys)
            if re.search(r"\w", statement.text):
                statements.append(statement)
            elif keys and statements:  # a citation after the full stop belongs to the sentence before it
                statements[-1] = replace(statements[-1], citations=statements[-1].citations + keys)
            start = end
        return tuple(inherit(statements))

    def gather(self, block: Element) -> tuple[str, str, list[tuple[CitedKey, ...]]]:
        """The block's own text (not that of blocks nested in it), with MARK where each citation stands; the same text with
        the letters and digits of code masked (numbers in code are no figures); and the citations in order."""
        parts: list[str] = []
        masked: list[str] = []
        groups: list[tuple[CitedKey, ...]] = []

        def add(text: str, in_code: bool) -> None:
            parts.append(text)
            masked.append(CODE_CHARACTER.sub(CODE_MASK, text) if in_code else text)

        def visit(element: Element, in_code: bool) -> None:
            if element.text:
                add(element.text, in_code)
            for child in element:
                if child.tag == PLACEHOLDER_TAG:
                    cited = parse_citation(child.get("source", "")) or []
                    groups.append(tuple(cited))
                    add(MARK + "\n" * (child.text or "").count("\n"), False)
                elif child.tag in NESTED:
                    pass
                elif child.tag == "br":
                    add(" ", False)
                else:
                    visit(child, in_code or child.tag in CODE)
                if child.tail:
                    add(child.tail, in_code)

        visit(block, block.tag in CODE)
        return self.unstash("".join(parts)), self.unstash("".join(masked)), groups

    def unstash(self, text: str) -> str:
        """Smarty's quotes and dashes and the entities, which wait in the stash, as the characters readers see."""
        stash = self.md.htmlStash.rawHtmlBlocks

        def resolve(match: re.Match[str]) -> str:
            index = int(match.group(1))
            chunk = stash[index] if index < len(stash) else ""
            return html.unescape(chunk) if isinstance(chunk, str) and "<" not in chunk else " "

        return STASHED.sub(resolve, text)

    def figure(self, block: Element, document: Document) -> Passage | None:
        """A paragraph that is only a figure's stash placeholder is that figure: its title, statement and values."""
        only = STASHED.fullmatch((block.text or "").strip())
        if block.tag != "p" or len(block) or only is None:
            return None
        kept = self.extension.figures.get(int(only.group(1)))
        if kept is None:
            return None
        spec, line = kept
        keys = tuple(CitedKey(key) for key in spec.sources)
        statements = [Statement(spec.title, line, keys)]
        statements += [Statement(s.text, line, keys) for s in split_sentences(spec.statement, line)]
        words = self.extension.words
        if isinstance(spec, BarChartSpec):
            statements += [Statement(f"{bar.label}: {bar_value(bar.value, spec.unit, words)}", line, keys) for bar in spec.bars]
        elif isinstance(spec, IconArraySpec):
            statements += [Statement(f"{spec.affected_label}: {words.frequency(spec.affected)}", line, keys)]
        return Passage("figure", line, tuple(statements))


def bar_value(value: float, unit: str, words: NumberWords) -> str:
    """A bar's value as the page's language writes it: "39%" or "33 months" in English, "39 %" or "33 meses" in Spanish."""
    return words.percent(value) if unit == "%" else words.duration(Decimal(str(value)), "month")  # figures.UNITS: % or months


def split_sentences(text: str, line: int) -> list[Statement]:
    found: list[Statement] = []
    start = 0
    for end in [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]:
        piece = text[start:end]
        if end < len(text) and NOT_AN_END.search(piece.rstrip()):
            continue
        if piece.strip():
            found.append(Statement(clean(piece), line))
        start = end
    return found


def inherit(statements: list[Statement]) -> list[Statement]:
    """A number without a citation takes the citations of the next cited sentence in its block."""
    result = list(statements)
    following: tuple[CitedKey, ...] = ()
    for index in range(len(result) - 1, -1, -1):
        statement = result[index]
        if statement.citations:
            following = statement.citations
        elif (statement.states_number or statement.numbered) and following:
            result[index] = replace(statement, citations=following, inherited=True)
    return result


def clean(text: str) -> str:
    return clean_lines(text)[0]


WORD_RUN = re.compile(r"\S+")


def clean_lines(text: str) -> tuple[str, tuple[int, ...]]:
    """text as readers see it (one space between words, none before closing punctuation, no soft hyphens), and the
    offsets in it at which a new line of the file begins, so that a number's line can be found."""
    text = text.replace("\xad", "")
    if "\n" not in text.strip():  # one line of the file: no breaks to find
        return SPACE_BEFORE_PUNCTUATION.sub("", " ".join(text.split())), ()
    parts: list[str] = []
    breaks: list[int] = []
    length, previous_end = 0, 0
    for match in WORD_RUN.finditer(text):
        word = match.group()
        if parts:
            newlines = text.count("\n", previous_end, match.start())
            if not SPACE_BEFORE_PUNCTUATION.match(" " + word):
                parts.append(" ")
                length += 1
            breaks += [length] * newlines
        parts.append(word)
        length += len(word)
        previous_end = match.end()
    return "".join(parts), tuple(breaks)


class StatementExtension(SiteExtension):
    """After convert(), ``passages`` holds the page's blocks in reading order (with every_block False, only those that
    cite a source); the number check is given the same list. It is given the figure extension's ``specs`` (a figure's
    stash index -> its checked data and line) and the page language's test for a number: objects, not options."""

    def __init__(
        self,
        *,
        figures: Mapping[int, tuple[PictureSpec, int]],
        has_number: Callable[[str], bool] | None = None,
        words: NumberWords = ENGLISH,
        **kwargs: Any,
    ) -> None:
        self.config = {
            "every_block": [True, "Keep the sentences of every block, not only of those that cite a source (the review packet's text)"]
        }
        super().__init__(**kwargs)
        self.figures = figures
        self.has_number = has_number  # the page language's test for a number ("nine" is one); None: a digit
        self.words = words  # how the page's language writes a picture's values, in the statements made for them
        self.every_block: bool = self.getConfig("every_block")  # False: only the blocks that cite a source (all the number check needs)
        self.passages: list[Passage] = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.treeprocessors.register(StatementTreeprocessor(md, self), "statements", 18.7)

    def reset(self) -> None:
        self.passages.clear()


def makeExtension(**kwargs: Any) -> StatementExtension:  # noqa: N802 (Markdown's API)
    return StatementExtension(**kwargs)
