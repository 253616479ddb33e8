"""The reading grade: what counts as prose, the syllable counter, the hardest sentence, and calibration against textstat."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement

import markdown
import pytest
import yaml
from markdown.treeprocessors import Treeprocessor

from sitegen.markup.extensions.typography import TypographyExtension
from sitegen.markup.readability import (
    MAXIMUM_GRADE,
    WORD,
    ProseBlock,
    Sentence,
    fernandez_huerta,
    prose_blocks,
    prose_blocks_from_html,
    reading_level,
    sentences_of,
    spanish_syllables,
    syllables,
    szigriszt_pazos,
)
from tests.support import REPO

CONTENT = REPO / "content"
EXTENSIONS = ["tables", "attr_list", "sane_lists", TypographyExtension(), "toc"]

# Syllables as dictionaries divide the words; many are from the site's pages.
KNOWN_SYLLABLES = {
    1: "the cell cells chills gene bone dose mask swell nerve nerves brain grade grades mild reach team nurse whole while "
    "make makes made changed used called hoped died league eye eyes year years yes you your they their there here where "
    "were more care sure fire through though thought weeks days hour hours life months stayed played CAR CRS 39 39% 100 2019",
    2: "cancer second people person study studies studied treatment treated fever headache heartbeat pressure breathing "
    "severe patient patients client diet quiet player beyond going doing being seeing dying trying saying buying table tables "
    "little people's changes places cases uses needed started measured agreed value issue tissue fatigue unique spasm "
    "lately likely movement freely something sometimes someone therefore lifetime every reuse special trial social "
    "syndrome immune protein marrow response relapse doses higher milder seizures shaking notice doctor doctors vaccine "
    "vaccines disease nature nervous region million union senior language fluent fuel create really business evening "
    "science problem problems simple able centre acre ago via enough about any body very many even again against "
    "adults acute longer away T-cell B-cell high-flow Cy-Flu GitHub open agent sources pages chances amount",
    3: "therapy infusion nausea serious actual medium sodium video theory period continue continued autism "
    "completely agreement management element caregiver wherever everyone everything reaction initial physician lymphoma "
    "lymphocyte lymphocytes cytokine cytokines effector chimeric antigen receptor remission median survival progression "
    "persistence confusion sleepiness uncommon summary article hospital medicine medicines procedure religion opinion "
    "quality influence area idea created family different several interest behavior earlier easier happiest oxygen "
    "threatening diseases overall nobody researchers Non-Hodgkin",
    4: "usually evaluate biology experience variety anxiety definitely reinfusion coordinate cooperate preexisting "
    "leukemia anemia bacteria pneumonia radiation diagnosis refractory fludarabine continuous diarrhea available "
    "life-threatening lymphoblastic alkylating identifies",
    5: "lymphodepletion associated chemotherapy cyclophosphamide repository",
    6: "neurotoxicity",
}


def test_syllables_of_words_with_known_counts() -> None:
    wrong = [
        (word, known, syllables(word)) for known, words in KNOWN_SYLLABLES.items() for word in words.split() if syllables(word) != known
    ]
    assert wrong == [], "(word, dictionary, ours)"


def test_numerals_hyphenated_words_and_contractions_are_one_word_each() -> None:
    assert WORD.findall("In 2019, 39% of 44 T-cell people (6.5 months, 1,000 doses) didn't.") == [
        "In",
        "2019",
        "39%",
        "of",
        "44",
        "T-cell",
        "people",
        "6.5",
        "months",
        "1,000",
        "doses",
        "didn't",
    ]
    [sentence] = sentences_of(block("About 82 out of 100 people (82%) got it."))
    assert (sentence.words, sentence.syllables, sentence.polysyllables) == (9, 11, 0)


def block(text: str) -> ProseBlock:
    return ProseBlock(text, Element("p"))


def texts(blocks: list[ProseBlock]) -> list[str]:
    return [b.text for b in blocks]


# --- What counts as prose ------------------------------------------------------------------------------------------


def test_headings_labels_tables_figures_code_and_citations_are_left_out() -> None:
    html = """
