"""Page geometry: the editorial area, the column grid and the baseline grid of one page.

Layout works in *grid units* vertically (one unit = one body line, ``PageFormat.baseline``) and in
columns horizontally, so every module, photo and headline block occupies whole grid multiples and the
body lines of all columns on a page share one set of baselines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from epaper.formats import MM, PageFormat
from epaper.frame import Box
from epaper.model import AdSlot

__all__ = ["PageGrid", "Slot", "balanced_counts", "units"]

SECTION_HEAD_UNITS = 4


def units(height: float, grid: float) -> int:
    """Whole grid units needed for ``height`` points (a hair of tolerance for rounding)."""
    return max(0, math.ceil(height / grid - 1e-6))


@dataclass(frozen=True)
class Slot:
    """A rectangle of the grid: columns ``col`` .. ``col + cols - 1``, rows ``top`` .. ``top + height - 1``."""

    col: int
    cols: int
    top: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def below(self, rows: int) -> "Slot":
        return Slot(self.col, self.cols, self.top + rows, self.height - rows)

    def overlaps(self, other: "Slot") -> bool:
        """Whether the two rectangles share a grid cell."""
        return (self.col < other.col + other.cols and other.col < self.col + self.cols
                and self.top < other.bottom and other.top < self.bottom)


@dataclass(frozen=True)
class PageGrid:
    """Where the grid of one page lies: ``origin_y`` is the top of grid row 0."""

    fmt: PageFormat
    number: int
    left: float
    origin_y: float
    rows: int

    @classmethod
    def for_page(cls, fmt: PageFormat, number: int, top_reserved: float) -> "PageGrid":
        left = fmt.margin_left(number)
        origin = fmt.margin_top + fmt.folio_height + top_reserved
        bottom = fmt.height - fmt.margin_bottom
        # One extra row: every slot ends with a row of spacing, and the bottom slot's spacing may
        # fall in the bottom margin.
        rows = int((bottom - origin) // fmt.baseline) + 1
        return cls(fmt=fmt, number=number, left=left, origin_y=origin, rows=rows)

    @property
    def grid(self) -> float:
        return self.fmt.baseline

    def x(self, col: int) -> float:
        return self.fmt.column_x(self.left, col)

    def y(self, row: int) -> float:
        return self.origin_y + row * self.grid

    def box(self, slot: Slot, *, trim_bottom_gap: bool = True) -> Box:
        """The slot in points; the last grid row of a module is its spacing and is not part of its box."""
        height = slot.height - (1 if trim_bottom_gap else 0)
        return Box(self.x(slot.col), self.y(slot.top), self.fmt.span_width(slot.cols), height * self.grid)

    @property
    def editorial(self) -> Box:
        return Box(self.left, self.origin_y, self.fmt.span_width(self.fmt.columns), (self.rows - 1) * self.grid)

    def ad_slot(self, ad: AdSlot) -> Slot:
        """The grid rectangle an ad occupies (plus one row of spacing on its editorial side)."""
        cols = min(ad.columns, self.fmt.columns)
        height = min(self.rows, units(ad.height_mm * MM, self.grid) + 1)
        col = self.fmt.columns - cols if ad.position.endswith("right") else 0
        if ad.position in ("top", "bottom"):
            col = 0
            cols = self.fmt.columns if ad.columns >= self.fmt.columns else cols
        top = 0 if ad.position.startswith("top") else self.rows - height
        return Slot(col, cols, top, height)


def balanced_counts(total: int, offsets: Sequence[int], depth: int) -> list[int]:
    """Lines in each column of a module ``depth`` rows deep whose columns start ``offsets`` rows
    down, ``total`` lines in all, as balanced legs set them: every column full to the foot, less a
    line from each of the last columns until the count is exact (legs stay within one line of each
    other and earlier legs stay deepest)."""
    counts = [max(0, depth - o) for o in offsets]
    excess = sum(counts) - total
    while excess > 0:
        for i in range(len(offsets) - 1, -1, -1):
            if excess and counts[i]:
                counts[i] -= 1
                excess -= 1
    return counts
