"""Size budget: no page of the built site is above 50 KB (HTML, CSS and SVG together) or 3 requests, and each page's
HTML, its stylesheet inside it, fits in the first round trip: 14 KB gzipped, with no stylesheet that blocks rendering.

(That the script counts every request a browser makes is tested in tests/browser/test_page_requests.py.)"""

from __future__ import annotations

from pathlib import Path

from tests.support import run_page_weight

FIRST_ROUND_TRIP = 14 * 1024


def test_every_page_is_within_50_kb_and_3_requests_and_its_first_load_within_14_kb_gzipped(built_site: Path, site_pages: list[str]) -> None:
    completed = run_page_weight(built_site)
    print(completed.stdout)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    table = completed.stdout.splitlines()
    assert table[0].split()[:3] == ["page", "HTML", "gzipped"] and table[0].split()[-1] == "requests"
    rows = {line.split()[0]: line.split() for line in table[1 : 1 + len(site_pages)]}
    assert sorted(rows) == site_pages
    for name, row in rows.items():
        assert 0 < int(row[2].replace(",", "")) <= FIRST_ROUND_TRIP, name
        assert row[4] == "0", f"{name} loads a stylesheet"  # the CSS column: the stylesheet is inside the page


def test_the_budget_fails_a_page_above_the_limits(built_site: Path) -> None:
    completed = run_page_weight(built_site, "--max-bytes", "1000", "--max-requests", "1", "--max-first-load", "2000")
    assert completed.returncode == 1
    assert "index.html: " in completed.stderr and "is above the limit of 1,000" in completed.stderr
    assert "requests is above the limit of 1" in completed.stderr
    assert "bytes gzipped is above the 2,000 of the first round trip" in completed.stderr


def test_a_stylesheet_that_blocks_rendering_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("body { color: black; }\n")
    (tmp_path / "print.css").write_text("body { color: black; }\n")
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title><link rel="stylesheet" href="style.css">'
        '<link rel="stylesheet" href="print.css" media="print"><style>@import url("more.css");</style></head><body></body></html>'
    )
    (tmp_path / "more.css").write_text("p { margin: 0; }\n")
    completed = run_page_weight(tmp_path)
    assert completed.returncode == 1
    assert completed.stderr.splitlines() == [
        'index.html: <link rel="stylesheet" href="style.css"> blocks rendering: the first paint waits for another round trip',
        "index.html: @import more.css blocks rendering: the first paint waits for another round trip",
    ]
