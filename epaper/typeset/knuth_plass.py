"""Total-fit line breaking: Knuth & Plass, "Breaking paragraphs into lines" (1981); TeX §813–890.

Every legal break of a paragraph is considered at once and the set of breaks with the least total
*demerits* wins, so one tight spot early on can be paid for by slightly looser lines elsewhere
instead of one terrible line (what first-fit does).

Input convention (what :func:`epaper.typeset.paragraph.build_items` produces)
---------------------------------------------------------------------------
A paragraph ends with ``Penalty(0, INFINITE_PENALTY), Glue(0, big, 0), Penalty(0, -INFINITE_PENALTY)``:
the *finishing glue* has so much stretch (anything ≥ :data:`FIL_STRETCH`, or ``math.inf``, counts as
infinite, TeX's ``fil``) that it absorbs all the slack of the last line, which is therefore set at
natural width: its reported ratio is exactly 0 and it costs no badness. Glue with infinite stretch
anywhere in a line sets that line's finite glue at natural width. The last item must be a forced
break (penalty ≤ -INFINITE_PENALTY); the last reported break is always that item.

Legal breaks: a Penalty below INFINITE_PENALTY, or a Glue directly after a Box. After a break, the
glue and non-forced penalties that follow are discarded (they start no line). A break that would
leave an empty line before a forced break (e.g. at the finishing glue) is not legal.

Cost of a line ending at a break with penalty p and flag f, set at adjustment ratio r (TeX's rules):
``(line_penalty + 100|r|³)² + p²`` for p ≥ 0, ``… - p²`` for a finite p < 0, no p term for a forced
break; plus ``flagged_demerits`` if this and the previous line both end at flagged (hyphen) breaks,
plus ``fitness_demerits`` if this line's fitness class (tight r<-0.5 / decent ≤0.5 / loose ≤1 /
very loose) differs by more than one from the previous line's.

Hard rules (never broken unless the paragraph has no other way out, then reported):
* r < -1 is never allowed: no line is wider than its measure even fully shrunk.
* at most ``max_consecutive_hyphens`` lines in a row end in a hyphen;
* with ``final_hyphen_forbidden`` the line before a forced break (the last line of the paragraph, or
  before an explicit line break) does not end in a hyphen, so a last line never starts with a tail.

Passes: (optional) ``pretolerance`` without hyphenation → ``tolerance`` → emergency (looser
tolerance, plus background stretch that makes even loose lines look acceptable, like TeX's
``\\emergencystretch``) → rescue. The rescue pass always succeeds: any underfull line is allowed (it
is reported in ``underfull_lines``); an overfull line is allowed only for a segment with no legal
break inside (an overlong word): those lines are listed in ``overfull_lines`` and the caller must
split the offending box (:func:`overlong_boxes` finds them beforehand). ``emergency`` is True for
results from the emergency or rescue pass.

Speed: the item list is reduced once to prefix sums over its legal breaks
(:class:`PreparedParagraph`, itself a ``Sequence[Item]``: build it once per paragraph and pass it
for every width layout tries; that saves about a third of the time). The inner loop works on flat
tuples, drops nodes whose lines can only get wider, stops scanning the active list at the first
too-loose line (with uniform widths looseness only grows along it) and bisects over breaks that no
node can reach. Measured with ``.venv/bin/python bench/bench_knuth_plass.py`` (CPU time, 9 pt body,
sample edition, prepared): about 65,000 lines/s for Latin at 136 pt, 45,000 at 280 pt; Devanagari
(shorter words, ~14 spaces a line, so more feasible breaks) about 28,000 at 136 pt.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple, overload

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

__all__ = [
    "DEFAULT_PARAMS",
    "FIL_STRETCH",
    "KnuthPlassBreaker",
    "KnuthPlassParams",
    "PreparedParagraph",
    "break_into",
    "break_lines",
    "overlong_boxes",
    "score_breaks",
    "ScoredBreaks",
]

FIL_STRETCH = 10_000.0
"""Glue stretch at or above this is infinite (TeX ``fil``): no real space stretches 10,000 points."""

_EPS = 1e-9  # prefix-sum subtraction leaves rounding noise; a line exactly full must not be "overfull"
_BADNESS_CAP = 1e6  # rescue pass: arbitrarily loose lines all cost about the same, and stay finite
_RULE_COST = 1e16  # rescue pass: breaking a hyphen rule outweighs any amount of looseness
_OVERFULL_COST = 1e20  # rescue pass: an overfull line outweighs everything else


@dataclass(frozen=True)
class KnuthPlassParams:
    """Tuning. Defaults are set for narrow newspaper columns (about 136 pt at 9 pt type, ~5 spaces a
    line, word spaces that stretch by 0.6 and shrink by 0.3 of their width). TeX's book-page default
    (tolerance 200, r ≈ 1.26) finds no feasible breaks for over 90% of such paragraphs; measured on
    the sample edition at 136 pt, tolerance 2 sends 91% of paragraphs to the emergency pass, 5 sends
    31% (150 pt: 20%, 180 pt: 5%, 280 pt: under 1%)."""

    # Largest adjustment ratio a line may have (badness 100·r³). A larger tolerance never makes the
    # chosen breaks worse by the demerits measure (demerits grow as r⁶, so loose lines stay rare);
    # it only widens the search. 5 (spaces up to ~4× natural, about 1 em at 9 pt) is also the fastest
    # setting measured at newspaper widths: fewer paragraphs need a second pass. Shrinking is always
    # limited to r ≥ -1.
    tolerance: float = 5.0
    # If set, first try without hyphenation at this tolerance (TeX \pretolerance); None skips the pass,
    # since in narrow columns a hyphen usually buys much more even spacing than it costs.
    pretolerance: float | None = None
    line_penalty: float = 10.0  # per line: prefers fewer lines
    flagged_demerits: float = 3000.0  # two hyphenated lines in a row
    fitness_demerits: float = 3000.0  # a tight line next to a loose one
    max_consecutive_hyphens: int | None = 2  # a third in a row is forbidden; None = no limit
    final_hyphen_forbidden: bool = True  # no hyphen on the line before a forced (paragraph) break
    final_hyphen_demerits: float = 5000.0  # used instead when final_hyphen_forbidden is False
    emergency_tolerance: float = 10.0
    # Background stretch of the emergency pass, as a fraction of the line width (0.15 × 136 pt ≈ 2 em
    # at 9 pt, close to the common TeX \emergencystretch=3em for wider measures).
    emergency_stretch: float = 0.15

    def __post_init__(self) -> None:
        if self.tolerance < 0 or self.emergency_tolerance < 0:
            raise ValueError("tolerance must be ≥ 0")
        if self.max_consecutive_hyphens is not None and self.max_consecutive_hyphens < 1:
            raise ValueError("max_consecutive_hyphens must be ≥ 1 or None")


DEFAULT_PARAMS = KnuthPlassParams()


class _Sums(NamedTuple):
    """Prefix sums over ``items[0:i]``: the natural width, stretch and shrink of any line are
    differences of two entries."""

    width: list[float]  # boxes and glue
    stretch: list[float]  # finite glue stretch
    fil: list[int]  # glue with infinite stretch, counted
    shrink: list[float]  # glue and box shrink (letters shrink in proportion with the spaces)
    micro: list[float]  # box stretch: what the letters can add (used before the spaces' in full)


def _prefix_sums(items: Sequence[Item]) -> _Sums:
    n = len(items)
    pw = [0.0] * (n + 1)
    py = [0.0] * (n + 1)
    pf = [0] * (n + 1)
    pz = [0.0] * (n + 1)
    pm = [0.0] * (n + 1)
    w = y = z = m = 0.0
    f = 0
    for i, item in enumerate(items):
        # ``type(item) is`` (not isinstance) for speed; mypy narrows on it when spelled out inline.
        if type(item) is Box:
            w += item.width
            m += item.stretch
            z += item.shrink
        elif type(item) is Glue:
            w += item.width
            if item.stretch >= FIL_STRETCH:
                f += 1
            else:
                y += item.stretch
            z += item.shrink
        elif type(item) is not Penalty:
            raise TypeError(f"item {i} is {type(item).__name__}, not Box, Glue or Penalty")
        pw[i + 1] = w
        py[i + 1] = y
        pf[i + 1] = f
        pz[i + 1] = z
        pm[i + 1] = m
    return _Sums(pw, py, pf, pz, pm)


class PreparedParagraph(Sequence[Item]):
    """An item list plus its legal breaks and prefix sums, computed once.

    It is a ``Sequence[Item]``, so it can be passed to any :class:`~epaper.typeset.items.LineBreaker`;
    Knuth–Plass skips its own preparation when given one (layout tries many widths per paragraph).
    """

    __slots__ = ("items", "pos", "width", "width0", "stretch", "shrink", "fil", "micro", "pterm", "penalty",
                 "flagged", "after", "has_flagged", "next_barrier")

    def __init__(self, items: Sequence[Item]) -> None:
        self.items: tuple[Item, ...] = tuple(items)
        items = self.items
        n = len(items)
        if n:
            last = items[-1]
            if not (type(last) is Penalty and last.penalty <= -INFINITE_PENALTY):
                raise ValueError("a paragraph must end with a forced break, Penalty(0, -INFINITE_PENALTY) "
                                 "(after Penalty(0, INFINITE_PENALTY), Glue(0, FIL, 0) to set the last line)")
        pw, py, pf, pz, pm = _prefix_sums(items)

        forced_limit = -INFINITE_PENALTY
        pos: list[int] = []
        width: list[float] = []
        width0: list[float] = []
        stretch: list[float] = []
        shrink: list[float] = []
        fil: list[int] = []
        micro: list[float] = []
        pterm: list[float] = []
        penalty: list[float] = []
        flagged: list[bool] = []
        after: list[tuple[float, float, float, int, float]] = []
        for i, item in enumerate(items):
            if type(item) is Penalty:
                p = item.penalty
                if p >= INFINITE_PENALTY:
                    continue
                extra = item.width
                forced = p <= forced_limit
                is_flagged = item.flagged
            elif type(item) is Glue and i > 0 and type(items[i - 1]) is Box:
                p = 0.0
                extra = 0.0
                forced = False
                is_flagged = False
            else:
                continue
            # The next line starts at the first box (or forced break) after the break; what lies
            # between is discarded.
            s = i + 1 if type(item) is Penalty else i
            while s < n:
                nxt = items[s]
                if type(nxt) is Box or (type(nxt) is Penalty and nxt.penalty <= forced_limit and s > i):
                    break
                s += 1
            if not forced and (s >= n or type(items[s]) is Penalty):
                continue  # it would leave an empty line before a forced break
            pos.append(i)
            width.append(pw[i] + extra)
            width0.append(pw[i])
            stretch.append(py[i])
            shrink.append(pz[i])
            fil.append(pf[i])
            micro.append(pm[i])
            penalty.append(p)
            pterm.append(0.0 if forced else (p * p if p > 0 else -p * p))
            flagged.append(is_flagged)
            after.append((pw[s], py[s], pz[s], pf[s], pm[s]))
        self.pos = pos
        self.width = width
        self.width0 = width0
        self.stretch = stretch
        self.shrink = shrink
        self.fil = fil
        self.micro = micro
        self.pterm = pterm
        self.penalty = penalty
        self.flagged = flagged
        self.after = after
        self.has_flagged = any(flagged)
        # next_barrier[j]: the first break ≥ j that a pass must not skip over: a forced break, or one
        # where infinite stretch begins (lines ending there are feasible however short).
        count = len(pos)
        next_barrier = [count] * (count + 1)
        for j in range(count - 1, -1, -1):
            barrier = penalty[j] <= forced_limit or (j > 0 and fil[j] > fil[j - 1]) or (j == 0 and fil[0] > 0)
            next_barrier[j] = j if barrier else next_barrier[j + 1]
        self.next_barrier = next_barrier

    def restricted(self, positions: Sequence[int]) -> PreparedParagraph:
        """The same paragraph with only the breaks at ``positions`` (item indices) legal: what
        :func:`score_breaks` judges another breaker's breaks on."""
        index = {p: j for j, p in enumerate(self.pos)}
        missing = [p for p in positions if p not in index]
        if missing:
            raise ValueError(f"items {missing} are not legal breaks of this paragraph")
        keep = [index[p] for p in positions]
        out = object.__new__(PreparedParagraph)
        out.items = self.items
        for name in ("pos", "width", "width0", "stretch", "shrink", "fil", "micro", "pterm", "penalty", "flagged",
                     "after"):
            values = getattr(self, name)
            setattr(out, name, [values[j] for j in keep])
        out.has_flagged = any(out.flagged)
        out.next_barrier = list(range(len(keep) + 1))  # every break is kept: none may be skipped
        return out

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> Item: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Item]: ...
    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self.items[index]

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)


