"""The ReportLab internals epaper/render/_reportlab_compat.py relies on. If an upgrade changes them,
these fail before a page silently draws the wrong glyphs."""

from __future__ import annotations

import inspect
import io
import re
from importlib.metadata import version
from pathlib import Path

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


def test_to_unicode_cmap_hook_points_are_unchanged():
    """epaper extends the ToUnicode CMap by wrapping ``ttfonts.makeToUnicodeCMap``, which
    ``TTFont.addObjects`` looks up as a module global with the subset's /BaseFont name and its
    list of codes; private codes come from ``hbAddPrivate``, which maps them to a glyph in the face's
    charToGlyph/charWidths (so a subset can hold several codes for one glyph)."""
    from epaper.render import _reportlab_compat as compat

    assert "cmapStream.content = makeToUnicodeCMap(baseFontName, subset)" in inspect.getsource(ttfonts.TTFont.addObjects)
    assert "SUBSETN(n),b'+',self.face.name,self.face.subfontNameX" in inspect.getsource(ttfonts.TTFont.addObjects)
    assert ttfonts.makeToUnicodeCMap is compat._make_to_unicode_cmap
    original = compat._original_make_to_unicode("AAAAAA+X", [0, 0x41, 0xE001])
    lines = original.split("\n")
    assert lines[lines.index("3 beginbfchar") + 1:][:3] == ["<00> <0000>", "<01> <0041>", "<02> <E001>"]
    face = font_book().face("deva")
    font = pdfmetrics.getFont(face.rl_name)
    font.hbFont()
    code = font.hbAddPrivate("epaper-compat-test", 5, 321)
    assert font.face.charToGlyph[code] == 5 and font.face.charWidths[code] == 321
    assert code in font.face.glyphToChar[5]


def test_shaped_text_emission_formula_is_unchanged():
    """The compat module picks code widths so that no pen move after a mark reads as a word gap; that
    relies on ReportLab emitting -x_offset before a glyph and width - x_advance + x_offset after."""
    from reportlab.pdfgen import textobject

    source = inspect.getsource(textobject.PDFTextObject._formatText)
    assert "A(-sd.x_offset)" in source and "A(sd.width - sd.x_advance + sd.x_offset)" in source


def _to_unicode(pdf: bytes) -> dict[str, dict[str, str]]:
    from pypdf import PdfReader
    import io

    out = {}
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        if "/ToUnicode" not in font:  # the canvas's default Helvetica
            continue
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        entries = re.findall(r"<([0-9A-F]{2})> <([0-9A-F]*)>", cmap.split("beginbfchar")[1])
        out[str(font["/BaseFont"])] = {src: bytes.fromhex(dst).decode("utf-16-be") for src, dst in entries}
    return out


def test_to_unicode_maps_shaped_glyphs_to_their_syllables(tmp_path):
    """Conjunct, reph and pre-base matra glyphs get codes whose ToUnicode entry is their syllable's
    text (first glyph drawn) or empty (the rest): the codes drawn read back as the word."""
    from epaper.render._reportlab_compat import glyph_texts

    face = font_book().face("deva")
    font = pdfmetrics.getFont(face.rl_name)
    for word in ("क्षत्रिय", "धर्म", "किताब"):
        glyphs = face.shape(word, 20).glyphs
        texts = glyph_texts(word, glyphs, font.face.charToGlyph)
        assert "".join(t for t, _ in texts) == word
    shaped = face.shape("त्रि", 20).glyphs
    assert len(shaped) == 2  # the i-matra is drawn first, then the conjunct
    assert glyph_texts("त्रि", shaped, font.face.charToGlyph) == [("त्रि", False), ("", False)]
    path = tmp_path / "x.pdf"
    c = rl_canvas.Canvas(str(path), pageCompression=0)
    t = c.beginText()
    t.setFont(face.rl_name, 20)
    t.setTextOrigin(50, 700)
    t.textOut(shaped_string(face.rl_name, shaped, 20, "त्रि"))
    c.drawText(t)
    c.showPage()
    c.save()
    maps = _to_unicode(path.read_bytes())
    (mapping,) = [m for name, m in maps.items() if "Devanagari" in name]
    assert "त्रि" in mapping.values() and "" in mapping.values()
    assert not any("\ue000" <= ch <= "\uf8ff" for text in mapping.values() for ch in text)


