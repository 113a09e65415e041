"""``epaper replate``: one page of a published edition made again (late news), whichever command
published it — an edition of its own (``epaper build``: :func:`epaper.build.replate_edition`) or an
edition of a night (``epaper build-night``: :func:`epaper.night.replate.replate_in_night`, where the
zones printing a main edition's page follow it). The edition's ``version.json`` says which."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from epaper.build import BuildResult, published_edition, replate_pages
from epaper.publish.versions import read_version

__all__ = ["replate"]


def replate(out_root: Path, page: int | Collection[int], *, edition_id: str | None = None, workers: int = 2,
            progress: Callable[[str, int, int], None] | None = None, on_wait: Callable[[str], None] | None = None,
            scheduler: str | None = None) -> BuildResult:
    """Make page ``page`` (or the pages, together) of the edition ``edition_id`` published in
    ``out_root`` (the only one, without an id) again, with what depends on it, as the next numbered
    version. Raises what :func:`~epaper.build.replate_pages` and
    :func:`~epaper.night.replate.replate_in_night` raise."""
    folder = published_edition(Path(out_root), edition_id)
    version = read_version(folder)
    if version is not None and version.night_edition is not None:
        from epaper.night.replate import replate_in_night  # (a night's modules: only for its editions)

        return replate_in_night(Path(out_root), page, folder, version, workers=workers, progress=progress,
                                on_wait=on_wait, scheduler=scheduler)
    return replate_pages(Path(out_root), (page,) if isinstance(page, int) else tuple(page), edition_id=edition_id,
                         workers=workers, progress=progress, on_wait=on_wait, scheduler=scheduler)
