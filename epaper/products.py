"""Per-page products: everything made from one page frame, as one idempotent task with its result in
the build cache.

A page's reader PDF, print PDF, page image, thumbnail, IIIF tiles and ALTO depend on its frame and on
a few settings, never on the edition folder they end up in; :func:`make_page_products` makes them in
a private scratch folder of the store (:mod:`epaper.cache`), moves each file into the store (named
by its bytes) and remembers the result under the task's key. Run it twice, or on two machines with
one store, and the second run finds the memo (or writes the same objects again, harmlessly). The
edition folder then hard-links the objects (:func:`link_page_products`), but for the tiles, published
once beside the editions (:mod:`epaper.tile_sets`); what names the edition (the manifest) is
written per edition by the build.

The key (:func:`page_key`) is a digest of the code, the frame (its fonts and photos by their bytes),
what the page reads from the pages its stories continue to or from (:func:`jump_partners`: their
text runs of the page's stories, with which ALTO joins a word broken at a jump — not their whole
frames, so a jump page is not made again because the front it continues from names another zone),
and the settings. The per-page figures the report needs (glyph ink, word gaps read back from the PDF) come
with the products, so a reused page is not measured again.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from epaper.archive import write_alto
from epaper.archive.text import PageText, page_outline, page_text
from epaper.cache import Store, code_fingerprint, digest_of, file_digest
from epaper.formats import PageFormat
from epaper.formats.printing import PrintSpec
from epaper.i18n.wording import Wording
from epaper.frame import Box, ImageItem, Page, TextRun
from epaper.publish.pdfs import page_file_name, page_pdf_title, write_print_page, write_reader_pdf
from epaper.raster import RasterSettings
from epaper.raster.result import PageRaster
from epaper.raster.run import rasterize_page, tile_info
from epaper.render.pdf import Target, known_photos, photo_bytes, prepare_photos
from epaper.render.targets import SCREEN, PrintTarget
from epaper.report.faults import DrawnFaults, drawn_faults
from epaper.report.ink import PageInk, page_ink
from epaper.report.spacing import SpacingFigures, page_spacing
from epaper.web.compress import compress_beside

__all__ = ["JumpPartners", "PageProducts", "PageTask", "ProductSettings", "StoreSink", "edition_files", "frame_digest",
           "know_frame_digest", "link_page_products", "make_page_products", "page_key", "page_tasks", "published_in",
           "recorded", "remembered", "tile_files"]

MEMO_STAGE = "page-products"


@dataclass(frozen=True)
class ProductSettings:
    """What a page's products depend on besides its frame. Nothing here may name the edition (its
    zone, its URL): a page shared by two editions must make the same bytes in both."""

    title: str  # the PDFs' title before the page's number (page_pdf_title): the paper and its date
    author: str
    date: dt.date | None  # the edition's: the PDFs' creation date (None: a fixed one, for tests)
    spec: PrintSpec
    format: PageFormat
    raster: RasterSettings  # its edition_url is not used: info.json is written where the set is published
    languages: tuple[tuple[str, str], ...]  # article id -> language, for the articles on the page
    wording: Wording = Wording()  # the edition's language and digits: the PDFs' titles say "पृष्ठ ३"
    # The edition's language and its sections': what the furniture's words are in (ALTO says a
    # Hindi section's name in the front's English index is Hindi). The whole edition's, not only
    # what a page's furniture needs: working that out read every page's items, which a replate
    # leaves pickled (epaper.pickled). A zone adding a section of a language the main edition has
    # not makes its pages again under other keys, with the same bytes: still one file in the store.
    languages_written: tuple[str, ...] = ()


class JumpPartners:
    """The pages a page's stories continue to or from (``whole``), and what making the page's
    products reads of them (:meth:`cut`, :func:`jump_partners`), cut only when first asked for: a
    task whose key and products are found in the build cache needs neither, and a page read from
    the cache is not unpickled whole for it (see :meth:`Page.__getstate__`). Pickled (to a worker
    or another machine), it holds what was cut, not the whole pages."""

    def __init__(self, page: Page, whole: tuple[Page, ...] = ()) -> None:
        self._page: Page | None = page
        self.whole = whole
        self._cut: tuple[Page, ...] | None = None if whole else ()

    def cut(self) -> tuple[Page, ...]:
        if self._cut is None:
            assert self._page is not None
            stories = {article for article, _ in self._page.drawn_roles()}
            self._cut = tuple(_story_runs(partner, stories) for partner in self.whole)
        return self._cut

    def __getstate__(self) -> dict:
        return {"_page": None, "whole": (), "_cut": self.cut()}


@dataclass(frozen=True)
class PageTask:
    """One page's products to make: picklable, so a worker process (or machine) can run it."""

    page: Page
    jump: JumpPartners  # the pages its stories continue to or from
    settings: ProductSettings
    store: Store
    key: str

    @property
    def partners(self) -> tuple[Page, ...]:
        """What the page reads of the pages its stories continue to or from (:func:`jump_partners`)."""
        return self.jump.cut()


