"""A rendered document, and the facts of its template part that the output checks read (check/documents.py).

The facts are read where the page is rendered (in a worker process, for a large site), and again from the HTML of
a page that comes from the build cache: the cache keeps a page's HTML, never its facts. What they say about the
page is judged in the check phase.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..html_facts import PageFacts, UrlRef, read_page
from ..load.settings import UrgentHelp
from ..markup.page import LinkFact


@dataclass(frozen=True)
class RenderedDocument:
    """One HTML output, and what made it: a content page (shown, with its Markdown links and ids) and a template; and
    what it must show readers (the caveat, and the urgent-help box when it needs one)."""

    path: str
    html: str
    template_shown: str
    content: str = ""
    source_shown: str = ""
    markdown_links: tuple[LinkFact, ...] = ()
    markdown_ids: frozenset[str] = frozenset()
    needs_urgent_help: bool = False
    root_path: str | None = None  # links that start with this path are allowed (404.html, served at any depth)
    lead: str = ""  # the page's key points: Markdown HTML that the template shows apart from content
    caveat: str = ""  # the long-term survival caveat in the page's language
    urgent_help: UrgentHelp | None = None  # the box in the page's language (shown when needs_urgent_help)


@dataclass(frozen=True)
class TemplateFacts:
    """What the site-wide checks read in a document's template part: its ids, its addresses, and what readers see."""

    ids: frozenset[str]
    urls: tuple[UrlRef, ...]
    page: PageFacts


def template_facts(doc: RenderedDocument) -> TemplateFacts:
    """The facts of doc's template part: a pure function of its HTML, so kept per process."""
    key = hashlib.sha256("\0".join((doc.html, doc.content, doc.lead)).encode()).digest()
    if key not in _FACTS:
        facts = template_part(doc)
        while len(_FACTS) >= MAX_REMEMBERED_FACTS:
            _FACTS.pop(next(iter(_FACTS)))
        _FACTS[key] = TemplateFacts(frozenset(facts.ids), tuple(facts.urls), facts)
    return _FACTS[key]


MAX_REMEMBERED_FACTS = 4096
_FACTS: dict[bytes, TemplateFacts] = {}


def template_part(doc: RenderedDocument) -> PageFacts:
    """The facts of the document without its Markdown part (judged already, on the parser's tree)."""
    html = doc.html
    for part in (doc.lead, doc.content):
        start = html.find(part) if part else -1
        if start >= 0:
            html = html[:start] + html[start + len(part) :]
    return read_page(html)
