"""Word spacing as printed, read back from a page PDF (not from the line breaker), and quote marks
counted in the body text the page frame draws (the runs' text is what the PDF shows: the text tests
extract it with pdftotext).

For each justified body line the frame says where it is (its left and right edge and baseline);
the characters are then read from the PDF with pdfium (its loose boxes: each character's origin
and advance as drawn, horizontal scale and letter spacing included), words are cut at spaces,
and the widest gap between two words is measured in ems of the line's type size.
"""

from __future__ import annotations

import ctypes
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from epaper.frame import Box, Page, TextRun
from epaper.render.pdf import pdf_rect
from epaper.tasks import IN_PROCESS, Runner

__all__ = ["LineProbe", "SpacingFigures", "WidestLine", "body_line_probes", "measure_gaps", "edition_spacing",
           "page_chars", "page_spacing", "page_word_gaps", "quote_counts", "spacing_figures"]

STRAIGHT_QUOTES = frozenset("\"'")
CURLY_QUOTES = frozenset("\u2018\u2019\u201c\u201d")


@dataclass(frozen=True)
class LineProbe:
    """Where one justified line is on its page, in PDF space (points, y up): its left and right
    edge and its baseline; ``size`` is its type size."""

    left: float
    right: float
    baseline: float
    size: float
    shaped: bool = False  # Devanagari (shaped) text: measured between drawn words' ink, see below
    article: str = ""  # the story the line is of, and its words as the frame has them: where a
    words: str = ""    # loose line is, for the subeditor who reads the proof sheet


@dataclass(frozen=True)
class WidestLine:
    """The line with the widest word gap: its page, story and words (what the proof sheet names)."""

    page: int
    article: str
    words: str


@dataclass(frozen=True)
class SpacingFigures:
    lines: int  # justified body lines measured
    over_half_em: int  # lines whose widest word gap is over 0.5 em
    over_0_8_em: int
    widest_em: float
    straight_quotes: int  # among the body text's quote marks
    curly_quotes: int
    widest_line: WidestLine | None = None  # where ``widest_em`` was measured

    @classmethod
    def combined(cls, parts: Iterable[SpacingFigures]) -> SpacingFigures:
        """The figures of the pages ``parts`` measures, as one (an edition's, from its pages')."""
        parts = list(parts)
        widest = max(parts, key=lambda p: p.widest_em, default=None)
        return cls(lines=sum(p.lines for p in parts), over_half_em=sum(p.over_half_em for p in parts),
                   over_0_8_em=sum(p.over_0_8_em for p in parts),
                   widest_em=widest.widest_em if widest is not None else 0.0,
                   straight_quotes=sum(p.straight_quotes for p in parts),
                   curly_quotes=sum(p.curly_quotes for p in parts),
                   widest_line=widest.widest_line if widest is not None else None)

    def as_dict(self) -> dict:
        share = (lambda n: round(n / self.lines, 4) if self.lines else 0.0)
        quotes = self.straight_quotes + self.curly_quotes
        return {"justified_lines": self.lines, "share_over_0_5_em": share(self.over_half_em),
                "share_over_0_8_em": share(self.over_0_8_em), "widest_gap_em": round(self.widest_em, 3),
                "widest_line": (None if self.widest_line is None else
                                {"page": self.widest_line.page, "article": self.widest_line.article,
                                 "words": self.widest_line.words}),
                "quote_marks": quotes,
                # No quote marks, no share: a 0 there would pass for "every quote curly".
                "straight_quote_share": round(self.straight_quotes / quotes, 4) if quotes else None}


