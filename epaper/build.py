"""The pipeline: edition folder → model → typeset → layout → page frames → PDFs, images, web, report.

Every output is derived from the same laid-out pages. The edition's folder is written in a staging
folder and moved into place only when everything succeeded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from epaper.archive import write_alto_mets
from epaper.ingest import InvalidEdition, Problem, read_edition
from epaper.layout import LaidOutEdition, lay_out
from epaper.layout.lock import PLAN_FILE, read_plan_record
from epaper.publish.build_lock import output_lock
from epaper.publish.layout_json import layout_document
from epaper.publish.output import OutputError, check_output_root, output_errors, recover, staged_output
from epaper.publish.pdfs import write_pdfs
from epaper.raster import RasterSettings, rasterize_pages
from epaper.report import report_document, write_report_html
from epaper.layout.omissions import layout_warnings
from epaper.report.spacing import edition_spacing
from epaper.resources import fonts_dir
from epaper.tasks import Runner, open_runner
from epaper.urls import edition_url, root_url
from epaper.web import Downloads, precompress, title_collection_path, write_archive, write_manifest, write_site

__all__ = ["BuildResult", "OutputError", "build_edition", "publish_edition"]

Progress = Callable[[str, int, int], None]  # (step, done, total)


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    pages: int
    placed: int
    unplaced: int
    seconds: float
    laid_out: LaidOutEdition
    warnings: tuple[Problem, ...] = ()  # what the edition builds without, from ingest and layout


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _write_edition(laid_out: LaidOutEdition, warnings: tuple[Problem, ...], staging: Path, started: float, *,
                   runner: Runner, base_url: str | None, report_step: Progress, extra_report: dict | None = None) -> None:
    """Every output file of the edition, into ``staging``."""
    edition, pages = laid_out.edition, laid_out.pages
    pdfs = write_pdfs(edition, pages, staging, runner=runner,
                      progress=lambda done: report_step("drawing PDF pages", done, len(pages)))
    public = edition_url(base_url, edition.id)
    raster = rasterize_pages(list(pdfs.page_pdfs), staging, runner=runner,
                             settings=RasterSettings(edition_url=public),
                             progress=lambda done: report_step("rasterizing pages", done, len(pages)))
    report_step("writing the epaper", 0, 1)
    downloads = Downloads.from_files(staging, pdfs.edition_pdf, pdfs.page_pdfs)
    write_site(edition, pages, staging, raster=raster, downloads=downloads)
    _write_json(staging / "layout.json", layout_document(edition, pages, laid_out.unplaced))
    _write_json(staging / PLAN_FILE, laid_out.plan)
    spacing = edition_spacing(pages, pdfs.page_pdfs, runner).as_dict()  # read back from the drawn PDFs
    report = report_document(laid_out, seconds=time.perf_counter() - started, word_spacing=spacing)
    report["warnings"] = [warning.as_dict() for warning in warnings]
    report.update(extra_report or {})
    _write_json(staging / "report.json", report)
    write_report_html(report, laid_out, staging / "report.html")
    report_step("writing ALTO and METS", 0, 1)
    # METS lists the files written before it; the manifest links the ALTO and METS.
    write_alto_mets(edition, pages, staging)
    # Last: the manifest links every file of the edition that exists by now.
    write_manifest(edition, pages, staging, raster=raster, downloads=downloads, edition_url=public,
                   part_of=root_url(base_url) + title_collection_path(edition.title))
    precompress(staging)  # .gz copies of every text file, now that all are written


def build_edition(edition_dir: Path, out_root: Path, *, workers: int = 2, breaker: str = "knuth-plass",
                  base_url: str | None = None, lock_pages: Sequence[int] = (),
                  progress: Progress | None = None, strict: bool = False,
                  on_wait: Callable[[str], None] | None = None, scheduler: str | None = None) -> BuildResult:
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

    Raises :class:`~epaper.publish.output.OutputError` when ``out_root`` cannot take the edition (a
    file, a read-only folder, a full disk). ``on_wait`` is told when another build into
    ``out_root`` holds its lock (this one then waits).
    """
    started = time.perf_counter()
    report_step = progress or (lambda step, done, total: None)
    report_step("reading articles", 0, 1)
    reading = read_edition(Path(edition_dir))
    if reading.problems or reading.edition is None:
        raise InvalidEdition(reading.problems)
    _stop_if_strict(strict, reading.warnings)
    edition = reading.edition
    final = Path(out_root) / edition.id
    check_output_root(Path(out_root))
    with output_errors(Path(out_root)), output_lock(Path(out_root), on_wait), \
            open_runner(workers=workers, scheduler=scheduler, shared_folder=Path(out_root),
                        same_folders=(fonts_dir(), Path(edition_dir))) as runner:
        recover(final)  # a build killed earlier: its leftovers go, a half-published edition comes back
        report_step("laying out pages", 0, 1)
        lock = read_plan_record(final / PLAN_FILE) if lock_pages else None
        laid_out = lay_out(edition, breaker=breaker, lock=lock, lock_pages=lock_pages)
        warnings = reading.warnings + layout_warnings(laid_out)
        _stop_if_strict(strict, warnings)
        result = publish_edition(laid_out, warnings, Path(out_root), started=started, runner=runner,
                                 base_url=base_url, progress=report_step)
        write_archive(Path(out_root), base_url=base_url)
    return result


def publish_edition(laid_out: LaidOutEdition, warnings: tuple[Problem, ...], out_root: Path, *,
                    started: float | None = None, runner: Runner | None = None, workers: int = 2,
                    base_url: str | None = None, progress: Progress | None = None,
                    extra_report: dict | None = None) -> BuildResult:
    """Write every output of an edition already laid out into ``out_root/<edition id>/`` (staged,
    swapped in whole). The caller holds the output folder's lock and writes the archive afterwards
    (``epaper build`` for one edition, ``epaper build-night`` once for all the night's editions).
    ``extra_report`` is merged into ``report.json`` (and shown by ``report.html``).

    Pages are drawn and rasterized on ``runner`` (see :mod:`epaper.tasks`: the caller's, to share
    one pool or cluster among editions), or without one on ``workers`` local processes."""
    started = time.perf_counter() if started is None else started
    final = Path(out_root) / laid_out.edition.id
    recover(final)  # a build killed earlier: its leftovers go, a half-published edition comes back
    with staged_output(final) as staging, \
            (nullcontext(runner) if runner is not None else open_runner(workers=workers)) as tasks:
        _write_edition(laid_out, warnings, staging, started, runner=tasks, base_url=base_url,
                       report_step=progress or (lambda step, done, total: None), extra_report=extra_report)
    pages = laid_out.pages
    placed = len({r.article_id for p in pages for r in p.regions})
    return BuildResult(out_dir=final, pages=len(pages), placed=placed, unplaced=len(laid_out.unplaced),
                       seconds=time.perf_counter() - started, laid_out=laid_out, warnings=warnings)


def _stop_if_strict(strict: bool, warnings: tuple[Problem, ...]) -> None:
    if strict and warnings:
        raise InvalidEdition(warnings)
