"""The numbers in a piece of a page's text, each read with the words around it: "39 out of 100", "39%", "1 or 2 weeks".

What counts as a number (the README's editing guide says the same for editors):
- digits: 44, 38.6, 1,000; and small numbers written as words, two to twenty ("nine"). "One" is a number only in
  a share or beside a unit ("one in 10", "one week"), not in "one study" or "one kind of cell";
- not a number: digits that are part of a name (CD19, COVID-19, IL-6: a letter, or a letter and a hyphen, stands
  right before them); a year (a four-digit number from 1900 to 2100 with no unit after it); the day of a date
  ("30 November", "November 30", "2026-11-30"); the 100 of "out of 100" when no number stands before it. The
  numbers of a numbered list are not text at all: Markdown makes them the list's markers.

Each number is read as one of these (Quantity.kind): a natural frequency ("39 out of 100", "39 people out of
100"), a share ("14 of 44"), a percentage ("39%", "39 percent"), a duration ("33 months"), a range ("1 to 2 weeks",
"1-4", "between 1 and 2 weeks"), a temperature ("38 °C"), or else a count ("44"). The words come from the page's
language (languages.py). Reading is one left-to-right pass: at each number, the forms are tried in a fixed order,
each anchored there and bounded in length, so a text of n characters takes O(n).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..languages import TIME_UNITS, NumberWords
from ..load.figures import Quantity

HUNDRED = Decimal(100)
YEAR = re.compile(r"(?:1[89]\d\d|20\d\d|2100)")


@dataclass(frozen=True)
class Mention:
    """A number in a text, read with the words around it."""

    quantity: Quantity  # kind: count, share, frequency, percentage, duration, range or temperature
    start: int
    end: int
    text: str  # as written: "39 out of 100", "1 or 2 weeks"
    parts: tuple[Mention, ...] = ()  # a range's two ends, or N and M of "N of M": checked one by one when the whole is no figure


def _words(words: tuple[str, ...] | list[str]) -> str:
    """An alternation of words or phrases, longest first; a space in a phrase matches any run of spaces."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _after_word(words: tuple[str, ...]) -> str:
    """Like _words, each word that ends in a letter followed by a word boundary ('%' needs none)."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") + (r"\b" if w[-1].isalnum() else "") for w in sorted(words, key=len, reverse=True))


class Reader:
    """Reads the numbers of texts in one language."""

    def __init__(self, words: NumberWords) -> None:
        self.words = words
        self.units = {name: unit for unit in TIME_UNITS for name in words.units[unit]}
        self.spelled = {**words.spelled, **words.weak}
        thousands, decimal = re.escape(words.thousands_mark), re.escape(words.decimal_mark)
        digits = rf"(?:\d{{1,3}}(?:{thousands}\d{{3}})+(?!\d)|\d+)(?:{decimal}\d+)?"
        start = r"(?<![^\W\d_])(?<![^\W\d_]-)(?<!\d)(?<!\d\.)"  # not in a name (CD19, IL-6) nor in another number
        spelled = rf"\b(?:{_words(list(words.spelled))})\b"
        weak = rf"\b(?:{_words(list(words.weak))})\b"
        strong = rf"(?:{start}{digits}|(?i:{spelled}))"
        any_number = rf"(?:{strong}|(?i:{weak}))"
        units = rf"(?i:{_words(list(self.units))})\b"
        percent = rf"(?i:{_after_word(words.percent_words)})"
        share = rf"(?i:{_words(words.share_words)})"
        after_noun = rf"(?i:{_words(words.share_words_after_noun)})"
        articles = rf"(?:(?i:{_words(words.articles)})\s+)?" if words.articles else ""
        months = _words(words.months)
        months = months if words.months_case_sensitive else f"(?i:{months})"
        low, high = words.between
        range_words = [w for w in words.range_words if w[0].isalnum()]
        range_marks = [w for w in words.range_words if not w[0].isalnum()]
        joiners = rf"(?:\s*(?:{_words(range_marks)})\s*|\s+(?i:{_words(range_words)})\s+)"
        unit_after = rf"(?P<u>\s?{percent}|\s+{units})?"
        day_words = "|".join(rf"{re.escape(w)}\s+" for w in words.day_month_words if w)
        ordinals = f"(?:{_words(words.ordinal_suffixes)})?" if words.ordinal_suffixes else ""
        optional_day_word = f"(?:{day_words})?" if "" in words.day_month_words else f"(?:{day_words})"
        self.maybe = re.compile(rf"\d|(?i:{spelled}|{weak})")  # a quick test before reading
        self.candidate = re.compile(
            rf"(?P<number>{any_number})"
            rf"|(?P<hundred>\b{after_noun}\s+100\b(?![{decimal}{thousands}]?\d))"
            rf"|(?P<between>(?i:\b{re.escape(low)}\b)(?=\s+{any_number}))"
            + (rf"|(?P<month>\b(?:{months})\b)" if words.month_day_order else "")
        )
        self.forms: list[tuple[str, re.Pattern[str]]] = [
            ("exempt", re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")),  # a date written 2026-11-30
            ("exempt", re.compile(rf"\d{{1,2}}{ordinals}\s+{optional_day_word}(?:{months})\b")),  # the day of "30 November"
            ("temperature", re.compile(rf"(?P<a>{strong})\s?°\s?(?P<s>[CF])\b")),
            ("range", re.compile(rf"(?P<a>{any_number}){joiners}(?P<b>{strong}){unit_after}")),
            ("share", re.compile(rf"(?P<a>{any_number})\s+(?P<noun>[^\W\d_]+)\s+(?P<j>{after_noun})\s+{articles}(?P<b>{strong})")),
            ("share", re.compile(rf"(?P<a>{any_number})\s+(?P<j>{share})\s+{articles}(?P<b>{strong})")),
            ("percentage", re.compile(rf"(?P<a>{strong})\s?{percent}")),
            ("duration", re.compile(rf"(?P<a>{any_number})(?:\s+|-)(?P<u>{units})")),
            ("exempt", re.compile(rf"{YEAR.pattern}(?!\d|[{decimal}{thousands}]\d)")),  # a year
            ("count", re.compile(rf"(?P<a>{strong})")),
        ]
        self.between = re.compile(rf"(?i:{re.escape(low)})\s+(?P<a>{any_number})\s+(?i:{re.escape(high)})\s+(?P<b>{strong}){unit_after}")
        self.month_day = re.compile(rf"(?:{months})\.?\s+\d{{1,2}}{ordinals}\b(?![{decimal}{thousands}]?\d)")
        self.weak_share_words = {" ".join(w.lower().split()) for w in words.share_words_after_noun}

    def value(self, text: str) -> Decimal:
        """The value of a number as written: digits (with this language's marks) or a word."""
        word = self.spelled.get(text.lower())
        if word is not None:
            return Decimal(word)
        return Decimal(text.replace(self.words.thousands_mark, "").replace(self.words.decimal_mark, "."))

    def is_weak(self, text: str) -> bool:
        return text.lower() in self.words.weak

    def mentions(self, text: str) -> list[Mention]:
        """Every number of text that may be a figure, in order."""
        found: list[Mention] = []
        if self.maybe.search(text) is None:
            return found
        position = 0
        while (candidate := self.candidate.search(text, position)) is not None:
            start = candidate.start()
            if candidate.lastgroup == "hundred":  # "out of 100" with no number before it: the 100 is no figure
                position = candidate.end()
                continue
            if candidate.lastgroup == "month":
                day = self.month_day.match(text, start)
                position = day.end() if day else candidate.end()
                continue
            if candidate.lastgroup == "between":
                match = self.between.match(text, start)
                if match is None:
                    position = candidate.end()
                    continue
                found.append(self.range(match, text))
                position = match.end()
                continue
            mention, position = self.read_at(text, start, candidate.end())
            if mention is not None:
                found.append(mention)
        return found

    def read_at(self, text: str, start: int, fallback_end: int) -> tuple[Mention | None, int]:
        """The mention that starts at start, and where reading goes on."""
        for kind, form in self.forms:
            match = form.match(text, start)
            if match is None:
                continue
            if kind == "exempt":
                return None, match.end()
            weak = self.is_weak(match.group("a"))
            if kind == "range":
                if YEAR.fullmatch(match.group("a")) and YEAR.fullmatch(match.group("b")) and not match.group("u"):
                    return None, match.end()  # "2019-2021": years
                if self.value(match.group("a")) >= self.value(match.group("b")):
                    continue  # "9 or 2": two numbers, not a range
                return self.range(match, text), match.end()
            if kind == "share":
                if match.groupdict().get("noun") and match.group("noun").lower() in self.units:
                    continue  # "4 months out of 12" is a duration first
                if weak and " ".join(match.group("j").lower().split()) not in self.weak_share_words:
                    continue  # "one of three types": 'one' is a word here
                return self.share(match, text), match.end()
            if weak and kind != "duration":
                return None, fallback_end
            a = self.value(match.group("a"))
            if kind == "temperature":
                quantity = Quantity("temperature", a, unit=match.group("s"))
            elif kind == "percentage":
                quantity = Quantity("percentage", a)
            elif kind == "duration":
                quantity = Quantity("duration", a, unit=self.units[match.group("u").lower()])
            else:
                quantity = Quantity("count", a)
            return Mention(quantity, start, match.end(), text[start : match.end()]), match.end()
        return None, fallback_end

    def share(self, match: re.Match[str], text: str) -> Mention:
        n, m = self.value(match.group("a")), self.value(match.group("b"))
        start, end = match.start(), match.end()
        if m == HUNDRED:
            return Mention(Quantity("frequency", n), start, end, text[start:end])
        parts = tuple(
            Mention(Quantity("count", value), match.start(group), match.end(group), match.group(group))
            for group, value in (("a", n), ("b", m))
            if not (YEAR.fullmatch(match.group(group)))
        )
        return Mention(Quantity("share", n, m), start, end, text[start:end], parts)

    def range(self, match: re.Match[str], text: str) -> Mention:
        low, high = self.value(match.group("a")), self.value(match.group("b"))
        suffix = (match.group("u") or "").strip()
        unit = "" if not suffix else self.units.get(suffix.lower(), "%")
        kind = {"": "count", "%": "percentage"}.get(unit, "duration")
        start, end = match.start(), match.end()
        parts = tuple(
            Mention(
                Quantity(kind, value, unit=unit if kind == "duration" else ""), match.start(group), match.end(group), match.group(group)
            )
            for group, value in (("a", low), ("b", high))
            if not (kind == "count" and YEAR.fullmatch(match.group(group)))
        )
        return Mention(Quantity("range", low, high, unit), start, end, text[start:end], parts)


_READERS: dict[str, Reader] = {}


def reader_for(words: NumberWords) -> Reader:
    """The Reader of a language, made once per process (compiling its patterns takes a few milliseconds)."""
    reader = _READERS.get(words.language)
    if reader is None or reader.words is not words:
        reader = _READERS[words.language] = Reader(words)
    return reader
