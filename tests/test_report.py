"""The proof report and the page-quality figures behind it: tombstones, breaches, totals."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from epaper.formats import load_format
from epaper.layout.geometry import Slot
from epaper.layout.module import ModuleDesign, design_module
from epaper.layout.tombstones import tombstone_pairs, tombstones_beside


@dataclass(frozen=True)
class _Placed:
    slot: Slot
    design: ModuleDesign


def _two_designs(sample_edition):
    fmt = load_format(sample_edition.format)
    articles = [a for a in sample_edition.articles if a.language == "en" and a.priority == 3][:2]
    return [design_module(a, 2, fmt) for a in articles]


def test_headlines_of_one_size_side_by_side_are_a_tombstone(sample_edition):
    a, b = _two_designs(sample_edition)
    assert a.header.headline_size == b.header.headline_size
    left, right = _Placed(Slot(0, 2, 10, 40), a), _Placed(Slot(2, 2, 10, 40), b)
    assert len(tombstone_pairs([left, right])) == 1
    assert tombstones_beside([left], right.slot, b) == 1
    # Not side by side (a column between them), or one headline well below the other: no tombstone.
    assert tombstone_pairs([left, _Placed(Slot(3, 2, 10, 40), b)]) == []
    assert tombstone_pairs([left, _Placed(Slot(2, 2, 10 + a.header.rows + 5, 40), b)]) == []


def test_sample_pages_have_no_tombstones(sample_layout):
    for page in sample_layout.pages:
        assert page.quality.tombstones == 0, page.number
        assert not [b for b in page.quality.breaches if b.startswith("tombstone")]


def test_report_totals_are_the_sum_of_the_pages(sample_build):
    result, _ = sample_build
    report = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))
    pages = report["pages"]
    for key in ("widows", "orphans", "tombstones", "overset_lines", "hyphen_runs", "overfull_lines"):
        assert report["totals"][key] == sum(p[key] for p in pages), key
    assert report["totals"]["breaches"] == sum(len(p["breaches"]) for p in pages)
    assert report["totals"]["placed"] + report["totals"]["unplaced"] == report["totals"]["articles"]
    for item in report["unplaced"]:
        assert "smallest shape" in item["reason"] and "add a page" in item["reason"]


def test_report_html_shows_every_page_with_outlines_and_breaches(sample_build):
    result, _ = sample_build
    report = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))
    html = (result.out_dir / "report.html").read_text(encoding="utf-8")
    assert "width=device-width" in html
    assert html.count("<section class='page'>") == report["totals"]["pages"]
    modules = sum(len(p["articles"]) for p in report["pages"])
    assert html.count("class='module'") >= modules
    for page in report["pages"]:
        for breach in page["breaches"]:
            assert breach.split(":")[0] in html
    for item in report["unplaced"]:
        assert item["id"] in html
    # A refer box (a space nothing else filled) is noted on its page and outlined on the thumbnail.
    notes = [n for p in report["pages"] for n in p["notes"] if n.startswith("refer box")]
    assert notes and all(escape(n) in html for n in notes)
    assert html.count("class='refer'") == len(notes)


def test_the_sample_pages_have_no_hole_and_the_blank_is_measured_where_it_is(sample_build):
    from epaper.frame.blank import HOLE_LIMIT

    result, _ = sample_build
    report = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))
    blanks = [p["largest_blank"] for p in report["pages"]]
    assert all(b["share"] <= HOLE_LIMIT and not b["hole"] for b in blanks), blanks
    assert report["totals"]["largest_blank_share"] == max(b["share"] for b in blanks) > 0  # measured: some white
    for page, blank in zip(result.laid_out.pages, blanks):
        if blank["box"] is None:  # nothing blank at all
            continue
        x, y, w, h = blank["box"]
        area = page.editorial
        assert area.x - 0.1 <= x and x + w <= area.x + area.w + 0.1 and area.y - 0.1 <= y and y + h <= area.y + area.h + 0.1
    html = (result.out_dir / "report.html").read_text(encoding="utf-8")
    assert "class='hole'" not in html and not [w for w in result.warnings if "empty space" in w.message]


def test_the_largest_blank_is_blank_in_the_page_pdfium_drew(sample_build):
    """Read against the pixels the page raster (pdfium, from the page PDF) holds, not the frame the
    measure read: inside each page's largest blank there is no text or photo, at most a rule between
    two stories crossing it (rules fill nothing, on purpose)."""
    from PIL import Image

    result, _ = sample_build
    report = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))
    for page, info in zip(result.laid_out.pages, report["pages"]):
        if info["largest_blank"]["box"] is None:
            continue
        x, y, w, h = info["largest_blank"]["box"]
        with Image.open(result.out_dir / "images" / f"{page.number:03d}.jpg") as image:
            scale = image.width / page.width  # the raster is the trimmed page: its origin is the frame's
            inside = image.convert("L").crop((round((x + 2) * scale), round((y + 2) * scale),
                                              round((x + w - 2) * scale), round((y + h - 2) * scale)))
        pixels = list(inside.getdata())
        inked = sum(1 for value in pixels if value < 200) / len(pixels)
        assert inked < 0.05, (page.number, info["largest_blank"], inked)


def test_report_html_counts_a_long_warnings_list_by_field_and_lists_every_one(sample_build):
    """The sample's tight pages leave photos and kickers out: the desk reads how many of each first
    (the list is one click away: a closed <details>), and every warning is still there, whole."""
    from lxml import html as lxml_html

    from epaper.report import WARNINGS_SHOWN_OPEN

    result, _ = sample_build
    report = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))
    warnings = report["warnings"]
    assert len(warnings) > WARNINGS_SHOWN_OPEN
    page = lxml_html.fromstring((result.out_dir / "report.html").read_text(encoding="utf-8"))
    [details] = page.xpath("//details[@class='warnings']")
    assert details.get("open") is None
    summary = details.xpath("string(summary)")
    assert summary.startswith(f"{len(warnings)} warnings, by field: ")
    photos = sum(1 for w in warnings if w["field"].startswith("images["))
    assert f"images {photos}" in summary
    items = details.xpath("ul/li")
    assert len(items) == len(warnings)
    assert [li.text_content() for li in items] == [
        f"{w['file']}{': ' + w['field'] if w['field'] else ''}: {w['message']} — {w['fix']}" for w in warnings]


def test_a_short_warnings_list_is_shown_open():
    from epaper.i18n import Wording
    from epaper.report import _warnings

    few = [{"file": "articles/a.md", "field": "kicker", "message": "the kicker is not printed", "fix": "remove it"},
           {"file": "articles/notes.txt", "field": "", "message": "is not read", "fix": "rename it"}]
    html = _warnings(few, Wording())
    assert "<details class='warnings' open>" in html
    assert "<summary>2 warnings, by field: kicker 1 · file 1</summary>" in html


def test_a_zones_night_section_speaks_the_editions_language():
    """A Hindi zone's proof says why each page differs in Hindi (the reason's code in report.json),
    with the link to the main edition's report kept whole; an older report's English reason stays."""
    from epaper.i18n import Wording
    from epaper.report.night import night_section

    night = {"name": "हरबर", "is_main": False, "main_folder": "../main-id", "not_printed": [],
             "editions": [{"id": "main-id", "name": "City", "main": True, "pages": 9}],
             "differs_from_main": [
                 {"page": 1, "section": "मुखपृष्ठ", "reason": "front", "main_page": 1, "why": "…"},
                 {"page": 7, "section": "देश", "reason": "moved", "main_page": 6, "why": "…"},
                 {"page": 9, "section": "दुनिया", "why": "the zone's own page"},  # written before reasons had codes
                 {"page": 10, "section": "दुनिया", "reason": "moved", "main_page": 9, "why": "…"},
                 {"page": 11, "section": "खेल", "reason": "own", "main_page": None, "why": "…"}]}
    html = night_section(night, Wording("hi", "devanagari"))  # a desk that prints Devanagari digits
    assert "हरबर संस्करण: इसके ५ पृष्ठ मुख्य संस्करण से अलग हैं (<a href='../main-id/report.html'>उसकी रिपोर्ट</a>)" in html
    assert "मुख्य संस्करण का मुखपृष्ठ, क्षेत्रीय संस्करण के मास्टहेड, टीज़र और सूची के साथ" in html
    assert "मुख्य संस्करण का पृष्ठ ६, यहाँ पृष्ठ ७" in html
    assert "the zone&#x27;s own page" in html
    # A moved page beside the main edition's page it replays, not the one of its own number (which
    # the main edition may not have: it has 9 pages here, the zone 11); a page of the zone's own
    # past the main edition's last alone.
    assert "alt='इस संस्करण का पृष्ठ ७'" in html and "src='../main-id/thumbs/006.jpg' alt='मुख्य संस्करण का पृष्ठ ६'" in html
    assert "src='../main-id/thumbs/009.jpg'" in html
    assert "thumbs/010.jpg'" not in html.replace("src='thumbs/010.jpg'", "") and "main-id/thumbs/011" not in html
    figures = html.split("<figure")[1:]
    assert [figure.count("<img") for figure in figures] == [2, 2, 2, 2, 1]


def test_each_pages_word_spacing_is_read_from_its_pdf_and_the_proof_sheet_shows_it(sample_build):
    """The proof sheet shows what a subeditor sees of loose lines: the widest word gap and the share
    of lines over half an em, read back from each drawn page (not layout's stretch ratio)."""
    from epaper.report.spacing import page_word_gaps

    result, _ = sample_build
    report = json.loads((result.out_dir / "report.json").read_text(encoding="utf-8"))
    html = (result.out_dir / "report.html").read_text(encoding="utf-8")
    pages = {page.number: page for page in result.laid_out.pages}
    widest = []
    for info in report["pages"]:
        gaps = page_word_gaps(pages[info["number"]], result.out_dir / "pages" / f"{info['number']:03d}.pdf")
        spacing = info["word_spacing"]
        assert spacing["justified_lines"] == len(gaps) > 0
        assert spacing["widest_gap_em"] == round(max(gaps), 3)
        assert spacing["share_over_0_5_em"] == round(sum(g > 0.5 for g in gaps) / len(gaps), 4)
        widest.append(spacing["widest_gap_em"])
    assert report["totals"]["word_spacing"]["widest_gap_em"] == max(widest)
    assert report["totals"]["word_spacing"]["justified_lines"] == sum(p["word_spacing"]["justified_lines"]
                                                                      for p in report["pages"])
    assert html.count("widest word gap (em)</th>") == len(report["pages"]) + 1
    assert "loosest line" not in html
    # Where the widest gap is: the line's words as drawn, its story, and (for the edition) its page.
    for info in report["pages"]:
        line = info["word_spacing"]["widest_line"]
        assert line["page"] == info["number"] and line["article"] in {a["id"] for a in info["articles"]}
        drawn = "".join(r.text for r in pages[info["number"]].items
                        if getattr(r, "source", None) is not None and r.source.article_id == line["article"]
                        and r.source.role == "body")
        assert line["words"] and "".join(line["words"].split()) in "".join(drawn.split()), line
    loosest = next(p for p in report["pages"] if p["word_spacing"]["widest_gap_em"] == max(widest))
    total = report["totals"]["word_spacing"]["widest_line"]
    assert total == loosest["word_spacing"]["widest_line"]
    assert (f"<td>{max(widest):g}<small>“{escape(total['words'])}” ({escape(total['article'])}, page {total['page']})</small></td>"
            in html)


def test_a_paragraph_meeting_itself_across_a_gutter_is_two_lines():
    """A paragraph longer than its column goes on at the top of the next one, so on some baselines
    it is drawn in both columns, a gutter (under three ems) apart. Grouped as one line, the gutter
    read as a word gap, and the line's right end, past its column's, made every other line of that
    column look short of the measure and go unmeasured (a fifth of the sample's justified lines)."""
    from epaper.frame import Box, Page, Source, TextRun
    from epaper.report.spacing import body_line_probes

    def run(x: float, baseline: float, text: str, start: int) -> TextRun:
        return TextRun(x, baseline, "serif", 9.0, text, len(text) * 4.5, Source("story", "body", 0, start,
                                                                                start + len(text)))

    left, right = 20.0, 20.0 + 127.0 + 11.3  # two columns of 127 pt, an 11.3 pt gutter
    words = ("aaaa ", "bbbbbbbbbbb ", "ccccccccccc")  # 126 pt together: a justified line of the column
    items = []
    for line, baseline in enumerate((100.0, 110.0, 120.0)):
        offset = line * 60
        for column, x0 in enumerate((left, right)):
            x, start = x0, offset + column * 1000
            for word in words:
                items.append(run(x, baseline, word, start))
                x, start = x + len(word) * 4.5, start + len(word)
    page = Page(1, "City", 400.0, 600.0, tuple(items), (), Box(0, 0, 400, 600))
    probes = body_line_probes(page)
    assert len(probes) == 6 and {round(p.right - p.left, 1) for p in probes} == {126.0}
