"""The stylesheet rides inside every page: templates/style.css in a <style> element, allowed by its sha256 hash in the
page's Content-Security-Policy (never 'unsafe-inline'), so that the first paint needs one round trip."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from sitegen.cache import BuildCache
from sitegen.pipeline import BuildOptions, build_site
from sitegen.render.templating import without_comments
from tests.conftest import AS_OF, Project

INLINE = re.compile(r"<style>(.*?)</style>", re.S)
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy_of(html: str) -> str:
    match = POLICY.search(html)
    assert match
    return match.group(1).replace("&#39;", "'")


def test_every_page_carries_the_stylesheet_allowed_by_its_hash(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("content/guide/care.md", "---\ntitle: Care\ndescription: x.\nnav_title: Care\nnav_order: 3\n"
                  "published: 2026-01-01\nlast_reviewed: 2026-01-02\nnext_review: 2026-07-01\nreviewed_by: []\n---\n"
                  "## Key points\n\n- One point.\n- Two points.\n")  # fmt: skip
    status, _, err = project.build("--strict", capsys=capsys)
    assert status == 0, err
    css = without_comments((project.templates / "style.css").read_text(encoding="utf-8"))
    assert "/*" not in css
    for name in ("index.html", "sources.html", "404.html", "guide/care.html", "guide/index.html"):
        html = (project.site / name).read_text(encoding="utf-8")
        assert INLINE.findall(html) == [css], name
        assert policy_of(html) == f"default-src 'self'; style-src 'self' {sha256_source(css)}", name
        assert 'rel="stylesheet"' not in html, name
    assert not (project.site / "style.css").exists()


def test_pages_carry_the_stylesheet_without_its_comments(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """Comments are for the people who edit the stylesheet; a '/*' inside a CSS string is not a comment."""
    project.write("templates/style.css", '/* Colours: see the design notes. */\nbody { color: black; }\nq::before { content: "/* */"; }\n')
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    (inline,) = INLINE.findall((project.site / "index.html").read_text(encoding="utf-8"))
    assert inline == 'body { color: black; }\nq::before { content: "/* */"; }\n'


def test_the_hash_is_of_the_text_the_browser_reads_whatever_the_line_ends(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("templates/style.css", b"\xef\xbb\xbfbody { color: black; }\r\nh1 > a { color: blue; }\r\n")
    status, _, err = project.build(capsys=capsys)
    assert status == 0, err
    html = (project.site / "index.html").read_text(encoding="utf-8")
    css = "body { color: black; }\nh1 > a { color: blue; }\n"  # the HTML parser reads CR LF as LF; '>' is not escaped
    assert INLINE.findall(html) == [css]
    assert sha256_source(css) in policy_of(html)


def test_a_change_to_the_stylesheet_reaches_every_page_through_the_cache(project: Project) -> None:
    cache = BuildCache()  # kept between builds, as the preview keeps it
    options = BuildOptions(project.content, project.templates, project.site, today=AS_OF)
    assert build_site(options, cache).written
    project.write("templates/style.css", "h1 { color: rgb(1, 2, 3); }\n")
    result = build_site(options, cache)
    assert result.written and result.rendered_pages == 2
    html = (project.site / "index.html").read_text(encoding="utf-8")
    assert INLINE.findall(html) == ["h1 { color: rgb(1, 2, 3); }\n"]
    assert sha256_source("h1 { color: rgb(1, 2, 3); }\n") in policy_of(html)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "; style-src 'self' {{ stylesheet.csp_source }}",
            "",
            "templates/page.html:1: the page's Content-Security-Policy does not allow its <style>, so browsers would ignore it: "
            "name the style's hash in style-src, as templates/base.html does with {{ stylesheet.csp_source }} (in 2 pages, such as "
            "index.html)",
        ),
        (
            "{{ stylesheet.csp_source }}",
            "'unsafe-inline'",
            "templates/page.html:1: the page's Content-Security-Policy allows 'unsafe-inline'; allow the page's <style> by its hash "
            "instead (in 2 pages, such as index.html)",
        ),
    ],
    ids=["no hash", "unsafe-inline"],
)
def test_a_policy_that_does_not_allow_the_style_by_its_hash_fails_the_build(
    project: Project, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    base = project.templates / "base.html"
    text = base.read_text(encoding="utf-8")
    assert old in text
    base.write_text(text.replace(old, new), encoding="utf-8")
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert expected in err.splitlines()


def test_a_stylesheet_that_would_end_its_style_element_is_refused_at_its_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("templates/style.css", "body { color: black; }\n/* </STYLE><script>x()</script> */\n")
    status, _, err = project.build(capsys=capsys)
    assert status == 1
    assert (
        "templates/style.css:2: the stylesheet may not hold '</style', which would end the <style> element that carries it"
    ) in err.splitlines()
