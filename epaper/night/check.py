"""``epaper validate NIGHT_FILE``: the night file, the main edition's folder and every zone's files
checked without laying anything out — what a desk runs before the night's first build. Whether the
main edition's jumps land in every zone needs the main edition laid out: ``build-night`` checks it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from epaper.ingest.problems import Problem, ProblemLog
from epaper.night.editions import main_manifest, read_zone
from epaper.night.layout import read_night
from epaper.night.spec import NightError

__all__ = ["NightCheck", "check_night"]


@dataclass(frozen=True)
class NightCheck:
    """A night that reads right: each edition's warnings, by its name (the main edition first)."""

    warnings: dict[str, tuple[Problem, ...]]


def check_night(path: Path) -> NightCheck:
    """Check the night file ``path`` and what it names; raises :class:`NightError` listing every problem."""
    night = read_night(path)
    problems = ProblemLog()
    manifest = main_manifest(night.spec)
    zones = [read_zone(night.spec, variant, night.main.edition, manifest, problems)
             for variant in night.spec.variants]
    if problems:
        raise NightError(problems.as_tuple(), night.spec.warnings)
    return NightCheck({night.main.name: night.main.warnings,
                       **{zone.variant.edition: zone.warnings for zone in zones if zone is not None}})
