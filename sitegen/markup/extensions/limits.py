"""Limits on what one page may hold, so that converting any page under the size limit takes well under 2 seconds.

Python-Markdown and the HTML parser it uses take time that grows with the square of some inputs: a '[' that
is never closed is scanned to the end of its paragraph, once for each link pattern; a '<' that looks like a tag
but has no '>' is scanned to the end of the page; every heading splits the rest of its block again. These
checks run before each cost, in time proportional to the page, and bound it. Each problem is reported at the
line to change, and says what to change there.

A limit never changes what the editor wrote. A '<' that starts no tag is reported and left as written: the few
that a page may hold cost little. Any other limit stops the page: it fails, the part over the limit is left out
of the conversion only so that the rest is still checked quickly, and the page's HTML is withheld
(Document.withheld), so that no reader and no preview sees the page with a part missing. Code is counted only
where Python-Markdown reads it: fenced code and risk pictures are placeholders before the block parser and the
HTML parser read the page, and inline patterns never read code blocks or the inside of code spans.

| limit | value | counted in | what it bounds |
|---|---|---|---|
| lines in a page | MAX_LINES | the editor's lines | every step, line by line |
| code fence lines (``` or ~~~) in a page | MAX_FENCES | the editor's lines | the fenced-code search |
| characters in a line | MAX_LINE_CHARS | blocks | regular expressions that run to the end of a line |
| lines in a block (lines without a blank line between them) | MAX_BLOCK_LINES | blocks | block processors that split a block line by line |
| characters in a block | MAX_BLOCK_CHARS | blocks | scans to the end of a block |
| HTML tags and comments in a page | MAX_HTML_TAGS | blocks | the HTML parser's stacks |
| '<' whose tag, comment or declaration does not end on its line | MAX_LONG_SCANS | blocks | the HTML parser, to the page's end |
| '[' never closed, in one text | MAX_UNCLOSED | inline text | link patterns that scan to the end of the text |
| '[' inside '[' | MAX_BRACKET_DEPTH | inline text | link text scanned again at each level |
| link addresses '(' never closed, or with a stray quote, in one text | MAX_UNCLOSED | inline text | the address scan |
| '`' not closed by as many, in one text | MAX_UNCLOSED | inline text | the code pattern, which scans to the end for each |
| marks that make inline elements (* _ [ ` < &) in a page | MAX_MARKS | inline text | about 100 microseconds for each inline element |
| paragraphs, list items, table cells and headings in a page | MAX_ELEMENTS | the tree | about 100 microseconds for each |

"Blocks" are the lines that the block parser and the HTML parser read. "Inline text" is the text of each
paragraph, list item, heading and table cell that inline patterns read, without its code spans.

Processors, by priority:
- preprocessor ``limits_page`` 31, straight after ``document_lines_in`` (32), on the editor's lines;
- preprocessor ``limits`` 21, after ``fenced_code_block`` (25), before ``html_block`` (20);
- tree processor ``limits_inline`` 29, after ``document_nesting`` (30), before ``inline`` (20);
- tree processor ``limits_text`` 18.9, after ``document_walk`` (19): a '<' that Python-Markdown kept as text
  outside code, or a tag in raw HTML that does not end on its line, is an error at its line.
Every check takes time in proportion to the page (tests/tools/probe_costs.py measures the worst cases).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.util import AtomicString

from ..adapter import START_TAG_ENDS, code_spans
from ..page import DocumentPreprocessor, DocumentTreeprocessor, SiteExtension, TextPiece, stash_placeholders

MAX_LINES = 2_000
MAX_LINE_CHARS = 2_000
MAX_BLOCK_LINES = 100
MAX_BLOCK_CHARS = 10_000
MAX_UNCLOSED = 10
MAX_BRACKET_DEPTH = 10
MAX_MARKS = 1_000
MAX_FENCES = 100
MAX_HTML_TAGS = 200
MAX_LONG_SCANS = 20
MAX_ELEMENTS = 2_000
MAX_REPORTED = 20  # limit problems reported per page; the rest are counted in one more

SEPARATORS = " \t\x02\x03"  # a line of only these is blank to Python-Markdown
FENCE_LINE = re.compile(r"^[ ]{0,3}(?:`{3,}|~{3,})")
FENCED_BLOCK = "put code in a fenced block (``` above and below it)"
MARK = re.compile(r"\\.|[\[\]()<&]|[*_]+", re.DOTALL)
QUOTES = frozenset("'\"")
TITLED_ADDRESS = re.compile(r"""\s*[^\s'"]*\s+(["'])(?:(?!\1).)*\1\s*""", re.DOTALL)
# Python-Markdown's copy of the HTML parser and the standard library's (html_facts.py) read a start tag with
# slightly different patterns; a tag is safe when both end on its own line.
TAG_OPEN = re.compile(r"<[a-zA-Z/!?]")
COMMENT_CLOSE = re.compile(r"--!?\s*>")
UNITS = {"li": "list item", "td": "table cell", "th": "table cell", **{f"h{level}": "heading" for level in range(1, 7)}}


@dataclass(frozen=True)
class Breach:
    """A limit that a page breaks: the line (0-based, in the lines it was found in) and what to change."""

    line: int
    message: str


# --- the page, on the editor's lines -------------------------------------------------------------------------


def page_breaches(lines: list[str]) -> tuple[list[Breach], int]:
    """Lines and code fences in the page, and how many lines to convert (all of them when no limit is broken)."""
    found = []
    cut = len(lines)
    if len(lines) > MAX_LINES:
        found.append(
            Breach(MAX_LINES, f"this page has {len(lines):,} lines; a page may have at most {MAX_LINES:,}: split it into two pages")
        )
        cut = MAX_LINES
    fences = [index for index in range(cut) if FENCE_LINE.match(lines[index])]
    if len(fences) > MAX_FENCES:
        message = f"this page has {len(fences):,} code fence lines (``` or ~~~); a page may have at most {MAX_FENCES}: split the page"
        found.append(Breach(fences[MAX_FENCES], message))
        cut = fences[MAX_FENCES]
    return found, cut


# --- blocks: the lines that the block parser and the HTML parser read ----------------------------------------


def blocks_of(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each run of lines without a blank line, as Python-Markdown splits a page into blocks."""
    found = []
    start = None
    for index, line in enumerate(lines):
        if line.strip(SEPARATORS):
            if start is None:
                start = index
        elif start is not None:
            found.append((start, index))
            start = None
    if start is not None:
        found.append((start, len(lines)))
    return found


