"""The single Markdown factory, shared by the build and the tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import markdown

from .extensions.citations import CitationExtension
from .extensions.context import DocumentContext
from .extensions.figures import FigureExtension
from .extensions.glossary import GlossaryEntry, GlossaryExtension
from .extensions.numbers import NumberSourceExtension
from .extensions.pagelinks import PageLinkExtension
from .problems import Problem


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    citations: tuple[str, ...]
    problems: tuple[Problem, ...]


def create_markdown(
    source_ids: Iterable[str] = (), page_outputs: dict[str, str] | None = None, glossary: list[GlossaryEntry] | None = None
) -> markdown.Markdown:
    """A Markdown converter with every extension the site uses."""
    citations = CitationExtension(known_keys=set(source_ids))
    return markdown.Markdown(
        extensions=[
            "tables",
            "attr_list",
            "sane_lists",
            "smarty",
            "toc",
            citations,
            FigureExtension(citations),
            PageLinkExtension(page_outputs=page_outputs or {}),
            NumberSourceExtension(),
            GlossaryExtension(entries=glossary or []),
        ],
        extension_configs={"toc": {"permalink": False}},
        output_format="html",
    )


def render_markdown(
    md: markdown.Markdown, text: str, shown: str = "<text>", first_line: int = 1, link_glossary: bool = True
) -> RenderedMarkdown:
    """Convert one document; problems carry shown:line for the document's lines."""
    md.reset()
    context = DocumentContext(shown, first_line, link_glossary=link_glossary)
    md.document_context = context  # type: ignore[attr-defined]
    html = md.convert(text)
    return RenderedMarkdown(html, tuple(md.citations), tuple(context.problems))  # type: ignore[attr-defined]
