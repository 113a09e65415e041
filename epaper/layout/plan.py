"""Layout's decisions as plain, frozen records: what each page holds and where.

The algorithms (:mod:`.placement`, :mod:`.gaps`, :mod:`.fillers`, :mod:`.refers`, :mod:`.lock`)
return these records and never edit one another's; :mod:`.compose` only positions what they say,
``plan.json`` is written from them (:mod:`.lock`), and the report reads them. Nothing here decides
anything: this module imports no algorithm, so every algorithm can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TypeAlias

from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.module import DesignOptions, ModuleDesign
from epaper.frame import Unplaced
from epaper.model import AdSlot, Article
from epaper.typeset import SetLine, TextBlock

__all__ = ["AdPlacement", "Continuation", "DesignOptions", "EditionPlan", "Legs", "PagePlan", "Placement", "QuoteFill", "Refer",
           "ReferBox", "StoryPart", "Unplaced", "photo_box", "story_of"]


@dataclass(frozen=True)
class Continuation:
    """The rest of a jumped story, waiting for a later page: from body line ``line_start`` on."""

    article: Article
    line_start: int
    from_page: int


StoryPart: TypeAlias = "Article | Continuation"
"""What the packer places: a whole story, or the continuation of one that jumped."""


def story_of(part: StoryPart) -> Article:
    """The article a story part belongs to."""
    return part.article if isinstance(part, Continuation) else part


def photo_box(slot: Slot, design: ModuleDesign, photo_rows: int | None) -> Slot | None:
    """The grid cells a module's picture (with its caption) takes, or None if it has none: the
    rightmost ``photo.cols`` columns, under the header (and the byline when it spans them all)."""
    photo = design.photo
    if photo is None:
        return None
    top = slot.top + design.header.rows + design.photo_top_row
    rows = (photo_rows if photo_rows is not None else photo.rows) + photo.caption_rows
    return Slot(slot.col + design.cols - photo.cols, photo.cols, top, rows)


@dataclass(frozen=True)
class Legs:
    """How many body lines go in each column, and the typographic faults left at column breaks.
    Chosen by :mod:`.columns` when copyfit measures a shape; a placement carries them and
    composition draws exactly these."""

    counts: tuple[int, ...]
    widows: int = 0
    orphans: int = 0
    hyphen_at_break: int = 0
    # Set only when a paragraph had to be re-broken (a hyphen at a column foot, a widow or orphan no
    # move of the breaks removes, a module one row deeper than its lines): the lines to draw instead
    # of the ones given (one more or one fewer when a paragraph was set with looseness ±1).
    lines: tuple[SetLine, ...] | None = None

    @property
    def depth(self) -> int:
        return max(self.counts, default=0)

    @property
    def faults(self) -> int:
        """Widows and orphans (what the page's quality figures count)."""
        return self.widows + self.orphans


@dataclass(frozen=True)
class Placement:
    """One article part on one page: its module design, grid slot, the body lines it carries and
    how they run in its columns (``legs``: measured by copyfit for this shape; in a finished page
    plan with any hyphen at a column foot re-broken away, and drawn exactly so)."""

    article: Article
    design: ModuleDesign
    slot: Slot
    line_start: int
    line_end: int
    legs: Legs
    continued_to_part: bool = False    # this part ends with "Continued on page N"
    continued_from_page: int | None = None  # this part is the continuation of a jump from that page
    photo_rows: int | None = None
    adjustments: tuple[str, ...] = ()

    @cached_property
    def photo_box(self) -> Slot | None:
        """The grid cells its picture and caption take (None without one)."""
        return photo_box(self.slot, self.design, self.photo_rows)

    @property
    def part(self) -> StoryPart:
        """The story part this places (the continuation it is, for a jump's later part)."""
        if self.continued_from_page is not None:
            return Continuation(self.article, self.line_start, self.continued_from_page)
        return self.article

    @property
    def line_count(self) -> int:
        """Body lines of the story this part is to carry (set lines, before any column re-break)."""
        return self.line_end - self.line_start

    @property
    def faults(self) -> int:
        """Widows and orphans its column legs leave."""
        return self.legs.faults


@dataclass(frozen=True)
class QuoteFill:
    """A quotation from ``article`` set in an empty ``slot`` next to the article's module."""

    article: Article
    slot: Slot
    text: TextBlock


REFER_LABEL_GAP = 2.0  # points between a refer entry's label (section and page) and its headline


@dataclass(frozen=True)
class Refer:
    """One refer-box entry: a story on another page (the section and page, the headline), set
    ``top`` points below the box's top in the box's column ``column`` (counted from the box's left)."""

    article: Article
    page: int
    where: str  # the section and page, as the label says it
    label: TextBlock
    headline: TextBlock
    column: int
    top: float

    @property
    def height(self) -> float:
        """Points the entry takes: its label, a small gap, its headline."""
        return self.label.height + REFER_LABEL_GAP + self.headline.height


@dataclass(frozen=True)
class ReferBox:
    """A box in a space nothing else filled, pointing readers to stories on other pages."""

    slot: Slot
    heading: TextBlock
    refers: tuple[Refer, ...]


@dataclass(frozen=True)
class AdPlacement:
    """A pre-placed ad and the grid cells it takes."""

    ad: AdSlot
    slot: Slot


@dataclass(frozen=True)
class PagePlan:
    """One page's decisions: its modules, ads, quotations, refer boxes and the spaces left empty."""

    number: int
    section: str
    template: str
    grid: PageGrid
    placements: tuple[Placement, ...] = ()
    ad_slots: tuple[AdPlacement, ...] = ()
    empty_slots: tuple[Slot, ...] = ()
    fillers: tuple[QuoteFill, ...] = ()  # quotations set in spaces nothing else filled
    refers: tuple[ReferBox, ...] = ()    # refer boxes in the spaces left after that
    # A locked page's refer boxes as recorded: each space (one of empty_slots) and the stories it
    # named, which it names again while they can be named (epaper.layout.refers.fill_with_refers).
    kept_refers: tuple[tuple[Slot, tuple[str, ...]], ...] = ()
    # The same for a page a replate makes again: named again after every locked page's boxes, where
    # they still can be (a locked or inherited page's box is never given up for one of these).
    preferred_refers: tuple[tuple[Slot, tuple[str, ...]], ...] = ()
    # How strongly the section was laid out preferring roomier shapes, its copy having fallen short
    # of its pages (plan_pages' ``roomier``; 0.0: as the copy estimate said). A replate plans the
    # section's pages it makes again the same way, so that they come out as before.
    roomier: float = 0.0

    @property
    def cells(self) -> int:
        """Grid cells (one column by one row) on the page."""
        return self.grid.fmt.columns * self.grid.rows

    @property
    def empty_cells(self) -> int:
        """Grid cells that no module, quotation, refer box or ad takes."""
        return self.cells - used_cells(self.placements, self.fillers, self.refers, self.ad_slots)


def used_cells(placements, fillers=(), refers=(), ad_slots=()) -> int:
    """Grid cells the modules, quotations, refer boxes and ads given take."""
    used = sum(p.slot.cols * p.slot.height for p in placements)
    used += sum(f.slot.cols * f.slot.height for f in fillers)
    used += sum(r.slot.cols * r.slot.height for r in refers)
    used += sum(a.slot.cols * a.slot.height for a in ad_slots)
    return used


@dataclass(frozen=True)
class EditionPlan:
    """Every page's plan, in page order, and the stories left out (with the reason)."""

    pages: tuple[PagePlan, ...]
    unplaced: tuple[Unplaced, ...] = ()
