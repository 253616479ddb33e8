"""Rendering one page: its Markdown, its template, and the facts of the template's part that the site-wide checks need.

A page's work depends only on the page and on site-wide data, so pages can be rendered in any order, in worker
processes (parallel.py), and kept in the build cache (cache.py) under a hash of their inputs. PageWork holds
what every page's rendering reads; render_page() turns one page into a PageResult of plain data.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode
from xml.etree.ElementTree import Element

import jinja2
from markupsafe import Markup

from ..cache import digest, generator_version
from ..i18n import ENGLISH, N_, Words, collation_key, language_name
from ..languages import RECORD_WORDS
from ..load.pages import Page, Source
from ..load.review_records import ReviewState, fingerprint, review_state
from ..load.settings import SiteSettings
from ..load.site import Bibliography, Navigation, NavItem, NavSection, Site
from ..load.translations import Translation, TranslationReview, Translations
from ..markup.binding import Claim, NumberCheck, in_words
from ..markup.converter import MarkdownRefs, PageMarkdown, RenderedMarkdown, shared_markdown
from ..markup.extensions.citations import PageCitation, superscript_html
from ..markup.extensions.keypoints import missing_message
from ..markup.extensions.placeholders import MARKER, placeholder_problem
from ..markup.extensions.statements import clean
from ..markup.page import number_warning, uncited_number
from ..markup.readability import ProseBlock, ReadingLevel, reading_level
from ..model import Origin, OutputFile
from ..plain_data import NOT_KEPT
from ..problems import Problem, display_path, error, warning
from .facts import RenderedDocument, TemplateFacts, template_facts
from .publishing import SitemapEntry, base_path, page_url, robots_txt, sitemap_xml
from .structured_data import json_ld, medical_web_page
from .templating import Stylesheet, make_environment, render_template

PAGE_TEMPLATE = "page.html"
NOT_FOUND_TEMPLATE = "404.html"
SECTION_TEMPLATE = "section.html"


@dataclass(frozen=True)
class PageReading:
    shown: str
    level: ReadingLevel  # without its hardest sentence's tree element, so that it can be cached
    hardest_line: int
    hardest: str | None = None


@dataclass(frozen=True)
class SourceList:
    """The site's list of sources as pages show it: the entries, those with problems, and the page that lists them."""

    sources: Mapping[str, Source] = dataclasses.field(default_factory=dict)
    broken_ids: frozenset[str] = frozenset()  # entries with problems: citing them is not reported a second time
    page: str | None = None  # the output path of the page that lists them

    @classmethod
    def of(cls, bibliography: Bibliography) -> SourceList:
        return cls(bibliography.sources, bibliography.broken_ids, bibliography.page.output_path if bibliography.page else None)


@dataclass(frozen=True)
class SiteInput:
    """Everything site-wide that rendering a page may read, and nothing else: the renderer is given this and the page.

    Its digest is in every page's cache key (page_key), so whatever a page's HTML depends on is in the key by
    construction. It holds what pages show of each other (their navigation facts), never another page's text, so an
    edit to one page renders that page again, not the site.
    """

    settings: SiteSettings  # without the lines of its keys, which move when a comment is added
    navigation: Navigation
    sources: SourceList
    glossary_page: str | None  # the output path of the page that lists the glossary
    refs: MarkdownRefs
    templates_dir: Path
    templates: str  # a digest of the templates' text
    render_templates: bool = True  # False when the templates have errors: the pages' Markdown is still checked
    stylesheet: Stylesheet | None = None  # templates/style.css, which every page carries inline
    words: Words = ENGLISH  # the site's own words in this language (i18n.py)
    versions: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)  # a page's versions by language
    homes: tuple[tuple[str, str], ...] = ()  # (language, its home page's output path), for each language of the site
    urgent_from_original: frozenset[str] = frozenset()  # translations whose original page shows the urgent-help box

    @functools.cached_property
    def key(self) -> str:
        """The digest of all of it, with the generator's own version: made once a build."""
        return digest(generator_version(), self)


