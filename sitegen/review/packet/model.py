"""What the review packet shows for each page, as plain data for its templates.

Every sentence comes from the parser's tree (RenderedMarkdown.passages, see extensions/statements.py). A sentence
that states a number or cites a source is highlighted, with each source beside it: the page's number for it, the
full reference, the locator given in the citation, and a tick box.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...load.pages import Page, Source, Term
from ...load.review_records import ReviewState
from ...load.settings import SETTINGS_FILE, UrgentHelp
from ...load.site import Site
from ...markup.extensions.citations import CitedKey
from ...markup.extensions.statements import Passage, Statement
from ...render.rendering import PageReading, RenderedPage
from .history import History, history, page_text_of


@dataclass(frozen=True)
class Cited:
    number: int  # as in the page's "Sources for this page"
    source: Source
    locator: str


@dataclass(frozen=True)
class Claim:
    id: str  # for the tick box's label
    text: str
    line: int
    highlighted: bool
    cited: tuple[Cited, ...] = ()
    inherited: bool = False


@dataclass(frozen=True)
class PassageView:
    kind: str
    line: int
    claims: tuple[Claim, ...]

    @property
    def heading_level(self) -> int:
        """The page's h2 is the packet's h4: the packet's own sections are h2, and "The page's text" is h2 with the title as h3."""
        return min(int(self.kind[1]) + 2, 6) if self.kind in ("h1", "h2", "h3", "h4", "h5", "h6") else 0


@dataclass(frozen=True)
class TermUse:
    term: Term
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Unlocated:
    number: int
    source: Source
    times: int  # sentences that cite it without a locator


@dataclass(frozen=True)
class PacketPage:
    page: Page
    file: str  # the packet's file for this page, relative to the packet folder
    review: ReviewState
    passages: tuple[PassageView, ...]
    terms: tuple[TermUse, ...]
    reading: PageReading | None
    uncited: tuple[Claim, ...]
    unlocated: tuple[Unlocated, ...]
    history: History
    caveat: str
    urgent_help: UrgentHelp | None
    urgent_help_form: str | None = None  # "full" or "compact": the form of the box the page shows

    @property
    def claims(self) -> int:
        return sum(1 for p in self.passages for c in p.claims if c.highlighted)

    @property
    def open_questions(self) -> int:
        return len(self.uncited) + len(self.unlocated)


def packet_page(site: Site, item: RenderedPage, content_dir: Path) -> PacketPage:
    page, sources = item.page, site.bibliography.sources
    numbers = {c.key: n for n, c in enumerate(item.citations, start=1) if c.key in sources}
    passages = tuple(passage_views(item.markdown.passages, numbers, sources) + term_views(page.terms, numbers, sources))
    claims = [c for p in passages for c in p.claims]
    uncited = tuple(c for c in claims if c.highlighted and not c.cited)
    review = item.review
    cited = [sources[c.key] for c in item.citations if c.key in sources]
    shows_help = item.needs_urgent_help
    form = site.settings.urgent_help.form_on(page.output_path) if shows_help else None
    latest = review.latest
    bibliography = site.bibliography.page
    return PacketPage(
        page=page,
        file=f"pages/{page.output_path}",  # beside the packet's own index.html, never in place of it
        review=review,
        passages=passages,
        terms=terms_used(site, item),
        reading=item.reading,
        uncited=uncited,
        unlocated=unlocated(item.markdown.passages, numbers, sources),
        history=history(
            page.path,
            page_text_of({"title": page.title, "description": page.description, "nav_title": page.nav_title}, page.body),
            latest,
            bibliography.path if bibliography else None,
            cited,
            site.settings,
            content_dir / SETTINGS_FILE,
            form,
        ),
        caveat=site.settings.caveat,
        urgent_help=site.settings.urgent_help if shows_help else None,
        urgent_help_form=form,
    )


def passage_views(passages: tuple[Passage, ...], numbers: dict[str, int], sources: dict[str, Source]) -> list[PassageView]:
    views: list[PassageView] = []
    headers: list[str] = []
    count = 0
    for passage in passages:
        if passage.kind == "th":
            headers = [s.text for s in passage.statements]
        claims = []
        for index, statement in enumerate(passage.statements):
            count += 1
            text = statement.text
            if passage.kind == "tr" and index > 0 and index < len(headers):
                text = f"{passage.statements[0].text}, {headers[index]}: {text}"
            highlighted = statement.is_claim and passage.kind != "th"
            claims.append(
                Claim(f"claim-{count}", text, statement.line, highlighted, cited_of(statement, numbers, sources), statement.inherited)
            )
        views.append(PassageView(passage.kind, passage.line, tuple(claims)))
    return views


def term_views(terms: tuple[Term, ...], numbers: dict[str, int], sources: dict[str, Source]) -> list[PassageView]:
    """The glossary page's terms, which its front matter holds: each definition is checked against its sources."""
    views = []
    for index, term in enumerate(terms, start=1):
        name = f"{term.term} ({term.abbreviation})" if term.abbreviation else term.term
        cited = tuple(Cited(numbers.get(k, 0), sources[k], "") for k in term.sources if k in sources)
        views.append(PassageView("dt", term.line, (Claim(f"term-{index}", name, term.line, False),)))
        views.append(
            PassageView("dd", term.definition_line, (Claim(f"definition-{index}", term.definition, term.definition_line, True, cited),))
        )
    return views


def cited_of(statement: Statement, numbers: dict[str, int], sources: dict[str, Source]) -> tuple[Cited, ...]:
    found: list[Cited] = []
    for key in statement.citations:
        if key.key in sources and not any(c.source.id == key.key and c.locator == key.locator for c in found):
            found.append(Cited(numbers.get(key.key, 0), sources[key.key], key.locator))
    return tuple(found)


def unlocated(passages: tuple[Passage, ...], numbers: dict[str, int], sources: dict[str, Source]) -> tuple[Unlocated, ...]:
    """Each cited source, with the number of sentences that cite it without a page, table or figure."""
    times: dict[str, int] = {}
    for passage in passages:
        for statement in passage.statements:
            keys: set[CitedKey] = {k for k in statement.citations if not k.locator and k.key in sources}
            for key in {k.key for k in keys}:
                times[key] = times.get(key, 0) + 1
    return tuple(Unlocated(numbers.get(k, 0), sources[k], n) for k, n in sorted(times.items(), key=lambda kv: numbers.get(kv[0], 0)))


def terms_used(site: Site, item: RenderedPage) -> tuple[TermUse, ...]:
    """The glossary entries the page links to, in order of first use, with their sources."""
    glossary = site.glossary
    if glossary.page is None:
        return ()
    by_anchor = {t.anchor: t for t in glossary.terms}
    sources = site.bibliography.sources
    used: dict[str, TermUse] = {}
    for link in item.markdown.links:
        address, _, anchor = link.url.partition("#")
        if address.endswith(glossary.page.output_path.rsplit("/", 1)[-1]) and anchor in by_anchor and anchor not in used:
            term = by_anchor[anchor]
            used[anchor] = TermUse(term, tuple(sources[k] for k in term.sources if k in sources))
    return tuple(used.values())
