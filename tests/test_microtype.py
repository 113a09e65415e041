"""Microtypography: letters spaced and glyphs scaled within each style's limits, per line, so the
word spaces come closest to natural; Devanagari only scaled, its clusters untouched; the PDF draws
exactly what typeset measured and still extracts as the original text."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from epaper.formats import NO_MICROTYPE, Microtype, load_format
from epaper.frame import Box, Page, Source, TextRun
from epaper.ingest import load_edition
from epaper.layout import page_fonts
from epaper.render.pdf import render_page
from epaper.typeset import font_book, set_text
from epaper.typeset.microtype import fit_line

SAMPLE = Path(__file__).resolve().parent.parent / "sample-edition"
FMT = load_format("broadsheet")
BODY = FMT.style("body")
SUBHEAD = FMT.style("subhead")


def _bodies(language: str, count: int = 6):
    edition = load_edition(SAMPLE)
    return [a for a in edition.articles if a.language == language][:count]


def test_styles_yaml_sets_newspaper_limits_for_body_text() -> None:
    micro = BODY.microtype
    assert micro.glyph_scaling == (0.98, 1.02)
    assert micro.letter_spacing == (-0.01, 0.01)
    assert FMT.style("caption").microtype == NO_MICROTYPE  # ragged styles set their letters as is


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="glyph_scaling"):
        Microtype(glyph_scaling=(0.8, 1.0))
    with pytest.raises(ValueError, match="letter_spacing"):
        Microtype(letter_spacing=(0.01, 0.02))


def test_letters_take_the_slack_first_then_the_spaces() -> None:
    assert fit_line(2.0, 4.0, 3.0, 10.0, 5.0) == pytest.approx((0.5, 0.0))
    assert fit_line(9.0, 4.0, 3.0, 10.0, 5.0) == pytest.approx((1.0, 0.5))
    assert fit_line(-1.5, 4.0, 3.0, 10.0, 5.0) == pytest.approx((-0.5, 0.0))
    assert fit_line(-5.5, 4.0, 3.0, 10.0, 5.0) == pytest.approx((-1.0, -0.5))


@pytest.mark.parametrize("language", ["en", "hi"])
def test_no_line_beyond_the_limits_and_every_justified_line_fills_its_measure(language: str) -> None:
    micro = BODY.microtype
    size = BODY.size
    used = 0
    for article in _bodies(language):
        block = set_text(article.body, BODY, SUBHEAD, FMT.column_width, language)
        for line in block.lines:
            assert -1.0 - 1e-9 <= line.letters <= 1.0 + 1e-9
            for seg in line.segments:
                assert micro.glyph_scaling[0] - 1e-9 <= seg.scale <= micro.glyph_scaling[1] + 1e-9
                tracking = seg.char_space * seg.scale / size  # Tc is scaled by Tz in the PDF
                assert micro.letter_spacing[0] - 1e-9 <= tracking <= micro.letter_spacing[1] + 1e-9
                if seg.glyphs is not None:
                    assert seg.char_space == 0.0, "Devanagari is never letter-spaced"
            if line.justified and not line.last_of_paragraph:
                right = max(s.x + s.width for s in line.segments)
                assert right == pytest.approx(FMT.column_width, abs=0.01)
                used += line.letters != 0
            if line.letters and abs(line.letters) < 1 - 1e-9:
                # the letters were not at their limit: the spaces stayed natural
                assert line.ratio == pytest.approx(0.0)
    assert used > 20


def test_devanagari_clusters_are_drawn_as_shaped() -> None:
    """Scaling never touches the glyphs: every Devanagari segment carries exactly what HarfBuzz
    shaped for its text (same glyphs, same clusters, in the same order)."""
    book = font_book()
    checked = 0
    for article in _bodies("hi"):
        block = set_text(article.body, BODY, SUBHEAD, FMT.column_width, "hi")
        for line in block.lines:
            for seg in line.segments:
                if seg.glyphs is None or seg.text.rstrip(" ").endswith("-"):
                    continue
                core = seg.text.rstrip(" ")
                assert seg.glyphs == book.face(seg.face).shape(core, seg.size).glyphs
                checked += seg.scale != 1.0
    assert checked > 20


def _line_page(tmp_path: Path, language: str) -> tuple[Path, list, float]:
    article = _bodies(language, 1)[0]
    block = set_text(article.body[:2], BODY, SUBHEAD, FMT.column_width, language)
    items = []
    x0, top = 30.0, 40.0
    for i, line in enumerate(block.lines):
        for seg in line.segments:
            items.append(TextRun(x=x0 + seg.x, baseline=top + i * line.leading, font=seg.face, size=seg.size,
                                 text=seg.text, width=seg.width, glyphs=seg.glyphs, source=Source("t", "body"),
                                 scale=seg.scale, char_space=seg.char_space))
    page = Page(number=1, section="t", width=FMT.column_width + 60, height=top + len(block.lines) * 11 + 40,
                items=tuple(items), regions=(), editorial=Box(0, 0, 1, 1), fonts=page_fonts(items))
    path = tmp_path / f"{language}.pdf"
    render_page(page, path, title="t", author="t")
    return path, list(block.lines), x0


def test_pdf_extracts_the_original_text(tmp_path: Path) -> None:
    path, lines, _ = _line_page(tmp_path, "en")
    assert any(line.letters for line in lines)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext joins a word hyphenated at a line end; so does the expected text.
    expected = " ".join(p.text for p in _bodies("en", 1)[0].body[:2]).split()
    assert text.split() == expected


def test_pdf_draws_each_justified_line_to_the_measure(tmp_path: Path) -> None:
    """Read back from the PDF (pdfium's character boxes, horizontal scale and character spacing
    applied by the PDF viewer): the last character of each justified line ends at the measure."""
    path, lines, x0 = _line_page(tmp_path, "en")
    doc = pdfium.PdfDocument(str(path))
    textpage = doc[0].get_textpage()
    rights: dict[int, float] = {}
    height = doc[0].get_height()
    for i in range(textpage.count_chars()):
        if textpage.get_text_range(i, 1).isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        row = round((height - (bottom + top) / 2 - 40) / lines[0].leading)
        rights[row] = max(rights.get(row, 0.0), right)
    checked = 0
    for row, line in enumerate(lines):
        if line.justified and not line.last_of_paragraph and line.letters:
            assert rights[row] == pytest.approx(x0 + FMT.column_width, abs=0.15)
            checked += 1
    assert checked >= 3


def test_page_chars_reads_what_pypdfium2_reads(tmp_path: Path) -> None:
    """The word-gap readback calls pdfium's character functions through prototypes of its own
    (epaper.report.spacing._char_functions): what it reads is what pypdfium2's typed bindings read."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    from epaper.report.spacing import page_chars

    path, _, _ = _line_page(tmp_path, "en")
    doc = pdfium.PdfDocument(str(path))
    textpage = doc[0].get_textpage()
    expected = []
    x, y = ctypes.c_double(), ctypes.c_double()
    for i in range(textpage.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
        if ch.isspace() and pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        assert pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
        left, _, right, _ = textpage.get_charbox(i, loose=True)
        expected.append((ch, left, right, y.value))
    assert len(expected) > 300 and any(ch == " " for ch, *_ in expected)
    assert page_chars(textpage) == expected
    rows = {round(expected[0][3] * 4)}
    assert page_chars(textpage, rows) == [c for c in expected if round(c[3] * 4) in rows]


def test_text_objects_are_what_pypdfium2_finds(tmp_path: Path) -> None:
    """Shaped lines' gaps are read between text objects, found through prototypes of the
    readback's own: the same bounds, in the same order, as pypdfium2's get_objects, in a form
    XObject too."""
    import pypdfium2.raw as pdfium_c
    from reportlab.pdfgen import canvas as rl_canvas

    from epaper.report.spacing import _text_objects

    path, _, _ = _line_page(tmp_path, "hi")
    formed = tmp_path / "form.pdf"
    c = rl_canvas.Canvas(str(formed))
    c.beginForm("f")
    c.drawString(10, 10, "inside a form")
    c.endForm()
    c.drawString(10, 100, "before")
    c.doForm("f")
    c.drawString(10, 200, "after")
    c.showPage()
    c.save()
    for pdf, least in ((path, 100), (formed, 3)):
        doc = pdfium.PdfDocument(str(pdf))
        page = doc[0]
        expected = [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])]
        assert len(expected) >= least
        assert _text_objects(page) == expected


