"""Numbered versions of an edition: a replate publishes version N+1 and keeps version N whole.

``OUT/<id>/version.json`` says which version the folder is, when it was made, where the edition came
from (so ``epaper replate`` can make it again) and which pages the replate made again. The previous
versions are kept inside the new one, in ``versions/<n>/``: the folder the previous version was
published in, moved there whole (its files are the store's objects, hard-linked: no copy, no second
rendering). A kept version is complete (viewer, PDFs, manifest; its pages' tiles are published
beside the editions, ``OUT/tiles/``, for every version that prints them); its manifest's IIIF ids
are rewritten to its own place, since they named the edition's folder.

The new version is written in the staging folder like any build (:mod:`epaper.publish.output`), so
a replate killed before it is published leaves the previous version as it was. Once it is swapped
in, the previous version is filed into it by a few renames (:func:`file_previous`); a kill in those
milliseconds leaves it whole beside the edition, and the next build files it (:func:`recover_edition`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from epaper.cache import Store
from epaper.publish.output import recover, remove_partial_files, stale_folders, write_text_atomically
from epaper.urls import TILE_SETS_DIR, edition_url

__all__ = ["EditionVersion", "VERSIONS_DIR", "VERSION_FILE", "file_previous", "previous_href", "read_version",
           "read_version_file", "recover_edition", "write_version"]

VERSION_FILE = "version.json"
VERSIONS_DIR = "versions"


@dataclass(frozen=True)
class EditionVersion:
    number: int
    made: str  # ISO 8601 with its offset: in edition.yaml's time_zone, else the building machine's local time
    source: str  # the edition folder it was built from (epaper build), or the night file (build-night)
    breaker: str
    base_url: str | None
    # The pages that print differently from the version before: the plates the plant makes again
    # (a replate's; a whole build's of an edition replated before; none: a first build, or no page changed).
    replated: tuple[int, ...] = ()
    kept: tuple[int, ...] = ()  # earlier versions kept in versions/<n>/
    night_edition: str | None = None  # built in the night ``source``: the edition's name there
    # What the night file said when this version was made (NightSpec.fingerprint): ``epaper watch``
    # of the night builds it whole when the file says something else now. None: not of a night.
    night_fingerprint: str | None = None

    @property
    def continued_by_builds(self) -> bool:
        """Whether every later build of the edition is its next version, the earlier ones kept: once
        replated it is on the press, and readers may hold links to its versions. Before, a build
        publishes version 1 again."""
        return self.number > 1

    @property
    def time(self) -> str:
        """HH:MM it was made, as the viewer's "updated" mark shows it."""
        return dt.datetime.fromisoformat(self.made).strftime("%H:%M")

    def when(self, today: dt.date) -> str:
        """When it was made, as the desk reads it on ``today``: HH:MM, with the date when it is
        another day's (a version of last evening is not "18:02" after midnight)."""
        made = dt.datetime.fromisoformat(self.made)
        return made.strftime("%H:%M") if made.date() == today else made.strftime("%Y-%m-%d %H:%M")

    def as_dict(self) -> dict:
        data = {**asdict(self), "replated": list(self.replated), "kept": list(self.kept)}
        for night_field in ("night_edition", "night_fingerprint"):
            if data[night_field] is None:  # an edition of its own (epaper build): no such field
                del data[night_field]
        return data


def read_version(edition_dir: Path) -> EditionVersion | None:
    """The version record of a published edition folder; None if it has none (or an unreadable one)."""
    try:
        data = json.loads((edition_dir / VERSION_FILE).read_text(encoding="utf-8"))
        return EditionVersion(number=int(data["number"]), made=str(data["made"]), source=str(data["source"]),
                              breaker=str(data["breaker"]), base_url=data.get("base_url"),
                              replated=tuple(int(n) for n in data.get("replated", [])),
                              kept=tuple(int(n) for n in data.get("kept", [])),
                              night_edition=None if data.get("night_edition") is None else str(data["night_edition"]),
                              night_fingerprint=(None if data.get("night_fingerprint") is None
                                                 else str(data["night_fingerprint"])))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_version_file(path: Path) -> EditionVersion | None:
    """:func:`read_version` of the edition whose ``version.json`` is ``path``: a reader of the file
    itself, as :class:`epaper.cache.file_facts.FileFacts` remembers readers' results by the file."""
    return read_version(path.parent)


