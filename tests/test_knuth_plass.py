"""Knuth–Plass line breaking with a fixed-width fake font, so widths, ratios and demerits are exact.

Each character is 1 unit wide; a space is Glue(1, 1/2, 1/3) (like a real word space: stretches by
half, shrinks by a third); a hyphenation point is a flagged Penalty(1, 50) (the hyphen is 1 unit).
Optimality is checked against an independent brute-force enumeration of every feasible break set.
"""

from __future__ import annotations

import math
from pathlib import Path
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epaper.typeset.items import (
    INFINITE_PENALTY,
    Box,
    BreakResult,
    ConstantWidth,
    Glue,
    Item,
    LineBreaker,
    Penalty,
    ShapedWidths,
    constant_width,
)
from epaper.typeset.knuth_plass import (
    FIL_STRETCH,
    KnuthPlassBreaker,
    KnuthPlassParams,
    PreparedParagraph,
    break_into,
    break_lines,
    overlong_boxes,
    score_breaks,
)

SPACE = Glue(1, 0.5, 1 / 3)
HYPHEN_PENALTY = 50
END: tuple[Item, ...] = (Penalty(0, INFINITE_PENALTY), Glue(0, 100_000, 0), Penalty(0, -INFINITE_PENALTY))


def paragraph(text: str, *, space: Glue = SPACE) -> list[Item]:
    """Words separated by spaces; '-' inside a word marks a hyphenation point (soft hyphen);
    '|' inside the text is a forced line break."""
    items: list[Item] = []
    for chunk_index, chunk in enumerate(text.split("|")):
        if chunk_index:
            items += [Penalty(0, INFINITE_PENALTY), Glue(0, FIL_STRETCH, 0), Penalty(0, -INFINITE_PENALTY)]
        for index, word in enumerate(chunk.split()):
            if index:
                items.append(space)
            for k, part in enumerate(word.split("-")):
                if k:
                    items.append(Penalty(1, HYPHEN_PENALTY, flagged=True))
                items.append(Box(len(part), part))
    return items + list(END)


def lines_of(items: Sequence[Item], result: BreakResult) -> list[str]:
    """The text of each line, with '-' where it ends at a hyphen."""
    out: list[str] = []
    start = 0
    for brk in result.breaks:
        words: list[str] = []
        word = ""
        for item in items[start:brk.position]:
            if isinstance(item, Box):
                word += str(item.payload)
            elif isinstance(item, Glue) and word:
                words.append(word)
                word = ""
        if word:
            words.append(word)
        out.append(" ".join(words) + ("-" if brk.hyphenated else ""))
        start = brk.position + 1
    return out


# --- an independent brute-force reference -------------------------------------------------------

def _legal_breaks(items: Sequence[Item]) -> list[int]:
    legal = []
    for i, item in enumerate(items):
        if isinstance(item, Penalty) and item.penalty < INFINITE_PENALTY:
            legal.append(i)
        elif isinstance(item, Glue) and i > 0 and isinstance(items[i - 1], Box):
            legal.append(i)
    # A break whose next line would be empty (only discardable items before a forced break) is
    # not a real choice.
    def forced(i: int) -> bool:
        return isinstance(items[i], Penalty) and items[i].penalty <= -INFINITE_PENALTY
    out = []
    for i in legal:
        if forced(i):
            out.append(i)
            continue
        j = i + 1
        while j < len(items) and not isinstance(items[j], Box) and not forced(j):
            j += 1
        if j < len(items) and isinstance(items[j], Box):
            out.append(i)
    return out


def _line_start(items: Sequence[Item], brk: int) -> int:
    j = brk + 1
    while j < len(items):
        item = items[j]
        if isinstance(item, Box) or (isinstance(item, Penalty) and item.penalty <= -INFINITE_PENALTY):
            break
        j += 1
    return j


