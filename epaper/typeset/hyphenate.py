"""Where a word may be hyphenated: TeX patterns (pyphen's, and Hindi's shipped with epaper) plus a
newspaper's exceptions.

Hindi uses hyph-utf8's hyph-hi patterns (Santhosh Thottingal, MIT), which pyphen does not ship:
they live in ``patterns/hyph_hi_IN.dic`` beside this module (origin and licence in
``patterns/LICENSE-hyph_hi.txt``). They break after a vowel (letter or sign) and before a consonant,
never before a vowel sign, anusvara, candrabindu or visarga, never before an independent vowel
("रामअवतार" breaks रा-मअ-व-तार) and never on either side of a virama (so never inside a conjunct).
Marathi keeps pyphen's own hyph_mr_IN, which also breaks before an independent vowel and before
Marathi postpositions and suffixes. In either language a break leaves at least two aksharas on each
side (:func:`akshara_starts`; the patterns count code points, and "वि" is two of them: a Hindi desk
sent back "कि-नारे", "स्वा-स्थ्य", "हो-गा।"), never starts a line with a reph ("विद्या-र्थियों"), and
never with a consonant whose inherent vowel is not spoken (a bare consonant before another: Hindi
and Marathi drop that schwa, so "ढलान" closes on its न and "ढला-नदार" reads wrong; "ढलान-दार").

Not broken: words under five letters, acronyms, anything with a digit, URLs and e-mail addresses,
and words already containing a hyphen (they break at their own hyphen instead). Names (capitalised
words, except an ordinary word that is capitalised only because it starts a sentence; a word the
story capitalises where no sentence starts is a name at a sentence's start too) of seven letters or
more break only at a higher cost, and only before a consonant (:func:`name_points`): in
a 136 pt column an unbroken "Venkataraman," left "Councilmember          Priya" on a line of its
own, a gap of nearly three ems.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import pyphen

from epaper.model.scripts import VIRAMA, is_independent_vowel, starts_akshara
from epaper.typeset._pyphen_compat import pyphen_for

__all__ = ["MIN_AKSHARAS", "MIN_NAME", "SHIPPED_LANGUAGES", "akshara_starts", "hyphenation_points", "name_core",
           "name_points", "pattern_language", "pattern_points"]

MIN_WORD = 5
MIN_NAME = 7  # a name shorter than this is never broken (two letters, a hyphen, three: too little)
MIN_AKSHARAS = 2  # aksharas a Devanagari word keeps on each side of a break
_RA, _NUKTA = "\u0930", "\u093c"
# Pattern files epaper ships (in epaper/typeset/patterns/) for languages pyphen has none for.
_SHIPPED_PATTERNS = {"hi": "hyph_hi_IN.dic"}
SHIPPED_LANGUAGES = tuple(_SHIPPED_PATTERNS)  # the languages epaper ships hyphenation patterns for
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
            return pyphen_for(path, left=2, right=3)
    return pyphen_for(pyphen.LANGUAGES[lang], left=2, right=3)


@lru_cache(maxsize=200_000)
def hyphenation_points(word: str, language: str, sentence_start: bool = False) -> tuple[int, ...]:
    """Offsets into ``word`` where a hyphen may be inserted (empty when it must not be broken).

    ``word`` may carry leading/trailing punctuation; the points refer to the full string.
    ``sentence_start``: the word begins a sentence, so a capital letter alone does not make it a
    name ("Advocates" may break; "McAllister" and "NASA" still do not). A name that starts a
    sentence may then be broken too: the patterns cannot tell, and in 136 pt columns an unbroken
    long first word costs a very loose line far more often than a hyphenated name would.
    """
    core = _breakable_core(word, MIN_WORD)
    if core is None or (core[0].isupper() and not (sentence_start and core[1:].islower())):
        return ()
    return _points(word, core, language, lower=sentence_start)


@lru_cache(maxsize=50_000)
def name_points(word: str, language: str) -> tuple[int, ...]:
    """Where a name (a capitalised word of :data:`MIN_NAME` letters or more, not an acronym) may be
    broken, as the patterns break the word in lower case: a break the paragraph's breaker takes only
    when it costs less than a very loose line (see ``NAME_HYPHEN_PENALTY``). Empty for any other word."""
    core = name_core(word)
    if core is None:
        return ()
    # Only before a consonant: the patterns are the language's, and names are often not. Read in
    # the sample, every break they gave before a vowel was wrong ("Northg-ate", "Venkatar-aman",
    # "Penh-aligon", "Súille-abháin"), and those before a consonant read as syllables ("Ven-
    # kataraman", "Whit-combe", "Haver-ford").
    return tuple(point for point in _points(word, core, language, lower=True) if not _vowel(word[point]))


def name_core(word: str) -> str | None:
    """The letters of ``word`` if it reads as a name that may be broken at all: capitalised, not
    in capitals, :data:`MIN_NAME` letters or more; else None."""
    core = _breakable_core(word, MIN_NAME)
    return core if core is not None and core[0].isupper() and core[1:].islower() else None


def _vowel(letter: str) -> bool:
    """Whether ``letter`` is a vowel of the Latin alphabet, accented or not ("y" counts)."""
    return unicodedata.normalize("NFD", letter.lower())[:1] in "aeiouy"


def _breakable_core(word: str, shortest: int) -> str | None:
    """The longest run of letters of ``word``, if the word may be broken at all."""
    if _LETTERS.search(word) is None:
        return None
    core = max(_LETTERS.findall(word), key=len)
    start = word.find(core)
    if (len(core) < shortest or any(ch.isdigit() for ch in word) or "-" in word or _URL_LIKE.search(word)
            or core != word[start:start + len(core)]):
        return None
    return core


def _points(word: str, core: str, language: str, *, lower: bool) -> tuple[int, ...]:
    # Only the longest run of letters is broken (so "(newspaper)," breaks inside "newspaper").
    dictionary = _dictionary(language)
    if dictionary is None:
        return ()
    start = word.find(core)
    points = dictionary.positions(core.lower() if lower else core)
    if any(starts_akshara(ch) for ch in core):
        points = _akshara_points(core, points)
    return tuple(start + p for p in points)


def akshara_starts(text: str) -> tuple[int, ...]:
    """Offsets in ``text`` where an akshara (orthographic syllable) begins: a consonant not joined
    to the one before by a virama, or an independent vowel; signs, nukta and joiners stay with theirs."""
    return tuple(i for i, ch in enumerate(text)
                 if starts_akshara(ch) and not (i and text[i - 1] == VIRAMA))


def _akshara_points(core: str, points: list[int]) -> list[int]:
    """``points`` that leave :data:`MIN_AKSHARAS` on each side and begin the line after neither with
    a reph (र and a virama before a consonant, drawn above the syllable it precedes) nor with a
    consonant whose schwa is dropped (one with no sign of its own before another consonant)."""
    starts = akshara_starts(core)

    def bare_before_consonant(p: int) -> bool:
        after = p + 1 + (core[p + 1:p + 2] == _NUKTA)
        return after < len(core) and starts_akshara(core[after]) and not is_independent_vowel(core[after])

    return [p for p in points
            if sum(s < p for s in starts) >= MIN_AKSHARAS and sum(s >= p for s in starts) >= MIN_AKSHARAS
            and not (core[p:p + 2] == _RA + VIRAMA and p + 2 < len(core) and starts_akshara(core[p + 2]))
            and not bare_before_consonant(p)]


def pattern_points(word: str, language: str) -> tuple[int, ...]:
    """Where the language's patterns would break ``word`` (a run of letters), with none of
    :func:`hyphenation_points`' restraint about names, acronyms or length: for a word that cannot
    fit its measure unbroken (see :mod:`epaper.typeset.emergency_breaks`)."""
    dictionary = _dictionary(language)
    if dictionary is None:
        return ()
    lower = word.lower()
    return tuple(dictionary.positions(lower if len(lower) == len(word) else word))
