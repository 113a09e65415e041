"""Font coverage: every character the edition prints must have a glyph in the faces that set it.

A character no configured font covers would print as a blank box (or silently vanish), so it is an
input error caught here, before any typesetting. Devanagari characters are set in the ``deva*`` faces
(fonts.yaml ``script_faces``); everything else in the Latin faces (serif, headline, sans and their
styles). A character must be in *every* face of its group, since any field may be set bold, italic
or as a headline somewhere (text views, jump heads, the index).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import uharfbuzz as hb

from epaper.model.scripts import is_devanagari
from epaper.resources import font_config

__all__ = ["FontCoverage", "Uncovered", "font_coverage"]

# Format and layout controls the shaper consumes rather than draws: they need no glyph.
_EXEMPT = frozenset(
    "\u00ad"  # soft hyphen: a hyphenation hint
    "\u200b\u200c\u200d"  # zero-width space, ZWNJ, ZWJ (Devanagari half-forms depend on ZWJ/ZWNJ)
    "\u2060\ufeff"  # word joiner, zero-width no-break space
    "\ufe00\ufe01\ufe02\ufe03\ufe0e\ufe0f"  # variation selectors
)


@dataclass(frozen=True)
class Uncovered:
    char: str
    missing_from: tuple[str, ...]  # face names lacking it ("serif", "deva-bold", ...)

    @property
    def label(self) -> str:
        """``U+1F600 GRINNING FACE`` — how the character is named in a problem."""
        code = ord(self.char)
        name = unicodedata.name(self.char, "")
        if not name:
            category = unicodedata.category(self.char)
            name = "<control>" if category == "Cc" else f"<unnamed, category {category}>"
        return f"U+{code:04X} {name}"


@dataclass(frozen=True)
class FontCoverage:
    """Characters each face covers, read once from the fonts' cmaps."""

    faces: dict[str, frozenset[int]]
    latin_faces: tuple[str, ...]
    devanagari_faces: tuple[str, ...]
    allowed: frozenset[str]

    def uncovered(self, text: str) -> list[Uncovered]:
        """Characters of ``text`` that would have no glyph, each once, in order of appearance."""
        missing = set(text) - self.allowed
        if not missing:
            return []
        result = []
        for char in dict.fromkeys(c for c in text if c in missing):
            group = self.devanagari_faces if is_devanagari(char) else self.latin_faces
            lacking = tuple(face for face in group if ord(char) not in self.faces[face])
            result.append(Uncovered(char, lacking or group))
        return result


@cache
def font_coverage() -> FontCoverage:
    """Load every face's cmap named in ``fonts/fonts.yaml`` (cached for the life of the process)."""
    config = font_config()
    faces: dict[str, frozenset[int]] = {}
    for name, path in config.files.items():
        faces[name] = frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)
    devanagari = set(config.script_faces.get("Deva", {}).values())
    devanagari |= {name for name in faces if name.startswith("deva")}
    # The masthead face sets only the edition title; it is not a text face articles can land in.
    latin = tuple(name for name in faces if name not in devanagari and name != "masthead")
    deva = tuple(sorted(devanagari))
    latin_ok = frozenset.intersection(*(faces[n] for n in latin)) if latin else frozenset()
    deva_ok = frozenset.intersection(*(faces[n] for n in deva)) if deva else frozenset()
    allowed = {chr(c) for c in latin_ok if not is_devanagari(chr(c))}
    allowed |= {chr(c) for c in deva_ok if is_devanagari(chr(c))}
    allowed |= _EXEMPT
    allowed |= {" ", "\n"}  # collapsed or consumed before shaping
    return FontCoverage(faces=faces, latin_faces=latin, devanagari_faces=deva, allowed=frozenset(allowed))
