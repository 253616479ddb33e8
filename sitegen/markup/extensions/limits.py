"""Limits on what one page may hold, so that converting any page under the size limit takes well under 2 seconds.

Python-Markdown and the HTML parser it uses take time that grows with the square of some inputs: a '[' that
is never closed is scanned to the end of its paragraph, once for each link pattern; a '<' that looks like a tag
but has no '>' is scanned to the end of the page; every heading splits the rest of its block again. These
checks run first, in time proportional to the page, and bound each such cost. Each problem is reported at the
line to change, and says what to change:

| limit | value | what it bounds |
|---|---|---|
| lines in a page | MAX_LINES | the block parser, line by line |
| characters in a line | MAX_LINE_CHARS | regular expressions that run to the end of a line |
| lines in a block (lines without a blank line between them) | MAX_BLOCK_LINES | block processors that split a block line by line |
| characters in a block | MAX_BLOCK_CHARS | scans to the end of a paragraph |
| '[' never closed, in a block | MAX_UNCLOSED | link patterns that scan to the end of the paragraph |
| '[' inside '[', in a block | MAX_BRACKET_DEPTH | link text scanned again at each level |
| link addresses '(' never closed, or with a stray quote, in a block | MAX_UNCLOSED | the address scan |
| '`' that open no code, in a block | MAX_UNCLOSED | the code pattern, which tries each backtick |
| marks that make inline elements (* _ [ ` < &) in a page | MAX_MARKS | about 100 microseconds for each inline element |
| straight quotes, dashes (--) and ellipses (...) in a page | MAX_TYPOGRAPHY | smarty, about 30 microseconds for each |
| code fences (``` or ~~~) in a page | MAX_FENCES | the fenced-code search |
| HTML tags and comments in a page | MAX_HTML_TAGS | the HTML parser's stacks |
| paragraphs, list items, table cells and headings in a page | MAX_ELEMENTS | about 100 microseconds for each |

A '<' that the HTML parser would scan past the end of its line (a tag without '>' on its line, '<!' that is not
a comment, '<?') is an error and is written as text (&lt;), so that the parser never scans it. A block that
breaks a limit is left out of the conversion (its lines become blank), and so is the rest of a page that breaks a
limit on the whole page; the page fails, and what is left of it is still checked.

Priorities: preprocessor ``limits`` 31, straight after ``document_lines_in`` (32), on the editor's lines;
tree processor ``limits_tree`` 29, after ``document_nesting`` (30), before ``inline`` (20). Every check takes time
in proportion to the page (tests/tools/probe_costs.py measures the worst cases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import parser as stdlib_htmlparser
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.htmlparser import htmlparser as markdown_htmlparser
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .document import Document
from .figures import figure_blocks

MAX_LINES = 2_000
MAX_LINE_CHARS = 2_000
MAX_BLOCK_LINES = 100
MAX_BLOCK_CHARS = 10_000
MAX_UNCLOSED = 10
MAX_BRACKET_DEPTH = 10
MAX_MARKS = 1_000
MAX_TYPOGRAPHY = 2_000
MAX_FENCES = 100
MAX_HTML_TAGS = 200
MAX_ELEMENTS = 2_000
MAX_REPORTED = 20  # limit problems reported per page; the rest are counted in one more

SEPARATORS = " \t\x02\x03"  # a line of only these is blank to Python-Markdown
FENCE_LINE = re.compile(r"^[ ]{0,3}(?:`{3,}|~{3,})")
MARK = re.compile(r"\\.|[\[\]()<&]|`+|[*_]+", re.DOTALL)
QUOTES = frozenset("'\"")
TYPOGRAPHY = re.compile(r"['\"]|-{2,}|\.{3}")  # smarty makes each a typographic character, one at a time
TITLED_ADDRESS = re.compile(r"""\s*[^\s'"]*\s+(["'])(?:(?!\1).)*\1\s*""", re.DOTALL)
# Python-Markdown's copy of the HTML parser and the standard library's (html_facts.py) read a start tag with
# slightly different patterns; a tag is safe when both end on its own line.
START_TAG_ENDS = (markdown_htmlparser.locatestarttagend_tolerant, stdlib_htmlparser.locatestarttagend_tolerant)
TAG_OPEN = re.compile(r"<[a-zA-Z/!?]")
COMMENT_CLOSE = re.compile(r"--!?\s*>")


@dataclass(frozen=True)
class Breach:
    """A limit that a page breaks: the line (0-based, in the body) and what to change."""

    line: int
    message: str


@dataclass
class _Scan:
    """What one block holds that makes Python-Markdown slow."""

    unclosed_brackets: list[int] = field(default_factory=list)
    deep_bracket: int | None = None
    bad_addresses: list[int] = field(default_factory=list)
    unclosed_backticks: list[int] = field(default_factory=list)
    marks: int = 0
    typography: int = 0


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


def _backtick_runs(text: str) -> tuple[list[tuple[int, int]], list[int | None]]:
    """Each run of backticks, and the index of the next run of the same length (the run that would close it)."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    next_same: list[int | None] = [None] * len(runs)
    later: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        next_same[index] = later.get(length)
        later[length] = index
    return runs, next_same


