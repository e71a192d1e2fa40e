"""`briefgen serve` on the command line: options, a busy port, the exposure warning."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from briefgen.cli import main, make_parser
from briefgen.serve.session import exposure_warning, url_for
from tests.conftest import MakeSite


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
