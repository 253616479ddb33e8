"""Serving: the last good build, with the reload script and (while the build fails) the error panel added to HTML.

What a request gets is decided by respond(), a plain function of the preview's state and the path, so it is
tested without a socket; the tornado handlers only carry it over HTTP. Every request is checked first:
- its Host header must name the preview's own address (127.0.0.1, localhost or [::1] and the port, or the --host
  given), so that a web page cannot read drafts through DNS rebinding;
- a path must stay inside the site, and names starting with '.' are never served;
- a redirect (a folder asked for without its '/') goes to a path on the preview, made from the folder found,
  never from the text of the request.
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web
from tornado.websocket import WebSocketHandler

from ..problems import Problem
from .build import PreviewBuild, reload_message
from .watch import Rebuilder

CLIENT_PATH = "/__preview__/"
CLIENT_FILES = {"client.js": "application/javascript", "client.css": "text/css"}
PLUGIN_ID = "sitegen-preview"  # the plugin identifier in client.js
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("", "0.0.0.0", "::")


@cache
def client_file(name: str) -> bytes:
    """client.js or client.css, files of this package."""
    return files(__package__).joinpath(name).read_bytes()


# --- which requests are answered --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowedHosts:
    """The Host headers the preview answers: its own address, by any of its names, with its port."""

    names: frozenset[str]
    port: int
    any_address: bool  # bound to every interface (--host 0.0.0.0): any IP address of this computer

    @classmethod
    def of(cls, host: str, port: int) -> AllowedHosts:
        names = {*LOOPBACK_NAMES, host.strip("[]").lower()} - {""}
        return cls(frozenset(names), port, host in WILDCARDS)

    def allows(self, header: str | None) -> bool:
        name, port = split_host(header or "")
        if name is None or (port if port is not None else 80) != self.port:
            return False
        return name in self.names or (self.any_address and is_ip_address(name))

    def shown(self) -> str:
        return ", ".join(f"[{n}]:{self.port}" if ":" in n else f"{n}:{self.port}" for n in sorted(self.names))


def split_host(header: str) -> tuple[str | None, int | None]:
    """('name', port) from 'name:port', '[::1]:port' or 'name'; (None, None) when it is not a host."""
    header = header.strip().lower()
    if header.startswith("["):
        name, bracket, rest = header[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None, None
        port_text = rest[1:] if rest else None
    elif header.count(":") > 1 or not header:
        return None, None
    else:
        name, _, port_text = header.partition(":")
        port_text = port_text if ":" in header else None
    if port_text is not None and not (port_text.isascii() and port_text.isdigit() and int(port_text) <= 65535):
        return None, None
    return (name or None), (int(port_text) if port_text is not None else None)


def is_ip_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


# --- what a request gets ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


PLACEHOLDER = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n</head>\n'
    "<body>\n<h1>{title}</h1>\n</body>\n</html>\n"
)


def respond(preview: PreviewBuild, path: str) -> Response:
    """The answer to GET /path (path already URL-decoded), from the last good build."""
    root = preview.site_dir
    if root is None:
        title = "The preview could not be built" if preview.errors else "The preview is not built yet"
        return html_response(preview, 503, PLACEHOLDER.format(title=title))
    if any(part.startswith(".") for part in path.split("/")):  # '..', and dotfiles such as the output marker
        return not_found(preview, root)
    base = root.resolve()
    target = (base / path).resolve()
    if not target.is_relative_to(base):
        return not_found(preview, root)
    if target.is_dir():
        if path and not path.endswith("/"):
            return Response(302, location=same_origin_path(target.relative_to(base)))
        target = target / "index.html"
    if not target.is_file():
        return not_found(preview, root)
    return file_response(preview, 200, target)


def same_origin_path(relative: Path) -> str:
    """'/folder/' on this preview, with every character that could make it another address percent-encoded."""
    parts = [quote(part, safe="") for part in relative.parts if part not in ("", ".")]
    return "/" + "".join(f"{part}/" for part in parts)


def not_found(preview: PreviewBuild, root: Path) -> Response:
    page = root / "404.html"
    if page.is_file():
        return file_response(preview, 404, page)
    return html_response(preview, 404, PLACEHOLDER.format(title="Page not found"))


def file_response(preview: PreviewBuild, status: int, file: Path) -> Response:
    if file.suffix == ".html":
        return html_response(preview, status, file.read_text(encoding="utf-8"))
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return Response(status, file.read_bytes(), kind + ("; charset=utf-8" if kind.startswith("text/") else ""))


def html_response(preview: PreviewBuild, status: int, page: str) -> Response:
    panel = error_panel(preview.errors) if preview.errors else warning_panel(preview.warnings) if preview.warnings else ""
    return Response(status, inject(page, preview_snippet(preview.generation), panel).encode("utf-8"))


def preview_snippet(generation: int) -> str:
    """The reload client (livereload.js, told which build this page shows, so that a stale page reloads when it connects)."""
    return (
        f'<link rel="stylesheet" href="{CLIENT_PATH}client.css">\n'
        f'<script src="{CLIENT_PATH}client.js" data-generation="{generation}" async></script>\n'
    )


def error_panel(problems: Iterable[Problem]) -> str:
    """A panel over the page that names the files with errors and lists every problem as path:line: message, the
    errors first, then (marked apart) the warnings and notices."""
    problems = list(problems)
    errors = [p for p in problems if p.is_error]
    names = list(dict.fromkeys(p.path for p in errors or problems))
    where = f" in {', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else f" in {names[0]}" if names else ""
    others = [p for p in problems if not p.is_error] if errors else []
    rest = f'<p class="preview-warnings-title">And {_counted(others)}:</p>\n{_problem_list(others)}' if others else ""
    return (
        '<div id="preview-error" role="alert">\n'
        f'<p class="preview-error-title">The preview could not be updated: the build failed{html.escape(where)}.</p>\n'
        f"{_problem_list(errors or problems)}{rest}"
        "<p>You are seeing the last good build. Fix the file and save: this page updates by itself.</p>\n"
        "</div>\n"
    )


def warning_panel(problems: Iterable[Problem]) -> str:
    """A smaller panel, which the editor can fold away: the warnings (which fail the published build, built with
    --strict) and notices of a build that succeeded. Not an alert: the page is up to date."""
    problems = list(problems)
    strict = any(p.severity == "warning" for p in problems)
    why = " The published build (with --strict) fails on warnings: fix them before you publish." if strict else ""
    return (
        '<details id="preview-warnings" open>\n'
        f'<summary class="preview-warnings-title">The preview is up to date, with {_counted(problems)}.</summary>\n'
        f"{_problem_list(problems)}"
        f"<p>{why.strip() or 'Notices never fail a build.'} Fix the file and save: this page updates by itself.</p>\n"
        "</details>\n"
    )


def _problem_list(problems: list[Problem]) -> str:
    """Each problem as path:line: message, marked by its kind in words (not by colour alone)."""
    items = "".join(f'<li class="preview-{p.severity}"><code>{html.escape(str(p))}</code></li>' for p in problems)
    return f"<ul>{items}</ul>\n" if items else ""


def _counted(problems: list[Problem]) -> str:
    counts = {kind: sum(p.severity == kind for p in problems) for kind in ("warning", "notice")}
    parts = [f"{n} {kind}" + ("" if n == 1 else "s") for kind, n in counts.items() if n]
    return " and ".join(parts)


HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def inject(page: str, head: str, body: str = "") -> str:
    """head goes before </head> and body straight after <body>, whatever their case; a page without them still gets both."""
    match = HEAD_END.search(page)
    page = page[: match.start()] + head + page[match.start() :] if match else head + page
    match = BODY_START.search(page)
    return page[: match.end()] + body + page[match.end() :] if match else page + body


# --- tornado ----------------------------------------------------------------------------------------------------


class HostCheck:
    """Answers 403 to a request whose Host header is not the preview's own address (DNS rebinding)."""

    def prepare(self) -> None:
        handler: web.RequestHandler = self  # type: ignore[assignment]  # a mixin, only put before a RequestHandler
        hosts: AllowedHosts = handler.settings["allowed_hosts"]
        if hosts.allows(handler.request.host):
            return
        handler.set_status(403)
        handler.set_header("Content-Type", "text/plain; charset=utf-8")
        handler.set_header("Cache-Control", "no-store")
        handler.finish(
            f"This preview answers only at its own address ({hosts.shown()}), not at {handler.request.host!r}. "
            "Open it at one of those, or start it with --host set to the name you use.\n"
        )


