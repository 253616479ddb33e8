"""build_site(): load → validate → render Markdown → render templates → check in memory → write atomically.

Each phase is a function that returns its result and its problems; nothing is shared and changed between
phases. The result of a build is made once, at the end.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, urlencode
from xml.etree.ElementTree import Element

from markupsafe import Markup

from .checks import RenderedDocument, check_documents
from .extensions.citations import PageCitation, superscript_html
from .extensions.numbers import number_warning, uncited_number
from .files import FoundFile, find_content, read_bytes, walk
from .markdown_setup import MarkdownRefs, RenderedMarkdown, make_markdown
from .output import Origin, OutputFile, site_dir_problems, write_site
from .pages import Page, Source, check_site_structure, check_term_sources, load_page, output_path_for
from .problems import Problem, display_path, error, fails, sorted_problems, warning
from .publishing import SitemapEntry, base_path, page_url, robots_txt, sitemap_xml
from .readability import MAXIMUM_GRADE, ProseBlock, ReadingLevel, reading_level
from .review import check_review_dates
from .schema import suggest
from .settings import SiteSettings, load_settings
from .site import Bibliography, Glossary, Site, build_sections
from .structured_data import json_ld, medical_web_page
from .templating import TemplateOrigins, check_templates, make_environment, render_template, template_sources

PAGE_TEMPLATE = "page.html"
NOT_FOUND_TEMPLATE = "404.html"
GENERATED_NAMES = {"404.html": "the page-not-found page", "robots.txt": "robots.txt", "sitemap.xml": "sitemap.xml"}


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    templates_dir: Path
    site_dir: Path
    project_root: Path | None = None
    strict: bool = False
    check_only: bool = False
    include_drafts: bool = False
    base_url: str | None = None
    repository_url: str | None = None
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def static_dir(self) -> Path:
        return self.templates_dir / "static"


@dataclass(frozen=True)
class PageReading:
    shown: str
    level: ReadingLevel
    hardest_line: int


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    page_count: int = 0
    seconds: float = 0.0
    base_url: str | None = None
    written: bool = False
    reading: tuple[PageReading, ...] = ()
    digests: dict[str, str] = field(default_factory=dict)  # output path -> sha256 of its bytes, for the preview

    def failed(self, strict: bool) -> bool:
        return fails(self.problems, strict)


@dataclass(frozen=True)
class Loaded:
    site: Site | None
    page_outputs: dict[str, str]  # every page file (even one with problems) -> its output path, for links
    static_files: tuple[OutputFile, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class RenderedPage:
    page: Page
    markdown: RenderedMarkdown
    citations: tuple[PageCitation, ...]
    term_citations: tuple[Markup, ...]  # the superscript of each glossary term's sources, on the glossary page
    reading: PageReading | None


@dataclass(frozen=True)
class Documents:
    documents: tuple[RenderedDocument, ...]
    files: tuple[OutputFile, ...]
    origins: TemplateOrigins
    problems: tuple[Problem, ...]


def build_site(options: BuildOptions, cache: object | None = None) -> BuildResult:
    """Build options.content_dir into options.site_dir, or report why not. site_dir changes only when the build succeeds."""
    started = time.perf_counter()
    guard = (
        []
        if options.check_only
        else site_dir_problems(options.site_dir, [options.content_dir, options.templates_dir], options.project_root)
    )
    loaded = load_site(options)
    rendered, markdown_problems = render_pages(loaded)
    documents = render_documents(loaded, rendered, options)
    check_problems = check_outputs(loaded, documents)
    problems = sorted_problems([*guard, *loaded.problems, *markdown_problems, *documents.problems, *check_problems])
    files = [*documents.files, *loaded.static_files]
    written, write_problems = write_outputs(files, options, problems)
    problems = sorted_problems([*problems, *write_problems])
    settings = loaded.site.settings if loaded.site else None
    return BuildResult(
        problems=problems,
        page_count=sum(1 for d in documents.documents if d.source_shown),
        seconds=time.perf_counter() - started,
        base_url=settings.base_url if settings else None,
        written=written,
        reading=tuple(r.reading for r in rendered if r.reading is not None),
        digests={f.path: hashlib.sha256(f.data).hexdigest() for f in files},
    )


# --- load and validate -----------------------------------------------------------------------------------------


def load_site(options: BuildOptions) -> Loaded:
    """Settings, pages, sources, glossary and static files, with every problem found in them."""
    problems: list[Problem] = []
    settings, found = load_settings(options.content_dir)
    problems += found
    if settings is not None:
        overrides = {k: v for k, v in (("base_url", options.base_url), ("repository_url", options.repository_url)) if v}
        settings = replace(settings, **overrides)
    content, found = find_content(options.content_dir, options.project_root)
    problems += found
    loaded_pages: list[Page] = []
    for file in content.pages:
        page, found = load_page(file)
        problems += found
        if page is not None:
            loaded_pages.append(page)
    page_outputs = {f.relative.as_posix(): output_path_for(f.relative) for f in content.pages}
    page_outputs.update({p.relative.as_posix(): p.output_path for p in loaded_pages})
    bibliography = Bibliography.of(loaded_pages)
    pages = [p for p in loaded_pages if not p.draft or (options.include_drafts and p.title)]
    pages.sort(key=lambda p: (p.section, p.nav_order, p.output_path))
    glossary = Glossary.of(pages)
    problems += check_site_structure(pages, options.content_dir, display_path(options.content_dir))
    problems += check_term_sources(glossary.page, set(bibliography.sources), bibliography.broken_ids)
    static_files, found = load_static_files(options, content.images)
    problems += found
    problems += reserved_name_problems(pages, static_files)
    if settings is None:
        return Loaded(None, page_outputs, tuple(static_files), tuple(problems))
    problems += settings_problems(settings, options)
    for page in pages:
        problems += check_review_dates(page, settings, options.today)
    site = Site(settings, tuple(pages), bibliography, glossary, build_sections(pages))
    return Loaded(site, page_outputs, tuple(static_files), tuple(problems))


def load_static_files(options: BuildOptions, images: tuple[FoundFile, ...]) -> tuple[list[OutputFile], list[Problem]]:
    """templates/static/ (the stylesheet, the favicon) and the content's images, copied as they are."""
    problems: list[Problem] = []
    found: list[tuple[FoundFile, str]] = []
    if options.static_dir.is_dir():
        static, walked = walk(options.static_dir, options.project_root or options.templates_dir)
        problems += walked
        found += [(f, f.relative.as_posix()) for f in static]
    found += [(f, f.relative.as_posix()) for f in images]
    files = []
    for file, path in found:
        data, read_problems = read_bytes(file.path, file.shown)
        problems += read_problems
        if data is not None:
            files.append(OutputFile(path, data, Origin(file.shown)))
    return files, problems


