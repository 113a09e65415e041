"""The print PDFs for the plant (print/NNN.pdf, PDF/X-4), judged by tools nobody here wrote.

Ghostscript's ``tiffsep`` device separates a page into its C, M, Y and K plates as a RIP would: type
and rules must be on the K plate alone, and no pixel may carry more ink than the format's limit.
pikepdf reads the PDF/X identification; qpdf and poppler's pdffonts judge the files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageMath

from epaper.formats import FormatError, load_format
from epaper.formats.printing import PrintSpec, load_print_spec, read_print_spec
from epaper.frame import BLACK, Box, FillRect, FontRef, ImageItem, Page, Rule, Source, TextRun
from epaper.publish.pdfs import write_print_page, write_reader_pdf
from epaper.render.cmyk import JPEG_MARGIN, conversion, is_grey, total_area_coverage
from epaper.typeset.fonts import font_book

needs_gs = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (make system-tools) is not installed")
PLATES = ("Cyan", "Magenta", "Yellow", "Black")
DPI = 100


# ---------------------------------------------------------------------------------------------
# Tools: Ghostscript separations, pdffonts


def separations(pdf: Path, out: Path, dpi: int = DPI) -> dict[str, Image.Image]:
    """The page's four process plates from Ghostscript's tiffsep (0 = full ink, 255 = none, as
    tiffsep writes them; returned inverted so that 255 = 100 % ink)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", f"-r{dpi}", "-sDEVICE=tiffsep",
                    f"-sOutputFile={out}/p.tif", str(pdf)], check=True, capture_output=True)
    plates = {}
    for name in PLATES:
        with Image.open(out / f"p({name}).tif") as plate:
            plates[name] = plate.convert("L").point(lambda v: 255 - v)
    extra = sorted(p.name for p in out.glob("p(*).tif") if p.name[2:-5] not in PLATES)
    assert not extra, f"{pdf.name}: separations beyond CMYK: {extra}"
    return plates


def max_tac(plates: dict[str, Image.Image], box: tuple[int, int, int, int] | None = None) -> float:
    """The largest C+M+Y+K of any pixel (in ``box``), in per cent."""
    bands = [plates[n].crop(box) if box else plates[n] for n in PLATES]
    cmyk = Image.merge("CMYK", bands)
    return total_area_coverage(cmyk) * 100


def inkcov(pdf: Path) -> tuple[float, float, float, float]:
    """Ghostscript's inkcov: the page's mean coverage of C, M, Y and K (0..1)."""
    out = subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-o", "-", "-sDEVICE=inkcov", str(pdf)],
                         check=True, capture_output=True, text=True).stdout
    c, m, y, k = (float(v) for v in out.split()[:4])
    return c, m, y, k


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """poppler's pdffonts, one dict per font (name, emb, sub)."""
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        fields = line.split()
        # name type [type...] encoding emb sub uni object ID: the yes/no columns count from the end
        rows.append({"name": fields[0], "emb": fields[-5], "sub": fields[-4]})
    return rows


def assert_fonts_embedded_with_distinct_tags(pdf: Path) -> None:
    fonts = pdffonts(pdf)
    assert fonts, f"{pdf.name}: no fonts"
    assert all(f["emb"] == "yes" for f in fonts), f"{pdf.name}: unembedded fonts {[f for f in fonts if f['emb'] != 'yes']}"
    tags = [f["name"].split("+")[0] for f in fonts if f["sub"] == "yes"]
    assert all(re.fullmatch(r"[A-Z]{6}", t) for t in tags), tags
    assert len(tags) == len(set(tags)), f"{pdf.name}: subsets share tags: {sorted(tags)}"


def qpdf_check(pdf: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)


def rgb_anywhere(doc: pikepdf.Pdf) -> list[str]:
    """Every use of RGB in the file: colour spaces, images, and rg/RG operators in content streams."""
    found = []
    for obj in doc.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            if obj.get("/ColorSpace") not in (pikepdf.Name.DeviceCMYK, pikepdf.Name.DeviceGray):
                found.append(f"image in {obj.get('/ColorSpace')}")
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for value in obj.values() if isinstance(obj, pikepdf.Dictionary) else obj.stream_dict.values():
                if value in (pikepdf.Name.DeviceRGB, pikepdf.Name.CalRGB):
                    found.append(str(value))
    for page in doc.pages:
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) in ("rg", "RG"):
                found.append(f"{operator} {list(operands)}")
    return found


