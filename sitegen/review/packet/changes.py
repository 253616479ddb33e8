"""What changed since a page's clinical review, sentence by sentence: the re-review packet shows only that.

Both versions of the page, the reviewed one (from git, history.py) and the one now, are read by the same Markdown
converter into sentences with their citations (extensions/statements.py), so an unchanged sentence reads the same
in both. The sentences are compared in order; each one that changed, came or went is given with its words then and
now. The title, description, navigation title and glossary terms are compared as sentences too; the details of
each source the page cites (or lists, on the sources page), and the caveat and urgent-help box it shows, field by
field.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from typing import Any, Literal

from ...load.pages import Page, Source
from ...load.review_records import source_data
from ...load.site import Site
from ...markup.converter import MarkdownRefs, PageMarkdown, make_markdown
from ...markup.page import CitedKey, Statement
from ...word_diff import Segment, words
from .history import Then

Field = Literal["title", "description", "nav_title", "body", "term"]


@dataclass(frozen=True)
class Unit:
    """One sentence of a version of the page, and what it cites: what is compared."""

    field: Field
    statement: Statement

    @property
    def cites(self) -> tuple[tuple[str, str], ...]:
        return tuple((c.key, c.locator) for c in self.statement.citations)

    @property
    def compared(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        return (self.field, self.statement.text, self.cites)


@dataclass(frozen=True)
class Compared:
    kind: Literal["changed", "added", "removed"]
    before: Unit | None
    after: Unit | None
    line: int  # where it is now (for a removed sentence: where it was, in the page as it is now)

    @property
    def segments(self) -> tuple[Segment, ...]:
        old = self.before.statement.text if self.before else ""
        new = self.after.statement.text if self.after else ""
        return tuple(words(old, new))


def converter_for(site: Site) -> PageMarkdown:
    """A Markdown converter that reads sentences and their citations, for both versions alike."""
    bibliography = site.bibliography
    refs = MarkdownRefs(
        source_ids=frozenset(bibliography.sources) | bibliography.broken_ids,
        passages=True,
        figures=tuple(f for s in bibliography.sources.values() for f in s.figures),
        language=site.settings.language,
        unreadable_sources=bibliography.broken_ids,
    )
    return make_markdown(refs)


def units(converter: PageMarkdown, page: Page, data: dict[str, Any], body: str, first_line: int) -> list[Unit]:
    """A version of the page as sentences: its front matter's visible fields, its body, its glossary terms."""
    found: list[Unit] = []
    shown_fields: tuple[Field, ...] = ("title", "description", "nav_title")
    for key in shown_fields:
        value = data.get(key)
        if isinstance(value, str) and (key != "nav_title" or value != data.get("title")):
            found.append(Unit(key, Statement(" ".join(value.split()), page.lines.line_of(key))))
    rendered = converter.render(body, page.shown, first_line, page.relative.as_posix(), page.output_path, draft=page.draft)
    found += [Unit("body", s) for passage in rendered.passages for s in passage.statements]
    terms = data.get("terms")
    if not isinstance(terms, list):
        terms = []
    for index, term in enumerate(t for t in terms if isinstance(t, dict)):
        name, abbreviation = str(term.get("term", "")), term.get("abbreviation")
        shown = f"{name} ({abbreviation}): " if abbreviation else f"{name}: "
        sources = term.get("sources")
        if not isinstance(sources, (list, tuple)):
            sources = []
        line = page.terms[index].definition_line if index < len(page.terms) else page.lines.line_of("terms")
        text = shown + " ".join(str(term.get("definition", "")).split())
        found.append(Unit("term", Statement(text, line, tuple(CitedKey(str(s)) for s in sources))))
    return found


def now_data(page: Page) -> dict[str, Any]:
    terms = [dataclasses.asdict(t) for t in page.terms]
    return {"title": page.title, "description": page.description, "nav_title": page.nav_title, "terms": terms}


def compare(before: list[Unit], after: list[Unit]) -> tuple[list[Compared], int]:
    """The sentences that changed, came or went, in the order of the page now; and how many stayed the same."""
    found: list[Compared] = []
    unchanged = 0
    matcher = difflib.SequenceMatcher(None, [u.compared for u in before], [u.compared for u in after], autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            unchanged += a1 - a0
            continue
        olds, news = before[a0:a1], after[b0:b1]
        for index in range(max(len(olds), len(news))):
            old = olds[index] if index < len(olds) else None
            new = news[index] if index < len(news) else None
            if new is not None:
                found.append(Compared("changed" if old is not None else "added", old, new, new.statement.line))
            else:
                nearest = after[b1] if b1 < len(after) else after[-1] if after else None
                found.append(Compared("removed", old, None, nearest.statement.line if nearest else 1))
    return found, unchanged


def source_changes(then: dict[str, Source], now: list[Source]) -> dict[str, list[tuple[str, str, str]]]:
    """For each source whose details changed since: each changed field, with its value then and now (figures apart)."""
    changed: dict[str, list[tuple[str, str, str]]] = {}
    for source in now:
        old = then.get(source.id)
        before = {k: v for k, v in source_data(old).items() if k != "figures"} if old else {}
        after = {k: v for k, v in source_data(source).items() if k != "figures"}
        fields = [
            (k, _text(before.get(k)), _text(after.get(k))) for k in sorted(before.keys() | after.keys()) if before.get(k) != after.get(k)
        ]
        if old is None:
            fields = [("id", "", source.id)]
        if fields:
            changed[source.id] = fields
    return changed


def changed_figures(then: dict[str, Source], now: list[Source]) -> set[tuple[str, str]]:
    """The figures recorded anew, or with another value, locator or rounding, since."""
    found = set()
    for source in now:
        old = then.get(source.id)
        before = {f.key: (f.written, f.locator, f.round_to) for f in old.figures} if old else {}
        found |= {f.key for f in source.figures if before.get(f.key) != (f.written, f.locator, f.round_to)}
    return found


def _text(value: object) -> str:
    return "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)


def versions(converter: PageMarkdown, page: Page, then: Then) -> tuple[list[Unit], list[Unit]]:
    before = units(converter, page, then.data, then.body, then.body_first_line)
    after = units(converter, page, now_data(page), page.body, page.body_first_line)
    return before, after
