"""A small crawler over http:// or file:// URLs: every link, stylesheet, image and anchor must resolve.

It reads pages with tests/support.py's reader (the standard library's HTML parser), not with the build's own
html_facts, so that it checks the output independently of the build's link check.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from tests.support import read_html


@dataclass
class CrawlReport:
    pages: list[str] = field(default_factory=list)
    checked: int = 0
    broken: list[str] = field(default_factory=list)


def fetch(url: str) -> tuple[int, bytes, str]:
    """(status, body, content type); an HTTP error status is returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status = getattr(response, "status", None) or 200  # file:// responses carry no status
            return status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get_content_type()
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, FileNotFoundError):  # file:// has no status; a missing file is what 404 means
            return 404, b"", ""
        raise  # a server that does not answer is a broken test, not a broken link


def is_html(url: str, content_type: str) -> bool:
    return content_type == "text/html" or urlsplit(url).path.endswith(".html")


def crawl(start: str, prefix: str, extra_pages: tuple[str, ...] = ()) -> CrawlReport:
    """Follow every link under prefix from start (and extra_pages, fetched whatever their status)."""
    report = CrawlReport()
    cache: dict[str, tuple[int, bytes, str]] = {}
    ids: dict[str, set[str]] = {}

    def get(url: str) -> tuple[int, bytes, str]:
        if url not in cache:
            cache[url] = fetch(url)
        return cache[url]

    queue = [start, *extra_pages]
    seen = set(queue)
    while queue:
        page_url = queue.pop(0)
        status, body, content_type = get(page_url)
        if page_url not in extra_pages and status != 200:
            report.broken.append(f"{page_url}: status {status}")
            continue
        report.pages.append(page_url)
        parsed = read_html(body.decode("utf-8"))
        ids[page_url] = parsed.ids
        for ref in parsed.refs:
            target = urljoin(page_url, ref.url)
            if not target.startswith(prefix):
                if urlsplit(target).scheme in ("http", "https", "file") and urlsplit(target).netloc == urlsplit(prefix).netloc:
                    report.broken.append(f"{page_url}:{ref.line}: {ref.url} leaves the site ({target})")
                continue
            report.checked += 1
            document, fragment = urldefrag(target)
            if document == page_url:
                if fragment and fragment not in parsed.ids:
                    report.broken.append(f"{page_url}:{ref.line}: {ref.url} has no anchor #{fragment}")
                continue
            status, body, content_type = get(document)
            if status != 200:
                report.broken.append(f"{page_url}:{ref.line}: {ref.url} -> {document} gave status {status}")
                continue
            if is_html(document, content_type):
                if document not in ids:
                    ids[document] = read_html(body.decode("utf-8")).ids
                if fragment and fragment not in ids[document]:
                    report.broken.append(f"{page_url}:{ref.line}: {ref.url} has no anchor #{fragment}")
                if ref.tag == "a" and document not in seen:
                    seen.add(document)
                    queue.append(document)
    return report
