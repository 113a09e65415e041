"""Turning a page plan into the immutable page frame: every line, photo, rule and link positioned.

No decisions are made here; placement has made them. This module only converts grid rows and set
lines into page coordinates (top-left origin, y down) and tags every item with its source. A
module's body runs in the column legs its placement carries (measured by copyfit for that shape):
nothing is broken or re-broken here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from epaper.formats import MM, PageFormat
from epaper.frame import ArticleRegion, Box, FillRect, ImageItem, Item, LinkArea, Rule, Source, TextRun
from epaper.i18n import Wording
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.module import FIRST_BASELINE, PULL_QUOTE_GAP, ModuleDesign, PullQuoteDesign
from epaper.layout.plan import Legs, Placement, QuoteFill
from epaper.layout.wording import continued_from, continued_on
from epaper.model import AdSlot, Article, artwork_fitted
from epaper.typeset import SetLine, TextBlock, font_book, set_plain

__all__ = ["ComposedModule", "compose_module", "crop_to_box", "quote_fill_items", "text_items"]

BASELINE_DROP = 0.78  # a body baseline sits this far (in rows) below the top of its grid row
RULE_GREY = (0.55, 0.55, 0.55)


@dataclass(frozen=True)
class ComposedModule:
    items: tuple[Item, ...]
    region: ArticleRegion
    legs: Legs
    lines: tuple[SetLine, ...]


def _first_baseline(style_size: float) -> float:
    return style_size * FIRST_BASELINE


def text_items(block: TextBlock, x: float, top: float, source: Source, *, color=(0, 0, 0)) -> list[TextRun]:
    """Place a ragged block: line i's baseline sits ``i * leading`` below the first one."""
    items = []
    for i, line in enumerate(block.lines):
        for seg in line.segments:
            baseline = top + _first_baseline(seg.size) + i * line.leading
            items.append(TextRun(x=x + seg.x, baseline=baseline, font=seg.face, size=seg.size, text=seg.text,
                                 width=seg.width, glyphs=seg.glyphs, color=color,
                                 source=Source(source.article_id, source.role, line.paragraph, seg.start, seg.end)))
    return items


def _body_line_items(line: SetLine, x: float, baseline: float, article_id: str) -> list[TextRun]:
    return [TextRun(x=x + seg.x, baseline=baseline, font=seg.face, size=seg.size, text=seg.text, width=seg.width,
                    glyphs=seg.glyphs, source=Source(article_id, "body", line.paragraph, seg.start, seg.end),
                    scale=seg.scale, char_space=seg.char_space)
            for seg in line.segments]


def _jump_line(fmt: PageFormat, text: str, x: float, row_top: float, width: float, article: Article,
               target: int) -> list[Item]:
    """A jump line set right in the column (in the story's language, shaped like its text), and a
    link over it to the other part's page."""
    runs = [replace(run, source=Source(article.id, "jump"))
            for run in text_line(fmt, "jump", text, x, row_top + fmt.baseline * BASELINE_DROP, "jump", align="right",
                                 width=width, language=article.language)]
    left = min(run.x for run in runs)
    return [*runs, LinkArea(Box(left, row_top, x + width - left, fmt.baseline), page=target, label=text)]


def _jump_column(counts: Sequence[int], offsets: Sequence[int], depth: int) -> int:
    """Where the "Continued on page N" line goes, at the module's foot: under the last column of
    text, or, if that column runs to the foot, in the next one with room (fill_legs kept the row
    free) — never under a photo that runs down the module's last columns."""
    last = max((c for c, n in enumerate(counts) if n), default=0)
    if offsets[last] + counts[last] < depth:
        return last
    return next((c for c in range(last + 1, len(offsets)) if offsets[c] < depth), last)


