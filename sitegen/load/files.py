"""Find the files the build reads, and read them safely.

- Markdown files anywhere under content/ are pages; a sub-folder is a section. Names starting with '_' hold
  site data (``is_data``). Dotfiles and editors' working files are ignored (``is_ignored``).
- A symbolic link is followed only to a regular file inside content/ or templates/, never to a hidden file (a
  name starting with '.') nor to a file git ignores; any other link is an error that names where it points.
- A file name that is not UTF-8 or holds a character that breaks addresses, two names in one folder that differ
  only in capitals or in Unicode normalisation, and a file over the size limit (MAX_PAGE_BYTES for text,
  MAX_FILE_BYTES for other files) are errors, never read or copied.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..problems import Problem, display_path, error
from . import gitinfo

MAX_FILE_BYTES = 512 * 1024  # images and static files
MAX_PAGE_BYTES = 100 * 1024  # Markdown pages and the settings: real leaflets are 5 to 50 KB (see docs/editing.md, "Limits")
MAX_FOLDER_DEPTH = 8
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".svg", ".gif"}
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # in text; tabs and line ends are fine
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\\:*?\"<>|]")
EDITOR_FILES = re.compile(r"(^#.*#$)|(~$)|(\.sw[a-p]$)|(\.(tmp|bak|orig|rej)$)|(^4913$)", re.IGNORECASE)


def is_ignored(name: str) -> bool:
    """Dotfiles (.hidden.md, ._index.md) and editors' working files (*.swp, *~, #*#) are never read."""
    return name.startswith(".") or bool(EDITOR_FILES.search(name))


def is_data(relative: PurePosixPath) -> bool:
    """Files under a leading '_' hold site data or partials, never pages."""
    return any(part.startswith("_") for part in relative.parts)


@dataclass(frozen=True)
class FoundFile:
    path: Path
    relative: PurePosixPath  # from the folder searched, with '/' separators
    shown: str


@dataclass(frozen=True)
class ContentFiles:
    pages: tuple[FoundFile, ...]
    images: tuple[FoundFile, ...]
    other: tuple[FoundFile, ...]


def name_problem(name: str) -> str | None:
    """Why a file name cannot be used in a site address, or None."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not UTF-8 text; rename it using letters, digits and '-'"
    if UNSAFE_NAME.search(name):
        return "the file name holds a character that cannot be part of a web address (such as \\, :, a tab or a line break); rename it"
    if len(name.encode("utf-8")) > 200:
        return "the file name is too long; use a shorter one"
    return None


def printable(text: str) -> str:
    """text with the bytes of a name that is not UTF-8 written as \\xNN, so that it can be printed anywhere."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def walk(folder: Path, roots: tuple[Path, ...]) -> tuple[list[FoundFile], list[Problem]]:
    """Every file under folder that the build may read, sorted. roots are the folders whose files may be published
    (content/ and templates/): a symbolic link is followed only to a regular file inside one of them (link_problem)."""
    found: list[FoundFile] = []
    problems: list[Problem] = []
    real_roots = tuple(Path(os.path.realpath(root)) for root in roots)
    links: list[tuple[FoundFile, str, Path]] = []  # (the link, where it points as written, its real target)
    waiting: list[tuple[Path, PurePosixPath]] = [(folder, PurePosixPath())]
    while waiting:
        current, relative = waiting.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            problems.append(error(display_path(current), 1, f"cannot read this folder: {(exc.strerror or str(exc)).lower()}"))
            continue
        folder_shown = display_path(current)
        prefix = "" if folder_shown == "." else folder_shown + "/"
        problems += same_name_problems([entry.name for entry in entries if not is_ignored(entry.name)], prefix)
        for entry in entries:
            path = Path(entry.path)
            shown = printable(prefix + entry.name)
            if entry.is_symlink():
                reason, target = link_problem(path, real_roots)
                if reason:  # even when the name is ignored: a template can still include it
                    problems.append(error(shown, 1, reason))
                    continue
            if is_ignored(entry.name):
                continue
            reason = name_problem(entry.name)
            if reason:
                problems.append(error(shown, 1, reason))
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if len(relative.parts) + 1 > MAX_FOLDER_DEPTH:
                    problems.append(error(shown, 1, f"folders are nested more than {MAX_FOLDER_DEPTH} deep; flatten them"))
                else:
                    waiting.append((path, relative / entry.name))
                continue
            file = FoundFile(path, relative / entry.name, shown)
            if entry.is_symlink():
                links.append((file, os.readlink(path), target))
            found.append(file)
    ignored = ignored_links(links, real_roots)
    for file, written, _ in links:
        if file in ignored:
            problems.append(
                error(
                    file.shown,
                    1,
                    f"is a symbolic link to {written!r}, a file that git ignores, so it is not part of the project; "
                    "remove the link, or copy the file here and commit it",
                )
            )
    found = [file for file in found if file not in ignored]
    found.sort(key=lambda f: f.relative.as_posix())
    return found, problems


