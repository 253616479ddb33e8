"""Every number cites a source: a paragraph, list item or table cell with a percentage or an "N out of M" needs a citation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ..problems import warning
from .context import DocumentContext, prose_lines, without_code_spans

FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s?%|\b\d+(?:\.\d+)?\s+out\s+of\s+\d+\b|\bpercent\b", re.IGNORECASE)
CITED = re.compile(r"\[@[^\]]+\]")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def blocks(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line index, text) for each paragraph, list item, table cell and heading outside code."""
    current: list[tuple[int, str]] = []

    def flush() -> Iterator[tuple[int, str]]:
        if current:
            yield current[0][0], " ".join(text for _, text in current)
            current.clear()

    previous = -2
    for index, line in prose_lines(lines):
        text = without_code_spans(line)
        if not text.strip() or index != previous + 1:
            yield from flush()
        previous = index
        if not text.strip() or TABLE_SEPARATOR.match(text):
            continue
        if text.lstrip().startswith("|"):
            yield from flush()
            for cell in text.strip().strip("|").split("|"):
                yield index, cell
            continue
        if text.lstrip().startswith("#") or LIST_ITEM.match(text):
            yield from flush()
        current.append((index, text))
        if text.lstrip().startswith("#"):
            yield from flush()
    yield from flush()


class NumberSourcePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        context: DocumentContext = self.md.document_context  # type: ignore[attr-defined]
        for index, text in blocks(lines):
            match = FIGURE.search(text)
            if match and not CITED.search(text):
                context.problems.append(
                    warning(
                        context.shown,
                        context.first_line + index,
                        f"'{match.group(0)}' has no citation in the same paragraph, list item or table cell; add one such as [@key]",
                    )
                )
        return lines


class NumberSourceExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.register(NumberSourcePreprocessor(md), "number_sources", 26)