@dataclass(frozen=True)
class TranslationFacts:
    """What a translated page shows of its translation: its original, whether it changed since, and its review."""

    original: str  # the original's output path
    stale: bool
    review: TranslationReview | None

    @classmethod
    def of(cls, translation: Translation | None) -> TranslationFacts | None:
        if translation is None:
            return None
        return cls(translation.original.output_path, translation.stale, translation.current_review)


@dataclass(frozen=True)
class PageInput:
    """One page's rendering reads this and its SiteInput, nothing else."""

    page: Page
    translation: TranslationFacts | None = None


def page_key(site: SiteInput, page: PageInput) -> str:
    """The build cache's key of a page's RenderedPage: everything it was made from."""
    return digest(site.key, page)


@dataclass(frozen=True)
class RenderedPage:
    """What rendering one page gives, complete when made: for the cache, for worker processes, and for the checks."""

    page: Page
    markdown: RenderedMarkdown
    citations: tuple[PageCitation, ...]
    term_citations: tuple[Markup, ...]  # the superscript of each glossary term's sources, on the glossary page
    reading: PageReading | None
    review: ReviewState  # its fingerprint now, and the reviews that still cover it
    needs_urgent_help: bool  # it must show the "Get help straight away" box (see needs_urgent_help)
    markdown_problems: tuple[Problem, ...]
    html: str | None  # None when the templates have errors
    template_problems: tuple[Problem, ...]
    # worked out from html by the process that rendered it; never kept on disk, so a page from the disk cache is
    # checked again from its HTML (pipeline.render_language)
    facts: TemplateFacts | None = dataclasses.field(default=None, metadata=NOT_KEPT)


class PageRenderer:
    """One Markdown converter and one Jinja environment, reused for every page a process renders."""

    def __init__(self, site: SiteInput, env: jinja2.Environment | None = None) -> None:
        self.site = site
        self.markdown: PageMarkdown = shared_markdown(site.refs)
        self.env: jinja2.Environment = env or make_environment(site.templates_dir, site.words)
        self.template_shown = display_path(site.templates_dir / PAGE_TEMPLATE)

    def render(self, item: PageInput) -> RenderedPage:
        site, page = self.site, item.page
        sources = site.sources
        is_glossary = page.output_path == site.glossary_page
        markdown = self.markdown.render(
            page.body, page.shown, page.body_first_line, page.relative.as_posix(), page.output_path, not is_glossary, page.draft
        )
        lists_sources = page.output_path == sources.page  # a reference list
        problems = list(markdown.problems)
        problems += front_matter_placeholders(page)
        if not markdown.key_points and needs_key_points(page) and not lists_sources:
            problems.append(warning(page.shown, page.body_first_line, missing_message(self.markdown.key_points.heading)))
        markdown = _without_broken_notes(markdown, sources.broken_ids)
        citations = markdown.citations
        term_citations: tuple[Markup, ...] = ()
        if is_glossary:
            label = site.words.gettext(N_("source"))
            citations, term_citations, found, used = cite_terms(page, citations, sources, self.markdown.numbers, label)
            problems += found
            markdown = dataclasses.replace(markdown, figures_used=markdown.figures_used | used)
        urgent = needs_urgent_help(site.settings, page, markdown.text, site.urgent_from_original)
        review = review_of(sources.sources, site.settings, page, citations, urgent)
        reading = grade(page, markdown, site.settings.language)
        html: str | None = None
        template_problems: list[Problem] = []
        if site.render_templates:
            context = page_context(site, item, markdown, citations, term_citations, review, urgent)
            html, template_problems = render_template(self.env, PAGE_TEMPLATE, context, site.templates_dir, page.shown)
        facts = None
        if html is not None:
            facts = template_facts(document_of(site, page, markdown, html, self.template_shown, urgent))
        return RenderedPage(
            page, markdown, citations, term_citations, reading, review, urgent, tuple(problems), html, tuple(template_problems), facts
        )


