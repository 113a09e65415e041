"""Where a set line's ink really is: from the glyphs' own bounding boxes (HarfBuzz extents), not
the font's nominal ascent and descent. Layout spaces a headline, its kicker and its deck by it,
so that no descender (a headline's g, a Devanagari vowel sign below its consonant) touches the
next element's ascenders."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from epaper.typeset.fonts import Face, font_book
from epaper.typeset.paragraph import SetLine

__all__ = ["LineInk", "glyph_box", "line_ink"]


@dataclass(frozen=True)
class LineInk:
    """The highest ink above the baseline and the deepest below it, in points (both positive
    when the ink reaches that side)."""

    above: float
    below: float


@lru_cache(maxsize=100_000)
def glyph_box(face: Face, gid: int) -> tuple[float, float, float, float] | None:
    """One glyph's outline box in ems (x0, y0, x1, y1, y up: HarfBuzz's extents); None for a glyph
    without ink (a space)."""
    font = face.hb_font  # loads the face (and its units per em)
    extents = font.get_glyph_extents(gid)
    if extents is None or extents.width == 0 or extents.height == 0:
        return None
    upem = font.face.upem
    x0 = extents.x_bearing / upem
    top = extents.y_bearing / upem
    return (x0, top + extents.height / upem, x0 + extents.width / upem, top)  # heights are negative (y up)


def line_ink(line: SetLine) -> LineInk:
    book = font_book()
    above = below = 0.0
    for seg in line.segments:
        face = book.face(seg.face)
        glyphs = seg.glyphs if seg.glyphs is not None else face.shape(seg.text, seg.size).glyphs
        for glyph in glyphs:
            box = glyph_box(face, glyph.gid)
            if box is None:
                continue
            bottom, top = box[1], box[3]
            # Glyph offsets are y up (HarfBuzz), in points already.
            above = max(above, top * seg.size + glyph.dy)
            below = max(below, -(bottom * seg.size + glyph.dy))
    return LineInk(above, below)
