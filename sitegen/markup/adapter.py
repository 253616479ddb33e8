"""Every use of Python-Markdown's private details, in one place.

The rest of the package uses Python-Markdown's documented extension API only (Extension, the processor registries,
md.htmlStash.store, AtomicString, markdown.util's STX, ETX and HTML_PLACEHOLDER). What the line tracking and the
limits need beyond that is here, written against Python-Markdown 3.11 (pyproject.toml pins >=3.11,<3.12). Each
detail has a canary test named for it in tests/markup/test_adapter.py, which fails loudly when an upgrade changes
what the detail relies on; read its message, check the detail against the new release, then move the pin.

Each detail, what it relies on, and who uses it:
- LineTracker (document.py: the line of every block): BlockParser.parseChunk and parseBlocks, the loop that offers
  each block to the block processors in priority order until one's run() returns anything but False; processors
  change the block list only with pop(), insert() and item assignment.
- LineKeepingFencedBlocks (document.py: the lines each fenced block took; fence options kept as written):
  FencedBlockPreprocessor.FENCED_BLOCK_RE, searched once per fenced block; md.htmlStash.store and html_counter;
  handle_attrs().
- python_markdown (converter.py: a faster inline loop): InlineProcessor.inlinePatterns is only indexed and measured.
- START_TAG_ENDS (limits.py: where Python-Markdown's HTML parser ends a tag): markdown.htmlparser's
  locatestarttagend_tolerant.
- code_spans (limits.py: what inline patterns scan): BacktickInlineProcessor's pattern, tried before any other.
- ESCAPED and unescape (pagelinks.py, images.py, readability.py: an address or a word as written):
  EscapeInlineProcessor's placeholder, STX, the character's code point, ETX.
- STASH_KEY (readability.py: the stashed HTML a placeholder stands for): the number in markdown.util.HTML_PLACEHOLDER.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import parser as stdlib_htmlparser
from typing import Any, Protocol, SupportsIndex
from xml.etree.ElementTree import Element

import markdown
from markdown import Extension, Markdown
from markdown.blockparser import BlockParser
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.htmlparser import htmlparser as markdown_htmlparser  # type: ignore[attr-defined]  # its copy of html.parser; not in the stub
from markdown.treeprocessors import InlineProcessor
from markdown.util import ETX, HTML_PLACEHOLDER, STX

ESCAPED = re.compile(f"{STX}([0-9]+){ETX}")
STASH_KEY = re.compile(re.escape(HTML_PLACEHOLDER[1:-1]).replace("%s", r"(\d+)"))
START_TAG_ENDS: tuple[re.Pattern[str], ...] = (
    markdown_htmlparser.locatestarttagend_tolerant,  # type: ignore[attr-defined]  # private to html.parser: typeshed omits it
    stdlib_htmlparser.locatestarttagend_tolerant,  # type: ignore[attr-defined]  # private to html.parser: typeshed omits it
)
BACKTICKS = re.compile(r"`+")


class Stamps(Protocol):
    """Where the line tracking writes: the document's block lines and the source lines of each fenced block."""

    block_lines: dict[Element, int]
    chunk_lines: dict[int, int]


def python_markdown(extensions: Sequence[str | Extension], **options: Any) -> markdown.Markdown:
    """Python-Markdown with these extensions, and a faster loop over inline patterns that gives the same output.

    PageMarkdown passes Python-Markdown's extensions, then DocumentExtension, then the site's own. With
    DocumentExtension alone after Python-Markdown's, the output is Python-Markdown's own, byte for byte: the slow
    tests run Python-Markdown's own test suite through this function to check it (tests/markup/test_markdown_suite.py).
    """
    md = markdown.Markdown(extensions=list(extensions), **options)
    for processor in md.treeprocessors:
        if isinstance(processor, InlineProcessor):  # Python-Markdown's own
            # A plain list in the same order: indexing a Registry is a Python call, made millions of times a build.
            processor.inlinePatterns = list(processor.inlinePatterns)  # type: ignore[assignment]  # a list, not a Registry
    return md


def unescape(text: str) -> str:
    """The text as written: Python-Markdown keeps a backslash-escaped character as a placeholder until the end."""
    return ESCAPED.sub(lambda m: chr(int(m.group(1))), text)


