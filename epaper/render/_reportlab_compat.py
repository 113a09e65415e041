"""The one place epaper relies on ReportLab internals (pinned: reportlab==5.1.0).

ReportLab draws HarfBuzz-shaped text only as its private ``ShapedStr`` (a str of per-subset codes
with ``ShapeData`` positions). epaper shapes during typesetting and keeps the glyph ids in the page
IR, so here those glyph ids are turned back into a ``ShapedStr`` for the canvas.

Text extraction. A PDF viewer or extractor turns drawn codes back into text through the font's
``/ToUnicode`` CMap, one entry per code. ReportLab gives each code the Unicode character it stands
for, and glyphs without a cmap entry (conjuncts, half forms, reph, matra variants) private-use
codes (``TTFont.hbAddPrivate``), so extractors that read only ToUnicode (pypdf) got private-use
characters. Here each glyph of a syllable that is not simply "one character, one glyph, in order"
gets its own code *for that use*: the first glyph drawn of the syllable maps to the syllable's whole
text and the others to the empty string. Several codes may draw the same glyph, so the same glyph
can stand for different text in different syllables (ि before त्र in त्रि), and text whose glyphs
are reordered (ि drawn before its consonant, reph after it) still extracts in logical order. The
ToUnicode CMap ReportLab writes (``ttfonts.makeToUnicodeCMap``, called from ``TTFont.addObjects``)
is extended with those entries. ``/ActualText`` around shaped runs (see the renderer) stays: it
is what pdfium and Acrobat use.

Plain runs. A page draws thousands of words, each with ``setTextOrigin`` and ``textOut``;
``textOut`` measures the string (only to move a cursor the next ``setTextOrigin`` resets) and
splits it into the font's subsets (``TTFont.splitString``) every time. :func:`draw_plain` writes
the same operators ``textOut`` writes for a TrueType font, and remembers each string's split per
document: once a character has its code in a document's subsets the split of a string never
changes, and news copy repeats its words.

Photos. ``Canvas.drawImage`` names an image XObject by the MD5 of the image's decoded pixels
(``ImageReader.getRGBData()``), so for every photo it decodes the JPEG it then embeds unchanged
(``/DCTDecode``) and hashes megabytes of pixels. :class:`JpegPhoto` gives ``drawImage`` the JPEG's
own bytes to hash instead: as unique a name, no decoding. The image's data in the PDF is the same.

``tests/test_reportlab_compat.py`` fails if these internals change.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from epaper.frame import Glyph

__all__ = ["JpegPhoto", "draw_plain", "draw_shaped", "glyph_texts", "install_to_unicode", "shaped_string"]

_PRIVATE_USE = range(0xE000, 0xF900)
# Subset font name (PostScript name, what follows "ABCDEF+" in /BaseFont) -> code -> text.
_TO_UNICODE: dict[str, dict[int, str]] = {}
# (ReportLab font name, glyph id, text, advance) -> code, so each use is allocated once per process.
_CODES: dict[tuple[str, int, str, int], int] = {}


def _subset_name(font) -> str:
    face = font.face
    return (face.name + face.subfontNameX).decode("pdfdoc")  # as TTFont.addObjects names subsets


def glyph_texts(text: str, glyphs: Sequence[Glyph], char_to_glyph: dict[int, int]) -> list[tuple[str, bool]]:
    """For each glyph, the text it stands for and whether it is simply the nominal glyph of that
    one character in logical order (then the character's own code can draw it).

    Glyphs of one cluster (HarfBuzz: one syllable) whose glyphs are not one nominal glyph per
    character in order: the first glyph drawn carries the cluster's text, the others "".
    """
    core = text.rstrip(" ")  # a shaped segment carries the space after the word only as text
    starts = sorted({g.cluster for g in glyphs})
    ends = {start: end for start, end in zip(starts, starts[1:] + [len(core)])}
    out: list[tuple[str, bool]] = []
    index = 0
    while index < len(glyphs):
        cluster = glyphs[index].cluster
        stop = index
        while stop < len(glyphs) and glyphs[stop].cluster == cluster:
            stop += 1
        source = core[cluster:ends[cluster]]
        group = glyphs[index:stop]
        if len(group) == len(source) and all(char_to_glyph.get(ord(ch)) == g.gid for ch, g in zip(source, group)):
            out += [(ch, True) for ch in source]
        else:
            out += [(source, False)] + [("", False)] * (len(group) - 1)
        index = stop
    return out


def _code_for(font, glyph_id: int, text: str, width: int) -> int:
    """A private code that draws ``glyph_id``, advances ``width`` (1/1000 em) and extracts as
    ``text`` (allocated once per process)."""
    key = (font.fontName, glyph_id, text, width)
    code = _CODES.get(key)
    if code is None:
        code = font.hbAddPrivate(f"epaper:{glyph_id}:{width}:{text}", glyph_id, width)
        _CODES[key] = code
        _TO_UNICODE.setdefault(_subset_name(font), {})[code] = text
    return code


def _nominal_advance(font, glyph_id: int) -> int:
    return round(font.hbFont().get_glyph_h_advance(glyph_id) * 1000 / font.hbFace.upem)


def shaped_string(font_name: str, glyphs: Sequence[Glyph], size: float, text: str | None = None) -> ShapedStr:
    """A ShapedStr that draws exactly ``glyphs`` (ids, advances and offsets from HarfBuzz).

    With ``text`` (the source text the glyphs were shaped from, clusters as offsets into it), codes
    are chosen so that the font's ToUnicode CMap gives back ``text`` (see the module docstring).
    """
    font = pdfmetrics.getFont(font_name)
    if not hasattr(font, "hbAddPrivate"):
        font.hbFont()  # creates the private-use allocator as a side effect
        font.shapable = True  # the text object takes the shaped path only for shapable fonts
    install_to_unicode()
    face = font.face
    scale = 1000.0 / size  # IR positions are points; ShapeData wants 1/1000 em
    chars: list[str] = []
    data: list[ShapeData] = []
    if text is None:
        for cluster, glyph in enumerate(glyphs):
            advance = glyph.advance * scale
            codes = [c for c in face.glyphToChar.get(glyph.gid, ()) if c not in _PRIVATE_USE]
            code = codes[0] if codes else font.hbAddPrivate(f"g{glyph.gid}", glyph.gid, round(advance))
            chars.append(chr(code))
            data.append(ShapeData(cluster, advance, 0, glyph.dx * scale, glyph.dy * scale,
                                  face.charWidths.get(code, advance)))
        return ShapedStr("".join(chars), shapeData=data)
    for cluster, (glyph, (source, nominal)) in enumerate(zip(glyphs, glyph_texts(text, glyphs, face.charToGlyph))):
        advance, dx = glyph.advance * scale, glyph.dx * scale
        # ReportLab moves the pen by -dx before a glyph and by (width - advance + dx) after it. A
        # move right of a space's width or more reads as a word gap to extractors (pypdf), as
        # after a mark pulled left onto its base; such a glyph gets a code whose width is
        # advance - dx, so nothing is moved after it.
        width = face.charWidths[ord(source)] if nominal else _nominal_advance(font, glyph.gid)
        if width - advance + dx < -1:
            width = max(0, round(advance - dx))
            nominal = False
        code = ord(source) if nominal else _code_for(font, glyph.gid, source, width)
        chars.append(chr(code))
        data.append(ShapeData(cluster, advance, 0, dx, glyph.dy * scale, width))
    return ShapedStr("".join(chars), shapeData=data)


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


# (font name, size, text, glyphs) -> the ShapedStr drawing them. Its codes are the process's (each
# use allocated once, _code_for), so the string is the same wherever the word is drawn again: in the
# page's print PDF after its reader PDF, and wherever news copy repeats it.
_SHAPED: dict[tuple[str, float, str, tuple[Glyph, ...]], ShapedStr] = {}
_SHAPED_LIMIT = 100_000  # words; a long-lived process starts again past it


def draw_shaped(text_object, font_name: str, glyphs: Sequence[Glyph], size: float, text: str) -> None:
    """Draw shaped ``glyphs`` at the text object's origin inside an ``/ActualText`` span carrying
    ``text``. ReportLab's text object has no public way to emit marked content, so the operators go
    into its private code list.

    The operators are ``textOut``'s, remembered per document like :func:`draw_plain`'s: what
    ``_formatText`` writes for a string depends, besides the string, only on the type size, leading,
    rise and the subset in use before it (the codes' subsets, once given in a document, stay), and
    it leaves the subset of its last code in use. (``textOut`` also moves the text cursor by the
    string's width, which the next run's ``setTextOrigin`` sets anew.) A Devanagari page draws
    thousands of shaped words, twice (reader and print PDF), and formatting one took ~0.1 ms."""
    key = (font_name, size, text, tuple(glyphs))
    shaped = _SHAPED.get(key)
    if shaped is None:
        if len(_SHAPED) >= _SHAPED_LIMIT:
            _SHAPED.clear()
        shaped = _SHAPED[key] = shaped_string(font_name, glyphs, size, text)
    drawn = text_object._canvas.__dict__.setdefault("_epaper_shaped", {})
    state = (key, text_object._fontsize, text_object._leading, text_object._rise, text_object._curSubset)
    known = drawn.get(state)
    if known is None:
        known = drawn[state] = (text_object._formatText(shaped), text_object._curSubset)
    operators, text_object._curSubset = known
    # The word without the space after it: an extractor that reads /ActualText (poppler's
    # pdftotext) puts a space where the next word starts further on, as for every other run, and
    # read "तटीय  सुरक्षा", two spaces between every word of a Hindi page (pdfium and pypdf, reading
    # the glyphs, were right either way).
    text_object._code.append(f"/Span <</ActualText <FEFF{_utf16_hex(text.rstrip(' '))}>>> BDC")
    text_object._code.append(operators)
    text_object._code.append("EMC")


def draw_plain(text_object, text: str) -> None:
    """``text_object.textOut(text)`` for a run in a TrueType font whose origin was just set: the
    same operators (``/Fn size Tf leading TL`` where the subset changes, ``(codes) Tj``) without
    measuring the text, with the split into subsets remembered per document."""
    canvas = text_object._canvas
    doc = canvas._doc
    font = pdfmetrics.getFont(text_object._fontname)
    splits = canvas.__dict__.setdefault("_epaper_splits", {})
    pieces = splits.get((font.fontName, text))
    if pieces is None:
        pieces = [(subset, canvas._escape(codes)) for subset, codes in font.splitString(text, doc)]
        splits[font.fontName, text] = pieces
    out = []
    for subset, codes in pieces:
        if subset != text_object._curSubset:
            out.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(text_object._fontsize)} Tf "
                       f"{fp_str(text_object._leading)} TL")
            text_object._curSubset = subset
        out.append(f"({codes}) Tj")
    text_object._code.append(" ".join(out))


class JpegPhoto(ImageReader):
    """A JPEG photo for ``Canvas.drawImage``, embedded as it is and named by its own bytes.

    ``drawImage`` names the image by the MD5 of ``getRGBData()`` (plus the mask), which for a plain
    ``ImageReader`` decodes the whole photo; ``PDFImageXObject`` reads a JPEG's data through
    ``jpeg_fh()`` and never asks for its pixels. Here ``getRGBData()`` answers with the JPEG's bytes."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))  # Pillow reads the header only; jpeg_fh() is set for a JPEG
        if self.jpeg_fh() is None:
            raise ValueError("JpegPhoto takes JPEG data")
        self._jpeg = data

    def getRGBData(self) -> bytes:  # noqa: N802 (ReportLab's name)
        self._dataA = None  # no soft mask: drawImage reads this after getRGBData()
        return self._jpeg


_original_make_to_unicode = ttfonts.makeToUnicodeCMap


def _make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap for a subset, with epaper's private codes mapped to their text."""
    cmap = _original_make_to_unicode(fontname, subset)
    texts = _TO_UNICODE.get(fontname.split("+", 1)[-1])
    if not texts or not any(code in texts for code in subset):
        return cmap
    lines = cmap.split("\n")
    first = next(i for i, line in enumerate(lines) if line.endswith("beginbfchar")) + 1
    for index, code in enumerate(subset):
        if code in texts:
            entry = f"<{index:02X}> <{code:04X}>"
            assert lines[first + index] == entry, "ReportLab's ToUnicode CMap layout changed"
            lines[first + index] = f"<{index:02X}> <{_utf16_hex(texts[code])}>"
    return "\n".join(lines)


_make_to_unicode_cmap.epaper = True  # type: ignore[attr-defined]


def install_to_unicode() -> None:
    """Make ReportLab write epaper's ToUnicode entries (idempotent). ``TTFont.addObjects`` looks
    ``makeToUnicodeCMap`` up as a module global when it writes each subset font."""
    if not getattr(ttfonts.makeToUnicodeCMap, "epaper", False):
        ttfonts.makeToUnicodeCMap = _make_to_unicode_cmap


install_to_unicode()
