"""The review packet: the real efficacy page's cited numbers highlighted, what changed since a review (from git), refusals."""

from __future__ import annotations

import html as entities
import re
import subprocess
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from tests.conftest import REAL_AS_OF, REPO, Project, page
from tests.test_review_records import SETTINGS, SOURCES, review

AS_OF = REAL_AS_OF.isoformat()  # the real content, as of the day it was last reviewed
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-"})


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, one space between words, plain quotes."""
    without_citations = re.sub(r'<sup class="citation">.*?</sup>', "", fragment, flags=re.S)
    text = " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", without_citations)).split())
    return re.sub(r" (?=[.,:;)\]])", "", text).translate(QUOTES)


def marks(packet_html: str) -> list[str]:
    return [text_of(m) for m in re.findall(r"<mark>(.*?)</mark>", packet_html, flags=re.S)]


def claim_containing(packet_html: str, sentence: str) -> str:
    """The claim block (the sentence, its sources and its tick box) whose highlighted text is sentence."""
    for block in re.findall(r'<div class="claim">.*?<p class="tick">.*?</p>', packet_html, flags=re.S):
        if text_of(re.search(r"<mark>(.*?)</mark>", block, flags=re.S).group(1)) == sentence:
            return block
    raise AssertionError(f"no highlighted sentence {sentence!r}")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built into ROOT/site, and the review packet of its efficacy page in ROOT/packet."""
    root = tmp_path_factory.mktemp("efficacy")
    common = ["--as-of", AS_OF, "--content", str(REPO / "content"), "--templates", str(REPO / "templates")]
    assert main([*common, "--site", str(root / "site")]) == 0
    packet = ["review-packet", str(REPO / "content" / "efficacy.md"), "--out", str(root / "packet")]
    assert main([*packet, *common, "--site", str(root / "site")], project_root=root) == 0  # what it showed is kept in root
    return root


@pytest.fixture(scope="module")
def efficacy(real: Path) -> tuple[str, str]:
    """The real efficacy page as the site shows it (its content), and its page of the review packet."""
    root = real
    site_html = (root / "site" / "efficacy.html").read_text(encoding="utf-8")
    content = site_html[site_html.index('<div class="content">') : site_html.index('<section class="page-review"')]
    return content, (root / "packet" / "pages" / "efficacy.html").read_text(encoding="utf-8")


def test_packet_highlights_every_sentence_with_a_cited_number_on_the_efficacy_page(efficacy: tuple[str, str]) -> None:
    content, packet = efficacy
    highlighted = marks(packet)
    content = re.sub(r"<figure.*?</figure>", "", content, flags=re.S)
    checked = 0
    for block in re.findall(r"<(p|li|td)>(.*?)</\1>", content, flags=re.S):
        if 'class="citation"' not in block[1]:
            continue
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text_of(block[1])):
            if re.search(r"\d", sentence):
                checked += 1
                assert any(sentence in mark for mark in highlighted), f"not highlighted: {sentence!r}"
    assert checked >= 25  # the page's numbers: 44 people, 14, 9 and 21 people, 39, 61, 20 and 80 out of 100, the table, 6 months ...


def test_packet_highlights_the_figures_numbers_too(efficacy: tuple[str, str]) -> None:
    highlighted = marks(efficacy[1])
    for sentence in (
        "About 39 out of 100 people had their cancer shrink or disappear.",
        "CLL (9 people): 22%",
        "NHL: 6 months",
    ):
        assert sentence in highlighted


def test_each_highlighted_sentence_has_its_full_reference_links_locator_and_tick_box(efficacy: tuple[str, str]) -> None:
    claim = claim_containing(efficacy[1], "About 61 out of 100 did not.")
    assert text_of(claim) == (
        "About 61 out of 100 did not. line 43 [1] Gauthier J, et al. Factors associated with outcomes after a second CD19-targeted "
        "CAR T-cell infusion for refractory B-cell malignancies. Blood. 2021;137(3):323-335. DOI 10.1182/blood.2020006770 · "
        "PubMed 32967009 · Free full text PMC7819764 Where in the source: not given. Checked against the source"
    )
    assert '<a href="https://doi.org/10.1182/blood.2020006770">' in claim
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/32967009/">' in claim
    assert re.search(r'<input type="checkbox" id="(claim-\d+)"><label for="\1">Checked against the source</label>', claim)


