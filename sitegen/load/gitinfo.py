"""What git knows about a content file: the commit that holds it, its text at an earlier commit, whether git ignores it.

Every function answers None (ignored_paths: nothing) when git is not installed, the file is not in a git work
tree, or git fails: review records and packets then say plainly that git was not available.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

TIMEOUT_SECONDS = 20
GIT_LOCATION = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR"}  # set by git hooks


def _git(folder: Path, *args: str, stdin: bytes | None = None, success: tuple[int, ...] = (0,)) -> str | None:
    try:
        completed = subprocess.run(
            ["git", "-C", str(folder), *args],
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            env={**{k: v for k, v in os.environ.items() if k not in GIT_LOCATION}, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode not in success:
        return None
    try:
        return completed.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None


def work_tree(path: Path) -> Path | None:
    """The top folder of the git work tree that holds path, or None."""
    found = _git(path.parent if path.is_file() else path, "rev-parse", "--show-toplevel")
    return Path(found.strip()) if found and found.strip() else None


def repository_path(path: Path) -> tuple[Path, str] | None:
    """The work tree that holds path, and path within it (with '/'), or None."""
    top = work_tree(path)
    if top is None:
        return None
    try:
        return top, Path(os.path.realpath(path)).relative_to(os.path.realpath(top)).as_posix()
    except ValueError:
        return None


def committed_at_head(path: Path) -> str | None:
    """The commit id of HEAD when path is committed there exactly as it is on disk; otherwise None."""
    where = repository_path(path)
    if where is None:
        return None
    top, relative = where
    head = _git(top, "rev-parse", "--verify", "HEAD^{commit}")
    tracked = _git(top, "ls-files", "--error-unmatch", "--", relative)
    changed = _git(top, "status", "--porcelain", "--", relative)
    if head is None or tracked is None or changed is None or changed.strip():
        return None
    return head.strip()


def text_at(path: Path, commit: str) -> str | None:
    """The text of path as it was at commit, or None."""
    where = repository_path(path)
    if where is None:
        return None
    top, relative = where
    return _git(top, "show", f"{commit}:{relative}")


def available(path: Path) -> bool:
    """Whether git runs and path is inside one of its work trees."""
    return work_tree(path) is not None


def ignored_paths(folder: Path, paths: list[Path]) -> set[Path]:
    """Which of paths (absolute, inside folder's work tree) git ignores; none when git is not installed, folder is
    not in a work tree or git fails. Tracked files are never ignored, as git itself says."""
    if not paths or work_tree(folder) is None:
        return set()
    listed = b"".join(os.fsencode(path) + b"\0" for path in paths)
    found = _git(folder, "check-ignore", "-z", "--stdin", stdin=listed, success=(0, 1))  # 1: none of them is ignored
    return {Path(name) for name in (found or "").split("\0") if name}
