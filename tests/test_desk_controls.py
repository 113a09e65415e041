"""The desk's controls: pin a story to a page, a slot and a width; lock pages from the previous run;
the same input always gives the same pages."""

from __future__ import annotations

import dataclasses

import pytest

from epaper.frame import FillRect
from epaper.frame.blank import is_hole
from epaper.layout import LockError, lay_out
from epaper.model import Paragraph, Pin, Run


@pytest.fixture(scope="module")
def city(sample_edition):
    """The sample edition's City section alone with its ads: quicker to lay out than the edition."""
    spec = next(s for s in sample_edition.sections if s.name == "City")
    spec = dataclasses.replace(spec)
    pages = range(2, 2 + spec.pages)
    return dataclasses.replace(
        sample_edition, sections=(spec,),
        articles=tuple(a for a in sample_edition.articles if a.section == "City"),
        ads=tuple(dataclasses.replace(ad, page=ad.page - 1) for ad in sample_edition.ads if ad.page in pages))


@pytest.fixture(scope="module")
def city_layout(city):
    return lay_out(city)


def _with(edition, article_id, **changes):
    return dataclasses.replace(edition, articles=tuple(
        dataclasses.replace(a, **changes) if a.id == article_id else a for a in edition.articles))


def _region(laid_out, article_id):
    return next((page, r) for page in laid_out.pages for r in page.regions if r.article_id == article_id)


def _minor_story(laid_out, edition):
    """A placed story of low priority that does not jump."""
    by_id = {a.id: a for a in edition.articles}
    regions = [(p, r) for p in laid_out.pages for r in p.regions if not r.continued_to and not r.continued_from]
    page, region = max(regions, key=lambda pr: (by_id[pr[1].article_id].priority, pr[1].article_id))
    return by_id[region.article_id], page


def test_same_input_gives_the_same_pages(city, city_layout):
    again = lay_out(city)
    assert again.pages == city_layout.pages
    assert again.plan == city_layout.plan


def test_pinned_columns_and_lead_slot(city, city_layout):
    story, page = _minor_story(city_layout, city)
    last_page = city_layout.pages[-1].number
    pinned = _with(city, story.id, pin=Pin(page=last_page, slot="lead", columns=3))
    laid_out = lay_out(pinned)
    where, region = _region(laid_out, story.id)
    assert where.number == last_page
    assert abs(region.boxes[0].w - laid_out.format.span_width(3)) < 0.01
    # The lead position: the first module of the page, at the top left of its editorial area.
    first = min(where.regions, key=lambda r: (r.boxes[0].y, r.boxes[0].x))
    assert first.article_id == story.id
    assert abs(region.boxes[0].y - where.editorial.y) < 0.01


def test_pinned_below_the_fold(city, city_layout):
    story, page = _minor_story(city_layout, city)
    pinned = _with(city, story.id, pin=Pin(page=page.number, slot="bottom"))
    laid_out = lay_out(pinned)
    where, region = _region(laid_out, story.id)
    assert where.number == page.number
    assert region.boxes[0].y >= where.editorial.y + where.editorial.h / 2 - laid_out.format.baseline


def test_a_locked_page_stays_as_it_was_while_others_change(city, city_layout):
    first_page, other_page = city_layout.pages[0].number, city_layout.pages[-1].number
    # Rewrite a story that is not on the locked page: the other pages are laid out again.
    story = next(r.article_id for r in city_layout.pages[-1].regions
                 if not any(x.article_id == r.article_id for x in city_layout.pages[0].regions))
    longer = tuple(next(a for a in city.articles if a.id == story).body) + (
        Paragraph((Run("An added paragraph of late copy from the night desk, long enough to change "
                       "the shape of this story on its page."),)),)
    changed = _with(city, story, body=longer)
    relaid = lay_out(changed, lock=city_layout.plan, lock_pages=[first_page])
    assert relaid.pages[0].items == city_layout.pages[0].items
    assert relaid.pages[0].regions == city_layout.pages[0].regions
    # ...while the page of the rewritten story was laid out again.
    assert relaid.pages[-1].number == other_page
    assert relaid.pages[-1].items != city_layout.pages[-1].items


def test_locking_a_page_whose_story_changed_is_refused(city, city_layout):
    page = city_layout.pages[0]
    story = page.regions[0].article_id
    changed = _with(city, story, headline="A different headline written after the page was locked")
    with pytest.raises(LockError, match=rf"--lock {page.number}: article '{story}' changed since the previous run"):
        lay_out(changed, lock=city_layout.plan, lock_pages=[page.number])