@dataclass(frozen=True)
class PageProducts:
    """What was made for one page: its files (path in the edition folder → object digest) and the
    figures the edition's web, archive and report stages read."""

    number: int
    key: str
    files: tuple[tuple[str, str], ...]
    raster: PageRaster
    tile_info: str  # the tile set's info.json without its id (JSON): the id names where it is published
    text: PageText  # its outline (page_outline): its groups without their words, for METS
    ink: PageInk
    spacing: SpacingFigures  # its word spacing read from the PDF, its quote marks (measured once, with the page)
    faults: DrawnFaults  # its widows, orphans, hyphenation and tombstones as drawn (measured once, with the page)
    reused: bool = False
    # Each file's object's Store.stamp when the page was made, in the order of ``files``: a file
    # rewritten in place in an edition (through its hard link) is found by a stat, not by reading
    # every page's ~5 MB of files again (see remembered).
    stamps: tuple[tuple[int, int] | None, ...] = ()

    def file(self, relative: str) -> str:
        return dict(self.files)[relative]


def _identity(page: Page) -> Page:
    """The frame with every file it names replaced by a digest of the file's bytes, so the key does
    not change when the edition (or the program) is in another folder, and does when a photo does."""
    fonts = tuple(replace(font, path=file_digest(font.path)) for font in page.fonts)
    items = tuple(replace(item, path=file_digest(item.path)) if type(item) is ImageItem else item for item in page.items)
    return replace(page, fonts=fonts, items=items)


def page_key(page: Page, partners: Sequence[Page], settings: ProductSettings) -> str:
    return digest_of(MEMO_STAGE, code_fingerprint(), frame_digest(page), tuple(_identity(p) for p in partners), settings)


# Digesting a frame (thousands of items) takes tens of milliseconds; the editions of a night share
# page objects (epaper.night.layout), so a page printed by seven editions is digested once. Held by
# weak reference: a page no longer used is dropped, and its id is then free for another.
_FRAME_DIGESTS: dict[int, tuple[weakref.ref, tuple[str, ...], str]] = {}


def frame_digest(page: Page) -> str:
    """The digest of the page frame its products' key is made with (:func:`_identity` of ``page``),
    remembered for the page object while its fonts' and photos' bytes stay the same."""
    files = _files_of(page)
    known = _FRAME_DIGESTS.get(id(page))
    if known is not None and known[0]() is page and known[1] == files:
        return known[2]
    digest = digest_of(_identity(page))
    _remember_frame_digest(page, files, digest)
    return digest


def know_frame_digest(page: Page, digest: str) -> None:
    """Take ``digest`` as ``page``'s :func:`frame_digest`: an earlier build digested a page composed
    from the same decisions (:attr:`LaidOutEdition.page_sources`), which is the same frame."""
    _remember_frame_digest(page, _files_of(page), digest)


def _files_of(page: Page) -> tuple[str, ...]:
    return tuple(file_digest(font.path) for font in page.fonts) + tuple(
        file_digest(item.path) for item in page.items_of(ImageItem))


def _remember_frame_digest(page: Page, files: tuple[str, ...], digest: str) -> None:
    number = id(page)
    _FRAME_DIGESTS[number] = (weakref.ref(page, lambda _: _FRAME_DIGESTS.pop(number, None)), files, digest)


def jump_partners(page: Page, pages: Mapping[int, Page]) -> tuple[Page, ...]:
    """The pages ``page``'s stories continue to or from, each cut down to what making ``page``'s
    products reads of it: the text runs of the stories that are on ``page`` too (ALTO follows a
    story's words across a jump, see :func:`epaper.archive.text.page_texts`), in drawing order, and
    the fonts they name. The products are made from these (not the whole partner), so the page's
    key, which digests them, covers every input; the rest of the partner (another zone's masthead,
    teasers and index on the front a story jumps from) neither changes the key nor the bytes."""
    return JumpPartners(page, partner_pages(page, pages)).cut()


