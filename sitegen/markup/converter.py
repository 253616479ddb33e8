"""The single Markdown factory, shared by the build and the tests.

``make_markdown(refs)`` gives a converter with every extension the site uses; ``render`` converts one
document and returns plain data (HTML, citations, links, ids, problems), so that pages can be rendered in
other processes and cached.

Each extension is a module of extensions/ in Python-Markdown's house style (makeExtension, config, reset); they
share the page's Document and their common parts through page.py, and none imports another. This factory wires
them: where one extension needs another's results for the page being converted, it is given them here.

Priorities of the site's own processors, around Python-Markdown's:

| stage | name | priority | extension | note |
|---|---|---|---|---|
| pre | document_lines_in | 32 | document | keeps the editor's lines |
| pre | limits_page | 31 | limits | lines and code fences per page |
| pre | figures | 29 | figures | icon-array and bar-chart blocks, before fenced_code (25) |
| pre | fenced_code_block | 25 | document | fenced_code's own, recording the lines each block took (adapter.py) |
| pre | limits | 21 | limits | after fenced_code (25), before html_block (20): line and block sizes, HTML tags |
| pre | document_lines_out | 0 | document | aligns the preprocessed lines with the editor's |
| inline | citation | 175 | citations | before reference (170) and link (160) |
| tree | document_nesting | 30 | document | before inline (20): nesting deeper than 40 is an error |
| tree | limits_inline | 29 | limits | before inline (20): brackets, backticks, marks, typography, elements |
| tree | document_walk | 19 | document | after inline (20): reads the tree once |
| tree | limits_text | 18.9 | limits | a '<' kept as text outside code; raw HTML tags that do not end on their line |
| tree | statements | 18.7 | statements | sentences and their citations |
| tree | placeholders | 18.6 | placeholders | placeholder text that `build.py new` wrote |
| tree | number_sources | 18.5 | numbers | every number cites a source, and is a figure a cited source records |
| tree | citations | 18 | citations | checks and numbers citations |
| tree | glossary_links | 15 | glossary | first use of each term |
| tree | page_links | 7.5 | pagelinks | after attr_list (8): .md links become .html; addresses are judged |
| tree | html_policy | 7 | htmlpolicy | raw HTML and attributes |
| tree | images | 6.5 | images | after html_policy: alt text, the picture file, its width and height |
| tree | typography | 6 | typography | curly quotes, dashes and ellipses, before toc (5), where smarty ran |
| tree | percent_spacing | 5.9 | numbers | only where the language writes '39 %': a non-breaking space before '%' |
| tree | document_ids | 1 | document | after toc (5) |
| tree | reading_prose | 0.5 | prose | the running prose, for the reading grade |
| tree | key_points | -1 | keypoints | after unescape (0): checks the key points and takes them out of the tree |
| post | citation_tokens | 25 | citations | after raw_html (30): figure captions |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension

from ..cache import digest
from ..i18n import N_, Catalogue, Words
from ..languages import words_of
from ..load.figures import Figure
from ..load.images import ImageInfo
from ..model import GlossaryEntry
from ..problems import Problem, error
from .adapter import python_markdown
from .binding import NumberCheck
from .extensions.citations import CitationExtension, PageCitation
from .extensions.document import MAX_NESTING, DocumentExtension
from .extensions.figures import FigureExtension
from .extensions.glossary import GlossaryExtension
from .extensions.htmlpolicy import HtmlPolicyExtension
from .extensions.images import ImageExtension
from .extensions.keypoints import KeyPointsExtension
from .extensions.limits import LimitsExtension
from .extensions.numbers import NumberSourceExtension
from .extensions.pagelinks import PageLinkExtension
from .extensions.placeholders import PlaceholderExtension
from .extensions.prose import ProseExtension
from .extensions.statements import StatementExtension
from .extensions.typography import TypographyExtension
from .page import Document, LinkFact, Passage


@dataclass(frozen=True)
class MarkdownRefs:
    """What a page's Markdown may refer to: source ids, other pages, glossary entries, pictures."""

    source_ids: frozenset[str] = frozenset()
    page_outputs: Mapping[str, str] = field(default_factory=dict)  # content-relative .md path -> output path
    glossary: tuple[GlossaryEntry, ...] = ()
    images: Mapping[str, ImageInfo] = field(default_factory=dict)  # content-relative picture path -> what is known of it
    passages: bool = False  # keep each sentence with its citations (only the review packet needs them)
    figures: tuple[Figure, ...] = ()  # every source's recorded figures, which numbers that cite the source must give
    language: str = "en"  # the pages' language, in which their numbers are read (languages.py)
    sources_shown: str = "content/sources.md"  # where figures are recorded, for messages
    unreadable_sources: frozenset[str] = frozenset()  # ids of source entries with problems: numbers citing them are not checked
    catalogue: Catalogue | None = None  # the generator's own words in that language; None in the site's first language

    def number_check(self) -> NumberCheck:
        return NumberCheck(self.figures, words_of(self.language), self.source_ids, self.sources_shown, self.unreadable_sources)

    @property
    def words(self) -> Words:
        return Words(self.language) if self.catalogue is None else Words(self.language, (self.catalogue,), default=False)


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    citations: tuple[PageCitation, ...] = ()
    links: tuple[LinkFact, ...] = ()
    ids: frozenset[str] = frozenset()
    problems: tuple[Problem, ...] = ()
    prose: tuple[tuple[str, int], ...] = ()  # (text, line) of each paragraph or list item that reads as sentences
    text: str = ""  # all the page's text outside code, for rules about what a page mentions
    passages: tuple[Passage, ...] = ()  # each block's sentences and their citations, for the review packet
    key_points: str = ""  # the '## Key points' section that opens the page, as HTML; html holds the rest
    figures_used: frozenset[tuple[str, str]] = frozenset()  # Figure.key of each recorded figure the page gives