def body_line_probes(page: Page) -> list[LineProbe]:
    """The justified body lines of a laid-out page: lines of body text that end at their column's
    right edge (a paragraph's last line, set at natural width, falls short of it)."""
    lines = [(min(r.x for r in runs), max(r.x + r.width for r in runs), baseline, runs)
             for (baseline, _), runs in _split_columns(page).items()]
    # A column's right edge: the furthest right any line starting near this one's left ends. Lines
    # share a few left edges (columns, indents), so the furthest right is found per left edge.
    furthest: dict[float, float] = {}
    for left, right, _, _ in lines:
        furthest[left] = max(right, furthest.get(left, right))
    measures = {left: max(r for l, r in furthest.items() if abs(l - left) < 15) for left in furthest}
    probes = []
    for left, right, baseline, runs in lines:
        measure = measures[left]  # the column's right edge
        if len(runs) < 2 or right < measure - 0.5:
            continue
        x0, pdf_baseline, x1, _ = pdf_rect(page, Box(left, baseline, right - left, 0.0))
        probes.append(LineProbe(x0, x1, pdf_baseline, runs[0].size, any(r.glyphs is not None for r in runs),
                                runs[0].source.article_id or "", "".join(r.text for r in runs).strip()))
    return probes


def _split_columns(page: Page) -> dict[tuple[float, float], list[TextRun]]:
    """Body runs grouped into lines: one baseline and one paragraph, cut where runs are more
    than three ems apart or where the text does not go on from one run to the next (two columns
    of one paragraph on one baseline: a paragraph longer than its column meets itself there,
    a gutter apart, which is under three ems; measured as one line, the gutter was a word gap)."""
    by_line: dict[tuple, list[TextRun]] = {}
    for item in page.items:
        if isinstance(item, TextRun) and item.source.role == "body":
            key = (round(item.baseline, 2), item.source.article_id, item.source.paragraph)
            by_line.setdefault(key, []).append(item)
    out: dict[tuple[float, float], list[TextRun]] = {}
    for (baseline, _, _), runs in by_line.items():
        runs.sort(key=lambda r: r.x)
        line: list[TextRun] = [runs[0]]
        for run in runs[1:]:
            prev = line[-1]
            # A line's runs follow one another in the text (a space between them at most).
            if run.x - (prev.x + prev.width) > prev.size * 3 or run.source.start - prev.source.end > 1:
                out[(baseline, line[0].x)] = line
                line = [run]
            else:
                line.append(run)
        out[(baseline, line[0].x)] = line
    return out


# pdfium's functions that run for every character or text object of a page, with plain pointer
# prototypes (handles and the addresses of out-parameters as integers). pypdfium2's bindings check
# and convert typed pointers on every call, which was most of reading a page's ~14,000 characters
# (and a Devanagari page's ~5,000 text objects): this way a call costs half.
_POINTER, _INT = ctypes.c_void_p, ctypes.c_int


def _address(handle) -> int | None:
    return ctypes.cast(handle, _POINTER).value


def _bound(function, restype, *argtypes) -> Callable[..., int]:
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, _POINTER).value or 0)


class _CharFunctions(NamedTuple):
    origin: Callable[..., int]
    unicode: Callable[..., int]
    loose_box: Callable[..., int]
    is_generated: Callable[..., int]


@cache
def _char_functions() -> _CharFunctions:
    # The C signatures (fpdf_text.h): FPDF_BOOL GetCharOrigin(FPDF_TEXTPAGE, int, double*, double*);
    # unsigned int GetUnicode(FPDF_TEXTPAGE, int); FPDF_BOOL GetLooseCharBox(FPDF_TEXTPAGE, int,
    # FS_RECTF*); int IsGenerated(FPDF_TEXTPAGE, int).
    return _CharFunctions(origin=_bound(pdfium_c.FPDFText_GetCharOrigin, _INT, _POINTER, _INT, _POINTER, _POINTER),
                          unicode=_bound(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, _POINTER, _INT),
                          loose_box=_bound(pdfium_c.FPDFText_GetLooseCharBox, _INT, _POINTER, _INT, _POINTER),
                          is_generated=_bound(pdfium_c.FPDFText_IsGenerated, _INT, _POINTER, _INT))


class _ObjectFunctions(NamedTuple):
    count: Callable[..., int]
    get: Callable[..., int]
    form_count: Callable[..., int]
    form_get: Callable[..., int]
    type: Callable[..., int]
    bounds: Callable[..., int]