def partner_pages(page: Page, pages: Mapping[int, Page]) -> tuple[Page, ...]:
    """The pages of ``pages`` that ``page``'s stories continue to or from (by its regions: none of
    its items is read), in page order."""
    numbers = {n for region in page.regions for n in (region.continued_to, region.continued_from)
               if n and n != page.number and n in pages}
    return tuple(pages[n] for n in sorted(numbers))


def _story_runs(partner: Page, stories: set[str]) -> Page:
    """``partner`` as a page of its number holding only its runs of ``stories`` (and their fonts):
    nothing else of it is read, so nothing else may stand in the key."""
    runs = tuple(item for item in partner.items_of(TextRun) if item.source.article_id in stories)
    named = {run.font for run in runs}
    return Page(number=partner.number, section="", width=0.0, height=0.0, items=runs, regions=(),
                editorial=Box(0.0, 0.0, 0.0, 0.0), fonts=tuple(font for font in partner.fonts if font.name in named))


KeyOf = Callable[[Page, JumpPartners, ProductSettings], str]


def _page_key_of(page: Page, jump: JumpPartners, settings: ProductSettings) -> str:
    return page_key(page, jump.cut(), settings)


def page_tasks(pages: Sequence[Page], settings: ProductSettings, languages: Mapping[str, str],
               store: Store, *, keys: Sequence[str] | None = None, key_of: KeyOf = _page_key_of) -> list[PageTask]:
    """A task per page; ``languages`` maps the edition's article ids to their languages (each task
    gets those of the articles on its page, the only ones its ALTO names, so another story's
    language changes no other page's key). ``keys`` are the pages' keys if known already
    (remembered with the layout they follow from); else each is ``key_of`` the page, its jump
    partners and its settings (:func:`page_key` of what it reads of them, or a memo of it)."""
    if keys is not None and len(keys) != len(pages):
        keys = None
    by_number = {page.number: page for page in pages}
    tasks: list[PageTask] = []
    for page in pages:
        jump = JumpPartners(page, partner_pages(page, by_number))
        own = tuple(sorted({(r.article_id, languages[r.article_id]) for r in page.regions
                            if r.article_id in languages}))
        page_settings = replace(settings, languages=own)
        key = keys[len(tasks)] if keys is not None else key_of(page, jump, page_settings)
        tasks.append(PageTask(page, jump, page_settings, store, key))
    return tasks


def recorded(task: PageTask) -> PageProducts | None:
    """The task's products as an earlier run recorded them, the objects they name not looked at (for
    a check that looks at each anyway: :func:`published_in`)."""
    record = task.store.read_memo(MEMO_STAGE, task.key)
    return record if isinstance(record, PageProducts) else None


def remembered(task: PageTask) -> PageProducts | None:
    """The task's products from an earlier run, if the memo and every object it names are there as
    made: an object whose stamp changed is read, and one whose bytes changed is dropped (the page
    is made again, and every edition printing it gets the new file)."""
    record = recorded(task)
    if record is None or len(record.stamps) != len(record.files):
        return None
    store = task.store
    seen = tuple(store.stamp(digest) for _, digest in record.files)
    for (_, digest), stamp, now in zip(record.files, record.stamps, seen):
        if now is None or (now != stamp and not store.intact(digest)):
            return None
    if seen != record.stamps:  # made again with the same bytes (collected, then made by another page): read once
        record = replace(record, stamps=seen)
        store.write_memo(MEMO_STAGE, task.key, record)
    return replace(record, reused=True)


def published_in(folder: Path, products: PageProducts, store: Store) -> bool:
    """Whether every file of the page's products that an edition holds is in the edition ``folder``
    as published: the same object of the build cache (every published file is a hard link to one)."""
    return all(store.linked(folder / relative, digest) for relative, digest in edition_files(products))


