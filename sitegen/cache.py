"""The build cache: each page's results, kept under a hash of everything that went into them.

The key of a page is a hash of the generator's own code and library versions, the site-wide inputs (settings,
navigation, sources, glossary, templates) and the page's file. Any change to one of those gives a new key, so a
cached result is never stale; a build with a warm cache writes the same bytes as a clean build.

The cache lives in memory (the preview keeps one between rebuilds) and, unless turned off, on disk in a folder of
the user's own outside the project, so that the next `build.py` run reuses it: one folder per project in the
user's cache folder (default_folder), or the folder --cache-dir names.

What reading it can do: nothing but give back text and numbers.
- Each file is JSON, read back only as the type the caller asks for (plain_data.py). Never pickle, never
  marshalled code: Jinja's compiled templates are not kept on disk at all.
- Each file carries an HMAC of its key and its data, made with a secret kept in the folder and readable by its
  owner only. A file that was edited, cut short, renamed, copied from another folder or written by anything but
  this generator fails it and is a miss, as is a file of another shape: the page is rendered again.
- A folder that another user owns or can change, that lies inside the project (where a clone or a pull request
  could place files), or whose secret others can read, is refused (open_folder): the build then keeps its cache
  in memory only, and says so.

What the cache never saves is checking: the checks on every page's final HTML run in every build, on pages from
the cache as on pages just rendered (pipeline.check_outputs); only facts worked out from that HTML in the same
process are reused.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, TypeVar

from .plain_data import PlainDataError, from_plain, to_plain

T = TypeVar("T")
APP_FOLDER = "sitegen"
OLD_FOLDER = ".sitegen-cache"  # where the cache (pickles) was kept inside the project until December 2026; never read
KEY_FILE = "key"
KEY_BYTES = 32
ENTRY_SUFFIX = ".entry"
ENTRY_HEADER = b"sitegen-cache 1\n"
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a page is at most a few MB; a larger file is not one of ours
KEEP_DAYS = 14
SWEEP_EVERY_SECONDS = 3600  # files unused for KEEP_DAYS are looked for at most this often
SWEPT = "last-sweep"  # the file-system time of the last sweep
CLOCK = "clock"
POSIX = os.name == "posix"
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)  # a symbolic link is not followed


def digest(*parts: object) -> str:
    """A hash of parts that is the same in every run: sets are sorted (their order changes from run to run)."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(repr(stable(part)).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


PLAIN_VALUES = (str, bytes, int, float, bool, type(None), decimal.Decimal, datetime.date, PurePath)


