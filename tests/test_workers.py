"""Forked worker processes (generator/site/workers.py)."""

from __future__ import annotations

import gc
import time

import pytest

from generator.pipeline import collect_less
from generator.site.workers import forked


@pytest.mark.parametrize("pythons", [True, False])
def test_forked_workers_run_with_pythons_thresholds_or_the_builds(pythons: bool) -> None:
    before = gc.get_threshold()
    with collect_less(), forked(1, pythons_collector=pythons) as pool:
        during = gc.get_threshold()
        assert pool.submit(gc.get_threshold).result() == (before if pythons else during)
    assert during != before


def test_a_failure_in_the_caller_stops_busy_workers_at_once() -> None:
    start = time.monotonic()
    with pytest.raises(RuntimeError), forked(1, pythons_collector=True) as pool:
        pool.submit(time.sleep, 60)
        workers = list(pool._processes.values())
        raise RuntimeError("interrupted")
    assert workers and not any(worker.is_alive() for worker in workers)
    assert time.monotonic() - start < 30  # not the minute the worker had to sleep
