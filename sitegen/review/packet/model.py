"""What the review packet holds, as plain data for its templates (assemble.py fills it in):

- **Pages.** Each page whole, its text once, sentence by sentence, each sentence that cites a source highlighted with
  its sources' short keys (S1, S2 ...); or only what changed since its clinical review.
- **Sources.** One entry per source: its citation, and the recorded figures that the pages give, each with its
  locator and a box to tick.
- **Open questions**, only those a reviewer can act on.
- The caveat and the urgent-help box, once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

from ...load.figures import Figure
from ...load.pages import Page, Source
from ...load.review_records import ReviewState
from ...load.settings import SiteSettings, UrgentHelp
from ...render.rendering import PageReading
from ...word_diff import Segment
from ..code import review_code


@dataclass(frozen=True)
class Key:
    """A citation as the packet shows it: the source's key (S1) and the place in the source the page gives."""

    number: int
    locator: str = ""


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int
    keys: tuple[Key, ...] = ()
    claim: bool = False  # highlighted: it cites a source, or states a figure's number without one
    uncited: bool = False  # it states a figure's number and cites no source
    question: int = 0  # the number of its open question, if it raises one


@dataclass(frozen=True)
class Block:
    """A block of a page as the packet shows it: 'title', 'description', 'nav_title', 'h2' ... 'h6', 'p', 'li', 'tr',
    'th' (a table's header row), 'figure' (an icon array or bar chart), 'term' (a glossary entry), 'sources' (the
    source list of the sources page)."""

    kind: str
    line: int
    sentences: tuple[Sentence, ...]
    headers: tuple[str, ...] = ()  # a table row's column headings

    @property
    def heading_level(self) -> int:
        """The page's h2 is the packet's h3: the packet's h2 is the page (its title is the page's h1)."""
        return min(int(self.kind[1]) + 1, 6) if self.kind in ("h1", "h2", "h3", "h4", "h5", "h6") else 0

    @property
    def splittable(self) -> bool:
        return self.kind in ("p", "li", "term")


@dataclass(frozen=True)
class Change:
    """A sentence that changed since the review: its words then and now, as runs that stayed, went or came."""

    line: int
    kind: Literal["changed", "added", "removed"]
    field: str  # "title", "description", "nav_title", "body" or "term"
    segments: tuple[Segment, ...]
    sentence: Sentence | None  # as it is now; None when it was removed
    cited_before: tuple[str, ...] = ()  # its citations then, when they were other than now (source ids, locators)


@dataclass(frozen=True)
class SourceChange:
    """A detail of a source's entry that changed since the review: its field, and its value then and now."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Changes:
    """What changed since a page's review, against the text git holds at the review's commit."""

    sentences: tuple[Change, ...]
    unchanged: int  # sentences that stayed the same
    sources: dict[str, tuple[SourceChange, ...]] = field(default_factory=dict)  # id -> changed details, for sources the page cites
    figures: frozenset[tuple[str, str]] = frozenset()  # Figure.key of figures recorded anew or changed, of those sources
    site_text: tuple[str, ...] = ()  # "caveat", "urgent-help box"


# Why a page is shown whole: it has no review; git, the review's commit or the page then cannot be read; its review
# covers it as it is, and it was named (for a reviewer of another scope); or --whole asked for it. "changes": it is
# not. "current": its review covers it as it is, and it was not named, so it is left out.
Why = Literal["no-review", "no-git", "no-commit", "commit-missing", "unknown", "reviewed", "asked", "changes", "current"]


@dataclass(frozen=True)
class PacketPage:
    page: Page
    anchor: str
    review: ReviewState
    why: Why  # why the page is shown whole ("changes": it is not)
    blocks: tuple[Block, ...] = ()  # the whole page
    changes: Changes | None = None  # only what changed since its review
    reading: PageReading | None = None
    urgent_help_form: str | None = None  # "full" or "compact": the form of the box the page shows, or None
    tick: str = ""  # the id of its tick box
    starts_on: int = 0  # the printed page it starts on, once the packet is laid out

    @property
    def code(self) -> str:
        return review_code(self.review.fingerprint)

    @property
    def whole(self) -> bool:
        return self.changes is None


@dataclass(frozen=True)
class Use:
    """Where a figure is given: a page (its title and anchor in the packet) and the lines of its file."""

    title: str
    anchor: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class FigureEntry:
    figure: Figure
    tick: str  # the id of its tick box
    value: str  # the value as a reader of the pages' language sees it
    uses: tuple[Use, ...]
    question: int = 0  # the number of its open question (no locator, and the source has pages), or 0
    changed: bool = False  # re-review: recorded anew, or with another value or locator, since the review


@dataclass(frozen=True)
class SourceEntry:
    number: int
    source: Source
    anchor: str
    figures: tuple[FigureEntry, ...]
    cited_on: tuple[Use, ...]  # the pages in the packet that cite it
    changed: tuple[SourceChange, ...] = ()  # re-review: details changed since the review


@dataclass(frozen=True)
class Question:
    """An open question. One about a sentence ("unrecorded", "uncited") is asked in the packet's list of open
    questions; one about a figure with no locator ("unlocated") in the figure's entry, where the source is at hand."""

    number: int
    kind: Literal["unrecorded", "uncited", "unlocated"]
    page: str = ""  # the sentence's page: its title
    sentence: Sentence | None = None
    numbers: tuple[str, ...] = ()  # the numbers that no recorded figure gives

    @property
    def anchor(self) -> str:
        return f"question-{self.number}"


@dataclass(frozen=True)
class SiteText:
    """The caveat every page shows, and the urgent-help box in the forms that pages in the packet show."""

    caveat: str
    urgent_help: UrgentHelp
    forms: tuple[str, ...]  # "full", "compact"
    keys: tuple[Key, ...]  # the box's sources
    pages: dict[str, tuple[str, ...]]  # form -> titles of the pages in the packet that show it
    changed: tuple[str, ...] = ()  # re-review only: what of it changed ("caveat", "urgent-help box")
    caveat_before: str = ""


@dataclass(frozen=True)
class Packet:
    settings: SiteSettings
    made_on: datetime.date
    pages: tuple[PacketPage, ...]
    left_out: tuple[PacketPage, ...]  # pages whose clinical review covers them as they are: nothing to review
    sources: tuple[SourceEntry, ...]
    questions: tuple[Question, ...]
    site_text: SiteText | None  # None when no page in the packet shows it anew
    length: int = 0  # printed pages, once laid out
    questions_start: int = 0  # the printed page on which the open questions start, once laid out

    @property
    def ticks(self) -> int:
        return len(self.pages) + sum(len(s.figures) for s in self.sources)

    @property
    def figure_count(self) -> int:
        return sum(len(s.figures) for s in self.sources)

    @property
    def whole(self) -> bool:
        return any(p.whole for p in self.pages)
