"""Ctrl-C and SIGTERM stop a command where its main thread is, but not inside a fork (epaper.stops)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from epaper import stops
from epaper.tasks import LocalRunner


def _signal_self(number: int) -> None:
    os.kill(os.getpid(), number)
    time.sleep(0.05)  # the handler runs at the next bytecode after the signal arrives


@pytest.mark.parametrize("number, kind", [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, stops.Terminated)])
def test_a_stop_in_a_held_block_is_raised_as_the_block_ends(number, kind):
    reached = []
    with stops.raised():
        with pytest.raises(kind):
            with stops.held():
                with stops.held():
                    _signal_self(number)
                    reached.append("inner")
                reached.append("outer")  # held until the outermost block ends
        assert reached == ["inner", "outer"]
        with pytest.raises(KeyboardInterrupt):  # and nothing kept: the next is raised where it comes
            _signal_self(signal.SIGINT)
            reached.append("not reached")
    assert "not reached" not in reached
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # as it was


def _double(number: int) -> int:
    return 2 * number


def test_ctrl_c_while_the_pool_forks_its_workers_stops_after_the_fork_and_the_pool_closes():
    # A stop raised in a fork's at-fork callbacks was lost ("Exception ignored"; the build went on
    # and published), and one between the first worker and the pool's manager thread left a pool
    # that could not shut down. Here the signal comes as the first worker is forked.
    runner = LocalRunner(2)
    os.register_at_fork(after_in_parent=lambda: _interrupt_once(fired))
    fired: list[bool] = []
    with stops.raised():
        with pytest.raises(KeyboardInterrupt):
            runner.submit(_double, [1, 2, 3])
            time.sleep(0.05)
    assert fired
    runner.close()  # shuts down: no "cannot join thread before it is started"
    assert runner.map(_double, [1, 2, 3]) == [2, 4, 6]  # and a new pool works
    runner.close()


def _interrupt_once(fired: list[bool]) -> None:
    if not fired:
        fired.append(True)
        os.kill(os.getpid(), signal.SIGINT)
