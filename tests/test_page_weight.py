"""Size budget: no page of the built site is above 50 KB (HTML, CSS and SVG together) or 3 requests.

(That the script counts every request a browser makes is tested in tests/browser/test_page_requests.py.)"""

from __future__ import annotations

from pathlib import Path

from tests.support import run_page_weight


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
