"""The bundled fonts carry no TrueType hinting (fonts/tools/unhint.py): pdfium runs a hinted font's
instructions for every glyph at every transform it draws, which was 40 % of rasterizing a page."""

from __future__ import annotations

import struct

import pytest

from epaper.resources import font_config

HINTING_TABLES = {b"fpgm", b"prep", b"cvt "}
MORE_COMPONENTS, WE_HAVE_INSTRUCTIONS = 0x20, 0x100


def _tables(data: bytes) -> dict[bytes, bytes]:
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        tables[tag] = data[offset:offset + length]
    return tables


def _instruction_lengths(tables: dict[bytes, bytes]) -> list[int]:
    """Each glyph's instructions, in bytes (a composite glyph's: 1 when it says it has some)."""
    (glyphs,) = struct.unpack_from(">H", tables[b"maxp"], 4)
    (long_offsets,) = struct.unpack_from(">h", tables[b"head"], 50)
    loca, glyf = tables[b"loca"], tables[b"glyf"]
    offsets = (struct.unpack_from(f">{glyphs + 1}I", loca) if long_offsets
               else [2 * o for o in struct.unpack_from(f">{glyphs + 1}H", loca)])
    lengths = []
    for start, end in zip(offsets, offsets[1:]):
        if start == end:  # no outline (a space)
            continue
        (contours,) = struct.unpack_from(">h", glyf, start)
        if contours >= 0:
            lengths.append(struct.unpack_from(">H", glyf, start + 10 + 2 * contours)[0])
            continue
        at, has = start + 10, False
        while True:
            flags = struct.unpack_from(">H", glyf, at)[0]
            has |= bool(flags & WE_HAVE_INSTRUCTIONS)
            at += 4 + (4 if flags & 1 else 2) + (2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0)
            if not flags & MORE_COMPONENTS:
                break
        lengths.append(int(has))
    return lengths


@pytest.mark.parametrize("face", sorted(font_config().files))
def test_bundled_font_has_no_hinting(face):
    path = font_config().files[face]
    tables = _tables(path.read_bytes())
    assert not HINTING_TABLES & tables.keys(), f"{path.name}: run fonts/tools/unhint.py on it"
    lengths = _instruction_lengths(tables)
    assert lengths and not any(lengths), f"{path.name}: glyphs with instructions; run fonts/tools/unhint.py on it"


def test_the_check_sees_hinting():
    """A hinted glyph and a hinted font are seen (the check above cannot pass by reading nothing)."""
    # One simple glyph (a triangle) with 3 bytes of instructions, in a font with a 'prep' table.
    glyph = struct.pack(">hhhhh", 1, 0, 0, 10, 10) + struct.pack(">H", 2) + struct.pack(">H", 3) + b"\x00\x00\x00"
    tables = {b"maxp": struct.pack(">IH", 0x5000, 1), b"head": bytes(50) + struct.pack(">h", 1),
              b"loca": struct.pack(">2I", 0, len(glyph)), b"glyf": glyph}
    assert _instruction_lengths(tables) == [3]
    directory = struct.pack(">IHHHH", 0x10000, 1, 0, 0, 0) + struct.pack(">4sIII", b"prep", 0, 28, 2) + b"\xb0\x00"
    assert b"prep" in _tables(directory)
