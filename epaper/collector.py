"""Python's cycle collector paused while a process makes objects that live as long as it does.

Importing a command's modules (modules, classes, tables: ~0.3 s, about a tenth of it spent in
collections walking what was just made) and typesetting a whole edition (hundreds of thousands of
small immutable objects in its caches: items, set lines; on the sample edition collections were a
third to a half of typesetting time) make objects that form no reference cycles and stay. So the
collector is paused meanwhile; before it resumes, every object tracked then is frozen
(:func:`gc.freeze`), so no later collection walks them either (the first one after typesetting
would otherwise walk every one of them: a tenth of a second and more on a whole edition).
Reference counting still frees them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["cycle_collector_paused"]


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """The collector paused for the block, and what was tracked then frozen (see the module). A
    collector paused by the caller stays paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
