"""Process pools whose workers die with the build that started them.

A build killed outright (SIGKILL, the OOM killer) cannot shut its pool down, and
``ProcessPoolExecutor`` workers then live on, waiting on a queue nobody writes. Each worker asks
the kernel to kill it when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``) and, where that is
unavailable or the parent died before the request, notices itself: a daemon thread polls the parent
process id and leaves when it changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

__all__ = ["worker_pool"]

_PR_SET_PDEATHSIG = 1  # include/uapi/linux/prctl.h
POLL_SECONDS = 0.5


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool of ``workers`` processes that exit when this process dies."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),))


def _die_with_parent(parent: int) -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the watcher below does it
    if os.getppid() != parent:  # died before the request took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="epaper-parent-watch").start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
