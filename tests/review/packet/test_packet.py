"""The review packet: each page's text once with its claims keyed to one entry per source, each recorded figure
ticked once, only actionable open questions, a re-review of only what changed, and its own printed length."""

from __future__ import annotations

import html as entities
import re
import subprocess
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from sitegen.i18n import long_date
from tests.conftest import REAL_AS_OF, REPO, Project, page
from tests.load.test_review_records import SETTINGS, SOURCES, review

AS_OF = REAL_AS_OF.isoformat()  # the real content, as of the day it was last reviewed
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-"})
WEB_PAGE = """\
  - id: test_page
    title: A fictional web page for the tests
    container: example.org
    url: https://example.org/test-page
    figures:
      - name: Days before a fever
        value: 3 days
"""


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, one space between words, plain quotes."""
    without_citations = re.sub(r'<sup class="citation">.*?</sup>', "", fragment, flags=re.S)
    text = " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", without_citations)).split())
    return re.sub(r"(?<=\() | (?=[.,:;)\]])", "", text).translate(QUOTES)


def marks(packet: str) -> list[str]:
    return [text_of(m) for m in re.findall(r"<mark>(.*?)</mark>", packet, flags=re.S)]


def figure_rows(packet: str) -> list[str]:
    """The text of each figure's row, beside its tick box."""
    return [text_of(row) for row in re.findall(r'<div class="tick" id="figure-\d+-entry">.*?<label[^>]*>(.*?)</label>', packet, flags=re.S)]


def questions(packet: str) -> list[str]:
    """The open questions about sentences, in their own section."""
    return [text_of(q) for q in re.findall(r'<div id="question-\d+" class="question">\s*<p class="gutter">(.*?)</p>', packet, flags=re.S)]


def asked_in_rows(packet: str) -> list[str]:
    """The open questions asked in a figure's entry: where in its journal article the figure is."""
    return [text_of(q) for q in re.findall(r'<p class="asked" id="question-\d+">(.*?)</p>', packet, flags=re.S)]


def printed(packet: str) -> tuple[int, int]:
    """What the packet's first page says of it: how many printed pages, and how many boxes to tick."""
    found = re.search(r"This packet prints on <strong>(\d+) A4 pages?</strong>.*? It has <strong>(\d+) box(?:es)? to tick</strong>", packet)
    assert found, "the first page does not say how long the packet is"
    return int(found.group(1)), int(found.group(2))


