"""The pipeline: edition folder → model → typeset → layout → page frames → PDFs, images, web, report.

Every output is derived from the same laid-out pages. The edition's folder is written in a staging
folder and moved into place only when everything succeeded.

Work is remembered in the output root's build cache (``OUT/.store``, :mod:`epaper.cache`): each
section's layout by what it depends on, and every per-page product (PDFs, page image, thumbnail,
tiles, ALTO) by its page frame (:mod:`epaper.products`). A build into the output of an earlier one
makes again only what changed, links the rest from the store, and says what it reused.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import functools
import json
import os
import re
import shlex
import time
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image

from epaper.archive import write_mets
from epaper.cache import Store, code_fingerprint, digest_of
from epaper.cache.store import ChildWork
from epaper.formats import available_formats, load_format
from epaper.formats.printing import load_print_spec
from epaper.i18n import LANGUAGES, ascii_text, catalogue, clock_time, long_date, weekday_names
from epaper.i18n.transliterate import has_non_ascii_letters, sounds_key
from epaper.ingest import EditionReading, InvalidEdition, Problem, read_edition
from epaper.ingest.edition import ARTICLES_DIR
from epaper.ingest.markdown import parse_body
from epaper.model.numbers import number_runs
from epaper.frame import Page
from epaper.layout import LaidOutEdition, lay_out, same_decisions
from epaper.layout.lock import PLAN_FILE, LockError, jump_closure, pages_unchanged, read_plan_record
from epaper.layout.left_out import left_out_now, refusal
from epaper.layout.omissions import layout_warnings
from epaper.memos import StoredArticles, StoredPacks, StoredPhotos, StoredSections
from epaper.model import Edition, slugify
from epaper.products import (JumpPartners, KeyOf, PageProducts, PageTask, ProductSettings, edition_files, frame_digest,
                             know_frame_digest, link_page_products, make_page_products, page_key, page_tasks,
                             published_in, remembered)
from epaper.publish.build_lock import output_lock
from epaper.publish.layout_json import layout_document
from epaper.publish.output import (OutputError, check_output_root, output_errors, scratch_beside, staged_output,
                                   walk_unsealed)
from epaper.publish.pdfs import merge_edition_pdf, page_file_name
from epaper.publish.pdfx import load_output_profile
from epaper.raster import RasterResult, RasterSettings
from epaper.render.targets import PrintTarget
from epaper.report import report_document, write_report_html
from epaper.time_zones import now
from epaper.urls import edition_url, root_url
from epaper.web.compress import compress_beside
from epaper.publish.versions import (VERSION_FILE, VERSIONS_DIR, EditionVersion, file_previous, previous_href,
                                     read_version, recover_edition, write_version)
from epaper.web.viewer import Updated
from epaper.web.templating import keep_compiled_templates, load_templates
from epaper.typeset._pyphen_compat import keep_parsed_patterns
from epaper.truetype import keep_parsed_fonts
from epaper.web import (Downloads, precompress, title_collection_path, write_archive, write_manifest, write_reading,
                        write_viewer_site)
from epaper.resources import fonts_dir
from epaper.tasks import Runner, open_runner
from epaper.collector import cycle_collector_paused
from epaper.tile_sets import TileSets, collect_tile_sets, tile_sets_published
from epaper.typeset import font_book
from epaper.typeset.emergency_breaks import break_patterns
from epaper.typeset.hyphenate import SHIPPED_LANGUAGES, hyphenation_points

__all__ = ["BuildResult", "CachedLayout", "OutputError", "ReplateError", "Reuse", "build_edition", "edition_page_tasks",
           "edition_result", "lay_out_cached", "publish_edition", "published_edition", "read_edition_cached",
           "replate_edition", "replate_pages", "warm_page_products", "warm_up", "with_jump_pages"]

INGEST_STAGE = "ingest"  # the edition folder's files -> what reading them found
LAYOUT_STAGE = "layout"
REPORT_FILES = ("report.json", "report.html")  # each with a .gz copy when that is smaller
EDITION_STAGE = "edition-files"  # the edition's own files (not per page, not the report)
PAGE_KEYS_STAGE = "page-keys"  # a layout's key -> its pages' product keys
FRAME_STAGE = "frame-digest"  # what a page was composed from -> its frame's digest
PAGE_KEY_STAGE = "page-key"  # the digests of a page's frame and its jump partners' -> its products' key

Progress = Callable[[str, int, int], None]  # (step, done, total)


@dataclass(frozen=True)
class Reuse:
    """What a build took from the build cache instead of making again."""

    sections_reused: tuple[str, ...] = ()
    sections_laid_out: tuple[str, ...] = ()
    pages_reused: tuple[int, ...] = ()
    pages_made: tuple[int, ...] = ()
    edition_files_reused: bool = False  # viewer, text views, manifest, METS, edition.pdf

    def as_dict(self) -> dict:
        return {"sections_reused": list(self.sections_reused), "sections_laid_out": list(self.sections_laid_out),
                "pages_reused": list(self.pages_reused), "pages_made": list(self.pages_made),
                "edition_files_reused": self.edition_files_reused}

    def summary(self) -> str:
        """One line for the desk: what was reused and what was made again."""
        sections = len(self.sections_reused) + len(self.sections_laid_out)
        pages = len(self.pages_reused) + len(self.pages_made)
        line = (f"reused the layout of {len(self.sections_reused)} of {sections} sections and "
                f"{len(self.pages_reused)} of {pages} pages' PDFs, images, tiles and ALTO")
        if self.pages_made and self.pages_reused:
            line += f"; made again: page{'s' if len(self.pages_made) > 1 else ''} {_numbers(self.pages_made)}"
        return line


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    pages: int
    placed: int
    unplaced: int
    seconds: float
    laid_out: LaidOutEdition
    warnings: tuple[Problem, ...] = ()  # what the edition builds without, from ingest and layout
    reuse: Reuse = field(default_factory=Reuse)
    version: EditionVersion | None = None  # the version published (see epaper.publish.versions)
    also: tuple[BuildResult, ...] = ()  # a night's replate: the other editions published again with it
    # False: no new version (a replate or --lock that changed nothing, or a build of a replated edition
    # that would write what is published); ``version`` is the one that stays.
    published: bool = True


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _lay_out(edition: Edition, store: Store, sections: StoredSections, *, breaker: str, lock: dict | None,
             lock_pages: Sequence[int], refit: bool = False,
             runner: Runner | None = None) -> tuple[LaidOutEdition, str]:
    """The laid-out edition and its key: from the store when nothing it depends on changed (the
    edition, the breaker, the locked pages' records and, in a replate, the others'), else laid out,
    each section from the store where its own inputs did not change."""
    entries = tuple(page for page in (lock or {}).get("pages", []) if page.get("number") in set(lock_pages))
    # A replate's pages are kept in place or planned again by the whole record (its other pages,
    # the stories it left out): all of it is an input then.
    # (As JSON text: digest_of walks a structure item by item, ~30 ms for a 24-page record.)
    key = digest_of(LAYOUT_STAGE, code_fingerprint(), _edition_inputs(edition), breaker, entries,
                    tuple(sorted(set(lock_pages))), json.dumps(lock, sort_keys=True) if refit else None)
    # Frozen out of the cycle collector's sight, as a layout made here is: ~250,000 objects that live
    # as long as the build, none in a cycle. Else the first collection after the read, and every
    # full one later, walked them all (0.15 s of an unchanged build, reading CLDR's locale data).
    with cycle_collector_paused():
        found = store.read_memo(LAYOUT_STAGE, key)
    if isinstance(found, LaidOutEdition):
        sections.reused.update(dict.fromkeys(spec.name for spec in edition.sections))
        return dataclasses.replace(found, edition=edition), key
    laid_out = lay_out(edition, breaker=breaker, lock=lock, lock_pages=lock_pages, refit=refit, memo=sections,
                       runner=runner)
    sections.write_aside()
    if not entries:  # a lock's record is the version it replates: the next one is another
        store.write_memo_aside(LAYOUT_STAGE, key, laid_out)
    return laid_out, key


def _edition_inputs(edition: Edition) -> tuple:
    """The edition as a key sees it: every field but the folder it was read from, and the paths of
    the photo and ad files (the frames name them by path: the paths are inputs besides the bytes)."""
    fields = tuple(getattr(edition, f.name) for f in dataclasses.fields(edition) if f.name != "root")
    files = tuple(str(photo.path) for article in edition.articles for photo in article.photos) + tuple(
        str(ad.image) for ad in edition.ads if ad.image)
    return fields, files


def _product_settings(edition: Edition, laid_out: LaidOutEdition) -> ProductSettings:
    # The paper and its date name the page PDFs, never the zone: a page shared by two editions is
    # the same file in both.
    return ProductSettings(title=f"{edition.title} — {edition.date.isoformat()}", author=edition.title, date=edition.date,
                           spec=load_print_spec(edition.format), format=laid_out.format, raster=RasterSettings(),
                           languages=(), wording=edition.wording(), languages_written=edition.languages_written)


def edition_page_tasks(laid_out: LaidOutEdition, store: Store, layout_key: str | None) -> list[PageTask]:
    """A task for each page's products (its key says what they are made from), as a build of the
    edition makes them; ``layout_key`` is the layout's key when it was laid out through the cache."""
    pages = laid_out.pages
    languages = {article.id: article.language for article in laid_out.edition.articles}
    settings = _product_settings(laid_out.edition, laid_out)
    # The pages' keys follow from the layout's and the settings (digesting every frame takes a
    # while): remembered with them.
    keys_key = None if layout_key is None else digest_of(layout_key, settings)
    keys = None if keys_key is None else store.read_memo(PAGE_KEYS_STAGE, keys_key)
    # Else a page composed from the same decisions as in an earlier build is the same frame: its
    # digest is remembered by those (digesting a frame of thousands of items takes ~0.1 s).
    sources = laid_out.page_sources if keys is None and len(laid_out.page_sources) == len(pages) else ()
    digests = [digest_of(FRAME_STAGE, code_fingerprint(), source) for source in sources]
    unknown = []
    for page, key in zip(pages, digests):
        known = store.read_memo(FRAME_STAGE, key)
        if isinstance(known, str):
            know_frame_digest(page, known)
        else:
            unknown.append((page, key))
    tasks = page_tasks(pages, settings, languages, store, keys=keys,
                       key_of=_page_key_memo(store, {page.number: page for page in pages}))
    for page, key in unknown:
        store.write_memo(FRAME_STAGE, key, frame_digest(page))
    if keys is None and keys_key is not None:
        store.write_memo(PAGE_KEYS_STAGE, keys_key, tuple(task.key for task in tasks))
    return tasks


