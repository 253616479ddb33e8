"""A review is of what the reviewer saw: `build.py review` needs the page's review code from the packet, tells a
mistyped code from a page that changed since the packet, and then shows the changed words."""

from __future__ import annotations

import datetime
import hashlib
import os
import time
from pathlib import Path

import pytest

from sitegen.review import seen
from sitegen.review.code import ALPHABET, LENGTH, distance, is_well_formed, normalise, review_code
from tests.conftest import Project, page
from tests.load.test_review_records import REVIEW, SETTINGS, SOURCES, packet_code

TEXT = "About 5 out of 100 people had a side effect [@test_article].\n\nSecond paragraph."
NOT_RECORDED = "content/index.md:1: the review was not recorded"


@pytest.fixture
def site(project: Project) -> Project:
    project.write("content/_site.yml", SETTINGS)
    project.write("content/sources.md", SOURCES)
    project.write("content/index.md", page(body=TEXT))
    return project


def review_with(site: Project, capsys: pytest.CaptureFixture[str], *code: str) -> tuple[int, str, str]:
    return site.build(*REVIEW, *code, capsys=capsys)


def mistype(code: str) -> str:
    """code with its sixth character (the second of its second group) typed wrong."""
    wrong = next(c for c in ALPHABET if c != code[5])
    return code[:5] + wrong + code[6:]


def edit(site: Project, old: str, new: str) -> None:
    path = site.content / "index.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_the_packet_prints_each_pages_review_code(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code = packet_code(site, capsys)
    assert len(code) == 14 and is_well_formed(normalise(code))
    packet = (site.root / "packet" / "index.html").read_text(encoding="utf-8")
    assert f'<p class="code">Review code <code class="review-code">{code}</code></p>' in packet
    assert (
        '<p class="command">python3 build.py review content/index.md --name "NAME" --credentials "CREDENTIALS" '
        f'--scope "WHAT WAS CHECKED" --code {code}</p>'
    ) in packet
    status, _, err = site.build("review-packet", "--out", str(site.root / "packet"), capsys=capsys)
    assert status == 0, err
    index = (site.root / "packet" / "index.html").read_text(encoding="utf-8")
    assert f"Review code <code>{code}</code>.</p>" in index  # in the list of pages on the packet's first page


