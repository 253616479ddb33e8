"""The review packet read from the analysis of the site: each chosen page whole or as what changed since its review,
then one entry per cited source, then the open questions.

- **Sources.** Each source cited by a page in the packet has one entry, with a short key (S1, S2 ...): its citation,
  and the recorded figures that the pages in the packet give (load/figures.py), each with its locator and a box to
  tick. The build holds every number on a page to these figures (markup/binding.py), so the reviewer checks each
  figure once against its source, not every sentence that gives it. Which figures a sentence gives is found by the
  build's own number check.
- **Pages.** A page is shown whole: its text once, sentence by sentence as the parser read it (Passage, see
  extensions/statements.py), each sentence that cites a source highlighted with its sources' keys. Or, when it
  changed since a clinical review whose text git still holds, only what changed since (changes.py), with the figures
  the changed sentences give. Unless pages are named or --whole is given, a page whose review covers it as it is is
  left out.
- **Open questions**, and nothing else: a number that no recorded figure gives; a sentence with a number in a form
  that figures take (a percentage, "N out of 100", a duration, a range, a temperature) that cites no source (a bare
  count, as in "two of them are below", is no figure); a figure with no locator whose source has page numbers (a
  journal article: a web page has none to give).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from pathlib import Path

from ...languages import ENGLISH, number_words
from ...load.figures import Figure
from ...load.pages import Source
from ...load.settings import SETTINGS_FILE
from ...load.site import Site
from ...markup.binding import NumberCheck, in_words
from ...markup.converter import PageMarkdown
from ...markup.page import CitedKey, Statement
from ...pipeline import urgent_help_numbers
from ...render.rendering import RenderedPage
from .changes import changed_figures, compare, converter_for, source_changes, versions
from .history import Then, changed_site_text, old_caveat, reviewed_version
from .model import (
    Block,
    Change,
    Changes,
    FigureEntry,
    Key,
    Packet,
    PacketPage,
    Question,
    Sentence,
    SiteText,
    SourceChange,
    SourceEntry,
    Use,
    Why,
)

COUNTS_AS_CLAIM = {"percentage", "frequency", "share", "duration", "range", "temperature"}  # not a bare count: "two of them"


class Binding:
    """The figures that numbers give, found by the build's own number check (markup/binding.py)."""

    def __init__(self, site: Site) -> None:
        bibliography = site.bibliography
        figures = [f for source in bibliography.sources.values() for f in source.figures]
        words = number_words(site.settings.language) or ENGLISH
        self.words = words
        self.check = NumberCheck(figures, words, bibliography.sources, unreadable=bibliography.broken_ids)
        self.unreadable = bibliography.broken_ids

    def given(self, text: str, sources: tuple[str, ...]) -> tuple[set[tuple[str, str]], list[str]]:
        """The keys of the figures that text's numbers give, and the numbers that give none."""
        if self.unreadable.intersection(sources):
            return set(), []
        keys: set[tuple[str, str]] = set()
        unmatched: list[str] = []
        for mention in self.check.reader.mentions(text):
            readings = self.check.bind(mention, sources)
            keys |= {r.figure.key for r in readings}
            if not readings:
                unmatched.append(mention.text)
        return keys, unmatched

    def states_figure(self, text: str) -> bool:
        """Whether text gives a number in a form that figures take: not a bare count ("two of them are below")."""
        return any(m.quantity.kind in COUNTS_AS_CLAIM for m in self.check.reader.mentions(text))

    def value(self, figure: Figure) -> str:
        return in_words(figure.value, self.words)