def _ratio(items: Sequence[Item], start: int, end: int, width: float) -> float:
    natural = stretch = shrink = 0.0
    fil = False
    for item in items[start:end]:
        if isinstance(item, Box):
            natural += item.width
        elif isinstance(item, Glue):
            natural += item.width
            shrink += item.shrink
            if item.stretch >= FIL_STRETCH:
                fil = True
            else:
                stretch += item.stretch
    end_item = items[end]
    forced = isinstance(end_item, Penalty) and end_item.penalty <= -INFINITE_PENALTY
    if isinstance(end_item, Penalty):
        natural += end_item.width
    if abs(natural - width) < 1e-9:
        return 0.0
    if natural < width:
        if fil or (forced and stretch == 0):
            return 0.0
        return (width - natural) / stretch if stretch > 0 else math.inf
    return (width - natural) / shrink if shrink > 0 else -math.inf


def _fitness(r: float) -> int:
    return 0 if r < -0.5 else 1 if r <= 0.5 else 2 if r <= 1 else 3


def brute_force(items: Sequence[Item], line_width, params: KnuthPlassParams = KnuthPlassParams()
                ) -> list[tuple[float, tuple[int, ...]]]:
    """(total demerits, break positions) of every feasible break set, by exhaustive search."""
    legal = _legal_breaks(items)
    forced = {i for i in legal if isinstance(items[i], Penalty) and items[i].penalty <= -INFINITE_PENALTY}
    last = len(items) - 1
    solutions: list[tuple[float, tuple[int, ...]]] = []

    def search(prev: int, line: int, fitness: int, run: int, total: float, chosen: tuple[int, ...]) -> None:
        start = 0 if prev < 0 else _line_start(items, prev)
        for brk in legal:
            if brk <= prev:
                continue
            r = _ratio(items, start, brk, line_width(line))
            if r < -1 - 1e-9:
                if brk in forced:
                    break
                continue  # overfull (a later break may still fit if this one adds a hyphen)
            item = items[brk]
            flagged = isinstance(item, Penalty) and item.flagged
            feasible = r <= params.tolerance
            new_run = run + 1 if flagged else 0
            if params.max_consecutive_hyphens is not None and new_run > params.max_consecutive_hyphens:
                feasible = False
            if brk in forced and run and params.final_hyphen_forbidden:
                feasible = False
            if feasible:
                fc = _fitness(r)
                d = (params.line_penalty + 100 * abs(r) ** 3) ** 2
                if isinstance(item, Penalty) and brk not in forced:
                    d += item.penalty ** 2 if item.penalty >= 0 else -item.penalty ** 2
                if flagged and run:
                    d += params.flagged_demerits
                if brk in forced and run and not params.final_hyphen_forbidden:
                    d += params.final_hyphen_demerits
                if abs(fc - fitness) > 1:
                    d += params.fitness_demerits
                if brk == last:
                    solutions.append((total + d, chosen + (brk,)))
                else:
                    search(brk, line + 1, fc, new_run, total + d, chosen + (brk,))
            if brk in forced:
                break  # a line never runs past a forced break

    search(-1, 0, 1, 0, 0.0, ())
    return solutions


def assert_optimal(items: Sequence[Item], line_width, result: BreakResult,
                   params: KnuthPlassParams = KnuthPlassParams()) -> None:
    solutions = brute_force(items, line_width, params)
    assert solutions, "test paragraph has no feasible solution"
    best = min(total for total, _ in solutions)
    assert not result.emergency
    assert result.total_demerits == pytest.approx(best, rel=1e-12)
    assert result.positions in {positions for total, positions in solutions if total == pytest.approx(best, rel=1e-12)}
    assert sum(b.demerits for b in result.breaks) == pytest.approx(result.total_demerits)


# --- tests --------------------------------------------------------------------------------------

TEXT = ("In olden times when wish-ing still helped one there lived a king whose daugh-ters were all "
        "beau-ti-ful but the youngest was so beau-ti-ful that the sun it-self which has seen so much "
        "was aston-ished when-ever it shone in her face")


