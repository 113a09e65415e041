"""A hole no story fills takes a quotation from the story beside it: the story's own words, set as
large as the space takes between rules, inside the story's region; and only where it reads as a
hole (not spacing, not a void), one per story, never a quote the module already pulls."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pytest

from epaper.formats import load_format
from epaper.frame import Rule, TextRun
from epaper.layout import lay_out
from epaper.layout.fillers import QUOTE_MAX_ROWS, QUOTE_MIN_ROWS, QUOTE_NOTE, fill_with_quotes
from epaper.layout.geometry import Slot
from epaper.layout.module import ModuleDesign, design_module
from epaper.layout.plan import photo_box
from epaper.layout.pullquotes import pull_quote_text, quotations
from epaper.model import Article


@dataclass(frozen=True)
class _Placed:
    article: Article
    slot: Slot
    design: ModuleDesign
    photo_rows: int | None = None
    adjustments: tuple[str, ...] = field(default=())

    @cached_property
    def photo_box(self) -> Slot | None:
        return photo_box(self.slot, self.design, self.photo_rows)


def _quoting(edition):
    return next(a for a in edition.articles if a.language == "en" and pull_quote_text(a) is not None)


def test_a_hole_beside_a_story_takes_its_quotation(sample_edition):
    fmt = load_format(sample_edition.format)
    article = _quoting(sample_edition)
    design = design_module(article, 2, fmt)
    story = _Placed(article, Slot(0, 2, 10, 40), design)
    fills = {}
    for hole in (Slot(2, 1, 10, 12), Slot(2, 1, 10, 30)):
        placements, empty = [story], [hole, Slot(0, 2, 60, 5)]
        placements, empty, (fill,) = fill_with_quotes(placements, empty, fmt, "knuth-plass")
        assert fill.article is article and fill.slot == hole
        assert empty == (Slot(0, 2, 60, 5),)  # a space of a few rows reads as spacing: it stays
        assert placements[0].adjustments == (QUOTE_NOTE,)
        words = " ".join(s.text for line in fill.text.lines for s in line.segments).split()
        assert " ".join(words) == pull_quote_text(article)
        assert fill.text.height < (hole.height - 1) * fmt.baseline
        assert all(line.natural_width <= fmt.span_width(hole.cols) + 0.01 for line in fill.text.lines)
        fills[hole] = fill
    # The deeper space sets the quotation larger.
    small, large = (fills[h].text.lines[0].segments[0].size for h in sorted(fills, key=lambda h: h.height))
    assert large > small


def test_no_quotation_where_it_would_not_read_as_a_filler(sample_edition):
    fmt = load_format(sample_edition.format)
    article = _quoting(sample_edition)
    plain = design_module(article, 2, fmt)
    silent = next(a for a in sample_edition.articles if a.language == "en" and pull_quote_text(a) is None)
    cases = [
        ([_Placed(article, Slot(0, 2, 10, 40), plain)], Slot(2, 2, 10, QUOTE_MIN_ROWS - 1)),   # spacing
        ([_Placed(article, Slot(0, 2, 10, 80), plain)], Slot(2, 2, 10, QUOTE_MAX_ROWS + 1)),   # a void
        ([_Placed(silent, Slot(0, 2, 10, 40), design_module(silent, 2, fmt))], Slot(2, 2, 10, 20)),  # no quote
        ([_Placed(article, Slot(0, 2, 10, 40), plain)], Slot(3, 2, 10, 20)),   # not touching
    ]
    for placements, hole in cases:
        quoted = fill_with_quotes(placements, [hole], fmt, "knuth-plass")
        assert quoted.fills == () and quoted.empty == (hole,)
    # A story touching the space along less than half of its side: its quotation would read as
    # nobody's. Along half of it, the space is the story's.
    narrow = _Placed(article, Slot(0, 1, 10, 40), design_module(article, 1, fmt))
    assert fill_with_quotes([narrow], [Slot(0, 3, 50, 20)], fmt, "knuth-plass").fills == ()
    for rows, lends in ((19, False), (20, True)):  # beside the space's 40 rows
        beside = _Placed(article, Slot(0, 2, 10, rows), plain)
        assert bool(fill_with_quotes([beside], [Slot(2, 2, 0, 40)], fmt, "knuth-plass").fills) is lends
    (fill,) = fill_with_quotes([narrow], [Slot(0, 2, 50, 20)], fmt, "knuth-plass").fills
    assert fill.slot == Slot(0, 2, 50, 20)
    # Two stories each along a whole side: the one along the longer edge lends its quotation,
    # whichever was placed first.
    other = next(a for a in sample_edition.articles if a.language == "en" and a is not article and quotations(a))
    above = _Placed(other, Slot(4, 1, 0, 10), design_module(other, 1, fmt))
    beside = _Placed(article, Slot(3, 1, 10, 30), design_module(article, 1, fmt))
    (fill,) = fill_with_quotes([above, beside], [Slot(4, 1, 10, 30)], fmt, "knuth-plass").fills
    assert fill.article is article
    alone = fill_with_quotes([above], [Slot(4, 1, 10, 30)], fmt, "knuth-plass").fills
    assert alone and alone[0].article is other  # it would lend one: the edge's length chose
    # A module that pulls the story's first quotation lends its second; a story with one, none.
    twice = next(a for a in sample_edition.articles if a.language == "en" and len(quotations(a)) >= 2)
    once = next(a for a in sample_edition.articles if a.language == "en" and len(quotations(a)) == 1)
    empty = [Slot(2, 2, 10, 20)]
    (fill,) = fill_with_quotes([_Placed(twice, Slot(0, 2, 10, 40), design_module(twice, 2, fmt, pull_quote=True))],
                               empty, fmt, "knuth-plass").fills
    assert " ".join(s.text for line in fill.text.lines for s in line.segments).split() == quotations(twice)[1].split()
    quoted = fill_with_quotes([_Placed(once, Slot(0, 2, 10, 40), design_module(once, 2, fmt, pull_quote=True))],
                              empty, fmt, "knuth-plass")
    assert quoted.fills == () and quoted.empty == (Slot(2, 2, 10, 20),)
    # One quotation per story and page: a second hole beside the same story stays.
    story = [_Placed(article, Slot(2, 2, 10, 40), plain)]
    empty = [Slot(0, 2, 10, 20), Slot(4, 2, 10, 20)]
    quoted = fill_with_quotes(story, empty, fmt, "knuth-plass")
    assert len(quoted.fills) == 1 and len(quoted.empty) == 1


def test_composed_quotations_sit_in_their_story_region_between_rules(sample_layout):
    found = 0
    for page in sample_layout.pages:
        for region in page.regions:
            for box in region.boxes[1:]:  # a quotation's space (jumps put parts on other pages)
                found += 1
                runs = [i for i in page.items if isinstance(i, TextRun) and i.source.article_id == region.article_id
                        and box.y <= i.baseline <= box.bottom and box.x <= i.x < box.right]
                assert runs and all(r.source.role == "pull-quote" for r in runs)
                rules = [i for i in page.items if isinstance(i, Rule) and abs(i.x1 - box.x) < 0.5
                         and box.y - 1 <= i.y1 <= box.bottom + 12]
                assert len(rules) == 2 and rules[0].y1 < min(r.baseline for r in runs) < rules[1].y1
    assert found >= 1
    noted = [d for d in sample_layout.decisions if QUOTE_NOTE in d.adjustments]
    assert len(noted) == found


@pytest.mark.slow
def test_a_locked_page_keeps_its_quotation(sample_edition, sample_layout):
    page = next(d.page for d in sample_layout.decisions if QUOTE_NOTE in d.adjustments)
    again = lay_out(sample_edition, lock=sample_layout.plan, lock_pages=[page])
    before = next(p for p in sample_layout.pages if p.number == page)
    after = next(p for p in again.pages if p.number == page)
    assert after.items == before.items and after.regions == before.regions
