"""Which script a character or a language is written in: the one place the Devanagari ranges and
languages are written down, and the classes of its letters that syllables are made of.

Ingest checks font coverage by script, typesetting picks faces and shapes by it, the web epaper
ships its Devanagari web fonts by it; all ask here.
"""

from __future__ import annotations

import unicodedata

__all__ = ["DEVANAGARI_LANGUAGES", "DEVANAGARI_RANGES", "VIRAMA", "is_devanagari", "is_independent_vowel",
           "letter_script", "script_of_language", "starts_akshara", "written_in_devanagari"]

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


def letter_script(text: str) -> str | None:
    """"Deva" if ``text`` has a Devanagari letter or mark, "Latn" if it has another letter, None for
    script-neutral characters alone (digits, punctuation, symbols, joiners: they take the script of
    the letters around them)."""
    if any(is_devanagari(ch) for ch in text):
        return "Deva"
    return "Latn" if any(unicodedata.category(ch)[0] == "L" for ch in text) else None


def script_of_language(language: str) -> str:
    """The ISO 15924 code of the script ``language`` is mainly written in: "Deva" or "Latn"."""
    return "Deva" if written_in_devanagari(language) else "Latn"


VIRAMA = "\u094d"  # joins the consonant before it to the next (a conjunct), or kills its vowel


def starts_akshara(ch: str) -> bool:
    """Whether ``ch`` begins an akshara (orthographic syllable) unless a virama joins it to the one
    before: a Devanagari consonant (the nukta forms too) or independent vowel."""
    return "\u0904" <= ch <= "\u0939" or "\u0958" <= ch <= "\u0961" or "\u0972" <= ch <= "\u097f"


def is_independent_vowel(ch: str) -> bool:
    """Whether ``ch`` is a Devanagari independent vowel (a syllable of its own, not a sign)."""
    return "\u0904" <= ch <= "\u0914" or "\u0960" <= ch <= "\u0961" or "\u0972" <= ch <= "\u0977"