def stable(value: object) -> object:
    """value with every set sorted and every dataclass a tuple of its fields, so that its repr does not vary.

    Anything else is refused: an object's default repr names its memory address, which would give a key that changes
    from run to run (a page never found in the cache), or that leaves out what the object holds (a stale page)."""
    if isinstance(value, PLAIN_VALUES):
        return value
    if isinstance(value, (set, frozenset)):
        return ("set", sorted((stable(v) for v in value), key=repr))
    if isinstance(value, Mapping):
        return ("dict", [(stable(k), stable(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return tuple(stable(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, stable(getattr(value, f.name))) for f in dataclasses.fields(value)))
    if isinstance(value, enum.Enum):
        return (type(value).__name__, value.name)
    if isinstance(value, re.Pattern):
        return ("re", value.pattern, value.flags)
    raise TypeError(f"a build cache key cannot hold a {type(value).__name__}: give it a plain-data form (a dataclass)")


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


# --- where the cache lives ---------------------------------------------------------------------------------------


def user_cache_base(environ: Mapping[str, str] = os.environ) -> Path:
    """The user's cache folder: $XDG_CACHE_HOME when it is set (on any system but Windows), else ~/.cache; on macOS
    ~/Library/Caches; on Windows %LOCALAPPDATA%."""
    if sys.platform == "win32":
        local = environ.get("LOCALAPPDATA", "")
        return Path(local) if local and Path(local).is_absolute() else Path.home() / "AppData" / "Local"
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the XDG specification: a relative path is ignored
        return Path(xdg)
    return Path.home() / ("Library/Caches" if sys.platform == "darwin" else ".cache")


def default_folder(project_root: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """This project's folder in the user's cache folder: its name, for people who look, and a hash of its full path."""
    resolved = project_root.resolve()
    name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "-" for c in resolved.name)[:40].strip(".") or "project"
    digest_of_path = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:20]
    return user_cache_base(environ) / APP_FOLDER / f"{name}-{digest_of_path}"


@dataclass(frozen=True)
class CacheFolder:
    """A cache folder that passed open_folder's checks, and its secret."""

    path: Path
    key: bytes = dataclasses.field(repr=False)


def open_folder(path: Path, project: Sequence[Path], top: Path | None = None) -> CacheFolder | str:
    """The cache folder at path, made if it is missing, with its secret; or why it cannot be used, in a few words.

    Every folder from top (default: path itself) down to path, and any folder above top that has to be made, must
    belong to this user and be writable by nobody else. path must not lie inside any of the project's folders.
    """
    try:
        folder = path.absolute()
        for place in project:
            if folder.resolve().is_relative_to(place.resolve()):
                return f"{path} is inside the project, where a clone or a pull request could place files"
        top = (top or path).absolute()
        if not folder.is_relative_to(top):
            top = folder
        below_top = [folder, *folder.parents][: len(folder.parents) - len(top.parents)]
        missing_above = [p for p in top.parents if not p.exists()]
        for level in [*reversed(missing_above), top, *reversed(below_top)]:
            if problem := _made_or_safe(level):
                return problem
        key = _key(folder / KEY_FILE)
    except (OSError, RuntimeError) as exc:  # RuntimeError: Path.home() without a home folder
        return f"{path} cannot be used: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"
    return key if isinstance(key, str) else CacheFolder(folder, key)


def _made_or_safe(level: Path) -> str | None:
    try:
        os.mkdir(level, 0o700)
    except FileExistsError:
        pass
    info = os.stat(level)
    if not stat.S_ISDIR(info.st_mode):
        return f"{level} is not a folder"
    if POSIX and info.st_uid != os.getuid():
        return f"{level} belongs to another user"
    if POSIX and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"{level} can be changed by other users (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def _key(path: Path) -> bytes | str:
    """The folder's secret, made on first use: readable and writable by its owner only."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # made with mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(KEY_BYTES))
        try:
            os.link(temporary, path)  # never replaces a key that another build has just made
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)
    return _read_key(path)


def _read_key(path: Path) -> bytes | str:
    handle = os.open(path, READ_FLAGS)
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            return f"{path} is not a file"
        if POSIX and info.st_uid != os.getuid():
            return f"{path} belongs to another user"
        if POSIX and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return f"{path} can be read by other users (mode {stat.S_IMODE(info.st_mode):o})"
        key = stream.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else f"{path} is not a key this generator made"


# --- the cache ---------------------------------------------------------------------------------------------------


class BuildCache:
    """Results by key, in memory and (when folder is given) on disk, one file per key."""

    def __init__(self, folder: CacheFolder | None = None) -> None:
        self.folder = folder
        self.memory: dict[str, Any] = {}
        self.used: set[str] = set()

    def get(self, key: str, kind: type[T]) -> T | None:
        """The kind kept under key, or None: missing, or a file that fails its HMAC or is not a kind."""
        self.used.add(key)
        value = self.memory.get(key)
        if isinstance(value, kind):
            return value
        value = self._read(key, kind)
        if value is not None:
            self.memory[key] = value
        return value

    def put(self, key: str, value: object, kind: type) -> None:
        self.used.add(key)
        self.memory[key] = value
        self._write(key, value, kind)

    def forget_unused(self) -> None:
        """Keep only what the last build used in memory; on disk, drop files unused for KEEP_DAYS."""
        self.memory = {k: v for k, v in self.memory.items() if k in self.used}
        self.used = set()
        if self.folder is None or not self.folder.path.is_dir():
            return
        folder = self.folder.path
        now = self._file_system_time()
        if now is None:
            return
        swept = folder / SWEPT
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
        for path in [*folder.glob(f"*{ENTRY_SUFFIX}"), *folder.glob("*.tmp")]:
            try:
                if path.lstat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass

    def _file_system_time(self) -> float | None:
        """Now, by the clock that stamps the cache's files (the time a write gives a file), which the system clock may
        not match: a clock set elsewhere, or a faked one, must not make every file look old."""
        assert self.folder is not None
        clock = self.folder.path / CLOCK
        try:
            clock.write_bytes(b".")
            return clock.stat().st_mtime
        except OSError:
            return None

    def _mac(self, key: str, data: bytes) -> bytes:
        assert self.folder is not None
        return hmac.new(self.folder.key, key.encode("ascii") + b"\n" + data, hashlib.sha256).hexdigest().encode("ascii")

    def _read(self, key: str, kind: type[T]) -> T | None:
        if self.folder is None:
            return None
        try:
            handle = os.open(self.folder.path / f"{key}{ENTRY_SUFFIX}", READ_FLAGS)
            with os.fdopen(handle, "rb") as stream:
                info = os.fstat(stream.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                    return None
                raw = stream.read(MAX_ENTRY_BYTES + 1)
                if os.utime in os.supports_fd:
                    os.utime(stream.fileno())  # used now: the sweep keeps it
            header, mac, data = raw[: len(ENTRY_HEADER)], raw[len(ENTRY_HEADER) : len(ENTRY_HEADER) + 64], raw[len(ENTRY_HEADER) + 65 :]
            if header != ENTRY_HEADER or raw[len(ENTRY_HEADER) + 64 : len(ENTRY_HEADER) + 65] != b"\n":
                return None
            if not hmac.compare_digest(mac, self._mac(key, data)):
                return None  # edited, cut short, moved, or not written by this generator with this folder's secret
            return from_plain(json.loads(data), kind)
        except Exception:  # noqa: BLE001 (whatever is wrong with a file, reading it must not stop a build)
            return None  # missing, unreadable, cut short, of another shape: render the page again

    def _write(self, key: str, value: object, kind: type) -> None:
        if self.folder is None:
            return
        try:
            data = json.dumps(to_plain(value, kind), separators=(",", ":"), check_circular=False).encode("ascii")
        except (PlainDataError, ValueError, RecursionError):
            return  # a value that plain data cannot hold is kept in memory only
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder.path, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(ENTRY_HEADER + self._mac(key, data) + b"\n" + data)
            os.replace(temporary, self.folder.path / f"{key}{ENTRY_SUFFIX}")
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
