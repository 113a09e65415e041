"""What a sub-editor sends back: a line or two of a story stranded under its photo (a leg of one
line in each column below it), and a crosshead standing at the foot of a column, parted from the
paragraph it heads. Checked on the drawn frames of the sample, and where copyfit decides them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from epaper.formats import load_format
from epaper.frame import ImageItem, TextRun
from epaper.layout.columns import _faults, balanced_legs
from epaper.layout.copyfit import FitCatalog
from epaper.layout.module import MIN_LINES_UNDER_PHOTO, body_lines, design_module


def _body_columns(page, article_id: str) -> dict[float, list[TextRun]]:
    """The story's body runs on the page, by the left edge of the grid column each stands in (a
    line may be several runs: a bold lead-in, a shaped word)."""
    fmt = load_format("broadsheet")
    pitch = fmt.column_width + fmt.gutter
    columns: dict[float, list[TextRun]] = defaultdict(list)
    for run in page.items_of(TextRun):
        if run.source.article_id == article_id and run.source.role == "body":
            column = int((run.x - page.editorial.x + fmt.gutter / 2) // pitch)
            columns[page.editorial.x + column * pitch].append(run)
    return columns


def test_no_photo_has_a_line_or_two_of_its_story_under_it(sample_layout):
    photos = 0
    for page in sample_layout.pages:
        for photo in page.items_of(ImageItem):
            if photo.source.role != "photo":
                continue
            photos += 1
            below = photo.box.y + photo.box.h
            lines_under = [len({round(run.baseline) for run in runs if run.baseline > below})
                           for left, runs in _body_columns(page, photo.source.article_id).items()
                           if photo.box.x - 1 <= left < photo.box.x + photo.box.w]
            deepest = max(lines_under, default=0)
            assert deepest == 0 or deepest >= MIN_LINES_UNDER_PHOTO, (page.number, photo.source.article_id,
                                                                      lines_under)
    assert photos > 20


def test_no_column_ends_in_a_crosshead(sample_edition, sample_layout):
    kinds = {(article.id, index): paragraph.kind for article in sample_edition.articles
             for index, paragraph in enumerate(article.body)}
    crossheads = 0
    for page in sample_layout.pages:
        for region in page.regions:
            for runs in _body_columns(page, region.article_id).values():
                last = max(runs, key=lambda run: run.baseline)
                crossheads += sum(kinds.get((region.article_id, run.source.paragraph)) == "subhead" for run in runs)
                assert kinds.get((region.article_id, last.source.paragraph)) != "subhead", (
                    page.number, region.article_id, last.text)
    assert crossheads > 10  # the sample has crossheads to place


def test_a_column_break_after_a_crosshead_is_a_fault(sample_edition):
    fmt = load_format(sample_edition.format)
    article = next(a for a in sample_edition.articles if any(p.kind == "subhead" for p in a.body))
    lines = body_lines(article, fmt, "knuth-plass").lines
    head = next(i for i, line in enumerate(lines) if line.heading)
    assert lines[head].first_of_paragraph and lines[head].last_of_paragraph  # no widow or orphan of its own
    assert _faults(lines, head + 1, len(lines))[1] == 1  # the break right after it: counted as an orphan
    plain = [replace(line, heading=False) for line in lines]
    assert _faults(plain, head + 1, len(lines))[1] == 0


def test_a_story_that_jumps_leaves_no_stray_lines_under_its_photo(sample_edition):
    """At every height the front's lead can jump at, its photo is cropped so that the columns under
    it hold none or at least MIN_LINES_UNDER_PHOTO lines (the natural crop left one line each at
    some heights: "million would be borrowed over" / "25 years, adding…" / "a year to the…")."""
    fmt = load_format(sample_edition.format)
    catalog = FitCatalog(fmt, "knuth-plass")
    lead = next(a for a in sample_edition.articles if a.section == "Front" and a.priority == 1)
    recropped = 0
    for cols in range(3, fmt.columns + 1):
        window = catalog.jump_window(lead, cols)
        if window is None:
            continue
        for rows in range(window[0], window[1] + 1):
            for fit, _ in catalog.jump_fits(lead, cols, rows, 0.0):
                if fit.design.photo is None:
                    continue
                under = rows - 1 - fit.design.fixed_rows - max(fit.design.body_offsets(photo_rows=fit.photo_rows))
                assert not 0 < under < MIN_LINES_UNDER_PHOTO, (cols, rows, under, fit.adjustments)
                recropped += any("no stray lines" in note for note in fit.adjustments)
    assert recropped  # heights where the natural crop would have left them


def test_a_crop_with_rows_for_three_lines_under_the_photo_but_two_to_set_there_leaves_a_hole(sample_edition):
    """The text beside the photo fills its column to the foot, and the rest runs under the photo: a
    crop leaving three rows under it was taken as room enough, though only two lines were left to
    set there (the sample's bookshop story, printed so on page 16 once placement weighed alike
    headlines)."""
    fmt = load_format(sample_edition.format)
    article = next(a for a in sample_edition.articles if a.id == "tidewrack-books-new-owner")
    design = design_module(article, 3, fmt)
    lines = len(design.body)

    def under_photo(photo_rows: int) -> list[int]:
        """The lines the columns set under the photo, as the legs (not leaves_hole) spread them."""
        offsets = design.body_offsets(photo_rows=photo_rows)
        depth = design.rows_for(lines, photo_rows=photo_rows) - 1 - design.fixed_rows
        legs = balanced_legs(design.body.lines, design.cols, offsets, depth=depth, settle=False)
        assert depth - max(offsets) >= MIN_LINES_UNDER_PHOTO or depth <= max(offsets)
        return [n for n, o in zip(legs.counts, offsets) if o == max(offsets)]

    assert max(under_photo(23)) == 2  # three rows under the photo, two lines set there
    assert design.leaves_hole(lines, photo_rows=23)
    assert max(under_photo(design.photo.rows)) >= MIN_LINES_UNDER_PHOTO
    assert not design.leaves_hole(lines, photo_rows=design.photo.rows)  # its natural crop leaves none


def test_leaves_hole_says_what_the_legs_set_under_the_photo(sample_edition):
    """For every crop (every third) of the sample's English photos, at its natural span and across
    one column, with text under the photo: leaves_hole agrees with the lines the legs set there,
    and where the legs' search moved a break to spare a widow it errs only by refusing a crop."""
    from epaper.layout.module import photo_row_range

    fmt = load_format(sample_edition.format)
    checked, unsafe, disagree = 0, [], 0
    for article in sample_edition.articles:
        if not article.photos or article.language != "en":
            continue
        for cols in (2, 3, 4, 5):
            for span in (None, 1):
                design = design_module(article, cols, fmt, photo_cols=span)
                lo, hi = photo_row_range(design, fmt)
                lines = len(design.body)
                for rows in range(lo, hi + 1, 3):
                    offsets = design.body_offsets(photo_rows=rows)
                    depth = design.rows_for(lines, photo_rows=rows) - 1 - design.fixed_rows
                    if depth <= max(offsets):
                        continue
                    counts = balanced_legs(design.body.lines, cols, offsets, depth=depth, settle=False).counts
                    stray = max(n for n, o in zip(counts, offsets) if o == max(offsets)) < MIN_LINES_UNDER_PHOTO
                    hole = design.leaves_hole(lines, photo_rows=rows)
                    checked += 1
                    disagree += stray != hole
                    if stray and not hole:
                        unsafe.append((article.id, cols, span, rows, counts))
    assert checked > 1000 and not unsafe, unsafe
    assert disagree <= checked // 50