@cache
def _object_functions() -> _ObjectFunctions:
    # fpdf_edit.h: int FPDFPage_CountObjects(FPDF_PAGE); FPDF_PAGEOBJECT FPDFPage_GetObject(FPDF_PAGE,
    # int); int FPDFFormObj_CountObjects(FPDF_PAGEOBJECT); FPDF_PAGEOBJECT FPDFFormObj_GetObject(
    # FPDF_PAGEOBJECT, unsigned long); int FPDFPageObj_GetType(FPDF_PAGEOBJECT); FPDF_BOOL
    # FPDFPageObj_GetBounds(FPDF_PAGEOBJECT, float*, float*, float*, float*).
    return _ObjectFunctions(count=_bound(pdfium_c.FPDFPage_CountObjects, _INT, _POINTER),
                            get=_bound(pdfium_c.FPDFPage_GetObject, _POINTER, _POINTER, _INT),
                            form_count=_bound(pdfium_c.FPDFFormObj_CountObjects, _INT, _POINTER),
                            form_get=_bound(pdfium_c.FPDFFormObj_GetObject, _POINTER, _POINTER, ctypes.c_ulong),
                            type=_bound(pdfium_c.FPDFPageObj_GetType, _INT, _POINTER),
                            bounds=_bound(pdfium_c.FPDFPageObj_GetBounds, _INT, _POINTER, _POINTER, _POINTER,
                                          _POINTER, _POINTER))


def page_chars(textpage: pdfium.PdfTextPage, rows: Collection[int] | None = None) -> list[tuple[str, float, float, float]]:
    """(character, left, right, origin y) for every character pdfium reads on the page; with
    ``rows``, only those whose origin y, in quarter points rounded, is one of them (the origin is
    read first, so the rest of a character is read only when it is wanted)."""
    # pdfium's own functions, called directly with reused out-parameters: this runs for every
    # character of every page (pypdfium2's get_charbox makes a new rectangle each call).
    raw = _address(textpage.raw)
    origin_of, unicode_of, loose_box, is_generated = _char_functions()
    x, y, rect = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_RECTF()
    x_ref, y_ref, rect_ref = ctypes.addressof(x), ctypes.addressof(y), ctypes.addressof(rect)
    out = []
    for i in range(textpage.count_chars()):
        origin_of(raw, i, x_ref, y_ref)
        if rows is not None and round(y.value * 4) not in rows:
            continue
        ch = chr(unicode_of(raw, i))
        # pdfium generates only spaces and line breaks (CPDF_TextPage's kGenerated characters),
        # so only whitespace is asked whether it was drawn: a call less for every letter.
        if ch.isspace() and is_generated(raw, i) == 1:
            continue
        if not loose_box(raw, i, rect_ref):
            raise pdfium.PdfiumError("Failed to get charbox.")
        out.append((ch, rect.left, rect.right, y.value))
    return out


class _CharRows:
    """A page's characters by their origin's height in quarter points, each row in order of the
    characters' left edges (a sort that keeps the reading order of equal edges), so that a line
    finds its characters among the page's by bisection, not by looking at every one of the row
    (a row runs across all the page's columns)."""

    def __init__(self, chars: Sequence[tuple[str, float, float, float]]) -> None:
        rows: dict[int, list[tuple[str, float, float, float]]] = {}
        for ch in chars:
            rows.setdefault(round(ch[3] * 4), []).append(ch)
        self._rows = {key: sorted(row, key=lambda c: c[1]) for key, row in rows.items()}
        self._lefts = {key: [c[1] for c in row] for key, row in self._rows.items()}
        # Bisecting by left edge up to the line's right end relies on no box ending left of its start.
        self._ordered = {key: all(c[1] <= c[2] for c in row) for key, row in self._rows.items()}

    def on_line(self, probe: LineProbe) -> list[tuple[str, float, float, float]]:
        """The characters drawn on ``probe``'s line, in order of their left edges: origin within
        0.3 pt of its baseline, box within half a point of its ends."""
        key = round(probe.baseline * 4)
        low, high = probe.left - 0.5, probe.right + 0.5
        found = []
        for k in (key - 1, key, key + 1):
            row = self._rows.get(k)
            if row is None:
                continue
            lefts = self._lefts[k]
            stop = bisect_right(lefts, high) if self._ordered[k] else len(row)
            found += [c for c in row[bisect_left(lefts, low):stop]
                      if abs(c[3] - probe.baseline) < 0.3 and c[2] <= high]
        return sorted(found, key=lambda c: c[1])


