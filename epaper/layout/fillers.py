"""Holes nothing else fills: a quotation pulled out of the story above.

After packing (:mod:`.placement`) and growing (:mod:`.gaps`) a page can keep an empty space too
small for any story left and too big to pass for spacing. Newspapers fill such a hole with a
pull-out quote at the foot of the story, and so does this: a quotation from the story whose module
ends right above the space and spans its columns exactly (its own words, :mod:`.pullquotes`; its
second if its module pulls the first), set between rules as large as the space takes, up to twice
the pull quote's size, at the top of the space. The quotation joins the story: its region on the
page gets the box, and the story's closing hairline is not drawn over it (the quotation's rules
close the story, :func:`epaper.layout.compose.compose_module`). Only the rows the quotation takes
are filled; the rows below stay empty, for a refer box (:mod:`.refers`) or a hole the build warns of.

A quotation anywhere else reads as the wrong story's or nobody's (an outside editor's audit: one
set beside its story, under a weather brief, read as the weather office's; one centred in a space
half a page deep floated alone): a space beside a story, under a story of other columns, or under a
part that jumps on takes none.
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

__all__ = ["QUOTE_NOTE", "Quoted", "fill_with_quotes", "quotation_below", "quote_fill"]

QUOTE_MIN_ROWS = 5     # a shallower space reads as spacing and stays
QUOTE_SCALES = (2.0, 1.75, 1.5, 1.3, 1.15, 1.0)  # type sizes tried, times the pull quote's, largest first
QUOTE_NOTE = "quotation pulled out into the space below"
# Larger type is taken only while its lines hold this many words on average: a column's width at
# twice the size stacked the words one to a line ("because / the / passengers / asked for / it.").
QUOTE_MIN_WORDS_PER_LINE = 3


def quote_fill(article: Article, slot: Slot, fmt: PageFormat, breaker: str, *,
               second: bool = False) -> QuoteFill | None:
    """The article's quotation (``second``: its second one, the first being pulled in its module)
    set as large as ``slot`` takes, in the rows of it the quotation needs from its top; None if it
    has none, or if it does not fit even at the pull quote's own size."""
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
        if scale > 1 and len(said[0].split()) < QUOTE_MIN_WORDS_PER_LINE * len(block.lines):
            continue
        rows = units(block.height + 2 * PULL_QUOTE_GAP, fmt.baseline) + 1  # and its closing rule's row
        if rows <= slot.height:
            return QuoteFill(article, Slot(slot.col, slot.cols, slot.top, rows), block)
    return None


class Quoted(NamedTuple):
    """A page's modules (those that gave a quotation note it in their adjustments), the slots still
    empty, and the quotations set in the others."""

    placements: tuple[Placement, ...]
    empty: tuple[Slot, ...]
    fills: tuple[QuoteFill, ...]


def fill_with_quotes(placements: Sequence[Placement], empty: Sequence[Slot], fmt: PageFormat,
                     breaker: str) -> Quoted:
    """Fill the empty slots that qualify with quotations from the stories above them (the rows
    below a quotation stay empty). A story gives one quotation per page, never the one its module
    already pulls."""
    placements, empty = list(placements), list(empty)
    fills: list[QuoteFill] = []
    for gap in sorted(empty, key=lambda s: (-s.cols * s.height, s.top, s.col)):
        if gap.height < QUOTE_MIN_ROWS:
            continue
        index = next((i for i, p in enumerate(placements) if _foot_of(p, gap)), None)
        if index is None or placements[index].article.id in {f.article.id for f in fills}:
            continue
        placed = placements[index]
        fill = quote_fill(placed.article, gap, fmt, breaker, second=placed.design.pull_quote is not None)
        if fill is None:
            continue
        fills.append(fill)
        empty.remove(gap)
        if fill.slot.height < gap.height:
            empty.append(gap.below(fill.slot.height))
        placements[index] = replace(placed, adjustments=placed.adjustments + (QUOTE_NOTE,))
    return Quoted(tuple(placements), tuple(empty), tuple(fills))


def quotation_below(placed: Placement, fills: Sequence[QuoteFill]) -> bool:
    """Whether one of ``fills`` is the story's quotation at the foot of its module."""
    return any(fill.article.id == placed.article.id and _foot_of(placed, fill.slot) for fill in fills)


def _foot_of(placed: Placement, space: Slot) -> bool:
    """Whether ``space`` lies at the foot of the story's module: right below it, in exactly its
    columns, and the story ends there (a part that jumps on ends in its jump line)."""
    module = placed.slot
    return (module.bottom == space.top and module.col == space.col and module.cols == space.cols
            and not placed.continued_to_part)
