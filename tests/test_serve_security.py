"""Dev-server security: Host header allow-list and paths that stay inside build/.

The pure functions are tested directly; the same cases are then sent with a
real HTTP client, unnormalised, to a running server.
"""

from __future__ import annotations

import base64
import http.client
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.serve.livereload_server import LiveServer
from briefgen.serve.security import HostPolicy, is_loopback, site_path, split_host_header
from tests.serve_support import LoopThread, request

SECRET = "TOP-SECRET-OUTSIDE-BUILD"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A build/ folder with pages, plus secrets beside it and symlinks pointing at them."""
    out = tmp_path / "site" / "build"
    for relative, text in {
        "index.html": "<!doctype html><html><head><title>Home</title></head>"
                      "<body><h1>Home</h1></body></html>",
        "sub/index.html": "<html><head></head><body class='x'><h1>Sub</h1></body></html>",
        "404.html": "<html><head></head><body><h1>Page not found</h1></body></html>",
        "evil.com/index.html": "<html><head></head><body>a folder with a domain's name</body></html>",
        "assets/site.css": "body { color: black; }",
        "feed.xml": "<feed/>",
    }.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "site" / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside" / "passwd").write_text(SECRET, encoding="utf-8")
    (out / "escape.txt").symlink_to(tmp_path / "site" / "secret.txt")
    (out / "escape-dir").symlink_to(tmp_path / "outside")
    (out / "sub" / "relative-escape").symlink_to("../outside/passwd")
    (out / "inside.css").symlink_to("assets/site.css")
    return out


# -- the pure functions -----------------------------------------------------------

TRAVERSALS = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/sub/..%2f..%2fsecret.txt",
    "/sub/%2e%2e/%2e%2e/secret.txt",
    "/..%5csecret.txt",
    "/sub/../../secret.txt",
    "/./../secret.txt",
    "/escape.txt",
    "/escape-dir/passwd",
    "/escape-dir/",
    "/sub/relative-escape",
    "/index.html%00.css",
    "/%00",
    "/%ff%fe",
    f"/{'a' * 300}/{'b' * 300}",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_site_path_refuses_anything_outside(site: Path, url: str) -> None:
    assert site_path(site, url) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("/", ""),
    ("/index.html", "index.html"),
    ("/sub/", "sub"),
    ("/sub//index.html", "sub/index.html"),
    ("/assets/site%2Ecss", "assets/site.css"),
    ("/inside.css", "assets/site.css"),
])
def test_site_path_finds_files_inside(site: Path, url: str, expected: str) -> None:
    found = site_path(site, url)
    assert found == (site / expected).resolve()


def test_site_path_does_not_confuse_a_sibling_folder_with_a_prefix(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "build2").mkdir()
    (tmp_path / "build2" / "x.html").write_text(SECRET)
    (tmp_path / "build" / "x.html").symlink_to(tmp_path / "build2" / "x.html")
    assert site_path(tmp_path / "build", "/x.html") is None


@pytest.mark.parametrize(("header", "expected"), [
    ("localhost", ("localhost", None)),
    ("LocalHost:8000", ("localhost", 8000)),
    ("127.0.0.1:80", ("127.0.0.1", 80)),
    ("[::1]:8000", ("::1", 8000)),
    ("[::1]", ("::1", None)),
    ("example.org.", ("example.org", None)),
    ("::1", None),
    ("localhost:", None),
    ("localhost:99999", None),
    ("localhost:8o", None),
    ("[::1", None),
    ("[::1]x", None),
    (":8000", None),
])
def test_split_host_header(header: str, expected: tuple[str, int | None] | None) -> None:
    assert split_host_header(header) == expected


@pytest.mark.parametrize("header", [
    "127.0.0.1", "127.0.0.1:8000", "localhost", "localhost:8000", "LOCALHOST:8000", "[::1]",
    "[::1]:8000", "localhost.:8000", "192.168.1.20:8000",
])
def test_host_policy_allows_own_names_and_ip_literals(header: str) -> None:
    assert HostPolicy("127.0.0.1").allows(header)


@pytest.mark.parametrize("header", [
    None, "", "evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io",
    "127.0.0.1.evil.example:8000", "localhost:8000@evil.example", "evil.example#localhost",
])
def test_host_policy_refuses_other_names(header: str | None) -> None:
    assert not HostPolicy("127.0.0.1").allows(header)


def test_host_policy_allows_the_bound_name() -> None:
    assert HostPolicy("devbox.lan").allows("devbox.lan:8000")
    assert not HostPolicy("127.0.0.1").allows("devbox.lan:8000")


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.1.2.3", True),
    ("0.0.0.0", False), ("192.168.1.2", False), ("::", False), ("example.org", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


# -- against a running server ------------------------------------------------------

@pytest.fixture
def server(site: Path) -> Iterator[int]:
    loop = LoopThread()
    live: list[LiveServer] = []

    async def start() -> int:
        live.append(LiveServer(site, host="127.0.0.1"))
        return live[0].listen(0)

    try:
        yield loop.run(start())
    finally:
        if live:
            loop.run(live[0].close())
        loop.close()


@pytest.mark.parametrize("url", [*TRAVERSALS, "/..", "/%2e%2e", "/../", "/escape-dir"])
def test_traversal_requests_get_404_without_the_secret(server: int, url: str) -> None:
    response = request(server, url)
    assert response.status == 404
    assert SECRET not in response.text
    assert "Page not found" in response.text  # the site's own 404 page


def test_pages_are_served_with_pretty_urls(server: int, site: Path) -> None:
    home = request(server, "/")
    assert home.status == 200 and "<h1>Home</h1>" in home.text
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert request(server, "/sub/").text.count("<h1>Sub</h1>") == 1
    moved = request(server, "/sub?x=1")
    assert moved.status == 302 and moved.headers["location"] == "/sub/?x=1"
    css = request(server, "/assets/site.css")
    assert css.status == 200 and css.body == b"body { color: black; }"
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert request(server, "/inside.css").body == css.body
    missing = request(server, "/no/such/page/")
    assert missing.status == 404 and "Page not found" in missing.text


def test_a_double_slash_never_redirects_off_site(server: int) -> None:
    response = request(server, "//evil.com")
    assert response.status == 302
    assert response.headers["location"] == "/evil.com/"


def test_head_requests_get_headers_only(server: int) -> None:
    response = request(server, "/", method="HEAD")
    assert response.status == 200 and response.body == b""
    assert int(response.headers["content-length"]) > 0


def test_the_reload_script_is_injected_into_html_responses_only(server: int, site: Path) -> None:
    home = request(server, "/")
    assert home.text.index('<script src="/_briefgen/livereload.js?host=127.0.0.1&amp;port=') \
        < home.text.index("</head>")
    assert f"port={server}" in home.text
    assert "livereload" in request(server, "/no/such/page/").text
    assert "livereload" not in request(server, "/feed.xml").text
    assert "livereload" not in request(server, "/assets/site.css").text
    on_disk = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert on_disk and not any("livereload" in text for text in on_disk)
    script = request(server, "/_briefgen/livereload.js")
    assert script.status == 200 and b"LiveReload" in script.body
    assert script.headers["content-type"].startswith("application/javascript")


def test_only_known_files_are_served_from_the_server_prefix(server: int) -> None:
    assert request(server, "/_briefgen/../index.html").status == 404
    assert request(server, "/_briefgen/session.py").status == 404


@pytest.mark.parametrize("host", [
    "evil.example", "evil.example:{port}", "localhost.evil.example:{port}", "127.0.0.1.nip.io:{port}",
])
def test_foreign_host_headers_get_403(server: int, host: str) -> None:
    for url in ("/", "/sub/", "/no/such/", "/_briefgen/livereload.js"):
        response = request(server, url, host=host.format(port=server))
        assert response.status == 403
        assert "Home" not in response.text


def test_a_request_without_host_header_is_refused(server: int) -> None:
    response = request(server, "/", host=None)
    assert response.status in (400, 403)  # tornado itself answers 400 to HTTP/1.1 without Host
    assert "Home" not in response.text


@pytest.mark.parametrize("host", ["localhost:{port}", "localhost", "127.0.0.1:{port}", "[::1]:{port}"])
def test_own_host_headers_are_answered(server: int, host: str) -> None:
    assert request(server, "/", host=host.format(port=server)).status == 200


def test_the_reload_socket_refuses_foreign_hosts(server: int) -> None:
    def upgrade(host: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
        try:
            connection.putrequest("GET", "/livereload", skip_host=True)
            connection.putheader("Host", host)
            connection.putheader("Upgrade", "websocket")
            connection.putheader("Connection", "Upgrade")
            connection.putheader("Sec-WebSocket-Version", "13")
            connection.putheader("Sec-WebSocket-Key", base64.b64encode(os.urandom(16)).decode())
            connection.endheaders()
            return connection.getresponse().status
        finally:
            connection.close()

    assert upgrade(f"127.0.0.1:{server}") == 101
    assert upgrade(f"evil.example:{server}") == 403


def test_a_site_under_a_base_path_is_served_there(site: Path) -> None:
    loop = LoopThread()
    live = []

    async def start() -> int:
        live.append(LiveServer(site, host="127.0.0.1", base_path="/blog/"))
        return live[0].listen(0)

    try:
        port = loop.run(start())
        assert request(port, "/").headers["location"] == "/blog/"
        assert request(port, "/blog").headers["location"] == "/blog/"
        assert "<h1>Home</h1>" in request(port, "/blog/").text
        assert "<h1>Sub</h1>" in request(port, "/blog/sub/").text
        assert request(port, "/blog/sub").headers["location"] == "/blog/sub/"
        assert request(port, "/sub/").status == 404
        assert request(port, "/blog/../secret.txt").status == 404
        assert request(port, "/blog/%2e%2e/secret.txt").status == 404
    finally:
        if live:
            loop.run(live[0].close())
        loop.close()