def _page_key_memo(store: Store, pages: Mapping[int, Page]) -> KeyOf:
    """:func:`page_key` remembered by the digests of the page's frame and of its jump partners'
    whole frames (``pages``, by number: the pages the partners are cut from): the partners' runs of
    the page's stories, which the key digests, follow from those. A replate composes the pages of
    one section again, most of them the same frames as before: their keys are found (digesting a
    partner's runs took ~20 ms a page). Every page's frame digest is found or made for its own key
    anyway."""
    def key_of(page: Page, jump: JumpPartners, settings: ProductSettings) -> str:
        whole = [pages.get(partner.number) for partner in jump.whole]
        if any(partner is None for partner in whole):
            return page_key(page, jump.cut(), settings)
        memo = digest_of(PAGE_KEY_STAGE, code_fingerprint(), frame_digest(page),
                         tuple((partner.number, frame_digest(partner)) for partner in whole if partner), settings)
        known = store.read_memo(PAGE_KEY_STAGE, memo)
        if isinstance(known, str):
            return known
        key = page_key(page, jump.cut(), settings)
        store.write_memo(PAGE_KEY_STAGE, memo, key)
        return key
    return key_of


def warm_page_products(laid_out: LaidOutEdition, page: int, out_root: Path) -> None:
    """Make page ``page``'s products once into a throwaway store in ``out_root``'s scratch space:
    what a build loads the first time it draws (the fonts, the colour tables, the rasterizer and the
    encoders) is loaded then, not during the next one (``epaper watch``, before its first save)."""
    chosen = next(p for p in laid_out.pages if p.number == page)
    settings = _product_settings(laid_out.edition, laid_out)
    languages = tuple(sorted({(r.article_id, a.language) for r in chosen.regions for a in laid_out.edition.articles
                              if a.id == r.article_id}))
    with Store.of(out_root).scratch() as folder:
        make_page_products(PageTask(chosen, JumpPartners(chosen), dataclasses.replace(settings, languages=languages),
                                    Store.of(folder), "warm-up"))


def _make_products(laid_out: LaidOutEdition, store: Store, layout_key: str | None, *, runner: Runner,
                   report_step: Progress, made_before: frozenset[str]) -> list[PageProducts]:
    """Every page's products, from the store where it has them; the rest made as tasks on ``runner``
    (local processes or a Dask cluster, :mod:`epaper.tasks`). Products whose key is in
    ``made_before`` were made by this build ahead of the edition (``epaper build-night`` makes a
    night's pages in one batch): found in the store, they count as made, not reused."""
    pages = laid_out.pages
    tasks = edition_page_tasks(laid_out, store, layout_key)
    step = "drawing, rasterizing pages"
    done: dict[int, PageProducts] = {}
    for task in tasks:
        found = remembered(task)
        if found is not None:
            done[task.page.number] = dataclasses.replace(found, reused=False) if task.key in made_before else found
    report_step(step, len(done), len(pages))
    missing = [task for task in tasks if task.page.number not in done]
    already = len(done)
    for products in runner.map(make_page_products, missing,
                               progress=lambda finished: report_step(step, already + finished, len(pages))):
        # Made by this build, even when the run that came back found them in the store: a task
        # run again after its worker died found what the first run made and stored (not "reused").
        done[products.number] = dataclasses.replace(products, reused=False)
    return [done[page.number] for page in pages]


