"""The Nu Html Checker (vnu) finds no error on any page of the built site, 404.html included."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.quality.conftest import VNU_JAR, require_node_tool

# Checked in the same run as the site: proves that vnu really reads the files and that its report is parsed.
BROKEN_PAGE = '<!doctype html><html lang="en"><head><title>Broken</title></head><body><p><div>block in p</span></body></html>\n'


def test_nu_html_checker_finds_no_errors_on_any_page(built_site: Path, site_pages: list[str], java: str, tmp_path: Path) -> None:
    vnu = require_node_tool(VNU_JAR, "Nu Html Checker (npm vnu-jar)")
    canary = tmp_path / "broken.html"
    canary.write_text(BROKEN_PAGE, encoding="utf-8")
    pages = [built_site / name for name in site_pages]
    # One JVM for every page. The JSON report goes to stdout only with --stdout.
    completed = subprocess.run(
        [java, "-XX:-UsePerfData", "-jar", str(vnu), "--errors-only", "--format", "json", "--stdout", str(canary), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(completed.stdout)["messages"]
    canary_errors = [m for m in messages if Path(m.get("url", "").removeprefix("file:")) == canary]
    assert canary_errors, f"vnu did not report the broken canary page: {completed.stdout}{completed.stderr}"
    site_errors = [
        f"{Path(m.get('url', '').removeprefix('file:')).relative_to(built_site)}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}"
        for m in messages
        if m not in canary_errors
    ]
    assert not site_errors, "\n".join(site_errors)
    assert completed.returncode == 1  # because of the canary only