def overlong_boxes(items: Sequence[Item], width: float) -> tuple[int, ...]:
    """Indices of boxes wider than ``width``: no breaker can set them without an overfull line.

    The paragraph builder should split such a box (an overlong word, a URL) into fragments with
    Penalty breaks between them (a high penalty, not flagged if no hyphen is drawn) and break again.
    """
    return tuple(i for i, item in enumerate(items) if type(item) is Box and item.width > width + _EPS)


# An active node is a flat tuple; the inner loop unpacks it in one go:
#   (after_width, after_stretch, after_shrink, after_fil, line, fitness, hyphen_run, total, rest,
#    after_micro)
#   rest = (break_index, ratio, line_demerits, clean_total, prev_node, overfull, underfull)
# ``line`` is the 0-based index of the next line to set, i.e. the number of lines so far. ``total``
# is what is minimised (it includes the rescue pass's artificial costs); ``clean_total`` is the sum
# of the reported line demerits.
_Node = tuple
_NODE_LINE, _NODE_TOTAL, _NODE_REST = 4, 7, 8


@dataclass(frozen=True)
class _Pass:
    tolerance: float
    hyphenate: bool
    background: float = 0.0  # emergency stretch as a fraction of the line width
    rescue: bool = False


def _ratio_with_letters(slack: float, stretch: float, letters: float) -> float:
    """The adjustment ratio of a line whose spaces can stretch by ``stretch`` and letters by
    ``letters`` (> 0): both in proportion up to 1, past it the spaces alone (the letters are at
    their limit), so a line that needs more than both can give is charged its real looseness."""
    full = stretch + letters
    if slack <= full:
        return slack / full
    if stretch <= 0.0:
        return math.inf
    return 1.0 + (slack - full) / stretch