def block_breach(lines: list[str], start: int, end: int) -> Breach | None:
    """The size limit that one block breaks, at its line, if any."""
    long_line = next((i for i in range(start, end) if len(lines[i]) > MAX_LINE_CHARS), None)
    if long_line is not None:
        message = (
            f"this line has {len(lines[long_line]):,} characters; a line may have at most {MAX_LINE_CHARS:,}: "
            f"break it into shorter lines (Markdown joins the lines of a paragraph or list item), split a wide table, or {FENCED_BLOCK}"
        )
        return Breach(long_line, message)
    if end - start > MAX_BLOCK_LINES:
        message = (
            f"{end - start:,} lines follow each other without a blank line; a paragraph, list, table or indented code may have "
            f"at most {MAX_BLOCK_LINES} lines: put blank lines between paragraphs, split the list or table, or {FENCED_BLOCK}"
        )
        return Breach(start, message)
    chars = sum(len(lines[i]) + 1 for i in range(start, end)) - 1
    if chars > MAX_BLOCK_CHARS:
        message = (
            f"this paragraph, list, table or indented code has {chars:,} characters without a blank line; the most is "
            f"{MAX_BLOCK_CHARS:,}: put blank lines between paragraphs, split the list or table, or {FENCED_BLOCK}"
        )
        return Breach(start, message)
    return None


@dataclass(frozen=True)
class HtmlHazard:
    """A '<' that the HTML parser would scan past the end of its line: kind is 'comment', 'declaration' or 'tag'."""

    line: int
    column: int
    offset: int
    kind: str
    message: str


