"""Where each character of a drawn text run sits, and how far its ink reaches.

A run is drawn either as plain text (the PDF renderer's ``textOut``: each character advances by
the font's own advance width, as ReportLab measures it) or as the HarfBuzz glyphs the frame
carries (each with its advance and offsets). Pen positions here follow exactly that drawing, so a
word's box is where the word was printed, not a second measurement of it. The ink (how high and
low the glyphs reach) is each glyph's outline box in the font file the page names
(:class:`~epaper.frame.FontRef`), placed as the renderer places it; a word takes the glyphs drawn
within its stretch of the line. (``report/ink.py`` finds the same glyph boxes for its overfull and
collision counts; the import contract keeps the archive from reading the report.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics

from epaper.frame import FontRef, Glyph, TextRun
from epaper.render.pdf import registered_font

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
    """A run's character positions and glyph ink, in points from its origin (y down from the
    baseline).

    ``edges[i]`` is the pen position where character ``i`` of the run's text starts (characters of
    one shaped cluster share the cluster's start); ``edges[len(text)]`` is where the run ends.
    ``ink`` holds the box (x0, y0, x1, y1) of every glyph drawn with ink."""

    edges: tuple[float, ...]
    ink: tuple[tuple[float, float, float, float], ...]

    def span(self, start: int, end: int) -> tuple[float, float, float, float] | None:
        """(left, top, right, bottom) of characters ``start:end``: pen positions across, and down
        the ink of the glyphs drawn between them (by each glyph's middle); None if none is inked."""
        left, right = self.edges[start], self.edges[end]
        tops = [(y0, y1) for x0, y0, x1, y1 in self.ink if left <= (x0 + x1) / 2 < right]
        if not tops:
            return None
        return (left, min(t for t, _ in tops), right, max(b for _, b in tops))


@lru_cache(maxsize=64)
def _hb_font(path: str) -> tuple[hb.Font, int]:
    face = hb.Face(Path(path).read_bytes())
    return hb.Font(face), face.upem


@lru_cache(maxsize=None)
def font_info(font: FontRef) -> FontInfo:
    """Family and style of a face (read from the font's name table)."""
    face = _hb_font(font.path)[0].face
    names = hb.OTNameIdPredefined
    family = face.get_name(names.TYPOGRAPHIC_FAMILY) or face.get_name(names.FONT_FAMILY) or font.name
    style = (face.get_name(names.TYPOGRAPHIC_SUBFAMILY) or face.get_name(names.FONT_SUBFAMILY) or "").lower()
    full = f"{family} {style}".lower()
    return FontInfo(family=family, bold=any(w in style for w in ("bold", "black", "heavy")),
                    italic="italic" in style or "oblique" in style, serif="sans" not in full)


@lru_cache(maxsize=8192)
def _ink(font: FontRef, gid: int) -> tuple[float, float, float, float] | None:
    """A glyph's outline box per point of size (x0, y0, x1, y1, y down from the baseline)."""
    hb_font, upem = _hb_font(font.path)
    extents = hb_font.get_glyph_extents(gid)
    if extents is None or extents.width == 0 or extents.height == 0:
        return None
    return (extents.x_bearing / upem, -extents.y_bearing / upem, (extents.x_bearing + extents.width) / upem,
            -(extents.y_bearing + extents.height) / upem)


@lru_cache(maxsize=100_000)
def run_geometry(font: FontRef, size: float, text: str, glyphs: tuple[Glyph, ...] | None, scale: float = 1.0,
                 char_space: float = 0.0) -> RunGeometry:
    """Character positions and ink of a run (in ``font``, the page's font it names) as the PDF
    renderer draws it, placed at x = 0 on baseline 0 (cached: news copy repeats its words).
    ``scale`` and ``char_space``: the run's microtypography as the PDF applies it (``Tc`` after each
    character, then everything scaled horizontally by ``Tz``)."""
    edges = [0.0]
    ink: list[tuple[float, float, float, float]] = []

    def place(gid: int | None, x: float, dy: float) -> None:
        box = _ink(font, gid) if gid is not None else None
        if box is not None:
            ink.append((x + box[0] * size * scale, box[1] * size - dy, x + box[2] * size * scale, box[3] * size - dy))

    if glyphs is None:
        hb_font, _ = _hb_font(font.path)
        drawn_as = registered_font(font)
        for ch in text:
            if not ch.isspace():
                place(hb_font.get_nominal_glyph(ord(ch)), edges[-1], 0.0)
            # what textOut advances, with Tc and Tz applied
            edges.append(edges[-1] + (pdfmetrics.stringWidth(ch, drawn_as, size) + char_space) * scale)
        return RunGeometry(tuple(edges), tuple(ink))
    pen = 0.0
    for glyph in glyphs:
        place(glyph.gid, pen + glyph.dx * scale, glyph.dy)
        pen += (glyph.advance + char_space) * scale
    return RunGeometry(tuple(edge * scale for edge in _shaped_edges(text, glyphs)), tuple(ink))


def _shaped_edges(text: str, glyphs: tuple[Glyph, ...]) -> tuple[float, ...]:
    """Glyphs carry HarfBuzz clusters (offsets into the text): a cluster's characters start where
    its first glyph is drawn; the text after the last glyph (a word's trailing space) ends the run."""
    starts: dict[int, float] = {}
    end = 0.0
    for glyph in glyphs:
        starts.setdefault(glyph.cluster, end)
        end += glyph.advance
    covered = len(text.rstrip(" "))  # the glyphs stand for the text before a trailing space
    edges = []
    position = 0.0
    for index in range(len(text)):
        position = end if index >= covered else starts.get(index, position)
        edges.append(position)
    edges.append(end)
    return tuple(edges)
