#!/usr/bin/env python3
"""Remove the TrueType hinting from the bundled fonts (run once when a font file is added or updated).

    .venv/bin/pip install -e '.[fonts]'   # fontTools, for this script only
    .venv/bin/python fonts/tools/unhint.py fonts/*.ttf

Why: every page image and zoom tile is rasterized by pdfium from the page PDF, which embeds
subsets of these fonts. pdfium runs a hinted font's TrueType instructions (FreeType's bytecode
interpreter) for each glyph at each size and transform it draws, and justified lines each set
their own horizontal scale, so nearly every line draws its glyphs at a transform of its own: the
interpreter was about 40 % of a page's render (0.10 s of 0.25 s a broadsheet page). At the
resolutions epaper draws at (the page image's ~14 px an em of body type and more) the Noto fonts'
ttfautohint hints move nothing visibly (compared side by side), and printers ignore them.

What changes: the font programs (``fpgm``, ``prep``), the control values (``cvt ``), each glyph's
instructions, the device metrics tables made with the hints (``hdmx``, ``LTSH``, ``VDMX``), and the
digital signature (``DSIG``), no longer valid once the file changes. The ``maxp`` limits of the
interpreter are set to what an unhinted font declares. Outlines, bounding boxes (not recalculated),
advances, kerning and shaping tables, names and the rest are kept as they were, so typesetting and
layout measure exactly what they did. Idempotent.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

HINTING_TABLES = ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX", "DSIG")


def unhint(path: Path) -> None:
    font = TTFont(str(path), recalcBBoxes=False, recalcTimestamp=False)
    for tag in HINTING_TABLES:
        if tag in font:
            del font[tag]
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        glyf[name].removeHinting()
    maxp = font["maxp"]
    maxp.maxZones = 1  # the glyph zone only: no twilight zone without instructions
    maxp.maxTwilightPoints = maxp.maxStorage = maxp.maxFunctionDefs = maxp.maxInstructionDefs = 0
    maxp.maxStackElements = maxp.maxSizeOfInstructions = 0
    font.save(str(path))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for name in argv:
        unhint(Path(name))
        print(f"unhinted {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
