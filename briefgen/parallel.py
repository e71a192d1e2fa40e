"""Run independent jobs on every core, in forked worker processes.

Workers are forked after the caller has built everything they need, so the
inputs reach them without being pickled; only each job's (small) result
travels back. Small batches, one-core machines and platforms without `fork`
run in the calling process: the result is the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")
MIN_PARALLEL_JOBS = 200
_CHUNKS_PER_WORKER = 8

# Set in each worker (never in the parent) by `_adopt`, right after the fork.
_worker_job: Callable[[int], Any] | None = None


def worker_count() -> int:
    """The cores this process may use (respects CPU affinity, e.g. in containers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def run_jobs(job: Callable[[int], T], count: int, *, workers: int | None = None,
             min_jobs: int = MIN_PARALLEL_JOBS) -> list[T]:
    """`[job(0), job(1), ..., job(count - 1)]`, computed on all cores when that pays off:
    from `min_jobs` jobs (fewer when each job is known to be long).

    `job` may be a closure over large data: forked workers inherit it. An
    exception in any job is raised here, after the workers have stopped.
    """
    workers = worker_count() if workers is None else workers
    if (count < max(2, min_jobs) or workers < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [job(i) for i in range(count)]
    size = max(1, count // (workers * _CHUNKS_PER_WORKER))
    chunks = [range(start, min(count, start + size)) for start in range(0, count, size)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_adopt, initargs=(job,)) as pool:
        parts = pool.map(_run_chunk, chunks, chunksize=1)
    return [result for part in parts for result in part]


def _adopt(job: Callable[[int], Any]) -> None:
    """In a new worker: take the job, and collect garbage only among what this worker makes
    (what it inherited lives as long as it does; walking it would also copy its pages)."""
    global _worker_job
    _worker_job = job
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a handler of the process it came from
    gc.freeze()
    gc.enable()


def _run_chunk(chunk: Sequence[int]) -> list[Any]:
    assert _worker_job is not None
    return [_worker_job(i) for i in chunk]


class Background(Generic[T]):
    """`call()` computed in a forked process while this one goes on; `result()` waits for it.

    For work that another core can do while this process does something else
    (walking the output folder, digesting the model's parts): the result
    travels back pickled, so it should be small beside the work. Where the platform
    cannot fork, or the process died before it answered, `result()` computes
    it in this process. Leaving the `with` block (or `stop`, or dropping the
    object) stops a process not waited for.
    """

    def __init__(self, call: Callable[[], T]) -> None:
        self._call = call
        self._process: Any = None
        self._owner = os.getpid()
        self._answer: tuple[bool, Any] | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_answer, args=(call, send), daemon=True)
            self._process.start()
            send.close()

    def result(self) -> T:
        """What `call()` returned (the same object however often asked), or its error raised."""
        if self._answer is None:
            self._answer = self._receive_answer()
        done, value = self._answer
        if not done:
            raise value
        return cast(T, value)

    def _receive_answer(self) -> tuple[bool, Any]:
        if self._process is None:
            return _answer_of(self._call)
        process, self._process = self._process, None
        try:
            answer: tuple[bool, Any] = self._receive.recv()
            return answer
        except EOFError:  # it died without answering
            return _answer_of(self._call)
        finally:
            self._receive.close()
            process.join()

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the process, when it was not waited for (only where it was started).

        Killed, not asked to end: it may have inherited a handler that ignores
        SIGTERM (the preview server's event loop has one), and it may be
        blocked writing a result no one will read."""
        if self._process is not None and os.getpid() == self._owner:
            self._process.kill()
            self._process.join()
            self._receive.close()
            self._process = None

    def __del__(self) -> None:
        self.stop()


def _answer(call: Callable[[], Any], send: Any) -> None:
    send.send(_answer_of(call))
    send.close()


def _answer_of(call: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, call()
    except BaseException as problem:  # raised again where the result is asked for
        return False, problem