def write_version(edition_dir: Path, version: EditionVersion) -> None:
    write_text_atomically(edition_dir / VERSION_FILE, json.dumps(version.as_dict(), indent=1))


def file_previous(old: Path, final: Path, previous: EditionVersion) -> None:
    """File the previous version ``old`` — the folder a replate's publish swapped out of ``final``
    (:func:`~epaper.publish.output.staged_output`'s ``keep_old``), version ``previous``, as
    ``final/versions/<n>/``, and the versions it kept into ``final/versions/``: by renames, so a
    replate costs the same however many versions are kept. Its manifest's IIIF ids are moved to
    its own place first, while it is not published anywhere.

    Every step may be done again: a kill part-way leaves the rest in ``old`` (a stale folder of the
    edition), and :func:`recover_edition` finishes it on the next build."""
    for folder in (old, *_own_tile_sets(old)):  # what a kill while its ids were moved left
        remove_partial_files(folder)
    store = Store.of(final.parent)
    _move_ids(old, edition_url(previous.base_url, final.name), previous.number, store)
    _link_from_kept_place(old, store)
    kept = final / VERSIONS_DIR
    kept.mkdir(exist_ok=True)
    earlier = old / VERSIONS_DIR
    if earlier.is_dir():
        for entry in sorted(earlier.iterdir()):
            if not (kept / entry.name).exists():
                os.rename(entry, kept / entry.name)
        shutil.rmtree(earlier)  # what the new version has already (nothing, but after a repeated step)
    os.rename(old, kept / str(previous.number))


def _move_ids(folder: Path, url: str, number: int, store: Store) -> None:
    """The IIIF ids of the version in ``folder``, published at ``url``, moved to ``url``'s
    ``versions/<number>/`` (an id already moved stays as it is; its tiles' are the output root's,
    but for a version published before they were), and its manifest out of the title's collection
    (:func:`_out_of_collection`). The files replaced that were objects of ``store`` that nothing
    else links are let go of (a manifest is one; an own tile set's info.json is not)."""
    old = json.dumps(url.rstrip("/") + "/")[1:-1]
    new = f"{old}{VERSIONS_DIR}/{number}/"
    named = re.compile(re.escape(old) + f"(?!{VERSIONS_DIR}/)")
    for document in [folder / "manifest.json", *(tiles / "info.json" for tiles in _own_tile_sets(folder))]:
        if document.is_file():
            data = document.read_bytes()
            text = data.decode("utf-8")
            moved = named.sub(lambda _: new, text)
            if document.name == "manifest.json":
                moved = _out_of_collection(moved)
            packed = document.with_name(document.name + ".gz")
            if moved != text:
                write_text_atomically(document, moved)
                store.release(data)
            # The .gz named the old ids: a static host would serve it for the new file.
            if packed.is_file():
                packed_data = packed.read_bytes()
                packed.unlink()
                store.release(packed_data)


def _own_tile_sets(folder: Path) -> list[Path]:
    """The tile sets inside a version's folder: one published before the pages' tiles were shared
    beside the editions (its ``tiles/NNN/``, whose ids name its place as the manifest's do)."""
    return sorted((folder / "tiles").glob("*/"))


def _out_of_collection(manifest: str) -> str:
    """A kept version's manifest (its text) without ``partOf``: the title's collection lists each
    edition's latest version only, and a harvester starting from a kept version found it missing
    from the collection it named (an archive's audit). The latest version's viewer links it ("updated")."""
    document = json.loads(manifest)
    if document.pop("partOf", None) is None:
        return manifest
    return json.dumps(document, ensure_ascii=False, indent=1)


