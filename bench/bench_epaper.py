"""The reader's epaper, timed and weighed: a whole build with its stage split, raster + tiles per page, bytes.

    .venv/bin/python bench/bench_epaper.py [EDITION_DIR] [--runs 3] [--workers 2] [--tmp DIR] [--json]

Each run is the real ``build_edition`` in a fresh process (cold caches, as the desk's nightly
``epaper build``) into a fresh folder; its stage functions are wrapped with
timers (ingest, layout, PDF render, raster + tiles, web, word-spacing readback from the PDFs, the
ink report, ALTO and METS, the .gz copies), so the split is the build's own work and "other" is what
the build does between them (layout.json, report.html, manifest, archive). Figures are medians of
``--runs``. CPU seconds (this process plus its worker processes) are shown next to wall-clock
seconds because the machine is shared: wall time moves with other people's load, CPU time less so.

Peer, measured in the same run on the same page PDFs: a plain pypdfium2 render of every page at the
same dpi, with the same number of worker processes, nothing encoded or written. raster+tiles / peer
is what encoding the page image, thumbnail and tile pyramid (and writing ~80 files and ~240 folders a
page) costs on top of the render that cannot be avoided.

Bytes come from the last run's output: page PDFs (median, max), edition.pdf, page image and
thumbnail, tiles per zoom level (per page, median over pages) and the viewer's own JS + CSS gzipped
(OpenSeadragon listed separately).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import epaper.build as build_module
from epaper.raster import RasterResult, RasterSettings

REPO = Path(__file__).resolve().parent.parent
STAGES = {  # name in epaper.build → label in the table
    "read_edition": "ingest",
    "lay_out": "layout",
    "write_pdfs": "PDF render",
    "rasterize_pages": "raster+tiles",
    "write_site": "web",
    "edition_spacing": "spacing readback",
    "report_document": "report (ink)",
    "write_alto_mets": "ALTO+METS",
    "precompress": "gzip copies",
}


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class StageTimer:
    """Wraps the build's stage functions (as ``epaper.build`` imported them) with wall and CPU timers."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.raster: RasterResult | None = None
        self._originals = {name: getattr(build_module, name) for name in STAGES}

    def __enter__(self) -> "StageTimer":
        for name, label in STAGES.items():
            setattr(build_module, name, self._wrap(label, self._originals[name]))
        return self

    def __exit__(self, *exc) -> None:
        for name, original in self._originals.items():
            setattr(build_module, name, original)

    def _wrap(self, label: str, function):
        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), _cpu()
            try:
                result = function(*args, **kwargs)
            finally:
                self.wall[label] = self.wall.get(label, 0.0) + time.perf_counter() - wall
                self.cpu[label] = self.cpu.get(label, 0.0) + _cpu() - cpu
            if isinstance(result, RasterResult):
                self.raster = result
            return result

        return timed


def _peer_render(pdf: str, dpi: float) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=dpi / 72.0, may_draw_forms=False)
        bitmap.close()
        page.close()
    finally:
        document.close()


def peer_plain_render(pdfs: list[Path], dpi: float, workers: int) -> tuple[float, float]:
    """(wall, cpu) seconds for pypdfium2 rendering every page at ``dpi`` in ``workers`` processes."""
    wall, cpu = time.perf_counter(), _cpu()
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_peer_render, [str(p) for p in pdfs], [dpi] * len(pdfs)))
    else:
        for pdf in pdfs:
            _peer_render(str(pdf), dpi)
    return time.perf_counter() - wall, _cpu() - cpu


