"""The preview's builder process: builds there, failures back here, its end with the server's."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefgen.diagnostics import Report, error
from briefgen.errors import BuildError, ContentError
from briefgen.parallel import run_jobs
from briefgen.serve.builder import BuildProcess, can_fork
from briefgen.serve.overlay import BuildAbandoned, BuildFailure
from briefgen.serve.session import stopper
from tests.serve_support import wait_for

pytestmark = pytest.mark.skipif(not can_fork(), reason="builds in a forked process need fork")


def test_builds_run_in_one_other_process_which_keeps_its_state_and_may_fork_workers(tmp_path: Path) -> None:
    log = tmp_path / "log"
    state: list[int] = []

    def build() -> None:
        state.append(len(state))
        workers = set(run_jobs(lambda _: os.getpid(), 400, workers=2))
        with log.open("a") as out:
            out.write(f"{os.getpid()} {len(state)} {len(workers - {os.getpid()})}\n")

    builder = BuildProcess(build, lambda: None)
    try:
        builder()
        builder()
    finally:
        builder.close()
    lines = [line.split() for line in log.read_text().splitlines()]
    assert [count for _, count, _ in lines] == ["1", "2"]  # its state lives on between builds
    assert len({pid for pid, _, _ in lines}) == 1 and lines[0][0] != str(os.getpid())
    assert all(int(forked) >= 1 for _, _, forked in lines)  # its workers ran in processes of their own


def test_a_failure_comes_back_as_the_failure_to_show_and_the_next_build_goes_on(tmp_path: Path) -> None:
    report = Report((error("content/briefings/x.md", 3, 7, "unknown actor 'Puttin'", "did you mean Putin?"),))
    outcomes: list[Exception | None] = [ContentError(report), RuntimeError("a bug"), None]

    def build() -> None:
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    builder = BuildProcess(build, lambda: None)
    try:
        with pytest.raises(Exception) as first:
            builder()
        shown = BuildFailure.from_exception(first.value)
        assert shown.diagnostics == report.diagnostics
        assert "x.md:3:7" in shown.text() and "did you mean Putin?" in shown.text()
        with pytest.raises(Exception) as second:
            builder()
        shown = BuildFailure.from_exception(second.value)
        assert "internal error RuntimeError: a bug" in shown.summary and "Traceback" in (shown.detail or "")
        builder()  # recovered
    finally:
        builder.close()


def test_close_runs_finish_in_the_builder_after_its_build_and_ends_it(tmp_path: Path) -> None:
    marker = tmp_path / "finished"

    def build() -> None:
        time.sleep(0.3)

    builder = BuildProcess(build, lambda: marker.write_text(str(os.getpid())))
    builder()
    builder.close()
    assert marker.read_text() != str(os.getpid())
    assert not builder._process.is_alive()
    with pytest.raises(BuildError, match="has ended"):
        builder()


def test_a_builder_that_died_is_reported_not_waited_for(tmp_path: Path) -> None:
    builder = BuildProcess(lambda: None, lambda: None)
    builder()
    os.kill(builder._process.pid, signal.SIGKILL)
    builder._process.join()
    with pytest.raises(BuildError, match="ended unexpectedly"):
        builder()
    builder.close()


def test_the_builder_ends_when_the_server_is_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "builder-pid"
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from briefgen.serve.builder import BuildProcess\n"
        f"pid_file = Path({str(pid_file)!r})\n"
        "builder = BuildProcess(lambda: pid_file.write_text(str(os.getpid())), lambda: None)\n"
        "builder()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    server = subprocess.run([sys.executable, "-c", script], check=False)
    assert server.returncode == -signal.SIGKILL
    pid = int(pid_file.read_text())

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat = Path(f"/proc/{pid}/stat").read_text()  # ended, not yet reaped by init
        return stat.split(") ")[1].startswith("Z")

    ended = wait_for(gone, 5)
    if not ended:
        os.kill(pid, signal.SIGKILL)
    assert ended, "the builder outlived its server"


def test_kill_ends_a_build_under_way_and_the_waiting_call_says_so() -> None:
    builder = BuildProcess(lambda: time.sleep(60), lambda: None)
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            builder()
        except BaseException as exc:
            outcome.append(exc)

    waiting = threading.Thread(target=call)
    started = time.monotonic()
    waiting.start()
    time.sleep(0.3)
    builder.kill()
    waiting.join(10)
    assert not waiting.is_alive() and time.monotonic() - started < 10
    # Abandoned, not failed: the terminal says so once (`stopper`), not "ended unexpectedly".
    assert isinstance(outcome[0], BuildAbandoned)
    builder.close()  # nothing to wait for


def test_a_second_ctrl_c_aborts_the_build_the_first_waits_for() -> None:
    stop = asyncio.Event()
    aborted: list[bool] = []
    said: list[str] = []
    on_signal = stopper(stop, lambda: aborted.append(True), said.append)
    on_signal()
    assert stop.is_set() and not aborted
    on_signal()
    assert aborted == [True] and "abandoned" in said[0]
    patient = stopper(asyncio.Event(), None, said.append)  # nothing to abort: both just stop
    patient()
    patient()

