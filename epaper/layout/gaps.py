"""Closing the gaps a packed page still has: the stories stacked above an empty space grow into it.

Placement leaves a space empty when no story left fits it (a section's last page often ends with
less copy than room, and a few rows can stay open under a module whose story has no shape that
closes them). The packer cuts the space below a module at its width, so above such a space stands a
*stack*: modules of exactly its columns, each right on top of the next. Any of them can take a
deeper shape of its own story (a taller photo crop, its deck or photo back, a pull quote), those
under it moving down; the growths that fill most of the space are chosen together (a small
knapsack over the stack). Only clean shapes are taken (no widow or orphan), at the same headline
size, and only if the page gets no new tombstone and no second dominant photo. Nothing outside the
stack moves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from epaper.layout.copyfit import Fit
from epaper.layout.geometry import Slot
from epaper.layout.photos import photo_clashes
from epaper.layout.plan import Placement
from epaper.layout.tombstones import tombstone_pairs

__all__ = ["Grown", "GROWN_NOTE", "grow_into_gaps"]

GROWN_NOTE = "grown into the space below"

FitsOf = Callable[[Placement], Sequence[Fit] | None]
"""``fits_of(placement)``: the fits of a placed story part at its width, or None for a part whose
height cannot change (one that jumps)."""


@dataclass(frozen=True)
class _Growth:
    rows: int        # rows it adds to the stack
    weight: float    # the fit's cost with its faults (0 for staying as it is)
    fit: Fit | None  # None: the module keeps its shape


class Grown(NamedTuple):
    """A page's modules after growing into its empty slots, the slots still empty, the cells filled."""

    placements: tuple[Placement, ...]
    empty: tuple[Slot, ...]
    filled: int


def grow_into_gaps(placements: Sequence[Placement], empty: Sequence[Slot], fits_of: FitsOf,
                   page_cells: int) -> Grown:
    """Grow the stacks of modules above the page's empty slots into them."""
    placements, empty = list(placements), list(empty)
    filled = 0
    for gap in list(empty):
        stack = _stack_above(placements, gap)
        if not stack:
            continue
        growths = _best_growths([_growths(placements[i], fits_of(placements[i]), gap.height) for i in stack],
                                gap.height)
        if not growths or sum(g.rows for g in growths) == 0:
            continue
        grown = _regrown(placements, stack, growths)
        if not _acceptable(placements, grown, stack, page_cells):
            continue
        placements[:] = grown
        added = sum(g.rows for g in growths)
        empty.remove(gap)
        if added < gap.height:
            empty.append(Slot(gap.col, gap.cols, gap.top + added, gap.height - added))
        filled += added * gap.cols
    return Grown(tuple(placements), tuple(empty), filled)


def _stack_above(placements: Sequence[Placement], gap: Slot) -> list[int]:
    """Indices of the modules standing on the gap, top first: each of the gap's columns exactly,
    each one's foot the next one's head."""
    stack: list[int] = []
    top = gap.top
    while True:
        index = next((i for i, p in enumerate(placements) if p.slot.bottom == top
                      and (p.slot.col, p.slot.cols) == (gap.col, gap.cols)), None)
        if index is None:
            return stack[::-1]
        stack.append(index)
        top = placements[index].slot.top


def _growths(placed: Placement, fits: Sequence[Fit] | None, room: int) -> list[_Growth]:
    """What one module can add: nothing, or a deeper clean shape of its own at the same headline size."""
    options = [_Growth(0, 0.0, None)]
    if not fits:
        return options
    height = placed.slot.height
    options += [_Growth(f.rows - height, f.weight, f) for f in fits
                if height < f.rows <= height + room and not f.faults
                and f.design.jump_head == placed.design.jump_head
                # the same headline size: no new tombstone beside it
                and f.design.header.headline_size == placed.design.header.headline_size]
    return options


def _best_growths(choices: Sequence[Sequence[_Growth]], room: int) -> list[_Growth] | None:
    """One growth per module: the most rows in all within ``room``, then the least weight."""
    # best[r]: (weight, growths) reaching exactly r rows with the modules seen so far.
    best: dict[int, tuple[float, tuple[_Growth, ...]]] = {0: (0.0, ())}
    for options in choices:
        step: dict[int, tuple[float, tuple[_Growth, ...]]] = {}
        for rows, (weight, taken) in best.items():
            for g in options:
                total = rows + g.rows
                if total > room:
                    continue
                found = step.get(total)
                if found is None or weight + g.weight < found[0]:
                    step[total] = (weight + g.weight, taken + (g,))
        best = step
    return list(best[max(best)][1]) if best else None


def _regrown(placements: Sequence[Placement], stack: Sequence[int], growths: Sequence[_Growth]) -> list[Placement]:
    """The page's placements with the stack's modules re-shaped and moved down under each other."""
    grown = list(placements)
    top = placements[stack[0]].slot.top
    for index, growth in zip(stack, growths):
        placed = placements[index]
        height = placed.slot.height + growth.rows
        slot = Slot(placed.slot.col, placed.slot.cols, top, height)
        if growth.fit is None:
            grown[index] = replace(placed, slot=slot)
        else:
            fit = growth.fit
            grown[index] = replace(placed, design=fit.design, photo_rows=fit.photo_rows, legs=fit.legs, slot=slot,
                                   adjustments=fit.adjustments + (GROWN_NOTE,))
        top += height
    return grown


def _acceptable(before: Sequence[Placement], after: Sequence[Placement], stack: Sequence[int], page_cells: int) -> bool:
    """No new tombstone on the page (modules moved down can meet a neighbour's headline) and no
    second dominant photo."""
    if len(tombstone_pairs(after)) > len(tombstone_pairs(before)):
        return False
    for index in stack:
        placed = after[index]
        box = placed.photo_box
        if box is not None and placed is not before[index]:
            others = [p for i, p in enumerate(after) if i != index]
            if photo_clashes(others, box, page_cells).second_dominant:
                return False
    return True
