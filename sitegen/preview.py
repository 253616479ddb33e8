"""python build.py serve: build into a folder of its own, serve it, rebuild on every save and reload the browser.

Built on livereload: its WebSocket protocol handler and its browser client (livereload.js, which also swaps
stylesheets without reloading the page). Its watcher and serve() are not used: they poll every 0.8 s and drop
any change made within 3 s of the previous reload. Here, file-system events (watchdog, inotify on Linux) start
a rebuild, and every build that changes the output or the error state sends one reload.

Builds run on the server's event loop, so no request is answered while a build runs, and the build publishes
into the served folder only when it has finished. The reload script and the error panel are added to HTML
responses on the way out; the files in the preview folder are exactly what build_site() wrote.
"""

from __future__ import annotations

import asyncio
import errno
import html
import json
import mimetypes
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.websocket import WebSocketHandler
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .pipeline import BuildOptions, build_site
from .problems import Problem, display_path, error

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SETTLE_SECONDS = 0.015  # one save is several events (write, close, rename); build once they stop
SAVE_EVENTS = {"created", "modified", "moved", "deleted", "closed"}
PLUGIN_ID = "sitegen-preview"  # the plugin identifier in CLIENT_JS
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Outcome:
    """What one rebuild changed: output files (paths relative to the site) and whether the error state changed."""

    changed: tuple[str, ...]
    errors_changed: bool
    seconds: float

    def reload_messages(self) -> list[dict[str, object]]:
        """livereload protocol messages: stylesheets alone are swapped in place, anything else reloads the page."""
        if not self.changed and not self.errors_changed:
            return []
        if self.errors_changed or any(not path.endswith(".css") for path in self.changed):
            return [reload_message("*")]
        return [reload_message(path) for path in self.changed]


def reload_message(path: str) -> dict[str, object]:
    return {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}


class PreviewBuild:
    """Builds the site, drafts included, into a folder of its own, and tells what each build changed."""

    def __init__(self, options: BuildOptions, folder: Path) -> None:
        self.options = replace(options, site_dir=folder / "site", include_drafts=True, check_only=False)
        self.errors: tuple[Problem, ...] = ()
        self.generation = 0
        self._hashes: dict[str, str] = {}

    @property
    def site_dir(self) -> Path:
        return self.options.site_dir

    def build(self) -> Outcome:
        started = time.perf_counter()
        digests: dict[str, str] = {}
        try:
            result = build_site(self.options)
            problems, failed, digests = tuple(result.problems), result.failed(self.options.strict), result.digests
        except Exception as exc:  # a bug in the generator must not stop the preview
            traceback.print_exc()
            problems, failed = (error(display_path(self.options.content_dir), 1, f"the build crashed: {type(exc).__name__}: {exc}"),), True
        for problem in problems:
            print(problem, file=sys.stderr, flush=True)
        errors = problems if failed else ()
        outcome = Outcome(() if failed else self._changed_files(digests), errors != self.errors, time.perf_counter() - started)
        self.errors = errors
        if outcome.changed or outcome.errors_changed:
            self.generation += 1
        return outcome

    def _changed_files(self, digests: dict[str, str]) -> tuple[str, ...]:
        changed = sorted(path for path in digests.keys() | self._hashes.keys() if digests.get(path) != self._hashes.get(path))
        self._hashes = digests
        return tuple(changed)


CLIENT_PATH = "/__preview__/"

# Pages may carry a Content-Security-Policy of default-src 'self', so everything the preview adds is a
# same-origin file: no inline script, no inline style.
CLIENT_JS = """\
(function () {
  var script = document.currentScript;
  window.LiveReloadPluginSitegenPreview = class {
    static identifier = "sitegen-preview";
    static version = "1";
    analyze() { return { generation: Number(script.dataset.generation) }; }
  };
  document.addEventListener("LiveReloadConnect", function () { document.documentElement.dataset.preview = "connected"; });
  var client = document.createElement("script");
  client.src = "/livereload.js?port=" + (location.port || (location.protocol === "https:" ? 443 : 80));
  document.head.appendChild(client);
})();
"""

