"""Content pages: validated front matter, the Markdown body, and where the page is written.

A page in a sub-folder of content/ belongs to that folder's section and is written into a folder of the same
name. Each problem is reported at the line of the field it concerns.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import Any, TypeVar

from ..problems import Problem, error
from ..urls import split_url
from .figures import Figure, load_figures
from .files import FoundFile, read_text
from .frontmatter import LineMap, find_fences, split_front_matter
from .schema import DATE, LIST, TEXT, TEXT_OR_NUMBER, TRUE_OR_FALSE, WHOLE_NUMBER, Field, Suggester, check_fields, describe_value

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
    "urgent_help": Field(TRUE_OR_FALSE),
    "publisher_details": Field(TRUE_OR_FALSE),
    "sources": Field(LIST),
    "terms": Field(LIST),
    "translation_of": Field(TEXT),
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
    "accessed": Field(DATE),
    "volume": Field(TEXT_OR_NUMBER),
    "issue": Field(TEXT_OR_NUMBER),
    "pages": Field(TEXT_OR_NUMBER),
    "article_number": Field(TEXT),
    "doi": Field(TEXT),
    "pmid": Field(TEXT),
    "pmcid": Field(TEXT),
    "url": Field(TEXT),
    "figures": Field(LIST),  # the numbers the source gives (figures.py)
}

REVIEWER_FIELDS = {
    "name": Field(TEXT, required=True),
    "credentials": Field(TEXT, required=True),
    "date": Field(DATE, required=True),
    "scope": Field(TEXT, required=True),
    "fingerprint": Field(TEXT),  # required as well, with its own message: only `build.py review` can compute it
    "commit": Field(TEXT),
}
FINGERPRINT = re.compile(r"^sha256:[0-9a-f]{64}$")
COMMIT = re.compile(r"^[0-9a-f]{7,64}$")

T = TypeVar("T")

# Each source, term and reviewer is shown and checked on several pages; these bound that work (real sites list tens).
MOST_ENTRIES = {"sources": 500, "terms": 500, "reviewed_by": 20}

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
ADDRESS_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
SOURCE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:.-]{0,99}$")
LISTED_ID = re.compile(r"^[ \t-]*id\s*:\s*['\"]?([A-Za-z0-9_][A-Za-z0-9_:.-]*)", re.MULTILINE)
WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """An entry in the site's source list (a work cited by the pages)."""

    id: str
    title: str
    line: int
    authors: str | None = None
    container: str | None = None
    year: int | None = None
    date: str | None = None
    accessed: datetime.date | None = None
    volume: str | int | None = None
    issue: str | int | None = None
    pages: str | int | None = None
    article_number: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Term:
    """A glossary entry: the plain definition and the sources behind it."""

    term: str
    definition: str
    sources: tuple[str, ...]
    line: int
    definition_line: int
    abbreviation: str | None = None
    sources_line: int = 0  # the line of its 'sources', where problems with them are reported

    @property
    def anchor(self) -> str:
        """term- and the term's letters and digits, accents left out (Síndrome: term-sindrome)."""
        letters = "".join(c for c in unicodedata.normalize("NFD", self.term.lower()) if not unicodedata.combining(c))
        return "term-" + re.sub(r"[^a-z0-9]+", "-", letters).strip("-")


@dataclass(frozen=True)
class Reviewer:
    """A clinical review record: who checked the page, when, for what, and a fingerprint of what they checked."""

    name: str
    credentials: str
    date: datetime.date
    scope: str
    fingerprint: str
    line: int
    commit: str | None = None  # the git commit that held the reviewed text, when git was there


@dataclass(frozen=True)
class Page:
    """A content file whose front matter has been checked."""

    path: Path
    relative: PurePosixPath  # from the content folder
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
    urgent_help: bool = False
    publisher_details: bool = False
    sources: tuple[Source, ...] = field(default=())
    terms: tuple[Term, ...] = field(default=())
    invalid_source_ids: frozenset[str] = frozenset()
    stand_in: bool = False  # for a page with errors in its front matter: never written (see _stand_in)
    translation_of: str | None = None  # the page it translates, from content/ (pages in content/LANG/ only)
    language: str = ""  # '' in the site's first language; else the language of its folder (load/translations.py)

    @functools.cached_property
    def section(self) -> tuple[str, ...]:
        """Its folders, from its language's root: content/es/ is the root of the Spanish pages, not a section."""
        parts = self.relative.parent.parts
        return parts[1:] if self.language else parts

    @property
    def language_prefix(self) -> str:
        """Where its language's pages are written: '' or 'es/'."""
        return f"{self.language}/" if self.language else ""

    @functools.cached_property
    def output_path(self) -> str:
        return output_path_for(self.relative, self.slug)

    @property
    def is_section_index(self) -> bool:
        return bool(self.section) and self.relative.stem == "index" and not self.slug


