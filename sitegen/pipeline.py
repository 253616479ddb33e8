"""build_site(): load → validate → render Markdown and templates → check in memory → write atomically.

Each phase is a function that returns its result and its problems; nothing is shared and changed between
phases. The result of a build is made once, at the end. Pages are rendered one by one (rendering.py), on every
core for larger sites (parallel.py), and reused from the build cache when their inputs are unchanged (cache.py).
"""

from __future__ import annotations

import datetime
import hashlib
import time
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import jinja2

from .cache import BuildCache, CacheFolder, digest, generator_version, open_folder
from .check.documents import check_documents
from .check.review_report import ReviewDates, review_dates
from .check.translations import translation_problems
from .i18n import (
    DOMAIN,
    GENERATOR_DOMAIN,
    PACKAGE_LOCALE,
    UPDATE_COMMAND,
    Words,
    generator_messages,
    language_name,
    load_catalogue,
    missing_messages,
    template_messages,
)
from .load.files import MAX_PAGE_BYTES, FoundFile, find_content, read_bytes, walk
from .load.frontmatter import KeyPath, LineMap
from .load.images import ImageInfo, read_images
from .load.pages import Page, check_site_structure, check_term_sources, load_page, output_path_for
from .load.review_dates import check_review_dates
from .load.review_records import coverage_problems, future_reviews
from .load.schema import suggest
from .load.settings import SiteSettings, load_language_settings, load_settings
from .load.site import Bibliography, Glossary, Site, build_sections
from .load.svg_safety import judge_svg
from .load.translations import Translations, find_translations, with_languages
from .markup.binding import BlockResult, Claim, NumberCheck
from .markup.converter import MarkdownRefs, shared_markdown
from .model import Origin, OutputFile
from .problems import Problem, display_path, error, fails, sorted_problems, warning
from .render.facts import RenderedDocument, TemplateFacts, template_facts
from .render.parallel import default_jobs, render_pages
from .render.rendering import (
    PageInput,
    PageReading,
    RenderedPage,
    SiteInput,
    SourceList,
    TranslationFacts,
    document_of,
    page_key,
    publishing_files,
    render_not_found,
    render_section_index,
)
from .render.templating import Stylesheet, TemplateOrigins, check_templates, read_stylesheet, shared_environment, template_sources
from .urls import is_external, resolve, split_url
from .write.output import site_dir_problems, write_site

GENERATED_NAMES = {"404.html": "the page-not-found page", "robots.txt": "robots.txt", "sitemap.xml": "sitemap.xml"}
MAX_TOP_LEVEL_PAGES = 30


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
    jobs: int = 0  # worker processes for rendering; 0 means one per core
    cache_dir: Path | None = None  # where the build cache is kept between runs (see cache.open_folder); None: in memory only
    passages: bool = False  # keep each sentence with its citations, for the review packet
    earlier_site: Path | None = None  # an earlier build whose unchanged files are linked, not written; None: site_dir

    @property
    def static_dir(self) -> Path:
        return self.templates_dir / "static"

    @property
    def source_dirs(self) -> tuple[Path, Path]:
        """The folders whose files may be published: a symbolic link may lead only into one of them."""
        return self.content_dir, self.templates_dir


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    page_count: int = 0
    seconds: float = 0.0
    base_url: str | None = None
    written: bool = False
    reading: tuple[PageReading, ...] = ()
    digests: dict[str, str] = field(default_factory=dict)  # output path -> sha256 of its bytes, for the preview
    reviews: tuple[ReviewDates, ...] | None = None  # every published page's review dates; None when the site could not be read
    rendered_pages: int = 0  # pages rendered in this build (the others came from the cache)

    def failed(self, strict: bool) -> bool:
        return fails(self.problems, strict)