def document_of(site: SiteInput, page: Page, markdown: RenderedMarkdown, html: str, template_shown: str, urgent: bool) -> RenderedDocument:
    """A page's HTML as the output checks read it, with what it must show readers."""
    return RenderedDocument(
        page.output_path,
        html,
        template_shown,
        markdown.html,
        page.shown,
        markdown.links,
        markdown.ids,
        urgent,
        lead=markdown.key_points,
        caveat=site.settings.caveat,
        urgent_help=site.settings.urgent_help,
    )


def front_matter_placeholders(page: Page) -> list[Problem]:
    """Placeholders that `build.py new` wrote into the title, description or navigation title."""
    return [
        placeholder_problem(page.shown, page.lines.line_of(key), page.draft)
        for key, value in (("title", page.title), ("description", page.description), ("nav_title", page.nav_title))
        if MARKER in value
    ]


def needs_key_points(page: Page) -> bool:
    """Every page the editors write needs key points, but the list of sources (a reference list, not text to read).
    The pages the build makes itself (section indexes, page-not-found) have none."""
    return not (page.sources or page.invalid_source_ids)


def _without_broken_notes(markdown: RenderedMarkdown, broken: frozenset[str]) -> RenderedMarkdown:
    """A citation of a source entry with problems links to no note (the entry is reported once, in the sources page)."""
    notes = {f"#source-note-{n}" for n, cited in enumerate(markdown.citations, start=1) if cited.key in broken}
    return dataclasses.replace(markdown, links=tuple(link for link in markdown.links if link.url not in notes)) if notes else markdown


def cite_terms(
    page: Page, cited: tuple[PageCitation, ...], sources: SourceList, check: NumberCheck, label: str = "source"
) -> tuple[tuple[PageCitation, ...], tuple[Markup, ...], list[Problem], frozenset[tuple[str, str]]]:
    """Number each glossary term's sources after the page's own citations; check each definition's numbers (a definition
    cites its term's sources), and give the recorded figures the definitions use."""
    numbers = {c.key: i + 1 for i, c in enumerate(cited)}
    order = list(cited)
    marks: list[Markup] = []
    problems: list[Problem] = []
    used: set[tuple[str, str]] = set()
    for term in page.terms:
        result = check.check_block([Claim(clean(term.definition), term.definition_line, term.sources)], "definition", page.shown)
        problems += result.problems
        used |= result.used
        keys = [k for k in term.sources if k in sources.sources]
        for key in keys:
            if key not in numbers:
                order.append(PageCitation(key))
                numbers[key] = len(order)
        marks.append(Markup(superscript_html([numbers[k] for k in keys], label)) if keys else Markup(""))
        if not keys and (match := uncited_number(term.definition, page.language or "en")):
            problems.append(warning(page.shown, term.definition_line, number_warning(match.group(0))))
        if not term.sources:
            problems.append(
                error(page.shown, term.sources_line or page.lines.line_of("terms"), f"'{term.term}' must list at least one source")
            )
    return tuple(order), tuple(marks), problems, frozenset(used)


def grade(page: Page, markdown: RenderedMarkdown, language: str = "en") -> PageReading | None:
    """The reading grade of the page's running prose (and, on the glossary page, its definitions)."""
    if page.reading_level_exempt:
        return None
    lines: dict[int, int] = {}
    blocks = []
    for text, line in [*markdown.prose, *((t.definition, t.definition_line) for t in page.terms)]:
        element = Element("p")
        lines[id(element)] = line
        blocks.append(ProseBlock(text, element))
    level = reading_level(blocks, language=language)
    if level is None:
        return None
    hardest_line = lines.get(id(level.hardest.block.element), page.body_first_line) if level.hardest else page.body_first_line
    hardest = level.hardest.text if level.hardest else None
    return PageReading(page.shown, dataclasses.replace(level, hardest=None), hardest_line, hardest)


