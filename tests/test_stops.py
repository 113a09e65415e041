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


def test_ctrl_c_while_the_store_forks_a_child_stops_the_command_and_the_child_does_its_work_only(tmp_path):
    # The night audit: a Ctrl-C as the store forked its linking child was lost in the at-fork
    # callbacks, and build-night published and exited 0 after a traceback.
    from epaper.cache.store import _in_child

    done, went_on = tmp_path / "done", tmp_path / "went-on"

    def work() -> None:  # written whole, then named: the parent reads it once it is there
        (tmp_path / "done.tmp").write_text(f"work in {os.getpid()}", encoding="utf-8")
        os.rename(tmp_path / "done.tmp", done)

    fired: list[bool] = []
    os.register_at_fork(after_in_parent=lambda: _interrupt_once(fired))
    with stops.raised():
        with pytest.raises(KeyboardInterrupt):
            _in_child(work)
            time.sleep(0.2)
            went_on.touch()  # the command must not get here
    assert fired and not went_on.exists()
    deadline = time.monotonic() + 30
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    said = done.read_text(encoding="utf-8")
    assert said.startswith("work in ") and said != f"work in {os.getpid()}"  # by the child, not the command
