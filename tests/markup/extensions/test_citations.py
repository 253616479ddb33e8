"""The citation extension, as Markdown in and HTML out."""

from markdown.test_tools import TestCase

from tests.markup.extensions.conftest import converter, keys


def cite(number: int) -> str:
    return f'<a href="#source-note-{number}"><span class="visually-hidden">source </span>{number}</a>'


class TestCitations(TestCase):
    def convert(self, text: str, first_line: int = 1):
        return converter(["gauthier2021", "msd_response", "acs_cart"]).render(text, "content/page.md", first_line)

    def test_single_citation_becomes_numbered_superscript_link(self):
        result = self.convert("About 39 out of 100 people (39%) [@gauthier2021].")
        self.assertEqual(result.html, f'<p>About 39 out of 100 people (39%) <sup class="citation">[{cite(1)}]</sup>.</p>')
        self.assertEqual(keys(result), ("gauthier2021",))
        self.assertEqual(result.problems, ())

    def test_several_keys_in_one_citation(self):
        result = self.convert("Complete response [@msd_response; @gauthier2021].")
        self.assertEqual(result.html, f'<p>Complete response <sup class="citation">[{cite(1)}, {cite(2)}]</sup>.</p>')
        self.assertEqual(keys(result), ("msd_response", "gauthier2021"))

    def test_numbers_follow_first_citation_and_repeat_for_the_same_source(self):
        result = self.convert("A [@acs_cart]. B [@gauthier2021]. C [@acs_cart].")
        self.assertEqual(
            result.html,
            f'<p>A <sup class="citation">[{cite(1)}]</sup>. B <sup class="citation">[{cite(2)}]</sup>. '
            f'C <sup class="citation">[{cite(1)}]</sup>.</p>',
        )

    def test_unknown_key_is_an_error_at_its_file_and_line_with_a_suggestion(self):
        result = self.convert("First line.\n\nSee [@gauthier2012].", first_line=10)
        self.assertEqual(
            [str(p) for p in result.problems], ["content/page.md:12: unknown source '@gauthier2012' (did you mean 'gauthier2021'?)"]
        )
        self.assertEqual(keys(result), ())

    def test_citation_inside_a_table_cell(self):
        result = self.convert("| Cancer | Complete response |\n|---|---|\n| CLL | 22% [@gauthier2021] |")
        self.assertIn(f'<td>22% <sup class="citation">[{cite(1)}]</sup></td>', result.html)

    def test_malformed_citation_is_reported(self):
        result = self.convert("See [@gauthier2021 p. 4].")
        self.assertEqual(
            [str(p) for p in result.problems],
            ["content/page.md:1: cannot read citation '[@gauthier2021 p. 4]': write [@key], [@key, p. 12] or [@key1; @key2]"],
        )

    def test_a_citation_in_backticks_is_shown_as_code_and_reported(self):
        result = self.convert("Write `[@gauthier2021]` to cite.\n\n```\n[@nothing]\n```")
        self.assertEqual(
            [str(p) for p in result.problems],
            [
                "content/page.md:1: warning: the citation [@gauthier2021] is inside backticks, so it is shown as code, "
                "not as a citation: remove the backticks"
            ],
        )
        self.assertIn("<code>[@gauthier2021]</code>", result.html)

    def test_a_source_id_in_brackets_without_the_at_gets_did_you_mean(self):
        result = self.convert("First line.\n\nOne [gauthier2021], a [note], [a link](x.html) and `[acs_cart]`.\n\n- [msd_response]", 4)
        self.assertEqual(
            [str(p) for p in result.problems],
            [
                "content/page.md:6: [gauthier2021] is shown on the page as it is, not as a citation: did you mean [@gauthier2021]?",
                "content/page.md:8: [msd_response] is shown on the page as it is, not as a citation: did you mean [@msd_response]?",
            ],
        )

    def test_state_is_cleared_between_documents(self):
        md = converter(["gauthier2021", "acs_cart"])
        md.render("[@acs_cart]")
        second = md.render("[@gauthier2021]")
        self.assertEqual(keys(second), ("gauthier2021",))
        self.assertIn(cite(1), second.html)


class TestPageLinks(TestCase):
    def test_links_to_markdown_files_point_at_built_pages(self):
        md = converter(pages={"side-effects.md": "side-effects.html"})
        result = md.render("Read about [side effects](side-effects.md#severe-crs).", "content/index.md", 5)
        self.assertEqual(result.html, '<p>Read about <a href="side-effects.html#severe-crs">side effects</a>.</p>')
        self.assertEqual(result.problems, ())

    def test_the_hint_for_a_missing_page_keeps_an_apostrophe_in_its_name(self):
        md = converter(pages={"don't-panic.md": "don't-panic.html"})
        result = md.render("Text\n[calm](dont-panic.md)", "content/index.md", 5)
        self.assertEqual(
            [str(p) for p in result.problems],
            ["content/index.md:6: link to 'dont-panic.md', but there is no such page (did you mean 'don't-panic.md'?)"],
        )

    def test_link_to_a_missing_page_is_an_error(self):
        md = converter(pages={"side-effects.md": "side-effects.html"})
        result = md.render("Text\n[side effects](side-efects.md)", "content/index.md", 5)
        self.assertEqual(
            [str(p) for p in result.problems],
            ["content/index.md:6: link to 'side-efects.md', but there is no such page (did you mean 'side-effects.md'?)"],
        )

    def test_external_links_are_untouched(self):
        result = converter().render("[PubMed](https://pubmed.ncbi.nlm.nih.gov/readme.md)")
        self.assertEqual(result.html, '<p><a href="https://pubmed.ncbi.nlm.nih.gov/readme.md">PubMed</a></p>')
        self.assertEqual(result.problems, ())