def review_of(
    sources: Mapping[str, Source], settings: SiteSettings, page: Page, citations: Sequence[PageCitation], urgent: bool
) -> ReviewState:
    """The page's fingerprint as it is now (its text, its cited sources, and the caveat and box it shows), and the review
    records that still cover it."""
    cited = [sources[c.key] for c in citations if c.key in sources]
    box = settings.urgent_help
    shown = box.shown_text(box.form_on(page.output_path)) if urgent else None
    return review_state(page, fingerprint(page, cited, settings.caveat, shown))


@dataclass(frozen=True)
class SourceNote:
    """An entry of a page's "Sources for this page": its number, the source, where it is cited, and its full entry."""

    number: int
    source: Source
    locators: tuple[str, ...]
    href: str


@dataclass(frozen=True)
class FigureView:
    """A recorded figure as the sources page shows it: what it is, its value in the page's language, and where it is."""

    anchor: str
    name: str
    value: str
    locator: str | None


@dataclass(frozen=True)
class TermView:
    term: str
    abbreviation: str | None
    anchor: str
    definition: str
    citation: Markup


@dataclass(frozen=True)
class SpecialPage:
    """A page the build makes itself, such as the page-not-found page."""

    title: str
    description: str
    output_path: str
    draft: bool = False
    sources: tuple[Source, ...] = ()
    publisher_details: bool = False


def page_context(
    site: SiteInput,
    item: PageInput,
    markdown: RenderedMarkdown,
    citations: tuple[PageCitation, ...],
    term_citations: tuple[Markup, ...],
    review: ReviewState,
    urgent: bool,
) -> dict[str, object]:
    """Everything page.html may use."""
    page, settings, sources = item.page, site.settings, site.sources
    canonical_url = page_url(settings.base_url, page.output_path) if settings.base_url else None
    sources_href = sources.page or ""
    root = "../" * page.output_path.count("/")
    notes = tuple(
        SourceNote(number, sources.sources[c.key], c.locators, f"{root}{sources_href}#source-{c.key}")
        for number, c in enumerate(citations, start=1)
        if c.key in sources.sources
    )
    terms = tuple(
        TermView(t.term, t.abbreviation, t.anchor, t.definition, mark) for t, mark in zip(page.terms, term_citations, strict=False)
    )
    if not settings.is_default_language:
        terms = tuple(sorted(terms, key=lambda t: collation_key(t.term, settings.language)))
    cited = [note.source for note in notes]
    shown_sources = tuple(sources.sources.values()) if page.output_path == sources.page else ()
    # the list of sources is written in English on every language's page (marked lang="en"), its figures too
    figures = {
        s.id: tuple(FigureView(f.anchor, f.name, in_words(f.value, RECORD_WORDS), f.locator) for f in s.figures) for s in shown_sources
    }
    return (
        common_context(site, page, page.output_path, canonical_url)
        | urgent_help_context(site, page, urgent)
        | {
            "key_points": Markup(markdown.key_points),
            "content": Markup(markdown.html),
            "page_sources": notes,
            "source_figures": figures,
            "glossary_terms": terms,
            "all_sources": shown_sources,
            "review": review,
            "translation": translation_view(site, item.translation, root),
            "structured_data": json_ld(medical_web_page(page, settings, cited, canonical_url, review.current)),
        }
    )


@dataclass(frozen=True)
class TranslationView:
    """What a translated page says of its translation: its original, whether the original changed since, its review."""

    original_href: str
    original_language: str
    original_language_name: str
    stale: bool  # the original has changed since the translation was brought up to date with it
    review: TranslationReview | None


def translation_view(site: SiteInput, translation: TranslationFacts | None, root: str) -> TranslationView | None:
    if translation is None:
        return None
    language = site.settings.default_language
    return TranslationView(
        root + translation.original,
        language,
        language_name(language, site.words.language, capital=False),
        translation.stale,
        translation.review,
    )


