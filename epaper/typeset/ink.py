"""Where a set line's ink really is: from the glyphs' own bounding boxes (HarfBuzz extents), not
the font's nominal ascent and descent. Layout spaces a headline, its kicker and its deck by it,
so that no descender (a headline's g, a Devanagari vowel sign below its consonant) touches the
next element's ascenders."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from epaper.typeset.fonts import Face, font_book
from epaper.typeset.paragraph import SetLine

__all__ = ["LineInk", "line_ink"]


@dataclass(frozen=True)
class LineInk:
    """The highest ink above the baseline and the deepest below it, in points (both positive
    when the ink reaches that side)."""

    above: float
    below: float


@lru_cache(maxsize=100_000)
def _glyph_box(face: Face, gid: int) -> tuple[float, float]:
    """(top, bottom) of one glyph's outline in ems, y up; (0, 0) for a blank glyph (space)."""
    font = face.hb_font
    extents = font.get_glyph_extents(gid)
    if extents is None or extents.height == 0:
        return 0.0, 0.0
    upem = font.face.upem
    top = extents.y_bearing / upem
    return top, top + extents.height / upem  # HarfBuzz heights are negative (y up)


def line_ink(line: SetLine) -> LineInk:
    book = font_book()
    above = below = 0.0
    for seg in line.segments:
        face = book.face(seg.face)
        glyphs = seg.glyphs if seg.glyphs is not None else face.shape(seg.text, seg.size).glyphs
        for glyph in glyphs:
            top, bottom = _glyph_box(face, glyph.gid)
            if top == bottom:
                continue
            # Glyph offsets are y up (HarfBuzz), in points already.
            above = max(above, top * seg.size + glyph.dy)
            below = max(below, -(bottom * seg.size + glyph.dy))
    return LineInk(above, below)
