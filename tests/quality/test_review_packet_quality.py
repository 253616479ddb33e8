"""The review packet in Chromium: the real site's packet, a re-review packet of a one-sentence change, and one with a
paragraph longer than a printed page, and the packet of the Spanish pages, in Spanish. Each passes vnu and axe-core
(WCAG 2.2 AA), makes no third-party requests, and prints on exactly as many A4 (and Letter) pages as its first page
says: the real site's (in each language) on at most 40, the re-review on one."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import AS_OF as TEST_AS_OF
from tests.conftest import REPO, page
from tests.load.test_review_records import SETTINGS, SOURCES
from tests.quality.conftest import AXE_JS, VNU_JAR, require_node_tool
from tests.quality.test_accessibility import WCAG_22_AA, axe_violations
from tests.support import latest_review, serve_folder

# Printable width in CSS pixels (96 per inch) of each paper size, less the packet's 15 mm margins.
PAPER = {"A4": (210 - 30) / 25.4 * 96, "Letter": 8.5 * 96 - 30 / 25.4 * 96}
AS_OF = latest_review().isoformat()
REVIEW = ["--name", "Test Reviewer", "--credentials", "Test credentials", "--scope", "medical accuracy"]


def run(folder: Path, *args: str, as_of: str = AS_OF) -> str:
    """build.py of the project in folder (a copy of this one's, which imports this checkout's sitegen)."""
    if folder != REPO and not (folder / "build.py").exists():
        shutil.copy(REPO / "build.py", folder / "build.py")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, str(folder / "build.py"), *args, "--as-of", as_of]
    completed = subprocess.run(command, cwd=folder, capture_output=True, text=True, env=environment)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def git(folder: Path, *args: str) -> None:
    command = ["git", "-C", str(folder), "-c", "user.name=Test Reviewer", "-c", "user.email=test@example.org", *args]
    subprocess.run(command, check=True, capture_output=True)


def printed_length(packet: Path) -> int:
    text = (packet / "index.html").read_text(encoding="utf-8")
    found = re.search(r"(?:This packet prints on|Este paquete se imprime en) <strong>(\d+) (?:A4 pages?|páginas? A4)</strong>", text)
    assert found
    return int(found.group(1))


@pytest.fixture(scope="session")
def packets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Four packets (never written into the repository): 'site', every page of the real content; 'spanish', every
    Spanish page, in Spanish; 'changed', its efficacy page after a review and a one-sentence change; 'long', a page with
    a paragraph longer than a printed page."""
    root = tmp_path_factory.mktemp("packets")
    run(REPO, "review-packet", "--out", str(root / "site"), "--strict")
    spanish = [str(path) for path in sorted((REPO / "content" / "es").glob("*.md"))]
    run(REPO, "review-packet", *spanish, "--out", str(root / "spanish"), "--strict")

    copy = root / "copy"
    shutil.copytree(REPO / "content", copy / "content")
    shutil.copytree(REPO / "templates", copy / "templates")
    git(copy, "init", "-q")
    git(copy, "add", ".")
    git(copy, "commit", "-q", "-m", "The site as the reviewer saw it")
    run(copy, "review-packet", "content/efficacy.md", "--out", str(root / "first"))
    code = re.search(r"--code ([2-9A-Z-]{14})", (root / "first" / "index.html").read_text(encoding="utf-8"))
    assert code
    run(copy, "review", "content/efficacy.md", *REVIEW, "--code", code.group(1))
    git(copy, "commit", "-q", "-am", "The review")
    efficacy = copy / "content" / "efficacy.md"
    text = efficacy.read_text(encoding="utf-8")
    assert "9 people had CLL" in text
    efficacy.write_text(text.replace("9 people had CLL", "Nine people had CLL"), encoding="utf-8")
    run(copy, "review-packet", "content/efficacy.md", "--out", str(root / "changed"))

    long = root / "long"
    (long / "content").mkdir(parents=True)
    (long / "content" / "_site.yml").write_text(SETTINGS, encoding="utf-8")
    (long / "content" / "sources.md").write_text(SOURCES, encoding="utf-8")
    line = "A long sentence goes on and on here, one line of the file after the other, as an editor may write it. " * 3
    body = "About 5 out of 100 people had a side effect [@test_article].\n" + f"{line}\n" * 30
    (long / "content" / "index.md").write_text(page(body=body), encoding="utf-8")
    shutil.copytree(REPO / "templates", long / "templates")
    run(long, "review-packet", "--out", str(root / "long-packet"), as_of=TEST_AS_OF.isoformat())
    return {"site": root / "site", "spanish": root / "spanish", "changed": root / "changed", "long": root / "long-packet"}


