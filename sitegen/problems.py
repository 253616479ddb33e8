"""Problems found while building: each names a file and a line."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {label}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def error(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, "error")


def warning(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, "warning")


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def display_path(path: Path) -> str:
    """Show a path relative to the working folder when it lies inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