@dataclass(frozen=True)
class Loaded:
    site: Site | None
    page_outputs: dict[str, str]  # every page file (even one with problems) -> its output path, for links
    static_files: tuple[OutputFile, ...]
    problems: tuple[Problem, ...]
    images: dict[str, ImageInfo] = field(default_factory=dict)  # the content's pictures, by their path in the site
    page_keys: dict[Path, str] = field(default_factory=dict)  # each page file -> a hash of its bytes
    stand_ins: tuple[Page, ...] = ()  # pages with errors in their front matter: their Markdown is checked all the same
    sites: tuple[Site, ...] = ()  # the site in each of its languages, the first language's (site) first
    translations: Translations = field(default_factory=Translations)

    def site_of(self, page: Page) -> Site | None:
        """The site in the page's language."""
        return next((s for s in self.sites if s.settings.language == (page.language or s.settings.default_language)), self.site)


@dataclass(frozen=True)
class RenderedSite:
    pages: tuple[RenderedPage, ...]
    documents: tuple[tuple[RenderedDocument, TemplateFacts], ...]
    files: tuple[OutputFile, ...]
    origins: TemplateOrigins
    problems: tuple[Problem, ...]
    rendered_pages: int = 0


@dataclass(frozen=True)
class Analysis:
    """Every phase of a build but the writing. `build` and `check` write (or not) what it found; `review` and
    `review-packet` judge a page by it, so that a check added to the build blocks them too."""

    loaded: Loaded
    rendered: RenderedSite
    problems: tuple[Problem, ...]  # every problem found, sorted
    review_coverage: tuple[Problem, ...] = ()  # those of them that recording a clinical review resolves

    @property
    def site(self) -> Site | None:
        return self.loaded.site

    def site_of(self, page: Page) -> Site | None:
        return self.loaded.site_of(page)

    @property
    def pages(self) -> tuple[RenderedPage, ...]:
        return self.rendered.pages

    @property
    def files(self) -> list[OutputFile]:
        return [*self.rendered.files, *self.loaded.static_files]

    def find(self, path: Path) -> RenderedPage | None:
        """The rendered page whose file is path."""
        wanted = path.resolve()
        return next((item for item in self.pages if item.page.path.resolve() == wanted), None)

    def errors_in(self, path: Path) -> list[Problem]:
        shown = display_path(path)
        return [p for p in self.problems if p.path == shown and p.is_error]

    def blocking(self, item: RenderedPage, strict: bool) -> list[Problem]:
        """Problems that make a page's fingerprint meaningless: in its file, the site settings or the list of sources;
        not those that a clinical review resolves."""
        site = self.site
        files = {item.page.shown}
        if site is not None:
            files.add(site.settings.shown)
            if site.bibliography.page is not None:
                files.add(site.bibliography.page.shown)
        resolved = set(self.review_coverage)
        return [p for p in self.problems if p.path in files and fails([p], strict) and p not in resolved]


def analyse_site(options: BuildOptions, cache: BuildCache | None = None) -> Analysis:
    """load → validate → render Markdown and templates → check in memory: the one list of a build's phases."""
    cache = cache if cache is not None else build_cache(options)
    guard = (
        []
        if options.check_only
        else site_dir_problems(options.site_dir, [options.content_dir, options.templates_dir], options.project_root)
    )
    loaded = load_site(options, cache)
    rendered = render_site(loaded, options, cache)
    check_problems = check_outputs(loaded, rendered) + unshown_picture_problems(loaded, rendered)
    dated, coverage = check_reviews(loaded, list(rendered.pages), options)
    dated += translation_problems(loaded.translations)
    problems = sorted_problems([*guard, *loaded.problems, *rendered.problems, *check_problems, *dated, *coverage])
    return Analysis(loaded, rendered, problems, tuple(coverage))


def not_a_page(path: Path, content_dir: Path) -> Problem:
    return error(display_path(path), 1, f"this is not a page of the site: give the path of a .md file in {display_path(content_dir)}/")


def analyse_for_review(options: BuildOptions, passages: bool = False) -> Analysis:
    """The analysis that `review` and `review-packet` judge pages by: drafts included (a draft is what most needs a
    review before it is published), nothing written; with passages, each sentence is kept with its citations."""
    return analyse_site(replace(options, include_drafts=True, check_only=True, passages=passages))


