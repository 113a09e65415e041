"""ALTO 4.4 for one page: every word printed on it, with its box, in lines, blocks and articles.

Born-digital, not OCR: the words and boxes come from the laid-out page (see :mod:`.text`).

Units: ``MeasurementUnit`` is ``mm10`` (tenths of a millimetre) from the top-left corner of the
trimmed page, y down, as whole numbers. ALTO offers pixel, mm10 or inch1200 (no points); mm10
describes the printed page itself, independent of any image made of it (``images/NNN.jpg`` is about
1600 px wide: scale by its width over the Page's ``WIDTH``), and a tenth of a millimetre (0.28 pt)
is finer than anything a reader can point at. Boxes are rounded outwards, so a word's box always
covers its ink. Font sizes (TextStyle ``FONTSIZE``) are in points, as ALTO asks.

Structure: a ``ComposedBlock`` (``TYPE="article"``, ``ID`` = page and article id) per article on the
page; inside it a ``TextBlock`` per column leg of the body and one per headline, kicker, deck,
byline, caption, credit, pull quote and jump line, and an ``Illustration`` per photo. Each block's
``TAGREFS`` names its role (a ``StructureTag`` whose ``LABEL`` is the role). Page furniture (folio,
masthead, section head, index, teasers, refer boxes) and advertisements are ComposedBlocks of their
own, ``TYPE`` naming them. ``ReadingOrder`` lists the page's blocks in reading order. A word broken
at a line end is two ``String``s, ``SUBS_TYPE`` HypPart1 and HypPart2, each with the whole word in
``SUBS_CONTENT``; a hyphen the typesetter added is the first line's ``HYP``.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence

from epaper import __version__
from epaper.archive.metrics import font_info
from epaper.archive.text import Group, Line, PageText, Picture, TextBlock, Word
from epaper.frame import Box, FontRef

__all__ = ["ALTO_NS", "alto_document", "block_id", "group_id", "mm10"]

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = f"{ALTO_NS} http://www.loc.gov/alto/v4/alto-4-4.xsd"
_MM10_PER_POINT = 254 / 72  # 72 points an inch, 254 tenths of a millimetre an inch


def mm10(points: float) -> float:
    return points * _MM10_PER_POINT


def _box_attributes(box: Box) -> dict[str, str]:
    """HPOS/VPOS/WIDTH/HEIGHT in whole mm10, rounded outwards."""
    x, y = box.x, box.y
    left, top = math.floor(x * _MM10_PER_POINT), math.floor(y * _MM10_PER_POINT)  # mm10(), inlined: 50,000 boxes an edition
    right, bottom = math.ceil((x + box.w) * _MM10_PER_POINT), math.ceil((y + box.h) * _MM10_PER_POINT)
    return {"HPOS": str(left), "VPOS": str(top), "WIDTH": str(right - left), "HEIGHT": str(bottom - top)}


def group_id(page: int, group: Group, index: int) -> str:
    """A ComposedBlock's ID: stable for an article (METS points at it), numbered for furniture."""
    name = f"art-{group.article_id}" if group.article_id else f"{group.kind}-{index}"
    return f"p{page:03d}-{name}"


def block_id(page: int, index: int) -> str:
    return f"p{page:03d}-b{index}"


def _tag(name: str, parent: ET.Element | None = None, **attributes: str) -> ET.Element:
    qualified = f"{{{ALTO_NS}}}{name}"
    return ET.Element(qualified, attributes) if parent is None else ET.SubElement(parent, qualified, attributes)


class _Styles:
    """TextStyles by (font, size), numbered in order of first use."""

    def __init__(self) -> None:
        self.ids: dict[tuple[FontRef, float], str] = {}
        # A page's words share a few font records: looked up by identity first (hashing a FontRef
        # hashes its fields; a page has tens of thousands of words). The record is kept, so its id
        # cannot be reused while this lives.
        self._by_identity: dict[tuple[int, float], tuple[FontRef, str]] = {}

    def of(self, word: Word) -> str:
        known = self._by_identity.get((id(word.font), word.size))
        if known is not None:
            return known[1]
        key = (word.font, round(word.size, 2))
        if key not in self.ids:
            self.ids[key] = f"font{len(self.ids) + 1}"
        self._by_identity[id(word.font), word.size] = (word.font, self.ids[key])
        return self.ids[key]

    def write(self, parent: ET.Element) -> None:
        styles = _tag("Styles", parent)
        for (font, size), ident in self.ids.items():
            info = font_info(font)
            attributes = {"ID": ident, "FONTFAMILY": info.family, "FONTTYPE": "serif" if info.serif else "sans-serif",
                          "FONTSIZE": f"{size:g}"}
            style = " ".join(s for s, on in (("bold", info.bold), ("italics", info.italic)) if on)
            if style:
                attributes["FONTSTYLE"] = style
            _tag("TextStyle", styles, **attributes)


