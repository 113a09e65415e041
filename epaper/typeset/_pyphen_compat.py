"""pyphen's parsed patterns, kept between processes in the build cache.

pyphen parses a dictionary (``hyph_*.dic``: some 5,000 patterns for English) in Python in every
process that hyphenates: ~55 ms of each ``epaper replate``. It keeps what it parsed for the process
in ``pyphen.hdcache`` (a ``HyphDict`` by the dictionary's path), which is seeded here from a pickle
an earlier process kept (:mod:`epaper.cache.kept`). This relies on those two names of pyphen's;
``tests/test_hyphenate_cache.py`` fails when a release changes them.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pyphen

from epaper.cache.kept import KeptParses

__all__ = ["keep_parsed_patterns", "pyphen_for"]

_KEPT = KeptParses("pyphen")


def keep_parsed_patterns(folder: Path) -> None:
    """Keep the dictionaries this process parses in ``folder`` (the build cache's) and take those
    kept there before. The first folder a process names is the one it keeps."""
    _KEPT.keep_in(folder)


def pyphen_for(dictionary: Path, *, left: int, right: int) -> pyphen.Pyphen:
    """``pyphen.Pyphen`` of the ``dictionary`` file, its patterns parsed once for every process
    that keeps them in the same folder (:func:`keep_parsed_patterns`)."""
    if dictionary not in pyphen.hdcache:
        parsed = _KEPT.load(dictionary)
        if isinstance(parsed, pyphen.HyphDict):
            pyphen.hdcache[dictionary] = parsed
    kept = dictionary in pyphen.hdcache
    hyphenator = pyphen.Pyphen(filename=dictionary, left=left, right=right)
    if not kept:
        _KEPT.keep(dictionary, pickle.dumps(hyphenator.hd, protocol=pickle.HIGHEST_PROTOCOL))
    return hyphenator
