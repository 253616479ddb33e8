"""Reading grade of a page's running prose: Flesch-Kincaid grade level and SMOG, computed offline.

What is measured. A block is the text of one `p`, `li` or `dd`, without the text of blocks nested in it, and
outside headings, tables, figures, code and superscripts (citations). A block is prose, and is measured, when it
reads as a sentence: its text ends with . ! ? or … (before any closing quote or bracket), or it has more than
LABEL_MOST_WORDS (3) words and is not only link text. Shorter fragments ("chills", "a fast heartbeat", "Signs
include:") and lists of links are labels and are left out, and so is a bold lead-in of at most 3 words that
ends in . ! ? or : ("**Severe CRS.** In CRS, immune cells ...").

Sentences. Within a block a sentence ends at . ! ? or … followed by a space and a character that is not a
lower-case letter (but not after Dr., e.g., i.e. and a few other abbreviations), and at the end of the block.
Colons and semicolons do not end sentences.

Words. Following Flesch, numerals, hyphenated words, contractions and abbreviations are one word each: "39",
"39%", "6.5", "T-cell", "don't", "e.g.". Syllables are estimated by vowel groups with rules for silent endings, -le, -ed, -es, y,
vowel pairs that are two syllables (me-di-um), some prefixes and compounds. A numeral counts as one syllable,
as textstat counts it: read as a figure, it is the plain-language choice, and spelling it out must not score
better. tests/markup/test_readability.py checks the result against textstat (pyphen) on the site's own pages.

Spanish. A page in Spanish is measured by the INFLESZ scale: Szigriszt-Pazos's perspicuity, 206.835 − 62.3 ×
(syllables per word) − (words per sentence), a Flesch reading ease recalibrated for Spanish (higher is easier). Its
target, MINIMUM_INFLESZ = 55, is the lower bound of "normal" on the INFLESZ scale (Barrio-Cantalejo et al., 2008),
which its authors set for health information for the public; Fernández-Huerta's score, 206.84 − 60 × (syllables per
word) − 1.02 × (words per sentence), is given beside it. Spanish syllables follow the spelling: each strong vowel (a,
e, o, or an accented í or ú) is a syllable's nucleus, and an unaccented i, u or ü joins its neighbour in a
diphthong ("cie-lo", "ciu-dad"), while two strong vowels are two syllables ("le-er", "dí-a").
tests/markup/test_readability.py checks both against textstat's Spanish formulas (pyphen's Spanish dictionary).

The hardest sentence, named when the grade is above MAXIMUM_GRADE, is the one whose removal lowers the page's
grade, max(Flesch-Kincaid, SMOG), the most (in Spanish, when INFLESZ is below MINIMUM_INFLESZ, the one whose removal
raises it the most); ties go to the first. One pass over the sentences finds it, each
removal worked out from the page's totals.
"""

from __future__ import annotations

import dataclasses
import html as html_entities
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.etree.ElementTree import Element, SubElement

from ..html_facts import HtmlReader
from .adapter import STASH_KEY

MAXIMUM_GRADE = 8.0
MINIMUM_INFLESZ = 55.0  # Spanish: "normal" or easier on the INFLESZ scale
FEWEST_SENTENCES = 3  # textstat's SMOG needs 3; fewer sentences say too little about a page
FEWEST_WORDS = 30
LABEL_MOST_WORDS = 3  # a block of 3 words or fewer without sentence punctuation is a label, not a sentence
POLYSYLLABLE = 3  # SMOG counts words of 3 or more syllables

BLOCK_TAGS = frozenset({"p", "li", "dd"})
SKIPPED_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "dt", "table", "figure", "svg", "math", "script", "style", "template", "code", "pre", "sup", "br"}
)
NESTING_TAGS = frozenset({"p", "li", "dd", "ul", "ol", "dl", "div", "blockquote", "section", "aside", "details", "hr"})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