@dataclass(frozen=True)
class _EditionWork:
    """What an edition's folder is made of before anything is written into it: every page's
    products (in the store), and the edition's own files remembered by the store for them (None:
    they are to be written), with the key they are remembered by."""

    products: tuple[PageProducts, ...]
    files: tuple[tuple[str, str], ...] | None  # (path relative to the edition folder, object digest)
    files_key: str
    public: str  # the edition's URL


def _prepare_edition(laid_out: LaidOutEdition, store: Store, *, runner: Runner, base_url: str | None,
                     report_step: Progress, layout_key: str | None, updated: Updated | None,
                     made_before: frozenset[str]) -> _EditionWork:
    products = tuple(_make_products(laid_out, store, layout_key, runner=runner, report_step=report_step,
                                    made_before=made_before))
    return _edition_work(laid_out, products, store, base_url=base_url, layout_key=layout_key, updated=updated)


def _edition_work(laid_out: LaidOutEdition, products: tuple[PageProducts, ...], store: Store, *,
                  base_url: str | None, layout_key: str | None, updated: Updated | None) -> _EditionWork:
    public = edition_url(base_url, laid_out.edition.id)
    # The edition's own files (viewer, text views, manifest, METS, edition.pdf, ...) follow from the
    # layout, the pages' products, the URL and the "updated" mark: remembered by those, as hard
    # links like the pages'.
    laid = layout_key or digest_of(_edition_inputs(laid_out.edition), laid_out.unplaced, laid_out.plan)
    key = digest_of(EDITION_STAGE, code_fingerprint(), laid, tuple(p.key for p in products), public, root_url(base_url),
                    updated)
    files = store.read_memo(EDITION_STAGE, key)
    # Checked byte for byte (they are small): these are the files a desk or a tool is likeliest to
    # have edited in place in an edition folder (plan.json, layout.json, the viewer).
    if not (isinstance(files, tuple) and all(store.intact(digest) for _, digest in files)):
        files = None
    return _EditionWork(products, files, key, public)


def _keep_compiled(store: Store) -> None:
    """What each process would parse or compile alike (the viewer's templates, the hyphenation
    patterns, the fonts) kept in the build cache ``store`` for the processes after it: named before an
    edition is laid out (:func:`build_edition`, :func:`lay_out_cached`), which every publishing follows."""
    keep_compiled_templates(store.root / "templates")
    keep_parsed_patterns(store.root / "patterns")
    keep_parsed_fonts(store.root / "fonts")


def warm_up() -> None:
    """What every build loads before its first page, loaded now by a process that stays for the
    commands after it (a warm process, :mod:`epaper.warm`): the code's fingerprint, every font face,
    the hyphenation patterns of English and of the languages epaper ships patterns for, each
    language's messages and calendar (Babel's), the viewer's templates, and what a build loads the
    first time it meets it (below). Of the colour conversions only their tables: a process forked
    from one that used LittleCMS builds its own transforms (see :mod:`epaper.render.cmyk`)."""
    code_fingerprint()
    book = font_book()
    for name in book.names:
        book.face(name)
    for language in ("en", *SHIPPED_LANGUAGES):
        hyphenation_points("newspapers", language)
    moment = dt.datetime.now()
    for language in LANGUAGES:
        catalogue(language)
        long_date(moment.date(), language)
        clock_time(moment, language)
        weekday_names(language)
    load_templates()
    # What a build loads the first time it meets it, loaded now: the Markdown parser, the patterns
    # of an emergency break, Pillow's image plugins, the XMP parser pikepdf writes the print PDF's
    # metadata with (lxml), the codec that drops a BOM, and each shipped format's print profile,
    # compressed, with its type styles' colours and its grey ramp through it (plain data, which a
    # forked command keeps: epaper.render.cmyk). A replate forked from a warm process took ~20 ms
    # less with these loaded (0.952 against 0.970 s, 12 interleaved rounds on the 24-page edition).
    parse_body("*warm*")
    break_patterns()
    Image.preinit()
    with pikepdf.new() as pdf, pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False):
        pass
    codecs.lookup("utf-8-sig")
    for name in available_formats():
        spec = load_print_spec(name)
        load_output_profile(spec)
        target = PrintTarget(spec)
        for color in {(0.5, 0.5, 0.5), *(style.color for style in load_format(name).styles.values())}:
            target.ink(color)  # (a grey works out the grey ramp)


def _updated_mark(version: EditionVersion) -> Updated | None:
    """The viewer's "updated" mark of ``version`` (none on a version that replaced no other)."""
    if not version.kept:
        return None
    return Updated(made=version.made, time=version.time, previous=previous_href(version.kept[-1]),
                   number=version.number)


def _write_edition(laid_out: LaidOutEdition, work: _EditionWork, staging: Path, *, store: Store, workers: int,
                   base_url: str | None, updated: Updated | None, tile_sets: TileSets) -> None:
    """Every output file of the edition but the report and the pages' files (linked by the caller,
    :func:`link_page_products`), into ``staging``; ``tile_sets`` are its pages' tiles."""
    if work.files is not None:
        store.link_all(work.files, staging)
        return
    linked = {relative for p in work.products for relative, _ in edition_files(p)}
    _write_edition_files(laid_out, work.products, staging, workers=workers, base_url=base_url, public=work.public,
                         updated=updated, photos=StoredPhotos(store), tile_sets=tile_sets)
    files = tuple((relative, store.adopt(staging / relative))
                  for relative in sorted(_files_below(staging) - linked))
    store.write_memo(EDITION_STAGE, work.files_key, files)


def _files_below(folder: Path, *, sealed: Collection[str] = ()) -> set[str]:
    """Every file below ``folder``, by its path relative to it, but those in the folders ``sealed``
    (see :func:`walk_unsealed`: the versions a replated edition keeps, each a whole edition)."""
    top = len(str(folder)) + 1
    return {(parent[top:] + "/" if parent[top:] else "") + name for parent, _, names in walk_unsealed(folder, sealed)
            for name in names}


def _unchanged_in_place(final: Path, work: _EditionWork, store: Store, *, kept_versions: bool = False) -> bool:
    """Whether the published edition ``final`` is already, file for file, what writing the edition
    again would make (but its report and version): every page's and the edition's files are links
    to the same objects of the store, and nothing else is there (the pages' tiles are published
    beside, see :func:`publish_edition`). Then a build only replaces its report and version, instead
    of making a folder of a few hundred links and removing the old one."""
    if work.files is None or not final.is_dir():
        return False
    expected = {relative: digest for p in work.products for relative, digest in edition_files(p)} | dict(work.files)
    # The versions a replated edition keeps are not this build's to write (nor are they there else).
    present = _files_below(final, sealed=(VERSIONS_DIR,) if kept_versions else ())
    if present - {f"{name}.gz" for name in REPORT_FILES} != set(expected) | set(REPORT_FILES) | {VERSION_FILE}:
        return False
    return all(store.linked(final / relative, digest) for relative, digest in expected.items())


