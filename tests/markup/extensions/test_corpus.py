"""A corpus of Markdown in → problems and HTML out: every check judges what Python-Markdown parsed, at the editor's line.

Each case is converted as the body of content/page.md starting on line 10, with the sources 'a' (which records the
figures 5%, 7%, 12%, 21%, 22% and 39%) and 'b', the pages index.md and guide/care.md, and one glossary term (CRS).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from sitegen.model import GlossaryEntry
from tests.markup.extensions.conftest import converter

FIRST = 10
A_FIGURES = {"a": [(f"figure {p}", f"{p}%") for p in (5, 7, 12, 21, 22, 39)]}
NOTE = '<a href="#source-note-{0}"><span class="visually-hidden">source </span>{0}</a>'
UNCITED = "warning: '{}' has no citation in the same paragraph, list item or table cell; add one such as [@key]"


def sup(*numbers: int) -> str:
    return '<sup class="citation">[' + ", ".join(NOTE.format(n) for n in numbers) + "]</sup>"


@dataclass(frozen=True)
class Case:
    name: str
    markdown: str
    problems: list[str] = field(default_factory=list)  # "LINE: message", LINE in the file
    html_has: list[str] = field(default_factory=list)
    html_lacks: list[str] = field(default_factory=list)


CASES = [
    # code: nothing in code is a citation, a number or a link (a citation in a code span is reported: a slip)
    Case(
        "code span",
        "Write `[@x]` or `19%` to cite.",
        ["10: warning: the citation [@x] is inside backticks, so it is shown as code, not as a citation: remove the backticks"],
        ["<code>[@x]</code>", "<code>19%</code>"],
    ),
    Case("fenced code", "Intro.\n\n```\n[@x] 19%\n[y](missing.md)\n```", [], ["<pre><code>[@x] 19%"]),
    Case("indented code", "Intro.\n\n    [@x] and 19%\n\nAfter 12% [@a].", [], ["<pre><code>[@x] and 19%", f"After 12% {sup(1)}."]),
    Case("tilde fence", "~~~\n[@x]\n~~~", [], ["<pre><code>[@x]"]),
    # citations at the very start and end of a line, and wrapped over two lines
    Case("citation starts a line", "[@a] says so.", [], [f"<p>{sup(1)} says so.</p>"]),
    Case("citation ends a line", "It says so [@b]\nand more.", [], [f"It says so {sup(1)}\nand more."]),
    Case("unknown key at start of line 2", "First line.\n[@nope] here.", ["11: unknown source '@nope'"], ["[@nope] here."]),
    Case("wrapped citation", "Text [@a;\n@b] and\nthen [@c].", ["12: unknown source '@c'"], [sup(1, 2)]),
    Case("locators", "A [@a, p. 327] B [@b, table 2; @a].", [], [f"A {sup(1)} B {sup(2, 1)}."]),
    Case("unreadable citation", "See [@a p. 3].", ["10: cannot read citation '[@a p. 3]': write [@key], [@key, p. 12] or [@key1; @key2]"]),
    Case("citation in link text", "[see [@a]](index.md)", ["10: a citation cannot be part of a link's text; put it after the link"]),
    Case(
        "citation in alt text",
        "![chart [@a]](images/x.png)",
        [
            "10: a citation in an image's alt text is not read as a citation; put it in the text after the image",
            "10: the picture 'images/x.png' was not found: there is no file content/images/x.png; put pictures in content/images/",
        ],
    ),
    # every number cites a source: paragraphs, list items, table cells, headings, blockquotes
    Case("uncited paragraph", "Line one.\nAbout 39% had a response.", [f"11: {UNCITED.format('39%')}"]),
    Case("cited paragraph", "About 39%\nhad a response [@a].", []),
    Case("natural frequency", "About 9 out of 100 people.", [f"10: {UNCITED.format('9 out of 100')}"]),
    Case(
        "table with leading pipes",
        "| Cancer | Response |\n|---|---|\n| CLL | 22% [@a] |\n| NHL | 19% |",
        [f"13: {UNCITED.format('19%')}"],
        [f"<td>22% {sup(1)}</td>"],
    ),
    Case(
        "table without leading pipes",
        "Cancer | Response\n--- | ---\nCLL | 22%\nALL | 21% [@a]",
        [f"12: {UNCITED.format('22%')}"],
        ["<td>22%</td>"],
    ),
    Case(
        "list nested 3 deep",
        "- item A [@a]\n    - item B 5% [@a]\n        - item C 45%\n- item D",
        [f"12: {UNCITED.format('45%')}"],
        ["<li>item C 45%</li>"],
    ),
    Case("citation in nested item covers only that item", "- parent 30%\n    - child [@a]", [f"10: {UNCITED.format('30%')}"]),
    Case("blockquote", "> Quoted line.\n> Then 12% here.", [f"11: {UNCITED.format('12%')}"], ["<blockquote>"]),
    Case("heading", "Intro.\n\n## About 40% of people", [f"12: {UNCITED.format('40%')}"]),
    Case("number in link text", "[39% of people](index.md) did.", [f"10: {UNCITED.format('39%')}"]),
    Case("long run of digits is quick", "1" * 1_990 + " and more", []),  # longer lines are refused (extensions/limits.py)
    # links: inline and reference-style, judged as the parser made them
    Case("page link", "See [care](guide/care.md#top).", [], ['<a href="guide/care.html#top">care</a>']),
    Case("missing page", "Intro.\n\nSee [x](missing.md).", ["12: link to 'missing.md', but there is no such page"]),
    Case("reference-style link", "See [the guide][g].\n\n[g]: guide/care.md", [], ['<a href="guide/care.html">the guide</a>']),
    Case(
        "reference-style missing",
        "See [it][r] now.\n\n[r]: gone.md",
        ["10: link to 'gone.md', but there is no such page (did you mean 'index.md'?)"],
    ),
    Case("link in code is no link", "`[x](missing.md)`", []),
    Case(
        "javascript link",
        "[x](javascript:alert(1))",
        ["10: javascript: addresses are not allowed in pages (link 'javascript:alert(1)'); link to a page or a file instead"],
    ),
    Case(
        "data image",
        "![x](data:image/png;base64,AAAA)",
        ["10: data: addresses are not allowed in pages (image 'data:image/png;base64,AAAA'); link to a page or a file instead"],
    ),
    Case(
        "image from another site",
        "![x](https://cdn.example/x.png)",
        ["10: image 'https://cdn.example/x.png' loads from another site; put the file in content/images/ and link to it there"],
    ),
    Case(
        "root-relative link",
        "[x](/index.html)",
        ["10: link '/index.html' starts with '/', which breaks when the site is served under a sub-path; use a relative link"],
    ),
    Case("unreadable address", "[x](http://[oops)", ["10: cannot read the link address 'http://[oops'; check its brackets and spaces"]),
    # raw HTML: a short list of harmless elements, and errors for the rest
    Case("allowed raw HTML", 'Text <abbr title="chimeric antigen receptor">CAR</abbr> and <sup>2</sup>.', []),
    Case("details block", "<details>\n<summary>More</summary>\n<p>Hidden until opened.</p>\n</details>", []),
    Case(
        "script block",
        "Intro.\n\n<script>alert(1)</script>",
        ["12: <script> is not allowed in a page: pages may not run scripts, and the site has no JavaScript"],
    ),
    Case(
        "style block",
        "<style>.caveat{display:none}</style>",
        ["10: <style> is not allowed in a page: put styles in templates/style.css and use a class"],
    ),
    Case(
        "event attribute on line 3 of a block",
        '<div class="box">\n<p>Fine.</p>\n<span onclick="x()">Click</span>\n</div>',
        ["12: the attribute 'onclick' on <span> is not allowed: event attributes run scripts, and pages may not"],
    ),
    Case(
        "hidden attribute",
        "<div hidden>Secret</div>",
        ["10: the attribute 'hidden' on <div> is not allowed: readers must see what the build has checked"],
    ),
    Case(
        "style attribute inline",
        'Text <span style="display:none">x</span>.',
        ["10: the attribute 'style' on <span> is not allowed: use a class from templates/style.css"],
    ),
    Case(
        "iframe",
        '<iframe src="https://x.example"></iframe>',
        ["10: <iframe> is not allowed in a page: pages may not embed other sites; link to them instead: [text](https://...)"],
    ),
    Case(
        "raw link",
        '<a href="x.html">x</a>',
        ["10: <a> is not allowed in a page: write links in Markdown: [text](page.md) or [text](https://...)"],
    ),
    Case(
        "attribute added with attr_list",
        'A paragraph.\n{: onclick="alert(1)" }',
        ["10: the attribute 'onclick' on <p> is not allowed: event attributes run scripts, and pages may not"],
    ),
    Case("class added with attr_list", "A paragraph.\n{: .note }", [], ['<p class="note">A paragraph.</p>']),
    Case(
        "citation in raw HTML",
        "<div>See [@a].</div>",
        ["10: a citation inside raw HTML is not read as a citation; write this part in Markdown"],
    ),
    # glossary: first use links, never inside headings, links or code
    Case("glossary first use", "## CRS\n\nCRS and CRS.", [], ['<h2 id="crs">CRS</h2>', '<a class="term" href="glossary.html#term-crs">']),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus(case: Case) -> None:
    md = converter(
        ["a", "b"],
        pages={"index.md": "index.html", "guide/care.md": "guide/care.html"},
        glossary=[GlossaryEntry("Cytokine release syndrome", "glossary.html#term-crs", "CRS")],
        figures=A_FIGURES,
    )
    result = md.render(case.markdown, "content/page.md", FIRST, "page.md", "page.html")
    assert [str(p) for p in result.problems] == [f"content/page.md:{p}" for p in case.problems]
    for fragment in case.html_has:
        assert fragment in result.html
    for fragment in case.html_lacks:
        assert fragment not in result.html


def test_lines_survive_raw_html_and_fenced_code_above() -> None:
    md = converter(["a"])
    text = "<div>\nraw\n</div>\n\n```\ncode\nmore\n```\n\nAfter 7%."
    result = md.render(text, "content/page.md", 4)
    assert [str(p) for p in result.problems] == [f"content/page.md:13: {UNCITED.format('7%')}"]


def test_state_does_not_leak_between_pages() -> None:
    md = converter(["a"])
    md.render("Bad [@nope] 12%.", "content/one.md")
    second = md.render("Good [@a].", "content/two.md")
    assert second.problems == ()
    assert [c.key for c in second.citations] == ["a"]


def test_nesting_too_deep_is_a_clear_error() -> None:
    md = converter()
    result = md.render("Intro.\n\n" + ">" * 1900 + " deep", "content/page.md", 3)  # lines over 2,000 are refused
    assert [str(p) for p in result.problems] == [
        "content/page.md:5: lists, quotes or brackets are nested too deeply to read; keep nesting under 40 levels"
    ]
