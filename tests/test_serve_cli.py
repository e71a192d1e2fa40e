"""`briefgen serve` on the command line: options, a busy port, the exposure warning."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from briefgen.build import build_site
from briefgen.cache import cache_path, load_cache
from briefgen.cli import main, make_parser
from briefgen.serve.session import exposure_warning, url_for
from tests.conftest import MakeSite, copy_example_site
from tests.serve_support import request, wait_for


def test_defaults_bind_loopback_on_8000() -> None:
    args = make_parser().parse_args(["serve"])
    assert (args.host, args.port, args.open, args.drafts) == ("127.0.0.1", 8000, False, False)


def test_a_busy_port_is_a_usage_error_before_any_build(make_site: MakeSite,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site({})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--root", str(root), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "--port 0" in err
    assert not (root / "build").exists()


def test_a_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["serve", "--root", str(tmp_path / "nowhere"), "--port", "0"]) == 2


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "devbox.lan"])
def test_hosts_other_machines_can_reach_are_warned_about(host: str) -> None:
    warning = exposure_warning(host)
    assert warning is not None and host in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_are_not_warned_about(host: str) -> None:
    assert exposure_warning(host) is None


@pytest.mark.parametrize(("host", "url"), [
    ("127.0.0.1", "http://127.0.0.1:8000/"), ("0.0.0.0", "http://127.0.0.1:8000/"),
    ("::", "http://[::1]:8000/"), ("::1", "http://[::1]:8000/"), ("localhost", "http://localhost:8000/"),
])
def test_the_printed_url_is_one_a_browser_can_open(host: str, url: str) -> None:
    assert url_for(host, 8000, "/") == url


def test_the_server_run_in_a_large_sites_folder_patches_prose_and_survives_broken_saves(
        tmp_path: Path) -> None:
    """`briefgen serve` as a writer runs it, on a site whose output folder takes more than a
    pipe holds to describe: the walk of it, done in a forked process, is stopped when no
    build reads it (a prose patch, broken content) though the server handles SIGTERM."""
    root = tmp_path / "site"
    write_corpus(root, 400, seed=3)
    path = sorted((root / "content/briefings").glob("*.md"))[0]
    url_path = f"/briefings/{path.stem[11:]}/"
    log, errors = tmp_path / "out.txt", tmp_path / "err.txt"
    with log.open("wb") as out, errors.open("wb") as err:
        server = subprocess.Popen([sys.executable, "-m", "briefgen", "serve", "--port", "0"], cwd=root,
                                  stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: re.search(r"127\.0\.0\.1:(\d+)/", log.read_text()), 120), errors.read_text()
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", log.read_text()).group(1))  # type: ignore[union-attr]
        assert wait_for(lambda: errors.read_text().count("built in") == 1, 120), errors.read_text()
        assert len(list((root / "build").rglob("*"))) > 1000
        original = path.read_text()
        path.write_text(original.rstrip("\n") + "\n\nA paragraph added while serving.\n")
        assert wait_for(lambda: errors.read_text().count("built in") == 2, 60), errors.read_text()
        assert "A paragraph added while serving." in request(port, url_path).text
        path.write_text(original.replace("\ntitle: ", "\ntitle: [broken\n", 1))
        assert wait_for(lambda: "error" in errors.read_text().split("built in")[-1], 60), errors.read_text()
        path.write_text(original)
        assert wait_for(lambda: errors.read_text().count("built in") == 3, 60), errors.read_text()
        assert "A paragraph added while serving." not in request(port, url_path).text
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


def test_the_server_writes_its_cache_after_its_first_build_and_on_the_way_out(tmp_path: Path) -> None:
    root = copy_example_site(tmp_path / "site")
    manifest = cache_path(root)
    errors = tmp_path / "err.txt"
    with errors.open("wb") as err:
        server = subprocess.Popen([sys.executable, "-m", "briefgen", "serve", "--port", "0"], cwd=root,
                                  stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: errors.read_text().count("built in") == 1, 120), errors.read_text()
        first = manifest.stat().st_mtime_ns
        assert _next_start(root) == (30, 0, [])  # (between this one's builds) nothing to make again
        path = next((root / "content" / "briefings").glob("*.md"))
        path.write_text(path.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Retitled ", 1),
                        encoding="utf-8")
        assert wait_for(lambda: errors.read_text().count("built in") == 2, 60), errors.read_text()
        assert manifest.stat().st_mtime_ns == first  # a save's rebuild does not write it again
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    # On the way out it is written as the last build left it: the next start makes nothing.
    assert manifest.stat().st_mtime_ns != first
    assert _next_start(root) == (30, 0, [])


def _next_start(root: Path) -> tuple[int, int, list[str]]:
    """What the next server's first build does from the disk cache: pages, pages made, warnings."""
    warnings: list[str] = []
    cache = load_cache(root, warnings.append)
    again = build_site(root, search=False, publishing=False, cache=cache, workers=1)
    return again.pages, again.rendered, warnings
