#!/usr/bin/env python3
"""Make the web fonts the epaper's pages offer for Devanagari (run when a Devanagari font file changes).

    .venv/bin/pip install -e '.[fonts]'   # fontTools and Brotli, for this script only
    .venv/bin/python fonts/tools/webfonts.py

Why: the text views, the viewer, the archive and the report are set in the reader's own fonts
(Georgia, Noto Serif, system-ui), which on phones include Devanagari. A desktop Linux without a
Devanagari font (Debian's default install, this project's test machine) showed a Hindi or Marathi
edition's text as empty boxes. ``epaper/web/static/fonts/`` therefore holds the Devanagari of the
print fonts (Noto Serif Devanagari, regular and bold, OFL) as WOFF2, and ``faces.css`` there
(written here too) declares them under the family name the style sheets already ask for: a browser that has the font
installed uses its own (``local()``), and one that has not downloads the file only for a page with
Devanagari on it (``unicode-range``). An English edition's reader never fetches them.

What is kept: the Devanagari block and its extensions, the joiners and the dotted circle shaping
inserts, with every OpenType feature (conjuncts, matras and marks are the fonts' GSUB and GPOS
rules); and the face's own digits and the marks written in and between numbers (% , . -). Latin
letters come from the page's other fonts.

Digits: Hindi is written with Latin digits as often as with Devanagari's ("38", "4,200"). Under
"Noto Serif Devanagari", whose rules cover Devanagari only (an English page's digits must not
be drawn in it, nor fetch it), they fell to the next font of the stack, a Latin serif, larger and
heavier than the Devanagari around them. A second family, "Noto Serif Devanagari Digits", has the
same fonts for the digits and those marks only; ``--devanagari``, which the style sheets name first
in each font stack, is it and "Noto Serif Devanagari" in an element of a Devanagari-script language
(``:lang(hi)``, ``:lang(mr)``…: epaper.model.scripts.DEVANAGARI_LANGUAGES), and the latter alone
elsewhere. Deterministic: the same font files give the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # run from a checkout: epaper's own list of the Devanagari blocks

from epaper.model.scripts import DEVANAGARI_LANGUAGES, DEVANAGARI_RANGES  # noqa: E402

OUT = REPO / "epaper" / "web" / "static" / "fonts"
FACES_CSS = OUT / "faces.css"
# What the files hold and the rules cover: the Devanagari blocks (epaper.model.scripts), the
# zero-width (non-)joiners and the dotted circle shaping inserts.
UNICODES = (*(f"U+{ord(low):04X}-{ord(high):04X}" for low, high in DEVANAGARI_RANGES), "U+200C-200D", "U+25CC")
# The digits and the marks in and between numbers (% , - .): in the files too, under a family of their
# own that only Devanagari-script text asks for (the docstring says why).
DIGITS = ("U+0025", "U+002C-002E", "U+0030-0039")
FAMILY, DIGITS_FAMILY = "Noto Serif Devanagari", "Noto Serif Devanagari Digits"


class Face(NamedTuple):
    weight: int
    source: str  # in fonts/
    file: str  # in epaper/web/static/fonts/
    local: tuple[str, ...]  # the system fonts taken before the file, the print face first


FACES = (
    Face(400, "NotoSerifDevanagari-Regular.ttf", "noto-serif-devanagari-400.woff2",
         ("Noto Serif Devanagari", "NotoSerifDevanagari-Regular", "Noto Sans Devanagari",
          "NotoSansDevanagari-Regular", "Kohinoor Devanagari", "KohinoorDevanagari-Regular",
          "Devanagari Sangam MN", "Nirmala UI", "Mangal", "Lohit Devanagari")),
    Face(700, "NotoSerifDevanagari-Bold.ttf", "noto-serif-devanagari-700.woff2",
         ("Noto Serif Devanagari Bold", "NotoSerifDevanagari-Bold", "Noto Sans Devanagari Bold",
          "NotoSansDevanagari-Bold", "Kohinoor Devanagari Semibold", "KohinoorDevanagari-Semibold",
          "Devanagari Sangam MN Bold", "Nirmala UI Bold", "Mangal Bold")),
)

_HEADER = """\
/* Devanagari for readers whose system has none (this file and the fonts made by
   fonts/tools/webfonts.py, which says why): a Devanagari font the system has is used when there is
   one (the print face first, then those phones and desktops ship: Android's Noto, Apple's Kohinoor
   and Devanagari Sangam, Windows' Nirmala UI and Mangal, Linux's Lohit); else the file, fetched only
   for a page with Devanagari on it. Noto Serif Devanagari, SIL Open Font License 1.1 (fonts/OFL.txt).
   These rules head each style sheet as copied into an output folder (epaper/web/assets.py), so
   their URLs are relative to static/, and a page asks for no style sheet more. */
"""


_SOURCES_APART = ",\n       "  # one source a line, under the first


def faces_css() -> str:
    """The @font-face rules of ``static/fonts/faces.css``, and the ``--devanagari`` font stack's head."""
    rules = []
    for family, covered in ((FAMILY, UNICODES), (DIGITS_FAMILY, DIGITS)):
        for face in FACES:
            sources = [f'local("{name}")' for name in face.local] + [f'url("fonts/{face.file}") format("woff2")']
            rules.append("@font-face {\n"
                         f'  font-family: "{family}";\n'
                         f"  font-weight: {face.weight};\n"
                         "  font-display: swap;\n"
                         f"  src: {_SOURCES_APART.join(sources)};\n"
                         f"  unicode-range: {', '.join(covered)};\n"
                         "}\n")
    languages = ", ".join(f":lang({language})" for language in sorted(DEVANAGARI_LANGUAGES))
    # An element that changes the language (lang="hi" in an English page, or back) takes its font
    # stack again (its rest: --font-tail, set beside each stack), which it would inherit with its
    # parent's head.
    rules.append(f"/* The head of each font stack (var(--devanagari)): in Devanagari-script text the face's own digits. */\n"
                 f'* {{ --devanagari: "{FAMILY}"; }}\n'
                 f'{languages} {{ --devanagari: "{DIGITS_FAMILY}", "{FAMILY}"; }}\n'
                 "[lang] { font-family: var(--devanagari), var(--font-tail, serif); }\n")
    return _HEADER + "".join(rules)


def main() -> int:
    from fontTools import subset

    OUT.mkdir(parents=True, exist_ok=True)
    for face in FACES:
        subset.main([str(REPO / "fonts" / face.source), f"--unicodes={','.join(UNICODES + DIGITS)}", "--layout-features=*",
                     "--flavor=woff2", f"--output-file={OUT / face.file}"])
        print(f"{OUT / face.file}: {(OUT / face.file).stat().st_size:,} bytes")
    FACES_CSS.write_text(faces_css(), encoding="utf-8")
    (OUT / "OFL.txt").write_bytes((REPO / "fonts" / "OFL.txt").read_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
