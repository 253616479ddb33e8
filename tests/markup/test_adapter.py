"""Canaries for the Python-Markdown private details that sitegen/markup/adapter.py relies on, one or more for each.

Each fails loudly when an upgrade of Python-Markdown changes a detail. Its message names the detail: check the
adapter's code against the new release (the adapter's docstring says what each detail relies on), then update the
recorded source digest here and move the pin in pyproject.toml and constraints.txt.
"""

from __future__ import annotations

import hashlib
import inspect
import random
import re
from collections.abc import Callable
from html import parser as stdlib_htmlparser

import markdown
import pytest
from markdown.blockparser import BlockParser
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.htmlparser import htmlparser as markdown_htmlparser
from markdown.inlinepatterns import EscapeInlineProcessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import ETX, STX

from sitegen.markup import adapter
from sitegen.markup.adapter import START_TAG_ENDS, STASH_KEY, code_spans, unescape
from sitegen.markup.converter import BUILT_IN_CONFIGS, BUILT_IN_EXTENSIONS

TESTED = "3.11.3"


def source_digest(*functions: Callable[..., object]) -> str:
    return hashlib.sha256("".join(inspect.getsource(f) for f in functions).encode()).hexdigest()[:16]


def check(detail: str, functions: tuple[Callable[..., object], ...], recorded: str) -> None:
    now = source_digest(*functions)
    assert now == recorded, (
        f"Python-Markdown {markdown.__version__} changed what {detail} relies on (tested with {TESTED}): "
        f"read the adapter's note on {detail} against the new code, then record {now} here"
    )


def test_the_pin_is_the_tested_release() -> None:
    assert markdown.__version__ == TESTED, f"the adapter was checked against Python-Markdown {TESTED}, not {markdown.__version__}"


def test_canary_line_tracker_copies_the_block_parsers_loop() -> None:
    check("LineTracker (BlockParser.parseChunk and parseBlocks)", (BlockParser.parseChunk, BlockParser.parseBlocks), "0b6de2319bb64114")


def test_canary_line_tracker_block_processors_change_the_block_list_only_as_tracked() -> None:
    """Every block processor the site's converter runs uses only blocks.pop(), blocks.insert(), blocks[i] = and reading."""
    md = markdown.Markdown(extensions=list(BUILT_IN_EXTENSIONS), extension_configs=BUILT_IN_CONFIGS)
    allowed = re.compile(r"blocks\.(pop|insert)\(|blocks\[[^\]]*\]|\bblocks\b")
    for processor in md.parser.blockprocessors:
        source = inspect.getsource(type(processor).run)
        for use in re.findall(r"blocks\.\w+\(?", source):
            assert allowed.match(use), f"{type(processor).__name__}.run uses {use}: LineTracker's block list does not track it"


def test_canary_line_keeping_fenced_blocks_wraps_fenced_code() -> None:
    check(
        "LineKeepingFencedBlocks (FencedBlockPreprocessor.run and handle_attrs)",
        (FencedBlockPreprocessor.run, FencedBlockPreprocessor.handle_attrs),
        "09fd2b384fdd284e",
    )
    run = inspect.getsource(FencedBlockPreprocessor.run)
    assert run.count("self.FENCED_BLOCK_RE.search(") == 1 and run.count("self.md.htmlStash.store(") == 1


def test_canary_python_markdown_inline_patterns_are_only_indexed() -> None:
    check(
        "python_markdown (InlineProcessor's inline loop)",
        (InlineProcessor._InlineProcessor__applyPattern, InlineProcessor._InlineProcessor__handleInline),  # type: ignore[attr-defined]
        "d4f38fea3e2f901d",
    )
    md = adapter.python_markdown(list(BUILT_IN_EXTENSIONS))
    (inline,) = [p for p in md.treeprocessors if isinstance(p, InlineProcessor)]
    assert isinstance(inline.inlinePatterns, list)
    assert md.convert("*a* `b` [c](d)") == markdown.markdown("*a* `b` [c](d)", extensions=list(BUILT_IN_EXTENSIONS))


def test_canary_start_tag_ends_are_the_html_parsers_patterns() -> None:
    assert START_TAG_ENDS == (markdown_htmlparser.locatestarttagend_tolerant, stdlib_htmlparser.locatestarttagend_tolerant)
    for pattern in START_TAG_ENDS:
        assert isinstance(pattern, re.Pattern)
        assert pattern.match("<a href='x'>").end() == len("<a href='x'")


def test_canary_escaped_characters_are_their_code_point_between_stx_and_etx() -> None:
    md = markdown.Markdown()
    processor = EscapeInlineProcessor(markdown.inlinepatterns.ESCAPE_RE, md)
    match = processor.getCompiledRegExp().search("a \\* b")
    assert match is not None
    assert processor.handleMatch(match, "a \\* b")[0] == f"{STX}42{ETX}"
    assert unescape(f"x{STX}42{ETX}y") == "x*y"


def test_canary_stash_key_finds_the_stash_index_in_a_placeholder() -> None:
    md = markdown.Markdown()
    md.htmlStash.store("<b>one</b>")
    placeholder = md.htmlStash.store("<b>two</b>")
    key = STASH_KEY.search(placeholder)
    assert key is not None and int(key.group(1)) == 1


@pytest.mark.parametrize("seed", [19])
def test_canary_code_spans_find_what_the_backtick_pattern_finds(seed: int) -> None:
    """Canary for Python-Markdown's backtick pattern (BacktickInlineProcessor in 3.11.3): code_spans() must find the
    same code, and the same tries that find no closing run of as many backticks, as the pattern does when
    InlineProcessor applies it, on every text."""
    pattern = markdown.Markdown().inlinePatterns["backtick"]
    generator = random.Random(seed)
    for _ in range(20_000):
        text = "".join(generator.choice("````\\\\\\a \n") for _ in range(generator.randint(1, 24)))
        assert code_spans(text) == applied(pattern, text), text


def applied(pattern: markdown.inlinepatterns.InlineProcessor, text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Code spans, and tries without a closing run of as many backticks, of pattern applied left to right as
    InlineProcessor applies it, each match replaced."""
    spans: list[tuple[int, int]] = []
    unmatched: list[int] = []
    data, start = text, 0
    while True:
        for match in pattern.getCompiledRegExp().finditer(data, start):
            node, begin, end = pattern.handleMatch(match, data)  # type: ignore[arg-type]
            if begin is not None and end is not None:
                break
            start += match.end(0)
        else:
            return spans, unmatched
        if node is None:
            unmatched.append(begin)
        else:
            if not isinstance(node, str):
                spans.append((begin, end))
                code = data[begin:end]
                if len(code) - len(code.lstrip("`")) != len(code) - len(code.rstrip("`")):
                    unmatched.append(begin)  # closed by a shorter run, found after a search to the end
            data = data[:begin] + "\0" * (end - begin) + data[end:]
        start = end
