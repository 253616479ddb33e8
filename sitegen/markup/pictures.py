"""Risk pictures as HTML: an icon array of 100 people or a bar chart, as inline SVG with a caption and a data table.

Pure functions of a checked spec, which extensions/figures.py reads from a page's icon-array or bar-chart block:
render_picture(spec, figure_id, citation_html, words) -> html. Colours come from CSS classes (templates/style.css,
"Figures"), never from style attributes, which the pages' CSP blocks. The words the picture adds ("A chart of 100
people", the table's headings) come from the generator's catalogue in the page's language (words), and its numbers
are written in that language's style (languages.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..i18n import ENGLISH, N_, Words
from ..languages import words_of

ICONS_PER_ROW = 10
ROWS = 10
ICON_WIDTH = 20
ICON_HEIGHT = 24
PERSON = '<circle cx="9" cy="5" r="4.5"/><path d="M2 22v-6.5a5 5 0 0 1 5-5h4a5 5 0 0 1 5 5v6.5z"/>'

BAR_TRACK = 200
BAR_HEIGHT = 22
BAR_PITCH = 62
LABEL_HEIGHT = 26
BASELINE = 17  # of 18-unit text (style.css) set in a 22-unit row
CHAR_WIDTH = 11.5  # a generous average width of one character, to leave room for labels and values
UNIT_WORDS = {"%": N_("out of 100 people"), "months": N_("months")}


@dataclass(frozen=True)
class IconArraySpec:
    title: str
    statement: str
    affected: int
    affected_label: str
    unaffected_label: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class BarChartSpec:
    title: str
    statement: str
    unit: str
    bars: tuple[Bar, ...]
    sources: tuple[str, ...]
    label_heading: str = "Group"
    value_heading: str = "Value"


PictureSpec = IconArraySpec | BarChartSpec


def number_text(value: float) -> str:
    """22 for 22.0, 2.5 for 2.5: as a person would write the number."""
    return str(int(value)) if float(value).is_integer() else str(value)


def with_unit(value: float, unit: str, words: Words = ENGLISH) -> str:
    style = words_of(words.language)
    return style.shown_percent(value) if unit == "%" else f"{style.number(value)} {words.gettext(UNIT_WORDS[unit])}"


def render_picture(spec: PictureSpec, figure_id: str, citation_html: str, words: Words = ENGLISH) -> str:
    if isinstance(spec, IconArraySpec):
        return render_icon_array(spec, figure_id, citation_html, words)
    return render_bar_chart(spec, figure_id, citation_html, words)


def render_icon_array(spec: IconArraySpec, figure_id: str, citation_html: str, words: Words = ENGLISH) -> str:
    """100 people in rows of 10; the affected ones come first and are hatched as well as coloured."""
    unaffected = 100 - spec.affected
    style = words_of(words.language)
    desc = words.gettext(N_("A chart of 100 people. {affected_label}: {affected}. {unaffected_label}: {unaffected}.")).format(
        affected_label=spec.affected_label,
        affected=style.frequency(spec.affected),
        unaffected_label=spec.unaffected_label,
        unaffected=style.frequency(unaffected),
    )
    person, row, hatch = f"{figure_id}-person", f"{figure_id}-row", f"{figure_id}-hatch"
    row_icons = "".join(f'<use href="#{person}" x="{i * ICON_WIDTH}"/>' for i in range(ICONS_PER_ROW))
    width, height = ICONS_PER_ROW * ICON_WIDTH, ROWS * ICON_HEIGHT
    svg = (
        f'<svg class="figure-graphic" role="img" aria-labelledby="{figure_id}-title {figure_id}-desc" '
        f'viewBox="-2 -2 {width + 2} {height + 2}" width="{width + 2}" height="{height + 2}">\n'
        f'<title id="{figure_id}-title">{escape(spec.title)}</title>\n'
        f'<desc id="{figure_id}-desc">{escape(desc)}</desc>\n'
        f"<defs>{_hatch(hatch)}"
        f'<g id="{person}">{PERSON}</g><g id="{row}">{row_icons}</g></defs>\n'
        f'<g class="figure-affected" fill="url(#{hatch})">{_icons(0, spec.affected, person, row)}</g>\n'
        f'<g class="figure-unaffected">{_icons(spec.affected, 100, person, row)}</g>\n'
        "</svg>"
    )
    legend = (
        '<ul class="figure-legend">\n'
        f"<li>{_key(person, 'figure-affected', hatch)}{escape(spec.affected_label)}</li>\n"
        f"<li>{_key(person, 'figure-unaffected', None)}{escape(spec.unaffected_label)}</li>\n"
        "</ul>"
    )
    rows = [(spec.affected_label, str(spec.affected)), (spec.unaffected_label, str(unaffected))]
    table = _table(spec.title, (words.gettext(N_("Group")), words.gettext(N_("People out of 100"))), rows, words)
    return _figure("figure-icon-array", spec.title, spec.statement, citation_html, [svg, legend], table, words)


def render_bar_chart(spec: BarChartSpec, figure_id: str, citation_html: str, words: Words = ENGLISH) -> str:
    """Horizontal bars, each with its label above and its value written beside it, so no axis is needed."""
    scale_top = 100.0 if spec.unit == "%" else max([bar.value for bar in spec.bars] + [1.0])
    value_texts = [with_unit(bar.value, spec.unit, words) for bar in spec.bars]
    width = round(max(BAR_TRACK + 6 + CHAR_WIDTH * max(map(len, value_texts)), CHAR_WIDTH * max(len(bar.label) for bar in spec.bars)))
    height = BAR_PITCH * len(spec.bars) - (BAR_PITCH - LABEL_HEIGHT - BAR_HEIGHT)
    marks = []
    for index, (bar, value_text) in enumerate(zip(spec.bars, value_texts, strict=True)):
        top = index * BAR_PITCH
        bar_top = top + LABEL_HEIGHT
        length = number_text(round(BAR_TRACK * min(bar.value, scale_top) / scale_top, 1))
        track = f'<rect class="figure-track" x="0" y="{bar_top}" width="{BAR_TRACK}" height="{BAR_HEIGHT}"/>' if spec.unit == "%" else ""
        marks.append(
            f'<text x="0" y="{top + BASELINE}">{escape(bar.label)}</text>{track}'
            f'<rect class="figure-bar" x="0" y="{bar_top}" width="{length}" height="{BAR_HEIGHT}"/>'
            f'<text x="{number_text(float(length) + 6)}" y="{bar_top + BASELINE}">{escape(value_text)}</text>'
        )
    desc = (
        words.gettext(N_("A bar chart."))
        + " "
        + " ".join(f"{bar.label}: {text}." for bar, text in zip(spec.bars, value_texts, strict=True))
    )
    svg = (
        f'<svg class="figure-graphic" role="img" aria-labelledby="{figure_id}-title {figure_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">\n'
        f'<title id="{figure_id}-title">{escape(spec.title)}</title>\n'
        f'<desc id="{figure_id}-desc">{escape(desc)}</desc>\n' + "\n".join(marks) + "\n</svg>"
    )
    rows = [(bar.label, words_of(words.language).number(bar.value)) for bar in spec.bars]
    table = _table(spec.title, (spec.label_heading, f"{spec.value_heading} ({words.gettext(UNIT_WORDS[spec.unit])})"), rows, words)
    return _figure("figure-bar-chart", spec.title, spec.statement, citation_html, [svg], table, words)


def _icons(first: int, stop: int, person: str, row: str) -> str:
    """People first..stop-1, counted along the rows from the top left; a whole row is one <use> of the row."""
    uses = []
    index = first
    while index < stop:
        y = (index // ICONS_PER_ROW) * ICON_HEIGHT
        if index % ICONS_PER_ROW == 0 and index + ICONS_PER_ROW <= stop:
            uses.append(f'<use href="#{row}" y="{y}"/>')
            index += ICONS_PER_ROW
        else:
            uses.append(f'<use href="#{person}" x="{(index % ICONS_PER_ROW) * ICON_WIDTH}" y="{y}"/>')
            index += 1
    return "".join(uses)


def _figure(kind: str, title: str, statement: str, citation_html: str, picture: list[str], table: str, words: Words = ENGLISH) -> str:
    source = escape(words.gettext(N_("Source:")))
    caption = (
        f'<figcaption><span class="figure-title">{escape(title)}</span> {escape(statement)} '
        f'<span class="figure-source">{source} {citation_html}</span></figcaption>'
    )
    return "\n".join([f'<figure class="figure {kind}">', caption, '<div class="figure-picture">', *picture, "</div>", table, "</figure>"])


def _hatch(pattern_id: str) -> str:
    """Diagonal stripes: the affected people stay distinct in black and white and without colour vision."""
    return (
        f'<pattern id="{pattern_id}" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect class="figure-mark" width="4" height="4"/><rect class="figure-stripe" width="1.5" height="4"/></pattern>'
    )


def _key(person: str, group_class: str, hatch: str | None) -> str:
    fill = f' fill="url(#{hatch})"' if hatch else ""
    return (
        f'<svg class="figure-key" aria-hidden="true" viewBox="-2 -2 20 26" width="20" height="26">'
        f'<use class="{group_class}" href="#{person}"{fill}/></svg>'
    )


def _table(title: str, headings: tuple[str, str], rows: list[tuple[str, str]], words: Words = ENGLISH) -> str:
    body = "".join(f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>' for label, value in rows)
    caption = words.gettext(N_("{title}: the numbers")).format(title=title)
    return (
        f'<table class="figure-data">\n<caption>{escape(caption)}</caption>\n'
        f'<thead><tr><th scope="col">{escape(headings[0])}</th><th scope="col">{escape(headings[1])}</th></tr></thead>\n'
        f"<tbody>{body}</tbody>\n</table>"
    )