def test_review_without_the_code_is_refused_and_the_page_is_unchanged(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    packet_code(site, capsys)
    before = (site.content / "index.md").read_bytes()
    status, out, err = review_with(site, capsys)
    assert (status, out) == (1, "")
    assert err == (
        "content/index.md:1: the review code is missing, so the review was not recorded: a review records the page as the "
        "reviewer saw it. Add --code and the review code printed for this page in the packet the reviewer signed off (three "
        "groups of four letters and digits). If there is no packet yet, make one: `python3 build.py review-packet content/index.md`\n"
    )
    assert (site.content / "index.md").read_bytes() == before


def test_the_code_from_the_packet_records_the_review(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code = packet_code(site, capsys)
    status, out, err = review_with(site, capsys, "--code", " " + code.lower().replace("-", " ") + " ")  # as a person may type it
    assert status == 0, err
    assert out.startswith("Recorded the review by Test Reviewer (medical accuracy) on 2026-03-01 in content/index.md")


def test_the_pages_whole_fingerprint_is_taken_as_its_code(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code = packet_code(site, capsys)
    status, _, err = review_with(site, capsys, "--code", "2222-2222-2222")
    assert status == 1
    status, out, err = review_with(site, capsys, "--code", code)
    text = (site.content / "index.md").read_text(encoding="utf-8")
    fingerprint = text[text.index("sha256:") :].split()[0]
    assert review_code(fingerprint) == code
    edit(site, "medical accuracy", "plain language")
    status, _, err = site.build(*REVIEW[:-1], "plain language", "--fingerprint", fingerprint, capsys=capsys)
    assert status == 0, err


def test_a_mistyped_code_is_called_mistyped_and_the_closest_code_given(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code = packet_code(site, capsys)
    before = (site.content / "index.md").read_bytes()
    status, _, err = review_with(site, capsys, "--code", mistype(code))
    assert status == 1
    assert err == (
        f"content/index.md:1: the review code '{mistype(code)}' is mistyped: the closest review code of this page is {code}. "
        "Check it against the packet, then type it again\n"
    )
    assert (site.content / "index.md").read_bytes() == before


def test_a_code_close_to_no_code_is_mistyped_too(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    packet_code(site, capsys)
    status, _, err = review_with(site, capsys, "--code", "HELLO")
    assert status == 1
    assert err == (
        "content/index.md:1: the review code 'HELLO' is mistyped: it is not this page's code, nor close to it. Copy the code "
        "printed under this page's title in the packet: three groups of four letters and digits\n"
    )


def test_a_page_changed_since_the_packet_is_refused_with_the_changed_words(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code = packet_code(site, capsys)
    edit(site, "About 5 out of 100 people had a side", "About 5 out of 100 adults had a mild side")
    edit(site, "\ntitle: Home", "\ntitle: Home page")
    before = (site.content / "index.md").read_bytes()
    status, out, err = review_with(site, capsys, "--code", code)
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"content/index.md:1: the page has changed since its review packet was made on 1 March 2026 (review code {code}): the "
        "reviewer did not see it as it is now, so the review was not recorded. Make a new packet "
        "(`python3 build.py review-packet content/index.md`) and have the changes reviewed. What changed:",
        "content/index.md:2: changed: Title: Home [added: page]",
        "content/index.md:18: changed: About 5 out of 100 [removed: people] [added: adults] had a [added: mild] side effect "
        "[@test_article].",
    ]
    assert (site.content / "index.md").read_bytes() == before


def test_a_mistyped_code_of_an_earlier_packet_is_both(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code = packet_code(site, capsys)
    edit(site, "Second paragraph.", "Second paragraph, changed.")
    status, _, err = review_with(site, capsys, "--code", mistype(code))
    assert status == 1
    assert err.splitlines()[0] == (
        f"content/index.md:1: the review code '{mistype(code)}' is mistyped: the closest is {code}, from the review packet made on "
        "1 March 2026"
    )
    assert err.splitlines()[-1] == "content/index.md:20: changed: Second [removed: paragraph.] [added: paragraph, changed.]"


def test_a_change_to_a_cited_source_or_the_caveat_is_shown_too(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code = packet_code(site, capsys)
    site.write("content/sources.md", SOURCES.replace("year: 2020", "year: 2021"))
    site.write("content/_site.yml", SETTINGS.replace("is not yet known.", "is still unknown."))
    status, _, err = review_with(site, capsys, "--code", code)
    assert status == 1
    assert err.splitlines()[1:] == [
        "content/index.md:1: changed: the caveat that every page shows (in the site settings): Long-term survival after a second "
        "infusion is [removed: not yet known.] [added: still unknown.]",
        "content/index.md:1: changed: the details of the cited source 'test_article' changed (year), in the list of sources",
    ]


def test_the_code_of_another_page_is_named_as_such(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = site.build("review-packet", "content/sources.md", "--out", str(site.root / "packet"), capsys=capsys)
    assert status == 0, err
    other = (site.root / "packet" / "index.html").read_text(encoding="utf-8")
    code = other[other.index("--code ") + 7 :][:14]
    status, _, err = review_with(site, capsys, "--code", code)
    assert status == 1
    assert err == (
        f"content/index.md:1: the review code {code} is the code of content/sources.md, in the review packet made on "
        "1 March 2026, not of this page: record each page's review with the code printed for that page\n"
    )


def test_a_code_of_a_packet_made_elsewhere_says_the_page_changed(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """Without the record of the packet (made on another computer, or the folder deleted), a well-formed code that is
    not the page's code now is still told apart from a mistype by its check character."""
    code = packet_code(site, capsys)
    edit(site, "Second paragraph.", "Second paragraph, changed.")
    for record in (site.root / ".review-packets").iterdir():
        record.write_text("not a record", encoding="utf-8")  # a damaged record is ignored, never a traceback
    status, _, err = review_with(site, capsys, "--code", code)
    assert status == 1
    assert err == (
        f"content/index.md:1: the review code {code} is not this page's code now: the page has changed since the packet with "
        "this code was made (or the code is another page's), so the review was not recorded. Make a new packet "
        "(`python3 build.py review-packet content/index.md`) and have it reviewed. No copy of the text that packet was made "
        "from is kept on this computer, so the changes cannot be shown\n"
    )


def test_every_single_wrong_character_and_swap_is_known_as_a_mistype_from_the_code_alone() -> None:
    codes = [normalise(review_code("sha256:" + hashlib.sha256(str(n).encode()).hexdigest())) for n in range(200)]
    assert all(len(code) == LENGTH and is_well_formed(code) for code in codes)
    for code in codes:
        for index in range(LENGTH):
            for other in ALPHABET.replace(code[index], ""):
                assert not is_well_formed(code[:index] + other + code[index + 1 :])
            if index + 1 < LENGTH and code[index] != code[index + 1]:
                swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
                assert not is_well_formed(swapped) and distance(code, swapped) == 1
    assert not set("".join(codes)) & set("01ILOSU")


def test_the_newest_records_of_each_page_are_kept(tmp_path: Path) -> None:
    folder, start = tmp_path / ".review-packets", time.time() - 1000
    seen_text = seen.SeenText(("Title: Home",), {}, "Caveat.", None)
    codes = [normalise(review_code("sha256:" + hashlib.sha256(str(n).encode()).hexdigest())) for n in range(seen.KEEP_PER_PAGE + 2)]
    for index, code in enumerate(codes):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=index)
        assert seen.write_records(folder, [seen.PacketRecord("index.md", code, "sha256:x", day, seen_text)]) is None
        os.utime(next(folder.glob(f"*-{code}.json")), (start + index, start + index))
    assert seen.write_records(folder, [seen.PacketRecord("other.md", codes[0], "sha256:x", datetime.date(2026, 1, 1), seen_text)]) is None
    assert [r.code for r in seen.records_of(folder, "index.md")] == codes[2:][::-1]
    assert seen.read_record(folder, codes[0]).page == "other.md"  # the oldest of index.md's went; other.md's stays
    assert seen.read_record(folder, codes[5], "index.md").made_on == datetime.date(2026, 1, 6)
