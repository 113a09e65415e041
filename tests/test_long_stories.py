"""A lead story longer than a page: it jumps late in its text to the section's next page (its page
mostly its own, the rest heading the jump page), whole and in order; lesser stories make way and
are reported, never the lead; a page is not left blank beside it. Longer than the section can
hold, it is left out with the cut a desk can make: in lines and words, at the width of the space."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from epaper.frame import TextRun
from epaper.layout import lay_out

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from layout_checks import body_words, read_words  # noqa: E402  (the checker the bench uses)

LEAD = "brannock-shipyards-hydrogen-ferries"


def _with_lead_times(edition, times: int):
    """The sample edition with the Business lead's text ``times`` over (the same paragraphs again)."""
    articles = tuple(replace(a, body=a.body * times, priority=1) if a.id == LEAD else a for a in edition.articles)
    return replace(edition, articles=articles)


def _section_pages(layout, name: str):
    return [page for page in layout.pages if page.section == name]


@pytest.mark.slow
def test_a_lead_longer_than_a_page_jumps_to_the_sections_next_page_whole(sample_edition):
    edition = _with_lead_times(sample_edition, 5)
    layout = lay_out(edition)
    first, jump_page = _section_pages(layout, "Business")
    assert LEAD not in {u.article_id for u in layout.unplaced}, layout.unplaced
    part = next(r for r in first.regions if r.article_id == LEAD)
    rest = next(r for r in jump_page.regions if r.article_id == LEAD)
    assert part.continued_to == jump_page.number and rest.continued_from == first.number
    # Its page is mostly its own, and the rest heads the jump page (the top of the editorial area).
    assert sum(b.w * b.h for b in part.boxes) > 0.5 * first.editorial.w * first.editorial.h
    assert min(b.y for b in rest.boxes) <= jump_page.editorial.y + 40
    # Every word of it, in order, across both pages (read back from what is drawn).
    runs = [item for page in (first, jump_page) for item in page.items
            if isinstance(item, TextRun) and item.source.role == "body" and item.source.article_id == LEAD]
    article = next(a for a in edition.articles if a.id == LEAD)
    assert read_words(runs) == body_words(article)
    # Neither page is left blank, and every story left out to make way says why.
    assert all(page.quality.largest_blank is None or page.quality.largest_blank.share < 0.2 for page in (first, jump_page))
    left_out = [u for u in layout.unplaced if u.article_id != LEAD]
    assert all("no room left in section 'Business'" in u.reason for u in left_out)


@pytest.mark.slow
def test_a_lead_longer_than_its_section_is_left_out_with_the_cut_in_lines_and_words(sample_edition):
    edition = _with_lead_times(sample_edition, 7)
    layout = lay_out(edition)
    reason = next(u.reason for u in layout.unplaced if u.article_id == LEAD)
    words = next(a for a in edition.articles if a.id == LEAD).word_count
    # The widest space left is the one named, and the cut is counted at its width (not at one column).
    assert "the largest space left is 6 ×" in reason and "(to fit there at 6 columns: cut about" in reason, reason
    assert f"of its {words} words)" in reason, reason
    # And what printing it at all would take: the most the section could print of it, jumped.
    most = re.search(r"with the section to itself it would print about (\d+) of its (\d+) lines \(jumped from "
                     r"page 10 to page 11\): cut about (\d+) of its (\d+) words to print it at all", reason)
    assert most, reason
    printed, lines, cut, of = map(int, most.groups())
    assert printed < lines and of == words and cut == round((lines - printed) * words / lines)
    # Its section's last page, empty for want of it (blank, or a brief in a hole), is not said to be
    # a page too many, nor a page wanting more stories: the story left out is what to cut.
    from epaper.layout.omissions import layout_warnings

    empty = [w for w in layout_warnings(layout) if "page 11" in w.message]
    assert empty and all(f"without {LEAD}, left out" in w.message and "set pages" not in w.fix
                         and "add a story" not in w.fix and f"cut {LEAD}" in w.fix for w in empty), empty


