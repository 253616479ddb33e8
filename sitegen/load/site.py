"""The site as a whole, once every page is loaded: settings, pages, sources, glossary, sections and navigation."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..model import GlossaryEntry
from .pages import Page, Source, Term
from .settings import SiteSettings

GENERATED_SECTION_ORDER = 10**9
SECTION_NAV_MAX_PAGES = 15  # a longer section shows the pages around the current one, and a link to its index
SECTION_NAV_AROUND = 3


@dataclass(frozen=True)
class NavItem:
    title: str
    href: str  # from the site root; templates put the page's root prefix in front
    current: bool = False


@dataclass(frozen=True)
class SectionNavigation:
    """The pages of the current page's section, or of a long section only those around it, with a link to them all."""

    items: tuple[NavItem, ...] = ()
    index: NavItem | None = None  # set when items are a part of the section: its index lists every page
    page_count: int = 0

    def __iter__(self) -> Iterator[NavItem]:  # templates written when this was a list of items keep working
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Bibliography:
    """The site's list of sources, kept in the front matter of one page (sources.md)."""

    page: Page | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    broken_ids: frozenset[str] = frozenset()  # entries with problems: citing them is not reported a second time

    @classmethod
    def of(cls, pages: list[Page]) -> Bibliography:
        listing = next((p for p in pages if p.sources or p.invalid_source_ids), None)
        if listing is None:
            return cls()
        return cls(listing, {s.id: s for s in listing.sources}, listing.invalid_source_ids)


@dataclass(frozen=True)
class Glossary:
    """The site's terms, kept in the front matter of one page (glossary.md), which shows them."""

    page: Page | None = None
    terms: tuple[Term, ...] = ()

    @classmethod
    def of(cls, pages: list[Page]) -> Glossary:
        listing = next((p for p in pages if p.terms), None)
        return cls(listing, listing.terms) if listing else cls()

    def entries(self) -> tuple[GlossaryEntry, ...]:
        if self.page is None:
            return ()
        return tuple(GlossaryEntry(t.term, f"{self.page.output_path}#{t.anchor}", t.abbreviation) for t in self.terms)


@dataclass(frozen=True)
class Section:
    """A sub-folder of content/: its pages, and its index page (written by the editor, or a generated list)."""

    folder: tuple[str, ...]
    title: str
    nav_order: int
    index_path: str
    pages: tuple[Page, ...]
    index_page: Page | None = None


@dataclass(frozen=True)
class NavPage:
    """What the navigation shows of a page: only this, so that a page's navigation does not change with another page's
    text (a page's cache key holds the whole Navigation)."""

    nav_title: str
    output_path: str
    nav_order: int
    top_level: bool  # in no section
    draft: bool


@dataclass(frozen=True)
class NavSection:
    folder: tuple[str, ...]
    title: str
    nav_order: int
    index_path: str
    pages: tuple[NavPage, ...]  # as its navigation lists them: its index page left out


