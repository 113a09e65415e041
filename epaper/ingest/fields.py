"""Typed reads of fields from a parsed mapping, each wrong type or missing value logged as a Problem.

The manifest and article readers describe *which* fields they want; this module owns *how* a
field is checked and how its problem is worded, so the wording is the same everywhere.
"""

from __future__ import annotations

import difflib
from typing import Any, Mapping

from epaper.ingest.problems import ProblemLog, quote, suggest
from epaper.ingest.text import collapse_spaces

__all__ = ["FieldReader", "given", "type_name"]


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    return type(value).__name__


def given(value: Any) -> str:
    """What a wrong value was, for "must be X, not ...": its kind, and the value where it is short
    enough to show ("text 'two'", "the number 1.5", "a list", "true")."""
    if isinstance(value, bool):
        return quote(value)
    if isinstance(value, int):
        return f"the number {quote(value)}"  # quote shortens a number hundreds of digits long
    if isinstance(value, float):
        return f"the number {value:g}"
    if isinstance(value, str):
        return f"text {quote(value)}"
    return type_name(value)


def _with_article(word: str) -> str:
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


class FieldReader:
    """Reads fields of one mapping in one file; ``prefix`` names where the mapping sits ("ads[2].")."""

    def __init__(self, data: Mapping[str, Any], file: str, problems: ProblemLog, prefix: str = "") -> None:
        self.data = data
        self.file = file
        self.problems = problems
        self.prefix = prefix

    def path(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def report(self, key: str, message: str, fix: str) -> None:
        self.problems.add(self.file, self.path(key), message, fix)

    def warn(self, key: str, message: str, fix: str) -> None:
        self.problems.warn(self.file, self.path(key), message, fix)

    def warn_unknown(self, known: tuple[str, ...], what: str, note: str = "") -> None:
        """A warning for each key not in ``known``: a misspelt optional field is otherwise just lost."""
        for key in self.data:
            if key in known:
                continue
            self.problems.warn(self.file, self.path(key),
                               f"unknown field {quote(key)} is not used{suggest(key.casefold(), known)}",
                               f"{what} fields are: {', '.join(known)}{note}")

    def _missing(self, key: str) -> str:
        """"``key`` is missing", naming a given field whose name is close to it: "column: 2" for
        "columns" was said to be missing, the misspelling warned of apart (and, among errors, not
        shown at all)."""
        near = [given_key for given_key in self.data if isinstance(given_key, str) and given_key != key
                and difflib.get_close_matches(given_key.casefold(), [key], n=1, cutoff=0.6)]
        return f"{key} is missing" + (f" ({quote(near[0])} is given: a misspelling of it?)" if near else "")

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, *, required: bool = False, default: str = "") -> str | None:
        """One line of text, whitespace collapsed. Numbers are accepted as text (a headline "1984")."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.report(key, self._missing(key), f"add {_with_article(key)}")
                return None
            return default
        if isinstance(value, bool):
            # YAML reads unquoted yes/no/on/off as true/false: "language: no" (Norwegian) bites.
            self.report(key, f"{key} must be text, but YAML read {quote(value)}",
                        f"put the value in quotes, e.g. {key}: \"{'yes' if value else 'no'}\"")
            return None
        if isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            self.report(key, f"{key} must be text, not {type_name(value)}", f"give {key} as a single text value")
            return None
        text = collapse_spaces(value)
        if required and not text:
            self.report(key, f"{key} is empty", f"write {_with_article(key)}")
            return None
        return text

    def integer(self, key: str, *, low: int, high: int | None = None, default: int | None = None,
                required: bool = False, what: str = "") -> int | None:
        """A whole number in ``low..high``; ``what`` explains the range in the fix ("pages 1–16")."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.report(key, self._missing(key), f"add {key} (a whole number)")
            return default
        span = f"{low}–{high}" if high is not None else f"at least {low}"
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                self.report(key, f"{key} must be a whole number, not {given(value)}",
                            f"give a whole number {span}{what}")
                return None
        if value < low or (high is not None and value > high):
            self.report(key, f"{key} {value} is out of range", f"give a whole number {span}{what}")
            return None
        return value

    def number(self, key: str, *, low_exclusive: float = 0.0, high: float | None = None,
               required: bool = False, unit: str = "") -> float | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.report(key, self._missing(key), f"add {key} (a number{unit})")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.report(key, f"{key} must be a number, not {given(value)}",
                        f"give a number{unit}")
            return None
        if value <= low_exclusive or (high is not None and value > high):
            limit = f" and at most {high:g}" if high is not None else ""
            self.report(key, f"{key} {value:g} is out of range",
                        f"give a number{unit} greater than {low_exclusive:g}{limit}")
            return None
        return float(value)

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            self.report(key, f"{key} must be one of the allowed values, not {given(value)}",
                        f"use one of: {', '.join(options)}")
            return None
        if value not in options:
            self.report(key, f"{key} {quote(value)} is not one of the allowed values"
                        f"{suggest(value.casefold(), options)}",
                        f"use one of: {', '.join(options)}")
            return None
        return value

    def text_list(self, key: str) -> tuple[str, ...] | None:
        """A list of short texts (tags); one bare text is accepted as a list of one."""
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.report(key, f"{key} must be a list of text, not {type_name(value)}",
                        f'write {key} as a list, e.g. ["first", "second"]')
            return None
        result = []
        for index, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str):
                self.problems.add(self.file, f"{self.path(key)}[{index}]",
                                  f"must be text, not {type_name(item)}", "give each entry as text")
                return None
            if collapse_spaces(item):
                result.append(collapse_spaces(item))
        return tuple(result)
