"""Font faces: metrics for measuring and HarfBuzz shaping for complex scripts.

Latin text is measured with the font's own advance widths (ReportLab's TrueType parser, which is also
what draws it, so measured and drawn widths are the same numbers). Devanagari is shaped with HarfBuzz
and measured from the shaped advances; the glyphs HarfBuzz chose travel in the page IR so the PDF
draws exactly what was measured.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics

from epaper.frame import FontRef, Glyph
from epaper.truetype import loaded_ttfont
from epaper.model.scripts import is_devanagari
from epaper.resources import FontConfig, font_config

__all__ = ["Face", "FontBook", "ShapedText", "font_book", "script_of"]


@dataclass(frozen=True)
class ShapedText:
    glyphs: tuple[Glyph, ...]
    width: float


def script_of(text: str) -> str:
    """"Deva" if the text contains Devanagari letters, else "Latn" (all other scripts we set)."""
    for ch in text:
        if is_devanagari(ch):
            return "Deva"
    return "Latn"


class Face:
    """One TrueType file, registered with ReportLab under ``rl_name`` for drawing."""

    def __init__(self, name: str, path: Path):
        self.name = name
        self.path = path
        self.rl_name = FontRef(name, str(path)).pdf_name  # the name the PDF renderer registers it under
        if self.rl_name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(loaded_ttfont(self.rl_name, str(path)))
        ttf = pdfmetrics.getFont(self.rl_name)
        self.ascent = ttf.face.ascent / 1000
        self.descent = -ttf.face.descent / 1000  # positive: depth below the baseline per point size
        self.cap_height = ttf.face.capHeight / 1000
        self._char_widths = ttf.face.charWidths  # 1/1000 em, keyed by code point
        self._default_width = ttf.face.defaultWidth
        self._hb_font: hb.Font | None = None
        self._upem = 1000

    def covers(self, ch: str) -> bool:
        return ord(ch) in self._char_widths

    def width(self, text: str, size: float) -> float:
        return pdfmetrics.stringWidth(text, self.rl_name, size)

    @property
    def hb_font(self) -> hb.Font:
        if self._hb_font is None:
            face = hb.Face(self.path.read_bytes())
            self._upem = face.upem
            self._hb_font = hb.Font(face)
        return self._hb_font

    def shape(self, text: str, size: float) -> ShapedText:
        return _shape(self, text, size)


@lru_cache(maxsize=65536)
def _shape(face: Face, text: str, size: float) -> ShapedText:
    font = face.hb_font
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {"kern": True, "liga": True})
    scale = size / face._upem
    glyphs = tuple(
        Glyph(gid=info.codepoint, advance=pos.x_advance * scale, dx=pos.x_offset * scale, dy=pos.y_offset * scale,
              cluster=info.cluster)
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions)
    )
    return ShapedText(glyphs=glyphs, width=sum(g.advance for g in glyphs))


class FontBook:
    """The configured faces (fonts/fonts.yaml) and which face sets which script in each style."""

    def __init__(self, config: FontConfig):
        self._files = config.files
        self._script_faces = config.script_faces
        self._faces: dict[str, Face] = {}

    @property
    def names(self) -> list[str]:
        return list(self._files)

    def face(self, name: str) -> Face:
        face = self._faces.get(name)
        if face is None:
            if name not in self._files:
                raise KeyError(f"unknown font face {name!r}; fonts.yaml defines {', '.join(self._files)}")
            face = self._faces[name] = Face(name, self._files[name])
        return face

    def face_for(self, style_face: str, script: str) -> Face:
        """The face that sets ``script`` text in a style whose Latin face is ``style_face``."""
        name = self._script_faces.get(script, {}).get(style_face, style_face)
        return self.face(name)

    def uncovered(self, text: str) -> list[str]:
        """Characters of ``text`` that no face for their script covers (spaces and controls exempt)."""
        missing = []
        for ch in set(text):
            if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            script = script_of(ch)
            faces = {self.face_for(base, script) for base in ("serif", "headline", "sans")}
            if not all(face.covers(ch) for face in faces):
                missing.append(ch)
        return sorted(missing)


@cache
def font_book() -> FontBook:
    return FontBook(font_config())
