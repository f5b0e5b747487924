"""Forked worker processes (generator/site/workers.py)."""

from __future__ import annotations

import gc
import multiprocessing
import signal
import time
from collections.abc import Iterator

import pytest

from generator import cli
from generator.pipeline import collect_less
from generator.site.workers import PYTHONS_COLLECTOR, forked, pythons_collector


def test_forked_workers_keep_the_builds_thresholds_and_pythons_come_back_for_a_while() -> None:
    before = gc.get_threshold()
    with collect_less(), forked(1) as pool:
        during = gc.get_threshold()
        assert pool.submit(gc.get_threshold).result() == during != before
        with pythons_collector():
            assert gc.get_threshold() == PYTHONS_COLLECTOR == before
        assert gc.get_threshold() == during
    assert gc.get_threshold() == before


def test_a_failure_in_the_caller_stops_busy_workers_at_once() -> None:
    start = time.monotonic()
    with pytest.raises(RuntimeError), forked(1) as pool:
        pool.submit(time.sleep, 60)
        workers = list(pool._processes.values())
        raise RuntimeError("interrupted")
    assert workers and not any(worker.is_alive() for worker in workers)
    assert time.monotonic() - start < 30  # not the minute the worker had to sleep


@pytest.fixture
def sigterm_as_the_command_line_has_it() -> Iterator[None]:
    """The SIGTERM handler that ``cli.main`` installs (in the tests' own process too, where a test called it): every
    worker forked from this process has it until its initializer runs."""
    before = signal.signal(signal.SIGTERM, cli._terminated)
    yield
    signal.signal(signal.SIGTERM, before)


def test_workers_forked_from_the_command_line_are_stopped_and_reaped_every_time(
    sigterm_as_the_command_line_has_it: None, capfd: pytest.CaptureFixture[str]
) -> None:
    # Stopped right after the fork, a worker is often still starting: once in about 40 rounds its end was not yet
    # recorded when the pool was left, and SIGTERM printed KeyboardInterrupt tracebacks of half the workers.
    for _ in range(60):
        with pytest.raises(RuntimeError), forked(1) as pool:
            pool.submit(time.sleep, 60)
            workers = list(pool._processes.values())
            raise RuntimeError("interrupted")
        assert workers and all(worker.exitcode is not None for worker in workers)
    assert "Traceback" not in capfd.readouterr().err


_STARTED = multiprocessing.get_context("fork").Event()  # inherited by the forked workers


def _ignore_sigterm_and_sleep() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _STARTED.set()
    time.sleep(60)


def test_a_worker_that_ignores_sigterm_is_stopped_at_once_too() -> None:
    _STARTED.clear()
    start = time.monotonic()
    with pytest.raises(RuntimeError), forked(1) as pool:
        pool.submit(_ignore_sigterm_and_sleep)
        assert _STARTED.wait(30)
        raise RuntimeError("interrupted")
    assert time.monotonic() - start < 30  # not the minute the worker had to sleep
