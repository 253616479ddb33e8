"""Markdown in, HTML and problems out, through the build's own Markdown factory."""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.markup.converter import MarkdownRefs, PageMarkdown, RenderedMarkdown, make_markdown
from sitegen.model import GlossaryEntry


def converter(
    sources: Iterable[str] = (), pages: dict[str, str] | None = None, glossary: Iterable[GlossaryEntry] = (), passages: bool = True
) -> PageMarkdown:
    """The build's own converter; with passages, as the review packet makes it (every sentence with its citations)."""
    return make_markdown(MarkdownRefs(frozenset(sources), pages or {}, tuple(glossary), passages=passages))


def convert(
    text: str,
    sources: Iterable[str] = (),
    *,
    pages: dict[str, str] | None = None,
    glossary: Iterable[GlossaryEntry] = (),
    shown: str = "content/page.md",
    first_line: int = 1,
    link_glossary: bool = True,
) -> RenderedMarkdown:
    md = converter(sources, pages, glossary)
    return md.render(text, shown, first_line, "page.md", "page.html", link_glossary)


def keys(result: RenderedMarkdown) -> tuple[str, ...]:
    return tuple(c.key for c in result.citations)


def messages(result: RenderedMarkdown) -> list[str]:
    return [str(p) for p in result.problems]
