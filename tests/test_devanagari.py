"""Devanagari in the PDF: the glyphs drawn are the ones HarfBuzz chose (conjuncts, reph, nukta,
matras), and the text extracted from the PDF is the original Unicode, not private-use codes."""

from __future__ import annotations

import unicodedata

import pypdfium2 as pdfium
from pypdf import PdfReader

from epaper.formats import load_format
from epaper.frame import Box, Page, Source, TextRun
from epaper.layout import page_fonts
from epaper.render.pdf import render_page
from epaper.typeset import set_plain, font_book
from epaper.typeset.hyphenate import hyphenation_points, pattern_language

from pdf_glyphs import drawn_glyph_ids

# क्ष, त्र, ज्ञ, श्र conjuncts; reph (र्क, धर्म); nukta (क़, ज़); matras before/after/above/below.
WORDS = ["क्षत्रिय", "त्रिपुरा", "ज्ञान", "श्रीमान", "अर्क", "धर्म", "क़लम", "ज़मीन", "किताब", "कौशल", "हिन्दी",
         "प्रधानमंत्री", "द्वितीय", "कृषि", "रुपये"]


def _page(tmp_path):
    fmt = load_format("broadsheet")
    style = fmt.style("body")
    items = []
    shaped = []
    for k, word in enumerate(WORDS):
        block = set_plain(word, style, 400, "hi")
        seg = block.lines[0].segments[0]
        assert seg.glyphs is not None, "Devanagari must be shaped"
        shaped.append(seg.glyphs)
        items.append(TextRun(x=40, baseline=40 + 14 * k, font=seg.face, size=seg.size, text=seg.text,
                             width=seg.width, glyphs=seg.glyphs, source=Source("t", "body")))
    page = Page(number=1, section="t", width=300, height=300, items=tuple(items), regions=(),
                editorial=Box(0, 0, 300, 300), fonts=page_fonts(items))
    path = tmp_path / "deva.pdf"
    render_page(page, path, title="t", author="t")
    return path, shaped


def test_pdf_draws_the_glyphs_harfbuzz_chose(tmp_path):
    path, shaped = _page(tmp_path)
    assert drawn_glyph_ids(path.read_bytes()) == [g.gid for glyphs in shaped for g in glyphs]


def test_conjuncts_are_ligated_not_spelled_out():
    face = font_book().face("deva")
    for word in ("क्ष", "त्र", "ज्ञ", "श्र"):
        glyphs = face.shape(word, 9).glyphs
        assert len(glyphs) == 1, f"{word} should be one conjunct glyph, got {len(glyphs)}"
        assert glyphs[0].gid != 0


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(text.split()))


def test_pdfium_extracts_the_original_text(tmp_path):
    path, _ = _page(tmp_path)
    pdf = pdfium.PdfDocument(str(path))
    text = pdf[0].get_textpage().get_text_range()
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in text), "private-use codes leaked into the text"
    for word in WORDS:
        assert _norm(word) in _norm(text)


def test_pypdf_extracts_the_original_text(tmp_path):
    """pypdf ignores /ActualText and reads only the subset fonts' ToUnicode CMaps: those map each
    shaped glyph, in the syllable it was drawn for, back to its source text (conjuncts, reph and
    the i-matra drawn before its consonant included), so every word comes back exactly."""
    path, _ = _page(tmp_path)
    text = PdfReader(str(path)).pages[0].extract_text()
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in text)
    assert [line.strip() for line in text.splitlines() if line.strip()] == WORDS


# Curly quotes, digits, a per cent sign, a dash, a Latin name and a Latin word inside a Devanagari
# word: each piece must be set in a face that has its glyphs.
MIXED = "सचिव ने कहा, “उद्धरण” में 2,400 रुपये (45%) Seabright—कंपनी का ‘ऐप’ Analytics-टीम ने बनाया।"


def test_mixed_script_words_are_set_in_faces_that_cover_them():
    from epaper.model import Run
    from epaper.typeset.paragraph import build_items
    from epaper.typeset.items import Box

    book = font_book()
    style = load_format("broadsheet").style("body")
    fragments = [f for item in build_items((Run(MIXED),), style, "hi", book)
                 if isinstance(item, Box) for f in item.payload or ()]
    assert "".join(f.text for f in fragments) == MIXED.replace(" ", "")
    for frag in fragments:
        face = book.face(frag.face)
        assert all(face.covers(ch) for ch in frag.text), (frag.text, frag.face)
        if frag.glyphs is not None:
            assert all(g.gid != 0 for g in frag.glyphs), f"{frag.text!r}: .notdef in {frag.face}"
    faces = {f.text: f.face for f in fragments}
    assert faces["“उद्धरण”"] == "deva"  # quotes stay with the Devanagari word: its face has them
    assert faces["Seabright—"] == "serif" and faces["Analytics-"] == "serif" and faces["टीम"] == "deva"
    assert faces["2,400"] == "deva"  # a number in Hindi copy takes the Hindi face (it has digits)


