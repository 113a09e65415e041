"""Tombstones: headlines of one size side by side, which read as one line across two stories.

Placement avoids them (they cost heavily in its score) and the report counts any that remain.
"""

from __future__ import annotations

from collections.abc import Sequence

from epaper.layout.geometry import Slot
from epaper.layout.module import ModuleDesign
from epaper.layout.plan import Placement

__all__ = ["tombstone_pairs", "tombstones_beside"]


def _headline_rows(slot: Slot, design: ModuleDesign) -> range:
    return range(slot.top, slot.top + design.header.rows)


def _side_by_side(a: Slot, b: Slot) -> bool:
    return a.col + a.cols == b.col or b.col + b.cols == a.col


def _tombstoned(slot_a: Slot, design_a: ModuleDesign, slot_b: Slot, design_b: ModuleDesign) -> bool:
    if not _side_by_side(slot_a, slot_b) or design_a.header.headline_size != design_b.header.headline_size:
        return False
    rows_a, rows_b = _headline_rows(slot_a, design_a), _headline_rows(slot_b, design_b)
    return rows_a.start < rows_b.stop and rows_b.start < rows_a.stop


def tombstones_beside(placed: Sequence[Placement], slot: Slot, design: ModuleDesign) -> int:
    """How many modules already on the page a module at ``slot`` would tombstone with."""
    return sum(1 for p in placed if _tombstoned(p.slot, p.design, slot, design))


def tombstone_pairs(placed: Sequence[Placement]) -> list[tuple[Placement, Placement]]:
    """Every tombstoned pair on a page."""
    return [(a, b) for i, a in enumerate(placed) for b in placed[i + 1:]
            if _tombstoned(a.slot, a.design, b.slot, b.design)]
