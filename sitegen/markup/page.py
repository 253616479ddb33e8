"""The page being converted, and everything the site's extensions share: each imports it, and none imports another.

- Document: the page's file, its lines and problems, and what the checks gather (links, ids, the figures it gives).
  Markdown.reset() clears it (through DocumentExtension); DocumentExtension.begin() names the next page's file.
- Walk and TextPiece: the tree after inline processing, read once in reading order; LinkFact: an address the page
  links to or loads, for the check of all outputs.
- SiteExtension and the processor base classes: every extension but typography is given the converter's one
  Document, and each processor its extension and that Document, in one constructor here.
- What two extensions read the same way: a citation as the parser left it (PLACEHOLDER_TAG, CitedKey,
  parse_citation), a sentence with its citations (Statement, Passage), a percentage with no citation
  (uncited_number, number_warning), and where the stash's placeholders stand in a text.
- CaptionCitations: what the figures need of the page's citations.

Where one extension needs another's results for the page being converted, converter.py passes them in as
constructor arguments of these types: the citations' token maker to figures, the figures' checked data to
statements, the statements' passages to numbers.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, HTML_PLACEHOLDER_RE, STX, HtmlStash

from ..languages import words_of
from ..problems import Problem, error, warning

# --- the document ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextPiece:
    """A run of text in the tree: element.text or element.tail, and the source line it starts on."""

    element: Element
    is_tail: bool
    text: str
    line: int

    def line_at(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, offset)


@dataclass(frozen=True)
class LinkFact:
    """A link or image in the page's Markdown, kept for the check of all outputs: its address as written into the page."""

    url: str
    line: int
    tag: str
    written: str  # the address as the editor wrote it

    @property
    def loads(self) -> bool:
        return self.tag == "img"


@dataclass
class Document:
    """Per-document state shared by the site's extensions; Markdown.reset() clears it through DocumentExtension."""

    shown: str = "<text>"
    first_line: int = 1
    source_path: str = "index.md"  # relative to the content folder, for links between pages
    output_path: str = "index.html"
    link_glossary: bool = True
    draft: bool = False  # the page is a draft, which is not published
    problems: list[Problem] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)
    processed_to_source: list[int] = field(default_factory=list)
    block_lines: dict[Element, int] = field(default_factory=dict)
    walk: Walk = field(default_factory=lambda: Walk())
    trusted_stash: set[int] = field(default_factory=set)
    chunk_lines: dict[int, int] = field(default_factory=dict)  # stash index -> source lines of its fenced block
    links: list[LinkFact] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    withheld: bool = False  # a limit left part of the page out of the conversion: its HTML must not be shown
    figures_used: set[tuple[str, str]] = field(default_factory=set)  # Figure.key of each recorded figure the page gives

    def reset(self) -> None:
        """Forget the last page: its lines, problems and findings (the file it named stays until begin() names the next)."""
        self.problems = []
        self.source_lines = []
        self.processed_to_source = []
        self.block_lines = {}
        self.walk = Walk()
        self.trusted_stash = set()
        self.chunk_lines = {}
        self.links = []
        self.ids = set()
        self.withheld = False
        self.figures_used = set()

    def error(self, line: int, message: str) -> None:
        self.problems.append(error(self.shown, line, message))

    def warning(self, line: int, message: str) -> None:
        self.problems.append(warning(self.shown, line, message))

    def withhold(self) -> None:
        """Convert the rest only to find its problems: a limit left part of the page out, so its HTML is not shown."""
        self.withheld = True

    def map_lines(self, lines: list[str], stash: HtmlStash) -> list[int]:
        """For each line of a preprocessed text, the index of the editor's line it came from (see align())."""
        chunks = stash.rawHtmlBlocks
        counts = self.chunk_lines

        def chunk_lines(index: int) -> int:
            if index in counts:
                return counts[index]
            chunk = chunks[index] if index < len(chunks) else ""
            return chunk.count("\n") + 1 if isinstance(chunk, str) else 1

        return align(self.source_lines, lines, chunk_lines)

    def source_line(self, processed_index: int) -> int:
        """The file line of a line of the preprocessed text (0-based index)."""
        mapping = self.processed_to_source
        if not mapping:
            return self.first_line + processed_index
        index = mapping[min(max(processed_index, 0), len(mapping) - 1)]
        return self.first_line + min(index, max(len(self.source_lines) - 1, 0))

    def line_of(self, element: Element) -> int:
        """The file line on which element starts: from the walk after inline processing, or its block's stamp."""
        if element in self.walk.starts:
            return self.walk.starts[element]
        if element in self.block_lines:
            return self.source_line(self.block_lines[element])
        return self.first_line