def reserved_name_problems(pages: list[Page], static_files: list[OutputFile]) -> list[Problem]:
    """No two pages may be written to one file, and no page to a file that the build or a static file writes."""
    taken: dict[str, str] = dict(GENERATED_NAMES)
    taken.update({f.path: f.origin.path for f in static_files})
    by_output: dict[str, list[Page]] = {}
    for page in pages:
        by_output.setdefault(page.output_path, []).append(page)
    problems = []
    for path, clashing in by_output.items():
        for page in clashing:
            line = page.lines.line_of("slug") if page.slug else 1
            if path in taken:
                problems.append(
                    error(page.shown, line, f"this page would be written to {path}, which {taken[path]} already uses; choose another name")
                )
            elif len(clashing) > 1:
                others = " and ".join(other.shown for other in clashing if other is not page)
                problems.append(
                    error(page.shown, line, f"this page and {others} would both be written to {path}; give one of them another 'slug'")
                )
    return problems


def settings_problems(settings: SiteSettings, options: BuildOptions) -> list[Problem]:
    """The publisher and a way to reach them must be known before a site is published."""
    if settings.contact_url or settings.repository_url or not settings.base_url:
        return []
    return [
        error(
            settings.shown,
            1,
            "a published site needs a way for readers to reach its publisher: set 'contact' (an email or web address) "
            "or 'repository_url', or pass --repository-url",
        )
    ]


