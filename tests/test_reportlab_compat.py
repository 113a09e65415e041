"""The ReportLab internals epaper/render/_reportlab_compat.py relies on. If an upgrade changes them,
these fail before a page silently draws the wrong glyphs."""

from __future__ import annotations

import inspect
import re
import zlib
from importlib.metadata import version
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts
from reportlab.pdfgen import canvas as rl_canvas

from epaper.render._reportlab_compat import shaped_string
from epaper.typeset.fonts import font_book

REPO = Path(__file__).resolve().parent.parent


def test_reportlab_is_the_pinned_version():
    pinned = re.search(r'"reportlab==([^"]+)"', (REPO / "pyproject.toml").read_text()).group(1)
    assert version("reportlab") == pinned == "5.1.0", "re-check _reportlab_compat.py before moving the pin"


def test_private_shaping_api_has_the_expected_shape():
    assert issubclass(ttfonts.ShapedStr, str)
    fields = ttfonts.ShapeData._fields
    assert fields[:6] == ("cluster", "x_advance", "y_advance", "x_offset", "y_offset", "width")
    params = list(inspect.signature(ttfonts.ShapedStr.__new__).parameters)
    assert "shapeData" in params
    face = font_book().face("deva")
    font = pdfmetrics.getFont(face.rl_name)
    assert hasattr(font, "hbFont") and hasattr(font.face, "glyphToChar") and hasattr(font.face, "charWidths")
    shaped_string(face.rl_name, face.shape("क्ष", 9).glyphs, 9)
    assert hasattr(font, "hbAddPrivate"), "hbFont() no longer creates the private-use allocator"
    assert list(inspect.signature(font.hbAddPrivate).parameters)[:3] == ["name", "gid", "width"] or \
        len(inspect.signature(font.hbAddPrivate).parameters) >= 3


def _draw(tmp_path, face_name: str, word: str):
    face = font_book().face(face_name)
    shaped = face.shape(word, 20)
    path = tmp_path / "x.pdf"
    c = rl_canvas.Canvas(str(path), pageCompression=0)
    t = c.beginText()
    t.setFont(face.rl_name, 20)
    t.setTextOrigin(50, 700)
    t.textOut(shaped_string(face.rl_name, shaped.glyphs, 20))
    c.drawText(t)
    c.showPage()
    c.save()
    return shaped, path.read_bytes()


def test_a_shaped_string_is_drawn_with_its_positions(tmp_path):
    """The shaped path is taken: ReportLab emits positioned text (TJ with adjustments) or one Tj per
    glyph, never re-shaping the private-use characters it was given."""
    shaped, pdf = _draw(tmp_path, "deva", "क्षत्रिय")
    content = pdf.decode("latin-1")
    assert "BT" in content and "ET" in content
    assert " Tj" in content or " TJ" in content


def test_every_drawn_glyph_id_is_the_shaped_one(tmp_path):
    from pdf_glyphs import drawn_glyph_ids

    for word in ("क्षत्रिय", "श्रीमान", "Text"):
        face = "deva" if word[0] > "\u0900" else "serif"
        shaped, pdf = _draw(tmp_path, face, word)
        assert drawn_glyph_ids(pdf) == [g.gid for g in shaped.glyphs]