def _gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def measure_bytes(out_dir: Path, raster: RasterResult) -> dict:
    page_pdfs = sorted((out_dir / "pages").glob("*.pdf"))
    pdf_sizes = [p.stat().st_size for p in page_pdfs]
    levels: dict[int, list[tuple[int, int]]] = {}
    for page in raster.pages:
        for level in page.levels:
            levels.setdefault(level.scale_factor, []).append((level.bytes, level.count))
    # What a reader's browser loads: the scripts and stylesheets index.html (the viewer) and a text
    # view link to, as the build wrote them; OpenSeadragon is counted apart (a vendored library).
    linked: set[str] = set()
    for page in [out_dir / "index.html", *sorted((out_dir / "articles").glob("*.html"))[:1]]:
        linked |= set(re.findall(r"""(?:href|src)=["'](?:\.\./)?(static/[^"'?#]+\.(?:js|css))""", page.read_text("utf-8")))
    osd_rel = "static/vendor/openseadragon/openseadragon.min.js"
    own = {rel.removeprefix("static/"): _gzipped(out_dir / rel) for rel in sorted(linked - {osd_rel})}
    osd = out_dir / osd_rel
    return {
        "page_pdf_median": statistics.median(pdf_sizes),
        "page_pdf_max": max(pdf_sizes),
        "page_pdf_max_file": page_pdfs[pdf_sizes.index(max(pdf_sizes))].name,
        "edition_pdf": (out_dir / "edition.pdf").stat().st_size,
        "page_image_median": statistics.median(p.image_bytes for p in raster.pages),
        "page_image_max": max(p.image_bytes for p in raster.pages),
        "page_image_size": list(raster.pages[0].image_size),
        "thumb_median": statistics.median(p.thumb_bytes for p in raster.pages),
        "raster_size": [raster.pages[0].width, raster.pages[0].height],
        "dpi": raster.pages[0].dpi,
        "tile_levels": [
            {"scale_factor": factor, "tiles_per_page": statistics.median(c for _, c in values),
             "bytes_per_page_median": statistics.median(b for b, _ in values)}
            for factor, values in sorted(levels.items())
        ],
        "tiles_per_page_bytes_median": statistics.median(p.tile_bytes for p in raster.pages),
        "viewer_js_css_gzip": own,
        "viewer_js_css_gzip_total": sum(own.values()),
        "openseadragon_gzip": _gzipped(osd) if osd.is_file() else None,
    }


def one_run(edition: Path, tmp_root: Path | None, workers: int, keep_bytes: bool) -> dict:
    with tempfile.TemporaryDirectory(dir=tmp_root, prefix="bench-epaper-") as tmp:
        with StageTimer() as timer:
            wall, cpu = time.perf_counter(), _cpu()
            result = build_module.build_edition(edition, Path(tmp), workers=workers)
            total_wall, total_cpu = time.perf_counter() - wall, _cpu() - cpu
        raster = timer.raster
        assert raster is not None, "the build did not rasterize"
        page_pdfs = sorted((result.out_dir / "pages").glob("*.pdf"))
        peer_wall, peer_cpu = peer_plain_render(page_pdfs, raster.pages[0].dpi, workers)
        run = {
            "pages": result.pages,
            "total_wall": total_wall,
            "total_cpu": total_cpu,
            "stage_wall": dict(timer.wall),
            "stage_cpu": dict(timer.cpu),
            "raster_wall_per_page": raster.seconds / result.pages,
            "raster_cpu_per_page": timer.cpu["raster+tiles"] / result.pages,
            "raster_page_in_worker_median": statistics.median(p.seconds for p in raster.pages),
            "peer_render_wall": peer_wall,
            "peer_render_cpu": peer_cpu,
        }
        run["stage_wall"]["other"] = total_wall - sum(timer.wall.values())
        run["stage_cpu"]["other"] = total_cpu - sum(timer.cpu.values())
        if keep_bytes:
            run["bytes"] = measure_bytes(result.out_dir, raster)
        return run


def summarize(runs: list[dict], workers: int, tmp_root: str) -> dict:
    med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    labels = [*STAGES.values(), "other"]
    pages = runs[0]["pages"]
    raster_wall = med("raster_wall_per_page") * pages
    summary = {
        "runs": len(runs),
        "workers": workers,
        "output_filesystem": tmp_root,
        "pages": pages,
        "build_wall_s": med("total_wall"),
        "build_cpu_s": med("total_cpu"),
        "stages_wall_s": {k: statistics.median(r["stage_wall"][k] for r in runs) for k in labels},
        "stages_cpu_s": {k: statistics.median(r["stage_cpu"][k] for r in runs) for k in labels},
        "raster_tiles_wall_s_per_page": med("raster_wall_per_page"),
        "raster_tiles_cpu_s_per_page": med("raster_cpu_per_page"),
        "raster_tiles_page_in_worker_median_s": med("raster_page_in_worker_median"),
        "target_s_per_page": 0.25,
        "peer_plain_render_wall_s_per_page": med("peer_render_wall") / pages,
        "peer_plain_render_cpu_s_per_page": med("peer_render_cpu") / pages,
        "raster_tiles_over_peer_wall": raster_wall / med("peer_render_wall"),
        "raster_tiles_over_peer_cpu": med("raster_cpu_per_page") * pages / med("peer_render_cpu"),
        "all_runs_raster_wall_s_per_page": [round(r["raster_wall_per_page"], 3) for r in runs],
        "all_runs_build_wall_s": [round(r["total_wall"], 2) for r in runs],
        "bytes": runs[-1]["bytes"],
    }
    return summary


def _kb(n: float | None) -> str:
    return "—" if n is None else f"{n / 1000:,.0f} kB" if n < 1_000_000 else f"{n / 1e6:,.2f} MB"


