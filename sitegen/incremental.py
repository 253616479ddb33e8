"""Reuse a page's rendered Markdown and HTML while a hash of everything that went into it is unchanged.

The build always writes and checks every file, so the output of a build with a warm cache is the output of
a clean build; the cache only skips the work whose inputs are the same as last time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

import jinja2
from jinja2 import meta

from .pages import SourcePage, load_page, load_pages
from .problems import Problem, display_path

T = TypeVar("T")


def fingerprint(inputs: object) -> str:
    """A content hash of inputs, through their repr: the build's inputs are strings, dates, paths and frozen dataclasses."""
    return hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()


def template_fingerprint(env: jinja2.Environment, name: str) -> str:
    """A hash of the sources of template name and of every template it extends, includes or imports."""
    seen: dict[str, str] = {}
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        try:
            source, _, _ = env.loader.get_source(env, current) if env.loader else ("", None, None)
        except jinja2.TemplateNotFound:
            source = ""
        seen[current] = source
        try:
            referenced = list(meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateSyntaxError:
            referenced = []
        if None in referenced:  # a name computed at run time: any template may be used
            referenced = env.list_templates()
        waiting += [r for r in referenced if r is not None]
    return fingerprint(sorted(seen.items()))


def all_templates(env: jinja2.Environment) -> str:
    """A hash of the name and source of every template (not of the static files beside them)."""
    loader = env.loader
    names = env.list_templates(extensions=["html", "xml", "txt"])
    return fingerprint([(name, loader.get_source(env, name)[0]) for name in names] if loader else [])


class RenderCache:
    """One slot per (kind, name), such as ("html", "index.html"): the hash of its inputs and the result made from them."""

    def __init__(self) -> None:
        self._slots: dict[tuple[str, str], tuple[str, object]] = {}
        self.made: list[tuple[str, str]] = []

    def reuse(self, kind: str, name: str, inputs: object, make: Callable[[], T]) -> T:
        """The result kept for (kind, name) if inputs hash the same as when it was made; otherwise make() it now."""
        digest = fingerprint(inputs)
        slot = self._slots.get((kind, name))
        if slot is not None and slot[0] == digest:
            return cast(T, slot[1])
        value = make()
        self._slots[(kind, name)] = (digest, value)
        self.made.append((kind, name))
        return value

    def forget(self, kind: str, name: str) -> None:
        self._slots.pop((kind, name), None)


def load_pages_reusing(content_dir: Path, cache: RenderCache) -> tuple[list[SourcePage], list[Problem]]:
    """pages.load_pages(), reusing each file's page while the file's bytes are unchanged."""

    def load_reusing(path: Path) -> tuple[SourcePage | None, list[Problem]]:
        shown, before = display_path(path), path.read_bytes()
        loaded = cache.reuse("page", shown, (shown, before), lambda: load_page(path))
        if path.read_bytes() != before:  # saved again while being read: the result may not match the key
            cache.forget("page", shown)
        return loaded

    return load_pages(content_dir, load_reusing)
