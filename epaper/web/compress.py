"""Precompressed copies (``name.gz`` next to ``name``) of the edition's text files.

A static host or ``epaper serve`` can send them as they are (``Content-Encoding: gzip``) instead of
compressing on every request; the viewer's first view on a phone is counted with them. Written with
a fixed timestamp and no file name inside, so a rebuild of the same edition gives the same bytes.
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

__all__ = ["COMPRESSIBLE", "PackedReuse", "compress_beside", "precompress"]

COMPRESSIBLE = (".html", ".js", ".css", ".json", ".xml", ".svg")
_MIN_BYTES = 1024  # below a packet, compressing gains nothing a reader would notice


class PackedReuse(Protocol):
    """Where the ``.gz`` copies an earlier build packed can be taken from (the build cache): most
    text files of a rebuilt edition (its text views, the search index) did not change, and packing
    them at level 9 takes most of a second."""

    def reuse(self, data: bytes, target: Path) -> bool:
        """``target`` made as the ``.gz`` of ``data`` an earlier build packed; False if there is none."""

    def remember(self, data: bytes, target: Path) -> None:
        """Keep ``target``, just packed from ``data``, for the next build."""


def precompress(root: Path, *, keep_existing: bool = False, reuse: PackedReuse | None = None) -> int:
    """Write ``.gz`` beside every compressible file under ``root`` that it makes smaller; return how many.

    ``keep_existing``: a file that has its ``.gz`` already keeps it (a build links a page's ALTO and
    its ``.gz`` from the build cache, made together). ``reuse`` gives copies an earlier build packed."""
    # os.walk, not rglob: a folder of zoom tiles (raster.rasterize_pages') has a folder for every
    # tile, and pathlib took a third of a second over an edition's.
    wanted = []
    for parent, _, names in os.walk(root):
        here = set(names)
        wanted += [os.path.join(parent, name) for name in names if name.endswith(COMPRESSIBLE)
                   and not (keep_existing and f"{name}.gz" in here)]
    # Two threads: zlib packs without holding the GIL, and a replate packs its changed search
    # index, viewer, manifest and METS (~1.5 MB at level 9) while nothing else runs.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="epaper-gzip") as threads:
        return sum(threads.map(lambda path: compress_beside(Path(path), reuse=reuse), sorted(wanted)))


def compress_beside(path: Path, *, reuse: PackedReuse | None = None) -> bool:
    """Write ``path``'s ``.gz`` copy if it is worth it (and drop a stale one if not); True if written."""
    data = path.read_bytes()
    target = path.with_name(path.name + ".gz")
    if reuse is not None and len(data) >= _MIN_BYTES and reuse.reuse(data, target):
        return True
    packed = gzip.compress(data, compresslevel=9, mtime=0) if len(data) >= _MIN_BYTES else data
    if len(packed) < len(data):
        # Replaced, never rewritten in place: the old copy may be a hard link into the build cache
        # (epaper.cache), shared with other editions.
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(packed)
        os.replace(partial, target)
        if reuse is not None:
            reuse.remember(data, target)
        return True
    if target.exists():
        target.unlink()  # a stale copy from an earlier build would be served in place of the new file
    return False
