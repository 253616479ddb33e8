"""Pandoc-style citations: [@key] or [@a; @b] become numbered superscript links.

Numbers are given per page, in order of first citation. After convert(), md.citations lists the cited
keys in that order. Unknown keys are reported with their file and line by a preprocessor, which still
sees the source lines.

A citation first becomes a token (token_for); a postprocessor numbers the tokens in reading order and
writes each superscript. Figures rendered into the stash cite through the same tokens, so a caption's
citation is numbered where it stands on the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

from ..problems import error
from ..schema import suggest
from .context import DocumentContext, prose_lines, without_code_spans

CITATION = r"\[(@[^\[\]\n]+)\]"
CITATION_RE = re.compile(CITATION)
KEY = re.compile(r"^@([A-Za-z0-9_][A-Za-z0-9_:.-]*)$")
TOKEN = re.compile("\x02citation:([0-9]+)\x03")


def parse_keys(inner: str) -> list[str] | None:
    """Keys of '@a; @b', or None when the text is not a citation."""
    keys = []
    for part in inner.split(";"):
        match = KEY.match(part.strip())
        if not match:
            return None
        keys.append(match.group(1))
    return keys


def superscript(numbers: Sequence[int]) -> str:
    """The HTML of one citation: [1] or [1, 2], each number linking to the page's source note."""
    links = ", ".join(f'<a href="#source-note-{n}"><span class="visually-hidden">source </span>{n}</a>' for n in numbers)
    return f'<sup class="citation">[{links}]</sup>'


class CitationCheckPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        context: DocumentContext = self.md.document_context  # type: ignore[attr-defined]
        known = self.extension.known_keys
        for index, line in prose_lines(lines):
            for match in CITATION_RE.finditer(without_code_spans(line)):
                keys = parse_keys(match.group(1))
                if keys is None:
                    context.problems.append(
                        error(
                            context.shown,
                            context.first_line + index,
                            f"cannot read citation {match.group(0)!r}: write [@key] or [@key1; @key2]",
                        )
                    )
                    continue
                for key in keys:
                    if key not in known:
                        context.problems.append(
                            error(context.shown, context.first_line + index, f"unknown source '@{key}'{suggest(key, known)}")
                        )
        return lines


class CitationInlineProcessor(InlineProcessor):
    def __init__(self, pattern: str, extension: CitationExtension) -> None:
        super().__init__(pattern)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int, int]:  # noqa: N802 (Markdown's API)
        keys = parse_keys(m.group(1))
        if keys is None or any(k not in self.extension.known_keys for k in keys):
            return None, None, None  # type: ignore[return-value]
        return AtomicString(self.extension.token_for(keys)), m.start(0), m.end(0)


class CitationNumberPostprocessor(Postprocessor):
    """Runs after raw_html has put stashed figures back, so text and captions are numbered in reading order."""

    def __init__(self, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        keys = self.extension.token_keys
        return TOKEN.sub(lambda m: superscript([self.extension.number_for(k) for k in keys[int(m.group(1))]]), text)


class CitationExtension(Extension):
    def __init__(self, known_keys: set[str] | None = None, **kwargs: Any) -> None:
        self.known_keys: set[str] = set(known_keys or ())
        self.cited: list[str] = []
        self.token_keys: list[tuple[str, ...]] = []
        super().__init__(**kwargs)

    def token_for(self, keys: Sequence[str]) -> str:
        """A placeholder for one citation of known keys, replaced by its numbered superscript after rendering."""
        self.token_keys.append(tuple(keys))
        return f"\x02citation:{len(self.token_keys) - 1}\x03"

    def number_for(self, key: str) -> int:
        if key not in self.cited:
            self.cited.append(key)
        return self.cited.index(key) + 1

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        if not hasattr(md, "document_context"):
            md.document_context = DocumentContext()  # type: ignore[attr-defined]
        md.preprocessors.register(CitationCheckPreprocessor(md, self), "citation_check", 27)
        md.inlinePatterns.register(CitationInlineProcessor(CITATION, self), "citation", 175)
        md.postprocessors.register(CitationNumberPostprocessor(md, self), "citation_numbers", 25)
        self.md = md
        self.reset()

    def reset(self) -> None:
        self.cited = []
        self.token_keys = []
        self.md.citations = self.cited  # type: ignore[attr-defined]