def compose_module(
    placement: Placement,
    grid: PageGrid,
    *,
    continued_to: int | None,
    digits: str | None = None,
    quotation_below: bool = False,
) -> ComposedModule:
    """The module's items; its jump lines in the story's language, page numbers in the edition's
    ``digits``. ``quotation_below``: a quotation from the story fills the space below the module
    (:mod:`.fillers`), whose rules close the story: no hairline between the two."""
    fmt = grid.fmt
    design: ModuleDesign = placement.design
    article = placement.article
    slot: Slot = placement.slot
    x0, y0 = grid.x(slot.col), grid.y(slot.top)
    width = fmt.span_width(design.cols)
    items: list[Item] = []
    aid = article.id
    y = y0
    header = design.header
    if header.kicker is not None:
        items += text_items(header.kicker, x0, y, Source(aid, "kicker"), color=fmt.style("kicker").color)
        y += header.kicker.height + header.kicker_gap
    headline_top = y
    items += text_items(header.headline, x0, y, Source(aid, "headline"))
    y += header.headline.height
    headline_box = Box(x0, headline_top, width, header.headline.height)
    if header.deck is not None:
        y += header.deck_gap
        items += text_items(header.deck, x0, y, Source(aid, "deck"))
    body_top_row = slot.top + header.rows
    photo_rows = placement.photo_rows
    if design.photo is not None:
        photo = design.photo
        rows = photo_rows or photo.rows
        top = grid.y(body_top_row + design.photo_top_row)
        px = grid.x(slot.col + design.cols - photo.cols)
        pw = fmt.span_width(photo.cols)
        box = Box(px, top, pw, rows * fmt.baseline - 3)
        items.append(ImageItem(box=box, path=str(photo.photo.path), source=Source(aid, "photo"),
                               crop=crop_to_box(photo.photo.aspect, box)))
        cap_top = top + rows * fmt.baseline
        items += text_items(photo.caption, px, cap_top, Source(aid, "caption"))
        if photo.credit is not None:
            items += text_items(photo.credit, px, cap_top + photo.caption.height, Source(aid, "credit"),
                                color=(0.35, 0.35, 0.35))
    first_extra = 1 if placement.continued_from_page else 0
    offsets = design.body_offsets(first_extra, photo_rows=photo_rows)
    if design.pull_quote is not None:
        quote = design.pull_quote
        top_row = body_top_row + offsets[quote.col] - quote.rows  # the body of that column starts below it
        items += _pull_quote_items(fmt, quote, grid.x(slot.col + quote.col), grid.y(top_row), aid)
    depth = slot.bottom - 1 - body_top_row  # the module's rows below its header, less the spacing row
    legs = placement.legs
    # The lines as set, unless a paragraph was set again at a column break when the legs were measured.
    lines = legs.lines or design.body.lines[placement.line_start:placement.line_end]
    if design.byline is not None:
        items += text_items(design.byline, x0, grid.y(body_top_row), Source(aid, "byline"))
    if placement.continued_from_page:
        items += _jump_line(fmt, continued_from(placement.continued_from_page, Wording(placement.article.language, digits)), x0,
                            grid.y(body_top_row + design.byline_rows), fmt.column_width, placement.article,
                            placement.continued_from_page)
    index = 0
    for col, count in enumerate(legs.counts):
        cx = grid.x(slot.col + col)
        for k in range(count):
            row = offsets[col] + k
            # A line the legs put below the module's foot (a plan whose slot is shallower than its
            # legs) is overset: not drawn over the module beneath; the page's quality counts it.
            if row < depth:
                r = body_top_row + row
                items += _body_line_items(lines[index], cx, grid.y(r) + fmt.baseline * BASELINE_DROP, aid)
            index += 1
    if placement.continued_to_part and continued_to is not None:
        last_col = _jump_column(legs.counts, offsets, depth)
        items += _jump_line(fmt, continued_on(continued_to, Wording(placement.article.language, digits)), grid.x(slot.col + last_col),
                            grid.y(slot.bottom - 2), fmt.column_width, placement.article, continued_to)
    module_box = grid.box(slot)
    # A hairline under the module, in its spacing row, separates it from the story below.
    if slot.bottom < grid.rows and not quotation_below:
        rule_y = grid.y(slot.bottom) - fmt.baseline / 2
        items.append(Rule(x0, rule_y, x0 + width, rule_y, 0.4, RULE_GREY))
    region = ArticleRegion(
        article_id=aid, headline=article.headline, boxes=(module_box,), headline_box=headline_box,
        continued_to=continued_to if placement.continued_to_part else None,
        continued_from=placement.continued_from_page,
    )
    return ComposedModule(items=tuple(items), region=region, legs=legs, lines=tuple(lines))