def test_packet_lists_open_questions_of_the_efficacy_page(efficacy: tuple[str, str]) -> None:
    packet = efficacy[1]
    questions = text_of(
        packet[packet.index('<section aria-labelledby="questions">') : packet.index('<section aria-labelledby="sign-off">')]
    )
    assert "Numbers without a citation None: every number on this page cites a source." in questions
    assert re.search(
        r"\[1\] Factors associated with outcomes after a second CD19-targeted CAR T-cell infusion for refractory B-cell malignancies: "
        r"cited by \d+ sentences with no locator\. The source's pages are 323-335\.",
        questions,
    )
    assert "Clinical review now Clinical review: not yet done." in text_of(packet)
    assert "This page has no clinical review yet, so there is nothing to compare with." in text_of(packet)


def test_no_page_of_the_real_site_claims_a_clinical_review(real: Path) -> None:
    """No clinician has reviewed this site: every page says so, and its data names no reviewer."""
    pages = sorted((real / "site").glob("*.html"))
    assert len(pages) >= 8
    for built in pages:
        html = built.read_text(encoding="utf-8")
        if 'class="page-review"' not in html:
            continue
        assert "<p>Clinical review: not yet done.</p>" in html, built.name
        assert '"reviewedBy"' not in html and '"lastReviewed"' not in html, built.name
    for source in sorted((REPO / "content").glob("*.md")):
        assert "\nreviewed_by: []\n" in source.read_text(encoding="utf-8"), source.name


@pytest.fixture
def site(project: Project) -> Project:
    project.write("content/_site.yml", SETTINGS)
    project.write("content/sources.md", SOURCES)
    project.write("content/index.md", page(body="About 5 out of 100 people had a side effect [@test_article].\n\nSecond paragraph."))
    return project


