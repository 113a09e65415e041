"""No ink outside its box: hostile words in a real edition, checked from the PDF's glyph boxes
(pypdfium2) and from the report's measured figures; and the figures catch ink that does collide."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml

from epaper.formats import load_format
from epaper.frame import ArticleRegion, Box, FontRef, Page, Source, TextRun
from epaper.ingest import load_edition
from epaper.layout import lay_out, page_fonts
from epaper.render.pdf import render_page
from epaper.report import report_document
from epaper.report.ink import page_ink
from small_edition import make_small_edition

CHEMICAL = "Tetrachlorodibenzoparadioxinmethylenedioxymethamphetamine"
URL = "https://example.org/archive/2026/annual_report.final-version/appendix_b/table.of.contents/index.html"
TOKEN = "Z" * 300
HEADLINE_WORD = "Supercalifragilistic" * 10  # 200 letters, one word
FILLER = ("The council met on Tuesday evening to hear the engineers explain the plan in detail, and the "
          "residents who came asked about the cost, the timetable and the noise of the works. ")


def _article(article_id: str, headline: str, body: list[str], priority: int) -> dict:
    return {"id": article_id, "section": "City", "priority": priority, "headline": headline,
            "byline": "By A. Reporter", "body": body}


@pytest.fixture(scope="module")
def hostile_edition(tmp_path_factory) -> Path:
    """The sample's Front and City sections (no ads) with four stories of hostile words."""
    root = make_small_edition(tmp_path_factory.mktemp("hostile") / "edition")
    stories = [
        _article("hostile-chemical", "Chemical found in the river", [FILLER + f"{CHEMICAL} " * 6 + FILLER] * 3, 2),
        _article("hostile-token", "A very long token", [FILLER + TOKEN + " " + FILLER, FILLER * 2], 2),
        _article("hostile-url", "Report published online", [f"{FILLER}It is at {URL} and {URL}. {FILLER}"] * 2, 3),
        _article("hostile-headline", HEADLINE_WORD, [FILLER * 3], 1),
    ]
    for story in stories:
        (root / "articles" / f"{story['id']}.json").write_text(json.dumps(story), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_layout(hostile_edition):
    laid_out = lay_out(load_edition(hostile_edition))
    placed = {r.article_id for p in laid_out.pages for r in p.regions}
    assert {"hostile-chemical", "hostile-token", "hostile-url", "hostile-headline"} <= placed, laid_out.unplaced
    return laid_out


def _char_boxes(pdf: Path, page: Page):
    """Every drawn character's tight glyph box from PDFium, in page space (top-left origin, y
    down, trimmed page), with its text."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = doc[0].get_textpage()
        out = []
        for i in range(text.count_chars()):
            ch = text.get_text_range(i, 1)
            if ch.isspace() or ch in "\r\n\ufffe":
                continue
            left, bottom, right, top = text.get_charbox(i)
            if right - left <= 0 or top - bottom <= 0:
                continue
            x0, x1 = left - page.bleed, right - page.bleed
            y0, y1 = page.height + page.bleed - top, page.height + page.bleed - bottom
            out.append((ch, x0, y0, x1, y1))
        return out
    finally:
        doc.close()


def test_no_glyph_of_one_story_overlaps_another_from_the_pdf(hostile_layout, tmp_path):
    """Each glyph PDFium finds on a page with a hostile story lies inside the module of the story
    it starts in (or, for furniture, on the page), so no story's glyph reaches another's."""
    pages = [p for p in hostile_layout.pages if any(r.article_id.startswith("hostile-") for r in p.regions)]
    assert pages
    for page in pages:
        pdf = tmp_path / f"{page.number:03d}.pdf"
        render_page(page, pdf, title="hostile", author="test")
        modules = [(r.article_id, b) for r in page.regions for b in r.boxes]
        chars = _char_boxes(pdf, page)
        assert len(chars) > 1000
        for ch, x0, y0, x1, y1 in chars:
            assert -0.5 <= x0 and x1 <= page.width + 0.5 and -0.5 <= y0 and y1 <= page.height + 0.5, \
                f"page {page.number}: {ch!r} off the page at {x0:.1f},{y0:.1f}"
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            home = [(aid, b) for aid, b in modules if b.x <= cx <= b.right and b.y - 2 <= cy <= b.bottom + 2]
            if not home:
                continue  # furniture (folio, section head) or a gutter: checked against the page above
            aid, box = home[0]
            fuzz = 0.15 * (y1 - y0) + 1.0  # a glyph's overhang past its advance (see epaper.report.ink)
            assert box.x - fuzz <= x0 and x1 <= box.right + fuzz, \
                f"page {page.number}: {ch!r} of {aid} at x {x0:.1f}–{x1:.1f} leaves its module {box.as_list()}"
            for other, b in modules:
                if other != aid:
                    assert not b.overlaps(Box(x0, y0, x1 - x0, y1 - y0), tolerance=fuzz), \
                        f"page {page.number}: {ch!r} of {aid} over {other}'s module"


def test_the_report_measures_no_overfull_line_and_no_collision(hostile_layout):
    report = report_document(hostile_layout)
    assert report["totals"]["overfull_lines"] == 0, [p["ink_problems"] for p in report["pages"]]
    assert report["totals"]["glyph_collisions"] == 0, [p["ink_problems"] for p in report["pages"]]
    for page in report["pages"]:
        assert page["overfull_lines"] == 0 and page["glyph_collisions"] == 0


def test_without_emergency_breaks_the_same_stories_are_counted(hostile_edition, monkeypatch):
    """The figures can fail: with emergency breaks switched off, the hostile words overrun their
    columns and the report counts them."""
    import epaper.typeset as typeset

    typeset.clear_caches()
    from epaper.layout import module
    module.design_module.cache_clear()
    monkeypatch.setattr(typeset, "fit_to_measure", lambda prep, *args: prep)
    try:
        laid_out = lay_out(load_edition(hostile_edition))
        report = report_document(laid_out)
    finally:
        monkeypatch.undo()
        typeset.clear_caches()
        module.design_module.cache_clear()
    assert report["totals"]["overfull_lines"] > 0  # (names break at a cost: fewer overrun than URLs and tokens)
    assert report["totals"]["glyph_collisions"] > 0
    problems = [line for p in report["pages"] for line in p["ink_problems"]]
    assert any("hostile-token" in line for line in problems)


def _page(runs: list[TextRun], regions: list[ArticleRegion]) -> Page:
    fmt = load_format("broadsheet")
    return Page(number=1, section="City", width=fmt.width, height=fmt.height, items=tuple(runs),
                regions=tuple(regions), editorial=Box(fmt.margin_left(1), 40, fmt.width - 80, fmt.height - 80),
                fonts=page_fonts(runs))


def _run(article: str, x: float, baseline: float, text: str, role: str = "body") -> TextRun:
    return TextRun(x=x, baseline=baseline, font="serif", size=9.0, text=text, width=0.0, source=Source(article, role))


def test_a_deliberately_colliding_frame_is_counted():
    fmt = load_format("broadsheet")
    left = fmt.margin_left(1)
    a = ArticleRegion("a", "A", (Box(left, 100, fmt.column_width, 200),), None)
    b = ArticleRegion("b", "B", (Box(left + fmt.column_width + fmt.gutter, 100, fmt.column_width, 200),), None)
    column_b = left + fmt.column_width + fmt.gutter
    clean = _page([_run("a", left, 120, "harbour"), _run("b", column_b, 120, "harbour")], [a, b])
    assert page_ink(clean, fmt).overfull_lines == 0 and page_ink(clean, fmt).glyph_collisions == 0
    # story a's line runs on over story b's first word
    long_word = "x" * 60
    overrun = _page([_run("a", left, 120, long_word), _run("b", column_b, 120, "harbour")], [a, b])
    ink = page_ink(overrun, fmt)
    assert ink.overfull_lines == 1
    assert ink.glyph_collisions >= len("harbour") - 1
    assert any("a body" in p and "b body" in p for p in ink.problems)
    # furniture drawn off the page's right edge
    off = _page([replace(_run("a", left, 120, "harbour"), source=Source(None, "folio"), x=fmt.width - 10)], [a])
    assert page_ink(off, fmt).overfull_lines == 1


def test_an_italic_f_overhanging_the_measure_by_design_is_not_an_overfull_line():
    """The sample's page 12 ended a justified line with an italic "Of": the f's ink overhangs its
    own advance by 0.17 em (Noto Serif Italic), 1.5 pt past the column, as in any typesetter. A line
    whose pen runs past the column by as much is overfull."""
    from epaper.render.geometry import run_geometry
    from epaper.typeset.fonts import font_book

    fmt = load_format("broadsheet")
    left = fmt.margin_left(1)
    a = ArticleRegion("a", "A", (Box(left, 100, fmt.column_width, 200),), None)
    italic = FontRef("serif-italic", str(font_book().face("serif-italic").path))
    geometry = run_geometry(italic, 9.0, "Of", None)
    assert geometry.bounds[2] - geometry.edges[-1] > max(1.0, 0.15 * 9)  # ink past the pen, past the fuzz
    at_edge = replace(_run("a", left + fmt.column_width - geometry.edges[-1], 120, "Of"), font="serif-italic")
    assert page_ink(_page([at_edge], [a]), fmt).overfull_lines == 0
    too_wide = replace(at_edge, x=at_edge.x + 1.6)
    ink = page_ink(_page([too_wide], [a]), fmt)
    assert ink.overfull_lines == 1 and "reaches 1.6 pt out of its box" in ink.problems[0]


def test_pieces_of_one_word_and_a_storys_own_lines_are_not_collisions():
    fmt = load_format("broadsheet")
    left = fmt.margin_left(1)
    a = ArticleRegion("a", "A", (Box(left, 100, fmt.span_width(3), 300),), None)
    first = TextRun(x=left, baseline=200, font="headline", size=60, text="gy", width=0.0,
                    source=Source("a", "headline", 0, 0, 2))
    below = TextRun(x=left, baseline=245, font="headline", size=60, text="Hl", width=0.0,
                    source=Source("a", "deck", 0, 0, 2))
    ink = page_ink(_page([first, below], [a]), fmt)
    assert ink.glyph_collisions == 0 and ink.touching_lines == 1


def test_a_very_long_title_is_set_smaller_in_the_folio_not_over_the_page_label(tmp_path):
    """A 300-character title shares the folio line with the section and page label: it is set
    smaller to fit beside it, so no folio glyph leaves the page or touches the label's."""
    root = make_small_edition(tmp_path / "edition")
    manifest = root / "edition.yaml"
    fields = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    fields["title"] = ("The Morning Ledger " * 16).strip()  # 303 characters
    manifest.write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
    laid_out = lay_out(load_edition(root))
    assert laid_out.pages[0].number == 1
    report = report_document(laid_out)
    assert report["totals"]["overfull_lines"] == 0, [p["ink_problems"] for p in report["pages"]]
    assert report["totals"]["glyph_collisions"] == 0, [p["ink_problems"] for p in report["pages"]]
    for page in laid_out.pages[1:]:  # (the front has its nameplate, no folio)
        folio = [i for i in page.items if isinstance(i, TextRun) and i.source.role == "folio"]
        title_runs = [r for r in folio if "Morning" in r.text or "Ledger" in r.text]
        label_runs = [r for r in folio if "PAGE" in r.text]
        assert title_runs and label_runs
        title_span = (min(r.x for r in title_runs), max(r.x + r.width for r in title_runs))
        label_span = (min(r.x for r in label_runs), max(r.x + r.width for r in label_runs))
        assert title_span[1] <= label_span[0] or label_span[1] <= title_span[0], f"page {page.number}"
        assert 0 <= title_span[0] and title_span[1] <= page.width
