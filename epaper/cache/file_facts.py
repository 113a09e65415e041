"""What was read from an output folder's files, remembered by each file's identity.

Every build, replate and night reads every edition in the output folder: the archive page and the
IIIF collections are written again from their layout.json, report.json, version.json, manifest.json
and front thumbnail (:mod:`epaper.web.archive`), a build looks through every manifest for the tile
sets no edition names any more (:func:`epaper.tile_sets.collect_tile_sets`), a night's replate
through every version.json for the night's editions and a night's build through every report.json
for the editions it no longer makes (:mod:`epaper.night`). A desk that builds
its editions into one folder night after night has thousands there (a month of 60 editions a night:
1,800 folders, ~2.6 ms of JSON each), and a late replate of one page would spend seconds reading them
(5.0 s, against 1.2 s in a folder of its own: bench/bench_month_folder.py on 7cfe1c9,
before this). So what was read from a
file is kept in the build cache with the file's device, inode, size, modification and change times:
a build publishes every file anew (a new inode), and a file changed in place changes its times and,
nearly always, its size (an edit of the same size within a file system's clock tick, a second on
some network shares, is not seen: deleting ``OUT/.store`` forgets everything). A file no longer there
is read as missing each time (cheap: its stat fails).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .keys import code_fingerprint, digest_of
from .store import Store

__all__ = ["FileFacts"]

T = TypeVar("T")

# st_dev, st_ino, st_size, st_mtime_ns and st_ctime_ns: a copy tool can set a file's modification
# time (cp -p, rsync -t), not its change time (which a new hard link to the file changes too).
Stamp = tuple[int, int, int, int, int]


class FileFacts:
    """Readers' results for the files of one output folder, from the build cache where the file is
    the one read before, kept as ``stage``'s (one for each user: what one run does not ask for is
    dropped when it saves). ``remember=False``: nothing kept (every file read)."""

    def __init__(self, output_root: Path, stage: str, *, remember: bool = True) -> None:
        self.root = Path(output_root)
        self._root = str(self.root)
        self._stage = stage
        self._store = Store.of(self.root) if remember else None
        # One memo for the folder, made by this code: another version of epaper may read otherwise.
        self._key = digest_of(stage, code_fingerprint()) if remember else ""
        found = self._store.read_memo(stage, self._key) if self._store is not None else None
        known, made = found if isinstance(found, tuple) and len(found) == 2 else ({}, {})
        self._known: dict[tuple[str, str], tuple[Stamp, Any]] = known
        self._used: dict[tuple[str, str], tuple[Stamp, Any]] = {}
        self._made_before: dict[str, Any] = made
        self._made: dict[str, Any] = {}
        self._read = 0

    @property
    def files_read(self) -> int:
        """How many files were read (not known) since this was made."""
        return self._read

    def read(self, relative: str, reader: Callable[[Path], T]) -> T:
        """``reader`` of the file at ``relative`` in the output folder, or what it gave for this very
        file before. ``reader`` must say what a missing or unreadable file means (it is called
        then, and nothing is remembered)."""
        if self._store is None:
            self._read += 1
            return reader(self.root / relative)
        try:  # (a string, not a Path: thousands of files, and pathlib's parsing cost more than the stat)
            status = os.stat(os.path.join(self._root, relative))
        except OSError:
            self._read += 1
            return reader(self.root / relative)
        stamp = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        key = (relative, f"{reader.__module__}.{reader.__qualname__}")
        known = self._known.get(key)
        if known is not None and known[0] == stamp:
            self._used[key] = known
            return known[1]
        self._read += 1
        value = reader(self.root / relative)
        self._used[key] = (stamp, value)
        return value

    def made(self, key: str, make: Callable[[], T]) -> T:
        """``make()``, or what it made before under ``key``, which must say everything it is made of
        (e.g. an edition's card in the archive: the edition's entry, the page's language)."""
        if self._store is None:
            return make()
        if key in self._made_before:
            value = self._made[key] = self._made_before[key]
        else:
            value = self._made[key] = make()
        return value

    def save(self) -> None:
        """Keep what this run read, found or made, for the next (what it did not ask for, e.g. the
        facts of an edition deleted since, goes)."""
        if self._store is not None and (self._used != self._known or self._made.keys() != self._made_before.keys()):
            self._store.write_memo(self._stage, self._key, (self._used, self._made))
