"""replace_file: the one way a command rewrites a file of the project (a page, a review or translation record)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.write.files import replace_file


def test_a_new_file_and_its_folder_are_made_with_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "records" / "page.json"
    umask = os.umask(0o022)
    try:
        replace_file(target, b"{}\n")
    finally:
        os.umask(umask)
    assert target.read_bytes() == b"{}\n"
    assert target.stat().st_mode & 0o777 == 0o644
    assert list(target.parent.iterdir()) == [target]


def test_a_file_that_exists_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "page.md"
    target.write_bytes(b"old")
    target.chmod(0o664)
    replace_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o664


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.md"
    target.write_bytes(b"old")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        replace_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
