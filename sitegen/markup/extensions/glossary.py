"""Glossary links: the first use of each glossary term or abbreviation on a page links to its entry on the glossary page.

Tree processor ``glossary_links`` (15, after ``citations`` 18 and ``page_links`` 17): it follows abbr's walk over
text and tails, and leaves headings, links, code and citations alone. Terms match in any letter case;
abbreviations only in capitals, so "ALL" is found and "all" is not.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)

from markdown import Markdown

from ...model import GlossaryEntry
from ...urls import relative_url
from ..page import DocumentTreeprocessor, LinkFact, SiteExtension

SKIPPED_TAGS = {"a", "abbr", "code", "pre", "sup", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "figure"}


def glossary_pattern(entries: list[GlossaryEntry]) -> re.Pattern[str] | None:
    """Terms match in any case; abbreviations only in capitals, so 'ALL' is found and 'all' is not."""
    terms = sorted({e.term for e in entries}, key=len, reverse=True)
    abbreviations = sorted({e.abbreviation for e in entries if e.abbreviation}, key=len, reverse=True)
    parts = []
    if terms:
        parts.append("(?i:" + "|".join(re.escape(t) for t in terms) + ")")
    parts += [re.escape(a) for a in abbreviations]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])") if parts else None


class GlossaryTreeprocessor(DocumentTreeprocessor["GlossaryExtension"]):
    def run(self, root: etree.Element) -> None:
        if self.extension.pattern is None or not self.document.link_glossary:
            return
        # Reading order without recursion: an element's text, then each child's subtree followed by its tail.
        stack: list[tuple[etree.Element, list[etree.Element], int]] = []
        if root.tag not in SKIPPED_TAGS:
            stack.append((root, self.start(root), 0))
        while stack:
            element, children, index = stack.pop()
            if index > 0:
                self.link_tail(element, children[index - 1])
            if index < len(children):
                stack.append((element, children, index + 1))
                child = children[index]
                if child.tag not in SKIPPED_TAGS:
                    stack.append((child, self.start(child), 0))

    def start(self, element: etree.Element) -> list[etree.Element]:
        """Link first uses in element's own text; return its children as they were before any link was added."""
        children = list(element)
        if element.text:
            element.text, links = self.link_first_uses(element.text, self.document.line_of(element))
            for offset, link in enumerate(links):
                element.insert(offset, link)
        return children

    def link_tail(self, element: etree.Element, child: etree.Element) -> None:
        if child.tail:
            child.tail, links = self.link_first_uses(child.tail, self.document.line_of(child))
            position = list(element).index(child) + 1
            for offset, link in enumerate(links):
                element.insert(position + offset, link)

    def link_first_uses(self, text: str, line: int) -> tuple[str, list[etree.Element]]:
        """The text up to the first new term, and the links (each carrying the text after it as its tail)."""
        links: list[etree.Element] = []
        head, last = text, 0
        pattern = self.extension.pattern
        if pattern is None:  # run() links nothing then
            return text, links
        for match in pattern.finditer(text):
            entry = self.extension.lookup(match.group(0))
            if entry.term in self.extension.linked:
                continue
            self.extension.linked.add(entry.term)
            if links:
                links[-1].tail = text[last : match.start()]
            else:
                head = text[: match.start()]
            links.append(self.make_link(entry, match.group(0), line))
            last = match.end()
        if links:
            links[-1].tail = text[last:]
        return head, links

    def make_link(self, entry: GlossaryEntry, shown: str, line: int) -> etree.Element:
        document = self.document
        href = relative_url(document.output_path, entry.target)
        document.links.append(LinkFact(href, line, "a", shown))
        link = etree.Element("a", {"class": "term", "href": href})
        if entry.abbreviation and shown == entry.abbreviation:
            abbr = etree.SubElement(link, "abbr", {"title": entry.term})
            abbr.text = shown
        else:
            link.text = shown
        return link


class GlossaryExtension(SiteExtension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"entries": [[], "The glossary's entries (GlossaryEntry): term, abbreviation, and where its entry is"]}
        super().__init__(**kwargs)
        self.entries: list[GlossaryEntry] = list(self.getConfig("entries"))
        self.pattern = glossary_pattern(self.entries)
        self.by_term = {e.term.lower(): e for e in self.entries}
        self.by_abbreviation = {e.abbreviation: e for e in self.entries if e.abbreviation}
        self.linked: set[str] = set()

    def lookup(self, text: str) -> GlossaryEntry:
        return self.by_abbreviation.get(text) or self.by_term[text.lower()]

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.treeprocessors.register(GlossaryTreeprocessor(md, self), "glossary_links", 15)

    def reset(self) -> None:
        self.linked.clear()


def makeExtension(**kwargs: Any) -> GlossaryExtension:  # noqa: N802 (Markdown's API)
    return GlossaryExtension(**kwargs)
