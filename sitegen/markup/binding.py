"""Numbers bound to their sources: every number in a text that cites sources must be a figure one of them records.

A number matches a recorded figure (load/figures.py) of a cited source when it gives that figure in any accepted
form, in the page's language:
- the value itself: 39% for 39%, 44 for 44, 33 months, 1 to 2 weeks (or 1 or 2 weeks, 1-2 weeks);
- its natural frequency, rounded as the figure says: "39 out of 100" for 39%, "22 out of 100" for 2 of 9;
- its percentage: 22% for 2 of 9;
- its complement, what is left of 100: "61 out of 100 did not" (or 61%) for 39%; the rest of 2 of 9 is 7 of 9;
- spelled out: "nine" for 9 (quantities.py reads the words);
- for a range, each end beside its unit ("2 weeks" for 1 to 2 weeks); for "N of M", N or M alone;
- for a temperature, the same in the other scale: 100.4 °F for 38 °C.

Three rules beyond matching:
- Forms beside each other must agree: in "39 out of 100 (45%)" the frequency and the bracketed percentage give two
  numbers, which is an error even when each is some figure. So is "38 °C (101.4 °F)".
- A complement is accepted only beside its figure: "61 out of 100 did not" needs "39 out of 100" (or 39%) in the
  same paragraph, list item, table row, definition or picture; alone it more likely belongs to another figure.
- A number whose cited sources record no figures at all is a missing record: a warning (an error with --strict);
  a number that matches none of the figures they do record is an error, with the closest figures as a hint.

The check binds a number to the figures of the sources cited beside it, not to the one the editor meant: moving
"20 out of 100" to "22 out of 100" in a sentence that cites a source recording both passes (though its complement
then fails). The figures themselves are checked once against the source, by a reviewer.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..languages import NumberWords
from ..load.figures import Figure, Quantity
from ..problems import Problem, error, warning
from .quantities import Mention, Reader, reader_for

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
PAIRED = re.compile(r"(?:\s+[^\W\d_]+){0,3}\s*\(\s*")  # "39 out of 100 people (39%)": up to three words, then a bracket
SHARES = ("frequency", "percentage", "share")
MOST_COMPARED = 2000  # figures compared for one "did you mean"


@dataclass(frozen=True)
class Claim:
    """A text that cites sources: a sentence, a table cell, a picture's field, a glossary definition."""

    text: str
    line: int
    sources: tuple[str, ...]
    breaks: tuple[int, ...] = ()  # offsets in text at which a new line of the file begins

    def line_at(self, offset: int) -> int:
        return self.line + bisect.bisect_right(self.breaks, offset)


@dataclass(frozen=True)
class Reading:
    figure: Figure
    rest: bool = False  # the complement: "61 out of 100 did not" for 39%


@dataclass
class BlockResult:
    problems: list[Problem] = field(default_factory=list)
    used: set[tuple[str, str]] = field(default_factory=set)  # Figure.key of every figure the block gives


def celsius(value: Decimal, scale: str) -> Decimal:
    degrees = (value - 32) * 5 / 9 if scale == "F" else value
    return degrees.quantize(TENTH, rounding=ROUND_HALF_UP)


def in_words(quantity: Quantity, words: NumberWords) -> str:
    """A recorded value as a reader of this language sees it: 39%, 14 of 44, 33 months, 1 to 2 weeks, 38 °C (100.4 °F)."""
    kind, number, other, unit = quantity.kind, quantity.number, quantity.other, quantity.unit
    if kind == "percentage":
        return words.percent(number)
    if kind == "share" and other is not None:
        return words.share(number, other)
    if kind == "duration":
        return words.duration(number, unit)
    if kind == "range" and other is not None:
        return words.range(number, other, unit)
    if kind == "temperature":
        converted = number * 9 / 5 + 32 if unit == "C" else (number - 32) * 5 / 9
        other_scale = converted.quantize(TENTH, rounding=ROUND_HALF_UP).normalize()
        return f"{words.number(number)} °{unit} ({words.number(other_scale)} °{'F' if unit == 'C' else 'C'})"
    return words.number(number)


def keys_of(quantity: Quantity) -> list[tuple[object, ...]]:
    """What a number in a page's text is looked up by."""
    kind, number, other, unit = quantity.kind, quantity.number, quantity.other, quantity.unit
    if kind == "count":
        return [("count", number)]
    if kind == "frequency":
        return [("freq", number)]
    if kind == "percentage":
        return [("pct", number)]
    if kind == "share":
        return [("share", number, other)]
    if kind == "duration":
        return [("dur", number, unit)]
    if kind == "range":
        return [("range", number, other, unit)]
    if kind == "temperature":
        return [("temp", celsius(number, unit))]
    return []


