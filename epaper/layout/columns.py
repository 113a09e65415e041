"""Flowing set lines into a module's columns: balanced legs, no widows, no orphans.

A *widow* here is the last line of a paragraph alone at the top of a column; an *orphan* the first
line of a paragraph alone at the bottom of one. Both are avoided by moving a column break one line
up or down (legs may then differ by one line more), never by leaving holes in the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from epaper.typeset import SetLine

__all__ = ["Legs", "balanced_legs", "break_is_clean", "fill_legs"]


@dataclass(frozen=True)
class Legs:
    """How many body lines go in each column, and the typographic faults left at column breaks."""

    counts: tuple[int, ...]
    widows: int = 0
    orphans: int = 0
    hyphen_at_break: int = 0

    @property
    def depth(self) -> int:
        return max(self.counts, default=0)


def _faults(lines: Sequence[SetLine], end: int, total: int) -> tuple[int, int, int]:
    """Faults of a column break placed after line ``end - 1`` (widow, orphan, hyphen at break)."""
    if end <= 0 or end >= total:
        return 0, 0, 0
    last, first = lines[end - 1], lines[end]
    widow = int(first.last_of_paragraph and not first.first_of_paragraph)
    orphan = int(last.first_of_paragraph and not last.last_of_paragraph)
    return widow, orphan, int(last.hyphenated)


def break_is_clean(lines: Sequence[SetLine], end: int) -> bool:
    return _faults(lines, end, len(lines)) == (0, 0, 0)


def balanced_legs(lines: Sequence[SetLine], columns: int, offsets: Sequence[int] = ()) -> Legs:
    """Spread ``lines`` over ``columns`` as evenly as possible, column ``i`` starting ``offsets[i]``
    rows down (the byline sits atop the first column). Depths (offset + lines) differ by at most one
    line before widow/orphan correction, by at most two after."""
    total = len(lines)
    offs = [offsets[i] if i < len(offsets) else 0 for i in range(columns)]
    depth = max(offs) if total == 0 else _min_depth(total, offs)
    counts = [max(0, depth - o) for o in offs]
    # Take one line away from each of the last columns until the count is exact: legs stay within
    # one line of each other and earlier legs stay deepest.
    excess = sum(counts) - total
    while excess > 0:
        for i in range(columns - 1, -1, -1):
            if excess and counts[i]:
                counts[i] -= 1
                excess -= 1
    return _clean(lines, counts, offs, depth)


def _min_depth(total: int, offsets: Sequence[int]) -> int:
    depth = max(offsets)
    while sum(max(0, depth - o) for o in offsets) < total:
        depth += 1
    return depth


def fill_legs(lines: Sequence[SetLine], depth: int, offsets: Sequence[int]) -> Legs:
    """Fill columns to ``depth`` rows in order (a story that jumps has every column full)."""
    counts, left = [], len(lines)
    for off in offsets:
        take = min(depth - off, left)
        counts.append(take)
        left -= take
    return _clean(lines, counts, list(offsets), depth)


def _clean(lines: Sequence[SetLine], counts: list[int], offsets: Sequence[int], depth: int) -> Legs:
    """Move column breaks that leave a widow or orphan, keeping every leg within ``depth`` rows."""
    total = len(lines)
    counts = list(counts)
    end = 0
    widows = orphans = hyphens = 0
    for i in range(len(counts) - 1):
        end += counts[i]
        if counts[i + 1] == 0:
            break
        fault = _faults(lines, end, total)
        if fault != (0, 0, 0):
            # Try moving the break up one line (next leg one deeper) or down one (if room).
            for shift in (-1, 1, -2):
                new_end = end + shift
                if not (0 < new_end < total):
                    continue
                if counts[i] + shift < 1 or counts[i + 1] - shift < 1:
                    continue
                if offsets[i] + counts[i] + shift > depth or offsets[i + 1] + counts[i + 1] - shift > depth:
                    continue
                if _faults(lines, new_end, total) == (0, 0, 0):
                    counts[i] += shift
                    counts[i + 1] -= shift
                    end = new_end
                    fault = (0, 0, 0)
                    break
        widows += fault[0]
        orphans += fault[1]
        hyphens += fault[2]
    return Legs(counts=tuple(counts), widows=widows, orphans=orphans, hyphen_at_break=hyphens)
