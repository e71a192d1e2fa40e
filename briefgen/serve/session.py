"""`briefgen serve`: build, serve, watch, rebuild, reload, read top to bottom.

Everything runs on one asyncio loop: the watcher's threads hand their paths
to it, the scheduler decides when a batch is due, the builder runs in a
worker thread (the server keeps answering meanwhile), and after each build,
good or bad, every open page is told to reload. A failed build leaves the
last good output in place and puts its error banner on every page until a
build succeeds again; nothing a site's content does stops the server.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
import webbrowser
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from briefgen.config import SiteConfig, load_config
from briefgen.diagnostics import Severity
from briefgen.errors import UsageError
from briefgen.serve.livereload_server import LiveServer
from briefgen.serve.overlay import BuildAbandoned, BuildFailure
from briefgen.serve.scheduler import ChangeFilter, RebuildScheduler
from briefgen.serve.security import is_loopback
from briefgen.serve.watcher import SiteWatcher

Builder = Callable[[], object]
"""Builds the site into the output folder; raises ContentError or BuildError on failure.

Its return value is not used, so any builder (a full build, an incremental
one) fits.
"""

Log = Callable[[str], None]


@dataclass(frozen=True)
class ServeOptions:
    root: Path
    out_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False


def base_path(root: Path) -> str:
    """The URL path the built site lives under (`/` unless base_url has a path)."""
    config, _ = load_config(root)
    return _served_under(config)


def _served_under(config: SiteConfig) -> str:
    path = urlsplit(config.base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def url_for(host: str, port: int, path: str) -> str:
    shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}{path}"


def exposure_warning(host: str) -> str | None:
    """The warning for a `--host` that other machines can reach, or None for loopback."""
    if is_loopback(host):
        return None
    return (f"warning: serving on {host} lets other machines reach this preview; "
            "it is a development server, not for publishing")


class PreviewSession:
    """One running preview: its server, watcher, scheduler and the last build's outcome."""

    def __init__(self, options: ServeOptions, builder: Builder, *, log: Log,
                 quiet: float = 0.1, max_wait: float = 1.0) -> None:
        self._options = options
        self._builder = builder
        self._log = log
        self._loop = asyncio.get_running_loop()
        relevant = ChangeFilter.for_site(options.root, options.out_dir)
        self._scheduler = RebuildScheduler(relevant, quiet=quiet, max_wait=max_wait, clock=self._loop.time)
        self.base_path = base_path(options.root)
        self._server = LiveServer(options.out_dir, host=options.host, base_path=self.base_path,
                                  failure=lambda: self._failure)
        self._watcher = SiteWatcher(options.root, self._from_watcher)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefgen-build")
        self._failure: BuildFailure | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._build_task: asyncio.Task[None] | None = None
        self.builds = 0
        self.port = 0

    @property
    def failure(self) -> BuildFailure | None:
        return self._failure

    async def start(self) -> int:
        """Listen, start watching, then build once; returns the port.

        Listening comes first so that a busy port fails at once, not after
        a long first build; pages asked for meanwhile get the previous
        output (or a 404) and reload when the build is done.
        """
        try:
            self.port = self._server.listen(self._options.port)
        except OSError as exc:
            raise UsageError(f"cannot listen on {self._options.host}:{self._options.port}: "
                             f"{exc.strerror or exc} (--port 0 picks a free port)") from exc
        self._watcher.start()
        self._scheduler.begin_initial()
        await self._build(())
        return self.port

    async def close(self) -> None:
        self._watcher.stop()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._build_task is not None:
            await asyncio.gather(self._build_task, return_exceptions=True)
        await self._server.close()
        self._executor.shutdown(wait=True)

    async def idle(self) -> None:
        """Wait until no build runs and none is due (for tests and measurements)."""
        while self._scheduler.building or self._scheduler.pending:
            await asyncio.sleep(0.01)

    def notice(self, paths: Iterable[Path]) -> None:
        """Changed paths, on the loop's thread."""
        if self._scheduler.notice(paths):
            self._arm()

    def _from_watcher(self, paths: set[Path]) -> None:
        self._loop.call_soon_threadsafe(self.notice, paths)

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        deadline = self._scheduler.deadline()
        if deadline is not None:
            self._timer = self._loop.call_at(deadline, self._tick)

    def _tick(self) -> None:
        self._timer = None
        batch = self._scheduler.start()
        if batch is None:
            self._arm()
            return
        self._build_task = self._loop.create_task(self._build(batch))

    async def _build(self, batch: tuple[Path, ...]) -> None:
        if batch:
            self._log(f"{_describe(batch, self._options.root)} changed; rebuilding")
        else:
            self._log(f"building {self._options.root}")
        started = time.perf_counter()
        abandoned = False
        try:
            await self._loop.run_in_executor(self._executor, self._builder)
        except BuildAbandoned:  # stopping: `stopper` said so, and no page is to reload
            abandoned = True
        except Exception as exc:
            # Whatever went wrong, the preview lives on and shows it (and a
            # builder bug's traceback) in the terminal and on every page.
            self._failure = BuildFailure.from_exception(exc)
            self._log(f"build failed; serving the last good site\n{self._failure.text()}")
        else:
            if self._failure is not None:
                self._log("fixed")
            self._failure = None
            self._log(f"built in {time.perf_counter() - started:.2f}s")
            self._follow_base_path()
        finally:
            self.builds += 1
            self._scheduler.finish()
        if abandoned:
            return
        told = self._server.reload_pages()
        if told:
            self._log(f"reloading {told} page{'' if told == 1 else 's'}")
        self._arm()


    def _follow_base_path(self) -> None:
        """Serve under the path of `base_url` as the site just built has it (an edit of
        site.yaml may have changed it), as a new server would."""
        try:
            config, problems = load_config(self._options.root)
        except OSError:
            return
        if any(d.severity is Severity.ERROR for d in problems):
            return  # broken again since the build: the next build says so
        path = _served_under(config)
        if path != self.base_path:
            self.base_path = self._server.base_path = path
            url = url_for(self._options.host, self.port, path)
            self._log(f"base_url's path changed: serving at {url} now")


