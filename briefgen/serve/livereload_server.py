"""The HTTP side of `briefgen serve`; the only module importing tornado and livereload.

It serves the output folder like a static host (pretty URLs, `404.html`),
refuses foreign Host headers and paths that leave the folder, and adds to
every HTML response, on the way out only, the livereload client script and,
while the last rebuild is failing, the error banner.

From the livereload package it takes the browser client (`livereload.js`,
served from here, never a CDN) and its protocol. Its `Server` class is not
used: it keeps its open pages in class-level globals, accepts WebSockets
from any origin, serves files with no Host check or containment check, and
drops reloads that follow one another within three seconds.
"""

from __future__ import annotations

import html
import json
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tornado import httpserver, netutil, web, websocket

from briefgen.serve.overlay import BANNER_CSS, BuildFailure, banner_html, inject
from briefgen.serve.security import HostPolicy, site_path, split_host_header

DEV_PREFIX = "/_briefgen/"
"""Where the server's own files live; nothing else under it is served."""
CLIENT_SCRIPT = DEV_PREFIX + "livereload.js"
BANNER_STYLE = DEV_PREFIX + "error.css"
RELOAD_SOCKET = "/livereload"
"""livereload.js always connects to this path."""

_TEXT_TYPES = ("application/javascript", "application/json", "application/xml", "image/svg+xml")
_NOT_FOUND_PAGE = (b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>"
                   b"<body><h1>Not found</h1><p>No page here (yet).</p></body></html>")


def _client_script() -> bytes:
    return resources.files("livereload").joinpath("vendors", "livereload.js").read_bytes()


@dataclass
class SiteView:
    """What the handlers need to answer: the folder, its URL prefix (which a rebuild after
    an edit of `base_url` changes), the build's state."""

    out_dir: Path
    base_path: str
    hosts: HostPolicy
    failure: Callable[[], BuildFailure | None]
    client_script: bytes


def _quiet(_: web.RequestHandler) -> None:
    pass


class _Guarded(web.RequestHandler):
    """Refuses any Host header that is not this server's (DNS rebinding); never caches."""

    view: SiteView

    def initialize(self, view: SiteView) -> None:
        self.view = view

    def prepare(self) -> None:
        if not self.view.hosts.allows(self.request.headers.get("Host")):
            raise web.HTTPError(403)

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def compute_etag(self) -> None:
        return None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        reason = ("this server only answers to its own host name" if status_code == 403
                  else HTTPStatus(status_code).phrase)
        self.finish(f"{status_code}: {reason}\n")


class _ClientScriptHandler(_Guarded):
    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.finish(self.view.client_script)


class _BannerStyleHandler(_Guarded):
    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.finish(BANNER_CSS)


class _ReservedHandler(_Guarded):
    def get(self) -> None:
        raise web.HTTPError(404)


class _SiteHandler(_Guarded):
    """The output folder, as a static host would serve it, plus serve-time injections."""

    def head(self) -> None:
        self._answer(include_body=False)

    def get(self) -> None:
        self._answer(include_body=True)

    def _answer(self, *, include_body: bool) -> None:
        view = self.view
        raw = self.request.path
        if not raw.startswith(view.base_path):
            if raw == "/" or raw + "/" == view.base_path:
                self.redirect(view.base_path)
                return
            self._not_found(include_body)
            return
        inside = "/" + raw[len(view.base_path):]
        target = site_path(view.out_dir, inside)
        if target is not None and target.is_dir():
            if not raw.endswith("/"):
                self._add_slash(target)
                return
            target = site_path(view.out_dir, inside.rstrip("/") + "/index.html")
        if target is None or not target.is_file():
            self._not_found(include_body)
            return
        try:
            data = target.read_bytes()
        except OSError:
            self._not_found(include_body)
            return
        self._send(200, data, _content_type(target.name), include_body)

    def _add_slash(self, folder: Path) -> None:
        relative = folder.relative_to(self.view.out_dir.resolve()).as_posix()
        location = self.view.base_path + quote(relative) + "/"
        if self.request.query:
            location += "?" + self.request.query
        self.redirect(location, permanent=False)

    def _not_found(self, include_body: bool) -> None:
        page = site_path(self.view.out_dir, "/404.html")
        try:
            data = page.read_bytes() if page is not None and page.is_file() else _NOT_FOUND_PAGE
        except OSError:
            data = _NOT_FOUND_PAGE
        self._send(404, data, "text/html; charset=utf-8", include_body)

    def _send(self, status: int, data: bytes, content_type: str, include_body: bool) -> None:
        if content_type.startswith("text/html"):
            data = self._decorate(data)
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        self.set_header("Content-Length", str(len(data)))
        if include_body:
            self.write(data)
        self.finish()

    def _decorate(self, page: bytes) -> bytes:
        """The page with the reload script and, after a failed rebuild, the banner."""
        host, port = split_host_header(self.request.headers.get("Host", "")) or ("127.0.0.1", None)
        if ":" in host:
            host = f"[{host}]"
        query = f"host={quote(host, safe='[]:')}&port={port or 80}"
        head = f'<script src="{CLIENT_SCRIPT}?{html.escape(query)}"></script>'
        body = ""
        failure = self.view.failure()
        if failure is not None:
            head += f'<link rel="stylesheet" href="{BANNER_STYLE}">'
            body = banner_html(failure)
        return inject(page, head=head.encode(), body=body.encode())