@dataclass
class Walk:
    """The tree after inline processing, read once: where each element starts, its parent, and every text run."""

    starts: dict[Element, int] = field(default_factory=dict)
    parents: dict[Element, Element] = field(default_factory=dict)
    pieces: list[TextPiece] = field(default_factory=list)
    order: list[Element | TextPiece] = field(default_factory=list)

    def ancestors(self, element: Element) -> Iterator[Element]:
        current = self.parents.get(element)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def in_code(self, piece: TextPiece) -> bool:
        """Whether a run of text is inside code (the tail of a code element is not)."""
        around = (piece.element, *self.ancestors(piece.element))
        return any(e.tag in ("code", "pre") for e in around if not piece.is_tail or e is not piece.element)


def stash_placeholders(text: str) -> list[tuple[int, int]]:
    """(stash index, offset) of every raw-HTML placeholder in text."""
    return [(int(m.group(1)), m.start()) for m in HTML_PLACEHOLDER_RE.finditer(text)]


def normalise_line(line: str) -> str:
    """A line as normalize_whitespace leaves it, so that unchanged lines compare equal."""
    line = line.replace(STX, "").replace(ETX, "").expandtabs(4)
    return "" if not line.strip() else line


def align(source: list[str], processed: list[str], chunk_lines: Callable[[int], int] = lambda index: 1) -> list[int]:
    """For each preprocessed line, the index of the source line it came from (O(n log n)).

    Lines that are unchanged match in order. A stash placeholder stands where its block began, and the source
    resumes chunk_lines(stash index) lines later. A line that no source line matches (a blank line or a line a
    preprocessor made) stays at the current position.
    """
    normalised = [normalise_line(line) for line in source]
    where: dict[str, list[int]] = {}
    for index, line in enumerate(normalised):
        if line:
            where.setdefault(line, []).append(index)
    last = max(len(source) - 1, 0)
    result: list[int] = []
    cursor = 0
    for line in processed:
        if cursor < len(normalised) and line == normalised[cursor]:
            result.append(cursor)
            cursor += 1
            continue
        placeholder = HTML_PLACEHOLDER_RE.search(line)
        if placeholder:
            while cursor < len(normalised) and not normalised[cursor]:
                cursor += 1
            result.append(min(cursor, last))
            cursor += chunk_lines(int(placeholder.group(1)))
            continue
        if line:
            candidates = where.get(line, [])
            found = bisect.bisect_left(candidates, cursor)
            if found < len(candidates):
                cursor = candidates[found]
                result.append(cursor)
                cursor += 1
                continue
        result.append(min(cursor, last))
    return result


# --- the base classes ------------------------------------------------------------------------------------------


class SiteExtension(Extension):
    """One of the site's extensions: it reads the page's Document and reports its problems there.

    Its options are config, as Python-Markdown's own extensions declare them: values an author could write in
    extension_configs (the source ids a page may cite, the site's pages, its glossary, what is known of each picture,
    the pages' language), each with a description. Objects are keyword arguments instead: the Document, which every
    extension shares and which changes with each page; another extension's results for the page; the site's number
    check. Python-Markdown passes extension_configs to makeExtension as keyword arguments, so an extension loaded by
    its name is given the Document the same way.
    """

    def __init__(self, *, document: Document, **kwargs: Any) -> None:
        self.document = document
        super().__init__(**kwargs)


