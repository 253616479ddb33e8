"""Save-to-screen time of `build.py serve`: from writing a content file to the new text showing in headless Chromium.

Copies the real content and templates into a temporary folder, starts the preview there, opens a page, then saves
that page N times with a new sentence each time. For each save it takes the time from just before the write to the
first animation frame after the new document has loaded, and prints the median and the 95th percentile.

    python3 tests/tools/bench_preview.py [--saves 20] [--page efficacy]
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402 (after the path is set)
from tests.support import BUILT, PreviewProcess, latest_review  # noqa: E402

REBUILT = re.compile(r"^Rebuilt in (\d+) ms")
# Runs in every document the tab loads: the time of the first frame after the document is ready.
MARK_SHOWN = "addEventListener('DOMContentLoaded', () => requestAnimationFrame(() => { window.shownAt = Date.now(); }));"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(url: str, source: Path, saves: int) -> list[float]:
    original = source.read_text(encoding="utf-8")
    times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        tab = browser.new_page()
        tab.add_init_script(MARK_SHOWN)
        tab.goto(url)
        tab.wait_for_selector("html[data-preview=connected]", state="attached")
        for number in range(1, saves + 1):
            marker = f"Benchmark save number {number} of {saves}."
            written_at = time.time() * 1000
            source.write_text(original.replace("\n## ", f"\n{marker}\n\n## ", 1), encoding="utf-8")
            tab.get_by_text(marker, exact=True).wait_for(timeout=10_000)
            while (shown_at := tab.evaluate("window.shownAt")) is None:  # the frame after the text arrived
                time.sleep(0.005)
            times.append(shown_at - written_at)
            tab.wait_for_selector("html[data-preview=connected]", state="attached")
            time.sleep(0.3)
        browser.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=20, help="number of saves to time (default: 20)")
    parser.add_argument("--page", default="efficacy", help="content page to edit, without .md (default: efficacy)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as temp:
        root = Path(temp)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "templates", root / "templates")
        paths = ["--content", str(root / "content"), "--templates", str(root / "templates")]
        preview = PreviewProcess(root, *paths, "--as-of", latest_review(root / "content").isoformat())
        try:
            preview.wait_for(BUILT)
            times = measure(preview.url + f"{args.page}.html", root / "content" / f"{args.page}.md", args.saves)
        finally:
            preview.stop(signal.SIGTERM)
        output = preview.lines
    print(f"{len(times)} saves of content/{args.page}.md, save to new text on screen in headless Chromium:")
    print(f"  median {statistics.median(times):.0f} ms, 95th percentile {percentile(times, 0.95):.0f} ms")
    print(f"  fastest {min(times):.0f} ms, slowest {max(times):.0f} ms")
    builds = [float(m.group(1)) for line in output if (m := REBUILT.search(line))]
    if builds:
        print(f"  of which the rebuild: median {statistics.median(builds):.0f} ms over {len(builds)} rebuilds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