def _run_pass(prep: PreparedParagraph, widths: list[float], mode: _Pass, params: KnuthPlassParams,
              *, uniform: bool, merge_from: int | None, avoid_hyphen_lines: Collection[int],
              line_window: tuple[list[int], list[int]] | None = None) -> list[_Node] | None:
    """One pass of the algorithm. Returns the nodes at the final break (one per line count when
    lines are kept apart), or None when no feasible set of breaks exists in this pass.

    ``uniform``: every line has the same width. ``merge_from``: lines from this index on may share
    states (their futures are identical); None keeps every line count apart. ``line_window``: for
    each break, the fewest and most lines a node there may have (see :func:`break_into`).
    """
    fewest, most = line_window if line_window is not None else ([], [])
    tol = mode.tolerance
    base_tol = params.tolerance  # lines looser than this are reported as underfull
    hyphenate = mode.hyphenate
    background = mode.background
    rescue = mode.rescue
    line_penalty = params.line_penalty
    flagged_demerits = params.flagged_demerits
    fitness_demerits = params.fitness_demerits
    max_run = params.max_consecutive_hyphens if params.max_consecutive_hyphens is not None else 1 << 30
    run_cap = params.max_consecutive_hyphens + 1 if params.max_consecutive_hyphens is not None else 1
    no_final_hyphen = params.final_hyphen_forbidden
    final_hyphen_demerits = 0.0 if no_final_hyphen else params.final_hyphen_demerits
    avoid = avoid_hyphen_lines
    # Scanning the active list can stop at the first too-loose line only if every node's line has
    # the same width (then looseness grows monotonically along the list, which is in break order).
    monotone = uniform
    merge = merge_from if merge_from is not None else 1 << 30
    # Candidate key: (line group, fitness, hyphen run) packed into one int.
    runs_n = run_cap + 2
    group_mul = 4 * runs_n

    bw = prep.width
    bw0 = prep.width0
    by = prep.stretch
    bz = prep.shrink
    bf = prep.fil
    bm = prep.micro
    bpterm = prep.pterm
    bpen = prep.penalty
    bflag = prep.flagged
    after = prep.after
    inf = math.inf
    forced_limit = -INFINITE_PENALTY

    active: list[_Node] = [(0.0, 0.0, 0.0, 0, 0, 1, 0, 0.0, (-1, 0.0, 0.0, 0.0, None, False, False), 0.0)]
    last = len(bw) - 1

    # reach[j] = W + M + tol·Y is non-decreasing, and a line from node a to break j is loose beyond
    # tolerance exactly when reach[j] < lw + aw + min(tol, 1)·am + tol·(ay - background·lw) (M: the
    # letters' stretch, see _ratio_with_letters). With uniform widths the
    # first active node has the longest lines, so breaks before its first feasible one can be skipped
    # by bisection instead of being visited one by one.
    skip = monotone and tol < inf
    letters = min(tol, 1.0)  # below ratio 1 the letters stretch in proportion with the spaces
    reach = [w + letters * m + tol * y for w, y, m in zip(bw, by, bm)] if skip else []
    next_barrier = prep.next_barrier
    count = len(bw)
    jb = -1
    while True:
        jb += 1
        if jb >= count:
            break
        if skip:
            first = active[0]
            lw = widths[first[4]]
            threshold = lw + first[0] + letters * first[9] + tol * (first[1] - background * lw) - _EPS
            if reach[jb] < threshold:
                jb = bisect_left(reach, threshold, jb, next_barrier[jb])
                if jb >= count:
                    break
        fl = bflag[jb]
        if fl and not hyphenate:
            continue
        W = bw[jb]
        Y = by[jb]
        Z = bz[jb]
        F = bf[jb]
        M = bm[jb]
        forced = bpen[jb] <= forced_limit
        pterm = bpterm[jb]
        naw, nay, naz, naf, nam = after[jb]
        cands: dict[int, _Node] | None = None
        dead: list[int] | None = None

        for idx, node in enumerate(active):
            aw, ay, az, af, line, afc, run, atotal, rest, am = node
            lw = widths[line]
            width = W - aw
            overfull = underfull = False
            if width < lw:
                if F > af:
                    r = reff = 0.0  # infinite stretch takes all the slack
                else:
                    st = Y - ay
                    mt = M - am
                    if mt > 0.0 and st + mt > 0.0:
                        # The letters stretch in proportion with the spaces up to ratio 1 (both at
                        # their limit); past it only the spaces go on stretching.
                        r = _ratio_with_letters(lw - width, st, mt)
                        reff = _ratio_with_letters(lw - width, st + background * lw, mt) if background else r
                        if r == inf:
                            r = 0.0
                            underfull = True
                    elif st > 0.0:
                        r = (lw - width) / st
                        reff = (lw - width) / (st + background * lw) if background else r
                    elif forced:
                        r = reff = 0.0  # nothing can stretch before a forced break: set it flush left
                    elif background:
                        r = 0.0
                        reff = (lw - width) / (background * lw)
                        underfull = True
                    else:
                        r = 0.0
                        reff = inf
                        underfull = True
                    if reff > tol:
                        if monotone:
                            break  # every later node starts later: its line is looser still
                        continue
            elif width > lw + _EPS:
                sh = Z - az
                r = reff = (lw - width) / sh if sh > 0.0 else -inf
                if r < -1.0 and (lw - width) + sh > -_EPS:
                    r = reff = -1.0  # exactly full shrunk, up to rounding
                if r < -1.0:
                    if rescue and rest[0] + 1 == jb:
                        # Nothing can break between the node and here: the segment alone is too
                        # wide, so an overfull line is unavoidable whichever way it is set.
                        overfull = True
                        r = reff = -1.0
                    elif forced or (bw0[jb] - aw) - sh > lw + _EPS:
                        # Too wide even without this break's penalty material (the hyphen): every
                        # later break from this node is wider still.
                        if dead is None:
                            dead = [idx]
                        else:
                            dead.append(idx)
                        continue
                    else:
                        continue
            else:
                r = reff = 0.0

            if reff < -0.5:
                fc = 0
            elif reff <= 0.5:
                fc = 1
            elif reff <= 1.0:
                fc = 2
            else:
                fc = 3
            if reff < 0.0:
                b = -100.0 * reff * reff * reff
            else:
                b = 100.0 * reff * reff * reff
                if b > _BADNESS_CAP:
                    b = _BADNESS_CAP
            d = line_penalty + b
            d = d * d + pterm
            if fc - afc > 1 or afc - fc > 1:
                d += fitness_demerits
            total = atotal + d
            if fl:
                nrun = run + 1
                if run:
                    d += flagged_demerits
                    total += flagged_demerits
                if nrun > max_run or (avoid and line in avoid):
                    if not rescue:
                        continue
                    total += _RULE_COST  # rescue pass: a broken rule costs, but is not reported
                if nrun > run_cap:
                    nrun = run_cap
            else:
                nrun = 0
            if forced and run:
                if no_final_hyphen:
                    if not rescue:
                        continue
                    total += _RULE_COST
                else:
                    d += final_hyphen_demerits
                    total += final_hyphen_demerits
            if overfull:
                total += _OVERFULL_COST
            nline = line + 1
            if line_window is not None and not fewest[jb] <= nline <= most[jb]:
                continue  # the rest of the paragraph cannot make up the line count asked for
            key = (nline if nline < merge else merge) * group_mul + fc * runs_n + nrun
            if cands is None:
                cands = {}
            else:
                old = cands.get(key)
                if old is not None and old[7] <= total:
                    continue
            cands[key] = (naw, nay, naz, naf, nline, fc, nrun, total,
                          (jb, r, d, rest[3] + d, node, overfull, underfull or r > base_tol), nam)

        if forced:
            active = []
        elif dead is not None:
            if len(dead) == len(active):
                active = []
            elif dead[-1] == len(dead) - 1:
                active = active[len(dead):]  # the usual case: the oldest nodes died
            else:
                gone = set(dead)
                active = [node for k, node in enumerate(active) if k not in gone]

        if cands is not None:
            if len(cands) == 1:
                active += cands.values()
            elif not fl and merge == 0:
                # One line group and no hyphen runs: keep what is within fitness_demerits of the best.
                limit = min([cand[7] for cand in cands.values()]) + fitness_demerits
                active += [cand for cand in cands.values() if cand[7] <= limit]
            else:
                # A node costing more than a sibling (same line group, no longer hyphen run) plus
                # fitness_demerits can never win: that is all the sibling can lose by its fitness.
                for key, cand in cands.items():
                    group = key // group_mul
                    total = cand[7]
                    nrun = cand[6]
                    for key2, cand2 in cands.items():
                        if (key2 // group_mul == group and cand2[6] <= nrun
                                and cand2[7] + fitness_demerits < total):
                            break
                    else:
                        active.append(cand)
        if not active:
            return None
    if not active or active[-1][_NODE_REST][0] != last:
        return None
    return active


