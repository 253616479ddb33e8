"""Checks on the written HTML: every page shows the caveat, and every link and resource resolves locally."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problems import Problem, error

RESOURCE_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}
LOADED_TAGS = {"img", "script", "source", "iframe"}
LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch", "apple-touch-icon"}


@dataclass(frozen=True)
class Reference:
    tag: str
    url: str
    line: int
    rel: str = ""

    @property
    def is_loaded(self) -> bool:
        """Whether a browser fetches the URL while showing the page (a plain <a> or canonical link is not)."""
        if self.tag == "link":
            return bool(set(self.rel.lower().split()) & LOADING_RELS)
        return self.tag in LOADED_TAGS


@dataclass
class ParsedHtml:
    ids: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)
    main_text_before_h2: str = ""
    main_count: int = 0


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = ParsedHtml()
        self.main_depth = 0
        self.before_h2 = True
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.result.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.result.ids.add(values["name"])
        attribute = RESOURCE_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute):
            self.result.references.append(Reference(tag, values[attribute], self.getpos()[0], values.get("rel", "")))
        if tag == "main":
            self.main_depth += 1
            self.result.main_count += 1
        elif tag == "h2" and self.main_depth:
            self.before_h2 = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "main" and self.main_depth:
            self.main_depth -= 1
            self.before_h2 = False

    def handle_data(self, data: str) -> None:
        if self.main_depth and self.before_h2:
            self.chunks.append(data)

    def close(self) -> None:
        super().close()
        self.result.main_text_before_h2 = " ".join(" ".join(self.chunks).split())


def parse_html(text: str) -> ParsedHtml:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.result


def normalise_text(text: str) -> str:
    return " ".join(html.unescape(text).split())


def check_caveat(shown: str, parsed: ParsedHtml, caveat: str) -> list[Problem]:
    """The caveat must be visible inside <main>, before its first section heading."""
    if parsed.main_count != 1:
        return [error(shown, 1, f"page must have exactly one <main> element, found {parsed.main_count}")]
    if normalise_text(caveat) not in parsed.main_text_before_h2:
        return [error(shown, 1, "page does not show the long-term survival caveat near the top of <main>")]
    return []


def check_references(
    shown: str, page: Path, parsed: ParsedHtml, site_root: Path, ids_of: dict[Path, set[str]], root_path: str = "/"
) -> list[Problem]:
    """Every local link, stylesheet and image resolves; nothing is loaded from another site."""
    problems: list[Problem] = []
    for ref in parsed.references:
        parts = urlsplit(ref.url)
        if parts.scheme in ("mailto", "tel"):
            continue
        if parts.scheme or parts.netloc:
            if ref.is_loaded:
                problems.append(error(shown, ref.line, f"<{ref.tag}> loads {ref.url} from another site; ship the file with the site"))
            continue
        if ref.url.startswith("/") and not (page.name == "404.html" and root_path != "/" and ref.url.startswith(root_path)):
            problems.append(
                error(
                    shown,
                    ref.line,
                    f"link '{ref.url}' starts with '/', which breaks when the site is served under a sub-path; use a relative link",
                )
            )
            continue
        if ref.url.startswith("/"):
            target = (site_root / unquote(parts.path).removeprefix(root_path)).resolve()
        else:
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
        if not target.is_relative_to(site_root.resolve()):
            problems.append(error(shown, ref.line, f"link '{ref.url}' points outside the site"))
            continue
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.append(error(shown, ref.line, f"link '{ref.url}' points to a file that the build does not write"))
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in ids_of.get(target, set()):
            problems.append(error(shown, ref.line, f"link '{ref.url}' points to '#{fragment}', but that page has no such anchor"))
    return problems


def check_site(site_root: Path, caveat: str, shown_root: str, root_path: str = "/") -> list[Problem]:
    """Read every HTML file under site_root once, then run each check on it."""
    parsed_pages: dict[Path, ParsedHtml] = {}
    for page in sorted(site_root.rglob("*.html")):
        parsed_pages[page.resolve()] = parse_html(page.read_text(encoding="utf-8"))
    ids_of = {path: parsed.ids for path, parsed in parsed_pages.items()}
    problems: list[Problem] = []
    for path, parsed in parsed_pages.items():
        shown = f"{shown_root}/{path.relative_to(site_root.resolve()).as_posix()}"
        problems += check_caveat(shown, parsed, caveat)
        problems += check_references(shown, path, parsed, site_root, ids_of, root_path)
    return problems
