"""Read HTML into the facts that checks need.

Two readers, one for each kind of HTML:
- read_page(): a whole page as a browser reads it (Lexbor, a parser of the HTML standard, through selectolax):
  its ids, its addresses, the text of <main> that readers see, its <style> elements and its Content-Security-
  Policy. The output checks judge every page's template part with it, in every build, so it must be fast: it
  reads a page in about a tenth of the time html.parser takes.
- parse_html(): a fragment as written (html.parser), with the line of each tag: the raw HTML in a page's
  Markdown, and the templates' own text, where a problem is reported at its line.

The "visible" text is what is not inside an element that hides it (hidden, aria-hidden="true", <template>,
<noscript>, a closed <details> outside its <summary>, or an inline style that hides it).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from selectolax.lexbor import LexborHTMLParser, LexborNode

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
    loads: bool  # the browser fetches it while showing the page (an <a href> or a canonical link is not)


@dataclass
class HtmlFacts:
    """A fragment's tags, with their lines, and its ids."""

    tags: list[Tag] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


@dataclass
class PageFacts:
    """What the output checks read in a whole page."""

    ids: set[str] = field(default_factory=set)
    urls: list[UrlRef] = field(default_factory=list)
    main_count: int = 0
    main_texts: list[tuple[str, bool]] = field(default_factory=list)  # (text, visible) of each text inside <main>
    h2_at: int = -1  # index in main_texts of the first text after <main>'s first h2 starts
    hidden_by: dict[int, str] = field(default_factory=dict)  # index in main_texts of a hidden text -> what hides it
    style_hashes: list[str] = field(default_factory=list)  # each <style> element's text, as a CSP source
    policies: list[str] = field(default_factory=list)  # each <meta http-equiv="Content-Security-Policy">'s content

    def main_text(self, visible_only: bool, before_h2: bool = False) -> str:
        texts = self.main_texts[: self.h2_at] if before_h2 and self.h2_at >= 0 else self.main_texts
        return " ".join(" ".join(text for text, visible in texts if visible or not visible_only).split())


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


class HtmlReader(HTMLParser):
    """html.parser's reader, which also reads a '<![' that starts no CDATA section or name, as browsers do.

    On such input ('<![ x>', in raw HTML) Python before 3.13 raises AssertionError: expected name token. Browsers
    read it as a comment up to the next '>'; so does this reader.
    """

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            if end < 0:
                return -1  # read as text at the end, as html.parser reads any declaration it cannot finish
            self.handle_comment(self.rawdata[i + 2 : end])
            return end + 1


class _Reader(HtmlReader):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HtmlFacts()

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attr_list}
        self.facts.tags.append(Tag(tag, attrs, self.getpos()[0]))
        if "id" in attrs:
            self.facts.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.facts.ids.add(attrs["name"])

    def handle_startendtag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attr_list)


