"""Run `briefgen build` as a child process and measure it: wall and CPU time, peak memory, pages.

CPU time and peak memory come from the child's own resource usage
(`os.wait4`), so the runner's work never counts. The child's output goes to
files, not pipes, so a build that prints thousands of diagnostics can never
block on a full pipe.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SUMMARY = re.compile(
    r"built (?P<pages>\d+) pages: (?P<written>\d+) files written, (?P<unchanged>\d+) unchanged, "
    r"(?P<removed>\d+) removed in (?P<seconds>[0-9.]+)s(?: \((?P<rendered>\d+) pages rendered\))?"
)
"""The last line `briefgen build` prints; anything after the known part is ignored."""


@dataclass(frozen=True)
class Measurement:
    size: int
    scenario: str
    wall_s: float
    cpu_s: float
    peak_mb: float
    exit_code: int
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int | None = None
    """Pages actually rendered (the rest came from the cache), when the build reports it."""
    reported_s: float = 0.0
    """The build's own timing, from its summary line (excludes interpreter start-up)."""
    load: float = 0.0
    """The machine's 1-minute load average just before the build: other work skews wall times."""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.error

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.wall_s / self.pages if self.pages else 0.0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ms_per_page": round(self.ms_per_page, 3)}


def build_command(site: Path, search: bool = False) -> list[str]:
    """`briefgen build` with the same interpreter the runner uses, output kept (not --quiet).

    Without `search` it passes `--no-search`: the peers' figures (Hugo, MkDocs, Pelican)
    exclude a search index, and Pagefind's own time is measured apart.
    """
    command = [sys.executable, "-m", "briefgen", "build", "--root", str(site)]
    return command if search else [*command, "--no-search"]


def measure_build(site: Path, logs: Path, size: int, scenario: str, timeout: float,
                  search: bool = False) -> Measurement:
    """Build `site` once; stdout and stderr are kept in `logs/<size>-<scenario>.{out,err}`."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path = logs / f"{size}-{scenario}.out"
    err_path = logs / f"{size}-{scenario}.err"
    load = os.getloadavg()[0]
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(build_command(site, search), stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL)
        status, usage, timed_out = _wait(child, timeout)
        wall = time.perf_counter() - started
    exit_code = os.waitstatus_to_exitcode(status)
    common = {
        "size": size, "scenario": scenario, "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1), "exit_code": exit_code, "load": round(load, 2),
    }
    if timed_out:
        return Measurement(**common, error=f"timed out after {timeout:.0f}s")
    stdout = out_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    match = SUMMARY.match(stdout[-1].strip()) if stdout else None
    if exit_code != 0 or match is None:
        tail = err_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        return Measurement(**common, error=" | ".join(tail) or "no summary line on stdout")
    return Measurement(
        **common,
        pages=int(match["pages"]), written=int(match["written"]), unchanged=int(match["unchanged"]),
        removed=int(match["removed"]), reported_s=float(match["seconds"]),
        rendered=int(match["rendered"]) if match["rendered"] is not None else None,
    )


def _wait(child: subprocess.Popen[bytes], timeout: float) -> tuple[int, Any, bool]:
    """Reap the child with `os.wait4` (for its rusage), killing it after `timeout` seconds."""
    result: list[tuple[int, int, Any]] = []
    reaper = threading.Thread(target=lambda: result.append(os.wait4(child.pid, 0)), daemon=True)
    reaper.start()
    reaper.join(timeout)
    timed_out = reaper.is_alive()
    if timed_out:
        os.kill(child.pid, signal.SIGKILL)
        reaper.join()
    _, status, usage = result[0]
    child.returncode = os.waitstatus_to_exitcode(status)
    return status, usage, timed_out
