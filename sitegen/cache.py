"""A build cache: each page's rendered result, kept under a hash of everything that went into it.

The key of a page is a hash of the generator's own code and library versions, the site-wide inputs (settings,
navigation, sources, glossary, templates) and the page's file. Any change to one of those gives a new key, so a
cached result is never stale; a build with a warm cache writes the same bytes as a clean build.

The cache lives in memory (the preview keeps one between rebuilds) and, unless turned off, on disk in the
project's `.sitegen-cache/` folder, so that the next `build.py` run reuses it. It is local: never commit or share it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

CACHE_FOLDER = ".sitegen-cache"
KEEP_DAYS = 14
SWEEP_EVERY_SECONDS = 3600  # files unused for KEEP_DAYS are looked for at most this often
SWEPT = "last-sweep"  # the file-system time of the last sweep
CLOCK = "clock"


def digest(*parts: object) -> str:
    """A hash of parts that is the same in every run: sets are sorted (their order changes from run to run)."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(repr(stable(part)).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def stable(value: object) -> object:
    """value with every set sorted and every dataclass a tuple of its fields, so that its repr does not vary."""
    if isinstance(value, (str, bytes, int, float, bool, type(None))):
        return value
    if isinstance(value, (set, frozenset)):
        return ("set", sorted((stable(v) for v in value), key=repr))
    if isinstance(value, dict):
        return ("dict", [(stable(k), stable(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return tuple(stable(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, stable(getattr(value, f.name))) for f in dataclasses.fields(value)))
    return value


@functools.lru_cache(maxsize=1)
def generator_version() -> str:
    """A hash of the generator's source files and of the libraries that shape its output."""
    package = Path(__file__).resolve().parent
    import jinja2
    import markdown
    import yaml

    hasher = hashlib.sha256(sys.version.encode())
    for module in (markdown, jinja2, yaml):  # picture sizes are in the key themselves, so not Pillow's
        hasher.update(f"{module.__name__}={getattr(module, '__version__', '?')}".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".js", ".css") and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(package).as_posix().encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


class BuildCache:
    """Results by key, in memory and (when folder is given) on disk, one file per key."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.memory: dict[str, Any] = {}
        self.used: set[str] = set()

    def get(self, key: str) -> Any | None:
        self.used.add(key)
        if key in self.memory:
            return self.memory[key]
        value = self._read(key)
        if value is not None:
            self.memory[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used.add(key)
        self.memory[key] = value
        self._write(key, value)

    def forget_unused(self) -> None:
        """Keep only what the last build used in memory; on disk, drop files unused for KEEP_DAYS."""
        self.memory = {k: v for k, v in self.memory.items() if k in self.used}
        self.used = set()
        if self.folder is None or not self.folder.is_dir():
            return
        now = self._file_system_time()
        if now is None:
            return
        swept = self.folder / SWEPT
        try:
            if now - float(swept.read_text(encoding="ascii")) < SWEEP_EVERY_SECONDS:  # looking at every file costs more than a rebuild
                return
        except (OSError, ValueError):
            pass
        try:
            swept.write_text(repr(now), encoding="ascii")
        except OSError:
            return
        limit = now - KEEP_DAYS * 86400
        for path in self.folder.glob("*/*.pickle"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass

    def _file_system_time(self) -> float | None:
        """Now, by the clock that stamps the cache's files (the time a write gives a file), which the system clock may
        not match: a clock set elsewhere, or a faked one, must not make every file look old."""
        assert self.folder is not None
        clock = self.folder / CLOCK
        try:
            clock.write_bytes(b".")
            return clock.stat().st_mtime
        except OSError:
            return None

    def _path(self, key: str) -> Path | None:
        return self.folder / key[:2] / f"{key}.pickle" if self.folder is not None else None

    def _read(self, key: str) -> Any | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            with path.open("rb") as handle:
                value = pickle.load(handle)
            os.utime(path)
            return value
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            return None  # missing, written by an older generator, or cut short: render the page again

    def _write(self, key: str, value: Any) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
