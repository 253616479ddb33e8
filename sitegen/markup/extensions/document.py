"""The document being converted, and the source line of every element in Python-Markdown's tree.

Python-Markdown keeps no positions, so this extension records them, for every check to report the line the
editor wrote:

1. Lines. A preprocessor that runs first keeps the editor's lines; one that runs last aligns them with the
   preprocessed lines, in which fenced code and raw HTML blocks have become stash placeholders.
2. Blocks. The block parser's ``parseChunk`` and ``parseBlocks`` are wrapped, so that every element a block
   processor makes is stamped with the line of the block it came from. Nested parses (list items,
   blockquotes) find their first line inside the enclosing block; each table row gets its own line.
3. Inline. Python-Markdown keeps a paragraph's newlines in its text, so an inline element's line is its
   block's line plus the newlines before it (``text_pieces``).

Priorities: preprocessors ``document_lines_in`` 32 (before normalize_whitespace at 30) and
``document_lines_out`` 0 (after every other preprocessor); tree processor ``document_walk`` 19, straight after
``inline`` (20), which reads the finished tree once for the checks that follow.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, HTML_PLACEHOLDER_RE, STX, HtmlStash

from ...html_facts import parse_html
from ...problems import Problem, error, warning
from ..adapter import LineKeepingFencedBlocks, LineTracker

BLOCK_TAGS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr"}


@dataclass(frozen=True)
class TextPiece:
    """A run of text in the tree: element.text or element.tail, and the source line it starts on."""

    element: Element
    is_tail: bool
    text: str
    line: int

    def line_at(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, offset)


@dataclass(frozen=True)
class LinkFact:
    """A link or image in the page's Markdown, kept for the check of all outputs: its address as written into the page."""

    url: str
    line: int
    tag: str
    written: str  # the address as the editor wrote it

    @property
    def loads(self) -> bool:
        return self.tag == "img"


@dataclass
class Document:
    """Per-document state shared by the site's extensions; Markdown.reset() clears it through DocumentExtension."""

    shown: str = "<text>"
    first_line: int = 1
    source_path: str = "index.md"  # relative to the content folder, for links between pages
    output_path: str = "index.html"
    link_glossary: bool = True
    draft: bool = False  # the page is a draft, which is not published
    problems: list[Problem] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)
    processed_to_source: list[int] = field(default_factory=list)
    block_lines: dict[Element, int] = field(default_factory=dict)
    walk: Walk = field(default_factory=lambda: Walk())
    trusted_stash: set[int] = field(default_factory=set)
    chunk_lines: dict[int, int] = field(default_factory=dict)  # stash index -> source lines of its fenced block
    links: list[LinkFact] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    withheld: bool = False  # a limit left part of the page out of the conversion: its HTML must not be shown
    figures_used: set[tuple[str, str]] = field(default_factory=set)  # Figure.key of each recorded figure the page gives

    def error(self, line: int, message: str) -> None:
        self.problems.append(error(self.shown, line, message))

    def warning(self, line: int, message: str) -> None:
        self.problems.append(warning(self.shown, line, message))

    def withhold(self) -> None:
        """Convert the rest only to find its problems: a limit left part of the page out, so its HTML is not shown."""
        self.withheld = True

    def map_lines(self, lines: list[str], stash: HtmlStash) -> list[int]:
        """For each line of a preprocessed text, the index of the editor's line it came from (see align())."""
        chunks = stash.rawHtmlBlocks
        counts = self.chunk_lines

        def chunk_lines(index: int) -> int:
            if index in counts:
                return counts[index]
            chunk = chunks[index] if index < len(chunks) else ""
            return chunk.count("\n") + 1 if isinstance(chunk, str) else 1

        return align(self.source_lines, lines, chunk_lines)

    def source_line(self, processed_index: int) -> int:
        """The file line of a line of the preprocessed text (0-based index)."""
        mapping = self.processed_to_source
        if not mapping:
            return self.first_line + processed_index
        index = mapping[min(max(processed_index, 0), len(mapping) - 1)]
        return self.first_line + min(index, max(len(self.source_lines) - 1, 0))

    def line_of(self, element: Element) -> int:
        """The file line on which element starts: from the walk after inline processing, or its block's stamp."""
        if element in self.walk.starts:
            return self.walk.starts[element]
        if element in self.block_lines:
            return self.source_line(self.block_lines[element])
        return self.first_line

    def make_walk(self, root: Element) -> Walk:
        """Read the tree once, in reading order, without recursion (a deeply nested page must not exhaust the stack)."""
        walk = Walk()
        line = self.first_line
        stack: list[tuple[Element, int]] = [(root, -1)]
        while stack:
            element, child_index = stack.pop()
            if child_index < 0:
                if element in self.block_lines:
                    line = self.source_line(self.block_lines[element])
                walk.starts[element] = line
                walk.order.append(element)
                if element.text:
                    piece = TextPiece(element, False, element.text, line)
                    walk.pieces.append(piece)
                    walk.order.append(piece)
                    line += element.text.count("\n")
            elif child_index < len(element):
                child = element[child_index]
                if child.tag == "br":
                    line += 1
                if child.tail:
                    piece = TextPiece(child, True, child.tail, line)
                    walk.pieces.append(piece)
                    walk.order.append(piece)
                    line += child.tail.count("\n")
            next_index = child_index + 1
            if next_index < len(element):
                stack.append((element, next_index))
                child = element[next_index]
                walk.parents[child] = element
                stack.append((child, -1))
        return walk