def test_a_page_is_unchanged_until_a_story_or_an_ad_on_it_changes(city, city_layout):
    """What lets a replate keep the pages it was asked for when nothing on them changed."""
    from epaper.layout.lock import pages_unchanged

    record = city_layout.plan
    numbers = [page.number for page in city_layout.pages]
    assert all(pages_unchanged(record, city, [n]) for n in numbers)
    story = city_layout.pages[0].regions[0].article_id
    changed = _with(city, story, headline="A different headline written after the page was made")
    assert [n for n in numbers if not pages_unchanged(record, changed, [n])] == [city_layout.pages[0].number]
    ad = city.ads[0]
    taller = dataclasses.replace(city, ads=(dataclasses.replace(ad, height_mm=ad.height_mm + 20), *city.ads[1:]))
    assert [n for n in numbers if not pages_unchanged(record, taller, [n])] == [ad.page]
    old = {**record, "pages": [{k: v for k, v in page.items() if k != "ads"} for page in record["pages"]]}
    assert not pages_unchanged(old, city, numbers[:1])  # a record without its ads: not known to be unchanged
    # A record written when an ad's fingerprint held its page number: read as written, not "changed".
    import hashlib

    from epaper.layout.lock import _photo_digest

    def numbered(n: int) -> list[str]:
        return [hashlib.sha256(repr((a.page, a.columns, a.height_mm, a.position, _photo_digest(a.image) if a.image
                                     else None)).encode("utf-8")).hexdigest()[:16] for a in city.ads if a.page == n]

    earlier = {**record, "pages": [{**page, "ads": numbered(page["number"])} for page in record["pages"]]}
    assert earlier["pages"] != record["pages"] and all(pages_unchanged(earlier, city, [n]) for n in numbers)
    assert [n for n in numbers if not pages_unchanged(earlier, taller, [n])] == [ad.page]
    lay_out(city, lock=earlier, lock_pages=[ad.page])  # locks, as before the upgrade


def test_locking_a_continuation_without_its_origin_is_refused(city_layout, city):
    continued = [(p.number, r) for p in city_layout.pages for r in p.regions if r.continued_from]
    if not continued:
        pytest.skip("no jump in this layout")
    number, region = continued[0]
    with pytest.raises(LockError, match=rf"continues here from page {region.continued_from} — lock page"):
        lay_out(city, lock=city_layout.plan, lock_pages=[number])


def test_a_page_whose_ad_changed_or_that_another_section_moved_is_not_locked(city, city_layout):
    """A locked page prints as it was made: one whose ad changed since would print its stories under
    the new ad; one that a section given more pages moved on would print under the wrong section,
    or twice (a replate kept them by their old numbers). Both are refused, saying what to do."""
    ad = city.ads[0]
    taller = dataclasses.replace(city, ads=(dataclasses.replace(ad, height_mm=ad.height_mm + 20), *city.ads[1:]))
    with pytest.raises(LockError, match=rf"--lock {ad.page}: an ad on page {ad.page} changed in edition.yaml "
                                        rf"since it was made — make page {ad.page} again too"):
        lay_out(taller, lock=city_layout.plan, lock_pages=[ad.page])
    first = city_layout.pages[0].number
    front = dataclasses.replace(city.sections[0], name="Front", pages=1, template="front")
    moved = dataclasses.replace(city, sections=(front, *city.sections))
    with pytest.raises(LockError, match=rf"--lock {first}: page {first} is in section 'Front' now, not 'City' as "
                                        r"when it was made \(edition.yaml's sections changed\) — build the edition whole"):
        lay_out(moved, lock=city_layout.plan, lock_pages=[first])


def test_a_locked_page_keeps_its_ads(sample_edition, sample_layout):
    """A regression: locked pages were rebuilt from the plan record without their ad slots."""
    pages = [p.number for p in sample_layout.pages
             if any(ad.page == p.number for ad in sample_edition.ads) and not any(r.continued_from for r in p.regions)]
    assert pages
    relaid = lay_out(sample_edition, lock=sample_layout.plan, lock_pages=pages)
    for number in pages:
        before = next(p for p in sample_layout.pages if p.number == number)
        after = next(p for p in relaid.pages if p.number == number)
        ads = [i for i in before.items if isinstance(i, FillRect)]
        assert ads and [i for i in after.items if isinstance(i, FillRect)] == ads
        assert after.items == before.items