def _choose(finals: list[_Node], looseness: int, base_lines: int | None = None) -> tuple[_Node, int]:
    """The final node to use and how many lines it has more than ``base_lines`` (by default the
    optimum of this pass; later passes are measured from the first feasible pass's optimum)."""
    best = min(finals, key=lambda node: node[_NODE_TOTAL])
    if not looseness:
        return best, 0
    base = best[_NODE_LINE] if base_lines is None else base_lines
    same = [node for node in finals if node[_NODE_LINE] == base]
    chosen = min(same, key=lambda node: node[_NODE_TOTAL]) if same else best
    chosen_diff = chosen[_NODE_LINE] - base
    for node in finals:
        diff = node[_NODE_LINE] - base
        # Move towards the requested looseness as far as possible, never past it (TeX §875).
        if (chosen_diff < diff <= looseness) or (looseness <= diff < chosen_diff) or (
                diff == chosen_diff and node[_NODE_TOTAL] < chosen[_NODE_TOTAL]):
            chosen, chosen_diff = node, diff
    return chosen, chosen_diff


def _result(prep: PreparedParagraph, node: _Node, emergency: bool) -> BreakResult:
    breaks: list[LineBreak] = []
    overfull: list[int] = []
    underfull: list[int] = []
    total = node[_NODE_REST][3]
    while True:
        jb, ratio, demerits, _clean, prev, is_overfull, is_underfull = node[_NODE_REST]
        if prev is None:
            break
        breaks.append(LineBreak(position=prep.pos[jb], ratio=ratio, demerits=demerits, hyphenated=prep.flagged[jb]))
        line = node[_NODE_LINE] - 1
        if is_overfull:
            overfull.append(line)
        if is_underfull:
            underfull.append(line)
        node = prev
    breaks.reverse()
    return BreakResult(breaks=tuple(breaks), total_demerits=total, emergency=emergency,
                       overfull_lines=tuple(reversed(overfull)), underfull_lines=tuple(reversed(underfull)))