def build_site(options: BuildOptions, cache: BuildCache | None = None) -> BuildResult:
    """Build options.content_dir into options.site_dir, or report why not. site_dir changes only when the build succeeds.

    A cache kept between builds (the preview keeps one; the command line keeps one on disk) skips rendering pages
    whose inputs are unchanged.
    """
    started = time.perf_counter()
    cache = cache if cache is not None else build_cache(options)
    analysis = analyse_site(options, cache)
    files = analysis.files
    written, write_problems = write_outputs(files, options, analysis.problems)
    problems = sorted_problems([*analysis.problems, *write_problems])
    cache.forget_unused()
    site, rendered = analysis.site, analysis.rendered
    return BuildResult(
        problems=problems,
        page_count=sum(1 for doc, _ in rendered.documents if doc.source_shown),
        seconds=time.perf_counter() - started,
        base_url=site.settings.base_url if site else None,
        written=written,
        reading=tuple(r.reading for r in rendered.pages if r.reading is not None),
        digests={f.path: hashlib.sha256(f.data).hexdigest() for f in files},
        reviews=tuple(d for s in analysis.loaded.sites for d in review_dates(s.pages, s.settings)) if site else None,
        rendered_pages=rendered.rendered_pages,
    )


def build_cache(options: BuildOptions) -> BuildCache:
    """The cache for options: on disk in options.cache_dir when that folder passes open_folder's checks, else in memory."""
    if options.cache_dir is None:
        return BuildCache()
    project = [p for p in (options.project_root, options.content_dir, options.templates_dir) if p is not None]
    folder = open_folder(options.cache_dir, project)
    return BuildCache(folder if isinstance(folder, CacheFolder) else None)


# --- load and validate -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedPage:
    """What load_page() gives for one file, as the cache keeps it."""

    page: Page | None
    problems: tuple[Problem, ...]


def load_page_cached(file: FoundFile, cache: BuildCache) -> tuple[Page | None, list[Problem], str]:
    """load_page(), from the cache while the file's bytes are unchanged; and the key of those bytes."""
    data, unreadable = read_bytes(file.path, file.shown, MAX_PAGE_BYTES)
    if data is None:
        page, problems = load_page(file)  # it reports why the file cannot be read
        return page, problems or unreadable, ""
    before = hashlib.sha256(data).hexdigest()
    key = digest("page", generator_version(), str(file.path), file.relative, file.shown, before)
    cached = cache.get(key, LoadedPage)
    if cached is not None:
        return cached.page, list(cached.problems), key
    page, problems = load_page(file)
    again, _ = read_bytes(file.path, file.shown, MAX_PAGE_BYTES)
    if again is not None and hashlib.sha256(again).hexdigest() == before:  # not saved again while it was read
        cache.put(key, LoadedPage(page, tuple(problems)), LoadedPage)
    return page, problems, key


