#!/usr/bin/env python3
"""Page weight of a built site: bytes of HTML, CSS, SVG and pictures, the number of requests for each page, and what
the first round trip carries.

    python3 build.py && python3 tests/tools/page_weight.py --site site

A page's requests are the page itself plus every distinct file it makes the browser fetch: stylesheets, icons,
pictures, scripts, and the files those stylesheets load with url() or @import. Sizes are the bytes on disk, before
any compression by the server. Pictures (<img> and <source>) have their own budget: MAX_IMAGE_BYTES per page, the
budget of one picture in the build (sitegen/load/images.py), and do not count towards MAX_BYTES or MAX_REQUESTS, which
hold for the page and everything else it loads.

First paint in one round trip: a server's first answer (TCP's initial window of 10 segments) carries about 14 KB, so a
page's HTML, gzipped, must fit in MAX_FIRST_LOAD, with its CSS inside it: a stylesheet that blocks rendering (a
<link rel="stylesheet"> for the screen, or an @import) costs a second round trip before anything shows, and is a
problem. The gzipped size is gzip's at level 6, the default of gzip and of most web servers.

Exits 1 when a page is above the limits, blocks rendering, or loads a file that is missing or on another site; 2
when the site folder does not exist.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

MAX_BYTES = 50_000
MAX_REQUESTS = 3
MAX_IMAGE_BYTES = 200 * 1024
MAX_FIRST_LOAD = 14 * 1024  # gzipped bytes of a page's HTML (its inline CSS included): the first round trip
GZIP_LEVEL = 6
PICTURE_TAGS = {"img", "source"}
LOADING_RELS = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "manifest", "prefetch"}
LOADED_ATTRIBUTES = {"img": "src", "script": "src", "source": "src", "iframe": "src", "embed": "src", "object": "data", "video": "poster"}
INLINE_SVG = re.compile(rb"<svg\b.*?</svg>", re.S)
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass
class PageWeight:
    page: str
    html: int = 0
    inline_svg: int = 0
    css: int = 0
    svg: int = 0
    other: int = 0
    images: int = 0
    image_requests: int = 0
    gzipped: int = 0  # the page's HTML (with its inline CSS and SVG) as a server sends it, gzipped
    blocking: list[str] = field(default_factory=list)  # stylesheets that hold back the first paint
    resources: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Everything but pictures."""
        return self.html + self.css + self.svg + self.other

    @property
    def requests(self) -> int:
        return 1 + len(self.resources)


