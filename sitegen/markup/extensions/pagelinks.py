"""Links and images in a page's Markdown, judged as the parser made them (inline and reference-style alike).

Tree processor ``page_links`` (7.5, after ``attr_list`` 8, so it judges the final address): a link to another
page's .md file becomes a link to its .html output, relative to this page; a link to a page that does not exist
is an error at its line. Every
other address is kept (``Document.links``) for the check of all outputs, which knows every file and anchor.
Addresses that run code or embed data (javascript:, vbscript:, data:, file:), that load from another site, or
that start with '/' are errors here.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from markdown import Markdown

from ...load.schema import closest
from ...problems import quoted_short
from ...urls import BLOCKED_SCHEMES, is_external, relative_url, split_url
from ..adapter import unescape
from ..page import Document, DocumentTreeprocessor, LinkFact, SiteExtension

URL_ATTRIBUTES = {"a": "href", "img": "src"}


class PageLinkTreeprocessor(DocumentTreeprocessor["PageLinkExtension"]):
    def run(self, root: Element) -> None:
        document = self.document
        for item in document.walk.order:
            if isinstance(item, Element) and item.tag in URL_ATTRIBUTES:
                attribute = URL_ATTRIBUTES[item.tag]
                written = item.get(attribute)
                if written is not None:
                    self.check(item, attribute, unescape(written), document.walk.starts[item], document)

    def check(self, element: Element, attribute: str, written: str, line: int, document: Document) -> None:
        what = "image" if element.tag == "img" else "link"
        parts = split_url(written)
        if parts is None:
            document.error(line, f"cannot read the {what} address {written!r}; check its brackets and spaces")
            return
        scheme = parts.scheme.lower()
        if scheme in BLOCKED_SCHEMES:
            document.error(
                line, f"{scheme}: addresses are not allowed in pages ({what} {quoted_short(written)}); link to a page or a file instead"
            )
            return
        if is_external(parts):
            if element.tag == "img":
                document.error(
                    line, f"image {quoted_short(written)} loads from another site; put the file in content/images/ and link to it there"
                )
            return
        if written.startswith("/"):
            document.error(
                line, f"{what} '{written}' starts with '/', which breaks when the site is served under a sub-path; use a relative {what}"
            )
            return
        url = written
        path = unquote(parts.path)
        if path.endswith(".md"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(document.source_path), path))
            pages = self.extension.page_outputs
            if target not in pages:
                document.error(line, f"link to '{path}', but there is no such page{self.hint(path, target)}")
                return
            url = relative_url(document.output_path, pages[target]) + (f"#{parts.fragment}" if parts.fragment else "")
            element.set(attribute, url)
        document.links.append(LinkFact(url, line, element.tag, written))

    def hint(self, written: str, target: str) -> str:
        """ "Did you mean" among the pages of the folder the link points into, written the way the link was."""
        name = closest(posixpath.basename(target), self.extension.folders.get(posixpath.dirname(target), ()))
        return f" (did you mean '{posixpath.join(posixpath.dirname(written), name)}'?)" if name else ""


class PageLinkExtension(SiteExtension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"page_outputs": [{}, "Each page's path in the content folder (page.md) and the path of its output (page.html)"]}
        super().__init__(**kwargs)
        self.page_outputs: dict[str, str] = dict(self.getConfig("page_outputs"))
        self.folders: dict[str, list[str]] = {}
        for page in self.page_outputs:
            self.folders.setdefault(posixpath.dirname(page), []).append(posixpath.basename(page))

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(PageLinkTreeprocessor(md, self), "page_links", 7.5)


def makeExtension(**kwargs: Any) -> PageLinkExtension:  # noqa: N802 (Markdown's API)
    return PageLinkExtension(**kwargs)
