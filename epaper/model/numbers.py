"""Page numbers in runs: ``[1, 2, 3, 5]`` as ``1-3, 5`` — how a desk writes a set of pages, whether
for a command (``--lock 1-3,5``) or for a reader (the archive's "pages 7–19")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["NumberRun", "number_runs"]


class NumberRun(NamedTuple):
    first: int
    last: int  # == first for a run of one


def number_runs(numbers: Iterable[int]) -> list[NumberRun]:
    """The distinct ``numbers`` in ascending runs of consecutive numbers."""
    runs: list[NumberRun] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1].last + 1:
            runs[-1] = NumberRun(runs[-1].first, number)
        else:
            runs.append(NumberRun(number, number))
    return runs
