"""The words each language uses for numbers, in one place: what the number check reads and the sources page writes.

A page is checked against its sources' recorded figures in the page's own language (markup/quantities.py reads
these words, markup/binding.py matches what it finds): "39 out of 100" in English is "39 de cada 100" in Spanish,
"39%" is "39 %", and "nine" is "nueve". Adding a language means adding one NumberWords here; nothing else in the
check names a word of any language. The site's language (settings 'language', such as 'en' or 'en-US') picks the
table by its first part.

The sources list records figures in one fixed, English form (load/figures.py reads it with RECORD_WORDS), so that
a figure is written once, whatever languages the pages are in.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

TIME_UNITS = ("hour", "day", "week", "month", "year")  # the units of a duration, in every language's table
NBSP = "\u00a0"


@dataclass(frozen=True)
class NumberWords:
    """How one language writes numbers, natural frequencies, percentages, durations, ranges and dates."""

    language: str
    decimal_mark: str  # 6.5
    thousands_mark: str  # 1,000
    spelled: Mapping[str, int]  # small numbers written as words, in lower case: nine -> 9
    weak: Mapping[str, int]  # words that are numbers only beside a unit or in a share ("one week", "one in 10"), not in "one study"
    share_words: tuple[str, ...]  # between N and M of "N out of M", longest first
    share_words_after_noun: tuple[str, ...]  # those that may follow a noun: "39 people out of 100"
    articles: tuple[str, ...]  # between the share words and M: "14 of the 44"
    percent_words: tuple[str, ...]  # after a number: "%", "percent"
    range_words: tuple[str, ...]  # between the two ends of a range: "1 to 2 weeks", "1 or 2 weeks"
    between: tuple[str, str]  # "between 1 and 2 weeks"
    units: Mapping[str, tuple[str, str]]  # each of TIME_UNITS: (singular, plural)
    months: tuple[str, ...]  # month names and their abbreviations, as they are written
    months_case_sensitive: bool  # English capitalises months ("may" is also a verb); Spanish does not
    day_month_words: tuple[str, ...]  # what may stand between a day and its month: "" for "30 November", "de" for "30 de noviembre"
    month_day_order: bool  # "November 30" is a date too
    ordinal_suffixes: tuple[str, ...]  # "30th November"
    frequency_form: str  # a natural frequency: "{n} out of 100"
    share_form: str  # "N of M": "{n} of {m}"
    percent_form: str  # "{p}%": Spanish puts a space before % (RAE, Fundéu)
    range_form: str  # "{low} to {high}"
    style_checks: bool = False  # warn about numbers written against the language's style ('39%', a decimal comma)

    def number(self, value: Decimal | float) -> str:
        """A number as this language writes it: 38.6, 1,000."""
        value = value if isinstance(value, Decimal) else Decimal(str(value))
        sign, value = ("-" if value < 0 else ""), abs(value)
        whole = int(value)
        text = f"{whole:,}".replace(",", self.thousands_mark)
        if value != whole:
            text += self.decimal_mark + format((value - whole).normalize(), "f").partition(".")[2]
        return sign + text

    def unit(self, unit: str, value: Decimal) -> str:
        singular, plural = self.units[unit]
        return singular if value == 1 else plural

    def frequency(self, n: Decimal | float) -> str:
        return self.frequency_form.format(n=self.number(n))

    def percent(self, p: Decimal | float) -> str:
        return self.percent_form.format(p=self.number(p))

    def shown_percent(self, p: Decimal | float) -> str:
        """A percentage as a picture shows it: a space before '%' does not break ('39\u00a0%')."""
        return self.percent(p).replace(" %", NBSP + "%")

    @functools.cached_property
    def uncited(self) -> re.Pattern[str]:
        """A percentage or a natural frequency ("39%", "39 out of 100"), to find one that cites no source."""
        out_of = r"\s++".join(re.escape(word) for word in self.frequency_form.split("{n}", 1)[1].rsplit("100", 1)[0].split())
        spelled = [w for w in self.percent_words if w != "%"]
        percent = "|".join(r"\b" + r"\s++".join(re.escape(part) for part in phrase.split()) + r"\b" for phrase in spelled)
        # Possessive quantifiers and the look-behinds keep this linear on long runs of digits.
        return re.compile(
            rf"(?<![\d.,])\d++(?:[.,]\d++)?+\s?+%|(?<![\d.])\b\d++(?:\.\d++)?+\s++{out_of}\s++\d++\b" + (f"|{percent}" if percent else ""),
            re.IGNORECASE,
        )

    def share(self, n: Decimal, m: Decimal) -> str:
        return self.share_form.format(n=self.number(n), m=self.number(m))

    def duration(self, value: Decimal, unit: str) -> str:
        return f"{self.number(value)} {self.unit(unit, value)}"

    def range(self, low: Decimal, high: Decimal, unit: str) -> str:
        ends = self.range_form.format(low=self.number(low), high=self.number(high))
        if unit == "%":
            return self.percent_form.format(p=ends)
        return f"{ends} {self.unit(unit, high)}" if unit else ends


def from_two(words: str) -> dict[str, int]:
    """The numbers from two on, as words: {"two": 2, "three": 3, ...}."""
    return {word: value for value, word in enumerate(words.split(), start=2)}


ENGLISH = NumberWords(
    language="en",
    decimal_mark=".",
    thousands_mark=",",
    spelled=from_two(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
    ),
    weak={"one": 1},
    share_words=("out of every", "out of", "in every", "of every", "in", "of"),
    share_words_after_noun=("out of every", "out of", "in every", "of every", "in"),
    articles=("the",),
    percent_words=("%", "percent", "per cent"),
    range_words=("to", "or", "-", "–", "—"),
    between=("between", "and"),
    units={unit: (unit, unit + "s") for unit in TIME_UNITS},
    months=tuple(
        (
            "January February March April May June July August September October November December "
            "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
        ).split()
    ),
    months_case_sensitive=True,
    day_month_words=("", "of"),
    month_day_order=True,
    ordinal_suffixes=("st", "nd", "rd", "th"),
    frequency_form="{n} out of 100",
    share_form="{n} of {m}",
    percent_form="{p}%",
    range_form="{low} to {high}",
)

# Spanish for readers in the US (issue 23 brings Spanish pages): "39 de cada 100", "39 %" with a space as the RAE and
# Fundéu recommend, and the decimal point, as Mexico and the US write it (6.5, not 6,5).
SPANISH = NumberWords(
    language="es",
    decimal_mark=".",
    thousands_mark=",",
    spelled=from_two(
        "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve veinte"
    ),
    weak={"uno": 1, "una": 1, "un": 1},
    share_words=("de cada", "de"),
    share_words_after_noun=("de cada",),
    articles=("los", "las"),
    percent_words=("%", "por ciento"),
    range_words=("a", "o", "-", "–", "—"),
    between=("entre", "y"),
    units=dict(
        zip(TIME_UNITS, [("hora", "horas"), ("día", "días"), ("semana", "semanas"), ("mes", "meses"), ("año", "años")], strict=True)
    ),
    months=tuple("enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre".split()),
    months_case_sensitive=False,
    day_month_words=("de",),
    month_day_order=False,
    ordinal_suffixes=(),
    frequency_form="{n} de cada 100",
    share_form="{n} de {m}",
    percent_form="{p} %",
    range_form="{low} a {high}",
    style_checks=True,
)

LANGUAGES: dict[str, NumberWords] = {words.language: words for words in (ENGLISH, SPANISH)}
RECORD_WORDS = ENGLISH  # the one form in which the sources list records figures


def number_words(language_tag: str) -> NumberWords | None:
    """The table for a language tag such as 'en' or 'es-US', or None when there is none yet."""
    return LANGUAGES.get(language_tag.split("-")[0].lower())


def words_of(language_tag: str) -> NumberWords:
    """The table for a language tag; English for a language the generator has no table for (settings refuse one)."""
    return number_words(language_tag) or ENGLISH


# A language's style, checked on its pages when its table asks (numbers.py): '39%' without the space that '39 %'
# has, and a decimal comma where the language writes a decimal point.
PERCENT_WITHOUT_SPACE = re.compile(r"(?<![\d.,])\d++(?:\.\d++)?+%")
DECIMAL_COMMA = re.compile(r"(?<![\d.,])\d{1,3}+,\d{1,2}+(?![\d,])")
PERCENT_AFTER_SPACE = re.compile(r"(?<=\d) (?=%)")


def style_problems(text: str, words: NumberWords) -> list[tuple[int, str]]:
    """(offset, message) of each number that text writes against the style of words' language."""
    if not words.style_checks:
        return []
    found: list[tuple[int, str]] = []
    if " %" in words.percent_form:
        for match in PERCENT_WITHOUT_SPACE.finditer(text):
            written = match.group(0)
            found.append(
                (match.start(), f"'{written}': in Spanish, write a space between the number and %: '{written[:-1]} %' (RAE and Fundéu)")
            )
    if words.decimal_mark == ".":
        for match in DECIMAL_COMMA.finditer(text):
            written = match.group(0)
            found.append(
                (
                    match.start(),
                    f"'{written}': the site's Spanish writes decimals with a point, as US Spanish does: '{written.replace(',', '.')}'",
                )
            )
    return sorted(found)