def test_satisfies_the_line_breaker_protocol() -> None:
    breaker: LineBreaker = break_lines
    configured: LineBreaker = KnuthPlassBreaker(KnuthPlassParams(tolerance=3))
    items = paragraph("a few words")
    assert breaker(items, constant_width(20)).positions == configured(items, constant_width(20)).positions


def test_hand_computed_paragraph() -> None:
    # Width 9: "aaa bbb" (7) + 2 short → r = 2/0.5 = 4, too loose; "aaa bbb c" is 9 exactly (r 0).
    items = paragraph("aaa bbb c ddd eee f")
    result = break_lines(items, constant_width(9))
    assert lines_of(items, result) == ["aaa bbb c", "ddd eee f"]
    first, last = result.breaks
    assert first.ratio == 0 and first.demerits == pytest.approx(10 ** 2)
    assert last.position == len(items) - 1 and last.ratio == 0
    assert result.total_demerits == pytest.approx(200)


@pytest.mark.parametrize("width", [20, 21, 23, 26, 29, 33, 38, 43])
@pytest.mark.parametrize("tolerance", [2, 4])
def test_matches_brute_force_minimum(width: float, tolerance: float) -> None:
    items = paragraph(TEXT)
    params = KnuthPlassParams(tolerance=tolerance)
    if not brute_force(items, constant_width(width), params):
        pytest.skip("no feasible solution at this width and tolerance")
    result = break_lines(items, constant_width(width), params=params)
    assert_optimal(items, constant_width(width), result, params)


@pytest.mark.parametrize("width", [20, 23, 29, 38])
def test_score_breaks_charges_exactly_what_knuth_plass_charged(width: float) -> None:
    # The bench judges every breaker with score_breaks: on Knuth–Plass's own breaks (no emergency
    # stretch) it must give back the demerits and ratios the breaker found.
    params = KnuthPlassParams(tolerance=10, emergency_tolerance=10, emergency_stretch=0.0)
    items = paragraph(TEXT)
    result = break_lines(items, constant_width(width), params=params)
    scored = score_breaks(items, result.positions, constant_width(width), params)
    assert scored.total_demerits == pytest.approx(result.total_demerits)
    assert scored.ratios == pytest.approx(tuple(b.ratio for b in result.breaks))
    assert scored.hyphenated == sum(1 for b in result.breaks if b.hyphenated)
    assert scored.overfull == 0


def test_prepared_paragraph_gives_the_same_result_at_every_width() -> None:
    items = paragraph(TEXT)
    prepared = PreparedParagraph(items)
    assert list(prepared) == items and len(prepared) == len(items) and prepared[3] == items[3]
    for width in (18, 22, 27):
        assert break_lines(prepared, constant_width(width)) == break_lines(items, constant_width(width))


def test_variable_line_widths() -> None:
    items = paragraph(TEXT)
    shaped = ShapedWidths((22, 22, 26), 30)
    result = break_lines(items, shaped, params=KnuthPlassParams(tolerance=4))
    assert_optimal(items, shaped, result, KnuthPlassParams(tolerance=4))
    # A plain callable (no uniform_from) gives the same answer, just without state merging.
    plain = break_lines(items, lambda n: shaped(n), params=KnuthPlassParams(tolerance=4))
    assert plain == result


def test_forced_breaks_are_always_taken() -> None:
    items = paragraph("one two three|four five six seven|eight")
    result = break_lines(items, constant_width(40))
    assert lines_of(items, result) == ["one two three", "four five six seven", "eight"]
    assert all(b.ratio == 0 for b in result.breaks)  # finishing glue before each forced break
    assert_optimal(items, constant_width(40), result)