def needs_urgent_help(settings: SiteSettings, page: Page, text: str, from_original: frozenset[str] = frozenset()) -> bool:
    """The page asks for the box, shows its whole form for the site, its original shows it (a translation shows the box
    whenever the page it translates does), or its text (body and glossary terms) names a side effect in the page's
    language. Worked out once, in PageRenderer.render; everything after reads RenderedPage.needs_urgent_help."""
    urgent = settings.urgent_help
    if page.urgent_help or urgent.full_box_path == page.output_path or page.output_path in from_original:
        return True
    terms = " ".join(f"{t.term} {t.abbreviation or ''} {t.definition}" for t in page.terms)
    return urgent.applies_to(f"{text} {terms}")


@dataclass(frozen=True)
class SourceLink:
    label: str  # the source's website or journal, short enough to list in the box
    href: str
    title: str


def urgent_help_context(site: SiteInput, page: Page, urgent: bool) -> dict[str, object]:
    """The box (None when the page needs none), its form, where its whole form is, and its sources as links."""
    if not urgent:
        return {"urgent_help": None, "urgent_help_form": None, "urgent_help_full": None, "urgent_help_sources": ()}
    box, sources = site.settings.urgent_help, site.sources
    root = "../" * page.output_path.count("/")
    listing = f"{root}{sources.page}" if sources.page else ""
    links = tuple(
        SourceLink(source.container or source.authors or source.title, f"{listing}#source-{source.id}", source.title)
        for key in box.sources
        if (source := sources.sources.get(key)) is not None and listing
    )
    full = f"{root}{box.full_box_path}#urgent-help" if box.full_box_path else None
    return {
        "urgent_help": box,
        "urgent_help_form": box.form_on(page.output_path),
        "urgent_help_full": full,
        "urgent_help_sources": links,
    }


@dataclass(frozen=True)
class LanguageLink:
    """A version of the page in another language: for the switcher and the hreflang alternates."""

    language: str
    name: str  # the language's name in that language: "English", "Español"
    href: str  # from this page
    url: str | None  # the absolute address, with a base URL
    same_page: bool  # the page's own translation (not that language's home page)


def language_links(site: SiteInput, output_path: str, root: str) -> tuple[tuple[LanguageLink, ...], tuple[LanguageLink, ...]]:
    """(the switcher: every other language, to the page's version in it or else to its home page; the hreflang
    alternates: every version of the page, itself included)."""
    if not site.homes:
        return (), ()
    base = site.settings.base_url
    versions = site.versions.get(output_path, {})
    if output_path.endswith("404.html"):  # each language has a page-not-found page of its own
        versions = {language: f"{'' if i == 0 else language + '/'}404.html" for i, (language, _) in enumerate(site.homes)}
    switcher, alternates = [], []
    for language, home in site.homes:
        target = versions.get(language)
        address = target or home
        link = LanguageLink(
            language, language_name(language), root + address, page_url(base, address) if base else None, target is not None
        )
        if target is not None:
            alternates.append(link)
        if language != site.settings.language:
            switcher.append(link)
    return tuple(switcher), tuple(alternates) if len(alternates) > 1 else ()


def common_context(
    site: SiteInput, page: Page | SpecialPage, output_path: str, canonical_url: str | None, root: str | None = None
) -> dict[str, object]:
    settings, words, navigation = site.settings, site.words, site.navigation
    prefix = "../" * output_path.count("/") if root is None else root
    switcher, alternates = language_links(site, output_path, prefix)
    return {
        "site": settings,
        "page": page,
        "nav": navigation.top_navigation(output_path),
        "breadcrumbs": navigation.breadcrumbs(output_path, words.gettext(N_("Home"))),
        "section_nav": navigation.section_navigation(output_path),
        "root": prefix,
        "home": prefix + navigation.prefix + "index.html",
        "canonical_url": canonical_url,
        "feedback_url": feedback_url(settings, page.title, canonical_url or output_path, words),
        "contact_url": settings.contact_url,
        "stylesheet": site.stylesheet,
        "language_links": switcher,
        "alternates": alternates,
        "x_default": next((link for link in alternates if link.language == settings.default_language), None),
    }


