"""Widows and orphans as the page draws them: read from the frame's body text, not from layout's count.

Layout chooses each module's column breaks to avoid them and counts what it could not avoid; the
report must not take that count on trust (a composition that drew lines into other columns than
the breaks chosen would go unseen). Here each story's body lines are found in what the page draws:
the runs of one baseline in one column are a line, its paragraph and whether it opens one come
from the runs' sources (a paragraph's first line starts at character 0), and the lines are read
column by column. At every column break inside a module, a *widow* is a paragraph's last line
alone at the top of a column, an *orphan* its first line alone at the foot (the definitions of
:mod:`epaper.layout.columns`). The end of a part that jumps is no column break.
"""

from __future__ import annotations

from dataclasses import dataclass

from epaper.formats import PageFormat
from epaper.frame import Page, TextRun

__all__ = ["DrawnFaults", "drawn_faults"]


@dataclass(frozen=True)
class DrawnFaults:
    widows: int
    orphans: int


@dataclass(frozen=True)
class _Line:
    column: int
    baseline: float
    paragraph: int
    opens: bool  # the paragraph's first line


def drawn_faults(page: Page, fmt: PageFormat) -> DrawnFaults:
    """The widows and orphans of the page's stories, as drawn (see the module)."""
    pitch = fmt.span_width(2) - fmt.span_width(1) if fmt.columns > 1 else fmt.span_width(1)
    runs: dict[str, dict[tuple[int, float], list[TextRun]]] = {}
    for item in page.items:
        if isinstance(item, TextRun) and item.source.role == "body" and item.source.article_id is not None:
            # A line's runs share its baseline; the column is where its first run starts (an
            # indent is less than a column's pitch).
            column = int((item.x - page.editorial.x + 1.0) // pitch)
            runs.setdefault(item.source.article_id, {}).setdefault((column, round(item.baseline, 2)), []).append(item)
    jumping = {region.article_id for region in page.regions if region.continued_to}
    widows = orphans = 0
    for article_id, lines_of in runs.items():
        lines = sorted((_Line(column, baseline, min(r.source.paragraph for r in found),
                              min(r.source.start for r in found) == 0)
                        for (column, baseline), found in lines_of.items()),
                       key=lambda line: (line.column, line.baseline))

        def closes(index: int) -> bool:
            """Whether line ``index`` is its paragraph's last (the part's last, unless it jumps)."""
            if index + 1 < len(lines):
                following = lines[index + 1]
                return following.paragraph != lines[index].paragraph or following.opens
            return article_id not in jumping

        for index in range(len(lines) - 1):
            foot, top = lines[index], lines[index + 1]
            if foot.column == top.column:
                continue
            widows += int(closes(index + 1) and not top.opens)
            orphans += int(foot.opens and not closes(index))
    return DrawnFaults(widows, orphans)