# ---------------------------------------------------------------------------------------------
# The format file's print block


def _format_file(tmp_path: Path, block: str) -> Path:
    path = tmp_path / "plant.yaml"
    path.write_text("name: plant\n" + block, encoding="utf-8")
    return path


def test_the_bundled_formats_print_on_the_default_newsprint_profile():
    for name in ("broadsheet", "tabloid"):
        spec = load_print_spec(name)
        assert spec.profile.is_file() and spec.profile.name == "CGATS-TR002-newsprint-240.icc"
        assert spec.tac == 2.4 and spec.output_condition == "CGATS TR 002" and not spec.marks


def test_a_plant_profile_ink_limit_and_marks_are_read_from_the_format_file(tmp_path):
    profile = tmp_path / "plant.icc"
    shutil.copy(load_print_spec("broadsheet").profile, profile)
    spec = read_print_spec(_format_file(tmp_path, f"print:\n  profile: {profile}\n  tac_percent: 260\n  marks: true\n"))
    assert spec.profile == profile and spec.tac == 2.6 and spec.marks and spec.slug > 0
    assert spec.output_condition == "plant"  # a plant profile's condition defaults to its name


@pytest.mark.parametrize("block, field, words", [
    ("print:\n  tac_percent: 40\n", "print.tac_percent", "100 to 400"),
    ("print:\n  marks: sometimes\n", "print.marks", "true or false"),
    ("print:\n  profile: nowhere.icc\n", "print.profile", "no file"),
    ("print:\n  colour: cmyk\n", "print.colour", "unknown key"),
    ("print: [1, 2]\n", "print:", "mapping"),
])
def test_a_bad_print_block_is_an_error_naming_file_field_and_fix(tmp_path, block, field, words):
    path = _format_file(tmp_path, block)
    with pytest.raises(FormatError) as error:
        read_print_spec(path)
    message = str(error.value)
    assert str(path) in message and field in message and words in message and ";" in message


def test_an_rgb_profile_is_refused_as_the_plant_profile(tmp_path):
    from PIL import ImageCms

    rgb = tmp_path / "srgb.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(FormatError, match="not a CMYK output"):
        read_print_spec(_format_file(tmp_path, f"print:\n  profile: {rgb}\n"))


# ---------------------------------------------------------------------------------------------
# Colour conversion


def _conv():
    spec = load_print_spec("broadsheet")
    return conversion(spec.profile, spec.tac)


def test_black_is_solid_k_alone_and_greys_are_k_alone():
    conv = _conv()
    assert conv.ink(BLACK) == (0.0, 0.0, 0.0, 1.0)
    for level in (0.1, 0.35, 0.55, 0.96):
        c, m, y, k = conv.ink((level, level, level))
        assert (c, m, y) == (0, 0, 0) and 0 < k < 1
    ks = conv.grey_to_k
    assert ks[0] == 255 and ks[255] == 0 and all(a >= b for a, b in zip(ks, ks[1:])), "K falls as the grey lightens"


def test_a_colour_goes_through_the_profile_within_the_ink_limit():
    c, m, y, k = _conv().ink((0.62, 0.07, 0.09))  # the kicker red
    assert m > 0.8 and y > 0.7 and c < 0.1
    assert c + m + y + k <= 2.4 + 1e-9


def test_a_greyscale_photo_is_k_only_and_a_colour_one_cmyk_under_the_limit():
    grey = Image.linear_gradient("L").resize((64, 64))
    assert is_grey(grey) and is_grey(grey.convert("RGB"))
    assert _conv().photo(grey.convert("RGB")).mode == "L"
    colour = Image.new("RGB", (64, 64))
    draw = ImageDraw.Draw(colour)
    for i, fill in enumerate([(0, 0, 0), (20, 0, 60), (0, 40, 0), (90, 0, 0), (0, 0, 255), (255, 0, 255)]):
        draw.rectangle((i * 10, 0, i * 10 + 9, 63), fill=fill)
    assert not is_grey(colour)
    cmyk = _conv().photo(colour)
    assert cmyk.mode == "CMYK" and total_area_coverage(cmyk) <= 2.4