# --- Markdown ---------------------------------------------------------------------------------------------------


def render_pages(loaded: Loaded) -> tuple[list[RenderedPage], list[Problem]]:
    """Each page's Markdown as HTML, with its citations, links, ids, prose and problems."""
    site = loaded.site
    if site is None:
        return [], []
    bibliography, glossary = site.bibliography, site.glossary
    refs = MarkdownRefs(frozenset(bibliography.sources) | bibliography.broken_ids, loaded.page_outputs, glossary.entries())
    converter = make_markdown(refs)
    rendered: list[RenderedPage] = []
    problems: list[Problem] = []
    for page in site.pages:
        markdown = converter.render(
            page.body, page.shown, page.body_first_line, page.relative.as_posix(), page.output_path, page is not glossary.page
        )
        problems += [p for p in markdown.problems if not _cites_broken_source(p, bibliography.broken_ids)]
        markdown = _without_broken_notes(markdown, bibliography.broken_ids)
        citations, term_citations = markdown.citations, ()
        if page is glossary.page:
            citations, term_citations, found = cite_terms(page, citations, bibliography)
            problems += found
        reading = grade(page, markdown)
        rendered.append(RenderedPage(page, markdown, citations, term_citations, reading))
    problems += urgent_help_sources(site)
    problems += uncited_sources(bibliography, rendered, site.settings.urgent_help.sources)
    problems += reading_warnings(rendered)
    return rendered, problems


def _without_broken_notes(markdown: RenderedMarkdown, broken: frozenset[str]) -> RenderedMarkdown:
    """A citation of a source entry with problems links to no note (the entry is reported once, in the sources page)."""
    notes = {f"#source-note-{n}" for n, cited in enumerate(markdown.citations, start=1) if cited.key in broken}
    return replace(markdown, links=tuple(link for link in markdown.links if link.url not in notes)) if notes else markdown


def _cites_broken_source(problem: Problem, broken: frozenset[str]) -> bool:
    prefix = "unknown source '@"
    return problem.message.startswith(prefix) and problem.message[len(prefix) :].split("'", 1)[0] in broken


def cite_terms(
    page: Page, cited: tuple[PageCitation, ...], bibliography: Bibliography
) -> tuple[tuple[PageCitation, ...], tuple[Markup, ...], list[Problem]]:
    """Number each glossary term's sources after the page's own citations; check each definition's numbers."""
    numbers = {c.key: i + 1 for i, c in enumerate(cited)}
    order = list(cited)
    marks: list[Markup] = []
    problems: list[Problem] = []
    for term in page.terms:
        keys = [k for k in term.sources if k in bibliography.sources]
        for key in keys:
            if key not in numbers:
                order.append(PageCitation(key))
                numbers[key] = len(order)
        marks.append(Markup(superscript_html([numbers[k] for k in keys])) if keys else Markup(""))
        if not keys and (match := uncited_number(term.definition)):
            problems.append(warning(page.shown, term.definition_line, number_warning(match.group(0))))
        if not term.sources:
            problems.append(
                error(page.shown, term.sources_line or page.lines.line_of("terms"), f"'{term.term}' must list at least one source")
            )
    return tuple(order), tuple(marks), problems


def grade(page: Page, markdown: RenderedMarkdown) -> PageReading | None:
    """The reading grade of the page's running prose (and, on the glossary page, its definitions)."""
    if page.reading_level_exempt:
        return None
    lines: dict[int, int] = {}
    blocks = []
    for text, line in [*markdown.prose, *((t.definition, t.definition_line) for t in page.terms)]:
        element = Element("p")
        lines[id(element)] = line
        blocks.append(ProseBlock(text, element))
    level = reading_level(blocks)
    if level is None:
        return None
    hardest_line = lines.get(id(level.hardest.block.element), page.body_first_line) if level.hardest else page.body_first_line
    return PageReading(page.shown, level, hardest_line)