def print_table(s: dict) -> None:
    b = s["bytes"]
    rows: list[tuple[str, str]] = []
    rows.append((f"build, median of {s['runs']} ({s['pages']} pages, {s['workers']} workers)",
                 f"{s['build_wall_s']:.2f} s wall   {s['build_cpu_s']:.2f} s CPU"))
    for label, wall in s["stages_wall_s"].items():
        rows.append((f"  {label}", f"{wall:.2f} s wall   {s['stages_cpu_s'][label]:.2f} s CPU"))
    rows.append(("", ""))
    verdict = "meets" if s["raster_tiles_wall_s_per_page"] <= s["target_s_per_page"] else "misses"
    rows.append(("raster+tiles per page (wall / pages)",
                 f"{s['raster_tiles_wall_s_per_page']:.3f} s  ({verdict} the ≤ {s['target_s_per_page']} s target)"))
    rows.append(("raster+tiles per page, CPU", f"{s['raster_tiles_cpu_s_per_page']:.3f} s"))
    rows.append(("one page inside a worker (median)", f"{s['raster_tiles_page_in_worker_median_s']:.3f} s"))
    rows.append(("peer: plain pypdfium2 render, same dpi", f"{s['peer_plain_render_wall_s_per_page']:.3f} s/page wall   "
                 f"{s['peer_plain_render_cpu_s_per_page']:.3f} s/page CPU"))
    rows.append(("raster+tiles / peer", f"{s['raster_tiles_over_peer_wall']:.1f}x wall   "
                 f"{s['raster_tiles_over_peer_cpu']:.1f}x CPU"))
    rows.append(("all runs, raster+tiles s/page", ", ".join(f"{v:.3f}" for v in s["all_runs_raster_wall_s_per_page"])))
    rows.append(("", ""))
    rows.append(("page PDF median / max", f"{_kb(b['page_pdf_median'])} / {_kb(b['page_pdf_max'])} ({b['page_pdf_max_file']})"))
    rows.append(("edition.pdf", _kb(b["edition_pdf"])))
    rows.append((f"page image {b['page_image_size'][0]}×{b['page_image_size'][1]} median / max",
                 f"{_kb(b['page_image_median'])} / {_kb(b['page_image_max'])}"))
    rows.append(("thumbnail median", _kb(b["thumb_median"])))
    rows.append((f"tiles per page (raster {b['raster_size'][0]}×{b['raster_size'][1]} at {b['dpi']:g} dpi)",
                 _kb(b["tiles_per_page_bytes_median"])))
    for level in b["tile_levels"]:
        rows.append((f"  scale factor {level['scale_factor']:>2}",
                     f"{level['tiles_per_page']:>3g} tiles  {_kb(level['bytes_per_page_median'])}"))
    rows.append(("viewer + text view JS+CSS gzipped", _kb(b["viewer_js_css_gzip_total"]) + "  " +
                 ", ".join(f"{k} {v / 1000:.1f} kB" for k, v in b["viewer_js_css_gzip"].items())))
    rows.append(("OpenSeadragon gzipped", _kb(b["openseadragon_gzip"])))
    width = max(len(r[0]) for r in rows)
    print(f"epaper bench — output written under {s['output_filesystem']}")
    for left, right in rows:
        print(f"{left:<{width}}  {right}" if left or right else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("edition", nargs="?", type=Path, default=REPO / "sample-edition")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tmp", type=Path, default=None,
                        help="folder to build in (default: the system temp folder); tile writing is "
                             "~320 new files and folders a page, so the filesystem shows in the figures")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)  # internal: a child run
    parser.add_argument("--keep-bytes", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one_run:
        print(json.dumps(one_run(args.edition, args.tmp, args.workers, keep_bytes=args.keep_bytes)))
        return 0
    runs = []
    for index in range(args.runs):
        # Each run in a fresh process, as the desk runs `epaper build`: cold font loading and
        # typesetting caches, nothing left over from the previous run.
        command = [sys.executable, __file__, str(args.edition), "--one-run", "--workers", str(args.workers)]
        command += ["--tmp", str(args.tmp)] if args.tmp else []
        command += ["--keep-bytes"] if index == args.runs - 1 else []
        child = subprocess.run(command, capture_output=True, text=True, check=False)
        if child.returncode:
            print(child.stdout + child.stderr, file=sys.stderr)
            return 1
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(f"run {index + 1}/{args.runs}: build {runs[-1]['total_wall']:.2f} s, raster+tiles "
              f"{runs[-1]['raster_wall_per_page']:.3f} s/page", file=sys.stderr)
    summary = summarize(runs, args.workers, str(args.tmp or tempfile.gettempdir()))
    summary["raster_settings"] = {k: v for k, v in vars(RasterSettings()).items() if k != "edition_url"}
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print_table(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
