"""Tombstones: headlines of one size side by side, which read as one line across two stories; and
headlines side by side of sizes too alike to tell which story leads (the smaller at least
:data:`~epaper.formats.HEADLINE_SIZE_CONTRAST` of the larger).

Placement avoids both (tombstones cost heavily in its score, alike headlines less) and the report
counts any that remain (:mod:`epaper.report.faults`, as drawn).
"""

from __future__ import annotations

from collections.abc import Sequence

from epaper.formats import HEADLINE_SIZE_CONTRAST
from epaper.layout.geometry import Slot
from epaper.layout.module import ModuleDesign
from epaper.layout.plan import Placement

__all__ = ["alike_beside", "tombstone_pairs", "tombstones_beside"]


def _headline_rows(slot: Slot, design: ModuleDesign) -> range:
    return range(slot.top, slot.top + design.header.rows)


def _side_by_side(a: Slot, b: Slot) -> bool:
    return a.col + a.cols == b.col or b.col + b.cols == a.col


def _tombstoned(slot_a: Slot, design_a: ModuleDesign, slot_b: Slot, design_b: ModuleDesign) -> bool:
    if design_a.header.headline_size != design_b.header.headline_size:
        return False
    return _heads_level(slot_a, design_a, slot_b, design_b)


def _heads_level(slot_a: Slot, design_a: ModuleDesign, slot_b: Slot, design_b: ModuleDesign) -> bool:
    """Two modules side by side whose headlines share a row: a line reads across them."""
    if not _side_by_side(slot_a, slot_b):
        return False
    rows_a, rows_b = _headline_rows(slot_a, design_a), _headline_rows(slot_b, design_b)
    return rows_a.start < rows_b.stop and rows_b.start < rows_a.stop


def _alike(slot_a: Slot, design_a: ModuleDesign, slot_b: Slot, design_b: ModuleDesign) -> bool:
    small, large = sorted((design_a.header.headline_size, design_b.header.headline_size))
    if small == large or small < HEADLINE_SIZE_CONTRAST * large:
        return False
    return _heads_level(slot_a, design_a, slot_b, design_b)


def alike_beside(placed: Sequence[Placement], slot: Slot, design: ModuleDesign) -> int:
    """How many modules already on the page a module at ``slot`` would sit beside with a headline
    of a size too alike to its own (not one size: that is a tombstone)."""
    return sum(1 for p in placed if _alike(p.slot, p.design, slot, design))


def tombstones_beside(placed: Sequence[Placement], slot: Slot, design: ModuleDesign) -> int:
    """How many modules already on the page a module at ``slot`` would tombstone with."""
    return sum(1 for p in placed if _tombstoned(p.slot, p.design, slot, design))


def tombstone_pairs(placed: Sequence[Placement]) -> list[tuple[Placement, Placement]]:
    """Every tombstoned pair on a page."""
    return [(a, b) for i, a in enumerate(placed) for b in placed[i + 1:]
            if _tombstoned(a.slot, a.design, b.slot, b.design)]