def code_spans(text: str, runs: list[tuple[int, int]], next_same: list[int | None]) -> list[tuple[int, int]]:
    """Where Python-Markdown may read code in a block: each code span, or, when a backtick is escaped, the whole
    stretch from the first backtick to the last (a ']' or ')' in code closes nothing, so err on the side of code)."""
    if not runs:
        return []
    if any(start > 0 and text[start - 1] == "\\" for start, _ in runs):
        return [(runs[0][0], runs[-1][1])]
    spans = []
    index = 0
    while index < len(runs):
        closer = next_same[index]
        if closer is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closer][1]))
        index = closer + 1
    return spans


def unclosed_backticks(text: str, runs: list[tuple[int, int]], next_same: list[int | None]) -> list[int]:
    """The offset of every backtick in a run that no later run of the same length closes (each is tried, and fails)."""
    found: list[int] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        closer = next_same[index]
        if closer is not None and not (start > 0 and text[start - 1] == "\\"):
            index = closer + 1
            continue
        found.extend(range(start, end))
        index += 1
    return found


class _Spans:
    """Whether an offset lies in one of some sorted, separate spans (offsets are asked in increasing order)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.index = 0

    def __contains__(self, offset: int) -> bool:
        while self.index < len(self.spans) and self.spans[self.index][1] <= offset:
            self.index += 1
        return self.index < len(self.spans) and self.spans[self.index][0] <= offset


def scan_block(text: str) -> _Scan:
    """One pass over a block: brackets and addresses that will be scanned to its end, backticks, inline marks.

    It errs on the side of cost: a '[' in code counts as open, a ']' or ')' in code closes nothing.
    """
    runs, next_same = _backtick_runs(text)
    scan = _Scan(unclosed_backticks=unclosed_backticks(text, runs, next_same), typography=len(TYPOGRAPHY.findall(text)))
    code = _Spans(code_spans(text, runs, next_same))
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []  # offset of '(', and whether it starts a link's address ('](')
    last_closed_bracket = -2
    for match in MARK.finditer(text):
        token, offset = match.group(), match.start()
        if token[0] == "\\":
            continue
        if token in ("]", ")"):
            if offset in code:
                continue
            if token == "]" and brackets:
                brackets.pop()
                last_closed_bracket = offset
            elif token == ")" and parens:
                opened, is_address = parens.pop()
                if is_address and _stray_quote(text[opened + 1 : offset]):
                    scan.bad_addresses.append(opened)
            continue
        if token == "(":
            parens.append((offset, offset == last_closed_bracket + 1))
            continue
        scan.marks += 1
        if token == "[":
            brackets.append(offset)
            if len(brackets) > MAX_BRACKET_DEPTH and scan.deep_bracket is None:
                scan.deep_bracket = offset
    scan.unclosed_brackets = brackets
    scan.bad_addresses += [offset for offset, is_address in parens if is_address]
    scan.bad_addresses.sort()
    return scan


def _stray_quote(address: str) -> bool:
    """Python-Markdown reads a quote in a link's address as the start of a title; unless the title closes just before
    ')', it scans for the end of the address to the end of the paragraph."""
    return bool(QUOTES.intersection(address)) and TITLED_ADDRESS.fullmatch(address) is None


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def block_breaches(lines: list[str], start: int, end: int) -> tuple[list[Breach], _Scan | None]:
    """The limits that one block breaks, each at its line, and what the block holds."""
    long_line = next((i for i in range(start, end) if len(lines[i]) > MAX_LINE_CHARS), None)
    if long_line is not None:
        message = (
            f"this line has {len(lines[long_line]):,} characters; a line may have at most {MAX_LINE_CHARS:,}: "
            "break it into shorter lines (Markdown joins the lines of a paragraph)"
        )
        return [Breach(long_line, message)], None
    if end - start > MAX_BLOCK_LINES:
        message = (
            f"{end - start:,} lines follow each other without a blank line; a paragraph, list or table may have at most "
            f"{MAX_BLOCK_LINES} lines: put blank lines between paragraphs, or split the list or table"
        )
        return [Breach(start, message)], None
    text = "\n".join(lines[start:end])
    if len(text) > MAX_BLOCK_CHARS:
        message = (
            f"this paragraph, list or table has {len(text):,} characters without a blank line; the most is "
            f"{MAX_BLOCK_CHARS:,}: put blank lines between paragraphs, or split it"
        )
        return [Breach(start, message)], None
    scan = scan_block(text)
    found = []
    if len(scan.unclosed_brackets) > MAX_UNCLOSED:
        message = (
            f"{len(scan.unclosed_brackets)} '[' in this paragraph are never closed by ']'; at most {MAX_UNCLOSED} may be: "
            "close each link or citation, or write \\[ for a bracket that is only text"
        )
        found.append(Breach(start + line_at(text, scan.unclosed_brackets[0]), message))
    elif scan.deep_bracket is not None:
        message = f"brackets are nested more than {MAX_BRACKET_DEPTH} deep here; close each '[' with ']' before opening another"
        found.append(Breach(start + line_at(text, scan.deep_bracket), message))
    if len(scan.bad_addresses) > MAX_UNCLOSED:
        message = (
            f"{len(scan.bad_addresses)} link addresses in this paragraph are not closed by ')' or hold a stray quote; "
            f'at most {MAX_UNCLOSED} may be: write each link as [text](address) or [text](address "title")'
        )
        found.append(Breach(start + line_at(text, scan.bad_addresses[0]), message))
    if len(scan.unclosed_backticks) > MAX_UNCLOSED:
        message = (
            f"{len(scan.unclosed_backticks)} backticks (`) in this paragraph start no code; at most {MAX_UNCLOSED} may: "
            "close each piece of code with as many backticks as opened it, or write \\` for a backtick that is only text"
        )
        found.append(Breach(start + line_at(text, scan.unclosed_backticks[0]), message))
    return found, scan


def without_figures(lines: list[str]) -> list[str]:
    """The lines with every figure block blank: the figures preprocessor replaces them before Python-Markdown or
    its HTML parser read anything, so they are neither scanned nor limited here (their YAML is checked there)."""
    result = list(lines)
    for figure in figure_blocks(lines):
        last = figure.end if figure.end is not None else len(lines) - 1
        result[figure.start : last + 1] = [""] * (last + 1 - figure.start)
    return result


def line_breaches(lines: list[str]) -> tuple[list[Breach], list[str]]:
    """Every limit that the lines break, and the lines with each block that breaks one (or the rest of the page) blanked.

    Figure blocks are not scanned: the figures preprocessor replaces them before Python-Markdown reads any Markdown.
    """
    result = list(lines)
    found: list[Breach] = []

    def leave_out(start: int, end: int) -> None:
        result[start:end] = [""] * (end - start)

    if len(lines) > MAX_LINES:
        message = f"this page has {len(lines):,} lines; a page may have at most {MAX_LINES:,}: split it into two pages"
        found.append(Breach(MAX_LINES, message))
        del result[MAX_LINES:]  # the rest is left out: dropped, not blanked, as blank lines cost time too
    fences = [index for index, line in enumerate(result) if FENCE_LINE.match(line)]
    if len(fences) > MAX_FENCES:
        message = f"this page has {len(fences):,} code fence lines (``` or ~~~); a page may have at most {MAX_FENCES}: split the page"
        found.append(Breach(fences[MAX_FENCES], message))
        del result[fences[MAX_FENCES] :]
    scanned = without_figures(result)
    marks = typography = 0
    for start, end in blocks_of(scanned):
        breaches, scan = block_breaches(scanned, start, end)
        if breaches or scan is None:
            found += breaches
            leave_out(start, end)
            continue
        marks += scan.marks
        typography += scan.typography
        if marks > MAX_MARKS:
            message = (
                f"this page has more than {MAX_MARKS:,} marks that make links, citations, emphasis, code or HTML (* _ [ ` < &) "
                "by this paragraph; split the page into two"
            )
        elif typography > MAX_TYPOGRAPHY:
            message = (
                f"this page has more than {MAX_TYPOGRAPHY:,} straight quotes (' \"), dashes (--) and ellipses (...) by this "
                "paragraph; split the page into two"
            )
        else:
            continue
        found.append(Breach(start, message))
        del result[start:]
        break
    return found, result


@dataclass(frozen=True)
class HtmlHazard:
    line: int
    column: int
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
    for line in lines:
        line_starts.append(line_starts[-1] + len(line) + 1)
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
                hazards.append(HtmlHazard(line, column, "this HTML comment '<!--' is never closed by '-->'; close it"))
                index = at + 1
            else:
                index = close.end()
            continue
        if second in "!?":
            hazards.append(HtmlHazard(line, column, f"'<{second}' is not allowed in a page; write &lt; for a '<' that is only text"))
            index = at + 2
            continue
        if second == "/":
            closing = text.find(">", at, line_end)
            if closing < 0:
                hazards.append(HtmlHazard(line, column, _unclosed_tag(text[at:line_end])))
                index = at + 2
            else:
                index = closing + 1
            continue
        end = _start_tag_end(text, at, line_end)
        if end is None:
            hazards.append(HtmlHazard(line, column, _unclosed_tag(text[at:line_end])))
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


class LimitsPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, document: Document) -> None:
        super().__init__(md)
        self.document = document
        self.reported = 0

    def run(self, lines: list[str]) -> list[str]:
        self.reported = 0
        breaches, result = line_breaches(lines)
        for breach in breaches:
            self.report(breach.line, breach.message)
        hazards, tag_lines = html_hazards(without_figures(result))
        if len(tag_lines) > MAX_HTML_TAGS:
            cut = tag_lines[MAX_HTML_TAGS]
            message = f"this page has more than {MAX_HTML_TAGS} HTML tags and comments by this line; write it in Markdown, or split it"
            self.report(cut, message)
            del result[cut:]
            hazards = [h for h in hazards if h.line < cut]
        for hazard in hazards:
            self.report(hazard.line, hazard.message)
            line = result[hazard.line]
            result[hazard.line] = line[: hazard.column] + "&lt;" + line[hazard.column + 1 :]
        if self.reported > MAX_REPORTED:
            more = self.reported - MAX_REPORTED
            self.document.error(self.document.first_line, f"{more} more limits are broken on this page; fix the ones shown first")
        return result

    def report(self, line: int, message: str) -> None:
        if self.reported < MAX_REPORTED:
            self.document.error(self.document.first_line + line, message)
        self.reported += 1


class LimitsTreeprocessor(Treeprocessor):
    """At most MAX_ELEMENTS paragraphs, list items, table cells, headings and other blocks: the page is cut after them."""

    def __init__(self, md: Markdown, document: Document) -> None:
        super().__init__(md)
        self.document = document

    def run(self, root: Element) -> None:
        count = 0
        for index, child in enumerate(root):
            count += sum(1 for _ in child.iter())
            if count > MAX_ELEMENTS:
                line = self.document.source_line(self.document.block_lines.get(child, 0))
                self.document.error(
                    line,
                    f"this page has more than {MAX_ELEMENTS:,} paragraphs, list items, table cells and headings by this line; "
                    "split it into two pages",
                )
                del root[index:]
                return


class LimitsExtension(Extension):
    def __init__(self, document: Document, **kwargs: Any) -> None:
        self.document = document
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.register(LimitsPreprocessor(md, self.document), "limits", 31)
        md.treeprocessors.register(LimitsTreeprocessor(md, self.document), "limits_tree", 29)
