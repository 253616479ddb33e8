"""Files for search engines and hosts: page URLs, sitemap.xml and robots.txt."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from html import escape as html_escape
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime.date
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, address) of each version, itself and x-default included


def page_url(base_url: str, output_path: str) -> str:
    """The absolute address of a page; an index page is addressed by its folder (the home page is the base URL itself)."""
    if output_path == "index.html" or output_path.endswith("/index.html"):
        return base_url + output_path.removesuffix("index.html")
    return base_url + output_path


def base_path(base_url: str | None) -> str:
    """The path part of the base URL, such as '/repo-name/', or '/' without one."""
    return urlsplit(base_url).path or "/" if base_url else "/"


def xml_text(text: str) -> str:
    """text escaped for an XML element's content (&, < and >)."""
    return html_escape(text, quote=False)


def sitemap_xml(entries: list[SitemapEntry]) -> str:
    """The sitemap; a page in several languages lists every version as an xhtml:link, as search engines ask."""
    rows = "".join(
        f"  <url>\n    <loc>{xml_text(e.url)}</loc>\n"
        + "".join(
            f'    <xhtml:link rel="alternate" hreflang="{xml_text(language)}" href="{html_escape(url, quote=True)}"/>\n'
            for language, url in e.alternates
        )
        + f"    <lastmod>{e.lastmod.isoformat()}</lastmod>\n  </url>\n"
        for e in entries
    )
    namespaces = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    if any(e.alternates for e in entries):
        namespaces += ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {namespaces}>\n{rows}</urlset>\n'


def robots_txt(base_url: str | None) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines += ["", f"Sitemap: {base_url}sitemap.xml"]
    return "\n".join(lines) + "\n"
