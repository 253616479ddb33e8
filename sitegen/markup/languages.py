"""How each language writes numbers: the one place that says it, for the number checks and the risk pictures.

A natural frequency is "39 out of 100" in English and "39 de cada 100" in Spanish; a percentage is "39%" in English
and "39 %" in Spanish, with a space as the RAE and Fundéu recommend (the build makes it a non-breaking space, so that
the number and its sign stay on one line). Decimals take a point in both: the site's Spanish is written for readers in
the United States, where Spanish follows the US point (the Academia Norteamericana de la Lengua Española; the RAE
accepts both). So "6.5 meses", never "6,5 meses".

A check that reads or writes a number in a page's language asks its NumberStyle: number_sources (every number cites a
source), figures (an icon array's statement gives its number in words) and figure_html (the numbers of a picture).
The figures that a source records (issue 21) are rendered through the same style, so a translated page is checked
against the same figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NBSP = "\u00a0"


@dataclass(frozen=True)
class NumberStyle:
    language: str
    out_of: str  # between the two numbers of a natural frequency
    percent_words: tuple[str, ...]  # a percentage written in words
    percent_space: str  # between a number and '%'

    def number(self, value: float) -> str:
        """22 for 22.0, 2.5 for 2.5: as a person writes the number, with a decimal point."""
        return str(int(value)) if float(value).is_integer() else str(value)

    def frequency(self, count: float, of: int = 100) -> str:
        """'39 out of 100', '39 de cada 100'."""
        return f"{self.number(count)} {self.out_of} {of}"

    def percent(self, value: float) -> str:
        """'39%', '39 %' (with a non-breaking space)."""
        return f"{self.number(value)}{self.percent_space}%"

    @property
    def uncited(self) -> re.Pattern[str]:
        """A percentage or a natural frequency, to find one that cites no source."""
        return _uncited_pattern(self.out_of, self.percent_words)


_PATTERNS: dict[tuple[str, tuple[str, ...]], re.Pattern[str]] = {}


def _uncited_pattern(out_of: str, percent_words: tuple[str, ...]) -> re.Pattern[str]:
    key = (out_of, percent_words)
    if key not in _PATTERNS:
        words = r"\s++".join(re.escape(word) for word in out_of.split())
        percent = "|".join(r"\b" + r"\s++".join(re.escape(w) for w in phrase.split()) + r"\b" for phrase in percent_words)
        # Possessive quantifiers and the look-behinds keep this linear on long runs of digits.
        _PATTERNS[key] = re.compile(
            rf"(?<![\d.,])\d++(?:[.,]\d++)?+\s?+%|(?<![\d.])\b\d++(?:\.\d++)?+\s++{words}\s++\d++\b|{percent}",
            re.IGNORECASE,
        )
    return _PATTERNS[key]


STYLES = {
    "en": NumberStyle("en", "out of", ("percent",), ""),
    "es": NumberStyle("es", "de cada", ("por ciento",), NBSP),
}


def number_style(language: str) -> NumberStyle:
    """The style of a language; a language the generator does not know writes numbers as English does."""
    return STYLES.get(language, STYLES["en"])


# Spanish style, checked on Spanish pages (numbers.py): '39%' without a space, and a decimal comma.
PERCENT_WITHOUT_SPACE = re.compile(r"(?<![\d.,])\d++(?:\.\d++)?+%")
DECIMAL_COMMA = re.compile(r"(?<![\d.,])\d{1,3}+,\d{1,2}+(?![\d,])")
PERCENT_AFTER_SPACE = re.compile(r"(?<=\d) (?=%)")


def style_problems(text: str, language: str) -> list[tuple[int, str]]:
    """(offset, message) of each number that a page in language writes against its style (Spanish only)."""
    if language != "es":
        return []
    found: list[tuple[int, str]] = []
    for match in PERCENT_WITHOUT_SPACE.finditer(text):
        written = match.group(0)
        found.append(
            (match.start(), f"'{written}': in Spanish, write a space between the number and %: '{written[:-1]} %' (RAE and Fundéu)")
        )
    for match in DECIMAL_COMMA.finditer(text):
        written = match.group(0)
        found.append(
            (
                match.start(),
                f"'{written}': the site's Spanish writes decimals with a point, as US Spanish does: '{written.replace(',', '.')}'",
            )
        )
    return sorted(found)
