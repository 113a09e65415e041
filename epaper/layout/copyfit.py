"""Copyfit: every height an article can take at a given width, and what each costs editorially.

The cascade, cheapest first: the natural module (largest headline of its tier, deck, photo at its
natural crop) → the photo cropped deeper or shallower within its aspect limits → the deck dropped →
the photo dropped → a headline one tier smaller (used to avoid tombstones) → a short story set as a
brief under a small head (to fill a small gap) → a jump (decided by placement). Text is never cut and body type never changes: every fit sets all the article's lines.

Heights are measured, not estimated: each fit's rows come from the typeset lines of the article at
that width. Fits are computed once per article and width and kept for the whole edition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from epaper.formats import PageFormat
from epaper.layout.module import ModuleDesign, design_module, photo_row_range
from epaper.model import Article

__all__ = ["Fit", "FitCatalog", "JUMP_AFTER_LINES", "JUMP_BEFORE_LINES"]

NO_DECK_COST = 15
NO_PHOTO_COST = 45
SMALLER_HEADLINE_COST = 25
BRIEF_COST = 20
BRIEF_MAX_LINES = 30     # a story this short (at one column) may run as a brief under a small head
BRIEF_MIN_PRIORITY = 3   # ... unless it matters more than that
PHOTO_CROP_COST = 2.0  # per row and column the photo's crop moves away from its natural proportions

JUMP_BEFORE_LINES = math.ceil(4 * 72 / 10.5)   # at least 4 column inches before a jump
JUMP_AFTER_LINES = math.ceil(6 * 72 / 10.5)    # and 6 after it


@dataclass(frozen=True)
class Fit:
    """One achievable shape: the design, the photo crop (rows), the module's rows and the cost."""

    rows: int
    photo_rows: int | None
    cost: float
    design: ModuleDesign
    adjustments: tuple[str, ...]


def _item_key(item) -> tuple[str, int]:
    """Articles by id; the continuation of a jump by id and the line it starts at."""
    start = getattr(item, "line_start", None)
    article = getattr(item, "article", item)
    return (article.id, -1 if start is None else start)


class FitCatalog:
    """Fits for every story and width, measured once per edition."""

    def __init__(self, fmt: PageFormat, breaker: str):
        self.fmt = fmt
        self.breaker = breaker
        self._fits: dict[tuple, tuple[Fit, ...]] = {}
        self._jump_windows: dict[tuple, tuple[int, int] | None] = {}

    def _design(self, article: Article, cols: int, **options) -> ModuleDesign:
        return design_module(article, cols, self.fmt, breaker=self.breaker, **options)

    def line_count(self, item) -> int:
        article = getattr(item, "article", item)
        return len(self._design(article, 1).body)

    def fits(self, item, cols: int) -> tuple[Fit, ...]:
        key = (_item_key(item), cols)
        found = self._fits.get(key)
        if found is None:
            found = self._fits[key] = self._measure(item, cols)
        return found

    def natural(self, item, cols: int) -> Fit:
        """The article as it comes: the fit with no adjustments (the cheapest)."""
        return min(self.fits(item, cols), key=lambda f: (f.cost, f.rows))

    def jump_window(self, article: Article, cols: int) -> tuple[int, int] | None:
        """The module heights (rows) at which the article could jump within the jump rules."""
        key = (article.id, cols)
        if key not in self._jump_windows:
            design = self.natural(article, cols).design
            total = len(design.body)
            heights = [rows for rows in range(design.fixed_rows + 2, design.natural_rows)
                       if design.capacity(rows, reserved_lines=1) >= JUMP_BEFORE_LINES
                       and total - design.capacity(rows, reserved_lines=1) >= JUMP_AFTER_LINES]
            self._jump_windows[key] = (heights[0], heights[-1]) if heights else None
        return self._jump_windows[key]

    def _measure(self, item, cols: int) -> tuple[Fit, ...]:
        article: Article = getattr(item, "article", item)
        if hasattr(item, "line_start"):  # a continuation: jump head, the rest of the lines, no photo
            design = self._design(article, cols, jump_head=True)
            lines = len(design.body) - item.line_start
            return (Fit(design.rows_for(lines, extra_lines=1), None, 0.0, design, ()),)
        base = self._design(article, cols)
        variants: list[tuple[ModuleDesign, float, tuple[str, ...]]] = [(base, 0.0, ())]
        if base.header.deck is not None:
            variants.append((self._design(article, cols, with_deck=False), NO_DECK_COST, ("deck dropped",)))
        if base.photo is not None:
            variants.append((self._design(article, cols, with_photo=False), NO_PHOTO_COST, ("photo dropped",)))
            if base.header.deck is not None:
                variants.append((self._design(article, cols, with_photo=False, with_deck=False),
                                 NO_PHOTO_COST + NO_DECK_COST, ("photo dropped", "deck dropped")))
        if base.header.tier < max(self.fmt.tiers):
            smaller = self._design(article, cols, tier=base.header.tier + 1)
            if smaller.header.headline_size != base.header.headline_size:
                variants.append((smaller, SMALLER_HEADLINE_COST,
                                 (f"headline {base.header.headline_size:g} → {smaller.header.headline_size:g} pt",)))
        if len(base.body) <= BRIEF_MAX_LINES and article.priority >= BRIEF_MIN_PRIORITY:
            variants.append((self._design(article, cols, brief=True), BRIEF_COST, ("set as a brief",)))
        best: dict[tuple[int, float], Fit] = {}
        for design, cost, notes in variants:
            for fit in self._crops(design, cost, notes):
                key = (fit.rows, design.header.headline_size)
                if key not in best or fit.cost < best[key].cost:
                    best[key] = fit
        return tuple(sorted(best.values(), key=lambda f: (f.rows, f.cost)))

    def _crops(self, design: ModuleDesign, cost: float, notes: tuple[str, ...]) -> list[Fit]:
        lines = len(design.body)
        if design.photo is None:
            return [Fit(design.rows_for(lines), None, cost, design, notes)]
        natural = design.photo.rows
        lo, hi = photo_row_range(design, self.fmt)
        fits = []
        for rows in range(min(lo, natural), max(hi, natural) + 1):
            if design.leaves_hole(lines, photo_rows=rows):
                continue
            moved = abs(rows - natural)
            crop_note = (f"photo cropped to {rows} rows (natural {natural})",) if moved else ()
            fits.append(Fit(design.rows_for(lines, photo_rows=rows), rows,
                            cost + moved * design.photo.cols * PHOTO_CROP_COST, design, notes + crop_note))
        return fits
