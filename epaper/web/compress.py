"""Precompressed copies (``name.gz`` next to ``name``) of the edition's text files.

A static host or ``epaper serve`` can send them as they are (``Content-Encoding: gzip``) instead of
compressing on every request; the viewer's first view on a phone is counted with them. Written with
a fixed timestamp and no file name inside, so a rebuild of the same edition gives the same bytes.
"""

from __future__ import annotations

import gzip
from pathlib import Path

__all__ = ["COMPRESSIBLE", "precompress"]

COMPRESSIBLE = (".html", ".js", ".css", ".json", ".xml", ".svg")
_MIN_BYTES = 1024  # below a packet, compressing gains nothing a reader would notice


def precompress(root: Path) -> int:
    """Write ``.gz`` beside every compressible file under ``root`` that it makes smaller; return how many."""
    written = 0
    for path in sorted(Path(root).rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSIBLE:
            continue
        data = path.read_bytes()
        if len(data) < _MIN_BYTES:
            continue
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        target = path.with_name(path.name + ".gz")
        if len(packed) < len(data):
            target.write_bytes(packed)
            written += 1
        elif target.exists():
            target.unlink()  # a stale copy from an earlier build would be served in place of the new file
    return written
