#!/usr/bin/env python3
"""Make the web fonts the epaper's pages offer for Devanagari (run when a Devanagari font file changes).

    .venv/bin/pip install -e '.[fonts]'   # fontTools and Brotli, for this script only
    .venv/bin/python fonts/tools/webfonts.py

Why: the text views, the viewer, the archive and the report are set in the reader's own fonts
(Georgia, Noto Serif, system-ui), which on phones include Devanagari. A desktop Linux without a
Devanagari font (Debian's default install, this project's test machine) showed a Hindi or Marathi
edition's text as empty boxes. ``epaper/web/static/fonts/`` therefore holds the Devanagari of the
print fonts (Noto Serif Devanagari, regular and bold, OFL) as WOFF2, and ``devanagari.css`` there
declares them under the family name the style sheets already ask for: a browser that has the font
installed uses its own (``local()``), and one that has not downloads the file only for a page with
Devanagari on it (``unicode-range``). An English edition's reader never fetches them.

What is kept: the Devanagari block and its extensions, the joiners and the dotted circle shaping
inserts, with every OpenType feature (conjuncts, matras and marks are the fonts' GSUB and GPOS
rules); Latin comes from the page's other fonts. Deterministic: the same font files give the
same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "epaper" / "web" / "static" / "fonts"
# Devanagari, Vedic extensions, the zero-width (non-)joiners, the dotted circle, Devanagari
# Extended; the danda and double danda are in the first block.
UNICODES = "U+0900-097F,U+1CD0-1CFF,U+200C-200D,U+25CC,U+A8E0-A8FF"
FACES = {"noto-serif-devanagari-400.woff2": "NotoSerifDevanagari-Regular.ttf",
         "noto-serif-devanagari-700.woff2": "NotoSerifDevanagari-Bold.ttf"}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, source in FACES.items():
        subset.main([str(REPO / "fonts" / source), f"--unicodes={UNICODES}", "--layout-features=*",
                     "--flavor=woff2", f"--output-file={OUT / name}"])
        print(f"{OUT / name}: {(OUT / name).stat().st_size:,} bytes")
    (OUT / "OFL.txt").write_bytes((REPO / "fonts" / "OFL.txt").read_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
