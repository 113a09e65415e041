"""Body lines in every column of a page sit on one shared baseline grid."""

from __future__ import annotations

from collections import defaultdict

from epaper.frame import TextRun


def test_body_baselines_share_one_grid(sample_layout):
    fmt = sample_layout.format
    grid = fmt.baseline
    checked = 0
    for page in sample_layout.pages:
        body = [run for run in page.items if isinstance(run, TextRun) and run.source and run.source.role == "body"]
        if not body:
            continue
        phases = {round((run.baseline - page.editorial.y) % grid, 3) % round(grid, 3) for run in body}
        assert len(phases) == 1, f"page {page.number}: body baselines off the grid ({sorted(phases)})"
        # Count the columns checked (body text in several columns of most pages).
        by_x = defaultdict(set)
        for run in body:
            by_x[round(run.x - (run.x - page.editorial.x) % (fmt.column_width + fmt.gutter), 1)].add(run.baseline)
        checked += len(by_x)
    assert checked > 20
