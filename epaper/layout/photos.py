"""Photos on a page: at most one dominant picture, and pictures spread out rather than clustered.

A page reads best with one picture that clearly leads and the others scattered, so that every part
of the page has something to look at; two big pictures compete, and pictures side by side (or one
just above another) read as one muddled picture. Placement weighs both in its score
(:func:`photo_clashes`), and the proof report lists a second dominant picture (:func:`photo_breaches`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from epaper.layout.geometry import Slot
from epaper.layout.plan import Placement

__all__ = ["PhotoClashes", "photo_breaches", "photo_clashes"]

DOMINANT_SHARE = 0.12  # a picture covering this share of the page's grid cells or more dominates the page
SPREAD_ROWS = 3        # pictures in the same or neighbouring columns want at least this many rows between them


def _dominant(box: Slot, page_cells: int) -> bool:
    return box.cols * box.height >= DOMINANT_SHARE * page_cells


def _crowded(a: Slot, b: Slot) -> bool:
    """Two pictures in the same or touching columns, closer than SPREAD_ROWS rows apart."""
    columns_meet = a.col <= b.col + b.cols and b.col <= a.col + a.cols
    rows_meet = a.top < b.bottom + SPREAD_ROWS and b.top < a.bottom + SPREAD_ROWS
    return columns_meet and rows_meet


@dataclass(frozen=True)
class PhotoClashes:
    """What one more picture would do to a page: pictures it crowds, and whether it is a second
    dominant one."""

    crowded: int = 0
    second_dominant: bool = False


def photo_clashes(placed: Sequence[Placement], box: Slot, page_cells: int) -> PhotoClashes:
    """The clashes a picture taking the cells ``box`` (see :func:`~epaper.layout.plan.photo_box`) would add to the
    modules already ``placed`` on the page."""
    others = [p.photo_box for p in placed if p.photo_box is not None]
    if not others:
        return PhotoClashes()
    crowded = sum(1 for other in others if _crowded(box, other))
    second = _dominant(box, page_cells) and any(_dominant(other, page_cells) for other in others)
    return PhotoClashes(crowded, second)


def photo_breaches(placed: Sequence[Placement], page_cells: int) -> list[str]:
    """The photo rule a page breaks, for the proof report: more than one dominant picture.
    (Crowding is a matter of degree, weighed by placement, not a breach.)"""
    dominant = [p for p in placed if p.photo_box is not None and _dominant(p.photo_box, page_cells)]
    if len(dominant) > 1:
        return ["photos: " + ", ".join(p.design.article.id for p in dominant) + " all dominate the page"]
    return []
