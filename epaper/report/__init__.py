"""The quality and proof report: ``report.json`` for tools, ``report.html`` for the desk.

Figures come from the laid-out pages and layout's decisions. Overfull lines and glyph collisions
are measured from the ink of what is drawn (:mod:`epaper.report.ink`); word spacing and quote marks
from the drawn page PDFs (:mod:`epaper.report.spacing`), where the frames say the lines are;
widows and orphans from the body lines the frames draw (:mod:`epaper.report.faults`); the largest
blank from the drawn matter (:mod:`epaper.frame.blank`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from epaper.frame import TOMBSTONE_BREACH, BlankSpace, FillRect, LaidOutEdition, PageQuality
from epaper.frame.blank import is_hole, page_blank, page_fill
from epaper.i18n import Wording
from epaper.model import edition_name
from epaper.report.faults import DrawnFaults, drawn_faults
from epaper.report.ink import PageInk, page_ink
from epaper.report.night import night_section
from epaper.report.spacing import SpacingFigures

__all__ = ["report_document", "write_report_html"]

RATIO_BINS = (-1.0, -0.5, 0.0, 0.25, 0.5, 1.0, 2.0, float("inf"))


def _histogram(ratios: Sequence[float]) -> dict[str, int]:
    counts = {}
    for lo, hi in zip(RATIO_BINS, RATIO_BINS[1:]):
        label = f"{lo:+.2f}..{hi:+.2f}" if hi != float("inf") else f">{lo:+.2f}"
        counts[label] = sum(1 for r in ratios if lo <= r < hi)
    counts["< -1.00 (overfull)"] = sum(1 for r in ratios if r < -1.0)
    return counts


def _quality(q: PageQuality, ink: PageInk, faults: DrawnFaults, fill: float, breaches: list[str]) -> dict:
    ratios = q.adjustment_ratios
    return {
        "fill_ratio": round(fill, 4),
        "overset_lines": q.overset_lines,
        "widows": faults.widows,
        "orphans": faults.orphans,
        "tombstones": len(faults.tombstones),
        "alike_headlines": list(faults.alike_headlines),
        "hyphenated_lines": faults.hyphenated_lines,
        "hyphen_runs": faults.hyphen_runs,
        "overfull_lines": ink.overfull_lines,
        "glyph_collisions": ink.glyph_collisions,
        "touching_lines": ink.touching_lines,
        "ink_problems": list(ink.problems),
        "loosest_line": round(q.loosest_line, 3),
        "lines_stretched_over_50pct": sum(1 for r in ratios if r > 0.5),
        "justified_lines": len(ratios),
        "adjustment_ratios": _histogram(ratios),
        "breaches": breaches,
        "notes": list(q.notes),
    }


def _breaches(q: PageQuality, faults: DrawnFaults) -> list[str]:
    """The page's rule breaches: layout's record, its tombstones as drawn (the count beside them)."""
    return ([b for b in q.breaches if not b.startswith(TOMBSTONE_BREACH)]
            + [f"{TOMBSTONE_BREACH}{pair}" for pair in faults.tombstones])


def _blank(blank: BlankSpace) -> dict:
    """The page's largest empty rectangle: its share of the editorial area and where it is (points)."""
    box = None if blank.box is None else [round(v, 1) for v in (blank.box.x, blank.box.y, blank.box.w, blank.box.h)]
    return {"share": round(blank.share, 4), "box": box, "hole": is_hole(blank)}