def html_hazards(lines: list[str]) -> tuple[list[HtmlHazard], list[int]]:
    """Every '<' that the HTML parser would scan past the end of its line, and the line of every tag and comment.

    Follows the parser: a start tag or end tag that ends on its line is skipped whole, as the parser skips it; a
    comment is skipped to its end; anything else that starts with '<' is a hazard, unless the parser reads it as
    text without scanning ('<' before a space or a digit).
    """
    text = "\n".join(lines)
    hazards: list[HtmlHazard] = []
    tags: list[int] = []
    line_starts = [0]
    for text_line in lines:
        line_starts.append(line_starts[-1] + len(text_line) + 1)
    no_comment_close_after = len(text) + 1
    index = 0
    line = 0
    while True:
        match = TAG_OPEN.search(text, index)
        if match is None:
            break
        at = match.start()
        while line_starts[line + 1] <= at:
            line += 1
        line_end = line_starts[line + 1] - 1
        column = at - line_starts[line]
        tags.append(line)
        second = text[at + 1]
        if text.startswith("<!--", at):
            close = COMMENT_CLOSE.search(text, at + 4) if at + 4 < no_comment_close_after else None
            if close is None:
                no_comment_close_after = min(no_comment_close_after, at + 4)
                message = "this HTML comment '<!--' is never closed by '-->'; close it"
                hazards.append(HtmlHazard(line, column, at, "comment", message))
                index = at + 1
            else:
                index = close.end()
            continue
        if second in "!?":
            message = f"'<{second}' is not allowed in a page; write &lt; for a '<' that is only text"
            hazards.append(HtmlHazard(line, column, at, "declaration", message))
            index = at + 2
            continue
        if second == "/":
            closing = text.find(">", at, line_end)
            if closing < 0:
                hazards.append(HtmlHazard(line, column, at, "tag", _unclosed_tag(text[at:line_end])))
                index = at + 2
            else:
                index = closing + 1
            continue
        end = _start_tag_end(text, at, line_end)
        if end is None:
            hazards.append(HtmlHazard(line, column, at, "tag", _unclosed_tag(text[at:line_end])))
            index = at + 1
        else:
            index = end
    return hazards, tags


def _start_tag_end(text: str, at: int, line_end: int) -> int | None:
    """Where the HTML parser's start tag at `at` ends, when both parsers end it on its line; None otherwise.

    The parsers' patterns run on the line with both kinds of quote after it: a quoted value that does not
    close on the line then ends in them, past the line, and the tag is reported.
    """
    window = text[at:line_end] + "\n'\""
    ends = []
    for pattern in START_TAG_ENDS:
        found = pattern.match(window)
        if found is None:
            return None
        end = found.end()
        after = window[end : end + 2]
        if end >= line_end - at or not (after.startswith(">") or after == "/>"):
            return None
        ends.append(end + (1 if after.startswith(">") else 2))
    return at + min(ends)


def _unclosed_tag(rest: str) -> str:
    shown = rest if len(rest) <= 20 else rest[:17] + "..."
    return (
        f"{shown!r} starts an HTML tag that does not end with '>' on this line; "
        "write &lt; for a '<' that is only text, or finish the tag on its line"
    )


def block_limits(lines: list[str]) -> tuple[list[Breach], list[str] | None]:
    """Every limit that the blocks break, and the lines to convert instead (None: convert them as written)."""
    found: list[Breach] = []
    result = list(lines)
    for start, end in blocks_of(lines):
        breach = block_breach(lines, start, end)
        if breach is not None:
            found.append(breach)
            result[start:end] = [""] * (end - start)
    hazards, tag_lines = html_hazards(result)
    if len(tag_lines) > MAX_HTML_TAGS:
        cut = tag_lines[MAX_HTML_TAGS]
        message = (
            f"this page has more than {MAX_HTML_TAGS} HTML tags and comments by this line: write them in Markdown, "
            f"{FENCED_BLOCK.replace('code', 'code that shows HTML', 1)}, or split the page"
        )
        found.append(Breach(cut, message))
        del result[cut:]
        hazards = [h for h in hazards if h.line < cut]
    if len(hazards) > MAX_LONG_SCANS:
        message = (
            f"this page has more than {MAX_LONG_SCANS} '<' by this line that start an HTML tag, comment or declaration "
            "not finished on its line: finish each tag on its line, write &lt; for a '<' in text, "
            f"{FENCED_BLOCK.replace('code', 'code that holds them', 1)}, or split the page"
        )
        found.append(Breach(hazards[MAX_LONG_SCANS].line, message))
        for hazard in reversed(hazards):  # from the end, so that each '<' is still where it was found
            line = result[hazard.line]
            result[hazard.line] = line[: hazard.column] + "&lt;" + line[hazard.column + 1 :]
    return found, result if found else None


# --- inline text: what inline patterns read ------------------------------------------------------------------


@dataclass
class _Scan:
    """What one text holds that makes inline patterns slow."""

    unclosed_brackets: list[int] = field(default_factory=list)
    deep_bracket: int | None = None
    bad_addresses: list[int] = field(default_factory=list)
    unmatched_backticks: list[int] = field(default_factory=list)
    marks: int = 0