def output_path_for(relative: PurePath, slug: str | None = None) -> str:
    """Where a page is written, relative to the site: its folder, then its slug (or file name) with .html."""
    return (relative.parent / f"{slug or relative.stem}.html").as_posix()


PageLoader = Callable[[FoundFile], "tuple[Page | None, list[Problem]]"]


def load_page(found: FoundFile) -> tuple[Page | None, list[Problem]]:
    """Read, split and check one content file; None and every problem when it cannot be used."""
    text, problems = read_text(found.path, found.shown)
    if text is None:
        return None, problems
    parsed, problems = split_front_matter(text, found.shown)
    if parsed is None:
        return _unreadable_source_list(found, text), problems
    shown = found.shown
    data, lines = parsed.data, parsed.lines
    problems += check_fields(data, PAGE_FIELDS, shown, lines)
    problems += _address_problems(found.relative, data.get("slug"), shown, lines)
    sources, found_problems, invalid_ids = _load_sources(data, shown, lines)
    problems += found_problems
    reviewers, found_problems = _load_reviewers(data, shown, lines)
    problems += found_problems
    terms, found_problems = _load_terms(data, shown, lines)
    problems += found_problems
    if any(p.is_error for p in problems):  # a stand-in: its body is still checked, and its valid sources still resolve citations
        return _stand_in(found, parsed.body, parsed.body_first_line, lines, sources, invalid_ids), problems
    fields: dict[str, Any] = {k: v for k, v in data.items() if k not in ("sources", "reviewed_by", "terms")}
    page = Page(
        path=found.path,
        relative=found.relative,
        shown=shown,
        body=parsed.body,
        body_first_line=parsed.body_first_line,
        lines=lines,
        sources=tuple(sources),
        reviewed_by=tuple(reviewers),
        terms=tuple(terms),
        invalid_source_ids=frozenset(invalid_ids),
        **fields,
    )
    return page, problems


def _unreadable_source_list(found: FoundFile, text: str) -> Page | None:
    """When front matter that lists 'sources' cannot be read at all (one ': ' in a title does it), a stand-in holding
    the ids it seems to list: citing them is not an error as well, so the reader's mistake is reported once."""
    fences, _ = find_fences(text)
    opening = text.find("\n") + 1
    front_matter = text[fences.yaml_start : fences.yaml_end] if fences else text[opening:] if opening else ""
    if not re.search(r"^sources\s*:", front_matter, re.MULTILINE):
        return None
    ids = frozenset(LISTED_ID.findall(front_matter))
    return _stand_in(found, "", 1, LineMap(), [], set(ids)) if ids else None


def _stand_in(found: FoundFile, body: str, first_line: int, lines: LineMap, sources: list[Source], invalid_ids: set[str]) -> Page:
    """A stand-in for a page whose front matter has errors: it is never written, but its Markdown is still checked
    (so that all of a page's problems are reported at once), and its valid sources still resolve citations."""
    day = datetime.date(1, 1, 1)
    return Page(
        found.path, found.relative, found.shown, "", "", "", 0, day, day, day, body, first_line, lines,
        sources=tuple(sources), invalid_source_ids=frozenset(invalid_ids), draft=True, stand_in=True,
    )  # fmt: skip


def _address_problems(relative: PurePosixPath, slug: Any, shown: str, lines: LineMap) -> list[Problem]:
    if isinstance(slug, str):
        if not SLUG.match(slug):
            return [
                error(shown, lines.line_of("slug"), f"'slug' may hold only lowercase letters, digits and '-' (at most 100), not {slug!r}")
            ]
        return []
    for part in (*relative.parent.parts, relative.stem):
        if not ADDRESS_PART.match(part):
            return [
                error(
                    shown,
                    1,
                    f"'{part}' cannot be part of a web address (use letters, digits, '-' and '.', no spaces); rename it, or set a 'slug'",
                )
            ]
    return []