class LineKeepingFencedBlocks(FencedBlockPreprocessor):
    """fenced_code's preprocessor, recording how many source lines each fenced block took (for align())."""

    def __init__(self, md: Markdown, config: dict[str, Any], document: Stamps) -> None:
        super().__init__(md, config)
        self.document = document
        self.remembering = _Remembering(FencedBlockPreprocessor.FENCED_BLOCK_RE)
        self.FENCED_BLOCK_RE = self.remembering  # type: ignore[misc, assignment]  # a pattern that remembers: run() only calls search()

    def run(self, lines: list[str]) -> list[str]:
        stash = self.md.htmlStash
        store = stash.store

        def store_and_count(html: str | Element) -> str:
            placeholder = store(html)
            match = self.remembering.last
            self.document.chunk_lines[stash.html_counter - 1] = match.group(0).count("\n") + 1 if match else 1
            return placeholder

        stash.store = store_and_count  # type: ignore[method-assign]  # for this run() only: deleted below
        try:
            return super().run(lines)
        finally:
            del stash.store

    def handle_attrs(self, attrs: Iterable[tuple[str, str | None]]) -> tuple[str, list[str], dict[str, Any]]:
        """fenced_code's reading of a fence's {attributes}, each option's value kept as written.

        For syntax highlighting, which this site does not use, fenced_code turns linenums, guess_lang and noclasses
        into True, False or None; with attr_list on, it then writes them as attributes of <code>, and fails on each
        (TypeError: cannot serialize True, in Python-Markdown 3.11.3). Kept as written, they reach the page as the
        editor wrote them, and html_policy reports each attribute at its line. use_pygments is never written:
        fenced_code only reads it.
        """
        attrs = list(attrs)
        identifier, classes, config = super().handle_attrs(attrs)  # type: ignore[arg-type]  # 3.11 takes None; its stub does not
        written = {name: name if value is None else value for name, value in attrs}
        for name, value in config.items():
            if name != "use_pygments" and (value is None or isinstance(value, bool)):
                config[name] = written.get(name, str(value))
        return identifier, classes, config


class _Remembering:
    """A compiled pattern that remembers its last match."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.last: re.Match[str] | None = None

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        self.last = self.pattern.search(text, pos)
        return self.last


class _Blocks(list[str]):
    """One parseBlocks call's list of blocks, carrying the preprocessed line on which each block starts."""

    def __init__(self, blocks: list[str], first: int) -> None:
        super().__init__(blocks)
        self.starts: list[int] = []
        line = first
        for block in blocks:
            self.starts.append(line)
            line += block.count("\n") + 2
        self.popped: tuple[str, int] = ("", first)

    def start(self, index: SupportsIndex = 0) -> int:
        if len(self.starts) != len(self):  # a processor changed the list in a way not tracked here
            last = self.starts[-1] if self.starts else self.popped[1]
            self.starts = (self.starts + [last] * len(self))[: len(self)]
        return self.starts[index] if self.starts else self.popped[1]

    def pop(self, index: SupportsIndex = -1, /) -> str:
        start = self.start(index)
        block = super().pop(index)
        del self.starts[index]
        self.popped = (block, start)
        return block

    def insert(self, index: SupportsIndex, block: str, /) -> None:
        whole, start = self.popped
        self.start(0)
        super().insert(index, block)
        self.starts.insert(index, start + offset_in(block, whole))

    def __setitem__(self, index: Any, block: Any) -> None:
        if isinstance(index, int):
            old, start = self[index], self.start(index)
            super().__setitem__(index, block)
            self.starts[index] = start + offset_in(block, old)
        else:
            super().__setitem__(index, block)


def offset_in(part: str, whole: str) -> int:
    """How many lines into whole the text part starts (part is usually the rest of whole after a processor took its head)."""
    if not part or not whole:
        return 0
    if whole.endswith(part):
        return whole.count("\n", 0, len(whole) - len(part))
    first = next((line.strip() for line in part.split("\n", 3) if line.strip()), "")
    for index, line in enumerate(whole.split("\n")):
        if first and line.rstrip().endswith(first):
            return index
    return 0


@dataclass
class _Outer:
    """The block a processor is running on, for nested parses to find their first line in."""

    text: str
    start: int
    cursor: int = 0
    lines: list[str] | None = None

    def find(self, nested: str) -> int:
        first = next((line.strip() for line in nested.split("\n", 3) if line.strip()), "")
        if self.lines is None:
            self.lines = [line.rstrip() for line in self.text.split("\n")]
        if first:
            for index in range(self.cursor, len(self.lines)):
                if self.lines[index].endswith(first):
                    self.cursor = index + 1
                    return self.start + index
        return self.start + min(self.cursor, max(len(self.lines) - 1, 0))


