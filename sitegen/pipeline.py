"""build_site: load → validate → render Markdown → render templates → check → write atomically."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from .checks import check_site
from .extensions.glossary import GlossaryEntry
from .incremental import RenderCache, all_templates, load_pages_reusing, template_fingerprint
from .markdown_setup import create_markdown, render_markdown
from .output import OutputFile, Staging, stage
from .pages import Source, SourcePage, check_site_structure, check_term_sources, site_glossary, site_sources
from .problems import Problem, display_path, has_errors, warning
from .publishing import SitemapEntry, base_path, page_url, robots_txt, sitemap_xml
from .readability import MAXIMUM_GRADE, ReadingLevel, prose_blocks, reading_level
from .rendering import check_templates, create_environment, render_template
from .review import check_review_dates
from .settings import SiteSettings, load_settings
from .structured_data import json_ld, medical_web_page

PAGE_TEMPLATE = "page.html"
NOT_FOUND_TEMPLATE = "404.html"


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    templates_dir: Path
    site_dir: Path
    strict: bool = False
    check_only: bool = False
    include_drafts: bool = False
    base_url: str | None = None
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def static_dir(self) -> Path:
        return self.templates_dir / "static"


@dataclass(frozen=True)
class NavItem:
    title: str
    href: str
    current: bool


@dataclass(frozen=True)
class PageSource:
    number: int
    source: Source
    href: str


@dataclass(frozen=True)
class SpecialPage:
    """A page made by the build itself, such as the 404 page."""

    title: str
    description: str
    output_name: str


@dataclass(frozen=True)
class RenderedPage:
    page: SourcePage
    content: Markup
    page_sources: tuple[PageSource, ...]
    reading: ReadingLevel | None


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    page_count: int = 0
    seconds: float = 0.0
    base_url: str | None = None
    published: bool = False
    reading: list[tuple[str, ReadingLevel]] = field(default_factory=list)

    def failed(self, strict: bool) -> bool:
        return has_errors(self.problems) or (strict and bool(self.problems))


def build_site(options: BuildOptions, cache: RenderCache | None = None) -> BuildResult:
    """Build options.content_dir into options.site_dir, or report why not. site_dir changes only on success.

    A cache kept between builds (the preview keeps one) skips re-rendering pages whose inputs are unchanged.
    """
    cache = cache if cache is not None else RenderCache()
    started = time.perf_counter()
    result = BuildResult()
    settings, problems = load_settings(options.content_dir)
    if settings is not None and options.base_url:
        settings = replace(settings, base_url=options.base_url)
    pages, found = load_pages_reusing(options.content_dir, cache)
    problems += found
    if not options.include_drafts:
        pages = [p for p in pages if not p.draft]
    pages.sort(key=lambda p: (p.nav_order, p.output_name))
    problems += check_site_structure(pages, options.content_dir)
    env = create_environment(options.templates_dir)
    problems += cache.reuse("templates", "all", all_templates(env), lambda: check_templates(env, options.templates_dir))

    sources_page, sources = site_sources(pages)
    glossary_page = site_glossary(pages)
    problems += check_term_sources(glossary_page, set(sources))
    if settings is not None:
        problems += [problem for page in pages for problem in check_review_dates(page, settings, options.today)]
    rendered, found = render_bodies(pages, sources, sources_page, glossary_page, cache)
    problems += found
    problems += uncited_sources(sources_page, sources, rendered)
    problems += reading_level_warnings(rendered)
    result.reading = [(item.page.shown, item.reading) for item in rendered if item.reading is not None]
    result.problems = problems
    if settings is None or has_errors(problems):
        return _finish(result, started)

    outputs: list[OutputFile] = []
    page_template = template_fingerprint(env, PAGE_TEMPLATE)
    for item in rendered:
        context = page_context(item, settings, pages, sources_page)
        text, found = cache.reuse(
            "html",
            item.page.output_name,
            (page_template, context),
            lambda: render_template(env, PAGE_TEMPLATE, context, options.templates_dir, item.page.shown),  # noqa: B023 (called at once)
        )
        problems += found
        if text is not None:
            outputs.append(OutputFile(item.page.output_name, text.encode("utf-8")))
    not_found, found = render_not_found(env, settings, pages, options.templates_dir)
    problems += found
    if has_errors(problems) or not_found is None:
        return _finish(result, started)

    result.page_count = len(outputs)
    outputs += [not_found, *publishing_files(settings, pages)]
    staging = stage(outputs, options.static_dir, options.site_dir)
    problems += check_site(staging.folder, settings.caveat, display_path(options.site_dir), base_path(settings.base_url))
    result.base_url = settings.base_url
    publish(staging, result, options)
    return _finish(result, started)


def publish(staging: Staging, result: BuildResult, options: BuildOptions) -> None:
    if options.check_only or result.failed(options.strict):
        staging.discard()
    else:
        staging.publish()
        result.published = True


def render_bodies(
    pages: list[SourcePage],
    sources: dict[str, Source],
    sources_page: SourcePage | None,
    glossary_page: SourcePage | None,
    cache: RenderCache,
) -> tuple[list[RenderedPage], list[Problem]]:
    """Markdown to HTML for every page, with its numbered sources and links to the glossary."""
    page_outputs = {p.path.name: p.output_name for p in pages}
    glossary = glossary_entries(glossary_page)
    md = create_markdown(sources, page_outputs, glossary)
    known = (sorted(sources), sorted(page_outputs.items()), glossary)
    sources_href = sources_page.output_name if sources_page else ""
    source_ids = set(sources)
    rendered: list[RenderedPage] = []
    problems: list[Problem] = []
    for page in pages:
        body = page.body + "".join("\n\n" + term.as_markdown(source_ids) for term in page.terms)
        link_glossary = page is not glossary_page
        converted = cache.reuse(
            "markdown",
            page.shown,
            (body, page.shown, page.body_first_line, link_glossary, known),
            lambda: render_markdown(md, body, page.shown, page.body_first_line, link_glossary),  # noqa: B023 (called at once)
        )
        problems += converted.problems
        page_sources = tuple(
            PageSource(number, sources[key], f"{sources_href}#source-{key}") for number, key in enumerate(converted.citations, start=1)
        )
        html = converted.html
        reading = None if page.reading_level_exempt else cache.reuse("reading", page.shown, html, lambda: reading_level(prose_blocks(html)))  # noqa: B023
        rendered.append(RenderedPage(page, Markup(converted.html), page_sources, reading))
    return rendered, problems


def glossary_entries(glossary_page: SourcePage | None) -> list[GlossaryEntry]:
    if glossary_page is None:
        return []
    return [GlossaryEntry(t.term, f"{glossary_page.output_name}#{t.anchor}", t.abbreviation) for t in glossary_page.terms]


def reading_level_warnings(rendered: list[RenderedPage]) -> list[Problem]:
    return [
        warning(
            item.page.shown,
            1,
            f"reading grade is above {MAXIMUM_GRADE:g} (Flesch-Kincaid {item.reading.flesch_kincaid:g}, SMOG {item.reading.smog:g}): "
            "use shorter sentences and everyday words, or set 'reading_level_exempt: true' on a reference page",
        )
        for item in rendered
        if item.reading is not None and item.reading.grade > MAXIMUM_GRADE
    ]


def render_not_found(
    env: Environment, settings: SiteSettings, pages: list[SourcePage], templates_dir: Path
) -> tuple[OutputFile | None, list[Problem]]:
    """404.html is served for a missing path at any depth, so its links start from the site's root path."""
    special = SpecialPage("Page not found", f"This page could not be found on {settings.title}.", "404.html")
    context = {
        "site": settings,
        "page": special,
        "nav": [NavItem(p.nav_title, p.output_name, False) for p in pages],
        "root": base_path(settings.base_url) if settings.base_url else "",
        "canonical_url": None,
    }
    text, problems = render_template(env, NOT_FOUND_TEMPLATE, context, templates_dir, "the 404 page")
    return (OutputFile(special.output_name, text.encode("utf-8")) if text is not None else None), problems