def _content_type(name: str) -> str:
    kind, _ = mimetypes.guess_type(name)
    if kind is None:
        return "application/octet-stream"
    if kind.startswith("text/") or kind in _TEXT_TYPES:
        return f"{kind}; charset=utf-8"
    return kind


class _ReloadSocket(websocket.WebSocketHandler):
    """livereload.js's connection: a handshake, then a `reload` command after each build."""

    def initialize(self, view: SiteView, sockets: set[_ReloadSocket]) -> None:
        self.view = view
        self.sockets = sockets

    def prepare(self) -> None:
        if not self.view.hosts.allows(self.request.headers.get("Host")):
            raise web.HTTPError(403)

    def open(self, *args: str, **kwargs: str) -> None:
        self.sockets.add(self)

    def on_message(self, message: str | bytes) -> None:
        try:
            command = json.loads(message).get("command")
        except (ValueError, AttributeError):
            return
        if command == "hello":
            self.write_message({
                "command": "hello",
                "protocols": ["http://livereload.com/protocols/official-7"],
                "serverName": "briefgen",
            })

    def on_close(self) -> None:
        self.sockets.discard(self)


class LiveServer:
    """Serves `out_dir` and tells open pages to reload; run it inside an asyncio loop."""

    def __init__(self, out_dir: Path, *, host: str, base_path: str = "/",
                 failure: Callable[[], BuildFailure | None] = lambda: None) -> None:
        self.host = host
        self._sockets: set[_ReloadSocket] = set()
        self._view = view = SiteView(out_dir, base_path, HostPolicy(host), failure, _client_script())
        app = web.Application(
            [
                (RELOAD_SOCKET, _ReloadSocket, {"view": view, "sockets": self._sockets}),
                (CLIENT_SCRIPT, _ClientScriptHandler, {"view": view}),
                (BANNER_STYLE, _BannerStyleHandler, {"view": view}),
                (DEV_PREFIX + ".*", _ReservedHandler, {"view": view}),
                (r"/.*", _SiteHandler, {"view": view}),
            ],
            log_function=_quiet,
            websocket_ping_interval=20,
        )
        self._http = httpserver.HTTPServer(app)

    def listen(self, port: int) -> int:
        """Bind `host:port` (0 picks a free port) and return the port."""
        sockets = netutil.bind_sockets(port, self.host)
        self._http.add_sockets(sockets)
        bound: int = sockets[0].getsockname()[1]
        return bound

    @property
    def base_path(self) -> str:
        """The URL path the site is served under."""
        return self._view.base_path

    @base_path.setter
    def base_path(self, path: str) -> None:
        self._view.base_path = path

    @property
    def pages(self) -> int:
        """How many pages are connected for reloads."""
        return len(self._sockets)

    def reload_pages(self) -> int:
        """Tell every connected page to reload; returns how many were told."""
        message = {"command": "reload", "path": "/", "liveCSS": False, "liveImg": False}
        told = 0
        for socket in list(self._sockets):
            try:
                socket.write_message(message)
                told += 1
            except websocket.WebSocketClosedError:
                self._sockets.discard(socket)
        return told

    async def close(self) -> None:
        self._http.stop()
        for socket in list(self._sockets):
            socket.close()
        await self._http.close_all_connections()
