"""The preview server as the editor runs it (`build.py serve`, in its own process), and a browser tab to watch it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.conftest import AS_OF, Project
from tests.support import BUILT, SERVING, PreviewProcess


@pytest.fixture
def start_preview(project: Project) -> Iterator[Callable[..., PreviewProcess]]:
    """Starts previews of the project; every one still running at the end of the test is stopped."""
    started: list[PreviewProcess] = []

    def start(*args: str) -> PreviewProcess:
        paths = ["--as-of", AS_OF.isoformat(), "--content", str(project.content), "--templates", str(project.templates)]
        preview = PreviewProcess(project.root, *paths, *args)
        started.append(preview)
        return preview

    yield start
    for preview in started:
        preview.stop()


@pytest.fixture
def preview(start_preview: Callable[..., PreviewProcess]) -> PreviewProcess:
    """A running preview of the project, with its first build done."""
    server = start_preview()
    server.wait_for(SERVING)
    server.wait_for(BUILT)
    return server


@pytest.fixture
def tab(browser) -> Iterator:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