def scan_text(text: str) -> _Scan:
    """One pass over a text that inline patterns read, its code spans left out: brackets and addresses that will be
    scanned to its end, backticks that open no code, and inline marks."""
    spans, unmatched = code_spans(text)
    scan = _Scan(unmatched_backticks=unmatched, marks=len(spans))
    outside = _outside(text, spans)
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []  # offset of '(', and whether it starts a link's address ('](')
    last_closed_bracket = -2
    for offset, part in outside:
        for match in MARK.finditer(part):
            token, at = match.group(), offset + match.start()
            if token[0] == "\\":
                continue
            if token == "]":
                if brackets:
                    brackets.pop()
                    last_closed_bracket = at
            elif token == ")":
                if parens:
                    opened, is_address = parens.pop()
                    if is_address and _stray_quote(text[opened + 1 : at]):
                        scan.bad_addresses.append(opened)
            elif token == "(":
                parens.append((at, at == last_closed_bracket + 1))
            else:
                scan.marks += 1
                if token == "[":
                    brackets.append(at)
                    if len(brackets) > MAX_BRACKET_DEPTH and scan.deep_bracket is None:
                        scan.deep_bracket = at
    scan.unclosed_brackets = brackets
    scan.bad_addresses += [at for at, is_address in parens if is_address]
    scan.bad_addresses.sort()
    return scan


