"""Page furniture: folio on every page, masthead and "Inside" index on the front, section heads."""

from __future__ import annotations

from collections.abc import Sequence

from epaper.formats import PageFormat
from epaper.frame import Item, Rule
from epaper.layout.compose import text_line
from epaper.layout.geometry import SECTION_HEAD_UNITS
from epaper.model import Edition

__all__ = ["folio", "masthead", "section_head", "masthead_height", "section_head_height"]


def _long_date(edition: Edition) -> str:
    d = edition.date
    return f"{d:%A}, {d:%B} {d.day}, {d.year}"


def folio(fmt: PageFormat, edition: Edition, number: int, section: str, left: float) -> list[Item]:
    """Title, date, section and page number across the top of the page, with a rule under them."""
    width = fmt.span_width(fmt.columns)
    baseline = fmt.margin_top + fmt.folio_height * 0.55
    items: list[Item] = []
    page_label = f"{section.upper()}  |  PAGE {number}"
    outer, inner = ("right", "left") if number % 2 else ("left", "right")
    items += text_line(fmt, "folio-bold", page_label, left, baseline, "folio", align=outer, width=width,
                       language=_lang_of(section, edition))
    items += text_line(fmt, "folio", f"{edition.title}  ·  {_long_date(edition)}", left, baseline, "folio",
                       align=inner, width=width)
    rule_y = fmt.margin_top + fmt.folio_height * 0.8
    items.append(Rule(left, rule_y, left + width, rule_y, 0.6))
    return items


def _lang_of(section: str, edition: Edition) -> str:
    for spec in edition.sections:
        if spec.name == section and spec.language:
            return spec.language
    return edition.language


def masthead_height(fmt: PageFormat) -> float:
    return fmt.masthead_height


def masthead(fmt: PageFormat, edition: Edition, left: float, index: Sequence[tuple[str, int]]) -> list[Item]:
    """The nameplate, the dateline bar, and the "Inside" index of sections with their first pages."""
    width = fmt.span_width(fmt.columns)
    top = fmt.margin_top + fmt.folio_height
    style = fmt.style("masthead")
    items: list[Item] = []
    items += text_line(fmt, "masthead", edition.title, left, top + style.size * 0.95, "masthead",
                       align="center", width=width, fit=True)
    bar_top = top + style.leading + 6
    items.append(Rule(left, bar_top, left + width, bar_top, 1.6))
    info = f"{_long_date(edition)}  ·  {edition.edition.title()} edition"
    line = fmt.style("masthead-line")
    items += text_line(fmt, "masthead-line", info, left, bar_top + line.leading, "masthead", align="left", width=width)
    if index:
        entries = "   ".join(f"{name} {page}" for name, page in index)
        items += text_line(fmt, "masthead-line", f"INSIDE   {entries}", left, bar_top + line.leading, "index",
                           align="right", width=width)
    bottom = bar_top + line.leading * 1.6
    items.append(Rule(left, bottom, left + width, bottom, 0.8))
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