@pytest.mark.parametrize("tac", [2.4, 2.0])
def test_every_colour_of_a_photo_separates_within_the_limit(tac):
    """The table's entries are held to the limit (less the JPEG margin); every colour is interpolated
    between entries, so a random sample of sRGB colours (and the cube's corners) stays under it."""
    spec = load_print_spec("broadsheet")
    conv = conversion(spec.profile, tac)
    assert conv.photo_table.sum(axis=1).max() <= (tac - JPEG_MARGIN) * 255 + 1e-3
    rng = np.random.default_rng(12)
    colours = rng.integers(0, 256, size=(256, 256, 3), dtype=np.uint8)
    colours[0, :8] = [[r, g, b] for r in (0, 255) for g in (0, 255) for b in (0, 255)]
    assert total_area_coverage(conv.photo(Image.fromarray(colours, "RGB"))) <= tac - JPEG_MARGIN + 2 / 255


def test_ink_beyond_the_limit_loses_c_m_and_y_in_proportion_keeping_k():
    heavy = Image.new("CMYK", (8, 8), (240, 220, 200, 230))  # 349 %
    spec_limit = 2.4
    held = _conv()._hold_to_limit(heavy, spec_limit)
    c, m, y, k = held.getpixel((0, 0))
    assert k == 230 and abs((c + m + y + k) / 255 - spec_limit) < 0.02
    assert c > m > y  # the proportions stay
    light = Image.new("CMYK", (8, 8), (50, 40, 30, 20))
    assert _conv()._hold_to_limit(light, spec_limit).tobytes() == light.tobytes()


# ---------------------------------------------------------------------------------------------
# One hand-made page drawn for the plant


def _photo(path: Path, grey: bool) -> Path:
    image = Image.new("RGB", (600, 400), (20, 10, 70))
    draw = ImageDraw.Draw(image)
    for i, fill in enumerate([(0, 0, 0), (15, 5, 40), (10, 60, 10), (120, 0, 0), (0, 0, 255), (255, 255, 0)]):
        draw.rectangle((i * 100, 0, i * 100 + 99, 399), fill=fill)  # deep, saturated colours: heavy ink
    (image.convert("L") if grey else image).save(path, quality=92)
    return path


def _test_page(tmp_path: Path) -> Page:
    fmt = load_format("broadsheet")
    face = font_book().face("serif")
    body = Source("a", "body")
    items = []
    for line in range(30):
        text = "Harbour council ferry budget lighthouse tide market"
        items.append(TextRun(40, 60 + line * 12, "serif", 10, text, face.width(text, 10), body))
    items.append(TextRun(40, 40, "sans-bold", 10, "KICKER", 40, Source("a", "kicker"), color=(0.62, 0.07, 0.09)))
    items.append(Rule(40, 420, 400, 420, 1.2, BLACK))
    items.append(Rule(40, 430, 400, 430, 0.5, (0.55, 0.55, 0.55)))
    items.append(FillRect(Box(450, 40, 200, 100), fill=(0.95, 0.94, 0.91), source=Source(None, "refer")))
    items.append(ImageItem(Box(40, 460, 300, 200), str(_photo(tmp_path / "colour.jpg", False)), Source("a", "photo")))
    items.append(ImageItem(Box(400, 460, 300, 200), str(_photo(tmp_path / "grey.jpg", True)), Source("a", "photo")))
    fonts = tuple(FontRef(name, str(font_book().face(name).path)) for name in ("serif", "sans-bold"))
    return Page(number=1, section="Front", width=fmt.width, height=fmt.height, items=tuple(items), regions=(),
                editorial=Box(0, 0, fmt.width, fmt.height), bleed=fmt.bleed, fonts=fonts)


def _px(value: float, edge: float) -> int:
    return round((edge + value) * DPI / 72)


