#!/usr/bin/env python3
"""Lighthouse (mobile) on a few pages of a built site: prints the scores and fails below the targets.

    python3 build.py && python3 tests/tools/lighthouse_check.py --site site

The site is served on 127.0.0.1 for the run. Lighthouse's default configuration is its mobile preset (a
412 px wide phone, slow 4G and a 4x slower CPU, simulated); this script asks for it explicitly. Targets: 100 in
accessibility, best practices and SEO, and at least 95 in performance. Exits 1 below a target, 2 when a tool
is missing (run .ci/install-tools).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS.parents[1]))

from tests.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402 (after the path is set)
from tests.support import serve_folder  # noqa: E402

LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = " ".join(["--headless", *CHROMIUM_FLAGS])
PAGES = ("index.html", "efficacy.html")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def run_lighthouse(url: str, workdir: Path) -> dict:
    """One Lighthouse run; returns its JSON report. Raises RuntimeError when Lighthouse fails."""
    report = workdir / "report.json"
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": str(workdir)}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--form-factor=mobile",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    if completed.returncode != 0 or not report.is_file():
        raise RuntimeError(f"Lighthouse failed on {url} (exit {completed.returncode}):\n{completed.stderr[-2000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()
    if data.get("runtimeError"):
        raise RuntimeError(f"Lighthouse failed on {url}: {data['runtimeError']}")
    return data


def scores(report: dict) -> dict[str, int | None]:
    """Category scores from 0 to 100 (None when Lighthouse could not score a category)."""
    result: dict[str, int | None] = {}
    for key in TARGETS:
        score = report["categories"][key]["score"]
        result[key] = None if score is None else round(score * 100)
    return result


def failed_audits(report: dict, category: str) -> list[str]:
    """The scored audits of a category that lost points, to say why a score is below its target."""
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            found.append(f"{audit['id']}: {audit['title']}{shown}")
    return found


def check(site: Path, pages: tuple[str, ...]) -> int:
    missing = [str(p) for p in (LIGHTHOUSE, CHROMIUM) if not p.exists()]
    if missing or shutil.which("node") is None:
        print(f"lighthouse_check: missing {', '.join(missing) or 'node'}; run .ci/install-tools", file=sys.stderr)
        return 2
    if not all((site / page).is_file() for page in pages):
        print(f"lighthouse_check: {site} does not hold {', '.join(pages)}; build the site first", file=sys.stderr)
        return 2
    failures: list[str] = []
    print(f"{'page':<16}" + "".join(f"{key:>16}" for key in TARGETS) + f"{'seconds':>10}")
    workdir = Path(tempfile.mkdtemp(prefix="lighthouse-check-"))
    try:
        with serve_folder(site) as base:
            for page in pages:
                started = time.perf_counter()
                report = run_lighthouse(f"{base}{page}", workdir)
                got = scores(report)
                cells = "".join(f"{'-' if got[key] is None else got[key]:>16}" for key in TARGETS)
                print(f"{page:<16}{cells}{time.perf_counter() - started:>10.1f}", flush=True)
                for key, target in TARGETS.items():
                    if got[key] is None or got[key] < target:
                        reasons = "; ".join(failed_audits(report, key)) or "no single audit named"
                        failures.append(f"{page}: {key} {got[key]} is below {target}: {reasons}")
    except RuntimeError as exc:
        failures.append(str(exc))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("Targets: " + ", ".join(f"{key} {'>= ' if value < 100 else ''}{value}" for key, value in TARGETS.items()) + ".")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=TOOLS.parents[1] / "site", help="built site folder (default: site/)")
    parser.add_argument("pages", nargs="*", default=list(PAGES), help=f"pages to audit (default: {' '.join(PAGES)})")
    args = parser.parse_args(argv)
    return check(args.site, tuple(args.pages))


if __name__ == "__main__":
    sys.exit(main())
