"""Flowing set lines into a module's columns: balanced legs, no widows, no orphans.

A *widow* here is the last line of a paragraph alone at the top of a column; an *orphan* the first
line of a paragraph alone at the bottom of one. Both are avoided by moving a column break one line
up or down (legs may then differ by one line more), never by leaving holes in the text. The same
goes for a hyphen on the last line of a column; if no move removes it, the paragraph is re-broken
with Knuth–Plass told to avoid a hyphen on that line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from epaper.typeset import SetLine, TextBlock, rebreak

__all__ = ["Legs", "Rebreak", "balanced_legs", "body_rebreaker", "break_is_clean", "fill_legs"]

Rebreak = Callable[[int, int], "Sequence[SetLine] | None"]
"""``rebreak(line, looseness)``: the lines with the paragraph of ``line`` set again, or None if that
cannot be done. Looseness 0: ``line`` must not end in a hyphen (same number of lines); ±1: the
paragraph gets exactly one line more or fewer (to take back a widow or an orphan)."""


@dataclass(frozen=True)
class Legs:
    """How many body lines go in each column, and the typographic faults left at column breaks."""

    counts: tuple[int, ...]
    widows: int = 0
    orphans: int = 0
    hyphen_at_break: int = 0
    # Set only when a paragraph had to be re-broken (a hyphen at a column foot, a widow or orphan no
    # move of the breaks removes): the lines to draw instead of the ones given.
    lines: tuple[SetLine, ...] | None = None

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


def body_rebreaker(block: TextBlock, start: int = 0, end: int | None = None) -> Rebreak:
    """A :data:`Rebreak` for the lines ``block.lines[start:end]`` (a part of a set body)."""
    stop = len(block.lines) if end is None else end

    def rebreak_part(line: int, looseness: int) -> Sequence[SetLine] | None:
        # A paragraph that runs over a jump belongs to both parts: re-setting it would move words
        # across the jump, so it is left alone.
        paragraph = block.lines[start + line].paragraph
        if (start > 0 and block.lines[start - 1].paragraph == paragraph) or (
                stop < len(block.lines) and block.lines[stop].paragraph == paragraph):
            return None
        new = rebreak(block, start + line, looseness=looseness)
        return None if new is None else new.lines[start:stop + looseness]

    return rebreak_part


def break_is_clean(lines: Sequence[SetLine], end: int) -> bool:
    return _faults(lines, end, len(lines)) == (0, 0, 0)


def balanced_legs(lines: Sequence[SetLine], columns: int, offsets: Sequence[int] = (),
                  rebreak: Rebreak | None = None) -> Legs:
    """Spread ``lines`` over ``columns`` as evenly as possible, column ``i`` starting ``offsets[i]``
    rows down (the byline sits atop the first column). Depths (offset + lines) differ by at most one
    line before widow/orphan correction, by at most two after."""
    total = len(lines)
    offs = [offsets[i] if i < len(offsets) else 0 for i in range(columns)]
    depth = max(offs) if total == 0 else _min_depth(total, offs)
    legs = _clean(lines, _balanced_counts(total, offs, depth), offs, depth, rebreak)
    if rebreak is None or not (legs.widows or legs.orphans) or legs.lines is not None:
        return legs
    # No move of the breaks helps: set a paragraph at a faulty break one line shorter (or longer, if
    # the columns have room) so its lines fall differently, and spread the lines again.
    capacity = sum(depth - o for o in offs)
    best = legs
    ends = [sum(legs.counts[:i + 1]) for i in range(len(legs.counts) - 1)]
    # One line of each paragraph stands for it; the paragraphs nearest a faulty break are tried first.
    firsts = [i for i, line in enumerate(lines) if i == 0 or line.paragraph != lines[i - 1].paragraph]
    faulty = [e for e in ends if 0 < e < total and sum(_faults(lines, e, total)[:2])]
    tries = 0
    for line in sorted(firsts, key=lambda i: min(abs(i - e) for e in faulty)):
        for looseness in (-1, 1):
            if total + looseness > capacity or tries >= MAX_REBREAKS:
                continue
            tries += 1
            fixed = rebreak(line, looseness)
            if fixed is None:
                continue
            # No second re-break on top of a re-set paragraph: its hyphens stay as they are.
            trial = _clean(fixed, _balanced_counts(len(fixed), offs, depth), offs, depth, None)
            if trial.widows + trial.orphans + trial.hyphen_at_break < best.widows + best.orphans + best.hyphen_at_break:
                best = Legs(trial.counts, trial.widows, trial.orphans, trial.hyphen_at_break, trial.lines or tuple(fixed))
        if best.widows + best.orphans == 0:
            break
    return best



def _balanced_counts(total: int, offs: Sequence[int], depth: int) -> list[int]:
    counts = [max(0, depth - o) for o in offs]
    # Take one line away from each of the last columns until the count is exact: legs stay within
    # one line of each other and earlier legs stay deepest.
    excess = sum(counts) - total
    while excess > 0:
        for i in range(len(offs) - 1, -1, -1):
            if excess and counts[i]:
                counts[i] -= 1
                excess -= 1
    return counts


def _min_depth(total: int, offsets: Sequence[int]) -> int:
    depth = max(offsets)
    while sum(max(0, depth - o) for o in offsets) < total:
        depth += 1
    return depth


def fill_legs(lines: Sequence[SetLine], depth: int, offsets: Sequence[int], rebreak: Rebreak | None = None) -> Legs:
    """Fill columns to ``depth`` rows in order (a story that jumps has every column full)."""
    counts, left = [], len(lines)
    for off in offsets:
        take = min(depth - off, left)
        counts.append(take)
        left -= take
    return _clean(lines, counts, list(offsets), depth, rebreak)


_FAULT_COST = 1000  # a widow, an orphan or a hyphen at a column foot, against one line of shift
MAX_SHIFT = 2  # a column break moves at most this many lines from its balanced place
MAX_REBREAKS = 12  # paragraph re-settings tried for one module's widows and orphans


def _clean(lines: Sequence[SetLine], counts: list[int], offsets: Sequence[int], depth: int,
           rebreak: Rebreak | None = None) -> Legs:
    """Choose the column breaks with the fewest faults (widow, orphan, hyphenated last line of a
    column), each break within :data:`MAX_SHIFT` lines of its balanced place and every leg within
    ``depth`` rows; among equals, the least shifted. A hyphen at a column foot that no shift removes
    is re-broken away when ``rebreak`` can (the paragraph is set again avoiding that hyphen)."""
    total = len(lines)
    columns = len(counts)
    used = max((i + 1 for i, c in enumerate(counts) if c > 0), default=0)
    if used <= 1:
        return Legs(counts=tuple(counts))
    ideal = []
    end = 0
    for i in range(used - 1):
        end += counts[i]
        ideal.append(end)
    # best[e] = (cost, breaks so far) for the break after the current column at line e.
    best: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    for i in range(used - 1):
        nxt: dict[int, tuple[float, tuple[int, ...]]] = {}
        for prev, (cost, chosen) in best.items():
            for e in range(ideal[i] - MAX_SHIFT, ideal[i] + MAX_SHIFT + 1):
                count = e - prev
                if not (0 < e < total) or count < 1 or offsets[i] + count > depth:
                    continue
                fault = _faults(lines, e, total)
                c = cost + _FAULT_COST * sum(fault) + abs(e - ideal[i])
                if e not in nxt or c < nxt[e][0]:
                    nxt[e] = (c, chosen + (e,))
        best = nxt
    final = [(cost, chosen) for e, (cost, chosen) in best.items()
             if 1 <= total - e and offsets[used - 1] + total - e <= depth]
    if not final:  # no legal alternative: keep the balanced breaks
        chosen = tuple(ideal)
    else:
        chosen = min(final)[1]
    new_counts = list(counts)
    prev = 0
    for i, e in enumerate(chosen):
        new_counts[i] = e - prev
        prev = e
    new_counts[used - 1] = total - prev
    new_lines: tuple[SetLine, ...] | None = None
    widows = orphans = hyphens = 0
    current: Sequence[SetLine] = lines
    for e in chosen:
        widow, orphan, hyphen = _faults(current, e, total)
        if hyphen and rebreak is not None:
            fixed = rebreak(e - 1, 0)
            if fixed is not None and len(fixed) == total and not fixed[e - 1].hyphenated:
                candidate = tuple(fixed)
                # The re-set paragraph must not create a fault at any chosen break.
                if all(sum(_faults(candidate, b, total)) <= sum(_faults(current, b, total)) - (b == e)
                       for b in chosen):
                    current = new_lines = candidate
                    widow, orphan, hyphen = _faults(current, e, total)
        widows += widow
        orphans += orphan
        hyphens += hyphen
    return Legs(counts=tuple(new_counts), widows=widows, orphans=orphans, hyphen_at_break=hyphens, lines=new_lines)