@dataclass
class Walk:
    """The tree after inline processing, read once: where each element starts, its parent, and every text run."""

    starts: dict[Element, int] = field(default_factory=dict)
    parents: dict[Element, Element] = field(default_factory=dict)
    pieces: list[TextPiece] = field(default_factory=list)
    order: list[Element | TextPiece] = field(default_factory=list)

    def ancestors(self, element: Element) -> Iterator[Element]:
        current = self.parents.get(element)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def in_code(self, piece: TextPiece) -> bool:
        """Whether a run of text is inside code (the tail of a code element is not)."""
        around = (piece.element, *self.ancestors(piece.element))
        return any(e.tag in ("code", "pre") for e in around if not piece.is_tail or e is not piece.element)


def stash_placeholders(text: str) -> list[tuple[int, int]]:
    """(stash index, offset) of every raw-HTML placeholder in text."""
    return [(int(m.group(1)), m.start()) for m in HTML_PLACEHOLDER_RE.finditer(text)]


def normalise_line(line: str) -> str:
    """A line as normalize_whitespace leaves it, so that unchanged lines compare equal."""
    line = line.replace(STX, "").replace(ETX, "").expandtabs(4)
    return "" if not line.strip() else line


def align(source: list[str], processed: list[str], chunk_lines: Callable[[int], int] = lambda index: 1) -> list[int]:
    """For each preprocessed line, the index of the source line it came from (O(n log n)).

    Lines that are unchanged match in order. A stash placeholder stands where its block began, and the source
    resumes chunk_lines(stash index) lines later. A line that no source line matches (a blank line or a line a
    preprocessor made) stays at the current position.
    """
    normalised = [normalise_line(line) for line in source]
    where: dict[str, list[int]] = {}
    for index, line in enumerate(normalised):
        if line:
            where.setdefault(line, []).append(index)
    last = max(len(source) - 1, 0)
    result: list[int] = []
    cursor = 0
    for line in processed:
        if cursor < len(normalised) and line == normalised[cursor]:
            result.append(cursor)
            cursor += 1
            continue
        placeholder = HTML_PLACEHOLDER_RE.search(line)
        if placeholder:
            while cursor < len(normalised) and not normalised[cursor]:
                cursor += 1
            result.append(min(cursor, last))
            cursor += chunk_lines(int(placeholder.group(1)))
            continue
        if line:
            candidates = where.get(line, [])
            found = bisect.bisect_left(candidates, cursor)
            if found < len(candidates):
                cursor = candidates[found]
                result.append(cursor)
                cursor += 1
                continue
        result.append(min(cursor, last))
    return result


