"""Checks of a laid-out edition, measured from the page IR alone (never from layout's own bookkeeping).

Shared by ``bench/bench_layout.py`` (which reports the figures) and the layout tests (which assert
they are zero). Every check reads only :class:`epaper.frame.Page` objects — the module boxes, ad
fills, text runs and links that every backend draws — so a placement bug cannot hide behind the
placement code's own idea of what it did.

Conventions (from ``epaper.layout``): the editorial box's top is grid row 0; a module's box leaves
out its last grid row (the spacing row under it); body baselines sit ``BASELINE_DROP`` rows below the
top of their row; ads are ``FillRect`` items with a stroke.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from epaper.frame import Box, FillRect, ImageItem, LinkArea, Page, TextRun
from epaper.layout.module import dateline_lead
from epaper.layout.wording import continued_from, continued_on
from epaper.report.faults import drawn_tombstones

__all__ = ["EditionFigures", "PageFigures", "article_lines", "body_words", "check_edition", "read_words"]

TOL = 0.05
JUMP_BEFORE_PT = 4 * 72   # at least 4 column inches before a jump
JUMP_AFTER_PT = 6 * 72    # and 6 after it


@dataclass
class PageFigures:
    number: int
    section: str
    fill: float                 # covered grid cells (modules + ads, spacing rows included) / page cells
    reported_fill: float        # layout's own PageQuality.fill_ratio
    enough_copy: bool = False   # its section still had copy left over: unplaced articles, or text not set
    overlaps: list[str] = field(default_factory=list)
    off_grid: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    tombstones: list[str] = field(default_factory=list)
    widows: int = 0             # counted here from the IR
    orphans: int = 0
    reported_widows: int = 0    # layout's own PageQuality figures
    reported_orphans: int = 0
    reported_tombstones: int = 0
    overset: int = 0            # PageQuality.overset_lines
    overfull: int = 0


@dataclass
class EditionFigures:
    pages: list[PageFigures]
    placed: int
    unplaced: int
    unlisted: list[str]             # articles neither placed nor listed as unplaced
    listed_and_placed: list[str]
    reasonless: list[str]           # unplaced without a reason
    text_mismatches: list[str]      # placed articles whose body does not read back word for word
    jump_breaches: list[str]
    jumps: int

    @property
    def overlaps(self) -> int:
        return sum(len(p.overlaps) for p in self.pages)

    @property
    def tombstones(self) -> int:
        return sum(len(p.tombstones) for p in self.pages)

    @property
    def widows(self) -> int:
        return sum(p.widows for p in self.pages)

    @property
    def orphans(self) -> int:
        return sum(p.orphans for p in self.pages)

    def breaches(self) -> list[str]:
        """Every rule breach as a readable line (empty when the edition is clean)."""
        out = [f"p{p.number}: {msg}" for p in self.pages for msg in p.overlaps + p.off_grid + p.outside]
        out += [f"p{p.number}: tombstone {msg}" for p in self.pages for msg in p.tombstones]
        out += [f"p{p.number}: overset {p.overset} lines" for p in self.pages if p.overset]
        out += [f"not placed and not listed: {a}" for a in self.unlisted]
        out += [f"placed and listed unplaced: {a}" for a in self.listed_and_placed]
        out += [f"unplaced without a reason: {a}" for a in self.reasonless]
        out += [f"text not conserved: {a}" for a in self.text_mismatches]
        out += [f"jump: {msg}" for msg in self.jump_breaches]
        return out


# ---------------------------------------------------------------------------------------------
# Reading text back from the IR (the approach of tests/test_layout_geometry.py)


def _read(runs: Sequence[TextRun]) -> str:
    """Runs joined as a reader sees them: touching runs (a bold word and its comma) form one word."""
    out = []
    for prev, run in zip([None, *runs], runs):
        touching = prev is not None and prev.baseline == run.baseline and abs(prev.x + prev.width - run.x) < 0.01
        out.append(run.text if touching or prev is None else " " + run.text)
    return "".join(out)


def _normalise(text: str) -> list[str]:
    # Lines may break after a hyphen (added or hard), a dash or a slash: join across those breaks.
    text = re.sub(r"(?<=[/\u2014\u2013])\s+", "", text)
    return re.sub(r"-\s*", "", text).split()


def read_words(runs: Sequence[TextRun]) -> list[str]:
    return _normalise(_read(runs))


def body_words(article) -> list[str]:
    """The words an article's body must show, dateline lead-in included (as the typesetter sets it)."""
    return _normalise(dateline_lead(article) + " ".join(p.text for p in article.body))


# ---------------------------------------------------------------------------------------------
# Grid helpers


