"""ReportLab's TrueType fonts, parsed once for the processes after this one: the one place epaper
relies on ``TTFont``'s internals (pinned: reportlab==5.1.0).

``TTFont(name, path)`` parses the file in Python (its tables, character map and widths): ~5 ms a
face, and a replate's page sets eleven, for typesetting (:mod:`epaper.typeset.fonts`) and drawing
(:mod:`epaper.render.pdf`) alike. :func:`loaded_ttfont` keeps the parsed font in the build cache
(:mod:`epaper.cache.kept`). A parsed face holds one thing pickle cannot keep, ``_pdfScale`` (a
lambda made from ``unitsPerEm``), made again here as ``TTFontFile.extractInfo`` makes it; and a new
font's per-document ``state`` is an empty ``WeakKeyDictionary``. ``tests/test_reportlab_compat.py``
fails if these internals change.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import weakref
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from epaper.cache.kept import KeptParses

__all__ = ["keep_parsed_fonts", "loaded_ttfont", "pickled_font"]


_KEPT_FONTS = KeptParses("ttfont")


def keep_parsed_fonts(folder: Path) -> None:
    """Keep the fonts this process parses in ``folder`` (the build cache's) and take those kept
    there before. The first folder a process names is the one it keeps."""
    _KEPT_FONTS.keep_in(folder)


def loaded_ttfont(name: str, path: str) -> TTFont:
    """``TTFont(name, path)``, parsed once for every process that keeps fonts in the same folder
    (:func:`keep_parsed_fonts`)."""
    kept = _KEPT_FONTS.load(Path(path))
    if isinstance(kept, TTFont) and kept.fontName == name:
        return kept
    font = TTFont(name, path)
    _KEPT_FONTS.keep(Path(path), pickled_font(font))
    return font


def pickled_font(font: TTFont) -> bytes:
    """A ``TTFont`` just made (no document drew with it yet), pickled."""
    if font.state:
        raise ValueError(f"{font.fontName}: a font that drew already holds documents' state")
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    table: dict[type, Callable] = dict(copyreg.dispatch_table)
    table[ttfonts.TTFontFace] = _reduce_face
    table[weakref.WeakKeyDictionary] = lambda _: (weakref.WeakKeyDictionary, ())
    pickler.dispatch_table = table
    pickler.dump(font)
    return out.getvalue()


def _reduce_face(face: ttfonts.TTFontFace) -> tuple:
    return _face_from_state, ({key: value for key, value in vars(face).items() if key != "_pdfScale"},)


def _face_from_state(state: dict) -> ttfonts.TTFontFace:
    face = ttfonts.TTFontFace.__new__(ttfonts.TTFontFace)
    face.__dict__.update(state)
    face._pdfScale = _pdf_scale(face.unitsPerEm)
    return face


def _pdf_scale(units_per_em: int) -> Callable[[float], float]:
    """Font units to PDF glyph space (1/1000 em), as ``TTFontFile.extractInfo`` makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor
