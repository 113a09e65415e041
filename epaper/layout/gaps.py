"""Closing the gaps a packed page still has: a story right above an empty space grows into it.

Placement leaves a space empty when no story left fits it (a section's last page often ends with
less copy than room). The module above such a space has the same columns (the packer cuts the space
below a module at its width), so it can take a deeper shape of its own story, the deepest that fits
the space without a widow or orphan: a taller photo crop, its deck or photo back, a pull quote.
Nothing else on the page moves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from epaper.layout.copyfit import Fit
from epaper.layout.geometry import Slot
from epaper.layout.photos import photo_box, photo_clashes

__all__ = ["grow_into_gaps"]

GROWN_NOTE = "grown into the space below"

FitsOf = Callable[[object], Sequence[Fit] | None]
"""``fits_of(placement)``: the fits of a placed story part at its width, or None for a part whose
height cannot change (one that jumps)."""


def grow_into_gaps(placements: list, empty: list[Slot], fits_of: FitsOf, page_cells: int) -> int:
    """Grow modules into the empty slots right below them (both lists changed in place), never into
    a second dominant photo; returns the grid cells filled."""
    filled = 0
    for gap in list(empty):
        index = next((i for i, p in enumerate(placements) if p.slot.bottom == gap.top
                      and (p.slot.col, p.slot.cols) == (gap.col, gap.cols)), None)
        if index is None:
            continue
        placed = placements[index]
        fits = fits_of(placed)
        if not fits:
            continue
        others = placements[:index] + placements[index + 1:]
        candidates = sorted((f for f in fits if placed.slot.height < f.rows <= placed.slot.height + gap.height
                             and not f.faults and f.design.jump_head == placed.design.jump_head
                             # the same headline size: no new tombstone beside it
                             and f.design.header.headline_size == placed.design.header.headline_size),
                            key=lambda f: (-f.rows, f.weight))
        for fit in candidates:
            slot = Slot(placed.slot.col, placed.slot.cols, placed.slot.top, fit.rows)
            box = photo_box(slot, fit.design, fit.photo_rows)
            if box is None or not photo_clashes(others, box, page_cells).second_dominant:
                break
        else:
            continue
        grown = fit.rows - placed.slot.height
        placements[index] = replace(placed, design=fit.design, photo_rows=fit.photo_rows, faults=0, slot=slot,
                                    adjustments=fit.adjustments + (GROWN_NOTE,))
        empty.remove(gap)
        if grown < gap.height:
            empty.append(Slot(gap.col, gap.cols, gap.top + grown, gap.height - grown))
        filled += grown * gap.cols
    return filled
