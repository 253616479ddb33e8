"""Problems found while building: each names a file and a line, and prints on one line."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "notice"]

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(text: str) -> str:
    """text with newlines and other control characters written as escapes, so a problem stays on one line."""
    return CONTROL.sub(lambda m: {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        label = "" if self.severity == "error" else f"{self.severity}: "
        return f"{one_line(self.path)}:{self.line}: {label}{one_line(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def error(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, "error")


def warning(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, "warning")


def notice(path: str, line: int, message: str) -> Problem:
    """Something the editor should act on soon, which never fails a build (not even with --strict)."""
    return Problem(path, line, message, "notice")


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def fails(problems: Iterable[Problem], strict: bool) -> bool:
    """Errors always fail a build; warnings fail it under --strict; notices never do."""
    return any(p.is_error or (strict and p.severity == "warning") for p in problems)


def sorted_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Sorted by file and line, each problem once."""
    return tuple(sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line, p.severity, p.message)))


def display_path(path: Path) -> str:
    """path relative to the working folder when it lies inside it, otherwise absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return absolute.as_posix()


def quoted_short(text: str) -> str:
    """text quoted for a message, cut to 60 characters."""
    return repr(text if len(text) <= 60 else text[:57] + "...")


def severity_counts(problems: Iterable[Problem]) -> dict[str, int]:
    """How many errors, warnings and notices, in that order."""
    found = list(problems)
    return {kind: sum(p.severity == kind for p in found) for kind in ("error", "warning", "notice")}