def _as_published(final: Path, laid_out: LaidOutEdition, work: _EditionWork, store: Store, *,
                  version: EditionVersion | None, keep: EditionVersion, base_url: str | None,
                  layout_key: str | None) -> bool:
    """Whether the next version would be the published one ``keep`` again, so none is published.
    A replate (or a lock) that changes nothing — the story edited in another folder, or not saved
    yet — when every page prints as published; so does a whole build right after a replate (its
    plan.json no longer notes the pages the replate locked: that is no new version for the plant
    or the reader). A whole build of an edition whole-built before (or a lock of every page), when
    the published folder is, file for file, what it would write (its own "updated" mark and all)."""
    if not _same_source(keep, version):
        return False
    if version is not None and (version.replated or keep.replated):
        return _prints_as_published(final, laid_out, work, store)
    return _unchanged_in_place(final, _edition_work(laid_out, work.products, store, base_url=base_url,
                                                    layout_key=layout_key, updated=_updated_mark(keep)), store,
                               kept_versions=True)


def _same_source(published: EditionVersion, version: EditionVersion | None) -> bool:
    """Whether ``version`` is made from what ``published`` was (folder or night file, URL, breaker)."""
    return version is not None and (published.source, published.base_url, published.breaker) == (
        version.source, version.base_url, version.breaker)


def _prints_as_published(final: Path, laid_out: LaidOutEdition, work: _EditionWork, store: Store) -> bool:
    """Whether the edition published in ``final`` prints what this run made, page for page: the
    same placement decisions (``plan.json``) and every page's files the same objects of the store."""
    try:
        published = read_plan_record(final / PLAN_FILE)
    except LockError:  # none, or unreadable: not the same
        return False
    return same_decisions(published, laid_out.plan) and all(published_in(final, p, store) for p in work.products)


def _write_report(laid_out: LaidOutEdition, work: _EditionWork, warnings: tuple[Problem, ...], folder: Path, *,
                  started: float, reuse: Reuse, extra_report: dict | None) -> None:
    """``report.json`` and ``report.html`` (and their ``.gz``) into ``folder``."""
    products = work.products
    # Read back from the drawn PDFs (with each page's products): the widest word gap of each line.
    report = report_document(laid_out, seconds=time.perf_counter() - started, inks=[p.ink for p in products],
                             spacing=[p.spacing for p in products], faults=[p.faults for p in products])
    report["warnings"] = [warning.as_dict() for warning in warnings]
    report["cache"] = reuse.as_dict()
    report.update(extra_report or {})
    _write_json(folder / "report.json", report)
    write_report_html(report, laid_out, folder / "report.html")
    for name in REPORT_FILES:
        compress_beside(folder / name)


def _write_edition_files(laid_out: LaidOutEdition, products: Sequence[PageProducts], staging: Path, *,
                         workers: int, base_url: str | None, public: str, updated: Updated | None,
                         photos: StoredPhotos, tile_sets: TileSets) -> None:
    """The edition's files that are not per page (everything but the report), into ``staging``,
    where the pages' products are already (their tiles beside the editions: ``tile_sets``)."""
    edition, pages = laid_out.edition, laid_out.pages
    page_pdfs = [staging / "pages" / page_file_name(page.number) for page in pages]
    edition_pdf = staging / "edition.pdf"
    # pikepdf merges with the GIL held (~60 ms for 24 pages): in a child process, while this one
    # writes what needs no PDF (text views, search index, layout records) on the other core.
    merging = ChildWork(functools.partial(merge_edition_pdf, edition, pages, page_pdfs, edition_pdf))
    try:
        reading = write_reading(edition, pages, staging, photo_reuse=photos)
        _write_json(staging / "layout.json", layout_document(edition, pages, laid_out.unplaced))
        _write_json(staging / PLAN_FILE, laid_out.plan)
    finally:
        merging.wait()  # (not left writing into a staging folder that a failure removes)
    merging.finish()
    # The viewer and the manifest name each page's tiles where they are published, for every edition.
    raster = RasterResult(pages=tuple(dataclasses.replace(p.raster, tiles=tile_sets.href(p.number)) for p in products),
                          tile_size=RasterSettings().tile_size, workers=workers, seconds=0.0)
    downloads = Downloads.from_files(staging, edition_pdf, page_pdfs)
    # The pages' files are objects of the store, named by their SHA-256: the service worker's
    # version and METS's checksums take it from there instead of reading ~20 MB again.
    known = {relative: digest for p in products for relative, digest in p.files}
    write_viewer_site(edition, pages, staging, reading, raster=raster, downloads=downloads, updated=updated,
                      known=known)
    # METS lists the files written before it; the manifest links the ALTO and METS.
    write_mets(edition, [p.text for p in products], staging, known=known,
               version=(updated.number, updated.made) if updated is not None else None)
    # Last: the manifest links every file of the edition that exists by now.
    write_manifest(edition, pages, staging, raster=raster, downloads=downloads, edition_url=public,
                   part_of=root_url(base_url) + title_collection_path(edition.title), updated=updated)
    # .gz copies of the text files written here (the ALTO's came with it), those of unchanged files
    # (most text views, when one story changed) from the store.
    precompress(staging, keep_existing=True, reuse=StoredPacks(Store.of(staging.parent)))


