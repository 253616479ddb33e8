"""Addresses inside the site: output paths relative to the site root, and links between them."""

from __future__ import annotations

import functools
import posixpath
from urllib.parse import SplitResult, urlsplit

BLOCKED_SCHEMES = {"javascript", "vbscript", "data", "file"}


def relative_url(from_output: str, to_output: str) -> str:
    """The link from the page written at from_output to the file at to_output (both relative to the site root)."""
    if to_output == from_output:
        return posixpath.basename(to_output)
    start = posixpath.dirname(from_output) or "."
    return posixpath.relpath(to_output, start)


def root_prefix(output_path: str) -> str:
    """'../' once per folder between output_path and the site root ('' at the root)."""
    return "../" * output_path.count("/")


@functools.lru_cache(maxsize=1 << 16)  # a site repeats its addresses on many pages
def split_url(url: str) -> SplitResult | None:
    """urlsplit(url), or None for an address it cannot read (such as an unclosed '[' in the host)."""
    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return None
    return parts


def is_external(parts: SplitResult) -> bool:
    return bool(parts.scheme or parts.netloc)


def resolve(from_output: str, path: str) -> str | None:
    """The site-root-relative path that a relative link from from_output points to, or None when it leaves the site."""
    return _resolve_from(posixpath.dirname(from_output), path)


@functools.lru_cache(maxsize=1 << 16)  # the pages of one folder share their links' targets
def _resolve_from(folder: str, path: str) -> str | None:
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return "" if joined == "." else joined
