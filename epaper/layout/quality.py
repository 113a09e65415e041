"""Page quality: fill, typographic faults and every rule breach, measured on the laid-out page.

Placement is built to keep the rules; this is where a page is checked against them, for
``report.json`` and the proof report.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from epaper.frame import TOMBSTONE_BREACH, PageQuality, TextRun
from epaper.layout.compose import ComposedModule
from epaper.layout.copyfit import JumpRule, can_jump_after, jump_rule
from epaper.layout.geometry import PageGrid
from epaper.layout.photos import photo_breaches
from epaper.layout.plan import PagePlan, Placement
from epaper.layout.tombstones import tombstone_pairs

__all__ = ["page_quality"]


def page_quality(plan: PagePlan, modules: Sequence[ComposedModule]) -> PageQuality:
    """The page's figures and every rule breach, from its plan and its composed modules."""
    grid = plan.grid
    cells = plan.cells
    filled = cells - plan.empty_cells
    rule = jump_rule(grid.fmt)
    ratios = []
    hyphen_runs = hyphenated = overfull = overset = 0
    breaches: list[str] = []
    for placement, m in zip(plan.placements, modules):
        aid = placement.article.id
        missing = len(m.lines) - _lines_drawn(m, placement, grid)
        if missing > 0:
            overset += missing
            breaches.append(f"overset: {aid} ({missing} of {len(m.lines)} lines not on the page)")
        if m.legs.widows:
            breaches.append(f"widow: {aid} ({m.legs.widows})")
        if m.legs.orphans:
            breaches.append(f"orphan: {aid} ({m.legs.orphans})")
        run = 0
        for line in m.lines:
            if line.justified:
                ratios.append(round(line.ratio, 3))
            if line.ratio < -1.0001:
                overfull += 1
            if line.hyphenated:
                hyphenated += 1
                run += 1
                if run == 3:
                    hyphen_runs += 1
            else:
                run = 0
        breaches += _jump_breaches(placement, rule)
    tombstoned = tombstone_pairs(plan.placements)
    breaches += [f"{TOMBSTONE_BREACH}{a.article.id} beside {b.article.id} (both {a.design.header.headline_size:g} pt)"
                 for a, b in tombstoned]
    breaches += photo_breaches(plan.placements, cells)
    area = grid.fmt.span_width(grid.fmt.columns) * (grid.rows - 1) * grid.grid
    return PageQuality(
        editorial_area=area,
        filled_area=area * filled / cells if cells else 0.0,
        overset_lines=overset,
        widows=sum(m.legs.widows for m in modules),
        orphans=sum(m.legs.orphans for m in modules),
        tombstones=len(tombstoned),
        hyphen_runs=hyphen_runs,
        hyphenated_lines=hyphenated,
        overfull_lines=overfull,
        loosest_line=max(ratios, default=0.0),
        adjustment_ratios=tuple(ratios),
        breaches=tuple(breaches),
        notes=tuple(f"refer box in a space of {_size(box.slot.cols, box.slot.height)} nothing filled: "
                    f"{len(box.refers)} {'story' if len(box.refers) == 1 else 'stories'} on other pages"
                    for box in plan.refers),
    )


def _lines_drawn(module: ComposedModule, placement: Placement, grid: PageGrid) -> int:
    """Body lines of the part found in what was composed inside its module: distinct (column,
    baseline) pairs of its body text runs within the module's box. The part's set lines less these
    are its overset (lines set but never drawn, or drawn outside the module)."""
    box = grid.box(placement.slot)
    columns = [grid.x(placement.slot.col + c) for c in range(placement.slot.cols)]  # left to right
    drawn = set()
    for item in module.items:
        if (isinstance(item, TextRun) and item.source.role == "body" and box.y < item.baseline <= box.bottom
                and box.x - 0.01 <= item.x < box.right):
            # The rightmost column starting at or left of the run (a body has thousands of runs).
            column = bisect.bisect_right(columns, item.x + 0.01) - 1
            drawn.add((column, round(item.baseline, 2)))
    return len(drawn)


def _size(cols: int, rows: int) -> str:
    return f"{cols} column{'s' if cols != 1 else ''} × {rows} rows"


def _jump_breaches(placement: Placement, rule: JumpRule) -> list[str]:
    """The jump rules, checked on what was laid out (placement is built to keep them)."""
    aid = placement.article.id
    lines = placement.design.body.lines
    out = []
    if placement.continued_to_part:
        before = placement.line_end - placement.line_start
        if before < rule.before:
            out.append(f"jump: {aid} has {before} lines before its jump (rule: at least {rule.before})")
        if len(lines) - placement.line_end < rule.after:
            out.append(f"jump: {aid} has {len(lines) - placement.line_end} lines after its jump "
                       f"(rule: at least {rule.after})")
        last = lines[placement.line_end - 1]
        if not can_jump_after(last):
            out.append(f"jump: {aid} jumps after a {'paragraph end' if last.last_of_paragraph else 'hyphen'}")
    return out
