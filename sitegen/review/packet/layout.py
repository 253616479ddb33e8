"""The packet's printed pages, worked out before it is printed: so that its first page can say how long it is.

The packet's HTML is a run of blocks (a heading, a paragraph of a page, a figure to tick), each rendered by a macro
of templates/blocks.html. Here each block's printed height is estimated from its own HTML, and the blocks are laid
out on sheets: one sheet is one printed page (packet.css starts each sheet on a new page, in print). The estimate
is an upper bound, so a sheet never spills onto a second page, and the packet prints on exactly as many pages as
it has sheets:
- the page is A4 or Letter, whichever is smaller in each direction (A4's width, Letter's height), less packet.css's
  15 mm margins;
- the print styles below are packet.css's, in points: each block's font size, line height, margins and padding;
- text is set in DejaVu Sans, the font that packet.css names first for print. It is wider than the fonts that stand
  in for it elsewhere (Arial, Helvetica, Liberation Sans), so the estimate holds for them too. Its advance widths
  (in thousandths of an em, measured in Chromium) are below; lines break only at spaces, as a browser breaks them
  at least as often, and a word longer than a line breaks anywhere;
- margins that a browser collapses into one are counted in full.

tests/quality/test_review_packet_quality.py prints packets in Chromium and checks that their page counts are these.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

MM = 72 / 25.4
PAGE_WIDTH = (210 - 30) * MM  # A4 is the narrower, less two 15 mm margins
PAGE_HEIGHT = (279.4 - 30) * MM  # Letter is the shorter
SAFETY = 12.0  # points kept free at the foot of each sheet
WIDTH_MARGIN = 1.03  # kerning and rounding: widths are taken 3% wider than the font's advances

# DejaVu Sans, characters 32 to 126, in thousandths of an em.
_REGULAR = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 636 636 337 337 838 838 "
    "838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 603 787 695 635 611 732 684 989 685 611 685 390 "
    "337 390 838 500 500 613 635 550 635 615 352 635 634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 592 592 "
    "525 636 337 636 838"
)
_BOLD = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 696 696 400 400 838 838 "
    "838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 733 850 770 720 682 812 774 1103 771 724 725 457 "
    "365 457 838 500 500 675 716 593 716 678 435 716 712 343 343 665 343 1042 712 687 716 716 493 595 478 712 652 924 645 652 "
    "582 712 365 712 838"
)
_OTHERS = {"‘": 380, "’": 380, "“": 657, "”": 657, "–": 500, "—": 1000, "…": 1000, "°": 500, "·": 380, "•": 639, "\xa0": 348}
_OTHERS |= {"¿": 580, "¡": 456, "€": 696, "£": 696, "×": 838, "≥": 838, "≤": 838, "±": 838, "→": 838, "←": 838}
MONO = 602  # DejaVu Sans Mono: every character
UNKNOWN = 1000  # any other character that has no base letter above: a full em


def _table(widths: str) -> dict[str, int]:
    return {chr(32 + index): int(width) for index, width in enumerate(widths.split())}


REGULAR, BOLD = _table(_REGULAR), _table(_BOLD)


def char_width(char: str, bold: bool) -> int:
    """A character's advance in thousandths of an em; an accented letter as its base letter (é as e)."""
    table = BOLD if bold else REGULAR
    if char in table:
        return table[char]
    if char in _OTHERS:
        return _OTHERS[char]
    base = unicodedata.normalize("NFD", char)[:1]
    return table.get(base, UNKNOWN)


@dataclass(frozen=True)
class Style:
    """How packet.css prints an element, in points."""

    size: float = 10.0
    line: float = 14.0
    bold: bool = False
    mono: bool = False
    before: float = 0.0  # margin, border and padding above
    after: float = 0.0  # padding, border and margin below
    indent: float = 0.0  # taken from the width: margin, border and padding on the left and right
    least: float = 0.0  # the content's least height (a line to write on)
    block: bool = True
    hidden: bool = False  # not printed, or out of the flow (a tick box or line number in the margin)


