"""Copyfit's shapes: the headline stacked a line deeper, and a jump never cutting into the photo."""

from __future__ import annotations

from epaper.formats import load_format
from epaper.layout.copyfit import FitCatalog
from epaper.layout.module import design_module


def _wordy_story_without_photo(edition):
    return next(a for a in edition.articles if a.language == "en" and not a.photos and len(a.headline.split()) >= 6)


def test_a_headline_stacks_a_line_deeper_at_the_same_size(sample_edition):
    fmt = load_format(sample_edition.format)
    article = _wordy_story_without_photo(sample_edition)
    plain = design_module(article, 3, fmt)
    stacked = design_module(article, 3, fmt, headline_lines=1)
    assert len(stacked.header.headline) == len(plain.header.headline) + 1
    assert stacked.header.headline_size == plain.header.headline_size
    assert stacked.header.rows > plain.header.rows
    assert stacked.natural_rows > plain.natural_rows
    # The same words, only broken differently.
    words = lambda block: " ".join(s.text for line in block.lines for s in line.segments).split()  # noqa: E731
    assert words(stacked.header.headline) == words(plain.header.headline)
    # Never past the tier's line limit.
    limit = fmt.tiers[plain.header.tier].max_lines
    assert len(design_module(article, 3, fmt, headline_lines=limit).header.headline) == len(plain.header.headline)


def test_copyfit_offers_the_stacked_headline_as_a_deeper_fit(sample_edition):
    """Where it is the cheapest way to a height (a pull quote of the same depth costs less)."""
    fmt = load_format(sample_edition.format)
    catalog = FitCatalog(fmt, "knuth-plass")
    offered = 0
    for article in sample_edition.articles:
        if article.photos:
            continue
        for cols in (2, 3):
            fits = catalog.fits(article, cols)
            natural = catalog.natural(article, cols)
            stacked = [f for f in fits if any(a.startswith("headline on ") for a in f.adjustments)]
            assert all(f.rows > natural.rows and f.cost > natural.cost for f in stacked)
            offered += len(stacked)
    assert offered > 5


def test_a_jump_leaves_room_for_the_photo_and_caption(sample_edition):
    """The shallowest part before a jump still holds the photo with its caption (a front-page lead
    once jumped above its photo's foot, the caption hanging below the module)."""
    fmt = load_format(sample_edition.format)
    catalog = FitCatalog(fmt, "knuth-plass")
    checked = 0
    for article in sample_edition.articles:
        if not article.photos:
            continue
        for cols in (2, 3, 4, 6):
            window = catalog.jump_window(article, cols)
            natural = catalog.natural(article, cols)
            if window is None or natural.design.photo is None:
                continue
            checked += 1
            photo_foot = natural.design.fixed_rows + max(natural.design.body_offsets(photo_rows=natural.photo_rows))
            assert window[0] > photo_foot, (article.id, cols)
    assert checked > 5


def test_a_photo_set_narrower_keeps_its_proportions_with_the_text_beside_it(sample_edition):
    fmt = load_format(sample_edition.format)
    article = next(a for a in sample_edition.articles
                   if a.language == "en" and a.photos and a.byline and len(a.body) > 4)
    full = design_module(article, 3, fmt)
    narrow = design_module(article, 3, fmt, photo_cols=1)
    assert (full.photo.cols, narrow.photo.cols) == (2, 1)
    aspect = full.photo.rows / fmt.span_width(2)
    assert abs(narrow.photo.rows - aspect * fmt.span_width(1)) <= 1 + aspect * fmt.baseline
    # The photo heads the last column; the first two start at the top, as the story does.
    offsets = narrow.body_offsets()
    assert offsets[2] >= narrow.photo.total_rows and max(offsets[:2]) < narrow.photo.rows
    # Fewer cells under the picture: the same lines take no more rows.
    assert narrow.rows_for(len(narrow.body)) <= full.rows_for(len(full.body))
    assert design_module(article, 3, fmt, photo_cols=5).photo.cols == 3  # never wider than the module


def test_the_sample_prints_photos_narrower_rather_than_leave_them_out(sample_layout):
    """Of the sample's stories with a photo, set as full stories, copyfit left 13 photos out so the
    story fitted its space before a photo could be set across fewer columns; a subeditor prints the
    picture smaller first."""
    decisions = sample_layout.decisions
    narrower = [d.article_id for d in decisions if any(a.startswith("photo across ") for a in d.adjustments)]
    dropped = [d.article_id for d in decisions if "photo dropped" in d.adjustments]
    assert len(narrower) >= 5
    assert len(dropped) <= 3, dropped
