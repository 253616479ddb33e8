"""Pandoc-style citations: [@key], [@a; @b] and locators such as [@key, p. 327] become numbered superscript links.

- Inline pattern ``citation`` (175, before ``reference`` 170 and ``link`` 160) turns ``[@...]`` into a
  placeholder element holding the text as written, whatever its keys.
- Tree processor ``citations`` (18, after ``document_walk`` 19) checks every placeholder at its line (unknown
  key, unreadable citation, a citation inside a link), numbers the sources in reading order, and makes each
  placeholder the superscript. A citation inside code is never a citation: the parser made it code; in a code
  span (backticks) it is a slip, reported as a warning. A source id in brackets without its '@' ('[key]'), which
  the parser left as text, is an error with "did you mean [@key]?".
- Figures live in the HTML stash; their captions cite through tokens (``token_for``), numbered when the walk
  reaches the figure, and written by the postprocessor ``citation_tokens`` (25, after ``raw_html`` 30).

After convert(), ``extension.cited`` lists the cited keys in number order, with their locators.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from xml.etree.ElementTree import Element, SubElement

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import ETX, STX, AtomicString

from ...load.schema import Suggester
from ..page import (
    PLACEHOLDER_TAG,
    CitedKey,
    Document,
    DocumentPostprocessor,
    DocumentTreeprocessor,
    LinkFact,
    SiteExtension,
    TextPiece,
    parse_citation,
    stash_placeholders,
)

CITATION = r"\[\s*(@[^\[\]]{1,500})\]"  # '[' may end a line: a citation can be wrapped anywhere
BRACKETED_WORD = re.compile(r"\[\s*([A-Za-z0-9_][A-Za-z0-9_:.-]*)\s*\](?!\()")
TOKEN = re.compile(f"{STX}citation:([0-9]+){ETX}")


@dataclass(frozen=True)
class PageCitation:
    """A source as the page's "Sources for this page" list shows it: its key and every locator the page used."""

    key: str
    locators: tuple[str, ...] = ()


def fill_superscript(sup: Element, numbers: Sequence[int], label: str = "source") -> Element:
    """Make sup the citation [1] or [1, 2], each number linking to the page's source note; a screen reader reads each
    number after label, in the page's language ("source 1", "fuente 1")."""
    sup.tag, sup.attrib, sup.text = "sup", {"class": "citation"}, "["
    for child in list(sup):
        sup.remove(child)
    for position, number in enumerate(numbers):
        link = SubElement(sup, "a", {"href": f"#source-note-{number}"})
        hidden = SubElement(link, "span", {"class": "visually-hidden"})
        hidden.text = f"{label} "
        hidden.tail = str(number)
        link.tail = "]" if position == len(numbers) - 1 else ", "
    return sup


def superscript_html(numbers: Sequence[int], label: str = "source") -> str:
    hidden = escape(label)
    links = ", ".join(f'<a href="#source-note-{n}"><span class="visually-hidden">{hidden} </span>{n}</a>' for n in numbers)
    return f'<sup class="citation">[{links}]</sup>'


class CitationInlineProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Element, int, int]:  # type: ignore[override]  # noqa: N802 (InlineProcessor's API, not Pattern's)
        placeholder = Element(PLACEHOLDER_TAG, {"source": m.group(1)})
        placeholder.text = AtomicString(m.group(0))  # the text as written: its newlines keep later lines right
        return placeholder, m.start(0), m.end(0)


