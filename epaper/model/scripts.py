"""Which script a character is written in: the one place the Devanagari ranges are written down.

Ingest checks font coverage by script, typesetting picks faces and shapes by it; both ask here.
"""

from __future__ import annotations

__all__ = ["DEVANAGARI_RANGES", "is_devanagari"]

# Devanagari, Devanagari Extended and Vedic Extensions (code point ranges, inclusive).
DEVANAGARI_RANGES = (("\u0900", "\u097f"), ("\ua8e0", "\ua8ff"), ("\u1cd0", "\u1cff"))
_D0, _D1, _D2 = DEVANAGARI_RANGES


def is_devanagari(ch: str) -> bool:
    """Whether the character ``ch`` is in one of the Devanagari blocks."""
    # Written out rather than looped: typesetting asks once per character of every paragraph.
    return _D0[0] <= ch <= _D0[1] or _D1[0] <= ch <= _D1[1] or _D2[0] <= ch <= _D2[1]