def build_edition(edition_dir: Path, out_root: Path, *, workers: int = 2, breaker: str = "knuth-plass",
                  base_url: str | None = None, lock_pages: Sequence[int] = (),
                  progress: Progress | None = None, strict: bool = False,
                  on_wait: Callable[[str], None] | None = None,
                  scheduler: str | None = None, kept: dict[tuple[str, str], Any] | None = None,
                  reading: EditionReading | None = None, replating: str | None = None) -> BuildResult:
    """Build the edition in ``edition_dir`` into ``out_root/<edition id>/``. Raises ``InvalidEdition``.

    ``base_url`` is the public URL the output root ``out_root`` will be served from (default: the
    address of ``epaper serve``, see :mod:`epaper.urls`): every IIIF id (manifest, image services,
    collections) is absolute and starts with it.

    ``lock_pages`` are kept exactly as the previous build into ``out_root`` made them (its
    ``plan.json``); raises ``LockError`` if that is impossible.

    ``strict`` turns warnings into errors: ``InvalidEdition`` lists them and nothing is written.

    Pages are drawn and rasterized by ``workers`` local processes, or, given a Dask ``scheduler``
    address (``tcp://HOST:PORT``), by that cluster's workers, which must see ``out_root`` at the
    same path (:mod:`epaper.tasks`); the files are the same. Raises
    :class:`~epaper.tasks.SchedulerError` when the cluster cannot run the build.

    What an earlier build into ``out_root`` made from the same inputs is reused from its build
    cache (``out_root/.store``); :attr:`BuildResult.reuse` says what. ``kept`` holds the layout's
    sections, pages and bodies this process read or made in its previous build (``epaper watch``,
    one process for many builds: see :class:`~epaper.memos.StoredSections`); what this build did
    not use is let go. ``reading``: the folder as the caller read it (:func:`read_edition_cached`),
    built as it was then, not as it is when the build reads it (``epaper watch`` decides what to
    build from one reading; a story saved meanwhile is for the next build).

    ``replating``: the id of the published edition a replate (:func:`replate_pages`) makes again
    from this folder (``ReplateError`` if the folder now makes another).

    A build with ``lock_pages`` (or ``replating``) publishes the next numbered version of the edition
    and keeps the previous one in ``versions/<n>/`` (:mod:`epaper.publish.versions`), unless every
    page prints as published (:attr:`BuildResult.published` is then False); so does any build of an
    edition replated before (unless the published one is what it would write); any other build is
    version 1.

    Raises :class:`~epaper.publish.output.OutputError` when ``out_root`` cannot take the edition (a
    file, a read-only folder, a full disk). ``on_wait`` is told when another build into
    ``out_root`` holds its lock (this one then waits).
    """
    started = time.perf_counter()
    report_step = progress or (lambda step, done, total: None)
    report_step("reading articles", 0, 1)
    read = _read_edition(Path(edition_dir), Path(out_root)) if reading is None else _Reading(reading, None)
    reading = read.reading
    if reading.problems or reading.edition is None:
        raise InvalidEdition(reading.problems)
    _stop_if_strict(strict, reading.warnings)
    edition = reading.edition
    final = Path(out_root) / edition.id
    check_output_root(Path(out_root))
    with output_errors(Path(out_root)), output_lock(Path(out_root), on_wait), \
            open_runner(workers=workers, scheduler=scheduler, shared_folder=Path(out_root),
                        same_folders=(fonts_dir(), Path(edition_dir))) as runner:
        recover_edition(final)  # a build killed earlier: its leftovers go, a half-published edition comes back
        store = Store.of(Path(out_root))
        store.clear_scratch()  # what tasks of a killed build left half-made
        _keep_compiled(store)
        _remember_reading(store, read)
        report_step("laying out pages", 0, 1)
        replate = replating is not None
        if replate and edition.id != replating:
            # The folder now makes another edition than the one replated (a new title, date or
            # edition name in edition.yaml): replating it would publish that one, or nothing.
            raise ReplateError(f"{edition_dir} now makes the edition {edition.id!r} (edition.yaml's title, date "
                               f"or edition name changed), not {replating} — build it: "
                               f"epaper build {shlex.quote(str(edition_dir))} --out {shlex.quote(str(out_root))}")
        lock = read_plan_record(final / PLAN_FILE) if lock_pages or replate else None
        kept_pages = frozenset(lock_pages)  # as the desk asked; the others are to be made again
        if replate and lock is not None and pages_unchanged(
                lock, edition, [entry["number"] for entry in lock["pages"] if entry["number"] not in kept_pages]):
            # Nothing new to set on the pages asked for, no story or ad changed (a replate pressed
            # before the story was saved, or in another folder): they are kept as well. Planned
            # alone, the rest of its section locked, a page need not come out as planning the
            # section whole made it.
            lock_pages = [entry["number"] for entry in lock["pages"]]
        sections = StoredSections(store, kept, written_aside=True)
        laid_out, layout_key = _lay_out(edition, store, sections, breaker=breaker, lock=lock,
                                        lock_pages=lock_pages, refit=replate, runner=runner)
        if lock is not None:
            _refuse_leaving_out(lock, laid_out, edition_dir=Path(edition_dir), out_root=Path(out_root),
                                remade={entry["number"] for entry in lock["pages"]} - set(lock_pages),
                                replate=replate)
        warnings = reading.warnings + layout_warnings(laid_out)
        _stop_if_strict(strict, warnings)
        previous = read_version(final) if final.is_dir() else None
        recorded = previous is not None
        continued = previous is not None and previous.continued_by_builds
        if final.is_dir() and previous is None:  # built before versions were recorded, or by a night: version 1
            previous = EditionVersion(1, now(laid_out.edition.time_zone), str(Path(edition_dir).absolute()), breaker,
                                      base_url)
        whole = not (lock_pages or replate)
        keep = previous if not whole or continued else None
        if keep is not None and not recorded:
            # Kept under its number: a kill while it is being filed into the next version leaves
            # it beside that, and the next build files it by the number its version.json says.
            write_version(final, keep)
        version = EditionVersion(
            number=keep.number + 1 if keep else 1, made=now(laid_out.edition.time_zone),
            source=str(Path(edition_dir).absolute()),
            breaker=breaker, base_url=base_url,
            replated=tuple(p.number for p in laid_out.pages if p.number not in kept_pages) if not whole else (),
            kept=keep.kept + (keep.number,) if keep else ())
        result = publish_edition(laid_out, warnings, Path(out_root), started=started, runner=runner,
                                 base_url=base_url, progress=report_step, layout_key=layout_key, sections=sections,
                                 version=version, keep=keep)
        write_archive(Path(out_root), base_url=base_url)
        if not replate:
            collect_tile_sets(Path(out_root), store)  # tile sets no edition names any more
            store.collect_garbage()  # objects no edition links any more (the one replaced now is still being deleted)
        # (A replate files the version it replaces whole: no object is let go of, and walking the
        # store took ~20 ms of each replate, more as versions are kept: ~7,000 objects after a few.)
        store.clear_scratch()  # what a task killed and retried on another worker left behind
    if kept is not None:
        sections.keep_only_used()
    return result


