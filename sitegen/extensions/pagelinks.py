"""Links between pages are written to the .md file; this turns them into links to the built .html page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..problems import error
from ..schema import suggest
from .context import DocumentContext, prose_lines, without_code_spans

MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+\.md)(#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")


def is_local(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and not href.startswith("/")


class PageLinkCheckPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: PageLinkExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        context: DocumentContext = self.md.document_context  # type: ignore[attr-defined]
        targets = self.extension.page_outputs
        for index, line in prose_lines(lines):
            for match in MD_LINK.finditer(without_code_spans(line)):
                target = match.group(1)
                if is_local(target) and target not in targets:
                    context.problems.append(
                        error(
                            context.shown,
                            context.first_line + index,
                            f"link to '{target}', but there is no such page{suggest(target, targets)}",
                        )
                    )
        return lines


class PageLinkTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: PageLinkExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            path, _, fragment = href.partition("#")
            if is_local(href) and path in self.extension.page_outputs:
                link.set("href", self.extension.page_outputs[path] + (f"#{fragment}" if fragment else ""))


class PageLinkExtension(Extension):
    def __init__(self, page_outputs: dict[str, str] | None = None, **kwargs: Any) -> None:
        self.page_outputs = dict(page_outputs or {})
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        if not hasattr(md, "document_context"):
            md.document_context = DocumentContext()  # type: ignore[attr-defined]
        md.preprocessors.register(PageLinkCheckPreprocessor(md, self), "page_link_check", 28)
        md.treeprocessors.register(PageLinkTreeprocessor(md, self), "page_links", 5)
