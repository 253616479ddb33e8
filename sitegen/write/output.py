"""The only module that writes the site: a staging folder beside site/, swapped in whole when the build succeeds.

Guarantees:
- The output folder is refused when it is, contains or lies inside a folder the build reads (content/,
  templates/), the project or a git work tree, or the home folder; and when it already exists, is not empty
  and was not made by this tool (our folders carry MARKER).
- The swap leaves the old site or the new one in place at every instant. On Linux it is one
  renameat2(RENAME_EXCHANGE) call; elsewhere it is two renames, and a build that was killed between them is
  repaired by the next build, which puts the newest complete folder back.
- Staging folders left by killed builds are removed, and only folders that carry MARKER.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..model import OutputFile
from ..problems import Problem, display_path, error, warning

MARKER = ".sitegen-output"
MARKER_TEXT = "This folder is written by build.py and replaced whole on every build. Do not keep files of your own here.\n"
STAGING_INFIX = "-build-"
OLD_INFIX = "-old-"


class UnsafeOutputPathError(ValueError):
    """An output path that would land outside the site folder."""


def is_safe_relative(path: str) -> bool:
    """A relative path that stays inside its root: no '..', no absolute path, no backslash or NUL."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def safe_target(root: Path, relative_path: str) -> Path:
    """root/relative_path, refusing any path that escapes root."""
    if not is_safe_relative(relative_path):
        raise UnsafeOutputPathError(relative_path)
    target = root / relative_path
    if not os.path.abspath(target).startswith(os.path.abspath(root) + os.sep):
        raise UnsafeOutputPathError(relative_path)
    return target


def site_dir_problems(site_dir: Path, read_dirs: Iterable[Path], project_root: Path | None, output: str = "the site") -> list[Problem]:
    """Why site_dir must not be used as the output folder (it would be deleted and replaced), or nothing; output names
    what would be written there."""
    shown = display_path(site_dir)
    if site_dir.is_symlink():
        return [error(shown, 1, "the output folder is a symbolic link; point --site at a real folder")]
    target = Path(os.path.abspath(site_dir))
    guarded: list[tuple[Path, str]] = [(Path(os.path.abspath(d)), f"{display_path(d)}/, which the build reads") for d in read_dirs]
    if project_root is not None:
        guarded.append((Path(os.path.abspath(project_root)), "the project folder"))
    guarded += [(Path.home(), "your home folder"), (Path(target.anchor), "the root of the file system")]
    for folder, what in guarded:
        if target == folder or folder.is_relative_to(target):
            return [error(shown, 1, f"refusing to write {output} here: it would delete {what}; use a folder of its own, such as site/")]
    for folder, what in guarded[: len(guarded) - 2]:
        if target.is_relative_to(folder) and what.endswith("which the build reads"):
            return [error(shown, 1, f"refusing to write {output} inside {what}; use a folder of its own, such as site/")]
    if (target / ".git").exists():
        return [error(shown, 1, f"refusing to write {output} here: it is a git work tree, which the build would delete")]
    if not target.exists():
        return []
    if not target.is_dir():
        return [error(shown, 1, "the output folder is a file, not a folder; remove it or choose another --site")]
    if not (target / MARKER).is_file() and _has_entries(target):
        return [
            error(
                shown,
                1,
                f"refusing to replace this folder: it is not empty and was not made by build.py (it has no {MARKER} file); "
                "empty it, or choose another --site",
            )
        ]
    return []


