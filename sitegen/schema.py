"""Check a YAML mapping against a declared set of fields: required, type, unknown keys."""

from __future__ import annotations

import datetime
import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .frontmatter import InvalidValue, KeyPath, LineMap
from .problems import Problem, error


@dataclass(frozen=True)
class Kind:
    name: str
    accepts: Callable[[Any], bool]


LARGEST = 10**9

TEXT = Kind("text", lambda v: isinstance(v, str) and not isinstance(v, InvalidValue) and v.strip() != "")
WHOLE_NUMBER = Kind("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool) and abs(v) <= LARGEST)
TRUE_OR_FALSE = Kind("true or false", lambda v: isinstance(v, bool))
DATE = Kind(
    "a date written as YYYY-MM-DD, without quotes",
    lambda v: isinstance(v, datetime.date) and not isinstance(v, datetime.datetime),
)
LIST = Kind("a list", lambda v: isinstance(v, list))
MAPPING = Kind("a mapping of 'key: value' lines", lambda v: isinstance(v, dict))
NUMBER = Kind("a number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) <= LARGEST)
TEXT_OR_NUMBER = Kind(
    "text or a number",
    lambda v: (isinstance(v, str) and not isinstance(v, InvalidValue) and v.strip() != "") or (WHOLE_NUMBER.accepts(v)),
)


@dataclass(frozen=True)
class Field:
    kind: Kind
    required: bool = False


def check_fields(data: dict[str, Any], fields: dict[str, Field], shown: str, lines: LineMap, prefix: KeyPath = ()) -> list[Problem]:
    """All problems with data's keys: missing, unknown (with a suggestion) and wrongly typed."""
    problems: list[Problem] = []
    where = f" in {_describe(prefix)}" if prefix else ""
    for name, spec in fields.items():
        if spec.required and data.get(name) is None:
            line = lines.line_of(*prefix) if prefix else max(lines.first_line - 1, 1)  # the opening '---' of front matter
            problems.append(error(shown, line, f"missing required field '{name}'{where}"))
    for key, value in data.items():
        line = lines.line_of(*prefix, key)
        spec = fields.get(str(key))
        if spec is None:
            problems.append(error(shown, line, f"unknown field '{key}'{where}{suggest(str(key), fields)}"))
        elif isinstance(value, InvalidValue):
            problems.append(error(shown, line, f"'{key}'{where} is not a real {value.kind}: {describe_value(value)} ({value.reason})"))
        elif value is not None and not spec.kind.accepts(value):
            problems.append(
                error(shown, line, f"'{key}'{where} must be {spec.kind.name}, not {describe_value(value)}{quote_hint(value, spec.kind)}")
            )
    return problems


MAX_SUGGESTION_CHOICES = 300


def suggest(word: str, choices: Any) -> str:
    """A "did you mean" hint, or an empty string. Among many choices only those that share the word's folder are
    compared, and at most MAX_SUGGESTION_CHOICES of them, so that a hint never costs more than a bounded amount."""
    candidates = list(choices)
    if len(candidates) > MAX_SUGGESTION_CHOICES:
        folder = word.rpartition("/")[0]
        candidates = [c for c in candidates if isinstance(c, str) and c.rpartition("/")[0] == folder][:MAX_SUGGESTION_CHOICES]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


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
    if isinstance(value, (int, float)):
        text = str(value) if abs(value) < 10**30 else f"{str(value)[:12]}... ({len(str(abs(value)))} digits)"
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