@pytest.fixture(scope="session")
def urls(packets: dict[str, Path]) -> Iterator[dict[str, str]]:
    with serve_folder(packets["site"].parent) as url:
        yield {name: f"{url.rstrip('/')}/{folder.name}/index.html" for name, folder in packets.items()}


def test_nu_html_checker_finds_no_errors_in_the_packets(packets: dict[str, Path], java: str) -> None:
    vnu = require_node_tool(VNU_JAR, "Nu Html Checker (npm vnu-jar)")
    completed = subprocess.run(
        [java, "-XX:-UsePerfData", "-jar", str(vnu), "--errors-only", "--format", "json", "--stdout"]
        + [str(folder / "index.html") for folder in packets.values()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(completed.stdout)["messages"]
    assert not messages, "\n".join(f"{m.get('url')}:{m.get('lastLine', '?')}: {m['message']}" for m in messages)
    assert completed.returncode == 0


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations_in_the_packets(browser, urls: dict[str, str], scheme: str, width: int) -> None:
    require_node_tool(AXE_JS, "axe-core (npm)")
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": width, "height": 800})
    failures: list[str] = []
    elsewhere: list[str] = []
    origin = urls["site"].split("/site/")[0]
    try:
        page = context.new_page()
        page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(origin) else None)
        for name, url in urls.items():
            response = page.goto(url)
            assert response is not None and response.ok, name
            failures += [f"{name}: {line}" for line in axe_violations(page, WCAG_22_AA)]
            if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                failures.append(f"{name}: the page scrolls sideways at {width} px")
    finally:
        context.close()
    assert not failures, f"{scheme} scheme, {width} px:\n" + "\n".join(failures)
    assert not elsewhere, f"requests to other origins: {elsewhere}"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("name", ["site", "spanish", "changed", "long"])
def test_each_packet_prints_on_as_many_pages_as_it_says(
    browser, packets: dict[str, Path], urls: dict[str, str], name: str, paper: str
) -> None:
    page = browser.new_page()
    try:
        page.goto(urls[name])
        pdf = page.pdf(format=paper)
    finally:
        page.close()
    length = printed_length(packets[name])
    assert pdf_pages(pdf) == length, f"{name} says it prints on {length} pages, but prints on {pdf_pages(pdf)} ({paper})"
    if name in ("site", "spanish") and paper == "A4":
        assert length <= 40
    if name == "changed":
        assert length == 1  # a one-sentence change gives a one-page packet


OVERFLOW = """width => [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName.toLowerCase() + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 60))"""


@pytest.mark.parametrize("paper", sorted(PAPER))
def test_packet_prints_in_black_and_white_without_anything_cut_off(browser, urls: dict[str, str], paper: str) -> None:
    width = int(PAPER[paper])
    page = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        page.goto(urls["site"])
        page.emulate_media(media="print")
        assert page.locator(".skip-link").is_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(OVERFLOW, width) == []
        # Black and white: in print every highlighted sentence is marked by an underline, not only by a colour.
        assert page.evaluate("getComputedStyle(document.querySelector('mark')).textDecorationLine") == "underline"
        assert page.evaluate("getComputedStyle(document.querySelector('mark')).backgroundColor") in (
            "rgba(0, 0, 0, 0)",
            "rgb(255, 255, 255)",
        )
        assert page.evaluate("getComputedStyle(document.querySelector('a.key')).color") == "rgb(0, 0, 0)"
    finally:
        page.close()
