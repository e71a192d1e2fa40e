"""The preview's builds, in a process of their own, so that they can use every core.

A build spreads its work over forked worker processes (`briefgen.parallel`).
The preview server answers requests and watches files on threads, and a
process with threads must not fork: a lock that another thread held at that
moment stays locked in the child for good. So `briefgen serve` forks one
builder process at its start, before it starts any thread. The builder has a
single thread, keeps the build cache and the kept site in its own memory,
builds each time the server asks (`BuildProcess.__call__`, the server's
`Builder`), forks its workers safely, and answers with nothing (built) or the
failure to show (`FailedBuild`). Asked to stop, it runs its `finish` (the
server's cache written to disk) and ends.

Ctrl-C in a terminal reaches every process of the terminal's foreground
group; the builder ignores it: the server tells it when to stop, after the
build under way is done, or ends it at once, with its workers, on a second
Ctrl-C (`kill`). A server killed outright closes its end of the pipe, and the
builder ends as soon as it is not building (a build under way is finished
first). Where processes cannot be forked, the server builds on one of its
threads, on one core (`cli._serve`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

from briefgen.errors import BuildError
from briefgen.serve.overlay import BuildAbandoned, BuildFailure, FailedBuild

_STOP = "stop"
_BUILD = "build"


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class BuildProcess:
    """Builds in a forked process: `build()` there for each call here; `finish()` there on `close`.

    Fork it before the calling process starts a thread. Calls are one at a time.
    """

    def __init__(self, build: Callable[[], object], finish: Callable[[], None]) -> None:
        context = multiprocessing.get_context("fork")
        self._pipe, theirs = context.Pipe()
        self._process: Any = context.Process(target=_serve_builds, args=(theirs, self._pipe, build, finish),
                                             name="briefgen-builder")
        self._process.start()
        theirs.close()
        self._lock = threading.Lock()
        self._ended = False
        self._killed = False  # by `kill`: the build under way was abandoned, it did not fail

    def __call__(self) -> None:
        """Build in the builder; raises `FailedBuild` with what failed."""
        with self._lock:
            if self._ended:
                raise BuildError("the builder process has ended; restart briefgen serve")
            try:
                self._pipe.send(_BUILD)
                failure: BuildFailure | None = self._pipe.recv()
            except (EOFError, OSError) as exc:
                self._ended = True
                if self._killed:
                    raise BuildAbandoned("the build under way was abandoned") from exc
                code = self._process.exitcode
                raise BuildError(f"the builder process ended unexpectedly (exit code {code}); "
                                 "restart briefgen serve") from exc
        if failure is not None:
            raise FailedBuild(failure)

    def kill(self) -> None:
        """End the builder now, whatever it is doing, with the workers it forked (a build
        under way leaves the output as it was; the lock goes with it); the call waiting
        for it raises `BuildError`."""
        self._killed = True
        if self._process.is_alive():
            self._process.terminate()  # `_end_now` there
            self._process.join(2)
        if self._process.is_alive():
            self._process.kill()

    def close(self) -> None:
        """Have the builder finish (after the build under way, if any) and end; wait for it."""
        with self._lock:
            if not self._ended:
                self._ended = True
                try:
                    self._pipe.send(_STOP)
                    self._pipe.recv()
                except (EOFError, OSError):
                    pass
            self._pipe.close()
        self._process.join()


def _serve_builds(pipe: Any, servers: Any, build: Callable[[], object], finish: Callable[[], None]) -> None:
    """The builder's life: a build for each request, until asked to stop or orphaned."""
    servers.close()  # the server's end, inherited: held open here, it would never read as closed
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server says when to stop
    signal.signal(signal.SIGTERM, _end_now)
    while True:
        try:
            request = pipe.recv()
        except (EOFError, OSError):  # the server is gone
            return
        if request == _STOP:
            try:
                finish()
            finally:
                _answer(pipe, None)
            return
        answer: BuildFailure | None
        try:
            build()
        except Exception as exc:  # shown by the server, as a build on its thread would be
            answer = BuildFailure.from_exception(exc)
        else:
            answer = None
        if not _answer(pipe, answer):
            return


def _end_now(*_: object) -> None:
    """SIGTERM in the builder (`BuildProcess.kill`, or one sent to the terminal's group):
    its workers killed first, lest they go on with their jobs and then fail to report."""
    for child in multiprocessing.active_children():
        child.kill()
    os._exit(1)


def _answer(pipe: Any, answer: BuildFailure | None) -> bool:
    """Tell the server; False when it is gone (killed during the build)."""
    try:
        pipe.send(answer)
    except OSError:  # BrokenPipeError
        return False
    return True