WORD = re.compile(r"[^\W_]+(?:(?:[-'’]|(?<=\d)[.,](?=\d)|(?<=\b[^\W\d_])\.(?=[^\W\d_]\b))[^\W_]+)*%?")
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[^\sa-záéíóúñü]|\s*$)")
NOT_AN_END = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|St|vs|approx|Fig|No)|\be\.g|\bi\.e)\.$")  # abbreviations
LABEL_END = re.compile(r"[.!?:][\"'”’)\]]*$")
LEADING_PUNCTUATION = re.compile(r"^[.!?:]*")
ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
PLACEHOLDER = re.compile("\x02([^\x03]*)\x03")  # Python-Markdown's stash and escapes; the site's citation tokens
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[.,;:!?…)\]”’])")


@dataclass(frozen=True)
class ProseBlock:
    text: str
    element: Element


@dataclass(frozen=True)
class Sentence:
    text: str
    block: ProseBlock
    words: int
    syllables: int
    polysyllables: int


@dataclass(frozen=True)
class ReadingLevel:
    flesch_kincaid: float
    smog: float
    sentences: int
    words: int
    hardest: Sentence | None = None  # set only when the page is too hard to read (too_hard)
    language: str = "en"
    inflesz: float = 0.0  # Spanish: Szigriszt-Pazos's perspicuity (the INFLESZ scale); higher is easier
    fernandez_huerta: float = 0.0  # Spanish: Fernández-Huerta's reading ease

    @property
    def grade(self) -> float:
        return max(self.flesch_kincaid, self.smog)

    @property
    def spanish(self) -> bool:
        return self.language == "es"

    @property
    def too_hard(self) -> bool:
        return self.inflesz < MINIMUM_INFLESZ if self.spanish else self.grade > MAXIMUM_GRADE

    @property
    def strain(self) -> float:
        """How much of its language's allowance the page uses: 1.0 at the limit (grade 8 in English, INFLESZ 55 in
        Spanish), so that pages in different languages can be ranked together."""
        if self.spanish:
            return (100 - self.inflesz) / (100 - MINIMUM_INFLESZ)
        return self.grade / MAXIMUM_GRADE

    @property
    def summary(self) -> str:
        """The grades in a few characters, for the build's one line: '3.8/7.1', or 'INFLESZ 62.1'."""
        return f"INFLESZ {self.inflesz:g}" if self.spanish else f"{self.flesch_kincaid:g}/{self.smog:g}"

    @property
    def described(self) -> str:
        if self.spanish:
            return f"INFLESZ (Szigriszt-Pazos) {self.inflesz:g}, Fernández-Huerta {self.fernandez_huerta:g}"
        return f"Flesch-Kincaid {self.flesch_kincaid:g}, SMOG {self.smog:g}"

    @property
    def target(self) -> str:
        return f"below {MINIMUM_INFLESZ:g} on the INFLESZ scale" if self.spanish else f"above {MAXIMUM_GRADE:g}"


# --- Syllables -------------------------------------------------------------------------------------------------

NOT_LETTERS = re.compile(r"[^a-z]")
VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs read as two syllables: me-di-a (not spe-cial), pe-ri-od (not na-tion), me-di-um, vid-e-o, ac-tu-al,
# flu-ent, con-tin-u-ous, di-et, cli-ent (not pa-tient), play-er; and -ing after a vowel: go-ing, dy-ing.
SPLIT_VOWELS = re.compile(
    r"(?<![cstg])ia|[ct]iat|(?<![cstxgn])(?<!ll)io|iu|(?<![gp])eo|^geo|(?<![qg])ua|(?<![qg])ue(?=[lnt])|(?<!q)uo|iet|(?<![cts])ien(?=[tc])"
    r"|[aeiou]y(?=[aeiou])(?!ings?$|e[sd]?$)|[aeiouy]ings?$|[aeiouy][^aeiouy]eas?$|rrhea$|.{3}iers?$|iest$|sms?$"
)
SPLIT_PREFIX = re.compile(
    r"^(?:co(?=ag|ex|inf|operat|ord)|cre(?=at[ei])|pre(?=ex|op)|re(?=act|app|ass|ev|inf|int|inst|oc|op|us|un)|de(?=act|ox))"
)
SILENT_E = re.compile(r"(?<=[^aeiouy])(?:e|es|ed)$|(?<=[aeiou][gq])ues?$")
SOUNDED_ENDING = re.compile(r"[^aeiouylr][lr]e[sd]?$|(?:[sxzcg]|[cs]h)es$|[td]ed$")
SILENT_E_SUFFIXES = {"ly": 1, "ment": 1, "ments": 1, "ful": 1, "fully": 2, "less": 1, "ness": 1}
COMPOUND_HEADS = ("some", "there", "where", "life", "home", "time", "care", "like", "side", "wide", "safe", "whole", "base")
IRREGULAR = {"every": 2, "eye": 1, "eyes": 1, "evening": 2, "business": 2, "wherever": 3, "behavior": 3, "behaviour": 3, "science": 2}


