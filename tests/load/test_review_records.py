"""Clinical review records: `build.py review` writes them, and the build tells whether they still cover the page."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import REPO, SITE_SETTINGS, Project, page

GOLDEN = REPO / "tests" / "golden" / "review"
SETTINGS = SITE_SETTINGS.replace("sources: [gauthier2021]", "sources: [test_article]").replace(
    "[side effect, side effects, CRS]", "[side effects]"
)
SOURCES = """\
---
title: Sources
description: Where the facts come from.
nav_title: Sources
nav_order: 9
published: 2026-01-01
last_reviewed: 2026-01-02
next_review: 2026-07-01
reviewed_by: []
reading_level_exempt: true
sources:
  - id: test_article
    authors: Test Author A, et al.
    title: A fictional article for the tests
    container: Journal of Test Data
    year: 2020
    pages: 1-10
    doi: 10.0000/test.0001
    pmid: '00000001'
    figures:
      - name: People with a side effect
        value: 5%
---
The list of sources [@test_article].
"""
REVIEW = ["review", "content/index.md", "--name", "Test Reviewer", "--credentials", "Test credentials", "--scope", "medical accuracy"]
CODE = re.compile(r"--code ([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})")
WARNING = (
    "content/index.md:10: warning: the page has changed since the clinical review by Test Reviewer on 1 March 2026 (medical accuracy), "
    "which no longer covers it: send the reviewer a new review packet (`python3 build.py review-packet content/index.md`), "
    "then record the review with `python3 build.py review`"
)


def packet_code(site: Project, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Make the review packet of content/index.md, and read the page's review code from the command printed in it."""
    status, _, err = site.build("review-packet", "content/index.md", "--out", str(site.root / "packet"), *args, capsys=capsys)
    assert status == 0, err
    found = CODE.search((site.root / "packet" / "index.html").read_text(encoding="utf-8"))
    assert found
    return found.group(1)


def review(site: Project, capsys: pytest.CaptureFixture[str], *args: str, scope: str = "medical accuracy") -> tuple[int, str, str]:
    """Record a review of content/index.md as docs/review.md says: make the packet, then `build.py review` with its code."""
    as_of = ("--as-of", args[args.index("--as-of") + 1]) if "--as-of" in args else ()
    code = packet_code(site, capsys, *as_of)
    return site.build(*REVIEW[:-1], scope, "--code", code, *args, capsys=capsys)


@pytest.fixture
def site(project: Project) -> Project:
    """The test site with its own settings and a fictional source, so that fingerprints here depend on nothing else."""
    project.write("content/_site.yml", SETTINGS)
    project.write("content/sources.md", SOURCES)
    project.write("content/index.md", page(body="About 5 out of 100 people had a side effect [@test_article]."))
    return project


def html_of(project: Project, name: str = "index.html") -> str:
    return (project.site / name).read_text(encoding="utf-8")


def review_lines(html: str) -> list[str]:
    section = html[html.index('<section class="page-review"') : html.index("</section>", html.index('<section class="page-review"'))]
    return [re.sub(r"<[^>]+>", "", line).strip() for line in section.splitlines() if "<p>" in line]


def structured_data(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, flags=re.S)
    assert match
    return json.loads(match.group(1))