def load_site(options: BuildOptions, cache: BuildCache | None = None) -> Loaded:
    """Settings, pages, sources, glossary and static files, with every problem found in them; the site in each language."""
    cache = cache if cache is not None else BuildCache()
    problems: list[Problem] = []
    settings, found = load_settings(options.content_dir)
    problems += found
    if settings is not None:
        base_url, repository_url = options.base_url or settings.base_url, options.repository_url or settings.repository_url
        settings = replace(settings, base_url=base_url, repository_url=repository_url)
    languages = settings.all_languages if settings is not None else ("en",)
    content, found = find_content(options.content_dir, options.source_dirs)
    problems += found
    loaded_pages: list[Page] = []
    page_keys: dict[Path, str] = {}
    for file in content.pages:
        page, found, key = load_page_cached(file, cache)
        problems += found
        if page is not None:
            loaded_pages.append(page)
            page_keys[page.path] = key
    loaded_pages = with_languages(loaded_pages, languages)
    page_outputs = {f.relative.as_posix(): output_path_for(f.relative) for f in content.pages}
    page_outputs.update({p.relative.as_posix(): p.output_path for p in loaded_pages})
    bibliography = Bibliography.of([p for p in loaded_pages if not p.language])
    pages = [p for p in loaded_pages if not p.stand_in and (not p.draft or options.include_drafts)]
    pages.sort(key=lambda p: (p.language, p.section, p.nav_order, p.output_path))
    translations, found = find_translations(pages, languages, options.content_dir)
    problems += found
    static_files, found = load_static_files(options)
    problems += found
    image_files, images, found = read_images(content.images)
    static_files += image_files
    problems += found
    problems += reserved_name_problems(pages, static_files, languages)
    stand_ins = tuple(p for p in loaded_pages if p.stand_in and p.body)
    sites: list[Site] = []
    for language in languages:
        in_language = [p for p in pages if (p.language or languages[0]) == language]
        found_site, found = language_site(language, in_language, bibliography, translations, settings, options)
        problems += found
        if found_site is not None:
            sites.append(found_site)
    site = sites[0] if sites and settings is not None else None
    loaded = Loaded(site, page_outputs, tuple(static_files), tuple(problems), images, page_keys, stand_ins, tuple(sites), translations)
    return loaded if site is not None else replace(loaded, sites=())


def language_site(
    language: str,
    pages: list[Page],
    bibliography: Bibliography,
    translations: Translations,
    settings: SiteSettings | None,
    options: BuildOptions,
) -> tuple[Site | None, list[Problem]]:
    """The site in one language: its settings, pages, glossary and sections; its sources are the site's, listed on the
    translation of the sources page where there is one."""
    default = settings is None or language == settings.default_language
    prefix = "" if default else f"{language}/"
    content_dir = options.content_dir if default else options.content_dir / language
    problems: list[Problem] = []
    glossary = Glossary.of(pages)
    problems += check_site_structure(pages, content_dir, display_path(content_dir), prefix)
    problems += check_term_sources(glossary.page, set(bibliography.sources), bibliography.broken_ids)
    if bibliography.page is not None and not default:
        listing = translations.alternates(bibliography.page.output_path).get(language)
        bibliography = replace(bibliography, page=next((p for p in pages if p.output_path == listing), bibliography.page))
    problems += top_level_problems(pages, content_dir)
    if settings is None:
        return None, problems
    if not default:
        settings, found = load_language_settings(options.content_dir, settings, language)
        problems += found
        if settings is None:
            return None, problems
    else:
        problems += settings_problems(settings, options)
    settings, found = resolve_full_box_page(settings, pages, translations)
    problems += found
    for page in pages:
        problems += check_review_dates(page, settings, options.today)
    return Site(settings, tuple(pages), bibliography, glossary, build_sections(pages, prefix), prefix), problems


def load_static_files(options: BuildOptions) -> tuple[list[OutputFile], list[Problem]]:
    """templates/static/ (the stylesheet, the favicon), copied as they are. All of templates/ is walked, so that a
    link or a name that may not be used is reported wherever it is (templating.py loads only what the walk finds)."""
    problems: list[Problem] = []
    found: list[tuple[FoundFile, str]] = []
    if options.templates_dir.is_dir():
        walked, problems = walk(options.templates_dir, options.source_dirs)
        found += [
            (f, PurePosixPath(*f.relative.parts[1:]).as_posix())
            for f in walked
            if f.relative.parts[:1] == ("static",) and len(f.relative.parts) > 1
        ]
    files = []
    for file, path in found:
        data, read_problems = read_bytes(file.path, file.shown)
        problems += read_problems
        if data is None:
            continue
        if file.relative.suffix.lower() == ".svg":  # the favicon, or a picture the templates show: it may only draw
            problems += [error(file.shown, finding.line, finding.message) for finding in judge_svg(data).findings]
        files.append(OutputFile(path, data, Origin(file.shown)))
    return files, problems


