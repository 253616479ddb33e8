"""Watching: which file-system events are saves of the site's sources, and the Rebuilder that turns saves into builds.

watchdog (inotify on Linux) reports events on its own thread. A save is a write, creation, move or deletion of
a file under content/ or templates/ (or of those folders themselves), never in an output folder, and never of a
dotfile or an editor's working file (files.is_ignored: .hidden.md, ._index.md, *.swp, *~, #*#), which the build
does not read either. A folder that does not exist yet, or is deleted and made again, is watched from the
nearest folder above it until it is there, and then again itself.

The Rebuilder waits for a burst of saves to settle, then runs one build at a time in a worker thread. A save
during a build starts one more build when it ends. The server's thread only publishes finished builds, so it
keeps answering requests (with the last good build) and signals during a long build.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from ..load.files import is_ignored
from ..pipeline import BuildOptions
from .build import Outcome, PreviewBuild, Published

SETTLE_SECONDS = 0.015  # one save is several events (write, close, rename); build once they stop
SAVE_EVENTS = {"created", "modified", "moved", "deleted", "closed"}
# Only these are asked of the system: every build opens and reads every source, and at 1000 pages handling those
# opens and closes on watchdog's threads took as long as the build.
SAVE_EVENT_TYPES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    DirCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    DirMovedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileClosedEvent,
]


def source_folders(options: BuildOptions) -> list[Path]:
    """The folders the site is made from, whether they exist or not; a folder inside another one is left out."""
    folders = sorted({Path(os.path.abspath(f)) for f in (options.content_dir, options.templates_dir, options.static_dir)})
    return [f for f in folders if not any(f != other and f.is_relative_to(other) for other in folders)]


def watched_folders(options: BuildOptions) -> list[Path]:
    """The source folders that exist now: each is watched with everything under it."""
    return [f for f in source_folders(options) if f.is_dir()]


def is_source_path(path: Path, sources: Iterable[Path], ignored: Iterable[Path]) -> bool:
    """A file or folder the build reads, or a folder on the way to one (content/ itself being made or deleted)."""
    if any(path.is_relative_to(folder) for folder in ignored):
        return False
    for folder in sources:
        if path.is_relative_to(folder):
            return not any(is_ignored(part) for part in path.relative_to(folder).parts)
        if folder.is_relative_to(path):
            return True
    return False


def is_source_change(event: FileSystemEvent, sources: Iterable[Path], ignored: Iterable[Path]) -> bool:
    """A write, creation, move or deletion of a source; reads, and a folder's own 'modified' (a file in it changed), do not count."""
    if event.event_type not in SAVE_EVENTS or (event.is_directory and event.event_type == "modified"):
        return False
    sources, ignored = list(sources), list(ignored)
    paths = [Path(os.fsdecode(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
    return any(is_source_path(path, sources, ignored) for path in paths)


class Watcher:
    """watchdog, on the site's sources; on_save(event) runs on watchdog's thread for every save."""

    def __init__(self, options: BuildOptions, ignored: list[Path], on_save: Callable[[FileSystemEvent], None]) -> None:
        self.sources = source_folders(options)
        self.ignored = [Path(os.path.abspath(p)) for p in ignored]
        self.on_save = on_save
        self.observer = Observer()
        self.handler = _Handler(self)
        self.watches: dict[tuple[Path, bool], tuple[ObservedWatch, tuple[int, int]]] = {}
        self.lock = threading.Lock()

    def start(self) -> None:
        self.refresh()
        self.observer.start()

    def stop(self) -> None:
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=1)

    def wanted(self) -> dict[tuple[Path, bool], tuple[int, int]]:
        """(folder, recursive) -> the folder's identity: each source that exists, and the nearest folder above each one."""
        found: dict[tuple[Path, bool], tuple[int, int]] = {}
        present = [f for f in self.sources if f.is_dir()]
        for folder in present:
            found[(folder, True)] = _identity(folder)
        for folder in self.sources:
            above = folder.parent
            while not above.is_dir() and above != above.parent:
                above = above.parent
            if above.is_dir() and not any(above.is_relative_to(p) for p in present):
                found.setdefault((above, False), _identity(above))
        return found

    def refresh(self) -> None:
        """Watch what wanted() names; a folder deleted and made again (a new identity) gets a new watch."""
        with self.lock:
            wanted = self.wanted()
            for key, (watch, identity) in list(self.watches.items()):
                if wanted.get(key) != identity:
                    self.observer.unschedule(watch)
                    del self.watches[key]
            for key, identity in wanted.items():
                if key not in self.watches:
                    folder, recursive = key
                    try:
                        watch = self.observer.schedule(self.handler, str(folder), recursive=recursive, event_filter=SAVE_EVENT_TYPES)
                    except OSError:  # gone again between the check and the watch; the next save tries again
                        continue
                    self.watches[key] = (watch, identity)


def _identity(folder: Path) -> tuple[int, int]:
    try:
        stat = folder.stat()
    except OSError:
        return (0, 0)
    return (stat.st_dev, stat.st_ino)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if is_source_change(event, self.watcher.sources, self.watcher.ignored):
            self.watcher.on_save(event)


class Rebuilder:
    """Debounces saves, runs one build at a time in a worker thread, and publishes each finished build on the loop.

    saved() and everything else except the worker run on the event loop's thread. before_build runs in the
    worker, just before each build (the preview uses it to watch folders that have appeared).
    """

    def __init__(
        self,
        preview: PreviewBuild,
        loop: asyncio.AbstractEventLoop,
        on_published: Callable[[Published], None],
        before_build: Callable[[], None] = lambda: None,
        settle: float = SETTLE_SECONDS,
    ) -> None:
        self.preview = preview
        self.loop = loop
        self.on_published = on_published
        self.before_build = before_build
        self.settle = settle
        self.timer: asyncio.TimerHandle | None = None
        self.running = False
        self.pending = False
        self.stopped = False
        self.builds_started = 0
        self.restarts = 0  # builds started because a save came while a build ran
        self.ready = asyncio.Event()  # set once the first build is published (good or not)
        self.idle = asyncio.Event()  # set while no build runs or waits

    def saved(self, *_: object) -> None:
        """A source was saved: build once the saves stop for `settle` seconds."""
        if self.stopped:
            return
        self.idle.clear()
        if self.timer is not None:
            self.timer.cancel()
        self.timer = self.loop.call_later(self.settle, self.start)

    def start(self) -> None:
        """Build now, or as soon as the running build ends."""
        self.timer = None
        if self.stopped:
            return
        self.idle.clear()
        if self.running:
            self.pending = True
            return
        self.running = True
        self.builds_started += 1
        threading.Thread(target=self._work, name="preview-build", daemon=True).start()

    def stop(self) -> None:
        """Nothing more is built or published; a build still running is left to end on its own (its thread is a daemon)."""
        self.stopped = True
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _work(self) -> None:
        try:
            self.before_build()
        except OSError:  # watching failed (a folder vanished, a system limit): build all the same
            pass
        outcome = self.preview.build()
        try:
            self.loop.call_soon_threadsafe(self._finished, outcome)
        except RuntimeError:  # the loop has closed: the preview has stopped
            self.preview.discard(outcome)

    def _finished(self, outcome: Outcome) -> None:
        self.running = False
        if self.stopped:
            self.preview.discard(outcome)
            return
        published = self.preview.publish(outcome)
        self.ready.set()
        try:
            self.on_published(published)
        finally:
            if self.pending:
                self.pending = False
                self.restarts += 1
                self.start()
            elif self.timer is None:
                self.idle.set()
