"""Precompressed copies (``name.gz`` next to ``name``) of the edition's text files.

A static host or ``epaper serve`` can send them as they are (``Content-Encoding: gzip``) instead of
compressing on every request; the viewer's first view on a phone is counted with them. Written with
a fixed timestamp and no file name inside, so a rebuild of the same edition gives the same bytes.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

__all__ = ["COMPRESSIBLE", "compress_beside", "precompress"]

COMPRESSIBLE = (".html", ".js", ".css", ".json", ".xml", ".svg")
_MIN_BYTES = 1024  # below a packet, compressing gains nothing a reader would notice


def precompress(root: Path, *, keep_existing: bool = False) -> int:
    """Write ``.gz`` beside every compressible file under ``root`` that it makes smaller; return how many.

    ``keep_existing``: a file that has its ``.gz`` already keeps it (a build links a page's ALTO and
    its ``.gz`` from the build cache, made together)."""
    return sum(compress_beside(path) for path in sorted(Path(root).rglob("*"))
               if path.is_file() and path.suffix in COMPRESSIBLE
               and not (keep_existing and path.with_name(path.name + ".gz").is_file()))


def compress_beside(path: Path) -> bool:
    """Write ``path``'s ``.gz`` copy if it is worth it (and drop a stale one if not); True if written."""
    data = path.read_bytes()
    target = path.with_name(path.name + ".gz")
    packed = gzip.compress(data, compresslevel=9, mtime=0) if len(data) >= _MIN_BYTES else data
    if len(packed) < len(data):
        # Replaced, never rewritten in place: the old copy may be a hard link into the build cache
        # (epaper.cache), shared with other editions.
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(packed)
        os.replace(partial, target)
        return True
    if target.exists():
        target.unlink()  # a stale copy from an earlier build would be served in place of the new file
    return False
