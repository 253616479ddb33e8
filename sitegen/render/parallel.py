"""Render pages on every core: worker processes, each with its own Markdown converter and Jinja environment.

Results come back in page order, so a parallel build writes exactly the bytes of a serial one. Small jobs run in
this process.

How workers start (start_method):
- fork, where it is safe: on Linux, from a process with one thread (the command line). A forked worker shares the
  parent's memory, so it starts at once.
- spawn everywhere else: on macOS and Windows, and from a process with other threads running (the preview builds
  in a worker thread; forking a process with threads can copy a lock that another thread holds, and Python 3.12
  warns against it). A spawned worker is a new interpreter: it is sent the site's data (pickled by multiprocessing
  between the two processes, never read from a file) and makes its own converter and environment.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Sequence

import jinja2

from .rendering import PageInput, PageRenderer, RenderedPage, SiteInput

SERIAL_BELOW = 40  # starting workers costs about as much as rendering this many pages

# The signals a worker must not inherit handlers for. SIGHUP does not exist on Windows.
WORKER_SIGNALS = {s for s in (getattr(signal, name, None) for name in ("SIGINT", "SIGTERM", "SIGHUP")) if s is not None}

# What forked workers inherit: set just before the pool starts, cleared when it ends. Spawned workers get the site
# through _start_worker's argument instead.
_site: SiteInput | None = None
_env: jinja2.Environment | None = None
_renderer: PageRenderer | None = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def start_method() -> str:
    """'fork' on Linux from a process with one thread; 'spawn' otherwise (see the module's docstring)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def render_pages(site: SiteInput, env: jinja2.Environment | None, pages: Sequence[PageInput], jobs: int) -> list[RenderedPage]:
    """Each page rendered, in order; in worker processes when it pays."""
    if jobs <= 1 or len(pages) < SERIAL_BELOW:
        renderer = PageRenderer(site, env)
        return [renderer.render(page) for page in pages]
    import multiprocessing  # only larger sites need it

    global _site, _env
    method = start_method()
    context = multiprocessing.get_context(method)
    # A spawned worker is sent the site; the Jinja environment, with its compiled templates, stays here.
    sent = None if method == "fork" else site
    _site, _env = (site, env) if method == "fork" else (None, None)
    try:
        held = _hold_signals()  # workers start with these held back until they have dropped the parent's handlers
        try:
            pool = context.Pool(jobs, initializer=_start_worker, initargs=(sent,))
        finally:
            _release_signals(held)
        with pool:
            return pool.map(_render_one, list(pages), chunksize=max(1, len(pages) // (jobs * 8)))
    finally:
        _site, _env = None, None


def _hold_signals() -> set[int | signal.Signals] | None:
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks, and no handlers to inherit
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, WORKER_SIGNALS)


def _release_signals(held: set[int | signal.Signals] | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _start_worker(sent: SiteInput | None) -> None:
    global _renderer
    site = sent if sent is not None else _site
    assert site is not None
    _forget_parent_signals()
    _renderer = PageRenderer(site, _env if sent is None else None)


def _forget_parent_signals() -> None:
    """A forked worker inherits the preview's signal handling: its wake-up socket is shared with the preview, so the
    SIGTERM that ends a worker would reach the preview's event loop and stop the preview. A worker ends on SIGTERM,
    and leaves Ctrl-C to the process that started it."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, WORKER_SIGNALS)


def _render_one(page: PageInput) -> RenderedPage:
    assert _renderer is not None
    return _renderer.render(page)
