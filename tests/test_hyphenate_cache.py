"""Hyphenation patterns parsed once for the processes after (epaper.typeset._pyphen_compat), and the
two names of pyphen's it relies on: a pyphen release that changes them fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyphen

_PARSES = """
import sys
from pathlib import Path
import pyphen
from epaper.typeset import _pyphen_compat
parsed, parse = [], pyphen.HyphDict.__init__
pyphen.HyphDict.__init__ = lambda self, path: (parsed.append(path), parse(self, path))[1]
_pyphen_compat.keep_parsed_patterns(Path(sys.argv[1]))
hyphenator = _pyphen_compat.pyphen_for(pyphen.LANGUAGES["en_US"], left=2, right=3)
print(len(parsed), hyphenator.inserted("newspaperman"))
"""


def _run(folder: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _PARSES, str(folder)], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_pyphen_still_keeps_what_it_parsed_by_path_in_hdcache():
    dictionary = pyphen.LANGUAGES["en_US"]
    parsed = pyphen.HyphDict(dictionary)
    saved = pyphen.hdcache.pop(dictionary, None)
    try:
        pyphen.hdcache[dictionary] = parsed
        assert pyphen.Pyphen(filename=dictionary).hd is parsed
    finally:
        pyphen.hdcache.pop(dictionary, None)
        if saved is not None:
            pyphen.hdcache[dictionary] = saved


def test_patterns_parsed_by_one_process_are_taken_by_the_next(tmp_path):
    first, second = _run(tmp_path), _run(tmp_path)
    assert first[0] == "1" and second[0] == "0"
    assert first[1] == second[1] == pyphen.Pyphen(lang="en_US", left=2, right=3).inserted("newspaperman")
    [kept] = tmp_path.glob("*.pickle")
    kept.write_bytes(b"not a pickle")  # damaged: parsed again and kept anew
    assert _run(tmp_path)[0] == "1" and _run(tmp_path)[0] == "0"
