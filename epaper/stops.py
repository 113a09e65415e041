"""Ctrl-C and SIGTERM stop a command: raised in its main thread, but held while a worker is forked.

While a command runs, Ctrl-C raises :class:`KeyboardInterrupt` and SIGTERM (a service manager's
stop) :class:`Terminated`, one of its kind, where the main thread is; the command stops as on
Ctrl-C (its pool and staging folder cleared away, nothing half-published; epaper.cli says so).

A stop raised while the local pool forks a worker is not where the command can handle it:
raised in ``os.fork``'s at-fork callbacks it is lost (Python prints "Exception ignored" and the
command goes on to publish and exit 0 after the desk stopped it), and raised between the pool's
first worker and its manager thread it leaves a pool that cannot shut down ("cannot join thread
before it is started", a traceback instead of the message). :func:`held` wraps the fork: a stop
arriving in it is kept and raised as the fork is done.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Terminated", "held", "raised"]


class Terminated(KeyboardInterrupt):
    """SIGTERM: a service manager (systemd, ``docker stop``, a supervisor) stopping epaper. Raised
    where Ctrl-C's KeyboardInterrupt would be, so a command stops as it does on Ctrl-C and exits
    143. The pool's workers keep the default (epaper.workers): the pool itself ends one by SIGTERM
    when a sibling dies."""


_holding = 0  # how many held() the main thread has open
_kept: list[KeyboardInterrupt] = []  # the stop that came while held: raised when the last ends


def _stop(stop: KeyboardInterrupt) -> None:
    if _holding:
        if not _kept:
            _kept.append(stop)
        return
    raise stop


@contextmanager
def raised() -> Iterator[None]:
    """Ctrl-C and SIGTERM raise in the main thread while the command runs (a second SIGTERM, from a
    manager that would not wait, ends the process as the default does). In another thread (a
    caller's own) nothing changes: signals reach the main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum: int, frame: object) -> None:
        _stop(KeyboardInterrupt())

    def on_sigterm(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _stop(Terminated())

    previous = {number: signal.signal(number, handler)
                for number, handler in ((signal.SIGINT, on_sigint), (signal.SIGTERM, on_sigterm))}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _kept.clear()


@contextmanager
def held() -> Iterator[None]:
    """A stop that arrives inside is raised when the (outermost) block ends, not in it. In another
    thread nothing is held: a fork there runs its callbacks in that thread, and the stop is raised
    in the main thread's own code."""
    global _holding
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
        if not _holding and _kept:
            raise _kept.pop()
