"""CPU-bound stage work (parse, extract) spread over a bounded pool of worker processes.

Results come back in input order whatever the number of workers, so a run with 1 worker and a run
with 8 write the same rows. Small batches stay in the calling process: starting a worker costs
more than parsing a few pages.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

WORKERS_ENV = "PATENTWIRE_WORKERS"  # worker processes for parse and extract; default: the CPU count
BATCH_ENV = "PATENTWIRE_BATCH"  # items read, processed and written per batch; bounds a stage's memory
DEFAULT_BATCH = 500
MIN_ITEMS_FOR_POOL = 32  # below this a batch is processed in the calling process

Item = TypeVar("Item")
Result = TypeVar("Result")


def worker_count(explicit: int | None = None) -> int:
    """`explicit`, else $PATENTWIRE_WORKERS, else the CPUs this process may use (at least 1)."""
    if explicit is not None:
        return max(1, explicit)
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ValueError(f"{WORKERS_ENV}={configured!r} is not a number of worker processes") from None
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def batch_size() -> int:
    configured = os.environ.get(BATCH_ENV, "").strip()
    return max(1, int(configured)) if configured else DEFAULT_BATCH


def can_start_processes() -> bool:
    """False inside a daemonic process (e.g. a celery prefork child), which may not have children."""
    return not multiprocessing.current_process().daemon


# Each worker process keeps the state its initializer was given (the company registry, say): it is
# built or pickled once per worker, not once per item.
_worker_state: dict[str, Any] = {}


def _initialize(state: dict[str, Any]) -> None:
    _worker_state.clear()
    _worker_state.update(state)


def worker_state() -> dict[str, Any]:
    return _worker_state


class StagePool:
    """`map` over items in order, in worker processes when there are enough items and workers."""

    def __init__(self, workers: int, state: dict[str, Any], before_fork: Callable[[], None] | None = None) -> None:
        self.workers = workers if can_start_processes() else 1
        self.state = state
        self.before_fork = before_fork  # builds lazy state once here, for the forked workers to inherit
        self._executor: ProcessPoolExecutor | None = None

    def map(self, function: Callable[[Item], Result], items: Iterable[Item],
            on_result: Callable[[], None] | None = None) -> list[Result]:
        """`function` of every item, in order; `on_result` is called as each result arrives (progress)."""
        return self._collect(self._submit(function, list(items)), on_result)

    def map_batches(self, function: Callable[[Item], Result], batches: Iterable[list[Item]],
                    on_result: Callable[[], None] | None = None) -> Iterator[list[Result]]:
        """`function` over each batch, a batch's results yielded in order while the next batch is worked on.

        The next batch is read and handed to the workers before the caller gets the current one, so the
        caller's own work (loading the results) overlaps the workers' instead of leaving them idle; at most
        two batches are held at once."""
        pending: Iterator[Result] | None = None
        for batch in batches:
            submitted = self._submit(function, list(batch))
            if pending is not None:
                yield self._collect(pending, on_result)
            pending = submitted
        if pending is not None:
            yield self._collect(pending, on_result)

    def _submit(self, function: Callable[[Item], Result], items: list[Item]) -> Iterator[Result]:
        if self.workers == 1 or len(items) < MIN_ITEMS_FOR_POOL:
            return _in_this_process(function, items, self.state)
        if self._executor is None:
            if self.before_fork is not None:
                self.before_fork()
            self._executor = ProcessPoolExecutor(self.workers, initializer=_initialize, initargs=(self.state,))
        chunk = max(1, len(items) // (self.workers * 4))
        return self._executor.map(function, items, chunksize=chunk)  # submitted now, collected later

    @staticmethod
    def _collect(results: Iterator[Result], on_result: Callable[[], None] | None) -> list[Result]:
        collected = []
        for result in results:
            collected.append(result)
            if on_result is not None:
                on_result()
        return collected

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _in_this_process(function: Callable[[Item], Result], items: list[Item], state: dict[str, Any]) -> Iterator[Result]:
    """`function` of every item, run as the results are collected, with the pool's state set first (another
    pool in this process may have set its own meanwhile)."""
    _initialize(state)
    yield from (function(item) for item in items)


@contextmanager
def stage_pool(state: dict[str, Any] | None = None, workers: int | None = None,
               before_fork: Callable[[], None] | None = None) -> Iterator[StagePool]:
    pool = StagePool(worker_count(workers), state or {}, before_fork)
    try:
        yield pool
    finally:
        pool.close()