def _grid(page: Page, fmt) -> tuple[list[float], float, int]:
    left = fmt.margin_left(page.number)
    starts = [fmt.column_x(left, c) for c in range(fmt.columns)]
    rows = round(page.editorial.h / fmt.baseline) + 1  # + the last spacing row (may sit in the margin)
    return starts, fmt.baseline, rows


def _cells(box: Box, page: Page, fmt, starts: list[float]) -> set[tuple[int, int]] | None:
    """Grid cells (column, row) a module or ad box covers, with its spacing row; None if off-grid."""
    col = next((c for c, s in enumerate(starts) if abs(box.x - s) < TOL), None)
    span = next((n for n in range(1, fmt.columns + 1) if abs(box.w - fmt.span_width(n)) < TOL), None)
    top = (box.y - page.editorial.y) / fmt.baseline
    height = box.h / fmt.baseline
    if col is None or span is None or abs(top - round(top)) > 1e-6 or abs(height - round(height)) > 1e-6:
        return None
    t, h = round(top), round(height) + 1
    return {(c, r) for c in range(col, col + span) for r in range(t, t + h)}


def _column_of(x: float, starts: list[float], width: float) -> int:
    for c, s in enumerate(starts):
        if s - 0.5 <= x <= s + width + 0.5:
            return c
    return -1


def article_lines(page: Page, article_id: str, fmt) -> list[list[TextRun]]:
    """The body lines of one article on one page, in reading order (column by column, top down)."""
    starts, _, _ = _grid(page, fmt)
    lines: dict[tuple[int, float], list[TextRun]] = {}
    for item in page.items:
        if isinstance(item, TextRun) and item.source.role == "body" and item.source.article_id == article_id:
            key = (_column_of(item.x, starts, fmt.column_width), round(item.baseline, 3))
            lines.setdefault(key, []).append(item)
    return [lines[k] for k in sorted(lines)]


# ---------------------------------------------------------------------------------------------
# Page checks


def _ads(page: Page) -> list[Box]:
    return [item.box for item in page.items if isinstance(item, FillRect) and item.stroke is not None]


def _refer_boxes(page: Page) -> list[Box]:
    """Refer boxes (headlines of stories on other pages): editorial space, though no article's."""
    return [item.box for item in page.items
            if isinstance(item, FillRect) and item.source is not None and item.source.role == "refer"]


def _check_page(page: Page, fmt, figures: PageFigures) -> None:
    starts, grid, rows = _grid(page, fmt)
    boxes = [(r.article_id, b) for r in page.regions for b in r.boxes] + [("ad", b) for b in _ads(page)]
    boxes += [("refer box", b) for b in _refer_boxes(page)]
    covered: set[tuple[int, int]] = set()
    for name, box in boxes:
        if not page.editorial.contains(box):
            figures.outside.append(f"{name} {box.as_list()} outside the editorial area {page.editorial.as_list()}")
        cells = _cells(box, page, fmt, starts)
        if cells is None:
            figures.off_grid.append(f"{name} {box.as_list()} off the column/baseline grid")
            continue
        covered |= {c for c in cells if c[1] < rows}
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            if box_a.overlaps(box_b):
                figures.overlaps.append(f"{a} {box_a.as_list()} overlaps {b} {box_b.as_list()}")
    figures.fill = len(covered) / (fmt.columns * rows)
    for item in page.items:
        if isinstance(item, TextRun) and item.source.role == "body":
            row = (item.baseline - page.editorial.y) / grid - _baseline_drop()
            if abs(row - round(row)) > 1e-6:
                figures.off_grid.append(f"body line {item.text!r} of {item.source.article_id} off the baseline grid")
                break
    figures.tombstones = _tombstones(page, fmt)
    figures.outside += _outside_modules(page)


def _outside_modules(page: Page) -> list[str]:
    """Text and photos of a story that reach outside its module (a photo taller than the module's
    part of the story, say)."""
    boxes: dict[str, list[Box]] = {}
    for region in page.regions:
        boxes.setdefault(region.article_id, []).extend(region.boxes)
    out = []
    for item in page.items:
        if isinstance(item, TextRun) and item.source.article_id in boxes:
            inside = any(b.x - TOL <= item.x and item.x + item.width <= b.right + 0.5
                         and b.y - TOL <= item.baseline <= b.bottom + TOL for b in boxes[item.source.article_id])
        elif isinstance(item, ImageItem) and item.source.article_id in boxes:
            inside = any(b.contains(item.box) for b in boxes[item.source.article_id])
        else:
            continue
        if not inside:
            what = repr(item.text) if isinstance(item, TextRun) else "photo"
            out.append(f"{what} of {item.source.article_id} outside its module")
    return out


