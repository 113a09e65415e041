"""Column breaks: no widow, no orphan, no hyphen on a column's last line (moving a break, or
re-setting a paragraph when no move can help)."""

from __future__ import annotations

import pickle
from dataclasses import replace

from epaper.formats import NO_MICROTYPE, load_format
from epaper.layout.columns import balanced_legs, body_rebreaker, fill_legs, fills
from epaper.model import Paragraph, Run
from epaper.typeset import LOOSENESS_MAX_LINES, SetLine, rebreak, set_text
from epaper.typeset.knuth_plass import DEFAULT_PARAMS


def line(paragraph: int, first: bool = False, last: bool = False, hyphen: bool = False) -> SetLine:
    return SetLine(segments=(), width=100, natural_width=90, ratio=0.2, hyphenated=hyphen, paragraph=paragraph,
                   first_of_paragraph=first, last_of_paragraph=last, leading=10.5, justified=True)


def paragraphs(*sizes: int, hyphen_at: frozenset[int] = frozenset()) -> list[SetLine]:
    out: list[SetLine] = []
    for p, n in enumerate(sizes):
        for k in range(n):
            out.append(line(p, k == 0, k == n - 1, len(out) in hyphen_at))
    return out


def column_ends(counts) -> list[int]:
    return [sum(counts[:i + 1]) for i in range(len(counts) - 1)]


def test_widow_moves_the_break():
    # 9 lines in two columns: balanced 5 + 4 puts the last line of paragraph 0 (6 lines) atop column 2.
    lines = paragraphs(6, 3)
    legs = balanced_legs(lines, 2)
    assert legs.widows == legs.orphans == 0
    assert abs(legs.counts[0] - legs.counts[1]) <= 1
    assert not lines[legs.counts[0]].last_of_paragraph or lines[legs.counts[0]].first_of_paragraph


def test_orphan_moves_the_break():
    # Paragraph 1 starts on line 4: a 5 + 4 split leaves its first line alone at the foot of column 1.
    lines = paragraphs(4, 5)
    legs = balanced_legs(lines, 2)
    assert legs.orphans == 0 and legs.widows == 0
    end = legs.counts[0]
    assert not (lines[end - 1].first_of_paragraph and not lines[end - 1].last_of_paragraph)


def test_no_hyphen_on_a_column_foot():
    lines = paragraphs(9, hyphen_at=frozenset({4}))  # line 4 (the 5th) ends in a hyphen: 5 + 4 would end on it
    legs = balanced_legs(lines, 2)
    assert legs.hyphen_at_break == 0
    assert not lines[legs.counts[0] - 1].hyphenated


def test_faults_are_reported_when_nothing_helps():
    # Every line hyphenated and the columns full: no move helps and there is no re-breaker.
    lines = [line(0, k == 0, k == 5, hyphen=k < 5) for k in range(6)]
    legs = fill_legs(lines, 3, (0, 0))
    assert legs.counts == (3, 3)
    assert legs.hyphen_at_break == 1


TEXT = ("The harbour board voted on Tuesday to build a new seawall along the whole of the eastern front, "
        "after a winter of extraordinary storms that flooded the lower town repeatedly and damaged "
        "properties, businesses and the promenade itself. Engineers estimate construction will take "
        "eighteen months and disrupt traffic considerably throughout the neighbourhood.")


def words(lines) -> list[str]:
    return "".join(ln.text[:-1] if ln.hyphenated else ln.text + " " for ln in lines).split()


def body(n: int = 3):
    """TEXT set at a column's width. Without microtypography: with it, this paragraph's hyphens
    all happen to sit where no other set of breaks of as many lines exists (rebreak then rightly
    says None), and these tests are about what layout does with the hyphens it gets."""
    fmt = load_format("broadsheet")
    paras = tuple(Paragraph((Run(TEXT),)) for _ in range(n))
    style = replace(fmt.style("body"), microtype=NO_MICROTYPE)
    return set_text(paras, style, fmt.style("subhead"), fmt.column_width, "en")


