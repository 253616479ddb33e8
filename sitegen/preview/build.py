"""Building and swapping: every preview build goes into a new folder; a finished build is swapped in whole.

build() runs in a worker thread and touches nothing that is being served. publish() runs on the server's thread,
between requests: it points the server at the new folder, works out what changed from the build's digests
(BuildResult.digests, never by reading the site back), and removes the folder it replaces. So a request sees
the last good build or the new one, never a mix and never a half-written folder.
"""

from __future__ import annotations

import gc
import shutil
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import pipeline
from ..problems import Problem, display_path, error

SITEGEN = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Outcome:
    """A finished build that is not served yet."""

    site_dir: Path | None  # the new folder; None when the build failed or crashed
    problems: tuple[Problem, ...]
    failed: bool
    seconds: float
    digests: dict[str, str] = field(default_factory=dict)  # output path -> sha256, from BuildResult.digests
    crash: str | None = None  # the traceback, when the generator raised


@dataclass(frozen=True)
class Published:
    """What serving a build changed: output files (paths relative to the site) and whether the error state changed."""

    outcome: Outcome
    changed: tuple[str, ...]
    panel_changed: bool  # the problems shown over the page (errors, or warnings and notices) changed
    first: bool

    def reload_messages(self) -> list[dict[str, object]]:
        """livereload protocol messages: stylesheets alone are swapped in place, anything else reloads the page."""
        if not self.changed and not self.panel_changed:
            return []
        if self.panel_changed or any(not path.endswith(".css") for path in self.changed):
            return [reload_message("*")]
        return [reload_message(path) for path in self.changed]


def reload_message(path: str) -> dict[str, object]:
    return {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}


class PreviewBuild:
    """Builds the site, drafts included, into folders of its own, and serves the last good one."""

    def __init__(self, options: pipeline.BuildOptions, folder: Path) -> None:
        self.options = replace(options, include_drafts=True, check_only=False)
        self.folder = folder
        self.site_dir: Path | None = None  # the folder being served: the last good build
        self.errors: tuple[Problem, ...] = ()  # the problems of the last build, while it is failing
        self.warnings: tuple[Problem, ...] = ()  # the warnings and notices of the last build, when it succeeded
        self.generation = 0  # goes up whenever what a page shows changes
        self.builds = 0  # only build() changes it, and one build runs at a time
        self.published = 0
        self._digests: dict[str, str] = {}
        self.cache = pipeline.build_cache(options)  # kept between rebuilds: a save re-renders only what it touched

    def build(self) -> Outcome:
        """One build into a new folder. Never raises: a crash of the generator is an outcome like a failed build."""
        self.builds += 1
        target = self.folder / f"site-{self.builds}"
        started = time.perf_counter()
        try:
            result = pipeline.build_site(replace(self.options, site_dir=target, earlier_site=self.site_dir), self.cache)
        except Exception as exc:  # a bug in the generator must not stop the preview
            crash = crash_problem(exc, self.options.content_dir)
            return Outcome(None, (crash,), True, time.perf_counter() - started, crash=traceback.format_exc())
        settle_memory(self.builds)
        failed = result.failed(self.options.strict) or not result.written
        return Outcome(
            None if failed else target,
            tuple(result.problems),
            failed,
            time.perf_counter() - started,
            {} if failed else dict(result.digests),
        )

    def publish(self, outcome: Outcome) -> Published:
        """Serve a finished build (on the server's thread): a failed one keeps the last good pages and shows its problems."""
        changed: list[str] = []
        if not outcome.failed and outcome.site_dir is not None:
            digests = outcome.digests
            changed = sorted(p for p in digests.keys() | self._digests.keys() if digests.get(p) != self._digests.get(p))
            replaced, self.site_dir, self._digests = self.site_dir, outcome.site_dir, digests
            if replaced is not None:  # every build has a folder of its own
                shutil.rmtree(replaced, ignore_errors=True)
        errors = outcome.problems if outcome.failed else ()
        warnings = () if outcome.failed else tuple(p for p in outcome.problems if not p.is_error)
        panel_changed = (errors, warnings) != (self.errors, self.warnings)
        published = Published(outcome, tuple(changed), panel_changed, first=self.published == 0)
        self.errors, self.warnings = errors, warnings
        self.published += 1
        if published.changed or published.panel_changed:
            self.generation += 1
        return published

    def discard(self, outcome: Outcome) -> None:
        """Drop a build that will never be served (it finished after the preview began to stop)."""
        if outcome.site_dir is not None:
            shutil.rmtree(outcome.site_dir, ignore_errors=True)


FULL_COLLECTION_EVERY = 20  # builds


def settle_memory(builds: int) -> None:
    """What the preview keeps between builds (the cache of every page) is long-lived: frozen, Python's collector
    does not walk it again during every build, which at 1000 pages took a third of a rebuild. Every few builds it
    is unfrozen and collected once, so that nothing unreachable is kept for long."""
    if builds % FULL_COLLECTION_EVERY == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def crash_problem(exc: BaseException, content_dir: Path) -> Problem:
    """The crash, at the generator's line that raised (the innermost frame in sitegen/), for the panel and the terminal."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().is_relative_to(SITEGEN)]
    path, line = (display_path(Path(frames[-1].filename)), frames[-1].lineno or 1) if frames else (display_path(content_dir), 1)
    return error(
        path,
        line,
        f"the generator crashed ({type(exc).__name__}: {exc}); this is a bug in the generator: please report it with the "
        "traceback printed where the preview runs. The preview keeps showing the last good pages",
    )
