"""One build at a time per edition output: ``OUT/.<id>.lock``, an fcntl lock held for the whole build.

Two builds of one edition into one output folder would otherwise stage, publish and clean up over
each other. The second waits for the first and says so, naming the holder's process id (written
into the lock file). The lock is the kernel's: a killed build releases it with its last open file,
so a stale lock never needs removing; the small file itself stays (it is hidden, like the staging
folders, and the archive lists only editions).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["edition_lock", "lock_path"]


def lock_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.lock")


@contextmanager
def edition_lock(final: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of the edition folder ``final`` (created with its parent if need be); if
    another build holds it, tell ``on_wait`` who, then wait."""
    final.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(final)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            if on_wait is not None:
                on_wait(f"{final}: another build (pid {holder}) is writing this edition; waiting for it to finish "
                        f"(lock {path})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
