"""Whitespace rules for text as the desk wrote it.

Typography is kept exactly (curly quotes, dashes, no-break spaces); only the layout-meaningless
whitespace of source files is tidied: runs of ordinary spaces, tabs and newlines become one space,
and the ends are trimmed. U+00A0 and U+202F are deliberate (numbers and units, "M. Dupont") and
must survive, which is why ``str.split()`` (it splits on them) is never used here.
"""

from __future__ import annotations

import re

__all__ = ["collapse_spaces"]

# Ordinary source whitespace only. Deliberately absent: U+00A0, U+202F, U+2007 (no-break spaces),
# U+2009/U+200A (thin spaces an editor chose), U+200B-U+200D (zero-width marks the shaper needs).
_COLLAPSIBLE = re.compile(r"[ \t\n\f\v\u2028\u2029]+")


def collapse_spaces(text: str) -> str:
    return _COLLAPSIBLE.sub(" ", text).strip(" ")
