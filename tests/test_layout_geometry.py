"""Invariants every laid-out page must satisfy, checked on the IR of the whole sample edition."""

from __future__ import annotations

import sys
from pathlib import Path

from epaper.frame import FillRect, ImageItem, Rule, TextRun
from epaper.layout.compose import BASELINE_DROP

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from layout_checks import body_words, read_words  # noqa: E402  (the checker the bench uses)

TOL = 0.05


def test_every_article_is_placed_or_listed(sample_edition, sample_layout):
    placed = {r.article_id for p in sample_layout.pages for r in p.regions}
    unplaced = {u.article_id for u in sample_layout.unplaced}
    assert placed | unplaced == {a.id for a in sample_edition.articles}
    assert not placed & unplaced
    assert all(u.reason for u in sample_layout.unplaced)


def test_modules_inside_the_page_and_editorial_area(sample_layout):
    for page in sample_layout.pages:
        for region in page.regions:
            for box in region.boxes:
                assert page.editorial.contains(box), (page.number, region.article_id, box, page.editorial)
                assert box.x >= 0 and box.right <= page.width and box.bottom <= page.height


def test_modules_do_not_overlap_each_other_or_ads(sample_layout):
    for page in sample_layout.pages:
        boxes = [(r.article_id, b) for r in page.regions for b in r.boxes]
        boxes += [("ad", item.box) for item in page.items if isinstance(item, FillRect)]
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1:]:
                assert not box_a.overlaps(box_b), (page.number, a, b)


def test_modules_sit_on_the_column_grid(sample_layout):
    fmt = sample_layout.format
    for page in sample_layout.pages:
        left = fmt.margin_left(page.number)
        starts = [fmt.column_x(left, c) for c in range(fmt.columns)]
        widths = [fmt.span_width(n) for n in range(1, fmt.columns + 1)]
        for region in page.regions:
            for box in region.boxes:
                assert any(abs(box.x - s) < TOL for s in starts)
                assert any(abs(box.w - w) < TOL for w in widths)
                rows = (box.y - page.editorial.y) / fmt.baseline
                assert abs(rows - round(rows)) < 1e-6, "module top off the baseline grid"


def test_body_lines_share_one_baseline_grid_per_page(sample_layout):
    fmt = sample_layout.format
    for page in sample_layout.pages:
        for item in page.items:
            if isinstance(item, TextRun) and item.source.role == "body":
                row = (item.baseline - page.editorial.y) / fmt.baseline - BASELINE_DROP
                assert abs(row - round(row)) < 1e-6, (page.number, item.text)


def test_text_stays_inside_its_module(sample_layout):
    for page in sample_layout.pages:
        modules = {r.article_id: r.boxes for r in page.regions}
        for item in page.items:
            if isinstance(item, TextRun) and item.source.article_id in modules:
                # The module's box, or the space below it a quotation from the story fills.
                assert any(box.x - TOL <= item.x and item.x + item.width <= box.right + 0.5
                           and box.y - TOL <= item.baseline <= box.bottom + TOL
                           for box in modules[item.source.article_id]), (page.number, item.text)


def test_body_text_is_conserved_in_order(sample_edition, sample_layout):
    """Every placed article's body, read back from the IR across all its parts, is the article's text."""
    runs_by_article: dict[str, list[TextRun]] = {}
    for page in sample_layout.pages:
        for item in page.items:
            if isinstance(item, TextRun) and item.source.role == "body":
                runs_by_article.setdefault(item.source.article_id, []).append(item)
    for article in sample_edition.articles:
        runs = runs_by_article.get(article.id)
        if not runs:
            continue
        assert read_words(runs) == body_words(article), article.id


def test_lines_never_overfull_and_rules_inside_page(sample_layout):
    for page in sample_layout.pages:
        assert page.quality.overfull_lines == 0
        assert page.quality.overset_lines == 0
        for item in page.items:
            if isinstance(item, Rule):
                assert 0 <= item.x1 <= page.width and 0 <= item.x2 <= page.width
            if isinstance(item, ImageItem):
                in_band_above = item.source.role == "teaser" and item.box.bottom <= page.editorial.y
                assert page.editorial.contains(item.box, tolerance=1.0) or item.source.role == "ad" or in_band_above
