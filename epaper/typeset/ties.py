"""Words a headline, deck or caption keeps on one line, where that costs it no line.

A reader takes some pairs of words as one, and a line that parts them reads wrong to a subeditor:
a figure and what it counts ("$412 / million", "4,200 / करोड़", "31 / years"); a Hindi postposition
or particle and the word it follows ("गाँवों / को": a line that begins with "को" or "की" strands
it); an article and its noun ("after a / decade"). Ragged text (:func:`epaper.typeset.set_plain`)
is set again with a cost on each such break (:data:`TIE_PENALTY`), in exactly as many lines as
without (Knuth–Plass only: first fit takes the first break that fits); body text, justified, is not
touched (its spaces are what justifies it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["TIE_PENALTY", "broken_ties", "tied"]

# Far above what ragged lines' own demerits weigh (they stretch freely): a tie is broken only where
# every other way is much worse, e.g. a word alone on a short line.
TIE_PENALTY = 1000

_FIGURE = re.compile(r"^[(\[\u2018\u201c]?[$\u20b9\u20ac\u00a3]?[0-9\u0966-\u096f]"
                     r"(?:[0-9\u0966-\u096f.,:/]*[0-9\u0966-\u096f])?$")
# After a figure these read fine on the next line ("64 / in Tessaly", "120,000 / in Lusamba").
_LITTLE_WORDS = frozenset("a an and as at by for from in into of on or than the to with".split())
# Hindi's postpositions and particles, which go with the word before them.
_POSTPOSITIONS = frozenset("को का की के में से पर ने तक भी ही".split())
_ARTICLES = frozenset({"a", "an", "the"})


def tied(before: str, after: str) -> bool:
    """Whether a line should not end in ``before`` when ``after`` begins the next."""
    if after.rstrip(",.;:!?।") in _POSTPOSITIONS:
        return True
    if before.lower() in _ARTICLES:
        return True
    return bool(_FIGURE.match(before)) and after[:1].isalpha() and after.lower() not in _LITTLE_WORDS


def broken_ties(lines: Sequence[str]) -> int:
    """How many of the ties between ``lines`` (each a line's text) they break."""
    words = [line.split() for line in lines]
    return sum(bool(ending and beginning) and tied(ending[-1], beginning[0])
               for ending, beginning in zip(words, words[1:]))