def parse_html(text: str) -> HtmlFacts:
    """A fragment's tags with their lines, and its ids."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.facts


_ADDRESSED = ",".join(f"[{name.replace(':', chr(92) + ':')}]" for name in sorted(URL_ATTRIBUTES)) + ",[style],meta[http-equiv]"


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows a <style> or <script> with this text: 'sha256-...'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def read_page(html: str) -> PageFacts:
    """A whole page, parsed as browsers parse it. Lexbor's selectors find the elements with ids and addresses; only
    <main> is read node by node, for the text readers see."""
    facts = PageFacts()
    tree = LexborHTMLParser(html)
    for node in tree.css("[id],a[name]"):
        attrs = node.attributes
        facts.ids.update(value for name in ("id", "name") if (value := attrs.get(name)) and (name == "id" or node.tag == "a"))
    seen: set[int] = set()  # an element that matches several of the selectors is found once for each
    for node in tree.css(_ADDRESSED):
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            _record_addresses(facts, node.tag or "", {name: value or "" for name, value in node.attributes.items()})
    for node in tree.css("style"):
        text = node.text(deep=True) or ""
        facts.style_hashes.append(csp_hash(text))
        facts.urls += [UrlRef("style", "url()", m.group(1) or m.group(2), True) for m in CSS_URL.finditer(text)]
    for node in tree.css("template"):
        if not _inside_main(node):  # one inside <main> is read in its place there
            _read_template(facts, node, in_main=False)
    mains = tree.css("main")
    facts.main_count = len(mains)
    for main in mains:
        _read_main(facts, main, _hider_above(main))
    return facts


def _read_main(facts: PageFacts, main: LexborNode, hider: str | None) -> None:
    """The texts of <main> in document order, each with what hides it, and where its first h2 starts (without
    recursion: a deeply nested page must not exhaust the stack)."""
    before_h2 = facts.h2_at < 0
    stack: list[tuple[LexborNode | None, str | None]] = [(None, None)]  # None: <main>'s children have all been read
    own = hides("main", {name: value or "" for name, value in main.attributes.items()})
    _push_children(stack, main, own or hider, hider if own == "a closed <details>" else own or hider)
    while stack:
        node, hidden = stack.pop()
        if node is None:
            if before_h2:
                facts.h2_at = len(facts.main_texts)
            return
        if node.is_text_node:
            text = node.text_content or ""
            if text.strip() and (node.parent is None or node.parent.tag != "style"):
                if hidden:
                    facts.hidden_by[len(facts.main_texts)] = hidden
                facts.main_texts.append((text, hidden is None))
            continue
        if node.tag == "template":
            _read_template(facts, node, in_main=True)
            continue
        if not node.is_element_node:
            continue  # a comment
        tag = node.tag or ""
        if tag == "h2" and before_h2:
            before_h2 = False
            facts.h2_at = len(facts.main_texts)
        own = hides(tag, {name: value or "" for name, value in node.attributes.items()})
        children = own or hidden
        _push_children(stack, node, children, hidden if own == "a closed <details>" else children)


def _hider_above(node: LexborNode) -> str | None:
    """What hides node's place in the page: the innermost element around it that hides its content, if any."""
    child, parent = node, node.parent
    while parent is not None and parent.is_element_node:
        own = hides(parent.tag or "", {name: value or "" for name, value in parent.attributes.items()})
        if own and not (own == "a closed <details>" and child.tag == "summary"):
            return own
        child, parent = parent, parent.parent
    return None


def _inside_main(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "main":
            return True
        parent = parent.parent
    return False


def _push_children(
    stack: list[tuple[LexborNode | None, str | None]], node: LexborNode, hider: str | None, summary_hider: str | None
) -> None:
    """node's children, the first on top of the stack. A closed <details> hides all its children but its <summary>,
    which is hidden only by what hides the details' own place (summary_hider)."""
    children = []
    child = node.child
    while child is not None:
        children.append((child, summary_hider if child.tag == "summary" else hider))
        child = child.next
    stack.extend(reversed(children))


def _read_template(facts: PageFacts, template: LexborNode, in_main: bool) -> None:
    """A <template>'s content is not part of the page (browsers keep it apart, unshown); its addresses still count."""
    outer = template.html or ""
    inner = outer[outer.find(">") + 1 : outer.rfind("<")]
    content = read_page(f"<main>{inner}</main>" if in_main else inner)
    facts.urls += content.urls
    if in_main:
        start = len(facts.main_texts)
        facts.main_texts += [(text, False) for text, _ in content.main_texts]
        facts.hidden_by.update({start + i: "<template>" for i in range(len(content.main_texts))})


def _record_addresses(facts: PageFacts, tag: str, attrs: dict[str, str]) -> None:
    if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy":
        facts.policies.append(attrs.get("content", ""))
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
        facts.urls += [UrlRef(tag, attribute, url, loads) for url in urls]
    for match in CSS_URL.finditer(attrs.get("style", "")):
        facts.urls.append(UrlRef(tag, "style", match.group(1) or match.group(2), True))
    if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh" and "url=" in attrs.get("content", "").lower():
        url = attrs["content"].split("=", 1)[1].split("=", 1)[-1].strip(" '\"")
        facts.urls.append(UrlRef(tag, "content", url, True))


def normalise_text(text: str) -> str:
    return " ".join(text.split())


class _TextReader(HtmlReader):
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