def boxes(packet: str) -> int:
    return len(re.findall(r'<input type="checkbox"', packet))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built into ROOT/site, the packet of its efficacy page in ROOT/efficacy, of every page in ROOT/all,
    and of every Spanish page in ROOT/es."""
    root = tmp_path_factory.mktemp("real")
    common = ["--as-of", AS_OF, "--content", str(REPO / "content"), "--templates", str(REPO / "templates"), "--site", str(root / "site")]
    assert main(common) == 0
    assert main(["review-packet", str(REPO / "content" / "efficacy.md"), "--out", str(root / "efficacy"), *common], project_root=root) == 0
    assert main(["review-packet", "--strict", "--out", str(root / "all"), *common], project_root=root) == 0
    spanish = [str(path) for path in sorted((REPO / "content" / "es").glob("*.md"))]
    assert main(["review-packet", "--strict", "--out", str(root / "es"), *common, *spanish], project_root=root) == 0
    return root


@pytest.fixture(scope="module")
def efficacy(real: Path) -> tuple[str, str]:
    """The real efficacy page as the site shows it (its content), and the review packet of that page."""
    site_html = (real / "site" / "efficacy.html").read_text(encoding="utf-8")
    content = site_html[site_html.index('<div class="content">') : site_html.index('<section class="page-review"')]
    return content, (real / "efficacy" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def whole_site(real: Path) -> str:
    return (real / "all" / "index.html").read_text(encoding="utf-8")


def test_packet_is_one_file(real: Path) -> None:
    assert sorted(p.name for p in (real / "all").iterdir() if not p.name.startswith(".")) == ["index.html"]


def test_every_sentence_that_cites_a_source_is_highlighted_on_the_efficacy_page(efficacy: tuple[str, str]) -> None:
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
    for sentence in ("About 39 out of 100 people had their cancer shrink or disappear.", "CLL (9 people): 22%", "NHL: 6 months"):
        assert sentence in highlighted  # the pictures' statements and values too


def test_each_claim_has_a_key_that_links_to_its_sources_one_entry(efficacy: tuple[str, str]) -> None:
    packet = efficacy[1]
    claim = re.search(r"<mark>About 61 out of 100 did not\.</mark>( <a [^>]*>[^<]*</a>)+", packet)
    assert claim and claim.group(0).endswith('<a class="key" href="#source-1">[S1]</a>')
    entry = re.search(r'<p class="source" id="source-1">(.*?)</p>', packet, flags=re.S)
    assert entry and text_of(entry.group(1)) == (
        "S1 Gauthier J, et al. Factors associated with outcomes after a second CD19-targeted CAR T-cell infusion for refractory "
        "B-cell malignancies. Blood. 2021;137(3):323-335. doi.org/10.1182/blood.2020006770 · PubMed 32967009 · free full text "
        "PMC7819764 Cited on: How well does a second infusion work?."
    )
    assert '<a href="https://doi.org/10.1182/blood.2020006770">' in entry.group(1)
    assert packet.count("Factors associated with outcomes after a second CD19-targeted") == 1  # no full entry is repeated
    keys = set(re.findall(r'<a class="key" href="#(source-\d+)">', packet))
    assert keys == set(re.findall(r'<p class="source" id="(source-\d+)">', packet))


def test_each_recorded_figure_is_ticked_once_against_its_source(efficacy: tuple[str, str]) -> None:
    rows = figure_rows(efficacy[1])
    lines = r"\((?:line \d+|lines \d+(?:, \d+)+)\)"
    given = rf"Given on: How well does a second infusion work\? {lines}\."
    assert any(re.fullmatch(rf"People with CLL: 9 \[S1\]\. Where in the source: abstract\. {given}", row) for row in rows)
    assert any(re.fullmatch(rf"Complete response in CLL: 22% \[S1\]\. Where in the source: not recorded\. {given}", row) for row in rows)
    names = [row.split(":")[0] for row in rows]
    assert len(names) == len(set(names)) and len(names) >= 12
    assert boxes(efficacy[1]) == len(rows) + 1  # and the page's own box


def test_the_efficacy_packet_asks_only_where_its_figures_are_in_the_paper(efficacy: tuple[str, str]) -> None:
    packet = efficacy[1]
    assert questions(packet) == []
    asked = asked_in_rows(packet)
    assert asked[0] == "Q1. The source has pages (323-335): on which page, or in which table or figure, is this figure? Write it here:"
    assert len(asked) == len([row for row in figure_rows(packet) if "Where in the source: not recorded." in row]) >= 3
    first = re.search(r'<div class="tick" id="figure-\d+-entry">(?:(?!</div>).)*id="question-1"', packet, flags=re.S)
    assert first and "Complete response in CLL: 22%" in first.group(0)  # asked in the entry of the figure it is about


def test_the_page_head_has_its_review_code_and_the_exact_command(efficacy: tuple[str, str]) -> None:
    packet = efficacy[1]
    code = re.search(r'<p class="code">Review code <code class="review-code">([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})</code></p>', packet)
    assert code
    assert (
        f'<p class="command">python3 build.py review content/efficacy.md --name "NAME" --credentials "CREDENTIALS" '
        f'--scope "WHAT WAS CHECKED" --code {code.group(1)}</p>'
    ) in packet
    assert "Clinical review: not yet done." in text_of(packet)
    assert "This page has no clinical review yet: please review all of it." in text_of(packet)


def test_the_packet_carries_the_caveat_and_the_urgent_help_box_the_page_shows(efficacy: tuple[str, str]) -> None:
    import yaml

    settings = yaml.safe_load((REPO / "content" / "_site.yml").read_text(encoding="utf-8"))
    text = text_of(efficacy[1])
    assert f"Please note: {' '.join(settings['caveat'].split())}".translate(QUOTES) in text
    assert settings["urgent_help"]["heading"] in text


def test_the_first_page_says_how_long_the_packet_is(efficacy: tuple[str, str], whole_site: str) -> None:
    for packet in (efficacy[1], whole_site):
        length, ticks = printed(packet)
        assert length == packet.count('<div class="sheet"')
        assert ticks == boxes(packet)
        assert f"page {length} of {length}</p>" in packet


def test_the_real_sites_packet_has_at_most_80_boxes_to_tick_and_40_pages(whole_site: str) -> None:
    length, ticks = printed(whole_site)
    assert ticks <= 80
    assert length <= 40  # as laid out; tests/quality/test_review_packet_quality.py prints it


def test_the_real_sites_open_questions_are_about_journal_articles_only(whole_site: str) -> None:
    assert questions(whole_site) == []
    asked = asked_in_rows(whole_site)
    assert asked and all(re.fullmatch(r"Q\d+\. The source has pages \((323-335|625-638)\): .*", q) for q in asked)
    assert f"It asks {len(asked)} open questions." in text_of(whole_site)


@pytest.fixture(scope="module")
def spanish_site(real: Path) -> str:
    return (real / "es" / "index.html").read_text(encoding="utf-8")


def test_the_spanish_pages_packet_reads_their_pictures_values_in_spanish(spanish_site: str) -> None:
    """A picture's values are statements of the page, in its language: "9 de cada 100" is the figure it cites."""
    assert "out of 100" not in spanish_site
    assert "SLC grave: 9 de cada 100" in text_of(spanish_site)
    assert questions(spanish_site) == []


