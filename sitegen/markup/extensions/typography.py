"""Typographic quotes, dashes and ellipses, made in one pass over the page's text.

Tree processor ``typography`` (6, where smarty's pass ran: after ``html_policy`` 7 and ``images`` 6.5, before
``toc`` 5, so heading ids and the table of contents read what they read before). It replaces Python-Markdown's
smarty extension, which ran a second inline pass over the whole tree: fifteen patterns tried one after another
on every text, each match stashed and the text rebuilt, which grew with the square of the quotes in a paragraph.
This walks the tree's texts and tails once, passes over a text with no straight quote, '--' or '...', and is
linear in the text.

- A run of exactly three hyphens is an em dash, of exactly two an en dash; longer runs are left alone.
- A run of exactly three full stops is an ellipsis.
- Straight quotes become curly by smarty's rules, which came from SmartyPants (John Gruber) and smartypants.py
  (Chad Miller) by way of Python-Markdown (all BSD-licensed): QUOTE_RULES, tried in smarty's order.
- Text in code and pre, AtomicString text and raw HTML are left alone; ``\\"`` and ``\\'`` stay straight.

Each substitution is stored with ``md.htmlStash.store()``, as smarty stored it, so the HTML holds the same
entities (``&rsquo;``). The output is smarty's, byte for byte, but for one thing: a text that follows an
emphasis, a link, a code span or a glossary link reads that element's last character before it, as a reader
does, where smarty saw the start of a text. So ``"*word*"`` ends with a closing quote, not a second opening
one. tests/markup/extensions/test_typography.py lists each difference with its reason.

Smarty's rules read a text as they rewrite it: a character that a rule has made is, to the rules after it (and
to the same rule's next match), the end of a placeholder, neither a letter nor a space. Here a made character
becomes MADE in a working copy of the text, which the rules read as they read the end of a placeholder;
positions stay the same, so the substitutions are written into the text once, at the end.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

SUBSTITUTIONS = {
    "mdash": "&mdash;",
    "ndash": "&ndash;",
    "ellipsis": "&hellip;",
    "left-single-quote": "&lsquo;",
    "right-single-quote": "&rsquo;",
    "left-double-quote": "&ldquo;",
    "right-double-quote": "&rdquo;",
}
SKIPPED_TAGS = frozenset({"code", "pre"})
MADE = "\x03"  # what a made character is to the rules after it: how a stash placeholder ends

_PUNCT = r"""[!"#\$\%'()*+,-.\/:;<=>?\@\[\\\]\^_`{|}~]"""
_CLOSE = r"[^\ \t\r\n\[\{\(\-\u0002\u0003]"  # a character that may end a word a closing quote follows
_OPENS = r"(\s|&nbsp;|--|–|—|&[mn]dash;|&#8211;|&#8212;)"  # what may come before an opening quote


class Rule:
    """One of smarty's quote patterns: what it matches, the substitution for each quote in a match, and the quotes a
    text needs for it to match."""

    def __init__(self, pattern: str, names: tuple[str, ...], needs: str, *, after_word: bool = False, first: bool = False) -> None:
        self.pattern = re.compile(pattern)
        self.names = names
        self.needs = frozenset(needs)
        # The pattern needs a word's last character before the quote, and the quote its own previous match made is
        # not one: smarty's rule reads that quote as the end of a placeholder.
        self.after_word = after_word
        self.first = first  # the pattern matches only at the start of a text (smarty's '^')


LSQUO, RSQUO, LDQUO, RDQUO = "left-single-quote", "right-single-quote", "left-double-quote", "right-double-quote"
QUOTE_RULES = (
    Rule(rf"'(?={_PUNCT}\B)", (RSQUO,), "'", first=True),  # a text that starts with a quote and punctuation: *word*'.
    Rule(rf'"(?={_PUNCT}\B)', (RDQUO,), '"', first=True),
    Rule(r""""'(?=\w)""", (LDQUO, LSQUO), "'\""),  # "'Quoted' words in a larger quote."
    Rule(r"""'"(?=\w)""", (LSQUO, LDQUO), "'\""),
    Rule(rf"""(?<={_CLOSE})'\"""", (RSQUO, RDQUO), "'\"", after_word=True),
    Rule(rf"""(?<={_CLOSE})"'""", (RDQUO, RSQUO), "'\"", after_word=True),
    Rule(r"(?<!\w)'(?=\d{2}s)", (RSQUO,), "'"),  # the '80s
    Rule(rf"{_OPENS}'(?=\w)", (LSQUO,), "'"),
    Rule(rf"(?<={_CLOSE})'(?!\s|s\b|\d)", (RSQUO,), "'", after_word=True),
    Rule(r"'(?:\s|s\b)", (RSQUO,), "'"),
    Rule(r"'", (LSQUO,), "'"),
    Rule(rf'{_OPENS}"(?=\w)', (LDQUO,), '"'),
    Rule(r'"(?=\s)', (RDQUO,), '"'),
    Rule(rf'(?<={_CLOSE})"', (RDQUO,), '"', after_word=True),
    Rule(r'"', (LDQUO,), '"'),
)
QUOTES = frozenset("'\"")
DASHES = re.compile(r"(?<!-)-{2,3}(?!-)")
ELLIPSES = re.compile(r"(?<!\.)\.{3}(?!\.)")
SPANS = {(2, "-"): "ndash", (3, "-"): "mdash", (3, "."): "ellipsis"}  # what a dash or ellipsis match is made into

Made = tuple[int, int, str]  # (start, end, substitution name) in a text


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """text with each span's characters made: MADE, which the rules read as they read the end of a placeholder."""
    if not spans:
        return text
    parts: list[str] = []
    at = 0
    for start, end in spans:
        parts += (text[at:start], MADE * (end - start))
        at = end
    parts.append(text[at:])
    return "".join(parts)


def last_character(element: Element) -> str:
    """The last character of element's content (its text and its children's, not its tail), or ''."""
    for child in reversed(element):
        found = child.tail[-1:] if child.tail else last_character(child)
        if found:
            return found
    return element.text[-1:] if element.text else ""


class TypographyTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: TypographyExtension) -> None:
        super().__init__(md)
        self.dashes = extension.getConfig("smart_dashes")
        self.ellipses = extension.getConfig("smart_ellipses")
        self.quotes = extension.getConfig("smart_quotes")
        self.substitutions = {**SUBSTITUTIONS, **extension.getConfig("substitutions")}
        self.placeholders = extension.placeholders

    def run(self, root: Element) -> None:
        blocks = frozenset(self.md.block_level_elements)
        stack = [root]
        while stack:
            parent = stack.pop()
            for child in parent:
                # The tail first, while the child's content is as the editor wrote it: a quote at the tail's start
                # reads the content's last character (a straight quote there is one about to be made).
                tail = child.tail
                if tail and self.wanted(tail) and not isinstance(tail, AtomicString):
                    before = last_character(child) if tail[0] in QUOTES and child.tag not in blocks else ""
                    child.tail = self.educate(tail, MADE if before in QUOTES else before)
                if child.tag in SKIPPED_TAGS:
                    continue
                text = child.text
                if text and self.wanted(text) and not isinstance(text, AtomicString):
                    child.text = self.educate(text)
                if len(child):
                    stack.append(child)

    def wanted(self, text: str) -> bool:
        """Whether text has anything to make typographic."""
        return (self.quotes and ("'" in text or '"' in text)) or (self.dashes and "--" in text) or (self.ellipses and "..." in text)

    def educate(self, text: str, before: str = "") -> str:
        """text with its quotes, dashes and ellipses made typographic, in smarty's order: dashes, quotes, ellipses.

        before is the character a reader sees before the text: the end of the emphasis, link or code that the text
        follows. The quote rules read it; in "*word*" the second quote follows a letter, so it closes."""
        made: list[Made] = []
        working = self.substitute(text, DASHES, made) if self.dashes and "--" in text else text
        if self.quotes and ("'" in text or '"' in text):
            working = before + working
            present = QUOTES.intersection(text)
            for rule in QUOTE_RULES:
                if rule.needs <= present:
                    working = self.quote(working, rule, made, len(before))
        if self.ellipses and "..." in text:
            self.substitute(text, ELLIPSES, made)
        return self.write(text, sorted(made)) if made else text

    @staticmethod
    def substitute(text: str, pattern: re.Pattern[str], made: list[Made]) -> str:
        """Dashes or ellipses; returns text with what was made marked."""
        spans = [match.span() for match in pattern.finditer(text)]
        made.extend((start, end, SPANS[end - start, text[start]]) for start, end in spans)
        return marked(text, spans)

    @staticmethod
    def quote(working: str, rule: Rule, made: list[Made], start: int) -> str:
        """One quote rule over the text from start, left to right, as smarty applied it; returns the text with what
        was made marked. The character before start, if any, is the one a reader sees before the text."""
        if rule.first:
            match = rule.pattern.match(working, start)
            matches = [match] if match else []
        else:
            matches = list(rule.pattern.finditer(working))
        last_end = -1
        spans = []
        for match in matches:
            begin, end = match.span()
            if rule.after_word and begin == last_end:
                continue
            quotes = (i - start for i in range(begin, end) if working[i] in QUOTES)
            made.extend((i, i + 1, name) for i, name in zip(quotes, rule.names, strict=True))
            spans.append((begin, end))
            last_end = end
        return marked(working, spans)

    def write(self, text: str, made: list[Made]) -> str:
        """text with each made span replaced by the placeholder of its stashed substitution."""
        parts: list[str] = []
        at = 0
        for start, end, name in made:
            if name not in self.placeholders:
                self.placeholders[name] = self.md.htmlStash.store(self.substitutions[name])
            parts += (text[at:start], self.placeholders[name])
            at = end
        parts.append(text[at:])
        return "".join(parts)


class TypographyExtension(Extension):
    """Curly quotes, dashes and ellipses, as Python-Markdown's smarty makes them (without its angled quotes)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "smart_quotes": [True, "Make straight quotes curly"],
            "smart_dashes": [True, "Make -- an en dash and --- an em dash"],
            "smart_ellipses": [True, "Make ... an ellipsis"],
            "substitutions": [{}, "Replace the default substitutions (the HTML written for each name in SUBSTITUTIONS)"],
        }
        super().__init__(**kwargs)
        self.placeholders: dict[str, str] = {}  # name -> its placeholder: each substitution is stashed once a page

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.treeprocessors.register(TypographyTreeprocessor(md, self), "typography", 6)
        if self.getConfig("smart_quotes"):
            md.ESCAPED_CHARS.extend(c for c in "\"'" if c not in md.ESCAPED_CHARS)

    def reset(self) -> None:
        self.placeholders.clear()


def makeExtension(**kwargs: Any) -> TypographyExtension:  # noqa: N802 (Markdown's API)
    return TypographyExtension(**kwargs)