def _load_list(
    data: dict[str, Any],
    key: str,
    fields: dict[str, Field],
    shown: str,
    lines: LineMap,
    make: Callable[[dict[str, Any], int, int], T],
    extra_check: Callable[[dict[str, Any], int], list[Problem]] | None = None,
) -> tuple[list[T], list[Problem]]:
    """Check each mapping in the list under key against fields, and make an object of each valid one."""
    entries = data.get(key)
    if not isinstance(entries, list):
        return [], []
    required = " and ".join(f"'{name}'" for name, spec in fields.items() if spec.required)
    items: list[T] = []
    problems: list[Problem] = []
    most = MOST_ENTRIES.get(key, len(entries))
    if len(entries) > most:
        problems.append(
            error(
                shown, lines.line_of(key, most), f"'{key}' lists {len(entries):,} entries; it may list at most {most}: this one is too many"
            )
        )
    for index, entry in enumerate(entries[:most]):
        line = lines.line_of(key, index)
        if not isinstance(entry, dict):
            problems.append(
                error(shown, line, f"item {index + 1} of '{key}' must be a mapping with {required}, not {describe_value(entry)}")
            )
            continue
        found = check_fields(entry, fields, shown, lines, prefix=(key, index))
        if extra_check is not None:
            found += extra_check(entry, index)
        problems += found
        if not any(p.is_error for p in found):
            items.append(make(entry, index, line))
    return items, problems


def _load_sources(data: dict[str, Any], shown: str, lines: LineMap) -> tuple[list[Source], list[Problem], set[str]]:
    """The valid sources, every problem, and the ids of entries that have problems (citing them is not a second error)."""
    first_line_of: dict[str, int] = {}

    def check_entry(entry: dict[str, Any], index: int) -> list[Problem]:
        source_id = entry.get("id")
        problems: list[Problem] = []
        if isinstance(source_id, str):
            line = lines.line_of("sources", index, "id")
            if not SOURCE_ID.match(source_id):
                problems.append(error(shown, line, f"source id {source_id!r} may hold only letters, digits and _ : . -"))
            elif source_id in first_line_of:
                problems.append(error(shown, line, f"source id '{source_id}' is used twice (also on line {first_line_of[source_id]})"))
            else:
                first_line_of[source_id] = line
        url = entry.get("url")
        if isinstance(url, str) and not WEB_ADDRESS.match(url):
            problems.append(error(shown, lines.line_of("sources", index, "url"), f"'url' must start with https:// or http://, not {url!r}"))
        elif isinstance(url, str) and split_url(url) is None:
            problems.append(
                error(
                    shown,
                    lines.line_of("sources", index, "url"),
                    f"'url' cannot be read as a web address: {url!r}; check its brackets and port",
                )
            )
        return problems

    figures: dict[int, tuple[Figure, ...]] = {}

    def check_source(entry: dict[str, Any], index: int) -> list[Problem]:
        problems = check_entry(entry, index)
        source_id = entry.get("id")
        if "figures" in entry and isinstance(source_id, str):
            figures[index], found = load_figures(entry["figures"], source_id, shown, lines, ("sources", index, "figures"))
            problems += found
        return problems

    def make(entry: dict[str, Any], index: int, line: int) -> Source:
        return Source(line=line, **{**entry, "figures": figures.get(index, ())})

    sources, problems = _load_list(data, "sources", SOURCE_FIELDS, shown, lines, make, check_source)
    entries = data.get("sources")
    if not isinstance(entries, list):
        entries = []
    named = {e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)}
    return sources, problems, named - {s.id for s in sources}


def sources_of(data: dict[str, Any]) -> dict[str, Source]:
    """The valid sources listed in front-matter data, by id: an earlier version of the list, to compare with today's."""
    return {source.id: source for source in _load_sources(data, "<earlier>", LineMap())[0]}