E = TypeVar("E", bound=SiteExtension)


class DocumentPreprocessor(Preprocessor, Generic[E]):
    """A preprocessor of one of the site's extensions: its extension's options and state, and the page's Document."""

    def __init__(self, md: Markdown, extension: E) -> None:
        super().__init__(md)
        self.extension = extension
        self.document = extension.document


class DocumentTreeprocessor(Treeprocessor, Generic[E]):
    """A tree processor of one of the site's extensions: its extension's options and state, and the page's Document."""

    def __init__(self, md: Markdown, extension: E) -> None:
        super().__init__(md)
        self.extension = extension
        self.document = extension.document


class DocumentPostprocessor(Postprocessor, Generic[E]):
    """A postprocessor of one of the site's extensions: its extension's options and state, and the page's Document."""

    def __init__(self, md: Markdown, extension: E) -> None:
        super().__init__(md)
        self.extension = extension
        self.document = extension.document


# --- citations, as the parser leaves them -----------------------------------------------------------------------

PLACEHOLDER_TAG = "sitegen-citation"  # the element the citation pattern makes, which the citations tree processor replaces
KEY = re.compile(r"^@([A-Za-z0-9_][A-Za-z0-9_:.-]*)(?:\s*,\s*(\S[^;]*?))?\s*$")
MAX_LOCATOR = 60


@dataclass(frozen=True)
class CitedKey:
    key: str
    locator: str = ""


def parse_citation(inner: str) -> list[CitedKey] | None:
    """The keys (with locators) of '@a, p. 3; @b', or None when the text cannot be read as a citation."""
    cited = []
    for part in inner.split(";"):
        match = KEY.match(" ".join(part.split()))
        if not match or len(match.group(2) or "") > MAX_LOCATOR:
            return None
        cited.append(CitedKey(match.group(1), match.group(2) or ""))
    return cited


class CaptionCitations(Protocol):
    """What the risk pictures need of the page's citations (CitationExtension gives it): the source ids a page may
    cite, a "did you mean" for any other, and a token that stands for a caption's citation until it is numbered."""

    @property
    def known_keys(self) -> Set[str]: ...

    def hint(self, key: str) -> str: ...

    def token_for(self, keys: Sequence[str], stash_index: int) -> str: ...


# --- sentences and their citations ------------------------------------------------------------------------------

NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Statement:
    """One sentence (or table cell) as readers see it, the line it starts on, and the sources it cites."""

    text: str
    line: int
    citations: tuple[CitedKey, ...] = ()
    inherited: bool = False  # the citations are those of a later sentence in the same block
    breaks: tuple[int, ...] = ()  # offsets in text at which a new line of the file begins
    numbered: bool = False  # it states a number as the page's language counts them ("nine"): it takes a later sentence's citations
    prose: str = ""  # text with the letters and digits of code masked, when it has code: the text whose numbers are checked

    @property
    def states_number(self) -> bool:
        return NUMBER.search(self.text) is not None

    def line_at(self, offset: int) -> int:
        """The file line of the character at offset in text."""
        return self.line + bisect.bisect_right(self.breaks, offset)

    @property
    def is_claim(self) -> bool:
        """A sentence the reviewer checks against a source: it states a number or cites one."""
        return self.states_number or bool(self.citations)


@dataclass(frozen=True)
class Passage:
    """A block of the page: 'h2' ... 'p', 'li', 'dt', 'dd', 'tr' (a table row, one statement per cell), 'th' (a header row) or 'figure'."""

    kind: str
    line: int
    statements: tuple[Statement, ...]


# --- numbers without a citation ---------------------------------------------------------------------------------


def uncited_number(text: str, language: str = "en") -> re.Match[str] | None:
    """The first percentage or natural frequency in text, for text that carries no citation."""
    return words_of(language).uncited.search(text)


def number_warning(found: str) -> str:
    return f"'{found}' has no citation in the same paragraph, list item or table cell; add one such as [@key]"
