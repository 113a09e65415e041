"""Ingest: read an edition folder (docs/contracts.md, "The edition folder"), check everything, and
build the frozen model.

Public API::

    load_edition(folder) -> Edition            # raises InvalidEdition with .problems (all of them)
    validate_edition(folder) -> tuple[Problem, ...]   # the errors
    read_edition(folder) -> EditionReading     # the edition (or None), its errors and its warnings
    Problem(file, field, message, fix)         # str(problem) is one line for the terminal

Modules behind it, one job each: ``sources`` (files to data), ``fields`` (typed field checks),
``manifest`` (edition.yaml), ``articles`` (one article file), ``markdown`` (bodies to paragraphs and
runs), ``images`` (image references), ``coverage`` (font cmaps), ``edition`` (the whole folder).
"""

from epaper.ingest.edition import EditionReading, load_edition, read_edition, validate_edition
from epaper.ingest.problems import InvalidEdition, Problem

__all__ = ["EditionReading", "InvalidEdition", "Problem", "load_edition", "read_edition", "validate_edition"]