@needs_gs
def test_a_print_page_puts_type_and_black_rules_on_k_alone_photos_under_the_limit(tmp_path):
    page = _test_page(tmp_path)
    spec = load_print_spec("broadsheet")
    pdf = tmp_path / "print.pdf"
    write_print_page(page, pdf, title="t", author="a", spec=spec)
    plates = separations(pdf, tmp_path / "sep")
    edge = page.bleed
    # Body text and the black rule: ink on K, none on C, M or Y.
    for box in [(40, 50, 400, 60 + 29 * 12 + 3), (40, 419, 400, 421)]:
        px = (_px(box[0], edge), _px(box[1], edge), _px(box[2], edge), _px(box[3], edge))
        assert plates["Black"].crop(px).getextrema()[1] == 255, "solid black type/rule on K"
        for name in ("Cyan", "Magenta", "Yellow"):
            assert plates[name].crop(px).getextrema()[1] == 0, f"{name} ink under black type or rule"
    # The grey photo is on K alone, the colour one on all four plates within the limit.
    grey = tuple(_px(v, edge) for v in (402, 462, 698, 658))
    colour = tuple(_px(v, edge) for v in (42, 462, 338, 658))
    assert all(plates[n].crop(grey).getextrema()[1] == 0 for n in ("Cyan", "Magenta", "Yellow"))
    assert plates["Black"].crop(grey).getextrema()[1] > 200
    assert all(plates[n].crop(colour).getextrema()[1] > 100 for n in PLATES)
    assert max_tac(plates) <= spec.tac * 100
    c, m, y, k = inkcov(pdf)
    assert k > c and k > y


def _stroked_lines(pdf: Path) -> list[tuple[float, tuple[float, ...]]]:
    """(line width, stroke CMYK) of every straight line the page strokes, read from its content stream."""
    found, width, colour = [], 1.0, (0.0, 0.0, 0.0, 1.0)
    with pikepdf.open(pdf) as doc:
        for operands, operator in pikepdf.parse_content_stream(doc.pages[0]):
            name = str(operator)
            if name == "w":
                width = float(operands[0])
            elif name == "K":
                colour = tuple(float(v) for v in operands)
            elif name == "S":
                found.append((round(width, 3), colour))
    return found


def test_a_fine_grey_rule_prints_as_a_solid_black_line_not_a_screened_one(tmp_path):
    """The plate screens a grey into dots: a 0.5 pt rule of 55 % grey (31 % K) printed as a broken
    line (an outside print audit). On the plate it is solid K, as fine as its ink allows but no finer
    than FINEST_RULE; the reader PDF keeps the grey; a black or a heavy rule is as drawn."""
    from epaper.render.targets import FINEST_RULE

    page = _test_page(tmp_path)
    plate, screen = tmp_path / "print.pdf", tmp_path / "reader.pdf"
    write_print_page(page, plate, title="t", author="a", spec=load_print_spec("broadsheet"))
    write_reader_pdf(page, screen, title="t", author="a")
    assert sorted(_stroked_lines(plate)) == [(FINEST_RULE, (0.0, 0.0, 0.0, 1.0)), (1.2, (0.0, 0.0, 0.0, 1.0))]
    with pikepdf.open(screen) as doc:
        operators = [(str(op), [float(v) for v in operands]) for operands, op in pikepdf.parse_content_stream(doc.pages[0])
                     if str(op) in ("RG", "w")]
    assert ("RG", [0.55, 0.55, 0.55]) in operators and ("w", [0.5]) in operators


@needs_gs
def test_the_ink_limit_of_the_format_holds_on_the_plates_at_a_lower_limit(tmp_path):
    """A plant asking 200 % on a profile built for 240 %: photos are held to 200 % explicitly."""
    base = load_print_spec("broadsheet")
    spec = PrintSpec(profile=base.profile, output_condition=base.output_condition, tac=2.0, marks=False, slug=0.0)
    pdf = tmp_path / "print.pdf"
    write_print_page(_test_page(tmp_path), pdf, title="t", author="a", spec=spec)
    assert max_tac(separations(pdf, tmp_path / "sep", dpi=150)) <= 200.0


