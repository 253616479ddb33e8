"""A generated library of a few hundred pages in sections: serial, parallel, cold and warm builds write the same bytes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from sitegen.render import parallel
from tests.conftest import REPO, SITE_SETTINGS, SOURCES_PAGE, page

pytestmark = pytest.mark.slow  # a minute or more: the slow layer

SECTIONS = ("asthma", "diabetes", "heart", "kidneys", "skin", "sleep")
PAGES_PER_SECTION = 40
WORDS = "your care team can explain what the test shows and how often you will have it before each visit".split()


def write_library(root: Path, seed: int = 7) -> list[Path]:
    """A deterministic library: each page has headings, a list, a table, cited numbers and links to other pages."""
    rng = random.Random(seed)
    content = root / "content"
    (content).mkdir(parents=True)
    (content / "_site.yml").write_text(SITE_SETTINGS)
    (content / "sources.md").write_text(SOURCES_PAGE)
    (content / "index.md").write_text(page(body="Hello [@gauthier2021]. See [the first leaflet](asthma/page-000.md)."))
    written = []
    for s, section in enumerate(SECTIONS):
        (content / section).mkdir()
        for i in range(PAGES_PER_SECTION):
            other = SECTIONS[(s + 1) % len(SECTIONS)]
            sentences = [" ".join(rng.choice(WORDS) for _ in range(9)).capitalize() + "." for _ in range(12)]
            body = (
                f"## About {section} {i}\n\n{' '.join(sentences[:6])}\n\n"
                f"- {sentences[6]}\n- {sentences[7]}\n\n| Test | Time |\n|---|---|\n| Blood test | {i % 50} minutes |\n\n"
                f"About {i % 90 + 5} out of 100 people ({i % 90 + 5}%) had a response [@gauthier2021].\n\n"
                f"Read [the next page](page-{(i + 1) % PAGES_PER_SECTION:03d}.md) or [another](../{other}/page-{i:03d}.md).\n"
            )
            path = content / section / f"page-{i:03d}.md"
            path.write_text(page(title=f"{section.capitalize()} leaflet {i}", body=body, order=i + 1))
            written.append(path)
    return written


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library")
    write_library(root)
    return root


def build(root: Path, site: str, *args: str, cached: bool = False) -> int:
    common = ["--as-of", "2026-03-01", "--content", str(root / "content"), "--templates", str(REPO / "templates")]
    return main([*args, *common, "--site", str(root / site)], project_root=root if cached else None)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_serial_and_parallel_builds_write_the_same_bytes(
    library: Path, method: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers forked (Linux, one thread) or spawned (macOS, Windows, the preview's build thread) give a serial build's bytes."""
    if not (library / "serial").exists():
        assert build(library, "serial", "--jobs", "1", "--no-cache") == 0, capsys.readouterr().err
    started = []
    monkeypatch.setattr(parallel, "start_method", lambda: started.append(method) or method)
    assert build(library, method, "--jobs", "2", "--no-cache") == 0, capsys.readouterr().err
    assert started == [method]
    serial = snapshot(library / "serial")
    assert len([p for p in serial if p.endswith(".html")]) == len(SECTIONS) * (PAGES_PER_SECTION + 1) + 3
    assert snapshot(library / method) == serial


def test_workers_are_forked_only_on_linux_from_a_process_with_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert parallel.start_method() == "fork"
    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert parallel.start_method() == "spawn"
    monkeypatch.setattr(sys, "platform", "linux")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.start_method() == "spawn"  # the preview builds in a thread of its own
    finally:
        stop.set()
        thread.join()


def test_a_warm_rebuild_renders_only_the_changed_page_and_equals_a_clean_build(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(library, "warm", cached=True) == 0
    capsys.readouterr()
    assert build(library, "warm", cached=True) == 0
    assert "Rendered 0 pages; the others were unchanged and came from the build cache." in capsys.readouterr().out
    changed = library / "content" / "heart" / "page-007.md"
    changed.write_text(changed.read_text().replace("had a response", "had a response to treatment"))
    assert build(library, "warm", cached=True) == 0
    assert "Rendered 1 page; the others were unchanged and came from the build cache." in capsys.readouterr().out
    assert build(library, "clean", "--no-cache") == 0
    assert snapshot(library / "warm") == snapshot(library / "clean")
    assert "to treatment" in (library / "warm" / "heart" / "page-007.html").read_text()


def test_a_change_that_every_page_shows_renders_every_page_again(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(library, "nav", cached=True) == 0
    settings = library / "content" / "_site.yml"
    settings.write_text(settings.read_text().replace("title: Test site", "title: Test library"))
    capsys.readouterr()
    assert build(library, "nav", cached=True) == 0
    out = capsys.readouterr().out
    assert "came from the build cache" not in out
    assert "Test library" in (library / "nav" / "sleep" / "page-039.html").read_text()


def test_ctrl_c_during_a_parallel_build_stops_it_cleanly_and_keeps_the_last_good_site(library: Path) -> None:
    assert build(library, "interrupted") == 0
    before = snapshot(library / "interrupted")
    command = [sys.executable, str(REPO / "build.py"), "build", "--no-cache", "--jobs", "2", "--as-of", "2026-03-01"]
    command += ["--content", str(library / "content"), "--templates", str(REPO / "templates"), "--site", str(library / "interrupted")]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C reaches a terminal's whole process group: the build and its workers
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 (a shell may have ignored it)
    )
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 30
    while not children.read_text().split():  # the workers have started: pages are being rendered
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, (out, err)
    assert err == f"Stopped (Ctrl-C) before the build finished; {library / 'interrupted'}/ was not changed.\n"
    assert snapshot(library / "interrupted") == before