class LineTracker:
    """Wraps a BlockParser so that every element it makes is stamped with the preprocessed line of its block."""

    def __init__(self, parser: BlockParser, document: Stamps) -> None:
        self.parser = parser
        self.document = document
        self.outer: list[_Outer] = []
        parser.parseChunk = self.parse_chunk  # type: ignore[method-assign]  # the wrapping is the point: on this parser only
        parser.parseBlocks = self.parse_blocks  # type: ignore[method-assign]  # the wrapping is the point: on this parser only

    def parse_chunk(self, parent: Element, text: str) -> None:
        start = self.outer[-1].find(text) if self.outer else 0
        self.parse_blocks(parent, _Blocks(text.split("\n\n"), start))

    def parse_blocks(self, parent: Element, blocks: list[str]) -> None:
        if not isinstance(blocks, _Blocks):
            blocks = _Blocks(blocks, self.outer[-1].find(blocks[0]) if self.outer and blocks else 0)
        stamps = self.document.block_lines
        if blocks and parent not in stamps:
            stamps[parent] = blocks.start(0)
        while blocks:
            text, start = blocks[0], blocks.start(0)
            before = len(parent)
            for processor in self.parser.blockprocessors:
                if processor.test(parent, blocks[0]):
                    self.outer.append(_Outer(text, start))
                    try:
                        result = processor.run(parent, blocks)
                    finally:
                        self.outer.pop()
                    if result is not False:
                        self.stamp(parent, before, start, text)
                        break

    def stamp(self, parent: Element, before: int, start: int, text: str) -> None:
        stamps = self.document.block_lines
        for child in parent[min(before, len(parent)) :]:
            if child.tag == "table":
                self.stamp_table(child, start)
            for element in child.iter():
                if element not in stamps:
                    stamps[element] = start

    def stamp_table(self, table: Element, start: int) -> None:
        """A table is one line per row: the header, the separator, then the body rows."""
        stamps = self.document.block_lines
        stamps[table] = start
        for section in table:
            rows = list(section)
            first = start if section.tag == "thead" else start + 2
            for index, row in enumerate(rows):
                for element in row.iter():
                    stamps[element] = first + index


def code_spans(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """The code spans that Python-Markdown's backtick pattern finds in text, and each place where it finds no run of as
    many backticks to close the code: each such try scans to the end of the text.

    As Python-Markdown 3.11.3 does (BacktickInlineProcessor), left to right, before any other inline pattern: a run
    of backticks opens code up to the next run of as many; failing that, up to the longest later run when that one is
    shorter (its first, if several are as long); failing that, the search goes on as many characters after the run as
    it has backticks. A run after an odd number of backslashes is escaped (only its backticks after the first can
    open code), and so is a run after backslashes that the search started among. A closing run may follow a
    backslash: code spans have no escapes.
    """
    if "`" not in text:
        return [], []
    runs = [(m.start(), m.end()) for m in BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    longest_after: list[int | None] = [None] * (len(runs) + 1)  # the first of the longest runs after each one
    for index in range(len(runs) - 1, 0, -1):
        best = longest_after[index + 1]
        length = runs[index][1] - runs[index][0]
        longest_after[index] = index if best is None or length >= runs[best][1] - runs[best][0] else best
    spans: list[tuple[int, int]] = []
    unmatched: list[int] = []
    position = index = 0
    while True:
        while index < len(runs) and runs[index][1] <= position:
            index += 1
        if index == len(runs):
            return spans, unmatched
        start, end = runs[index]
        slashes = _slashes_before(text, start)
        opener = position if position > start else start + (1 if slashes and (slashes % 2 or start - slashes < position) else 0)
        ticks = end - opener
        if not ticks:
            position = end
            continue
        same = by_length.get(ticks, [])
        found = bisect.bisect_right(same, index)
        closer: int | None
        if found < len(same):
            closer = same[found]
        else:
            unmatched.append(opener)
            closer = longest_after[index + 1]
            if closer is None or runs[closer][1] - runs[closer][0] > ticks:
                position = end + ticks
                continue
        spans.append((opener, runs[closer][1]))
        position = runs[closer][1]


def _slashes_before(text: str, start: int) -> int:
    count = 0
    while start - count > 0 and text[start - count - 1] == "\\":
        count += 1
    return count
