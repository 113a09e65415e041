"""A hole no story fills takes a quotation from the story above it: the story's own words, set as
large as the space takes between rules at the top of the space, inside the story's region, with no
hairline between story and quotation; only at the foot of a story that ends there, in exactly its
columns, where it reads as a hole (not spacing), one per story, never a quote the module already
pulls. Anywhere else a quotation reads as another story's or nobody's (an outside editor's audit)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pytest

from epaper.formats import load_format
from epaper.frame import Rule, TextRun
from epaper.ingest import load_edition
from epaper.layout import lay_out
from epaper.layout.fillers import QUOTE_MIN_ROWS, QUOTE_MIN_WORDS_PER_LINE, QUOTE_NOTE, fill_with_quotes
from epaper.layout.geometry import Slot
from epaper.layout.module import ModuleDesign, design_module
from epaper.layout.plan import photo_box
from epaper.layout.pullquotes import pull_quote_text, quotations
from epaper.model import Article

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from edition_generator import generate_edition  # noqa: E402


@dataclass(frozen=True)
class _Placed:
    article: Article
    slot: Slot
    design: ModuleDesign
    photo_rows: int | None = None
    adjustments: tuple[str, ...] = field(default=())
    continued_to_part: bool = False

    @cached_property
    def photo_box(self) -> Slot | None:
        return photo_box(self.slot, self.design, self.photo_rows)


def _quoting(edition):
    return next(a for a in edition.articles if a.language == "en" and pull_quote_text(a) is not None)


def _words(fill) -> list[str]:
    return " ".join(s.text for line in fill.text.lines for s in line.segments).split()


def test_a_hole_below_a_story_takes_its_quotation_in_the_rows_it_needs(sample_edition):
    fmt = load_format(sample_edition.format)
    article = _quoting(sample_edition)
    story = _Placed(article, Slot(0, 2, 10, 40), design_module(article, 2, fmt))
    fills = {}
    for hole in (Slot(0, 2, 50, 8), Slot(0, 2, 50, 30), Slot(0, 2, 50, 80)):
        spacing = Slot(2, 2, 60, QUOTE_MIN_ROWS - 1)  # a space of a few rows reads as spacing: it stays
        placements, empty, (fill,) = fill_with_quotes([story], [hole, spacing], fmt, "knuth-plass")
        assert fill.article is article and placements[0].adjustments == (QUOTE_NOTE,)
        assert " ".join(_words(fill)) == pull_quote_text(article)
        # At the top of the space, as deep as the quotation needs; the rows below stay empty (a
        # refer box, or a hole the build warns of: never a quotation adrift in white).
        assert (fill.slot.col, fill.slot.cols, fill.slot.top) == (hole.col, hole.cols, hole.top)
        assert fill.text.height < (fill.slot.height - 1) * fmt.baseline
        assert fill.slot.height - 1 <= fill.text.height / fmt.baseline + 3
        rest = {hole.below(fill.slot.height)} if fill.slot.height < hole.height else set()
        assert set(empty) == {spacing} | rest
        assert all(line.natural_width <= fmt.span_width(hole.cols) + 0.01 for line in fill.text.lines)
        fills[hole.height] = fill
    # The deeper space sets the quotation larger, up to twice the pull quote's size.
    sizes = [fills[h].text.lines[0].segments[0].size for h in sorted(fills)]
    assert sizes[0] < sizes[1] == sizes[2] <= 2 * fmt.style("pull-quote").size
    # In a single column, larger type only while a line holds a few words, not one word a line.
    story = _Placed(article, Slot(0, 1, 10, 40), design_module(article, 1, fmt))
    (fill,) = fill_with_quotes([story], [Slot(0, 1, 50, 40)], fmt, "knuth-plass").fills
    assert len(_words(fill)) >= QUOTE_MIN_WORDS_PER_LINE * len(fill.text.lines) or \
        fill.text.lines[0].segments[0].size == fmt.style("pull-quote").size


def test_no_quotation_where_it_would_read_as_another_story_s(sample_edition):
    fmt = load_format(sample_edition.format)
    article = _quoting(sample_edition)
    plain = design_module(article, 2, fmt)
    silent = next(a for a in sample_edition.articles if a.language == "en" and pull_quote_text(a) is None)
    cases = [
        ([_Placed(article, Slot(0, 2, 10, 40), plain)], Slot(0, 2, 50, QUOTE_MIN_ROWS - 1)),   # spacing
        ([_Placed(silent, Slot(0, 2, 10, 40), design_module(silent, 2, fmt))], Slot(0, 2, 50, 20)),  # no quote
        ([_Placed(article, Slot(0, 2, 10, 40), plain)], Slot(2, 2, 10, 20)),   # beside it (under another story)
        ([_Placed(article, Slot(0, 2, 10, 40), plain)], Slot(0, 2, 51, 20)),   # not touching
        ([_Placed(article, Slot(0, 2, 10, 40), plain)], Slot(0, 3, 50, 20)),   # wider than the story
        ([_Placed(article, Slot(0, 2, 10, 40), plain)], Slot(1, 1, 50, 20)),   # under part of it
        ([_Placed(article, Slot(0, 2, 10, 40), plain, continued_to_part=True)], Slot(0, 2, 50, 20)),  # it jumps on
    ]
    for placements, hole in cases:
        quoted = fill_with_quotes(placements, [hole], fmt, "knuth-plass")
        assert quoted.fills == () and quoted.empty == (hole,), hole
    # A module that pulls the story's first quotation lends its second; a story with one, none.
    twice = next(a for a in sample_edition.articles if a.language == "en" and len(quotations(a)) >= 2)
    once = next(a for a in sample_edition.articles if a.language == "en" and len(quotations(a)) == 1)
    empty = [Slot(0, 2, 50, 20)]
    (fill,) = fill_with_quotes([_Placed(twice, Slot(0, 2, 10, 40), design_module(twice, 2, fmt, pull_quote=True))],
                               empty, fmt, "knuth-plass").fills
    assert _words(fill) == quotations(twice)[1].split()
    quoted = fill_with_quotes([_Placed(once, Slot(0, 2, 10, 40), design_module(once, 2, fmt, pull_quote=True))],
                              empty, fmt, "knuth-plass")
    assert quoted.fills == () and quoted.empty == (Slot(0, 2, 50, 20),)


@pytest.fixture(scope="module")
def quoting_layout(tmp_path_factory):
    """A generated edition (4 pages, short of copy) whose pages have quotations in three holes."""
    folder = tmp_path_factory.mktemp("quoting") / "edition"
    generate_edition(folder, 5, 16, 4)
    edition = load_edition(folder)
    laid_out = lay_out(edition)
    assert len([d for d in laid_out.decisions if QUOTE_NOTE in d.adjustments]) >= 2
    return edition, laid_out


def test_composed_quotations_close_their_story(quoting_layout):
    _, laid_out = quoting_layout
    found = 0
    for page in laid_out.pages:
        for region in page.regions:
            module = region.boxes[0]
            for box in region.boxes[1:]:  # a quotation's space (jumps put parts on other pages)
                found += 1
                assert (box.x, box.w) == pytest.approx((module.x, module.w)) and 0 <= box.y - module.bottom <= 12
                runs = [i for i in page.items if isinstance(i, TextRun) and i.source.article_id == region.article_id
                        and box.y <= i.baseline <= box.bottom and box.x <= i.x < box.right]
                assert runs and all(r.source.role == "pull-quote" for r in runs)
                rules = sorted((i for i in page.items if isinstance(i, Rule) and abs(i.x1 - box.x) < 0.5
                                and module.bottom - 12 <= i.y1 <= box.bottom + 7), key=lambda r: r.y1)
                # Its strong rule under the story's text and its hairline: no hairline between them.
                assert len(rules) == 2, rules
                assert rules[0].width > 1 and rules[0].y1 < min(r.baseline for r in runs) < rules[1].y1
                story_text = [i.baseline for i in page.items if isinstance(i, TextRun)
                              and i.source.article_id == region.article_id and module.y <= i.baseline <= module.bottom]
                assert max(story_text) < rules[0].y1
    noted = [d for d in laid_out.decisions if QUOTE_NOTE in d.adjustments]
    assert found == len(noted) >= 2


@pytest.mark.slow
def test_a_locked_page_keeps_its_quotation(quoting_layout):
    edition, laid_out = quoting_layout
    page = next(d.page for d in laid_out.decisions if QUOTE_NOTE in d.adjustments)
    again = lay_out(edition, lock=laid_out.plan, lock_pages=[page])
    before = next(p for p in laid_out.pages if p.number == page)
    after = next(p for p in again.pages if p.number == page)
    assert after.items == before.items and after.regions == before.regions