def _baseline_drop() -> float:
    try:
        from epaper.layout.compose import BASELINE_DROP
        return BASELINE_DROP
    except ImportError:  # pragma: no cover - layout being reorganised
        return 0.78


def _tombstones(page: Page, fmt) -> list[str]:
    """Side-by-side headlines of one size: what the report counts (read from the frame too)."""
    return list(drawn_tombstones(page, fmt))


# ---------------------------------------------------------------------------------------------
# Edition checks


def _line_paragraph(line: list[TextRun]) -> int:
    return line[0].source.paragraph


def _widows_orphans(parts: list[tuple[Page, list[list[TextRun]]]], fmt) -> dict[int, tuple[int, int]]:
    """Per page: (widows, orphans) at column breaks inside the article's module(s) on that page.
    A widow is a paragraph's last line alone at the top of a column; an orphan a paragraph's first
    line alone at the bottom of one (the definitions of epaper.layout.columns)."""
    flat = [(page.number, line) for page, lines in parts for line in lines]
    result: dict[int, list[int]] = {}
    for k in range(len(flat) - 1):
        (pa, a), (pb, b) = flat[k], flat[k + 1]
        if pa != pb:
            continue  # the jump is not a column break (checked by the jump rules)
        starts, _, _ = _grid(next(p for p, _ in parts if p.number == pa), fmt)
        col_a = _column_of(a[0].x, starts, fmt.column_width)
        col_b = _column_of(b[0].x, starts, fmt.column_width)
        if col_a == col_b:
            continue
        prev_para = _line_paragraph(flat[k - 1][1]) if k > 0 else None
        next_para = _line_paragraph(flat[k + 2][1]) if k + 2 < len(flat) else None
        entry = result.setdefault(pa, [0, 0])
        # b opens the new column: a widow if it ends its paragraph and does not start it.
        if _line_paragraph(b) == _line_paragraph(a) and next_para != _line_paragraph(b):
            entry[0] += 1
        # a closes the column: an orphan if it starts its paragraph and does not end it.
        if prev_para != _line_paragraph(a) and _line_paragraph(b) == _line_paragraph(a):
            entry[1] += 1
    return {k: (v[0], v[1]) for k, v in result.items()}


def _jump_lines(page: Page, article_id: str) -> dict[str, list[TextRun]]:
    """The article's jump lines on the page: each as read (its "jump" runs joined) -> its runs."""
    lines: dict[float, list[TextRun]] = {}
    for item in page.items:
        if isinstance(item, TextRun) and item.source.article_id == article_id and item.source.role == "jump":
            lines.setdefault(round(item.baseline, 2), []).append(item)
    return {" ".join(" ".join(r.text for r in sorted(runs, key=lambda r: r.x)).split()): runs
            for runs in lines.values()}


def _under_last_line(jump_line: list[TextRun], parts: list[tuple[Page, list[list[TextRun]]]], page: Page,
                     fmt) -> bool:
    """Whether the jump line follows the part's last body line on ``page``: in its column below it,
    or, when that line is at the column's foot, at the foot of the next column."""
    lines = next((lines for p, lines in parts if p.number == page.number), [])
    if not lines:
        return False
    starts, _, _ = _grid(page, fmt)
    last = lines[-1][0]
    right = max(r.x + r.width for r in jump_line) - 0.5
    column, last_column = _column_of(right, starts, fmt.column_width), _column_of(last.x, starts, fmt.column_width)
    baseline = jump_line[0].baseline
    return ((column == last_column and baseline > last.baseline)
            or (column == last_column + 1 and abs(baseline - last.baseline) < 0.01))