def break_lines(items: Sequence[Item], line_width: LineWidths, *, looseness: int = 0,
                params: KnuthPlassParams = DEFAULT_PARAMS,
                avoid_hyphen_lines: Collection[int] = ()) -> BreakResult:
    """Break a paragraph into lines with the least total demerits (a :class:`LineBreaker`).

    ``looseness``: ask for that many lines more (or, negative, fewer) than the optimum; the closest
    feasible count is used (TeX's \\looseness, e.g. to pull a widow back or fill a column).
    ``avoid_hyphen_lines``: 0-based line indices that must not end in a hyphen (e.g. the last line
    of a column, when layout knows where the column breaks).
    ``line_width`` objects with a ``uniform_from`` attribute (``ConstantWidth``, ``ShapedWidths``)
    are faster: lines past that index are interchangeable, so their states can be merged.
    """
    prep = items if isinstance(items, PreparedParagraph) else PreparedParagraph(items)
    if not prep.pos:
        return BreakResult(breaks=(), total_demerits=0.0)
    avoid = frozenset(avoid_hyphen_lines)
    uniform_from = getattr(line_width, "uniform_from", None)
    # Keep every line count apart when the future depends on it (widths, looseness, line rules).
    # Past the last line with a hyphen rule, lines are interchangeable again.
    merge_from = (max(uniform_from, max(avoid, default=-1) + 1) if isinstance(uniform_from, int) and not looseness
                  else None)
    max_lines = len(prep.pos) + 1
    uniform = isinstance(uniform_from, int) and uniform_from == 0
    if uniform:
        widths = [float(line_width(0))] * max_lines
    else:
        widths = [float(line_width(i)) for i in range(max_lines)]

    closest: tuple[_Node, int, bool] | None = None
    base_lines: int | None = None  # the optimum line count of the first feasible pass
    for mode, emergency in _passes(params, prep):
        finals = _run_pass(prep, widths, mode, params, uniform=uniform, merge_from=merge_from,
                           avoid_hyphen_lines=avoid)
        if finals is None:
            continue
        node, diff = _choose(finals, looseness, base_lines)
        if base_lines is None:
            base_lines = node[_NODE_LINE] - diff
        if diff == looseness:
            return _result(prep, node, emergency)
        if closest is None or abs(looseness - diff) < abs(looseness - closest[1]):
            closest = (node, diff, emergency)
    if closest is not None:
        return _result(prep, closest[0], closest[2])

    rescue = _Pass(math.inf, hyphenate=True, background=params.emergency_stretch, rescue=True)
    finals = _run_pass(prep, widths, rescue, params, uniform=uniform, merge_from=merge_from,
                           avoid_hyphen_lines=avoid)
    assert finals is not None, "the rescue pass always reaches the end"
    node, _ = _choose(finals, looseness)
    return _result(prep, node, True)


