"""The largest empty space on a page, and how much of it is filled, measured from what its frame draws.

A page whose stories leave a hole (a zone's local page with too little copy for it, a fill that
did not fill) must be seen before it goes to press: layout's own count of the cells it left empty
cannot say what a reader sees, so this reads the drawn matter itself. The editorial area is cut
into squares of ``CELL`` points; a square is covered where a text line (its run's extent from
ascender to descender), a photo, a tint or an ad lies on it. Rules cover nothing: a column rule
beside a hole does not fill it. The largest rectangle of uncovered squares is the page's largest
blank. On full pages it is the white beside a short headline's last line (the sample's pages: at
most 3 % of the editorial area). The page's fill (``report.json``'s ``fill_ratio``) is the share of
covered squares, each text line counted across its columns (:func:`page_fill`).
"""

from __future__ import annotations

import numpy as np

from epaper.formats import PageFormat
from epaper.frame import BlankSpace, Box, FillRect, ImageItem, Page, TextRun

__all__ = ["CELL", "HOLE_LIMIT", "is_hole", "largest_blank", "page_blank", "page_fill"]

CELL = 12.0  # points: about a line of body type, so the space between lines and words is not blank

# A blank larger than this share of the editorial area is a hole a reader sees as missing copy (the
# build warns, the proof report outlines it): the sample's full pages leave at most 3 % (white beside
# a short headline); a zone's local page one story short, 29 %.
HOLE_LIMIT = 0.05

# A run's extent around its baseline, as shares of its size (Latin and Devanagari faces alike
# stay within these: the headline's ink is checked precisely elsewhere, report.ink).
_ASCENT, _DESCENT = 0.75, 0.25


def page_blank(page: Page) -> BlankSpace:
    """The page's largest blank: as measured when it was composed, or now (a page made in code)."""
    return page.quality.largest_blank or largest_blank(page)


def is_hole(blank: BlankSpace) -> bool:
    return blank.box is not None and blank.share > HOLE_LIMIT


def largest_blank(page: Page, fmt: PageFormat | None = None) -> BlankSpace:
    """The largest axis-aligned empty rectangle in the page's editorial area (see the module), and
    with ``fmt`` (its format) the page's fill too (:func:`page_fill`): measured together when the
    page is composed, from the same drawn matter."""
    area = page.editorial
    if area.w <= 0 or area.h <= 0:  # no area to leave blank
        return BlankSpace(0.0, None, 0.0 if fmt is not None else None)
    columns, rows = max(1, round(area.w / CELL)), max(1, round(area.h / CELL))
    lines, boxes = _extents(page)
    fill = None if fmt is None else _fill(page, fmt, lines, boxes, columns, rows)
    covered = _covered(area, np.concatenate((lines, boxes)), columns, rows)
    cells, (top, left, height, width) = _largest_empty_rectangle(covered)
    if not cells:
        return BlankSpace(0.0, None, fill)
    cell_w, cell_h = area.w / columns, area.h / rows
    return BlankSpace(cells / covered.size, Box(area.x + left * cell_w, area.y + top * cell_h,
                                               width * cell_w, height * cell_h), fill)


def page_fill(page: Page, fmt: PageFormat) -> float:
    """The share of the page's editorial area its matter fills: squares covered as for the largest
    blank, but a text line counts from the left edge of the column it starts in to the right edge
    of the one it ends in (``fmt``'s columns), so the white after a paragraph's last line is its
    story's, while a hole, or the white beside a short headline in columns it does not reach, is
    not. As measured when the page was composed, or now."""
    measured = page.quality.largest_blank
    if measured is not None and measured.fill is not None:
        return measured.fill
    area = page.editorial
    if area.w <= 0 or area.h <= 0:
        return 0.0
    lines, boxes = _extents(page)
    return _fill(page, fmt, lines, boxes, max(1, round(area.w / CELL)), max(1, round(area.h / CELL)))


def _fill(page: Page, fmt: PageFormat, lines: np.ndarray, boxes: np.ndarray, columns: int, rows: int) -> float:
    area = page.editorial
    pitch = fmt.column_width + fmt.gutter
    widened = lines.copy()
    if len(widened):
        # The column each line starts and ends in (a point in: an edge may sit a hair over its
        # column's, from rounding), and those columns' outer edges.
        first = np.clip(np.floor((widened[:, 0] + 1.0 - area.x) / pitch), 0, fmt.columns - 1)
        last = np.clip(np.floor((widened[:, 2] - 1.0 - area.x) / pitch), 0, fmt.columns - 1)
        widened[:, 0] = area.x + first * pitch
        widened[:, 2] = area.x + last * pitch + fmt.column_width
    return float(_covered(area, np.concatenate((widened, boxes)), columns, rows).mean())


def _extents(page: Page) -> tuple[np.ndarray, np.ndarray]:
    """The extents (left, top, right, bottom) of the page's text lines' runs, and of its photos,
    tints and ads: each an array of four columns."""
    lines, boxes = [], []
    for item in page.items:
        if isinstance(item, TextRun):
            lines.append((item.x, item.baseline - _ASCENT * item.size, item.x + item.width,
                          item.baseline + _DESCENT * item.size))
        elif isinstance(item, (ImageItem, FillRect)):
            box = item.box
            boxes.append((box.x, box.y, box.x + box.w, box.y + box.h))
    return np.asarray(lines, dtype=float).reshape(-1, 4), np.asarray(boxes, dtype=float).reshape(-1, 4)


def _covered(area: Box, extents: np.ndarray, columns: int, rows: int) -> np.ndarray:
    """Which squares of ``area`` the ``extents`` cover (rows × columns, booleans)."""
    if not len(extents):
        return np.zeros((rows, columns), dtype=bool)
    boxes = extents
    scale_x, scale_y = columns / area.w, rows / area.h
    left = np.clip(np.floor((boxes[:, 0] - area.x) * scale_x), 0, columns).astype(int)
    right = np.clip(np.ceil((boxes[:, 2] - area.x) * scale_x), 0, columns).astype(int)
    top = np.clip(np.floor((boxes[:, 1] - area.y) * scale_y), 0, rows).astype(int)
    bottom = np.clip(np.ceil((boxes[:, 3] - area.y) * scale_y), 0, rows).astype(int)
    # Each box marked by its four corners and summed up both ways (a 2-D prefix sum): thousands of
    # runs a page without a loop over their squares.
    marks = np.zeros((rows + 1, columns + 1), dtype=np.int32)
    np.add.at(marks, (top, left), 1)
    np.add.at(marks, (top, right), -1)
    np.add.at(marks, (bottom, left), -1)
    np.add.at(marks, (bottom, right), 1)
    return marks.cumsum(axis=0).cumsum(axis=1)[:rows, :columns] > 0


def _largest_empty_rectangle(covered: np.ndarray) -> tuple[int, tuple[int, int, int, int]]:
    """(cells, (top, left, height, width)) of the largest rectangle of uncovered squares: row by
    row, the largest rectangle under the histogram of empty squares above each column."""
    rows, columns = covered.shape
    heights = np.zeros(columns, dtype=int)
    best, where = 0, (0, 0, 0, 0)
    for row in range(rows):
        heights = np.where(covered[row], 0, heights + 1)
        stack: list[tuple[int, int]] = []  # (first column, height), heights rising
        for column, height in enumerate([*heights.tolist(), 0]):
            start = column
            while stack and stack[-1][1] >= height:
                start, tall = stack.pop()
                if tall * (column - start) > best:
                    best, where = tall * (column - start), (row - tall + 1, start, tall, column - start)
            stack.append((start, height))
    return best, where