INLINE = Style(block=False)
# Element names and classes as templates/blocks.html writes them (the page's headings, h3 to h6, all have the class
# page-heading); each as packet.css prints it.
STYLES: dict[str, Style] = {
    "div": Style(),
    "p": Style(after=4),
    "h1": Style(16, 20, bold=True, after=6),
    "h2": Style(13, 17, bold=True, before=10 + 1.5 + 3, after=4),
    "ul": Style(after=4, indent=16),
    "ol": Style(after=4, indent=16),
    "li": Style(after=2),
    ".running": Style(8, 11, after=2 + 0.75 + 6),
    ".page-heading": Style(11, 15, bold=True, before=6, after=2, indent=30),
    ".gutter": Style(after=4, indent=30),
    ".tick": Style(after=5, indent=30),
    ".source": Style(before=6, after=3, indent=30),
    ".code": Style(12, 16, after=4),
    ".command": Style(8.5, 12, mono=True, before=0.75 + 3, after=3 + 0.75 + 4, indent=2 * (0.75 + 4)),
    ".box": Style(before=1 + 4, after=4 + 1 + 6, indent=2 * (1 + 6)),
    ".blank": Style(before=2, after=0.75 + 4, least=20),
    ".note": Style(9, 12.5, after=4),
    ".asked": Style(after=0),
    ".ln": Style(hidden=True),
    "input": Style(hidden=True),
    "strong": Style(bold=True, block=False),
    "ins": Style(bold=True, block=False),
    "b": Style(bold=True, block=False),
    "code": Style(mono=True, block=False),
    ".screen-only": Style(hidden=True),
}
VOID = {"br", "input", "img", "wbr", "hr"}


