"""The night's pages, made on the runner while the main process goes on.

A night's layout is done in this process (:mod:`.layout`), and for a while it was all the build
did: the workers waited until every zone was laid out. Now the main edition's pages go to the
workers as soon as it is laid out, the zones' own pages as soon as every zone is, and an edition
is published as soon as the pages it prints are made — while the workers make the next ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from epaper.products import PageTask, make_page_products, remembered
from epaper.tasks import Batch, Runner

__all__ = ["NightPages"]

Progress = Callable[[str, int, int], None]

STEP = "drawing, rasterizing the night's pages"


class NightPages:
    """Every page of the night the store lacks, each made once on ``runner``: handed over in
    batches (:meth:`make`) and waited for (:meth:`wait`) when an edition needs them."""

    def __init__(self, runner: Runner, progress: Progress | None = None) -> None:
        self._runner = runner
        self._step = progress or (lambda name, done, total: None)
        self._batches: list[tuple[Batch[Any], frozenset[str]]] = []  # in the order handed over
        self._collected = 0  # batches whose results are in
        self._ready: set[str] = set()  # the keys of those batches' pages
        self.made: set[str] = set()  # the keys of every page handed over
        self._in_store: set[str] = set()  # the keys of pages found made (a page most editions share: looked at once)

    def make(self, tasks: Iterable[PageTask]) -> None:
        """Start making the pages of ``tasks`` that are not in the store, nor handed over already."""
        missing: dict[str, PageTask] = {}
        for task in tasks:
            if task.key in self.made or task.key in missing or task.key in self._in_store:
                continue
            if remembered(task) is None:
                missing[task.key] = task
            else:
                self._in_store.add(task.key)
        if not missing:
            return
        self.made |= set(missing)
        self._batches.append((self._runner.submit(make_page_products, list(missing.values())), frozenset(missing)))
        self._step(STEP, len(self._ready), len(self.made))

    def wait(self, keys: Iterable[str]) -> None:
        """Return once the pages of ``keys`` handed over are made (raises a task's error). Batches
        are collected in the order they were handed over: the workers take them in that order."""
        wanted = set(keys) & self.made - self._ready
        while wanted and self._collected < len(self._batches):
            batch, batch_keys = self._batches[self._collected]
            done = len(self._ready)
            batch.results(progress=lambda finished: self._step(STEP, done + finished, len(self.made)))
            self._collected += 1
            self._ready |= batch_keys
            wanted -= batch_keys

    def cancel(self) -> None:
        """Drop what is not made yet (the night failed): nothing runs on once the build lets its
        output folder go."""
        for batch, _ in self._batches[self._collected:]:
            batch.cancel()