def make_page_products(task: PageTask) -> PageProducts:
    """Make (or find) every per-page product of ``task.page`` in the store. Idempotent."""
    found = remembered(task)
    if found is not None:
        return found
    page, settings, store = task.page, task.settings, task.store
    name = page_file_name(page.number)
    sink = StoreSink(store)
    # Two threads beside this one. Pillow decodes, resamples and encodes, and pdfium renders,
    # without the GIL nearly all the time; drawing with ReportLab and working out the page's
    # words and ink is Python. So the photos are made for both PDFs while the reader PDF's text
    # is drawn, and the raster while the print PDF, ALTO and ink are made: on two cores one page
    # takes little more than its Python (a replate's page; the last pages of a build). Photos an
    # earlier process drew as this page draws them come from the build cache instead.
    targets = (SCREEN, PrintTarget(settings.spec))
    photos = _photo_memos(page, targets)
    drawn_before = {photo: data for photo, key in photos.items()
                    if isinstance(data := store.read_memo(PHOTO_STAGE, key), bytes)}
    known_photos(drawn_before)
    with store.scratch() as folder, ThreadPoolExecutor(max_workers=2, thread_name_prefix="epaper-page") as threads:
        reader, printed = folder / "pages" / name, folder / "print" / name
        reader.parent.mkdir()
        printed.parent.mkdir()
        title = page_pdf_title(settings.title, settings.wording, page)
        threads.submit(prepare_photos, page, targets)  # the drawing waits for each
        write_reader_pdf(page, reader, title=title, author=settings.author, date=settings.date)
        # The raster's ~80 files go straight into the store (no folders made: epaper.raster.sink).
        # pdfium is not thread-safe: nothing else calls it until the page is rendered; the word
        # gaps are read then, while the raster's images and tiles are encoded.
        rendered = threading.Event()
        rastered = threads.submit(rasterize_page, reader, page.number, sink, settings.raster,
                                  pdfium_done=rendered.set)
        write_print_page(page, printed, title=title, author=settings.author, spec=settings.spec, date=settings.date)
        text = page_text(page, task.partners, dict(settings.languages), settings.languages_written)
        for alto in write_alto([text], folder):
            compress_beside(alto)
        ink = page_ink(page, settings.format)
        rendered.wait()
        spacing = page_spacing(page, reader)
        raster = rastered.result()
        info = tile_info(raster, settings.raster, edition_url="")
        info.pop("id")
        files = tuple((path.relative_to(folder).as_posix(), store.put_file(path))
                      for path in sorted(folder.rglob("*")) if path.is_file())
    files = tuple(sorted(files + tuple(sink.files.items())))
    for photo, key in photos.items():
        if photo not in drawn_before:
            store.write_memo(PHOTO_STAGE, key, photo_bytes(*photo))
    result = PageProducts(page.number, task.key, files, replace(raster, seconds=0.0), json.dumps(info),
                          page_outline(text), ink, spacing, drawn_faults(page, settings.format),
                          stamps=tuple(store.stamp(digest) for _, digest in files))
    store.write_memo(MEMO_STAGE, task.key, result)
    return result


PHOTO_STAGE = "photo"  # a photo as drawn for a target (screen or print), by its source and placing


def _photo_memos(page: Page, targets: Sequence[Target]) -> dict[tuple[Target, ImageItem], str]:
    """The memo key of each photo of ``page`` as drawn for each of ``targets``: decoding, cutting,
    resampling and encoding them took ~0.12 s of a page (a replate's page, its photos unchanged)."""
    return {(target, item): digest_of(PHOTO_STAGE, code_fingerprint(), target, Path(item.path), item.crop,
                                      item.box.w, item.box.h)
            for target in targets for item in page.items_of(ImageItem)}


class StoreSink:
    """A :class:`~epaper.raster.sink.Sink` into the store: each file an object, named by its bytes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.files: dict[str, str] = {}  # path in the edition folder -> object digest

    def write(self, relative: str, data: bytes) -> None:
        self.files[relative] = self.store.put_bytes(data)

    def alias(self, relative: str, existing: str) -> None:
        self.files[relative] = self.files[existing]


def link_page_products(products: Sequence[PageProducts], store: Store, edition_dir: Path) -> None:
    """Hard-link the pages' files into the edition folder, all at once (their folders are made
    once): all but their tiles, which are published beside the editions (:mod:`epaper.tile_sets`)."""
    store.link_all([file for page in products for file in edition_files(page)], edition_dir)


def edition_files(page: PageProducts) -> list[tuple[str, str]]:
    """The page's files that an edition folder holds (path there, object digest): all but its tiles."""
    return [file for file in page.files if not _in_tile_folder(file[0], page)]


def tile_files(page: PageProducts) -> list[tuple[str, str]]:
    """The page's tile images (path as made, ``tiles/NNN/<region>/…``; object digest): published
    beside the editions (:mod:`epaper.tile_sets`), not in an edition folder."""
    return [file for file in page.files if _in_tile_folder(file[0], page)]


def _in_tile_folder(relative: str, page: PageProducts) -> bool:
    """Whether the page's file ``relative`` is in a folder below its tile set (a tile image)."""
    top = page.raster.tiles + "/"
    return relative.startswith(top) and "/" in relative[len(top):]
