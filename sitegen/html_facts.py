"""Read HTML once into the facts that checks need: tags with their lines, ids, addresses, and the text readers see.

One parser serves the output checks, the raw-HTML policy and the template origins. The "visible" text is
what is not inside an element that hides it (hidden, aria-hidden="true", <template>, <noscript>, a closed
<details> outside its <summary>, or an inline style that hides it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL_ATTRIBUTES = {"href", "src", "srcset", "imagesrcset", "poster", "data", "action", "formaction", "cite", "background", "xlink:href"}
LOADING_RELS = {
    *("stylesheet", "icon", "shortcut", "preload", "modulepreload", "manifest", "prefetch", "apple-touch-icon", "mask-icon"),
    *("preconnect", "dns-prefetch", "prerender"),  # these contact the other site before any click, too
}
LOADING_ANYWHERE = {"background"}  # an old attribute that browsers still load on any element
LOADING_TAGS = {
    "img": {"src", "srcset"},
    "source": {"src", "srcset"},
    "video": {"src", "poster"},
    "audio": {"src"},
    "track": {"src"},
    "iframe": {"src"},
    "frame": {"src"},
    "embed": {"src"},
    "object": {"data"},
    "script": {"src"},
    "input": {"src"},
    "image": {"href", "xlink:href"},
    "use": {"href", "xlink:href"},
    "feimage": {"href", "xlink:href"},
}
HIDING_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*0*(?:\.0+)?\s*(?:;|!|$)|"
    r"font-size\s*:\s*0*(?:\.0+)?(?:px|em|rem|%|pt)?\s*(?:;|!|$)|clip-path\s*:|clip\s*:|transform\s*:\s*scale\(\s*0\s*\)|"
    r"text-indent\s*:\s*-)",
    re.IGNORECASE,
)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Tag:
    name: str
    attrs: dict[str, str]
    line: int


@dataclass(frozen=True)
class UrlRef:
    tag: str
    attribute: str
    url: str
    line: int
    loads: bool  # the browser fetches it while showing the page (an <a href> or a canonical link is not)


@dataclass
class HtmlFacts:
    tags: list[Tag] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    urls: list[UrlRef] = field(default_factory=list)
    main_count: int = 0
    main_texts: list[tuple[str, bool, int]] = field(default_factory=list)  # (text, visible, line) inside <main>
    h2_at: int = -1  # index in main_texts of the first text after <main>'s first h2 starts
    hidden_by: dict[int, str] = field(default_factory=dict)  # line of a text run -> what hides it
    styles: list[str] = field(default_factory=list)  # the text of each <style> element
    policies: list[str] = field(default_factory=list)  # each <meta http-equiv="Content-Security-Policy">'s content

    def main_text(self, visible_only: bool, before_h2: bool = False) -> str:
        texts = self.main_texts[: self.h2_at] if before_h2 and self.h2_at >= 0 else self.main_texts
        return " ".join(" ".join(text for text, visible, _ in texts if visible or not visible_only).split())


def srcset_urls(value: str) -> list[str]:
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


def hides(tag: str, attrs: dict[str, str]) -> str | None:
    """What about this start tag hides its content from readers, or None."""
    if "hidden" in attrs:
        return f"<{tag} hidden>"
    if attrs.get("aria-hidden", "").strip().lower() == "true":
        return f'<{tag} aria-hidden="true">'
    if tag in ("template", "noscript"):
        return f"<{tag}>"
    if tag == "details" and "open" not in attrs:
        return "a closed <details>"
    style = attrs.get("style", "")
    if style and HIDING_STYLE.search(style):
        return f'<{tag} style="{style}">'
    return None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HtmlFacts()
        self.stack: list[tuple[str, str | None]] = []  # open elements and what hides each one (or None)
        self.hidden_count = 0
        self.main_depth = 0
        self.before_h2 = True

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attr_list}
        line = self.getpos()[0]
        facts = self.facts
        facts.tags.append(Tag(tag, attrs, line))
        if "id" in attrs:
            facts.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            facts.ids.add(attrs["name"])
        self.record_urls(tag, attrs, line)
        if tag == "style":
            facts.styles.append("")
        elif tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy":
            facts.policies.append(attrs.get("content", ""))
        if tag == "main":
            self.main_depth += 1
            facts.main_count += 1
        elif tag == "h2" and self.main_depth and self.before_h2:
            self.before_h2 = False
            facts.h2_at = len(facts.main_texts)
        if tag in VOID:
            return
        hidden = hides(tag, attrs)
        if tag == "summary" and self.stack and self.stack[-1][0] == "details" and self.stack[-1][1] == "a closed <details>":
            hidden = None
            self.hidden_count -= 1  # a summary shows even when its details are closed
            self.stack.append(("summary", "summary-restores"))
            return
        self.stack.append((tag, hidden))
        if hidden:
            self.hidden_count += 1

    def handle_startendtag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attr_list)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "main" and self.main_depth:
            self.main_depth -= 1
            if self.before_h2:
                self.before_h2 = False
                self.facts.h2_at = len(self.facts.main_texts)
        if tag in VOID or not any(name == tag for name, _ in self.stack):
            return
        while self.stack:
            name, hidden = self.stack.pop()
            if hidden == "summary-restores":
                self.hidden_count += 1
            elif hidden:
                self.hidden_count -= 1
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.main_depth and data.strip():
            line = self.getpos()[0]
            self.facts.main_texts.append((data, self.hidden_count == 0, line))
            if self.hidden_count:
                self.facts.hidden_by[line] = next((h for _, h in reversed(self.stack) if h and h != "summary-restores"), "")
        if self.stack and self.stack[-1][0] == "style":
            self.facts.styles[-1] += data
            for match in CSS_URL.finditer(data):
                self.facts.urls.append(UrlRef("style", "url()", match.group(1) or match.group(2), self.getpos()[0], True))

    def record_urls(self, tag: str, attrs: dict[str, str], line: int) -> None:
        loading = LOADING_TAGS.get(tag, set())
        for attribute, value in attrs.items():
            if attribute not in URL_ATTRIBUTES or not value.strip():
                continue
            loads = (
                attribute in loading
                or attribute in LOADING_ANYWHERE
                or (tag == "link" and bool(set(attrs.get("rel", "").lower().split()) & LOADING_RELS))
            )
            urls = srcset_urls(value) if attribute.endswith("srcset") else [value.strip()]
            for url in urls:
                self.facts.urls.append(UrlRef(tag, attribute, url, line, loads))
        style = attrs.get("style", "")
        for match in CSS_URL.finditer(style):
            self.facts.urls.append(UrlRef(tag, "style", match.group(1) or match.group(2), line, True))
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh" and "url=" in attrs.get("content", "").lower():
            url = attrs["content"].split("=", 1)[1].split("=", 1)[-1].strip(" '\"")
            self.facts.urls.append(UrlRef(tag, "content", url, line, True))


def parse_html(text: str) -> HtmlFacts:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.facts


def normalise_text(text: str) -> str:
    return " ".join(text.split())


class _TextReader(HTMLParser):
    def __init__(self, skipped: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipped = skipped
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.skipped:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipped and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def text_content(html: str, skipped: frozenset[str] = frozenset()) -> str:
    """The text of an HTML fragment, tags left out, and the text inside skipped elements too."""
    reader = _TextReader(skipped)
    reader.feed(html)
    reader.close()
    return " ".join(reader.parts)
