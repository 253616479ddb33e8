"""Values that pass between phases: what an output file is and where its bytes come from, and a glossary entry as
the Markdown extensions link to it. They live here, below every phase, so that no phase imports another's types
upwards."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Where an output file's bytes come from, for problems found in it."""

    path: str
    line: int = 1


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the site folder, with '/' separators
    data: bytes
    origin: Origin


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    target: str  # the entry's address from the site root, such as glossary.html#term-crs
    abbreviation: str | None = None
