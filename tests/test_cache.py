"""The build cache cannot run code and cannot publish unchecked output (issue 19).

It is JSON read back as declared types, each file signed with a secret of the cache folder; it lives outside the
project in a folder of the user's own; Jinja's compiled templates are never kept on disk; and the checks run on
every page's final HTML, from the cache or not.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import pickle
import sys
from decimal import Decimal
from pathlib import Path, PurePosixPath

import jinja2
import pytest
from jinja2.bccache import bc_magic

from sitegen import cache, pipeline
from sitegen.commands.cli import main
from sitegen.load.pages import Source
from sitegen.markup.converter import RenderedMarkdown
from sitegen.pipeline import BuildOptions, LoadedPage, build_site
from sitegen.plain_data import PlainDataError, from_plain, to_plain
from sitegen.preview.build import PreviewBuild
from sitegen.problems import Problem
from sitegen.render.rendering import RenderedPage
from tests.conftest import AS_OF, REAL_CONTENT, REPO, Project

CAVEAT = "Long-term survival after a second infusion is not yet known."
FROM_CACHE = "Rendered 0 pages; the others were unchanged and came from the build cache."


def build(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """build.py's main() on the project, as build.py runs it (with the project's root, so with the default cache)."""
    command = ["--as-of", AS_OF.isoformat(), "--content", str(project.content), "--templates", str(project.templates)]
    if "--site" not in args and "check" not in args:
        command += ["--site", str(project.site)]
    status = main([*args, *command], project_root=project.root)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.out, captured.err


def clean_site(project: Project, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    assert build(project, capsys, "--no-cache")[0] == 0
    return project.snapshot()


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the project (the project fixture's root is tmp_path)."""
    return tmp_path_factory.mktemp("outside")


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{cache.ENTRY_SUFFIX}"))


def data_of(entry: Path) -> bytes:
    raw = entry.read_bytes()
    assert raw.startswith(cache.ENTRY_HEADER)
    return raw[len(cache.ENTRY_HEADER) + 65 :]


def sign(entry: Path, data: bytes) -> None:
    """Write data into entry with a valid HMAC, as only a holder of the folder's secret can."""
    key = (entry.parent / cache.KEY_FILE).read_bytes()
    mac = hmac.new(key, entry.stem.encode() + b"\n" + data, hashlib.sha256).hexdigest().encode()
    entry.write_bytes(cache.ENTRY_HEADER + mac + b"\n" + data)


# --- planted code never runs ---------------------------------------------------------------------------------------


class Planted:
    """Unpickling this creates the marker file: proof that code from the cache ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def jinja_bucket(templates: Path, name: str) -> str:
    """The file name Jinja's FileSystemBytecodeCache reads for a template (jinja2/bccache.py, get_cache_key)."""
    key = hashlib.sha1(name.encode("utf-8"))
    key.update(("|" + os.path.normpath(os.path.join(str(templates), name))).encode("utf-8"))
    return f"__jinja2_{key.hexdigest()}.cache"


def plant(folder: Path, keys: list[str], templates: Path, payload: bytes) -> None:
    """A pickle under every name the cache reads or ever read, and a Jinja bytecode file for every template."""
    for key in keys:
        for path in (folder / f"{key}{cache.ENTRY_SUFFIX}", folder / f"{key}.pickle", folder / key[:2] / f"{key}.pickle"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(payload)
    for name in jinja2.Environment(loader=jinja2.FileSystemLoader(templates)).list_templates():
        for place in (folder, folder / "templates"):
            place.mkdir(parents=True, exist_ok=True)
            (place / jinja_bucket(templates, name)).write_bytes(bc_magic + payload)


def test_the_planted_files_would_run_if_they_were_unpickled_or_loaded_as_jinja_bytecode(project: Project, tmp_path: Path) -> None:
    """The plants below are real: pickle runs them, and so does Jinja's own bytecode cache at the place it reads."""
    marker = tmp_path / "ran"
    payload = pickle.dumps(Planted(marker))
    pickle.loads(payload)  # noqa: S301 (the point of the test)
    assert marker.exists()
    marker.unlink()
    folder = tmp_path / "bytecode"
    plant(folder, [], project.templates, payload)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(project.templates), bytecode_cache=jinja2.FileSystemBytecodeCache(str(folder)))
    try:
        env.get_template("page.html")
    except Exception:  # the payload returns a file object where Jinja wants a checksum; it has run by then
        pass
    assert marker.exists()


