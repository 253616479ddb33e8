"""Reading grade of a page's prose: Flesch-Kincaid grade level and SMOG, computed offline with no word lists.

Syllables are counted by vowel groups with the usual silent-ending rules; like every automatic count it is an
estimate, good to about one grade on plain English prose.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser

PROSE_TAGS = {"p", "li", "dd", "dt", "blockquote", "h2", "h3", "h4"}
SKIPPED_TAGS = {"sup", "table", "figure", "svg", "script", "style", "code", "pre"}
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
MAXIMUM_GRADE = 8.0


@dataclass(frozen=True)
class ReadingLevel:
    flesch_kincaid: float
    smog: float
    sentences: int
    words: int

    @property
    def grade(self) -> float:
        return max(self.flesch_kincaid, self.smog)


def syllables(word: str) -> int:
    """Estimated syllables in one English word."""
    letters = re.sub(r"[^a-z]", "", word.lower())
    if len(letters) <= 3:
        return 1
    letters = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", letters)
    letters = re.sub(r"^y", "", letters)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", letters)))


def sentences_of(blocks: list[str]) -> list[str]:
    """Each block (paragraph, list item, heading) ends a sentence even without a full stop."""
    found: list[str] = []
    for block in blocks:
        found += [s for s in SENTENCE_END.split(block) if WORD.search(s)]
    return found


def reading_level(blocks: list[str]) -> ReadingLevel | None:
    """Grades for the given prose blocks, or None when there is too little text to judge."""
    sentences = sentences_of(blocks)
    words = [w for s in sentences for part in WORD.findall(s) for w in part.split("-") if w]
    if len(sentences) < 3 or len(words) < 30:
        return None
    counts = [syllables(w) for w in words]
    flesch_kincaid = 0.39 * len(words) / len(sentences) + 11.8 * sum(counts) / len(words) - 15.59
    polysyllables = sum(1 for c in counts if c >= 3)
    smog = 1.0430 * math.sqrt(polysyllables * 30 / len(sentences)) + 3.1291
    return ReadingLevel(round(flesch_kincaid, 1), round(smog, 1), len(sentences), len(words))


class _ProseReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] | None = None
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in PROSE_TAGS and not self.skipping:
            self._close()
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in PROSE_TAGS:
            self._close()

    def handle_data(self, data: str) -> None:
        if self.current is not None and not self.skipping:
            self.current.append(data)

    def _close(self) -> None:
        if self.current:
            text = " ".join("".join(self.current).split())
            if text:
                self.blocks.append(text)
        self.current = None


def prose_blocks(html: str) -> list[str]:
    """The text of paragraphs, list items and headings, leaving out citations, tables, figures and code."""
    reader = _ProseReader()
    reader.feed(html)
    reader.close()
    return reader.blocks
