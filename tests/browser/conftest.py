"""The preview server as the editor runs it (`build.py serve`, in its own process), and a browser tab to watch it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import AS_OF, REPO, Project

SERVING = re.compile(r"Serving the preview at (http://\S+) ")
FOLDER = re.compile(r"Preview files are in (\S+) ")


class PreviewProcess:
    """`python build.py serve --port 0` on a project; its output is collected line by line."""

    def __init__(self, project: Project, *args: str) -> None:
        self.temp = project.root / "tmp"
        self.temp.mkdir(exist_ok=True)
        command = [sys.executable, str(REPO / "build.py"), "serve", "--port", "0"]
        command += ["--as-of", AS_OF.isoformat(), "--content", str(project.content), "--templates", str(project.templates), *args]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(self.temp)}
        self.process = subprocess.Popen(
            command, cwd=project.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 20) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if match := pattern.search(line):
                    return match
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.02)
        raise AssertionError(f"no line matching {pattern.pattern!r} in the preview's output:\n{self.output}")

    @property
    def url(self) -> str:
        return self.wait_for(SERVING).group(1)

    @property
    def folder(self) -> Path:
        return Path(self.wait_for(FOLDER).group(1))

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10) -> int:
        """Stop the server as a terminal or a process manager would; kill it if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"the preview did not stop within {timeout} s:\n{self.output}") from None
        finally:
            self._reader.join(timeout=5)


@pytest.fixture
def start_preview(project: Project) -> Iterator[Callable[..., PreviewProcess]]:
    """Starts previews of the project; every one still running at the end of the test is stopped."""
    started: list[PreviewProcess] = []

    def start(*args: str) -> PreviewProcess:
        preview = PreviewProcess(project, *args)
        started.append(preview)
        return preview

    yield start
    for preview in started:
        preview.stop()


@pytest.fixture
def preview(start_preview: Callable[..., PreviewProcess]) -> PreviewProcess:
    """A running preview of the project, ready to serve."""
    server = start_preview()
    server.wait_for(SERVING)
    return server


@pytest.fixture
def tab(browser) -> Iterator:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
