"""Recorded figures: the numbers a source gives, written once in the source list, which every page is held to.

In content/sources.md each source may list its figures:

    figures:
      - name: overall response        # what the number is, in words a reader understands
        value: 39%                    # the number as the source gives it; its form says its kind
        locator: Key Points           # where in the source: only when someone has checked it there

A value is one of these kinds, told apart by how it is written (in the fixed form of languages.RECORD_WORDS):
- a count: 44
- "N of M": 14 of 44
- a percentage: 39%, 38.6%
- a duration: 33 months, 2 weeks (hours, days, weeks, months or years)
- a range: 1 to 4, 1 to 2 weeks, 20 to 40%
- a temperature: 38 °C (or °F)
An optional round_to (1, 5 or 10) says how a percentage or an "N of M" is rounded as a natural frequency: 38.6%
is "about 39 out of 100" by default, "about 40 out of 100" with round_to: 5. Each problem is reported at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..languages import RECORD_WORDS, TIME_UNITS
from ..problems import Problem, error
from .frontmatter import LineMap
from .schema import NUMBER, TEXT, WHOLE_NUMBER, Field, Kind, check_fields, describe_value

NUMBER_OR_TEXT = Kind("a number or text such as 39%", lambda v: NUMBER.accepts(v) or TEXT.accepts(v), "any")
FIGURE_FIELDS = {
    "name": Field(TEXT, required=True),
    "value": Field(NUMBER_OR_TEXT, required=True),
    "locator": Field(TEXT),
    "round_to": Field(WHOLE_NUMBER),
}
MAX_FIGURES = 200  # per source; every figure of every cited source is looked up for each number on a page
MAX_NAME = 100
MAX_LOCATOR = 60  # as a citation's locator
ROUNDINGS = (1, 5, 10)
HUNDRED = Decimal(100)
KIND_NAMES = {
    "count": "a count",
    "share": "an 'N of M'",
    "percentage": "a percentage",
    "duration": "a duration",
    "range": "a range",
    "temperature": "a temperature",
}
EXAMPLES = "a count (44), N of M (14 of 44), a percentage (39%), a duration (33 months), a range (1 to 2 weeks) or a temperature (38 °C)"


@dataclass(frozen=True)
class Quantity:
    """A value of one kind: count, share ("N of M"), frequency ("N out of 100", only in pages' text), percentage,
    duration, range or temperature."""

    kind: str
    number: Decimal  # the count, N, the percentage, the duration, the range's low end, the temperature
    other: Decimal | None = None  # M of "N of M", the range's high end
    unit: str = ""  # a time unit of TIME_UNITS; "C" or "F" for a temperature; for a range: a time unit, "%" or ""


@dataclass(frozen=True)
class Figure:
    """A number a source gives, as recorded in the source list."""

    source: str
    name: str
    value: Quantity
    written: str  # the value as the editor wrote it, for messages and the sources page
    locator: str | None = None
    round_to: int = 1
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        """The figure's identity: its source and its name (names are unique within a source, in any letter case)."""
        return (self.source, name_key(self.name))

    @property
    def anchor(self) -> str:
        """Its id on the sources page."""
        return f"figure-{self.source}-" + (re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "figure")

    def rounded(self) -> frozenset[Decimal]:
        """The whole numbers "about N out of 100" may give for a percentage or an "N of M", and its exact percentage."""
        percent = self.percentage()
        if percent is None:
            return frozenset()
        values = {round_to(percent, 1), round_to(percent, self.round_to)}
        if percent == percent.to_integral_value() or self.value.kind == "percentage":
            values.add(percent.normalize())
        return frozenset(values)

    def percentage(self) -> Decimal | None:
        """The figure as a percentage: a percentage itself, or N of M as 100 N / M."""
        value = self.value
        if value.kind == "percentage":
            return value.number
        if value.kind == "share" and value.other:
            return HUNDRED * value.number / value.other
        return None


def round_to(value: Decimal, step: int) -> Decimal:
    """value rounded half up to a multiple of step (38.5 -> 39; 38.6 to 5 -> 40)."""
    return ((value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step).normalize()


def name_key(name: str) -> str:
    return " ".join(name.lower().split())


NUMBER_TEXT = r"\d+(?:\.\d+)?"
_record = RECORD_WORDS
_units = {word: unit for unit in TIME_UNITS for word in _record.units[unit]}
_percent = "|".join(re.escape(w) for w in _record.percent_words)
COUNT = re.compile(rf"^({NUMBER_TEXT})$")
SHARE = re.compile(rf"^({NUMBER_TEXT})\s+(?:out\s+)?of\s+({NUMBER_TEXT})$")
PERCENT = re.compile(rf"^({NUMBER_TEXT})\s?(?:{_percent})$", re.IGNORECASE)
TEMPERATURE = re.compile(rf"^({NUMBER_TEXT})\s?°\s?([CF])$")
WITH_WORD = re.compile(rf"^({NUMBER_TEXT})\s+([^\W\d_]+)$")
RANGE = re.compile(
    rf"^({NUMBER_TEXT})\s*(?:to|-|–|—)\s*({NUMBER_TEXT})(?:\s?({_percent})|\s+([^\W\d_]+))?$",
    re.IGNORECASE,
)


def parse_value(value: Any) -> tuple[Quantity | None, str]:
    """The quantity of a recorded value, or None and why it cannot be read (completed by the caller)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None, f"must be a number or text such as 39%, not {describe_value(value)}"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return None, f"is {value}: a count is a whole number; write {value}% for a percentage, or add its unit, such as {value} months"
        return _count(Decimal(int(value)))
    text = " ".join(value.split())
    if match := COUNT.match(text):
        return _count(Decimal(match.group(1)))
    if match := SHARE.match(text):
        n, m = Decimal(match.group(1)), Decimal(match.group(2))
        if n != n.to_integral_value() or m != m.to_integral_value() or m == 0 or n > m:
            return None, f"is {text!r}: 'N of M' needs whole numbers, with M more than 0 and N no more than M"
        return Quantity("share", n, m), ""
    if match := PERCENT.match(text):
        p = Decimal(match.group(1))
        if p > HUNDRED:
            return None, f"is {text!r}: a percentage is at most 100%"
        return Quantity("percentage", p), ""
    if match := TEMPERATURE.match(text):
        return Quantity("temperature", Decimal(match.group(1)), unit=match.group(2)), ""
    if match := RANGE.match(text):
        low, high = Decimal(match.group(1)), Decimal(match.group(2))
        unit = "%" if match.group(3) else _units.get((match.group(4) or "").lower(), "?" if match.group(4) else "")
        if unit == "?":
            return None, _unknown_unit(text, match.group(4))
        if low >= high:
            return None, f"is {text!r}: a range goes from the smaller number to the larger"
        if unit == "%" and high > HUNDRED:
            return None, f"is {text!r}: a percentage is at most 100%"
        return Quantity("range", low, high, unit), ""
    if match := WITH_WORD.match(text):
        duration_unit = _units.get(match.group(2).lower())
        if duration_unit is None:
            return None, _unknown_unit(text, match.group(2))
        return Quantity("duration", Decimal(match.group(1)), unit=duration_unit), ""
    return None, f"is {text!r}, which is of no kind the check knows: write {EXAMPLES}"


def _count(number: Decimal) -> tuple[Quantity | None, str]:
    if number != number.to_integral_value():
        return None, f"is {number}: a count is a whole number; write {number}% for a percentage, or add its unit, such as {number} months"
    if number < 0:
        return None, f"is {number}: a count is 0 or more"
    return Quantity("count", number), ""


def _unknown_unit(text: str, word: str) -> str:
    units = ", ".join(_record.units[u][1] for u in TIME_UNITS[:-1]) + f" or {_record.units[TIME_UNITS[-1]][1]}"
    return f"is {text!r}, of no kind the check knows: {word!r} is not a unit of time ({units})"


def load_figures(entries: Any, source_id: str, shown: str, lines: LineMap, at: tuple[Any, ...]) -> tuple[tuple[Figure, ...], list[Problem]]:
    """The valid figures of one source's 'figures' list (at is the key path of that list), and every problem in it."""
    if not isinstance(entries, list):
        return (), []  # check_fields reports a 'figures' that is not a list
    problems: list[Problem] = []
    if len(entries) > MAX_FIGURES:
        problems.append(
            error(
                shown, lines.line_of(*at, MAX_FIGURES), f"'figures' lists {len(entries)} figures; a source may record at most {MAX_FIGURES}"
            )
        )
    figures: list[Figure] = []
    first_line: dict[str, int] = {}
    for index, entry in enumerate(entries[:MAX_FIGURES]):
        line = lines.line_of(*at, index)
        if not isinstance(entry, dict):
            problems.append(
                error(shown, line, f"item {index + 1} of 'figures' must be a mapping with 'name' and 'value', not {describe_value(entry)}")
            )
            continue
        figure, found = _figure(entry, source_id, shown, lines, (*at, index))
        if figure is not None:
            key = name_key(figure.name)
            if key in first_line:
                found.append(
                    error(
                        shown,
                        lines.line_of(*at, index, "name"),
                        f"the figure {figure.name!r} is recorded twice for {source_id} (also on line {first_line[key]}); "
                        "give each figure its own name",
                    )
                )
            else:
                first_line[key] = lines.line_of(*at, index, "name")
        problems += found
        if figure is not None and not found:
            figures.append(figure)
    return tuple(figures), problems


def _figure(entry: dict[str, Any], source_id: str, shown: str, lines: LineMap, at: tuple[Any, ...]) -> tuple[Figure | None, list[Problem]]:
    problems = check_fields(entry, FIGURE_FIELDS, shown, lines, prefix=at)
    name = entry.get("name")
    if problems or not isinstance(name, str):
        return None, problems
    name = " ".join(name.split())
    what = f"the figure {name!r}"
    if len(name) > MAX_NAME:
        problems.append(error(shown, lines.line_of(*at, "name"), f"the name of {what[:40]}...' is longer than {MAX_NAME} characters"))
    elif not re.search(r"[^\W\d_]", name):
        problems.append(error(shown, lines.line_of(*at, "name"), f"the name of {what} needs a word that says what the number is"))
    quantity, reason = parse_value(entry["value"])
    if quantity is None:
        problems.append(error(shown, lines.line_of(*at, "value"), f"the value of {what} {reason}"))
    locator = entry.get("locator")
    if isinstance(locator, str) and len(locator) > MAX_LOCATOR:
        problems.append(error(shown, lines.line_of(*at, "locator"), f"the locator of {what} is longer than {MAX_LOCATOR} characters"))
    rounding = entry.get("round_to", 1)
    if rounding not in ROUNDINGS or isinstance(rounding, bool):
        problems.append(
            error(shown, lines.line_of(*at, "round_to"), f"'round_to' of {what} must be 1, 5 or 10, not {describe_value(rounding)}")
        )
    elif rounding != 1 and quantity is not None and quantity.kind not in ("percentage", "share"):
        problems.append(
            error(
                shown,
                lines.line_of(*at, "round_to"),
                f"'round_to' of {what} applies only to a percentage or an 'N of M', not to {KIND_NAMES[quantity.kind]}",
            )
        )
    if problems or quantity is None:
        return None, problems
    written = " ".join(str(entry["value"]).split())
    return Figure(source_id, name, quantity, written, " ".join(locator.split()) if locator else None, rounding, lines.line_of(*at)), []