def reserved_name_problems(pages: list[Page], static_files: list[OutputFile], languages: tuple[str, ...] = ()) -> list[Problem]:
    """No two pages may be written to one file, and no page to a file that the build or a static file writes."""
    taken: dict[str, str] = dict(GENERATED_NAMES)
    taken.update({f"{language}/404.html": f"the page-not-found page in '{language}'" for language in languages[1:]})
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


def top_level_problems(pages: list[Page], content_dir: Path) -> list[Problem]:
    """Every page lists the top-level pages in its navigation: with many of them, each page grows with the site."""
    top = [p for p in pages if not p.section]
    if len(top) <= MAX_TOP_LEVEL_PAGES:
        return []
    return [
        warning(
            display_path(content_dir),
            1,
            f"{len(top)} pages are at the top level, and every page's navigation lists them all; put pages into sections "
            f"(sub-folders of {display_path(content_dir)}/) so that the top level has at most {MAX_TOP_LEVEL_PAGES}",
        )
    ]


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


def resolve_full_box_page(
    settings: SiteSettings, pages: list[Page], translations: Translations | None = None
) -> tuple[SiteSettings, list[Problem]]:
    """The page named by urgent_help's 'full_box_page' shows the whole box; the others link to it from a short form. In
    another language, its translation does; without one, every page of that language shows the whole box."""
    urgent = settings.urgent_help
    if not urgent.full_box_page:
        return settings, []
    named = urgent.full_box_page.removeprefix("./")
    if not settings.is_default_language:
        original = output_path_for(PurePosixPath(named))
        versions = translations.alternates(original) if translations else {}
        return replace(settings, urgent_help=replace(urgent, full_box_path=versions.get(settings.language))), []
    target = next((p for p in pages if p.relative.as_posix() == named), None)
    if target is None:
        line = settings.lines.line_of("urgent_help", "full_box_page")
        hint = suggest(named, [p.relative.as_posix() for p in pages])
        message = f"'full_box_page' in 'urgent_help' names '{urgent.full_box_page}', which is not a page of the site{hint}"
        return settings, [error(settings.shown, line, message + "; name the file in content/ that shows the whole box")]
    return replace(settings, urgent_help=replace(urgent, full_box_path=target.output_path)), []


# --- Markdown and templates -------------------------------------------------------------------------------------


def render_site(loaded: Loaded, options: BuildOptions, cache: BuildCache) -> RenderedSite:
    """Every page through Markdown and page.html (from the cache where its inputs are unchanged), then the section
    indexes, the page-not-found page, robots.txt and the sitemap; in each language, the first first (a translation
    shows the urgent-help box whenever its original does)."""
    sources, problems = template_sources(options.templates_dir)
    sources_digest = digest(sorted(sources.items()))
    problems += check_templates(shared_environment(options.templates_dir, sources_digest), options.templates_dir, set(sources))
    stylesheet, found = read_stylesheet(options.templates_dir)
    problems += found
    origins = TemplateOrigins.of(sources, options.templates_dir)
    site = loaded.site
    if site is None:
        return RenderedSite((), (), (), origins, tuple(problems))
    templates_ok = not any(p.is_error for p in problems)
    homes = tuple(
        (s.settings.language, s.prefix + "index.html")
        for s in loaded.sites
        if any(p.output_path == s.prefix + "index.html" for p in s.pages)
    )
    rendered: list[RenderedPage] = []
    documents: list[tuple[RenderedDocument, TemplateFacts]] = []
    files: list[OutputFile] = []
    rendered_count = 0
    needs_box: set[str] = set()
    figures_used: list[frozenset[tuple[str, str]]] = []
    for language_site in loaded.sites:
        words, found = site_words(language_site.settings, options.templates_dir, sources)
        problems += found
        language_ok = templates_ok and not any(p.is_error for p in found)
        env = shared_environment(options.templates_dir, sources_digest, words)
        from_original = frozenset(path for path, t in loaded.translations.by_translation.items() if t.original.output_path in needs_box)
        part = render_language(
            loaded, language_site, options, cache, env, stylesheet, language_ok, words, homes, from_original, sources_digest
        )
        needs_box |= {item.page.output_path for item in part.pages if item.needs_urgent_help}
        rendered += part.pages
        documents += part.documents
        files += part.files
        problems += part.problems
        rendered_count += part.rendered_pages
        figures_used += [item.markdown.figures_used for item in part.pages] + [part.box_figures]
    bibliography = site.bibliography
    refs = MarkdownRefs(
        frozenset(bibliography.sources) | bibliography.broken_ids,
        loaded.page_outputs,
        site.glossary.entries(),
        loaded.images,
        figures=tuple(figure for source in bibliography.sources.values() for figure in source.figures),
        language=site.settings.language,
        sources_shown=figures_file(loaded, options),
        unreadable_sources=bibliography.broken_ids,
    )
    problems += stand_in_problems(loaded.stand_ins, refs)
    problems += urgent_help_sources(site)
    problems += uncited_sources(bibliography, rendered, site.settings.urgent_help.sources)
    problems += unused_figures(bibliography, figures_used)
    problems += reading_warnings(rendered)
    if templates_ok:
        files += publishing_files(list(loaded.sites), loaded.translations)
    return RenderedSite(tuple(rendered), tuple(documents), tuple(files), origins, tuple(problems), rendered_count)