def _check_jumps(laid_out, parts_of: dict[str, list[tuple[Page, list[list[TextRun]]]]], fmt) -> tuple[list[str], int]:
    breaches: list[str] = []
    jumps = 0
    by_number = {p.number: p for p in laid_out.pages}
    edition = laid_out.edition
    wordings = {a.id: edition.wording(a.language) for a in edition.articles}
    for page in laid_out.pages:
        for region in page.regions:
            if region.continued_to is None:
                continue
            aid, target = region.article_id, region.continued_to
            jumps += 1
            if target <= page.number:
                breaches.append(f"{aid}: continued_to {target} is not after page {page.number}")
            dest = by_number.get(target)
            if dest is None or not any(r.article_id == aid and r.continued_from == page.number for r in dest.regions):
                breaches.append(f"{aid}: page {target} has no part continued from page {page.number}")
            wording = wordings.get(aid, edition.wording())
            jump_line = _jump_lines(page, aid).get(continued_on(target, wording))
            if jump_line is None:
                breaches.append(f"{aid}: no 'Continued on page {target}' line on page {page.number}")
            elif not _under_last_line(jump_line, parts_of.get(aid, []), page, fmt):
                breaches.append(f"{aid}: 'Continued on page {target}' is not under the last line of text on "
                                f"page {page.number}")
            if not any(isinstance(i, LinkArea) and i.page == target for i in page.items):
                breaches.append(f"{aid}: no link to page {target} on page {page.number}")
            if dest is not None:
                if continued_from(page.number, wording) not in _jump_lines(dest, aid):
                    breaches.append(f"{aid}: no 'Continued from page {page.number}' line on page {target}")
                if not any(isinstance(i, LinkArea) and i.page == page.number for i in dest.items):
                    breaches.append(f"{aid}: no link back to page {page.number} on page {target}")
                if not any(r.source.role == "headline" and r.source.article_id == aid
                           for r in dest.items if isinstance(r, TextRun)):
                    breaches.append(f"{aid}: the continuation on page {target} has no jump head")
    for aid, parts in parts_of.items():
        pages = [p.number for p, _ in parts]
        if len(pages) > 2:
            breaches.append(f"{aid}: runs on {len(pages)} pages {pages} (at most one jump)")
        regions = [r for p, _ in parts for r in p.regions if r.article_id == aid]
        if len(parts) == 2:
            (first, before), (second, after) = parts
            if sum(1 for r in regions if r.continued_to) != 1:
                breaches.append(f"{aid}: on two pages without exactly one 'continued_to'")
            if len(before) * fmt.baseline < JUMP_BEFORE_PT - TOL:
                breaches.append(f"{aid}: {len(before)} lines before the jump (< 4 column inches)")
            if len(after) * fmt.baseline < JUMP_AFTER_PT - TOL:
                breaches.append(f"{aid}: {len(after)} lines after the jump (< 6 column inches)")
            if before and after:
                last = before[-1][-1].text.rstrip()
                if last.endswith(("-", "\u2010", "\u00ad")):
                    breaches.append(f"{aid}: jump after a hyphenated line ({last!r})")
                if _line_paragraph(before[-1]) != _line_paragraph(after[0]):
                    breaches.append(f"{aid}: jump after a paragraph's last line")
        elif len(parts) == 1 and any(r.continued_to or r.continued_from for r in regions):
            breaches.append(f"{aid}: jump markers on a story that runs on one page")
    return breaches, jumps


def check_edition(laid_out) -> EditionFigures:
    """All checks on a :class:`epaper.layout.LaidOutEdition`."""
    fmt = laid_out.format
    edition = laid_out.edition
    articles = {a.id: a for a in edition.articles}
    unplaced = {u.article_id: u.reason for u in laid_out.unplaced}
    short_sections = {articles[a].section for a in unplaced if a in articles}
    pages: list[PageFigures] = []
    parts_of: dict[str, list[tuple[Page, list[list[TextRun]]]]] = {}
    for page in laid_out.pages:
        q = page.quality
        figures = PageFigures(page.number, page.section, 0.0, q.fill_ratio, enough_copy=page.section in short_sections,
                              reported_widows=q.widows, reported_orphans=q.orphans, reported_tombstones=q.tombstones,
                              overset=q.overset_lines, overfull=q.overfull_lines)
        _check_page(page, fmt, figures)
        pages.append(figures)
        for aid in dict.fromkeys(r.article_id for r in page.regions):
            parts_of.setdefault(aid, []).append((page, article_lines(page, aid, fmt)))
    by_number = {p.number: p for p in pages}
    for aid, parts in parts_of.items():
        for number, (w, o) in _widows_orphans(parts, fmt).items():
            by_number[number].widows += w
            by_number[number].orphans += o
    mismatches = []
    for aid, parts in parts_of.items():
        article = articles.get(aid)
        runs = [run for _, lines in parts for line in lines for run in line]
        if article is None or read_words(runs) != body_words(article):
            mismatches.append(aid)
    # Copy left over also when a placed story did not show all its text (it had no room either).
    short_sections |= {articles[a].section for a in mismatches if a in articles}
    for figures in pages:
        figures.enough_copy = figures.section in short_sections
    jump_breaches, jumps = _check_jumps(laid_out, parts_of, fmt)
    placed = set(parts_of)
    return EditionFigures(
        pages=pages, placed=len(placed), unplaced=len(unplaced),
        unlisted=sorted(set(articles) - placed - set(unplaced)),
        listed_and_placed=sorted(placed & set(unplaced)),
        reasonless=sorted(a for a, reason in unplaced.items() if not reason),
        text_mismatches=mismatches, jump_breaches=jump_breaches, jumps=jumps,
    )