<h2 id="two">Two main side effects of the treatment</h2>
<p>Fever is the main sign <sup class="citation">[<a href="#source-note-1">1</a>]</sup>. Other signs are:</p>
<ul><li>chills</li><li>a fast heartbeat</li><li>feeling sick (nausea)</li><li>trouble breathing at night</li></ul>
<p>Signs include:</p>
<table><tr><td>A cell with a long sentence in it.</td></tr></table>
<figure><p>A figure caption that is a sentence.</p><figcaption>Another caption of the figure.</figcaption></figure>
<p>Type <code>build.py --strict now</code> to check.</p>
<pre><code>print("a code block that reads like a sentence.")</code></pre>
"""
    assert texts(prose_blocks_from_html(html)) == [
        "Fever is the main sign. Other signs are:",
        "trouble breathing at night",
        "Type to check.",
    ]


def test_a_short_fragment_is_prose_when_it_ends_like_a_sentence() -> None:
    html = "<ul><li>Ask them.</li><li>Yes!</li><li>Really?</li><li>chills</li><li>low blood pressure</li></ul>"
    assert texts(prose_blocks_from_html(html)) == ["Ask them.", "Yes!", "Really?"]


def test_a_list_of_links_is_left_out_but_a_sentence_with_a_link_is_not() -> None:
    html = """<ul>
<li><a href="efficacy.html">How well a second infusion works</a></li>
<li><a href="a.html">What affects</a> <a href="b.html">how well it works</a></li>
<li>Read <a href="efficacy.html">how well a second infusion works</a></li>
<li><a href="efficacy.html">A second infusion worked in 21 of 44 people.</a></li>
</ul>"""
    assert texts(prose_blocks_from_html(html)) == ["Read how well a second infusion works", "A second infusion worked in 21 of 44 people."]


def test_a_short_bold_lead_in_is_a_label_but_a_bold_sentence_is_not() -> None:
    html = """
<ul><li><strong>Overall response.</strong> This means the cancer shrank or went away.</li>
<li><strong>Severe CRS:</strong> about 9 out of 100 people (9%) had it.</li>
<li><strong>NHL (non-Hodgkin lymphoma)</strong>. A group of cancers that start in lymphocytes.</li></ul>
<p><strong>Call your team at once if you have a fever.</strong> Do not wait.</p>
<p><strong>Do not</strong> drive for 8 weeks.</p>"""
    assert texts(prose_blocks_from_html(html)) == [
        "This means the cancer shrank or went away.",
        "about 9 out of 100 people (9%) had it.",
        "A group of cancers that start in lymphocytes.",
        "Call your team at once if you have a fever. Do not wait.",
        "Do not drive for 8 weeks.",
    ]


def test_nested_blocks_are_their_own_blocks_in_reading_order() -> None:
    html = """<ul><li>Ask your care team about these things<ul><li>which side effects to watch for</li><li>how to reach them</li></ul>
</li><li><p>A loose list item is a paragraph.</p></li></ul><blockquote><p>A quoted paragraph is prose too.</p></blockquote>"""
    blocks = prose_blocks_from_html(html)
    assert texts(blocks) == [
        "Ask your care team about these things",
        "which side effects to watch for",
        "how to reach them",
        "A loose list item is a paragraph.",
        "A quoted paragraph is prose too.",
    ]
    assert [b.element.tag for b in blocks] == ["li", "li", "li", "p", "p"]


def test_html_entities_and_void_elements() -> None:
    html = "<p>It&rsquo;s a &ldquo;second&rdquo; infusion&nbsp;&mdash; given<br>again &amp; again&hellip; Then it&#8217;s done.<hr></p>"
    [found] = prose_blocks_from_html(html)
    assert found.text == "It’s a “second” infusion — given again & again… Then it’s done."
    assert [s.text for s in sentences_of(found)] == ["It’s a “second” infusion — given again & again…", "Then it’s done."]


def capture_tree(source: str) -> tuple[Element, list[str]]:
    """The element tree and HTML stash as a treeprocessor after Python-Markdown's inline step sees them."""
    seen: dict[str, Element] = {}

    class Capture(Treeprocessor):
        def run(self, root: Element) -> None:
            seen["root"] = root

    md = markdown.Markdown(extensions=EXTENSIONS)
    md.treeprocessors.register(Capture(md), "capture", 15)
    md.convert(source)
    return seen["root"], md.htmlStash.rawHtmlBlocks


