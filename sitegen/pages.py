"""Content pages: validated front matter, the Markdown body, and where the page is written."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .frontmatter import LineMap, split_front_matter
from .problems import Problem, display_path, error
from .schema import DATE, LIST, TEXT, TEXT_OR_NUMBER, TRUE_OR_FALSE, WHOLE_NUMBER, Field, check_fields, suggest

PAGE_FIELDS = {
    "title": Field(TEXT, required=True),
    "description": Field(TEXT, required=True),
    "nav_title": Field(TEXT, required=True),
    "nav_order": Field(WHOLE_NUMBER, required=True),
    "published": Field(DATE, required=True),
    "last_reviewed": Field(DATE, required=True),
    "next_review": Field(DATE, required=True),
    "reviewed_by": Field(LIST, required=True),
    "slug": Field(TEXT),
    "draft": Field(TRUE_OR_FALSE),
    "reading_level_exempt": Field(TRUE_OR_FALSE),
    "sources": Field(LIST),
    "terms": Field(LIST),
}

TERM_FIELDS = {
    "term": Field(TEXT, required=True),
    "abbreviation": Field(TEXT),
    "definition": Field(TEXT, required=True),
    "sources": Field(LIST, required=True),
}

SOURCE_FIELDS = {
    "id": Field(TEXT, required=True),
    "title": Field(TEXT, required=True),
    "authors": Field(TEXT),
    "container": Field(TEXT),
    "year": Field(WHOLE_NUMBER),
    "date": Field(TEXT),
    "volume": Field(TEXT_OR_NUMBER),
    "issue": Field(TEXT_OR_NUMBER),
    "pages": Field(TEXT_OR_NUMBER),
    "article_number": Field(TEXT),
    "doi": Field(TEXT),
    "pmid": Field(TEXT),
    "pmcid": Field(TEXT),
    "url": Field(TEXT),
}

REVIEWER_FIELDS = {
    "name": Field(TEXT, required=True),
    "credentials": Field(TEXT, required=True),
}

T = TypeVar("T")

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SOURCE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:.-]*$")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    line: int
    authors: str | None = None
    container: str | None = None
    year: int | None = None
    date: str | None = None
    volume: str | int | None = None
    issue: str | int | None = None
    pages: str | int | None = None
    article_number: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Term:
    """A glossary entry: the plain definition and the sources behind it."""

    term: str
    definition: str
    sources: tuple[str, ...]
    line: int
    abbreviation: str | None = None

    @property
    def anchor(self) -> str:
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")

    def as_markdown(self, known_sources: set[str]) -> str:
        """The entry as it appears on the glossary page: a heading with the term, then the cited definition."""
        heading = f"{self.term} ({self.abbreviation})" if self.abbreviation else self.term
        keys = "; ".join(f"@{key}" for key in self.sources if key in known_sources)
        citation = f" [{keys}]" if keys else ""
        return f"## {heading} {{#{self.anchor}}}\n\n{self.definition}{citation}\n"


@dataclass(frozen=True)
class Reviewer:
    name: str
    credentials: str


@dataclass(frozen=True)
class SourcePage:
    """A content file whose front matter has been checked."""

    path: Path
    shown: str
    title: str
    description: str
    nav_title: str
    nav_order: int
    published: datetime.date
    last_reviewed: datetime.date
    next_review: datetime.date
    body: str
    body_first_line: int
    lines: LineMap
    reviewed_by: tuple[Reviewer, ...] = ()
    slug: str | None = None
    draft: bool = False
    reading_level_exempt: bool = False
    sources: tuple[Source, ...] = field(default=())
    terms: tuple[Term, ...] = field(default=())

    @property
    def output_name(self) -> str:
        return f"{self.slug or self.path.stem}.html"


def is_page_file(path: Path) -> bool:
    """Markdown files are pages, except those whose name starts with '_' (data and partials)."""
    return path.suffix == ".md" and not path.name.startswith("_") and path.is_file()


PageLoader = Callable[[Path], "tuple[SourcePage | None, list[Problem]]"]


def load_pages(content_dir: Path, load: PageLoader | None = None) -> tuple[list[SourcePage], list[Problem]]:
    """Load and validate every page in content_dir with load (default load_page), collecting all problems."""
    pages: list[SourcePage] = []
    problems: list[Problem] = []
    for path in sorted(content_dir.iterdir()):
        if is_page_file(path):
            page, found = (load or load_page)(path)
            problems += found
            if page is not None:
                pages.append(page)
    return pages, problems


def load_page(path: Path) -> tuple[SourcePage | None, list[Problem]]:
    parsed, problems = split_front_matter(path)
    if parsed is None:
        return None, problems
    shown = display_path(path)
    data, lines = parsed.data, parsed.lines
    problems += check_fields(data, PAGE_FIELDS, shown, lines)
    slug = data.get("slug")
    if isinstance(slug, str) and not SLUG.match(slug):
        problems.append(error(shown, lines.line_of("slug"), f"'slug' may hold only lowercase letters, digits and '-', not {slug!r}"))
    sources, found = _load_sources(data, shown, lines)
    problems += found
    reviewers, found = _load_reviewers(data, shown, lines)
    problems += found
    terms, found = _load_terms(data, shown, lines)
    problems += found
    if problems:
        return None, problems
    fields: dict[str, Any] = {k: v for k, v in data.items() if k not in ("sources", "reviewed_by", "terms")}
    return (
        SourcePage(
            path=path,
            shown=shown,
            body=parsed.body,
            body_first_line=parsed.body_first_line,
            lines=lines,
            sources=tuple(sources),
            reviewed_by=tuple(reviewers),
            terms=tuple(terms),
            **fields,
        ),
        [],
    )


def _load_list(
    data: dict[str, Any],
    key: str,
    fields: dict[str, Field],
    shown: str,
    lines: LineMap,
    make: Callable[[dict[str, Any], int], T],
    extra_check: Callable[[dict[str, Any], int], list[Problem]] | None = None,
) -> tuple[list[T], list[Problem]]:
    """Check each mapping in the list under key against fields, and make an object of each valid one."""
    entries = data.get(key)
    if not isinstance(entries, list):
        return [], []
    required = " and ".join(f"'{name}'" for name, spec in fields.items() if spec.required)
    items: list[T] = []
    problems: list[Problem] = []
    for index, entry in enumerate(entries):
        line = lines.line_of(key, index)
        if not isinstance(entry, dict):
            problems.append(error(shown, line, f"item {index + 1} of '{key}' must be a mapping with {required}"))
            continue
        found = check_fields(entry, fields, shown, lines, prefix=(key, index))
        if extra_check is not None:
            found += extra_check(entry, index)
        problems += found
        if not found:
            items.append(make(entry, line))
    return items, problems


def _load_sources(data: dict[str, Any], shown: str, lines: LineMap) -> tuple[list[Source], list[Problem]]:
    first_line_of: dict[str, int] = {}

    def check_id(entry: dict[str, Any], index: int) -> list[Problem]:
        source_id = entry.get("id")
        if not isinstance(source_id, str):
            return []
        line = lines.line_of("sources", index, "id")
        if not SOURCE_ID.match(source_id):
            return [error(shown, line, f"source id {source_id!r} may hold only letters, digits and _ : . -")]
        if source_id in first_line_of:
            return [error(shown, line, f"source id '{source_id}' is used twice (also on line {first_line_of[source_id]})")]
        first_line_of[source_id] = line
        return []

    return _load_list(data, "sources", SOURCE_FIELDS, shown, lines, lambda entry, line: Source(line=line, **entry), check_id)


def _load_terms(data: dict[str, Any], shown: str, lines: LineMap) -> tuple[list[Term], list[Problem]]:
    def check_ids(entry: dict[str, Any], index: int) -> list[Problem]:
        sources = entry.get("sources")
        if isinstance(sources, list) and not all(isinstance(s, str) for s in sources):
            return [error(shown, lines.line_of("terms", index, "sources"), "'sources' must list source ids")]
        return []

    def make(entry: dict[str, Any], line: int) -> Term:
        return Term(line=line, **{**entry, "sources": tuple(entry["sources"])})

    return _load_list(data, "terms", TERM_FIELDS, shown, lines, make, check_ids)


def _load_reviewers(data: dict[str, Any], shown: str, lines: LineMap) -> tuple[list[Reviewer], list[Problem]]:
    return _load_list(data, "reviewed_by", REVIEWER_FIELDS, shown, lines, lambda entry, line: Reviewer(**entry))


def check_site_structure(pages: list[SourcePage], content_dir: Path) -> list[Problem]:
    """Problems that involve more than one page: clashing output paths, the single sources page."""
    problems: list[Problem] = []
    by_output: dict[str, list[SourcePage]] = {}
    for page in pages:
        by_output.setdefault(page.output_name, []).append(page)
    for output_name, clashing in by_output.items():
        for page in clashing if len(clashing) > 1 else ():
            others = " and ".join(other.shown for other in clashing if other is not page)
            line = page.lines.line_of("slug") if page.slug else 1
            problems.append(error(page.shown, line, f"this page and {others} would both be written to {output_name}"))
    if "index.html" not in by_output and not (content_dir / "index.md").exists():
        problems.append(error(display_path(content_dir), 1, "no home page: add index.md"))
    glossary_pages = [p for p in pages if p.terms]
    for extra in glossary_pages[1:]:
        problems.append(
            error(
                extra.shown,
                extra.lines.line_of("terms"),
                f"only one page may list glossary 'terms'; {glossary_pages[0].shown} already does",
            )
        )
    source_pages = [p for p in pages if p.sources]
    for extra in source_pages[1:]:
        problems.append(
            error(extra.shown, extra.lines.line_of("sources"), f"only one page may list 'sources'; {source_pages[0].shown} already does")
        )
    return problems


def site_glossary(pages: list[SourcePage]) -> SourcePage | None:
    """The page that lists the glossary terms."""
    return next((page for page in pages if page.terms), None)


def check_term_sources(glossary_page: SourcePage | None, source_ids: set[str]) -> list[Problem]:
    if glossary_page is None:
        return []
    return [
        error(
            glossary_page.shown,
            glossary_page.lines.line_of("terms", index, "sources"),
            f"unknown source '{key}' for '{term.term}'{suggest(key, source_ids)}",
        )
        for index, term in enumerate(glossary_page.terms)
        for key in term.sources
        if key not in source_ids
    ]


def site_sources(pages: list[SourcePage]) -> tuple[SourcePage | None, dict[str, Source]]:
    """The page that lists the sources, and the sources by id."""
    for page in pages:
        if page.sources:
            return page, {s.id: s for s in page.sources}
    return None, {}