def test_the_spanish_pages_packet_is_in_spanish(spanish_site: str) -> None:
    """The packet's own words come from the generator's Spanish catalogue, its dates from Babel."""
    text = text_of(spanish_site)
    assert '<html lang="es">' in spanish_site
    assert "<title>Paquete de revisión | Recibir la terapia de células CAR T por segunda vez</title>" in spanish_site
    found = re.search(r"Este paquete se imprime en (\d+) páginas A4 \(las mismas en papel carta\)\. Tiene (\d+) casillas que marcar", text)
    assert found and int(found.group(1)) <= 40 and int(found.group(2)) <= 80
    assert f"hecho el {long_date(REAL_AS_OF, 'es')} · página 1 de" in text
    assert "Código de revisión" in text and "Legibilidad" in text and "(INFLESZ); el sitio busca 55 o más" in text
    assert '--name "NOMBRE" --credentials "CREDENCIALES" --scope "LO QUE SE REVISÓ"' in entities.unescape(spanish_site)
    asked = asked_in_rows(spanish_site)
    assert asked and all(re.fullmatch(r"P\d+\. La fuente tiene páginas \((323-335|625-638)\): .*", q) for q in asked)
    for english in ("This packet", "Review code", "How to review", "Sources", "Given on", "Sign-off", "Reading grade", "made on"):
        assert english not in text, english


def test_each_source_is_listed_once(whole_site: str) -> None:
    entries = re.findall(r'<p class="source" id="source-(\d+)">', whole_site)
    assert entries == [str(n) for n in range(1, len(entries) + 1)]
    assert whole_site.count("Factors associated with outcomes after a second CD19-targeted") == 1


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


def make_packet(site: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    """The packet's HTML, and what the command said."""
    status, out, err = site.build("review-packet", *args, "--out", str(site.root / "packet"), capsys=capsys)
    assert status == 0, err
    return (site.root / "packet" / "index.html").read_text(encoding="utf-8"), out


def reviewed(site: Project, capsys: pytest.CaptureFixture[str]) -> str:
    """Commit the site, record a review of content/index.md, commit the record; the review's commit."""
    git(site.root, "init", "-q")
    git(site.root, "add", "content")
    git(site.root, "commit", "-q", "-m", "The page as the reviewer saw it")
    status, _, err = review(site, capsys)
    assert status == 0 and err == "", err
    git(site.root, "commit", "-q", "-am", "The review")
    return git(site.root, "rev-parse", "HEAD~1")


def edit(site: Project, old: str, new: str) -> None:
    path = site.content / "index.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_one_sentence_change_gives_a_one_page_packet_of_that_sentence(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write(
        "content/index.md", page(body="About 5 out of 100 people had a side effect [@test_article].\n\n" + "Other words here. " * 40)
    )
    commit = reviewed(site, capsys)
    edit(site, "About 5 out of 100 people had a side", "About 5 out of 100 people had a mild side")
    packet, out = make_packet(site, capsys, "content/index.md")
    assert printed(packet) == (1, 2)
    assert "It prints on 1 A4 page and has 2 boxes to tick." in out
    changes = re.findall(r'<p class="gutter"><span class="ln">(\d+)</span>(.*?)</p>', packet, flags=re.S)
    assert [(line, text_of(change)) for line, change in changes] == [
        ("24", "About 5 out of 100 people had a [added: mild] side effect. [S1]"),  # the record took six lines above it
    ]
    assert (
        f"1 sentence changed, came or went since the review by Test Reviewer (medical accuracy) on 1 March 2026, at git commit "
        f"{commit[:12]}; 46 stayed as reviewed."
    ) in text_of(packet)
    assert figure_rows(packet) == ["People with a side effect: 5% [S1]. Where in the source: not recorded. Given on: Home (line 24)."]
    assert "Other words here" not in packet
    assert "Please note:" not in packet  # the caveat did not change, so it is not sent again


