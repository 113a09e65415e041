"""The archive files of the sample edition, weighed and timed: ``alto/``, ``mets.xml`` (and ``print/``).

    .venv/bin/python bench/bench_archive.py [EDITION_DIR] [--runs 3] [--json]

One real ``build_edition`` into a fresh folder gives the bytes: ``alto/`` (total, per page median and
largest, and gzipped, as a server would send it), ``mets.xml``, and ``print/`` when the build writes
print PDFs, so the issue's three figures come from one run. Then, on that build's pages, writing
ALTO and METS (``write_alto_mets``, into the built folder, so METS hashes the real files) is timed
against a peer measured in the same run on the same pages: drawing the reader page PDFs
(``write_pdfs``, one worker), the other output made from every word of the frames. Times are
medians of ``--runs``; the ratio is what the archive adds to the desk's night relative to the PDFs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from epaper.archive import write_alto_mets
from epaper.build import build_edition
from epaper.ingest import load_edition
from epaper.publish.pdfs import write_pdfs

REPO = Path(__file__).resolve().parent.parent


def _folder_bytes(folder: Path, pattern: str) -> list[int]:
    return [p.stat().st_size for p in sorted(folder.glob(pattern))] if folder.is_dir() else []


def _gzipped(folder: Path, pattern: str) -> int:
    return sum(len(gzip.compress(p.read_bytes(), 6)) for p in sorted(folder.glob(pattern)))


def _median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edition", nargs="?", default=str(REPO / "sample-edition"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        result = build_edition(Path(args.edition), Path(tmp))
        out = result.out_dir
        alto = _folder_bytes(out / "alto", "*.xml")
        prints = _folder_bytes(out / "print", "*.pdf")
        figures = {
            "pages": result.pages,
            "alto_bytes": sum(alto),
            "alto_page_median_bytes": int(statistics.median(alto)),
            "alto_page_max_bytes": max(alto),
            "alto_gzip_bytes": _gzipped(out / "alto", "*.xml"),
            "mets_bytes": (out / "mets.xml").stat().st_size,
            "print_bytes": sum(prints) if prints else None,
            "words": sum(p.read_text(encoding="utf-8").count("<String ") for p in (out / "alto").glob("*.xml")),
        }
        pages = result.laid_out.pages
        edition = load_edition(Path(args.edition))
        archive_s = _median_time(lambda: write_alto_mets(edition, pages, out), args.runs)
        peer_dir = Path(tmp) / "peer"
        peer_s = _median_time(lambda: write_pdfs(edition, pages, peer_dir), args.runs)
        figures |= {"alto_mets_seconds": round(archive_s, 3), "reader_pdfs_seconds": round(peer_s, 3),
                    "alto_mets_over_reader_pdfs": round(archive_s / peer_s, 3)}
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    kb = 1024
    print(f"sample edition: {figures['pages']} pages, {figures['words']} words in ALTO")
    print(f"alto/      {figures['alto_bytes'] / kb:8.0f} KiB  (page median {figures['alto_page_median_bytes'] / kb:.0f} KiB, "
          f"largest {figures['alto_page_max_bytes'] / kb:.0f} KiB; gzipped {figures['alto_gzip_bytes'] / kb:.0f} KiB)")
    print(f"mets.xml   {figures['mets_bytes'] / kb:8.0f} KiB")
    if figures["print_bytes"] is not None:
        print(f"print/     {figures['print_bytes'] / kb:8.0f} KiB")
    else:
        print("print/     (this build writes no print PDFs)")
    print(f"write ALTO + METS {archive_s:.2f} s, reader page PDFs (peer, 1 worker) {peer_s:.2f} s: "
          f"ratio {figures['alto_mets_over_reader_pdfs']:.2f} (median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
