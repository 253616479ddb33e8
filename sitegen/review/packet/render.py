"""The packet's HTML, from its own templates (sitegen/review/packet/templates/), with the site's Jinja settings."""

from __future__ import annotations

import datetime
from pathlib import Path

import jinja2

from ...load.site import Site
from ...model import Origin, OutputFile
from ...render.templating import make_environment
from ..code import review_code
from .history import Segment
from .model import PacketPage

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = "packet.css"
CONTEXT_WORDS = 12  # words kept on each side of a change; longer unchanged runs are shortened


def environment() -> jinja2.Environment:
    env = make_environment(TEMPLATES)
    env.filters["context"] = shorten
    env.filters["review_code"] = review_code
    return env


def render_packet(site: Site, pages: list[PacketPage], made_on: datetime.date) -> list[OutputFile]:
    """index.html, one file per page, and the stylesheet."""
    env = environment()
    common = {"site": site.settings, "made_on": made_on, "pages": pages}
    origin = Origin(str(TEMPLATES))
    files = [OutputFile("index.html", env.get_template("index.html").render(common | {"root": ""}).encode("utf-8"), origin)]
    for packet_page in pages:
        root = "../" * packet_page.file.count("/")
        html = env.get_template("page.html").render(common | {"root": root, "p": packet_page})
        files.append(OutputFile(packet_page.file, html.encode("utf-8"), Origin(packet_page.page.shown)))
    files.append(OutputFile(STYLESHEET, (TEMPLATES / STYLESHEET).read_bytes(), origin))
    return files


def shorten(segments: tuple[Segment, ...]) -> list[Segment]:
    """Long runs of unchanged words keep CONTEXT_WORDS words next to each change, with '…' between."""
    result = []
    for index, segment in enumerate(segments):
        words = segment.text.split()
        if segment.kind != "same" or len(words) <= 2 * CONTEXT_WORDS:
            result.append(segment)
            continue
        parts = [" ".join(words[:CONTEXT_WORDS])] if index > 0 else []
        parts.append("…")
        parts += [" ".join(words[-CONTEXT_WORDS:])] if index < len(segments) - 1 else []
        before = " " if segment.text[0].isspace() else ""
        after = " " if segment.text[-1].isspace() else ""
        result.append(Segment("same", before + " ".join(parts) + after))
    return result
