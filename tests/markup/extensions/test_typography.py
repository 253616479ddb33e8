"""Typography: curly quotes, dashes and ellipses in one pass over the tree (sitegen/markup/extensions/typography.py).

It replaced Python-Markdown's smarty extension and writes the same HTML, byte for byte, but where DIFFERENCES says
otherwise: a quote right after an emphasis, a link, a code span or a glossary link reads that element's last
character, as a reader does, where smarty saw the start of a text. Every other case here is checked against
smarty itself, so a difference that is not listed fails a test.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import markdown
import pytest
from markdown.test_tools import TestCase

from sitegen.markup.extensions.typography import TypographyExtension
from sitegen.model import GlossaryEntry
from tests.markup.extensions.conftest import converter

OTHERS = ["tables", "attr_list", "sane_lists", "toc", "fenced_code"]  # the site's built-in extensions
OURS = markdown.Markdown(extensions=[TypographyExtension(), *OTHERS])
SMARTY = markdown.Markdown(extensions=["smarty", *OTHERS])


def ours(text: str) -> str:
    return OURS.reset().convert(text)


def smarty(text: str) -> str:
    return SMARTY.reset().convert(text)


@dataclass(frozen=True)
class Difference:
    markdown: str
    smarty: str
    ours: str
    reason: str


AFTER_ELEMENT = "a quote right after an element follows the element's last letter, so it closes; smarty saw nothing before it"
DIFFERENCES = [
    Difference('"*word*"', "<p>&ldquo;<em>word</em>&ldquo;</p>", "<p>&ldquo;<em>word</em>&rdquo;</p>", AFTER_ELEMENT),
    Difference("'*word*'", "<p>&lsquo;<em>word</em>&lsquo;</p>", "<p>&lsquo;<em>word</em>&rsquo;</p>", AFTER_ELEMENT),
    Difference(
        'He said "**stop**"',
        "<p>He said &ldquo;<strong>stop</strong>&ldquo;</p>",
        "<p>He said &ldquo;<strong>stop</strong>&rdquo;</p>",
        AFTER_ELEMENT,
    ),
    Difference(
        '"[a link](https://example.org)"',
        '<p>&ldquo;<a href="https://example.org">a link</a>&ldquo;</p>',
        '<p>&ldquo;<a href="https://example.org">a link</a>&rdquo;</p>',
        AFTER_ELEMENT,
    ),
    Difference('"`code`"', "<p>&ldquo;<code>code</code>&ldquo;</p>", "<p>&ldquo;<code>code</code>&rdquo;</p>", AFTER_ELEMENT),
    Difference(
        "the *patients*'",
        "<p>the <em>patients</em>&lsquo;</p>",
        "<p>the <em>patients</em>&rsquo;</p>",
        "an apostrophe after a word is a closing quote",
    ),
    Difference(
        '- "*Grade 3*"',
        "<ul>\n<li>&ldquo;<em>Grade 3</em>&ldquo;</li>\n</ul>",
        "<ul>\n<li>&ldquo;<em>Grade 3</em>&rdquo;</li>\n</ul>",
        AFTER_ELEMENT,
    ),
    Difference(
        "`x`'80s",
        "<p><code>x</code>&rsquo;80s</p>",
        "<p><code>x</code>&lsquo;80s</p>",
        "the text after an element reads as if the element were plain text, and smarty reads x'80s as a word and an "
        "opening quote; a decade is written after a space, as in 'the '80s'",
    ),
]


@pytest.mark.parametrize("case", DIFFERENCES, ids=lambda case: case.markdown)
def test_each_difference_from_smarty_is_listed_with_its_reason(case: Difference) -> None:
    assert ours(case.markdown) == case.ours, case.reason
    assert smarty(case.markdown) == case.smarty, "smarty no longer does this: drop the difference"


# Markdown in, HTML out, through the same extensions; each is also smarty's HTML unless DIFFERENCES lists it.
CASES = [
    # apostrophes and decades
    ("Don't stop. It's fine.", "<p>Don&rsquo;t stop. It&rsquo;s fine.</p>"),
    ("The dogs' bowls", "<p>The dogs&rsquo; bowls</p>"),
    ("It's 5 o'clock", "<p>It&rsquo;s 5 o&rsquo;clock</p>"),
    ("rock 'n' roll", "<p>rock &lsquo;n&rsquo; roll</p>"),
    ("In the '80s and the 1990s", "<p>In the &rsquo;80s and the 1990s</p>"),
    ("1440--80's", "<p>1440&ndash;80&rsquo;s</p>"),
    # nested and adjacent quotes
    ("\"'Quoted' words in a larger quote.\"", "<p>&ldquo;&lsquo;Quoted&rsquo; words in a larger quote.&rdquo;</p>"),
    ("He said, \"She said 'Hello.'\"", "<p>He said, &ldquo;She said &lsquo;Hello.&rsquo;&rdquo;</p>"),
    ("x''", "<p>x&rsquo;&lsquo;</p>"),
    ('x""', "<p>x&rdquo;&ldquo;</p>"),
    ("'''", "<p>&rsquo;&lsquo;&rsquo;</p>"),
    ('"a" "b" "c"', "<p>&ldquo;a&rdquo; &ldquo;b&rdquo; &ldquo;c&rdquo;</p>"),
    # dashes and ellipses
    ("pages 1--2", "<p>pages 1&ndash;2</p>"),
    ("yes---or no", "<p>yes&mdash;or no</p>"),
    ("a ---- b", "<p>a ---- b</p>"),
    ("Wait... what.... no..", "<p>Wait&hellip; what.... no..</p>"),
    ('"Ellipsis within quotes..."', "<p>&ldquo;Ellipsis within quotes&hellip;&rdquo;</p>"),
    ("--'x' ---\"y\"", "<p>&ndash;&lsquo;x&rsquo; &mdash;&ldquo;y&rdquo;</p>"),
    # quotes inside emphasis, and after it with punctuation or a space: smarty got these right
    ('*"quoted"*', "<p><em>&ldquo;quoted&rdquo;</em></p>"),
    ('"*word*".', "<p>&ldquo;<em>word</em>&rdquo;.</p>"),
    ('"*word*" and', "<p>&ldquo;<em>word</em>&rdquo; and</p>"),
    ("*Custer*'s Last Stand", "<p><em>Custer</em>&rsquo;s Last Stand</p>"),
    ('*test*_"test"_', "<p><em>test</em><em>&ldquo;test&rdquo;</em></p>"),
    ('"[Link](https://example.org)" --- she said.', '<p>&ldquo;<a href="https://example.org">Link</a>&rdquo; &mdash; she said.</p>'),
    # quotes at a text/element boundary (see DIFFERENCES)
    *((case.markdown, case.ours) for case in DIFFERENCES),
    # left alone: code, raw HTML, escapes
    ("Skip `\"code\" -- --- 'spans' ...`.", "<p>Skip <code>\"code\" -- --- 'spans' ...</code>.</p>"),
    ('    "code" -- ...\n', '<pre><code>"code" -- ...\n</code></pre>'),
    ('```\n"fenced" --\n```', "<pre><code>&quot;fenced&quot; --\n</code></pre>"),
    ('<span title="a \'b\'">"x"</span>', "<p><span title=\"a 'b'\">&ldquo;x&rdquo;</span></p>"),
    ("\\\"Escaped\\\" \\'quotes\\' and \\-- \\...", "<p>\"Escaped\" 'quotes' and -- ...</p>"),
    ('![x"x](x.png "a \'title\'")', '<p><img alt="x&quot;x" src="x.png" title="a \'title\'" /></p>'),
    # headings, lists, tables, quotes in blocks
    ("## It's *Foo* --- `bar`", '<h2 id="its-foo-bar">It&rsquo;s <em>Foo</em> &mdash; <code>bar</code></h2>'),
    ('- "one"\n- two\'s', "<ul>\n<li>&ldquo;one&rdquo;</li>\n<li>two&rsquo;s</li>\n</ul>"),
    ('> "quoted"', "<blockquote>\n<p>&ldquo;quoted&rdquo;</p>\n</blockquote>"),
    (
        '| a "b" |\n|---|\n| c\'s 1--2 |',
        "<table>\n<thead>\n<tr>\n<th>a &ldquo;b&rdquo;</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>c&rsquo;s 1&ndash;2</td>\n</tr>\n</tbody>\n</table>",
    ),
    ("line one 'a'  \n'b' line two", "<p>line one &lsquo;a&rsquo;<br />\n&lsquo;b&rsquo; line two</p>"),
]
LISTED = {case.markdown for case in DIFFERENCES}


@pytest.mark.parametrize(("text", "html"), CASES, ids=[text for text, _ in CASES])
def test_quotes_dashes_and_ellipses(text: str, html: str) -> None:
    assert ours(text) == html
    if text not in LISTED:
        assert smarty(text) == html


TOKEN = re.compile(r"&[lr][sd]quo;|<[^>]*>|.", re.DOTALL)


def only_quotes_after_elements_differ(theirs: str, mine: str) -> bool:
    """Whether every difference is a quote in a run of quotes that starts right after an element's end tag."""
    a, b = TOKEN.findall(theirs), TOKEN.findall(mine)
    if len(a) != len(b):
        return False
    for index, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            before = index - 1
            while before >= 0 and b[before].endswith("quo;"):
                before -= 1
            if not (x.endswith("quo;") and y.endswith("quo;") and before >= 0 and b[before].startswith("</")):
                return False
    return True


