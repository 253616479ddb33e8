"""Render pages on every core: forked worker processes, each with its own Markdown converter and Jinja environment.

Results come back in page order, so a parallel build writes exactly the bytes of a serial one. Small jobs, and
systems without fork(), run in this process.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence

from ..load.pages import Page
from .rendering import PageRenderer, PageResult, PageWork

SERIAL_BELOW = 40  # starting workers costs about as much as rendering this many pages

WORKER_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}

# What forked workers inherit: set just before the pool starts, cleared when it ends.
_work: PageWork | None = None
_pages: Sequence[Page] = ()
_renderer: PageRenderer | None = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def render_pages(work: PageWork, pages: Sequence[Page], jobs: int) -> list[PageResult]:
    """render_page() for each page, in order; in worker processes when it pays."""
    if jobs <= 1 or len(pages) < SERIAL_BELOW:
        return _render_here(work, pages)
    import multiprocessing  # only larger sites need it

    if "fork" not in multiprocessing.get_all_start_methods():
        return _render_here(work, pages)
    global _work, _pages
    _work, _pages = work, pages
    try:
        context = multiprocessing.get_context("fork")
        # Workers are forked with these signals held back until they have dropped the parent's handlers.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, WORKER_SIGNALS)
        try:
            pool = context.Pool(jobs, initializer=_start_worker)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        with pool:
            return pool.map(_render_one, range(len(pages)), chunksize=max(1, len(pages) // (jobs * 8)))
    finally:
        _work, _pages = None, ()


def _render_here(work: PageWork, pages: Sequence[Page]) -> list[PageResult]:
    renderer = PageRenderer(work)
    return [renderer.render(page) for page in pages]


def _start_worker() -> None:
    global _renderer
    assert _work is not None
    _forget_parent_signals()
    _renderer = PageRenderer(_work)


def _forget_parent_signals() -> None:
    """A forked worker inherits the preview's signal handling: its wake-up socket is shared with the preview, so the
    SIGTERM that ends a worker would reach the preview's event loop and stop the preview. A worker ends on SIGTERM,
    and leaves Ctrl-C to the process that started it."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, WORKER_SIGNALS)


def _render_one(index: int) -> PageResult:
    assert _renderer is not None
    return _renderer.render(_pages[index])
