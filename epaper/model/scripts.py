"""Which script a character or a language is written in: the one place the Devanagari ranges and
languages are written down.

Ingest checks font coverage by script, typesetting picks faces and shapes by it, the web epaper
ships its Devanagari web fonts by it; all ask here.
"""

from __future__ import annotations

__all__ = ["DEVANAGARI_LANGUAGES", "DEVANAGARI_RANGES", "is_devanagari", "written_in_devanagari"]

# Devanagari, Devanagari Extended and Vedic Extensions (code point ranges, inclusive).
DEVANAGARI_RANGES = (("\u0900", "\u097f"), ("\ua8e0", "\ua8ff"), ("\u1cd0", "\u1cff"))
_D0, _D1, _D2 = DEVANAGARI_RANGES


def is_devanagari(ch: str) -> bool:
    """Whether the character ``ch`` is in one of the Devanagari blocks."""
    # Written out rather than looped: typesetting asks once per character of every paragraph.
    return _D0[0] <= ch <= _D0[1] or _D1[0] <= ch <= _D1[1] or _D2[0] <= ch <= _D2[1]


# Languages whose text is mainly Devanagari: digits and punctuation standing alone in their
# paragraphs take the Devanagari face, as a Hindi paper sets them.
DEVANAGARI_LANGUAGES = frozenset({"hi", "mr", "ne", "sa", "mai", "bho", "kok", "doi", "brx"})


def written_in_devanagari(language: str) -> bool:
    """Whether ``language`` (a tag such as ``hi`` or ``mr-IN``) is mainly written in Devanagari."""
    return language.split("-")[0].split("_")[0].lower() in DEVANAGARI_LANGUAGES
