"""Check a YAML mapping against a declared set of fields: required, type, unknown keys."""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..problems import Problem, error
from .frontmatter import INVISIBLE_CHARACTER, InvalidValue, KeyPath, LineMap, invisible_in_key


@dataclass(frozen=True)
class Kind:
    name: str
    accepts: Callable[[Any], bool]
    numbers: str = ""  # "whole" or "any": the numbers of this kind (within LARGEST), so that a larger one is out of range


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LARGEST = 10**9
YEARS = range(1900, 3000)  # dates outside are typing mistakes; inside, review dates can add months and days safely
MAX_COMPARED = 20_000  # word-to-choice comparisons made by one Suggester
MAX_SUGGESTED_LENGTH = 60

TEXT = Kind("text", lambda v: isinstance(v, str) and not isinstance(v, InvalidValue) and v.strip() != "")
WHOLE_NUMBER = Kind("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool) and abs(v) <= LARGEST, "whole")
TRUE_OR_FALSE = Kind("true or false", lambda v: isinstance(v, bool))
DATE = Kind(
    "a date written as YYYY-MM-DD, without quotes",
    lambda v: isinstance(v, datetime.date) and not isinstance(v, datetime.datetime) and v.year in YEARS,
)
LIST = Kind("a list", lambda v: isinstance(v, list))
MAPPING = Kind("a mapping of 'key: value' lines", lambda v: isinstance(v, dict))
NUMBER = Kind(
    "a number",  # an int is always finite, and math.isfinite() cannot take one too large for a float
    lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and (isinstance(v, int) or math.isfinite(v)) and abs(v) <= LARGEST,
    "any",
)
TEXT_OR_NUMBER = Kind(
    "text or a number",
    lambda v: (isinstance(v, str) and not isinstance(v, InvalidValue) and v.strip() != "") or (WHOLE_NUMBER.accepts(v)),
    "whole",
)


@dataclass(frozen=True)
class Field:
    kind: Kind
    required: bool = False


def check_fields(data: dict[str, Any], fields: dict[str, Field], shown: str, lines: LineMap, prefix: KeyPath = ()) -> list[Problem]:
    """All problems with data's keys: missing, unknown (with a suggestion) and wrongly typed."""
    problems: list[Problem] = []
    where = f" in {_describe(prefix)}" if prefix else ""
    hint = Suggester(fields)
    written = {INVISIBLE_CHARACTER.sub("", str(key)).strip() for key in data}  # a name with an invisible character is reported below
    for name, wanted in fields.items():
        if wanted.required and data.get(name) is None and not (name not in data and name in written):
            line = lines.line_of(*prefix) if prefix else max(lines.first_line - 1, 1)  # the opening '---' of front matter
            problems.append(error(shown, line, f"missing required field '{name}'{where}"))
    for key, value in data.items():
        line = lines.line_of(*prefix, key)
        spec = fields.get(str(key))
        if spec is None:
            message = invisible_in_key(str(key))
            problems.append(error(shown, line, f"{message}{where}" if message else f"unknown field '{key}'{where}{hint(str(key))}"))
        elif isinstance(value, InvalidValue):
            problems.append(error(shown, line, f"'{key}'{where} is not a real {value.kind}: {describe_value(value)} ({value.reason})"))
        elif isinstance(value, str) and (control := CONTROL.search(value)):
            code = f"U+{ord(control.group()):04X}"
            problems.append(error(shown, line, f"'{key}'{where} holds an invisible control character ({code}); delete it"))
        elif value is not None and not spec.kind.accepts(value) and (reason := out_of_range(value, spec.kind)):
            problems.append(error(shown, line, f"'{key}'{where} {reason}"))
        elif value is not None and not spec.kind.accepts(value):
            problems.append(
                error(shown, line, f"'{key}'{where} must be {spec.kind.name}, not {describe_value(value)}{quote_hint(value, spec.kind)}")
            )
    return problems


def out_of_range(value: Any, kind: Kind) -> str | None:
    """Why a number or a date of the right kind is refused (too large, not finite, a year far away), or None."""
    if kind is DATE and isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f"must be a date between {YEARS[0]} and {YEARS[-1]}, not {describe_value(value)}"
    numeric = bool(kind.numbers) and isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric and (kind.numbers == "any" or isinstance(value, int)):
        return f"must be a number between {-LARGEST:,} and {LARGEST:,}, not {describe_value(value)}"
    return None


MAX_SUGGESTION_CHOICES = 300


def suggest(word: str, choices: Any) -> str:
    """A "did you mean" hint, or an empty string."""
    found = closest(word, choices)
    return f" (did you mean '{found}'?)" if found else ""


def closest(word: str, choices: Any) -> str | None:
    """The choice closest to word, if one is close. Long words get none; among many choices only those that share the
    word's folder are compared, and at most MAX_SUGGESTION_CHOICES of them, so a hint costs a bounded amount."""
    if len(word) > MAX_SUGGESTED_LENGTH:
        return None
    candidates = [c for c in choices if isinstance(c, str) and len(c) <= MAX_SUGGESTED_LENGTH]
    if len(candidates) > MAX_SUGGESTION_CHOICES:
        folder = word.rpartition("/")[0]
        candidates = [c for c in candidates if c.rpartition("/")[0] == folder][:MAX_SUGGESTION_CHOICES]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


class Suggester:
    """ "Did you mean" hints for many words against one collection of choices.

    Each look-up compares the word with every choice, so after MAX_COMPARED comparisons it stops looking: a
    file that names thousands of unknown things among thousands of choices is still checked in a moment.
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = [c for c in choices if len(c) <= MAX_SUGGESTED_LENGTH]
        self.found: dict[str, str] = {}
        self.budget = MAX_COMPARED

    def __call__(self, word: str) -> str:
        if word not in self.found:
            if self.budget < len(self.choices):
                return ""
            self.budget -= len(self.choices)
            self.found[word] = suggest(word, self.choices)
        return self.found[word]


def quote_hint(value: Any, kind: Kind) -> str:
    """Numbers and dates where text is wanted are the commonest mistake: say how to write them as text."""
    if kind in (TEXT,) and isinstance(value, (int, float, datetime.date)) and not isinstance(value, bool):
        return " (put it in quotes to make it text)"
    return ""


def describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, InvalidValue):
        return repr(value if len(value) <= 30 else value[:27] + "...")
    if isinstance(value, datetime.datetime):
        return f"the date and time {str(value)!r}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()!r}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"the number {value}" if not math.isnan(value) else "'not a number' (.nan)"
    if isinstance(value, (int, float)):
        text = str(value) if abs(value) < 10**30 or isinstance(value, float) else f"{str(value)[:12]}... ({len(str(abs(value)))} digits)"
        return f"the number {text}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _describe(prefix: KeyPath) -> str:
    parts = [f"item {p + 1}" if isinstance(p, int) else f"'{p}'" for p in prefix]
    return " of ".join(reversed(parts))
