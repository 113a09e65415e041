"""Which digits a number is written in: the edition's choice for Devanagari-script text.

An edition chooses with ``digits:`` in ``edition.yaml``: ``devanagari`` (०१२३) or ``latin`` (0123).
It applies to text in a language written in Devanagari (Hindi, Marathi, …: CLDR names Devanagari as
the language's native numbering system); English text always has Latin digits. Without a choice, the
edition's own language decides for all of it (:func:`usual_digits`): CLDR's default numbering system,
Latin for Hindi, Devanagari for Marathi, as their papers mostly print them.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError

from .messages import base_language

__all__ = ["DIGIT_CHOICES", "digits_of", "numeral_system", "usual_digits"]

# The manifest's words for CLDR's numbering systems (latn, deva).
DIGIT_CHOICES = {"latin": "latn", "devanagari": "deva"}

_LATIN = "0123456789"
# Digit characters of the systems an edition may choose, from Unicode's own names for them.
_DIGITS = {"latn": _LATIN,
           "deva": "".join(unicodedata.lookup(f"DEVANAGARI DIGIT {unicodedata.name(d).split()[-1]}") for d in _LATIN)}


@cache
def _systems(language: str) -> tuple[str, str]:
    """(default, native) CLDR numbering systems of ``language``; Latin for a language CLDR lacks."""
    try:
        locale = Locale.parse(base_language(language))
    except (UnknownLocaleError, ValueError):
        return "latn", "latn"
    return locale.default_numbering_system, locale.other_numbering_systems.get("native", "latn")


def numeral_system(language: str, choice: str | None) -> str:
    """The numbering system (``latn`` or ``deva``) for numbers in ``language`` text of an edition
    whose manifest chose ``choice`` (``"devanagari"``, ``"latin"`` or None for the language's default)."""
    default, native = _systems(language)
    if native not in _DIGITS:
        return "latn"
    if choice is None:
        return default if default in _DIGITS else "latn"
    wanted = DIGIT_CHOICES[choice]
    return wanted if wanted in ("latn", native) else "latn"


def usual_digits(language: str) -> str:
    """The digit choice an edition in ``language`` makes when its manifest names none (CLDR's default):
    ``"devanagari"`` for Marathi, ``"latin"`` for Hindi, English and the rest."""
    return "devanagari" if _systems(language)[0] == "deva" else "latin"


def digits_of(system: str) -> str:
    """The ten digits of a numbering system, zero first."""
    return _DIGITS[system]
