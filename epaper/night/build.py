"""``epaper build-night``: every edition of a night into ``OUT/<edition id>/``, pages made once.

The night is laid out first (:mod:`.layout`: the main edition, then each zone replaying the main
edition's decisions for its inherited pages), then each edition goes through the ordinary publishing
pipeline (:func:`epaper.build.publish_edition`) into the same output root. A page that is the same in
two editions (the same frame) is the same files: :func:`share_pages` makes the later edition's
per-page files hard links to the first one's, after checking the bytes are equal.

Every call that does an edition's work goes through :func:`_publish_all` — the one place where a
runner (a process pool, a Dask cluster: ``epaper.tasks``) takes the editions over.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from epaper.build import BuildResult, publish_edition
from epaper.frame import page_stem
from epaper.night.layout import EditionInNight, LaidOutNight, lay_out_night, read_night
from epaper.publish.build_lock import output_lock
from epaper.publish.output import check_output_root, output_errors
from epaper.resources import fonts_dir
from epaper.tasks import Runner, open_runner
from epaper.web import write_archive

__all__ = ["NightResult", "build_night", "share_pages"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class NightResult:
    night: LaidOutNight
    editions: tuple[BuildResult, ...]  # the main edition first
    linked_files: int                  # per-page files hard-linked rather than written again
    seconds: float


def build_night(night_file: Path, out_root: Path, *, workers: int = 2, breaker: str = "knuth-plass",
                base_url: str | None = None, progress: Progress | None = None,
                on_wait: Callable[[str], None] | None = None, scheduler: str | None = None) -> NightResult:
    """Build every edition of ``night_file`` into ``out_root``. Raises :class:`~epaper.night.NightError`
    (the night file, the main edition or a zone is wrong: nothing is written) or
    :class:`~epaper.publish.output.OutputError`.

    Every edition's pages are drawn and rasterized on one runner (:mod:`epaper.tasks`): ``workers``
    local processes, or the workers of the Dask ``scheduler`` (``tcp://HOST:PORT``; raises
    :class:`~epaper.tasks.SchedulerError` when it cannot run the night, before anything is laid out)."""
    started = time.perf_counter()
    night = read_night(Path(night_file))
    out_root = Path(out_root)
    check_output_root(out_root)
    read_by_tasks = (fonts_dir(), night.spec.main, *(variant.folder for variant in night.spec.variants))
    with open_runner(workers=workers, scheduler=scheduler, shared_folder=out_root, same_folders=read_by_tasks) as runner:
        laid = lay_out_night(night, breaker=breaker, progress=progress)
        with output_errors(out_root), output_lock(out_root, on_wait):
            results = _publish_all(laid, out_root, runner=runner, base_url=base_url, progress=progress)
            linked = share_pages(laid, out_root)
            write_archive(out_root, base_url=base_url)
    return NightResult(laid, results, linked, time.perf_counter() - started)


def _publish_all(laid: LaidOutNight, out_root: Path, *, runner: Runner, base_url: str | None,
                 progress: Progress | None) -> tuple[BuildResult, ...]:
    record = laid.as_record()
    results = []
    for edition in laid.editions:
        results.append(publish_edition(edition.laid_out, edition.warnings, out_root, runner=runner,
                                       base_url=base_url, progress=progress,
                                       extra_report={"night": _night_report(edition, laid, record)}))
    return tuple(results)


def _night_report(edition: EditionInNight, laid: LaidOutNight, record: dict) -> dict:
    """What ``report.json`` (and ``report.html``) says of the edition's place in the night."""
    main = laid.main
    return {
        **record,
        "edition": edition.id,
        "name": edition.night_edition.name,
        "is_main": edition.night_edition.is_main,
        "main_folder": f"../{main.id}",
        "differs_from_main": [{"page": p.number, "section": p.section,
                               "why": _why_different(edition, p.number)}
                              for p in edition.pages if not p.same_as_main],
        "not_printed": [{"id": u.article_id, "reason": u.reason} for u in edition.night_edition.left_out],
    }


def _why_different(edition: EditionInNight, number: int) -> str:
    page = edition.pages[number - 1]
    if page.inherited_from is None:
        return "the zone's own page"
    if page.inherited_from != number:
        return f"the main edition's page {page.inherited_from}, numbered {number} here"
    if number == 1:
        return "the main edition's front, with the zone's masthead, teasers and index"
    return "the main edition's page, with refer boxes or teasers pointing elsewhere"


# --- sharing ------------------------------------------------------------------------------------

def _page_files(edition_dir: Path, number: int) -> list[Path]:
    """The files made from one page frame alone. ``tiles/NNN/info.json`` is not one: its id names
    the edition's URL."""
    stem = page_stem(number)
    files = [edition_dir / "pages" / f"{stem}.pdf", edition_dir / "print" / f"{stem}.pdf",
             edition_dir / "images" / f"{stem}.jpg", edition_dir / "thumbs" / f"{stem}.jpg",
             edition_dir / "alto" / f"{stem}.xml"]
    tiles = edition_dir / "tiles" / stem
    if tiles.is_dir():
        files += sorted(p for p in tiles.rglob("*") if p.is_file() and p.name != "info.json")
    return [f for f in files if f.is_file()]


def share_pages(laid: LaidOutNight, out_root: Path) -> int:
    """Make each page that is the same in several editions one set of files: the later editions'
    per-page files become hard links to the first edition's. A file whose bytes differ is left as
    it is (it is then not the same page, whatever the frames said). Returns how many were linked."""
    first_of: dict[tuple[str, int], Path] = {}
    linked = 0
    for edition in laid.editions:
        folder = out_root / edition.id
        for page in edition.pages:
            owner = next((first_of[(other, page.number)] for other in page.shared_with
                          if (other, page.number) in first_of), None)
            if owner is None:
                first_of[(edition.id, page.number)] = folder
                continue
            first_of[(edition.id, page.number)] = owner
            for path in _page_files(folder, page.number):
                source = owner / path.relative_to(folder)
                if source.is_file() and _same_file_or_bytes(source, path):
                    if not os.path.samefile(source, path):
                        _replace_with_link(source, path)
                        linked += 1
    return linked


def _same_file_or_bytes(a: Path, b: Path) -> bool:
    if os.path.samefile(a, b):
        return True
    if a.stat().st_size != b.stat().st_size:
        return False
    return _digest(a) == _digest(b)


def _digest(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _replace_with_link(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.link")
    temporary.unlink(missing_ok=True)
    os.link(source, temporary)
    os.replace(temporary, target)  # never a moment without the file


def differing_pages(editions: Sequence[EditionInNight]) -> dict[str, tuple[int, ...]]:
    return {e.id: e.differing_pages for e in editions}