def test_rebreak_avoids_a_hyphen_on_a_given_line():
    block = body()
    hyphenated = [i for i, ln in enumerate(block.lines) if ln.hyphenated]
    assert hyphenated, "the sample text should hyphenate somewhere at 136 pt"
    fixed = rebreak(block, hyphenated[0])
    assert fixed is not None
    assert len(fixed.lines) == len(block.lines)
    assert not fixed.lines[hyphenated[0]].hyphenated
    assert words(fixed.lines) == words(block.lines)


def test_a_pickled_block_leaves_its_caches_behind_and_sets_a_paragraph_again_the_same():
    """A block read back from a memo (or a worker) carries no prepared items or re-set lines: they
    are made again when layout asks for a paragraph once more, with the same result."""
    block = body()
    hyphenated = [i for i, ln in enumerate(block.lines) if ln.hyphenated]
    fixed = rebreak(block, hyphenated[0])
    assert block.spec is not None and block.spec._items and block.spec._rebroken
    back = pickle.loads(pickle.dumps(block))
    assert back == block and back.spec == block.spec
    assert not back.spec._items and not back.spec._rebroken
    assert len(pickle.dumps(block)) < len(pickle.dumps(replace(block, spec=None))) * 2
    assert rebreak(back, hyphenated[0]) == fixed
    assert back.spec._items  # made again on demand
    assert block.spec._items  # the original keeps its own


def test_rebreak_with_looseness_changes_one_paragraph_by_one_line():
    """A line more (or fewer) comes within the normal tolerance or not at all: whenever rebreak
    gives one, only the first paragraph changed, by exactly one line, and no line of it is looser
    than the tolerance. Paragraphs of 20 to 60 words: some can take a line more."""
    fmt = load_format("broadsheet")
    longer_found = 0
    for words_in in range(20, 61, 4):  # paragraphs short enough to be re-set (LOOSENESS_MAX_LINES)
        short = " ".join(TEXT.split()[:words_in])
        block = set_text((Paragraph((Run(short),)),) * 2, fmt.style("body"), fmt.style("subhead"),
                         fmt.column_width, "en")
        count = [ln.paragraph for ln in block.lines].count(0)
        assert count <= LOOSENESS_MAX_LINES
        for looseness in (1, -1):
            changed = rebreak(block, 0, looseness=looseness)
            if changed is None:
                continue
            longer_found += looseness > 0
            assert len(changed.lines) == len(block.lines) + looseness
            assert [ln.paragraph for ln in changed.lines].count(0) == count + looseness
            assert changed.lines[count + looseness:] == block.lines[count:]  # the next paragraph as it was
            assert max(ln.ratio for ln in changed.lines) <= DEFAULT_PARAMS.tolerance
    assert longer_found >= 3


def test_long_paragraphs_are_not_reset_a_line_longer():
    fmt = load_format("broadsheet")
    long_paragraph = Paragraph((Run(" ".join([TEXT] * 2)),))
    block = set_text((long_paragraph,) * 2, fmt.style("body"), fmt.style("subhead"), fmt.column_width, "en")
    assert [ln.paragraph for ln in block.lines].count(0) > LOOSENESS_MAX_LINES
    assert rebreak(block, 0, looseness=1) is None


def test_real_hyphen_at_a_column_foot_is_rebroken():
    block = body(4)
    lines = block.lines
    hyphenated = [i for i, ln in enumerate(lines) if ln.hyphenated and 0 < i < len(lines) - 1]
    assert hyphenated
    target = hyphenated[0]
    # Columns that must break right after the hyphenated line: no shift is possible (depth fixed).
    depth = target + 1
    offsets = (0, max(0, 2 * depth - len(lines)))
    legs = fill_legs(lines, depth, offsets, body_rebreaker(block))
    assert legs.hyphen_at_break == 0
    drawn = legs.lines or lines
    for end in column_ends(legs.counts):
        assert not drawn[end - 1].hyphenated


def lengthen(lines: list[SetLine], paragraph: int) -> list[SetLine]:
    """``lines`` with ``paragraph`` one line longer (what Knuth–Plass looseness +1 gives)."""
    sizes = [sum(1 for ln in lines if ln.paragraph == p) for p in range(lines[-1].paragraph + 1)]
    sizes[paragraph] += 1
    return paragraphs(*sizes)


