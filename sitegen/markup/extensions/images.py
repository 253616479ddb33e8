"""Pictures in a page's Markdown, judged on the parser's tree at their line: alt text, the file, its format and size.

Tree processor ``images`` (6.5): after ``page_links`` (7.5), which has refused addresses that load from other
sites, and after ``html_policy`` (7), which refuses width and height written by hand. For each ``<img>``:

- alt text is required. ``![decorative](file.png)`` is the way to say that a picture only decorates the page:
  it is written as ``alt=""``, which tells screen readers to skip it. An empty ``![](file.png)`` is an error,
  because it cannot be told apart from alt text that was forgotten. Alt text over MAX_ALT characters is a warning.
- the file must be a picture under content/, of an allowed format, with a "did you mean" when it is not found;
- an SVG that svg_safety.py refuses is an error here, naming the file, its line and what to do (a picture no page
  shows is reported at the file itself, by the pipeline);
- width and height are written from the file (see sitegen/load/images.py), so the page does not jump as it loads;
- a picture over the budget is a warning, with how to make it smaller.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from markdown import Markdown

from ...load.images import FORMATS, IMAGE_BUDGET_BYTES, SHRINK, ImageInfo, describe_size
from ...load.schema import suggest
from ...problems import quoted_short
from ...urls import resolve, split_url
from ..adapter import unescape
from ..page import DocumentTreeprocessor, SiteExtension

DECORATIVE = "decorative"
MAX_ALT = 125
ALLOWED_FORMATS = "PNG, JPEG, WebP, GIF or SVG"


class ImageTreeprocessor(DocumentTreeprocessor["ImageExtension"]):
    def run(self, root: Element) -> None:
        document = self.document
        local = {(fact.line, fact.written) for fact in document.links if fact.tag == "img"}
        missing: set[tuple[int, str]] = set()
        for item in document.walk.order:
            if not isinstance(item, Element) or item.tag != "img":
                continue
            line, src = document.walk.starts[item], unescape(item.get("src", ""))  # as the editor wrote it, as page links keep it
            self.check_alt(item, src, line)
            if (line, src) in local and not self.check_file(item, src, line):
                missing.add((line, src))
        if missing:
            document.links[:] = [f for f in document.links if not (f.tag == "img" and (f.line, f.written) in missing)]

    def check_alt(self, element: Element, src: str, line: int) -> None:
        alt = element.get("alt", "")
        if not alt.strip(" \"'"):
            self.document.error(
                line,
                f"the picture {quoted_short(src)} has no alt text: describe what it shows, for example "
                f"![A diagram of the steps of CAR T-cell therapy]({src}); if it only decorates the page, write ![{DECORATIVE}]({src})",
            )
        elif alt.strip().lower() == DECORATIVE:
            element.set("alt", "")
        elif len(alt) > MAX_ALT:
            self.document.warning(
                line,
                f"the alt text of the picture {quoted_short(src)} is {len(alt)} characters long; keep it under {MAX_ALT} "
                "and give the details in the page's text",
            )

    def check_file(self, element: Element, src: str, line: int) -> bool:
        """Whether the address names a picture the build copies; width and height are set from it."""
        document = self.document
        parts = split_url(src)
        target = resolve(document.output_path, unquote(parts.path)) if parts is not None and parts.path else None
        if target is None:
            return True  # the check of all outputs reports an address that leaves the site
        suffix = posixpath.splitext(target)[1].lower()
        if suffix not in FORMATS:
            kind = f"a {suffix} file" if suffix else "a file without a picture format in its name"
            document.error(line, f"the picture {quoted_short(src)} is {kind}; pictures must be {ALLOWED_FORMATS}: save it as one of these")
            return False
        images = self.extension.images
        info = images.get(target)
        if info is None:
            folder = posixpath.dirname(document.output_path)
            nearby = [posixpath.relpath(path, folder or ".") for path in images]
            content = document.shown.removesuffix(document.source_path) if document.shown.endswith(document.source_path) else ""
            hint = suggest(unquote(parts.path if parts else src), nearby) or f"; put pictures in {content}images/"
            document.error(line, f"the picture {quoted_short(src)} was not found: there is no file {content}{target}{hint}")
            return False
        for finding in info.refused:
            document.error(line, f"the picture {quoted_short(src)} cannot be published ({info.shown}:{finding.line}): {finding.message}")
        if info.width and info.height:
            element.set("width", str(info.width))
            element.set("height", str(info.height))
        if info.size > IMAGE_BUDGET_BYTES:
            document.warning(
                line,
                f"the picture {quoted_short(src)} is {describe_size(info.size)}, more than the {describe_size(IMAGE_BUDGET_BYTES)} "
                f"a picture may be before it slows the page on a phone; {SHRINK}",
            )
        return True


class ImageExtension(SiteExtension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"images": [{}, "What is known of each picture under content/, by its content-relative path (an ImageInfo)"]}
        super().__init__(**kwargs)
        self.images: Mapping[str, ImageInfo] = dict(self.getConfig("images"))

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(ImageTreeprocessor(md, self), "images", 6.5)


def makeExtension(**kwargs: Any) -> ImageExtension:  # noqa: N802 (Markdown's API)
    return ImageExtension(**kwargs)
