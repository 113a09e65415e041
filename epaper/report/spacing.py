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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from epaper.frame import Box, Page, TextRun
from epaper.render.pdf import pdf_rect

__all__ = ["LineProbe", "SpacingFigures", "body_line_probes", "measure_gaps", "edition_spacing", "page_chars", "quote_counts",
           "spacing_figures"]

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


@dataclass(frozen=True)
class SpacingFigures:
    lines: int  # justified body lines measured
    over_half_em: int  # lines whose widest word gap is over 0.5 em
    over_0_8_em: int
    widest_em: float
    straight_quotes: int  # among the body text's quote marks
    curly_quotes: int

    def as_dict(self) -> dict:
        share = (lambda n: round(n / self.lines, 4) if self.lines else 0.0)
        quotes = self.straight_quotes + self.curly_quotes
        return {"justified_lines": self.lines, "share_over_0_5_em": share(self.over_half_em),
                "share_over_0_8_em": share(self.over_0_8_em), "widest_gap_em": round(self.widest_em, 3),
                "quote_marks": quotes,
                # No quote marks, no share: a 0 there would pass for "every quote curly".
                "straight_quote_share": round(self.straight_quotes / quotes, 4) if quotes else None}


def body_line_probes(page: Page) -> list[LineProbe]:
    """The justified body lines of a laid-out page: lines of body text that end at their column's
    right edge (a paragraph's last line, set at natural width, falls short of it)."""
    lines = [(min(r.x for r in runs), max(r.x + r.width for r in runs), baseline, runs)
             for (baseline, _), runs in _split_columns(page).items()]
    probes = []
    for left, right, baseline, runs in lines:
        measure = max(r for l, r, _, _ in lines if abs(l - left) < 15)  # the column's right edge
        if len(runs) < 2 or right < measure - 0.5:
            continue
        x0, pdf_baseline, x1, _ = pdf_rect(page, Box(left, baseline, right - left, 0.0))
        probes.append(LineProbe(x0, x1, pdf_baseline, runs[0].size, any(r.glyphs is not None for r in runs)))
    return probes


def _split_columns(page: Page) -> dict[tuple[float, float], list[TextRun]]:
    """Body runs grouped into lines: one baseline and one paragraph, cut where runs are more
    than three ems apart (two columns of one paragraph on one baseline)."""
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
            if run.x - (prev.x + prev.width) > prev.size * 3:
                out[(baseline, line[0].x)] = line
                line = [run]
            else:
                line.append(run)
        out[(baseline, line[0].x)] = line
    return out


def page_chars(textpage: pdfium.PdfTextPage) -> list[tuple[str, float, float, float]]:
    """(character, left, right, origin y) for every character pdfium reads on the page."""
    out = []
    x = ctypes.c_double()
    y = ctypes.c_double()
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        left, _, right, _ = textpage.get_charbox(i, loose=True)
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
        out.append((chr(code), left, right, y.value))
    return out


def measure_gaps(pdf: Path | str, probes_by_page: Sequence[Sequence[LineProbe]]) -> list[float]:
    """The widest gap between two words of each probed line, in ems (page by page, in order)."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        widest: list[float] = []
        for index, probes in enumerate(probes_by_page):
            if not probes:
                continue
            page = doc[index]
            textpage = page.get_textpage()
            chars = page_chars(textpage)
            inks = _text_objects(page) if any(p.shaped for p in probes) else []
            rows: dict[int, list[tuple[str, float, float, float]]] = {}
            for ch in chars:
                rows.setdefault(round(ch[3] * 4), []).append(ch)
            for probe in probes:
                if probe.shaped:
                    gap = _widest_ink_gap(inks, probe)
                    if gap is not None:
                        widest.append(gap / probe.size)
                    continue
                key = round(probe.baseline * 4)
                row = [c for k in (key - 1, key, key + 1) for c in rows.get(k, ())
                       if abs(c[3] - probe.baseline) < 0.3 and probe.left - 0.5 <= c[1] and c[2] <= probe.right + 0.5]
                gap = _widest_gap(sorted(row, key=lambda c: c[1]))
                if gap is not None:
                    widest.append(gap / probe.size)
            textpage.close()
            page.close()
        return widest
    finally:
        doc.close()


def _text_objects(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """The ink bounds (left, bottom, right, top) of every text object drawn on the page."""
    return [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])]


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
    straight = curly = 0
    for text in texts:
        for ch in text:
            straight += ch in STRAIGHT_QUOTES
            curly += ch in CURLY_QUOTES
    return straight, curly


def spacing_figures(gaps: Sequence[float], body_texts: Iterable[str]) -> SpacingFigures:
    straight, curly = quote_counts(body_texts)
    return SpacingFigures(lines=len(gaps), over_half_em=sum(g > 0.5 for g in gaps),
                          over_0_8_em=sum(g > 0.8 for g in gaps), widest_em=max(gaps, default=0.0),
                          straight_quotes=straight, curly_quotes=curly)


def edition_spacing(pages: Sequence[Page], page_pdfs: Sequence[Path]) -> SpacingFigures:
    """The edition's word spacing and quote marks, measured from its drawn page PDFs (one per
    page, in the same order) where the frames say the justified body lines are."""
    gaps: list[float] = []
    texts: list[str] = []
    for page, pdf in zip(pages, page_pdfs, strict=True):
        gaps += measure_gaps(pdf, [body_line_probes(page)])
        texts += [item.text for item in page.items if isinstance(item, TextRun) and item.source.role == "body"]
    return spacing_figures(gaps, texts)
