"""The one place epaper relies on ReportLab internals (pinned: reportlab==5.1.0).

ReportLab draws HarfBuzz-shaped text only as its private ``ShapedStr`` (a str of per-subset codes
with ``ShapeData`` positions). epaper shapes during typesetting and keeps the glyph ids in the page
IR, so here those glyph ids are turned back into a ``ShapedStr`` for the canvas. Glyphs without a
cmap entry (conjunct forms, half forms) get private-use codes from ``TTFont.hbAddPrivate``; that is
why the PDF renderer wraps shaped runs in ``/ActualText`` so copy and search give the real text.

``tests/test_reportlab_compat.py`` fails if these internals change.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from epaper.frame import Glyph

__all__ = ["shaped_string"]


def shaped_string(font_name: str, glyphs: Sequence[Glyph], size: float) -> ShapedStr:
    """A ShapedStr that draws exactly ``glyphs`` (ids, advances and offsets from HarfBuzz)."""
    font = pdfmetrics.getFont(font_name)
    if not hasattr(font, "hbAddPrivate"):
        font.hbFont()  # creates the private-use allocator as a side effect
        font.shapable = True  # the text object takes the shaped path only for shapable fonts
    face = font.face
    scale = 1000.0 / size  # IR positions are points; ShapeData wants 1/1000 em
    chars: list[str] = []
    data: list[ShapeData] = []
    for cluster, glyph in enumerate(glyphs):
        codes = face.glyphToChar.get(glyph.gid)
        advance = glyph.advance * scale
        if codes:
            code = codes[0]
        else:
            code = font.hbAddPrivate(f"g{glyph.gid}", glyph.gid, round(advance))
        chars.append(chr(code))
        data.append(ShapeData(cluster, advance, 0, glyph.dx * scale, glyph.dy * scale, face.charWidths.get(code, advance)))
    return ShapedStr("".join(chars), shapeData=data)
