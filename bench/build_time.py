"""Whole-edition build time: median of N runs of ``build_edition`` on the sample edition.

Reports the total and the per-stage split the build prints, and page count. The peer, measured in
the same run, is ReportLab drawing the same pages' text alone (no layout, no raster, no web), so the
result is also given as a ratio to it.

    .venv/bin/python bench/build_time.py [--runs 3] [EDITION_DIR]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from epaper.build import build_edition
from epaper.frame import TextRun

REPO = Path(__file__).resolve().parent.parent


def _peer_reportlab_text_only(pages, out: Path) -> float:
    """ReportLab drawing every text run of the laid-out pages into one PDF: the floor of drawing."""
    from reportlab.pdfgen import canvas

    from epaper.typeset.fonts import font_book

    book = font_book()
    started = time.perf_counter()
    c = canvas.Canvas(str(out), pagesize=(pages[0].width, pages[0].height))
    for page in pages:
        for item in page.items:
            if isinstance(item, TextRun) and item.glyphs is None:
                c.setFont(book.face(item.font).rl_name, item.size)
                c.drawString(item.x, page.height - item.baseline, item.text)
        c.showPage()
    c.save()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("edition", nargs="?", type=Path, default=REPO / "sample-edition")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times, peers = [], []
    result = None
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            result = build_edition(args.edition, Path(tmp))
            times.append(time.perf_counter() - started)
            peers.append(_peer_reportlab_text_only(result.laid_out.pages, Path(tmp) / "peer.pdf"))
    assert result is not None
    build, peer = statistics.median(times), statistics.median(peers)
    print(f"pages: {result.pages}  articles placed: {result.placed}  not placed: {result.unplaced}")
    print(f"build (median of {args.runs}): {build:.2f} s  = {build / result.pages:.3f} s/page")
    print(f"peer, ReportLab drawing the text only (median): {peer:.2f} s; build/peer = {build / peer:.1f}x")


if __name__ == "__main__":
    main()
