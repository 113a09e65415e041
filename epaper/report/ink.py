"""Ink: where the glyphs of a laid-out page really fall, and what overruns or collides.

Layout's own bookkeeping says what it meant to set; this reads what is drawn. Each text run of a
page frame is turned into the ink boxes of its glyphs: the glyph positions the PDF renderer uses
(the font's advances for Latin runs, which ReportLab draws without kerning; HarfBuzz's shaped
positions for shaped runs) and each glyph's real bounding box from the font (HarfBuzz's glyph
extents). Two figures come from those boxes:

* **overfull lines**: lines whose ink reaches past their box by more than :data:`INK_FUZZ`: body
  text, bylines and jump lines past their grid column (they are set one column wide),
  other article text past the article's module, page furniture off the page. Ink is counted as
  far as the line's pen goes: a glyph's overhang past its own advance is the typeface's design
  (an italic f ending a justified line overhangs the measure by 0.17 em in Noto Serif Italic, as
  it would in any typesetter), not a line set too wide;
* **glyph collisions**: glyphs of different runs whose ink overlaps by more than
  :data:`OVERLAP_FUZZ` each way, where the runs belong to different stories (or a story and page
  furniture), or to one story on one baseline without being neighbours in its text (a line run
  into the next column of its own story). Lines of one story on different baselines whose glyphs
  touch (a headline's descender on its deck, Devanagari vowel signs of tightly led display lines),
  or lines of one piece of furniture (a refer box) that do, are the block's own leading, counted apart as ``touching_lines`` so they are seen but not
  mistaken for ink over another story.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from epaper.formats import PageFormat
from epaper.frame import Box, FontRef, Glyph, Page, TextRun
from epaper.render.geometry import Rect, run_geometry

__all__ = ["INK_FUZZ", "INK_FUZZ_EM", "OVERLAP_FUZZ", "Ink", "PageInk", "page_ink", "run_ink"]

# Ink may poke this far past its box before the line counts as overfull: the larger of a point and
# 0.15 of the type size. Overhang past a glyph's advance is not counted at all (see _past); this is
# for what sits inside the advance yet outside the box (a Devanagari vowel sign's cluster, a
# justified line's rounding), and a point into a gutter of 9 pt or more is invisible; a word run
# into the next column reaches out by ems.
INK_FUZZ = 1.0
INK_FUZZ_EM = 0.15
# Glyphs overlapping by less than this each way only touch (a descender meeting an ascender on a
# tightly led headline, say); more is ink over ink.
OVERLAP_FUZZ = 0.25
# Roles set one grid column wide: their box is the column they start in, not the whole module. (A
# quotation may fill a space several columns wide: its box is its module.)
ONE_COLUMN_ROLES = frozenset({"body", "byline", "jump"})
# The spatial index's cells, in points: flat, as a body line is (about 10 pt deep, 140 pt long).
_CELL_W, _CELL_H = 32.0, 8.0


@dataclass(frozen=True)
class Ink:
    """The ink of one text run: its glyphs' boxes and their union (None: a run without ink), and
    where its pen ends (its set width, from its origin)."""

    glyphs: tuple[Rect, ...]
    bounds: Rect | None
    advance: float = 0.0


@dataclass(frozen=True)
class PageInk:
    overfull_lines: int
    glyph_collisions: int
    touching_lines: int  # pairs of lines of one story on different baselines whose glyphs touch
    problems: tuple[str, ...]  # a line for each overfull line and each pair of colliding runs, for people


def _relative_ink(font: FontRef, size: float, text: str, glyphs: tuple[Glyph, ...] | None, scale: float = 1.0,
                  char_space: float = 0.0) -> Ink:
    """Glyph boxes of a run relative to its origin (x right, y down from the baseline), as the
    renderer draws them (:func:`~epaper.render.geometry.run_geometry`, shared with the archive)."""
    geometry = run_geometry(font, size, text, glyphs, scale, char_space)
    return Ink(geometry.ink, geometry.bounds, geometry.edges[-1])


def run_ink(run: TextRun, font: FontRef) -> Ink:
    """The ink of ``run`` on its page (``font``: the page's font the run names)."""
    relative = _relative_ink(font, run.size, run.text, run.glyphs, run.scale, run.char_space)
    if relative.bounds is None:
        return relative
    x, y = run.x, run.baseline
    return Ink(tuple((x + x0, y + y0, x + x1, y + y1) for x0, y0, x1, y1 in relative.glyphs), _moved(relative.bounds, x, y),
               relative.advance)


def _moved(rect: Rect, x: float, y: float) -> Rect:
    return (rect[0] + x, rect[1] + y, rect[2] + x, rect[3] + y)


def _column_box(page: Page, fmt: PageFormat, x: float, module: Box) -> Box:
    """The grid column a line starting at ``x`` is set in, as deep as its module."""
    width = fmt.column_width
    pitch = width + fmt.gutter
    column = max(0, min(fmt.columns - 1, int((x - page.editorial.x + 0.01) // pitch)))
    return Box(page.editorial.x + column * pitch, module.y, width, module.h)


def _container(page: Page, fmt: PageFormat, run: TextRun, modules: dict[str, tuple[Box, ...]]) -> Box | None:
    """The box ``run``'s ink must stay in; None if the run starts outside every box it may be in."""
    article = run.source.article_id
    if article is None or article not in modules:  # furniture (and teasers): the page
        return Box(0.0, 0.0, page.width, page.height)
    x, y, reach = run.x, run.baseline, run.size
    home = next((b for b in modules[article] if b.x - 0.01 <= x <= b.x + b.w + 0.01
                 and b.y - reach <= y <= b.y + b.h + reach), None)
    if home is None:
        return None
    if run.source.role in ONE_COLUMN_ROLES:
        return _column_box(page, fmt, run.x, home)
    return home


def _past(ink: Rect, pen: tuple[float, float], box: Box) -> float:
    """How far ``ink`` reaches out of ``box`` sideways (the overfull direction; lines sit on the
    baseline grid, and vertical reach is the business of collisions), as far as the line's ``pen``
    (where it starts and ends) goes: ink past the pen is a glyph's designed overhang."""
    left, right = max(ink[0], pen[0]), min(ink[2], pen[1])
    return max(box.x - left, right - box.right, 0.0)


def page_ink(page: Page, fmt: PageFormat) -> PageInk:
    runs = [item for item in page.items if isinstance(item, TextRun)]
    # Bounds of every run; a run's glyph boxes are placed on the page only when its bounds meet another's.
    fonts = {font.name: font for font in page.fonts}
    relative = [_relative_ink(fonts[run.font], run.size, run.text, run.glyphs, run.scale, run.char_space)
                for run in runs]
    bounds = [None if rel.bounds is None else _moved(rel.bounds, run.x, run.baseline) for rel, run in zip(relative, runs)]
    modules = {region.article_id: region.boxes for region in page.regions}
    problems: list[str] = []
    overfull: set[tuple] = set()
    for run, ink, rel in zip(runs, bounds, relative):
        if ink is None:
            continue
        box = _container(page, fmt, run, modules)
        reach = _past(ink, (run.x, run.x + rel.advance), box) if box is not None else float("inf")
        if reach > max(INK_FUZZ, INK_FUZZ_EM * run.size):
            line = (run.source.article_id, run.source.role, round(run.baseline, 1), box)
            if line not in overfull:
                overfull.add(line)
                problems.append(f"page {page.number}: {run.source.role} line of {run.source.article_id or 'the page'} "
                                f"at y {run.baseline:.1f} reaches {reach:.1f} pt out of its box ({run.text.strip()[:40]!r})")
    collisions = touching = 0
    for i, j in _candidate_pairs(bounds):
        a, b = runs[i], runs[j]
        if _neighbours(a, b):
            continue
        count = sum(1 for g in run_ink(a, fonts[a.font]).glyphs for h in run_ink(b, fonts[b.font]).glyphs
                    if _overlap(g, h))
        if not count:
            continue
        if a.baseline != b.baseline and _one_block(a, b):
            touching += 1
            continue
        collisions += count
        problems.append(f"page {page.number}: {count} glyph(s) of {_name(a)} {a.text.strip()[:30]!r} "
                        f"over {_name(b)} {b.text.strip()[:30]!r}")
    return PageInk(len(overfull), collisions, touching, tuple(problems))


def _neighbours(a: TextRun, b: TextRun) -> bool:
    """Two runs next to each other in one line of text: pieces of one word (a word in two faces,
    or shaped in parts at its hyphenation points, whose glyphs join by design: Devanagari's
    headline bar, a reph) or words a space apart, where only glyph boxes meet (an italic f's hook
    over the next word's italic f tail), never outlines at any spacing the breakers allow. A line
    run into the next column meets text that is not its neighbour in the source."""
    sa, sb = a.source, b.source
    return (a.baseline == b.baseline and sa.article_id == sb.article_id and sa.role == sb.role
            and sa.paragraph == sb.paragraph and sa.end > sa.start and sb.end > sb.start and (0 <= sb.start - sa.end <= 1 or 0 <= sa.start - sb.end <= 1))


def _one_block(a: TextRun, b: TextRun) -> bool:
    """Runs of one story (or of one piece of furniture: a refer box, a folio), whose lines touching
    is that block's own leading."""
    sa, sb = a.source, b.source
    return sa.article_id == sb.article_id and (sa.article_id is not None or sa.role == sb.role)


def _name(run: TextRun) -> str:
    return f"{run.source.article_id or 'page'} {run.source.role}"


def _overlap(a: Rect, b: Rect) -> bool:
    return (min(a[2], b[2]) - max(a[0], b[0]) > OVERLAP_FUZZ
            and min(a[3], b[3]) - max(a[1], b[1]) > OVERLAP_FUZZ)


def _candidate_pairs(bounds: Sequence[Rect | None]) -> Iterable[tuple[int, int]]:
    """Pairs of runs whose ink bounds overlap, found through a grid of cells (a page holds
    thousands of runs; comparing all pairs would be millions). Cells are flat, as lines are."""
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, box in enumerate(bounds):
        if box is None:
            continue
        for cx in range(int(box[0] // _CELL_W), int(box[2] // _CELL_W) + 1):
            for cy in range(int(box[1] // _CELL_H), int(box[3] // _CELL_H) + 1):
                cells[cx, cy].append(index)
    seen: set[tuple[int, int]] = set()
    fuzz = OVERLAP_FUZZ
    for members in cells.values():
        for k, i in enumerate(members):
            x0, y0, x1, y1 = bounds[i]  # type: ignore[misc]
            for j in members[k + 1:]:
                u0, v0, u1, v1 = bounds[j]  # type: ignore[misc]
                if (min(x1, u1) - max(x0, u0) > fuzz and min(y1, v1) - max(y0, v0) > fuzz
                        and (i, j) not in seen):
                    seen.add((i, j))
                    yield i, j