def report_document(laid_out: LaidOutEdition, *, seconds: float | None = None,
                    inks: Sequence[PageInk] | None = None, spacing: Sequence[SpacingFigures] | None = None,
                    faults: Sequence[DrawnFaults] | None = None) -> dict:
    """``inks`` and ``faults`` are the pages' :func:`~epaper.report.ink.page_ink` and
    :func:`~epaper.report.faults.drawn_faults`, if measured already (a page's products carry
    them); otherwise they are measured here. ``spacing``: each page's word spacing read from its
    drawn PDF (:func:`~epaper.report.spacing.page_spacing`, with its products), for its own figures
    to stand with it and the edition's to be made of them (not measured here: no PDF is read)."""
    pages = laid_out.pages
    if inks is None:
        inks = [page_ink(page, laid_out.format) for page in pages]
    all_ratios = [r for p in pages for r in p.quality.adjustment_ratios]
    blanks = [page_blank(p) for p in pages]
    fills = [page_fill(p, laid_out.format) for p in pages]
    if faults is None:
        faults = [drawn_faults(p, laid_out.format) for p in pages]
    breaches = [_breaches(p.quality, f) for p, f in zip(pages, faults)]
    each_spacing: Sequence[SpacingFigures | None] = spacing if spacing is not None else [None] * len(pages)
    totals = {
        "pages": len(pages),
        "articles": len(laid_out.edition.articles),
        "placed": len({r.article_id for p in pages for r in p.regions}),
        "unplaced": len(laid_out.unplaced),
        "jumps": sum(1 for p in pages for r in p.regions if r.continued_to),
        "mean_fill_ratio": round(sum(fills) / len(fills), 4) if fills else 0.0,
        "min_fill_ratio": round(min(fills, default=0.0), 4),
        "largest_blank_share": round(max((b.share for b in blanks), default=0.0), 4),
        "overset_lines": sum(p.quality.overset_lines for p in pages),
        "widows": sum(f.widows for f in faults),
        "orphans": sum(f.orphans for f in faults),
        "tombstones": sum(len(f.tombstones) for f in faults),
        "alike_headlines": sum(len(f.alike_headlines) for f in faults),
        "hyphenated_lines": sum(f.hyphenated_lines for f in faults),
        "hyphen_runs": sum(f.hyphen_runs for f in faults),
        "overfull_lines": sum(ink.overfull_lines for ink in inks),
        "glyph_collisions": sum(ink.glyph_collisions for ink in inks),
        "touching_lines": sum(ink.touching_lines for ink in inks),
        "breaches": sum(len(found) for found in breaches),
        "loosest_line": round(max((p.quality.loosest_line for p in pages), default=0.0), 3),
        "lines_stretched_over_50pct": sum(1 for r in all_ratios if r > 0.5),
        "justified_lines": len(all_ratios),
        "adjustment_ratios": _histogram(all_ratios),
    }
    if seconds is not None:
        totals["build_seconds"] = round(seconds, 2)
    if spacing is not None:  # measured from the page PDFs: widest word gap per justified line
        totals["word_spacing"] = SpacingFigures.combined(spacing).as_dict()
    by_page: dict[int, list] = {}
    for d in laid_out.decisions:
        by_page.setdefault(d.page, []).append({
            "id": d.article_id, "columns": d.columns, "rows": d.rows, "headline_size": d.headline_size,
            "body_lines": d.lines, "adjustments": list(d.adjustments)})
    return {
        "edition": {"id": laid_out.edition.id, "title": laid_out.edition.title,
                    "date": laid_out.edition.date.isoformat(), "edition": laid_out.edition.edition},
        "totals": totals,
        "pages": [{"number": p.number, "section": p.section, **_quality(p.quality, ink, fault, fill, found),
                   "largest_blank": _blank(blank), "articles": by_page.get(p.number, []),
                   **({} if figures is None else {"word_spacing": figures.as_dict()})}
                  for p, ink, blank, fault, fill, found, figures
                  in zip(pages, inks, blanks, faults, fills, breaches, each_spacing)],
        "unplaced": [{"id": u.article_id, "reason": u.reason} for u in laid_out.unplaced],
    }


WARNINGS_SHOWN_OPEN = 12  # more than this many are counted by field first, the list one click away


