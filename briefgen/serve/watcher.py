"""Watch a site's sources and report changed paths; the only module importing watchfiles.

Two watchers run in background threads, both on the OS's file events
(inotify on Linux, through watchfiles):

- the site root, not recursively: `site.yaml` edited, replaced by rename or
  deleted, and `content/`, `templates/` or `static/` appearing or going;
- the source folders that exist, recursively; restarted whenever the first
  one sees a source folder appear or go.

Watching `site.yaml` itself would lose it on the first editor save that
replaces the file; watching the whole root recursively would put a watch on
every folder of `build/`, `.git/` and any virtualenv. Paths are reported
unfiltered: deciding what matters is the scheduler's job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from briefgen.serve.scheduler import WATCHED_NAMES

OnChange = Callable[[set[Path]], None]

SOURCE_FOLDERS = tuple(name for name in WATCHED_NAMES if name != "site.yaml")
STEP_MS = 30
"""watchfiles groups events until none came for this long."""


class _EitherEvent:
    def __init__(self, *events: threading.Event) -> None:
        self._events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self._events)


class SiteWatcher:
    """Calls `on_change(paths)` from a background thread whenever sources change."""

    def __init__(self, root: Path, on_change: OnChange) -> None:
        self._root = root.absolute()
        self._on_change = on_change
        self._stop = threading.Event()
        self._restart = threading.Event()
        self._threads = [
            threading.Thread(target=self._watch_root, name="briefgen-watch-root", daemon=True),
            threading.Thread(target=self._watch_folders, name="briefgen-watch-folders", daemon=True),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._restart.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=5)

    def _report(self, changes: set[tuple[watchfiles.Change, str]]) -> set[Path]:
        paths = {Path(path) for _, path in changes}
        if paths:
            self._on_change(paths)
        return paths

    def _watch_root(self) -> None:
        for changes in watchfiles.watch(self._root, watch_filter=None, recursive=False, step=STEP_MS,
                                        stop_event=self._stop, raise_interrupt=False):
            paths = self._report(changes)
            if any(path.name in SOURCE_FOLDERS and path.parent == self._root for path in paths):
                self._restart.set()

    def _watch_folders(self) -> None:
        while not self._stop.is_set():
            self._restart.clear()
            folders = [self._root / name for name in SOURCE_FOLDERS if (self._root / name).is_dir()]
            if not folders:
                self._restart.wait()
                continue
            try:
                for changes in watchfiles.watch(*folders, watch_filter=None, step=STEP_MS,
                                                stop_event=_EitherEvent(self._stop, self._restart),
                                                raise_interrupt=False):
                    self._report(changes)
            except OSError:
                # A folder went away between listing and watching; the root watcher
                # has seen that too, so wait for its restart signal.
                self._restart.wait(timeout=1)