def _has_entries(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError:
        return True


def write_site(files: Sequence[OutputFile], site_dir: Path, earlier: Path | None = None) -> list[Problem]:
    """Write files into a new staging folder and swap it in as site_dir. Returns problems; site_dir is unchanged on error.

    A file whose bytes are the same in earlier (site_dir itself by default, or an earlier build of the preview) is
    hard-linked from it instead of written again: making a file costs far more than reading one. Nothing ever
    writes into an existing file, so the link cannot change the earlier build.
    """
    shown = display_path(site_dir)
    parent = site_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale_folders(site_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}{STAGING_INFIX}{os.getpid()}-", dir=parent))
    except OSError as exc:
        return [error(shown, 1, f"cannot write beside the output folder: {_reason(exc)}")]
    try:
        _write_marker(staging)
        reuse = _reusable_folder(site_dir if earlier is None else earlier)
        made: set[Path] = set()
        for file in files:
            target = safe_target(staging, file.path)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if reuse is None or not _link_if_same(reuse / file.path, target, file.data):
                target.write_bytes(file.data)
        staging.chmod(0o755)  # mkdtemp makes it private (0700); a published site is readable by all
    except UnsafeOutputPathError as exc:
        _discard(staging)
        return [error(shown, 1, f"refusing to write outside the output folder: {exc}")]
    except OSError as exc:
        _discard(staging)
        where = next((f.origin for f in files if exc.filename and str(exc.filename).endswith(f.path)), None)
        if where is not None and exc.errno == errno.ENAMETOOLONG:
            return [error(where.path, where.line, "the output file name is too long for the file system; use a shorter slug")]
        return [error(shown, 1, f"cannot write the site: {_reason(exc, with_path=False)}; the old site was kept")]  # staging is gone
    return _swap_in(staging, site_dir)


def _reusable_folder(folder: Path) -> Path | None:
    """folder, when it is a real folder this tool wrote; files are linked only from such a folder."""
    try:
        return folder if not folder.is_symlink() and (folder / MARKER).is_file() else None
    except OSError:
        return None


def _link_if_same(earlier: Path, target: Path, data: bytes) -> bool:
    """Hard-link earlier to target when it is a plain file holding exactly data; False when it was not linked."""
    try:
        found = earlier.lstat()
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data) or earlier.read_bytes() != data:
            return False
        os.link(earlier, target)
        return True
    except OSError:  # no hard links on this file system, another device, or the file went away: write it instead
        return False


def _swap_in(staging: Path, site_dir: Path) -> list[Problem]:
    shown = display_path(site_dir)
    try:
        if site_dir.exists() or site_dir.is_symlink():
            if not _exchange(staging, site_dir):
                old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}{OLD_INFIX}{os.getpid()}-", dir=site_dir.parent))
                _write_marker(old)
                os.rename(site_dir, old / "site")
                os.rename(staging, site_dir)
                staging = old
        else:
            os.rename(staging, site_dir)
            return []
    except OSError as exc:
        _discard(staging)
        return [error(shown, 1, f"cannot replace the output folder: {_reason(exc)}; the old site was kept")]
    try:
        shutil.rmtree(staging)
    except OSError as exc:
        return [
            warning(shown, 1, f"the new site is in place, but the old one could not be removed ({_reason(exc)}); it is in {staging.name}")
        ]
    return []


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step with Linux's renameat2(RENAME_EXCHANGE); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only this call needs it

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def remove_stale_folders(site_dir: Path) -> None:
    """Repair a swap that was cut short, and remove staging folders of builds that no longer run."""
    parent = site_dir.parent
    if not parent.is_dir():
        return
    ours = sorted(
        (
            p
            for p in parent.iterdir()
            if p.name.startswith(f".{site_dir.name}{STAGING_INFIX}") or p.name.startswith(f".{site_dir.name}{OLD_INFIX}")
        ),
        key=lambda p: p.stat().st_mtime,
    )
    if not site_dir.exists() and not site_dir.is_symlink():
        for old in reversed(ours):
            kept = old / "site"
            if old.name.startswith(f".{site_dir.name}{OLD_INFIX}") and (kept / MARKER).is_file():
                os.rename(kept, site_dir)
                old.rmdir()
                ours.remove(old)
                break
    for folder in ours:
        if ((folder / MARKER).is_file() or (folder / "site" / MARKER).is_file()) and not _owner_is_running(folder.name):
            shutil.rmtree(folder, ignore_errors=True)


def _write_marker(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _owner_is_running(folder_name: str) -> bool:
    """Whether the build that made a staging folder (its process id is in the name) still runs."""
    try:
        pid = int(folder_name.rsplit("-", 2)[1])
    except (ValueError, IndexError):
        return False
    if pid == os.getpid():
        return False
    if os.name != "posix":  # on Windows, os.kill(pid, 0) would end that process: keep its folder
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _reason(exc: OSError, with_path: bool = True) -> str:
    where = f" ({display_path(Path(exc.filename))})" if exc.filename and with_path else ""
    return f"{(exc.strerror or str(exc)).lower()}{where}"
