"""The laid-out page: the one intermediate representation every backend consumes.

Coordinates are PDF points with the origin at the top-left corner of the *trimmed* page and y growing
downwards (the same convention as ``layout.json``). Text items are positioned by their baseline.
Only the PDF renderer flips to PDF's bottom-up space.

Everything here is frozen: layout builds a page once, and the PDF renderer, the rasterizer, the web
viewer, the article map and the quality report all read the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from epaper.formats import PageFormat
from epaper.model import Edition
from epaper.pickled import KeptPickled

__all__ = [
    "ArticleDecision",
    "ArticleRegion",
    "BlankSpace",
    "Box",
    "Color",
    "FillRect",
    "FontRef",
    "Glyph",
    "ImageItem",
    "Item",
    "LaidOutEdition",
    "LinkArea",
    "Page",
    "PageQuality",
    "TOMBSTONE_BREACH",
    "Rule",
    "Source",
    "TextRun",
    "Unplaced",
    "page_stem",
]

Color = tuple[float, float, float]  # RGB, 0..1
BLACK: Color = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in page space (top-left origin, y down)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: "Box", tolerance: float = 0.01) -> bool:
        return (
            self.x < other.right - tolerance
            and other.x < self.right - tolerance
            and self.y < other.bottom - tolerance
            and other.y < self.bottom - tolerance
        )

    def contains(self, other: "Box", tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def as_list(self) -> list[float]:
        return [round(self.x, 2), round(self.y, 2), round(self.w, 2), round(self.h, 2)]


@dataclass(frozen=True)
class Source:
    """Where an item comes from: an article (or None for page furniture), the block and its span.

    ``role`` names the block ("headline", "body", "caption", "folio", ...); ``paragraph`` and
    ``start``/``end`` locate body text inside the article's paragraphs (character offsets).
    """

    article_id: str | None
    role: str
    paragraph: int = -1
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Glyph:
    """One shaped glyph: font glyph id and its advance and offsets, in points at the run's size.

    ``cluster`` is HarfBuzz's cluster: the offset in the run's text of the first character this
    glyph was shaped from (glyphs of one syllable share it). The PDF renderer uses it to map each
    glyph back to its source text for text extraction.
    """

    gid: int
    advance: float
    dx: float = 0.0
    dy: float = 0.0
    cluster: int = 0


@dataclass(frozen=True)
class FontRef:
    """A font file a page draws with. Text runs name it (:attr:`TextRun.font` is ``name``); the page
    lists each once (:attr:`Page.fonts`), so a backend can load and register it without asking
    typesetting (the file is the one typesetting measured with)."""

    name: str  # the face's name in fonts.yaml ("serif", "deva-bold", ...)
    path: str  # its TrueType file

    @property
    def pdf_name(self) -> str:
        """The name the face is registered and embedded under in a PDF."""
        return f"epaper-{self.name}"


@dataclass(frozen=True)
class TextRun:
    """A string drawn in one font at one position; ``glyphs`` is set for shaped (complex-script) text.

    ``text`` is always the original Unicode, so extraction and search give back what was written.
    """

    x: float
    baseline: float
    font: str
    size: float
    text: str
    width: float
    source: Source
    glyphs: tuple[Glyph, ...] | None = None
    color: Color = BLACK
    # Microtypography, decided by typeset: the glyphs' horizontal scale (PDF ``Tz``, 1 = as designed)
    # and the space added after each character (PDF ``Tc``, in points before the scale applies).
    # ``width`` is the run as drawn, with both.
    scale: float = 1.0
    char_space: float = 0.0

    @property
    def breaks_word(self) -> bool:
        """Whether the run ends in a hyphen the typesetter added (a word broken at a hyphenation
        point): it draws one character more than its source span, that hyphen."""
        core = self.text.rstrip()
        span = self.source.end - self.source.start
        return span > 0 and core.endswith("-") and len(core) == span + 1


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5
    color: Color = BLACK


@dataclass(frozen=True)
class FillRect:
    box: Box
    fill: Color | None = None
    stroke: Color | None = None
    stroke_width: float = 0.5
    source: Source | None = None  # what the area is (a refer box's tint, say); None for an ad's frame


@dataclass(frozen=True)
class ImageItem:
    """A photo placed in ``box``; ``crop`` is the visible part of the source image as fractions."""

    box: Box
    path: str
    source: Source
    crop: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)


@dataclass(frozen=True)
class LinkArea:
    """A clickable area: to another page of the edition (``page``, 1-based) or to a URI."""

    box: Box
    page: int | None = None
    uri: str | None = None
    label: str = ""  # what following it does, in words ("Continued on page 7"), for those who cannot see it


Item = TextRun | Rule | FillRect | ImageItem | LinkArea
_Kind = TypeVar("_Kind")


@dataclass(frozen=True)
class ArticleRegion:
    """One article's footprint on one page: the article map entry the viewer and layout.json use."""

    article_id: str
    headline: str
    boxes: tuple[Box, ...]
    headline_box: Box | None
    continued_to: int | None = None
    continued_from: int | None = None


