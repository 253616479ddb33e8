"""A preview whose first build renders in worker processes (a site of 40 pages or more, with no cache)."""

from __future__ import annotations

import re
import time

import pytest

from sitegen.render.parallel import SERIAL_BELOW
from tests.conftest import Project, page
from tests.preview.test_preview import http_get, start_preview

pytestmark = pytest.mark.slow  # a minute or more: the slow layer


def test_a_preview_whose_first_build_renders_in_worker_processes_keeps_serving_and_rebuilding(project: Project) -> None:
    for n in range(SERIAL_BELOW + 5):
        project.write(f"content/leaflets/leaflet-{n:02}.md", page(f"Leaflet {n}", order=n + 1))
    preview = start_preview(project, "--no-cache", "--jobs", "2")
    try:
        assert "Built the preview" in preview.output, preview.output
        time.sleep(0.5)  # a stop the workers set off arrives at once
        assert preview.process.poll() is None, preview.output
        assert http_get(preview.url, "/leaflets/leaflet-07.html")[0] == 200
        project.write("content/leaflets/leaflet-07.md", page("Leaflet 7", body="Saved while the preview runs [@gauthier2021].", order=8))
        preview.wait_for(re.compile(r"^Rebuilt in \d+ ms"))
        assert b"Saved while the preview runs" in http_get(preview.url, "/leaflets/leaflet-07.html")[2]
        assert "Preview stopped." not in preview.output and "Traceback" not in preview.output
    finally:
        assert preview.stop() == 0
