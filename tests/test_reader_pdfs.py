"""The PDFs readers download: small page files that carry only what their page needs, a linearized edition.

Uses the sample edition built once per session (``sample_build`` in conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from epaper.render.pdf import PRINT_DPI

REPO = Path(__file__).resolve().parent.parent
MAX_PAGE_PDF = 1_000_000  # bytes: "page PDFs at most 1 MB each including photos"
SUBSET_TAG = re.compile(r"^/[A-Z]{6}\+")


@pytest.fixture(scope="module")
def edition_dir(sample_build) -> Path:
    result, _ = sample_build
    return Path(result.out_dir)


@pytest.fixture(scope="module")
def page_pdfs(edition_dir) -> list[Path]:
    pdfs = sorted((edition_dir / "pages").glob("*.pdf"))
    assert pdfs, "the build wrote no page PDFs"
    return pdfs


def _content(page: pikepdf.Page) -> bytes:
    contents = page.obj.Contents
    streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents)
    return b"\n".join(s.read_bytes() for s in streams)


def _font_program(font: pikepdf.Dictionary) -> pikepdf.Stream | None:
    descriptor = font.DescendantFonts[0].get("/FontDescriptor") if "/DescendantFonts" in font else font.get("/FontDescriptor")
    if descriptor is None:
        return None
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            return descriptor[key]
    return None


def _linearization_dict(doc: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The linearization parameter dictionary: the first object in a linearized file."""
    for obj in doc.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/Linearized" in obj:
            return obj
    raise AssertionError("no linearization dictionary")


def _images(xobjects: pikepdf.Dictionary):
    """(name, image) for every image XObject, also inside form XObjects."""
    for name, xobject in xobjects.items():
        if xobject.get("/Subtype") == "/Image":
            yield name, xobject
        elif xobject.get("/Subtype") == "/Form" and "/Resources" in xobject and "/XObject" in xobject.Resources:
            yield from _images(xobject.Resources.XObject)


def test_every_page_pdf_is_at_most_1_mb(page_pdfs):
    sizes = {pdf.name: pdf.stat().st_size for pdf in page_pdfs}
    assert max(sizes.values()) <= MAX_PAGE_PDF, {k: v for k, v in sizes.items() if v > MAX_PAGE_PDF}


def test_the_sample_edition_has_photos_in_its_page_pdfs(page_pdfs):
    """The 1 MB limit is about pages *with* photos: make sure the sample really exercises that."""
    with_photos = 0
    for pdf in page_pdfs:
        with pikepdf.open(pdf) as doc:
            xobjects = doc.pages[0].Resources.get("/XObject")
            if xobjects is not None and any(True for _ in _images(xobjects)):
                with_photos += 1
    assert with_photos >= len(page_pdfs) // 2


def test_edition_pdf_is_linearized(edition_dir):
    with pikepdf.open(edition_dir / "edition.pdf") as doc:
        assert doc.is_linearized
        linearization = _linearization_dict(doc)
        assert int(linearization.N) == len(doc.pages)
        assert int(linearization.L) == (edition_dir / "edition.pdf").stat().st_size
        # The hint tables too (qpdf writes an outline hint table its own check rejects when the
        # outline sits in object streams: the edition is written without them).
        assert doc.check_linearization()
        assert not doc.get_warnings()


def test_each_page_pdf_is_one_page_and_embeds_only_font_subsets_it_uses(page_pdfs):
    sources = {p.stem: p.stat().st_size for p in (REPO / "fonts").glob("*.ttf")}
    for pdf in page_pdfs:
        with pikepdf.open(pdf) as doc:
            assert len(doc.pages) == 1, pdf.name
            page = doc.pages[0]
            content = _content(page)
            used = set(re.findall(rb"/([^\s/]+)\s+[-\d.]+\s+Tf", content))
            for name, font in page.Resources.Font.items():
                base = str(font.get("/BaseFont"))
                program = _font_program(font)
                # Every font embedded: no base-14 Helvetica (ReportLab's initial font) either.
                assert program is not None, f"{pdf.name}: {base} is not embedded"
                assert name[1:].encode() in used, f"{pdf.name}: font {base} ({name}) embedded but never used"
                assert SUBSET_TAG.match(base), f"{pdf.name}: {base} is embedded whole, not as a subset"
                family = base.split("+", 1)[1]
                if family in sources:
                    # A page's subset holds only that page's glyphs: a small part of the font file.
                    assert len(program.read_raw_bytes()) < sources[family] * 0.2, (pdf.name, base)


def test_page_pdfs_hold_only_their_own_photos_as_plain_jpeg_at_print_resolution(page_pdfs):
    for pdf in page_pdfs:
        with pikepdf.open(pdf) as doc:
            page = doc.pages[0]
            xobjects = page.Resources.get("/XObject")
            if xobjects is None:
                continue
            content = _content(page)
            for name, image in _images(xobjects):
                placed = re.findall(rb"([-\d.]+) 0 0 ([-\d.]+) [-\d.]+ [-\d.]+ cm\s+" + re.escape(name.encode()) + rb" Do",
                                    content)
                assert placed, f"{pdf.name}: image {name} is embedded but never drawn"
                filters = image.get("/Filter")
                filters = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
                # JPEG bytes stored as they are: no ASCII85 wrapper (+25 %), no lossless re-encoding.
                assert filters == ["/DCTDecode"], (pdf.name, name, filters)
                # Downsampled to PRINT_DPI at its largest placed size (one pixel of rounding allowed).
                widest_in = max(abs(float(w)) for w, _ in placed) / 72
                tallest_in = max(abs(float(h)) for _, h in placed) / 72
                assert int(image.Width) <= PRINT_DPI * widest_in + 1, (pdf.name, int(image.Width), widest_in)
                assert int(image.Height) <= PRINT_DPI * tallest_in + 1, (pdf.name, int(image.Height), tallest_in)


def test_a_reader_sees_the_trimmed_page_and_the_plant_its_bleed(edition_dir, page_pdfs):
    """An archive's audit: a reader PDF showed the plant's 3 mm bleed as a white border, and the
    page its ALTO describes (measured from the trim) was not the page a tool overlaying it saw.
    Read by poppler (pdfinfo -box), not by our own writer."""
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils (pdfinfo) is not installed")

    def boxes(path: Path) -> dict[str, list[float]]:
        out = subprocess.run(["pdfinfo", "-box", str(path)], check=True, capture_output=True, text=True).stdout
        return {line.split(":")[0]: [float(v) for v in line.split(":")[1].split()]
                for line in out.splitlines() if line.split(":")[0].endswith("Box")}

    for reader in page_pdfs[:3] + [edition_dir / "edition.pdf"]:
        said = boxes(reader)
        assert said["CropBox"] == said["TrimBox"] != said["MediaBox"], (reader.name, said)
    printed = boxes(edition_dir / "print" / page_pdfs[0].name)
    assert printed["CropBox"] == printed["MediaBox"] != printed["TrimBox"]  # marks and bleed for the plant