def test_microtype_off_gives_todays_lines() -> None:
    """A style without limits sets its lines exactly as before: boxes stretch nowhere."""
    plain = replace(BODY, microtype=NO_MICROTYPE)
    article = _bodies("en", 1)[0]
    block = set_text(article.body, plain, SUBHEAD, FMT.column_width, "en")
    assert all(seg.scale == 1.0 and seg.char_space == 0.0 for line in block.lines for seg in line.segments)
    assert all(line.letters == 0.0 for line in block.lines)


@pytest.mark.slow
def test_report_counts_word_spacing_measured_from_the_pdf(sample_build) -> None:
    import json

    result, _ = sample_build
    spacing = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))["totals"]["word_spacing"]
    assert spacing["justified_lines"] > 1000
    # The sample's copy is punctuated at ingest, and its loose lines are rare (issue 15's targets).
    assert spacing["quote_marks"] > 100 and spacing["straight_quote_share"] == 0.0
    assert spacing["share_over_0_8_em"] <= 0.02
    assert spacing["share_over_0_5_em"] <= 0.25
    assert 0.5 < spacing["widest_gap_em"] < 5


@pytest.mark.slow
def test_word_spacing_read_on_worker_processes_is_the_same_as_in_process(sample_build) -> None:
    """The build reads its page PDFs back on its runner's workers: same lines, same figures."""
    from epaper.report.spacing import edition_spacing
    from epaper.tasks import LocalRunner

    result, _ = sample_build
    pages = result.laid_out.pages
    pdfs = sorted((result.out_dir / "pages").glob("*.pdf"))
    runner = LocalRunner(2)
    try:
        spread = edition_spacing(pages, pdfs, runner)
    finally:
        runner.close()
    assert spread == edition_spacing(pages, pdfs) and spread.lines > 1000


