"""Top-level task functions for tests/test_tasks.py: a Dask worker process loads them by name."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from epaper.publish.output import atomic_file


def square(number: int) -> int:
    return number * number


def fail_on_three(number: int) -> int:
    if number == 3:
        raise ValueError("item 3 is bad")
    return number


@dataclass(frozen=True)
class Write:
    folder: Path
    number: int
    die_marker: Path | None = None  # the first run that finds this file missing creates it and dies mid-write


def write_and_maybe_die(job: Write) -> str:
    """Write ``NNN.txt`` whole; the first run of the marked job kills its own worker process while
    the file is half written (the retry, on a fresh worker, must finish it)."""
    target = job.folder / f"{job.number:03d}.txt"
    with atomic_file(target) as partial:
        with partial.open("w", encoding="utf-8") as out:
            out.write(f"item {job.number}\n" * 500)
            out.flush()
            if job.die_marker is not None and not job.die_marker.exists():
                job.die_marker.write_text(str(os.getpid()), encoding="utf-8")
                os.kill(os.getpid(), signal.SIGKILL)
            out.write("end\n")
    return target.name


@dataclass(frozen=True)
class DieMidWrite:
    """Runs ``task``; the first run anywhere (the one that creates ``marker``) kills its own worker
    process at its first ``os.replace``: a temporary file is written whole, the output is not yet in
    place. The scheduler must run the task again elsewhere."""

    task: object
    marker: Path

    def __call__(self, item):
        real_replace = os.replace

        def replace_or_die(source, target):
            try:
                handle = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:  # another run died already: behave
                return real_replace(source, target)
            os.write(handle, str(os.getpid()).encode())
            os.close(handle)
            os.kill(os.getpid(), signal.SIGKILL)

        os.replace = replace_or_die
        try:
            return self.task(item)  # type: ignore[operator]
        finally:
            os.replace = real_replace


def always_die(number: int) -> int:
    """Kills the worker process that runs it, every time (a page that runs any worker out of memory)."""
    os.kill(os.getpid(), signal.SIGKILL)
    return number


def wait_for_file(job: tuple[Path, int]) -> int:
    """Returns its number once the file ``job[0]`` exists (the test writes it after submitting)."""
    path, number = job
    deadline = time.monotonic() + 60
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} was never written")
        time.sleep(0.01)
    return number


def write_when_told(job: tuple[Path, int, Path]) -> str:
    """Writes ``FOLDER/NNN.txt`` whole, taking a moment, once the go-ahead file exists."""
    folder, number, go = job
    wait_for_file((go, number))
    target = folder / f"{number:03d}.txt"
    with atomic_file(target) as partial:
        time.sleep(0.3)
        partial.write_text(f"item {number}\n", encoding="utf-8")
    return target.name


def read_file(path: Path) -> bytes:
    """Reads ``path``: a file the worker cannot read raises there (OSError)."""
    return path.read_bytes()


@dataclass(frozen=True)
class DieAfter:
    """Runs ``task``; the first run anywhere (the one that creates ``marker``) kills its own worker
    process once the task is done, before its result is sent back: what it made is in place, and
    the scheduler runs the task again elsewhere."""

    task: object
    marker: Path

    def __call__(self, item):
        result = self.task(item)  # type: ignore[operator]
        try:
            handle = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return result
        os.write(handle, str(os.getpid()).encode())
        os.close(handle)
        os.kill(os.getpid(), signal.SIGKILL)
        return result
