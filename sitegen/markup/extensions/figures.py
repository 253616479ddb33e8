"""Risk pictures: ```icon-array and ```bar-chart fenced blocks of YAML become figures at build time.

A preprocessor at priority 29 sees the body line for line, so it reports each problem as path:line at the key's
line inside the block. It checks the block, renders it (figure_html.py) and puts the HTML in the stash. The
block's lines become blank lines around the stash placeholder, so later preprocessors keep their line numbers.
The caption's citation is a token that the citation extension numbers in reading order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ...i18n import ENGLISH, N_, Words
from ...load.frontmatter import LineMap, parse_yaml
from ...load.schema import LIST, NUMBER, TEXT, WHOLE_NUMBER, Field, check_fields, describe_value
from ...problems import Problem, error
from ..languages import NumberStyle, number_style
from .citations import CitationExtension
from .document import Document
from .figure_html import Bar, BarChartSpec, IconArraySpec, number_text, render_bar_chart, render_icon_array

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
FIGURE_FENCE = re.compile(r"^(`{3,}|~{3,})[ \t]*(icon-array|bar-chart)[ \t]*$")
UNITS = ("%", "months")

ICON_ARRAY_FIELDS = {
    "title": Field(TEXT, required=True),
    "affected": Field(WHOLE_NUMBER, required=True),
    "statement": Field(TEXT, required=True),
    "affected_label": Field(TEXT, required=True),
    "unaffected_label": Field(TEXT, required=True),
    "sources": Field(LIST, required=True),
}
BAR_CHART_FIELDS = {
    "title": Field(TEXT, required=True),
    "statement": Field(TEXT, required=True),
    "unit": Field(TEXT, required=True),
    "bars": Field(LIST, required=True),
    "sources": Field(LIST, required=True),
    "label_heading": Field(TEXT),
    "value_heading": Field(TEXT),
}
BAR_FIELDS = {"label": Field(TEXT, required=True), "value": Field(NUMBER, required=True)}

Spec = IconArraySpec | BarChartSpec


@dataclass(frozen=True)
class FigureBlock:
    kind: str
    fence: str
    start: int
    end: int | None  # index of the closing fence; None when the block is never closed


def figure_blocks(lines: list[str]) -> Iterator[FigureBlock]:
    """Every icon-array and bar-chart block, skipping other fenced code (which may show a block as an example)."""
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence = opening.group(1)
        end = next((i for i in range(index + 1, len(lines)) if _closes(lines[i], fence)), None)
        figure = FIGURE_FENCE.match(lines[index])
        if figure:
            yield FigureBlock(figure.group(2), figure.group(1), index, end)
        if end is None:
            return
        index = end + 1


def _closes(line: str, fence: str) -> bool:
    text = line.strip()
    return text.startswith(fence) and set(text) == {fence[0]}


def parse_block(
    kind: str,
    text: str,
    shown: str,
    first_line: int,
    known_sources: set[str],
    hint: Callable[[str], str],
    style: NumberStyle | None = None,
    words: Words = ENGLISH,
) -> tuple[Spec | None, list[Problem]]:
    """The checked spec of one block's YAML, or None and every problem found. first_line is the YAML's first line.

    hint gives the "did you mean" of an unknown source (the page's Suggester, so that its cost is bounded)."""
    data, lines, problems = parse_yaml(text, shown, first_line, where=f"an {kind} block" if kind[0] in "aeiou" else f"a {kind} block")
    if problems:
        return None, problems
    if not isinstance(data, dict):
        found = "empty" if data is None else f"not {describe_value(data)}"
        return None, [error(shown, first_line - 1, f"the {kind} block must hold 'key: value' lines; it is {found}")]
    fields = ICON_ARRAY_FIELDS if kind == "icon-array" else BAR_CHART_FIELDS
    problems = check_fields(data, fields, shown, lines)
    if problems:
        return None, problems
    problems = _check_sources(data["sources"], shown, lines, known_sources, hint)
    style = style or number_style("en")
    if kind == "icon-array":
        problems += _check_icon_array(data, shown, lines, style)
        spec: Spec = IconArraySpec(
            data["title"], data["statement"], data["affected"], data["affected_label"], data["unaffected_label"], tuple(data["sources"])
        )
    else:
        bars, found = _bars(data, shown, lines, style)
        problems += found
        spec = BarChartSpec(
            data["title"],
            data["statement"],
            data["unit"],
            bars,
            tuple(data["sources"]),
            data.get("label_heading") or words.gettext(N_("Group")),
            data.get("value_heading") or words.gettext(N_("Value")),
        )
    return (None if problems else spec), sorted(problems, key=lambda p: p.line)


def _check_sources(sources: list[Any], shown: str, lines: LineMap, known: set[str], hint: Callable[[str], str]) -> list[Problem]:
    if not sources:
        return [error(shown, lines.line_of("sources"), "'sources' must list at least one source id, such as 'gauthier2021'")]
    problems = []
    for index, key in enumerate(sources):
        line = lines.line_of("sources", index)
        if not isinstance(key, str):
            problems.append(error(shown, line, f"item {index + 1} of 'sources' must be a source id, not {describe_value(key)}"))
        elif key not in known:
            problems.append(error(shown, line, f"unknown source '{key}'{hint(key)}"))
    return problems


def _check_icon_array(data: dict[str, Any], shown: str, lines: LineMap, style: NumberStyle) -> list[Problem]:
    affected = data["affected"]
    if not 0 <= affected <= 100:
        return [error(shown, lines.line_of("affected"), f"'affected' must be between 0 and 100, not {affected}")]
    wanted = style.frequency(affected)
    if not _says(data["statement"], wanted):
        return [error(shown, lines.line_of("statement"), f"'statement' must give the number in words: '{wanted}'")]
    return []


def _bars(data: dict[str, Any], shown: str, lines: LineMap, style: NumberStyle) -> tuple[tuple[Bar, ...], list[Problem]]:
    problems = []
    unit = data["unit"]
    if unit not in UNITS:
        problems.append(error(shown, lines.line_of("unit"), f"'unit' must be '%' or 'months', not {describe_value(unit)}"))
    if not data["bars"]:
        return (), [*problems, error(shown, lines.line_of("bars"), "'bars' must list at least one bar, each with 'label' and 'value'")]
    bars = []
    for index, item in enumerate(data["bars"]):
        line = lines.line_of("bars", index)
        if not isinstance(item, dict):
            problems.append(error(shown, line, f"item {index + 1} of 'bars' must have 'label' and 'value', not {describe_value(item)}"))
            continue
        found = check_fields(item, BAR_FIELDS, shown, lines, prefix=("bars", index))
        if not found:
            found = _check_bar(item, unit, data["statement"], shown, lines.line_of("bars", index, "value"), style)
        problems += found
        if not found:
            bars.append(Bar(item["label"], item["value"]))
    return tuple(bars), problems


def _check_bar(item: dict[str, Any], unit: str, statement: str, shown: str, line: int, style: NumberStyle) -> list[Problem]:
    value = item["value"]
    if value < 0 or (unit == "%" and value > 100):
        limits = "between 0 and 100" if unit == "%" else "0 or more"
        return [error(shown, line, f"'value' of '{item['label']}' must be {limits}, not {number_text(value)}")]
    wanted = style.frequency(value)
    if unit == "%" and not _says(statement, wanted):
        return [error(shown, line, f"'statement' must give the value of '{item['label']}' in words: '{wanted}'")]
    return []


def _says(statement: str, words: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(words)}\b", statement) is not None


def render_spec(spec: Spec, figure_id: str, citation_html: str, words: Words = ENGLISH) -> str:
    if isinstance(spec, IconArraySpec):
        return render_icon_array(spec, figure_id, citation_html, words)
    return render_bar_chart(spec, figure_id, citation_html, words)


class FigurePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: FigureExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        document = self.extension.document
        result = list(lines)
        for block in figure_blocks(lines):
            if block.end is None:
                document.error(document.first_line + block.start, f"the {block.kind} block has no closing '{block.fence}' line")
                result[block.start :] = ["" for _ in lines[block.start :]]  # like any unclosed fence, it runs to the end
                continue
            filler = ["" for _ in range(block.start, block.end + 1)]
            placeholder = self.render(block, lines, document)
            if placeholder is not None:
                filler[1] = placeholder
            result[block.start : block.end + 1] = filler
        return result

    def render(self, block: FigureBlock, lines: list[str], document: Document) -> str | None:
        """The stash placeholder of the block's figure, or None when the block has problems (they are reported)."""
        text = "\n".join(lines[block.start + 1 : block.end])
        citations = self.extension.citations
        first_line = document.first_line + block.start + 1
        extension = self.extension
        spec, problems = parse_block(
            block.kind, text, document.shown, first_line, citations.known_keys, citations.hint, extension.style, extension.words
        )
        document.problems.extend(problems)
        if spec is None:
            return None
        self.extension.count += 1
        stash_index = self.md.htmlStash.html_counter
        html = render_spec(spec, f"figure-{self.extension.count}", citations.token_for(spec.sources, stash_index), extension.words)
        document.trusted_stash.add(stash_index)
        document.chunk_lines[stash_index] = (
            block.end - block.start + 1 if block.end is not None else 1
        )  # for align(): lines after it keep theirs
        self.extension.specs[stash_index] = (spec, document.first_line + block.start)
        return self.md.htmlStash.store(html)


class FigureExtension(Extension):
    """Needs the page's CitationExtension: it knows the source ids and numbers the captions' citations."""

    def __init__(self, document: Document, citations: CitationExtension, words: Words = ENGLISH, **kwargs: Any) -> None:
        self.document = document
        self.citations = citations
        self.words = words  # the page's language: the picture's own words, and how it writes numbers
        self.style = number_style(words.language)
        self.count = 0
        self.specs: dict[int, tuple[Spec, int]] = {}  # stash index -> the figure's checked data and its fence's line
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(FigurePreprocessor(md, self), "figures", 29)

    def reset(self) -> None:
        self.count = 0
        self.specs.clear()