def publish_edition(laid_out: LaidOutEdition, warnings: tuple[Problem, ...], out_root: Path, *,
                    started: float | None = None, runner: Runner | None = None, workers: int = 2,
                    base_url: str | None = None, progress: Progress | None = None, extra_report: dict | None = None,
                    layout_key: str | None = None, sections: StoredSections | None = None,
                    version: EditionVersion | None = None, keep: EditionVersion | None = None,
                    made_before: frozenset[str] = frozenset()) -> BuildResult:
    """Write every output of an edition already laid out into ``out_root/<edition id>/`` (staged,
    swapped in whole), its per-page products and its own files from the output root's build cache
    where they are there already. When the published folder is already, file for file, what would
    be written, only its report and version are replaced (each whole); with a version to keep
    (``keep``), nothing is, and the result says it was not published. The caller holds the output
    folder's lock and writes the archive afterwards (``epaper build`` for one edition, ``epaper build-night`` once for all the night's
    editions). ``extra_report`` is merged into ``report.json`` (and shown by ``report.html``).
    ``layout_key`` and ``sections`` are the layout's key and section memo when the caller laid the
    edition out through the cache (then the pages' keys are remembered with the layout's).
    ``version`` is written to ``version.json``; ``keep`` is the published edition's version, kept
    whole in ``versions/<n>/`` of the new one. ``made_before``: the keys of page products the caller
    made for this edition ahead of it (see :func:`edition_page_tasks`): they count as made. The
    pages' tiles are published beside the editions, each page's once for them all
    (:mod:`epaper.tile_sets`): a replate publishes those of the page it makes again, nothing more.

    Pages are drawn and rasterized on ``runner`` (see :mod:`epaper.tasks`: the caller's, to share
    one pool or cluster among editions), or without one on ``workers`` local processes."""
    started = time.perf_counter() if started is None else started
    final = Path(out_root) / laid_out.edition.id
    recover_edition(final)  # a build killed earlier: its leftovers go, a half-published edition comes back
    store = Store.of(Path(out_root))
    updated = _updated_mark(version) if version is not None and keep is not None else None
    report_step = progress or (lambda step, done, total: None)
    with (nullcontext(runner) if runner is not None else open_runner(workers=workers)) as tasks:
        work = _prepare_edition(laid_out, store, runner=tasks, base_url=base_url, report_step=report_step,
                                layout_key=layout_key, updated=updated, made_before=made_before)
        pool_workers = tasks.workers
    report_step("writing the epaper", 0, 1)
    # The tile sets no edition published yet: by a child process while the edition is written.
    with tile_sets_published(work.products, store, Path(out_root), root_url(base_url)) as tile_sets:
        return _publish_edition(laid_out, work, warnings, final, store, tile_sets, started=started,
                                workers=pool_workers, base_url=base_url, extra_report=extra_report,
                                layout_key=layout_key, sections=sections, version=version, keep=keep, updated=updated)


def _publish_edition(laid_out: LaidOutEdition, work: _EditionWork, warnings: tuple[Problem, ...], final: Path,
                     store: Store, tile_sets: TileSets, *, started: float, workers: int, base_url: str | None, extra_report: dict | None,
                     layout_key: str | None, sections: StoredSections | None, version: EditionVersion | None,
                     keep: EditionVersion | None, updated: Updated | None) -> BuildResult:
    """:func:`publish_edition` once the pages' products are made (``work``)."""
    order = [spec.name for spec in laid_out.edition.sections]  # the memo met them in another order (layout)
    reuse = Reuse(sections_reused=tuple(n for n in order if sections and n in sections.reused),
                  sections_laid_out=tuple(n for n in order if sections and n in sections.made),
                  pages_reused=tuple(p.number for p in work.products if p.reused),
                  pages_made=tuple(p.number for p in work.products if not p.reused),
                  edition_files_reused=work.files is not None)
    if version is not None and version.replated:
        # The version names, for the plant, the pages that print differently from the version it
        # replaces: a page laid out again with its jump partner but drawn the same is not one (its
        # plate need not be made again); a kept page whose refer box or teasers followed is.
        changed = printed_differently(final, work.products, store)
        version = dataclasses.replace(version, replated=changed or tuple(sorted({*version.replated,
                                                                                *reuse.pages_made})))
    elif version is not None and keep is not None:
        # A whole build of an edition on the press (its versions kept): its new plates, the same way.
        version = dataclasses.replace(version, replated=printed_differently(final, work.products, store))
    if keep is not None and _as_published(final, laid_out, work, store, version=version, keep=keep,
                                          base_url=base_url, layout_key=layout_key):
        return edition_result(final, laid_out, started, warnings, reuse, version=keep, published=False)
    if keep is None and _unchanged_in_place(final, work, store):
        # Each file replaced whole: a reader of the published edition sees the old report or the new.
        with scratch_beside(final) as report_dir:
            _write_report(laid_out, work, warnings, report_dir, started=started, reuse=reuse,
                          extra_report=extra_report)
            if version is not None:
                write_version(report_dir, version)
            written = sorted(report_dir.iterdir())
            for path in written:
                os.replace(path, final / path.name)
            for name in {f"{name}.gz" for name in REPORT_FILES} - {path.name for path in written}:  # no longer worth it
                (final / name).unlink(missing_ok=True)
    else:
        # A replate's previous version is filed into the new one once that is published; else the
        # replaced edition goes into the store's trash, which empties itself.
        filed = store.discard if keep is None else functools.partial(file_previous, final=final, previous=keep)
        with staged_output(final, keep_old=filed) as staging:
            link_page_products(work.products, store, staging)
            _write_edition(laid_out, work, staging, store=store, workers=workers, base_url=base_url, updated=updated,
                           tile_sets=tile_sets)
            _write_report(laid_out, work, warnings, staging, started=started, reuse=reuse, extra_report=extra_report)
            if version is not None:
                write_version(staging, version)
            tile_sets.finish()  # the edition is published next: the tiles it names are there first
    return edition_result(final, laid_out, started, warnings, reuse, version=version)


def printed_differently(final: Path, products: Sequence[PageProducts], store: Store) -> tuple[int, ...]:
    """The pages whose PDFs (reader or print) are not those the edition published in ``final`` has
    (every published file is a hard link to its object: two stats a file, nothing read)."""
    return tuple(p.number for p in products if any(
        relative.startswith(("pages/", "print/")) and not store.linked(final / relative, digest)
        for relative, digest in p.files))


def edition_result(final: Path, laid_out: LaidOutEdition, started: float, warnings: tuple[Problem, ...],
                   reuse: Reuse, *, version: EditionVersion | None, published: bool = True) -> BuildResult:
    """What a build or replate of the edition in ``final`` tells: its pages, stories placed and left
    out, seconds since ``started`` (``time.perf_counter``), and the version published (or kept)."""
    pages = laid_out.pages
    placed = len({r.article_id for p in pages for r in p.regions})
    return BuildResult(out_dir=final, pages=len(pages), placed=placed, unplaced=len(laid_out.unplaced),
                       seconds=time.perf_counter() - started, laid_out=laid_out, warnings=warnings, reuse=reuse,
                       version=version, published=published)


@dataclass(frozen=True)
class _Reading:
    """The edition folder read (or remembered), and what to remember of it once the output folder
    takes files."""

    reading: EditionReading
    key: str | None  # the whole reading's key; None: remembered already, or a file could not be read
    articles: StoredArticles | None = None  # each article's reading


