"""Lighthouse, mobile preset, on the home and efficacy pages and the Spanish home page: 100 in accessibility, best practices
and SEO, 95+ in performance."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import CHROMIUM, require_tool
from tests.quality.conftest import LIGHTHOUSE, require_node_tool
from tests.support import TOOLS


def test_lighthouse_scores_meet_the_targets(built_site: Path) -> None:
    require_node_tool(LIGHTHOUSE, "Lighthouse (npm)")
    require_tool(shutil.which("node") is not None and CHROMIUM.exists(), "node and Chromium")
    completed = subprocess.run(
        [sys.executable, str(TOOLS / "lighthouse_check.py"), "--site", str(built_site), "index.html", "efficacy.html", "es/index.html"],
        capture_output=True,
        text=True,
        timeout=400,
    )
    print(completed.stdout)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    rows = [line.split() for line in completed.stdout.splitlines()]
    assert [row[0] for row in rows[1:4]] == ["index.html", "efficacy.html", "es/index.html"]
