"""Progress of the long stages (fetch, parse, extract), for whoever wants to show it.

The stages report how many of their items are done; nothing is shown unless a listener is installed (as
`patentwire run` does on a terminal). Listeners are process-wide, like logging handlers, because fetch
workers run on threads that a context variable would not reach.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str, int, int], None]  # (stage, items done, items in total)

_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Send every stage's progress to `listener` while the block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


class StageProgress:
    """Counts finished items of one stage; safe to advance from worker threads."""

    def __init__(self, stage: str, total: int) -> None:
        self.stage, self.total, self.done = stage, total, 0
        self._lock = threading.Lock()
        self._notify()

    def advance(self, items: int = 1) -> None:
        with self._lock:
            self.done += items
        self._notify()

    def _notify(self) -> None:
        for listener in list(_listeners):
            listener(self.stage, self.done, self.total)


def stage_progress(stage: str, total: int) -> StageProgress:
    return StageProgress(stage, total)
