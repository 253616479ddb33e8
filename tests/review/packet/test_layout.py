"""The packet's layout on printed pages (sitegen/review/packet/layout.py): heights as upper bounds, sheets that never
end with a heading, and a block longer than what is left of a page split between its parts. Chromium checks the
result in tests/quality/test_review_packet_quality.py."""

from __future__ import annotations

from sitegen.review.packet.layout import PAGE_HEIGHT, SAFETY, Item, block_height, lay_out

RUNNING = '<p class="running">Review packet · page 1 of 1</p>'


def test_text_takes_a_line_more_once_it_is_wider_than_a_line() -> None:
    # "mmmmm" is 4.87 em of DejaVu Sans: nine of them and their spaces fill a 30 pt-indented line of 10 pt text (taken 3% wider).
    nine, ten = ("mmmmm " * 9).strip(), ("mmmmm " * 10).strip()
    assert block_height(f'<p class="gutter">{nine}</p>') == 14 + 4
    assert block_height(f'<p class="gutter">{ten}</p>') == 2 * 14 + 4
    assert block_height(f'<p class="gutter"><b>{nine}</b></p>') == 2 * 14 + 4  # bold is wider


def test_a_web_address_breaks_after_its_hyphens_as_a_browser_breaks_it() -> None:
    """Not anywhere: a browser breaks at a hyphen where it can, which leaves part of a line empty."""
    with_hyphens = "https://example.org/" + "-".join(["abcdefghij"] * 20)
    without = "https://example.org/" + "x".join(["abcdefghij"] * 20)
    assert block_height(f"<p>{with_hyphens}</p>") >= block_height(f"<p>{without}</p>")
    assert block_height(f"<p>word {without}</p>") == block_height(f"<p>{without}</p>") + 14  # it starts on a line of its own


def test_what_is_not_printed_takes_no_room() -> None:
    assert block_height('<p class="gutter"><span class="ln">12</span>Text</p>') == block_height('<p class="gutter">Text</p>')
    assert block_height('<p class="tick"><input type="checkbox" id="a"><label for="a">Text</label></p>') == 14 + 5


def test_a_heading_never_ends_a_sheet() -> None:
    line = block_height("<p>A line.</p>")
    budget = PAGE_HEIGHT - SAFETY - block_height(RUNNING)
    filler = [Item("<p>A line.</p>")] * int((budget - 20) // line)  # leaves less room than a heading and a line take
    sheets = lay_out([*filler, Item("<h2>A heading</h2>", keep_with_next=True), Item("<p>Its text.</p>")], RUNNING)
    assert [len(sheet) for sheet in sheets] == [len(filler), 2]
    assert sheets[1][0][1] == "<h2>A heading</h2>"


def test_a_block_longer_than_the_rest_of_a_sheet_goes_on_over_the_next() -> None:
    sentences = [f"Sentence {n} of a very long paragraph, which goes on and on." for n in range(200)]

    def part(start: int, end: int) -> str:
        return f'<p class="gutter">{" ".join(sentences[start:end])}</p>'

    sheets = lay_out([Item("<h1>Title</h1>"), Item(part(0, 200), count=200, part=part)], RUNNING)
    assert len(sheets) >= 3
    placed = [html for sheet in sheets for _, html, _ in sheet][1:]
    assert " ".join(html.removeprefix('<p class="gutter">').removesuffix("</p>") for html in placed) == " ".join(sentences)
    budget = PAGE_HEIGHT - SAFETY - block_height(RUNNING)
    assert all(sum(block_height(html) for _, html, _ in sheet) <= budget for sheet in sheets)