@dataclass(frozen=True)
class Navigation:
    """The top navigation, breadcrumbs and section lists of one language's site, made from its pages' navigation facts."""

    pages: tuple[NavPage, ...] = ()
    sections: tuple[NavSection, ...] = ()
    prefix: str = ""  # where this language's pages are written: '' for the first language, 'es/' for Spanish

    @classmethod
    def of(cls, pages: tuple[Page, ...], sections: tuple[Section, ...], prefix: str = "") -> Navigation:
        def nav(page: Page) -> NavPage:
            return NavPage(page.nav_title, page.output_path, page.nav_order, not page.section, page.draft)

        listed = tuple(
            NavSection(s.folder, s.title, s.nav_order, s.index_path, tuple(nav(p) for p in s.pages if not p.is_section_index))
            for s in sections
        )
        return cls(tuple(nav(p) for p in pages), listed, prefix)

    def folder_of(self, output_path: str) -> tuple[str, ...]:
        """The sections a page is in, from its language's root."""
        return PurePosixPath(output_path.removeprefix(self.prefix)).parent.parts

    @functools.cached_property
    def _top_entries(self) -> tuple[tuple[NavItem, str], ...]:
        """Top-level pages (drafts left out) and sections in nav_order, each with the folder it stands for ('' for a page)."""
        entries: list[tuple[int, str, NavItem, str]] = []
        for page in self.pages:
            if page.top_level and not page.draft:
                entries.append((page.nav_order, page.output_path, NavItem(page.nav_title, page.output_path), ""))
        for section in self.sections:
            if len(section.folder) == 1:
                folder = self.prefix + section.folder[0] + "/"
                entries.append((section.nav_order, section.index_path, NavItem(section.title, section.index_path), folder))
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        return tuple((item, folder) for _, _, item, folder in entries)

    def top_navigation(self, current_output: str) -> list[NavItem]:
        """Top-level pages and sections, in nav_order; a section is current for every page inside it."""
        return [
            NavItem(item.title, item.href, current_output.startswith(folder) if folder else item.href == current_output)
            for item, folder in self._top_entries
        ]

    @functools.cached_property
    def _sections_by_folder(self) -> dict[tuple[str, ...], NavSection]:
        return {section.folder: section for section in self.sections}

    @functools.cached_property
    def _places(self) -> dict[tuple[str, ...], dict[str, int]]:
        """Each page's place in its section's list; made once."""
        return {section.folder: {p.output_path: i for i, p in enumerate(section.pages)} for section in self.sections}

    def section_of(self, output_path: str) -> NavSection | None:
        return self._sections_by_folder.get(self.folder_of(output_path))

    def breadcrumbs(self, output_path: str, home: str = "Home") -> list[NavItem]:
        """Home, then each section the page is in (empty for top-level pages)."""
        folder = self.folder_of(output_path)
        if not folder:
            return []
        crumbs = [NavItem(home, self.prefix + "index.html")]
        for depth in range(1, len(folder) + 1):
            section = self._sections_by_folder.get(folder[:depth])
            if section is not None and section.index_path != output_path:  # the page itself is the last crumb, not a link
                crumbs.append(NavItem(section.title, section.index_path))
        return crumbs

    def section_navigation(self, output_path: str) -> SectionNavigation:
        """Every page of a short section; in a long one, the pages around this one, so that a page stays small and a
        reader meets the content before a long list (the section's index lists every page)."""
        section = self.section_of(output_path)
        if section is None:
            return SectionNavigation()
        pages = section.pages
        here = self._places[section.folder].get(output_path)
        shown, index = pages, None
        if here is not None and len(pages) > SECTION_NAV_MAX_PAGES:
            width = 2 * SECTION_NAV_AROUND + 1
            start = max(0, min(here - SECTION_NAV_AROUND, len(pages) - width))
            shown, index = pages[start : start + width], NavItem(section.title, section.index_path)
        items = tuple(NavItem(p.nav_title, p.output_path, p.output_path == output_path) for p in shown)
        return SectionNavigation(items, index, len(pages))


@dataclass(frozen=True)
class Site:
    settings: SiteSettings
    pages: tuple[Page, ...]  # the pages to write, in navigation order
    bibliography: Bibliography
    glossary: Glossary
    sections: tuple[Section, ...] = ()
    prefix: str = ""  # where this language's pages are written: '' for the first language, 'es/' for Spanish

    @functools.cached_property
    def navigation(self) -> Navigation:
        return Navigation.of(self.pages, self.sections, self.prefix)


def build_sections(pages: list[Page], prefix: str = "") -> tuple[Section, ...]:
    """One section per folder that holds pages that are not drafts, with its index page if the editor wrote one."""
    folders: dict[tuple[str, ...], list[Page]] = {}
    for page in pages:
        if page.draft:  # a draft (shown in the preview) is in no navigation and no section's list
            continue
        for depth in range(1, len(page.section) + 1):
            folders.setdefault(page.section[:depth], [])
        if page.section:
            folders[page.section].append(page)
    sections = []
    for folder, members in sorted(folders.items()):
        index = next((p for p in members if p.is_section_index), None)
        ordered = tuple(sorted(members, key=lambda p: (p.nav_order, p.output_path)))
        title = index.nav_title if index else folder[-1].replace("-", " ").replace("_", " ").capitalize()
        order = index.nav_order if index else GENERATED_SECTION_ORDER  # after the pages that set an order
        sections.append(Section(folder, title, order, prefix + "/".join(folder) + "/index.html", ordered, index))
    return tuple(sections)