def link_problem(link: Path, roots: tuple[Path, ...]) -> tuple[str | None, Path]:
    """Why a symbolic link may not be followed, or None; and the real path it leads to.

    A link is followed only to a regular file inside one of roots, through no hidden folder and to no hidden file
    (a name starting with '.', such as .env or .git/), so that no link can publish a file the project does not own."""
    target = Path(os.path.realpath(link))
    try:
        written = os.readlink(link)
    except OSError:
        written = str(target)
    where = repr(written)
    if Path(os.path.normpath(link.parent / written)) != target:
        where += f", which leads to {display_path(target)!r}"
    root = next((r for r in roots if target.is_relative_to(r)), None)
    if not target.exists():
        reason = "which does not exist; remove it"
    elif root is None:
        places = " and ".join(f"{display_path(r)}/" for r in roots)
        reason = f"outside {places}; only the site's own files are published: copy the file here instead"
    elif any(part.startswith(".") for part in target.relative_to(root).parts):
        reason = "a hidden file (a name in its path starts with '.'), which is never published; remove the link"
    elif target.is_dir():
        return f"is a symbolic link to the folder {where}; links to folders are not followed: move the folder here", target
    elif not target.is_file():
        reason = "which is not a regular file; remove it"
    else:
        return None, target
    return f"is a symbolic link to {where}, {reason}", target


def ignored_links(links: list[tuple[FoundFile, str, Path]], roots: tuple[Path, ...]) -> set[FoundFile]:
    """The links whose target git ignores. Asked of git only when a link is there, git is installed and the root
    is in a git work tree; otherwise nothing is ignored (a folder that is no repository has no ignored files)."""
    ignored: set[FoundFile] = set()
    for root in roots:
        inside = [(file, target) for file, _, target in links if target.is_relative_to(root)]
        if inside:
            found = gitinfo.ignored_paths(root, [target for _, target in inside])
            ignored.update(file for file, target in inside if target in found)
    return ignored


def same_name_problems(names: list[str], prefix: str) -> list[Problem]:
    """Names in one folder that differ only in capitals, or in how an accented letter is stored (Unicode NFC or
    NFD): they are one file on macOS and Windows, so a checkout there loses one of them."""
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for name in names:
        key = unicodedata.normalize("NFC", name).casefold()
        other = first.setdefault(key, name)
        if other == name:
            continue
        same_letters = unicodedata.normalize("NFC", name) == unicodedata.normalize("NFC", other)
        how = "in how an accented letter is stored (Unicode NFC or NFD)" if same_letters else "in capitals"
        problems.append(
            error(
                printable(prefix + name),
                1,
                f"this name and {printable(prefix + other)!r} differ only {how}, so they are one file on a Mac or a Windows "
                "computer: rename one of them, or merge them",
            )
        )
    return problems


def find_content(content_dir: Path, roots: tuple[Path, ...]) -> tuple[ContentFiles, list[Problem]]:
    """Pages (Markdown), images and other files of the content folder."""
    if not content_dir.is_dir():
        what = "is not a folder" if content_dir.exists() else "does not exist"
        return ContentFiles((), (), ()), [
            error(display_path(content_dir), 1, f"the content folder {what}; create it with an index.md page")
        ]
    found, problems = walk(content_dir, roots)
    pages: list[FoundFile] = []
    images: list[FoundFile] = []
    other: list[FoundFile] = []
    for file in found:
        suffix = file.relative.suffix
        kind = other if is_data(file.relative) else pages if suffix == ".md" else images if suffix.lower() in IMAGE_SUFFIXES else other
        kind.append(file)
    return ContentFiles(tuple(pages), tuple(images), tuple(other)), problems


def read_bytes(path: Path, shown: str, limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, or the problem that stops it being read: missing, unreadable, not a regular file (a pipe
    would never end), or over the size limit."""
    try:
        details = path.stat()
        if not stat.S_ISREG(details.st_mode):
            return None, [error(shown, 1, "is not a regular file (it is a device, a pipe or a socket); remove it")]
        if details.st_size > limit:
            return None, [error(shown, 1, _too_big(limit, f"{details.st_size / 1024:,.0f} KB"))]
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return None, [error(shown, 1, f"cannot read the file: {(exc.strerror or str(exc)).lower()}")]
    if len(data) > limit:
        return None, [error(shown, 1, _too_big(limit, f"over {limit // 1024} KB"))]
    return data, []


def _too_big(limit: int, size: str) -> str:
    return f"the file is {size}; a file of this kind may be at most {limit // 1024} KB: split it, or make it smaller"


SAVE_AS_UTF8 = (
    "save the file as UTF-8. VS Code: click the encoding at the bottom right, 'Save with Encoding', 'UTF-8'. "
    "Notepad: 'Save as', Encoding 'UTF-8'. TextEdit: 'Format', 'Make Plain Text', then save with 'Unicode (UTF-8)'. "
    "Word: 'Save as' 'Plain Text', then 'Unicode (UTF-8)'. GitHub's web editor saves UTF-8: retype there what it shows as \ufffd"
)


def not_utf8(byte: int) -> str:
    """The message for a file that is not UTF-8, naming the character a Windows program most likely meant by byte."""
    try:
        meant = bytes([byte]).decode("cp1252") if byte >= 0x80 else ""
    except UnicodeDecodeError:
        meant = ""
    guess = f" (it is probably {meant} from a Windows program)" if meant.isprintable() and meant.strip() else ""
    return f"the file is not UTF-8 text: byte 0x{byte:02x} on this line cannot be read{guess}; {SAVE_AS_UTF8}"


def read_text(path: Path, shown: str, limit: int = MAX_PAGE_BYTES) -> tuple[str | None, list[Problem]]:
    """A UTF-8 text file with its line endings made '\\n'; an empty file or one that is not UTF-8 is a problem."""
    data, problems = read_bytes(path, shown, limit)
    if data is None:
        return None, problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(shown, line, not_utf8(data[exc.start]))]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [error(shown, 1, "the file is empty")]
    control = CONTROL_CHARACTER.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        code = f"U+{ord(control.group()):04X}"
        return None, [error(shown, line, f"this line holds an invisible control character ({code}); delete it")]
    return text, []
