"""The limits never change what the editor wrote: a page is either shown as written, with its problems, or withheld.

Each case is converted as the body of content/page.md from line 1, through the build's own converter: the exact
HTML (empty when the page is withheld) and the exact problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.markup.extensions.conftest import convert, messages

UNFINISHED = (
    "starts an HTML tag that does not end with '>' on this line; write &lt; for a '<' that is only text, or finish the tag on its line"
)
FENCED = "put code in a fenced block (``` above and below it)"
BRACKETS = (
    "'[' in this {} are never closed by ']'; at most 10 may be: close each link or citation, or write \\[ for a bracket that is only text"
)


@dataclass(frozen=True)
class Pair:
    name: str
    markdown: str
    html: str  # "" when the page is withheld
    problems: list[str] = field(default_factory=list)  # "LINE: message"


AS_WRITTEN = [
    # a '<' in text that starts no tag is an error, and the text is left as the editor wrote it
    Pair(
        "an unfinished tag",
        "Text <a href='x' and more",
        "<p>Text &lt;a href=&rsquo;x&rsquo; and more</p>",
        [f"1: \"<a href='x' and more\" {UNFINISHED}"],
    ),
    Pair(
        "two unfinished end tags on one line",
        "Then a </x and </y b.",
        "<p>Then a &lt;/x and &lt;/y b.</p>",
        [f"1: '</x and </y b.' {UNFINISHED}", f"1: '</y b.' {UNFINISHED}"],
    ),
    Pair(
        "an unfinished tag beside code",
        "Type `<b` or <b",
        "<p>Type <code>&lt;b</code> or &lt;b</p>",
        [f"1: '<b' {UNFINISHED}"],
    ),
    Pair("a declaration", "<!x y", "<p>&lt;!x y</p>", ["1: '<!' is not allowed in a page; write &lt; for a '<' that is only text"]),
    Pair(
        "a processing instruction",
        "Text\n<?x y",
        "<p>Text\n&lt;?x y</p>",
        ["2: '<?' is not allowed in a page; write &lt; for a '<' that is only text"],
    ),
    Pair(
        "a comment never closed",
        "Text <!-- and more",
        "<p>Text &lt;!&ndash; and more</p>",
        ["1: this HTML comment '<!--' is never closed by '-->'; close it"],
    ),
    Pair(
        "a comment never closed in raw HTML",
        "<div>\n<!-- a note\n</div>",
        "<div>\n<!-- a note\n</div>",
        ["2: this HTML comment '<!--' is never closed by '-->'; close it"],
    ),
    Pair(
        "a tag in raw HTML over two lines",
        '<div class="note"\n  id="x">\nText\n</div>',
        '<div class="note"\n  id="x">\nText\n</div>',
        [f"1: '<div class=\"note\"' {UNFINISHED}"],
    ),
    Pair(
        "a marked section without a name inside raw HTML",  # Python's own HTML reader raised AssertionError on it
        "<div>\n<![ x>\n</div>",
        "<div>\n<![ x>\n</div>",
        ["2: '<![ x>'... is not allowed in a page; write Markdown"],
    ),
    Pair(
        "a processing instruction inside raw HTML",
        "<div>\n<?php echo 1 ?>\n</div>",
        "<div>\n<?php echo 1 ?>\n</div>",
        ["2: '<?php ech'... is not allowed in a page; write Markdown"],
    ),
]

WITHHELD = [
    # any other limit stops the page: its problems are reported, and no HTML is made with a part left out
    Pair(
        "11 '[' never closed, then more text",
        "First.\n\n" + "[" * 11 + " a\n\nLast 12% [@a].",
        "",
        ["3: 11 " + BRACKETS.format("paragraph"), "5: unknown source '@a'"],
    ),
    Pair("in a list item", "- one\n- " + "[" * 11 + " two", "", ["2: 11 " + BRACKETS.format("list item")]),
    Pair("in a table cell", "| a | b |\n|---|---|\n| " + "[" * 11 + " | c |", "", ["3: 11 " + BRACKETS.format("table cell")]),
    Pair("in a heading", "## Head " + "[" * 11, "", ["1: 11 " + BRACKETS.format("heading")]),
    Pair(
        "brackets 11 deep",
        "[" * 11 + "a" + "]" * 11,
        "",
        ["1: brackets are nested more than 10 deep here; close each '[' with ']' before opening another"],
    ),
    Pair(
        "11 link addresses with a stray quote",
        "Intro.\n" + "[a](b ') " * 11,
        "",
        [
            "2: 11 link addresses in this paragraph are not closed by ')' or hold a stray quote; at most 10 may be: "
            'write each link as [text](address) or [text](address "title")'
        ],
    ),
    Pair(
        "11 groups of backticks not closed by as many",
        "Some " + " ".join("`" * length for length in range(1, 12)) + " code",
        "",
        [
            "1: 11 backticks (`), alone or in groups, in this paragraph are not closed by as many backticks; at most 10 may be: "
            "close each piece of code with as many backticks as opened it, or write \\` for a backtick that is only text"
        ],
    ),
    Pair(
        "a line of 2,001 characters",
        "Intro.\n\n" + "a" * 2_001,
        "",
        [
            "3: this line has 2,001 characters; a line may have at most 2,000: break it into shorter lines (Markdown joins the "
            f"lines of a paragraph or list item), split a wide table, or {FENCED}"
        ],
    ),
    Pair(
        "101 lines of indented code",
        "Intro.\n\n" + "\n".join(["    x = 1"] * 101),
        "",
        [
            "3: 101 lines follow each other without a blank line; a paragraph, list, table or indented code may have at most "
            f"100 lines: put blank lines between paragraphs, split the list or table, or {FENCED}"
        ],
    ),
    Pair(
        "10,019 characters in a paragraph",
        "\n".join(["a" * 1_000] * 10) + "\nbbbbbbbbb",
        "",
        [
            "1: this paragraph, list, table or indented code has 10,019 characters without a blank line; the most is 10,000: "
            f"put blank lines between paragraphs, split the list or table, or {FENCED}"
        ],
    ),
    Pair(
        "21 '<' not finished on their line",
        "\n".join(["Text <b and `<c`"] * 10) + "\n\n    <d",
        "",
        [
            "12: this page has more than 20 '<' by this line that start an HTML tag, comment or declaration not finished on "
            "its line: finish each tag on its line, write &lt; for a '<' in text, put code that holds them in a fenced block "
            "(``` above and below it), or split the page"
        ],
    ),
    Pair(
        "201 HTML tags",
        "\n\n".join(["a<br>b"] * 201),
        "",
        [
            "401: this page has more than 200 HTML tags and comments by this line: write them in Markdown, "
            "put code that shows HTML in a fenced block (``` above and below it), or split the page"
        ],
    ),
    Pair(
        "1,001 marks, crossed in the second paragraph",
        "*a* " * 400 + "\n\n" + "*a* " * 101 + "\n\nMore.",
        "",
        [
            "3: this page has more than 1,000 marks that make links, citations, emphasis, code or HTML (* _ [ ` < &) "
            "by this paragraph; split the page into two"
        ],
    ),
    Pair(
        "2,001 table cells",
        "\n\n".join(["|" + "a|" * 40 + "\n|" + "-|" * 40 + "\n" + "\n".join(["|" + "a|" * 40] * 9)] * 6),
        "",
        ["49: this page has more than 2,000 paragraphs, list items, table cells and headings by this line; split it into two pages"],
    ),
    Pair(
        "2,001 lines",
        "\n\n".join(["a"] * 1_001),
        "",
        ["2001: this page has 2,001 lines; a page may have at most 2,000: split it into two pages"],
    ),
    Pair(
        "101 code fence lines",
        "\n\n".join(["```\na\n```"] * 50) + "\n\n```\nb",
        "",
        ["201: this page has 101 code fence lines (``` or ~~~); a page may have at most 100: split the page"],
    ),
    Pair(
        "lists nested 41 deep",
        "\n".join("    " * depth + "- a" for depth in range(41)),
        "",
        ["21: lists, quotes or brackets are nested too deeply to read; keep nesting under 40 levels"],
    ),
]


@pytest.mark.parametrize("pair", AS_WRITTEN + WITHHELD, ids=[p.name for p in AS_WRITTEN + WITHHELD])
def test_a_page_is_shown_as_written_or_withheld(pair: Pair) -> None:
    result = convert(pair.markdown)
    assert (result.html, messages(result)) == (pair.html, [f"content/page.md:{p}" for p in pair.problems])


def test_straight_quotes_are_not_limited_now_that_the_typographer_is_linear() -> None:
    """smarty took time in the square of a paragraph's quotes, so a page had at most 2,000; the typographer takes time
    in step with them (tests/markup/extensions/test_typography.py), and the page's other limits bound the text."""
    result = convert("\n\n".join(["don't " * 300] * 6) + "\n\n" + "'" * 201)
    assert messages(result) == []
    assert result.html.count("don&rsquo;t") == 1_800


def test_the_same_converter_shows_the_next_page_again() -> None:
    """Withholding is per page: the converter is reused for every page of a build."""
    from tests.markup.extensions.conftest import converter

    md = converter()
    assert md.render("[" * 11).html == ""
    assert md.render("Fine.").html == "<p>Fine.</p>"