def readings_of(figure: Figure) -> list[tuple[tuple[object, ...], bool]]:
    """Every key under which a page may give figure, and whether it is the complement."""
    value = figure.value
    kind, number, other, unit = value.kind, value.number, value.other, value.unit
    found: list[tuple[tuple[object, ...], bool]] = []
    if kind == "count":
        found.append((("count", number), False))
    elif kind == "share" and other is not None:
        found += [(("share", number, other), False), (("share", other - number, other), True)]
        found += [(("count", number), False), (("count", other), False)]
    elif kind == "duration":
        found.append((("dur", number, unit), False))
    elif kind == "range" and other is not None:
        found.append((("range", number, other, unit), False))
        end_key = {"": "count", "%": "pct"}.get(unit, "dur")
        for end in (number, other):
            found.append(((end_key, end, unit) if end_key == "dur" else (end_key, end), False))
            if unit == "%":
                found.append((("freq", end), False))
    elif kind == "temperature":
        found.append((("temp", celsius(number, unit)), False))
    for rounded in figure.rounded():
        for key in ("pct", "freq"):
            found += [((key, rounded), False), ((key, HUNDRED - rounded), True)]
    return found


class FigureIndex:
    """Every recorded figure, by source and by what a page may write for it: one look-up per number."""

    def __init__(self, figures: Iterable[Figure]) -> None:
        self.by_source: dict[str, list[Figure]] = {}
        self.lookup: dict[str, dict[tuple[object, ...], list[Reading]]] = {}
        for figure in figures:
            self.by_source.setdefault(figure.source, []).append(figure)
            table = self.lookup.setdefault(figure.source, {})
            for key, rest in readings_of(figure):
                table.setdefault(key, []).append(Reading(figure, rest))

    def readings(self, quantity: Quantity, sources: Iterable[str]) -> list[Reading]:
        keys = keys_of(quantity)
        return [r for source in sources for key in keys for r in self.lookup.get(source, {}).get(key, ())]


def as_percent(quantity: Quantity) -> Decimal | None:
    if quantity.kind in ("frequency", "percentage"):
        return quantity.number
    if quantity.kind == "share" and quantity.other:
        return HUNDRED * quantity.number / quantity.other
    return None


def disagree(first: Quantity, second: Quantity) -> bool:
    """Whether two forms side by side ("39 out of 100 (45%)", "38 °C (101.4 °F)") give different numbers."""
    if first.kind in SHARES and second.kind in SHARES:
        a, b = as_percent(first), as_percent(second)
        return a is not None and b is not None and abs(a - b) >= 1
    if first.kind == second.kind == "temperature":
        return abs(celsius(first.number, first.unit) - celsius(second.number, second.unit)) > TENTH
    return False


def listing(names: Sequence[str], joiner: str = "or") -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {joiner} {names[-1]}"