def fake_rebreak(lines: list[SetLine]):
    def rebreak_(line: int, looseness: int):
        return lengthen(lines, lines[line].paragraph) if looseness == 1 else None
    return rebreak_


def test_exactly_full_columns_leave_a_widow_only_a_longer_paragraph_can_remove():
    # 3 columns of 6, exactly full: the break after line 12 puts paragraph 1's last line atop column 3.
    lines = paragraphs(4, 9, 5)
    plain = balanced_legs(lines, 3)
    assert plain.counts == (6, 6, 6) and plain.widows == 1
    # At the same depth nothing can move; one row deeper, a paragraph set a line longer fills it.
    assert not fills(18, (0, 0, 0), 7) and fills(19, (0, 0, 0), 7)
    assert balanced_legs(lines, 3, depth=7).counts == (6, 6, 6)  # no re-breaker: spread as is (a hole)
    deeper = balanced_legs(lines, 3, rebreak=fake_rebreak(lines), depth=7)
    assert deeper.lines is not None and len(deeper.lines) == 19
    assert deeper.widows == deeper.orphans == 0
    assert all(6 <= c <= 7 for c in deeper.counts)  # legs differ by at most one line, no hole


def test_balanced_legs_never_differ_by_more_than_one_line():
    for sizes in [(6, 3), (4, 5), (2, 2, 2, 2, 2), (1, 7, 1, 7), (3, 3, 3, 3, 3, 3, 3)]:
        lines = paragraphs(*sizes)
        for columns in (2, 3, 4):
            for offsets in [(), (2,), (2, 0, 5)]:
                legs = balanced_legs(lines, columns, offsets[:columns])
                offs = [offsets[i] if i < len(offsets) else 0 for i in range(columns)]
                bottoms = [o + c for o, c in zip(offs, legs.counts) if c]
                assert sum(legs.counts) == len(lines)
                assert max(bottoms) - min(bottoms) <= 1, (sizes, columns, offsets, legs)


def test_copyfit_offers_the_clean_shape_a_row_deeper_and_compose_draws_it(sample_edition):
    from epaper.formats import load_format
    from epaper.layout.compose import compose_module
    from epaper.layout.copyfit import FitCatalog
    from epaper.layout.geometry import PageGrid, Slot
    from epaper.layout.plan import Placement

    fmt = load_format(sample_edition.format)
    catalog = FitCatalog(fmt, "knuth-plass")
    found = []
    for article in sample_edition.articles:
        if len(found) >= 5:  # enough to check (measuring every story at three widths takes seconds)
            break
        for cols in (2, 3, 4):
            fits = catalog.fits(article, cols)
            for fit in fits:
                if "a paragraph set a line longer (no widow/orphan)" in fit.adjustments:
                    base = [f for f in fits if f.design is fit.design and f.photo_rows == fit.photo_rows
                            and f.rows == fit.rows - 1]
                    found.append((article, fit, base))
    assert found, "the sample edition should have exactly full modules with a widow or orphan"
    grid = PageGrid.for_page(fmt, 2, 0.0)
    for article, fit, base in found[:5]:
        assert fit.faults == 0 and all(b.faults > 0 for b in base)
        placement = Placement(article=article, design=fit.design, slot=Slot(0, fit.design.cols, 0, fit.rows),
                              line_start=0, line_end=len(fit.design.body), legs=fit.legs, photo_rows=fit.photo_rows)
        module = compose_module(placement, grid, continued_to=None)
        assert module.legs.widows == module.legs.orphans == 0
        assert len(module.lines) == len(fit.design.body) + 1
        assert words(module.lines) == words(fit.design.body.lines)


def test_sample_edition_has_no_widows_or_orphans(sample_layout):
    widows = sum(p.quality.widows for p in sample_layout.pages)
    orphans = sum(p.quality.orphans for p in sample_layout.pages)
    assert (widows, orphans) == (0, 0)