def measure_gaps(pdf: Path | str, probes_by_page: Sequence[Sequence[LineProbe]]) -> list[float]:
    """The widest gap between two words of each probed line, in ems (page by page, in order; a
    line with fewer than two words drawn has none)."""
    return [gap for _, gap in _probe_gaps(pdf, probes_by_page)]


def _probe_gaps(pdf: Path | str, probes_by_page: Sequence[Sequence[LineProbe]]) -> list[tuple[LineProbe, float]]:
    """:func:`measure_gaps`, each gap with the probe of its line."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        widest: list[tuple[LineProbe, float]] = []
        for index, probes in enumerate(probes_by_page):
            if not probes:
                continue
            page = doc[index]
            textpage = page.get_textpage()
            # Only the characters on (or a quarter point beside) a probed baseline are read.
            wanted = {round(p.baseline * 4) + d for p in probes if not p.shaped for d in (-1, 0, 1)}
            chars = page_chars(textpage, wanted)
            inks = _ink_rows(_text_objects(page)) if any(p.shaped for p in probes) else {}
            rows = _CharRows(chars)
            for probe in probes:
                if probe.shaped:
                    gap = _widest_ink_gap(inks.get(math.floor(probe.baseline), ()), probe)
                    if gap is not None:
                        widest.append((probe, gap / probe.size))
                    continue
                gap = _widest_gap(rows.on_line(probe))
                if gap is not None:
                    widest.append((probe, gap / probe.size))
            textpage.close()
            page.close()
        return widest
    finally:
        doc.close()


_FORM_DEPTH = 15  # form XObjects in form XObjects looked into, as pypdfium2's PdfPage.get_objects


def _text_objects(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """The ink bounds (left, bottom, right, top) of every text object drawn on the page, in the
    order of pypdfium2's ``get_objects`` (forms' objects after the form, up to its depth)."""
    calls = _object_functions()
    bounds = [ctypes.c_float() for _ in range(4)]
    addresses = [ctypes.addressof(value) for value in bounds]
    out: list[tuple[float, float, float, float]] = []

    def visit(objects: list[int | None], level: int) -> None:
        for obj in objects:
            if not obj:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            kind = calls.type(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if not calls.bounds(obj, *addresses):
                    raise pdfium.PdfiumError("Failed to locate pageobject.")
                out.append((bounds[0].value, bounds[1].value, bounds[2].value, bounds[3].value))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < _FORM_DEPTH - 1:
                visit([calls.form_get(obj, i) for i in range(calls.form_count(obj))], level + 1)

    handle = _address(page.raw)
    visit([calls.get(handle, i) for i in range(calls.count(handle))], 0)
    return out


def _ink_rows(inks: Sequence[tuple[float, float, float, float]]) -> dict[int, list[tuple[float, float, float, float]]]:
    """Text objects' ink bounds by the whole points of height they span (half a point more each
    way, as :func:`_widest_ink_gap` asks), so that a line looks only at the objects near it."""
    rows: dict[int, list[tuple[float, float, float, float]]] = {}
    for ink in inks:
        for row in range(math.floor(ink[1] - 0.5), math.floor(ink[3] + 0.5) + 1):
            rows.setdefault(row, []).append(ink)
    return rows


def _widest_ink_gap(inks: Sequence[tuple[float, float, float, float]], probe: LineProbe) -> float | None:
    """Shaped text: pdfium shares a syllable's box among its characters as it likes, so
    character boxes do not show where a Devanagari word ends. Each word is drawn as its own text
    object, though: the gap is measured between the ink of neighbouring words (their headline
    bars run the full width of the letters, so ink and advance nearly agree)."""
    spans = sorted((left, right) for left, bottom, right, top in inks
                   if bottom - 0.5 <= probe.baseline <= top + 0.5 and probe.left - 1 <= left and right <= probe.right + 1)
    merged: list[list[float]] = []
    for left, right in spans:
        if merged and left <= merged[-1][1] + 0.05 * probe.size:  # parts of one word
            merged[-1][1] = max(merged[-1][1], right)
        else:
            merged.append([left, right])
    if len(merged) < 2:
        return None
    return max(b[0] - a[1] for a, b in zip(merged, merged[1:]))


def _widest_gap(row: Sequence[tuple[str, float, float, float]]) -> float | None:
    words: list[tuple[float, float]] = []  # (left, right) of each word
    in_word = False
    for ch, left, right, _ in row:
        if ch.isspace():  # a space as drawn ends the word (NBSP stays inside it)
            in_word = False
            continue
        if in_word:
            words[-1] = (words[-1][0], max(words[-1][1], right))
        else:
            words.append((left, right))
            in_word = True
    if len(words) < 2:
        return None
    return max(b[0] - a[1] for a, b in zip(words, words[1:]))


def quote_counts(texts: Iterable[str]) -> tuple[int, int]:
    """(straight, curly) quote marks in ``texts``."""
    # str.count over the whole text, not a loop over its characters: an edition's body text is
    # ~400,000 characters, and the loop took a twentieth of a second of every build and replate.
    text = "".join(texts)
    return sum(text.count(mark) for mark in STRAIGHT_QUOTES), sum(text.count(mark) for mark in CURLY_QUOTES)


def spacing_figures(gaps: Sequence[float], body_texts: Iterable[str], widest_line: WidestLine | None = None
                    ) -> SpacingFigures:
    straight, curly = quote_counts(body_texts)
    return SpacingFigures(lines=len(gaps), over_half_em=sum(g > 0.5 for g in gaps),
                          over_0_8_em=sum(g > 0.8 for g in gaps), widest_em=max(gaps, default=0.0),
                          straight_quotes=straight, curly_quotes=curly, widest_line=widest_line)


def _page_gaps(job: tuple[str, tuple[LineProbe, ...]]) -> list[tuple[LineProbe, float]]:
    """A runner's task: the widest gaps of one page PDF's probed lines, each with its probe."""
    pdf, probes = job
    return _probe_gaps(pdf, [probes])


def edition_spacing(pages: Sequence[Page], page_pdfs: Sequence[Path], runner: Runner = IN_PROCESS) -> SpacingFigures:
    """The edition's word spacing and quote marks, measured from its drawn page PDFs (one per
    page, in the same order) where the frames say the justified body lines are. Pages are read
    on ``runner`` (the build's: every character of every page goes through pdfium)."""
    jobs = [(str(pdf), tuple(body_line_probes(page))) for page, pdf in zip(pages, page_pdfs, strict=True)]
    return SpacingFigures.combined(_of_page(page, gaps) for page, gaps in zip(pages, runner.map(_page_gaps, jobs)))


def page_word_gaps(page: Page, pdf: Path | str) -> list[float]:
    """The widest word gap (ems) of each justified body line of ``page``, read from its drawn PDF."""
    return [gap for _, gap in _page_gaps((str(pdf), tuple(body_line_probes(page))))]


def page_spacing(page: Page, pdf: Path | str) -> SpacingFigures:
    """The page's word spacing (:func:`page_word_gaps`, read from its drawn PDF) and its body text's
    quote marks: measured once, with the page's products; an edition's are :meth:`SpacingFigures.combined`."""
    return _of_page(page, _page_gaps((str(pdf), tuple(body_line_probes(page)))))


def _of_page(page: Page, measured: Sequence[tuple[LineProbe, float]]) -> SpacingFigures:
    widest = max(measured, key=lambda pair: pair[1], default=None)
    return spacing_figures([gap for _, gap in measured],
                           (item.text for item in page.items_of(TextRun) if item.source.role == "body"),
                           None if widest is None else WidestLine(page.number, widest[0].article, widest[0].words))