def reading_warnings(rendered: list[RenderedPage]) -> list[Problem]:
    problems = []
    for item in rendered:
        reading = item.reading
        if reading is None or reading.level.grade <= MAXIMUM_GRADE:
            continue
        level = reading.level
        hardest = f' The hardest sentence is "{level.hardest.text}"' if level.hardest else ""
        problems.append(
            warning(
                reading.shown,
                reading.hardest_line,
                f"reading grade is above {MAXIMUM_GRADE:g} (Flesch-Kincaid {level.flesch_kincaid:g}, SMOG {level.smog:g}).{hardest}: "
                "use shorter sentences and everyday words",
            )
        )
    return problems


def urgent_help_sources(site: Site) -> list[Problem]:
    settings, known = site.settings, site.bibliography.sources
    line = settings.lines.line_of("urgent_help", "sources")
    return [
        error(settings.shown, line, f"unknown source '{key}' in 'urgent_help'{suggest(key, known)}")
        for key in settings.urgent_help.sources
        if key not in known and key not in site.bibliography.broken_ids
    ]


def uncited_sources(bibliography: Bibliography, rendered: list[RenderedPage], also_cited: tuple[str, ...]) -> list[Problem]:
    if bibliography.page is None:
        return []
    cited = {c.key for item in rendered for c in item.citations} | set(also_cited)
    return [
        warning(bibliography.page.shown, source.line, f"source '{source.id}' is not cited by any page")
        for source in bibliography.sources.values()
        if source.id not in cited
    ]


# --- templates --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceNote:
    """An entry of a page's "Sources for this page": its number, the source, where it is cited, and its full entry."""

    number: int
    source: Source
    locators: tuple[str, ...]
    href: str


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


def render_documents(loaded: Loaded, rendered: list[RenderedPage], options: BuildOptions) -> Documents:
    """Every page through page.html, the 404 page, robots.txt and the sitemap."""
    env = make_environment(options.templates_dir)
    sources, problems = template_sources(env, options.templates_dir)
    problems += check_templates(env, options.templates_dir, set(sources))
    origins = TemplateOrigins.of(sources, options.templates_dir)
    site = loaded.site
    if site is None or any(p.is_error for p in problems):
        return Documents((), (), origins, tuple(problems))
    template_shown = display_path(options.templates_dir / PAGE_TEMPLATE)
    documents: list[RenderedDocument] = []
    files: list[OutputFile] = []
    for item in rendered:
        context = page_context(site, item)
        html, found = render_template(env, PAGE_TEMPLATE, context, options.templates_dir, item.page.shown)
        problems += found
        if html is None:
            continue
        page = item.page
        needs_help = needs_urgent_help(site, item)
        documents.append(
            RenderedDocument(
                page.output_path, html, template_shown, item.markdown.html, page.shown, item.markdown.links, item.markdown.ids, needs_help
            )
        )
        files.append(OutputFile(page.output_path, html.encode("utf-8"), Origin(page.shown)))
    not_found, found = render_not_found(env, site, options.templates_dir)
    problems += found
    if not_found is not None:
        documents.append(not_found)
        files.append(OutputFile(not_found.path, not_found.html.encode("utf-8"), Origin(not_found.template_shown)))
    files += publishing_files(site)
    return Documents(tuple(documents), tuple(files), origins, tuple(problems))


def page_context(site: Site, item: RenderedPage) -> dict[str, object]:
    """Everything page.html may use."""
    page, settings = item.page, site.settings
    canonical_url = page_url(settings.base_url, page.output_path) if settings.base_url else None
    bibliography = site.bibliography
    sources_href = bibliography.page.output_path if bibliography.page else ""
    root = "../" * page.output_path.count("/")
    notes = tuple(
        SourceNote(number, bibliography.sources[c.key], c.locators, f"{root}{sources_href}#source-{c.key}")
        for number, c in enumerate(item.citations, start=1)
        if c.key in bibliography.sources
    )
    terms = tuple(
        TermView(t.term, t.abbreviation, t.anchor, t.definition, mark) for t, mark in zip(page.terms, item.term_citations, strict=False)
    )
    cited = [note.source for note in notes]
    return common_context(site, page, page.output_path, canonical_url) | {
        "content": Markup(item.markdown.html),
        "page_sources": notes,
        "glossary_terms": terms,
        "urgent_help": settings.urgent_help if needs_urgent_help(site, item) else None,
        "structured_data": json_ld(medical_web_page(page, settings, cited, canonical_url)),
    }


