"""`parallel.Background`: a result computed in a forked process while the caller goes on."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time

import pytest

from briefgen.parallel import Background


def test_the_result_is_computed_in_another_process() -> None:
    with Background(lambda: (os.getpid(), list(range(100_000)))) as background:
        pid, numbers = background.result()
    assert pid != os.getpid()
    assert numbers == list(range(100_000))  # more than a pipe's buffer holds


def test_its_error_is_raised_where_the_result_is_asked_for() -> None:
    def fail() -> None:
        raise ValueError("no such folder")

    with Background(fail) as background, pytest.raises(ValueError, match="no such folder"):
        background.result()


def test_without_fork_it_is_computed_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with Background(os.getpid) as background:
        assert background.result() == os.getpid()


def test_a_process_that_dies_without_answering_is_stood_in_for() -> None:
    parent = os.getpid()

    def die_unless_here() -> str:
        if os.getpid() != parent:
            os._exit(3)
        return "computed here"

    with Background(die_unless_here) as background:
        assert background.result() == "computed here"


def test_leaving_the_block_stops_a_process_not_waited_for() -> None:
    started = time.monotonic()
    with Background(lambda: time.sleep(60)) as background:
        process = background._process
        assert process is not None and process.is_alive()
    assert not process.is_alive()
    assert time.monotonic() - started < 10


def test_asked_again_it_gives_the_same_result_without_computing_it_again() -> None:
    with Background(lambda: [os.getpid()]) as background:
        first = background.result()
        assert background.result() is first
        assert first != [os.getpid()]  # not computed again here


def test_asked_again_after_an_error_it_raises_it_again() -> None:
    def fail() -> None:
        raise ValueError("once")

    with Background(fail) as background:
        for _ in range(2):
            with pytest.raises(ValueError, match="once"):
                background.result()


STOPPED_UNREAD = """
import signal, time
from briefgen.parallel import Background
signal.signal(signal.SIGTERM, lambda *_: None)  # as the preview server's event loop has
with Background(lambda: bytes(10_000_000)):  # more than a pipe holds: it waits to send it
    time.sleep(0.5)
print("stopped")
"""


def test_a_process_whose_result_is_never_read_is_stopped_though_it_handles_sigterm() -> None:
    done = subprocess.run([sys.executable, "-c", STOPPED_UNREAD], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "stopped", done.stderr
