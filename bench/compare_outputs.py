"""Compare two build outputs file by file: which files differ, and whether a differing PDF or image
still shows the same thing.

    .venv/bin/python bench/compare_outputs.py BEFORE_DIR AFTER_DIR [--dpi 50]

Used before and after a change meant to leave what is drawn alone (a speed-up): every file is
digested (sha256; not the build cache, ``.store``); files only in one folder are listed; for a differing PDF every page of both is
rendered with pdfium at ``--dpi`` and the pixels compared, for a differing image the decoded
pixels; a differing JSON file (or its .gz copy) is compared with the build's timings
(``build_seconds``) and version.json's time (``made``) left out.
Exit status 0 when nothing differs but timings, 1 otherwise.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

from epaper.cache import STORE_DIR

# report.json: how long the build took; version.json: when it was made
TIMING_KEYS = {"seconds", "build_seconds", "made"}


def digests(root: Path) -> dict[str, str]:
    """Every published file under ``root`` by its sha256: not the build cache (an output root's
    ``.store``), whose memos are pickles of what a process made and differ byte for byte between two
    processes making the same thing (the order objects were first met in, for one)."""
    return {name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not _in_cache(name := p.relative_to(root).as_posix())}


def _in_cache(relative: str) -> bool:
    return relative == STORE_DIR or relative.startswith(STORE_DIR + "/")


def _pdf_pixels(path: Path, dpi: float) -> list[bytes]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return [page.render(scale=dpi / 72).to_pil().tobytes() for page in document]
    finally:
        document.close()


def _image_pixels(path: Path) -> bytes:
    from PIL import Image

    with Image.open(path) as image:
        return image.convert("RGBA").tobytes()


def _without_timings(value):
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def judge(before: Path, after: Path, dpi: float) -> str:
    """What a differing file's difference is: 'same pixels', 'same but timings' or 'DIFFERENT ...'."""
    suffix = before.suffix.lower()
    if suffix == ".pdf":
        return "same pixels" if _pdf_pixels(before, dpi) == _pdf_pixels(after, dpi) else "DIFFERENT pixels"
    if suffix in (".jpg", ".jpeg", ".png"):
        return "same pixels" if _image_pixels(before) == _image_pixels(after) else "DIFFERENT pixels"
    if suffix == ".json" or before.name.endswith(".json.gz"):
        read = (lambda p: gzip.decompress(p.read_bytes())) if suffix == ".gz" else (lambda p: p.read_bytes())
        a, b = (json.loads(read(p)) for p in (before, after))
        return "same but timings" if _without_timings(a) == _without_timings(b) else "DIFFERENT content"
    return "DIFFERENT bytes"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare two build outputs file by file.")
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--dpi", type=float, default=50.0, help="resolution differing PDFs are compared at")
    args = parser.parse_args(argv)
    a, b = digests(args.before), digests(args.after)
    only_before, only_after = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
    differing = sorted(name for name in a.keys() & b.keys() if a[name] != b[name])
    verdicts = {name: judge(args.before / name, args.after / name, args.dpi) for name in differing}
    for name in only_before:
        print(f"only in {args.before}: {name}")
    for name in only_after:
        print(f"only in {args.after}: {name}")
    for name, verdict in verdicts.items():
        print(f"differs ({verdict}): {name}")
    same = len(a.keys() & b.keys()) - len(differing)
    print(f"{same} identical, {len(differing)} differing, {len(only_before)} only before, {len(only_after)} only after")
    real = only_before or only_after or any(v != "same but timings" for v in verdicts.values())
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
