"""The packet's HTML: one self-contained file, from its own templates (sitegen/review/packet/templates/), laid out on
printed pages (layout.py) so that its first page can say how many there are.

The blocks are rendered twice: first with the largest page numbers the packet could print, to lay them out, then
with the real ones, which take no more room, into the same sheets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from ...i18n import ENGLISH, Words
from ...model import Origin, OutputFile
from ...render.templating import Stylesheet, make_environment
from ...word_diff import Segment, merged, shorten, tidy, words
from .layout import Item, lay_out
from .model import Block, Packet, PacketPage

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = "packet.css"
WIDEST = 999  # a page number as wide as any the packet prints


def environment(messages: Words = ENGLISH) -> jinja2.Environment:
    """The packet's templates, in the language of the pages it shows (its words from the generator's catalogue)."""
    env = make_environment(TEMPLATES, messages)
    env.filters["context"] = shown
    env.filters["words_from"] = lambda new, old: words(old, new)
    env.filters["prepend"] = lambda text, before: before + text
    return env


def shown(segments: tuple[Segment, ...]) -> list[Segment]:
    """A word diff as the packet shows it: neighbouring changes as one, spaces outside them, long unchanged runs shortened."""
    return shorten(tidy(list(merged(list(segments)))))


def stylesheet() -> Stylesheet:
    return Stylesheet((TEMPLATES / STYLESHEET).read_text(encoding="utf-8").replace("\r\n", "\n"))


@dataclasses.dataclass(frozen=True)
class Rendered:
    files: list[OutputFile]
    packet: Packet  # with its length and page numbers


def render_packet(packet: Packet, messages: Words = ENGLISH) -> Rendered:
    """index.html: the whole packet, laid out on printed pages, in the language of messages."""
    env = environment(messages)
    asked = WIDEST if any(q.kind != "unlocated" for q in packet.questions) else 0
    pages = tuple(dataclasses.replace(p, starts_on=WIDEST) for p in packet.pages)
    draft = dataclasses.replace(packet, length=WIDEST, questions_start=asked, pages=pages)
    blocks = _blocks(env, draft)
    items, marks = flow(draft, blocks)
    sheets = lay_out(items, str(blocks.running(WIDEST, WIDEST)))
    sheet_of: dict[int, int] = {}
    for number, sheet in enumerate(sheets, start=1):
        for index, _, _ in sheet:
            sheet_of.setdefault(index, number)
    pages = tuple(dataclasses.replace(p, starts_on=sheet_of[marks[p.anchor]]) for p in packet.pages)
    final = dataclasses.replace(packet, length=len(sheets), pages=pages, questions_start=sheet_of.get(marks.get("questions", -1), 0))
    blocks = _blocks(env, final)
    again, _ = flow(final, blocks)
    filled = [[again[index].html if whole else html for index, html, whole in sheet] for sheet in sheets]
    html = env.get_template("packet.html").render(site=final.settings, sheets=filled, blocks=blocks, stylesheet=stylesheet())
    return Rendered([OutputFile("index.html", html.encode("utf-8"), Origin(str(TEMPLATES)))], final)


def _blocks(env: jinja2.Environment, packet: Packet) -> Any:
    return env.get_template("blocks.html").make_module({"site": packet.settings, "made_on": packet.made_on, "packet": packet})


def flow(packet: Packet, m: Any) -> tuple[list[Item], dict[str, int]]:
    """The packet's blocks in reading order; and the index of the block that starts each page, and the questions."""
    items = [Item(m.cover()), Item(m.how_to())]
    marks: dict[str, int] = {}
    if len(packet.pages) > 1 or packet.left_out:
        items.append(Item(m.contents_heading(), keep_with_next=True))
        items += [Item(m.contents_row(p)) for p in packet.pages]
    if packet.left_out:
        items.append(Item(m.left_out()))
    for p in packet.pages:
        marks[p.anchor] = len(items)
        items += page_items(p, m)
    if packet.site_text is not None:
        items.append(Item(m.site_text_heading(), keep_with_next=True))
        items.append(Item(m.caveat()))
        items += [Item(m.urgent_help(form)) for form in packet.site_text.forms]
    if packet.sources:
        items.append(Item(m.sources_heading(), keep_with_next=True))
        for source in packet.sources:
            items.append(Item(m.source(source), keep_with_next=bool(source.figures)))
            items += [Item(m.figure(source, f)) for f in source.figures]
    asked = [q for q in packet.questions if q.kind != "unlocated"]  # those are asked in their figure's entry
    if asked:
        marks["questions"] = len(items)
        items.append(Item(m.questions_heading(), keep_with_next=True))
        items += [Item(m.question(q)) for q in asked]
    items.append(Item(m.sign_off()))
    return items, marks


def page_items(p: PacketPage, m: Any) -> list[Item]:
    items = [Item(m.page_head(p), keep_with_next=True)]
    if p.changes is None:
        items.append(Item(m.why_whole(p)))
        items += [block_item(b, m) for b in p.blocks]
    else:
        items.append(Item(m.changes_intro(p)))
        items += [Item(m.change(c)) for c in p.changes.sentences]
        elsewhere = m.changes_elsewhere(p)
        if elsewhere.strip():
            items.append(Item(elsewhere))
    items.append(Item(m.page_tick(p)))
    return items


def block_item(b: Block, m: Any) -> Item:
    if b.heading_level:
        return Item(m.heading(b), keep_with_next=True)
    count = len(b.sentences)
    part: Callable[[int, int], str] = lambda start, end: m.block(b, start, end)  # noqa: E731
    if b.splittable and count > 1:
        return Item(part(0, count), count=count, part=part)
    return Item(part(0, count))
