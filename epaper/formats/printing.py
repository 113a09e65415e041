"""What a page format asks of the print PDFs: the plant's CMYK output profile, its ink limit, marks.

Read from the ``print:`` block of a format file under ``layouts/`` (every plant supplies its own
profile, so it belongs with the page size, not in code)::

    print:
      profile: profiles/CGATS-TR002-newsprint-240.icc   # relative to layouts/, or an absolute path
      output_condition: CGATS TR 002                     # the OutputIntent's condition identifier
      tac_percent: 240                                   # total area coverage limit for photos
      marks: false                                       # crop and registration marks outside the bleed

A format without the block prints on the default newsprint profile at 240 %, without marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from epaper.formats import MM, FormatError, available_formats
from epaper.resources import layouts_dir

__all__ = ["DEFAULT_PROFILE", "PrintSpec", "load_print_spec", "read_print_spec"]

DEFAULT_PROFILE = "profiles/CGATS-TR002-newsprint-240.icc"
# The ICC registry's name for the characterisation the default profile is built from.
DEFAULT_CONDITION = "CGATS TR 002"
MARKS_SLUG_MM = 10.0  # media beyond the bleed that crop and registration marks are drawn in


@dataclass(frozen=True)
class PrintSpec:
    """The print condition of one page format."""

    profile: Path  # a CMYK output ICC profile
    output_condition: str  # OutputConditionIdentifier of the PDF/X OutputIntent
    tac: float  # total area coverage limit as a fraction of one ink (2.4 = 240 %)
    marks: bool  # crop and registration marks in a slug outside the bleed
    slug: float  # points of media beyond the bleed on each side (0 without marks)
    registry: str = "http://www.color.org"


def _fail(path: Path, field: str, problem: str, fix: str) -> FormatError:
    where = f"print.{field}" if field else "print"
    return FormatError(f"{path}: {where}: {problem}; {fix}")


@cache
def load_print_spec(name: str) -> PrintSpec:
    """The print condition of page format ``name`` (a format under ``layouts/``)."""
    if name not in available_formats():
        raise FormatError(f"unknown page format {name!r}; known: {', '.join(available_formats())}")
    return read_print_spec(layouts_dir() / f"{name}.yaml")


def read_print_spec(path: Path) -> PrintSpec:
    """The print condition in format file ``path``; raises ``FormatError`` naming file, field and fix.
    A relative profile is looked up in ``layouts/`` (where the bundled default is)."""
    block = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("print") or {}
    if not isinstance(block, dict):
        raise _fail(path, "", "is not a mapping of keys", "give profile, output_condition, tac_percent and marks as keys")
    unknown = set(block) - {"profile", "output_condition", "tac_percent", "marks"}
    if unknown:
        raise _fail(path, sorted(unknown)[0], "unknown key", "use profile, output_condition, tac_percent or marks")
    profile = Path(str(block.get("profile", DEFAULT_PROFILE)))
    if not profile.is_absolute():
        profile = layouts_dir() / profile
    if not profile.is_file():
        raise _fail(path, "profile", f"no file at {profile}", "give the plant's CMYK ICC profile (relative to layouts/ or absolute)")
    _check_cmyk_output_profile(path, profile)
    tac = block.get("tac_percent", 240)
    if not isinstance(tac, (int, float)) or isinstance(tac, bool) or not 100 <= tac <= 400:
        raise _fail(path, "tac_percent", f"{tac!r} is not a percentage from 100 to 400", "give the plant's limit, e.g. 240 for newsprint")
    marks = block.get("marks", False)
    if not isinstance(marks, bool):
        raise _fail(path, "marks", f"{marks!r} is not true or false", "write marks: true or marks: false")
    condition = block.get("output_condition", DEFAULT_CONDITION if "profile" not in block else profile.stem)
    return PrintSpec(profile=profile, output_condition=str(condition), tac=float(tac) / 100, marks=marks,
                     slug=MARKS_SLUG_MM * MM if marks else 0.0)


def _check_cmyk_output_profile(path: Path, profile: Path) -> None:
    # The ICC header: bytes 12-15 the device class, 16-19 the colour space (ICC.1, 7.2).
    header = profile.read_bytes()[:20]
    if len(header) < 20 or header[16:20] != b"CMYK" or header[12:16] != b"prtr":
        raise _fail(path, "profile", f"{profile.name} is not a CMYK output (printer) ICC profile",
                    "give the CMYK profile the printing plant supplies")