def test_a_print_page_is_pdf_x4_with_output_intent_boxes_and_no_rgb(tmp_path):
    page = _test_page(tmp_path)
    spec = load_print_spec("broadsheet")
    pdf = tmp_path / "print.pdf"
    write_print_page(page, pdf, title="The Test Courier, page 1", author="a", spec=spec)
    with pikepdf.open(pdf) as doc:
        assert doc.pdf_version >= "1.6"
        assert doc.docinfo["/GTS_PDFXVersion"] == "PDF/X-4"
        assert doc.open_metadata()["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        # PDF/X asks /Trapped /True or /False, the same as the XMP says (a plant's preflight checks).
        assert doc.docinfo["/Trapped"] == pikepdf.Name("/False") and doc.open_metadata()["pdf:Trapped"] == "False"
        assert str(doc.docinfo["/Creator"]) == doc.open_metadata()["xmp:CreatorTool"] == "epaper"
        assert "unspecified" not in str(doc.docinfo.get("/Subject", ""))
        intent = doc.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and intent.OutputConditionIdentifier == "CGATS TR 002"
        assert intent.DestOutputProfile.N == 4
        assert intent.DestOutputProfile.read_bytes() == spec.profile.read_bytes()
        p = doc.pages[0]
        trim = [float(v) for v in p.TrimBox]
        bleed = [float(v) for v in p.BleedBox]
        assert trim == pytest.approx([page.bleed, page.bleed, page.bleed + page.width, page.bleed + page.height], abs=0.01)
        assert bleed == pytest.approx([0, 0, page.width + 2 * page.bleed, page.height + 2 * page.bleed], abs=0.01)
        assert "/Annots" not in p
        assert rgb_anywhere(doc) == []
    assert qpdf_check(pdf).returncode == 0
    assert_fonts_embedded_with_distinct_tags(pdf)


def test_marks_widen_the_media_outside_the_bleed_in_the_registration_colour(tmp_path):
    base = load_print_spec("broadsheet")
    spec = PrintSpec(profile=base.profile, output_condition=base.output_condition, tac=2.4, marks=True,
                     slug=28.35)
    page = _test_page(tmp_path)
    pdf = tmp_path / "print.pdf"
    write_print_page(page, pdf, title="t", author="a", spec=spec)
    with pikepdf.open(pdf) as doc:
        p = doc.pages[0]
        media, bleed, trim = ([float(v) for v in p[key]] for key in ("/MediaBox", "/BleedBox", "/TrimBox"))
        assert media[2] == pytest.approx(page.width + 2 * (page.bleed + spec.slug), abs=0.01)
        assert bleed[0] == pytest.approx(spec.slug, abs=0.01) and trim[0] == pytest.approx(spec.slug + page.bleed, abs=0.01)
        spaces = [cs for cs in p.Resources.get("/ColorSpace", {}).values()]
        assert any(cs[0] == "/Separation" and cs[1] == "/All" for cs in spaces)
        assert rgb_anywhere(doc) == []
    assert qpdf_check(pdf).returncode == 0


def test_a_reader_page_references_only_embedded_fonts_with_distinct_tags(tmp_path):
    pdf = tmp_path / "reader.pdf"
    page = _test_page(tmp_path)
    write_reader_pdf(page, pdf, title="t", author="a")
    assert qpdf_check(pdf).returncode == 0
    assert_fonts_embedded_with_distinct_tags(pdf)
    with pikepdf.open(pdf) as doc:  # the reader page stays RGB for screens
        assert any(str(op) == "rg" for _, op in pikepdf.parse_content_stream(doc.pages[0]))
        # The file's info names its maker and the page's section, not ReportLab's placeholders.
        assert doc.docinfo["/Creator"] == "epaper" and doc.docinfo["/Subject"] == page.section


# ---------------------------------------------------------------------------------------------
# The sample edition, built once per session (slow)


@pytest.fixture(scope="module")
def built(sample_build) -> Path:
    result, _ = sample_build
    return Path(result.out_dir)


@pytest.mark.slow
def test_every_pdf_of_a_built_edition_passes_qpdf_check(built):
    pdfs = [built / "edition.pdf", *sorted((built / "pages").glob("*.pdf")), *sorted((built / "print").glob("*.pdf"))]
    assert len(pdfs) == 1 + 2 * len(list((built / "pages").glob("*.pdf")))
    failed = {p.relative_to(built).as_posix(): (r.returncode, r.stderr.strip()[-300:]) for p in pdfs
              if (r := qpdf_check(p)).returncode != 0}
    assert failed == {}
    with pikepdf.open(built / "edition.pdf") as doc:
        assert doc.is_linearized and doc.check_linearization()


@pytest.mark.slow
def test_every_pdf_of_a_built_edition_embeds_every_font_with_distinct_tags(built):
    for pdf in [built / "edition.pdf", *sorted((built / "pages").glob("*.pdf")), *sorted((built / "print").glob("*.pdf"))]:
        assert_fonts_embedded_with_distinct_tags(pdf)


@pytest.mark.slow
def test_every_print_page_of_a_built_edition_is_pdf_x4_without_rgb(built):
    prints = sorted((built / "print").glob("*.pdf"))
    assert [p.name for p in prints] == [p.name for p in sorted((built / "pages").glob("*.pdf"))]
    for pdf in prints:
        with pikepdf.open(pdf) as doc:
            assert doc.docinfo["/GTS_PDFXVersion"] == "PDF/X-4", pdf.name
            assert doc.Root.OutputIntents[0].DestOutputProfile.N == 4
            assert "/TrimBox" in doc.pages[0] and "/BleedBox" in doc.pages[0]
            assert rgb_anywhere(doc) == [], pdf.name


def _pdfinfo(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, str(pdf)], check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler (make system-tools) is not installed")
def test_a_built_edition_s_pdfs_are_dated_its_day_and_say_in_xmp_what_their_info_says(built):
    """An archive reads the edition's date (it read 2000-01-01), a preflight finds the XMP saying what
    the Info dictionary says (an outside print audit), and the XMP names the page as one document
    whose each drawing is an instance of its own."""
    date = re.search(r"(\d{4})-(\d{2})-(\d{2})", built.name).groups()
    ids = set()
    for pdf in sorted((built / "print").glob("*.pdf"))[:3] + sorted((built / "pages").glob("*.pdf"))[:1]:
        info = _pdfinfo(pdf, "-isodates")
        for field in ("CreationDate", "ModDate"):
            assert re.search(rf"^{field}:\s+{'-'.join(date)}T00:00:00", info, re.M), (pdf, info)
        if pdf.parent.name != "print":
            continue
        with pikepdf.open(pdf) as doc:
            xmp, docinfo = doc.open_metadata(), doc.docinfo
            assert xmp["dc:title"] == str(docinfo["/Title"]) and xmp["dc:description"] == str(docinfo["/Subject"])
            assert xmp["dc:creator"] == [str(docinfo["/Author"])]
            assert xmp["xmp:CreateDate"].startswith("-".join(date)) and "xmpMM:VersionID" not in xmp
            ids.add((xmp["xmpMM:DocumentID"], xmp["xmpMM:InstanceID"]))
    assert len({d for d, _ in ids}) == len({i for _, i in ids}) == 3  # one document per page


@pytest.mark.slow
@needs_gs
def test_print_pages_of_a_built_edition_keep_type_on_k_and_ink_under_the_limit(built, sample_layout, tmp_path):
    spec = load_print_spec("broadsheet")
    pages = {page.number: page for page in sample_layout.pages}
    for pdf in sorted((built / "print").glob("*.pdf")):
        page = pages[int(pdf.stem)]
        plates = separations(pdf, tmp_path / pdf.stem)
        assert max_tac(plates) <= spec.tac * 100, pdf.name
        edge = page.bleed
        for run in page.items_of(TextRun):
            if run.color != BLACK or run.source.role != "body":
                continue
            box = (_px(run.x, edge), _px(run.baseline - run.size * 0.7, edge),
                   _px(run.x + run.width, edge), _px(run.baseline, edge))
            if box[2] <= box[0] or box[3] <= box[1]:
                continue
            for name in ("Cyan", "Magenta", "Yellow"):
                assert plates[name].crop(box).getextrema()[1] == 0, f"{pdf.name}: {name} under body text {run.text!r}"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a process forked from this one")
def test_a_forked_process_keeps_the_conversions_tables_and_builds_its_own_transforms():
    # A warm process (epaper.warm) works out the grey ramp and the styles' colours once; a command
    # forked from it uses those, and builds its own LittleCMS objects for anything else.
    conv = _conv()
    ramp, red = conv.grey_to_k, conv.ink((0.62, 0.07, 0.09))
    assert {"_icc", "_flat_transform", "grey_to_k"} <= set(vars(conv))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it has, then convert afresh
        try:
            child = _conv()
            kept = child is conv and "grey_to_k" in vars(child) and not {"_icc", "_flat_transform"} & set(vars(child))
            same = child.grey_to_k == ramp and child.ink((0.62, 0.07, 0.09)) == red and "_flat_transform" in vars(child)
            os.write(write, b"%d%d" % (kept, same))
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 2) == b"11"  # tables kept, LittleCMS objects dropped; the same inks from fresh ones
    os.close(read)