def previous_href(number: int) -> str:
    """Where a replated edition's viewer links its "updated" mark: version ``number``, kept."""
    return f"{VERSIONS_DIR}/{number}/index.html"


# The viewer's "updated" mark (web/templates/viewer.html) links the version before from the edition
# folder; filed in versions/<n>/, the version before is its sibling.
_UPDATED_LINK = re.compile(f'(class="edition-updated" href=")({VERSIONS_DIR}/)')
# Its link to the archive of every edition (the output folder's index.html), two folders further down.
_ARCHIVE_LINK = re.compile(r'(class="archive-link" href=")(\.\./index\.html")')
# Its pages' tiles (its data's "tiles" and the info's "id": epaper.tile_sets), in the output folder too.
_TILE_SETS = re.compile(f'"\\.\\./{TILE_SETS_DIR}/')
# The note that a newer version is published (hidden in the latest, linking itself there:
# web/templates/viewer.html), shown from versions/<n>/, linking the latest.
_SUPERSEDED = '<p class="superseded" hidden><a href="index.html">'
_SHOWN = '<p class="superseded"><a href="../../index.html">'


# A night's proof report links the night's other editions (epaper.report.night: the main edition's
# report and pages from a zone's, the zones' reports from the main's) and its report.json names the
# main edition's folder: siblings of the edition, two folders further up from versions/<n>/. They
# link those editions as they are now (a kept zone's report shows the main edition's pages of today).
_REPORT_LINKS = re.compile(r"""((?:href|src)=')\.\./(?!\.\./)""")
_MAIN_FOLDER = re.compile(r'("main_folder": ")\.\./(?!\.\./)')


def _viewer_from_kept_place(text: str) -> str:
    moved = _UPDATED_LINK.sub(r"\1../", text)
    moved = _ARCHIVE_LINK.sub(r"\1../../\2", moved).replace(_SUPERSEDED, _SHOWN)
    return _TILE_SETS.sub(f'"../../../{TILE_SETS_DIR}/', moved)


_FROM_KEPT_PLACE = {
    "index.html": _viewer_from_kept_place,
    "report.html": lambda text: _REPORT_LINKS.sub(r"\1../../../", text),
    "report.json": lambda text: _MAIN_FOLDER.sub(r"\1../../../", text),
}


def _link_from_kept_place(folder: Path, store: Store) -> None:
    """The version in ``folder`` as kept in ``versions/<n>/``: its viewer linking the version
    before it and the archive from there, and saying that a newer version is published (a reader
    who followed a link to this one would else take it for the latest); its night's proof report
    linking the night's other editions from there. Each step may be done again (a link already
    moved is left as it is). The files it replaces are objects of ``store`` that nothing else
    links: let go of."""
    for name, rewrite in _FROM_KEPT_PLACE.items():
        document = folder / name
        if not document.is_file():
            continue
        data = document.read_bytes()
        text = data.decode("utf-8")
        moved = rewrite(text)
        if moved != text:
            # The .gz first: a kill between the two steps leaves no .gz of the old file beside the
            # new one (the step done again finds the file moved already, and does nothing).
            packed = document.with_name(name + ".gz")
            if packed.is_file():
                packed_data = packed.read_bytes()
                packed.unlink()
                store.release(packed_data)
            write_text_atomically(document, moved)  # a new file: the old one is an object of the store
            store.release(data)


def recover_edition(final: Path) -> None:
    """What a build killed earlier left of the edition ``final``: a previous version swapped out by
    a replate but not filed yet is filed (:func:`file_previous`), then every stale staging and old
    folder goes (:func:`~epaper.publish.output.recover`). Call with the output folder's lock held."""
    current = read_version(final) if final.is_dir() else None
    if current is not None:
        for folder in stale_folders(final):
            stranded = read_version(folder)
            if (stranded is not None and stranded.number in current.kept
                    and not (final / VERSIONS_DIR / str(stranded.number)).exists()):
                file_previous(folder, final, stranded)
    recover(final)
