"""One run at a time per home: an advisory file lock that the operating system releases when its holder dies.

`flock` is tied to the open file, so a run killed with kill -9 (OOM, power loss) never leaves the lock
behind; the next run takes it at once. The holder writes its pid and start time into the file so a run
that has to wait can say whom it waits for.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_NAME = "run.lock"


class HomeBusy(RuntimeError):
    """Another run holds the home and we were told not to wait."""


def lock_path(home_root: Path) -> Path:
    return home_root / LOCK_NAME


def holder_of(path: Path) -> str:
    """Who holds the lock, as written by the holder ('pid 123 since 2026-12-02T18:30:00Z'), or ''."""
    try:
        return path.read_text("utf-8").strip()
    except OSError:
        return ""


@contextmanager
def home_lock(home_root: Path, *, wait: bool = True,
              on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the home's run lock for the duration of the block.

    When another process holds it: with `wait`, call `on_wait(holder)` once and block until it is free;
    without, raise HomeBusy naming the holder.
    """
    path = lock_path(home_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = holder_of(path) or "another process"
            if not wait:
                raise HomeBusy(f"another patentwire run ({holder}) is using {home_root}; "
                               f"wait for it to finish or use another --home") from None
            if on_wait is not None:
                on_wait(holder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {stamp}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock; the stale text is harmless, the next holder overwrites it


def wait_message(home_root: Path, holder: str) -> str:
    return (f"patentwire: another run ({holder}) is using {home_root}; "
            f"this run waits for it to finish (Ctrl-C to give up)")