def _outside(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """(offset, part) of each part of text outside the spans."""
    position = 0
    for start, end in spans:
        if start > position:
            yield position, text[position:start]
        position = end
    if position < len(text):
        yield position, text[position:]


def _stray_quote(address: str) -> bool:
    """Python-Markdown reads a quote in a link's address as the start of a title; unless the title closes just before
    ')', it scans for the end of the address to the end of the paragraph."""
    return bool(QUOTES.intersection(address)) and TITLED_ADDRESS.fullmatch(address) is None


def text_breaches(scan: _Scan, unit: str) -> list[tuple[int, str]]:
    """(offset, message) of each limit that one text breaks."""
    found = []
    if len(scan.unclosed_brackets) > MAX_UNCLOSED:
        message = (
            f"{len(scan.unclosed_brackets)} '[' in this {unit} are never closed by ']'; at most {MAX_UNCLOSED} may be: "
            "close each link or citation, or write \\[ for a bracket that is only text"
        )
        found.append((scan.unclosed_brackets[0], message))
    elif scan.deep_bracket is not None:
        message = f"brackets are nested more than {MAX_BRACKET_DEPTH} deep here; close each '[' with ']' before opening another"
        found.append((scan.deep_bracket, message))
    if len(scan.bad_addresses) > MAX_UNCLOSED:
        message = (
            f"{len(scan.bad_addresses)} link addresses in this {unit} are not closed by ')' or hold a stray quote; "
            f'at most {MAX_UNCLOSED} may be: write each link as [text](address) or [text](address "title")'
        )
        found.append((scan.bad_addresses[0], message))
    if len(scan.unmatched_backticks) > MAX_UNCLOSED:
        message = (
            f"{len(scan.unmatched_backticks)} backticks (`), alone or in groups, in this {unit} are not closed by as many "
            f"backticks; at most {MAX_UNCLOSED} may be: "
            "close each piece of code with as many backticks as opened it, or write \\` for a backtick that is only text"
        )
        found.append((scan.unmatched_backticks[0], message))
    return found


# --- the processors ------------------------------------------------------------------------------------------


class PageLimits(DocumentPreprocessor["LimitsExtension"]):
    """Lines and code fences in the page, on the editor's lines; a page over either is converted only up to it."""

    def run(self, lines: list[str]) -> list[str]:
        breaches, cut = page_breaches(lines)
        if not breaches:
            return lines
        document = self.document
        for breach in breaches:
            self.extension.report(document.first_line + breach.line, breach.message)
        document.withhold()
        return lines[:cut]  # the rest is left out: dropped, not blanked, as blank lines cost time too


class BlockLimits(DocumentPreprocessor["LimitsExtension"]):
    """Line and block sizes, HTML tags and '<' that scan past their line, in the lines the block parser and the HTML
    parser read; a block over a size limit is converted blank, and the page's HTML is withheld."""

    def run(self, lines: list[str]) -> list[str]:
        breaches, result = block_limits(lines)
        if result is None:
            return lines
        document = self.document
        source = document.map_lines(lines, self.md.htmlStash)
        for breach in breaches:
            self.extension.report(document.first_line + source[breach.line], breach.message)
        document.withhold()
        return result


class InlineLimits(DocumentTreeprocessor["LimitsExtension"]):
    """Brackets, addresses and backticks in each text that inline patterns read, and marks and elements in the
    page; a text over a limit is converted empty, a page over one is cut there, and the page's HTML is withheld."""

    def run(self, root: Element) -> None:
        document = self.document
        elements = marks = 0
        for index, block in enumerate(root):
            for element in block.iter():
                elements += 1
                for is_tail in (False, True):
                    text = element.tail if is_tail else element.text
                    if not text or isinstance(text, AtomicString):
                        continue
                    scan = scan_text(text)
                    breaches = text_breaches(scan, "paragraph" if is_tail else UNITS.get(element.tag, "paragraph"))
                    if breaches:
                        line = document.line_of(element)
                        for offset, message in breaches:
                            self.extension.report(line + (0 if is_tail else text.count("\n", 0, offset)), message)
                        document.withhold()
                        if is_tail:
                            element.tail = ""
                        else:
                            element.text = ""
                        continue
                    marks += scan.marks
            over = self.page_limit(elements, marks)
            if over:
                self.extension.report(document.line_of(block), over)
                document.withhold()
                del root[index:]
                return

    @staticmethod
    def page_limit(elements: int, marks: int) -> str | None:
        if elements > MAX_ELEMENTS:
            return (
                f"this page has more than {MAX_ELEMENTS:,} paragraphs, list items, table cells and headings by this line; "
                "split it into two pages"
            )
        if marks > MAX_MARKS:
            return (
                f"this page has more than {MAX_MARKS:,} marks that make links, citations, emphasis, code or HTML (* _ [ ` < &) "
                "by this paragraph; split the page into two"
            )
        return None


class TextHazards(DocumentTreeprocessor["LimitsExtension"]):
    """A '<' that Python-Markdown kept as text outside code, or a tag in raw HTML that does not end on its line, is an
    error at its line; the text is left as written. ('<!' and '<?' in raw HTML are html_policy's.)"""

    def run(self, root: Element) -> None:
        document = self.document
        walk = document.walk
        chunks = self.md.htmlStash.rawHtmlBlocks
        for piece in walk.pieces:
            text = piece.text
            if "<" in text and not in_code(piece, walk.ancestors(piece.element)):
                for hazard in html_hazards(text.split("\n"))[0]:
                    self.extension.report(piece.line + hazard.line, hazard.message)
            if "\x02" not in text:
                continue
            for index, offset in stash_placeholders(text):
                chunk = chunks[index] if index < len(chunks) else None
                if not isinstance(chunk, str) or "<" not in chunk or index in document.trusted_stash:
                    continue
                after = text.index("\x03", offset) + 1
                line_end = text.find("\n", after)
                window = chunk + text[after : line_end if line_end >= 0 else len(text)]
                for hazard in html_hazards(window.split("\n"))[0]:
                    if hazard.offset < len(chunk) and hazard.kind != "declaration":
                        self.extension.report(piece.line_at(offset) + hazard.line, hazard.message)
        self.extension.finish()


def in_code(piece: TextPiece, ancestors: Iterator[Element]) -> bool:
    """Whether a run of text is code: the text of <code> or <pre>, or inside one (the tail of <code> is not)."""
    if not piece.is_tail and piece.element.tag in ("code", "pre"):
        return True
    return any(element.tag in ("code", "pre") for element in ancestors)


class LimitsExtension(SiteExtension):
    """The limits are the constants above, not config: they bound the time a page takes, which tests/tools/probe_costs.py
    measures at exactly these values, and no site sets them. Of a page's limit problems, the first MAX_REPORTED are
    reported and the rest are counted in one more."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.count = 0  # the page's limit problems so far, reported or not

    def report(self, line: int, message: str) -> None:
        """line: in the file."""
        if self.count < MAX_REPORTED:
            self.document.error(line, message)
        self.count += 1

    def finish(self) -> None:
        if self.count > MAX_REPORTED:
            more = self.count - MAX_REPORTED
            self.document.error(self.document.first_line, f"{more} more limits are broken on this page; fix the ones shown first")

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(PageLimits(md, self), "limits_page", 31)
        md.preprocessors.register(BlockLimits(md, self), "limits", 21)
        md.treeprocessors.register(InlineLimits(md, self), "limits_inline", 29)
        md.treeprocessors.register(TextHazards(md, self), "limits_text", 18.9)

    def reset(self) -> None:
        self.count = 0


def makeExtension(**kwargs: Any) -> LimitsExtension:  # noqa: N802 (Markdown's API)
    return LimitsExtension(**kwargs)