def _read_edition(folder: Path, out_root: Path) -> _Reading:
    """The edition folder read and checked, or what an earlier build into ``out_root`` read from
    exactly the same files (their names, places and bytes); else the articles whose files did not
    change are taken as read then."""
    try:
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        named = tuple((p.relative_to(folder).as_posix(), os.path.realpath(p), p) for p in files)
        key = digest_of(INGEST_STAGE, code_fingerprint(), str(folder.absolute()), named)
    except OSError:  # a file that cannot be read: reading says which, and how to fix it
        return _Reading(read_edition(folder), None)
    if key in _LAST_READ:  # the same files just read by this process (epaper watch, deciding what to do)
        return _Reading(_LAST_READ[key], None)
    store = Store.of(out_root)
    found = store.read_memo(INGEST_STAGE, key)
    if isinstance(found, EditionReading):
        _last_read(key, found)
        return _Reading(found, None)
    others = digest_of(str(folder.absolute()),
                       tuple(entry for entry in named if not entry[0].startswith(f"{ARTICLES_DIR}/")))
    articles = StoredArticles(store, others)
    return _Reading(read_edition(folder, article_memo=articles), key, articles)


# The key and the reading of the folder this process read last (frozen: shared as it is): a process
# that looks at one folder again and again (epaper watch) unpickles it once while it is unchanged.
_LAST_READ: dict[str, EditionReading] = {}  # one entry


def _last_read(key: str, reading: EditionReading) -> None:
    _LAST_READ.clear()
    _LAST_READ[key] = reading


def _remember_reading(store: Store, read: _Reading) -> None:
    """Remember what was read, once the output folder is known to take it (its first build too)."""
    if read.key is not None:
        store.write_memo(INGEST_STAGE, read.key, read.reading)
        _last_read(read.key, read.reading)
    if read.articles is not None:
        read.articles.remember()


def _stop_if_strict(strict: bool, warnings: tuple[Problem, ...]) -> None:
    if strict and warnings:
        raise InvalidEdition(warnings)


class ReplateError(Exception):
    """A replate cannot start: the message names the folder or page and what to do."""


def _refuse_leaving_out(record: dict, laid_out: LaidOutEdition, *, edition_dir: Path, out_root: Path,
                        remade: set[int], replate: bool) -> None:
    """Raise :class:`ReplateError` when the pages made again (``remade``; the others kept as
    ``record``, the published ``plan.json``, has them) leave out a story that version printed
    (:mod:`epaper.layout.left_out`); the fix it names makes that story's section again with them."""
    stories = left_out_now(record, laid_out)
    if not stories:
        return
    pages = {entry["number"] for entry in record["pages"]}
    out = shlex.quote(str(out_root))

    def locked_build(section: set[int]) -> str | None:
        if section <= remade:
            return None
        kept = pages - section - remade
        return (f"epaper build {shlex.quote(str(edition_dir))} --out {out}"
                + (f" --lock {page_ranges(kept)}" if kept else ""))
    remake = replate_with(out_root, laid_out.edition.id, remade) if replate else locked_build
    raise ReplateError(refusal(stories, remake=remake, folder=edition_dir))


def replate_with(out_root: Path, edition: str, remade: set[int]) -> Callable[[set[int]], str | None]:
    """The ``epaper replate`` that makes a section's pages again with the pages ``remade`` (None
    when those are all of them already): a refusal's fix (:func:`epaper.layout.left_out.refusal`).
    ``edition``: its folder's name, or in a night its name in the night file."""
    def remake(section: set[int]) -> str | None:
        if section <= remade:
            return None
        return (f"epaper replate {shlex.quote(str(out_root))} --edition {shlex.quote(edition)} "
                f"--page {page_ranges(section | remade)}")
    return remake


def replate_edition(out_root: Path, page: int, *, edition_id: str | None = None, workers: int = 2,
                    progress: Progress | None = None, on_wait: Callable[[str], None] | None = None,
                    scheduler: str | None = None) -> BuildResult:
    """Make page ``page`` of the edition published in ``out_root`` again from its edition folder (as
    it is now), with what depends on it: the pages its stories continue to or from. Every other page
    is locked (kept as the previous version made it; the front's teasers and index follow a changed
    headline, since they are chosen from the pages). Publishes the next numbered version and keeps
    the previous one. Raises :class:`ReplateError` (when a story on another page changed too, the
    message names it and says how to make that page with this one)."""
    return replate_pages(out_root, (page,), edition_id=edition_id, workers=workers, progress=progress,
                         on_wait=on_wait, scheduler=scheduler)


def replate_pages(out_root: Path, pages: Collection[int], *, edition_id: str | None = None, workers: int = 2,
                  progress: Progress | None = None, on_wait: Callable[[str], None] | None = None,
                  scheduler: str | None = None, kept: dict[tuple[str, str], Any] | None = None,
                  reading: EditionReading | None = None) -> BuildResult:
    """:func:`replate_edition` of several ``pages`` at once, in one version (``epaper watch``: the
    pages printing the stories the desk saved); ``kept`` and ``reading`` as :func:`build_edition`
    takes them (``reading``: of the folder the published edition was built from)."""
    folder = published_edition(Path(out_root), edition_id)
    version = read_version(folder)
    if version is None:
        raise ReplateError(f"{folder}: no {VERSION_FILE} says where the edition came from — build it once "
                           f"with epaper build (or epaper build-night)")
    if version.night_edition is not None:
        raise ReplateError(f"{folder}: built by epaper build-night, whose other editions follow its pages — "
                           f"replate it with epaper.replate.replate (as the epaper replate command does)")
    if not Path(version.source).is_dir():
        raise ReplateError(f"{folder} was built from {version.source}, which is not there now — build the edition "
                           f"from where its folder is now: epaper build EDITION_DIR --out {out_root}")
    build = f"epaper build {shlex.quote(version.source)} --out {shlex.quote(str(out_root))}"
    again = f"epaper replate {shlex.quote(str(out_root))}" + (f" --edition {shlex.quote(edition_id)}"
                                                               if edition_id else "")
    try:
        record = read_plan_record(folder / PLAN_FILE)
        numbers = [entry["number"] for entry in record["pages"]]
        for page in pages:
            if page not in numbers:
                raise ReplateError(f"--page {page}: the edition in {folder} has pages 1 to {max(numbers)}")
        remake = with_jump_pages(record, pages)
        return build_edition(Path(version.source), Path(out_root), workers=workers, breaker=version.breaker,
                             base_url=version.base_url, lock_pages=[n for n in numbers if n not in remake],
                             progress=progress, on_wait=on_wait, scheduler=scheduler, kept=kept,
                             reading=reading, replating=folder.name)
    except LockError as error:  # said to the desk as a replate, not as the --lock it runs on
        raise ReplateError(replate_refusal(error, pages, build=build, replate=again)) from None


def replate_refusal(error: LockError, asked: Collection[int], *, build: str, replate: str) -> str:
    """Why a replate of the pages ``asked`` cannot keep the others, and what to do: replate the page
    that cannot stay with them (``replate``: the command without its pages), or build the edition
    whole (``build``: the command)."""
    if error.page is None or not error.remake:
        return f"{error.problem} — build the edition again: {build}"
    return (f"page {error.page} cannot stay as it was published: {error.problem} — replate it with "
            f"page{'s' if len(asked) > 1 else ''} {', '.join(map(str, sorted(asked)))}: "
            f"{replate} --page {page_ranges(set(asked) | {error.page})}")


