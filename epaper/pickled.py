"""One field of a frozen record kept pickled until something reads it.

A page frame's items and a set text block's lines are most of their records' bytes, and most
records read back from the build cache are never looked at that closely: a replate reads every page
and every section it does not make again, to write the edition's files, and draws none of them. So
:class:`~epaper.frame.Page` and :class:`~epaper.typeset.TextBlock` are :class:`KeptPickled`: they
pickle that field as bytes of its own (:func:`keep_pickled`), keep the bytes when unpickled
(:func:`take_pickled`) and unpickle them on the first read (:func:`read_pickled`, from
``__getattr__``, which Python calls only for a name the instance does not hold). Pickled again
unread (sent to a worker), the bytes go as they came.
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

__all__ = ["KeptPickled", "keep_pickled", "read_pickled", "take_pickled"]

PROTOCOL = 5


@dataclass(frozen=True)
class _Pickled:
    """A field's value as pickle bytes, inside its record's pickle."""

    data: bytes


def _held(name: str) -> str:
    return f"_{name}_pickled"  # where an instance holds the field's bytes until it is read


def keep_pickled(state: dict[str, Any], record: object, name: str) -> None:
    """In ``state`` (``record``'s, for pickling), field ``name`` as its pickle bytes: those the
    record came with if it was never read, else made now."""
    data = state.pop(_held(name), None)
    if data is None:
        data = pickle.dumps(getattr(record, name), PROTOCOL)
    state[name] = _Pickled(data)


def take_pickled(state: dict[str, Any], name: str) -> None:
    """``state`` (being unpickled) with field ``name``'s bytes held for :func:`read_pickled`."""
    value = state.get(name)
    if isinstance(value, _Pickled):
        state[_held(name)] = state.pop(name).data


def read_pickled(record: object, name: str) -> Any:
    """Field ``name`` of ``record`` (``record.__getattr__`` asks: it is not in the instance),
    unpickled from the bytes held now and kept. Two threads reading at once get the same value
    (a dict's setdefault is atomic); one finding the bytes gone finds the value. Raises
    AttributeError for a field that is neither."""
    fields = record.__dict__
    data = fields.get(_held(name))
    if data is not None:
        value = fields.setdefault(name, _unpickled(name, data))
        fields.pop(_held(name), None)
        return value
    if name in fields:
        return fields[name]
    raise AttributeError(f"{type(record).__name__!r} object has no attribute {name!r}")


def _unpickled(name: str, data: bytes) -> Any:
    return pickle.loads(data)


class KeptPickled:
    """A record (a frozen dataclass) whose field ``pickled_field`` is kept pickled until read. A
    subclass adding to its pickle extends :meth:`__getstate__`."""

    pickled_field: ClassVar[str]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        keep_pickled(state, self, self.pickled_field)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        take_pickled(state, self.pickled_field)
        self.__dict__.update(state)

    def same_as(self, other: object) -> bool:
        """``self == other``, unpickling the field only when every other field is equal (a record
        that differs mostly differs there too: another page's regions name other stories), and
        not even then where both hold it as the same bytes (equal bytes are an equal value).
        (``epaper build-night`` asks which pages of its editions are the same; read back from the
        build cache for a replate, a page's items took 10–30 ms to unpickle, ~3 s of a replate in a
        night of 21 editions, mostly to find two pages of a number different.)"""
        if self is other:
            return True
        if type(other) is not type(self) or not all(
                getattr(self, f.name) == getattr(other, f.name)
                for f in dataclasses.fields(self) if f.name != self.pickled_field):  # type: ignore[arg-type]
            return False
        held = _held(self.pickled_field)
        data = self.__dict__.get(held)
        if data is not None and data == other.__dict__.get(held):
            return True
        return getattr(self, self.pickled_field) == getattr(other, self.pickled_field)

    if not TYPE_CHECKING:  # the type checker goes on rejecting a misspelt attribute
        def __getattr__(self, name: str) -> Any:  # only for a name the instance does not hold
            if name == self.pickled_field:
                return read_pickled(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