def site_words(settings: SiteSettings, templates_dir: Path, sources: dict[str, str]) -> tuple[Words, list[Problem]]:
    """The site's own words in the settings' language, and every message that language's catalogues lack."""
    if settings.is_default_language:
        return Words(settings.language), []
    language = settings.language
    templates, problems = load_catalogue(templates_dir / "locale", language, DOMAIN)
    generator, found = load_catalogue(PACKAGE_LOCALE, language, GENERATOR_DOMAIN)
    problems += found
    name = language_name(language, "en")
    for catalogue, what in ((templates, "the templates' words"), (generator, "the generator's own words")):
        if not catalogue.exists and not found:
            line = settings.lines.line_of("languages") if settings.lines else 1
            problems.append(
                error(
                    catalogue.shown,
                    1,
                    f"there is no catalogue of {what} in {name} ('{language}' is in 'languages', line {line} of content/_site.yml): "
                    f"run `{UPDATE_COMMAND}`, then write each msgstr in {name}",
                )
            )
    if templates.exists:
        problems += missing_messages(template_messages(templates_dir, sources), templates, f"`{UPDATE_COMMAND}`")
    if generator.exists:
        problems += missing_messages(generator_messages(), generator, f"`{UPDATE_COMMAND}`")
    return Words(language, (templates, generator), default=False), problems


@dataclass(frozen=True)
class LanguagePart:
    pages: list[RenderedPage]
    documents: list[tuple[RenderedDocument, TemplateFacts]]
    files: list[OutputFile]
    problems: list[Problem]
    rendered_pages: int
    box_figures: frozenset[tuple[str, str]] = frozenset()  # the recorded figures the language's urgent-help box gives


