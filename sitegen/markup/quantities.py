"""The numbers in a piece of a page's text, each read with the words around it: "39 out of 100", "39%", "1 or 2 weeks".

What counts as a number (the editing guide, docs/editing.md, says the same for editors):
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
DIGIT = re.compile(r"\d")


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
        self.number_words = tuple(sorted({*words.spelled, *words.weak}, key=len))  # for a quick test before reading
        self.candidate = re.compile(
            rf"(?P<number>{any_number})"
            rf"|(?P<hundred>\b{after_noun}\s+100\b(?![{decimal}{thousands}]?\d))"
            rf"|(?P<between>(?i:\b{re.escape(low)}\b)(?=\s+{any_number}))"
            + (rf"|(?P<month>\b(?:{months})\b)" if words.month_day_order else "")
        )
        # What may follow a number, each matched where the number ends (the number itself is read once).
        self.iso_date = re.compile(r"-\d{2}-\d{2}(?!\d)")  # after four digits: a date written 2026-11-30
        self.day_of_month = re.compile(rf"{ordinals}\s+{optional_day_word}(?:{months})\b")  # "30 November"
        self.temperature = re.compile(r"\s?°\s?(?P<s>[CF])\b")
        self.range_end = re.compile(rf"{joiners}(?P<b>{strong}){unit_after}")
        self.share_after_noun = re.compile(rf"\s+(?P<noun>[^\W\d_]+)\s+(?P<j>{after_noun})\s+{articles}(?P<b>{strong})")
        self.share_end = re.compile(rf"\s+(?P<j>{share})\s+{articles}(?P<b>{strong})")
        self.percent = re.compile(rf"\s?{percent}")
        self.duration = re.compile(rf"(?:\s+|-)(?P<u>{units})")
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
        if DIGIT.search(text) is None:  # most sentences have no number: a quick test before reading
            lowered = text.lower()
            if not any(word in lowered for word in self.number_words):
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
                if self.value(match.group("a")) < self.value(match.group("b")):
                    found.append(self.range(text, (match.start("a"), match.end("a")), match, match.group("u"), start))
                position = match.end()
                continue
            mention, position = self.read_at(text, start, candidate.end())
            if mention is not None:
                found.append(mention)
        return found

    def read_at(self, text: str, start: int, end: int) -> tuple[Mention | None, int]:
        """The mention of the number text[start:end], read with what follows it; and where reading goes on."""
        written = text[start:end]
        weak = written.lower() in self.words.weak
        digits = written[0].isdigit()
        if digits and len(written) == 4 and (date := self.iso_date.match(text, end)):
            return None, date.end()
        if digits and len(written) <= 2 and (day := self.day_of_month.match(text, end)):
            return None, day.end()
        if not weak and (degrees := self.temperature.match(text, end)):
            return self.mention(
                Quantity("temperature", self.value(written), unit=degrees.group("s")), text, start, degrees.end()
            ), degrees.end()
        if (other := self.range_end.match(text, end)) is not None:
            if YEAR.fullmatch(written) and YEAR.fullmatch(other.group("b")) and not other.group("u"):
                return None, other.end()  # "2019-2021": years
            if self.value(written) < self.value(other.group("b")):  # "9 or 2" is two numbers, not a range
                return self.range(text, (start, end), other, other.group("u")), other.end()
        for pattern in (self.share_after_noun, self.share_end):
            other = pattern.match(text, end)
            if other is None:
                continue
            if other.groupdict().get("noun") and other.group("noun").lower() in self.units:
                continue  # "4 months out of 12" is a duration first
            if weak and " ".join(other.group("j").lower().split()) not in self.weak_share_words:
                continue  # "one of three types": 'one' is a word here
            return self.share(text, (start, end), other), other.end()
        if not weak and (sign := self.percent.match(text, end)):
            return self.mention(Quantity("percentage", self.value(written)), text, start, sign.end()), sign.end()
        if (unit := self.duration.match(text, end)) is not None:
            quantity = Quantity("duration", self.value(written), unit=self.units[unit.group("u").lower()])
            return self.mention(quantity, text, start, unit.end()), unit.end()
        if weak or (digits and YEAR.fullmatch(written)):
            return None, end  # 'one' as a word, or a year
        return self.mention(Quantity("count", self.value(written)), text, start, end), end

    @staticmethod
    def mention(quantity: Quantity, text: str, start: int, end: int, parts: tuple[Mention, ...] = ()) -> Mention:
        return Mention(quantity, start, end, text[start:end], parts)

    def share(self, text: str, first: tuple[int, int], other: re.Match[str]) -> Mention:
        n, m = self.value(text[first[0] : first[1]]), self.value(other.group("b"))
        if m == HUNDRED:
            return self.mention(Quantity("frequency", n), text, first[0], other.end())
        ends = ((first, n), ((other.start("b"), other.end("b")), m))
        parts = tuple(self.mention(Quantity("count", v), text, a, b) for (a, b), v in ends if not YEAR.fullmatch(text[a:b]))
        return self.mention(Quantity("share", n, m), text, first[0], other.end(), parts)

    def range(self, text: str, first: tuple[int, int], other: re.Match[str], suffix: str | None, start: int | None = None) -> Mention:
        low, high = self.value(text[first[0] : first[1]]), self.value(other.group("b"))
        suffix = (suffix or "").strip()
        unit = "" if not suffix else self.units.get(suffix.lower(), "%")
        kind = {"": "count", "%": "percentage"}.get(unit, "duration")
        end_unit = unit if kind == "duration" else ""
        ends = ((first, low), ((other.start("b"), other.end("b")), high))
        parts = tuple(
            self.mention(Quantity(kind, v, unit=end_unit), text, a, b)
            for (a, b), v in ends
            if not (kind == "count" and YEAR.fullmatch(text[a:b]))
        )
        return self.mention(Quantity("range", low, high, unit), text, first[0] if start is None else start, other.end(), parts)


_READERS: dict[str, Reader] = {}


def reader_for(words: NumberWords) -> Reader:
    """The Reader of a language, made once per process (compiling its patterns takes a few milliseconds)."""
    reader = _READERS.get(words.language)
    if reader is None or reader.words is not words:
        reader = _READERS[words.language] = Reader(words)
    return reader
