"""End to end: `briefgen serve` in a subprocess, a page open in headless Chromium, an edit on disk.

The page must reload by itself with the new text, show the error banner when
the save breaks the content, and recover on the next good save. Ctrl-C
(SIGINT) must stop the server cleanly.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

BRIEFING = "content/briefings/2024-05-08-pashinyan-in-moscow.md"
PAGE = "briefings/pashinyan-in-moscow/"
TIMEOUT_MS = 20_000


@dataclass(frozen=True)
class Served:
    root: Path
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def _url_from(log: Path, process: subprocess.Popen[bytes], timeout: float = 60) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = re.search(r"http://127\.0\.0\.1:\d+/", log.read_text(encoding="utf-8"))
        if found:
            return found.group(0)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(f"briefgen serve did not start: {log.read_text(encoding='utf-8')}")


def _wait_for_port(url: str, timeout: float = 20) -> None:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listens on {url}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`python -m briefgen serve --port 0` on a copy of the example site."""
    root = tmp_path / "site"
    root.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "serve", "--root", str(root), "--port", "0"],
            stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, cwd=tmp_path,
        )
    try:
        url = _url_from(out, process)
        _wait_for_port(url)
        yield Served(root, url, process, err)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_connected(page: Any) -> None:
    """livereload.js has finished its handshake, so the next reload reaches this page."""
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector"
                           " && window.LiveReload.connector.protocol >= 7", timeout=TIMEOUT_MS)
    page.evaluate("() => { window.__beforeEdit = true; }")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_on_disk_reloads_the_open_page(chromium: Any, served: Served) -> None:
    briefing = served.root / BRIEFING
    page = chromium.new_page()
    try:
        page.goto(served.url + PAGE)
        h1 = page.locator("h1")
        assert "Pashinyan Visits Moscow" in h1.inner_text()
        _wait_until_connected(page)

        _edit(briefing, "title: Armenia-Russia Ties Strained", "title: Edited On Disk, Ties Strained")
        page.wait_for_function("() => document.querySelector('h1').textContent.includes('Edited On Disk')",
                               timeout=TIMEOUT_MS)
        assert page.evaluate("() => window.__beforeEdit") is None  # a real reload, nothing patched in
        _wait_until_connected(page)

        _edit(briefing, "  - Vladimir Putin\n", "  - Vladimir <Puttin>\n")
        banner = page.locator(".briefgen-dev-error")
        banner.wait_for(state="visible", timeout=TIMEOUT_MS)
        assert f"{BRIEFING}:11:5" in banner.inner_text()
        assert "unknown actor 'Vladimir <Puttin>'" in banner.inner_text()
        assert "Edited On Disk" in h1.inner_text()  # the last good site, still served
        _wait_until_connected(page)

        _edit(briefing, "  - Vladimir <Puttin>\n", "  - Vladimir Putin\n")
        banner.wait_for(state="detached", timeout=TIMEOUT_MS)
        assert "Edited On Disk" in h1.inner_text()
        _wait_until_connected(page)

        # The briefing page's template overridden (built from the site the server keeps),
        # then broken, then mended.
        template = served.root / "templates/briefing.html"
        theme = (REPO / "briefgen/theme/templates/briefing.html").read_text(encoding="utf-8")
        marked = '{% block main %}\n<p class="edited">Template edited</p>\n'
        template.write_text(theme.replace("{% block main %}\n", marked, 1), encoding="utf-8")
        page.locator(".edited").wait_for(state="visible", timeout=TIMEOUT_MS)
        assert "Edited On Disk" in h1.inner_text()
        _wait_until_connected(page)
        _edit(template, "<p class=\"edited\">", "{% if %}<p class=\"edited\">")
        banner.wait_for(state="visible", timeout=TIMEOUT_MS)
        assert "templates/briefing.html:3: template syntax error" in banner.inner_text()
        _wait_until_connected(page)
        _edit(template, "{% if %}<p class=\"edited\">", "<p class=\"edited\">")
        banner.wait_for(state="detached", timeout=TIMEOUT_MS)
        assert page.locator(".edited").inner_text() == "Template edited"
    finally:
        page.close()
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=15) == 0
    assert "briefgen: stopped" in served.log.read_text(encoding="utf-8")