def _passes(params: KnuthPlassParams, prep: PreparedParagraph) -> list[tuple[_Pass, bool]]:
    """The passes to try in order, each with whether it is an emergency pass (the rescue pass,
    which always succeeds, is not among them)."""
    passes: list[tuple[_Pass, bool]] = []
    if params.pretolerance is not None and prep.has_flagged:
        passes.append((_Pass(params.pretolerance, hyphenate=False), False))
    passes.append((_Pass(params.tolerance, hyphenate=True), False))
    if params.emergency_tolerance > params.tolerance or params.emergency_stretch > 0:
        passes.append((_Pass(max(params.tolerance, params.emergency_tolerance), hyphenate=True,
                             background=params.emergency_stretch), True))
    return passes


def break_into(items: Sequence[Item], width: float, lines: int,
               params: KnuthPlassParams = DEFAULT_PARAMS, *,
               avoid_hyphen_lines: Collection[int] = ()) -> BreakResult | None:
    """The least-demerits breaks of a paragraph into exactly ``lines`` lines of ``width``, within
    the tolerance of the normal (and, if ``params`` has one, the emergency) pass; None if there are
    none. What layout asks to set a paragraph a line longer or shorter (TeX's ``\\looseness``), or
    as many lines with none of ``avoid_hyphen_lines`` ending in a hyphen (a column's foot).

    Every line count has to be kept apart in the search, which makes it costly; but only the counts
    from which the rest of the paragraph can still end at ``lines`` are kept. From a break, the rest
    needs at least (its box widths, fully shrunk / width) lines, since no line shrinks below its boxes, and at
    most 1 + (its width + tolerance × stretch) / width, since every line but the last must stretch
    to the full measure within tolerance: nodes outside that window are dropped. (It is exact: a
    brute-force test compares it with :func:`break_lines` given a looseness.)"""
    prep = items if isinstance(items, PreparedParagraph) else PreparedParagraph(items)
    count = len(prep.pos)
    if not count or lines < 1:
        return None
    widths = [float(width)] * (lines + 1)
    # A second forced break or infinite stretch before the finishing glue makes short lines legal
    # mid-paragraph: then only the lower bound holds.
    simple = sum(1 for p in prep.penalty if p <= -INFINITE_PENALTY) == 1 and prep.fil[count - 1] <= 1
    boxes = [0.0]  # prefix sums of what the boxes are at their narrowest
    for item in prep.items:
        boxes.append(boxes[-1] + (item.width - item.shrink if type(item) is Box else 0.0))
    hyphen = max((item.width for item in prep.items if type(item) is Penalty), default=0.0)
    last = count - 1
    for mode, emergency in _passes(params, prep):
        fewest = [1] * count
        most = [lines] * count
        fewest[last] = most[last] = lines
        reach = width * (1 - mode.tolerance * mode.background) - hyphen  # least a full line can be
        for jb in range(last):
            rest_boxes = boxes[-1] - boxes[prep.pos[jb] + 1]
            most[jb] = lines - max(1, math.ceil(rest_boxes / width - 1e-6))
            if simple and reach > 0:
                naw, nay, _, _, nam = prep.after[jb]
                rest = ((prep.width[last] - naw) + mode.tolerance * (prep.stretch[last] - nay)
                        + min(mode.tolerance, 1.0) * (prep.micro[last] - nam))
                fewest[jb] = max(1, lines - 1 - math.floor(rest / reach + 1e-6))
        finals = _run_pass(prep, widths, mode, params, uniform=True, merge_from=None,
                           avoid_hyphen_lines=frozenset(avoid_hyphen_lines), line_window=(fewest, most))
        exact = [node for node in finals or () if node[_NODE_LINE] == lines]
        if exact:
            return _result(prep, min(exact, key=lambda node: node[_NODE_TOTAL]), emergency)
    return None


