"""tests/tools/page_weight.py counts every request a browser makes for a page of the built site."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import run_page_weight


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
            assert name in seen, f"{name}: requests were not recorded: {seen}"
            missed += [f"{name}: the browser requested {url}, which the script did not count" for url in seen if url not in resources]
    finally:
        context.close()
    assert not missed, "\n".join(missed)