class CitationTreeprocessor(DocumentTreeprocessor["CitationExtension"]):
    def run(self, root: Element) -> None:
        document = self.document
        walk = document.walk
        for item in walk.order:
            if isinstance(item, TextPiece):
                for index, offset in stash_placeholders(item.text):
                    for token in self.extension.figure_tokens.get(index, ()):
                        self.link_notes(self.extension.number_token(token), item.line_at(offset), "figure caption")
                if "[" in item.text and not walk.in_code(item):
                    self.check_missing_at(item, document)
            elif item.tag == PLACEHOLDER_TAG:
                self.resolve(item, walk.starts[item], document)
            elif item.tag in ("img", "a"):
                self.check_attributes(item, walk.starts[item], document)
            elif item.tag == "code" and "[" in (item.text or ""):
                self.check_code(item, walk.starts[item], document)

    def check_missing_at(self, piece: TextPiece, document: Document) -> None:
        """'[key]' where key is a source: text that Python-Markdown left as it was, with brackets, on the page."""
        for match in BRACKETED_WORD.finditer(piece.text):
            key = match.group(1)
            if key in self.extension.known_keys:
                document.error(
                    piece.line_at(match.start()), f"[{key}] is shown on the page as it is, not as a citation: did you mean [@{key}]?"
                )

    def check_code(self, element: Element, line: int, document: Document) -> None:
        """A citation inside backticks: the parser made it code, shown as it is."""
        parent = document.walk.parents.get(element)
        match = re.search(CITATION, element.text or "")
        if match and (parent is None or parent.tag != "pre"):
            written = " ".join(match.group(0).split())
            document.warning(
                line, f"the citation {written} is inside backticks, so it is shown as code, not as a citation: remove the backticks"
            )

    def resolve(self, element: Element, line: int, document: Document) -> None:
        written = element.text or ""
        cited = parse_citation(element.get("source", ""))
        known = self.extension.known_keys
        if cited is None:
            document.error(line, f"cannot read citation {' '.join(written.split())!r}: write [@key], [@key, p. 12] or [@key1; @key2]")
        else:
            for item in cited:
                if item.key not in known:
                    document.error(line, f"unknown source '@{item.key}'{self.extension.hint(item.key)}")
        inside_link = any(parent.tag == "a" for parent in document.walk.ancestors(element))
        if inside_link:
            document.error(line, "a citation cannot be part of a link's text; put it after the link")
        if cited is None or inside_link or any(item.key not in known for item in cited):
            as_text(element, document)
            return
        numbers = self.extension.number_all(cited)
        fill_superscript(element, numbers, self.extension.getConfig("label"))
        self.link_notes(numbers, line, " ".join(written.split()))

    def link_notes(self, numbers: list[int], line: int, written: str) -> None:
        """Each citation links to its note in "Sources for this page", which the template writes: the check of outputs confirms it."""
        for number in numbers:
            self.document.links.append(LinkFact(f"#source-note-{number}", line, "a", written))

    @staticmethod
    def check_attributes(element: Element, line: int, document: Document) -> None:
        for name in ("alt", "title"):
            if "[@" in (element.get(name) or ""):
                what, thing = ("an image's alt text", "image") if name == "alt" else ("a link's title", "link")
                document.error(line, f"a citation in {what} is not read as a citation; put it in the text after the {thing}")


def as_text(element: Element, document: Document) -> None:
    """Put a citation that cannot be used back as the text the editor wrote (the build fails on it anyway)."""
    parent = document.walk.parents.get(element)
    if parent is None:
        return
    text = (element.text or "") + (element.tail or "")
    index = list(parent).index(element)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(element)


class CitationTokenPostprocessor(DocumentPostprocessor["CitationExtension"]):
    """Runs after raw_html has put stashed figures back: each caption's token becomes its numbered superscript."""

    def run(self, text: str) -> str:
        label = self.extension.getConfig("label")
        return TOKEN.sub(lambda m: superscript_html(self.extension.number_token(int(m.group(1))), label), text)


class CitationExtension(SiteExtension):
    """Numbers the page's citations in reading order; the figures cite through token_for (page.CaptionCitations)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "known_keys": [set(), "The source ids a page may cite: a citation of any other is an error"],
            "label": ["source", "The word a screen reader says before each citation's number, in the page's language"],
        }
        super().__init__(**kwargs)
        self.known_keys: set[str] = set(self.getConfig("known_keys"))
        self.cited: list[PageCitation] = []
        self.numbers: dict[str, int] = {}
        self.token_keys: list[tuple[CitedKey, ...]] = []
        self.token_numbers: dict[int, list[int]] = {}
        self.figure_tokens: dict[int, list[int]] = {}
        self.hint = Suggester(self.known_keys)  # made again for each page: its "did you mean" costs are bounded per page

    def number_all(self, cited: Sequence[CitedKey]) -> list[int]:
        """Each key's number on this page, given in order of first citation; locators are collected per key."""
        numbers = []
        for item in cited:
            if item.key not in self.numbers:
                self.numbers[item.key] = len(self.cited) + 1
                self.cited.append(PageCitation(item.key))
            number = self.numbers[item.key]
            entry = self.cited[number - 1]
            if item.locator and item.locator not in entry.locators:
                self.cited[number - 1] = PageCitation(entry.key, (*entry.locators, item.locator))
            if number not in numbers:
                numbers.append(number)
        return numbers

    def token_for(self, keys: Sequence[str], stash_index: int) -> str:
        """A placeholder for the citation of a figure that goes into the stash at stash_index."""
        self.token_keys.append(tuple(CitedKey(key) for key in keys))
        token = len(self.token_keys) - 1
        self.figure_tokens.setdefault(stash_index, []).append(token)
        return f"{STX}citation:{token}{ETX}"

    def number_token(self, token: int) -> list[int]:
        if token not in self.token_numbers:
            self.token_numbers[token] = self.number_all(self.token_keys[token])
        return self.token_numbers[token]

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.inlinePatterns.register(CitationInlineProcessor(CITATION, md), "citation", 175)
        md.treeprocessors.register(CitationTreeprocessor(md, self), "citations", 18)
        md.postprocessors.register(CitationTokenPostprocessor(md, self), "citation_tokens", 25)

    def reset(self) -> None:
        self.cited.clear()
        self.numbers.clear()
        self.token_keys.clear()
        self.token_numbers.clear()
        self.figure_tokens.clear()
        self.hint = Suggester(self.known_keys)


def makeExtension(**kwargs: Any) -> CitationExtension:  # noqa: N802 (Markdown's API)
    return CitationExtension(**kwargs)
