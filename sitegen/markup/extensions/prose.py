"""The page's running prose, for its reading grade, and all its text outside code, for rules about what it mentions.

Tree processor ``reading_prose`` (0.5: after ``typography`` 6, so quotes and dashes are the characters readers see,
and after ``document_ids`` 1; before ``key_points`` -1 takes the key points out of the tree, so they are graded with
the page). After convert(), ``blocks`` holds the (text, line) of each paragraph or list item that reads as
sentences (readability.prose_blocks), and ``text`` the page's text outside code.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown

from ..page import DocumentTreeprocessor, SiteExtension
from ..readability import prose_blocks


class ProseTreeprocessor(DocumentTreeprocessor["ProseExtension"]):
    def run(self, root: Element) -> None:
        document, extension = self.document, self.extension
        blocks = prose_blocks(root, self.md.htmlStash.rawHtmlBlocks)
        extension.blocks.extend((block.text, document.line_of(block.element)) for block in blocks)
        walk = document.walk
        extension.text = " ".join(piece.text for piece in walk.pieces if not walk.in_code(piece))


class ProseExtension(SiteExtension):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.blocks: list[tuple[str, int]] = []
        self.text = ""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.treeprocessors.register(ProseTreeprocessor(md, self), "reading_prose", 0.5)

    def reset(self) -> None:
        self.blocks.clear()
        self.text = ""


def makeExtension(**kwargs: Any) -> ProseExtension:  # noqa: N802 (Markdown's API)
    return ProseExtension(**kwargs)
