"""Titles in any script to the plain ASCII letters file names are made of.

Devanagari is transliterated with indic-transliteration (MIT licence; ``sanscript``) to IAST, the
scholarly romanisation (``दैनिक जागरण`` → ``dainika jāgaraṇa``), whose diacritics are then dropped
(``dainika jagarana``). IAST keeps the inherent vowel (no Hindi schwa deletion): the name is
regular and reversible by a reader, if not how the title is said. Other letters lose their accents.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_text", "has_non_ascii_letters", "sounds_key"]


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


_CONSONANT = "[b-df-hj-np-tv-z]"
# What Latin spellings of one Indian place name differ by, folded to one: the romanisation's
# letters and the desk's (छ "ch" and "chh", श "s" and "sh", व "v" and "w", फ़ "z" and "j"), the
# long vowels written doubled ("ee", "oo"), the diphthongs ("au" and "o", "ai" and "e": Mandsaur,
# Betul), a doubled consonant (Bareilly), the aspirate's "h" (Ghaziabad is ग़ाज़ियाबाद, "gaziyabada").
_FOLDS = (("chh", "c"), ("ch", "c"), ("sh", "s"), ("ph", "f"), ("w", "v"), ("z", "j"), ("q", "k"),
          ("ee", "i"), ("ii", "i"), ("oo", "u"), ("uu", "u"), ("aa", "a"), ("au", "o"), ("ou", "o"),
          ("ai", "e"), ("ay", "e"), ("ei", "e"), ("iy", "i"))


def sounds_key(ascii_name: str) -> str:
    """A rough key of how an ASCII name (a slug: lowercase words and hyphens) is said, for telling
    whether the desk's spelling ("indore", "dewas", "jabalpur") names the same place as the name's
    romanisation (IAST without accents: "imdaura", "devasa", "jabalapura"). Hindi drops most inherent
    vowels in speech and IAST writes them all, so every "a" is left out of the key (of both
    spellings alike), as is a word's last "e" after a consonant ("Indore", "Pune"); a nasal before a
    consonant is "n" (the anusvara romanises as "m": इंदौर "imdaura"). Lossy by design: two names
    may share a key, so a caller takes it only when it picks out one name of a few."""
    words = []
    for word in ascii_name.split("-"):
        for spelt, said in _FOLDS:
            word = word.replace(spelt, said)
        # The vowels gone first, so that what stood around them meets as it does in the desk's
        # spelling: "burahanapura" and "burhanpur" both "burhnpur", then "burnpur".
        word = word.replace("a", "")
        word = re.sub(rf"(?<={_CONSONANT})h", "", word)
        word = re.sub(rf"[mn](?={_CONSONANT})", "n", word)
        word = re.sub(rf"({_CONSONANT})\1+", r"\1", word)  # ("mujaphphara" folded is "mujaffara")
        word = re.sub(rf"(?<={_CONSONANT})e$", "", word)
        words.append(re.sub(r"y$", "i", word))
    return "-".join(w for w in words if w)
