"""Widows, orphans, hyphenation and tombstones as the page draws them: read from the frame's text, not
from layout's count.

Layout chooses each module's column breaks to avoid them and counts what it could not avoid; the
report must not take that count on trust (a composition that drew lines into other columns than
the breaks chosen would go unseen). Here each story's body lines are found in what the page draws:
the runs of one baseline in one column are a line, its paragraph and whether it opens one come
from the runs' sources (a paragraph's first line starts at character 0), and the lines are read
column by column. At every column break inside a module, a *widow* is a paragraph's last line
alone at the top of a column, an *orphan* its first line alone at the foot (the definitions of
:mod:`epaper.layout.columns`). The end of a part that jumps is no column break.

The same lines, in reading order, give the hyphenation figures: a line is hyphenated when its last
run ends in a hyphen the typesetter added (:attr:`~epaper.frame.TextRun.breaks_word`), and three
hyphenated lines in a row make a *hyphen run* (a ladder; each further one in the same row counts
again only after a line without). *Tombstones* are read from the stories' headlines as drawn: two
headlines of one type size side by side (their boxes overlapping in height, one box ending a gutter
before the other begins), which read as one line across two stories. Layout avoids those (a breach)
by setting one a size or two apart, which an editor still reads across (an outside editor's audit:
"30 pt beside 27 pt" on most of the sample's pages, while the report said no tombstones): such
*alike headlines*, the smaller at least :data:`SIZE_CONTRAST` of the larger, are counted apart, for
the desk to see (not a breach: placement weighs them, less than tombstones).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from epaper.formats import HEADLINE_SIZE_CONTRAST as SIZE_CONTRAST
from epaper.formats import PageFormat
from epaper.frame import Page, TextRun

__all__ = ["DrawnFaults", "SIZE_CONTRAST", "drawn_faults", "drawn_tombstones"]


@dataclass(frozen=True)
class DrawnFaults:
    widows: int
    orphans: int
    hyphenated_lines: int = 0
    hyphen_runs: int = 0
    tombstones: tuple[str, ...] = ()  # each pair: "<story> beside <story> (both <size> pt)"
    alike_headlines: tuple[str, ...] = ()  # each pair: "<story> beside <story> (<size> and <size> pt)"


@dataclass(frozen=True)
class _Line:
    column: int
    baseline: float
    paragraph: int
    opens: bool  # the paragraph's first line
    hyphenated: bool  # its last run ends in a hyphen the typesetter added


def drawn_faults(page: Page, fmt: PageFormat) -> DrawnFaults:
    """The widows, orphans, hyphenated lines, hyphen runs and tombstones of the page's stories, as
    drawn (see the module)."""
    pitch = fmt.span_width(2) - fmt.span_width(1) if fmt.columns > 1 else fmt.span_width(1)
    runs: dict[str, dict[tuple[int, float], list[TextRun]]] = {}
    for item in page.items:
        if isinstance(item, TextRun) and item.source.role == "body" and item.source.article_id is not None:
            # A line's runs share its baseline; the column is where its first run starts (an
            # indent is less than a column's pitch).
            column = int((item.x - page.editorial.x + 1.0) // pitch)
            runs.setdefault(item.source.article_id, {}).setdefault((column, round(item.baseline, 2)), []).append(item)
    jumping = {region.article_id for region in page.regions if region.continued_to}
    widows = orphans = hyphenated = hyphen_runs = 0
    for article_id, lines_of in runs.items():
        lines = sorted((_Line(column, baseline, min(r.source.paragraph for r in found),
                              min(r.source.start for r in found) == 0, max(found, key=_right_edge).breaks_word)
                        for (column, baseline), found in lines_of.items()),
                       key=lambda line: (line.column, line.baseline))
        in_a_row = 0
        for line in lines:
            in_a_row = in_a_row + 1 if line.hyphenated else 0
            hyphenated += line.hyphenated
            hyphen_runs += in_a_row == 3

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
    level = _level_headlines(page, fmt)
    return DrawnFaults(widows, orphans, hyphenated, hyphen_runs, drawn_tombstones(page, fmt, level),
                       _alike_headlines(level))


def _right_edge(run: TextRun) -> float:
    return run.x + run.width


class _Level(NamedTuple):
    """Two stories' headlines side by side at one height, and their sizes."""

    left: str
    right: str
    left_size: float
    right_size: float


def _level_headlines(page: Page, fmt: PageFormat) -> list[_Level]:
    """Every pair of headlines drawn side by side at one height (see the module)."""
    sizes: dict[str, float] = {}
    for item in page.items_of(TextRun):
        if item.source.role in ("headline", "jump-head") and item.source.article_id:
            sizes[item.source.article_id] = max(sizes.get(item.source.article_id, 0.0), item.size)
    heads = [(region.article_id, region.headline_box) for region in page.regions
             if region.headline_box is not None and region.article_id in sizes]
    pairs = []
    for index, (a, box_a) in enumerate(heads):
        for b, box_b in heads[index + 1:]:
            if not (box_a.y < box_b.y + box_b.h and box_b.y < box_a.y + box_a.h):
                continue  # one above the other: no line reads across them
            (left, left_box), (right, right_box) = sorted(((a, box_a), (b, box_b)), key=lambda head: head[1].x)
            if abs(left_box.right + fmt.gutter - right_box.x) > 0.5:
                continue
            pairs.append(_Level(left, right, sizes[left], sizes[right]))
    return pairs


def drawn_tombstones(page: Page, fmt: PageFormat, level: list[_Level] | None = None) -> tuple[str, ...]:
    """Headlines of one size side by side, as drawn (see the module): each pair named with its size."""
    return tuple(f"{pair.left} beside {pair.right} (both {pair.left_size:g} pt)"
                 for pair in (level if level is not None else _level_headlines(page, fmt))
                 if abs(pair.left_size - pair.right_size) < 0.01)


def _alike_headlines(level: list[_Level]) -> tuple[str, ...]:
    """Headlines side by side of sizes too alike to tell the stories apart, not one size."""
    return tuple(f"{pair.left} beside {pair.right} ({pair.left_size:g} and {pair.right_size:g} pt)"
                 for pair in level if abs(pair.left_size - pair.right_size) >= 0.01
                 and min(pair.left_size, pair.right_size) >= SIZE_CONTRAST * max(pair.left_size, pair.right_size))
