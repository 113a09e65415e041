"""Print and reader PDFs: per page a reader PDF (RGB) and a print PDF (PDF/X-4, CMYK), rendered in
parallel; the reader pages merged into the edition PDF.

Per-page files are rendered separately so each embeds only the font subsets and photos its page
needs. The edition PDF is their merge (pikepdf) with what a reader expects of a whole document:
bookmarks by section and article, page labels, metadata, document language, working jump links —
linearized ("fast web view"). The print PDF of a page is drawn from the same
frame for the plant's output profile (see :mod:`epaper.render.targets` and :mod:`epaper.publish.pdfx`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from epaper.formats.printing import PrintSpec, load_print_spec
from epaper.frame import LinkArea, Page, page_stem
from epaper.i18n.wording import Wording
from epaper.model import Edition, edition_name
from epaper.publish.fonttags import retag_subsets
from epaper.publish.pdfx import date_pdf, write_print_pdf
from epaper.render.pdf import pdf_rect, render_page
from epaper.render.targets import PrintTarget
from epaper.publish.output import atomic_file
from epaper.tasks import IN_PROCESS, Runner

__all__ = ["EditionPdfs", "merge_edition_pdf", "page_file_name", "page_pdf_title", "write_pdfs", "write_print_page",
           "write_reader_pdf"]


@dataclass(frozen=True)
class EditionPdfs:
    edition_pdf: Path
    page_pdfs: tuple[Path, ...]
    print_pdfs: tuple[Path, ...] = ()


@dataclass(frozen=True)
class _PageJob:
    page: Page
    reader: Path
    print: Path
    title: str
    author: str
    spec: PrintSpec
    date: dt.date


def page_file_name(number: int) -> str:
    return f"{page_stem(number)}.pdf"


def page_pdf_title(title: str, words: Wording, page: Page) -> str:
    """A page PDF's title, as a reader's PDF viewer shows it: "दैनिक उदाहरण — 2026-11-28, पृष्ठ ३";
    a zone's own page names the zone, as its folio does ("… · देवास संस्करण, पृष्ठ ५")."""
    if page.edition:
        title = f"{title} · {words.say('edition_suffix', edition=page.edition)}"
    return f"{title}, {words.say('page_title', label=page.number)}"


def write_reader_pdf(page: Page, path: Path, *, title: str, author: str, date: dt.date | None = None) -> None:
    """The reader PDF of one page: RGB, working jump links to the other page files; dated ``date``."""
    links = {n: page_file_name(n) for n in _link_targets(page)}
    drawn = io.BytesIO()
    render_page(page, drawn, title=title, author=author, page_links=links)
    with pikepdf.open(io.BytesIO(drawn.getvalue())) as pdf, atomic_file(path) as partial, partial.open("wb") as out:
        retag_subsets(pdf)
        date_pdf(pdf, date)
        # A reader sees the trimmed page, not the plant's bleed: a PDF viewer showed a white 3 mm
        # border, and the page ALTO describes (pages/NNN.pdf, measured from the trim) was not the
        # page a tool overlaying it saw (an archive's audit). The bleed stays in the MediaBox.
        for sheet in pdf.pages:
            if "/TrimBox" in sheet.obj:
                sheet.obj.CropBox = sheet.obj.TrimBox
        # To an open file: saved to a path, pikepdf writes a temporary file of its own beside it,
        # which a task killed at that moment would leave in the edition.
        pdf.save(out, deterministic_id=True)


def write_print_page(page: Page, path: Path, *, title: str, author: str, spec: PrintSpec,
                     date: dt.date | None = None) -> None:
    """The print PDF of one page: PDF/X-4 for the plant's output profile, dated ``date``."""
    drawn = io.BytesIO()
    render_page(page, drawn, title=title, author=author, target=PrintTarget(spec))
    with atomic_file(path) as partial, partial.open("wb") as out:
        write_print_pdf(drawn.getvalue(), out, spec=spec, title=title, date=date)


def _render_one(job: _PageJob) -> Path:
    # A task (epaper.tasks): it may run again on another worker, so it writes whole files only.
    write_reader_pdf(job.page, job.reader, title=job.title, author=job.author, date=job.date)
    write_print_page(job.page, job.print, title=job.title, author=job.author, spec=job.spec, date=job.date)
    return job.reader


def _link_targets(page: Page) -> set[int]:
    return {item.page for item in page.items_of(LinkArea) if item.page}