def _warnings(warnings: list[dict], words: Wording) -> str:
    """The build's warnings, each naming its file, field and fix; a long list (dozens on a night,
    mostly photos and kickers a tight page left out) opens on its count by field."""
    esc = html.escape
    # By the input's own field names (images[0] and images[1] are both images); "file": a whole file not read.
    fields = Counter(re.sub(r"\[\d+\]", "", w["field"]) or "file" for w in warnings)
    summary = words.say("report_warnings_summary", count=len(warnings),
                        fields=" · ".join(f"{name} {words.number(count)}" for name, count in fields.most_common()))
    items = "".join(f"<li><b>{esc(w['file'])}</b>{': ' + esc(w['field']) if w['field'] else ''}: {esc(w['message'])}"
                    f" — {esc(w['fix'])}</li>" for w in warnings)
    opened = " open" if len(warnings) <= WARNINGS_SHOWN_OPEN else ""
    return (f"<h2>{esc(words.say('report_warnings'))}</h2><details class='warnings'{opened}>"
            f"<summary>{esc(summary)}</summary><ul>{items}</ul></details>")


def _spacing_rows(spacing: dict | None, words: Wording, *, edition: bool = False) -> list[str]:
    """The word spacing read from the drawn PDFs, as the proof sheet shows it: what a subeditor sees
    of loose lines, and where the loosest is: its words and story (and, for the ``edition``'s
    figures, its page), for the subeditor to find and mend. Layout's own stretch ratio,
    ``loosest_line``, stays in report.json for tools."""
    if not spacing or not spacing["justified_lines"]:
        return []
    # The figure as a figure; the line it was measured on under it, in the text's size (set in the
    # figure's large type it ran out of a phone's screen).
    widest = html.escape(f"{spacing['widest_gap_em']:g}")
    line = spacing.get("widest_line")
    if line:
        where = line["article"] + (", " + words.say("page_ref", page=line["page"]) if edition else "")
        said = f"“{line['words']}” ({where})"
        widest += f"<small>{html.escape(said)}</small>"
    rows = (("figure_widest_word_gap", widest),
            ("figure_loose_lines_share", html.escape(f"{spacing['share_over_0_5_em']:.1%}")))
    return [f"<tr><th>{html.escape(words.say(key))}</th><td>{value}</td></tr>" for key, value in rows]