@lru_cache(maxsize=1 << 16)
def syllables(word: str) -> int:
    """Estimated syllables in one word; each part of a hyphenated word counts, a numeral is one."""
    return sum(_syllables_of_letters(NOT_LETTERS.sub("", part.lower())) for part in word.split("-"))


def _syllables_of_letters(letters: str) -> int:
    if letters in IRREGULAR:
        return IRREGULAR[letters]
    if len(letters) <= 2:
        return 1
    for suffix, count in SILENT_E_SUFFIXES.items():
        stem_length = len(letters) - len(suffix)
        if stem_length > 3 and letters.endswith(suffix) and letters[stem_length - 1] == "e":
            return _syllables_of_letters(letters[:stem_length]) + count
    if letters.startswith("every") and len(letters) > 5:
        return 2 + _syllables_of_letters(letters[5:])
    for head in COMPOUND_HEADS:
        rest = letters[len(head) :]
        if letters.startswith(head) and len(rest) > 1 and (rest[0] not in "aeiouy" or rest.startswith("one")):
            return 1 + _syllables_of_letters(rest)
    count = len(VOWEL_GROUP.findall(letters))
    count += len(SPLIT_VOWELS.findall(letters)) + (SPLIT_PREFIX.match(letters) is not None)
    if count > 1 and SILENT_E.search(letters) and not SOUNDED_ENDING.search(letters):
        count -= 1
    return max(1, count)


SPANISH_STRONG = frozenset("aeoáéóíú")  # an accented í or ú is strong: dí-a, re-ú-ne
SPANISH_WEAK = frozenset("iuü")
NOT_SPANISH_LETTERS = re.compile(r"[^a-záéíóúüñ]")


@lru_cache(maxsize=1 << 16)
def spanish_syllables(word: str) -> int:
    """Syllables of a Spanish word by its spelling; each part of a hyphenated word counts, a numeral is one."""
    total = 0
    for part in word.split("-"):
        letters = NOT_SPANISH_LETTERS.sub("", part.lower())
        count, run = 0, ""
        for index, char in enumerate(letters + " "):
            vowel = char in SPANISH_STRONG or char in SPANISH_WEAK or (char == "y" and not _y_is_consonant(letters, index))
            if vowel:
                run += "i" if char == "y" else char
                continue
            if run:
                strong = sum(1 for c in run if c in SPANISH_STRONG)
                count += strong or 1
                run = ""
        total += max(1, count)
    return total


def _y_is_consonant(letters: str, index: int) -> bool:
    """'y' is a vowel at the end of a word (hay, muy) or alone (y); a consonant before a vowel (yo, mayo)."""
    after = letters[index + 1] if index + 1 < len(letters) else ""
    return after != "" and (after in SPANISH_STRONG or after in SPANISH_WEAK)


# --- Prose blocks ----------------------------------------------------------------------------------------------