def _corrected(article, old: str = "the", new: str = "its"):
    """The article with one word of its body changed for another of the same length (a correction)."""
    for index, paragraph in enumerate(article.body):
        for r, run in enumerate(paragraph.runs):
            words = run.text.split(" ")
            if old in words:
                words[words.index(old)] = new
                runs = paragraph.runs[:r] + (dataclasses.replace(run, text=" ".join(words)),) + paragraph.runs[r + 1:]
                body = article.body[:index] + (dataclasses.replace(paragraph, runs=runs),) + article.body[index + 1:]
                return dataclasses.replace(article, body=body)
    raise AssertionError(f"{article.id}: no {old!r} in its body")


def _replated(edition, layout, number):
    """``edition`` laid out as a replate of page ``number`` lays it out: every other page locked."""
    return lay_out(edition, lock=layout.plan, lock_pages=[p.number for p in layout.pages if p.number != number],
                   refit=True)


def _slots(record, number):
    page = next(p for p in record["pages"] if p["number"] == number)
    return [(p["article"], p["slot"], p["lines"]) for p in page["placements"]]


def _notes(laid_out, article_id):
    return [note for d in laid_out.decisions if d.article_id == article_id for note in d.adjustments]


def test_a_replated_story_corrected_by_a_word_keeps_its_place(city, city_layout):
    """A subeditor correcting a word at midnight expects the page not to move: the story is set
    again in the slot it had, the other stories stay, only the corrected line differs."""
    story, page = _minor_story(city_layout, city)
    corrected = _corrected(story)
    changed = _with(city, story.id, body=corrected.body)
    relaid = _replated(changed, city_layout, page.number)
    assert _slots(relaid.plan, page.number) == _slots(city_layout.plan, page.number)
    assert "set again in its place" in _notes(relaid, story.id)
    before = next(p for p in city_layout.pages if p.number == page.number)
    after = next(p for p in relaid.pages if p.number == page.number)
    assert after.regions == before.regions
    words = lambda p: " ".join(i.text for i in p.items if getattr(i, "text", None)).split()  # noqa: E731
    assert words(after) != words(before) and len(words(after)) == len(words(before))
    # Every other page is the one published.
    assert [p for p in relaid.pages if p.number != page.number] == [
        p for p in city_layout.pages if p.number != page.number]


def test_a_replated_story_that_outgrew_its_slot_is_planned_again(city, city_layout):
    story, page = _minor_story(city_layout, city)
    longer = story.body + tuple(Paragraph((Run(f"Late copy from the night desk, paragraph {n}, long enough to "
                                                 "need lines of its own in any column of this story."),))
                                for n in range(1, 4))
    relaid = _replated(_with(city, story.id, body=longer), city_layout, page.number)
    assert "set again in its place" not in _notes(relaid, story.id)
    assert relaid.refit_refused.startswith(f"{story.id} no longer fills the ") and " lines where " in relaid.refit_refused
    placed = [u.article_id for u in relaid.unplaced]
    if story.id not in placed:  # all of it printed, on its page
        decided = [d for d in relaid.decisions if d.article_id == story.id]
        assert [d.page for d in decided] == [page.number]
        assert decided[0].lines > next(d.lines for d in city_layout.decisions if d.article_id == story.id)


def test_a_replate_plans_the_page_again_when_its_section_changed_otherwise(city, city_layout):
    """A story added to the section, or one left out changed (cut to get it in), or an ad moved on
    the page: the desk expects the replate to find it a place, so the page is planned again."""
    story, page = _minor_story(city_layout, city)
    corrected = _with(city, story.id, body=_corrected(story).body)
    added = dataclasses.replace(corrected, articles=corrected.articles + (dataclasses.replace(
        story, id="late-brief", headline="A late brief", body=story.body[:1], photos=()),))
    relaid = _replated(added, city_layout, page.number)
    assert "set again in its place" not in _notes(relaid, story.id)
    assert relaid.refit_refused == "late-brief is new to section 'City'"
    record = city_layout.plan
    ads_moved = {**record, "pages": [{**p, "ads": ["elsewhere"]} if p["number"] == page.number else p
                                     for p in record["pages"]]}
    relaid = _replated(corrected, _with_plan(city_layout, ads_moved), page.number)
    assert "set again in its place" not in _notes(relaid, story.id)
    assert relaid.refit_refused == f"an ad on page {page.number} changed"
    assert "set again in its place" in _notes(_replated(corrected, city_layout, page.number), story.id)


def _with_plan(layout, record):
    return dataclasses.replace(layout, plan=record)