CLIENT_CSS = """\
#preview-error { position: fixed; inset: 0 0 auto 0; z-index: 2147483647; max-height: 60vh; overflow: auto; margin: 0;
  padding: 1rem 1.25rem; background: #fff4f4; color: #1a1a1a; border-bottom: 4px solid #b00020;
  font: 16px/1.5 system-ui, sans-serif; box-shadow: 0 2px 8px rgba(0, 0, 0, .3); }
#preview-error p { margin: 0; }
#preview-error .preview-error-title { margin-bottom: .5rem; font-weight: bold; color: #b00020; }
#preview-error ul { margin: 0 0 .5rem; padding-left: 1.25rem; }
#preview-error code { font: 15px/1.5 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; color: inherit; }
"""

CLIENT_FILES = {"client.js": ("application/javascript", CLIENT_JS), "client.css": ("text/css", CLIENT_CSS)}


def preview_snippet(generation: int) -> str:
    """The reload client (livereload.js, told which build this page shows, so that a stale page reloads when it connects)."""
    return (
        f'<link rel="stylesheet" href="{CLIENT_PATH}client.css">\n'
        f'<script src="{CLIENT_PATH}client.js" data-generation="{generation}" async></script>\n'
    )


def error_panel(errors: Iterable[Problem]) -> str:
    """A panel over the page that lists every problem as path:line: message."""
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in errors)
    return (
        '<div id="preview-error" role="alert">\n'
        '<p class="preview-error-title">The preview could not be updated: the build failed.</p>\n'
        f"<ul>{items}</ul>\n"
        "<p>You are seeing the last good build. Fix the file and save: this page updates by itself.</p>\n"
        "</div>\n"
    )


HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def inject(page: str, head: str, body: str = "") -> str:
    """head goes before </head> and body straight after <body>, whatever their case; a page without them still gets both."""
    match = HEAD_END.search(page)
    page = page[: match.start()] + head + page[match.start() :] if match else head + page
    match = BODY_START.search(page)
    return page[: match.end()] + body + page[match.end() :] if match else page + body


PLACEHOLDER = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n</head>\n'
    "<body>\n<h1>{title}</h1>\n</body>\n</html>\n"
)


class SiteHandler(web.RequestHandler):
    """Files of the last good build; HTML gets the reload script and, while the build is failing, the error panel."""

    def initialize(self, preview: PreviewBuild) -> None:
        self.preview = preview

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        root = self.preview.site_dir
        if not root.is_dir():
            self._send_html(503, PLACEHOLDER.format(title="The preview is not built yet"))
            return
        target = (root / path).resolve()
        if not target.is_relative_to(root.resolve()):
            self._not_found(root)
        elif target.is_dir() and path and not path.endswith("/"):
            self.redirect(f"/{path}/")
        elif target.is_dir() and (target / "index.html").is_file():
            self._send_file(200, target / "index.html")
        elif target.is_file():
            self._send_file(200, target)
        else:
            self._not_found(root)

    def _not_found(self, root: Path) -> None:
        if (root / "404.html").is_file():
            self._send_file(404, root / "404.html")
        else:
            self._send_html(404, PLACEHOLDER.format(title="Page not found"))

    def _send_file(self, status: int, file: Path) -> None:
        if file.suffix == ".html":
            self._send_html(status, file.read_text(encoding="utf-8"))
            return
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self.set_status(status)
        self.set_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        self.finish(file.read_bytes())

    def _send_html(self, status: int, page: str) -> None:
        panel = error_panel(self.preview.errors) if self.preview.errors else ""
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(inject(page, preview_snippet(self.preview.generation), panel).encode("utf-8"))


