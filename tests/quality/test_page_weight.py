"""Size budget: no page of the built site is above 50 KB (HTML, CSS and SVG together) or 3 requests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.quality.conftest import TOOLS

PAGE_WEIGHT = TOOLS / "page_weight.py"


def run_page_weight(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(PAGE_WEIGHT), "--site", str(site), *args], capture_output=True, text=True, timeout=60)


def test_every_page_is_within_50_kb_and_3_requests(built_site: Path, site_pages: list[str]) -> None:
    completed = run_page_weight(built_site)
    print(completed.stdout)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    table = completed.stdout.splitlines()
    assert table[0].split()[0] == "page" and table[0].split()[-1] == "requests"
    assert sorted(line.split()[0] for line in table[1 : 1 + len(site_pages)]) == site_pages


def test_the_budget_fails_a_page_above_the_limits(built_site: Path) -> None:
    completed = run_page_weight(built_site, "--max-bytes", "1000", "--max-requests", "1")
    assert completed.returncode == 1
    assert "index.html: " in completed.stderr and "is above the limit of 1,000" in completed.stderr
    assert "requests is above the limit of 1" in completed.stderr


def test_the_script_counts_every_request_the_browser_makes(browser, built_site: Path, site_url: str) -> None:
    completed = run_page_weight(built_site, "--json")
    assert completed.returncode == 0, completed.stderr
    counted = {item["page"]: {item["page"], *item["resources"]} for item in json.loads(completed.stdout)}
    context = browser.new_context()
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url.removeprefix(f"{site_url}/")))
    missed: list[str] = []
    try:
        page = context.new_page()
        for name, resources in sorted(counted.items()):
            seen.clear()
            page.goto(f"{site_url}/{name}", wait_until="load")
            assert name in seen and "style.css" in seen, f"{name}: requests were not recorded: {seen}"
            missed += [f"{name}: the browser requested {url}, which the script did not count" for url in seen if url not in resources]
    finally:
        context.close()
    assert not missed, "\n".join(missed)
