"""A production night: a main edition and its zone editions from one ``night.yaml``.

Public API::

    read_night_spec(path) -> NightSpec          # the night file, checked (NightError lists problems)
    read_night(path) -> Night                   # ... and its main edition
    lay_out_night(night) -> LaidOutNight        # main edition, then zones replaying its pages
    build_night(path, out_root) -> NightResult  # every edition into out_root/<edition id>/
    epaper.replate.replate(out_root, page, edition_id=...)  # late news (a night's: ``replate`` here)
    NightWatch(path, out_root)                  # epaper watch NIGHT_FILE (``watch`` here)

Modules, one job each: ``spec`` (night.yaml's shape), ``editions`` (a zone resolved against the main
edition: sections, stories, ads, where each page comes from, jumps that would not land), ``check``
(``epaper validate NIGHT_FILE``: the night's files checked without laying out), ``layout``
(laying out the night, which pages are the same where), ``build`` (publishing and sharing files), ``replate`` (a page made again, and what follows it),
``watch`` (the night kept in step with its folders), ``generator`` (seeded nights for tests and bench).
"""

from epaper.night.build import NightResult, build_night
from epaper.night.layout import EditionInNight, LaidOutNight, Night, NightPage, lay_out_night, read_night
from epaper.night.spec import NightError, NightSpec, VariantSpec, read_night_spec

__all__ = ["EditionInNight", "LaidOutNight", "Night", "NightError", "NightPage", "NightResult", "NightSpec",
           "VariantSpec", "build_night", "lay_out_night", "read_night", "read_night_spec"]