class ClientHandler(web.RequestHandler):
    """The preview's own script and stylesheet."""

    def get(self, name: str) -> None:
        if name not in CLIENT_FILES:
            raise web.HTTPError(404)
        kind, text = CLIENT_FILES[name]
        self.set_header("Content-Type", f"{kind}; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(text.encode("utf-8"))


class ReloadSocket(LiveReloadHandler):
    """livereload's WebSocket protocol (hello, info, reload); a browser that shows an older build is reloaded when it connects."""

    def initialize(self, preview: PreviewBuild) -> None:
        self.preview = preview

    def check_origin(self, origin: str) -> bool:
        return WebSocketHandler.check_origin(self, origin)  # livereload accepts any origin; only the page's own may connect

    def on_message(self, message: str | bytes) -> None:
        super().on_message(message)
        data = json.loads(message)
        if data.get("command") == "info":
            shown = data.get("plugins", {}).get(PLUGIN_ID, {}).get("generation")
            if shown != self.preview.generation:
                self.send_message(reload_message("*"))


def broadcast(messages: list[dict[str, object]]) -> None:
    for socket in list(LiveReloadHandler.waiters):
        for message in messages:
            socket.send_message(message)


def make_app(preview: PreviewBuild) -> web.Application:
    return web.Application(
        [
            (r"/livereload", ReloadSocket, {"preview": preview}),
            (r"/livereload\.js", LiveReloadJSHandler),
            (rf"{CLIENT_PATH}([a-z.]+)", ClientHandler),
            (r"/(.*)", SiteHandler, {"preview": preview}),
        ]
    )


def watched_folders(options: BuildOptions) -> list[Path]:
    """The sources of the site: content, templates and static files; never an output folder."""
    folders = sorted({options.content_dir.resolve(), options.templates_dir.resolve(), options.static_dir.resolve()})
    return [f for f in folders if f.is_dir() and not any(f != other and f.is_relative_to(other) for other in folders)]


def is_source_change(event: FileSystemEvent, ignored: Iterable[Path]) -> bool:
    """A write, creation, move or deletion outside every ignored (output) folder; reads do not count."""
    if event.event_type not in SAVE_EVENTS:
        return False
    paths = [Path(str(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
    ignored = list(ignored)
    return any(not any(path.is_relative_to(folder) for folder in ignored) for path in paths)


class SaveHandler(FileSystemEventHandler):
    """Runs on watchdog's thread: hands each save to the event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, on_save: Callable[[], None], ignored: list[Path]) -> None:
        self.loop = loop
        self.on_save = on_save
        self.ignored = ignored

    def on_any_event(self, event: FileSystemEvent) -> None:
        if is_source_change(event, self.ignored):
            self.loop.call_soon_threadsafe(self.on_save)


class Rebuilder:
    """Waits for a burst of file events to settle, rebuilds once, then tells every open page."""

    def __init__(self, preview: PreviewBuild, loop: asyncio.AbstractEventLoop) -> None:
        self.preview = preview
        self.loop = loop
        self.timer: asyncio.TimerHandle | None = None

    def saved(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer = self.loop.call_later(SETTLE_SECONDS, self.rebuild)

    def rebuild(self) -> None:
        self.timer = None
        outcome = self.preview.build()
        report(self.preview, outcome)
        broadcast(outcome.reload_messages())


def report(preview: PreviewBuild, outcome: Outcome) -> None:
    if preview.errors:
        print("Build failed: the preview keeps showing the last good pages, with the problems above.", file=sys.stderr, flush=True)
    elif outcome.errors_changed or outcome.changed:
        what = ", ".join(outcome.changed) or "no file changed"
        print(f"Rebuilt in {outcome.seconds * 1000:.0f} ms: {what}.", flush=True)


def url_for(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(options: BuildOptions, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Build, serve and rebuild on save until Ctrl-C or SIGTERM. Returns the exit status."""
    folder = Path(tempfile.mkdtemp(prefix="sitegen-preview-"))
    try:
        return asyncio.run(_serve(options, host, port, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _serve(options: BuildOptions, host: str, port: int, folder: Path) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        sockets = bind_sockets(port, address=host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(
                f"Cannot start the preview: port {port} on {host} is already in use. Stop what uses it, or choose another with --port.",
                file=sys.stderr,
            )
        else:
            print(f"Cannot start the preview on {host}:{port}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    preview = PreviewBuild(options, folder)
    rebuilder = Rebuilder(preview, loop)
    server = HTTPServer(make_app(preview))
    server.add_sockets(sockets)
    first = preview.build()
    if not preview.errors:
        print(f"Built the preview in {first.seconds:.2f} s, drafts included.", flush=True)
    report(preview, replace(first, changed=()))
    ignored = [folder.resolve(), options.site_dir.resolve()]
    observer = Observer()
    for watched in watched_folders(options):
        observer.schedule(SaveHandler(loop, rebuilder.saved, ignored), str(watched), recursive=True)
    observer.start()
    print(f"Preview files are in {folder} (deleted when the preview stops).", flush=True)
    if host not in LOOPBACK:
        print(f"Warning: {host} lets other computers see the preview, drafts included.", flush=True)
    print(f"Serving the preview at {url_for(host, sockets[0].getsockname()[1])} (press Ctrl-C to stop)", flush=True)
    try:
        await stop.wait()
    finally:
        observer.stop()
        observer.join(timeout=5)
        server.stop()
        for socket in list(LiveReloadHandler.waiters):
            socket.close()
        await server.close_all_connections()
    print("Preview stopped.", flush=True)
    return 0
