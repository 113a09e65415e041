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
from multiprocessing.context import BaseContext

__all__ = ["killed_with_parent", "worker_pool"]

_PR_SET_PDEATHSIG = 1  # include/uapi/linux/prctl.h
POLL_SECONDS = 0.5


def worker_pool(workers: int, context: BaseContext | None = None) -> ProcessPoolExecutor:
    """A process pool of ``workers`` processes that exit when this process dies. ``context`` is a
    multiprocessing start method's context (default: the platform's)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent,
                               initargs=(os.getpid(),))


def _die_with_parent(build: int) -> None:
    # Forked and spawned workers are the build's children; a forkserver's (Linux's default from
    # Python 3.14) are the server's, so there the build is watched by its process id instead.
    child = os.getppid() == build
    # Ctrl-C at the terminal reaches the whole process group: the build stops its workers itself,
    # and a worker's own KeyboardInterrupt would only print a traceback over the build's message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker has the command's SIGTERM handler (epaper.stops: a service manager's stop raises
    # there): a worker ends on SIGTERM as any process does (the pool terminates the others so when
    # one dies), not with a traceback of its own.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    killed_with_parent()  # (not Linux: the watcher below does it)
    if not _alive(build, child):  # died before the request took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(build, child), daemon=True, name="epaper-parent-watch").start()


def killed_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``;
    elsewhere nothing). The kernel goes by the thread that forked this process: if that thread
    ends first, this process is killed too."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _alive(build: int, child: bool) -> bool:
    if child:
        return os.getppid() == build  # an orphan is re-parented at once, even before it is reaped
    try:
        os.kill(build, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, as another user's process
    return True


def _watch(build: int, child: bool) -> None:
    while _alive(build, child):
        time.sleep(POLL_SECONDS)
    os._exit(1)