def feedback_url(settings: SiteSettings, title: str, address: str, words: Words = ENGLISH) -> str | None:
    """A new issue in the site's repository, with the page's title and address filled in, in the page's language."""
    if not settings.repository_url:
        return None
    body = words.gettext(
        N_(
            "Page: {title}\nAddress: {address}\n\nWhat is wrong or unclear on this page?\n\n\n"
            "Please do not write anything about your own health or anyone else's: this report is public."
        )
    ).format(title=title, address=address)
    issue_title = words.gettext(N_("Problem with the page: {title}")).format(title=title)
    return f"{settings.repository_url}/issues/new?" + urlencode({"title": issue_title, "body": body}, quote_via=quote)


def render_section_index(env: jinja2.Environment, site: SiteInput, section: NavSection) -> tuple[RenderedDocument | None, list[Problem]]:
    """A section without an index.md gets a page that lists its pages."""
    settings, words = site.settings, site.words
    description = words.gettext(N_("The pages about {section} on {site}.")).format(section=section.title, site=settings.title)
    special = SpecialPage(section.title, description, section.index_path)
    canonical_url = page_url(settings.base_url, section.index_path) if settings.base_url else None
    pages = [NavItem(p.nav_title, p.output_path) for p in section.pages]
    context = common_context(site, special, section.index_path, canonical_url) | {"urgent_help": None, "section_pages": pages}
    html, problems = render_template(env, SECTION_TEMPLATE, context, site.templates_dir, f"the index of {'/'.join(section.folder)}/")
    if html is None:
        return None, problems
    shown = display_path(site.templates_dir / SECTION_TEMPLATE)
    return RenderedDocument(section.index_path, html, shown, caveat=settings.caveat, urgent_help=settings.urgent_help), problems


def render_not_found(env: jinja2.Environment, site: SiteInput) -> tuple[RenderedDocument | None, list[Problem]]:
    """404.html (es/404.html in Spanish) is served for a missing path at any depth, so its links start from the site's
    root path."""
    settings, words = site.settings, site.words
    path = site.navigation.prefix + "404.html"
    title = words.gettext(N_("Page not found"))
    special = SpecialPage(title, words.gettext(N_("This page could not be found on {site}.")).format(site=settings.title), path)
    root = base_path(settings.base_url) if settings.base_url else "../" * path.count("/")
    context = common_context(site, special, path, None, root=root) | {"urgent_help": None}
    html, problems = render_template(env, NOT_FOUND_TEMPLATE, context, site.templates_dir, "the page-not-found page")
    if html is None:
        return None, problems
    shown = display_path(site.templates_dir / NOT_FOUND_TEMPLATE)
    root_path = root if settings.base_url else None
    return RenderedDocument(path, html, shown, root_path=root_path, caveat=settings.caveat, urgent_help=settings.urgent_help), problems


def publishing_files(sites: Sequence[Site], translations: Translations | None = None) -> list[OutputFile]:
    """robots.txt always; sitemap.xml only when the base URL is known, with each page's versions in other languages."""
    settings = sites[0].settings
    origin = Origin(settings.shown)
    files = [OutputFile("robots.txt", robots_txt(settings.base_url).encode("utf-8"), origin)]
    if settings.base_url:
        base = settings.base_url
        published = [p for site in sites for p in site.pages if not p.draft]
        entries = []
        for p in published:
            versions = translations.alternates(p.output_path) if translations else {}
            alternates = tuple((language, page_url(base, path)) for language, path in versions.items())
            if alternates:
                alternates += (("x-default", page_url(base, versions[settings.default_language])),)
            entries.append(SitemapEntry(page_url(base, p.output_path), max(p.published, p.last_reviewed), alternates))
        files.append(OutputFile("sitemap.xml", sitemap_xml(entries).encode("utf-8"), origin))
    return files