def write_pdfs(
    edition: Edition,
    pages: Sequence[Page],
    out_dir: Path,
    *,
    runner: Runner = IN_PROCESS,
    progress: Callable[[int], None] | None = None,
) -> EditionPdfs:
    """The reader and print PDF of every page (one task per page on ``runner``), then the edition
    PDF. ``progress`` is told how many pages are done."""
    pages_dir, print_dir = out_dir / "pages", out_dir / "print"
    pages_dir.mkdir(parents=True, exist_ok=True)
    print_dir.mkdir(parents=True, exist_ok=True)
    spec = load_print_spec(edition.format)
    title = f"{edition.title} — {edition.date.isoformat()}"
    words = edition.wording()
    jobs = [_PageJob(page, pages_dir / page_file_name(page.number), print_dir / page_file_name(page.number),
                     page_pdf_title(title, words, page), edition.title, spec, edition.date)
            for page in pages]
    paths = runner.map(_render_one, jobs, progress=progress)
    edition_pdf = out_dir / "edition.pdf"
    merge_edition_pdf(edition, pages, paths, edition_pdf)
    return EditionPdfs(edition_pdf, tuple(paths), tuple(job.print for job in jobs))


def merge_edition_pdf(edition: Edition, pages: Sequence[Page], page_pdfs: Sequence[Path], target: Path) -> None:
    """The edition PDF ``target``: the reader page PDFs ``page_pdfs`` (one per page of ``pages``) merged."""
    sources = [pikepdf.open(path) for path in page_pdfs]
    try:
        with pikepdf.Pdf.new() as pdf:
            for source in sources:
                pdf.pages.extend(source.pages)
            for index, page in enumerate(pages):
                _link_jumps(pdf, index, page, len(pages))
            _outline(pdf, pages)
            # Said in the edition's language, as its page PDFs' titles and the IIIF manifest's label
            # are ("पुणे edition of 2026-11-28" was the Subject of a Hindi zone's edition.pdf).
            words = edition.wording()
            pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary(
                Title=pikepdf.String(words.say("iiif_edition_label", title=edition.title,
                                               date=words.long_date(edition.date), edition=edition_name(edition.edition))),
                Author=pikepdf.String(edition.title),
                Subject=pikepdf.String(words.say("edition_pdf")),
                Creator=pikepdf.String("epaper")))
            pdf.Root.Lang = pikepdf.String(edition.language)
            # Printed folio numbers as page labels, so "page 7" in a reader's viewer is the paper's page 7.
            pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(
                [0, pikepdf.Dictionary(S=pikepdf.Name.D, St=pages[0].number)]))
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
            retag_subsets(pdf)  # the pages' subsets are distinct per page, not yet across the edition
            # No object streams: qpdf (12.4) linearizes a file with outlines in object streams with an
            # outline hint table its own check rejects ("incorrect object count in outline hint
            # table", qpdf --check exits 3); without them the hint tables check clean.
            with atomic_file(target) as temporary:
                pdf.save(temporary, linearize=True, deterministic_id=True, compress_streams=True,
                         object_stream_mode=pikepdf.ObjectStreamMode.disable)
    finally:
        for source in sources:
            source.close()


def _link_jumps(pdf: pikepdf.Pdf, index: int, page: Page, count: int) -> None:
    """The page's jump links go to the page inside the edition (in a page file they point at the
    other page's file): the page file's link annotations are replaced."""
    pdf_page = pdf.pages[index]
    if "/Annots" in pdf_page.obj:
        del pdf_page.obj["/Annots"]
    links = [pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=pikepdf.Array(list(pdf_rect(page, item.box))),
        Border=pikepdf.Array([0, 0, 0]), Dest=pikepdf.Array([pdf.pages[item.page - 1].obj, pikepdf.Name.Fit])))
        for item in page.items_of(LinkArea) if item.page and 1 <= item.page <= count]
    if links:
        pdf_page.obj.Annots = pikepdf.Array(links)


def _outline(pdf: pikepdf.Pdf, pages: Sequence[Page]) -> None:
    """Bookmarks: a section's first page, and under it each story where it starts."""
    sections: dict[str, pikepdf.OutlineItem] = {}
    seen: set[str] = set()
    with pdf.open_outline() as outline:
        for index, page in enumerate(pages):
            if page.section not in sections:
                sections[page.section] = pikepdf.OutlineItem(page.section, index)
                outline.root.append(sections[page.section])
            for region in page.regions:
                if region.article_id not in seen:
                    seen.add(region.article_id)
                    sections[page.section].children.append(pikepdf.OutlineItem(region.headline, index))