@pytest.mark.slow
def test_a_replate_before_a_kept_page_spreads_its_stories_over_its_pages_leaving_no_hole(sample_edition):
    """Late copy on page 3 plans pages 3 and 4 again, page 5 kept: the packer fills page 3 first,
    and page 4, with no later page to bring more, was left with a hole of 16 % of its type area.
    A story of page 3 is held for page 4, and both pages come out full."""
    from epaper.model import Paragraph, Run

    def changed(edition, story, body):
        return replace(edition, articles=tuple(replace(a, body=body(a)) if a.id == story else a
                                               for a in edition.articles))

    # The night's first replate: the front's lead cut to three paragraphs, pages 1 to 4 (its jump
    # pages) planned again, the rest kept.
    cut = changed(sample_edition, "seawall-plan-approved", lambda a: a.body[:3])
    first = lay_out(sample_edition)
    published = lay_out(cut, lock=first.plan, lock_pages=[p.number for p in first.pages if p.number > 4], refit=True)
    late = Paragraph((Run("Councillors will debate the proposal at a special meeting next Tuesday, and residents "
                          "can comment on it at three public hearings in December, the city clerk said."),))
    grown = changed(cut, "mayor-budget-tax-increase", lambda a: a.body + (late,))
    page = next(p.number for p in published.pages if any(
        r.article_id == "mayor-budget-tax-increase" and not r.continued_from for r in p.regions))
    replated = lay_out(grown, lock=published.plan, lock_pages=[p.number for p in published.pages
                                                                 if p.number not in (page, page + 1)], refit=True)
    assert not replated.unplaced
    for number in (page, page + 1):
        blank = replated.pages[number - 1].quality.largest_blank
        assert blank is None or blank.share < 0.05, (number, blank)


@pytest.mark.slow
def test_a_front_lead_longer_than_the_front_jumps_and_its_rest_heads_the_next_sections_page(sample_edition):
    """A 2,800-word front lead whose rest found no room among the City section's own stories was
    set whole: it took the whole front, two front stories went out of the paper and City's last page
    kept a hole of a third. Its rest now heads City's first page; the front keeps its stories."""
    front_ids = [a.id for a in sample_edition.articles if a.section == "Front"]
    edition = replace(sample_edition, articles=tuple(
        replace(a, body=a.body * 4) if a.id == "seawall-plan-approved" else a for a in sample_edition.articles))
    layout = lay_out(edition)
    front, page_2 = layout.pages[0], layout.pages[1]
    lead = next(r for r in front.regions if r.article_id == "seawall-plan-approved")
    assert lead.continued_to == 2
    rest = next(r for r in page_2.regions if r.article_id == "seawall-plan-approved")
    assert rest.continued_from == 1 and min(b.y for b in rest.boxes) <= page_2.editorial.y + 40  # heads page 2
    assert not {u.article_id for u in layout.unplaced} & set(front_ids), layout.unplaced
    runs = [item for page in (front, page_2) for item in page.items
            if isinstance(item, TextRun) and item.source.role == "body" and item.source.article_id == lead.article_id]
    assert read_words(runs) == body_words(next(a for a in edition.articles if a.id == lead.article_id))
    city = [p for p in layout.pages if p.section == "City"]
    assert all(p.quality.largest_blank is None or p.quality.largest_blank.share < 0.1 for p in city), [
        (p.number, p.quality.largest_blank) for p in city]


@pytest.mark.slow
def test_a_long_front_lead_of_a_front_only_edition_is_set_whole_or_left_out_with_its_reason(sample_edition):
    """A front with no section after it: its jumps have nowhere to go, so a long lead is tried no
    other way (no retries, no fault) and, too long for the front, is left out with what it would take."""
    front = next(spec for spec in sample_edition.sections if spec.template == "front")
    edition = replace(sample_edition, sections=(front,), ads=(), articles=tuple(
        replace(a, body=a.body * 4) if a.id == "seawall-plan-approved" else a
        for a in sample_edition.articles if a.section == front.name))
    layout = lay_out(edition)
    assert all(r.continued_to is None for r in layout.pages[0].regions)
    placed = {r.article_id for r in layout.pages[0].regions}
    assert "seawall-plan-approved" in placed or any(
        u.article_id == "seawall-plan-approved" and "to print it" in u.reason for u in layout.unplaced), layout.unplaced


@pytest.mark.slow
def test_a_long_leads_rest_does_not_take_the_top_of_a_page_whose_lead_is_pinned(sample_edition):
    """City's lead pinned to lead page 2: the front's long lead's rest does not head that page
    (the pinned story would have gone out of the paper); it lands after it, or later."""
    from epaper.model import Pin

    edition = replace(sample_edition, articles=tuple(
        replace(a, body=a.body * 4) if a.id == "seawall-plan-approved"
        else replace(a, pin=Pin(page=2, slot="lead")) if a.id == "kettle-hill-tram-extension" else a
        for a in sample_edition.articles))
    layout = lay_out(edition)
    assert "kettle-hill-tram-extension" not in {u.article_id for u in layout.unplaced}, layout.unplaced
    page_2 = layout.pages[1]
    pinned = next(r for r in page_2.regions if r.article_id == "kettle-hill-tram-extension")
    assert min(b.y for b in pinned.boxes) <= min(b.y for r in page_2.regions for b in r.boxes) + 1  # at the top
    lead = next(r for r in layout.pages[0].regions if r.article_id == "seawall-plan-approved")
    if lead.continued_to is not None:  # and its rest lands where the front says
        assert any(r.article_id == lead.article_id and r.continued_from == 1
                   for r in layout.pages[lead.continued_to - 1].regions)