def _describe(batch: tuple[Path, ...], root: Path) -> str:
    """The batch for the terminal, named by a path that still exists (not an editor's temp file)."""
    first = next((path for path in reversed(batch) if path.exists()), batch[-1])
    try:
        shown = first.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        shown = str(first)
    return shown if len(batch) == 1 else f"{shown} and {len(batch) - 1} more"


def serve_site(options: ServeOptions, builder: Builder, *, abort: Callable[[], None] | None = None,
               out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
    """Run the preview until Ctrl-C (or SIGTERM); returns once everything has stopped.

    The build under way, if any, is finished first; a second Ctrl-C calls `abort`
    (which ends it) when there is one."""

    def log(message: str) -> None:
        print(f"briefgen: {message}", file=err, flush=True)

    warning = exposure_warning(options.host)
    if warning:
        log(warning)
    asyncio.run(_serve(options, builder, abort, log, out))
    log("stopped")


def stopper(stop: asyncio.Event, abort: Callable[[], None] | None, log: Log) -> Callable[[], None]:
    """What Ctrl-C (or SIGTERM) does: the first stops the preview once the build under way
    is done; another, while it waits, aborts that build (`abort`)."""

    def on_signal() -> None:
        if not stop.is_set():
            stop.set()
        elif abort is not None:
            log("stopping now: the build under way is abandoned (its output is left as it was)")
            abort()

    return on_signal


async def _serve(options: ServeOptions, builder: Builder, abort: Callable[[], None] | None, log: Log,
                 out: TextIO) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    on_signal = stopper(stop, abort, log)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal)
    session = PreviewSession(options, builder, log=log)
    try:
        port = await session.start()
        url = url_for(options.host, port, session.base_path)
        print(f"serving {options.root} at {url} (Ctrl-C to stop)", file=out, flush=True)
        if options.open_browser:
            webbrowser.open(url)
        await stop.wait()
    finally:
        await session.close()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