PLAIN = ["'", '"', "-", "--", "---", ".", "...", " ", " ", "a", "b", "s", "1", "80s", "\n", "(", ")", "[", "]", ",", "!", "?"]
PLAIN += ["\\", "<span>", "</span>", "&nbsp;", "&mdash;", "—", "–", "\u00a0", "\t", "{", "&", ":", "word", "# ", "> ", "- "]
MARKS = ["*", "_", "`", "[x](index.md)", "**", "![p](x.png)"]


def random_texts(alphabet: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def test_same_as_smarty_on_text_without_inline_elements() -> None:
    """Quotes, dashes, dots, spaces, entities, raw HTML and escapes in every mix: smarty's HTML, to the byte."""
    for text in random_texts(PLAIN, 2000, seed=24):
        assert ours(text) == smarty(text), text


def test_with_inline_elements_only_quotes_right_after_an_element_differ() -> None:
    for text in random_texts(PLAIN + MARKS, 2000, seed=8):
        theirs, mine = smarty(text), ours(text)
        assert theirs == mine or only_quotes_after_elements_differ(theirs, mine), (text, theirs, mine)


class TestSmartysOwnCases(TestCase):
    """Python-Markdown's tests of smarty (tests/test_syntax/extensions/test_smarty.py in Markdown 3.11.3, BSD
    licence), run against this extension; smarty's angled quotes are not offered."""

    default_kwargs = {"extensions": [TypographyExtension()]}

    def test_basic(self) -> None:
        self.assertMarkdownRenders("It's fun. What's fun?", "<p>It&rsquo;s fun. What&rsquo;s fun?</p>")
        self.assertMarkdownRenders(
            '"Isn\'t this fun"? --- she said...', "<p>&ldquo;Isn&rsquo;t this fun&rdquo;? &mdash; she said&hellip;</p>"
        )
        self.assertMarkdownRenders(
            "'Quoted \"words\" in a larger quote.'", "<p>&lsquo;Quoted &ldquo;words&rdquo; in a larger quote.&rsquo;</p>"
        )
        self.assertMarkdownRenders("\"Quoted words at the 'end.'\"", "<p>&ldquo;Quoted words at the &lsquo;end.&rsquo;&rdquo;</p>")
        self.assertMarkdownRenders("'Quoted words at the \"end.\"'", "<p>&lsquo;Quoted words at the &ldquo;end.&rdquo;&rsquo;</p>")
        self.assertMarkdownRenders(
            "(He replied, \"She said 'Hello.'\")", "<p>(He replied, &ldquo;She said &lsquo;Hello.&rsquo;&rdquo;)</p>"
        )
        self.assertMarkdownRenders(
            "<span>He replied, \"She said 'Hello.'\"</span>",
            "<p><span>He replied, &ldquo;She said &lsquo;Hello.&rsquo;&rdquo;</span></p>",
        )
        self.assertMarkdownRenders(
            '"quoted" text and **bold "quoted" text**',
            "<p>&ldquo;quoted&rdquo; text and <strong>bold &ldquo;quoted&rdquo; text</strong></p>",
        )
        self.assertMarkdownRenders(
            "'quoted' text and **bold 'quoted' text**",
            "<p>&lsquo;quoted&rsquo; text and <strong>bold &lsquo;quoted&rsquo; text</strong></p>",
        )
        self.assertMarkdownRenders("em-dashes (---) and ellipes (...)", "<p>em-dashes (&mdash;) and ellipes (&hellip;)</p>")

    def test_years(self) -> None:
        self.assertMarkdownRenders("1440--'80s", "<p>1440&ndash;&rsquo;80s</p>")
        self.assertMarkdownRenders("1440---'80s", "<p>1440&mdash;&rsquo;80s</p>")
        self.assertMarkdownRenders("1960's", "<p>1960&rsquo;s</p>")
        self.assertMarkdownRenders("one two '60s", "<p>one two &rsquo;60s</p>")
        self.assertMarkdownRenders("'60s", "<p>&rsquo;60s</p>")

    def test_wrapping_line(self) -> None:
        self.assertMarkdownRenders(
            "A line that 'wraps' with\n*emphasis* at the beginning of the next line.",
            "<p>A line that &lsquo;wraps&rsquo; with\n<em>emphasis</em> at the beginning of the next line.</p>",
        )

    def test_escaped(self) -> None:
        self.assertMarkdownRenders("Escaped \\-- ndash", "<p>Escaped -- ndash</p>")
        self.assertMarkdownRenders("Escaped ellipsis\\...", "<p>Escaped ellipsis...</p>")
        self.assertMarkdownRenders("'Escaped \\\"quotes\\\" in real ones'", '<p>&lsquo;Escaped "quotes" in real ones&rsquo;</p>')
        self.assertMarkdownRenders("\\'\"Real\" quotes in escaped ones\\'", "<p>'&ldquo;Real&rdquo; quotes in escaped ones'</p>")

    def test_horizontal_rule(self) -> None:
        self.assertMarkdownRenders("--- -- ---", "<hr />")

    def test_custom_substitutions(self) -> None:
        self.assertMarkdownRenders(
            "The \"Unicode char of the year 2014\"\nis the 'mdash': ---\nMust not be confused with 'ndash'  (--) ...",
            "<p>The &bdquo;Unicode char of the year 2014&ldquo;\nis the &sbquo;mdash&lsquo;: \u2014\n"
            "Must not be confused with &sbquo;ndash&lsquo;  (\u2013) \u2026</p>",
            extensions=[
                TypographyExtension(
                    substitutions={
                        "ndash": "\u2013",
                        "mdash": "\u2014",
                        "ellipsis": "\u2026",
                        "left-single-quote": "&sbquo;",
                        "right-single-quote": "&lsquo;",
                        "left-double-quote": "&bdquo;",
                        "right-double-quote": "&ldquo;",
                    }
                )
            ],
        )

    def test_with_toc(self) -> None:
        self.assertMarkdownRenders(
            "# *Foo* --- `bar`",
            '<h1 id="foo-bar"><em>Foo</em> &mdash; <code>bar</code></h1>',
            extensions=[TypographyExtension(), "toc"],
            expected_attrs={
                "toc_tokens": [
                    {
                        "level": 1,
                        "id": "foo-bar",
                        "name": "Foo &mdash; bar",
                        "html": "<em>Foo</em> &mdash; <code>bar</code>",
                        "data-toc-label": "",
                        "children": [],
                    }
                ]
            },
        )


class TestOptions(TestCase):
    def test_each_kind_can_be_turned_off(self) -> None:
        text = '"It\'s" -- so... ---'
        self.assertMarkdownRenders(text, '<p>"It\'s" &ndash; so&hellip; &mdash;</p>', extensions=[TypographyExtension(smart_quotes=False)])
        self.assertMarkdownRenders(
            text, "<p>&ldquo;It&rsquo;s&rdquo; -- so&hellip; ---</p>", extensions=[TypographyExtension(smart_dashes=False)]
        )
        self.assertMarkdownRenders(
            text, "<p>&ldquo;It&rsquo;s&rdquo; &ndash; so... &mdash;</p>", extensions=[TypographyExtension(smart_ellipses=False)]
        )

    def test_loads_by_name(self) -> None:
        self.assertMarkdownRenders("It's", "<p>It&rsquo;s</p>", extensions=["sitegen.markup.extensions.typography"])

    def test_each_substitution_is_stashed_once_a_page(self) -> None:
        md = markdown.Markdown(extensions=[TypographyExtension()])
        md.convert('Don\'t, won\'t, can\'t -- "yes" -- "no".')
        self.assertEqual(sorted(md.htmlStash.rawHtmlBlocks), ["&ldquo;", "&ndash;", "&rdquo;", "&rsquo;"])
        md.reset()
        self.assertEqual(md.convert("It's."), "<p>It&rsquo;s.</p>")
        self.assertEqual(md.htmlStash.rawHtmlBlocks, ["&rsquo;"])


GLOSSARY = [GlossaryEntry("Cytokine release syndrome", "glossary.html#term-cytokine-release-syndrome", "CRS")]
CRS = '<a class="term" href="glossary.html#term-cytokine-release-syndrome"><abbr title="Cytokine release syndrome">CRS</abbr></a>'


class TestOnTheSite(TestCase):
    """Through the site's own converter: glossary links, citations and the reading grade's text."""

    def render(self, text: str) -> str:
        return converter(sources=["a"], glossary=GLOSSARY).render(text, output_path="page.html").html

    def test_a_quoted_glossary_term_closes_its_quote(self) -> None:
        # The glossary links the term's first use, so the closing quote follows an element (see DIFFERENCES).
        self.assertEqual(self.render('Doctors call it "CRS"'), f"<p>Doctors call it &ldquo;{CRS}&rdquo;</p>")
        self.assertEqual(self.render('"CRS" is common.'), f"<p>&ldquo;{CRS}&rdquo; is common.</p>")

    def test_quotes_around_a_citation(self) -> None:
        sup = '<sup class="citation">[<a href="#source-note-1"><span class="visually-hidden">source </span>1</a>]</sup>'
        self.assertEqual(self.render('"Severe" means grade 3 [@a].'), f"<p>&ldquo;Severe&rdquo; means grade 3 {sup}.</p>")
        self.assertEqual(self.render("It's 'rare' [@a]'s word."), f"<p>It&rsquo;s &lsquo;rare&rsquo; {sup}&rsquo;s word.</p>")

    def test_the_reading_grade_reads_the_curly_quotes(self) -> None:
        result = converter(glossary=GLOSSARY).render('"It\'s fine" -- she said... It is fine, "CRS".')
        self.assertEqual(result.prose[0][0], "\u201cIt\u2019s fine\u201d \u2013 she said\u2026 It is fine, \u201cCRS\u201d.")