def publishing_files(settings: SiteSettings, pages: list[SourcePage]) -> list[OutputFile]:
    """robots.txt always; sitemap.xml only when the base URL is known."""
    files = [OutputFile("robots.txt", robots_txt(settings.base_url).encode("utf-8"))]
    if settings.base_url:
        entries = [SitemapEntry(page_url(settings.base_url, p.output_name), max(p.published, p.last_reviewed)) for p in pages]
        files.append(OutputFile("sitemap.xml", sitemap_xml(entries).encode("utf-8")))
    return files


def uncited_sources(sources_page: SourcePage | None, sources: dict[str, Source], rendered: list[RenderedPage]) -> list[Problem]:
    cited = {ps.source.id for item in rendered for ps in item.page_sources}
    if sources_page is None:
        return []
    return [
        warning(sources_page.shown, source.line, f"source '{source.id}' is not cited by any page")
        for source in sources.values()
        if source.id not in cited
    ]


def page_context(item: RenderedPage, settings: SiteSettings, pages: list[SourcePage], sources_page: SourcePage | None) -> dict[str, object]:
    """Everything a template may use."""
    nav = [NavItem(p.nav_title, p.output_name, p is item.page) for p in pages]
    canonical_url = page_url(settings.base_url, item.page.output_name) if settings.base_url else None
    return {
        "site": settings,
        "page": item.page,
        "content": item.content,
        "page_sources": item.page_sources,
        "nav": nav,
        "sources_page": sources_page,
        "root": "",
        "canonical_url": canonical_url,
        "structured_data": json_ld(medical_web_page(item.page, settings, [ps.source for ps in item.page_sources], canonical_url)),
    }


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.problems.sort(key=lambda p: (p.path, p.line))
    result.seconds = time.perf_counter() - started
    return result
