"""Characters no page can print: lone surrogates (an error) and control characters (removed, with a warning).

Runs over every text value of a parsed file (and every key) before any field is read, so no later
check meets them: a NUL in a body would otherwise print as a missing glyph, and a lone surrogate
(JSON allows ``"\\ud83d"``) cannot even be written to a UTF-8 file.
"""

from __future__ import annotations

import re
from typing import Any

from epaper.ingest.problems import ProblemLog

__all__ = ["clean_text", "clean_values"]

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls, DEL. Tab and newline are ordinary source whitespace (collapsed later); \v and
# \f too (text.collapse_spaces turns them into spaces).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


# Fields holding a file path: removing a character from a path would point at another file, so they
# are left as they are for the image check to refuse.
_PATH_FIELDS = ("src", "image")


def clean_values(value: Any, file: str, problems: ProblemLog, path: str = "") -> Any:
    """``value`` with control characters removed; each finding a problem naming its field path."""
    if isinstance(value, str):
        if path.rpartition(".")[2] in _PATH_FIELDS:
            return value
        return clean_text(value, file, path, problems)
    if isinstance(value, list):
        return [clean_values(item, file, problems, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            name = clean_text(key, file, f"{path}.{key}" if path else key, problems)
            cleaned[name] = clean_values(item, file, problems, f"{path}.{name}" if path else name)
        return cleaned
    return value


def clean_text(text: str, file: str, field: str, problems: ProblemLog) -> str:
    if _SURROGATE.search(text):
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _SURROGATE.findall(text)}))
        problems.add(file, field, f"holds half of a character ({codes}, a lone UTF-16 surrogate)",
                     "the text was damaged in conversion: retype or re-export it")
        text = _SURROGATE.sub("", text)
    if _CONTROL.search(text):
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(text)}))
        problems.warn(file, field, f"holds invisible control characters ({codes}); they were removed",
                      "delete them from the source text (they often come from copying out of other programs)")
        text = _CONTROL.sub("", text)
    return text
