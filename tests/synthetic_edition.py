"""A small hand-made edition for the raster/web/IIIF/browser tests: model, page IR and print PDFs.

It stands in for the real pipeline where a test needs to control the geometry exactly (or the real
build is not available): broadsheet pages, a jump from page 1 to page 3, a photo, a Devanagari
headline, and a hostile ``<script>`` headline. The PDF is drawn with ReportLab from the same
:class:`~epaper.frame.Page` boxes, with a bleed and a TrimBox like the real print PDFs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas as rl_canvas

from epaper.frame import ArticleRegion, Box, Page
from epaper.model import Article, Edition, Paragraph, Photo, Run, SectionSpec

PAGE_W, PAGE_H = 935.4, 1502.4
BLEED = 8.5
MARGIN = 31.0
COLUMN = (PAGE_W - 2 * MARGIN - 5 * 11.3) / 6
XSS_HEADLINE = "<script>alert(1)</script> & friends"
WORDS = (
    "harbour council ferry budget lighthouse tide market fishermen quay storm mayor school library "
    "railway bridge museum festival orchard bakery weather river island council vote"
).split()


@dataclass(frozen=True)
class SyntheticEdition:
    edition: Edition
    pages: tuple[Page, ...]
    page_pdfs: tuple[Path, ...]
    edition_pdf: Path


def _col_x(col: int) -> float:
    return MARGIN + col * (COLUMN + 11.3)


def _module(col: int, cols: int, y: float, h: float) -> Box:
    return Box(_col_x(col), y, cols * COLUMN + (cols - 1) * 11.3, h)


def _body(seed: int, paragraphs: int = 4) -> tuple[Paragraph, ...]:
    out = []
    for p in range(paragraphs):
        words = [WORDS[(seed * 7 + p * 3 + i * 5) % len(WORDS)] for i in range(40)]
        text = " ".join(words).capitalize() + "."
        runs = (Run(text),) if p != 1 else (Run("Bold start ", bold=True), Run(text), Run(" in italics", italic=True))
        out.append(Paragraph(runs, kind="subhead" if p == 2 else "text"))
    return tuple(out)


def _photo(root: Path) -> Photo:
    path = root / "images" / "quay.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (1800, 1200), (40, 90, 140))
    draw = ImageDraw.Draw(image)
    for i in range(0, 1800, 60):
        draw.rectangle((i, 600 + (i % 240), i + 40, 1200), fill=(200, 160 + i % 90, 90))
    image.save(path, quality=85)
    return Photo(path=path, caption="Boats at the quay at dawn.", credit="Photo: A. Reporter", width_px=1800, height_px=1200)


def make_synthetic_edition(root: Path, *, title: str = "The Test Courier") -> SyntheticEdition:
    root.mkdir(parents=True, exist_ok=True)
    photo = _photo(root)
    source = root / "articles" / "x.json"
    articles = (
        Article("harbour-plan", "Front", "Harbour plan approved after stormy night", _body(1, 6), source,
                priority=1, kicker="Council", subheadline="Ferry quay to be rebuilt by spring",
                byline="By Ada Lovelace", dateline="ALDERY", published="2026-11-28T06:15:00+00:00",
                photos=(photo,), tags=("Harbour", "Council")),
        Article("lighthouse", "Front", "Lighthouse keeper retires after forty years", _body(2), source, priority=2),
        Article("xss-test", "Front", XSS_HEADLINE, _body(3, 2), source, priority=3,
                byline="By <b>Mallory</b>", tags=("<img src=x onerror=alert(2)>",)),
        Article("market-day", "City", "Market day draws record crowds to the quay", _body(4), source, priority=1,
                tags=("Harbour",)),
        Article("library-hours", "City", "Library extends winter opening hours", _body(5), source, priority=2),
        Article("bridge-repairs", "City", "Bridge repairs to close the railway road", _body(6), source, priority=3),
        Article("hindi-news", "देश", "दिल्ली में सर्दी का मौसम शुरू", (Paragraph((Run("राजधानी में आज सुबह कोहरा छाया रहा।"),)),),
                source, priority=1, language="hi"),
        Article("not-placed", "City", "An article that did not fit", _body(7), source, priority=5),
    )
    edition = Edition(
        title=title, date=dt.date(2026, 11, 28), edition="city", language="en", format="broadsheet",
        sections=(SectionSpec("Front", 1, "front"), SectionSpec("City", 2), SectionSpec("देश", 1, language="hi")),
        articles=articles, root=root,
    )
    top = 180.0
    editorial = Box(MARGIN, top, PAGE_W - 2 * MARGIN, PAGE_H - top - 40)
    lead = _module(0, 4, top, 700)
    pages = (
        Page(1, "Front", PAGE_W, PAGE_H, (), (
            ArticleRegion("harbour-plan", articles[0].headline, (lead,), Box(lead.x, lead.y, lead.w, 80), continued_to=3),
            ArticleRegion("lighthouse", articles[1].headline, (_module(4, 2, top, 700),), Box(_col_x(4), top, _module(4, 2, 0, 0).w, 60)),
            ArticleRegion("xss-test", XSS_HEADLINE, (_module(0, 6, top + 712, 500),), Box(MARGIN, top + 712, editorial.w, 40)),
        ), editorial, bleed=BLEED, label="1"),
        Page(2, "City", PAGE_W, PAGE_H, (), (
            ArticleRegion("market-day", articles[3].headline, (_module(0, 6, 80, 600),), Box(MARGIN, 80, editorial.w, 60)),
            ArticleRegion("library-hours", articles[4].headline, (_module(0, 3, 692, 700),), Box(MARGIN, 692, _module(0, 3, 0, 0).w, 40)),
        ), editorial, bleed=BLEED, label="2"),
        Page(3, "City", PAGE_W, PAGE_H, (), (
            # The jumped part of the lead: an L of two rectangles, to exercise multi-box regions.
            ArticleRegion("harbour-plan", articles[0].headline, (_module(0, 3, 80, 400), _module(0, 6, 492, 200)),
                          Box(MARGIN, 80, _module(0, 3, 0, 0).w, 30), continued_from=1),
            ArticleRegion("bridge-repairs", articles[5].headline, (_module(3, 3, 80, 400),), Box(_col_x(3), 80, _module(3, 3, 0, 0).w, 40)),
        ), editorial, bleed=BLEED, label="3"),
        Page(4, "देश", PAGE_W, PAGE_H, (), (
            ArticleRegion("hindi-news", articles[6].headline, (_module(0, 6, 80, 500),), Box(MARGIN, 80, editorial.w, 60)),
        ), editorial, bleed=BLEED, label="4", language="hi"),
    )
    pdf_dir = root / "pdf"
    pdf_dir.mkdir(exist_ok=True)
    page_pdfs = tuple(_draw_page(page, photo, pdf_dir / "pages" / f"{page.number:03d}.pdf") for page in pages)
    edition_pdf = pdf_dir / "edition.pdf"
    _draw_pages(pages, photo, edition_pdf)
    return SyntheticEdition(edition, pages, page_pdfs, edition_pdf)


def _draw_page(page: Page, photo: Photo, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    _draw_pages((page,), photo, path)
    return path


def _draw_pages(pages: tuple[Page, ...], photo: Photo, path: Path) -> None:
    c = rl_canvas.Canvas(str(path), pagesize=(PAGE_W + 2 * BLEED, PAGE_H + 2 * BLEED), invariant=1)
    for page in pages:
        c.setTrimBox((BLEED, BLEED, BLEED + PAGE_W, BLEED + PAGE_H))

        def y(top: float) -> float:  # IR (top-left, y down) to PDF space, inside the bleed
            return BLEED + PAGE_H - top

        c.setFont("Helvetica-Bold", 40)
        c.drawString(BLEED + MARGIN, y(90), f"THE TEST COURIER - page {page.number}")
        for region in page.regions:
            for box in region.boxes:
                c.setStrokeColor(Color(0.7, 0.7, 0.7))
                c.rect(BLEED + box.x, y(box.bottom), box.w, box.h)
                c.setFont("Times-Roman", 8)
                line_y = box.y + (region.headline_box.h + 14 if region.headline_box else 14)
                while line_y < box.bottom - 4:
                    c.drawString(BLEED + box.x + 2, y(line_y), " ".join(WORDS[: int(box.w / 24)]))
                    line_y += 9.5
            if region.headline_box:
                hb = region.headline_box
                c.setFillColor(Color(1, 1, 1))
                c.rect(BLEED + hb.x, y(hb.bottom), hb.w, hb.h, fill=1, stroke=0)
                c.setFillColor(Color(0, 0, 0))
                c.setFont("Helvetica-Bold", 24)
                c.drawString(BLEED + hb.x + 4, y(hb.y + 28), region.article_id.upper())
        if page.number == 1:
            c.drawImage(str(photo.path), BLEED + _col_x(0), y(900), 300, 200)
        c.showPage()
    c.save()


@dataclass(frozen=True)
class SyntheticSite:
    source: SyntheticEdition
    out_root: Path
    out_dir: Path
    raster: "object"  # epaper.raster.RasterResult


def write_synthetic_layout_json(source: SyntheticEdition, out_dir: Path) -> None:
    """The part of layout.json the archive reads (the real one is written by the publish stage)."""
    import json

    edition = source.edition
    document = {
        "edition": {"id": edition.id, "title": edition.title, "date": edition.date.isoformat(), "edition": edition.edition},
        "page_size": [PAGE_W, PAGE_H],
        "pages": [{"number": page.number, "section": page.section} for page in source.pages],
        "unplaced": [{"id": "not-placed", "reason": "synthetic"}],
    }
    (out_dir / "layout.json").write_text(json.dumps(document), encoding="utf-8")


def build_synthetic_site(tmp: Path, *, base_url: str | None = None, workers: int = 2) -> SyntheticSite:
    """Raster, site and archive for the synthetic edition, laid out as the build lays out an edition.

    ``base_url`` is the URL of the output root, as for ``build_edition`` (default: ``epaper serve``'s).
    """
    import shutil

    from epaper.raster import RasterSettings, rasterize_pages
    from epaper.tasks import open_runner
    from epaper.urls import edition_url, root_url
    from epaper.web import Downloads, title_collection_path, write_archive, write_manifest, write_site

    source = make_synthetic_edition(tmp / "source")
    out_root = tmp / "output"
    out_dir = out_root / source.edition.id
    (out_dir / "pages").mkdir(parents=True)
    page_pdfs = [Path(shutil.copy(pdf, out_dir / "pages" / pdf.name)) for pdf in source.page_pdfs]
    edition_pdf = Path(shutil.copy(source.edition_pdf, out_dir / "edition.pdf"))
    public = edition_url(base_url, source.edition.id)
    with open_runner(workers=workers) as runner:
        raster = rasterize_pages(page_pdfs, out_dir, runner=runner, settings=RasterSettings(edition_url=public))
    downloads = Downloads.from_files(out_dir, edition_pdf, page_pdfs)
    write_site(source.edition, source.pages, out_dir, raster=raster, downloads=downloads)
    write_manifest(source.edition, source.pages, out_dir, raster=raster, downloads=downloads, edition_url=public,
                   part_of=root_url(base_url) + title_collection_path(source.edition.title))
    write_synthetic_layout_json(source, out_dir)
    write_archive(out_root, base_url=base_url)
    return SyntheticSite(source, out_root, out_dir, raster)
