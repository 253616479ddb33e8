"""The only module that writes: files go into a staging folder beside site/, which replaces site/ when the build succeeds."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path


class UnsafeOutputPathError(ValueError):
    """An output path that would land outside the site folder."""


@dataclass(frozen=True)
class OutputFile:
    relative_path: str
    content: bytes


@dataclass
class Staging:
    """A finished build waiting in a folder beside site/."""

    folder: Path
    site_dir: Path

    def publish(self) -> None:
        """Swap the staged build in as site/. The old site/ is removed only after the new one is in place."""
        old: Path | None = None
        if self.site_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.site_dir.name}-old-", dir=self.site_dir.parent))
            os.rename(self.site_dir, old / "site")
        os.rename(self.folder, self.site_dir)
        if old is not None:
            shutil.rmtree(old)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def safe_target(root: Path, relative_path: str) -> Path:
    """root/relative_path, refusing any path that escapes root."""
    if not relative_path or Path(relative_path).is_absolute() or "\\" in relative_path:
        raise UnsafeOutputPathError(relative_path)
    target = (root / relative_path).resolve()
    if not target.is_relative_to(root.resolve()) or target == root.resolve():
        raise UnsafeOutputPathError(relative_path)
    return target


def stage(files: list[OutputFile], static_dir: Path | None, site_dir: Path) -> Staging:
    """Write every file into a new staging folder beside site_dir."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-", dir=site_dir.parent))
    staging = Staging(folder, site_dir)
    try:
        if static_dir is not None and static_dir.is_dir():
            shutil.copytree(static_dir, folder, dirs_exist_ok=True)
        for file in files:
            target = safe_target(folder, file.relative_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content)
        folder.chmod(0o755)
    except BaseException:
        staging.discard()
        raise
    return staging
