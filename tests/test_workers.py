"""Forked worker processes (generator/site/workers.py)."""

from __future__ import annotations

import gc
import time

import pytest

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