def render_language(
    loaded: Loaded,
    site: Site,
    options: BuildOptions,
    cache: BuildCache,
    env: jinja2.Environment,
    stylesheet: Stylesheet | None,
    templates_ok: bool,
    words: Words,
    homes: tuple[tuple[str, str], ...],
    from_original: frozenset[str],
    templates: str,
) -> LanguagePart:
    """The pages of one language, its generated section indexes and its page-not-found page."""
    bibliography, glossary = site.bibliography, site.glossary
    refs = MarkdownRefs(
        frozenset(bibliography.sources) | bibliography.broken_ids,
        loaded.page_outputs,
        glossary.entries(),
        loaded.images,
        options.passages,
        tuple(figure for source in bibliography.sources.values() for figure in source.figures),
        site.settings.language,
        figures_file(loaded, options),
        bibliography.broken_ids,
        None if words.default else words.catalogues[-1],
    )
    site_input = SiteInput(
        replace(site.settings, lines=LineMap()),
        site.navigation,
        SourceList.of(bibliography),
        glossary.page.output_path if glossary.page else None,
        refs,
        options.templates_dir,
        templates,
        templates_ok,
        stylesheet,
        words,
        loaded.translations.versions,
        homes,
        from_original,
    )
    by_translation = loaded.translations.by_translation
    inputs = [PageInput(page, TranslationFacts.of(by_translation.get(page.output_path))) for page in site.pages]
    rendered, rendered_count = rendered_pages(site_input, env, inputs, options, cache)
    problems = [p for item in rendered for p in (*item.markdown_problems, *item.template_problems)]
    box = urgent_help_numbers(site.settings, shared_markdown(refs).numbers)
    problems += box.problems
    documents: list[tuple[RenderedDocument, TemplateFacts]] = []
    files: list[OutputFile] = []
    template_shown = display_path(options.templates_dir / "page.html")
    for item in rendered:
        if item.html is None or not templates_ok:
            continue
        page = item.page
        document = document_of(site_input, page, item.markdown, item.html, template_shown, item.needs_urgent_help)
        # a page from the disk cache brings its HTML, never its facts: they are worked out again from that HTML
        documents.append((document, item.facts or template_facts(document)))
        files.append(OutputFile(page.output_path, item.html.encode("utf-8"), Origin(page.shown)))
    if templates_ok:
        written = generated_indexes(site)
        generated = [render_section_index(env, site_input, s) for s in site_input.navigation.sections if s.index_path in written]
        generated.append(render_not_found(env, site_input))
        for extra, found in generated:
            problems += found
            if extra is not None:
                documents.append((extra, template_facts(extra)))
                files.append(OutputFile(extra.path, extra.html.encode("utf-8"), Origin(extra.template_shown)))
    return LanguagePart(rendered, documents, files, problems, rendered_count, frozenset(box.used))


def figures_file(loaded: Loaded, options: BuildOptions) -> str:
    """Where figures are recorded, for messages: the first language's list of sources (a translation of it shows the
    same list, and records nothing)."""
    listing = loaded.site.bibliography.page if loaded.site else None
    return listing.shown if listing else display_path(options.content_dir / "sources.md")


def generated_indexes(site: Site) -> set[str]:
    """The output paths of the sections whose index the build writes (the editor wrote none)."""
    return {section.index_path for section in site.sections if section.index_page is None}


def stand_in_problems(stand_ins: tuple[Page, ...], refs: MarkdownRefs) -> list[Problem]:
    """The Markdown problems of pages whose front matter has errors, reported with those errors, all at once."""
    converter = shared_markdown(refs)
    problems: list[Problem] = []
    for page in stand_ins:
        problems += converter.render(page.body, page.shown, page.body_first_line, page.relative.as_posix(), page.output_path).problems
    return problems


def rendered_pages(
    site: SiteInput, env: jinja2.Environment, pages: list[PageInput], options: BuildOptions, cache: BuildCache
) -> tuple[list[RenderedPage], int]:
    """Each page rendered, from the cache when its key is known (page_key: everything it is made from), otherwise
    rendered (in parallel when it pays); and how many pages were rendered. A page from the disk cache comes without its
    template facts (see render_language)."""
    keys = [page_key(site, page) for page in pages]
    cached = [cache.get(key, RenderedPage) for key in keys]
    missing = [i for i, result in enumerate(cached) if result is None]
    fresh = dict(zip(missing, render_pages(site, env, [pages[i] for i in missing], options.jobs or default_jobs()), strict=True))
    for index, result in fresh.items():
        cache.put(keys[index], result, RenderedPage)
    results = [fresh[i] if i in fresh else cached[i] for i in range(len(keys))]
    return [result for result in results if result is not None], len(missing)