def test_a_changed_source_and_site_text_are_shown_with_the_change(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/index.md", page(body="About 5 out of 100 people had side effects [@test_article]."))
    reviewed(site, capsys)
    site.write("content/sources.md", SOURCES.replace("year: 2020", "year: 2021").replace("value: 5%", "value: 6%"))
    edit(site, "About 5 out of 100 people", "About 6 out of 100 people")
    settings = SETTINGS.replace('emergency_number: "112"', 'emergency_number: "999"').replace("not yet known", "still unknown")
    site.write("content/_site.yml", settings)
    packet, _ = make_packet(site, capsys, "content/index.md")
    text = text_of(packet)
    assert "S1 Test Author A, et al. A fictional article for the tests. Journal of Test Data. 2021:1-10." in text
    assert 'Changed since the review: year "2020" → "2021".' in text
    assert figure_rows(packet) == [
        "People with a side effect: 6% [S1] (recorded anew or changed since the review). Where in the source: not recorded. "
        "Given on: Home (line 24)."
    ]
    assert "Please note: Long-term survival after a second infusion is [removed: not yet known.] [added: still unknown.]" in text
    assert "Changed since the review. Get help straight away." in text
    assert "If you cannot reach your care team straight away, get emergency help: call 999." in text


def review_sources(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    packet, _ = make_packet(site, capsys, "content/sources.md")
    code = re.search(r"--code ([2-9A-Z-]{14})", packet)
    assert code
    args = ["--name", "Test Reviewer", "--credentials", "Test credentials", "--scope", "medical accuracy", "--code", code.group(1)]
    status, _, err = site.build("review", "content/sources.md", *args, capsys=capsys)
    assert status == 0, err


def test_a_page_whose_review_covers_it_is_left_out_unless_named(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    reviewed(site, capsys)
    review_sources(site, capsys)
    status, out, err = site.build("review-packet", "--out", str(site.root / "other"), capsys=capsys)
    assert (status, err) == (0, "")
    assert out == (
        "Nothing to review: a clinical review covers each page as it is, so no packet was written. For a full review again "
        "(such as a yearly one, or by a reviewer of another scope), add --whole.\n"
    )
    assert not (site.root / "other").exists()
    packet, _ = make_packet(site, capsys, "content/index.md")
    assert "A clinical review covers this page as it is; here it is whole, for another review." in text_of(packet)
    packet, _ = make_packet(site, capsys, "--whole")
    assert "The whole page, as the editor asked." in text_of(packet)


def test_every_page_lists_what_is_left_out(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    reviewed(site, capsys)
    site.write("content/other.md", page("Other", body="About 5 out of 100 people had a side effect [@test_article].", order=2))
    packet, _ = make_packet(site, capsys)
    assert (
        "Not in this packet, because a clinical review covers it as it is: Home. For a full review of every page again (such as "
        "a yearly one), the editor makes the packet with --whole."
    ) in text_of(packet)
    assert re.findall(r'<h2 id="page-\d+">(.*?)</h2>', packet) == ["Other", "Sources"]


def test_packet_without_git_shows_the_whole_page_and_says_why(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    reviewed(site, capsys)
    edit(site, "Second paragraph.", "Second paragraph, changed.")
    subprocess.run(["rm", "-rf", str(site.root / ".git")], check=True)
    packet, _ = make_packet(site, capsys, "content/index.md")
    assert (
        "Git is not available here, so this packet cannot show what changed since the review by Test Reviewer on 1 March 2026: "
        "please review all of the page."
    ) in text_of(packet)
    assert "Second paragraph, changed." in text_of(packet)


def test_packet_of_a_review_recorded_without_a_commit(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys)
    git(site.root, "init", "-q")
    edit(site, "Second paragraph.", "Second paragraph, changed.")
    packet, _ = make_packet(site, capsys, "content/index.md")
    assert (
        "The review by Test Reviewer on 1 March 2026 recorded no git commit, so this packet cannot show what changed since: "
        "please review all of the page."
    ) in text_of(packet)


def test_a_number_in_a_figures_form_without_a_citation_is_an_open_question(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/index.md", page(body="Cited first [@test_article]. Then 7 out of 100 people.\n\nTwo of them are explained below."))
    packet, _ = make_packet(site, capsys)
    assert questions(packet)[0] == (
        'Q1 Home, line 18: "Then 7 out of 100 people." It gives a number and cites no source. Which source gives it?'
    )
    assert "Then 7 out of 100 people. [no source: question 1]" in text_of(packet)
    assert "Two of them are explained below." not in marks(packet)  # a bare count is no figure: not asked about


def test_a_number_with_no_recorded_figure_is_an_open_question(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write(
        "content/sources.md",
        SOURCES.replace("---\nThe list", WEB_PAGE.replace("    figures:\n", "").split("      - name")[0] + "---\nThe list"),
    )
    site.write(
        "content/index.md", page(body="About 5 out of 100 people had a side effect [@test_article]. It starts after 12 days [@test_page].")
    )
    packet, _ = make_packet(site, capsys)
    assert (
        'Q1 Home, line 18: "It starts after 12 days." The number 12 days is not a figure recorded for the sources it cites.'
        in questions(packet)[0]
    )


def test_a_figure_of_a_web_page_without_a_locator_is_no_question(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/sources.md", SOURCES.replace("---\nThe list", WEB_PAGE + "---\nThe list"))
    site.write(
        "content/index.md", page(body="About 5 out of 100 people had a side effect [@test_article]. It starts after 3 days [@test_page].")
    )
    packet, _ = make_packet(site, capsys, "--strict")
    assert figure_rows(packet) == [
        "People with a side effect: 5% [S1]. Where in the source: not recorded. Given on: Home (line 18).",
        "Days before a fever: 3 days [S2]. Where in the source: not recorded (it has no page numbers). Given on: Home (line 18).",
    ]
    assert asked_in_rows(packet) == [
        "Q1. The source has pages (1-10): on which page, or in which table or figure, is this figure? Write it here:"
    ]


def test_a_paragraph_longer_than_a_printed_page_goes_on_over_the_next(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = "A long sentence goes on and on here, one line of the file after the other, as an editor may write it. " * 3
    body = "About 5 out of 100 people had a side effect [@test_article].\n" + f"{line}\n" * 30  # near the most a paragraph may have
    site.write("content/index.md", page(body=body))
    packet, _ = make_packet(site, capsys)
    length, _ = printed(packet)
    assert length == packet.count('<div class="sheet"') >= 4
    assert packet.count("<i>(continued)</i>") >= 2  # over three printed pages or more


def test_packet_refuses_a_page_with_errors(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/index.md", page(body="Text [@test_artcle]."))
    status, _, err = site.build("review-packet", "content/index.md", "--out", "packet", capsys=capsys)
    assert status == 1
    assert err.splitlines() == [
        "content/index.md:18: unknown source '@test_artcle' (did you mean 'test_article'?)",
        "packet:1: the review packet was not made, because of the other problems reported; fix them first",
    ]


def test_a_problem_that_blocks_every_page_is_reported_once(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/other.md", page("Other", body="About 5 out of 100 people had a side effect [@test_article].", order=2))
    site.write("content/sources.md", SOURCES.replace("value: 5%", "value: 5%\n        locator: 7"))
    status, _, err = site.build("review-packet", "--out", "packet", capsys=capsys)
    assert status == 1
    assert err.splitlines() == [
        "content/sources.md:23: 'locator' in item 1 of 'figures' of item 1 of 'sources' must be text, not the number 7 "
        "(put it in quotes to make it text)",
        "packet:1: the review packet was not made, because of the other problems reported; fix them first",
    ]


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
    assert not site.site.exists()
