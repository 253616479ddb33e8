"""Key points: the page's own summary, which the editor writes first in the body, under a '## Key points' heading.

Tree processor ``key_points`` (-1, after every other, unescape (0) included): the key points have been through
everything body text goes through (citations, numbers, glossary links, the HTML allowlist, the reading grade of
the page). It checks what only key points must be, each problem at the line the editor wrote:

- the heading opens the page's text; a '## Key points' anywhere else is a warning;
- under it, up to the next '##' heading, only paragraphs and lists;
- 2 to 4 points: each list item is one, and each sentence of a paragraph is one;
- plain on their own: no sentence longer than MOST_WORDS, and a reading grade of at most readability.MAXIMUM_GRADE,
  graded from FEWEST_POINTS sentences and GRADED_FROM_WORDS words (a page needs more: a summary is short).

It then takes the heading and its blocks out of the tree as a <section class="key-points">, which the page's
render serialises on its own, so that the template can show the key points under the title and the caveat, and
before the urgent-help box. Whether a page must have key points at all is the site's rule (rendering.py).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown

from ..page import DocumentTreeprocessor, SiteExtension
from ..readability import ProseBlock, prose_blocks, reading_level, sentences_of

HEADING = "key points"  # in English; a page in another language writes its catalogue's translation of "Key points"
FEWEST_POINTS = 2
MOST_POINTS = 4
MOST_WORDS = 20  # words in one sentence of the key points
# Spanish says the same in about 20% more words (the clinical-editor audit's figure is 20-30%), so it is allowed 24.
MOST_WORDS_IN = {"es": 24}
GRADED_FROM_WORDS = 20  # key points are graded from 2 sentences (the fewest they may hold) and this many words
ALLOWED = {"p", "ul", "ol"}
SECTION_ENDS = {"h1", "h2"}
MISSING = (
    "this page has no key points: start its text with a '## Key points' heading and 2 to 4 short sentences or bullets "
    'that say what the page says (see docs/editing.md, "Key points")'
)


def missing_message(heading: str = "Key points") -> str:
    return MISSING.replace("Key points", heading, 1)


def is_key_points_heading(element: Element, heading: str = HEADING) -> bool:
    return element.tag == "h2" and " ".join("".join(element.itertext()).split()).rstrip(":").lower() == heading.lower()


class KeyPointsTreeprocessor(DocumentTreeprocessor["KeyPointsExtension"]):
    def run(self, root: Element) -> None:
        document = self.document
        children = list(root)
        heading_text = self.extension.heading
        for later in children[1:]:
            if is_key_points_heading(later, heading_text):
                document.warning(
                    document.line_of(later),
                    f"'## {heading_text}' must be the first thing in the page's text, straight after the front matter, "
                    "so that readers see the key points under the title",
                )
        if not children or not is_key_points_heading(children[0], heading_text):
            return
        heading = children[0]
        blocks = []
        for element in children[1:]:
            if element.tag in SECTION_ENDS:
                break
            blocks.append(element)
        self.check(heading, blocks)
        section = Element("section", {"class": "key-points"})
        if heading.get("id"):
            section.set("aria-labelledby", heading.get("id", ""))
        for element in [heading, *blocks]:
            root.remove(element)
            section.append(element)
        self.extension.section = section

    def check(self, heading: Element, blocks: list[Element]) -> None:
        document = self.document
        stash = self.md.htmlStash.rawHtmlBlocks
        points = 0
        prose: list[ProseBlock] = []
        for element in blocks:
            if element.tag not in ALLOWED:
                document.warning(
                    document.line_of(element),
                    "the key points may hold only short sentences or a list; move this below the next '##' heading",
                )
                continue
            found = prose_blocks(element, stash)
            prose += found
            if element.tag == "p":
                points += sum(len(sentences_of(block)) for block in found)
            else:
                points += sum(1 for item in element if item.tag == "li")
        if not FEWEST_POINTS <= points <= MOST_POINTS:
            document.warning(
                document.line_of(heading),
                f"the key points hold {points} {'sentence or bullet' if points == 1 else 'sentences or bullets'}; "
                f"give {FEWEST_POINTS} to {MOST_POINTS}, each short",
            )
        language = self.extension.language
        most = MOST_WORDS_IN.get(language, MOST_WORDS)
        for block in prose:
            for sentence in sentences_of(block, language):
                if sentence.words > most:
                    document.warning(
                        document.line_of(block.element),
                        f'a key point\'s sentence has {sentence.words} words, more than {most}: "{sentence.text}"; split it, or say less',
                    )
        level = reading_level(prose, FEWEST_POINTS, GRADED_FROM_WORDS, language)
        if level is not None and level.too_hard and level.hardest is not None:
            document.warning(
                document.line_of(level.hardest.block.element),
                f"the key points' reading grade is {level.target} ({level.described}). "
                f'The hardest sentence is "{level.hardest.text}": use shorter sentences and everyday words',
            )


class KeyPointsExtension(SiteExtension):
    """Owns the key points of the document being converted (``section``, after convert()); reset() forgets them."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "language": ["en", "The pages' language, in which sentences are counted and graded"],
            "heading": ["Key points", "The heading the editor writes above the key points, in the pages' language ('Puntos clave')"],
        }
        super().__init__(**kwargs)
        self.language: str = self.getConfig("language")
        self.heading: str = self.getConfig("heading")
        self.section: Element | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtension(self)
        md.treeprocessors.register(KeyPointsTreeprocessor(md, self), "key_points", -1)

    def reset(self) -> None:
        self.section = None


def makeExtension(**kwargs: Any) -> KeyPointsExtension:  # noqa: N802 (Markdown's API)
    return KeyPointsExtension(**kwargs)