def test_a_planted_pickle_or_jinja_bytecode_file_never_runs_wherever_the_build_could_read_a_cache(
    project: Project, outside: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = clean_site(project, capsys)
    chosen = outside / "chosen-cache"
    default = cache.default_folder(project.root)
    assert build(project, capsys)[0] == 0
    assert build(project, capsys, "--cache-dir", str(chosen))[0] == 0
    keys = sorted(e.stem for e in entries(default))
    assert keys and keys == sorted(e.stem for e in entries(chosen))
    marker = tmp_path / "ran"
    payload = pickle.dumps(Planted(marker))
    for args in ((), ("check",), ("--cache-dir", str(chosen)), ("check", "--cache-dir", str(chosen))):
        for folder in (project.root / cache.OLD_FOLDER, default, chosen):
            plant(folder, keys, project.templates, payload)
        status, out, err = build(project, capsys, *args)
        assert status == 0, err
        assert FROM_CACHE not in out  # every entry was a miss: rendered again
        assert f"Note: {cache.OLD_FOLDER}/ in the project is an old build cache, which is never read now; delete it.\n" in err
    assert project.snapshot() == clean
    options = pipeline.BuildOptions(project.content, project.templates, tmp_path / "s", project.root, today=AS_OF, cache_dir=default)
    preview = PreviewBuild(options, tmp_path / "preview")
    assert not preview.build().failed
    assert main(["review-packet", "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "packet")], project_root=project.root) == 0
    assert not marker.exists()


def test_the_old_cache_folder_in_the_project_is_never_used_even_when_named_with_cache_dir(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "ran"
    old = project.root / cache.OLD_FOLDER
    plant(old, ["0" * 64], project.templates, pickle.dumps(Planted(marker)))
    planted = sorted(old.rglob("*"))
    for given in (str(old), cache.OLD_FOLDER):
        status, _, err = build(project, capsys, "--cache-dir", given)
        assert status == 0
        assert (
            f"Note: the build cache is kept in memory only, because {given} is inside the project, where a clone or a pull "
            "request could place files; use --cache-dir to choose another folder.\n" in err
        )
    assert not marker.exists()
    assert sorted(old.rglob("*")) == planted  # nothing read, nothing written


# --- damaged entries are misses --------------------------------------------------------------------------------------


def damage(kind: str, entry: Path, other: Path, tmp_path: Path) -> None:
    data = data_of(entry)
    if kind == "truncated":
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    elif kind == "empty":
        entry.write_bytes(b"")
    elif kind == "header only":
        entry.write_bytes(cache.ENTRY_HEADER)
    elif kind == "not ours":
        entry.write_bytes(os.urandom(300))
    elif kind == "another entry's file":
        entry.write_bytes(other.read_bytes())
    elif kind == "edited without the secret":
        entry.write_bytes(entry.read_bytes().replace(b"Home", b"Hijacked"))
    elif kind == "signed, not JSON":
        sign(entry, b"\xff\xfe{")
    elif kind == "signed, wrong shape":
        sign(entry, json.dumps({"page": 1, "problems": "none"}).encode())
    elif kind == "signed, a field of the wrong type":
        plain = json.loads(data)
        plain[next(iter(plain))] = 12345
        sign(entry, json.dumps(plain).encode())
    elif kind == "signed, nested too deeply":
        sign(entry, b"[" * 200_000 + b"]" * 200_000)
    elif kind == "a folder in its place":
        entry.unlink()
        entry.mkdir()
    elif kind == "a link to another entry":
        entry.unlink()
        entry.symlink_to(other)
    elif kind == "too large":
        with entry.open("ab") as stream:
            stream.truncate(cache.MAX_ENTRY_BYTES + 1)
    else:
        raise AssertionError(kind)


DAMAGE = [
    "truncated",
    "empty",
    "header only",
    "not ours",
    "another entry's file",
    "edited without the secret",
    "signed, not JSON",
    "signed, wrong shape",
    "signed, a field of the wrong type",
    "signed, nested too deeply",
    "a folder in its place",
    "a link to another entry",
    "too large",
]


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_truncated_foreign_or_unreadable_entry_is_a_miss(
    kind: str, project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = clean_site(project, capsys)
    folder = cache.default_folder(project.root)
    assert build(project, capsys)[0] == 0
    found = entries(folder)
    for entry, other in zip(found, [*found[1:], found[0]], strict=True):
        damage(kind, entry, other, tmp_path)
    status, out, err = build(project, capsys)
    assert status == 0, err
    assert FROM_CACHE not in out and "came from the build cache" not in out
    assert err == ""
    assert project.snapshot() == clean
    if kind != "a folder in its place":  # a folder cannot be replaced by a file: those pages stay uncached
        status, out, _ = build(project, capsys)  # the entries were written again, and are used
        assert status == 0 and FROM_CACHE in out


def test_an_entry_made_with_another_folders_secret_is_a_miss(
    project: Project, outside: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = outside / "first", outside / "second"
    assert build(project, capsys, "--cache-dir", str(first))[0] == 0
    assert build(project, capsys, "--cache-dir", str(second))[0] == 0
    for entry in entries(first):
        (second / entry.name).write_bytes(entry.read_bytes())
    _, out, _ = build(project, capsys, "--cache-dir", str(second))
    assert "came from the build cache" not in out


# --- cached HTML is checked in every build ---------------------------------------------------------------------------


def cached_index(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict[str, object]]:
    folder = cache.default_folder(project.root)
    assert build(project, capsys)[0] == 0
    found = [e for e in entries(folder) if "<title>Home" in (json.loads(data_of(e)).get("html") or "")]
    assert len(found) == 1
    return found[0], json.loads(data_of(found[0]))


@pytest.mark.parametrize(
    "edit",
    [
        lambda html: html.replace(CAVEAT, "Everyone is cured."),
        lambda html: html.replace("</main>", "<script>alert(document.cookie)</script></main>"),
    ],
    ids=["caveat removed", "script added"],
)
def test_cached_html_edited_on_disk_never_reaches_the_site(edit, project: Project, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    entry, plain = cached_index(project, capsys)
    plain["html"] = edit(plain["html"])
    entry.write_bytes(entry.read_bytes().replace(data_of(entry), json.dumps(plain).encode()))
    status, out, err = build(project, capsys)
    assert status == 0, err
    assert "Rendered 1 page; the others were unchanged and came from the build cache." in out
    html = (project.site / "index.html").read_text()
    assert CAVEAT in html and "alert(" not in html and "Everyone is cured" not in html


def test_cached_html_is_checked_again_even_when_its_entry_passes_the_hmac(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """An entry signed with the folder's own secret (a bug, or someone holding the secret) is still checked as it is built."""
    entry, plain = cached_index(project, capsys)
    assert "facts" not in plain  # what the checks read is never kept on disk
    before = project.snapshot()
    plain["html"] = plain["html"].replace(CAVEAT, "Everyone is cured.")
    plain["html"] = plain["html"].replace("</head>", '<script src="https://tracker.example/t.js"></script></head>')
    sign(entry, json.dumps(plain).encode())
    status, _, err = build(project, capsys)
    assert status == 1
    messages = [line.split(": ", 1)[1] for line in err.splitlines() if line.endswith("(in index.html)")]
    assert sorted(messages) == [
        "'https://tracker.example/t.js' loads from another site; ship the file with the site (in index.html)",
        "the page does not show the long-term survival caveat near the top of <main>, before the first section heading (in index.html)",
    ]
    assert "Build failed: 2 errors. site/ was not changed." in err
    assert project.snapshot() == before


# --- where the cache lives, and which folders are refused -----------------------------------------------------------


def test_the_cache_is_kept_outside_the_project_in_a_folder_of_the_users_own(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = build(project, capsys)
    assert status == 0 and err == ""
    folder = cache.default_folder(project.root)
    assert folder.parent == cache.user_cache_base() / "sitegen"
    assert folder.name.startswith(f"{project.root.name[:40]}-")
    assert entries(folder)
    assert not (project.root / cache.OLD_FOLDER).exists()
    for level in (folder.parent, folder):
        assert level.stat().st_mode & 0o777 == 0o700
    assert (folder / cache.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert all(entry.stat().st_mode & 0o077 == 0 for entry in entries(folder))
    _, out, _ = build(project, capsys)
    assert FROM_CACHE in out


def test_no_cache_keeps_nothing_on_disk(project: Project, outside: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(project, capsys, "--no-cache", "--cache-dir", str(outside / "chosen"))[0] == 0
    assert not cache.default_folder(project.root).exists() and not (outside / "chosen").exists()


@pytest.mark.skipif(os.name != "posix", reason="owners and modes are POSIX's")
def test_a_cache_folder_others_can_change_or_that_belongs_to_another_user_is_refused_with_one_note(
    project: Project, outside: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = cache.default_folder(project.root)
    assert build(project, capsys)[0] == 0
    marker = tmp_path / "ran"
    for entry in entries(folder):
        entry.write_bytes(pickle.dumps(Planted(marker)))
    planted = {e: e.read_bytes() for e in entries(folder)}

    folder.chmod(0o770)
    status, out, err = build(project, capsys)
    assert status == 0
    assert err == (
        f"Note: the build cache is kept in memory only, because {folder} can be changed by other users (mode 770); "
        "use --cache-dir to choose another folder.\n"
    )
    assert "came from the build cache" not in out
    folder.chmod(0o700)

    (folder / cache.KEY_FILE).chmod(0o644)
    _, _, err = build(project, capsys)
    assert err == (
        f"Note: the build cache is kept in memory only, because {folder / cache.KEY_FILE} can be read by other users (mode 644); "
        "use --cache-dir to choose another folder.\n"
    )
    (folder / cache.KEY_FILE).chmod(0o600)

    chosen = outside / "chosen"
    chosen.mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 4242)
    _, _, err = build(project, capsys, "--cache-dir", str(chosen))
    monkeypatch.undo()
    assert err == (
        f"Note: the build cache is kept in memory only, because {chosen} belongs to another user; "
        "use --cache-dir to choose another folder.\n"
    )
    assert not list(chosen.iterdir())
    assert {e: e.read_bytes() for e in entries(folder)} == planted
    assert not marker.exists()


def test_a_cache_dir_that_is_a_file_or_cannot_be_made_is_refused_with_one_note(
    project: Project, outside: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = outside / "a-file"
    file.write_text("x")
    status, _, err = build(project, capsys, "--cache-dir", str(file))
    assert status == 0
    assert (
        err == f"Note: the build cache is kept in memory only, because {file} is not a folder; use --cache-dir to choose another folder.\n"
    )
    status, _, err = build(project, capsys, "--cache-dir", str(file / "below"))
    assert status == 0
    assert err == (
        f"Note: the build cache is kept in memory only, because {file / 'below'} cannot be used: Not a directory; "
        "use --cache-dir to choose another folder.\n"
    )


def test_cache_dir_makes_the_folders_it_needs_for_this_user_only(
    project: Project, outside: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chosen = outside / "new" / "cache"
    status, _, err = build(project, capsys, "--cache-dir", str(chosen))
    assert status == 0 and err == ""
    assert chosen.stat().st_mode & 0o777 == (chosen.parent.stat().st_mode & 0o777) == 0o700
    _, out, _ = build(project, capsys, "--cache-dir", str(chosen))
    assert FROM_CACHE in out


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {"XDG_CACHE_HOME": "/var/cache/me"}, Path("/var/cache/me")),
        ("linux", {"XDG_CACHE_HOME": "relative/cache"}, Path.home() / ".cache"),  # the XDG specification ignores it
        ("linux", {}, Path.home() / ".cache"),
        ("darwin", {}, Path.home() / "Library" / "Caches"),
        ("darwin", {"XDG_CACHE_HOME": "/Users/me/.cache"}, Path("/Users/me/.cache")),
        ("win32", {"LOCALAPPDATA": "/C/Users/me/AppData/Local"}, Path("/C/Users/me/AppData/Local")),
    ],
)
def test_the_user_cache_folder_is_the_platforms_own(
    platform: str, environ: dict[str, str], expected: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    assert cache.user_cache_base(environ) == expected


def test_each_project_has_a_folder_of_its_own_named_by_its_resolved_path(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "one")
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    one = cache.default_folder(tmp_path / "one", environ)
    assert one == cache.default_folder(tmp_path / "link", environ)
    assert one != cache.default_folder(tmp_path / "two", environ)
    assert one.parent == tmp_path / "cache" / "sitegen"
    assert one.name == "one-" + hashlib.sha256(os.fsencode(tmp_path / "one")).hexdigest()[:20]


# --- the preview's cache in memory ------------------------------------------------------------------------------------


def test_the_preview_keeps_its_cache_in_memory_and_a_rebuild_renders_only_the_saved_page(project: Project, tmp_path: Path) -> None:
    options = BuildOptions(project.content, project.templates, tmp_path / "site", today=AS_OF)
    memory = cache.BuildCache()
    assert build_site(options, memory).rendered_pages == 2
    assert build_site(options, memory).rendered_pages == 0
    project.write("content/index.md", (project.content / "index.md").read_text().replace("Hello", "Hello again"))
    result = build_site(options, memory)
    assert result.rendered_pages == 1 and not result.problems
    assert "Hello again" in (tmp_path / "site" / "index.html").read_text()


# --- plain data ------------------------------------------------------------------------------------------------------


def test_every_value_the_cache_keeps_of_the_real_site_comes_back_equal_from_plain_data(tmp_path: Path) -> None:
    memory = cache.BuildCache()
    options = BuildOptions(REAL_CONTENT, REPO / "templates", tmp_path / "site", check_only=True, include_drafts=True, passages=True)
    build_site(options, memory)
    kinds = {type(value) for value in memory.memory.values()}
    assert kinds == {LoadedPage, RenderedPage}
    for value in memory.memory.values():
        plain = json.loads(json.dumps(to_plain(value, type(value))))
        back = from_plain(plain, type(value))
        if isinstance(value, RenderedPage):
            assert back.facts is None
            back = pipeline.replace(back, facts=value.facts)
        assert back == value


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"key": "a", "locators": []}, RenderedMarkdown),  # another dataclass's fields
        ({"path": "a", "line": 1, "message": "m"}, Problem),  # a field missing
        ({"path": "a", "line": 1, "message": "m", "severity": "error", "extra": 1}, Problem),  # a field too many
        ({"path": "a", "line": True, "message": "m", "severity": "error"}, Problem),  # a bool is not a line number
        ({"path": "a", "line": 1, "message": "m", "severity": "fatal"}, Problem),  # not one of the Literal's values
        ([["path", "a"]], Problem),
        ("2026-02-30", datetime.date),
        (20260101, datetime.date),
        ([0, 1], PurePosixPath),
        ([7, "x"], str | int),  # a union member that does not exist
        ({"page": None, "problems": {"0": 1}}, LoadedPage),
        ({"id": "a", "title": "t", "line": 1.5}, Source),
        ("1e999", Decimal),  # a decimal is kept as its digits, never in another notation
        (38.6, Decimal),  # nor as a float, which would lose its exact value
    ],
)
def test_plain_data_of_another_shape_is_refused(data: object, kind: type) -> None:
    with pytest.raises(PlainDataError):
        from_plain(data, kind)


def test_a_value_plain_data_cannot_hold_is_kept_in_memory_only(tmp_path: Path) -> None:
    folder = cache.open_folder(tmp_path / "c", [])
    assert isinstance(folder, cache.CacheFolder)
    store = cache.BuildCache(folder)
    odd = Problem("a", 1, "m", "error")
    store.put("k", object(), Problem)
    store.put("p", odd, Problem)
    assert store.get("k", object) is not None  # in memory
    assert [e.name for e in entries(folder.path)] == [f"p{cache.ENTRY_SUFFIX}"]
    assert cache.BuildCache(folder).get("p", Problem) == odd
    assert cache.BuildCache(folder).get("p", LoadedPage) is None  # asked for as another type: a miss