def test_infinite_penalty_forbids_a_break() -> None:
    wide = Glue(1, 2, 1 / 3)
    plain = paragraph("aaa bbb ccc ddd eee", space=wide)
    result = break_lines(plain, constant_width(11))
    assert lines_of(plain, result) == ["aaa bbb ccc", "ddd eee"]
    # Tie "ccc" to "ddd" (a no-break space): the glue after "ccc" is no longer a legal break.
    tied = plain[:5] + [Penalty(0, INFINITE_PENALTY)] + plain[5:]
    result = break_lines(tied, constant_width(11))
    assert lines_of(tied, result) == ["aaa bbb", "ccc ddd eee"]
    assert 6 not in result.positions
    assert_optimal(tied, constant_width(11), result)


def test_negative_penalty_attracts_a_break() -> None:
    items = paragraph("aaa bbb ccc ddd eee", space=Glue(1, 3, 1 / 3))
    params = KnuthPlassParams(tolerance=10)
    assert 3 not in break_lines(items, constant_width(12), params=params).positions
    pulled = items[:3] + [Penalty(0, -5000)] + items[3:]  # a good place to break, after "bbb"
    result = break_lines(pulled, constant_width(12), params=params)
    assert result.positions[0] == 3
    assert_optimal(pulled, constant_width(12), result, params)


# Found by search: at width 11 the cheapest set of breaks hyphenates three lines in a row.
HYPHEN_TEXT = "xxxx-xxx x-x-x xxxx xxxx-xxx xxxx-xxx xxxx-x xxx-xx xx-x xxx xx-xxx xxx-xxx"
HYPHEN_SPACE = Glue(1, 1, 1 / 3)


def _pairs(result: BreakResult) -> int:
    return sum(1 for a, b in zip(result.breaks, result.breaks[1:]) if a.hyphenated and b.hyphenated)


def test_flagged_demerits_for_consecutive_hyphens() -> None:
    items = paragraph(HYPHEN_TEXT, space=HYPHEN_SPACE)
    counts = []
    for flagged in (0, 3000, 1_000_000):
        params = KnuthPlassParams(max_consecutive_hyphens=None, flagged_demerits=flagged, tolerance=3)
        result = break_lines(items, constant_width(11), params=params)
        assert_optimal(items, constant_width(11), result, params)
        counts.append(_pairs(result))
    assert counts[0] >= counts[1] >= counts[2] and counts[0] > counts[2]


def test_at_most_two_hyphenated_lines_in_a_row() -> None:
    items = paragraph(HYPHEN_TEXT, space=HYPHEN_SPACE)
    unlimited = KnuthPlassParams(max_consecutive_hyphens=None, flagged_demerits=0, tolerance=3)
    free = break_lines(items, constant_width(11), params=unlimited)
    assert _longest_run(free) >= 3  # the rule binds here
    limited = KnuthPlassParams(flagged_demerits=0, tolerance=3)
    result = break_lines(items, constant_width(11), params=limited)
    assert _longest_run(result) <= 2
    assert_optimal(items, constant_width(11), result, limited)
    once = KnuthPlassParams(flagged_demerits=0, tolerance=3, max_consecutive_hyphens=1)
    assert _longest_run(break_lines(items, constant_width(11), params=once)) <= 1


def _longest_run(result: BreakResult) -> int:
    longest = run = 0
    for brk in result.breaks:
        run = run + 1 if brk.hyphenated else 0
        longest = max(longest, run)
    return longest


def test_last_line_never_starts_with_a_word_tail() -> None:
    # "abcdefgh-ij": breaking at the hyphen leaves "ij" alone on the last line, which is the
    # cheapest choice unless forbidden.
    items = paragraph("xxxx yyyy abcdefgh-ij", space=Glue(1, 5, 1 / 3))
    allowed = KnuthPlassParams(final_hyphen_forbidden=False, final_hyphen_demerits=0, tolerance=10)
    free = break_lines(items, constant_width(19), params=allowed)
    assert free.breaks[-2].hyphenated  # without the rule: "xxxx yyyy abcdefgh-" / "ij"
    result = break_lines(items, constant_width(19), params=KnuthPlassParams(tolerance=10))
    assert not result.breaks[-2].hyphenated
    assert_optimal(items, constant_width(19), result, KnuthPlassParams(tolerance=10))