def prose_blocks(root: Element, stashed_html: Sequence[str | Element] = ()) -> list[ProseBlock]:
    """The prose blocks under root in reading order (see the module docstring for what counts).

    stashed_html is Python-Markdown's md.htmlStash.rawHtmlBlocks, where smarty's quotes and dashes and the
    entities wait; without it a placeholder reads as a space, or as nothing between two letters (it's).
    """
    finder = _ProseFinder(stashed_html)
    finder.visit(root)
    return finder.found


def prose_blocks_from_html(html: str) -> list[ProseBlock]:
    """prose_blocks() of an HTML fragment, such as the HTML Python-Markdown writes."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return prose_blocks(builder.root)


def is_sentence(text: str, linked_only: bool = False) -> bool:
    """Whether a block's text is a sentence rather than a label (see the module docstring)."""
    if ENDS_SENTENCE.search(text):
        return True
    return not linked_only and len(WORD.findall(text)) > LABEL_MOST_WORDS


class _ProseFinder:
    def __init__(self, stashed_html: Sequence[str | Element]) -> None:
        self.stashed_html = stashed_html
        self.found: list[ProseBlock] = []

    def visit(self, element: Element) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in SKIPPED_TAGS:
            return
        if tag not in BLOCK_TAGS:
            for child in element:
                self.visit(child)
            return
        position = len(self.found)  # blocks nested in this one are found while gathering; this one goes first
        parts: list[tuple[str, bool]] = []
        self.gather(element, parts, False, self.label_lead_in(element))
        text = self.clean("".join(part for part, _ in parts))
        linked_only = not any(WORD.search(PLACEHOLDER.sub("", part)) for part, in_link in parts if not in_link)
        if is_sentence(text, linked_only):
            self.found.insert(position, ProseBlock(text, element))

    def gather(self, element: Element, parts: list[tuple[str, bool]], in_link: bool, label: Element | None = None) -> None:
        """Appends (text, whether link text) for the element's inline content, leaving out the label."""
        if element.text:
            parts.append((element.text, in_link))
        for child in element:
            tail = child.tail or ""
            if child is label:
                tail = " " + LEADING_PUNCTUATION.sub("", tail, count=1)
            elif not isinstance(child.tag, str) or child.tag in SKIPPED_TAGS:
                tail = " " + tail
            elif child.tag in NESTING_TAGS:
                self.visit(child)
                tail = " " + tail
            else:
                self.gather(child, parts, in_link or child.tag == "a")
            parts.append((tail, in_link))

    def label_lead_in(self, block: Element) -> Element | None:
        """The block's bold lead-in when it is a label: at most LABEL_MOST_WORDS words ending in . ! ? or :."""
        if (block.text or "").strip() or not len(block) or block[0].tag not in ("strong", "b"):
            return None
        lead = block[0]
        punctuation = LEADING_PUNCTUATION.match(lead.tail or "")  # always matches, perhaps nothing
        label = self.clean("".join(lead.itertext()) + (punctuation.group() if punctuation else ""))
        return lead if LABEL_END.search(label) and len(WORD.findall(label)) <= LABEL_MOST_WORDS else None

    def clean(self, text: str) -> str:
        """Placeholders resolved, soft hyphens gone, one space between words and none before punctuation."""
        if "\x02" in text:
            text = PLACEHOLDER.sub(self.resolve, text)
        text = " ".join(text.replace("\xad", "").split())
        return SPACE_BEFORE_PUNCTUATION.sub("", text)

    def resolve(self, placeholder: re.Match[str]) -> str:
        if placeholder.group(1).isdigit():  # a backslash escape, before Python-Markdown's unescape step
            return chr(int(placeholder.group(1)))
        key = STASH_KEY.fullmatch(placeholder.group(1))
        stashed = self.stashed_html[int(key.group(1))] if key and int(key.group(1)) < len(self.stashed_html) else "<"
        if isinstance(stashed, str) and "<" not in stashed:  # an entity, or smarty's quote or dash (an element is HTML)
            return html_entities.unescape(stashed)
        text, start, end = placeholder.string, placeholder.start(), placeholder.end()
        between_letters = start > 0 and end < len(text) and text[start - 1].isalpha() and text[end].isalpha()
        return "" if between_letters else " "


