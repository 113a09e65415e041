"""``Wording``: a language and the edition's digit choice — how epaper says things in one place of an edition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from . import dates
from .messages import catalogue, fill
from .numerals import digits_of, numeral_system

__all__ = ["Wording"]


@dataclass(frozen=True)
class Wording:
    """Messages, numbers and dates for text in ``language`` of an edition that chose ``digits``
    (``"devanagari"``, ``"latin"`` or None: the language's usual digits)."""

    language: str = "en"
    digits: str | None = None

    @cached_property
    def messages(self) -> Mapping[str, str]:
        return catalogue(self.language)

    @cached_property
    def numerals(self) -> str:
        """The ten digits this text writes numbers with."""
        return digits_of(numeral_system(self.language, self.digits))

    @cached_property
    def _digit_table(self) -> dict[int, int]:
        return str.maketrans("0123456789", self.numerals)

    def number(self, value: int | str) -> str:
        """``17`` → ``१७`` where the text uses Devanagari digits; any other character kept."""
        return str(value).translate(self._digit_table)

    def say(self, key: str, **values: object) -> str:
        """The message ``key`` with its placeholders filled; whole numbers written in this text's digits."""
        return fill(self.messages[key], **{k: self.written(v) for k, v in values.items()})

    def written(self, value: object) -> object:
        """A placeholder's value as this text writes it: a whole number in its digits, anything else as it is."""
        return self.number(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def long_date(self, date: dt.date) -> str:
        return self.number(dates.long_date(date, self.language))

    def month_year(self, date: dt.date) -> str:
        return self.number(dates.month_year(date, self.language))

    def clock_time(self, moment: dt.datetime) -> str:
        return self.number(dates.clock_time(moment, self.language))

    def weekday_names(self) -> tuple[str, ...]:
        return dates.weekday_names(self.language)

    def language_name(self, code: str) -> str:
        return dates.language_name(code, self.language)
