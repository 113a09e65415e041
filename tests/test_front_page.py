"""The front page: masthead, "Inside" index, teasers that point to real inside pages, the lead on top."""

from __future__ import annotations

from epaper.frame import ImageItem, LinkArea, TextRun


def _front(sample_layout):
    return sample_layout.pages[0]


def test_teasers_link_to_the_page_their_story_is_on(sample_layout):
    front = _front(sample_layout)
    pages = {p.number: p for p in sample_layout.pages}
    band = [i for i in front.items if isinstance(i, LinkArea) and i.box.bottom <= front.editorial.y]
    assert len(band) == 3
    labels = " ".join(" ".join(i.text.split()) for i in front.items
                      if isinstance(i, TextRun) and i.source.role == "teaser").upper()
    for link in band:
        target = pages[link.page]
        assert target.section != front.section
        # The label above each teaser names the page it links to.
        assert f"PAGE {link.page}" in labels
    sections = {pages[link.page].section for link in band}
    assert len(sections) == 3, "one teaser per inside section"


def test_teaser_band_sits_between_masthead_and_stories(sample_layout):
    front = _front(sample_layout)
    masthead = [i for i in front.items if isinstance(i, TextRun) and i.source.role == "masthead"]
    teaser_items = [i for i in front.items if getattr(i, "source", None) is not None and i.source.role == "teaser"]
    assert teaser_items
    for item in teaser_items:
        top = item.box.y if isinstance(item, ImageItem) else item.baseline - item.size
        assert top > max(m.baseline for m in masthead)
        bottom = item.box.bottom if isinstance(item, ImageItem) else item.baseline
        assert bottom <= front.editorial.y


def test_the_lead_is_the_top_priority_story_with_the_largest_headline(sample_layout, sample_edition):
    front = _front(sample_layout)
    by_id = {a.id: a for a in sample_edition.articles}
    regions = sorted(front.regions, key=lambda r: (r.headline_box.y, r.headline_box.x))
    lead = regions[0]
    assert by_id[lead.article_id].priority == min(by_id[r.article_id].priority for r in front.regions)
    sizes = {r.article_id: max(i.size for i in front.items if isinstance(i, TextRun) and i.source.role == "headline"
                               and i.source.article_id == r.article_id) for r in front.regions}
    assert sizes[lead.article_id] == max(sizes.values())
    assert lead.boxes[0].w == max(r.boxes[0].w for r in front.regions)


def test_front_stories_that_run_long_jump_inside_with_working_links(sample_layout):
    front = _front(sample_layout)
    jumped = [r for r in front.regions if r.continued_to]
    assert jumped, "long front-page stories continue inside"
    pages = {p.number: p for p in sample_layout.pages}
    for region in jumped:
        target = pages[region.continued_to]
        assert any(r.article_id == region.article_id and r.continued_from == front.number for r in target.regions)
        links = [i for i in front.items if isinstance(i, LinkArea) and i.page == region.continued_to
                 and region.boxes[0].contains(i.box, tolerance=1.0)]
        assert links, f"no 'Continued on page {region.continued_to}' link for {region.article_id}"


def test_the_fronts_jumps_go_on_in_the_first_section_after_it_in_its_language():
    """A Hindi desk found an English front's lead going on under the nameplate of the Hindi section
    that followed the front; the English City section after it takes the jumps. With no section
    in the front's language, the first after it still does (the story must go on somewhere)."""
    from epaper.layout import sections_taking_front_jumps
    from epaper.model import SectionSpec

    front = SectionSpec("Front", 1, template="front")
    hindi, city = SectionSpec("देश", 2, language="hi"), SectionSpec("City", 3)
    assert sections_taking_front_jumps([front, hindi, city]) == {2}
    assert sections_taking_front_jumps([front, city, hindi]) == {1}
    assert sections_taking_front_jumps([front, hindi]) == {1}
    hindi_front = SectionSpec("मुख्य पृष्ठ", 1, template="front", language="hi")
    assert sections_taking_front_jumps([hindi_front, city, hindi]) == {2}


def test_the_front_says_its_title_and_date_once(sample_layout, sample_edition):
    """The nameplate and its dateline bar say them; a folio over them said both again (a desk's
    audit). Every other page has its folio: title, date, section and page."""
    from epaper.frame import TextRun

    front, *others = sample_layout.pages
    date = sample_edition.wording().long_date(sample_edition.date)
    runs = [run for run in front.items if isinstance(run, TextRun)]
    assert not [run for run in runs if run.source.role == "folio"]
    masthead = " ".join(" ".join(run.text for run in runs if run.source.role == "masthead").split())
    assert sample_edition.title in masthead and " ".join(date.split()) in masthead
    assert " ".join(" ".join(run.text for run in runs).split()).count(" ".join(date.split())) == 1
    for page in others:
        folio = " ".join(" ".join(run.text for run in page.items if isinstance(run, TextRun)
                                  and run.source.role == "folio").split())
        assert " ".join(date.split()) in folio and str(page.number) in folio, page.number