def test_avoid_hyphen_on_given_lines() -> None:
    items = paragraph(HYPHEN_TEXT, space=HYPHEN_SPACE)
    params = KnuthPlassParams(tolerance=3)
    result = break_lines(items, constant_width(11), params=params)
    assert result.breaks[4].hyphenated
    avoided = break_lines(items, constant_width(11), params=params, avoid_hyphen_lines=[4])
    assert not avoided.breaks[4].hyphenated and not avoided.emergency
    assert avoided.total_demerits > result.total_demerits


@pytest.mark.parametrize("looseness", [1, -1])
def test_looseness(looseness: int) -> None:
    items = paragraph(TEXT)
    params = KnuthPlassParams(tolerance=4)
    width = 42  # the optimum has 6 lines; 5 and 7 are feasible too
    optimum = break_lines(items, constant_width(width), params=params)
    result = break_lines(items, constant_width(width), looseness=looseness, params=params)
    assert result.line_count == optimum.line_count + looseness
    assert not result.emergency
    # The cheapest feasible solution with that many lines.
    solutions = brute_force(items, constant_width(width), params)
    cheapest = min(total for total, positions in solutions if len(positions) == result.line_count)
    assert result.total_demerits == pytest.approx(cheapest)


def test_looseness_goes_as_far_as_feasible() -> None:
    items = paragraph(TEXT)
    params = KnuthPlassParams(tolerance=4)
    counts = {len(positions) for _, positions in brute_force(items, constant_width(28), params)}
    assert break_lines(items, constant_width(28), params=params).line_count == 8 and max(counts) == 10
    looser = break_lines(items, constant_width(28), looseness=5, params=params)
    assert looser.line_count == 10 or (looser.emergency and looser.line_count > 10)
    tighter = break_lines(items, constant_width(28), looseness=-5, params=params)
    assert tighter.line_count == min(counts) == 8 and tighter.total_demerits == pytest.approx(
        break_lines(items, constant_width(28), params=params).total_demerits)


def test_emergency_pass_on_an_impossible_paragraph() -> None:
    # Width 9 with words of 5: "aaaaa bbbbb" is 11 (too wide even shrunk), one word per line leaves
    # 4 units and no glue to stretch: nothing is feasible within tolerance.
    items = paragraph("aaaaa bbbbb ccccc ddddd")
    assert not brute_force(items, constant_width(9))
    result = break_lines(items, constant_width(9))
    assert result.emergency
    assert result.overfull_lines == ()
    assert lines_of(items, result) == ["aaaaa", "bbbbb", "ccccc", "ddddd"]
    assert all(b.ratio >= -1 for b in result.breaks)
    assert result.underfull_lines == (0, 1, 2)  # the last line is set at natural width by design


def test_emergency_stretch_prefers_evenly_loose_lines() -> None:
    items = paragraph(TEXT)
    params = KnuthPlassParams(tolerance=0.5)
    result = break_lines(items, constant_width(21), params=params)
    assert result.emergency
    assert not result.overfull_lines
    assert all(-1 <= b.ratio for b in result.breaks)
    assert set(result.underfull_lines) == {n for n, b in enumerate(result.breaks) if b.ratio > 0.5}


def test_overlong_single_box_is_reported() -> None:
    items = paragraph("see https://example.com/a-very-long-path for details")
    # The URL contains '-' so split it by hand into a single 34-unit box.
    items = [Box(3, "see"), SPACE, Box(34, "https://example.com/averylongpathx"), SPACE, Box(3, "for"), SPACE,
             Box(7, "details"), *END]
    assert overlong_boxes(items, 20) == (2,)
    result = break_lines(items, constant_width(20))
    assert result.emergency
    assert result.overfull_lines == (1,)
    text = lines_of(items, result)
    assert text[1] == "https://example.com/averylongpathx"
    for n, brk in enumerate(result.breaks):
        if n not in result.overfull_lines:
            assert brk.ratio >= -1
            assert len(text[n]) <= 20