def test_prose_blocks_on_a_python_markdown_tree() -> None:
    source = """## It's a heading

It's "the" study's result -- and it's certain... Mostly. A \\*starred\\* word.

<figure><figcaption>A raw HTML figure with a long caption sentence.</figcaption></figure>

- chills
- It is given *again* and again.
"""
    root, stash = capture_tree(source)
    blocks = prose_blocks(root, stash)
    assert texts(blocks) == ["It’s “the” study’s result – and it’s certain… Mostly. A *starred* word.", "It is given again and again."]
    assert [b.element.tag for b in blocks] == ["p", "li"]
    assert blocks[0].element in list(root.iter("p")) and blocks[1].element in list(root.iter("li"))
    # Without the stash, a placeholder between letters is nothing (it's), elsewhere a space: the counts hardly move.
    assert prose_blocks(root)[0].text == "Its the studys result and its certain Mostly. A *starred* word."


def test_citation_tokens_in_the_tree_are_left_out() -> None:
    root = Element("div")
    paragraph = SubElement(root, "p")
    paragraph.text = "This is called an infusion \x02citation:0\x03. It takes an hour\x02citation:1\x03."
    assert texts(prose_blocks(root)) == ["This is called an infusion. It takes an hour."]


# --- Sentences and grades ---------------------------------------------------------------------------------------------


def test_sentences_end_at_sentence_punctuation_before_a_capital_and_at_the_end_of_the_block() -> None:
    found = sentences_of(
        block("Dr. Lee saw 44 people, e.g. adults. The median was 6.5 months! Was it long? “Yes.” Fever: the main sign; then")
    )
    assert [s.text for s in found] == [
        "Dr. Lee saw 44 people, e.g. adults.",
        "The median was 6.5 months!",
        "Was it long?",
        "“Yes.”",
        "Fever: the main sign; then",
    ]
    assert [s.words for s in found] == [7, 5, 3, 1, 5]


def test_too_little_prose_has_no_grade() -> None:
    assert reading_level([block("Too short. Far too short.")]) is None
    assert reading_level([block("One two three four five six seven eight nine ten eleven twelve thirteen fourteen.")] * 2) is None


def test_plain_prose_grades_low_and_dense_prose_high() -> None:
    plain = [block("The cells find the cancer. They kill it. Some people get a fever. The team will watch you.")] * 4
    dense = [
        block(
            "Immunotherapeutic interventions utilising genetically engineered autologous lymphocytes demonstrated "
            "considerable heterogeneity regarding durability, necessitating comprehensive individualised consideration."
        )
    ] * 4
    easy, hard = reading_level(plain), reading_level(dense)
    assert easy is not None and easy.grade <= 4 and easy.hardest is None
    assert hard is not None and hard.grade > 12 and hard.grade == max(hard.flesch_kincaid, hard.smog)
    assert (easy.sentences, easy.words) == (16, 72)


def grade_of(sentences: list[Sentence]) -> float:
    level = reading_level([block(s.text) for s in sentences])
    assert level is not None
    return level.grade


def test_the_hardest_sentence_is_the_one_whose_removal_lowers_the_grade_most() -> None:
    paragraphs = [
        "You get the cells through a drip. It takes about an hour. A nurse stays with you.",
        "Doctors watch for immune effector cell-associated neurotoxicity syndrome afterwards. It can cause confusion.",
        "Most people go home after a few weeks. Some people need to stay longer in the hospital.",
    ]
    blocks = [block(text) for text in paragraphs]
    level = reading_level(blocks)
    assert level is not None and level.grade > MAXIMUM_GRADE
    assert level.hardest is not None
    assert level.hardest.text == "Doctors watch for immune effector cell-associated neurotoxicity syndrome afterwards."
    assert level.hardest.block is blocks[1]
    # The same answer by brute force: grade the page again without each sentence in turn.
    sentences = [s for b in blocks for s in sentences_of(b)]
    grades = [grade_of(sentences[:i] + sentences[i + 1 :]) for i in range(len(sentences))]
    assert grade_of([s for s in sentences if s != level.hardest]) == min(grades)
    assert grades.index(min(grades)) == sentences.index(level.hardest)


def test_ties_for_the_hardest_sentence_go_to_the_first() -> None:
    sentence = "Cytokine release syndrome and neurotoxicity are complications of immunotherapy."
    blocks = [block(" ".join([sentence] * 3)), block(" ".join([sentence] * 3))]
    level = reading_level(blocks)
    assert level is not None and level.hardest is not None
    assert level.hardest.block is blocks[0] and level.hardest == sentences_of(blocks[0])[0]