class SiteHandler(HostCheck, web.RequestHandler):
    """Files of the last good build; waits for the first build to finish."""

    def initialize(self, preview: PreviewBuild, rebuilder: Rebuilder) -> None:
        self.preview = preview
        self.rebuilder = rebuilder

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    async def head(self, path: str) -> None:
        await self.get(path)

    async def get(self, path: str) -> None:
        await self.rebuilder.ready.wait()
        response = respond(self.preview, path)
        self.set_status(response.status)
        if response.location is not None:
            self.set_header("Location", response.location)
            self.finish()
            return
        self.set_header("Content-Type", response.content_type)
        self.finish(response.body)


class ClientHandler(HostCheck, web.RequestHandler):
    """The preview's own script and stylesheet."""

    def get(self, name: str) -> None:
        if name not in CLIENT_FILES:
            raise web.HTTPError(404)
        self.set_header("Content-Type", f"{CLIENT_FILES[name]}; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(client_file(name))


class ReloadScript(HostCheck, LiveReloadJSHandler):
    """livereload's browser client, livereload.js."""


class ReloadSocket(HostCheck, LiveReloadHandler):
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
    """Send livereload messages to every open page (livereload keeps them in its class-level `waiters`)."""
    for socket in list(LiveReloadHandler.waiters):
        for message in messages:
            socket.send_message(message)


def close_sockets() -> None:
    for socket in list(LiveReloadHandler.waiters):
        socket.close()


def make_app(preview: PreviewBuild, rebuilder: Rebuilder, hosts: AllowedHosts) -> web.Application:
    return web.Application(
        [
            (r"/livereload", ReloadSocket, {"preview": preview}),
            (r"/livereload\.js", ReloadScript),
            (rf"{CLIENT_PATH}([a-z.]+)", ClientHandler),
            (r"/(.*)", SiteHandler, {"preview": preview, "rebuilder": rebuilder}),
        ],
        allowed_hosts=hosts,
        log_function=lambda handler: None,  # no access log: the terminal shows builds and problems only
    )