def test_actual_text_span_goes_into_the_content_stream(tmp_path):
    """draw_shaped writes /ActualText marked content through the text object's private code list;
    if ReportLab renames or drops that list, the span (and pdfium's extraction) would be lost."""
    from epaper.render._reportlab_compat import draw_shaped

    face = font_book().face("deva")
    path = tmp_path / "span.pdf"
    c = rl_canvas.Canvas(str(path), pageCompression=0)
    t = c.beginText()
    assert isinstance(t._code, list)
    t.setFont(face.rl_name, 20)
    t.setTextOrigin(50, 700)
    draw_shaped(t, face.rl_name, face.shape("क्ष", 20).glyphs, 20, "क्ष")
    c.drawText(t)
    c.showPage()
    c.save()
    content = path.read_bytes().decode("latin-1")
    span = "/Span <</ActualText <FEFF" + "क्ष".encode("utf-16-be").hex().upper() + ">>> BDC"
    assert span in content
    assert content.index(span) < content.index("EMC")


def _plain_code(draw, runs) -> list[str]:
    """The text object's operators after drawing ``runs`` ((face, size, text) each) with ``draw``."""
    import io

    c = rl_canvas.Canvas(io.BytesIO(), pageCompression=0)
    t = c.beginText()
    for index, (face_name, size, text) in enumerate(runs):
        face = font_book().face(face_name)
        t.setFont(face.rl_name, size)
        t.setTextOrigin(50 + index, 700 - index)
        draw(t, text)
    return list(t._code)


def test_draw_plain_writes_what_text_out_writes():
    """draw_plain stands in for textOut on every plain run of a page: the operators must be the same,
    across font changes, repeated words (the remembered split) and more characters than one
    subset holds (the subset switch inside a run)."""
    from epaper.render._reportlab_compat import draw_plain

    many = "".join(chr(c) for c in range(0x21, 0x17F) if chr(c).isprintable())  # > 256 codes: two subsets
    runs = [("serif", 9, "The harbour "), ("serif-bold", 9, "wall "), ("serif", 9, "The harbour "),
            ("sans", 8.5, "“Curly” — 12½ % "), ("serif", 9, many), ("serif", 9, "The harbour "), ("serif", 9, "")]
    assert _plain_code(draw_plain, runs) == _plain_code(lambda t, text: t.textOut(text), runs)


def _shaped_code(draw, runs) -> list[str]:
    """The text object's operators after drawing ``runs`` ((face, size, text) each, shaped) with ``draw``."""
    import io

    c = rl_canvas.Canvas(io.BytesIO(), pageCompression=0)
    t = c.beginText()
    current = None
    for index, (face_name, size, text) in enumerate(runs):
        face = font_book().face(face_name)
        if (face_name, size) != current:  # as the renderer: the font is set when it changes
            t.setFont(face.rl_name, size)
            current = (face_name, size)
        t.setTextOrigin(50 + index, 700 - index)
        draw(t, face.rl_name, face.shape(text, size).glyphs, size, text)
    return list(t._code)


def _span_and_text_out(t, font_name, glyphs, size, text) -> None:
    t._code.append(f"/Span <</ActualText <FEFF{text.rstrip(' ').encode('utf-16-be').hex().upper()}>>> BDC")
    t.textOut(shaped_string(font_name, glyphs, size, text))
    t._code.append("EMC")


def test_draw_shaped_writes_what_text_out_writes():
    """draw_shaped remembers each shaped string for the process and its operators for the document:
    they must be textOut's, across font and size changes, repeated words, a second document (the
    strings remembered, the operators not) and more codes than one subset holds."""
    from epaper.render._reportlab_compat import draw_shaped

    many = "".join(chr(c) for c in range(0x21, 0x17F) if chr(c).isprintable())  # > 256 codes: two subsets
    runs = [("deva", 9, "क्षत्रिय "), ("deva-bold", 9, "हिंदी "), ("deva", 9, "क्षत्रिय "), ("deva", 12, "क्षत्रिय "),
            ("serif", 9, "The harbour "), ("serif", 9, many), ("serif", 9, "The harbour "), ("serif", 9, many),
            ("serif", 9, "The harbour "), ("serif", 9, many), ("serif", 9, many), ("deva", 9, "क्षत्रिय ")]
    expected = _shaped_code(_span_and_text_out, runs)
    assert any("Tf" in op for op in expected[1:]), "the runs switch subsets"
    assert _shaped_code(draw_shaped, runs) == expected
    assert _shaped_code(draw_shaped, runs) == expected  # a second document, strings remembered


