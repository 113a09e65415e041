"""Closing a page's gaps: a story right above an empty space takes a deeper shape of its own, the
deepest clean one that fits, and nothing else moves; and a headline's descenders never run into
the photo or byline under it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pytest

from epaper.formats import load_format
from epaper.frame import ImageItem, TextRun
from epaper.layout.copyfit import Fit, FitCatalog
from epaper.layout.gaps import GROWN_NOTE, grow_into_gaps
from epaper.layout.geometry import Slot
from epaper.layout.module import FIRST_BASELINE, ModuleDesign, descender_overhang
from epaper.layout.plan import Legs, photo_box
from epaper.report.ink import run_ink
from epaper.typeset import set_plain
from epaper.typeset.ink import line_ink


@dataclass(frozen=True)
class _Placed:
    slot: Slot
    design: ModuleDesign
    photo_rows: int | None = None
    legs: Legs = Legs(())
    adjustments: tuple[str, ...] = field(default=())

    @property
    def faults(self) -> int:
        return self.legs.faults

    @cached_property
    def photo_box(self) -> Slot | None:
        return photo_box(self.slot, self.design, self.photo_rows)


def _photo_story(sample_edition):
    return next(a for a in sample_edition.articles if a.photos and a.language == "en" and a.priority >= 3)


def test_a_story_grows_into_the_space_below_it(sample_edition):
    fmt = load_format(sample_edition.format)
    article = _photo_story(sample_edition)
    fits = FitCatalog(fmt, "knuth-plass").fits(article, 3)
    shallow = min((f for f in fits if not f.faults), key=lambda f: f.rows)
    deeper = [f for f in fits if f.rows > shallow.rows and not f.faults
              and f.design.header.headline_size == shallow.design.header.headline_size]
    assert deeper, "a photo story has deeper crops"
    gap_rows = max(f.rows for f in deeper) - shallow.rows + 3  # room for the deepest, and 3 rows to spare
    placed = [_Placed(Slot(0, 3, 10, shallow.rows), shallow.design, shallow.photo_rows)]
    beside = _Placed(Slot(3, 3, 10, 30), shallow.design)  # its foot is not the gap's top
    placements = placed + [beside]
    empty = [Slot(0, 3, 10 + shallow.rows, gap_rows), Slot(3, 3, 50, 5)]
    placements, empty, filled = grow_into_gaps(placements, empty, lambda p: fits, fmt.columns * 130)
    grown = placements[0]
    assert grown.slot == Slot(0, 3, 10, max(f.rows for f in deeper))
    assert GROWN_NOTE in grown.adjustments and grown.faults == 0
    # It carries the column legs copyfit measured for the deeper shape (composition draws those).
    assert any(grown.legs is f.legs for f in deeper if f.rows == grown.slot.height)
    assert filled == (grown.slot.height - shallow.rows) * 3
    # What is left of the gap stays listed as empty; the other gap (nothing above it) is untouched.
    assert Slot(0, 3, grown.slot.bottom, 3) in empty and Slot(3, 3, 50, 5) in empty
    assert placements[1] is beside


def test_a_part_that_jumps_or_has_no_deeper_shape_stays(sample_edition):
    fmt = load_format(sample_edition.format)
    article = _photo_story(sample_edition)
    fit = FitCatalog(fmt, "knuth-plass").natural(article, 2)
    placements = [_Placed(Slot(0, 2, 0, fit.rows), fit.design, fit.photo_rows)]
    empty = [Slot(0, 2, fit.rows, 20)]
    assert grow_into_gaps(placements, empty, lambda p: None, fmt.columns * 130).filled == 0
    only_itself: list[Fit] = [fit]
    grown = grow_into_gaps(placements, empty, lambda p: only_itself, fmt.columns * 130)
    assert grown.filled == 0 and grown.empty == (Slot(0, 2, fit.rows, 20),)


def test_a_story_higher_in_the_stack_grows_and_the_one_under_it_moves_down(sample_edition):
    """The space is under a story with no deeper shape; the photo story above that one grows, and
    the story between moves down with its shape unchanged."""
    fmt = load_format(sample_edition.format)
    article = _photo_story(sample_edition)
    fits = FitCatalog(fmt, "knuth-plass").fits(article, 3)
    shallow = min((f for f in fits if not f.faults), key=lambda f: f.rows)
    deeper = max((f for f in fits if f.rows > shallow.rows and not f.faults
                  and f.design.header.headline_size == shallow.design.header.headline_size), key=lambda f: f.rows)
    growth = deeper.rows - shallow.rows
    top = _Placed(Slot(0, 3, 10, shallow.rows), shallow.design, shallow.photo_rows)
    middle = _Placed(Slot(0, 3, top.slot.bottom, 12), shallow.design)  # a part that cannot change height
    placements = [top, middle]
    gap = Slot(0, 3, middle.slot.bottom, growth + 2)
    empty = [gap]
    fits_of = {id(top): fits, id(middle): None}
    placements, empty, filled = grow_into_gaps(placements, empty, lambda p: fits_of.get(id(p), fits), fmt.columns * 130)
    assert filled == growth * 3
    assert placements[0].slot == Slot(0, 3, 10, deeper.rows) and GROWN_NOTE in placements[0].adjustments
    assert placements[1].slot == Slot(0, 3, 10 + deeper.rows, 12) and placements[1].design is middle.design
    assert empty == (Slot(0, 3, gap.bottom - 2, 2),)


def test_growing_never_makes_a_tombstone(sample_edition):
    """Moving a story down beside another headline of its size would tombstone them: it stays."""
    fmt = load_format(sample_edition.format)
    article = _photo_story(sample_edition)
    fits = FitCatalog(fmt, "knuth-plass").fits(article, 3)
    shallow = min((f for f in fits if not f.faults and f.design.photo is not None), key=lambda f: f.rows)
    head = shallow.design.header.rows
    # Growths shorter than a headline: whichever is taken, the story below moves into the rows of
    # the headline beside it.
    small = [shallow] + [f for f in fits if shallow.rows < f.rows < shallow.rows + head and not f.faults
                         and f.design.header.headline_size == shallow.design.header.headline_size]
    assert len(small) > 1
    top = _Placed(Slot(0, 3, 10, shallow.rows), shallow.design, shallow.photo_rows)
    under = _Placed(Slot(0, 3, top.slot.bottom, 12), shallow.design)
    beside = _Placed(Slot(3, 3, under.slot.top + head, 30), shallow.design)  # its headline just clears under's
    placements = [top, under, beside]
    fits_of = {id(under): None, id(beside): None}
    empty = [Slot(0, 3, under.slot.bottom, 40)]
    kept = grow_into_gaps(placements, empty, lambda p: fits_of.get(id(p), small), fmt.columns * 130)
    assert kept.filled == 0 and kept.placements == (top, under, beside) and kept.empty == tuple(empty)
    # Without the neighbour the same stack grows.
    assert grow_into_gaps([top, under], empty, lambda p: fits_of.get(id(p), small), fmt.columns * 130).filled > 0


def test_headline_descenders_clear_the_photo_below(sample_layout):
    """On the composed pages: no headline's descenders reach into a photo of its own story (a photo
    set right under a headline used to cover the tail of its y)."""
    checked = 0
    for page in sample_layout.pages:
        for region in page.regions:
            aid = region.article_id
            heads = [i for i in page.items if isinstance(i, TextRun) and i.source.article_id == aid
                     and i.source.role == "headline"]
            photos = [i for i in page.items if isinstance(i, ImageItem) and i.source.article_id == aid
                      and i.source.role == "photo"]
            if any(isinstance(i, TextRun) and i.source.article_id == aid and i.source.role == "deck"
                   for i in page.items):
                continue  # the deck, not the photo, follows the headline
            for photo in photos:
                above = [h for h in heads if h.x < photo.box.x + photo.box.w and photo.box.x < h.x + h.width
                         and h.baseline < photo.box.y]
                for head in above:
                    checked += 1
                    ink = run_ink(head, page.font(head.font)).bounds  # the glyphs' real extents, as drawn
                    assert ink is None or ink[3] <= photo.box.y + 0.01, aid
    assert checked > 10


def test_descender_overhang_is_what_tight_leading_leaves_below_a_block(sample_edition):
    fmt = load_format(sample_edition.format)
    tier = fmt.tiers[2]
    style = tier.style(tier.sizes[0])
    deep = set_plain("Typography: gauging dipping yields", style, fmt.span_width(3), "en")
    last = deep.lines[-1]
    descent = line_ink(last).below  # how deep the g, p and y of this very line reach
    assert descent > 0.2 * style.size
    assert descender_overhang(deep) == pytest.approx(FIRST_BASELINE * style.size + descent - last.leading)
    assert descender_overhang(deep) > 0  # a headline set tight hangs below its block
    assert descender_overhang(set_plain("", style, 100, "en")) == 0.0
