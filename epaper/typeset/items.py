"""The line-breaking vocabulary: boxes, glue and penalties (Knuth & Plass, 1981).

A paragraph is turned into a sequence of these items by :mod:`epaper.typeset.paragraph`; a breaker
(:mod:`~epaper.typeset.knuth_plass` or :mod:`~epaper.typeset.greedy`) chooses where lines end. The
breakers see only widths and penalties, so either can replace the other without touching layout or
rendering.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

INFINITE_PENALTY = 10_000  # a penalty this high forbids a break; this low (negated) forces one


@dataclass(frozen=True)
class Box:
    """Unbreakable material (a word or word fragment) of natural ``width``.

    ``payload`` is whatever the paragraph builder needs to draw the box later (a shaped fragment);
    the breakers never look at it. ``stretch`` and ``shrink`` are what its letters may give by
    letter spacing and glyph scaling (:mod:`epaper.typeset.microtype`); 0 for a box set as is.
    """

    width: float
    payload: object = None
    stretch: float = 0.0
    shrink: float = 0.0


@dataclass(frozen=True)
class Glue:
    """Space that can stretch or shrink; a legal break point when it follows a box."""

    width: float
    stretch: float
    shrink: float


@dataclass(frozen=True)
class Penalty:
    """A possible break with a cost. ``flagged`` marks hyphen breaks (adjacent ones cost extra);
    ``width`` is material added only if the line breaks here (the hyphen itself)."""

    width: float
    penalty: float
    flagged: bool = False


Item = Box | Glue | Penalty

LineWidths = Callable[[int], float]
"""Width available to line *n* (0-based). Lets lines beside a drop cap or photo be shorter."""


@dataclass(frozen=True)
class LineBreak:
    """One chosen break: the item index the line ends at and how the line's glue was adjusted.

    ``ratio`` is the adjustment ratio r of Knuth–Plass: 0 = natural spacing, 1 = glue stretched by
    its full stretchability, -1 = fully shrunk. ``demerits`` is the cost the breaker charged.
    """

    position: int
    ratio: float
    demerits: float = 0.0
    hyphenated: bool = False


@dataclass(frozen=True)
class BreakResult:
    breaks: tuple[LineBreak, ...]
    total_demerits: float
    emergency: bool = False  # True if no feasible set of breaks existed within tolerance
    # Lines (0-based) whose material cannot fit even fully shrunk: only ever a segment with no legal
    # break inside it (an overlong word or URL). The caller must split or scale that box; see
    # :func:`epaper.typeset.knuth_plass.overlong_boxes`.
    overfull_lines: tuple[int, ...] = ()
    # Lines set looser than the breaker's tolerance (emergency results only), including lines that
    # had nothing to stretch; their ``ratio`` is still the true ratio (0 when nothing can stretch).
    underfull_lines: tuple[int, ...] = ()

    @property
    def line_count(self) -> int:
        return len(self.breaks)

    @property
    def positions(self) -> tuple[int, ...]:
        """The item index each line ends at."""
        return tuple(b.position for b in self.breaks)


class LineBreaker(Protocol):
    def __call__(self, items: Sequence[Item], line_width: LineWidths, *, looseness: int = 0) -> BreakResult: ...


@dataclass(frozen=True)
class ConstantWidth:
    """Every line has the same width. A :data:`LineWidths` the breakers can recognise: lines from
    ``uniform_from`` on all share one width, which lets Knuth–Plass merge otherwise separate states."""

    width: float
    uniform_from: int = 0

    def __call__(self, _line: int) -> float:
        return self.width


@dataclass(frozen=True)
class ShapedWidths:
    """The first lines have their own widths (beside a drop cap or photo), the rest share ``rest``."""

    first: tuple[float, ...]
    rest: float

    @property
    def uniform_from(self) -> int:
        return len(self.first)

    def __call__(self, line: int) -> float:
        return self.first[line] if line < len(self.first) else self.rest


def constant_width(width: float) -> LineWidths:
    return ConstantWidth(width)