def test_a_jpeg_photo_is_embedded_as_it_is_and_named_without_decoding(tmp_path, monkeypatch):
    """drawImage names an image by the MD5 of getRGBData() and reads a JPEG's data through jpeg_fh():
    JpegPhoto answers getRGBData with its own bytes, so the photo is never decoded and its JPEG
    bytes are the image stream."""
    import hashlib
    import io

    import pikepdf
    from PIL import Image
    from reportlab import rl_config
    from reportlab.lib.utils import ImageReader

    from epaper.render._reportlab_compat import JpegPhoto

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 40)).save(buffer, "JPEG")
    jpeg = buffer.getvalue()
    decoded = []
    original = ImageReader.getRGBData
    monkeypatch.setattr(ImageReader, "getRGBData", lambda self: decoded.append(self) or original(self))
    monkeypatch.setattr(rl_config, "useA85", 0)  # as the renderer draws photos (binary streams)
    path = tmp_path / "photo.pdf"
    c = rl_canvas.Canvas(str(path))
    c.drawImage(JpegPhoto(jpeg), 10, 10, 64, 48)
    c.showPage()
    c.save()
    assert not decoded, "drawImage decoded the photo"
    with pikepdf.open(path) as pdf:
        (name, image), = pdf.pages[0].Resources.XObject.items()
        filters = list(image.Filter) if isinstance(image.Filter, pikepdf.Array) else [image.Filter]
        assert filters == [pikepdf.Name.DCTDecode] and image.read_raw_bytes() == jpeg
        assert name == f"/FormXob.{hashlib.md5(jpeg + b'None').hexdigest()}"


def _drawn_with(font: ttfonts.TTFont, text: str) -> bytes:
    pdfmetrics.registerFont(font)
    out = io.BytesIO()
    page = rl_canvas.Canvas(out, invariant=1)
    page.setFont(font.fontName, 11)
    page.drawString(20, 20, text)
    page.save()
    return out.getvalue()


def test_a_kept_font_is_the_font_parsed():
    """Every font of the project, pickled as loaded_ttfont keeps it and loaded again, is the font
    ReportLab parses: the same attributes, the same scale to PDF units, the same PDF drawn."""
    import pickle

    from epaper.truetype import pickled_font
    from epaper.resources import fonts_dir

    paths = sorted(fonts_dir().rglob("*.ttf"))
    assert len(paths) >= 10
    for index, path in enumerate(paths):
        parsed = ttfonts.TTFont(f"Parsed{index}", str(path))
        kept = pickle.loads(pickled_font(ttfonts.TTFont(f"Kept{index}", str(path))))
        assert set(vars(kept)) == set(vars(parsed)), path.name
        for name, value in vars(parsed).items():
            if name not in ("fontName", "face", "state", "encoding"):
                assert getattr(kept, name) == value, (path.name, name)
        assert not kept.state and type(kept.encoding) is type(parsed.encoding)
        face, fresh = vars(kept.face), vars(parsed.face)
        assert set(face) == set(fresh), path.name
        assert {n: v for n, v in face.items() if n != "_pdfScale"} == {n: v for n, v in fresh.items() if n != "_pdfScale"}
        assert [kept.face._pdfScale(v) for v in (0, 1, 517, 2048, -300)] == \
            [parsed.face._pdfScale(v) for v in (0, 1, 517, 2048, -300)], path.name
        text = "Harbour ferry ﬁnal 2026 — “quoted” नमस्ते"
        assert _drawn_with(kept, text).replace(b"Kept", b"Parsed") == _drawn_with(parsed, text), path.name


_LOADS = """
import sys
from pathlib import Path
from reportlab.pdfbase import ttfonts
from epaper import truetype
parsed, parse = [], ttfonts.TTFontFile.extractInfo
ttfonts.TTFontFile.extractInfo = lambda self, *a, **k: (parsed.append(1), parse(self, *a, **k))[1]
truetype.keep_parsed_fonts(Path(sys.argv[1]))
font = truetype.loaded_ttfont("Serif", sys.argv[2])
print(len(parsed), font.stringWidth("Harbour", 10))
"""


def test_a_font_parsed_by_one_process_is_taken_by_the_next(tmp_path):
    import subprocess
    import sys

    from epaper.resources import fonts_dir

    path = str(sorted(fonts_dir().rglob("*.ttf"))[0])
    run = lambda: subprocess.run([sys.executable, "-c", _LOADS, str(tmp_path), path], capture_output=True,
                                 text=True, check=True).stdout.split()  # noqa: E731
    first, second = run(), run()
    assert first[0] == "1" and second[0] == "0" and first[1] == second[1]
    [kept] = tmp_path.glob("*.pickle")
    kept.write_bytes(b"not a pickle")  # damaged: parsed again and kept anew
    assert run()[0] == "1" and run()[0] == "0"