def git(folder: Path, *args: str) -> str:
    command = ["git", "-C", str(folder), "-c", "user.name=Test Reviewer", "-c", "user.email=test@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def packet_page(site: Project, capsys: pytest.CaptureFixture[str]) -> str:
    status, _, err = site.build("review-packet", "--out", str(site.root / "packet"), capsys=capsys)
    assert status == 0, err
    return (site.root / "packet" / "pages" / "index.html").read_text(encoding="utf-8")


def changes_section(packet: str) -> str:
    return packet[packet.index('<section aria-labelledby="changes">') : packet.index('<section aria-labelledby="text">')]


def test_packet_shows_a_word_diff_of_what_changed_since_the_review(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    git(site.root, "init", "-q")
    git(site.root, "add", "content")
    git(site.root, "commit", "-q", "-m", "The page as the reviewer saw it")
    status, out, err = review(site, capsys)
    assert status == 0 and err == "", err
    head = git(site.root, "rev-parse", "HEAD")
    assert f"commit {head[:12]}." in out
    assert f"    commit: {head}\n" in (site.content / "index.md").read_text()
    path = site.content / "index.md"
    path.write_text(path.read_text().replace("About 5 out of 100 people had a side", "About 6 out of 100 people had a mild side"))
    site.write("content/sources.md", SOURCES.replace("year: 2020", "year: 2021").replace("value: 5%", "value: 6%"))

    changes = changes_section(packet_page(site, capsys))
    assert f"Compared with the text that Test Reviewer reviewed on 1 March 2026 (git commit {head[:12]})." in text_of(changes)
    assert "7 other paragraphs did not change." in text_of(changes)
    removed = [text_of(m) for m in re.findall(r"<del>(.*?)</del>", changes, flags=re.S)]
    added = [text_of(m) for m in re.findall(r"<ins>(.*?)</ins>", changes, flags=re.S)]
    assert removed == ["[removed: 5]"]
    assert added == ["[added: 6]", "[added: mild]"]
    assert "The data of this cited source changed: test_article." in text_of(changes)


def test_packet_shows_the_urgent_help_box_and_says_when_its_emergency_number_changed(
    site: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    site.write("content/index.md", page(body="About 5 out of 100 people had side effects [@test_article]."))
    git(site.root, "init", "-q")
    git(site.root, "add", "content")
    git(site.root, "commit", "-q", "-m", "The page as the reviewer saw it")
    status, _, err = review(site, capsys)
    assert status == 0 and err == "", err
    site.write("content/_site.yml", SETTINGS.replace('emergency_number: "112"', 'emergency_number: "999"'))
    packet = packet_page(site, capsys)
    assert "The site-wide text shown on this page changed: urgent-help box." in text_of(changes_section(packet))
    assert "If you cannot reach your care team straight away, get emergency help: call 999." in text_of(packet)


def test_packet_says_so_when_the_text_is_unchanged(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    git(site.root, "init", "-q")
    git(site.root, "add", "content")
    git(site.root, "commit", "-q", "-m", "The page as the reviewer saw it")
    review(site, capsys)
    changes = text_of(changes_section(packet_page(site, capsys)))
    assert changes.endswith("The page's own text is the same as then.")


def test_packet_without_git_says_so_plainly(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    git(site.root, "init", "-q")
    git(site.root, "add", "content")
    git(site.root, "commit", "-q", "-m", "The page as the reviewer saw it")
    review(site, capsys)
    subprocess.run(["rm", "-rf", str(site.root / ".git")], check=True)
    assert text_of(changes_section(packet_page(site, capsys))) == (
        "What changed since the last review Git is not available here, so this packet cannot show what changed since the review "
        "by Test Reviewer on 1 March 2026. Please review all of the page."
    )


def test_packet_of_a_review_recorded_without_a_commit(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys)
    git(site.root, "init", "-q")
    assert text_of(changes_section(packet_page(site, capsys))) == (
        "What changed since the last review The review by Test Reviewer on 1 March 2026 recorded no git commit, so this packet "
        "cannot show what changed since. Please review all of the page."
    )


def test_packet_lists_a_number_without_a_citation_as_an_open_question(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/index.md", page(body="Cited first [@test_article]. Then 7 out of 100 people."))
    packet = packet_page(site, capsys)
    assert 'Line 18: "Then 7 out of 100 people." Which source, if any, supports this number?' in text_of(packet)
    assert "No source is cited for this number." in text_of(claim_containing(packet, "Then 7 out of 100 people."))


def test_packet_index_lists_every_page_and_the_packet_never_goes_into_site(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    packet_page(site, capsys)
    index = (site.root / "packet" / "index.html").read_text(encoding="utf-8")
    assert '<a href="pages/index.html">Home</a><br><code>content/index.md</code>' in index
    assert '<a href="pages/sources.html">Sources</a>' in index
    assert (site.root / "packet" / "packet.css").is_file()
    assert not site.site.exists()


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (
            "site",
            "site:1: refusing to write the review packet here: it would go into site/, the published site; "
            "choose a folder of its own, such as review-packet/",
        ),
        (
            "site/packet",
            "site/packet:1: refusing to write the review packet here: it would go into site/, the published site; "
            "choose a folder of its own, such as review-packet/",
        ),
        (
            "content/packet",
            "content/packet:1: refusing to write the review packet inside content/, which the build reads; "
            "use a folder of its own, such as site/",
        ),
    ],
)
def test_packet_refuses_the_site_folder_and_folders_the_build_reads(
    site: Project, capsys: pytest.CaptureFixture[str], out: str, message: str
) -> None:
    status, _, err = site.build("review-packet", "--out", out, capsys=capsys)
    assert status == 1
    assert err.splitlines() == [message]
    assert not (site.root / out).exists()


def test_packet_refuses_a_page_with_errors(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/index.md", page(body="Text [@test_artcle]."))
    status, _, err = site.build("review-packet", "content/index.md", "--out", "packet", capsys=capsys)
    assert status == 1
    assert err.splitlines() == [
        "content/index.md:18: unknown source '@test_artcle' (did you mean 'test_article'?)",
        "packet:1: the review packet was not made, because of the other problems reported; fix them first",
    ]
