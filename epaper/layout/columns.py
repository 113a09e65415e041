"""Flowing set lines into a module's columns: balanced legs, no widows, no orphans.

A *widow* here is the last line of a paragraph alone at the top of a column; an *orphan* the first
line of a paragraph alone at the bottom of one. Both are avoided by choosing the column breaks,
never by leaving holes in the text:

1. where the columns have a line or two to spare, by moving a break (a leg may end one row short of
   the module's foot, never more: balanced legs differ by at most one line);
2. otherwise by setting one paragraph a line longer or shorter (Knuth–Plass looseness ±1, as TeX
   does), so that every following line falls one place later or earlier. The paragraph to re-set is
   chosen by predicting, from the lines' paragraph marks alone, where each choice puts the breaks;
   only the most promising are actually re-set (each re-setting is a costly search).

The module's depth may be given: a module one row deeper than its lines need (copyfit offers such a
shape when it is the only clean one) is filled by a paragraph set one line longer. A hyphen on the
last line of a column counts as a fault too; if no move removes it, the paragraph is re-broken with
Knuth–Plass told to avoid a hyphen on that line (:func:`settle_hyphens`). That re-break never moves
a break nor changes a widow or orphan (the paragraph keeps its lines), so copyfit, which measures
thousands of shapes, leaves it out (``settle=False``) and settles only the legs of placed modules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from epaper.layout.geometry import balanced_counts
from epaper.layout.plan import Legs
from epaper.typeset import LOOSENESS_MAX_LINES, SetLine, TextBlock, rebreak

__all__ = ["Rebreak", "balanced_legs", "body_rebreaker", "break_is_clean", "fill_legs", "fills", "settle_hyphens"]

Rebreak = Callable[[int, int], "Sequence[SetLine] | None"]
"""``rebreak(line, looseness)``: the lines with the paragraph of ``line`` set again, or None if that
cannot be done. Looseness 0: ``line`` must not end in a hyphen (same number of lines); ±1: the
paragraph gets exactly one line more or fewer (to take back a widow or an orphan)."""

_FAULT_COST = 1000  # a widow or an orphan, against one line of shift
_HYPHEN_COST = 900  # a hyphen at a column foot: a fault too, but one a re-break can still take away
# Setting a paragraph a line longer spreads the room its last line leaves over its other lines: the
# *strain*, (1 - last line's fill) / lines, foretells how loose they get (a line shorter: last line's
# fill / (lines - 1), taken up by shrinking). Strained paragraphs are not tried, easy ones first, and a
# re-set whose loosest line is looser than LOOSE_LIMIT (and than the paragraph's own) is refused.
MAX_STRAIN = {1: 0.08, -1: 0.02}
EASY_STRAIN = 0.04
LOOSE_LIMIT = 4.0  # adjustment ratio: spaces stretched to four times their stretchability
MAX_SHIFT = 2  # a column break moves at most this many lines from its balanced place
MAX_SHORT = 1  # a leg ends at most this many rows above the module's foot (balanced: legs differ by one)
MAX_REBREAKS = 12  # paragraph re-settings tried for one module's widows and orphans


def _faults(lines: Sequence[SetLine], end: int, total: int) -> tuple[int, int, int]:
    """Faults of a column break placed after line ``end - 1`` (widow, orphan, hyphen at break)."""
    if end <= 0 or end >= total:
        return 0, 0, 0
    last, first = lines[end - 1], lines[end]
    widow = int(first.last_of_paragraph and not first.first_of_paragraph)
    # A crosshead at a column's foot is parted from the text it heads, as an orphan line is.
    orphan = int((last.first_of_paragraph and not last.last_of_paragraph) or last.heading)
    return widow, orphan, int(last.hyphenated)


def body_rebreaker(block: TextBlock, start: int = 0, end: int | None = None, shortest: int = 0) -> Rebreak:
    """A :data:`Rebreak` for the lines ``block.lines[start:end]`` (a part of a set body), never
    leaving the part fewer than ``shortest`` lines (a jump's parts keep their column inches)."""
    stop = len(block.lines) if end is None else end

    def rebreak_part(line: int, looseness: int) -> Sequence[SetLine] | None:
        if stop - start + looseness < shortest:
            return None
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


def fills(total: int, offsets: Sequence[int], depth: int) -> bool:
    """Whether ``total`` lines fill columns ``depth`` rows deep in balanced legs: no more than they
    hold, and every column that has room ends at most one row short of the foot (no hole)."""
    capacity = sum(max(0, depth - o) for o in offsets)
    active = sum(1 for o in offsets if depth > o)
    return total <= capacity and capacity - total < max(active, 1)


def balanced_legs(lines: Sequence[SetLine], columns: int, offsets: Sequence[int] = (),
                  rebreak: Rebreak | None = None, depth: int | None = None, *, settle: bool = True) -> Legs:
    """Spread ``lines`` over ``columns`` as evenly as possible, column ``i`` starting ``offsets[i]``
    rows down (the byline sits atop the first column). Every leg ends at the module's foot or one
    row above it (legs differ by at most one line), also after widow/orphan correction.

    ``depth`` (rows below the header) is the module's, by default the least that holds the lines.
    When the lines do not fill it (:func:`fills`), a paragraph is set a line longer or shorter so
    they do; if none can be, the lines are spread as they are (callers check with :func:`fills`).
    ``settle``: hyphens left at column feet are re-broken away (:func:`settle_hyphens`)."""
    total = len(lines)
    offs = [offsets[i] if i < len(offsets) else 0 for i in range(columns)]
    if depth is None:
        depth = max(offs) if total == 0 else _min_depth(total, offs)

    def counts_for(n: int) -> list[int] | None:
        return balanced_counts(n, offs, depth) if fills(n, offs, depth) else None

    legs = _search(lines, offs, depth, rebreak, counts_for, last_free=False)
    if legs is None:
        return Legs(counts=tuple(balanced_counts(total, offs, depth)))
    return settle_hyphens(lines, legs, rebreak) if settle else legs


def _min_depth(total: int, offsets: Sequence[int]) -> int:
    depth = max(offsets)
    while sum(max(0, depth - o) for o in offsets) < total:
        depth += 1
    return depth


def fill_legs(lines: Sequence[SetLine], depth: int, offsets: Sequence[int], rebreak: Rebreak | None = None,
              reserved: int = 0, *, settle: bool = True) -> Legs:
    """Fill columns to ``depth`` rows in order (a story that jumps has every column full); the last
    column keeps ``reserved`` rows free at its foot (the "Continued on page N" line). A column break
    may still move (every column but the last ends at most one row short) and a paragraph may be
    set a line longer or shorter, within the room, to avoid a widow or an orphan."""
    offs = list(offsets)
    capacity = sum(max(0, depth - o) for o in offs) - reserved

    def counts_for(n: int) -> list[int] | None:
        if n > max(capacity, len(lines)):
            return None
        counts, left = [], n
        for off in offs:
            take = min(max(0, depth - off), left)
            counts.append(take)
            left -= take
        return counts

    legs = _search(lines, offs, depth, rebreak, counts_for, last_free=True, reserved=reserved)
    assert legs is not None  # the lines as given always have their counts
    return settle_hyphens(lines, legs, rebreak) if settle else legs


@dataclass(frozen=True)
class _Mark:
    """A stand-in for a line of a re-set paragraph: only its place in the paragraph is known."""

    paragraph: int
    first_of_paragraph: bool
    last_of_paragraph: bool
    hyphenated: bool = False
    heading: bool = False  # a line of a crosshead


class _Reset(Sequence):
    """``lines`` as they would be with the paragraph at ``first`` (``count`` lines) set ``looseness``
    lines longer: the lines after it move, the ones inside it are :class:`_Mark`. Cheap to build,
    so every paragraph can be tried before any is actually re-set."""

    def __init__(self, lines: Sequence[SetLine], first: int, count: int, looseness: int):
        self.lines, self.first, self.looseness = lines, first, looseness
        self.stop = first + count + looseness
        self.paragraph = lines[first].paragraph
        self.heading = lines[first].heading  # a crosshead set again is a crosshead still

    def __len__(self) -> int:
        return len(self.lines) + self.looseness

    def __getitem__(self, i):  # type: ignore[override]
        if i < self.first:
            return self.lines[i]
        if i >= self.stop:
            return self.lines[i - self.looseness]
        return _Mark(self.paragraph, i == self.first, i == self.stop - 1, heading=self.heading)


def _paragraphs(lines: Sequence[SetLine]) -> list[tuple[int, int]]:
    """(first line, line count) of each paragraph in ``lines``."""
    out: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if i and line.paragraph == lines[i - 1].paragraph:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((i, 1))
    return out


def _loosest(lines: Sequence[SetLine]) -> float:
    return max((line.ratio for line in lines if line.justified), default=0.0)


def _key(legs: Legs) -> tuple[int, int]:
    return legs.widows + legs.orphans, legs.hyphen_at_break


def _search(lines: Sequence[SetLine], offs: Sequence[int], depth: int, rebreak: Rebreak | None,
            counts_for: Callable[[int], list[int] | None], last_free: bool, reserved: int = 0) -> Legs | None:
    """The legs with the fewest faults: the lines as set (breaks moved if that helps), else one
    paragraph set a line longer or shorter. ``counts_for(n)`` gives the starting counts for ``n``
    lines, or None if ``n`` lines do not fit the shape. None if no candidate fits. Hyphens at
    column feet are not re-broken here (see :func:`settle_hyphens`)."""
    total = len(lines)
    best: Legs | None = None
    counts = counts_for(total)
    if counts is not None:
        best = _clean(lines, counts, offs, depth, last_free, reserved)
        if rebreak is None or not (best.widows or best.orphans):
            return best
    if rebreak is None:
        return None
    # Predict each re-setting from the paragraph marks, then re-set the most promising for real:
    # fewest faults, then a line longer before a line shorter (which Knuth–Plass seldom finds in a
    # narrow column), then the paragraphs whose last line is fullest (a line longer costs them the
    # least extra word space), then the shortest (the cheapest to re-set).
    # Starting counts for a paragraph set a line longer (1) or shorter (-1), where the shape fits them.
    shapes = {looseness: found for looseness in (1, -1) if (found := counts_for(total + looseness)) is not None}
    candidates = []
    for first, count in _paragraphs(lines):
        if count > LOOSENESS_MAX_LINES:
            continue
        last = lines[first + count - 1]
        full = min(1.0, last.natural_width / last.width) if last.width else 1.0
        for looseness in (1, -1):
            if looseness not in shapes or count + looseness < 1:
                continue
            strain = (1 - full) / count if looseness > 0 else full / (count - 1)
            if strain <= MAX_STRAIN[looseness]:
                candidates.append((looseness < 0, strain > EASY_STRAIN, count, strain, first, looseness))
    candidates.sort()
    guesses: dict[tuple, tuple[int, int]] = {}
    tries = 0

    def attempt(first: int, count: int, looseness: int) -> bool:
        """Re-set the paragraph at ``first`` (``count`` lines) for real; True once the legs are clean."""
        nonlocal best, tries
        tries += 1
        fixed = rebreak(first, looseness)
        if fixed is None or len(fixed) != total + looseness or _loosest(fixed[first:first + count + looseness]) > max(
                LOOSE_LIMIT, _loosest(lines[first:first + count])):
            return False
        # No second re-break on top of a re-set paragraph: its hyphens stay as they are.
        trial = _clean(fixed, shapes[looseness], offs, depth, last_free, reserved)
        if best is None or _key(trial) < _key(best):
            best = Legs(trial.counts, trial.widows, trial.orphans, trial.hyphen_at_break, tuple(fixed))
        return not (best.widows or best.orphans)

    # A perfect prediction (no fault, no hyphen at a foot) is tried at once, in the order above; the
    # rest wait, so a module that comes clean early skips the remaining predictions.
    later = []
    for candidate in candidates:
        _, _, count, _, first, looseness = candidate
        new_counts = shapes[looseness]
        # Paragraphs clear of every break's reach (the breaks' balanced places ± the shift) give the
        # same breaks as any other between the same two breaks: one prediction serves them all.
        reach = _break_reach(new_counts)
        stop = first + count + looseness
        if any(lo <= stop + 1 and hi >= first - 1 for lo, hi in reach):
            group: tuple = (looseness, first)
        else:
            group = (looseness, sum(1 for lo, _ in reach if lo > stop))
        if group not in guesses:
            guesses[group] = _key(_clean(_Reset(lines, first, count, looseness), new_counts, offs, depth,
                                         last_free, reserved))
        if guesses[group] == (0, 0):
            if tries >= MAX_REBREAKS or attempt(first, count, looseness):
                return best
        else:
            later.append((guesses[group], candidate))
    later.sort()
    for (faults, _), (_, _, count, _, first, looseness) in later:
        if (best is not None and faults >= best.widows + best.orphans) or tries >= MAX_REBREAKS:
            break
        if attempt(first, count, looseness):
            break
    return best


def _break_reach(counts: Sequence[int]) -> list[tuple[int, int]]:
    """The lines each column break may fall between (its balanced place ± :data:`MAX_SHIFT`, and the
    lines either side of it that decide its faults)."""
    reach, end = [], 0
    for count in counts[:-1]:
        end += count
        reach.append((end - MAX_SHIFT - 1, end + MAX_SHIFT))
    return reach


def _clean(lines: Sequence[SetLine], counts: list[int], offsets: Sequence[int], depth: int,
           last_free: bool = False, reserved: int = 0) -> Legs:
    """Choose the column breaks with the fewest faults (widow, orphan, hyphenated last line of a
    column), each break within :data:`MAX_SHIFT` lines of its balanced place and every leg ending
    within ``depth`` rows and at most :data:`MAX_SHORT` rows above it (``last_free``: except the last
    leg, which ends where the lines do, at least ``reserved`` rows above the foot); among equals, the
    least shifted. A hyphen at a column foot that no shift removes stays (and is counted):
    :func:`settle_hyphens` re-breaks it away."""
    total = len(lines)
    used = max((i + 1 for i, c in enumerate(counts) if c > 0), default=0)
    if used <= 1:
        return Legs(counts=tuple(counts))
    ideal = []
    end = 0
    for i in range(used - 1):
        end += counts[i]
        ideal.append(end)
    floor = depth - MAX_SHORT

    def legal(i: int, count: int) -> bool:
        bottom = offsets[i] + count
        if last_free and i == used - 1:
            return count >= 1 and bottom <= depth - reserved
        return count >= 1 and floor <= bottom <= depth

    # The usual case first: the balanced breaks are clean and the legs legal, so no search is needed
    # (the search would choose them: any other break costs its shift).
    if all(_faults(lines, e, total) == (0, 0, 0) for e in ideal) and all(legal(i, counts[i]) for i in range(used)):
        return Legs(counts=tuple(counts))

    # best[e] = (cost, breaks so far) for the break after the current column at line e.
    best: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    for i in range(used - 1):
        # Each place this break may take, with what a break there costs (faults, then the shift).
        places = []
        for e in range(max(1, ideal[i] - MAX_SHIFT), min(total - 1, ideal[i] + MAX_SHIFT) + 1):
            widow, orphan, hyphen = _faults(lines, e, total)
            places.append((e, _FAULT_COST * (widow + orphan) + _HYPHEN_COST * hyphen + abs(e - ideal[i])))
        lowest, highest = floor - offsets[i], depth - offsets[i]  # legal(i, count), unrolled: the hot loop
        nxt: dict[int, tuple[float, tuple[int, ...]]] = {}
        for prev, (cost, chosen) in best.items():
            for e, price in places:
                count = e - prev
                if count < 1 or not lowest <= count <= highest:
                    continue
                c = cost + price
                if e not in nxt or c < nxt[e][0]:
                    nxt[e] = (c, chosen + (e,))
        best = nxt
    final = [(cost, chosen) for e, (cost, chosen) in best.items() if legal(used - 1, total - e)]
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
    return _breaks(lines, tuple(new_counts), chosen, None)


def settle_hyphens(lines: Sequence[SetLine], legs: Legs, rebreak: Rebreak | None) -> Legs:
    """``legs`` with each hyphen left at a column foot re-broken away where ``rebreak`` can set its
    paragraph again without it in as many lines and with no new fault at any break: the counts,
    widows and orphans stay as chosen, only ``lines`` is new. Legs whose lines were already set
    again (a paragraph a line longer or shorter) keep their hyphens: no second re-break on top."""
    if rebreak is None or not legs.hyphen_at_break or legs.lines is not None:
        return legs
    used = max((i + 1 for i, c in enumerate(legs.counts) if c > 0), default=0)
    ends = tuple(accumulate(legs.counts[:used - 1]))  # the breaks _clean chose
    return _breaks(lines, legs.counts, ends, rebreak)


def _breaks(lines: Sequence[SetLine], counts: tuple[int, ...], chosen: Sequence[int], rebreak: Rebreak | None) -> Legs:
    """The legs of ``counts`` (breaks after lines ``chosen``) with their faults; with ``rebreak``,
    each hyphen at a break re-broken away where that adds no fault at any break."""
    total = len(lines)
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
    return Legs(counts=counts, widows=widows, orphans=orphans, hyphen_at_break=hyphens, lines=new_lines)
