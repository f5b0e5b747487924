"""Worker processes forked from the build: they share its memory as it was at the fork (the linked records, without
pickling them), leave Ctrl+C to the build, and are stopped at once and waited for when the build is interrupted or
fails. Used by the MkDocs shards (:mod:`generator.publish.builder`) and the rendering of pages in two processes
(:func:`generator.pipeline.write_all`)."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

FORK = "fork" in multiprocessing.get_all_start_methods()  # not on Windows: there everything runs in one process
PYTHONS_COLLECTOR = gc.get_threshold()  # Python's own cycle-collector thresholds, as at this module's import


def cores() -> int:
    """The processor cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every system
        return os.cpu_count() or 1


@contextlib.contextmanager
def collector_thresholds(thresholds: tuple[int, ...]) -> Iterator[None]:
    """The cycle collector's ``thresholds`` for a while; then those it had before."""
    before = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def pythons_collector() -> contextlib.AbstractContextManager[None]:
    """Python's own cycle-collector thresholds for a while (MkDocs runs with them: see
    :func:`generator.pipeline.collect_less`)."""
    return collector_thresholds(PYTHONS_COLLECTOR)


def _start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def forked(count: int) -> Iterator[ProcessPoolExecutor]:
    """``count`` forked worker processes."""
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"), initializer=_start)
    try:
        yield pool
    except BaseException:
        # No public way before Python 3.14 (kill_workers). SIGKILL, not SIGTERM: a worker forked from a process with a
        # SIGTERM handler (the command line's) or with SIGTERM ignored has that until its initializer runs, and a
        # SIGTERM in between raised KeyboardInterrupt in it (a traceback on stderr) or was lost (a worker left
        # running until its task ended). SIGTERM's default ends a worker as abruptly as SIGKILL does.
        workers = list(pool._processes.values())
        manager: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)  # typeshed: mistyped
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.kill()
        for worker in workers:
            worker.join()
        # The pool's own thread, seeing its workers gone, reaps them too: a join here may return before the worker's
        # end is recorded (the other thread got it first). Once that thread has ended, every worker's end is known.
        if manager is not None:
            manager.join()
        raise
    finally:
        pool.shutdown()
