"""Where each character of a drawn text run sits, and how far its ink reaches.

A run is drawn either as plain text (the PDF renderer's ``textOut``: each character advances by
the font's own advance width, the numbers typesetting measured with) or as the HarfBuzz glyphs
the frame carries (each with its advance and offsets). Pen positions here follow exactly that
drawing, so a word's box is where the word was printed, not a second measurement of it. The ink
(how high and low the glyphs reach) is the report's: :func:`epaper.report.ink.run_ink`, each glyph's
outline box from the font, placed as the renderer places it; a word takes the glyphs drawn within
its stretch of the line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from epaper.frame import Glyph, TextRun
from epaper.report.ink import run_ink
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


# (font, size, text, glyphs) -> the run's geometry: news copy repeats its words, each is placed once.
_GEOMETRIES: dict[tuple, RunGeometry] = {}


def run_geometry(run: TextRun) -> RunGeometry:
    """Character positions and ink of ``run`` as the PDF renderer draws it, the run placed at
    x = 0 on baseline 0."""
    key = (run.font, run.size, run.text, run.glyphs)
    geometry = _GEOMETRIES.get(key)
    if geometry is None:
        edges = _plain_edges(run.font, run.size, run.text) if run.glyphs is None else _shaped_edges(run.text, run.glyphs)
        if len(_GEOMETRIES) > 200_000:
            _GEOMETRIES.clear()
        geometry = _GEOMETRIES[key] = RunGeometry(edges, run_ink(replace(run, x=0.0, baseline=0.0)).glyphs)
    return geometry


def _plain_edges(font: str, size: float, text: str) -> tuple[float, ...]:
    face = font_book().face(font)
    edges = [0.0]
    for ch in text:
        edges.append(edges[-1] + face.width(ch, size))  # what textOut advances: the font's width of it
    return tuple(edges)


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