def write_report_html(report: dict, laid_out: LaidOutEdition, path: Path) -> None:
    """A proof sheet: edition totals, then each page's thumbnail with module outlines and figures."""
    esc = html.escape
    t = report["totals"]
    # Headings and figure names in the edition's language (the desk's); ids, reasons and notes as measured.
    words = laid_out.edition.wording()
    # The edition's name beside the title, as the viewer's has it: a night's reports are otherwise alike.
    title = f"{report['edition']['title']} · {words.say('edition_suffix', edition=edition_name(laid_out.edition.edition))}"
    heading = words.say("report_title", title=title, date=words.long_date(laid_out.edition.date))
    out = [f"<!doctype html><html lang='{esc(words.language)}'><head><meta charset='utf-8'>",
           "<meta name='viewport' content='width=device-width, initial-scale=1'><title>",
           # (An empty icon: else the browser asks the server for /favicon.ico, a 404 in its console.)
           esc(heading), "</title><link rel='icon' href='data:,'><link rel='stylesheet' href='static/report.css'>",
           "</head><body><main>", f"<h1>{esc(heading)}</h1>",
           "<table class='totals'>"]
    for key in ("pages", "articles", "placed", "unplaced", "jumps", "mean_fill_ratio", "min_fill_ratio",
                "largest_blank_share", "overset_lines", "widows", "orphans", "tombstones", "alike_headlines", "hyphen_runs",
                "overfull_lines", "glyph_collisions", "breaches"):
        out.append(f"<tr><th>{esc(words.say('figure_' + key))}</th><td>{esc(str(t[key]))}</td></tr>")
    out += _spacing_rows(t.get("word_spacing"), words, edition=True)
    out.append("</table>")
    if report["unplaced"]:
        out.append(f"<h2>{esc(words.say('report_not_placed'))}</h2><ul>")
        out += [f"<li><b>{esc(u['id'])}</b>: {esc(u['reason'])}</li>" for u in report["unplaced"]]
        out.append("</ul>")
    if report.get("night"):  # added by epaper build-night: a zone's proof is first of all its own pages
        out.append(night_section(report["night"], words))
    if report.get("warnings"):  # added by the build: what prints differently from what the desk gave
        out.append(_warnings(report["warnings"], words))
    for page, info in zip(laid_out.pages, report["pages"]):
        scale = 300 / page.width
        out.append(f"<section class='page'><h2>{esc(words.say('report_page', page=page.number, section=page.section))}</h2>")
        out.append(f"<svg width='300' height='{page.height * scale:.0f}' viewBox='0 0 {page.width:.1f} {page.height:.1f}' "
                   f"role='img' aria-label='{esc(words.say('report_thumbnail'))}'>")
        out.append(f"<image href='thumbs/{page.stem}.jpg' width='{page.width:.1f}' height='{page.height:.1f}'/>")
        for region in page.regions:
            for b in region.boxes:
                out.append(f"<rect x='{b.x:.1f}' y='{b.y:.1f}' width='{b.w:.1f}' height='{b.h:.1f}' class='module'>"
                           f"<title>{esc(region.article_id)}</title></rect>")
        for item in page.items_of(FillRect):
            if item.source is not None and item.source.role == "refer":
                b = item.box
                out.append(f"<rect x='{b.x:.1f}' y='{b.y:.1f}' width='{b.w:.1f}' height='{b.h:.1f}' class='refer'>"
                           f"<title>{esc(words.say('report_refer_box'))}</title></rect>")
        blank = info["largest_blank"]
        if blank["hole"]:  # as the build's warning says (or a page with no story at all)
            x, y, w, h = blank["box"]
            out.append(f"<rect x='{x}' y='{y}' width='{w}' height='{h}' class='hole'>"
                       f"<title>{esc(words.say('report_hole'))}</title></rect>")
        out.append("</svg><div class='figures'><table>")
        for key in ("fill_ratio", "overset_lines", "widows", "orphans", "tombstones", "hyphen_runs", "overfull_lines",
                    "glyph_collisions"):
            out.append(f"<tr><th>{esc(words.say('figure_' + key))}</th><td>{esc(str(info[key]))}</td></tr>")
        alike = info["alike_headlines"]
        out.append(f"<tr><th>{esc(words.say('figure_alike_headlines'))}</th><td>{len(alike)}</td></tr>")
        out += _spacing_rows(info.get("word_spacing"), words)
        out.append(f"<tr><th>{esc(words.say('figure_largest_blank'))}</th><td>{esc(str(blank['share']))}</td></tr>")
        out.append("</table><ul>")
        for a in info["articles"]:
            adj = "; ".join(a["adjustments"]) or "as measured"
            out.append(f"<li><b>{esc(a['id'])}</b>: {a['columns']} col × {a['rows']} rows, "
                       f"{a['headline_size']:g} pt head, {a['body_lines']} lines — {esc(adj)}</li>")
        out.append("</ul>")
        if info["breaches"]:
            out.append("<p class='breach'>" + "<br>".join(esc(b) for b in info["breaches"]) + "</p>")
        if info["ink_problems"]:
            out.append("<p class='breach'>" + "<br>".join(esc(b) for b in info["ink_problems"]) + "</p>")
        if info["notes"] or alike:
            out.append("<p class='note'>" + "<br>".join(esc(n) for n in [*info["notes"], *alike]) + "</p>")
        out.append("</div></section>")
    out.append("</main></body></html>")
    path.write_text("".join(out), encoding="utf-8")
