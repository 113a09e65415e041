"""Where a word may be hyphenated: TeX patterns (pyphen's, and Hindi's shipped with epaper) plus a
newspaper's exceptions.

Hindi uses hyph-utf8's hyph-hi patterns (Santhosh Thottingal, MIT), which pyphen does not ship:
they live in ``patterns/hyph_hi_IN.dic`` beside this module (origin and licence in
``patterns/LICENSE-hyph_hi.txt``). They break after a vowel (letter or sign) and before a consonant,
never before a vowel sign, anusvara, candrabindu or visarga, never before an independent vowel
("रामअवतार" breaks रा-मअ-व-तार) and never on either side of a virama (so never inside a conjunct).
Marathi keeps pyphen's own hyph_mr_IN, which also breaks before an independent vowel and before
Marathi postpositions and suffixes.

Not broken: words under five letters, names (capitalised words, except an ordinary word that is
capitalised only because it starts a sentence), acronyms, anything with a digit, URLs and e-mail
addresses, and words already containing a hyphen (they break at their own hyphen instead).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

import pyphen

__all__ = ["hyphenation_points", "pattern_language", "pattern_points"]

MIN_WORD = 5
# Pattern files epaper ships (in epaper/typeset/patterns/) for languages pyphen has none for.
_SHIPPED_PATTERNS = {"hi": "hyph_hi_IN.dic"}
_PATTERN_FALLBACK = {"en": "en_US"}
_URL_LIKE = re.compile(r"(://|www\.|@|\.[a-z]{2,4}$|/)", re.IGNORECASE)
# \w misses Devanagari vowel signs (category Mc/Mn), so the Devanagari block is added explicitly.
_LETTERS = re.compile(r"[\w\u0900-\u097f\u200c\u200d]+")


def pattern_language(language: str) -> str | None:
    """The pattern set ``language`` is hyphenated with: a key of epaper's shipped patterns ("hi"
    for "hi", "hi-IN", …) or a pyphen language code; None when there is none."""
    base = language.replace("-", "_")
    short = base.split("_")[0]
    if short in _SHIPPED_PATTERNS:
        return short
    for candidate in (base, _PATTERN_FALLBACK.get(short), short):
        if candidate and candidate in pyphen.LANGUAGES:
            return candidate
    return None


@cache
def _dictionary(language: str) -> pyphen.Pyphen | None:
    lang = pattern_language(language)
    if lang is None:
        return None
    # At least two letters before the hyphen and three after it, the usual newspaper minimum.
    if lang in _SHIPPED_PATTERNS:
        # Found as package data, so a plain (non-editable) install finds it too. pyphen parses the
        # file in its constructor, so a temporary copy (zipped installs) may go once it returns.
        source = resources.files("epaper.typeset") / "patterns" / _SHIPPED_PATTERNS[lang]
        with resources.as_file(source) as path:
            return pyphen.Pyphen(filename=path, left=2, right=3)
    return pyphen.Pyphen(lang=lang, left=2, right=3)


@lru_cache(maxsize=200_000)
def hyphenation_points(word: str, language: str, sentence_start: bool = False) -> tuple[int, ...]:
    """Offsets into ``word`` where a hyphen may be inserted (empty when it must not be broken).

    ``word`` may carry leading/trailing punctuation; the points refer to the full string.
    ``sentence_start``: the word begins a sentence, so a capital letter alone does not make it a
    name ("Advocates" may break; "McAllister" and "NASA" still do not). A name that starts a
    sentence may then be broken too: the patterns cannot tell, and in 136 pt columns an unbroken
    long first word costs a very loose line far more often than a hyphenated name would.
    """
    match = _LETTERS.search(word)
    if match is None:
        return ()
    core = max(_LETTERS.findall(word), key=len)
    start = word.find(core)
    if (
        len(core) < MIN_WORD
        or (core[0].isupper() and not (sentence_start and core[1:].islower()))
        or any(ch.isdigit() for ch in word)
        or "-" in word
        or _URL_LIKE.search(word)
        or core != word[start:start + len(core)]
    ):
        return ()
    # Only the longest run of letters is broken (so "(newspaper)," breaks inside "newspaper").
    dictionary = _dictionary(language)
    if dictionary is None:
        return ()
    return tuple(start + p for p in dictionary.positions(core.lower() if sentence_start else core))


def pattern_points(word: str, language: str) -> tuple[int, ...]:
    """Where the language's patterns would break ``word`` (a run of letters), with none of
    :func:`hyphenation_points`' restraint about names, acronyms or length: for a word that cannot
    fit its measure unbroken (see :mod:`epaper.typeset.emergency_breaks`)."""
    dictionary = _dictionary(language)
    if dictionary is None:
        return ()
    lower = word.lower()
    return tuple(dictionary.positions(lower if len(lower) == len(word) else word))
