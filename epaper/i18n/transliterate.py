"""Titles in any script to the plain ASCII letters file names are made of.

Devanagari is transliterated with indic-transliteration (MIT licence; ``sanscript``) to IAST, the
scholarly romanisation (``दैनिक जागरण`` → ``dainika jāgaraṇa``), whose diacritics are then dropped
(``dainika jagarana``). IAST keeps the inherent vowel (no Hindi schwa deletion): the name is
regular and reversible by a reader, if not how the title is said. Other letters lose their accents.
"""

from __future__ import annotations

import unicodedata

__all__ = ["ascii_text", "has_non_ascii_letters"]


def ascii_text(text: str) -> str:
    """``text`` with Devanagari romanised and accents dropped; what has no ASCII form is left out."""
    if text.isascii():
        return text
    # Imported when a title needs it: loading its scheme tables takes 0.1-0.3 s of every command.
    from indic_transliteration import sanscript

    roman = sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.IAST)
    return unicodedata.normalize("NFKD", roman).encode("ascii", "ignore").decode("ascii")


def has_non_ascii_letters(text: str) -> bool:
    """Whether romanising ``text`` may lose a distinction (two titles may fold to one name)."""
    return any(ord(ch) > 127 and unicodedata.category(ch)[0] in "LMN" for ch in text)
