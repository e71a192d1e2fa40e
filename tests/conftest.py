"""Shared fixtures: small sites written inline, and the example site of the repository."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

MINIMAL_CONFIG = "title: Test Site\nbase_url: https://example.org/\n"

MakeSite = Callable[[dict[str, str | bytes]], Path]


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (path -> text, dedented; or bytes, verbatim) under `root`."""
    files = {"site.yaml": MINIMAL_CONFIG, **files}
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """`make_site({"content/briefings/x.md": "..."})` writes a site and returns its root.

    A minimal `site.yaml` is added unless the mapping has its own.
    """
    counter = iter(range(1_000_000))

    def make(files: dict[str, str | bytes]) -> Path:
        return write_site(tmp_path / f"site{next(counter)}", files)

    return make


def copy_example_site(root: Path) -> Path:
    """The repository's example site (its sources, not its output) copied to `root`."""
    for name in ("content", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    return root


def briefing(title: str = "A briefing", date: str = "2024-05-08", body: str = "Body text.\n",
             **keys: str) -> str:
    """The text of a briefing file; extra keys are written as given (YAML)."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in keys.items()]
    lines += ["---", body]
    return "\n".join(lines)


ACTORS_AND_COUNTRIES = {
    "content/actors/vladimir-putin.md": """\
        ---
        name: Vladimir Putin
        kind: person
        aliases: [Putin, Russian President Vladimir Putin]
        country: Russia
        role: President of Russia
        ---
        President of Russia.
        """,
    "content/actors/nikol-pashinyan.md": """\
        ---
        name: Nikol Pashinyan
        aliases: [Pashinyan]
        country: Armenia
        ---
        """,
    "content/countries/russia.md": """\
        ---
        name: Russia
        code: RU
        aliases: [Russian, Moscow]
        ---
        """,
    "content/countries/armenia.md": """\
        ---
        name: Armenia
        code: AM
        aliases: [Armenian]
        ---
        """,
}


# -- browser tests ---------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright, one per test module.

    Not per session: Playwright's sync API keeps an event loop marked running in
    the main thread while it is open, which would break tests that start their own.

    Skipped where Chromium is missing, except on CI (CI=true), where that is a failure:
    `.ci/run` installs it.
    """
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; .ci/run must apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site like a static host: folders give index.html, misses give 404.html."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@pytest.fixture
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """`serve_dir(folder)` serves `folder` on 127.0.0.1 and returns its base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_StaticHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
