"""The GitHub Actions workflows pass zizmor, a security linter for them (pinned in the test extra).

zizmor runs offline: the audits that ask GitHub about actions' tags and commits are left out, so the result does not
depend on the network. A finding that is accepted is marked in the workflow itself, with the reason beside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from tests.conftest import REPO, require_tool


def test_zizmor_finds_nothing_in_the_workflows_at_its_default_level() -> None:
    zizmor = shutil.which("zizmor")
    require_tool(zizmor is not None, "zizmor (pip, from the test extra)")
    assert zizmor is not None
    completed = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--color", "never", ".github/workflows"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.startswith("No findings to report."), completed.stdout + completed.stderr