def _quotation_items(text: TextBlock, x: float, width: float, top: float, bottom: float, text_top: float,
                     aid: str) -> list[Item]:
    """A quotation between rules: a strong rule at ``top``, the text from ``text_top``, a hairline
    at ``bottom``."""
    items: list[Item] = [Rule(x, top, x + width, top, 1.2, (0.0, 0.0, 0.0))]
    items += text_items(text, x, text_top, Source(aid, "pull-quote"))
    items.append(Rule(x, bottom, x + width, bottom, 0.5, RULE_GREY))
    return items


def _pull_quote_items(fmt: PageFormat, quote: PullQuoteDesign, x: float, top: float, aid: str) -> list[Item]:
    """A pull quote heading a column: the row under its hairline is left clear before the body
    text resumes."""
    bottom = top + (quote.rows - 1) * fmt.baseline
    return _quotation_items(quote.text, x, fmt.column_width, top, bottom, top + PULL_QUOTE_GAP, aid)


def quote_fill_items(fill: QuoteFill, grid: PageGrid) -> list[Item]:
    """A quotation filling the space below its story: centred in the space (the rows it needs), its
    hairline in the space's spacing row, like a module's."""
    box = grid.box(fill.slot)
    bottom = grid.y(fill.slot.bottom) - grid.fmt.baseline / 2
    text_top = box.y + (bottom - box.y - fill.text.height) / 2
    return _quotation_items(fill.text, box.x, box.w, box.y, bottom, text_top, fill.article.id)


def crop_to_box(aspect: float, box: Box) -> tuple[float, float, float, float]:
    """Centre crop of the source image (height/width ``aspect``) to the box's proportions."""
    target = box.h / box.w
    if target < aspect:  # box flatter than the photo: cut top and bottom
        keep = target / aspect
        return (0.0, (1 - keep) / 2, 1.0, (1 + keep) / 2)
    keep = aspect / target
    return ((1 - keep) / 2, 0.0, (1 + keep) / 2, 1.0)


def ad_items(ad: AdSlot, slot: Slot, grid: PageGrid) -> list[Item]:
    box = grid.box(slot)
    items: list[Item] = [FillRect(box, fill=(0.96, 0.96, 0.96), stroke=(0.3, 0.3, 0.3), stroke_width=0.5)]
    if ad.image is not None:
        space = Box(box.x + 2, box.y + 2, box.w - 4, box.h - 4)
        items.append(ImageItem(box=_artwork_box(ad, space, grid.fmt), path=str(ad.image), source=Source(None, "ad"),
                               crop=(0, 0, 1, 1)))
    return items


def _artwork_box(ad: AdSlot, space: Box, fmt: PageFormat) -> Box:
    """Where the ad's artwork prints in ``space``: whole, at its own proportions, as large as the
    size booked (the grid rounds the slot's depth up to whole rows) and centred (an advertiser's
    artwork is never stretched nor cut; ingest warns when it fills less of the booking)."""
    if ad.image_size is None:
        return space
    booked = (min(space.w, fmt.span_width(ad.columns)), min(space.h, ad.height_mm * MM))
    width, height = artwork_fitted(ad.image_size, booked)
    return Box(space.x + (space.w - width) / 2, space.y + (space.h - height) / 2, width, height)


def text_line(fmt: PageFormat, style_name: str, text: str, x: float, baseline: float, role: str,
              *, align: str = "left", width: float = 0.0, language: str = "en", fit: bool = False) -> list[TextRun]:
    """One line of furniture text (folio, masthead lines), measured here so drawing stays trivial.
    With ``fit`` the type is made smaller, if needed, so the line fits ``width``."""
    style = fmt.style(style_name)
    if fit:
        natural = font_book().face(style.face).width(text.upper() if style.upper else text, style.size)
        if natural > width:
            style = replace(style, size=style.size * width / natural * 0.98)

    block = set_plain(text, style, 10_000, language)
    runs: list[TextRun] = []
    line = block.lines[0] if block.lines else None
    if line is None:
        return runs
    natural = line.natural_width
    shift = {"left": 0.0, "center": (width - natural) / 2, "right": width - natural}[align]
    for seg in line.segments:
        runs.append(TextRun(x=x + shift + seg.x, baseline=baseline, font=seg.face, size=seg.size, text=seg.text,
                            width=seg.width, glyphs=seg.glyphs, color=style.color, source=Source(None, role)))
    return runs

