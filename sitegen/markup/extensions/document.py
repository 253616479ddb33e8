"""The document being converted, and the source line of every element in Python-Markdown's tree.

DocumentExtension fills the converter's Document (sitegen/markup/page.py), which every other site extension reads.
Python-Markdown keeps no positions, so this extension records them, for every check to report the line the
editor wrote:

1. Lines. A preprocessor that runs first keeps the editor's lines; one that runs last aligns them with the
   preprocessed lines, in which fenced code and raw HTML blocks have become stash placeholders.
2. Blocks. The block parser's ``parseChunk`` and ``parseBlocks`` are wrapped, so that every element a block
   processor makes is stamped with the line of the block it came from. Nested parses (list items,
   blockquotes) find their first line inside the enclosing block; each table row gets its own line.
3. Inline. Python-Markdown keeps a paragraph's newlines in its text, so an inline element's line is its
   block's line plus the newlines before it (``walk_tree``).

Priorities: preprocessors ``document_lines_in`` 32 (before normalize_whitespace at 30) and
``document_lines_out`` 0 (after every other preprocessor); tree processor ``document_walk`` 19, straight after
``inline`` (20), which reads the finished tree once for the checks that follow; ``document_nesting`` 30 and
``document_ids`` 1. The block parser and fenced_code's preprocessor are wrapped through adapter.py.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from ...html_facts import parse_html
from ..adapter import LineKeepingFencedBlocks, LineTracker
from ..page import Document, DocumentPreprocessor, DocumentTreeprocessor, SiteExtension, TextPiece, Walk

MAX_NESTING = 40


def walk_tree(document: Document, root: Element) -> Walk:
    """Read the tree once, in reading order, without recursion (a deeply nested page must not exhaust the stack)."""
    walk = Walk()
    line = document.first_line
    stack: list[tuple[Element, int]] = [(root, -1)]
    while stack:
        element, child_index = stack.pop()
        if child_index < 0:
            if element in document.block_lines:
                line = document.source_line(document.block_lines[element])
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


class _SourceIn(DocumentPreprocessor["DocumentExtension"]):
    def run(self, lines: list[str]) -> list[str]:
        fenced = self.md.preprocessors["fenced_code_block"] if "fenced_code_block" in self.md.preprocessors else None
        if isinstance(fenced, FencedBlockPreprocessor) and not isinstance(fenced, LineKeepingFencedBlocks):
            raise RuntimeError("DocumentExtension must come after fenced_code in the list of extensions: fenced code would have no lines")
        self.document.source_lines = list(lines)
        return lines


class _SourceOut(DocumentPreprocessor["DocumentExtension"]):
    def run(self, lines: list[str]) -> list[str]:
        self.document.processed_to_source = self.document.map_lines(lines, self.md.htmlStash)
        return lines


class _WalkTree(DocumentTreeprocessor["DocumentExtension"]):
    def run(self, root: Element) -> None:
        self.document.walk = walk_tree(self.document, root)


class _NestingLimit(DocumentTreeprocessor["DocumentExtension"]):
    """Lists and quotes nested more than MAX_NESTING deep are an error; they are cut there, so that nothing later recurses
    too deep, and the page's HTML is withheld."""

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


class _CollectIds(DocumentTreeprocessor["DocumentExtension"]):
    """After toc (5) has given headings their ids: every id on the page, in the tree and in stashed HTML."""

    def run(self, root: Element) -> None:
        ids = self.document.ids
        for element in root.iter():
            if "id" in element.attrib:
                ids.add(element.attrib["id"])
        for chunk in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(chunk, str) and "id=" in chunk:
                ids.update(parse_html(chunk).ids)


class DocumentExtension(SiteExtension):
    """Owns the Document (a new one unless document= gives it); begin() names the file before each convert(), and
    reset() clears the rest. The other site extensions are given the same Document."""

    def __init__(self, *, document: Document | None = None, **kwargs: Any) -> None:
        super().__init__(document=document if document is not None else Document(), **kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        """Register the processors; wrap the block parser and fenced_code's preprocessor to stamp lines (adapter.py)."""
        md.registerExtension(self)
        md.preprocessors.register(_SourceIn(md, self), "document_lines_in", 32)
        md.preprocessors.register(_SourceOut(md, self), "document_lines_out", 0)
        if "fenced_code_block" in md.preprocessors:
            fenced = md.preprocessors["fenced_code_block"]
            md.preprocessors.register(LineKeepingFencedBlocks(md, fenced.config, self.document), "fenced_code_block", 25)  # type: ignore[attr-defined]  # its config: missing from the stub
        md.treeprocessors.register(_NestingLimit(md, self), "document_nesting", 30)
        md.treeprocessors.register(_WalkTree(md, self), "document_walk", 19)
        md.treeprocessors.register(_CollectIds(md, self), "document_ids", 1)
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
        self.document.reset()


def makeExtension(**kwargs: Any) -> DocumentExtension:  # noqa: N802 (Markdown's API)
    return DocumentExtension(**kwargs)
