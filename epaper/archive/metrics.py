"""Where each character of a drawn text run sits, and how far its ink reaches: the one place the
archive reads fonts.

A run is drawn either as plain text (the PDF renderer's ``textOut``: each character advances by
the font's own advance width, the numbers typesetting measured with) or as the HarfBuzz glyphs
the frame carries (each with its advance and offsets). Positions here follow exactly that drawing,
so a word's box is where the word was printed, not a second measurement of it. The ink (how high
and low the glyphs reach) comes from the glyph outlines' extents in the same font file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from epaper.frame import Glyph
from epaper.typeset.fonts import font_book

__all__ = ["FontInfo", "RunGeometry", "font_info", "run_geometry"]


@dataclass(frozen=True)
class FontInfo:
    """What ALTO's TextStyle says about a face: family and style as the font file names them."""

    family: str
    bold: bool
    italic: bool
    serif: bool


@dataclass(frozen=True)
class RunGeometry:
    """A run's character positions and ink, in points from its origin (y down from the baseline).

    ``edges[i]`` is the pen position where character ``i`` of the run's text starts (characters of
    one shaped cluster share the cluster's start); ``edges[len(text)]`` is where the run ends.
    ``ink[i]`` is (top, bottom) of the glyphs drawn for character ``i`` (None for a space or a
    character whose glyphs are drawn by another of its cluster)."""

    edges: tuple[float, ...]
    ink: tuple[tuple[float, float] | None, ...]

    def span(self, start: int, end: int) -> tuple[float, float, float, float] | None:
        """(left, top, right, bottom) of characters ``start:end``: pen positions across, ink down."""
        marks = [i for i in self.ink[start:end] if i is not None]
        if not marks:
            return None
        return (self.edges[start], min(t for t, _ in marks), self.edges[end], max(b for _, b in marks))


@lru_cache(maxsize=None)
def font_info(font: str) -> FontInfo:
    """Family and style of the face a run names (read from the font's name table)."""
    import uharfbuzz as hb

    face = font_book().face(font).hb_font.face
    names = hb.OTNameIdPredefined
    family = face.get_name(names.TYPOGRAPHIC_FAMILY) or face.get_name(names.FONT_FAMILY) or font
    style = (face.get_name(names.TYPOGRAPHIC_SUBFAMILY) or face.get_name(names.FONT_SUBFAMILY) or "").lower()
    full = f"{family} {style}".lower()
    return FontInfo(family=family, bold=any(w in style for w in ("bold", "black", "heavy")),
                    italic="italic" in style or "oblique" in style, serif="sans" not in full)


@lru_cache(maxsize=65536)
def _ink(font: str, gid: int) -> tuple[float, float] | None:
    """(top, bottom) of a glyph's outline per point of size, y down from the baseline; None if blank."""
    hb_font = font_book().face(font).hb_font
    extents = hb_font.get_glyph_extents(gid)
    if extents is None or extents.height == 0:
        return None
    upem = hb_font.face.upem
    return (-extents.y_bearing / upem, -(extents.y_bearing + extents.height) / upem)


@lru_cache(maxsize=65536)
def _nominal(font: str, char: str) -> int:
    return font_book().face(font).hb_font.get_nominal_glyph(ord(char)) or 0


def run_geometry(font: str, size: float, text: str, glyphs: tuple[Glyph, ...] | None) -> RunGeometry:
    """Character positions and ink of a text run (its ``font``, ``size``, ``text`` and ``glyphs``)
    as the PDF renderer draws it, the run placed at x = 0 on baseline 0."""
    return _plain(font, size, text) if glyphs is None else _shaped(font, size, text, glyphs)


# Both below place a run at x = 0 on baseline 0 (news copy repeats its words: each is placed once).

@lru_cache(maxsize=100_000)
def _plain(font: str, size: float, text: str) -> RunGeometry:
    face = font_book().face(font)
    edges = [0.0]
    ink: list[tuple[float, float] | None] = []
    x = 0.0
    for ch in text:
        x += face.width(ch, size)  # what textOut advances: the font's width of that character
        edges.append(x)
        reach = None if ch.isspace() else _ink(font, _nominal(font, ch))
        ink.append(None if reach is None else (reach[0] * size, reach[1] * size))
    return RunGeometry(tuple(edges), tuple(ink))


@lru_cache(maxsize=100_000)
def _shaped(font: str, size: float, text: str, glyphs: tuple[Glyph, ...]) -> RunGeometry:
    """Glyphs carry HarfBuzz clusters (offsets into the text): a cluster's characters start where
    its first glyph is drawn; the text after the last glyph (a word's trailing space) ends the run."""
    starts: dict[int, float] = {}
    reach: dict[int, list[float]] = {}
    x = 0.0
    for glyph in glyphs:
        starts.setdefault(glyph.cluster, x)
        extent = _ink(font, glyph.gid)
        if extent is not None:
            top, bottom = extent[0] * size - glyph.dy, extent[1] * size - glyph.dy
            box = reach.setdefault(glyph.cluster, [top, bottom])
            box[0], box[1] = min(box[0], top), max(box[1], bottom)
        x += glyph.advance
    end = x
    covered = len(text.rstrip(" "))  # the glyphs stand for the text before a trailing space
    edges: list[float] = []
    position = 0.0
    for index in range(len(text)):
        position = end if index >= covered else starts.get(index, position)
        edges.append(position)
    edges.append(end)
    ink = tuple(None if reach.get(i) is None or ch.isspace() else (reach[i][0], reach[i][1]) for i, ch in enumerate(text))
    return RunGeometry(tuple(edges), ink)