@dataclass
class Node:
    tag: str
    classes: tuple[str, ...]
    children: list[Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("div", ())
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = tuple(next((v or "" for k, v in attrs if k == "class"), "").split())
        node = Node(tag, classes)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(fragment: str) -> Node:
    tree = _Tree()
    tree.feed(fragment)
    tree.close()
    return tree.root


def style_of(node: Node, parent: Style) -> Style:
    """The element's own style (its classes over its name); an inline element keeps its parent's size and line."""
    found = next((STYLES[f".{c}"] for c in node.classes if f".{c}" in STYLES), None) or STYLES.get(node.tag)
    if found is None or not found.block:
        bold = parent.bold or bool(found and found.bold)
        mono = parent.mono or bool(found and found.mono)
        return Style(parent.size, parent.line, bold, mono, block=False, hidden=bool(found and found.hidden))
    return found


Word = list[tuple[str, bool, bool]]  # pieces of one unbreakable word: text, bold, mono


class _Lines:
    """Inline text set in lines of a given width: how many lines it takes."""

    def __init__(self, width: float, size: float) -> None:
        self.width = width / size * 1000 / WIDTH_MARGIN  # in thousandths of an em of this size
        self.count = 0
        self.used = 0.0  # width of the current line; 0 with count 0 means nothing set yet
        self.word: Word = []
        self.space = 0.0
        self.started = False  # a line is open

    @staticmethod
    def measure(word: Word) -> float:
        return sum(MONO * len(text) if mono else sum(char_width(c, bold) for c in text) for text, bold, mono in word)

    def text(self, text: str, bold: bool, mono: bool, keep_breaks: bool = False) -> None:
        for piece in re.split(r"(\s+)", text):
            if not piece:
                continue
            if piece.isspace():
                self.end_word()
                for _ in range(piece.count("\n") if keep_breaks else 0):
                    self.hard_break()
                self.space = MONO if mono else char_width(" ", bold)
            else:
                self.word.append((piece, bold, mono))

    def end_word(self) -> None:
        if not self.word:
            return
        width = self.measure(self.word)
        if self.started and self.used + self.space + width <= self.width:
            self.used += self.space + width
        else:
            self.count += 1
            self.started = True
            self.used = 0.0
            if width <= self.width:
                self.used = width
            else:
                self.place_long(self.word)
        self.word, self.space = [], 0.0

    def place_long(self, word: Word) -> None:
        """A word longer than a line, from the start of a line. A browser breaks it after a hyphen where it can (as in
        a long web address), and anywhere else only where a part between hyphens is longer than a line itself."""
        for part in hyphen_parts(word):
            width = self.measure(part)
            if self.used + width <= self.width:
                self.used += width
                continue
            if self.used > 0:
                self.count += 1
                self.used = 0.0
            while width > self.width:
                width -= self.width
                self.count += 1
            self.used = width

    def hard_break(self) -> None:
        self.end_word()
        if not self.started:
            self.count += 1
        self.started, self.used, self.space = False, 0.0, 0.0

    def lines(self) -> int:
        self.end_word()
        return self.count


HYPHEN_BREAK = re.compile(r"(?<=-)(?=[^\d-])")  # a line may break after a hyphen, but not before a digit (1-2, COVID-19)


def hyphen_parts(word: Word) -> list[Word]:
    """word in the parts a browser may break it into without breaking anywhere: each ends at a hyphen."""
    parts: list[Word] = [[]]
    for text, bold, mono in word:
        pieces = HYPHEN_BREAK.split(text)
        parts[-1].append((pieces[0], bold, mono))
        parts += [[(piece, bold, mono)] for piece in pieces[1:]]
    return parts


def height(node: Node, width: float, style: Style) -> float:
    """The printed height of a block element (and everything in it), in points, at most."""
    inner = width - style.indent
    content = 0.0
    lines: _Lines | None = None

    def flush() -> None:
        nonlocal content, lines
        if lines is not None:
            content += lines.lines() * style.line
            lines = None

    def inline(child: Node | str, current: Style) -> None:
        nonlocal lines
        if isinstance(child, str):
            if lines is None:
                if not child.strip():
                    return
                lines = _Lines(inner, style.size)
            lines.text(child, current.bold, current.mono, keep_breaks="command" in node.classes)
            return
        if child.tag == "br":
            if lines is None:
                lines = _Lines(inner, style.size)
            lines.hard_break()
            return
        for grandchild in child.children:
            inline(grandchild, style_of(child, current))

    for child in node.children:
        own = style_of(child, style) if isinstance(child, Node) else None
        if own is not None and own.hidden:
            continue
        if isinstance(child, Node) and own is not None and own.block:
            flush()
            content += height(child, inner, own)
        else:
            inline(child, style)
    flush()
    return style.before + max(content, style.least) + style.after


def block_height(fragment: str, width: float = PAGE_WIDTH) -> float:
    """The printed height of an HTML fragment of blocks, in points, at most."""
    root = parse(fragment)
    return height(root, width, Style())


@dataclass(frozen=True)
class Item:
    """A block of the packet, in reading order."""

    html: str
    keep_with_next: bool = False  # a heading: never the last block of a sheet
    count: int = 0  # a block that may be split between its parts (a paragraph between sentences): how many parts
    part: Callable[[int, int], str] | None = None  # the block's HTML with its parts start to end only

    def rest(self, start: int) -> Item:
        part = self.part
        assert part is not None
        return Item(part(start, self.count), self.keep_with_next, self.count - start, lambda a, b: part(start + a, start + b))

    def first(self) -> str:
        """The least of it that can stand at the foot of a sheet."""
        return self.part(0, 1) if self.part is not None and self.count > 1 else self.html


Placed = tuple[int, str, bool]  # an item's index, its HTML (or that of some of its parts), and whether that is all of it


def lay_out(items: Sequence[Item], running: str) -> list[list[Placed]]:
    """The blocks on sheets, each sheet's blocks no taller than a printed page (running is each sheet's first line).

    A heading stays with the start of the block after it. A block taller than what is left of a sheet is split
    between its parts when it has them; only a single part taller than a whole page (a sentence of thousands of
    words) would print on more pages than the packet says."""
    measure = functools.cache(block_height)  # a block is measured once, however often it is weighed
    budget = PAGE_HEIGHT - SAFETY - measure(running)
    sheets: list[list[Placed]] = [[]]
    used = 0.0
    queue: list[tuple[int, Item, bool]] = [(index, item, True) for index, item in enumerate(items)]
    at = 0
    while at < len(queue):
        index, item, whole = queue[at]
        need = measure(item.html)
        following = queue[at + 1][1] if item.keep_with_next and at + 1 < len(queue) else None
        together = need + (measure(following.first()) if following is not None else 0.0)
        taken = _fits(item, budget - used, measure) if used + need > budget else 0
        if used + max(need, together) > budget and sheets[-1] and not taken:
            sheets.append([])
            used = 0.0
            continue
        if used + need > budget and not taken:
            taken = _fits(item, budget, measure)
        if taken:
            assert item.part is not None
            queue[at : at + 1] = [(index, Item(item.part(0, taken)), False), (index, item.rest(taken), False)]
            continue
        sheets[-1].append((index, item.html, whole))
        used += need
        at += 1
    return sheets


def _fits(item: Item, room: float, measure: Callable[[str], float]) -> int:
    """How many of item's first parts fit in room (at least one part, and never all of them), or 0. Heights grow with
    the parts taken, so the count is searched for by halves."""
    if item.part is None or item.count < 2:
        return 0
    low, high = 0, item.count - 1  # low parts fit; more than high never need to
    while low < high:
        middle = (low + high + 1) // 2
        if measure(item.part(0, middle)) <= room:
            low = middle
        else:
            high = middle - 1
    return low