def test_it_is_linear_in_the_length_of_the_page() -> None:
    sentences = [f"Patient {n} had a fever and the team gave medicine to {n} people." for n in range(20_000)]
    level = reading_level([block(" ".join(sentences))])
    assert level is not None and level.sentences == 20_000 and level.words == 13 * 20_000


# --- Calibration against textstat on the site's own pages --------------------------------------------------------------

FIGURE_BLOCK = re.compile(r"^```[\w-]+\n.*?^```[ \t]*$", re.S | re.M)
CITATION = re.compile(r"\s*\[@[^\[\]\n]+\]")


def content_blocks(page: Path) -> list[ProseBlock]:
    """The page's prose as the brief of the calibration says: citations and figure blocks removed, glossary terms added."""
    _, front_matter, body = page.read_text(encoding="utf-8").split("---\n", 2)
    for term in yaml.safe_load(front_matter).get("terms") or []:
        body += f"\n\n## {term['term']}\n\n{term['definition']}\n"
    body = CITATION.sub("", FIGURE_BLOCK.sub("", body))
    return prose_blocks_from_html(markdown.markdown(body, extensions=EXTENSIONS))


PAGES = sorted(CONTENT.glob("*.md"))


def test_the_calibration_uses_at_least_20_real_paragraphs() -> None:
    counts = {page.stem: len(content_blocks(page)) for page in PAGES}
    assert len(counts) >= 6 and sum(counts.values()) >= 20 and min(counts.values()) >= 3, counts


@pytest.mark.parametrize("page", PAGES, ids=[page.stem for page in PAGES])
def test_grades_agree_with_textstat_within_one_grade(page: Path) -> None:
    textstat = pytest.importorskip("textstat", reason="textstat==0.7.3 is a test-only dependency")
    pyphen = pytest.importorskip("pyphen")
    textstat.set_rounding(False)  # its legacy rounding of the averages alone moves Flesch-Kincaid by up to 0.6
    blocks = content_blocks(page)
    sentences = [s for b in blocks for s in sentences_of(b)]
    ours = reading_level(blocks)
    assert ours is not None
    # The same sentences, each ended with a full stop where the block ended it; textstat ignores sentences of 1-2 words.
    text = " ".join(s.text if re.search(r"[.!?…]$", s.text) else s.text + "." for s in sentences)
    text = re.sub(r"(\d)\.(\d)", r"\1\2", text)  # textstat ends a sentence inside "WCAG 2.2"; a numeral is one word either way
    assert textstat.sentence_count(text) == len([s for s in sentences if s.words > 2])
    assert textstat.lexicon_count(text) == pytest.approx(ours.words, abs=2)
    hyphenation = pyphen.Pyphen(lang="en_US")
    textstat_syllables = {
        w: len(hyphenation.positions(re.sub(r"[^\w]", "", w.lower()))) + 1 for s in sentences for w in WORD.findall(s.text)
    }
    disagreements = sorted((w, syllables(w), n) for w, n in textstat_syllables.items() if syllables(w) != n)
    message = f"(word, ours, pyphen): {disagreements}"
    assert ours.flesch_kincaid == pytest.approx(textstat.flesch_kincaid_grade(text), abs=1.0), message
    assert ours.smog == pytest.approx(textstat.smog_index(text), abs=1.0), message


def test_glossary_definitions_are_measured_and_its_headings_are_not() -> None:
    terms = yaml.safe_load((CONTENT / "glossary.md").read_text(encoding="utf-8").split("---\n", 2)[1])["terms"]
    measured = texts(content_blocks(CONTENT / "glossary.md"))
    assert {term["definition"] for term in terms} <= {text.replace("“", '"').replace("”", '"').replace("’", "'") for text in measured}
    assert not {term["term"] for term in terms} & set(measured)


# --- Spanish: the INFLESZ scale, calibrated against textstat's Spanish formulas ------------------------------------------

SPANISH_SYLLABLES = {
    1: "sí sol mes pie tres hay muy y que gen sus las vez guion",
    2: "cielo ciudad leer día caso fiebre cáncer sangre aún huevo mayo una",
    3: "células médico infusión personas respuesta reúne glóbulo equipo",
    4: "proteína tratamiento linfocitos refractario infusiones",
    5: "quimioterapia linfodepleción",
}


