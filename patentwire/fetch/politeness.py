"""Politeness: at most one request in flight per host, requests spaced by the host's interval,
and the workers always given the host whose next slot comes soonest."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class HostLimiter:
    """Spaces requests to one host by an interval (start to start), across threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._clock, self._sleep = clock, sleep
        self._next_free: dict[str, float] = {}
        self._lock = threading.Lock()

    def ready_at(self, host: str) -> float:
        with self._lock:
            return self._next_free.get(host, 0.0)

    def wait(self, host: str, interval: float) -> None:
        """Reserve the host's next slot and sleep until it comes."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_free.get(host, 0.0))
            self._next_free[host] = slot + interval
        if slot > now:
            self._sleep(slot - now)

    def push_back(self, host: str, until: float) -> None:
        """No request to the host before `until` (a Retry-After applies to everyone, not one worker)."""
        with self._lock:
            self._next_free[host] = max(self._next_free.get(host, 0.0), until)


class HostScheduler:
    """Hands out work so that no host has two requests in flight and no worker waits on one host
    while another host is ready. Hosts for which `exclusive(host)` is false (local files) run freely."""

    def __init__(self, items: Iterable[Item], host_of: Callable[[Item], str], limiter: HostLimiter,
                 exclusive: Callable[[str], bool] = lambda host: True):
        self._queues: OrderedDict[str, deque] = OrderedDict()
        for item in items:
            self._queues.setdefault(host_of(item), deque()).append(item)
        self._limiter, self._exclusive = limiter, exclusive
        self._busy: set[str] = set()
        self._condition = threading.Condition()

    def take(self) -> tuple[str, Item] | None:
        """The next (host, item), waiting while every host with work is busy; None when all is handed out."""
        with self._condition:
            while True:
                free = [host for host, queue in self._queues.items() if queue and host not in self._busy]
                if free:
                    host = min(free, key=self._limiter.ready_at)
                    if self._exclusive(host):
                        self._busy.add(host)
                    return host, self._queues[host].popleft()
                if not any(self._queues.values()):
                    return None
                self._condition.wait()

    def done(self, host: str) -> None:
        with self._condition:
            self._busy.discard(host)
            self._condition.notify_all()


def run_politely(items: list[Item], work: Callable[[Item], Result], host_of: Callable[[Item], str],
                 limiter: HostLimiter, concurrency: int,
                 exclusive: Callable[[str], bool] = lambda host: True) -> list[Result]:
    """`work(item)` for every item on `concurrency` threads; results in the order of `items`."""
    results: list = [None] * len(items)
    scheduler = HostScheduler(enumerate(items), lambda pair: host_of(pair[1]), limiter, exclusive)

    def worker() -> None:
        while (taken := scheduler.take()) is not None:
            host, (index, item) = taken
            try:
                results[index] = work(item)
            finally:
                scheduler.done(host)

    threads = max(1, min(concurrency, len(items)))
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="fetch") as pool:
        for future in [pool.submit(worker) for _ in range(threads)]:
            future.result()
    return results