@dataclass(frozen=True)
class KnuthPlassBreaker:
    """A configured Knuth–Plass breaker satisfying the ``LineBreaker`` protocol."""

    params: KnuthPlassParams = DEFAULT_PARAMS

    def __call__(self, items: Sequence[Item], line_width: LineWidths, *, looseness: int = 0) -> BreakResult:
        return break_lines(items, line_width, looseness=looseness, params=self.params)


@dataclass(frozen=True)
class ScoredBreaks:
    """Any breaker's breaks judged by Knuth–Plass's own cost model (for comparing breakers)."""

    total_demerits: float
    ratios: tuple[float, ...]  # true adjustment ratio of every line (inf: underfull with no stretch)
    hyphenated: int  # lines ending in a hyphen
    overfull: int  # lines wider than the measure even fully shrunk
    rule_breaks: int  # hyphen runs over the limit and hyphens before a forced break


def score_breaks(items: Sequence[Item], positions: Sequence[int], line_width: LineWidths,
                 params: KnuthPlassParams = DEFAULT_PARAMS) -> ScoredBreaks:
    """Demerits of a paragraph broken at ``positions`` (item indices), charged by the breaker's own
    pass (one cost model, :func:`_run_pass`): the same badness, penalties, fitness and hyphen
    demerits, but with no tolerance and no emergency stretch, and only these breaks legal, each
    forced to end its own line. Lines looser than the badness cap cost the cap; a line with nothing
    to stretch has ratio ``inf``; an overfull line is counted and reported at ratio -1."""
    prep = (items if isinstance(items, PreparedParagraph) else PreparedParagraph(items)).restricted(positions)
    count = len(prep.pos)
    if not count:
        return ScoredBreaks(total_demerits=0.0, ratios=(), hyphenated=0, overfull=0, rule_breaks=0)
    widths = [float(line_width(i)) for i in range(count + 1)]
    judge = _Pass(math.inf, hyphenate=True, rescue=True)
    lines = list(range(1, count + 1))
    finals = _run_pass(prep, widths, judge, replace(params, tolerance=math.inf), uniform=False, merge_from=None,
                       avoid_hyphen_lines=(), line_window=(lines, lines))
    assert finals, "each break ends its own line: the rescue pass always reaches the end"
    result = _result(prep, min(finals, key=lambda node: node[_NODE_TOTAL]), True)
    ratios = tuple(math.inf if line in result.underfull_lines else b.ratio for line, b in enumerate(result.breaks))
    rule_breaks = run = 0
    for brk, penalty in zip(result.breaks, prep.penalty):
        if brk.hyphenated:
            run += 1
            rule_breaks += params.max_consecutive_hyphens is not None and run > params.max_consecutive_hyphens
        else:
            rule_breaks += bool(penalty <= -INFINITE_PENALTY and run and params.final_hyphen_forbidden)
            run = 0
    return ScoredBreaks(total_demerits=result.total_demerits, ratios=ratios,
                        hyphenated=sum(b.hyphenated for b in result.breaks), overfull=len(result.overfull_lines),
                        rule_breaks=rule_breaks)
