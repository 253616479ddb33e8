"""Code is shown as written: Markdown in, the exact HTML and problems out.

Each case is converted as the body of content/page.md from line 1, through the build's own converter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import markdown
import pytest

from sitegen.markup.converter import BUILT_IN_CONFIGS, BUILT_IN_EXTENSIONS
from tests.markup.extensions.conftest import convert, messages


@dataclass(frozen=True)
class Pair:
    name: str
    markdown: str
    html: str
    problems: list[str] = field(default_factory=list)  # "LINE: message"


QUOTES_IN_CODE = "\n".join("`" + "'" * 690 + "`" for _ in range(3))  # 2,070 straight quotes, all in code

CODE = [
    # a '<' in code is code: never a problem, never rewritten, shown as the editor wrote it
    Pair("'<' in inline code", "Write `a <b` here.", "<p>Write <code>a &lt;b</code> here.</p>"),
    Pair("an end tag in inline code", "Run `cmd 2</dev/null` here.", "<p>Run <code>cmd 2&lt;/dev/null</code> here.</p>"),
    Pair(
        "two unfinished tags in code on one line",
        "`</` and `</`",
        "<p><code>&lt;/</code> and <code>&lt;/</code></p>",
    ),
    Pair(
        "comments in inline code",
        "Test `<!--[if mso]>` and `<!--[if !mso]>`",
        "<p>Test <code>&lt;!--[if mso]&gt;</code> and <code>&lt;!--[if !mso]&gt;</code></p>",
    ),
    Pair(
        "fenced code",
        "```\nif a <b:\n    x = '<!--' + \"<?\"\n```",
        "<pre><code>if a &lt;b:\n    x = '&lt;!--' + &quot;&lt;?&quot;\n</code></pre>",
    ),
    Pair(
        "indented code",
        "Intro.\n\n    a <b\n    <?php echo 1",
        "<p>Intro.</p>\n<pre><code>a &lt;b\n&lt;?php echo 1\n</code></pre>",
    ),
    Pair(
        "code after a code span with an escaped backtick",
        "A \\` then `x <y`.",
        "<p>A ` then <code>x &lt;y</code>.</p>",
    ),
    # what inline patterns never read is not counted toward the limits on them
    Pair("11 '[' in fenced code", "```\n" + "[" * 11 + "\n```", "<pre><code>" + "[" * 11 + "\n</code></pre>"),
    Pair("11 '[' in indented code", "    " + "[" * 11, "<pre><code>" + "[" * 11 + "\n</code></pre>"),
    Pair("11 '[' in code spans", "`a[` " * 11, "<p>" + "<code>a[</code> " * 11 + "</p>"),
    Pair(
        "2,070 straight quotes in code spans",
        QUOTES_IN_CODE,
        "<p>" + "\n".join("<code>" + "'" * 690 + "</code>" for _ in range(3)) + "</p>",
    ),
    Pair(
        "2,001 straight quotes in fenced code",
        "```\n" + "\n".join(["'" * 667] * 3) + "\n```",
        "<pre><code>" + "\n".join(["'" * 667] * 3) + "\n</code></pre>",
    ),
    # a link address in angle brackets is an address, not a tag
    Pair("a link address in angle brackets", "See [the list](<?page=2>).", '<p>See <a href="?page=2">the list</a>.</p>'),
]


@pytest.mark.parametrize("pair", CODE, ids=[p.name for p in CODE])
def test_code_is_shown_as_written(pair: Pair) -> None:
    result = convert(pair.markdown)
    assert (result.html, messages(result)) == (pair.html, [f"content/page.md:{p}" for p in pair.problems])
    assert pair.html == stock(pair.markdown)


def stock(text: str) -> str:
    """What Python-Markdown alone makes of text, with the same built-in extensions."""
    return markdown.Markdown(extensions=list(BUILT_IN_EXTENSIONS), extension_configs=BUILT_IN_CONFIGS, output_format="html").convert(text)


FENCE_OPTIONS = [
    # fenced_code fails inside Python-Markdown 3.11.3 on a highlighting option in {attributes} (TypeError: cannot
    # serialize True); each option reaches the page as written (hl_lines as Python-Markdown writes it), and is
    # reported as an attribute that is not allowed
    Pair(
        "linenums=True",
        "``` { .python linenums=True }\nx = 1\n```",
        '<pre><code class="language-python" linenums="True">x = 1\n</code></pre>',
        ["1: the attribute 'linenums' on <code> is not allowed in a page"],
    ),
    Pair(
        "linenums without a value, hl_lines",
        '~~~ {.python hl_lines="1 2" linenums}\nx = 1\n~~~',
        '<pre><code class="language-python" hl_lines="[1, 2]" linenums="linenums">x = 1\n</code></pre>',
        [
            "1: the attribute 'hl_lines' on <code> is not allowed in a page",
            "1: the attribute 'linenums' on <code> is not allowed in a page",
        ],
    ),
    Pair(
        "guess_lang and noclasses, after a paragraph",
        "Text.\n\n```{ .python guess_lang=no noclasses=maybe }\nx = 1\n```",
        '<p>Text.</p>\n<pre><code class="language-python" guess_lang="no" noclasses="maybe">x = 1\n</code></pre>',
        [
            "3: the attribute 'guess_lang' on <code> is not allowed in a page",
            "3: the attribute 'noclasses' on <code> is not allowed in a page",
        ],
    ),
    Pair(
        "use_pygments is read, never written",
        "``` { .python use_pygments=False }\nx = 1\n```",
        '<pre><code class="language-python">x = 1\n</code></pre>',
    ),
    Pair(
        "an id and a class",
        "``` { #example .python }\nx = 1\n```",
        '<pre id="example"><code class="language-python">x = 1\n</code></pre>',
    ),
]


@pytest.mark.parametrize("pair", FENCE_OPTIONS, ids=[p.name for p in FENCE_OPTIONS])
def test_a_code_fence_with_options_is_shown_as_written(pair: Pair) -> None:
    result = convert(pair.markdown)
    assert (result.html, messages(result)) == (pair.html, [f"content/page.md:{p}" for p in pair.problems])