def test_paragraph_end_finishing_glue_sets_last_line_at_natural_width() -> None:
    items = paragraph(TEXT)
    result = break_lines(items, constant_width(25))
    assert result.breaks[-1].position == len(items) - 1
    assert result.breaks[-1].ratio == 0.0
    # No badness: only the line penalty, plus fitness demerits if the line before is very loose.
    assert result.breaks[-1].demerits in (pytest.approx(10 ** 2), pytest.approx(10 ** 2 + 3000))
    # Infinite stretch given as math.inf works the same way.
    inf_items = items[:-2] + [Glue(0, math.inf, 0), items[-1]]
    assert break_lines(inf_items, constant_width(25)) == result


def test_empty_and_malformed_paragraphs() -> None:
    assert break_lines([], constant_width(10)) == BreakResult(breaks=(), total_demerits=0.0)
    with pytest.raises(ValueError, match="forced break"):
        break_lines([Box(3)], constant_width(10))


def test_params_are_validated() -> None:
    with pytest.raises(ValueError):
        KnuthPlassParams(max_consecutive_hyphens=0)
    assert ConstantWidth(5).uniform_from == 0 and ConstantWidth(5)(99) == 5


# --- properties ---------------------------------------------------------------------------------

words = st.lists(st.lists(st.integers(1, 9), min_size=1, max_size=3), min_size=1, max_size=40)


# Dyadic glue keeps every sum and ratio exact, so the breaker and the brute force (which add in a
# different order) never disagree about a line sitting exactly on a fitness-class boundary.
EXACT_SPACE = Glue(1, 0.5, 0.25)


def _random_paragraph(word_parts: list[list[int]]) -> list[Item]:
    items: list[Item] = []
    for index, parts in enumerate(word_parts):
        if index:
            items.append(EXACT_SPACE)
        for k, part in enumerate(parts):
            if k:
                items.append(Penalty(1, HYPHEN_PENALTY, flagged=True))
            items.append(Box(part))
    return items + list(END)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words, st.integers(4, 40), st.integers(-1, 1))
def test_never_overfull_unless_reported(word_parts: list[list[int]], width: int, looseness: int) -> None:
    items = _random_paragraph(word_parts)
    result = break_lines(items, constant_width(width), looseness=looseness)
    positions = result.positions
    assert positions[-1] == len(items) - 1
    assert all(a < b for a, b in zip(positions, positions[1:]))
    start = 0
    for n, brk in enumerate(result.breaks):
        natural = sum(i.width for i in items[start:brk.position] if not isinstance(i, Penalty))
        natural += items[brk.position].width if isinstance(items[brk.position], Penalty) else 0
        shrink = sum(i.shrink for i in items[start:brk.position] if isinstance(i, Glue))
        if n in result.overfull_lines:
            assert result.emergency
            boxes = [i for i in items[start:brk.position] if isinstance(i, Box)]
            assert any(b.width > width for b in boxes) or len([i for i in items[start:brk.position]
                                                                if isinstance(i, Glue)]) == 0
        else:
            assert brk.ratio >= -1
            assert natural - shrink <= width + 1e-9
        start = brk.position + 1
        while start < len(items) and isinstance(items[start], Glue | Penalty) and start != len(items) - 1:
            start += 1
    if max(sum(parts) for parts in word_parts) + 1 <= width:
        assert not result.overfull_lines  # nothing is too wide to fit: nothing may be reported


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(1, 6), min_size=1, max_size=2), min_size=1, max_size=10),
       st.integers(6, 20))
