"""One build at a time: a second build of the same site waits for the first.

Two builds writing one output folder at once (`briefgen serve` rebuilding on a
save while `briefgen build` runs, or two builds started together) stage their
files under the same temporary names: one of them crashed halfway through its
commit, leaving a mix of both. Each build therefore holds an advisory lock
(`flock`) on the site's folder, which holds its cache, and on the folder that
holds its output (where the staging folders go) for as long as it reads and
writes them. A folder is locked, not a file in it: no lock file is left behind,
and a lock dies with the process that held it, so a killed build never blocks
the next one. (Windows has no `flock`: there builds are not serialized.)
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

if sys.platform != "win32":
    import fcntl

WAITING = ("another briefgen build of this site is running (a build, or `briefgen serve` "
           "rebuilding after a save); waiting for it to finish")


@contextlib.contextmanager
def one_build_at_a_time(root: Path, out_dir: Path, waiting: Callable[[str], None]) -> Iterator[bool]:
    """Hold the locks of `root` and of `out_dir`'s folder (made when missing, so that every
    build of that output locks the same folder); `waiting` is told once when another
    process holds one of them, and the build then waits for it. Yields whether both are
    held: only then may a build remove what another build left (`remove_dead_leftovers`)."""
    holder = out_dir.resolve().parent
    holder.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":  # no flock there: builds of one site must not overlap
        yield False
        return
    folders = sorted({root.resolve(), holder})  # always the same order: no two builds wait on each other
    with contextlib.ExitStack() as held:
        told, locked = False, True
        for folder in folders:
            try:
                descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            except OSError:
                locked = False
                continue  # a folder it cannot open, it could not write either: the build will say so
            held.callback(os.close, descriptor)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not told:
                    waiting(WAITING)
                    told = True
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            except OSError:
                locked = False
                continue  # a file system without locks (some network mounts): build unlocked
            # Released by name, not by closing: a forked worker still alive shares the lock.
            held.callback(fcntl.flock, descriptor, fcntl.LOCK_UN)
        yield locked