class _TreeBuilder(HtmlReader):
    """An element tree from HTML as html.parser reads it: entities resolved, void elements closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("div")
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = SubElement(self.open[-1], tag, {name: value or "" for name, value in attrs})
        if tag not in VOID_TAGS:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        SubElement(self.open[-1], tag, {name: value or "" for name, value in attrs})

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.open[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


# --- Sentences and grades --------------------------------------------------------------------------------------


def sentences_of(block: ProseBlock, language: str = "en") -> list[Sentence]:
    """The block's sentences with their counts; the end of a block ends a sentence."""
    count = spanish_syllables if language == "es" else syllables
    found: list[Sentence] = []
    start = 0
    text = block.text
    for end in [match.end() for match in SENTENCE_END.finditer(text)] + [len(text)]:
        piece = text[start:end].strip()
        if end < len(text) and NOT_AN_END.search(piece):
            continue
        start = end
        words = WORD.findall(piece)
        if words:
            counts = [count(word) for word in words]
            found.append(Sentence(piece, block, len(words), sum(counts), sum(1 for c in counts if c >= POLYSYLLABLE)))
    return found


def flesch_kincaid(words: int, sentences: int, syllable_count: int) -> float:
    return 0.39 * words / sentences + 11.8 * syllable_count / words - 15.59


def smog(polysyllables: int, sentences: int) -> float:
    return 1.0430 * math.sqrt(polysyllables * 30 / sentences) + 3.1291


def szigriszt_pazos(words: int, sentences: int, syllable_count: int) -> float:
    return 206.835 - 62.3 * syllable_count / words - words / sentences


def fernandez_huerta(words: int, sentences: int, syllable_count: int) -> float:
    return 206.84 - 60 * syllable_count / words - 1.02 * words / sentences


def reading_level(
    blocks: Iterable[ProseBlock], fewest_sentences: int = FEWEST_SENTENCES, fewest_words: int = FEWEST_WORDS, language: str = "en"
) -> ReadingLevel | None:
    """Grades of the blocks' prose, or None when there are too few sentences or words to judge."""
    sentences = [sentence for block in blocks for sentence in sentences_of(block, language)]
    words = sum(s.words for s in sentences)
    syllable_count = sum(s.syllables for s in sentences)
    polysyllables = sum(s.polysyllables for s in sentences)
    if len(sentences) < fewest_sentences or words < fewest_words:
        return None
    if language == "es":
        return _spanish_level(sentences, words, syllable_count)
    level = ReadingLevel(
        round(flesch_kincaid(words, len(sentences), syllable_count), 1),
        round(smog(polysyllables, len(sentences)), 1),
        len(sentences),
        words,
    )
    if level.grade <= MAXIMUM_GRADE:
        return level

    def grade_without(s: Sentence) -> float:
        rest = len(sentences) - 1
        return max(flesch_kincaid(words - s.words, rest, syllable_count - s.syllables), smog(polysyllables - s.polysyllables, rest))

    return ReadingLevel(level.flesch_kincaid, level.smog, level.sentences, level.words, min(sentences, key=grade_without))


def _spanish_level(sentences: list[Sentence], words: int, syllable_count: int) -> ReadingLevel:
    count = len(sentences)
    level = ReadingLevel(
        0.0,
        0.0,
        count,
        words,
        language="es",
        inflesz=round(szigriszt_pazos(words, count, syllable_count), 1),
        fernandez_huerta=round(fernandez_huerta(words, count, syllable_count), 1),
    )
    if not level.too_hard:
        return level

    def ease_without(s: Sentence) -> float:
        return szigriszt_pazos(words - s.words, count - 1, syllable_count - s.syllables)

    return dataclasses.replace(level, hardest=max(sentences, key=ease_without))
