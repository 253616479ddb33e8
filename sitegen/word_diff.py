"""Word diffs: how a text changed, as runs of words that stayed, went or came.

Shared by what compares a page with an earlier version of it: the review packet and `review` (what changed since a
clinical review, or since its packet), and a translation's original (what changed since the translation was made).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

TOKENS = re.compile(r"\s+|[^\s]+")
CONTEXT_WORDS = 12  # words kept on each side of a change; longer unchanged runs are shortened

Kind = Literal["same", "removed", "added"]


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


def words(old: str, new: str) -> list[Segment]:
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    segments: list[Segment] = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[a0:a1])))
            continue
        if a1 > a0:
            segments.append(Segment("removed", "".join(a[a0:a1])))
        if b1 > b0:
            segments.append(Segment("added", "".join(b[b0:b1])))
    return segments


def merged(segments: list[Segment]) -> tuple[Segment, ...]:
    """'[removed: not] [added: still] [removed: known] [added: unknown]' as '[removed: not known] [added: still unknown]':
    changes that only spaces separate are read as one."""
    result: list[Segment] = []
    index = 0
    while index < len(segments):
        if segments[index].kind == "same":
            result.append(segments[index])
            index += 1
            continue
        removed: list[str] = []
        added: list[str] = []
        while index < len(segments):
            segment = segments[index]
            between = (
                segment.kind == "same" and not segment.text.strip() and index + 1 < len(segments) and segments[index + 1].kind != "same"
            )
            if segment.kind == "same" and not between:
                break
            if segment.kind != "added":
                removed.append(segment.text)
            if segment.kind != "removed":
                added.append(segment.text)
            index += 1
        changes: tuple[tuple[Kind, list[str]], ...] = (("removed", removed), ("added", added))
        result += [Segment(kind, "".join(texts)) for kind, texts in changes if "".join(texts).strip()]
    return tuple(result)


def tidy(segments: list[Segment]) -> tuple[Segment, ...]:
    """The spaces at either end of a change, outside it: 'had a [added: mild] side', not 'had a [added: mild ]side'."""
    result: list[Segment] = []

    def add(kind: Kind, text: str) -> None:
        if not text:
            return
        if result and result[-1].kind == kind == "same":
            result[-1] = Segment("same", result[-1].text + text)
        else:
            result.append(Segment(kind, text))

    for segment in segments:
        if segment.kind == "same":
            add("same", segment.text)
            continue
        core = segment.text.strip()
        start = segment.text.index(core) if core else len(segment.text)
        add("same", segment.text[:start])
        add(segment.kind, core)
        add("same", segment.text[start + len(core) :])
    return tuple(result)


def shorten(segments: tuple[Segment, ...]) -> list[Segment]:
    """Long runs of unchanged words keep CONTEXT_WORDS words next to each change, with '…' between."""
    result = []
    for index, segment in enumerate(segments):
        words = segment.text.split()
        if segment.kind != "same" or len(words) <= 2 * CONTEXT_WORDS:
            result.append(segment)
            continue
        parts = [" ".join(words[:CONTEXT_WORDS])] if index > 0 else []
        parts.append("…")
        parts += [" ".join(words[-CONTEXT_WORDS:])] if index < len(segments) - 1 else []
        before = " " if segment.text[0].isspace() else ""
        after = " " if segment.text[-1].isspace() else ""
        result.append(Segment("same", before + " ".join(parts) + after))
    return result


def shown(segments: list[Segment]) -> str:
    """Segments on one line: neighbouring changes as one, and long unchanged runs shortened to the words next to each change."""
    labelled = {"same": "{}", "removed": " [removed: {}] ", "added": " [added: {}] "}
    parts = [labelled[s.kind].format(" ".join(s.text.split())) if s.kind != "same" else s.text for s in shorten(merged(segments))]
    return " ".join("".join(parts).split())