def _load_reviewers(data: dict[str, Any], shown: str, lines: LineMap) -> tuple[list[Reviewer], list[Problem]]:
    """Review records; a record without the fingerprint that `build.py review` computes binds to nothing, so it is an error."""

    def check_record(entry: dict[str, Any], index: int) -> list[Problem]:
        fingerprint, commit = entry.get("fingerprint"), entry.get("commit")
        who = entry["name"] if isinstance(entry.get("name"), str) else f"item {index + 1}"
        if fingerprint is None:
            command = f'python3 build.py review {shown} --name "..." --credentials "..." --scope "..."'
            return [
                error(
                    shown,
                    lines.line_of("reviewed_by", index),
                    f"the review record of {who} has no 'fingerprint': record reviews with `{command}`, which computes it",
                )
            ]
        if isinstance(fingerprint, str) and not FINGERPRINT.match(fingerprint):
            return [
                error(
                    shown,
                    lines.line_of("reviewed_by", index, "fingerprint"),
                    f"the 'fingerprint' of {who}'s review is not one that `python3 build.py review` writes (sha256: and 64 hex digits)",
                )
            ]
        if isinstance(commit, str) and not COMMIT.match(commit):
            return [error(shown, lines.line_of("reviewed_by", index, "commit"), f"the 'commit' of {who}'s review is not a git commit id")]
        return []

    def make(entry: dict[str, Any], _: int, line: int) -> Reviewer:
        return Reviewer(line=line, **entry)

    return _load_list(data, "reviewed_by", REVIEWER_FIELDS, shown, lines, make, check_record)


def _load_terms(data: dict[str, Any], shown: str, lines: LineMap) -> tuple[list[Term], list[Problem]]:
    def check_ids(entry: dict[str, Any], index: int) -> list[Problem]:
        sources = entry.get("sources")
        if isinstance(sources, list) and not all(isinstance(s, str) for s in sources):
            return [error(shown, lines.line_of("terms", index, "sources"), "'sources' must list source ids")]
        return []

    def make(entry: dict[str, Any], index: int, line: int) -> Term:
        return Term(
            line=line,
            definition_line=lines.line_of("terms", index, "definition"),
            sources_line=lines.line_of("terms", index, "sources"),
            **{**entry, "sources": tuple(entry["sources"])},
        )

    terms, problems = _load_list(data, "terms", TERM_FIELDS, shown, lines, make, check_ids)
    first_with: dict[str, Term] = {}
    for term in terms:
        if term.anchor == "term-":
            problems.append(error(shown, term.line, f"the term {term.term!r} needs a letter or a digit, to give it an address on the page"))
        elif term.anchor in first_with:
            other = first_with[term.anchor]
            problems.append(
                error(shown, term.line, f"the term {term.term!r} is the same as {other.term!r} on line {other.line}; write each term once")
            )
        else:
            first_with[term.anchor] = term
    return terms, problems


def check_site_structure(pages: list[Page], content_dir: Path, content_shown: str, prefix: str = "") -> list[Problem]:
    """Problems that involve more than one page of one language: the home page, and the single sources and glossary
    pages. The sources are listed once, by the first language's sources page: a translation of it lists none."""
    problems: list[Problem] = []
    home = prefix + "index.html"
    if not any(p.output_path == home for p in pages) and content_dir.is_dir() and not (content_dir / "index.md").exists():
        problems.append(error(content_shown, 1, "there is no home page: add index.md"))
    for page in pages if prefix else []:
        if page.sources:
            problems.append(
                error(
                    page.shown,
                    page.lines.line_of("sources"),
                    "the sources are listed once, in the first language's sources page, and a translation of that page shows the "
                    "same list: delete 'sources' here",
                )
            )
    for key, what in (("terms", "glossary 'terms'"), ("sources", "'sources'") if not prefix else ("", "")):
        if not key:
            continue
        listing = [p for p in pages if getattr(p, key)]
        for extra in listing[1:]:
            problems.append(error(extra.shown, extra.lines.line_of(key), f"only one page may list {what}; {listing[0].shown} already does"))
    return problems


def check_term_sources(glossary_page: Page | None, source_ids: set[str], broken_ids: frozenset[str]) -> list[Problem]:
    if glossary_page is None:
        return []
    hint = Suggester(source_ids)
    return [
        error(
            glossary_page.shown,
            term.sources_line,
            f"unknown source '{key}' for '{term.term}'{hint(key)}",
        )
        for term in glossary_page.terms
        for key in term.sources
        if key not in source_ids and key not in broken_ids
    ]
