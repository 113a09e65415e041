"""Widows and orphans measured from the body lines a page draws (epaper.report.faults), not taken
from layout's count: on hand-made pages whose faults are known, and on the sample's pages."""

from __future__ import annotations

from epaper.formats import load_format
from epaper.frame import ArticleRegion, Box, Page, Source, TextRun
from epaper.report import report_document
from epaper.report.faults import DrawnFaults, drawn_faults
from epaper.report.ink import PageInk

FMT = load_format("broadsheet")
EDITORIAL = Box(FMT.margin_left(3), 100.0, FMT.span_width(FMT.columns), 1200.0)


def _page(columns: list[list[tuple[int, bool]]], *, jumps: bool = False) -> Page:
    """A page with one story whose body lines are ``columns``: per column, top to bottom, each
    line's (paragraph, whether it opens the paragraph), two words a line."""
    pitch = FMT.span_width(2) - FMT.span_width(1)
    items = []
    for c, lines in enumerate(columns):
        for row, (paragraph, opens) in enumerate(lines):
            x, baseline = EDITORIAL.x + c * pitch + (9.0 if opens else 0.0), 120.0 + 10.5 * row
            start = 0 if opens else 40 + row * 10
            items += [TextRun(x + w * 30.0, baseline, "serif", 9.0, word, 25.0,
                              Source("story", "body", paragraph, start + w * 5, start + w * 5 + 4))
                      for w, word in enumerate(("some", "words"))]
    region = ArticleRegion("story", "A story", (Box(EDITORIAL.x, 100.0, pitch * len(columns), 200.0),), None,
                           continued_to=7 if jumps else None)
    return Page(number=3, section="City", width=FMT.width, height=FMT.height, items=tuple(items),
                regions=(region,), editorial=EDITORIAL)


def _faults(page: Page) -> tuple[int, int]:
    found = drawn_faults(page, FMT)
    return found.widows, found.orphans


def test_a_paragraphs_last_line_alone_atop_a_column_is_a_widow():
    first = [(0, True), (0, False), (0, False)]
    assert _faults(_page([first, [(0, False), (1, True), (1, False)]])) == (1, 0)
    # Two of its lines atop the column: no widow.
    assert _faults(_page([first, [(0, False), (0, False), (1, True), (1, False)]])) == (0, 0)
    # A paragraph of one line atop the column is no widow.
    assert _faults(_page([[(0, True), (0, False)], [(1, True), (2, True), (2, False)]])) == (0, 0)


def test_a_paragraphs_first_line_alone_at_a_columns_foot_is_an_orphan():
    assert _faults(_page([[(0, True), (0, False), (1, True)], [(1, False), (1, False)]])) == (0, 1)
    assert _faults(_page([[(0, True), (0, False), (1, True), (1, False)], [(1, False), (1, False)]])) == (0, 0)


def test_the_end_of_a_part_that_jumps_is_no_column_break():
    """Its last line does not close the paragraph (the rest is on the jump page): no widow there,
    but an orphan where the paragraph's first line is alone at a column's foot all the same."""
    lines = [[(0, True), (0, False), (0, False)], [(0, False)]]
    assert _faults(_page(lines, jumps=True)) == (0, 0)
    assert _faults(_page(lines)) == (1, 0)  # the same lines ending the story: a widow


def test_the_samples_pages_draw_the_faults_layout_counted(sample_layout):
    for page in sample_layout.pages:
        assert _faults(page) == (page.quality.widows, page.quality.orphans), page.number


def test_report_json_takes_the_faults_from_what_is_drawn(sample_layout, monkeypatch):
    """The report's figure is the measure, not layout's own count."""
    import epaper.report

    monkeypatch.setattr(epaper.report, "drawn_faults", lambda page, fmt: DrawnFaults(page.number, 0))
    report = report_document(sample_layout, inks=[PageInk(0, 0, 0, ()) for _ in sample_layout.pages])
    assert [p["widows"] for p in report["pages"]] == [p.number for p in sample_layout.pages]
    assert report["totals"]["widows"] == sum(p.number for p in sample_layout.pages)
