#!/usr/bin/env python3
"""Time the build of one hostile page at a time, each in its own process with a time limit.

    PYTHONPATH=. python3 tests/tools/probe_costs.py                 # every case
    PYTHONPATH=. python3 tests/tools/probe_costs.py bracket table   # cases whose name contains a word
    PYTHONPATH=. python3 tests/tools/probe_costs.py within: data:   # only the cases inside every limit
    PROBE_TIMEOUT=60 PROBE_BYTES=50000 PYTHONPATH=. python3 tests/tools/probe_costs.py

Each case is a page (front matter and body) in a copy of the test project (tests/conftest.py); the time is that
of build_site() on the whole project, measured inside the worker. A case prints its seconds, the number of
errors, and the first problem, or TIMEOUT. The cases are the classes of input that made Python-Markdown, the
site's extensions or the checks slow: each is as big as the page-size limit allows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from sitegen.load.files import MAX_PAGE_BYTES  # noqa: E402
from sitegen.markup.extensions import limits  # noqa: E402
from tests.conftest import SITE_SETTINGS, SOURCES_PAGE, page  # noqa: E402

BUDGET = int(os.environ.get("PROBE_BYTES", MAX_PAGE_BYTES)) - 400  # room for the front matter


FIGURE = (
    "```icon-array\ntitle: t\naffected: 1\nstatement: 1 out of 100\naffected_label: a\nunaffected_label: b\nsources: [gauthier2021]\n```"
)


def fill(unit: str, budget: int = BUDGET, sep: str = "") -> str:
    """unit repeated (joined by sep) to fill about budget bytes."""
    count = max(1, budget // max(1, len((unit + sep).encode("utf-8"))))
    return sep.join([unit] * count)


def lines_of(unit: str, per_block: int | None = None, budget: int = BUDGET) -> str:
    """Lines of unit, in blocks of per_block lines separated by a blank line (one block when None)."""
    count = budget // (len(unit) + 1)
    if per_block is None:
        return "\n".join([unit] * count)
    blocks = ["\n".join([unit] * per_block)] * max(1, count // (per_block + 1))
    return "\n\n".join(blocks)


def wrap(text: str, width: int = 80) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def table(columns: int, rows: int) -> str:
    head = "|" + "|".join("h" for _ in range(columns)) + "|"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|"
    body = "|" + "|".join("a" for _ in range(columns)) + "|"
    return "\n".join([head, rule] + [body] * rows)


def nested(prefix: str, depth: int, text: str = "a") -> str:
    return "\n".join(prefix * d + text for d in range(depth))


CASES: dict[str, Callable[[], str]] = {
    # one long line
    "bang-bracket line": lambda: fill("!["),
    "lt-a line": lambda: fill("<a "),
    "bracket line": lambda: fill("["),
    "link-open line": lambda: fill("[a]("),
    "paren line": lambda: fill("("),
    "backtick-a line": lambda: fill("`a "),
    "entity line": lambda: fill("&#1;"),
    "digits line": lambda: fill("1"),
    "star line": lambda: fill("*a "),
    "underscore line": lambda: fill("_a "),
    "citation-open line": lambda: fill("[@"),
    "lt line": lambda: fill("<"),
    "comment-open line": lambda: fill("<!--"),
    "close-tag line": lambda: fill("</"),
    "lt-span line": lambda: fill("<span "),
    "url-lt line": lambda: fill("<http://a"),
    "backslash line": lambda: fill("\\"),
    "percent line": lambda: fill("1% "),
    "word line": lambda: fill("word "),
    "sentence line": lambda: fill("Cells fight cancer. "),
    "strong-open line": lambda: fill("**a "),
    "triple-star line": lambda: fill("***a "),
    "under-strong line": lambda: fill("__a "),
    "em line": lambda: fill("*a* "),
    "strong line": lambda: fill("**a** "),
    "link line": lambda: fill("[a](b) "),
    "link quote line": lambda: fill("[a](b ') "),
    "ref-open line": lambda: fill("[a]["),
    "charref-open line": lambda: fill("&#"),
    "entity-name line": lambda: fill("&a "),
    "pi line": lambda: fill("<?"),
    "decl line": lambda: fill("<!x"),
    "end-tag line": lambda: fill("</a"),
    "quote-tag line": lambda: fill("<a b='>"),
    "backtick-tag line": lambda: fill("<a`"),
    "span-comment line": lambda: fill("<span>", BUDGET // 2) + fill("<!--x-->", BUDGET // 2),
    "autolink line": lambda: fill("<http://a.b> "),
    "double-backtick line": lambda: fill("``a "),
    "long backtick run": lambda: "`" * BUDGET,
    # the same, wrapped over lines of 80 columns in one block
    "bang-bracket wrapped": lambda: wrap(fill("![")),
    "lt-a wrapped": lambda: wrap(fill("<a ")),
    "bracket wrapped": lambda: wrap(fill("[")),
    "link-open wrapped": lambda: wrap(fill("[a](")),
    "paren wrapped": lambda: wrap(fill("(")),
    "backtick-a wrapped": lambda: wrap(fill("`a ")),
    "star wrapped": lambda: wrap(fill("*a ")),
    "lt-span wrapped": lambda: wrap(fill("<span ")),
    "citation-open wrapped": lambda: wrap(fill("[@")),
    "entity wrapped": lambda: wrap(fill("&#1;")),
    "sentence wrapped": lambda: wrap(fill("Cells fight cancer. ")),
    # many lines
    "heading lines": lambda: lines_of("# a"),
    "pi lines": lambda: lines_of("<?x"),
    "decl lines": lambda: lines_of("<![x"),
    "cdata lines": lambda: lines_of("<![CDATA[x"),
    "alternating fences": lambda: lines_of("```\n\n~~~", per_block=1),
    "fence pairs": lambda: lines_of("```\n```", per_block=1),
    "setext headings": lambda: lines_of("a\n="),
    "fence lines": lambda: lines_of("```"),
    "tilde fence lines": lambda: lines_of("~~~"),
    "list items": lambda: lines_of("- a"),
    "numbered items": lambda: lines_of("1. a"),
    "quote lines": lambda: lines_of("> a"),
    "hr lines": lambda: lines_of("***"),
    "indented code": lambda: lines_of("    a"),
    "table-ish lines": lambda: lines_of("a|b"),
    "html block lines": lambda: lines_of("<div>"),
    "attr list lines": lambda: lines_of("a {: #x }"),
    "link reference lines": lambda: "\n".join(f"[r{i}]: http://a" for i in range(BUDGET // 20)),
    "reference uses": lambda: "\n".join(f"[a][r{i}]" for i in range(BUDGET // 12)),
    "citation lines": lambda: lines_of("A fact [@gauthier2021]."),
    "unknown citation lines": lambda: "\n".join(f"A [@zz{i}]." for i in range(BUDGET // 14)),
    "bad page link lines": lambda: "\n".join(f"[a](p{i}.md)" for i in range(BUDGET // 14)),
    "anchor link lines": lambda: "\n".join(f"[a](#x{i})" for i in range(BUDGET // 12)),
    "headings blocks": lambda: lines_of("## Heading", per_block=1),
    "duplicate headings": lambda: lines_of("## Same heading", per_block=1),
    # shapes
    "wide table": lambda: table(BUDGET // 4, 1),
    "long table": lambda: table(3, BUDGET // 10),
    "nested lists": lambda: nested("    ", 300, "- a"),
    "nested quotes": lambda: nested(">", 2000),
    "nested quotes one line": lambda: ">" * (BUDGET - 10) + " a",
    "nested brackets": lambda: "[" * 3000 + "a" + "](b)" * 3000,
    "nested emphasis": lambda: "*" * 5000 + "a" + "*" * 5000,
    "nested spans": lambda: "<span>" * 5000 + "a" + "</span>" * 5000,
    "many small blocks": lambda: lines_of("a", per_block=1),
    "paragraph blocks of sentences": lambda: "\n\n".join(["Cells fight cancer. " * 20] * (BUDGET // 420)),
    "one huge paragraph of sentences": lambda: wrap(fill("The long-term survival after a second infusion is not yet known. ")),
    "figures": lambda: "\n\n".join([FIGURE] * (BUDGET // 130)),
}


def blocks(block: str, budget: int = BUDGET, most: int | None = None) -> str:
    """Copies of block, separated by blank lines, to fill about budget bytes (or `most` copies), then plain prose."""
    count = max(1, budget // (len(block.encode("utf-8")) + 2))
    count = min(count, most if most is not None else count, limits.MAX_LINES // (block.count("\n") + 2))
    text = "\n\n".join([block] * count)
    rest = budget - len(text.encode("utf-8")) - 2
    return text + ("\n\n" + prose(rest) if rest > 200 and most is not None else "")


def prose(count: int) -> str:
    """Plain prose of about count characters, in paragraphs of 5 lines of 100 characters."""
    paragraph = "\n".join([("Cells fight cancer. " * 5)[:99]] * 5)
    return "\n\n".join([paragraph] * max(1, count // (len(paragraph) + 2)))


def words(count: int) -> str:
    """Plain words of count characters, in lines of 120."""
    return wrap(("cells " * (count // 6 + 1))[:count], 120)


def at_block_limit(head: str, tail: str = "") -> str:
    """A block of MAX_BLOCK_CHARS: head, plain words, tail."""
    return head + "\n" + words(limits.MAX_BLOCK_CHARS - len(head) - len(tail) - 200) + "\n" + tail


def marked(unit: str, marks: int) -> str:
    """Paragraphs of unit (which holds `marks` marks) up to the page's mark budget, then plain prose."""
    per_block = max(1, min(limits.MAX_BLOCK_CHARS // len(unit) - 1, limits.MAX_BLOCK_LINES * (80 // len(unit)), limits.MAX_MARKS // marks))
    block = wrap(unit * per_block, 80 // len(unit) * len(unit))
    return blocks(block, most=max(1, limits.MAX_MARKS // (marks * per_block)))


# Cases that stay inside every limit, each as costly as the limits allow.
WITHIN: dict[str, Callable[[], str]] = {
    "unclosed brackets": lambda: blocks(at_block_limit("[" * limits.MAX_UNCLOSED)),
    "unclosed brackets, small blocks": lambda: blocks(
        "[" * limits.MAX_UNCLOSED + " " + words(300), most=limits.MAX_MARKS // limits.MAX_UNCLOSED
    ),
    "deep brackets": lambda: blocks(at_block_limit("[" * limits.MAX_BRACKET_DEPTH, "]" * limits.MAX_BRACKET_DEPTH)),
    "bad addresses": lambda: blocks(at_block_limit("[a](" * limits.MAX_UNCLOSED)),
    "quoted addresses": lambda: blocks(at_block_limit("[a](b ') " * limits.MAX_UNCLOSED)),
    "backtick run": lambda: blocks(at_block_limit("`" * limits.MAX_UNCLOSED)),
    "backtick singles": lambda: blocks(at_block_limit("` " * limits.MAX_UNCLOSED)),
    "emphasis marks": lambda: marked("*a* ", 2),
    "strong marks": lambda: marked("**a** ", 2),
    "link marks": lambda: marked("[a](#b) ", 1),
    "image marks": lambda: marked("![a](b.png) ", 1),
    "citation marks": lambda: marked("[@gauthier2021] ", 1),
    "unknown citation marks": lambda: "\n\n".join(
        wrap(" ".join(f"[@k{b}x{i}]" for i in range(200)), 90) for b in range(limits.MAX_MARKS // 200)
    ),
    "code marks": lambda: marked("`a` ", 2),
    "entity marks": lambda: marked("&amp; ", 1),
    "br tags": lambda: marked("a<br> ", 1)[: limits.MAX_HTML_TAGS * 6],
    "autolinks": lambda: marked("<http://a.b> ", 1),
    "span and comment tags": lambda: (
        "<span>" * (limits.MAX_HTML_TAGS // 2) + "<!--x-->" * (limits.MAX_HTML_TAGS // 2 - 1) + "\n\n" + prose(BUDGET)
    ),
    "heading lines": lambda: blocks("\n".join(["# a"] * limits.MAX_BLOCK_LINES)),
    "setext headings": lambda: blocks("\n".join(["a\n="] * (limits.MAX_BLOCK_LINES // 2))),
    "hr lines": lambda: blocks("\n".join(["***"] * limits.MAX_BLOCK_LINES)),
    "list lines": lambda: blocks("\n".join(["- a"] * limits.MAX_BLOCK_LINES)),
    "quote lines": lambda: blocks("\n".join(["> a"] * limits.MAX_BLOCK_LINES)),
    "duplicate headings": lambda: blocks("## a"),
    "many blocks": lambda: blocks("a"),
    "loose list": lambda: blocks("- a"),
    "wide table": lambda: blocks(table(limits.MAX_LINE_CHARS // 2 - 2, 2), most=1),
    "long table": lambda: blocks(table(3, limits.MAX_BLOCK_LINES - 2), most=limits.MAX_ELEMENTS // (3 * limits.MAX_BLOCK_LINES)),
    "table cells": lambda: blocks(table(20, 8), most=limits.MAX_ELEMENTS // 200),
    "nested lists": lambda: blocks(nested("    ", 39, "- a")),
    "nested quotes": lambda: blocks(nested(">", 39)),
    "attr list line": lambda: blocks(wrap(" {a" * (limits.MAX_BLOCK_CHARS // 3 - 10), limits.MAX_LINE_CHARS - 2)),
    "link references": lambda: blocks("\n".join(f"[r{i}]: http://a" for i in range(limits.MAX_BLOCK_LINES))),
    "fenced blocks": lambda: blocks("```\n" + "\n".join(["a"] * (limits.MAX_BLOCK_LINES - 2)) + "\n```", most=limits.MAX_FENCES // 2),
    "figures": lambda: blocks(
        FIGURE,
        most=limits.MAX_FENCES // 2,
    ),
    "sentences": lambda: prose(BUDGET),
    "single quotes": lambda: blocks(wrap("don't " * 100, 600), most=limits.MAX_ELEMENTS // 20),
    "double quotes": lambda: blocks(wrap('"a" ' * 50, 600), most=limits.MAX_ELEMENTS // 20),
    "dashes and dots": lambda: blocks(wrap("a -- b ... " * 50, 600), most=limits.MAX_ELEMENTS // 20),
    "quote runs": lambda: blocks(wrap("'" * 1900, 1900), most=1),
    "odd entities": lambda: blocks("&#x110000; &#99999999999999999999; &#0; &#xD800; &nosuchentity; " * 10),
    "mixed list markers": lambda: blocks("\n".join(["- a", "* a", "+ a", "1. a", "1) a"] * 20)),
    "long words": lambda: blocks(wrap("Supercalifragilistic" * 90 + " ends. ", 1900)),
    "combining marks": lambda: blocks(wrap("a" + "\u0301" * 1900, 1900)),
    "reference definitions with titles": lambda: blocks("\n".join(f"[r{i}]: <http://a> 'title" for i in range(100))),
    "one citation of many keys": lambda: blocks("A [" + "; ".join(["@gauthier2021"] * 30) + "]."),
    "tags in a figure": lambda: "```icon-array\n" + "\n".join(["title: " + "<a " * 600] * (BUDGET // 1810)) + "\n```",
    "long lines in a figure": lambda: "```icon-array\ntitle: " + "[" * (BUDGET - 100) + "\n```",
    "long sentences": lambda: blocks(wrap("Cells fight cancer and the long-term survival is not yet known and " * 140, 100)),
    # what the limits leave to Python-Markdown as written: code, which they never count, and the '<' they allow
    "unfinished tags first": lambda: "\n".join(["<a b='x"] * limits.MAX_LONG_SCANS) + "\n\n" + prose(BUDGET - 2_000),
    "unfinished tags before words": lambda: (
        "\n".join(["Text <a"] * limits.MAX_LONG_SCANS) + "\n" + wrap(("cells " * 2_000)[:9_000], 1_000) + "\n\n" + prose(BUDGET - 12_000)
    ),
    "unfinished tags in code first": lambda: "\n".join(["`<a b='x` y"] * limits.MAX_LONG_SCANS) + "\n\n" + prose(BUDGET - 2_000),
    "unclosed comments first": lambda: "\n".join(["<!-- a"] * limits.MAX_LONG_SCANS) + "\n\n" + prose(BUDGET - 2_000),
    "processing instructions first": lambda: "\n".join(["<?x"] * limits.MAX_LONG_SCANS) + "\n\n" + prose(BUDGET - 2_000),
    "fenced code of long lines": lambda: "```\n" + "\n".join(["'[<a `" * 8_000] * (BUDGET // 48_001)) + "\n```",
    "fenced code of quotes and brackets": lambda: blocks("```\n" + "\n".join(["'\"[(<a *_" * 20] * 90) + "\n```", most=50),
    "code spans of quotes": lambda: blocks(wrap("`" + "'" * 1_900 + "` ", 1_903), most=limits.MAX_MARKS),
    "code spans of brackets": lambda: blocks(wrap("`[(<a` " * 1_300, 700), most=limits.MAX_MARKS // 1_300),
    "backticks closed by shorter ones": lambda: blocks(
        at_block_limit(" ".join("`" * length + "a" for length in range(limits.MAX_UNCLOSED + 1, 0, -1)))
    ),
}


def sources_page(entries: list[str], body: str = "The list of sources.") -> str:
    return SOURCES_PAGE.split("sources:")[0] + "sources:\n" + "\n".join(entries) + "\n---\n" + body + "\n"


def glossary_page(entries: list[str]) -> str:
    return page("Glossary", "The words.", 8, terms="\n" + "\n".join(entries))


FILLED = (BUDGET - 600) // 40  # entries of about 40 bytes that fill a page

# Cases that fill the front matter of the sources or glossary page, or the settings, as far as the limits allow.
DATA: dict[str, Callable[[], dict[str, str]]] = {
    "many sources, each cited": lambda: {
        "sources.md": sources_page([f"  - id: s{i}\n    title: T" for i in range(FILLED)]),
        "index.md": page(body=prose_cites([f"s{i}" for i in range(FILLED)])),
    },
    "many sources, unknown citations": lambda: {
        "sources.md": sources_page([f"  - id: source{i}\n    title: T" for i in range(FILLED)]),
        "index.md": page(body=prose_cites([f"sourc{i}x" for i in range(limits.MAX_MARKS)])),
    },
    "many broken sources, each cited": lambda: {
        "sources.md": sources_page([f"  - id: s{i}\n    titel: T" for i in range(FILLED)]),
        "index.md": page(body=prose_cites([f"s{i}" for i in range(limits.MAX_MARKS)])),
    },
    "many figures with unknown sources": lambda: {
        "sources.md": sources_page([f"  - id: source{i}\n    title: T" for i in range(FILLED // 2)]),
        "index.md": page(
            body=blocks(
                "```icon-array\ntitle: t\naffected: 1\nstatement: 1 out of 100\naffected_label: a\nunaffected_label: b\nsources:\n"
                + "\n".join(f"  - sourc{i}" for i in range(limits.MAX_BLOCK_LINES - 9))
                + "\n```",
                most=limits.MAX_FENCES // 2,
            )
        ),
    },
    "big glossary": lambda: {
        "glossary.md": glossary_page(
            [f"  - term: Word{i}\n    definition: A word.\n    sources: [gauthier2021]" for i in range((BUDGET - 600) // 70)]
        ),
        "index.md": page(body=prose(BUDGET)),
    },
    "glossary at its limit": lambda: {
        "glossary.md": glossary_page(
            [
                f"  - term: Cells of kind {i}\n    abbreviation: CK{i}\n    definition: A word.\n    sources: [gauthier2021]"
                for i in range(500)
            ]
        ),
        "index.md": page(body=prose(BUDGET)),
        "about.md": page("About", order=3, body=prose(BUDGET // 2)),
    },
    "glossary with unknown sources": lambda: {
        "sources.md": sources_page([f"  - id: source{i}\n    title: T" for i in range(FILLED)]),
        "glossary.md": glossary_page(
            [f"  - term: W{i}\n    definition: A.\n    sources: [sourc{i}x]" for i in range((BUDGET - 600) // 55)]
        ),
    },
    "many unknown fields": lambda: {"index.md": page(**{f"f{i}": "x" for i in range((BUDGET - 600) // 10)})},
    "many reviewers": lambda: {
        "index.md": page(reviewed_by="\n" + "\n".join("  - name: N\n    credentials: C" for _ in range(BUDGET // 36)))
    },
    "long flow list": lambda: {"index.md": page(keywords="[" + "a, " * (BUDGET // 3 - 100) + "a]")},
    "many flow lists": lambda: {"index.md": page(keywords="[" + "[a], " * (BUDGET // 5 - 100) + "a]")},
    "long title": lambda: {"index.md": page(title="Word " * (BUDGET // 6))},
    "many urgent-help sources": lambda: {
        "sources.md": sources_page([f"  - id: source{i}\n    title: T" for i in range(FILLED)]),
        "_site.yml": SITE_SETTINGS.replace("sources: [gauthier2021]", "sources: [" + ", ".join(f"sourc{i}x" for i in range(FILLED)) + "]"),
    },
    "many urgent-help words": lambda: {
        "_site.yml": SITE_SETTINGS.replace("[side effect, side effects, CRS]", "[" + ", ".join(f"w{i}" for i in range(BUDGET // 8)) + "]"),
        "index.md": page(body=prose(BUDGET)),
    },
}


def prose_cites(keys: list[str]) -> str:
    """A sentence citing each key, in paragraphs of 20 lines."""
    lines = [f"A fact [@{key}]." for key in keys]
    return "\n\n".join("\n".join(lines[i : i + 20]) for i in range(0, len(lines), 20))


ALL: dict[str, Callable[[], str | dict[str, str]]] = {
    **CASES,
    **{f"within: {name}": make for name, make in WITHIN.items()},
    **{f"data: {name}": make for name, make in DATA.items()},
}


def run_case(name: str, case: str | dict[str, str], timeout: float) -> dict[str, object]:
    """Build the test project with case: the home page's body, or whole files of content/ by name."""
    folder = Path(tempfile.mkdtemp(prefix="probe-"))
    files = {"_site.yml": SITE_SETTINGS, "sources.md": SOURCES_PAGE}
    files |= case if isinstance(case, dict) else {"index.md": page(body=case, reading_level_exempt="true")}
    files.setdefault("index.md", page())
    try:
        shutil.copytree(REPO / "templates", folder / "templates")
        (folder / "content").mkdir()
        for file_name, text in files.items():
            (folder / "content" / file_name).write_text(text, encoding="utf-8")
        size = max((folder / "content" / file_name).stat().st_size for file_name in files)
        worker = (
            "import json, sys, time, datetime\n"
            "from pathlib import Path\n"
            "from sitegen.pipeline import BuildOptions, build_site\n"
            "f = Path(sys.argv[1])\n"
            "o = BuildOptions(f / 'content', f / 'templates', f / 'site', check_only=True, today=datetime.date(2026, 3, 1))\n"
            "t = time.perf_counter(); r = build_site(o); s = time.perf_counter() - t\n"
            "errors = [str(p) for p in r.problems if p.is_error]\n"
            "print(json.dumps({'seconds': s, 'errors': len(errors), 'first': errors[0] if errors else ''}))\n"
        )
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-c", worker, str(folder)],
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=folder,
                env={**os.environ, "PYTHONPATH": str(REPO)},
            )
        except subprocess.TimeoutExpired:
            return {"name": name, "bytes": size, "seconds": None, "wall": time.perf_counter() - started}
        if done.returncode != 0:
            return {"name": name, "bytes": size, "crash": done.stderr.strip().splitlines()[-1:]}
        return {"name": name, "bytes": size, **json.loads(done.stdout)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    timeout = float(os.environ.get("PROBE_TIMEOUT", "30"))
    chosen = [n for n in ALL if not argv or any(word in n for word in argv)]
    worst = 0.0
    for name in chosen:
        result = run_case(name, ALL[name](), timeout)
        if "crash" in result:
            print(f"{name:34} CRASH {result['crash']}")
            worst = float("inf")
        elif result["seconds"] is None:
            print(f"{name:34} TIMEOUT after {timeout:.0f} s ({result['bytes']} bytes)")
            worst = float("inf")
        else:
            seconds = float(result["seconds"])  # type: ignore[arg-type]
            worst = max(worst, seconds)
            print(f"{name:34} {seconds:7.2f} s  {result['bytes']:7} bytes  {result['errors']:6} errors  {str(result['first'])[:110]}")
        sys.stdout.flush()
    print(f"worst: {worst:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
