"""First-fit line breaking, as word processors and ReportLab's Paragraph do it.

Kept as a selectable fallback and as the baseline the benchmarks compare Knuth–Plass against. It
fills each line with as much as fits, then breaks at the last legal point; it never looks ahead, so
it cannot avoid a very loose line later on. Two flavours:

* ``shrink=True`` (the default, the fallback layout uses): a word still fits if the line's spaces
  can shrink enough to take it, as a desktop-publishing single-line composer does;
* ``shrink=False``: a word fits only at natural spacing, then the line is stretched to justify it;
  this is what ReportLab's ``Paragraph`` does (``breakLines`` compares natural widths).
"""

from __future__ import annotations

from collections.abc import Sequence

from epaper.typeset.items import (
    INFINITE_PENALTY,
    Box,
    BreakResult,
    Glue,
    Item,
    LineBreak,
    LineWidths,
    Penalty,
)

__all__ = ["break_lines"]


def _is_legal_break(items: Sequence[Item], i: int) -> bool:
    item = items[i]
    if isinstance(item, Penalty):
        return item.penalty < INFINITE_PENALTY
    return isinstance(item, Glue) and i > 0 and isinstance(items[i - 1], Box)


def _line_ratio(width: float, stretch: float, shrink: float, target: float) -> float:
    if width < target:
        return (target - width) / stretch if stretch > 0 else float("inf")
    if width > target:
        return (target - width) / shrink if shrink > 0 else float("-inf")
    return 0.0


def break_lines(items: Sequence[Item], line_width: LineWidths, *, looseness: int = 0,
                shrink: bool = True) -> BreakResult:
    """Break ``items`` first-fit. ``looseness`` is accepted for protocol compatibility and ignored.
    ``shrink=False`` fits words at natural spacing only (ReportLab's ``Paragraph``)."""
    use_shrink = 1.0 if shrink else 0.0
    breaks: list[LineBreak] = []
    start = 0
    n = len(items)
    overfull: list[int] = []
    while start < n:
        target = line_width(len(breaks))
        width = stretch = shrinkable = 0.0
        best: tuple[int, float, float, float] | None = None  # (break index, width, stretch, shrinkable)
        i = start
        forced = None
        while i < n:
            item = items[i]
            if _is_legal_break(items, i):
                extra = item.width if isinstance(item, Penalty) else 0.0
                if width + extra - use_shrink * shrinkable <= target or best is None:
                    best = (i, width + extra, stretch, shrinkable)
                    if isinstance(item, Penalty) and item.penalty <= -INFINITE_PENALTY:
                        forced = i
                        break
                if width - use_shrink * shrinkable > target:
                    break
            if isinstance(item, Box):
                width += item.width
            elif isinstance(item, Glue):
                width += item.width
                stretch += item.stretch
                shrinkable += item.shrink
            i += 1
        if best is None:  # no legal break at all: the rest is one line
            best = (n - 1, width, stretch, shrinkable)
        position, w, st, sh = best
        ratio = _line_ratio(w, st, sh, target)
        if ratio < -1:
            overfull.append(len(breaks))
        item = items[position]
        hyphenated = isinstance(item, Penalty) and item.flagged and item.width > 0
        if forced == position:
            ratio = max(ratio, 0.0) if st > 1e4 else ratio
        breaks.append(LineBreak(position=position, ratio=ratio, hyphenated=hyphenated))
        start = position + 1
        # Glue and non-forced penalties after a break are discarded, as in TeX.
        while start < n:
            following = items[start]
            if isinstance(following, Box) or (
                isinstance(following, Penalty) and following.penalty <= -INFINITE_PENALTY
            ):
                break
            start += 1
    demerits = sum((10 + 100 * abs(min(b.ratio, 10)) ** 3) ** 2 for b in breaks)
    # ``total_demerits`` here is only a rough figure; compare breakers with
    # :func:`epaper.typeset.knuth_plass.score_breaks`, which charges Knuth–Plass's own costs.
    return BreakResult(breaks=tuple(breaks), total_demerits=demerits, emergency=bool(overfull),
                       overfull_lines=tuple(overfull))
