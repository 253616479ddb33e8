"""The quality tools, installed by .ci/install-tools: the Nu Html Checker (on Java), axe-core and Lighthouse (on node).

The real site they check is built once per run by tests/conftest.py (built_site, site_url, site_pages).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.support import TOOLS

NODE_MODULES = TOOLS / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"


def require_node_tool(path: Path, what: str) -> Path:
    """The path of a tool installed by `npm ci` in tests/tools; skips locally, fails in CI, when it is missing."""
    require_tool(path.exists(), f"{what} (npm ci in tests/tools)")
    return path


@pytest.fixture(scope="session")
def java() -> str:
    found = shutil.which("java")
    require_tool(found is not None, "Java (Debian package 'default-jre-headless')")
    return str(found)