def test_mixed_script_text_is_drawn_and_extracted(tmp_path):
    style = load_format("broadsheet").style("body")
    block = set_plain(MIXED, style, 2000, "hi")
    assert len(block.lines) == 1
    items = [TextRun(x=10 + seg.x, baseline=40, font=seg.face, size=seg.size, text=seg.text, width=seg.width,
                     glyphs=seg.glyphs, source=Source("t", "body")) for seg in block.lines[0].segments]
    page = Page(number=1, section="t", width=600, height=100, items=tuple(items), regions=(),
                editorial=Box(0, 0, 600, 100), fonts=page_fonts(items))
    path = tmp_path / "mixed.pdf"
    render_page(page, path, title="t", author="t")
    expected = [g.gid for seg in block.lines[0].segments if seg.glyphs for g in seg.glyphs]
    drawn = drawn_glyph_ids(path.read_bytes())
    assert 0 not in drawn and -1 not in drawn
    assert all(gid in drawn for gid in expected)
    assert pdfium.PdfDocument(str(path))[0].get_textpage().get_text_range().strip() == MIXED
    assert PdfReader(str(path)).pages[0].extract_text().strip() == MIXED


def test_hindi_hyphenation_uses_hindi_patterns_and_breaks_between_aksharas():
    assert pattern_language("hi") == "hi"  # epaper's shipped hyph-hi (tests/test_hyphenate_hindi.py)
    virama, nukta = "\u094d", "\u093c"
    for word in ["प्रधानमंत्रियों", "विश्वविद्यालय", "अंतरराष्ट्रीय", "ज़िम्मेदारियाँ", "स्वतंत्रता", "कार्यकर्ताओं"]:
        points = hyphenation_points(word, "hi")
        for p in points:
            before, after = word[p - 1], word[p]
            assert before != virama, f"{word}: break after a virama splits a conjunct"
            cat = unicodedata.category(after)
            assert not cat.startswith("M") and after != nukta, f"{word}: break before a sign at {p}"


def test_a_hindi_story_jumps_in_hindi(sample_edition):
    """A Hindi story's jump lines read as a Hindi paper's ("शेष पृष्ठ 5 पर", "पृष्ठ 2 का शेष"),
    shaped like its text, each a link to the other part's page."""
    from epaper.layout.compose import compose_module
    from epaper.layout.copyfit import FitCatalog
    from epaper.layout.geometry import PageGrid, Slot
    from epaper.layout.plan import Placement
    from epaper.frame import LinkArea

    fmt = load_format(sample_edition.format)
    catalog = FitCatalog(fmt, "knuth-plass")
    article = max((a for a in sample_edition.articles if a.language == "hi"), key=lambda a: a.word_count)
    lo, _ = catalog.jump_window(article, 2)
    fit, end = catalog.jump_fits(article, 2, lo, 0.0)[0]
    grid = PageGrid.for_page(fmt, 2, 0.0)
    first_legs = catalog.part_legs(fit.design, 0, end, fit.photo_rows, lo, jumps=True)
    first = Placement(article, fit.design, Slot(0, 2, 0, lo), 0, end, first_legs, continued_to_part=True,
                      photo_rows=fit.photo_rows)
    rest_legs = catalog.part_legs(fit.design, end, len(fit.design.body), fit.photo_rows, 60, jumps=False)
    rest = Placement(article, fit.design, Slot(0, 2, 0, 60), end, len(fit.design.body), rest_legs,
                     continued_from_page=2, photo_rows=fit.photo_rows)
    for placement, target, wording in ((first, 5, "शेष पृष्ठ 5 पर"), (rest, 2, "पृष्ठ 2 का शेष")):
        items = compose_module(placement, grid, continued_to=target if placement.continued_to_part else None).items
        runs = [i for i in items if isinstance(i, TextRun) and i.source.role == "jump"]
        assert " ".join(r.text.strip() for r in runs) == wording
        assert all(r.glyphs for r in runs if any("\u0900" <= c <= "\u097f" for c in r.text))
        (link,) = [i for i in items if isinstance(i, LinkArea)]
        assert link.page == target and link.label == wording
        assert all(link.box.x <= r.x + 0.01 and r.x + r.width <= link.box.right + 0.01 for r in runs)


def test_devanagari_display_lines_are_led_so_their_signs_do_not_touch():
    """A Hindi desk's audit: the sample's Hindi lead headline, at the Latin headlines' 1.04
    leading, ran the ु of "समुद्र" into the ो of "करोड़" on the line below. Measured from the
    glyphs drawn (their outlines' boxes), one word a line."""
    from epaper.formats import TypeStyle
    from epaper.frame import FontRef
    from epaper.report.ink import _relative_ink
    from epaper.typeset import set_plain
    from epaper.typeset.fonts import font_book

    book = font_book()
    style = TypeStyle(face="headline", size=54, leading=round(54 * 1.04, 2))
    block = set_plain("समुद्र करोड़", style, 200, "hi")
    assert len(block) == 2 and block.lines[0].leading >= 1.2 * 54

    def ink(line, which):  # the lowest (1) or highest (0) ink of a line, y down from its baseline
        boxes = [box for seg in line.segments for box in _relative_ink(
            FontRef(seg.face, str(book.face(seg.face).path)), seg.size, seg.text, seg.glyphs).glyphs]
        return max(b[3] for b in boxes) if which else min(b[1] for b in boxes)

    under_first, over_second = ink(block.lines[0], 1), ink(block.lines[1], 0)
    assert under_first < block.lines[0].leading + over_second  # the ु clears the ो below
    # English keeps its style's leading.
    assert set_plain("Seawall approved", style, 200, "en").lines[0].leading == style.leading
