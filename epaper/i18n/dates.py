"""Dates and language names from CLDR (Babel): month and weekday names as each language writes them."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_day_names

from .messages import FALLBACK, base_language

__all__ = ["clock_time", "language_name", "long_date", "month_year", "weekday_names"]


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(base_language(language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK)


@lru_cache(maxsize=4096)  # the archive says the date of each of its editions (thousands in a desk's folder)
def long_date(date: dt.date, language: str) -> str:
    """``Saturday, November 28, 2026`` / ``शनिवार, 28 नवंबर 2026`` (CLDR's full date; Latin digits)."""
    return format_date(date, "full", locale=_locale(language))


def month_year(date: dt.date, language: str) -> str:
    """``November 2026`` / ``नवंबर 2026`` (the stand-alone month name)."""
    return format_date(date, "LLLL y", locale=_locale(language))


def clock_time(moment: dt.datetime | dt.time, language: str) -> str:
    """``06:15``: the 24-hour clock newspapers print, with the language's separators."""
    return format_time(moment, "HH:mm", locale=_locale(language))


def weekday_names(language: str) -> tuple[str, ...]:
    """Abbreviated weekday names, Monday first (the archive calendar's columns)."""
    names = get_day_names("abbreviated", locale=_locale(language))
    return tuple(names[day] for day in range(7))


def language_name(code: str, language: str) -> str:
    """The name of language ``code`` written in ``language`` (``hi`` in Hindi: ``हिन्दी``)."""
    return _locale(language).languages.get(base_language(code), code)