@dataclass(frozen=True)
class BlankSpace:
    """The largest empty rectangle of a page's editorial area (measured: :mod:`epaper.frame.blank`)."""

    share: float  # of the page's editorial area
    box: Box | None  # where it is (page coordinates, points); None when nothing is blank
    fill: float | None = None  # the share of the area the drawn matter fills (blank.page_fill), measured with it


# How ``PageQuality.breaches`` names a tombstone (layout writes it; the report puts the pairs it
# reads from the drawn page in their place).
TOMBSTONE_BREACH = "tombstone: "


@dataclass(frozen=True)
class PageQuality:
    """Typographic and make-up measurements of one page, gathered by layout while it sets the page."""

    editorial_area: float = 0.0
    filled_area: float = 0.0
    overset_lines: int = 0
    widows: int = 0
    orphans: int = 0
    tombstones: int = 0
    hyphen_runs: int = 0
    hyphenated_lines: int = 0
    overfull_lines: int = 0
    loosest_line: float = 0.0
    adjustment_ratios: tuple[float, ...] = ()
    breaches: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what layout did to the page as a whole (a refer box in a space, say)
    largest_blank: BlankSpace | None = None  # measured on the composed page (epaper.frame.blank)

    @property
    def fill_ratio(self) -> float:
        return self.filled_area / self.editorial_area if self.editorial_area else 0.0


@dataclass(frozen=True)
class Page(KeptPickled):
    pickled_field = "items"  # see __getstate__

    number: int
    section: str
    width: float
    height: float
    items: tuple[Item, ...]
    regions: tuple[ArticleRegion, ...]
    editorial: Box
    bleed: float = 0.0
    label: str = ""
    quality: PageQuality = field(default_factory=PageQuality)
    language: str = "en"
    fonts: tuple[FontRef, ...] = ()  # every face its text runs name, once
    edition: str = ""  # the zone edition whose page alone it is, by name (its folio says so); "": any edition's

    @property
    def stem(self) -> str:
        """The page's name in every per-page file (``pages/001.pdf``, ``images/001.jpg``, ``tiles/001/``)."""
        return page_stem(self.number)

    def font(self, name: str) -> FontRef:
        """The font a text run names."""
        return next(ref for ref in self.fonts if ref.name == name)

    def items_of(self, kind: type[_Kind]) -> tuple[_Kind, ...]:
        """The page's items of ``kind``, in drawing order. Found once per page object: the stages
        after layout ask for the text runs or the links of every page of an edition, again at each
        replate of ``epaper watch``, which keeps the pages; a page has thousands of items."""
        found = self.__dict__.setdefault("_of_kind", {})  # not a field: not compared, digested or pickled
        if kind not in found:
            found[kind] = tuple(item for item in self.items if isinstance(item, kind))
        return found[kind]

    def drawn_roles(self) -> frozenset[tuple[str, str]]:
        """(article id, role) of every text run the page draws for a story: which of each story's
        parts (headline, deck, byline, body, ...) it prints."""
        drawn = self.__dict__.get("_drawn_roles")
        if drawn is None:
            drawn = self.__dict__["_drawn_roles"] = frozenset(
                (run.source.article_id, run.source.role) for run in self.items_of(TextRun)
                if run.source is not None and run.source.article_id is not None)
        return drawn

    # A page comes out of a pickle (the build cache, a worker's task) with its items still pickled,
    # read the first time something asks for them (epaper.pickled): a replate, or a build with
    # nothing to make, reads every page of the edition from the cache and looks at few pages'
    # thousands of items (unpickling them was ~10 ms a page). What the edition's stages ask of
    # every page (its photos, links and refer boxes; which parts of each story it prints) comes
    # unpickled beside them.
    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["_of_kind"] = {kind: self.items_of(kind) for kind in _KINDS_UNPICKLED}
        state["_drawn_roles"] = self.drawn_roles()
        return state


_KINDS_UNPICKLED = (ImageItem, LinkArea, FillRect)  # a few a page


def page_stem(number: int) -> str:
    """A page's number as every per-page output file names it (docs/contracts.md, "The output
    folder"): three digits."""
    return f"{number:03d}"


@dataclass(frozen=True)
class Unplaced:
    """A story not in the paper, and why (with what it would take)."""

    article_id: str
    reason: str


@dataclass(frozen=True)
class ArticleDecision:
    """What layout did with one article part, for the proof report."""

    article_id: str
    page: int
    columns: int
    rows: int
    headline_size: float
    lines: int
    adjustments: tuple[str, ...]


@dataclass(frozen=True)
class LaidOutEdition:
    """The edition as layout hands it to the backends: every page frame, what layout did with each
    story part, what it left out, and its decisions as ``plan.json`` data."""

    edition: Edition
    format: PageFormat
    pages: tuple[Page, ...]
    unplaced: tuple[Unplaced, ...]
    decisions: tuple[ArticleDecision, ...]
    plan: dict = field(default_factory=dict, compare=False)  # the decisions as plan.json (see epaper.layout.lock)
    # Per page, a digest of what it was composed from (its section's decisions, its refer boxes,
    # jumps, teasers and the edition's furniture), when it was laid out with a memo; else empty.
    page_sources: tuple[str, ...] = field(default=(), compare=False)
    # A replate's pages planned again rather than kept in place: why (epaper.layout.lock.refitted_plans).
    refit_refused: str = field(default="", compare=False)
