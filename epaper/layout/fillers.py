"""Holes nothing else fills: a quotation pulled out of the story beside it.

After packing (:mod:`.placement`) and growing (:mod:`.gaps`) a page can keep an empty space too
small for any story left and too big to pass for spacing. Newspapers fill such a hole with a
pull-out quote, and so does this: a quotation from a story whose module runs along at least half
of one of the space's sides (its own words, :mod:`.pullquotes`; its second if its module pulls the
first), set between rules as large as the space takes, up to twice the pull quote's size. The
space then belongs to that story: its region on the page gets the box. A story touching the space
only at a corner of a side would leave its quotation reading as nobody's; the space is left to a
refer box then (:mod:`.refers`), or stays a hole the build warns of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from epaper.formats import PageFormat
from epaper.layout.geometry import Slot, units
from epaper.layout.module import PULL_QUOTE_GAP
from epaper.layout.plan import Placement, QuoteFill
from epaper.layout.pullquotes import quotations
from epaper.model import Article
from epaper.typeset import set_plain

__all__ = ["QUOTE_NOTE", "Quoted", "fill_with_quotes", "quote_fill"]

QUOTE_MIN_ROWS = 5     # a shallower space reads as spacing and stays
QUOTE_MAX_ROWS = 40    # a deeper one would leave a quotation adrift in white
QUOTE_SCALES = (2.0, 1.75, 1.5, 1.3, 1.15, 1.0)  # type sizes tried, times the pull quote's, largest first
QUOTE_NOTE = "quotation pulled out into the space beside"
QUOTE_MIN_SIDE = 0.5   # of the space's side the story's module must run along


def quote_fill(article: Article, slot: Slot, fmt: PageFormat, breaker: str, *,
               second: bool = False) -> QuoteFill | None:
    """The article's quotation (``second``: its second one, the first being pulled in its module)
    set as large as ``slot`` takes; None if it has none, or if it does not fit even at the pull
    quote's own size."""
    said = quotations(article)[1 if second else 0:][:1]
    if not said:
        return None
    base = fmt.style("pull-quote")
    width = fmt.span_width(slot.cols)
    for scale in QUOTE_SCALES:
        style = replace(base, size=base.size * scale, leading=base.leading * scale)
        block = set_plain(said[0], style, width, article.language, breaker_name=breaker)
        if any(line.natural_width > width + 0.01 for line in block.lines):
            continue  # a word wider than the space at this size
        if units(block.height + 2 * PULL_QUOTE_GAP, fmt.baseline) + 1 <= slot.height:
            return QuoteFill(article, slot, block)
    return None


class Quoted(NamedTuple):
    """A page's modules (those that gave a quotation note it in their adjustments), the slots still
    empty, and the quotations set in the others."""

    placements: tuple[Placement, ...]
    empty: tuple[Slot, ...]
    fills: tuple[QuoteFill, ...]


def fill_with_quotes(placements: Sequence[Placement], empty: Sequence[Slot], fmt: PageFormat,
                     breaker: str) -> Quoted:
    """Fill the empty slots that qualify with quotations from the stories beside them. A story
    gives one quotation per page, never the one its module already pulls."""
    placements, empty = list(placements), list(empty)
    fills: list[QuoteFill] = []
    for gap in sorted(empty, key=lambda s: (-s.cols * s.height, s.top, s.col)):
        if not QUOTE_MIN_ROWS <= gap.height <= QUOTE_MAX_ROWS:
            continue
        used = {f.article.id for f in fills}
        # The story along the longest shared edge, of those along half a side or more.
        beside = sorted(((*_touching(p.slot, gap, fmt), index) for index, p in enumerate(placements)
                         if p.article.id not in used), key=lambda t: (-t[0], t[2]))
        for edge, side, index in beside:
            if edge <= 0:
                break
            if side < QUOTE_MIN_SIDE:
                continue
            placed = placements[index]
            fill = quote_fill(placed.article, gap, fmt, breaker, second=placed.design.pull_quote is not None)
            if fill is not None:
                fills.append(fill)
                empty.remove(gap)
                placements[index] = replace(placed, adjustments=placed.adjustments + (QUOTE_NOTE,))
                break
    return Quoted(tuple(placements), tuple(empty), tuple(fills))


def _touching(module: Slot, space: Slot, fmt: PageFormat) -> tuple[float, float]:
    """How long an edge (in points) ``module`` shares with ``space``, side by side or one above the
    other, and how much of that side of the space it is (0 to 1); (0, 0) if they do not touch."""
    if module.col + module.cols == space.col or space.col + space.cols == module.col:
        rows = max(0, min(module.bottom, space.bottom) - max(module.top, space.top))
        return rows * fmt.baseline, rows / space.height
    if module.bottom == space.top or space.bottom == module.top:
        cols = max(0, min(module.col + module.cols, space.col + space.cols) - max(module.col, space.col))
        return cols * (fmt.column_width + fmt.gutter), cols / space.cols
    return 0.0, 0.0