def needs_urgent_help(site: Site, item: RenderedPage) -> bool:
    """The page asks for the box, or its text (body and glossary terms) names a side effect."""
    terms = " ".join(f"{t.term} {t.abbreviation or ''} {t.definition}" for t in item.page.terms)
    return item.page.urgent_help or site.settings.urgent_help.applies_to(f"{item.markdown.text} {terms}")


def common_context(
    site: Site, page: Page | SpecialPage, output_path: str, canonical_url: str | None, root: str | None = None
) -> dict[str, object]:
    settings = site.settings
    return {
        "site": settings,
        "page": page,
        "nav": site.top_navigation(output_path),
        "breadcrumbs": site.breadcrumbs(output_path),
        "section_nav": site.section_navigation(output_path),
        "root": "../" * output_path.count("/") if root is None else root,
        "canonical_url": canonical_url,
        "feedback_url": feedback_url(settings, page.title, canonical_url or output_path),
        "contact_url": settings.contact_url,
    }


def feedback_url(settings: SiteSettings, title: str, address: str) -> str | None:
    """A new issue in the site's repository, with the page's title and address filled in."""
    if not settings.repository_url:
        return None
    body = (
        f"Page: {title}\nAddress: {address}\n\nWhat is wrong or unclear on this page?\n\n\n"
        "Please do not write anything about your own health or anyone else's: this report is public."
    )
    return f"{settings.repository_url}/issues/new?" + urlencode({"title": f"Problem with the page: {title}", "body": body}, quote_via=quote)


def render_not_found(env: object, site: Site, templates_dir: Path) -> tuple[RenderedDocument | None, list[Problem]]:
    """404.html is served for a missing path at any depth, so its links start from the site's root path."""
    settings = site.settings
    special = SpecialPage("Page not found", f"This page could not be found on {settings.title}.", "404.html")
    root = base_path(settings.base_url) if settings.base_url else ""
    context = common_context(site, special, "404.html", None, root=root) | {"urgent_help": None}
    html, problems = render_template(env, NOT_FOUND_TEMPLATE, context, templates_dir, "the page-not-found page")  # type: ignore[arg-type]
    if html is None:
        return None, problems
    shown = display_path(templates_dir / NOT_FOUND_TEMPLATE)
    return RenderedDocument("404.html", html, shown, root_path=root or None), problems


def publishing_files(site: Site) -> list[OutputFile]:
    """robots.txt always; sitemap.xml only when the base URL is known."""
    settings = site.settings
    origin = Origin(settings.shown)
    files = [OutputFile("robots.txt", robots_txt(settings.base_url).encode("utf-8"), origin)]
    if settings.base_url:
        entries = [SitemapEntry(page_url(settings.base_url, p.output_path), max(p.published, p.last_reviewed)) for p in site.pages]
        files.append(OutputFile("sitemap.xml", sitemap_xml(entries).encode("utf-8"), origin))
    return files


# --- check and write --------------------------------------------------------------------------------------------


def check_outputs(loaded: Loaded, documents: Documents) -> list[Problem]:
    if loaded.site is None or not documents.documents:
        return []
    others = [f.path for f in documents.files if not f.path.endswith(".html")] + [f.path for f in loaded.static_files]
    others += loaded.page_outputs.values()  # a page with problems is reported already; links to it are not reported again
    others.append("index.html")  # so is a missing home page (check_site_structure)
    settings = loaded.site.settings
    return check_documents(list(documents.documents), others, settings.caveat, settings.urgent_help, documents.origins)


def write_outputs(files: list[OutputFile], options: BuildOptions, problems: tuple[Problem, ...]) -> tuple[bool, list[Problem]]:
    """Write the site only when the build has no errors (nor, under --strict, warnings), and not for `check`."""
    if options.check_only or fails(problems, options.strict) or not files:
        return False, []
    write_problems = write_site(files, options.site_dir)
    return not any(p.is_error for p in write_problems), write_problems
