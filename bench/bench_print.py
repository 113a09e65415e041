"""Print PDFs (PDF/X-4, CMYK) against the reader PDFs of the same pages, timed in the same run.

    .venv/bin/python bench/bench_print.py [EDITION_DIR] [--runs 3] [--json]

The edition is laid out once; then, in each run, every page is drawn three times:

* its reader PDF, from cold photo caches;
* its print PDF right after, as the build draws it (the same worker, so the photos decoded, cropped
  and resampled for the reader PDF are reused; it pays for the CMYK separation, its own JPEGs and
  the PDF/X finishing);
* its print PDF again from cold photo caches (paying for the photo decoding too).

Reported: per page the median of the runs for each, the ratios print / reader per page (median and
worst) and for the whole edition, and the bytes of ``print/`` against ``pages/``. Target (issue
12): the print PDF costs at most 30 % more than the reader PDF.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from epaper.formats.printing import load_print_spec  # noqa: E402
from epaper.ingest import load_edition  # noqa: E402
from epaper.layout import lay_out  # noqa: E402
from epaper.publish.pdfs import page_file_name, write_print_page, write_reader_pdf  # noqa: E402
from epaper.render import pdf as render_pdf  # noqa: E402
from epaper.render import targets  # noqa: E402

TARGET_RATIO = 1.30


def _cold() -> None:
    targets.visible_photo.cache_clear()
    render_pdf._photo_bytes.cache_clear()


def _timed(function, *args, cold: bool = True, **kwargs) -> float:
    if cold:
        _cold()
    else:
        render_pdf._photo_bytes.cache_clear()  # the decoded photos stay; nothing of the print one is cached
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def measure(edition_dir: Path, runs: int) -> dict:
    edition = load_edition(edition_dir)
    pages = lay_out(edition).pages
    spec = load_print_spec(edition.format)
    with tempfile.TemporaryDirectory(prefix="bench-print-") as tmp:
        reader_dir, print_dir = Path(tmp) / "pages", Path(tmp) / "print"
        reader_dir.mkdir()
        print_dir.mkdir()
        # Warm-up (not counted): fonts loaded and registered, the profile's transforms built.
        write_reader_pdf(pages[0], reader_dir / "warm.pdf", title="t", author="a")
        write_print_page(pages[0], print_dir / "warm.pdf", title="t", author="a", spec=spec)
        (reader_dir / "warm.pdf").unlink()
        (print_dir / "warm.pdf").unlink()
        reader: dict[int, list[float]] = {p.number: [] for p in pages}
        built: dict[int, list[float]] = {p.number: [] for p in pages}
        printed: dict[int, list[float]] = {p.number: [] for p in pages}
        for _ in range(runs):
            for page in pages:
                name = page_file_name(page.number)
                title = f"{edition.title}, page {page.number}"
                reader[page.number].append(_timed(write_reader_pdf, page, reader_dir / name, title=title, author=edition.title))
                built[page.number].append(_timed(write_print_page, page, print_dir / name, title=title,
                                                 author=edition.title, spec=spec, cold=False))
                printed[page.number].append(_timed(write_print_page, page, print_dir / name, title=title,
                                                   author=edition.title, spec=spec))
        reader_bytes = sum(p.stat().st_size for p in reader_dir.glob("*.pdf"))
        print_bytes = sum(p.stat().st_size for p in print_dir.glob("*.pdf"))
    per_page = []
    for page in pages:
        r, b, p = (statistics.median(d[page.number]) for d in (reader, built, printed))
        per_page.append({"page": page.number, "reader_s": r, "print_built_s": b, "print_cold_s": p,
                         "ratio_built": b / r, "ratio_cold": p / r})
    total = {key: sum(row[key] for row in per_page) for key in ("reader_s", "print_built_s", "print_cold_s")}
    figures = {
        "edition": str(edition_dir), "pages": len(pages), "runs": runs, "profile": spec.profile.name,
        "target_ratio": TARGET_RATIO,
        "print_bytes": print_bytes, "reader_bytes": reader_bytes,
        "per_page": per_page,
    }
    for key in ("reader_s", "print_built_s", "print_cold_s"):
        figures[f"{key[:-2]}_page_median_s"] = statistics.median(row[key] for row in per_page)
    for mode in ("built", "cold"):
        ratios = [row[f"ratio_{mode}"] for row in per_page]
        figures[f"ratio_{mode}_page_median"] = statistics.median(ratios)
        figures[f"ratio_{mode}_page_max"] = max(ratios)
        figures[f"ratio_{mode}_edition"] = total[f"print_{mode}_s"] / total["reader_s"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edition", nargs="?", default=str(REPO / "sample-edition"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = measure(Path(args.edition), args.runs)
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(f"{figures['pages']} pages, median of {figures['runs']} runs, profile {figures['profile']}")
    print(f"{'page':>4}  {'reader':>8}  {'print as built':>14}  {'print cold':>10}")
    for row in figures["per_page"]:
        print(f"{row['page']:>4}  {row['reader_s']:>7.3f}s  {row['print_built_s']:>7.3f}s ({row['ratio_built']:.2f})"
              f"  {row['print_cold_s']:>7.3f}s ({row['ratio_cold']:.2f})")
    print(f"page median: reader {figures['reader_page_median_s']:.3f} s, print as built "
          f"{figures['print_built_page_median_s']:.3f} s, print cold {figures['print_cold_page_median_s']:.3f} s")
    for mode, words in (("built", "as built (photos decoded once for both)"), ("cold", "cold (each decodes its photos)")):
        print(f"print / reader, {words}: per page median {figures[f'ratio_{mode}_page_median']:.2f} "
              f"(worst {figures[f'ratio_{mode}_page_max']:.2f}), whole edition {figures[f'ratio_{mode}_edition']:.2f} "
              f"(target at most {TARGET_RATIO:.2f})")
    print(f"bytes: print/ {figures['print_bytes'] / 1e6:.2f} MB, pages/ {figures['reader_bytes'] / 1e6:.2f} MB "
          f"({figures['print_bytes'] / figures['reader_bytes']:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
