"""Copyfit: every height an article can take at a given width, and what each costs editorially.

The cascade, cheapest first: the natural module (largest headline of its tier, deck, photo at its
natural crop) → the photo cropped deeper or shallower within its aspect limits → the photo a column
narrower, or the deck dropped → the photo across a single column → the photo dropped → the next
smaller headline size of its tier (also a way out of tombstones) → a story without a photo stacks
its headline a line deeper → a pull quote (a few rows deeper) or a
short story set as a brief under a small head (to fill a small gap) → a jump (decided by
placement). (A hole placement still leaves takes a quotation: :mod:`.fillers`.) Text is never cut
and body type never changes: every fit sets all the article's lines.

Heights are measured, not estimated: each fit's rows come from the typeset lines of the article at
that width. Fits are computed once per article and width and kept for the whole edition.

Each fit also carries its column legs (:attr:`Fit.legs`: the lines in each column, any paragraph
re-set at a column break, the widows and orphans left), so placement can prefer a clean shape. A
placed part's legs are these with any hyphen at a column foot re-broken away
(:meth:`FitCatalog.part_legs`; that moves no break and changes no fault, and is costly, so only
placed parts have it done); composition draws exactly those. Where a shape's columns are exactly full and no break can move, the module one row
deeper is offered too, filled by a paragraph set a line longer (or one row shallower, a paragraph a
line shorter), when that clears the faults: the breaks are chosen, no hole is left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import islice

from epaper.formats import PageFormat
from epaper.layout.columns import Rebreak, balanced_legs, body_rebreaker, fill_legs, fills, settle_hyphens
from epaper.layout.module import MIN_LINES_UNDER_PHOTO, ModuleDesign, design_module, photo_row_range
from epaper.layout.plan import Continuation, Legs, StoryPart, story_of
from epaper.model import Article
from epaper.typeset import SetLine

__all__ = ["FAULT_COST", "Fit", "FitCatalog", "JumpRule", "can_jump_after", "jump_rule"]

NO_DECK_COST = 15
NO_PHOTO_COST = 45
NARROWER_PHOTO_COST = 12  # per column the photo spans fewer than its natural span: printed smaller, not left out
SMALLER_HEADLINE_COST = 25
BRIEF_COST = 20
PULL_QUOTE_COST = 40     # a quotation pulled out large to make a module a few rows deeper: a small gap filled
SMALL_JUMP_HEAD_COST = 30
BRIEF_MAX_LINES = 30     # a story this short (at one column) may run as a brief under a small head
BRIEF_MIN_PRIORITY = 3   # ... unless it matters more than that
STACKED_HEADLINE_COST = 50  # the headline set a line deeper, on a narrower measure
PHOTO_CROP_COST = 2.0  # per row and column the photo's crop moves away from its natural proportions
RESET_COST = 3           # a paragraph set a line longer or shorter to fill a row more or less
FAULT_COST = 700          # each widow or orphan a fit's column breaks leave: a rule breach, dearer to placement than
                          # a tombstone or a hundred empty grid cells (across the sample and 8 generated editions
                          # 150 left 7, 400 left 5, 700 left 1, with no more stories left out)

JUMP_HEAD_ROWS = 4       # rows a continuation's jump head takes, near enough (for natural_area)
JUMP_WASTE_COST = 10   # each line of room left unused above a jump
JUMP_ENDS = 4          # jump points tried per height (the last clean lines before the jump line)

JUMP_BEFORE_INCHES = 4  # a jumped story runs at least 4 column inches before its jump
JUMP_AFTER_INCHES = 6   # and 6 after it


@dataclass(frozen=True)
class JumpRule:
    """The jump rule in body lines of a page format."""

    before: int
    after: int


@dataclass(frozen=True)
class _Crop:
    """A photo's crop in rows (None: a design without a photo), what moving it costs, and the note."""

    rows: int | None
    cost: float = 0.0
    notes: tuple[str, ...] = ()