def test_spanish_syllables_of_words_with_known_counts() -> None:
    wrong = [
        (word, known, spanish_syllables(word))
        for known, words in SPANISH_SYLLABLES.items()
        for word in words.split()
        if spanish_syllables(word) != known
    ]
    assert wrong == [], "(word, by the rules of Spanish spelling, ours)"


SPANISH_PAGES = sorted(p for p in (CONTENT / "es").glob("*.md") if "reading_level_exempt: true" not in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", SPANISH_PAGES, ids=[page.stem for page in SPANISH_PAGES])
def test_spanish_grades_agree_with_textstat(page: Path) -> None:
    textstat = pytest.importorskip("textstat", reason="textstat==0.7.3 is a test-only dependency")
    pyphen = pytest.importorskip("pyphen")
    textstat.set_rounding(False)
    textstat.set_lang("es")
    try:
        blocks = content_blocks(page)
        sentences = [s for b in blocks for s in sentences_of(b, "es")]
        ours = reading_level(blocks, language="es")
        assert ours is not None and ours.spanish
        text = " ".join(s.text if re.search(r"[.!?…]$", s.text) else s.text + "." for s in sentences)
        text = re.sub(r"(\d)\.(\d)", r"\1\2", text)
        assert textstat.lexicon_count(text) == pytest.approx(ours.words, abs=3)
        # textstat counts syllables with pyphen's Spanish hyphenation dictionary, which never splits off one letter at a
        # word's edge nor a hiatus (u-na, e-qui-po, dí-a: 1, 2 and 1 for pyphen), and misses a few other breaks
        # (oxí-geno). Every word where the counts differ is such a word, one syllable short in pyphen's count, or two
        # when it has two of them (ó-se-a: 1 for pyphen; o-xí-ge-no: 2); with pyphen's counts, the formulas agree.
        hyphenation = pyphen.Pyphen(lang="es")
        words = [w for s in sentences for w in WORD.findall(s.text)]
        theirs = {w: len(hyphenation.positions(re.sub(r"[^\w]", "", w.lower()))) + 1 for w in words}
        assert sorted({(w, n) for w, n in theirs.items() if not 0 <= spanish_syllables(w) - n <= 2}) == []
        counted = sum(theirs[w] for w in words)
        assert szigriszt_pazos(len(words), len(sentences), counted) == pytest.approx(textstat.szigriszt_pazos(text), abs=1.0)
        assert fernandez_huerta(len(words), len(sentences), counted) == pytest.approx(textstat.fernandez_huerta(text), abs=1.0)
        # The difference is pyphen's shortfall alone: our grade is below textstat's by at most 8 points, never above it.
        assert 0 <= textstat.szigriszt_pazos(text) - ours.inflesz <= 8
    finally:
        textstat.set_lang("en_US")


def test_the_spanish_pages_are_calibrated_on_enough_prose() -> None:
    assert SPANISH_PAGES and sum(len(content_blocks(page)) for page in SPANISH_PAGES) >= 20


def test_the_hardest_pages_of_a_large_site_are_ranked_by_how_near_each_is_to_its_languages_limit() -> None:
    from sitegen.commands.cli import _reading_summary
    from sitegen.markup.readability import ReadingLevel
    from sitegen.render.rendering import PageReading

    english = [PageReading(f"content/p{i}.md", ReadingLevel(4.0, 5.0, 10, 100), 1) for i in range(12)]
    spanish = PageReading("content/es/dificil.md", ReadingLevel(0, 0, 10, 120, language="es", inflesz=56.0), 1)
    summary = _reading_summary([*english, spanish])
    assert summary.startswith(
        "13 pages, median 4/5 (English, 12), INFLESZ 56 (Spanish, 1); hardest: content/es/dificil.md INFLESZ 56, content/p0.md 4/5"
    ), summary


def test_a_site_in_one_language_has_one_median() -> None:
    from sitegen.commands.cli import _reading_summary
    from sitegen.markup.readability import ReadingLevel
    from sitegen.render.rendering import PageReading

    pages = [PageReading(f"content/p{i}.md", ReadingLevel(float(i), 5.0, 10, 100), 1) for i in range(13)]
    assert _reading_summary(pages).startswith("13 pages, median 6/5; hardest: content/p12.md 12/5"), _reading_summary(pages)
