"""Where the PDF renderer puts each character of a text run, and where each drawn glyph's ink is.

One source for both readers of the drawn glyphs: the ink report (``report/ink.py``: overfull lines,
glyph collisions) and the archive's word boxes (``archive/text.py``, ALTO). Within a build both ask
for the same runs, and the answer is cached here, so a run's geometry is worked out once.

A run is drawn either as plain text (:func:`epaper.render.pdf.render_page`'s ``textOut``: each
character advances by the font's own advance width, as ReportLab measures it, no kerning) or as
the HarfBuzz glyphs the frame carries (each with its advance and offsets). Pen positions follow
exactly that drawing, with the run's microtypography as the PDF applies it: ``Tc`` (``char_space``)
after each character, then everything scaled horizontally by ``Tz`` (``scale``). A glyph's ink is
its outline box in the font file the page names (:class:`~epaper.frame.FontRef`), HarfBuzz's
extents, placed as the renderer places the glyph.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics

from epaper.frame import FontRef, Glyph
from epaper.render.pdf import registered_font

__all__ = ["Rect", "RunGeometry", "glyph_extents", "hb_font", "run_geometry"]

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the run's origin, y down


@dataclass(frozen=True)
class RunGeometry:
    """A run's character positions and glyph ink, in points from its origin (y down from the
    baseline).

    ``edges[i]`` is the pen position where character ``i`` of the run's text starts (characters of
    one shaped cluster share the cluster's start); ``edges[len(text)]`` is where the run ends.
    ``ink`` holds the box of every glyph drawn with ink, in drawing order; ``bounds`` is their
    union (None: a run without ink)."""

    edges: tuple[float, ...]
    ink: tuple[Rect, ...]
    bounds: Rect | None

    def span(self, start: int, end: int) -> Rect | None:
        """(left, top, right, bottom) of characters ``start:end``: pen positions across, and down
        the ink of the glyphs drawn between them (by each glyph's middle); None if none is inked."""
        left, right = self.edges[start], self.edges[end]
        top = bottom = None
        for x0, y0, x1, y1 in self.ink:
            if left <= (x0 + x1) / 2 < right:
                top = y0 if top is None or y0 < top else top
                bottom = y1 if bottom is None or y1 > bottom else bottom
        if top is None or bottom is None:
            return None
        return (left, top, right, bottom)


@lru_cache(maxsize=64)
def hb_font(path: str) -> tuple[hb.Font, int]:
    """HarfBuzz's view of a font file a page names, and its units per em."""
    face = hb.Face(Path(path).read_bytes())
    return hb.Font(face), face.upem


@lru_cache(maxsize=8192)
def glyph_extents(font: FontRef, gid: int) -> Rect | None:
    """A glyph's outline box in ems, y down from the baseline (x0, top, x1, bottom); None for a
    glyph without ink (a space)."""
    font_, upem = hb_font(font.path)
    extents = font_.get_glyph_extents(gid)
    if extents is None or extents.width == 0 or extents.height == 0:
        return None
    x0 = extents.x_bearing / upem
    top = extents.y_bearing / upem  # y up; the height is negative
    return (x0, -top, x0 + extents.width / upem, -(top + extents.height / upem))


@lru_cache(maxsize=256)
def _characters(font: FontRef, size: float) -> dict[str, tuple[float, Rect | None]]:
    """The characters of ``font`` at ``size`` met so far (filled by :func:`_character`): a run
    looks its characters up here by the character alone, not hashing the font for each."""
    return {}


@lru_cache(maxsize=64)
def _glyphs(font: FontRef) -> dict[int, Rect | None]:
    """The glyph extents of ``font`` looked up so far (by glyph id alone, as :func:`_characters`)."""
    return {}


def _character(font: FontRef, size: float, ch: str) -> tuple[float, Rect | None]:
    """What ``textOut`` advances for one character at ``size`` (before Tc and Tz), and its glyph's
    ink box in ems (None for a space or a glyph without ink)."""
    advance = pdfmetrics.stringWidth(ch, registered_font(font), size)
    if ch.isspace():
        return advance, None
    gid = hb_font(font.path)[0].get_nominal_glyph(ord(ch))
    return advance, (glyph_extents(font, gid) if gid is not None else None)


@lru_cache(maxsize=100_000)
def run_geometry(font: FontRef, size: float, text: str, glyphs: tuple[Glyph, ...] | None, scale: float = 1.0,
                 char_space: float = 0.0) -> RunGeometry:
    """Character positions and ink of a run (in ``font``, the page's font it names) as the PDF
    renderer draws it, placed at x = 0 on baseline 0 (cached: news copy repeats its words, and
    the report and the archive both read it)."""
    ink: list[Rect] = []
    if glyphs is None:
        known = _characters(font, size)
        edges = [0.0]
        pen = 0.0
        for ch in text:
            found = known.get(ch)
            if found is None:
                found = known[ch] = _character(font, size, ch)
            advance, box = found
            if box is not None:
                ink.append((pen + box[0] * size * scale, box[1] * size, pen + box[2] * size * scale, box[3] * size))
            pen += (advance + char_space) * scale
            edges.append(pen)
        return RunGeometry(tuple(edges), tuple(ink), _union(ink))
    pen = 0.0
    extents = _glyphs(font)
    for glyph in glyphs:
        gid = glyph.gid
        box = extents[gid] if gid in extents else extents.setdefault(gid, glyph_extents(font, gid))
        if box is not None:
            x = pen + glyph.dx * scale
            ink.append((x + box[0] * size * scale, box[1] * size - glyph.dy, x + box[2] * size * scale,
                        box[3] * size - glyph.dy))
        pen += (glyph.advance + char_space) * scale
    return RunGeometry(tuple(edge * scale for edge in _shaped_edges(text, glyphs)), tuple(ink), _union(ink))


def _union(boxes: list[Rect]) -> Rect | None:
    if not boxes:
        return None
    if len(boxes) == 1:
        return boxes[0]
    x0, y0, x1, y1 = zip(*boxes)
    return (min(x0), min(y0), max(x1), max(y1))


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
