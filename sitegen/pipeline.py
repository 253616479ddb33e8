"""build_site: load → validate → render Markdown → render templates → check → write atomically."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .checks import check_site
from .markdown_setup import create_markdown, render_markdown
from .output import OutputFile, Staging, stage
from .pages import Source, SourcePage, check_site_structure, load_pages, site_sources
from .problems import Problem, display_path, has_errors, warning
from .rendering import check_templates, create_environment, render_template
from .settings import SiteSettings, load_settings

PAGE_TEMPLATE = "page.html"


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    templates_dir: Path
    site_dir: Path
    strict: bool = False
    check_only: bool = False
    include_drafts: bool = False

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
class RenderedPage:
    page: SourcePage
    content: Markup
    page_sources: tuple[PageSource, ...]


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    page_count: int = 0
    seconds: float = 0.0
    published: bool = False

    def failed(self, strict: bool) -> bool:
        return has_errors(self.problems) or (strict and bool(self.problems))


def build_site(options: BuildOptions) -> BuildResult:
    """Build options.content_dir into options.site_dir, or report why not. site_dir changes only on success."""
    started = time.perf_counter()
    result = BuildResult()
    settings, problems = load_settings(options.content_dir)
    pages, found = load_pages(options.content_dir)
    problems += found
    if not options.include_drafts:
        pages = [p for p in pages if not p.draft]
    pages.sort(key=lambda p: (p.nav_order, p.output_name))
    problems += check_site_structure(pages, options.content_dir)
    env = create_environment(options.templates_dir)
    problems += check_templates(env, options.templates_dir)

    sources_page, sources = site_sources(pages)
    rendered, found = render_bodies(pages, sources, sources_page)
    problems += found
    problems += uncited_sources(sources_page, sources, rendered)
    result.problems = problems
    if settings is None or has_errors(problems):
        return _finish(result, started)

    outputs: list[OutputFile] = []
    for item in rendered:
        context = page_context(item, settings, pages, sources_page)
        text, found = render_template(env, PAGE_TEMPLATE, context, options.templates_dir, item.page.shown)
        problems += found
        if text is not None:
            outputs.append(OutputFile(item.page.output_name, text.encode("utf-8")))
    if has_errors(problems):
        return _finish(result, started)

    staging = stage(outputs, options.static_dir, options.site_dir)
    problems += check_site(staging.folder, settings.caveat, display_path(options.site_dir))
    result.page_count = len(outputs)
    publish(staging, result, options)
    return _finish(result, started)


def publish(staging: Staging, result: BuildResult, options: BuildOptions) -> None:
    if options.check_only or result.failed(options.strict):
        staging.discard()
    else:
        staging.publish()
        result.published = True


def render_bodies(
    pages: list[SourcePage], sources: dict[str, Source], sources_page: SourcePage | None
) -> tuple[list[RenderedPage], list[Problem]]:
    """Markdown to HTML for every page, with its numbered sources."""
    md = create_markdown(sources, {p.path.name: p.output_name for p in pages})
    sources_href = sources_page.output_name if sources_page else ""
    rendered: list[RenderedPage] = []
    problems: list[Problem] = []
    for page in pages:
        converted = render_markdown(md, page.body, page.shown, page.body_first_line)
        problems += converted.problems
        page_sources = tuple(
            PageSource(number, sources[key], f"{sources_href}#source-{key}") for number, key in enumerate(converted.citations, start=1)
        )
        rendered.append(RenderedPage(page, Markup(converted.html), page_sources))
    return rendered, problems


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
    return {
        "site": settings,
        "page": item.page,
        "content": item.content,
        "page_sources": item.page_sources,
        "nav": nav,
        "sources_page": sources_page,
    }


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.problems.sort(key=lambda p: (p.path, p.line))
    result.seconds = time.perf_counter() - started
    return result