def page_ranges(numbers: Iterable[int]) -> str:
    """``[1, 2, 3, 5, 7, 8]`` → ``"1-3,5,7-8"`` (as replate's --page and build's --lock take them)."""
    return ",".join(f"{low}-{high}" if high > low else str(low) for low, high in number_runs(numbers))


def with_jump_pages(record: dict, asked: Iterable[int]) -> set[int]:
    """The pages ``asked`` and those a replate of them makes again with them (``plan.json``'s
    record): those their stories continue from and those they continue on, and theirs in turn (a
    page laid out again may move the jump of another of its stories, so that story's other page is
    made again too)."""
    return jump_closure([(placement["continued_from_page"], entry["number"]) for entry in record["pages"]
                         for placement in entry["placements"] if placement["continued_from_page"]], asked)


def published_edition(out_root: Path, edition_id: str | None) -> Path:
    """The folder of the edition ``edition_id`` built in ``out_root`` (of the only one, without an id).
    ``edition_id`` is the folder's name, or for an edition of a night its name in the night file
    ("Harbour", in any case): what the desk calls it at midnight."""
    editions = sorted(p.parent for p in out_root.glob(f"*/{PLAN_FILE}") if not p.parent.name.startswith("."))
    if not editions and (out_root / PLAN_FILE).is_file():  # the edition's own folder, as "Output:" names it
        raise ReplateError(f"{out_root} is an edition's own folder: give the folder it was built into (its --out) "
                           f"and the edition: {out_root.parent} --edition {out_root.name}")
    if not editions:
        raise ReplateError(f"{out_root}: no edition built there — build one first with epaper build "
                           "(or epaper build-night)")
    if edition_id is not None:
        folder = out_root / edition_id
        if folder in editions:
            return folder
        names = {f: _night_name(f) for f in editions}
        named = [f for f in editions if edition_id.strip() and _names_one_edition(names[f], edition_id)]
        if len(named) == 1:
            return named[0]
        if named:  # the same name in two nights built into one folder
            raise ReplateError(f"{out_root}: {len(named)} editions are named {edition_id!r} — name one by its "
                               f"folder: {', '.join(p.name for p in named)}")
        # Spelt as the desk spells the place ("dewas", "indore" for देवास, इंदौर): taken when it
        # sounds like one edition's name alone (a Hindi desk's audit).
        sounding = [f for f in editions if _sounds_like(names[f], edition_id)]
        if len(sounding) == 1:
            return sounding[0]
        if sounding:
            raise ReplateError(f"{out_root}: {edition_id!r} could be any of: "
                               + ", ".join(_edition_label(p) for p in sounding) + " — name one by its folder")
        raise ReplateError(f"{out_root}: no edition {edition_id!r} built there — name one of: "
                           + ", ".join(_edition_label(p) for p in editions)
                           + " (by its folder, or by its name in the night file, as written or in Latin letters"
                             " as the desk spells it)" * any(names.values()))
    if len(editions) != 1:
        raise ReplateError(f"{out_root}: holds several editions; name one with --edition: "
                           + ", ".join(_edition_label(p) for p in editions))
    return editions[0]


def _night_name(folder: Path) -> str:
    """The edition's name in the night that built it; "" for an edition of its own (or unreadable)."""
    version = read_version(folder)
    return "" if version is None or version.night_edition is None else version.night_edition


def _names_one_edition(night_name: str, asked: str) -> bool:
    """Whether ``asked`` names the night's edition ``night_name``: in any case, or spelt as its folder
    is ("north-shore" for North Shore, "pune" for पुणे)."""
    if not night_name:
        return False
    night_name, asked = unicodedata.normalize("NFC", night_name), unicodedata.normalize("NFC", asked)
    if night_name.casefold() == asked.casefold():  # (फ़ typed as one character or as फ and a nukta: one name)
        return True
    # Spelt as a folder only where both have letters or digits in ASCII (Devanagari is romanised;
    # a name in another script is not, and would slug to nothing: every such name would match).
    name, asked_ascii = ascii_text(night_name), ascii_text(asked)
    if not (_has_latin(name) and _has_latin(asked_ascii)):
        return False
    spelt = {slugify(name)}
    if has_non_ascii_letters(night_name):
        # Romanised, each word keeps its last inherent vowel (कोल्हापुर: "kolhapura"); the desk
        # types the name as it is spelt in Latin letters ("kolhapur", "nasik").
        spelt.add(re.sub(r"(?<=[^aeiou-])a(?=-|$)", "", slugify(name)))
    return slugify(asked_ascii) in spelt


def _sounds_like(night_name: str, asked: str) -> bool:
    """Whether ``asked`` sounds like the night's edition ``night_name`` romanised (epaper.i18n's
    :func:`~epaper.i18n.transliterate.sounds_key`): for a name in Latin letters only."""
    romanised = ascii_text(unicodedata.normalize("NFC", night_name))
    if not (asked.isascii() and _has_latin(asked) and _has_latin(romanised)):
        return False  # (a name in a script not romanised slugs to a placeholder every such name shares)
    return sounds_key(slugify(romanised)) == sounds_key(slugify(asked))


def _has_latin(text: str) -> bool:
    return any(c.isascii() and c.isalnum() for c in text)


def _edition_label(folder: Path) -> str:
    name = _night_name(folder)
    return f"{folder.name} ({name!r})" if name else folder.name


@dataclass(frozen=True)
class CachedLayout:
    """An edition laid out through the build cache: the layout's key and the section memo that
    counted what it reused (what :func:`publish_edition` takes to remember the pages' keys with it)."""

    key: str
    sections: StoredSections


def lay_out_cached(edition: Edition, store: Store, *, breaker: str = "knuth-plass", lock: dict | None = None,
                   lock_pages: Sequence[int] = (), refit: bool = False, runner: Runner | None = None,
                   kept: dict[tuple[str, str], Any] | None = None) -> tuple[LaidOutEdition, CachedLayout]:
    """:func:`epaper.layout.lay_out` through the build cache ``store`` (for commands that lay out
    editions themselves: ``epaper build-night``), its sections on ``runner`` when given. ``kept``:
    the sections and pages laid out or read before in this process (see :class:`StoredSections`)."""
    sections = StoredSections(store, kept, written_aside=True)
    _keep_compiled(store)
    laid_out, key = _lay_out(edition, store, sections, breaker=breaker, lock=lock, lock_pages=lock_pages,
                             refit=refit, runner=runner)
    return laid_out, CachedLayout(key, sections)


def read_edition_cached(folder: Path, out_root: Path) -> EditionReading:
    """The edition folder read and checked, or what an earlier build into ``out_root`` read from
    exactly the same files."""
    read = _read_edition(Path(folder), Path(out_root))
    if Path(out_root).is_dir():
        _remember_reading(Store.of(Path(out_root)), read)
    return read.reading
