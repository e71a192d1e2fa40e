"""When to rebuild: file events in, one rebuild per burst out.

Pure logic with an injectable clock, so it is tested without sockets, threads
or a file system. The driver feeds it every path the watcher reports
(`notice`), asks it when to look again (`deadline`), takes a batch when one
is due (`start`) and says when the build is over (`finish`). A burst of
saves, an editor's write-to-temp-then-rename and a deletion all settle into
one batch; events that arrive while a build runs give exactly one more build
after it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

Clock = Callable[[], float]

WATCHED_NAMES = ("site.yaml", "content", "templates", "static")
"""What a rebuild depends on, relative to the site root."""

IGNORED_FOLDER_NAMES = (".git", ".briefgen-cache", "__pycache__")
"""Folders whose changes never matter, wherever they are: version control, caches."""

_DROPPING_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".kate-swp", ".briefgen-tmp")
_DROPPING_PREFIXES = (".#", ".goutputstream-", ".~lock.")
_DROPPING_NAMES = ("4913", ".DS_Store")


def is_editor_dropping(name: str) -> bool:
    """Lock, swap, backup and temporary files that editors write beside the real one."""
    return (
        name.endswith(_DROPPING_SUFFIXES)
        or name.startswith(_DROPPING_PREFIXES)
        or name in _DROPPING_NAMES
        or (name.startswith("#") and name.endswith("#"))
    )


@dataclass(frozen=True)
class ChangeFilter:
    """Which changed paths can affect the built site.

    Only `site.yaml` and what lies under `content/`, `templates/` and
    `static/` counts; editor droppings, caches and the output folder (should
    it lie in one of those) never do.
    """

    root: Path
    out_dir: Path | None = None

    @classmethod
    def for_site(cls, root: Path, out_dir: Path | None = None) -> ChangeFilter:
        return cls(root.absolute(), out_dir.absolute() if out_dir is not None else None)

    def __call__(self, path: Path) -> bool:
        path = path.absolute()
        if not path.is_relative_to(self.root) or path == self.root:
            return False
        parts = path.relative_to(self.root).parts
        if parts[0] not in WATCHED_NAMES or (parts[0] == "site.yaml" and len(parts) > 1):
            return False
        if self.out_dir is not None and path.is_relative_to(self.out_dir):
            return False
        if any(part in IGNORED_FOLDER_NAMES for part in parts):
            return False
        return not is_editor_dropping(path.name)


class RebuildScheduler:
    """Debounces file events into rebuilds; one build at a time.

    A batch is due once no relevant event came for `quiet` seconds, or
    `max_wait` seconds after the batch's first event however busy the disk
    stays, so a stream of saves cannot starve the preview.
    """

    def __init__(self, relevant: Callable[[Path], bool], *, quiet: float = 0.1,
                 max_wait: float = 1.0, clock: Clock = time.monotonic) -> None:
        self._relevant = relevant
        self._quiet = quiet
        self._max_wait = max_wait
        self._clock = clock
        self._pending: dict[Path, None] = {}
        self._first_event: float | None = None
        self._last_event: float | None = None
        self._building = False

    @property
    def building(self) -> bool:
        return self._building

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def notice(self, paths: Iterable[Path]) -> bool:
        """Record changed paths; True when any of them matters."""
        relevant = [path for path in paths if self._relevant(path)]
        if not relevant:
            return False
        now = self._clock()
        self._pending.update(dict.fromkeys(relevant))
        self._last_event = now
        if self._first_event is None:
            self._first_event = now
        return True

    def deadline(self) -> float | None:
        """When the next batch becomes due (clock time), or None while nothing can be."""
        if self._building or self._first_event is None or self._last_event is None:
            return None
        return min(self._last_event + self._quiet, self._first_event + self._max_wait)

    def start(self) -> tuple[Path, ...] | None:
        """Take the due batch and mark a build as running; None when nothing is due yet."""
        deadline = self.deadline()
        if deadline is None or self._clock() < deadline:
            return None
        batch = tuple(self._pending)
        self._pending.clear()
        self._first_event = self._last_event = None
        self._building = True
        return batch

    def begin_initial(self) -> None:
        """Mark the first build, which no event asked for, as running."""
        self._building = True

    def finish(self) -> None:
        """The running build is over; events that came meanwhile form the next batch."""
        self._building = False
