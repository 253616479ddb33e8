"""Risk pictures: ```icon-array and ```bar-chart fenced blocks of YAML become figures at build time.

A preprocessor at priority 29 sees the body line for line, so it reports each problem as path:line at the key's
line inside the block. It checks the block, renders it (sitegen/markup/pictures.py) and puts the HTML in the
stash. The block's lines become blank lines around the stash placeholder, so later preprocessors keep their line
numbers. The caption's citation is a token that the citation extension numbers in reading order.

After convert(), ``specs`` maps each figure's stash index to its checked data and the line of its fence; the
statements extension is given the same dict, and reads a figure's sentences from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markdown import Markdown

from ...i18n import ENGLISH, N_, Words
from ...languages import NumberWords, words_of
from ...load.figures import KIND_NAMES, Quantity, name_key, round_to
from ...load.frontmatter import KeyPath, LineMap, parse_yaml
from ...load.schema import LIST, NUMBER, TEXT, WHOLE_NUMBER, Field, Kind, check_fields, closest, describe_value
from ...problems import Problem, error
from ..binding import Claim, NumberCheck, listing
from ..page import CaptionCitations, Document, DocumentPreprocessor, SiteExtension
from ..pictures import Bar, BarChartSpec, IconArraySpec, PictureSpec, number_text, render_picture
from ..quantities import Mention

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
FIGURE_FENCE = re.compile(r"^(`{3,}|~{3,})[ \t]*(icon-array|bar-chart)[ \t]*$")
UNITS = ("%", "months")

WHOLE_NUMBER_OR_NAME = Kind(
    "a whole number or the name of a recorded figure", lambda v: WHOLE_NUMBER.accepts(v) or TEXT.accepts(v), "whole"
)
NUMBER_OR_NAME = Kind("a number or the name of a recorded figure", lambda v: NUMBER.accepts(v) or TEXT.accepts(v), "any")
ICON_ARRAY_FIELDS = {
    "title": Field(TEXT, required=True),
    "affected": Field(WHOLE_NUMBER_OR_NAME, required=True),
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
BAR_FIELDS = {"label": Field(TEXT, required=True), "value": Field(NUMBER_OR_NAME, required=True)}
TEXT_FIELDS = ("title", "statement", "affected_label", "unaffected_label", "label_heading", "value_heading")
Used = set[tuple[str, str]]


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
    known_sources: Set[str],
    hint: Callable[[str], str],
    numbers: NumberCheck,
    words: Words = ENGLISH,
) -> tuple[PictureSpec | None, list[Problem], Used]:
    """The checked spec of one block's YAML (or None), every problem found, and the recorded figures it gives.
    first_line is the YAML's first line.

    hint gives the "did you mean" of an unknown source (the page's Suggester, so that its cost is bounded). The
    picture's value ('affected', each bar's 'value') names a recorded figure of its sources or is checked against
    them, and so is every number in its texts (binding.py)."""
    data, lines, problems = parse_yaml(text, shown, first_line, where=f"an {kind} block" if kind[0] in "aeiou" else f"a {kind} block")
    if problems:
        return None, problems, set()
    if not isinstance(data, dict):
        shape = "empty" if data is None else f"not {describe_value(data)}"
        return None, [error(shown, first_line - 1, f"the {kind} block must hold 'key: value' lines; it is {shape}")], set()
    fields = ICON_ARRAY_FIELDS if kind == "icon-array" else BAR_CHART_FIELDS
    problems = check_fields(data, fields, shown, lines)
    if problems:
        return None, problems, set()
    problems = _check_sources(data["sources"], shown, lines, known_sources, hint)
    sources = tuple(data["sources"])
    known = tuple(key for key in sources if isinstance(key, str) and key in known_sources)  # the others are reported
    binder = _Binder(numbers, known, shown, lines)
    if kind == "icon-array":
        affected = binder.value(data["affected"], "frequency", ("affected",), "'affected'")
        problems += binder.problems
        if affected is not None:
            problems += _check_icon_array(data, int(affected), shown, lines, words_of(words.language))
        spec: PictureSpec | None = IconArraySpec(
            data["title"], data["statement"], int(affected or 0), data["affected_label"], data["unaffected_label"], sources
        )
    else:
        bars, found = _bars(data, binder, shown, lines, words_of(words.language))
        problems += found
        spec = BarChartSpec(
            data["title"],
            data["statement"],
            data["unit"],
            bars,
            sources,
            data.get("label_heading") or words.gettext(N_("Group")),
            data.get("value_heading") or words.gettext(N_("Value")),
        )
    failed = any(p.is_error for p in problems)
    texts: list[tuple[Any, KeyPath]] = [(data[key], (key,)) for key in TEXT_FIELDS if isinstance(data.get(key), str)]
    texts += [(bar["label"], ("bars", i, "label")) for i, bar in enumerate(data.get("bars") or ()) if isinstance(bar, dict)]
    claims = [Claim(" ".join(value.split()), lines.line_of(*at), known) for value, at in texts if isinstance(value, str)]
    result = numbers.check_block(claims, "picture", shown, binder.used)
    return (None if failed else spec), sorted([*problems, *result.problems], key=lambda p: p.line), result.used


class _Binder:
    """A picture's values: each names a recorded figure of the picture's sources, or is checked against them."""

    def __init__(self, numbers: NumberCheck, sources: tuple[str, ...], shown: str, lines: LineMap) -> None:
        self.numbers, self.sources, self.shown, self.lines = numbers, sources, shown, lines
        self.problems: list[Problem] = []
        self.used: Used = set()

    def value(self, value: float | str, kind: str, at: tuple[Any, ...], what: str, unit: str = "") -> float | None:
        """The number value stands for (kind 'frequency': people out of 100; 'duration': in unit), or None."""
        line = self.lines.line_of(*at)
        if not self.sources:
            return None if isinstance(value, str) else value  # the picture's sources are reported: nothing to check against
        if isinstance(value, str):
            return self.named(value, kind, line, what, unit)
        if value < 0 or (kind != "duration" and value > 100):
            return value  # out of range: reported with the picture's other rules
        quantity = Quantity(kind, Decimal(str(value)), unit=unit)
        readings = self.numbers.bind(Mention(quantity, 0, 0, ""), self.sources)
        if readings:
            self.used |= {r.figure.key for r in readings}
        else:
            words = self.numbers.words
            written = {"frequency": words.frequency, "percentage": words.percent}.get(kind, lambda n: words.duration(n, unit))
            mention = Mention(quantity, 0, 0, written(quantity.number))
            self.problems.append(self.numbers.unmatched([mention], self.sources, self.shown, line, what))
        return value

    def named(self, name: str, kind: str, line: int, what: str, unit: str) -> float | None:
        figures = {name_key(f.name): f for s in self.sources for f in self.numbers.index.by_source.get(s, ())}
        figure = figures.get(name_key(name))
        if figure is None:
            close = closest(name_key(name), list(figures))
            whose = "its" if len(self.sources) == 1 else "their"
            hint = f" (did you mean {figures[close].name!r}?)" if close else f"; write a number, or the name of one of {whose} figures"
            self.problems.append(error(self.shown, line, f"{what} names no figure recorded for {listing(self.sources)}: {name!r}{hint}"))
            return None
        if kind != "duration" and figure.percentage() is None:
            self.problems.append(
                error(
                    self.shown,
                    line,
                    f"{what} names {figure.name!r}, which is {KIND_NAMES[figure.value.kind]}; it must be a percentage or an 'N of M'",
                )
            )
            return None
        if kind == "duration" and (figure.value.kind != "duration" or figure.value.unit != unit):
            self.problems.append(error(self.shown, line, f"{what} names {figure.name!r}, which is not a duration in {unit}s"))
            return None
        self.used.add(figure.key)
        percentage = figure.percentage()
        return float(round_to(percentage, figure.round_to)) if percentage is not None else float(figure.value.number)


def _check_sources(sources: list[Any], shown: str, lines: LineMap, known: Set[str], hint: Callable[[str], str]) -> list[Problem]:
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


def _check_icon_array(data: dict[str, Any], affected: int, shown: str, lines: LineMap, style: NumberWords) -> list[Problem]:
    if not 0 <= affected <= 100:
        return [error(shown, lines.line_of("affected"), f"'affected' must be between 0 and 100, not {affected}")]
    wanted = style.frequency(affected)
    if not _says(data["statement"], wanted):
        return [error(shown, lines.line_of("statement"), f"'statement' must give the number in words: '{wanted}'")]
    return []


def _bars(data: dict[str, Any], binder: _Binder, shown: str, lines: LineMap, style: NumberWords) -> tuple[tuple[Bar, ...], list[Problem]]:
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
        value = None
        if not found and unit in UNITS:
            kind, time = ("percentage", "") if unit == "%" else ("duration", "month")
            before = len(binder.problems)
            value = binder.value(item["value"], kind, ("bars", index, "value"), f"'value' of '{item['label']}'", time)
            found += binder.problems[before:]
            if value is not None and not any(p.is_error for p in found):
                found += _check_bar(item["label"], value, unit, data["statement"], shown, lines.line_of("bars", index, "value"), style)
        problems += found
        if value is not None and not any(p.is_error for p in found):
            bars.append(Bar(item["label"], value))
    return tuple(bars), problems


def _check_bar(label: str, value: float, unit: str, statement: str, shown: str, line: int, style: NumberWords) -> list[Problem]:
    if value < 0 or (unit == "%" and value > 100):
        limits = "between 0 and 100" if unit == "%" else "0 or more"
        return [error(shown, line, f"'value' of '{label}' must be {limits}, not {number_text(value)}")]
    wanted = style.frequency(value)
    if unit == "%" and not _says(statement, wanted):
        return [error(shown, line, f"'statement' must give the value of '{label}' in words: '{wanted}'")]
    return []


def _says(statement: str, words: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(words)}\b", statement) is not None


class FigurePreprocessor(DocumentPreprocessor["FigureExtension"]):
    def run(self, lines: list[str]) -> list[str]:
        document = self.document
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
        extension = self.extension
        citations = extension.citations
        first_line = document.first_line + block.start + 1
        spec, problems, used = parse_block(
            block.kind, text, document.shown, first_line, citations.known_keys, citations.hint, extension.numbers, extension.words
        )
        document.problems.extend(problems)
        document.figures_used |= used
        if spec is None:
            return None
        extension.count += 1
        stash_index = self.md.htmlStash.html_counter
        html = render_picture(spec, f"figure-{extension.count}", citations.token_for(spec.sources, stash_index), extension.words)
        document.trusted_stash.add(stash_index)
        document.chunk_lines[stash_index] = (
            block.end - block.start + 1 if block.end is not None else 1
        )  # for align(): lines after it keep theirs
        extension.specs[stash_index] = (spec, document.first_line + block.start)
        return self.md.htmlStash.store(html)


class FigureExtension(SiteExtension):
    """Given the page's citations (they know the source ids and number the captions' citations), the site's
    NumberCheck (the recorded figures) and the page's language (words): objects, not options."""

    def __init__(self, *, citations: CaptionCitations, numbers: NumberCheck, words: Words = ENGLISH, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.citations = citations
        self.numbers = numbers
        self.words = words  # the page's language: the picture's own words, and how it writes numbers
        self.count = 0
        self.specs: dict[int, tuple[PictureSpec, int]] = {}  # stash index -> the figure's checked data and its fence's line

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.preprocessors.register(FigurePreprocessor(md, self), "figures", 29)

    def reset(self) -> None:
        self.count = 0
        self.specs.clear()


def makeExtension(**kwargs: Any) -> FigureExtension:  # noqa: N802 (Markdown's API)
    return FigureExtension(**kwargs)