def jump_rule(fmt: PageFormat) -> JumpRule:
    def lines(inches: float) -> int:
        return math.ceil(inches * 72 / fmt.baseline)

    return JumpRule(before=lines(JUMP_BEFORE_INCHES), after=lines(JUMP_AFTER_INCHES))


def can_jump_after(line: SetLine) -> bool:
    """A jump may follow this line: not a paragraph's last line, and not one broken at a hyphen
    (one the breaker added, or one written in the word, "long-")."""
    return not (line.last_of_paragraph or line.hyphenated or line.text.endswith(("-", "\u2010", "\u00ad")))


@dataclass(frozen=True)
class Fit:
    """One achievable shape: the design, the photo crop (rows), the module's rows, the cost and
    the column legs its body runs in (the placement made from it carries them to composition)."""

    rows: int
    photo_rows: int | None
    cost: float
    design: ModuleDesign
    adjustments: tuple[str, ...]
    legs: Legs

    @property
    def faults(self) -> int:
        """Widows and orphans its column breaks leave."""
        return self.legs.faults

    @property
    def weight(self) -> float:
        """The editorial cost with the typographic faults: what choosing between fits compares."""
        return self.cost + FAULT_COST * self.faults


def _item_key(item: StoryPart) -> tuple[str, int]:
    """Articles by id; the continuation of a jump by id and the line it starts at."""
    if isinstance(item, Continuation):
        return (item.article.id, item.line_start)
    return (item.id, -1)


