"""Refer boxes: a space that no story and no quotation filled lists stories on other pages, each a
link to its page; never a story on the page itself, a front-page story or one the front teases,
and each story once in the edition (but two kept pages may name one story, and a space with no
story left to name names some again: see fill_with_refers)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from epaper.formats import load_format
from epaper.frame import FillRect, LinkArea, TextRun
from epaper.layout import lay_out
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.plan import PagePlan
from epaper.layout.refers import ENTRY_MAX_LINES, MAX_SHARE, fill_with_refers, refer_box_items
from epaper.i18n import Wording
from epaper.layout.wording import also_in_this_edition
from epaper.model import Article, Paragraph, Run


@dataclass(frozen=True)
class _Placed:
    article: Article
    continued_from_page: int | None = None


def _story(story_id: str, priority: int, headline: str = "") -> Article:
    return Article(story_id, "City", headline or f"{story_id.capitalize()} plan approved by the council",
                   (Paragraph((Run("Words."),)),), Path("city.json"), priority=priority)


def _plans(fmt, stories_by_page: dict[int, list], template_of=lambda n: "front" if n == 1 else "standard"):
    plans = []
    for number, placed in stories_by_page.items():
        plans.append(PagePlan(number=number, section="Front" if number == 1 else f"Section {number}",
                              template=template_of(number), grid=PageGrid.for_page(fmt, number, 0.0),
                              placements=tuple(placed)))
    return plans


def test_a_space_lists_stories_elsewhere_in_page_order(sample_edition):
    fmt = load_format(sample_edition.format)
    front, here, jumped = _story("front", 1), _story("here", 2), _story("jumped", 2)
    later = [_story(f"later{i}", i % 4 + 1) for i in range(6)]
    earlier, teased = _story("earlier", 1), _story("teased", 1)
    plans = _plans(fmt, {
        1: [_Placed(front)],
        2: [_Placed(earlier), _Placed(teased)],
        3: [_Placed(here), _Placed(jumped)],
        4: [_Placed(s) for s in later[:3]] + [_Placed(jumped, continued_from_page=3)],
        5: [_Placed(s) for s in later[3:]],
    })
    space = Slot(4, 2, 60, 45)
    plans[2] = replace(plans[2], empty_slots=(space, Slot(0, 1, 120, 3)))

    plans = fill_with_refers(plans, teased={"teased"}, languages={})

    page = plans[2]
    assert page.empty_slots == (Slot(0, 1, 120, 3),)  # too shallow for one entry: it stays
    (box,) = page.refers
    assert box.slot == space
    named = [r.article.id for r in box.refers]
    # Never the front's stories, the front's teasers, the page's own or a story with a part here.
    assert not {"front", "teased", "here", "jumped"} & set(named)
    # Later pages are preferred; the entries read in page order, down one column then the next.
    assert set(named) >= {s.id for s in later[:3]}
    assert [r.page for r in box.refers] == sorted(r.page for r in box.refers)
    assert [(r.column, r.top) for r in box.refers] == sorted((r.column, r.top) for r in box.refers)
    room = (space.height - 1) * fmt.baseline
    assert all(r.column < space.cols and r.top + r.height <= room for r in box.refers)
    bare = PagePlan(number=3, section="Section 3", template="standard", grid=page.grid, refers=(box,))
    assert bare.empty_cells == bare.cells - space.cols * space.height  # the box fills its space

    items = refer_box_items(box, page.grid)
    links = [i for i in items if isinstance(i, LinkArea)]
    assert [link.page for link in links] == [r.page for r in box.refers]
    area = page.grid.box(space)
    assert all(area.contains(link.box) for link in links)
    words = [i.text.strip() for i in items if isinstance(i, TextRun)]
    heading = also_in_this_edition(Wording("en")).upper().split()
    assert words[:len(heading)] == heading  # the heading, then the entries


def test_every_entry_of_a_box_is_set_at_one_size(sample_edition):
    """A headline too long for ENTRY_MAX_LINES lines at the box's size is not shrunk into it (a box
    of headlines in several sizes reads as filler): the next story is named instead."""
    fmt = load_format(sample_edition.format)
    long = _story("long", 1, "Council committee agrees after a marathon overnight sitting to ask the province "
                             "for an independent review of every harbour dredging contract signed since 2019")
    others = [_story(f"s{i}", 3) for i in range(5)]
    plans = _plans(fmt, {2: [_Placed(s) for s in others[:2]], 3: [_Placed(long)] + [_Placed(s) for s in others[2:]]})
    plans[0] = replace(plans[0], empty_slots=(Slot(4, 2, 60, 45),))

    (box,) = fill_with_refers(plans, teased=set(), languages={})[0].refers

    named = [r.article.id for r in box.refers]
    assert "long" not in named and {"s2", "s3", "s4"} <= set(named)  # the later page's others instead
    sizes = {seg.size for r in box.refers for line in r.headline.lines for seg in line.segments}
    assert sizes == {fmt.style("teaser").size}
    assert all(len(r.headline) <= ENTRY_MAX_LINES for r in box.refers)


def test_each_story_is_referred_to_once_and_big_spaces_stay_empty(sample_edition):
    fmt = load_format(sample_edition.format)
    stories = [_story(f"s{i}", i % 5 + 1) for i in range(12)]
    plans = _plans(fmt, {2: stories[:4], 3: stories[4:8], 4: stories[8:]})
    plans = [replace(plan, placements=tuple(_Placed(s) for s in plan.placements)) for plan in plans]
    grid_rows = plans[0].grid.rows
    too_big = Slot(0, fmt.columns, 0, int(MAX_SHARE * grid_rows) + 2)  # more than MAX_SHARE of the page
    plans[0] = replace(plans[0], empty_slots=(too_big,))
    plans[1] = replace(plans[1], empty_slots=(Slot(0, 2, 80, 30),))
    plans[2] = replace(plans[2], empty_slots=(Slot(3, 3, 90, 20),))

    plans = fill_with_refers(plans, teased=set(), languages={})

    assert plans[0].refers == () and plans[0].empty_slots == (too_big,)
    named = [r.article.id for plan in plans for box in plan.refers for r in box.refers]
    assert len(plans[1].refers) == 1 and len(plans[2].refers) == 1
    assert len(named) == len(set(named))


def test_refer_boxes_on_the_sample_point_to_their_stories(sample_edition, sample_layout):
    by_id = {a.id: a for a in sample_edition.articles}
    boxes = 0
    for page in sample_layout.pages:
        tints = [i.box for i in page.items if isinstance(i, FillRect) and i.source and i.source.role == "refer"]
        boxes += len(tints)
        notes = [n for n in page.quality.notes if n.startswith("refer box")]
        assert len(notes) == len(tints), page.number
        for tint in tints:
            assert page.editorial.contains(tint)
            assert not any(tint.overlaps(b) for r in page.regions for b in r.boxes), page.number
            links = [i for i in page.items if isinstance(i, LinkArea) and tint.contains(i.box)]
            assert links, page.number
            for link in links:
                target = sample_layout.pages[link.page - 1]
                headline = link.label.split(": ", 1)[1]
                on_target = [by_id[r.article_id].headline for r in target.regions]
                assert headline in on_target, (page.number, link.label)
                assert headline not in [by_id[r.article_id].headline for r in page.regions]
    assert boxes, "the sample has no refer box to check: find an edition with a space nothing fills"


def test_a_locked_pages_box_names_its_stories_again_before_pages_made_again_choose(sample_edition):
    fmt = load_format(sample_edition.format)
    stories = [_story(f"s{i}", i % 5 + 1) for i in range(12)]
    plans = _plans(fmt, {2: stories[:4], 3: stories[4:8], 4: stories[8:]})
    plans = [replace(plan, placements=tuple(_Placed(s) for s in plan.placements)) for plan in plans]
    space = Slot(0, 2, 80, 30)
    plans[0] = replace(plans[0], empty_slots=(space,))  # page 2, made again: it would take s4 to s7
    plans[2] = replace(plans[2], empty_slots=(space,), kept_refers=((space, ("s5", "s6")),))
    unlocked = fill_with_refers([plans[0], plans[1], replace(plans[2], kept_refers=())], teased=set(), languages={})
    assert {"s5", "s6"} <= {r.article.id for r in unlocked[0].refers[0].refers}  # what page 2 takes unlocked

    filled = fill_with_refers(plans, teased=set(), languages={})
    assert [r.article.id for r in filled[2].refers[0].refers] == ["s5", "s6"]
    assert filled[2].empty_slots == ()
    assert not {"s5", "s6"} & {r.article.id for r in filled[0].refers[0].refers}
    # A story it named that can no longer be named (the front teases it now): chosen again.
    again = fill_with_refers(plans, teased={"s6"}, languages={})
    assert "s6" not in [r.article.id for r in again[2].refers[0].refers]
    # A page a replate makes again names what its box named after every locked page's box: page 2,
    # earlier in the edition, preferring s5 too, leaves it to locked page 4 and keeps its other one.
    preferring = [replace(plans[0], preferred_refers=((space, ("s5", "s7")),)), plans[1], plans[2]]
    filled = fill_with_refers(preferring, teased=set(), languages={})
    assert [r.article.id for r in filled[2].refers[0].refers] == ["s5", "s6"]
    assert "s5" not in {r.article.id for r in filled[0].refers[0].refers}
    alone = fill_with_refers([preferring[0], plans[1]], teased=set(), languages={})
    assert [r.article.id for r in alone[0].refers[0].refers] == ["s5", "s7"]  # with no locked page: its own


@pytest.mark.slow
def test_a_locked_page_keeps_its_refer_box(sample_edition, sample_layout):
    pages = [p.number for p in sample_layout.pages if any(
        isinstance(i, FillRect) and i.source and i.source.role == "refer" for i in p.items)]
    assert pages
    relaid = lay_out(sample_edition, lock=sample_layout.plan, lock_pages=pages)
    for number in pages:
        before, after = sample_layout.pages[number - 1], relaid.pages[number - 1]
        assert [i for i in after.items if isinstance(i, FillRect)] == [
            i for i in before.items if isinstance(i, FillRect)]
        assert after.quality.fill_ratio == before.quality.fill_ratio


def test_a_refer_box_on_a_hindi_page_is_headed_in_hindi(sample_edition):
    fmt = load_format(sample_edition.format)
    plans = _plans(fmt, {2: [_Placed(_story("here", 1))], 3: [_Placed(_story("there", 1))]})
    plans[0] = replace(plans[0], empty_slots=(Slot(0, 2, 80, 30),))
    plans = fill_with_refers(plans, teased=set(), languages={"Section 2": "hi"})
    (box,) = plans[0].refers
    heading = " ".join(s.text.strip() for line in box.heading.lines for s in line.segments)
    assert heading == also_in_this_edition(Wording("hi")) == "इस अंक में यह भी"
    assert all(s.glyphs for line in box.heading.lines for s in line.segments)  # shaped
    (refer,) = box.refers
    assert refer.where == "Section 3 · पृष्ठ 3"
    (link,) = [i for i in refer_box_items(box, plans[0].grid) if isinstance(i, LinkArea)]
    assert link.label == f"Section 3 · पृष्ठ 3: {refer.article.headline}"


def test_two_kept_boxes_naming_one_story_both_stay_and_new_boxes_name_others(sample_edition):
    """A zone's own page kept beside a main-edition page it inherits, their boxes chosen in two
    runs: both name the story (each plate stays as it was); a box chosen now names others; a
    teased story still gives a kept box up (the front changed what it points to)."""
    fmt = load_format(sample_edition.format)
    stories = {i: _story(f"s{i}", 2) for i in range(2, 10)}
    plans = {plan.number: plan for plan in _plans(fmt, {n: [_Placed(stories[n])] for n in range(2, 10)})}
    space = Slot(0, 2, 80, 30)
    for number, kept in ((2, ("s6",)), (5, ("s6",)), (7, ()), (8, ("s3",))):  # 2 inherited, 5 the zone's own
        plans[number] = replace(plans[number], empty_slots=(space,), kept_refers=((space, kept),) if kept else ())

    filled = {plan.number: plan for plan in fill_with_refers(list(plans.values()), teased={"s3"}, languages={})}

    def named(number):
        return [r.article.id for box in filled[number].refers for r in box.refers]

    assert named(2) == ["s6"] and named(5) == ["s6"]
    assert named(7) and "s6" not in named(7)  # chosen now: not a story the kept boxes name
    assert "s3" not in named(8)  # teased now: the kept box is chosen again


def test_a_space_no_story_is_left_for_names_stories_named_elsewhere_rather_than_stay_empty(sample_edition):
    """An outside Hindi-desk audit: a zone that adds a section replays the main edition's pages at
    new numbers, their boxes kept; on one, a story its box named is not in the zone, so that box is
    chosen again, and the kept boxes had named every story: the space stayed empty, a tenth of the
    page blank. Now it names stories another box names too (never one on its own page, nor one
    twice in the box)."""
    fmt = load_format(sample_edition.format)
    stories = {i: _story(f"s{i}", 2) for i in range(2, 8)}
    plans = {plan.number: plan for plan in _plans(fmt, {n: [_Placed(stories[n])] for n in range(2, 8)})}
    space = Slot(0, 2, 80, 30)
    everyone_but = {n: tuple(f"s{i}" for i in range(2, 8) if i != n) for n in range(2, 8)}
    plans[2] = replace(plans[2], empty_slots=(space,), kept_refers=((space, everyone_but[2]),))
    plans[4] = replace(plans[4], empty_slots=(space,), kept_refers=((space, ("s2",)),))  # every story named now
    plans[3] = replace(plans[3], empty_slots=(space,), kept_refers=((space, ("gone",)),))  # not in this edition

    filled = {plan.number: plan for plan in fill_with_refers(list(plans.values()), teased=set(), languages={})}

    kept = [r.article.id for box in filled[2].refers for r in box.refers]
    assert sorted(kept) == sorted(everyone_but[2])
    again = [r.article.id for box in filled[3].refers for r in box.refers]
    assert again and "s3" not in again and len(again) == len(set(again)), again
    assert filled[3].empty_slots == ()


def test_a_box_on_a_hindi_page_names_hindi_stories_before_english_ones(sample_edition):
    """A Hindi desk's audit: the box of the sample's Hindi page 18 named English Sport headlines
    ("SPORT · पृष्ठ 13"), which its readers do not read. Stories in the page's language come
    first, wherever they are; another language's only where none is left to name."""
    fmt = load_format(sample_edition.format)
    hindi = replace(_story("hindi", 3, "तट पर नई सड़क बनेगी"), language="hi")
    english = [_story(f"english{i}", 1, f"Port wins cup {i}") for i in range(3)]
    plans = _plans(fmt, {2: [_Placed(hindi)], 3: [_Placed(_story("here", 1))], 4: [_Placed(s) for s in english]})
    plans[1] = replace(plans[1], empty_slots=(Slot(0, 2, 80, 6),))  # room for one entry
    filled = fill_with_refers(plans, teased=set(), languages={"Section 3": "hi"})
    (box,) = filled[1].refers
    # The Hindi story on an earlier page, of a lower priority, before English ones on a later page.
    assert [r.article.id for r in box.refers] == ["hindi"]
    # With no Hindi story left to name, the box names English ones rather than leave a hole.
    plans[0] = replace(plans[0], placements=())
    plans[1] = replace(plans[1], empty_slots=(Slot(0, 2, 80, 13),))
    (box,) = fill_with_refers(plans, teased=set(), languages={"Section 3": "hi"})[1].refers
    assert {r.article.id for r in box.refers} <= {s.id for s in english} and box.refers