def test_the_ink_report_places_glyphs_as_the_pdf_draws_them() -> None:
    """report/ink.py reads runs as the PDF draws them: glyphs scaled by Tz, Tc after each letter."""
    from epaper.report.ink import run_ink

    plain = TextRun(x=0, baseline=20, font="serif", size=9, text="justified", width=0, source=Source("t", "body"))
    wide = replace(plain, scale=1.02, char_space=0.09 / 1.02)
    (font,) = page_fonts([plain])
    ink, wider = run_ink(plain, font).bounds, run_ink(wide, font).bounds
    assert ink is not None and wider is not None
    grown = (wider[2] - wider[0]) - (ink[2] - ink[0])
    assert grown == pytest.approx(0.02 * (ink[2] - ink[0]) + 8 * 0.09, abs=0.05)


def test_quote_marks_are_counted_in_every_text():
    from epaper.report.spacing import quote_counts

    texts = ["He said \"no\" and 'yes'", "", "\u201cquoted\u201d \u2018once\u2019 \u2019tis", "l'\u00e9t\u00e9 \u201e\u00ab\u00bb"]
    assert quote_counts(texts) == (5, 5)
    assert quote_counts(iter(texts)) == (5, 5)  # any iterable, read once
    assert quote_counts([]) == (0, 0)