class _SourceIn(Preprocessor):
    def __init__(self, md: Markdown, document: Document) -> None:
        super().__init__(md)
        self.document = document

    def run(self, lines: list[str]) -> list[str]:
        fenced = self.md.preprocessors["fenced_code_block"] if "fenced_code_block" in self.md.preprocessors else None
        if isinstance(fenced, FencedBlockPreprocessor) and not isinstance(fenced, LineKeepingFencedBlocks):
            raise RuntimeError("DocumentExtension must come after fenced_code in the list of extensions: fenced code would have no lines")
        self.document.source_lines = list(lines)
        return lines


class _SourceOut(Preprocessor):
    def __init__(self, md: Markdown, document: Document) -> None:
        super().__init__(md)
        self.document = document

    def run(self, lines: list[str]) -> list[str]:
        self.document.processed_to_source = self.document.map_lines(lines, self.md.htmlStash)
        return lines


class _WalkTree(Treeprocessor):
    def __init__(self, md: Markdown, document: Document) -> None:
        super().__init__(md)
        self.document = document

    def run(self, root: Element) -> None:
        self.document.walk = self.document.make_walk(root)


MAX_NESTING = 40


class _NestingLimit(Treeprocessor):
    """Lists and quotes nested more than MAX_NESTING deep are an error; they are cut there, so that nothing later recurses
    too deep, and the page's HTML is withheld."""

    def __init__(self, md: Markdown, document: Document) -> None:
        super().__init__(md)
        self.document = document

    def run(self, root: Element) -> None:
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            if depth >= MAX_NESTING and len(element):
                line = self.document.source_line(self.document.block_lines.get(element[0], 0))
                self.document.error(
                    line, f"lists, quotes or brackets are nested too deeply to read; keep nesting under {MAX_NESTING} levels"
                )
                self.document.withhold()
                for child in list(element):
                    element.remove(child)
                return
            stack.extend((child, depth + 1) for child in element)


class _CollectIds(Treeprocessor):
    """After toc (5) has given headings their ids: every id on the page, in the tree and in stashed HTML."""

    def __init__(self, md: Markdown, document: Document) -> None:
        super().__init__(md)
        self.document = document

    def run(self, root: Element) -> None:
        ids = self.document.ids
        for element in root.iter():
            if "id" in element.attrib:
                ids.add(element.attrib["id"])
        for chunk in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(chunk, str) and "id=" in chunk:
                ids.update(parse_html(chunk).ids)


class DocumentExtension(Extension):
    """Owns the Document; begin() names the file before each convert(), and reset() clears the rest."""

    def __init__(self, **kwargs: Any) -> None:
        self.document = Document()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(_SourceIn(md, self.document), "document_lines_in", 32)
        md.preprocessors.register(_SourceOut(md, self.document), "document_lines_out", 0)
        if "fenced_code_block" in md.preprocessors:
            fenced = md.preprocessors["fenced_code_block"]
            md.preprocessors.register(LineKeepingFencedBlocks(md, fenced.config, self.document), "fenced_code_block", 25)  # type: ignore[attr-defined]
        md.treeprocessors.register(_NestingLimit(md, self.document), "document_nesting", 30)
        md.treeprocessors.register(_WalkTree(md, self.document), "document_walk", 19)
        md.treeprocessors.register(_CollectIds(md, self.document), "document_ids", 1)
        LineTracker(md.parser, self.document)

    def begin(
        self,
        shown: str,
        first_line: int = 1,
        source_path: str = "index.md",
        output_path: str = "index.html",
        link_glossary: bool = True,
        draft: bool = False,
    ) -> None:
        """Name the document that the next convert() reads: its file as shown in problems, and where its body starts."""
        document = self.document
        document.shown, document.first_line, document.link_glossary, document.draft = shown, first_line, link_glossary, draft
        document.source_path, document.output_path = source_path, output_path

    def reset(self) -> None:
        document = self.document
        document.problems = []
        document.source_lines = []
        document.processed_to_source = []
        document.block_lines = {}
        document.walk = Walk()
        document.trusted_stash = set()
        document.chunk_lines = {}
        document.links = []
        document.ids = set()
        document.withheld = False
        document.figures_used = set()


def makeExtension(**kwargs: Any) -> DocumentExtension:  # noqa: N802 (Markdown's API)
    return DocumentExtension(**kwargs)