def test_review_writes_a_record_and_keeps_comments_and_layout(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/index.md", (GOLDEN / "before.md").read_text(encoding="utf-8"))
    status, out, err = review(site, capsys)
    assert status == 0, err
    assert (site.content / "index.md").read_text(encoding="utf-8") == (GOLDEN / "after.md").read_text(encoding="utf-8")
    assert out == (
        "Recorded the review by Test Reviewer (medical accuracy) on 2026-03-01 in content/index.md: "
        "sha256:eb778949ea09f4862caf0608912095d680f33df9617b8c99a9bb565537d711fc, no commit. "
        "last_reviewed is now 2026-03-01, next_review 2027-03-01.\n"
    )
    assert err == (
        "content/index.md:1: notice: no commit was recorded, because git is not available here; "
        "later review packets cannot show what changed after this review\n"
    )


def test_a_second_review_is_added_below_the_first_with_its_indentation(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys)
    status, _, err = review(site, capsys, "--as-of", "2026-03-02", scope="plain language")
    assert status == 0, err
    text = (site.content / "index.md").read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    assert re.sub(r"sha256:[0-9a-f]{64}", "FP", front) == (
        "title: Home\ndescription: About Home.\nnav_title: Home\nnav_order: 1\npublished: 2026-01-01\n"
        "last_reviewed: 2026-03-02\nnext_review: 2027-03-02\nreviewed_by:\n"
        "  - name: Test Reviewer\n    credentials: Test credentials\n    date: 2026-03-01\n"
        "    scope: medical accuracy\n    fingerprint: FP\n"
        "  - name: Test Reviewer\n    credentials: Test credentials\n    date: 2026-03-02\n"
        "    scope: plain language\n    fingerprint: FP\n"
    )
    status, _, err = site.build("--as-of", "2026-03-02", "--strict", capsys=capsys)
    assert status == 0, err
    assert review_lines(html_of(site))[1:] == [
        "Clinical review by Test Reviewer, Test credentials, on 1 March 2026 (medical accuracy).",
        "Clinical review by Test Reviewer, Test credentials, on 2 March 2026 (plain language).",
    ]


def test_review_keeps_windows_line_endings_and_quotes_text_that_needs_it(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    body = "About 5 out of 100 people had a side effect [@test_article]."
    site.write("content/index.md", page(body=body).replace("\n", "\r\n").encode("utf-8"))
    args = ["review", "content/index.md", "--name", "Test Reviewer: #1", "--credentials", "true", "--scope", "medical accuracy"]
    status, _, err = site.build(*args, "--code", packet_code(site, capsys), capsys=capsys)
    assert status == 0, err
    data = (site.content / "index.md").read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b'  - name: "Test Reviewer: #1"\r\n    credentials: "true"\r\n' in data
    status, _, err = site.build("--strict", capsys=capsys)
    assert status == 0, err
    assert "Clinical review by Test Reviewer: #1, true, on 1 March 2026 (medical accuracy)." in review_lines(html_of(site))


def test_current_review_is_shown_and_given_in_json_ld(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys)
    status, _, err = site.build("--strict", capsys=capsys)
    assert status == 0, err
    html = html_of(site)
    assert review_lines(html) == [
        "Content last checked: 1 March 2026 · Next check due: 1 March 2027",
        "Clinical review by Test Reviewer, Test credentials, on 1 March 2026 (medical accuracy).",
    ]
    data = structured_data(html)
    assert data["lastReviewed"] == "2026-03-01"
    assert data["reviewedBy"] == [{"@type": "Person", "name": "Test Reviewer", "jobTitle": "Test credentials"}]


def test_a_change_after_the_review_flips_the_review_line_and_warns(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys)
    path = site.content / "index.md"
    path.write_text(path.read_text().replace("had a side effect", "had a mild side effect"), encoding="utf-8")
    status, _, err = site.build(capsys=capsys)
    assert status == 0
    assert err.splitlines()[0] == WARNING
    html = html_of(site)
    assert review_lines(html)[1:] == ["Changed since its last clinical review on 1 March 2026."]
    assert "Clinical review by" not in html
    data = structured_data(html)
    assert "reviewedBy" not in data and "lastReviewed" not in data
    status, _, err = site.build("--strict", capsys=capsys)
    assert status == 1 and WARNING in err.splitlines()


def test_a_change_to_a_cited_source_also_ends_the_review(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys)
    site.write("content/sources.md", SOURCES.replace("year: 2020", "year: 2021"))
    _, _, err = site.build(capsys=capsys)
    assert err.splitlines()[0] == WARNING


def test_dates_and_order_are_not_part_of_what_was_reviewed(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys)
    path = site.content / "index.md"
    path.write_text(path.read_text().replace("next_review: 2027-03-01", "next_review: 2026-09-01").replace("nav_order: 1", "nav_order: 3"))
    status, _, err = site.build("--strict", capsys=capsys)
    assert status == 0, err


def test_require_current_review_fails_the_build_and_keeps_the_site(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys)
    site.build(capsys=capsys)
    before = site.snapshot()
    site.write("content/_site.yml", SETTINGS + "require_current_review: true\n")
    path = site.content / "index.md"
    path.write_text(path.read_text().replace("had a side effect", "had a mild side effect"), encoding="utf-8")
    status, _, err = site.build(capsys=capsys)
    assert status == 1
    assert err.splitlines()[0] == WARNING.replace("warning: ", "")
    assert site.snapshot() == before


def test_require_current_review_fails_a_page_never_reviewed(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/_site.yml", SETTINGS + "require_current_review: true\n")
    status, _, err = site.build(capsys=capsys)
    assert status == 1
    assert err.splitlines()[0] == (
        "content/index.md:9: the site requires a current clinical review of every page (require_current_review), and this page has none: "
        "send a review packet (`python3 build.py review-packet content/index.md`), then record the review with `python3 build.py review`"
    )


def test_a_hand_written_record_without_a_fingerprint_is_an_error(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    record = "\n  - name: Test Reviewer\n    credentials: Test credentials\n    date: 2026-02-01\n    scope: medical accuracy"
    site.write("content/index.md", page(body="Text [@test_article].", reviewed_by=record))
    status, _, err = site.build(capsys=capsys)
    assert status == 1
    assert err.splitlines()[0] == (
        "content/index.md:10: the review record of Test Reviewer has no 'fingerprint': record reviews with "
        '`python3 build.py review content/index.md --name "..." --credentials "..." --scope "..."`, which computes it'
    )
    assert "Clinical review" not in err


def test_a_record_in_the_old_form_names_every_missing_field(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write(
        "content/index.md", page(body="Text [@test_article].", reviewed_by="\n  - name: Test Reviewer\n    credentials: Test credentials")
    )
    status, _, err = site.build(capsys=capsys)
    assert status == 1
    assert err.splitlines()[:2] == [
        "content/index.md:10: missing required field 'date' in item 1 of 'reviewed_by'",
        "content/index.md:10: missing required field 'scope' in item 1 of 'reviewed_by'",
    ]


def test_a_fingerprint_not_written_by_the_review_command_is_an_error(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    record = (
        "\n  - name: Test Reviewer\n    credentials: Test credentials\n    date: 2026-02-01\n    scope: medical accuracy"
        "\n    fingerprint: looked fine"
    )
    site.write("content/index.md", page(body="Text [@test_article].", reviewed_by=record))
    status, _, err = site.build(capsys=capsys)
    assert status == 1
    assert err.splitlines()[0] == (
        "content/index.md:14: the 'fingerprint' of Test Reviewer's review is not one that `python3 build.py review` writes "
        "(sha256: and 64 hex digits)"
    )


def test_a_review_dated_in_the_future_is_an_error(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys, "--as-of", "2026-02-20")
    status, _, err = site.build("--as-of", "2026-02-10", capsys=capsys)
    assert status == 1
    assert "content/index.md:10: the review by Test Reviewer is dated 2026-02-20, which is in the future" in err.splitlines()


def test_review_refuses_a_page_with_build_errors_and_leaves_it_alone(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/index.md", page(body="Text [@test_artcle]."))
    before = (site.content / "index.md").read_bytes()
    status, out, err = site.build(*REVIEW, "--code", "2222-2222-2222", capsys=capsys)
    assert status == 1 and out == ""
    assert err.splitlines() == [
        "content/index.md:18: unknown source '@test_artcle' (did you mean 'test_article'?)",
        "content/index.md:1: the review was not recorded, because of the problems reported with it; fix them, then record it again",
    ]
    assert (site.content / "index.md").read_bytes() == before


def test_review_of_a_file_that_is_not_a_page(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["review", "README.md", "--name", "Test Reviewer", "--credentials", "Test", "--scope", "x", "--code", "2222-2222-2222"]
    status, _, err = site.build(*args, capsys=capsys)
    assert status == 1
    assert err == f"README.md:1: this is not a page of the site: give the path of a .md file in {site.content}/\n".replace(
        str(site.root) + "/", ""
    )


def test_review_is_refused_by_a_problem_that_only_the_builds_own_phases_find(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """`review` judges the page by the build's one list of phases: the check of review dates (once left out of the
    analysis that review used) blocks it, as any check added to the build will."""
    status, _, err = review(site, capsys, "--as-of", "2026-03-05")
    assert status == 0, err
    path = site.content / "index.md"
    path.write_text(
        path.read_text()
        .replace("last_reviewed: 2026-03-05", "last_reviewed: 2026-02-01")
        .replace("next_review: 2027-03-05", "next_review: 2027-02-01"),
        encoding="utf-8",
    )
    before = path.read_bytes()
    status, out, err = site.build(*REVIEW[:-1], "plain language", "--code", "2222-2222-2222", capsys=capsys)
    assert status == 1 and out == ""
    assert err.splitlines() == [
        "content/index.md:10: the review by Test Reviewer is dated 2026-03-05, which is in the future",
        "content/index.md:1: the review was not recorded, because of the problems reported with it; fix them, then record it again",
    ]
    assert (site.content / "index.md").read_bytes() == before


def test_a_check_added_to_the_build_blocks_a_review(
    site: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitegen.pipeline
    from sitegen.problems import error

    checks = sitegen.pipeline.check_outputs

    def with_a_new_check(loaded: object, rendered: object) -> list:
        return [*checks(loaded, rendered), error("content/index.md", 11, "a new check of the build found this")]

    monkeypatch.setattr(sitegen.pipeline, "check_outputs", with_a_new_check)
    status, _, err = site.build("check", capsys=capsys)
    assert status == 1 and "content/index.md:11: a new check of the build found this" in err.splitlines()
    status, _, err = site.build(*REVIEW, "--code", "2222-2222-2222", capsys=capsys)
    assert status == 1
    assert err.splitlines()[0] == "content/index.md:11: a new check of the build found this"
    assert "reviewed_by: []" in (site.content / "index.md").read_text()


def test_a_review_that_no_longer_covers_the_page_does_not_block_a_new_one(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    review(site, capsys)
    path = site.content / "index.md"
    path.write_text(path.read_text().replace("had a side effect", "had a mild side effect"), encoding="utf-8")
    site.write("content/_site.yml", SETTINGS + "require_current_review: true\n")
    status, _, err = review(site, capsys, "--strict", "--as-of", "2026-03-02")
    assert status == 0, err
    _, _, err = site.build("check", "--strict", "--as-of", "2026-03-02", capsys=capsys)
    assert not [line for line in err.splitlines() if line.startswith("content/index.md")], err