class _LoadedUrls(HTMLParser):
    """The URLs a browser fetches while showing an HTML page (links to other pages are not fetched), and the stylesheets
    that it waits for before it paints anything."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.pictures: set[str] = set()
        self.blocking: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        self.in_style = tag == "style"
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and "stylesheet" in rels and values.get("media", "all").strip().lower() != "print":
            self.blocking.append(f'<link rel="stylesheet" href="{values.get("href", "")}">')
        found: list[str] = []
        if tag == "link" and set(values.get("rel", "").lower().split()) & LOADING_RELS and values.get("href"):
            found.append(values["href"])
        elif tag in LOADED_ATTRIBUTES and values.get(LOADED_ATTRIBUTES[tag]):
            found.append(values[LOADED_ATTRIBUTES[tag]])
        if tag in PICTURE_TAGS and values.get("srcset"):
            found += [candidate.split()[0] for candidate in values["srcset"].split(",") if candidate.strip()]
        self.urls += found
        if tag in PICTURE_TAGS:
            self.pictures.update(found)

    def handle_endtag(self, tag: str) -> None:
        self.in_style = self.in_style and tag != "style"

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.blocking += [f"@import {url}" for url in re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", data)]


def loaded_urls(html: str) -> list[str]:
    parser = _LoadedUrls()
    parser.feed(html)
    parser.close()
    return parser.urls


def picture_urls(html: str) -> set[str]:
    parser = _LoadedUrls()
    parser.feed(html)
    parser.close()
    return parser.pictures


def render_blocking(html: str) -> list[str]:
    parser = _LoadedUrls()
    parser.feed(html)
    parser.close()
    return parser.blocking


def css_urls(css: str) -> list[str]:
    return [match.group(2) or match.group(4) for match in CSS_URL.finditer(css) if not (match.group(2) or "").startswith("data:")]


def measure_page(page: Path, site: Path) -> PageWeight:
    """Weigh one page and everything it loads, following stylesheets to the files they load."""
    root = site.resolve()
    weight = PageWeight(page.relative_to(site).as_posix(), html=page.stat().st_size)
    data = page.read_bytes()
    weight.inline_svg = sum(len(match) for match in INLINE_SVG.findall(data))
    weight.gzipped = len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
    html = data.decode("utf-8")
    weight.blocking = render_blocking(html)
    pictures = picture_urls(html)
    pending = [(page.resolve(), url) for url in loaded_urls(html)]
    seen: set[Path] = set()
    while pending:
        referrer, url = pending.pop(0)
        parts = urlsplit(url)
        if parts.scheme == "data":
            continue
        if parts.scheme or parts.netloc:
            weight.problems.append(f"loads {url} from another site")
            weight.resources.append(url)
            continue
        target = (root / unquote(parts.path).lstrip("/")) if url.startswith("/") else (referrer.parent / unquote(parts.path)).resolve()
        if target in seen:
            continue
        seen.add(target)
        if not target.is_relative_to(root) or not target.is_file():
            weight.problems.append(f"loads {url}, which is not in the site")
            continue
        weight.resources.append(target.relative_to(root).as_posix())
        size = target.stat().st_size
        if referrer == page.resolve() and url in pictures:
            weight.images += size
            weight.image_requests += 1
        elif target.suffix == ".css":
            weight.css += size
            pending += [(target, nested) for nested in css_urls(target.read_text(encoding="utf-8"))]
        elif target.suffix == ".svg":
            weight.svg += size
        else:
            weight.other += size
    return weight


def measure_site(site: Path) -> list[PageWeight]:
    return [measure_page(page, site) for page in sorted(site.rglob("*.html"))]


def over_limits(
    weight: PageWeight, max_bytes: int, max_requests: int, max_image_bytes: int = MAX_IMAGE_BYTES, max_first_load: int = MAX_FIRST_LOAD
) -> list[str]:
    found = list(weight.problems)
    found += [f"{item} blocks rendering: the first paint waits for another round trip" for item in weight.blocking]
    if weight.gzipped > max_first_load:
        found.append(f"{weight.gzipped:,} bytes gzipped is above the {max_first_load:,} of the first round trip")
    if weight.total > max_bytes:
        found.append(f"{weight.total:,} bytes is above the limit of {max_bytes:,}")
    if weight.requests - weight.image_requests > max_requests:
        found.append(f"{weight.requests - weight.image_requests} requests is above the limit of {max_requests}")
    if weight.images > max_image_bytes:
        found.append(f"{weight.images:,} bytes of pictures is above the limit of {max_image_bytes:,}")
    return found


def table(weights: list[PageWeight]) -> str:
    header = ("page", "HTML", "gzipped", "inline SVG", "CSS", "SVG files", "other", "total", "pictures", "requests")
    rows = [
        (
            w.page,
            f"{w.html:,}",
            f"{w.gzipped:,}",
            f"{w.inline_svg:,}",
            f"{w.css:,}",
            f"{w.svg:,}",
            f"{w.other:,}",
            f"{w.total:,}",
            f"{w.images:,}",
            str(w.requests),
        )
        for w in weights
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site", type=Path, default=Path(__file__).resolve().parents[2] / "site", help="built site folder (default: site/)"
    )
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES, help=f"limit per page, in bytes (default {MAX_BYTES:,})")
    parser.add_argument(
        "--max-requests", type=int, default=MAX_REQUESTS, help=f"limit per page, pictures left out (default {MAX_REQUESTS})"
    )
    parser.add_argument(
        "--max-image-bytes", type=int, default=MAX_IMAGE_BYTES, help=f"limit of pictures per page, in bytes (default {MAX_IMAGE_BYTES:,})"
    )
    parser.add_argument(
        "--max-first-load",
        type=int,
        default=MAX_FIRST_LOAD,
        help=f"limit of a page's HTML, gzipped, in bytes: what the first round trip carries (default {MAX_FIRST_LOAD:,})",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"page_weight: {args.site} is not a folder; build the site first", file=sys.stderr)
        return 2
    weights = measure_site(args.site)
    if args.json:
        print(json.dumps([{**asdict(w), "total": w.total, "requests": w.requests} for w in weights], indent=2))
    else:
        print(table(weights))
        print(
            "Bytes on disk, uncompressed, but 'gzipped' (the HTML with its inline CSS, as gzip -6 sends it); inline SVG is part "
            "of HTML and counted once, in HTML. Pictures are not in the total."
        )
        print(
            f"Limits per page: {args.max_bytes:,} bytes in total and {args.max_requests} requests, pictures left out; "
            f"{args.max_image_bytes:,} bytes of pictures; {args.max_first_load:,} bytes of HTML gzipped, and no stylesheet that "
            "blocks rendering."
        )
    failures = [
        f"{w.page}: {problem}"
        for w in weights
        for problem in over_limits(w, args.max_bytes, args.max_requests, args.max_image_bytes, args.max_first_load)
    ]
    for failure in failures:
        print(failure, file=sys.stderr)
    if not weights:
        print(f"page_weight: no HTML pages in {args.site}", file=sys.stderr)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