class NumberCheck:
    """The check of a site's numbers against its recorded figures, in one language."""

    def __init__(
        self,
        figures: Iterable[Figure],
        words: NumberWords,
        known: Iterable[str] = (),
        sources_shown: str = "content/sources.md",
        unreadable: Iterable[str] = (),
    ) -> None:
        self.index = FigureIndex(figures)
        self.known = frozenset(known) | frozenset(self.index.by_source)  # every source id; citations of others are reported elsewhere
        self.unreadable = frozenset(unreadable)  # sources whose entry has problems: their figures are unknown, so not checked
        self.words = words
        self.reader: Reader = reader_for(words)
        self.sources_shown = sources_shown

    def has_number(self, text: str) -> bool:
        return bool(self.reader.mentions(text))

    def check_block(self, claims: Sequence[Claim], block: str, shown: str, seen: Iterable[tuple[str, str]] = ()) -> BlockResult:
        """Check the claims of one block (a paragraph, list item, table row, definition or picture); block names it
        for messages. seen holds figures the block gives outside its text (a picture's drawn value)."""
        result = BlockResult()
        given: set[tuple[str, str]] = set(seen)
        waiting: list[tuple[Claim, Mention, list[Reading]]] = []
        for claim in claims:
            sources = tuple(s for s in dict.fromkeys(claim.sources) if s in self.known)
            if not sources or self.unreadable.intersection(claim.sources):
                continue
            unrecorded: list[Mention] = []
            unmatched: list[list[Mention]] = []  # each number that matches nothing; a pair that agrees is one
            mentions = self.reader.mentions(claim.text)
            index = 0
            while index < len(mentions):
                group = [mentions[index]]
                partner = self.partner(claim.text, mentions, index)
                if partner is not None:
                    group.append(partner)
                    if self.disagree(group[0], partner, sources):
                        given |= {r.figure.key for m in group for r in self.bind(m, sources) if not r.rest}
                        result.problems.append(error(shown, claim.line_at(group[0].start), self.disagreement(group[0], partner, sources)))
                        index += 2
                        continue
                missing = []
                for mention in group:
                    readings = self.bind(mention, sources)
                    direct = {r.figure.key for r in readings if not r.rest}
                    given |= direct
                    if not direct and readings:
                        waiting.append((claim, mention, readings))
                    elif not readings:
                        missing.append(mention)
                if missing and not self.recording(sources):
                    unrecorded += missing
                elif missing:
                    unmatched.append(missing)
                index += len(group)
            if unrecorded:
                result.problems.append(self.unrecorded(unrecorded, sources, shown, claim.line_at(unrecorded[0].start)))
            for found in unmatched:
                result.problems.append(self.unmatched(found, sources, shown, claim.line_at(found[0].start)))
        for claim, mention, readings in waiting:
            if not any(r.figure.key in given for r in readings):
                result.problems.append(error(shown, claim.line_at(mention.start), self.lonely_rest(mention, readings[0].figure, block)))
        result.used = given
        return result

    def bind(self, mention: Mention, sources: Sequence[str]) -> list[Reading]:
        """The figures mention gives; a range or a share that is no figure as a whole may give one with each part."""
        readings = self.index.readings(mention.quantity, sources)
        if readings or not mention.parts:
            return readings
        by_part = [self.index.readings(part.quantity, sources) for part in mention.parts]
        if all(any(not r.rest for r in found) for found in by_part):
            return [r for found in by_part for r in found if not r.rest]
        return []

    def disagree(self, first: Mention, second: Mention, sources: Sequence[str]) -> bool:
        """Whether two forms side by side give different numbers: forms of one figure, rounded as it says, agree."""
        readings = [{(r.figure.key, r.rest) for r in self.bind(m, sources)} for m in (first, second)]
        return not (readings[0] & readings[1]) and disagree(first.quantity, second.quantity)

    @staticmethod
    def partner(text: str, mentions: Sequence[Mention], index: int) -> Mention | None:
        """The mention in brackets right after mentions[index], as in "39 out of 100 people (39%)"."""
        if index + 1 >= len(mentions):
            return None
        first, second = mentions[index], mentions[index + 1]
        between = PAIRED.fullmatch(text, first.end, second.start)
        closes = re.match(r"\s*\)", text[second.end : second.end + 3])
        return second if between and closes else None

    def recording(self, sources: Sequence[str]) -> list[str]:
        return [s for s in sources if self.index.by_source.get(s)]

    def unmatched(self, mentions: Sequence[Mention], sources: Sequence[str], shown: str, line: int, what: str = "") -> Problem:
        """The problem with a number that matches no figure (or two forms side by side that agree and match none);
        what names a picture's field that holds it."""
        subject = f"{what} ({mentions[0].text})" if what else listing([f"'{m.text}'" for m in mentions], "and")
        recording = self.recording(sources)
        if not recording:
            return self.unrecorded(mentions, sources, shown, line, subject)
        closest = self.closest(mentions[0].quantity, recording)
        where = f"no figure recorded for {listing(recording)}"
        match = "match" if len(mentions) > 1 else "matches"
        if not closest:
            records = "records" if len(recording) == 1 else "record"
            return error(
                shown,
                line,
                f"{subject} {match} {where}, which {records} no {self.kind_words(mentions[0].quantity)}; "
                f"record it under its source in {self.sources_shown} if the source gives it",
            )
        hints = listing([self.hint(form, figure, len(recording) > 1) for form, figure in closest])
        return error(shown, line, f"{subject} {match} {where}; did you mean {hints}?")

    def unrecorded(self, mentions: Sequence[Mention], sources: Sequence[str], shown: str, line: int, subject: str = "") -> Problem:
        """A missing record: numbers whose cited sources record no figures at all (a warning; an error with --strict)."""
        texts = list(dict.fromkeys(f"'{m.text}'" for m in mentions))
        subject = subject or listing(texts, "and")
        cite = "cites" if len(texts) == 1 else "cite"
        records = "records" if len(sources) == 1 else "record"
        return warning(
            shown,
            line,
            f"{subject} {cite} {listing(sources, 'and')}, which {records} no figures yet: record each figure under the source that "
            f"gives it in {self.sources_shown} (only what the source says)",
        )

    def disagreement(self, first: Mention, second: Mention, sources: Sequence[str]) -> str:
        bound = [r.figure for m in (first, second) for r in self.bind(m, sources) if not r.rest]
        known = f" ({bound[0].source} records {bound[0].name}: {bound[0].written})" if bound else ""
        return f"'{first.text}' and '{second.text}' beside it give two different numbers; both forms must give the same figure{known}"

    @staticmethod
    def lonely_rest(mention: Mention, figure: Figure, block: str) -> str:
        return (
            f"'{mention.text}' would be the rest of {figure.source}'s {figure.name} ({figure.written}), but this {block} does not "
            "give that figure itself; give both in the same place, or check the number"
        )

    @staticmethod
    def hint(form: str, figure: Figure, name_source: bool) -> str:
        source = f"{figure.source}'s " if name_source else ""
        value = "" if form == figure.written else f": {figure.written}"
        return f"'{form}' ({source}{figure.name}{value})"

    def kind_words(self, quantity: Quantity) -> str:
        if quantity.kind == "duration":
            return f"duration in {self.words.units[quantity.unit][1]}"
        return {
            "count": "count",
            "frequency": "percentage or 'N of M'",
            "percentage": "percentage or 'N of M'",
            "share": "'N of M'",
            "range": "range",
            "temperature": "temperature",
        }[quantity.kind]

    def closest(self, quantity: Quantity, sources: Sequence[str], most: int = 2) -> list[tuple[str, Figure]]:
        """Up to most figures of sources nearest to quantity, each in the form the page used."""
        words = self.words
        scored: list[tuple[Decimal, int, str, Figure]] = []
        order = 0
        for source in sources:
            for figure in self.index.by_source.get(source, ()):
                order += 1
                if order > MOST_COMPARED:  # a hint costs a bounded amount, however many figures the sources record
                    break
                for distance, form in self.distances(quantity, figure, words):
                    scored.append((distance, order, form, figure))
        scored.sort(key=lambda item: (item[0], item[1]))
        chosen: list[tuple[str, Figure]] = []
        for _, _, form, figure in scored:
            if all(figure is not other and form != shown for shown, other in chosen):
                chosen.append((form, figure))
            if len(chosen) == most:
                break
        return chosen

    @staticmethod
    def distances(quantity: Quantity, figure: Figure, words: NumberWords) -> list[tuple[Decimal, str]]:
        """How far quantity is from each form of figure that could stand in its place, and that form."""
        value, kind, number = figure.value, quantity.kind, quantity.number
        if kind in ("frequency", "percentage"):
            shown = words.frequency if kind == "frequency" else words.percent
            forms = [r for rounded in sorted(figure.rounded()) for r in (rounded, HUNDRED - rounded)]
            if kind == "frequency":  # "about 39 out of 100", never "38.6 out of 100"
                forms = [r for r in forms if r == r.to_integral_value()]
            return [(abs(number - r), shown(r)) for r in forms]
        if kind == "count":
            counts: list[Decimal | None] = []
            if value.kind == "count":
                counts = [value.number]
            elif value.kind == "share" or (value.kind == "range" and not value.unit):
                counts = [value.number, value.other]
            return [(abs(number - end), words.number(end)) for end in counts if end is not None]
        if kind == "share" and value.kind == "share" and value.other is not None and quantity.other is not None:
            return [(abs(number - value.number) + abs(quantity.other - value.other), words.share(value.number, value.other))]
        if kind == "duration" and value.unit == quantity.unit and value.kind in ("duration", "range"):
            ends = [value.number] + ([value.other] if value.kind == "range" and value.other is not None else [])
            return [(abs(number - end), words.duration(end, value.unit)) for end in ends]
        if kind == "range" and value.kind == "range" and value.unit == quantity.unit and value.other is not None:
            distance = abs(number - value.number) + abs((quantity.other or number) - value.other)
            return [(distance, words.range(value.number, value.other, value.unit))]
        if kind == "temperature" and value.kind == "temperature":
            degrees = celsius(number, quantity.unit) - celsius(value.number, value.unit)
            return [(abs(degrees), f"{words.number(value.number)} °{value.unit}")]
        return []
