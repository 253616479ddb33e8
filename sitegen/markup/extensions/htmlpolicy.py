"""What raw HTML a page may hold: a short list of harmless elements and attributes. Anything else is an error.

Editors are told, not silently corrected: each problem names the element or attribute, its line, and what to
write instead. Tree processor ``html_policy`` (7, after ``attr_list`` 8, which can also add attributes) checks
every raw-HTML chunk in the stash (except the figures this generator made) and every attribute on the
elements that Markdown made. A declaration, CDATA section or processing instruction ('<!' or '<?') anywhere in
raw HTML is an error.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown

from ...html_facts import URL_ATTRIBUTES, parse_html, text_content
from ...urls import BLOCKED_SCHEMES, split_url
from ..page import DocumentTreeprocessor, SiteExtension, TextPiece, number_warning, stash_placeholders, uncited_number

ALLOWED_ELEMENTS = {
    "abbr": {"title"},
    "b": set(),
    "br": set(),
    "code": set(),
    "dd": set(),
    "del": set(),
    "details": {"open"},
    "div": set(),
    "dl": set(),
    "dt": set(),
    "em": set(),
    "hr": set(),
    "i": set(),
    "ins": set(),
    "kbd": set(),
    "mark": set(),
    "p": set(),
    "pre": set(),
    "q": set(),
    "s": set(),
    "samp": set(),
    "small": set(),
    "span": set(),
    "strong": set(),
    "sub": set(),
    "summary": set(),
    "sup": set(),
    "u": set(),
    "var": set(),
    "wbr": set(),
}
GLOBAL_ATTRIBUTES = {"class", "id", "lang", "dir", "title"}
ADVICE = {
    "script": "pages may not run scripts, and the site has no JavaScript",
    "style": "put styles in templates/style.css and use a class",
    "a": "write links in Markdown: [text](page.md) or [text](https://...)",
    "img": "add pictures in Markdown: ![what the picture shows](images/picture.png)",
    "picture": "add pictures in Markdown: ![what the picture shows](images/picture.png)",
    "svg": "draw risk pictures with an icon-array or bar-chart block, or add the picture as an image file",
    "table": "write tables in Markdown, with | between cells",
    "form": "pages may not hold forms",
    "input": "pages may not hold forms",
    "button": "pages may not hold forms",
    "select": "pages may not hold forms",
    "textarea": "pages may not hold forms",
    "iframe": "pages may not embed other sites; link to them instead: [text](https://...)",
    "object": "pages may not embed other content; link to it instead",
    "embed": "pages may not embed other content; link to it instead",
    "video": "pages may not embed video; link to it instead: [text](https://...)",
    "audio": "pages may not embed audio; link to it instead: [text](https://...)",
    "meta": "page settings belong in the front matter and templates",
    "link": "stylesheets and icons belong in the templates",
    "base": "the templates set the page's address; a <base> would break every link",
    "template": "content must be visible to readers",
    "noscript": "content must be visible to readers",
}
CODE = frozenset({"pre", "code", "kbd", "samp"})
DECLARATION = re.compile(r"<(?:!(?!--)|\?)")  # a declaration, CDATA or processing instruction: readers never see it
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
CELL_ALIGNMENT = {"text-align: left;", "text-align: right;", "text-align: center;"}  # written by the tables extension


def element_problem(tag: str) -> str | None:
    if tag in ALLOWED_ELEMENTS:
        return None
    if tag in HEADINGS:
        return f"<{tag}> is not allowed in a page's HTML: write headings in Markdown, starting with ##"
    advice = ADVICE.get(tag, f"allowed elements are {', '.join(sorted(ALLOWED_ELEMENTS))}; write the rest in Markdown")
    return f"<{tag}> is not allowed in a page: {advice}"


def attribute_problem(tag: str, name: str, value: str, allowed: set[str]) -> str | None:
    if name.startswith("on"):
        return f"the attribute '{name}' on <{tag}> is not allowed: event attributes run scripts, and pages may not"
    if name == "style":
        return f"the attribute 'style' on <{tag}> is not allowed: use a class from templates/style.css"
    if name == "hidden" or (name == "aria-hidden" and value.strip().lower() == "true"):
        return f"the attribute '{name}' on <{tag}> is not allowed: readers must see what the build has checked"
    if name in URL_ATTRIBUTES:
        parts = split_url(value)
        scheme = parts.scheme.lower() if parts is not None else ""
        if parts is None or scheme in BLOCKED_SCHEMES:
            return f"the address {value!r} in '{name}' on <{tag}> is not allowed; link to a page or a file instead"
    if name not in allowed and name not in GLOBAL_ATTRIBUTES:
        return f"the attribute '{name}' on <{tag}> is not allowed in a page"
    return None


class HtmlPolicyTreeprocessor(DocumentTreeprocessor["HtmlPolicyExtension"]):
    def run(self, root: Element) -> None:
        document = self.document
        seen: set[int] = set()
        for item in document.walk.order:
            if isinstance(item, TextPiece):
                for index, offset in stash_placeholders(item.text):
                    seen.add(index)
                    if index not in document.trusted_stash:
                        self.check_chunk(index, item.line_at(offset))
            elif item.attrib and not item.tag.startswith("sitegen-"):
                self.check_markdown_element(item, document.walk.starts[item])
        for index in range(len(self.md.htmlStash.rawHtmlBlocks)):
            if index not in seen and index not in document.trusted_stash:
                self.check_chunk(index, document.first_line)

    def check_chunk(self, index: int, line: int) -> None:
        chunk = self.md.htmlStash.rawHtmlBlocks[index]
        text = chunk if isinstance(chunk, str) else ""
        if "<" not in text:
            return  # an entity or a quote that smarty made: no element, no attribute
        declaration = DECLARATION.search(text)
        if declaration:
            at = declaration.start()
            shown = text[at : at + 9].split("\n", 1)[0]
            self.document.error(line + text.count("\n", 0, at), f"{shown!r}... is not allowed in a page; write Markdown")
        facts = parse_html(text)
        for tag in facts.tags:
            at = line + tag.line - 1
            problem = element_problem(tag.name)
            if problem:
                self.document.error(at, problem)
                continue
            for name, value in tag.attrs.items():
                problem = attribute_problem(tag.name, name, value, ALLOWED_ELEMENTS[tag.name])
                if problem:
                    self.document.error(at, problem)
        prose = text_content(text, CODE) if facts.tags else ""
        if "[@" in prose:
            self.document.error(line, "a citation inside raw HTML is not read as a citation; write this part in Markdown")
        elif match := uncited_number(prose):
            self.document.warning(line, number_warning(match.group(0)) + " (citations cannot be written inside raw HTML)")

    def check_markdown_element(self, element: Element, line: int) -> None:
        """Attributes that Markdown made, or that attr_list added with {...}; page_links has judged the addresses it saw."""
        allowed = MARKDOWN_ATTRIBUTES.get(element.tag, set())
        for name, value in element.attrib.items():
            if name == "style" and element.tag in ("th", "td") and value in CELL_ALIGNMENT:
                continue
            if name in allowed and name in URL_ATTRIBUTES:
                continue  # page_links judges the addresses of links and images
            problem = attribute_problem(element.tag, name, value, allowed)
            if problem:
                self.document.error(line, problem)


class HtmlPolicyExtension(SiteExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(HtmlPolicyTreeprocessor(md, self), "html_policy", 7)


def makeExtension(**kwargs: Any) -> HtmlPolicyExtension:  # noqa: N802 (Markdown's API)
    return HtmlPolicyExtension(**kwargs)
