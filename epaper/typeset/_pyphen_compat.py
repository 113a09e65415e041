"""pyphen's parsed patterns, kept between processes in the build cache.

pyphen parses a dictionary (``hyph_*.dic``: some 5,000 patterns for English) in Python in every
process that hyphenates: ~55 ms of each ``epaper replate``. It keeps what it parsed for the process
in ``pyphen.hdcache`` (a ``HyphDict`` by the dictionary's path), which is seeded here from a pickle
written by an earlier process, named by the dictionary's bytes and the code fingerprint (which
names pyphen's version and Python's). This relies on those two names of pyphen's;
``tests/test_hyphenate_cache.py`` fails when a release changes them.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

import pyphen

from epaper.cache import code_fingerprint, digest_of

__all__ = ["keep_parsed_patterns", "pyphen_for"]

_KEPT: list[Path] = []  # the folder the parsed patterns are kept in (the first one named)


def keep_parsed_patterns(folder: Path) -> None:
    """Keep the dictionaries this process parses in ``folder`` (the build cache's) and take those
    kept there before. The first folder a process names is the one it keeps."""
    if not _KEPT:
        _KEPT.append(folder)


def pyphen_for(dictionary: Path, *, left: int, right: int) -> pyphen.Pyphen:
    """``pyphen.Pyphen`` of the ``dictionary`` file, its patterns parsed once for every process
    that keeps them in the same folder (:func:`keep_parsed_patterns`)."""
    kept = _KEPT[0] / f"{digest_of('pyphen', dictionary, code_fingerprint())}.pickle" if _KEPT else None
    if kept is not None and dictionary not in pyphen.hdcache:
        try:
            parsed = pickle.loads(kept.read_bytes())
        except Exception:  # noqa: BLE001 - none yet, or unreadable: parsed again (and kept anew)
            parsed = None
        if isinstance(parsed, pyphen.HyphDict):
            pyphen.hdcache[dictionary] = parsed
        else:
            kept.unlink(missing_ok=True)
    hyphenator = pyphen.Pyphen(filename=dictionary, left=left, right=right)
    if kept is not None and not kept.exists():
        _write_whole(kept, pickle.dumps(hyphenator.hd, protocol=pickle.HIGHEST_PROTOCOL))
    return hyphenator


def _write_whole(path: Path, data: bytes) -> None:
    """``data`` into ``path``, which a reader (another process) sees whole or not at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
    except OSError:  # a read-only or full disk: the next process parses the patterns again
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
