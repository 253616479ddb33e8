"""Markdown in, HTML and problems out, through the build's own Markdown factory."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sitegen.load.figures import Figure, load_figures
from sitegen.load.frontmatter import LineMap
from sitegen.markup.converter import MarkdownRefs, PageMarkdown, RenderedMarkdown, make_markdown
from sitegen.model import GlossaryEntry

# The figures the real source list records for gauthier2021 (content/sources.md), which the tests' pages cite.
GAUTHIER_FIGURES = {
    "gauthier2021": [
        ("People in the study", 44),
        ("People with ALL", 14),
        ("People with CLL", 9),
        ("People with NHL", 21),
        ("Overall response", "39%"),
        ("Complete response", "20%"),
        ("Complete response in CLL", "22%"),
        ("Complete response in NHL", "19%"),
        ("Complete response in ALL", "21%"),
        ("Median length of response in CLL", "33 months"),
        ("Median length of response in NHL", "6 months"),
        ("Median length of response in ALL", "4 months"),
        ("Severe CRS", "9%"),
        ("Severe neurotoxicity", "11%"),
    ]
}


def recorded(figures: Mapping[str, Iterable[tuple[object, ...]]]) -> tuple[Figure, ...]:
    """Figures as the source list would record them: {source id: [(name, value), (name, value, round_to), ...]}."""
    found: list[Figure] = []
    for source, entries in figures.items():
        listed = [{"name": entry[0], "value": entry[1], **({"round_to": entry[2]} if len(entry) > 2 else {})} for entry in entries]
        made, problems = load_figures(listed, source, "content/sources.md", LineMap(), ("sources", 0, "figures"))
        assert not problems, problems
        found += made
    return tuple(found)


def converter(
    sources: Iterable[str] = (),
    pages: dict[str, str] | None = None,
    glossary: Iterable[GlossaryEntry] = (),
    passages: bool = True,
    figures: Mapping[str, Iterable[tuple[object, ...]]] = GAUTHIER_FIGURES,
    language: str = "en",
) -> PageMarkdown:
    """The build's own converter; with passages, as the review packet makes it (every sentence with its citations).
    figures are the recorded figures of the sources, {id: [(name, value), ...]}: by default gauthier2021's."""
    refs = MarkdownRefs(frozenset(sources), pages or {}, tuple(glossary), passages=passages, figures=recorded(figures), language=language)
    return make_markdown(refs)


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
