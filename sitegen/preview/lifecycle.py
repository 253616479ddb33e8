"""serve(): bind the port, build, serve and rebuild on save until Ctrl-C or SIGTERM.

Every message (problems, builds, the address) goes to the caller's `show`; cli.py prints them. Builds run in a
worker thread, so Ctrl-C and SIGTERM stop the preview at once, even in the middle of a long build: the build's
thread is a daemon and is left behind. The preview's folder is removed when it stops; a small helper process
removes it as well once this process has ended, in case a build left behind wrote to it (or the preview was
killed).
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from ..pipeline import BuildOptions
from .build import PreviewBuild, Published
from .server import AllowedHosts, broadcast, close_sockets, make_app
from .watch import Rebuilder, Watcher

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
CLOSE_SECONDS = 1.0  # at most this long to close open connections when stopping
# Removes the preview's folder once the preview's process has ended: its stdin reaches end of file only then.
CLEANER = (
    "import shutil, signal, sys\n"
    "for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP): signal.signal(s, signal.SIG_IGN)\n"
    "sys.stdin.buffer.read()\n"
    "shutil.rmtree(sys.argv[1], ignore_errors=True)\n"
)


@dataclass(frozen=True)
class Message:
    """A line for the terminal that is not a problem: the address, a build's summary, a traceback."""

    text: str
    to_stderr: bool = False

    def __str__(self) -> str:
        return self.text


Show = Callable[[object], None]  # receives Problem and Message objects, in order


def build_messages(published: Published) -> list[object]:
    """What to tell the editor about a build: its problems, then one line."""
    outcome = published.outcome
    items: list[object] = [Message(outcome.crash.rstrip(), to_stderr=True)] if outcome.crash else []
    items += outcome.problems
    if outcome.failed:
        items.append(Message("Build failed: the preview keeps showing the last good pages, with the problems above.", to_stderr=True))
    elif published.first:
        items.append(Message(f"Built the preview in {outcome.seconds:.2f} s, drafts included."))
    elif published.changed or published.panel_changed:
        what = ", ".join(published.changed) or "no file changed"
        items.append(Message(f"Rebuilt in {outcome.seconds * 1000:.0f} ms: {what}."))
    return items


def exposure_warning(host: str) -> Message | None:
    """A warning when the address lets other computers in: anything but a loopback address or 'localhost'."""
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host.lower() == "localhost"
    return None if loopback else Message(f"Warning: {host} lets other computers see the preview, drafts included.")


def url_for(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(options: BuildOptions, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, show: Show = print) -> int:
    """Build, serve and rebuild on save until Ctrl-C or SIGTERM. Returns the exit status."""
    folder = Path(tempfile.mkdtemp(prefix="sitegen-preview-"))
    cleaner = start_cleaner(folder)
    building = False
    try:
        status, building = asyncio.run(_serve(options, host, port, folder, show))
        return status
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if cleaner is not None and not building:  # nothing can write to the folder any more: let the helper go now
            cleaner.communicate(timeout=5)


def start_cleaner(folder: Path) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", CLEANER, str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in the terminal does not reach it
        )
    except OSError:
        return None


async def _serve(options: BuildOptions, host: str, port: int, folder: Path, show: Show) -> tuple[int, bool]:
    """Returns the exit status, and whether a build was still running when the preview stopped."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        sockets = bind_sockets(port, address=host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            text = f"Cannot start the preview: port {port} on {host} is already in use. Stop what uses it, or choose another with --port."
        else:
            text = f"Cannot start the preview on {host}:{port}: {exc.strerror or exc}."
        show(Message(text, to_stderr=True))
        return 1, False
    bound_port = sockets[0].getsockname()[1]
    preview = PreviewBuild(options, folder)

    def published(item: Published) -> None:
        for message in build_messages(item):
            show(message)
        broadcast(item.reload_messages())

    def saved(_: object) -> None:
        try:
            loop.call_soon_threadsafe(rebuilder.saved)
        except RuntimeError:  # the loop has closed: the preview is stopping
            pass

    watcher = Watcher(options, [folder, options.site_dir], saved)
    rebuilder = Rebuilder(preview, loop, published, before_build=watcher.refresh)
    server = HTTPServer(make_app(preview, rebuilder, AllowedHosts.of(host, bound_port)))
    server.add_sockets(sockets)
    try:
        watcher.start()
    except OSError as exc:  # such as the system's limit on inotify watches
        show(Message(f"Cannot watch for saves ({exc.strerror or exc}): the preview will not rebuild by itself.", to_stderr=True))
    show(Message(f"Preview files are in {folder} (deleted when the preview stops)."))
    if warning := exposure_warning(host):
        show(warning)
    show(Message(f"Serving the preview at {url_for(host, bound_port)} (press Ctrl-C to stop)"))
    rebuilder.start()
    try:
        await stop.wait()
    finally:
        rebuilder.stop()
        watcher.stop()
        server.stop()
        close_sockets()
        try:
            await asyncio.wait_for(server.close_all_connections(), CLOSE_SECONDS)
        except TimeoutError:
            pass
    show(Message("Preview stopped."))
    return 0, rebuilder.running