def test_optimal_against_brute_force(word_parts: list[list[int]], width: int) -> None:
    items = _random_paragraph(word_parts)
    params = KnuthPlassParams(tolerance=3)
    solutions = brute_force(items, constant_width(width), params)
    result = break_lines(items, constant_width(width), params=params)
    if solutions:
        assert_optimal(items, constant_width(width), result, params)
    else:
        assert result.emergency


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(1, 6), min_size=1, max_size=2), min_size=3, max_size=12),
       st.integers(10, 26), st.sampled_from([-1, 1, 2]))
def test_looseness_optimal_against_brute_force(word_parts: list[list[int]], width: int, looseness: int) -> None:
    items = _random_paragraph(word_parts)
    params = KnuthPlassParams(tolerance=4)
    solutions = brute_force(items, constant_width(width), params)
    if not solutions:
        return
    optimum = len(min(solutions)[1])
    wanted = [total for total, positions in solutions if len(positions) == optimum + looseness]
    result = break_lines(items, constant_width(width), looseness=looseness, params=params)
    if wanted:
        assert not result.emergency and result.line_count == optimum + looseness
        assert result.total_demerits == pytest.approx(min(wanted), rel=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(1, 6), min_size=1, max_size=2), min_size=3, max_size=12),
       st.integers(10, 26), st.sampled_from([-2, -1, 1, 2]))
def test_break_into_exact_line_count_against_brute_force(word_parts: list[list[int]], width: int,
                                                           looseness: int) -> None:
    """break_into prunes line counts the rest of the paragraph cannot make up: it must still find
    the least demerits of exactly that many lines, and None when there is no such set of breaks."""
    items = _random_paragraph(word_parts)
    params = KnuthPlassParams(tolerance=4, emergency_tolerance=4, emergency_stretch=0.0)
    solutions = brute_force(items, constant_width(width), params)
    if not solutions:
        return
    lines = len(min(solutions)[1]) + looseness
    wanted = [total for total, positions in solutions if len(positions) == lines]
    result = break_into(items, width, lines, params)
    if not wanted:
        assert result is None
        return
    assert result is not None and result.line_count == lines and not result.emergency
    assert result.total_demerits == pytest.approx(min(wanted), rel=1e-12)


@pytest.mark.slow
def test_break_into_matches_looseness_on_real_paragraphs() -> None:
    """On the sample edition's paragraphs at a column's width, a line more or fewer set by
    break_into is what break_lines finds when asked for that looseness (same passes)."""
    from epaper.formats import load_format
    from epaper.ingest import load_edition
    from epaper.typeset import paragraph_items

    edition = load_edition(Path(__file__).resolve().parent.parent / "sample-edition")
    fmt = load_format(edition.format)
    body = fmt.style("body")
    params = KnuthPlassParams(emergency_tolerance=KnuthPlassParams().tolerance, emergency_stretch=0.0)
    compared = found = 0
    for article in edition.articles[:25]:
        for paragraph in article.body:
            if paragraph.kind != "text":
                continue
            prep = paragraph_items(tuple(paragraph.runs), body, article.language, body.indent, True, True)
            optimum = break_lines(prep, constant_width(fmt.column_width), params=params)
            if optimum.line_count > 14:
                continue
            for looseness in (1, -1):
                expected = break_lines(prep, constant_width(fmt.column_width), looseness=looseness, params=params)
                got = break_into(prep, fmt.column_width, optimum.line_count + looseness, params)
                compared += 1
                # The rescue pass (any underfull line allowed) is not break_into's: it answers None.
                if expected.line_count != optimum.line_count + looseness or expected.emergency:
                    assert got is None
                    continue
                found += 1
                assert got is not None
                assert [b.position for b in got.breaks] == [b.position for b in expected.breaks]
                assert got.total_demerits == pytest.approx(expected.total_demerits)
    assert compared > 100 and found > 20
