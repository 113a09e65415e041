"""Numbered versions of an edition: a replate publishes version N+1 and keeps version N whole.

``OUT/<id>/version.json`` says which version the folder is, when it was made, where the edition came
from (so ``epaper replate`` can make it again) and which pages the replate made again. The previous
versions are kept inside the new one, in ``versions/<n>/``: every file a hard link to the same file
of the version it was (no copy, no second rendering), so a kept version costs directory entries,
not disk. A kept version is complete (viewer, PDFs, tiles, manifest); its manifest's and tiles'
IIIF ids are rewritten to its own place, since they named the edition's folder.

The new version is written in the staging folder like any build (:mod:`epaper.publish.output`), so
a replate killed at any moment leaves the previous version as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from epaper.publish.output import write_text_atomically

__all__ = ["EditionVersion", "VERSIONS_DIR", "VERSION_FILE", "keep_previous", "read_version", "write_version"]

VERSION_FILE = "version.json"
VERSIONS_DIR = "versions"


@dataclass(frozen=True)
class EditionVersion:
    number: int
    made: str  # ISO 8601, the building machine's local time with its offset
    source: str  # the edition folder it was built from
    breaker: str
    base_url: str | None
    replated: tuple[int, ...] = ()  # pages made again for this version (none: a whole build)
    kept: tuple[int, ...] = ()  # earlier versions kept in versions/<n>/

    @property
    def time(self) -> str:
        """HH:MM it was made, as the viewer's "updated" mark shows it."""
        return dt.datetime.fromisoformat(self.made).strftime("%H:%M")

    def as_dict(self) -> dict:
        return {**asdict(self), "replated": list(self.replated), "kept": list(self.kept)}


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def read_version(edition_dir: Path) -> EditionVersion | None:
    """The version record of a published edition folder; None if it has none (or an unreadable one)."""
    try:
        data = json.loads((edition_dir / VERSION_FILE).read_text(encoding="utf-8"))
        return EditionVersion(number=int(data["number"]), made=str(data["made"]), source=str(data["source"]),
                              breaker=str(data["breaker"]), base_url=data.get("base_url"),
                              replated=tuple(int(n) for n in data.get("replated", [])),
                              kept=tuple(int(n) for n in data.get("kept", [])))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_version(edition_dir: Path, version: EditionVersion) -> None:
    (edition_dir / VERSION_FILE).write_text(json.dumps(version.as_dict(), indent=1), encoding="utf-8")


def keep_previous(final: Path, staging: Path, previous: EditionVersion, *, previous_url: str) -> None:
    """Link the published edition ``final`` (version ``previous``) into ``staging/versions/<n>/``,
    and the versions it kept into ``staging/versions/``. ``previous_url`` is the URL ``final`` was
    built for: the kept version's IIIF ids move from it to its own folder."""
    kept = staging / VERSIONS_DIR / str(previous.number)
    # os.walk and one mkdir a folder: an edition has a folder for every zoom tile, a few thousand.
    for parent, folders, files in os.walk(final):
        relative = Path(parent).relative_to(final)
        target = staging / relative if relative.parts[:1] == (VERSIONS_DIR,) else kept / relative
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            if not os.path.islink(os.path.join(parent, name)):
                os.link(os.path.join(parent, name), target / name)
        folders[:] = [name for name in folders if not os.path.islink(os.path.join(parent, name))]
    old = previous_url.rstrip("/") + "/"
    new = f"{old}{VERSIONS_DIR}/{previous.number}/"
    for document in [kept / "manifest.json", *sorted((kept / "tiles").glob("*/info.json"))]:
        if document.is_file():
            text = document.read_text(encoding="utf-8")
            write_text_atomically(document, text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1]))
            stale = document.with_name(document.name + ".gz")
            if stale.is_file():
                stale.unlink()  # named the old ids; a static host would serve it for the new file
