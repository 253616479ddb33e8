"""Code is shown as written: Markdown in, the exact HTML and problems out.

Each case is converted as the body of content/page.md from line 1, through the build's own converter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.extensions.conftest import convert, messages


@dataclass(frozen=True)
class Pair:
    name: str
    markdown: str
    html: str
    problems: list[str] = field(default_factory=list)  # "LINE: message"


FENCE_OPTIONS = [
    # fenced_code fails inside Python-Markdown 3.11.3 on a highlighting option in {attributes} (TypeError: cannot
    # serialize True); each option reaches the page as written, and is reported as an attribute that is not allowed
    Pair(
        "linenums=True",
        "``` { .python linenums=True }\nx = 1\n```",
        '<pre><code class="language-python" linenums="True">x = 1\n</code></pre>',
        ["1: the attribute 'linenums' on <code> is not allowed in a page"],
    ),
    Pair(
        "linenums without a value, hl_lines",
        '~~~ {.python hl_lines="1 2" linenums}\nx = 1\n~~~',
        '<pre><code class="language-python" hl_lines="1 2" linenums="linenums">x = 1\n</code></pre>',
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
