"""What every process parses alike from a file that does not change (hyphenation patterns, fonts),
parsed once and kept in the build cache for the processes after it.

Each thing is one pickle in a folder of the build cache, named by the kind, the source file's
bytes and the code fingerprint (which names Python's version and every library's): a new font
file, or a library release that parses it differently, is parsed again. A process keeps what it
parses in the first folder it is given (:meth:`KeptParses.keep_in`; one per process in practice:
a desk's watch, a command). A pickle that cannot be read is removed and the file parsed again.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from epaper.cache.keys import code_fingerprint, digest_of

__all__ = ["KeptParses"]


class KeptParses:
    """The kept parses of one kind (``kind`` names it in the pickles' names)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._folder: Path | None = None

    def keep_in(self, folder: Path) -> None:
        """Keep what this process parses in ``folder``, and take what is kept there (the first
        folder named is the one kept)."""
        if self._folder is None:
            self._folder = Path(folder)

    def _path(self, source: Path) -> Path | None:
        if self._folder is None:
            return None
        return self._folder / f"{digest_of(self.kind, Path(source), code_fingerprint())}.pickle"

    def load(self, source: Path) -> Any | None:
        """What an earlier process kept for the file ``source``; None if nothing is kept (or what
        was kept cannot be read: it is removed)."""
        path = self._path(source)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - damaged or from another release: parsed again, kept anew
            path.unlink(missing_ok=True)
            return None

    def keep(self, source: Path, data: bytes) -> None:
        """Keep ``data`` (a pickle of what ``source`` parses to) for the processes after this one,
        unless something is kept for it already. Whole or not at all: a process reading it never
        sees half of it. Nothing is kept on a read-only or full disk."""
        path = self._path(source)
        if path is None or path.exists():
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