def reading_warnings(rendered: list[RenderedPage]) -> list[Problem]:
    problems = []
    for item in rendered:
        reading = item.reading
        if reading is None or not reading.level.too_hard:
            continue
        level = reading.level
        hardest = f' The hardest sentence is "{reading.hardest}"' if reading.hardest else ""
        problems.append(
            warning(
                reading.shown,
                reading.hardest_line,
                f"reading grade is {level.target} ({level.described}).{hardest}: use shorter sentences and everyday words",
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


def urgent_help_numbers(settings: SiteSettings, check: NumberCheck) -> BlockResult:
    """The urgent-help box cites its 'sources': every number in its texts must be a figure one of them records."""
    help_box, lines = settings.urgent_help, settings.lines
    texts: list[tuple[str, KeyPath]] = [
        (getattr(help_box, key), ("urgent_help", key)) for key in ("heading", "action", "emergency", "tell_others", "compact_action")
    ]
    texts += [(sign, ("urgent_help", "signs", index)) for index, sign in enumerate(help_box.signs)]
    claims = [Claim(" ".join(text.split()), lines.line_of(*at), help_box.sources) for text, at in texts if text]
    return check.check_block(claims, "box", settings.shown)


def uncited_sources(bibliography: Bibliography, rendered: list[RenderedPage], also_cited: tuple[str, ...]) -> list[Problem]:
    if bibliography.page is None:
        return []
    cited = {c.key for item in rendered for c in item.citations} | set(also_cited)
    return [
        warning(bibliography.page.shown, source.line, f"source '{source.id}' is not cited by any page")
        for source in bibliography.sources.values()
        if source.id not in cited
    ]


def unused_figures(bibliography: Bibliography, used: list[frozenset[tuple[str, str]]]) -> list[Problem]:
    """A recorded figure that no page gives: the sources page would show it as used."""
    if bibliography.page is None:
        return []
    given = frozenset().union(*used)
    return [
        warning(
            bibliography.page.shown,
            figure.line,
            f"the figure {figure.name!r} of {source.id} is used on no page, but the sources page lists it as used; "
            "remove it, or give it on a page",
        )
        for source in bibliography.sources.values()
        for figure in source.figures
        if figure.key not in given
    ]


def check_reviews(loaded: Loaded, rendered: list[RenderedPage], options: BuildOptions) -> tuple[list[Problem], list[Problem]]:
    """Review records dated in the future; and pages that no current review covers (see review_records.py)."""
    site = loaded.site
    if site is None:
        return [], []
    dated = [p for item in rendered for p in future_reviews(item.page, options.today)]
    coverage = [p for item in rendered for p in coverage_problems(item.page, item.review, site.settings)]
    return dated, coverage


# --- check and write --------------------------------------------------------------------------------------------


def check_outputs(loaded: Loaded, rendered: RenderedSite) -> list[Problem]:
    if loaded.site is None or not rendered.documents:
        return []
    others = [f.path for f in rendered.files if not f.path.endswith(".html")] + [f.path for f in loaded.static_files]
    others += loaded.page_outputs.values()  # a page with problems is reported already; links to it are not reported again
    others.append("index.html")  # so is a missing home page (check_site_structure)
    return check_documents(list(rendered.documents), others, rendered.origins)


def unshown_picture_problems(loaded: Loaded, rendered: RenderedSite) -> list[Problem]:
    """An SVG that may not be published is reported at each page line that shows it (extensions/images.py); one that
    no page shows would still be copied to the site, so it is reported at the file itself."""
    refused = {path: info for path, info in loaded.images.items() if info.refused}
    if not refused:
        return []
    shown: set[str] = set()
    for item in rendered.pages:
        for link in item.markdown.links:
            parts = split_url(link.url) if link.tag == "img" else None
            if parts is not None and not is_external(parts) and parts.path:
                shown.add(resolve(item.page.output_path, unquote(parts.path)) or "")
    return [error(info.shown, f.line, f.message) for path, info in refused.items() if path not in shown for f in info.refused]


def write_outputs(files: list[OutputFile], options: BuildOptions, problems: tuple[Problem, ...]) -> tuple[bool, list[Problem]]:
    """Write the site only when the build has no errors (nor, under --strict, warnings), and not for `check`."""
    if options.check_only or fails(problems, options.strict) or not files:
        return False, []
    write_problems = write_site(files, options.site_dir, options.earlier_site)
    return not any(p.is_error for p in write_problems), write_problems