BUILT_IN_EXTENSIONS = ("tables", "attr_list", "sane_lists", "toc", "fenced_code")  # Python-Markdown's own
BUILT_IN_CONFIGS: dict[str, dict[str, Any]] = {"toc": {"permalink": False}}


class PageMarkdown:
    """One Markdown converter and the site's extensions; render() converts one document at a time.

    Every site extension is given the one Document. Where one needs another's results for the page being converted,
    they are passed in here: figures get the citations (page.CaptionCitations: source ids, "did you mean", caption
    tokens), statements get the figures' specs, numbers get the statements' passages.
    """

    def __init__(self, refs: MarkdownRefs) -> None:
        document = Document()
        self.document_extension = DocumentExtension(document=document)
        self.numbers = refs.number_check()
        self.citations = CitationExtension(document=document, known_keys=set(refs.source_ids), label=refs.words.gettext(N_("source")))
        figures = FigureExtension(document=document, citations=self.citations, numbers=self.numbers, words=refs.words)
        self.statements = StatementExtension(
            document=document,
            figures=figures.specs,
            has_number=self.numbers.has_number,
            words=self.numbers.words,
            every_block=refs.passages,
        )
        self.key_points = KeyPointsExtension(document=document, language=refs.language, heading=refs.words.gettext(N_("Key points")))
        self.prose = ProseExtension(document=document)
        self.passages = refs.passages
        self.extensions: tuple[Extension, ...] = (
            self.document_extension,
            LimitsExtension(document=document),
            self.citations,
            figures,
            self.statements,
            PageLinkExtension(document=document, page_outputs=refs.page_outputs),
            NumberSourceExtension(document=document, passages=self.statements.passages, check=self.numbers, language=refs.language),
            GlossaryExtension(document=document, entries=list(refs.glossary)),
            HtmlPolicyExtension(document=document),
            ImageExtension(document=document, images=refs.images),
            PlaceholderExtension(document=document),
            self.key_points,
            self.prose,
            TypographyExtension(),
        )
        self.md = python_markdown([*BUILT_IN_EXTENSIONS, *self.extensions], extension_configs=BUILT_IN_CONFIGS, output_format="html")

    def render(
        self,
        text: str,
        shown: str = "<text>",
        first_line: int = 1,
        source_path: str = "index.md",
        output_path: str = "index.html",
        link_glossary: bool = True,
        draft: bool = False,
    ) -> RenderedMarkdown:
        """Convert one document; every problem names shown and the line in the file (the body starts at first_line).

        The HTML is empty when a limit left part of the document out (Document.withheld): the page has failed, and
        no reader or preview may see it with that part missing.
        """
        self.md.reset()
        self.document_extension.begin(shown, first_line, source_path, output_path, link_glossary, draft)
        document = self.document_extension.document
        try:
            html = self.md.convert(text)
        except RecursionError:
            self.md.reset()
            return RenderedMarkdown(
                "",
                problems=(
                    error(
                        shown,
                        first_line + deepest_line(text),
                        f"lists, quotes or brackets are nested too deeply to read; keep nesting under {MAX_NESTING} levels",
                    ),
                ),
            )
        return RenderedMarkdown(
            "" if document.withheld else html,
            tuple(self.citations.cited),
            tuple(document.links),
            frozenset(document.ids),
            tuple(document.problems),
            tuple(self.prose.blocks),
            self.prose.text,
            tuple(self.statements.passages) if self.passages else (),
            self.serialise(self.key_points.section),
            frozenset(document.figures_used),
        )

    def serialise(self, element: Element | None) -> str:
        """An element taken out of the tree, as convert() writes the rest: serialised, then through the postprocessors."""
        if element is None:
            return ""
        html = self.md.serializer(element)
        for postprocessor in self.md.postprocessors:
            html = postprocessor.run(html)
        return html.strip()


def make_markdown(refs: MarkdownRefs | None = None) -> PageMarkdown:
    return PageMarkdown(refs or MarkdownRefs())


_CONVERTERS: dict[str, PageMarkdown] = {}


def shared_markdown(refs: MarkdownRefs) -> PageMarkdown:
    """The converter for these refs, reused by every build in this process while they are unchanged (the preview and
    the tests build many times): setting up Python-Markdown and the extensions costs more than a small page."""
    key = digest(refs)
    if key not in _CONVERTERS:
        while len(_CONVERTERS) >= 4:
            _CONVERTERS.pop(next(iter(_CONVERTERS)))
        _CONVERTERS[key] = make_markdown(refs)
    return _CONVERTERS[key]


def deepest_line(text: str) -> int:
    """The line (0-based) with the most nesting, to point the editor at it."""
    best, best_depth = 0, -1
    for index, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" >\t-*+[(")
        depth = len(line) - len(stripped)
        if depth > best_depth:
            best, best_depth = index, depth
    return best
