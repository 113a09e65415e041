"""Every word epaper prints or shows itself, in the edition's language: one message catalogue per language.

The catalogues are gettext ``.po`` files in ``po/`` (``en.po``, ``hi.po``, ``mr.po``), read with
Babel; a message a language lacks falls back to English. Dates (month and weekday names) come from
Babel's CLDR data, and numbers in Devanagari-script text follow the edition's ``digits`` choice
(:mod:`.numerals`). :class:`Wording` bundles a language with that choice: the printed furniture,
the viewer, text views, archive and report all say things through one.

The output id keeps a title in any script: :func:`ascii_text` transliterates Devanagari (IAST,
then plain ASCII letters) for the folder name.
"""

from __future__ import annotations

from .messages import LANGUAGES, catalogue, fill
from .dates import clock_time, language_name, long_date, month_year, weekday_names
from .numerals import DIGIT_CHOICES, digits_of, numeral_system, usual_digits
from .transliterate import ascii_text
from .wording import Wording

__all__ = [
    "DIGIT_CHOICES",
    "LANGUAGES",
    "Wording",
    "ascii_text",
    "catalogue",
    "clock_time",
    "digits_of",
    "fill",
    "language_name",
    "long_date",
    "month_year",
    "numeral_system",
    "usual_digits",
    "weekday_names",
]