class FitCatalog:
    """Fits for every story and width, measured once per edition."""

    def __init__(self, fmt: PageFormat, breaker: str):
        self.fmt = fmt
        self.breaker = breaker
        self.jumps = jump_rule(fmt)
        self._fits: dict[tuple, tuple[Fit, ...]] = {}
        self._natural: dict[tuple, Fit] = {}
        self._jump_windows: dict[tuple, tuple[int, int] | None] = {}
        self._legs: dict[tuple, tuple[ModuleDesign, Legs]] = {}
        self._jump_legs: dict[tuple, tuple[ModuleDesign, Legs]] = {}
        self._part_legs: dict[tuple, tuple[ModuleDesign, Legs]] = {}
        self._designs: dict[tuple, ModuleDesign] = {}
        self._heights: dict[tuple, tuple[int, ...]] = {}
        self._jump_fits: dict[tuple, tuple[tuple[Fit, int], ...]] = {}

    def _design(self, article: Article, cols: int, **options) -> ModuleDesign:
        # Keyed by the article's id: design_module's own cache hashes the whole article and format
        # (every paragraph and style) on each call, and copyfit asks tens of thousands of times.
        key = (article.id, cols, tuple(sorted(options.items())))
        found = self._designs.get(key)
        if found is None:
            found = self._designs[key] = design_module(article, cols, self.fmt, breaker=self.breaker, **options)
        return found

    def line_count(self, item: StoryPart) -> int:
        return len(self._design(story_of(item), 1).body)

    def fits(self, item: StoryPart, cols: int) -> tuple[Fit, ...]:
        key = (_item_key(item), cols)
        found = self._fits.get(key)
        if found is None:
            found = self._fits[key] = self._measure(item, cols)
            self._natural[key] = min(found, key=lambda f: (f.cost, f.rows))
        return found

    def heights(self, item: StoryPart, cols: int) -> tuple[int, ...]:
        """The module heights (rows) the item's fits at this width take, shallowest first."""
        key = (_item_key(item), cols)
        found = self._heights.get(key)
        if found is None:
            found = self._heights[key] = tuple(sorted({f.rows for f in self.fits(item, cols)}))
        return found

    def natural_area(self, item: StoryPart, cols: int) -> int:
        """Grid cells the story part takes as it comes at this width, from its design alone (no
        column breaks worked out: a quick measure of how much copy there is)."""
        if isinstance(item, Continuation):  # its lines and a jump head's few rows
            return self.line_count(item.article) - item.line_start + JUMP_HEAD_ROWS
        return self._design(item, cols).natural_rows * cols

    def natural(self, item: StoryPart, cols: int) -> Fit:
        """The article as it comes: the fit with no adjustments (the cheapest, faults aside)."""
        self.fits(item, cols)
        return self._natural[(_item_key(item), cols)]

    def _rebreaker(self, design: ModuleDesign, start: int, end: int | None) -> Rebreak:
        """How a paragraph of the part from line ``start`` (to ``end``, the jump, or the story's
        end) may be set again: a jump's parts keep their 4 and 6 column inches when a paragraph is
        set a line shorter."""
        if end is not None:
            return body_rebreaker(design.body, start, end, shortest=self.jumps.before)
        return body_rebreaker(design.body, start, shortest=self.jumps.after if start else 0)

    def legs(self, design: ModuleDesign, start: int, photo_rows: int | None, depth: int) -> Legs:
        """The column legs of the body from line ``start`` to its end in ``design`` at ``depth`` rows
        below the header (a continuation from a jump when ``start`` > 0), as measured for a fit
        (hyphens at column feet not yet re-broken: :meth:`part_legs`)."""
        extra_first = 1 if start else 0  # a continuation opens with "Continued from page M"
        key = (id(design.body), start, design.cols, design.body_offsets(extra_first, photo_rows=photo_rows), depth)
        found = self._legs.get(key)
        if found is None:
            legs = balanced_legs(design.body.lines[start:], design.cols, key[3], self._rebreaker(design, start, None),
                                 depth=depth, settle=False)
            found = self._legs[key] = (design, legs)  # the design keeps the body (and its id) alive
        return found[1]

    def part_legs(self, design: ModuleDesign, start: int, end: int, photo_rows: int | None, rows: int,
                  jumps: bool) -> Legs:
        """The legs a placed story part ``rows`` tall holding body lines ``start`` to ``end`` carries
        (the part before a jump if ``jumps``, else a whole story or a continuation): the legs its fit
        was measured with, each hyphen at a column foot re-broken away where its paragraph allows."""
        key = (id(design), start, end, photo_rows, rows, jumps)
        found = self._part_legs.get(key)
        if found is None:
            if jumps:
                measured = self.jump_legs(design, rows, photo_rows, end)
            else:
                measured = self.legs(design, start, photo_rows, rows - 1 - design.fixed_rows)
            legs = settle_hyphens(design.body.lines[start:end], measured,
                                  self._rebreaker(design, start, end if jumps else None))
            found = self._part_legs[key] = (design, legs)
        return found[1]

    def headline_choices(self, article: Article, cols: int) -> list[tuple[ModuleDesign, float, tuple[str, ...]]]:
        """The natural design and, if its tier has a smaller headline size, that one (its cost and
        note): the way out of a tombstone for a story whose shape is otherwise fixed, such as a jump."""
        design = self.natural(article, cols).design
        choices: list[tuple[ModuleDesign, float, tuple[str, ...]]] = [(design, 0.0, ())]
        smaller = self._smaller_headline(article, cols, design)
        if smaller is not None:
            choices.append(smaller)
        return choices

    def _smaller_headline(self, article: Article, cols: int, base: ModuleDesign):
        if base.brief or base.jump_head:
            return None
        smaller = self._design(article, cols, tier=base.header.tier, headline_step=1,
                               with_photo=base.photo is not None, with_deck=base.header.deck is not None,
                               photo_cols=base.options.photo_cols)
        if smaller.header.headline_size == base.header.headline_size:
            return None
        return (smaller, SMALLER_HEADLINE_COST,
                (f"headline {base.header.headline_size:g} → {smaller.header.headline_size:g} pt",))

    def jump_window(self, article: Article, cols: int) -> tuple[int, int] | None:
        """The module heights (rows) at which the article could jump within the jump rules."""
        key = (article.id, cols)
        if key not in self._jump_windows:
            natural = self.natural(article, cols)
            design, crop = natural.design, natural.photo_rows
            total = len(design.body)
            # The photo and its caption stay inside the module: the part before the jump is at
            # least as deep as the deepest column start.
            shallowest = design.fixed_rows + 1 + max(max(design.body_offsets(photo_rows=crop)), 1)
            heights = [rows for rows in range(shallowest, design.natural_rows)
                       if design.capacity(rows, reserved_lines=1, photo_rows=crop) >= self.jumps.before
                       and total - design.capacity(rows, reserved_lines=1, photo_rows=crop) >= self.jumps.after]
            self._jump_windows[key] = (heights[0], heights[-1]) if heights else None
        return self._jump_windows[key]

    def jump_rows_for(self, article: Article, cols: int, least: int) -> int | None:
        """The shallowest module height (rows) in the article's jump window that sets at least
        ``least`` body lines before the jump; None if no height in the window does."""
        window = self.jump_window(article, cols)
        if window is None:
            return None
        natural = self.natural(article, cols)
        return next((rows for rows in range(window[0], window[1] + 1)
                     if natural.design.capacity(rows, reserved_lines=1, photo_rows=natural.photo_rows) >= least), None)

    def jump_fits(self, article: Article, cols: int, rows: int, jump_cost: float) -> tuple[tuple[Fit, int], ...]:
        """The article ``rows`` tall, jumping (placement decides whether it does and what a jump
        costs): for its natural headline and, if its tier has one, the next smaller size, the fit
        and the line after which it jumps. Within the jump rules: at least 4 column inches before
        the jump and 6 after, never after a hyphenated line or a paragraph's end; of the last few
        such points that fit, the one whose column breaks leave the fewest widows and orphans,
        against the room it leaves unused above the "Continued on page N" line."""
        key = (article.id, cols, rows, jump_cost)
        found = self._jump_fits.get(key)
        if found is None:
            found = self._jump_fits[key] = tuple(self._jump_fits_at(article, cols, rows, jump_cost))
        return found

    def _jump_fits_at(self, article: Article, cols: int, rows: int, jump_cost: float) -> list[tuple[Fit, int]]:
        natural = self.natural(article, cols)
        out = []
        for design, head_cost, head_notes in self.headline_choices(article, cols):
            lines = design.body.lines
            crop = self._jump_crop(design, rows, natural.photo_rows)
            if crop is None:
                continue
            # The room for body lines, less the "Continued on page N" line, with the photo at that crop.
            capacity = design.capacity(rows, reserved_lines=1, photo_rows=crop.rows)
            last_end = min(capacity, len(lines) - self.jumps.after)  # 6 column inches must follow
            ends = list(islice((end for end in range(last_end, self.jumps.before - 1, -1)
                                if can_jump_after(lines[end - 1])), JUMP_ENDS))
            if not ends:
                continue
            end, legs = ends[0], None
            for candidate in ends:
                found = self.jump_legs(design, rows, crop.rows, candidate)
                if legs is None or (found.faults * FAULT_COST + (capacity - candidate) * JUMP_WASTE_COST
                                    < legs.faults * FAULT_COST + (capacity - end) * JUMP_WASTE_COST):
                    end, legs = candidate, found
                if not legs.faults:
                    break
            assert legs is not None  # ends is not empty
            fit = Fit(rows, crop.rows,
                      natural.cost + crop.cost + head_cost + jump_cost + (capacity - end) * JUMP_WASTE_COST, design,
                      head_notes + crop.notes + (f"jumped after {end} of {len(lines)} lines",), legs)
            out.append((fit, end))
        return out

    def _jump_crop(self, design: ModuleDesign, rows: int, natural: int | None) -> _Crop | None:
        """The photo's crop in the part before a jump, ``rows`` tall: the natural fit's (``natural``),
        unless that leaves a line or two under the photo — a leg of one line in each column below
        it, stray text, as :meth:`ModuleDesign.leaves_hole` says of a whole story — then the photo
        as much shallower as leaves :data:`MIN_LINES_UNDER_PHOTO` lines under it. None when its
        crop range allows no such crop: the part is not made that tall."""
        if design.photo is None or natural is None:
            return _Crop(natural)
        under = rows - 1 - design.fixed_rows - max(design.body_offsets(photo_rows=natural))
        if not 0 < under < MIN_LINES_UNDER_PHOTO:
            return _Crop(natural)
        shallower = natural - (MIN_LINES_UNDER_PHOTO - under)
        if shallower < photo_row_range(design, self.fmt)[0]:
            return None
        return _Crop(shallower, (natural - shallower) * design.photo.cols * PHOTO_CROP_COST,
                     (f"photo cropped to {shallower} rows (natural {natural}) to leave no stray lines under it",))

    def jump_legs(self, design: ModuleDesign, rows: int, photo_rows: int | None, end: int) -> Legs:
        """The legs of the part of a story before its jump after line ``end``, in a module ``rows``
        tall: every column filled in order, the last keeping a row free for "Continued on page N"."""
        key = (id(design), rows, photo_rows, end)
        found = self._jump_legs.get(key)
        if found is None:
            depth = rows - 1 - design.fixed_rows
            legs = fill_legs(design.body.lines[:end], depth, design.body_offsets(photo_rows=photo_rows),
                             self._rebreaker(design, 0, end), reserved=1, settle=False)
            found = self._jump_legs[key] = (design, legs)
        return found[1]

    def _measure(self, item: StoryPart, cols: int) -> tuple[Fit, ...]:
        if isinstance(item, Continuation):  # a jump head, the rest of the lines, no photo
            article = item.article
            fits = self._shapes(self._design(article, cols, jump_head=True), None, 0.0, (), start=item.line_start)
            # The same under a brief's head: a way out when its jump head would tombstone another.
            fits += self._shapes(self._design(article, cols, jump_head=True, brief=True), None, SMALL_JUMP_HEAD_COST,
                                 ("jump head set small",), start=item.line_start)
            return tuple(sorted(fits, key=lambda f: (f.rows, f.weight)))
        article = item
        base = self._design(article, cols)
        variants: list[tuple[ModuleDesign, float, tuple[str, ...]]] = [(base, 0.0, ())]
        if base.header.deck is not None:
            variants.append((self._design(article, cols, with_deck=False), NO_DECK_COST, ("deck dropped",)))
        if base.photo is not None:
            # Printed smaller before left out: the photo a column narrower, or a single column
            # (text runs down the columns to its left), its rows from its proportions at that width.
            for span in sorted({base.photo.cols - 1, 1} - {0}, reverse=True):
                if span < base.photo.cols:
                    variants.append((self._design(article, cols, photo_cols=span),
                                     (base.photo.cols - span) * NARROWER_PHOTO_COST,
                                     (f"photo across {span} of {cols} columns",)))
            variants.append((self._design(article, cols, with_photo=False), NO_PHOTO_COST, ("photo dropped",)))
            if base.header.deck is not None:
                variants.append((self._design(article, cols, with_photo=False, with_deck=False),
                                 NO_PHOTO_COST + NO_DECK_COST, ("photo dropped", "deck dropped")))
        smaller = self._smaller_headline(article, cols, base)
        if smaller is not None:
            variants.append(smaller)
        if cols >= 2 and base.photo is None:
            # No picture to crop: the headline stacked a line deeper is the way to add a few rows.
            stacked = self._design(article, cols, headline_lines=1)
            if len(stacked.header.headline) > len(base.header.headline):
                variants.append((stacked, STACKED_HEADLINE_COST,
                                 (f"headline on {len(stacked.header.headline)} lines",)))
        if cols >= 2:
            quoted = self._design(article, cols, pull_quote=True)
            if quoted.pull_quote is not None:
                variants.append((quoted, PULL_QUOTE_COST, ("pull quote added",)))
        if len(base.body) <= BRIEF_MAX_LINES and article.priority >= BRIEF_MIN_PRIORITY:
            variants.append((self._design(article, cols, brief=True), BRIEF_COST, ("set as a brief",)))
        # Many crops give a module the same height: only the cheapest of each height (and headline
        # size) has its column breaks worked out, which is the costly part, and the next cheapest
        # if that one leaves a widow or orphan.
        candidates: dict[tuple[int, float], list[tuple[float, ModuleDesign, int | None, tuple[str, ...]]]] = {}
        for design, cost, notes in variants:
            for rows, photo_rows, crop_cost, crop_notes in self._crops(design):
                key = (rows, design.header.headline_size)
                candidates.setdefault(key, []).append((cost + crop_cost, design, photo_rows, notes + crop_notes))
        best: dict[tuple[int, float], Fit] = {}
        for same_height in candidates.values():
            for cost, design, photo_rows, notes in sorted(same_height, key=lambda c: c[0])[:2]:
                shapes = self._shapes(design, photo_rows, cost, notes)
                for fit in shapes:
                    key = (fit.rows, design.header.headline_size)
                    if key not in best or fit.weight < best[key].weight:
                        best[key] = fit
                if not shapes[0].faults:
                    break
        return tuple(sorted(best.values(), key=lambda f: (f.rows, f.weight)))

    def _crops(self, design: ModuleDesign) -> list[tuple[int, int | None, float, tuple[str, ...]]]:
        """(module rows, photo rows, cost, notes) of every allowed crop of the design's photo."""
        lines = len(design.body)
        if design.photo is None:
            if design.pull_quote is not None and design.leaves_hole(lines):
                return []  # the quote would leave its column short, or a line or two under it
            return [(design.rows_for(lines), None, 0.0, ())]
        natural = design.photo.rows
        lo, hi = photo_row_range(design, self.fmt)
        if design.pull_quote is not None:  # the quote is the adjustment: the photo keeps its crop
            lo = hi = natural
        crops: list[tuple[int, int | None, float, tuple[str, ...]]] = []
        for rows in range(min(lo, natural), max(hi, natural) + 1):
            if design.leaves_hole(lines, photo_rows=rows):
                continue
            moved = abs(rows - natural)
            crop_note = (f"photo cropped to {rows} rows (natural {natural})",) if moved else ()
            crops.append((design.rows_for(lines, photo_rows=rows), rows, moved * design.photo.cols * PHOTO_CROP_COST,
                          crop_note))
        return crops

    def _shapes(self, design: ModuleDesign, photo_rows: int | None, cost: float, notes: tuple[str, ...],
                start: int = 0) -> list[Fit]:
        """The fit of ``design`` (at this crop) with the body's lines as set, with its widows and
        orphans; if it has some, also the module a row deeper or shallower where a paragraph set a
        line longer or shorter fills it with fewer."""
        extra = 1 if start else 0
        rows = design.rows_for(len(design.body) - start, extra_lines=extra, photo_rows=photo_rows)
        legs = self.legs(design, start, photo_rows, rows - 1 - design.fixed_rows)
        fits = [Fit(rows, photo_rows, cost, design, notes, legs)]
        if legs.faults:
            fits += [f for step in (1, -1)
                     if (f := self._reshaped(fits[0], start, step)) is not None and f.faults < legs.faults]
        return fits

    def _reshaped(self, fit: Fit, start: int, step: int) -> Fit | None:
        """``fit`` (the lines as set, from line ``start``) a row deeper (``step`` 1) or
        shallower (-1), filled in balanced legs by a paragraph set a line longer or shorter, with
        the widows and orphans of its new column breaks; None if no paragraph can be, or where the
        lines already fill that depth, or the shape breaks the crop rules (a line or two of stray
        text under a photo)."""
        design, photo_rows = fit.design, fit.photo_rows
        extra = 1 if start else 0
        total = len(design.body) - start
        depth = fit.rows - 1 - design.fixed_rows
        offsets = design.body_offsets(extra, photo_rows=photo_rows)
        if not fills(total + step, offsets, depth + step) or fills(total, offsets, depth + step):
            return None
        if (design.photo or design.pull_quote) is not None and design.leaves_hole(total + step, extra, photo_rows):
            return None
        legs = self.legs(design, start, photo_rows, depth + step)
        if (len(legs.lines) if legs.lines is not None else total) != total + step:
            return None
        note = f"a paragraph set a line {'longer' if step > 0 else 'shorter'} (no widow/orphan)"
        return Fit(fit.rows + step, photo_rows, fit.cost + RESET_COST, design, fit.adjustments + (note,), legs)