def _word(parent: ET.Element, word: Word, styles: _Styles, block_style: str) -> None:
    attributes = _box_attributes(word.box)
    attributes["CONTENT"] = word.text
    style = styles.of(word)
    if style != block_style:
        attributes["STYLEREFS"] = style
    if word.part:
        attributes["SUBS_TYPE"] = f"HypPart{word.part}"
        attributes["SUBS_CONTENT"] = word.whole
    if word.language:
        attributes["LANG"] = word.language
    _tag("String", parent, **attributes)


def _line(parent: ET.Element, line: Line, styles: _Styles, block_style: str) -> None:
    element = _tag("TextLine", parent, **_box_attributes(line.box))
    y = round(mm10(line.baseline))
    element.set("BASELINE", f"{math.floor(mm10(line.box.x))},{y} {math.ceil(mm10(line.box.right))},{y}")
    for index, word in enumerate(line.words):
        if index:
            _tag("SP", element)
        _word(element, word, styles, block_style)
    last = line.words[-1]
    if last.hyphen is not None:
        _tag("HYP", element, **_box_attributes(last.hyphen), CONTENT="-")


def _text_block(parent: ET.Element, block: TextBlock, ident: str, styles: _Styles) -> None:
    common = Counter(styles.of(w) for line in block.lines for w in line.words).most_common(1)[0][0]
    element = _tag("TextBlock", parent, ID=ident, **_box_attributes(block.box), STYLEREFS=common,
                   TAGREFS=f"role-{block.role}", LANG=block.language)
    for line in block.lines:
        _line(element, line, styles, common)


def _picture(parent: ET.Element, picture: Picture, ident: str) -> None:
    _tag("Illustration", parent, ID=ident, **_box_attributes(picture.box), TAGREFS=f"role-{picture.role}",
         TYPE="advertisement" if picture.role == "ad" else "photo")


def _description(root: ET.Element, source: str) -> None:
    description = _tag("Description", root)
    _tag("MeasurementUnit", description).text = "mm10"
    image = _tag("sourceImageInformation", description)
    _tag("fileName", image).text = source
    processing = _tag("Processing", description, ID="epaper")
    _tag("processingCategory", processing).text = "contentGeneration"
    _tag("processingStepDescription", processing).text = (
        "Born-digital: words and boxes written by the program that set the page (no OCR).")
    software = _tag("processingSoftware", processing)
    _tag("softwareName", software).text = "epaper"
    _tag("softwareVersion", software).text = __version__


def alto_document(page: PageText, *, source: str) -> ET.ElementTree:
    """The ALTO document of ``page``; ``source`` is the file its coordinates describe (the page PDF,
    relative to the edition folder)."""
    ET.register_namespace("", ALTO_NS)
    ET.register_namespace("xsi", _XSI)
    # The Layout is made first: it decides which styles and roles the header sections list.
    layout = _tag("Layout")
    # The page's own size to the nearest mm10, not outwards as a word's box: a 330.00 mm trim is
    # 3300 wide, not 3301 (an archive's audit).
    element = _tag("Page", layout, ID=f"page-{page.number:03d}", PHYSICAL_IMG_NR=str(page.number),
                   PRINTED_IMG_NR=page.label, WIDTH=str(round(mm10(page.width))),
                   HEIGHT=str(round(mm10(page.height))), PROCESSINGREFS="epaper",
                   LANG=page.language)
    space = _tag("PrintSpace", element, **_print_space(page.groups))
    page_order = _tag("OrderedGroup", ID=f"p{page.number:03d}-reading-order")
    styles = _Styles()
    roles: dict[str, None] = {}
    blocks = 0
    for index, group in enumerate(page.groups, start=1):
        ident = group_id(page.number, group, index)
        composed = _tag("ComposedBlock", space, ID=ident, **_box_attributes(group.box), TYPE=group.kind)
        group_order = _tag("OrderedGroup", page_order, ID=f"{ident}-order", REF=ident)
        for block in group.blocks:
            blocks += 1
            bid = block_id(page.number, blocks)
            roles[block.role] = None
            if isinstance(block, TextBlock):
                _text_block(composed, block, bid, styles)
            else:
                _picture(composed, block, bid)
            _tag("ElementRef", group_order, ID=f"{bid}-ref", REF=bid)
    root = _tag("alto", SCHEMAVERSION="4.4")
    root.set(f"{{{_XSI}}}schemaLocation", _SCHEMA_LOCATION)
    _description(root, source)
    if styles.ids:
        styles.write(root)
    if roles:
        tags = _tag("Tags", root)
        for role in roles:
            _tag("StructureTag", tags, ID=f"role-{role}", LABEL=role)
    if len(page_order):  # an empty page has none (a ReadingOrder may not be empty)
        _tag("ReadingOrder", root).append(page_order)
    root.append(layout)
    return ET.ElementTree(root)


def _print_space(groups: Sequence[Group]) -> dict[str, str]:
    if not groups:
        return {"HPOS": "0", "VPOS": "0", "WIDTH": "0", "HEIGHT": "0"}
    left = min(g.box.x for g in groups)
    top = min(g.box.y for g in groups)
    return _box_attributes(Box(left, top, max(g.box.right for g in groups) - left,
                               max(g.box.bottom for g in groups) - top))
