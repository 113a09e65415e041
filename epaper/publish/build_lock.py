"""One build at a time per output folder: an fcntl lock on the folder itself, held for the build.

Two builds into one output folder would otherwise stage, publish and clean up over each other (and
write the archive at once). The second waits for the first and says so, naming the holder's
process id (read from the kernel's lock table, ``/proc/locks``). The lock is the kernel's: a killed
build releases it with its last open file, so a stale lock never needs removing, and no lock file
is left in the folder.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from epaper.cache.store import settle_memos

__all__ = ["lock_holder", "output_lock"]


def lock_holder(folder: Path) -> int | None:
    """The process id holding a flock on ``folder``, if the kernel says (Linux), else None."""
    inode = folder.stat().st_ino
    try:
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in table.splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF" ("->" marks a waiter: skipped)
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode):
            return int(fields[4])
    return None


@contextmanager
def output_lock(root: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of the output folder ``root`` (created if need be); if another build holds
    it, tell ``on_wait`` who, then wait."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = lock_holder(root)
            if on_wait is not None:
                who = f"pid {holder}" if holder is not None else "another process"
                on_wait(f"{root}: another build ({who}) is writing into this folder; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        try:
            settle_memos()  # no memo of this build is written into the store after it lets go
        finally:
            os.close(fd)  # releases the lock (which a memo's child held too: it has the descriptor)
