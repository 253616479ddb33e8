"""Per-document facts that the extensions need: which file is being converted and where its body starts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..problems import Problem

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


@dataclass
class DocumentContext:
    shown: str = "<text>"
    first_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    link_glossary: bool = True


def prose_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) for every line outside fenced code blocks."""
    fence: str | None = None
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            continue
        if fence is not None:
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = None
            continue
        yield index, line


CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def without_code_spans(line: str) -> str:
    """The line with inline code blanked out, so that examples in code are not checked."""
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
