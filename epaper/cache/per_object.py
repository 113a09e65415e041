"""A function of a frozen object remembered for that object while it lives (:func:`per_object`).

The records between stages are frozen, and a build asks some questions of the same object again and
again (a story's fingerprint: when deciding what a save changed, when locking pages, when writing
``plan.json``). They are remembered by the object's identity, not by hashing it (hashing a frozen
dataclass hashes every field), and forgotten when it is collected, so its id may be taken again.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

__all__ = ["per_object"]

_Result = TypeVar("_Result")


def per_object(function: Callable[[Any], _Result]) -> Callable[[Any], _Result]:
    """``function`` of one argument, called once per argument object (which must take weak
    references: a dataclass without ``slots`` does) and remembered while that object lives."""
    known: dict[int, tuple[weakref.ref, _Result]] = {}

    @wraps(function)
    def remembered(value: Any) -> _Result:
        number = id(value)
        found = known.get(number)
        if found is not None and found[0]() is value:
            return found[1]
        result = function(value)
        known[number] = (weakref.ref(value, lambda _: known.pop(number, None)), result)
        return result

    return remembered
