"""What is wrong with an edition folder, said so a desk editor can fix it without reading code.

Ingest never stops at the first problem: every check appends to a :class:`ProblemLog`, and the
caller gets all of them at once (a night desk re-running validation ten times is the thing to avoid).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

__all__ = ["ERROR", "LEFT_OUT_TO_FIT", "PAGE_NOT_FILLED", "UNUSED_HEADING", "WARNING", "InvalidEdition", "Problem",
           "ProblemLog", "ProblemsError", "file_label", "printable", "problem_lines", "quote", "suggest"]

ERROR, WARNING = "error", "warning"
# A warning's kind, where one is told apart: a photo, kicker, deck or byline layout left out so a
# story fits (the routine price of a full page; a night's summary counts them and lists the rest).
LEFT_OUT_TO_FIT = "left out to fit"
PAGE_NOT_FILLED = "page not filled"  # a blank page, or a hole in one: said on its own wherever a hole is

# Lone surrogates (from JSON "\ud83d" escapes or file names that are not UTF-8) cannot be written
# to a terminal or a UTF-8 file, and control characters garble a terminal line: both are shown as
# \uXXXX escapes in anything a problem says.
_UNPRINTABLE = re.compile("[\\ud800-\\udfff\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def file_label(path: Path, folder: Path) -> str:
    """``path`` as a problem names it: relative to ``folder`` (the edition's or the night file's)
    when it is inside it, however either was written (relative to where the command ran, absolute,
    through a symbolic link, with ``..``); else whole."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``file`` is relative to the edition folder ("edition.yaml", "articles/foo.json"); ``field`` is a
    path into that file ("section", "images[0].src", "sections[2].template") or "" when the problem
    concerns the whole file; ``message`` says what is wrong, quoting the bad value; ``fix`` says
    what to do about it.
    """

    file: str
    field: str
    message: str
    fix: str = ""
    severity: str = ERROR  # WARNING: the edition builds, but something will not print as given
    kind: str = ""  # what sort of warning, where it is told apart (LEFT_OUT_TO_FIT, PAGE_NOT_FILLED), else ""

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def as_error(self) -> Problem:
        return replace(self, severity=ERROR)

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "field": self.field, "message": self.message, "fix": self.fix,
                "severity": self.severity, "kind": self.kind}

    def __str__(self) -> str:
        where = self.file or "."
        if self.field:
            where = f"{where}: {self.field}"
        line = f"{where}: {self.message}"
        return f"{line} — {self.fix}" if self.fix else line


class ProblemsError(Exception):
    """Every problem found in one input, never just the first; the message lists them under a
    heading that names the input (``SUBJECT``)."""

    SUBJECT = "the input"

    def __init__(self, problems: tuple[Problem, ...], warnings: tuple[Problem, ...] = ()) -> None:
        self.problems = tuple(problems)
        # What the input says that is not used (a misspelt field): often the cause of the errors
        # ("variants: no variants are given" after "variant:"), so said with them, not dropped.
        self.warnings = tuple(warnings)
        super().__init__("\n".join(problem_lines(self.problems, self.SUBJECT, self.warnings)))


# Said first, before the problems: a tired desk reading eight problems that blame its story files
# started editing them; the misspelt field said last was their cause (the night audit).
UNUSED_HEADING = "First, what it says that is not used (perhaps the cause of the problems below):"


def problem_lines(problems: Sequence[Problem], subject: str, unused: Sequence[Problem] = ()) -> list[str]:
    """The lines that list ``problems`` of ``subject`` (headed by their count), after ``unused``
    (what the input says that is not used, a misspelt field: often their cause)."""
    count = len(problems)
    lines = [UNUSED_HEADING, *(f"  {w}" for w in unused)] if unused else []
    return lines + [f"{count} problem{'s' if count != 1 else ''} in {subject}:", *(f"  {p}" for p in problems)]


class InvalidEdition(ProblemsError):
    """Raised by ``load_edition`` with every problem found, never just the first."""

    SUBJECT = "the edition folder"


class ProblemLog:
    """An append-only list of problems that checks write to as they go. Errors and warnings are
    kept apart: ``len()``, ``bool()`` and ``as_tuple()`` count errors only (what stops a build)."""

    def __init__(self) -> None:
        self._problems: list[Problem] = []
        self._warnings: list[Problem] = []

    def add(self, file: str, field: str, message: str, fix: str = "") -> None:
        self._problems.append(_problem(file, field, message, fix, ERROR))

    def warn(self, file: str, field: str, message: str, fix: str = "", *, kind: str = "") -> None:
        self._warnings.append(replace(_problem(file, field, message, fix, WARNING), kind=kind))

    def __len__(self) -> int:
        return len(self._problems)

    def __bool__(self) -> bool:
        return bool(self._problems)

    def as_tuple(self) -> tuple[Problem, ...]:
        return tuple(self._problems)

    def warnings(self) -> tuple[Problem, ...]:
        return tuple(self._warnings)

    def extend(self, other: "ProblemLog") -> None:
        """Add ``other``'s errors and warnings (a part read on its own, or remembered from a build)."""
        self._problems += other._problems
        self._warnings += other._warnings


def _problem(file: str, field: str, message: str, fix: str, severity: str) -> Problem:
    return Problem(file=printable(file), field=printable(field), message=printable(message),
                   fix=printable(fix), severity=severity)


def quote(value: Any, limit: int = 60) -> str:
    """A bad value as it should appear in a message: quoted, one line, not a page long."""
    if isinstance(value, str):
        text = value.replace("\n", "\\n")
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return f"'{text}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def suggest(value: str, options: Iterable[str], *, cutoff: float = 0.6, shown_in: str = "") -> str:
    """' (did you mean 'City'?)' when a near match exists — most bad names are typos or case.
    ``cutoff``: how alike (difflib's ratio) a match must be; ``shown_in``: what the match is shown
    after (a file name's folder, 'images/')."""
    options = list(options)
    by_case = [o for o in options if o.casefold() == value.casefold()]
    close = by_case or difflib.get_close_matches(value, options, n=1, cutoff=cutoff)
    return f" (did you mean '{shown_in}{close[0]}'?)" if close else ""
