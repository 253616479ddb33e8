"""Glossary links: the first use of each term or abbreviation on a page links to its glossary entry."""

from markdown.test_tools import TestCase

from sitegen.model import GlossaryEntry
from tests.markup.extensions.conftest import converter

GLOSSARY = [
    GlossaryEntry("Cytokine release syndrome", "glossary.html#term-cytokine-release-syndrome", "CRS"),
    GlossaryEntry("Acute lymphoblastic leukemia", "glossary.html#term-acute-lymphoblastic-leukemia", "ALL"),
    GlossaryEntry("Complete response", "glossary.html#term-complete-response"),
]


def link(term: str, text: str) -> str:
    return f'<a class="term" href="glossary.html#term-{term}">{text}</a>'


def abbreviation(term: str, title: str, text: str) -> str:
    return link(term, f'<abbr title="{title}">{text}</abbr>')


class TestGlossaryLinks(TestCase):
    def convert(self, text: str, link_glossary: bool = True) -> str:
        return converter(glossary=GLOSSARY).render(text, link_glossary=link_glossary, output_path="page.html").html

    def test_first_use_of_a_term_links_to_its_entry_whatever_its_case(self):
        self.assertEqual(
            self.convert("A complete response. Another Complete response."),
            f"<p>A {link('complete-response', 'complete response')}. Another Complete response.</p>",
        )

    def test_abbreviation_is_marked_up_and_linked_once_per_term(self):
        self.assertEqual(
            self.convert("CRS is common. Cytokine release syndrome means CRS."),
            '<p><a class="term" href="glossary.html#term-cytokine-release-syndrome"><abbr title="Cytokine release syndrome">CRS</abbr></a>'
            " is common. Cytokine release syndrome means CRS.</p>",
        )

    def test_abbreviations_match_only_in_capitals(self):
        self.assertEqual(
            self.convert("We all know ALL."),
            '<p>We all know <a class="term" href="glossary.html#term-acute-lymphoblastic-leukemia">'
            '<abbr title="Acute lymphoblastic leukemia">ALL</abbr></a>.</p>',
        )

    def test_several_terms_in_one_text_and_inside_emphasis(self):
        self.assertEqual(
            self.convert("ALL and *complete response* and CRS."),
            f"<p>{abbreviation('acute-lymphoblastic-leukemia', 'Acute lymphoblastic leukemia', 'ALL')}"
            f" and <em>{link('complete-response', 'complete response')}</em> and "
            f"{abbreviation('cytokine-release-syndrome', 'Cytokine release syndrome', 'CRS')}.</p>",
        )

    def test_headings_links_and_code_are_left_alone(self):
        self.assertEqual(
            self.convert("## Complete response\n\n[CRS](https://example.org) and `ALL`.\n\nComplete response."),
            '<h2 id="complete-response">Complete response</h2>\n'
            '<p><a href="https://example.org">CRS</a> and <code>ALL</code>.</p>\n'
            f"<p>{link('complete-response', 'Complete response')}.</p>",
        )

    def test_parts_of_longer_words_are_not_matched(self):
        self.assertEqual(self.convert("CRSX and ALL-IN and pre-CRS."), "<p>CRSX and ALL-IN and pre-CRS.</p>")

    def test_the_glossary_page_itself_is_not_linked(self):
        self.assertEqual(self.convert("Complete response.", link_glossary=False), "<p>Complete response.</p>")

    def test_each_page_starts_afresh(self):
        md = converter(glossary=GLOSSARY)
        md.render("Complete response.")
        self.assertIn('class="term"', md.render("Complete response.").html)
