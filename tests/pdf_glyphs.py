"""What glyphs a PDF page really draws, independent of ReportLab: the content stream's text strings
are decoded through each embedded subset font's own cmap to subset glyphs, and each subset glyph is
identified in the original font file by its outline and metrics (subsetting copies both)."""

from __future__ import annotations

import io
import struct
from functools import cache
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

MORE_COMPONENTS, ARGS_ARE_WORDS, HAVE_SCALE, HAVE_XY_SCALE, HAVE_2X2 = 0x20, 0x01, 0x08, 0x40, 0x80


class TrueType:
    def __init__(self, data: bytes):
        self.data = data
        count = struct.unpack(">H", data[4:6])[0]
        self.tables = {}
        for i in range(count):
            tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
            self.tables[tag.decode("latin-1")] = data[offset:offset + length]
        self.num_glyphs = struct.unpack(">H", self.tables["maxp"][4:6])[0]
        long_loca = struct.unpack(">h", self.tables["head"][50:52])[0] == 1
        loca = self.tables["loca"]
        if long_loca:
            self.loca = struct.unpack(f">{self.num_glyphs + 1}I", loca[:4 * (self.num_glyphs + 1)])
        else:
            self.loca = [2 * x for x in struct.unpack(f">{self.num_glyphs + 1}H", loca[:2 * (self.num_glyphs + 1)])]
        n_metrics = struct.unpack(">H", self.tables["hhea"][34:36])[0]
        hmtx = self.tables["hmtx"]
        self.advances = [struct.unpack(">H", hmtx[4 * min(g, n_metrics - 1):4 * min(g, n_metrics - 1) + 2])[0]
                         for g in range(self.num_glyphs)]

    def glyph_key(self, gid: int) -> tuple[bytes, int]:
        """The glyph's outline bytes with composite component ids zeroed, and its advance."""
        raw = bytearray(self.tables["glyf"][self.loca[gid]:self.loca[gid + 1]])
        if len(raw) >= 10 and struct.unpack(">h", raw[:2])[0] < 0:
            pos, flags = 10, MORE_COMPONENTS
            while flags & MORE_COMPONENTS and pos + 4 <= len(raw):
                flags = struct.unpack(">H", raw[pos:pos + 2])[0]
                raw[pos + 2:pos + 4] = b"\0\0"
                pos += 4 + (4 if flags & ARGS_ARE_WORDS else 2)
                pos += 2 if flags & HAVE_SCALE else 4 if flags & HAVE_XY_SCALE else 8 if flags & HAVE_2X2 else 0
        return bytes(raw).rstrip(b"\0"), self.advances[gid]

    def cmap6(self) -> dict[int, int]:
        cmap = self.tables["cmap"]
        count = struct.unpack(">H", cmap[2:4])[0]
        for i in range(count):
            _, _, offset = struct.unpack(">HHI", cmap[4 + 8 * i:12 + 8 * i])
            if struct.unpack(">H", cmap[offset:offset + 2])[0] == 6:
                first, n = struct.unpack(">HH", cmap[offset + 6:offset + 10])
                ids = struct.unpack(f">{n}H", cmap[offset + 10:offset + 10 + 2 * n])
                return {first + k: g for k, g in enumerate(ids)}
        raise ValueError("no format 6 cmap (not a ReportLab subset?)")


@cache
def _original_index(path: str) -> dict[tuple[bytes, int], list[int]]:
    font = TrueType(Path(path).read_bytes())
    index: dict[tuple[bytes, int], list[int]] = {}
    for gid in range(font.num_glyphs):
        index.setdefault(font.glyph_key(gid), []).append(gid)
    return index


def _bytes(obj) -> bytes:
    if hasattr(obj, "original_bytes"):
        return obj.original_bytes
    return bytes(obj)


def drawn_glyphs(pdf: bytes, font_files: dict[str, Path], page: int = 0) -> list[tuple[str, frozenset[int]]]:
    """(face name, candidate original glyph ids) for every glyph drawn on ``page``, in stream order.
    ``font_files`` maps PostScript font names (the PDF's ``/BaseFont`` after the subset tag) to their
    TrueType files. A glyph has
    several candidates only if the original font holds identical glyphs."""
    reader = PdfReader(io.BytesIO(pdf))
    pg = reader.pages[page]
    fonts = pg["/Resources"]["/Font"]
    decoders = {}
    for key, ref in fonts.items():
        font = ref.get_object()
        base = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
        name = base if base in font_files else None
        if name is None or "/FontDescriptor" not in font:
            continue
        subset_font = TrueType(font["/FontDescriptor"]["/FontFile2"].get_data())
        original = _original_index(str(font_files[name]))
        cmap = subset_font.cmap6()
        table = {code: frozenset(original.get(subset_font.glyph_key(g), ())) for code, g in cmap.items()}
        decoders[key] = (name, table)
    out: list[tuple[str, frozenset[int]]] = []
    current = None
    for operands, op in ContentStream(pg.get_contents(), reader).operations:
        if op == b"Tf":
            current = decoders.get(str(operands[0]))
        elif op in (b"Tj", b"'", b'"') and current:
            out += [(current[0], current[1][b]) for b in _bytes(operands[-1])]
        elif op == b"TJ" and current:
            for part in operands[0]:
                if not isinstance(part, (int, float)) and not hasattr(part, "as_numeric"):
                    out += [(current[0], current[1][b]) for b in _bytes(part)]
    return out


def drawn_glyph_ids(pdf: bytes, page: int = 0) -> list[int]:
    """Glyph ids drawn with epaper's faces; the smallest candidate when several glyphs are identical."""
    from epaper.typeset.fonts import font_book

    from reportlab.pdfbase import pdfmetrics

    book = font_book()
    files = {}
    for n in book.names:
        face = book.face(n)
        ps = pdfmetrics.getFont(face.rl_name).face.name
        files[ps.decode("latin-1") if isinstance(ps, bytes) else str(ps)] = face.path
    return [min(c) if c else -1 for _, c in drawn_glyphs(pdf, files, page)]
