"""The every-number-cites-a-source check, as Markdown in and warnings out."""

from markdown.test_tools import TestCase

from tests.markup.extensions.conftest import converter


class TestNumbersNeedSources(TestCase):
    def warnings(self, text: str) -> list[str]:
        return [str(p) for p in converter(["gauthier2021"]).render(text, "content/page.md", 20).problems]

    def test_percentage_without_citation_warns_at_its_line(self):
        self.assertEqual(
            self.warnings("Intro.\n\nAbout 39 out of 100 people (39%) had a response."),
            [
                "content/page.md:22: warning: '39 out of 100' has no citation in the same paragraph, list item or table cell; "
                "add one such as [@key]"
            ],
        )

    def test_citation_anywhere_in_the_same_paragraph_is_enough(self):
        self.assertEqual(self.warnings("About 39 out of 100 people (39%)\nhad a response [@gauthier2021]."), [])

    def test_each_list_item_needs_its_own_citation(self):
        text = "- Complete response: 20% [@gauthier2021]\n- Severe CRS: 9%\n- No numbers here"
        self.assertEqual(
            self.warnings(text),
            ["content/page.md:21: warning: '9%' has no citation in the same paragraph, list item or table cell; add one such as [@key]"],
        )

    def test_each_table_cell_needs_its_own_citation(self):
        text = "| Cancer | Complete response |\n|---|---|\n| CLL | 22% [@gauthier2021] |\n| NHL | 19% |"
        self.assertEqual(
            self.warnings(text),
            ["content/page.md:23: warning: '19%' has no citation in the same paragraph, list item or table cell; add one such as [@key]"],
        )

    def test_a_citation_in_the_next_paragraph_does_not_count(self):
        self.assertEqual(len(self.warnings("It was 11 percent.\n\nSee [@gauthier2021].")), 1)

    def test_numbers_in_code_and_plain_counts_are_left_alone(self):
        self.assertEqual(self.warnings("Write `39%` like this.\n\nThere are 3 pages.\n\n```\n20%\n```"), [])