def test_a_replate_plans_the_page_again_when_a_story_left_out_changed(city):
    """The desk may have cut a story left out to get it in: the replate must find it a place."""
    spec = dataclasses.replace(city.sections[0], pages=city.sections[0].pages - 1)
    short = dataclasses.replace(city, sections=(spec,), ads=tuple(a for a in city.ads if a.page <= spec.pages))
    layout = lay_out(short)
    assert layout.unplaced and {u["article"] for u in layout.plan["unplaced"]} == {u.article_id for u in layout.unplaced}
    from epaper.build import with_jump_pages

    story, page = _minor_story(layout, short)
    pages = with_jump_pages(layout.plan, {page.number})  # as a replate of the page makes them
    corrected = _with(short, story.id, body=_corrected(story).body)
    assert "set again in its place" in _notes(_replated_pages(corrected, layout, pages), story.id)
    left = next(a for a in short.articles if a.id == layout.unplaced[0].article_id)
    cut = _with(corrected, left.id, body=left.body[:1])
    relaid = _replated_pages(cut, layout, pages)
    assert "set again in its place" not in _notes(relaid, story.id)
    assert relaid.refit_refused == f"{left.id}, left out before, changed"
    # Nor is the page "unchanged" when that is all that changed (a replate would publish nothing).
    from epaper.layout.lock import pages_unchanged

    assert pages_unchanged(layout.plan, short, [page.number])
    assert not pages_unchanged(layout.plan, _with(short, left.id, body=left.body[:1]), [page.number])


def test_a_record_from_an_older_epaper_is_planned_again_and_says_so(city, city_layout):
    story, page = _minor_story(city_layout, city)
    corrected = _with(city, story.id, body=_corrected(story).body)
    old = {**city_layout.plan, "pages": [{**p, "placements": [{k: v for k, v in e.items() if k != "fixed"}
                                                                for e in p["placements"]]}
                                          for p in city_layout.plan["pages"]]}
    relaid = _replated(corrected, _with_plan(city_layout, old), page.number)
    assert relaid.refit_refused == f"{story.id} cannot be kept in place: the previous run's plan.json is from an older epaper"


def _replated_pages(edition, layout, pages):
    """``edition`` laid out as a replate that makes ``pages`` again (a page and its jump pages)."""
    return lay_out(edition, lock=layout.plan, lock_pages=[p.number for p in layout.pages if p.number not in pages],
                   refit=True)


@pytest.mark.parametrize("number", [1, 2])
def test_a_story_corrected_on_a_page_that_makes_its_jump_page_again_keeps_its_place(sample_edition, sample_layout,
                                                                                    number):
    """A replate of the front makes page 2 again (a front story continues there), one of page 2 makes
    page 3 again (and the pages those jump to and from in turn: the front): the corrected story (no
    jump of its own) and every other story keep their slots."""
    from epaper.build import with_jump_pages

    pages = with_jump_pages(sample_layout.plan, {number})
    assert number + 1 in pages
    entry = next(p for p in sample_layout.plan["pages"] if p["number"] == number)
    story = next(p["article"] for p in entry["placements"]
                 if not p["continued_to_part"] and not p["continued_from_page"] and p["article"] != "index-inside-today")
    article = next(a for a in sample_edition.articles if a.id == story)
    relaid = _replated_pages(_with(sample_edition, story, body=_corrected(article).body), sample_layout, pages)
    for n in pages:
        assert _slots(relaid.plan, n) == _slots(sample_layout.plan, n)
    assert _notes(relaid, story).count("set again in its place") == 1
    # The others on those pages were kept as they were, not locked by the desk.
    kept = [d for d in relaid.decisions if d.page in pages and d.article_id != story]
    assert kept and not any("page locked" in d.adjustments or "set again in its place" in d.adjustments for d in kept)


def test_a_replate_plans_the_page_again_when_more_than_a_storys_words_changed(city, city_layout):
    """A pin, a higher priority, another photo: the desk expects the page planned again for these."""
    story, page = _minor_story(city_layout, city)
    corrected = _corrected(story)
    photographed = next(a for a in city.articles if a.photos and a.id != story.id)
    for changes in (dict(pin=Pin(page=page.number, slot="lead", columns=4)), dict(priority=1),
                    dict(photos=photographed.photos[:1])):
        relaid = _replated(_with(city, story.id, body=corrected.body, **changes), city_layout, page.number)
        assert "set again in its place" not in _notes(relaid, story.id), changes
        assert relaid.refit_refused == (f"{story.id} changed more than its words (its photos, priority, pin, section "
                                        "or language)")


