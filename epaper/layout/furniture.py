"""Page furniture: folio on every page, masthead and "Inside" index on the front, section heads.

The front's teaser band sits under the masthead (see :mod:`.teasers`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from epaper.formats import PageFormat
from epaper.frame import Item, Rule
from epaper.layout.compose import text_line
from epaper.layout.geometry import SECTION_HEAD_UNITS
from epaper.layout.teasers import teaser_band_height
from epaper.model import Edition, edition_name

__all__ = ["folio", "masthead", "masthead_height", "section_head", "section_head_height", "teaser_band_top"]


def folio(fmt: PageFormat, edition: Edition, number: int, section: str, left: float, alone_in: str = "") -> list[Item]:
    """Title, date, section and page number across the top of the page, with a rule under them; and
    the edition's name on a page that is the edition's alone (``alone_in``: a zone's own page)."""
    width = fmt.span_width(fmt.columns)
    baseline = fmt.margin_top + fmt.folio_height * 0.55
    items: list[Item] = []
    # The page label in the section's language ("देश  |  पृष्ठ 17"); title and date in the edition's.
    section_words = edition.wording(edition.section_language(section))
    page_label = f"{section.upper()}  |  {section_words.say('folio_page', page=number)}"
    outer, inner = ("right", "left") if number % 2 else ("left", "right")
    label = text_line(fmt, "folio-bold", page_label, left, baseline, "folio", align=outer, width=width,
                      language=section_words.language)
    items += label
    # The title and date share the line with the page label: a long title is set smaller to fit
    # beside it (never over it, never off the page).
    label_width = max(r.x + r.width for r in label) - min(r.x for r in label) if label else 0.0
    room = max(0.0, width - label_width - fmt.gutter)
    title_left = left if inner == "left" else left + width - room
    words = edition.wording()
    title = f"{edition.title}  ·  {words.long_date(edition.date)}"
    if alone_in:
        title += f"  ·  {words.say('edition_suffix', edition=alone_in)}"
    items += text_line(fmt, "folio", title, title_left, baseline, "folio", align=inner, width=room, fit=True,
                       language=edition.language)
    rule_y = fmt.margin_top + fmt.folio_height * 0.8
    items.append(Rule(left, rule_y, left + width, rule_y, 0.6))
    return items


@dataclass(frozen=True)
class _MastheadLines:
    """Where the masthead's parts sit (y, points from the page top)."""

    top: float
    title_baseline: float
    bar: float
    info_baseline: float
    bottom_rule: float


def _masthead_lines(fmt: PageFormat) -> _MastheadLines:
    top = fmt.margin_top + fmt.folio_height
    style = fmt.style("masthead")
    bar = top + style.leading + 6
    line = fmt.style("masthead-line")
    # A front has no folio (epaper.layout._compose_page): the nameplate rises by half the folio's
    # band (the rest stays white over it); the bar, the teasers and the grid stay where a front's
    # layout was planned (moved up too, the front gained two rows and was another front).
    title = top + style.size * 0.95 - fmt.folio_height / 2
    return _MastheadLines(top, title, bar, bar + line.leading, bar + line.leading * 1.6)


def masthead_height(fmt: PageFormat, teasers: int = 0) -> float:
    """The page format's masthead zone, grown if the teaser band under the nameplate needs more room."""
    lines = _masthead_lines(fmt)
    with_band = teaser_band_top(fmt) - lines.top + teaser_band_height(fmt, teasers)
    return max(fmt.masthead_height, with_band)


def teaser_band_top(fmt: PageFormat) -> float:
    return _masthead_lines(fmt).bottom_rule + fmt.baseline / 2


def masthead(fmt: PageFormat, edition: Edition, left: float, index: Sequence[tuple[str, int]]) -> list[Item]:
    """The nameplate, the dateline bar, and the "Inside" index of sections with their first pages, in the
    edition's language (the message catalogue, :mod:`epaper.i18n`)."""
    width = fmt.span_width(fmt.columns)
    lines = _masthead_lines(fmt)
    items: list[Item] = []
    items += text_line(fmt, "masthead", edition.title, left, lines.title_baseline, "masthead",
                       align="center", width=width, fit=True)
    items.append(Rule(left, lines.bar, left + width, lines.bar, 1.6))
    words = edition.wording()
    info = f"{words.long_date(edition.date)}  ·  {words.say('edition_suffix', edition=edition_name(edition.edition))}"
    dateline = text_line(fmt, "masthead-line", info, left, lines.info_baseline, "masthead", align="left", width=width,
                         language=edition.language)
    items += dateline
    if index:
        # Set apart by a colon and middle dots: spaces alone ran it together in Devanagari, which
        # has no capitals to mark the label ("अंदर शहर २ खेल ५", a Hindi desk's audit). Set smaller
        # where many sections would reach the date beside it, never over it.
        entries = "  ·  ".join(f"{name} {words.number(page)}" for name, page in index)
        room = width - (max(r.x + r.width for r in dateline) - left if dateline else 0.0) - fmt.gutter
        items += text_line(fmt, "masthead-line", f"{words.say('inside')}:  {entries}", left + width - room,
                           lines.info_baseline, "index", align="right", width=room, fit=True,
                           language=edition.language)
    items.append(Rule(left, lines.bottom_rule, left + width, lines.bottom_rule, 0.8))
    return items


def section_head_height(fmt: PageFormat) -> float:
    return SECTION_HEAD_UNITS * fmt.baseline


def section_head(fmt: PageFormat, section: str, left: float, language: str) -> list[Item]:
    width = fmt.span_width(fmt.columns)
    top = fmt.margin_top + fmt.folio_height
    style = fmt.style("section-head")
    items: list[Item] = list(text_line(fmt, "section-head", section, left, top + style.size * 0.95, "section-head",
                                       language=language))
    rule_y = top + section_head_height(fmt) - fmt.baseline * 0.6
    items.append(Rule(left, rule_y, left + width, rule_y, 2.0))
    return items
