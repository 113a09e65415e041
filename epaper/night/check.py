"""``epaper validate NIGHT_FILE``: what a desk runs before the night's first build. The night file,
the main edition's folder and every zone's files are checked (every problem at once); then the
night is laid out, nothing written, for what only a layout shows: that each of the main edition's
jumps lands in every zone (``build-night`` refuses a zone where one would not, and so does this)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from epaper.ingest.problems import Problem
from epaper.night.layout import lay_out_night, read_night
from epaper.tasks import Runner

__all__ = ["NightCheck", "check_night"]


@dataclass(frozen=True)
class NightCheck:
    """A night that reads right and lays out: each edition's warnings (its files' and its layout's,
    as ``build-night`` would print them), by its name (the main edition first)."""

    warnings: dict[str, tuple[Problem, ...]]


def check_night(path: Path, *, runner: Runner | None = None) -> NightCheck:
    """Check the night file ``path`` and what it names, then lay the night out (the main edition's
    sections on ``runner``'s workers when given; nothing is written). Raises :class:`NightError`
    listing every problem of the files, or, when they have none, every zone the layout refuses."""
    laid = lay_out_night(read_night(path), runner=runner)  # (the files' problems first, before any layout)
    return NightCheck({edition.night_edition.name: edition.warnings for edition in laid.editions})