def test_a_story_set_again_in_its_place_is_noted_once_and_only_on_its_replate(city, city_layout):
    story, page = _minor_story(city_layout, city)
    first = _with(city, story.id, body=_corrected(story).body)
    once = _replated(first, city_layout, page.number)
    assert "set again in its place" in _notes(once, story.id)
    other = next(r.article_id for p in once.pages if p.number == page.number for r in p.regions
                 if r.article_id != story.id and not r.continued_from and not r.continued_to)
    other_article = next(a for a in first.articles if a.id == other)
    twice = _replated(_with(first, other, body=_corrected(other_article).body), once, page.number)
    assert "set again in its place" in _notes(twice, other)
    assert _notes(twice, story.id) == [n for n in _notes(once, story.id) if n != "set again in its place"]
    # Locked afterwards, the page is the one published: its notes are not decisions.
    from epaper.layout import same_decisions

    locked = lay_out(first, lock=once.plan, lock_pages=[p.number for p in once.pages])
    assert same_decisions(locked.plan, once.plan)


def test_a_replates_layout_key_covers_the_stories_the_record_left_out(city, city_layout, tmp_path):
    """Whether a page is kept in place depends on the stories the previous run left out too: two
    records differing only there are two layouts (else a page key remembered for one serves the other)."""
    from epaper.build import _lay_out
    from epaper.cache import Store
    from epaper.memos import StoredSections

    store = Store.of(tmp_path)
    story, page = _minor_story(city_layout, city)
    changed = _with(city, story.id, body=_corrected(story).body)
    others = [p.number for p in city_layout.pages if p.number != page.number]
    keys = {_lay_out(changed, store, StoredSections(store), breaker="knuth-plass", lock=record, lock_pages=others,
                     refit=True)[1]
            for record in (city_layout.plan, {**city_layout.plan, "unplaced": [{"article": "x", "fingerprint": "y"}]})}
    assert len(keys) == 2


def test_a_story_left_out_beside_a_space_it_would_fill_is_not_said_to_be_negative_rows_short(monkeypatch):
    """A replate keeps pages as they were: their spaces can be larger than the story and still not
    take it. The reason says where the space is, never "-13 rows short"."""
    from types import SimpleNamespace

    import epaper.layout
    from epaper.layout import _unplaced_reason
    from epaper.layout.geometry import Slot

    monkeypatch.setattr(epaper.layout, "most_printed", lambda *a: None)  # (no pages to measure here)

    design = SimpleNamespace(cols=2, body=tuple(range(60)))
    catalog = SimpleNamespace(fmt=SimpleNamespace(columns=6),
                              fits=lambda article, cols: [SimpleNamespace(design=design, rows=58, cost=0.0)]
                              if cols == 2 else [])
    plans = [SimpleNamespace(number=4, section="City", empty_slots=()),
             SimpleNamespace(number=5, section="City", empty_slots=(Slot(0, 2, 10, 71),))]
    roomy = _unplaced_reason(SimpleNamespace(id="x", word_count=600), plans, catalog)
    assert "rows short" not in roomy and "cut about" not in roomy, roomy
    assert "a space of 2 × 71 rows is left on page 5, where it was not set" in roomy, roomy
    tight = _unplaced_reason(SimpleNamespace(id="x", word_count=600), [SimpleNamespace(
        number=5, section="City", empty_slots=(Slot(0, 2, 10, 40),))], catalog)
    assert "the largest space left is 2 × 40 rows on page 5, 18 rows short" in tight, tight
    # The cut in lines and words, at the width asked: 18 rows of 2 columns, 36 of its 60 lines.
    assert "(to fit there at 2 columns: cut about 36 lines, some 360 of its 600 words)" in tight, tight


@pytest.mark.parametrize("spiked", ["court-sentencing-arson", "harbour-hill-speed-cameras"])
def test_a_section_a_brief_was_spiked_from_still_fills_its_last_page(city, spiked):
    # Without the brief the City section's copy falls just short of its pages: filled greedily,
    # page by page, the first pages took compact shapes (photos dropped, stories as briefs) and
    # left a third of the last page empty (34 % before the section was laid out again roomier).
    shorter = dataclasses.replace(city, articles=tuple(a for a in city.articles if a.id != spiked))
    laid_out = lay_out(shorter)
    assert not laid_out.unplaced
    last = laid_out.pages[-1]
    assert not is_hole(last.quality.largest_blank), last.quality.largest_blank
    assert {r.article_id for p in laid_out.pages for r in p.regions} == {a.id for a in shorter.articles}