class Keys:
    """Each source's key in the packet (S1, S2 ...), in the order the packet first cites it."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self.sources = sources
        self.numbers: dict[str, int] = {}

    def key(self, source_id: str, locator: str = "") -> Key | None:
        if source_id not in self.sources:
            return None
        return Key(self.numbers.setdefault(source_id, len(self.numbers) + 1), locator)

    def keys(self, cited: tuple[CitedKey, ...]) -> tuple[Key, ...]:
        return tuple(dict.fromkeys(k for k in (self.key(c.key, c.locator) for c in cited) if k is not None))


SITE_TEXT = "site-text"  # the anchor of the text every page shows, as a place where figures are given


class Assembler:
    """Reads the chosen pages into a Packet: each page whole or as its changes, then one entry per cited source, then
    the open questions."""

    def __init__(self, site: Site, content_dir: Path, whole: bool, named: bool) -> None:
        self.site = site
        self.whole = whole
        self.named = named
        self.settings_path = content_dir / SETTINGS_FILE
        bibliography = site.bibliography
        self.sources_path = bibliography.page.path if bibliography.page else None
        self.keys = Keys(bibliography.sources)
        self.binding = Binding(site)
        self.pages: list[PacketPage] = []
        self.left_out: list[PacketPage] = []
        self.uses: dict[tuple[str, str], dict[str, list[int]]] = {}  # figure key -> page anchor -> lines; in order
        self.titles: dict[str, str] = {}  # page anchor -> title
        self.cited_on: dict[str, dict[str, None]] = {}  # source id -> page anchors
        self.listed: set[tuple[str, str]] = set()  # figures the sources page lists: shown for its review, given nowhere by it
        self.changed_figures: set[tuple[str, str]] = set()
        self.source_changes: dict[str, tuple[SourceChange, ...]] = {}
        self.questions: list[Question] = []  # about sentences; those about figures follow, in packet()
        self.forms: dict[str, list[str]] = {}  # urgent-help form -> titles of the pages that show it anew
        self.site_text_changed: dict[str, None] = {}
        self.caveat_before = ""
        self.converter: PageMarkdown | None = None

    # --- pages -----------------------------------------------------------------------------------------------------

    def add(self, item: RenderedPage) -> None:
        site, page = self.site, item.page
        anchor = f"page-{len(self.pages) + len(self.left_out) + 1}"
        review = item.review
        form = site.settings.urgent_help.form_on(page.output_path) if item.needs_urgent_help else None
        entry = functools.partial(PacketPage, page=page, anchor=anchor, review=review, reading=item.reading, urgent_help_form=form)
        if review.current and not self.whole and not self.named:
            self.left_out.append(entry(why="current"))
            return
        self.titles[anchor] = page.title
        why: Why = "asked" if self.whole else "reviewed" if review.current else "no-review"
        if not self.whole and not review.current and review.latest is not None:
            status, then = reviewed_version(page.path, review.latest, self.sources_path, self.settings_path)
            why = status if status != "compared" else "unknown"
            changes = self.changes_of(item, then, anchor, form) if then is not None else None
            if changes is not None:
                self.pages.append(entry(why="changes", changes=changes, tick=f"{anchor}-checked"))
                return
        blocks = self.blocks_of(item, anchor)
        if form is not None:
            self.forms.setdefault(form, []).append(page.title)
        self.forms.setdefault("caveat", []).append(page.title)
        self.pages.append(entry(why=why, blocks=tuple(blocks), tick=f"{anchor}-checked"))

    def use(self, key: tuple[str, str], anchor: str, line: int | None) -> None:
        """The figure key is given at this line of the page (None: somewhere on it): it is shown, to be ticked."""
        lines = self.uses.setdefault(key, {}).setdefault(anchor, [])
        if line is not None and line not in lines:
            lines.append(line)

    def sentence(self, statement: Statement, anchor: str, title: str) -> Sentence:
        """A sentence as the packet shows it; the figures it gives are noted for the source entries."""
        cited = tuple(dict.fromkeys(c.key for c in statement.citations))
        text = statement.prose or statement.text
        if cited:
            given, unmatched = self.binding.given(text, cited)
            for key in sorted(given):
                self.use(key, anchor, statement.line)
            for source in cited:
                self.cited_on.setdefault(source, {})[anchor] = None
            question = len(self.questions) + 1 if unmatched else 0
            sentence = Sentence(statement.text, statement.line, self.keys.keys(statement.citations), claim=True, question=question)
            if unmatched:
                self.questions.append(Question(question, "unrecorded", title, sentence, tuple(unmatched)))
            return sentence
        if self.binding.states_figure(text):
            sentence = Sentence(statement.text, statement.line, claim=True, uncited=True, question=len(self.questions) + 1)
            self.questions.append(Question(sentence.question, "uncited", title, sentence))
            return sentence
        return Sentence(statement.text, statement.line)

    def blocks_of(self, item: RenderedPage, anchor: str) -> list[Block]:
        """The whole page as blocks: its title and description, its Markdown sentence by sentence, its glossary terms,
        and on the sources page its list of sources."""
        page = item.page
        line = page.lines.line_of
        blocks = [Block("title", line("title"), (Sentence(page.title, line("title")),))]
        blocks.append(Block("description", line("description"), (Sentence(page.description, line("description")),)))
        if page.nav_title != page.title:
            blocks.append(Block("nav_title", line("nav_title"), (Sentence(page.nav_title, line("nav_title")),)))
        headers: tuple[str, ...] = ()
        for passage in item.markdown.passages:
            if passage.kind == "th":
                headers = tuple(s.text for s in passage.statements)
                blocks.append(Block("th", passage.line, tuple(Sentence(s.text, s.line) for s in passage.statements)))
                continue
            sentences = tuple(self.sentence(s, anchor, page.title) for s in passage.statements)
            blocks.append(Block(passage.kind, passage.line, sentences, headers if passage.kind == "tr" else ()))
        for term in page.terms:
            name = f"{term.term} ({term.abbreviation})" if term.abbreviation else term.term
            statement = Statement(f"{name}: {term.definition}", term.definition_line, tuple(CitedKey(k) for k in term.sources))
            blocks.append(Block("term", term.line, (self.sentence(statement, anchor, page.title),)))
        if page.sources:
            listed = []
            for source in page.sources:
                listed.append(Sentence(source.id, source.line, self.keys.keys((CitedKey(source.id),))))
                self.listed |= {figure.key for figure in source.figures}
            blocks.append(Block("sources", line("sources"), tuple(listed)))
        for key in sorted(item.markdown.figures_used):  # as the build found them: pictures and glossary terms too
            self.use(key, anchor, None)
        return blocks

    def changes_of(self, item: RenderedPage, then: Then, anchor: str, form: str | None) -> Changes | None:
        """What changed since the review: the sentences, the cited sources' details and figures, the site text; or None
        when nothing can be told apart (then the page is shown whole)."""
        site, page = self.site, item.page
        if self.converter is None:
            self.converter = converter_for(site)
        before, after = versions(self.converter, page, then)
        compared, unchanged = compare(before, after)
        sentences = []
        for found in compared:
            unit = found.after or found.before
            assert unit is not None
            sentence = self.sentence(found.after.statement, anchor, page.title) if found.after else None
            cited_before: tuple[str, ...] = ()
            if found.before and found.after and found.before.cites != found.after.cites:
                cited_before = tuple(f"{key}, {locator}" if locator else key for key, locator in found.before.cites)
            sentences.append(Change(found.line, found.kind, unit.field, found.segments, sentence, cited_before))
        sources = site.bibliography.sources
        shown = list({s.id: s for s in [*(sources[c.key] for c in item.citations if c.key in sources), *page.sources]}.values())
        details = {k: tuple(SourceChange(*f) for f in v) for k, v in source_changes(then.sources, shown).items()}
        used = set(item.markdown.figures_used) | {f.key for s in page.sources for f in s.figures}
        figures = changed_figures(then.sources, shown) & used
        site_text = changed_site_text(then.settings, site.settings, form)
        if not (sentences or details or figures or site_text):
            return None
        for source_id in details:
            self.keys.key(source_id)
            self.cited_on.setdefault(source_id, {})[anchor] = None
        self.source_changes.update(details)
        for key in sorted(figures):
            self.keys.key(key[0])
            self.use(key, anchor, None)
        self.changed_figures |= figures
        for name in site_text:
            self.site_text_changed[name] = None
            if name == "urgent-help box" and form is not None:
                self.forms.setdefault(form, []).append(page.title)
        if site_text:
            self.forms.setdefault("caveat", []).append(page.title)
            self.caveat_before = self.caveat_before or old_caveat(then.settings)
        return Changes(tuple(sentences), unchanged, details, frozenset(figures), site_text)

    # --- the rest of the packet -------------------------------------------------------------------------------------

    def site_text(self) -> SiteText | None:
        """The caveat and the urgent-help box, once, when a page in the packet shows them anew (whole or changed)."""
        if "caveat" not in self.forms:
            return None
        help_box = self.site.settings.urgent_help
        forms = tuple(f for f in ("full", "compact") if f in self.forms)
        keys: tuple[Key, ...] = ()
        if forms:
            keys = tuple(k for k in map(self.keys.key, help_box.sources) if k is not None)
            for key in sorted(urgent_help_numbers(self.site.settings, self.binding.check).used):
                self.use(key, SITE_TEXT, None)
            for source in help_box.sources:
                self.cited_on.setdefault(source, {})[SITE_TEXT] = None
        pages = {form: tuple(dict.fromkeys(titles)) for form, titles in self.forms.items()}
        return SiteText(self.site.settings.caveat, help_box, forms, keys, pages, tuple(self.site_text_changed), self.caveat_before)

    def entries(self) -> list[SourceEntry]:
        """One entry per source with a key, in key order, with the figures to tick, in the order the source records them."""
        sources = self.site.bibliography.sources
        found = []
        ticks = 0
        for source_id, number in sorted(self.keys.numbers.items(), key=lambda kv: kv[1]):
            source = sources[source_id]
            figures = []
            for figure in source.figures:
                if figure.key not in self.uses and figure.key not in self.listed:
                    continue
                ticks += 1
                uses = tuple(Use(self.titles.get(a, ""), a, tuple(sorted(lines))) for a, lines in self.uses.get(figure.key, {}).items())
                value = self.binding.value(figure)
                figures.append(FigureEntry(figure, f"figure-{ticks}", value, uses, changed=figure.key in self.changed_figures))
            cited = tuple(Use(self.titles.get(a, ""), a, ()) for a in self.cited_on.get(source_id, {}))
            found.append(SourceEntry(number, source, f"source-{number}", tuple(figures), cited, self.source_changes.get(source_id, ())))
        return found

    def packet(self, made_on: datetime.date) -> Packet:
        site_text = self.site_text()
        questions = list(self.questions)
        sources = []
        for entry in self.entries():
            figures = []
            for figure in entry.figures:
                if not figure.figure.locator and entry.source.pages:
                    figure = dataclasses.replace(figure, question=len(questions) + 1)
                    questions.append(Question(figure.question, "unlocated"))
                figures.append(figure)
            sources.append(dataclasses.replace(entry, figures=tuple(figures)))
        return Packet(self.site.settings, made_on, tuple(self.pages), tuple(self.left_out), tuple(sources), tuple(questions), site_text)


def make_packet(
    site: Site, chosen: list[RenderedPage], content_dir: Path, made_on: datetime.date, whole: bool = False, named: bool = False
) -> Packet:
    """The packet of the chosen pages: each whole, or as what changed since its review. Unless whole is asked for, or
    the pages were named, a page whose review covers it as it is is left out."""
    assembler = Assembler(site, content_dir, whole, named)
    for item in chosen:
        assembler.add(item)
    return assembler.packet(made_on)
