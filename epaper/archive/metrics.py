"""What the archive needs to know of a drawn run and its font.

Where each character of a run sits and how far its ink reaches is the renderer's geometry
(:func:`epaper.render.geometry.run_geometry`, shared with the ink report and cached, so a build
works a run out once): a word's box is where the word was printed, not a second measurement of
it; a word takes the glyphs drawn within its stretch of the line. Here: what ALTO's TextStyle
says of a face.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb

from epaper.frame import FontRef
from epaper.render.geometry import RunGeometry, hb_font, run_geometry

__all__ = ["FontInfo", "RunGeometry", "font_info", "run_geometry"]


@dataclass(frozen=True)
class FontInfo:
    """What ALTO's TextStyle says about a face: family and style as the font file names them."""

    family: str
    bold: bool
    italic: bool
    serif: bool


@lru_cache(maxsize=None)
def font_info(font: FontRef) -> FontInfo:
    """Family and style of a face (read from the font's name table)."""
    face = hb_font(font.path)[0].face
    names = hb.OTNameIdPredefined
    family = face.get_name(names.TYPOGRAPHIC_FAMILY) or face.get_name(names.FONT_FAMILY) or font.name
    style = (face.get_name(names.TYPOGRAPHIC_SUBFAMILY) or face.get_name(names.FONT_SUBFAMILY) or "").lower()
    full = f"{family} {style}".lower()
    return FontInfo(family=family, bold=any(w in style for w in ("bold", "black", "heavy")),
                    italic="italic" in style or "oblique" in style, serif="sans" not in full)
