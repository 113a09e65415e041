"""Language tags (BCP 47, the subset a newspaper uses: ``en``, ``hi``, ``mr``, ``en-GB``)."""

from __future__ import annotations

import re

__all__ = ["LANGUAGE_FIX", "is_language_tag"]

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

LANGUAGE_FIX = "use a BCP 47 language code such as en, hi, mr or en-GB"


def is_language_tag(value: str) -> bool:
    return bool(_TAG.match(value))
