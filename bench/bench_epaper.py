"""The reader's epaper, timed and weighed: a cold build with its step split (the inside of each
page's products included), raster + tiles per page against a plain pdfium render, bytes.

    .venv/bin/python bench/bench_epaper.py [EDITION_DIR] [--runs 3] [--workers 2] [--tmp DIR] [--json]

Each run is the real ``build_edition`` in a fresh process (cold caches, as the desk's nightly
``epaper build``) into a fresh folder. Before it starts, the functions the build calls are wrapped
with timers (:data:`STEPS`): the edition's stages in the build process (ingest, layout, linking the
pages' files, edition.pdf, web, METS, manifest, .gz copies, report, archive) and the steps of
:func:`epaper.products.make_page_products`, which run in the worker processes (forked after the
wrapping, so they inherit it): drawing the reader PDF (ReportLab's canvas, the photos, pikepdf's
rewrite), drawing the print PDF (canvas, photos separated to CMYK, the PDF/X rewrite), the pdfium
render, page image and thumbnail, zoom tiles, ALTO words and XML, the word-gap readback from the
PDF, the ink figures. A step's time is exclusive: a step inside another (photos inside drawing) is
counted once, in the inner step; "rest" is what the outer function does between its steps (the
scratch folder, moving files into the build cache, the memo). A step run in a thread beside its
caller (the photos, the raster) is listed below the step that started it, with its own thread's
CPU time.
Workers write their figures to a file after each page.

Figures are medians of ``--runs``. Build wall and CPU seconds (this process plus its workers) are
shown: the machine is shared, and CPU time moves less with other people's load. Page-product
steps are worker seconds summed over the pages; the page products' own line is the wall time of
make_page_products itself (steps in a thread overlap the others, so the steps' walls add up to
more) and the CPU of every step.

Peer, measured in the same run on the same page PDFs: a plain pypdfium2 render of every page at the
same dpi in one process, nothing encoded or written. raster+tiles / peer is what encoding the page
image, thumbnail and tile pyramid costs on top of the render that cannot be avoided.

Bytes come from the last run's output: page PDFs (median, max), edition.pdf, page image and
thumbnail, tiles per zoom level (per page, median over pages) and the viewer's own JS + CSS gzipped
(OpenSeadragon listed separately).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import importlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import epaper.build as build_module
from epaper.raster import RasterResult, RasterSettings

REPO = Path(__file__).resolve().parent.parent

# (module, attribute, label, root). The build calls each by the name its module imported it under,
# so the wrapper replaces that name. A root step starts a tree of its own: a page's products are
# timed the same whether they run in a worker or (one worker) inside the build's own wait for them.
STEPS: tuple[tuple[str, str, str, bool], ...] = (
    # the edition, in the build process
    ("epaper.build", "read_edition", "ingest", True),
    ("epaper.build", "lay_out", "layout", True),
    ("epaper.build", "_make_products", "page products: handing out and waiting", True),
    ("epaper.build", "link_page_products", "linking the pages' files", True),
    ("epaper.build", "merge_edition_pdf", "edition.pdf (a child process where it forks: untimed)", True),
    ("epaper.build", "write_reading", "web (text views, search)", True),
    ("epaper.build", "write_viewer_site", "web (viewer, service worker)", True),
    ("epaper.build", "write_mets", "METS", True),
    ("epaper.build", "write_manifest", "IIIF manifest", True),
    ("epaper.build", "precompress", ".gz copies", True),
    ("epaper.build", "report_document", "report", True),
    ("epaper.build", "write_report_html", "report.html", True),
    ("epaper.build", "write_archive", "archive", True),
    # one page's products, in a worker
    ("epaper.products", "make_page_products", "page products", True),
    ("epaper.products", "prepare_photos", "photos made ahead (a thread)", False),
    ("epaper.products", "write_reader_pdf", "draw reader PDF", False),
    ("epaper.products", "write_print_page", "draw print PDF", False),
    ("epaper.publish.pdfs", "render_page", "ReportLab canvas", False),
    ("epaper.render.pdf", "_photo_bytes", "photos", False),
    ("epaper.publish.pdfs", "write_print_pdf", "PDF/X (pikepdf)", False),
    ("epaper.products", "rasterize_page", "page image + thumbnail", False),
    ("epaper.raster.run", "render_page", "pdfium render", False),
    ("epaper.raster.run", "write_tiles", "zoom tiles", False),
    ("epaper.products", "page_text", "ALTO words", False),
    ("epaper.products", "write_alto", "ALTO XML", False),
    ("epaper.products", "page_spacing", "word gaps (PDF readback)", False),
    ("epaper.products", "page_ink", "ink figures", False),
)
PRODUCTS = "page products"
RASTER_STEPS = ("page image + thumbnail", "pdfium render", "zoom tiles")


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class StepTimer:
    """Wraps :data:`STEPS` with exclusive wall and CPU timers, in this process and (inherited when
    the pool forks) in its workers, which write their figures into ``folder`` after each root step."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.wall: dict[tuple[str, ...], float] = {}
        self.cpu: dict[tuple[str, ...], float] = {}
        self.calls: dict[tuple[str, ...], int] = {}
        self.whole: dict[tuple[str, ...], float] = {}  # a root step's wall time, the steps inside it included
        self.results: dict[str, object] = {}  # the last result of each step, by label
        self._local = threading.local()  # .stack: [path, wall start, cpu start, wall of inner steps, cpu of inner]
        self._root: tuple[str, ...] = ()  # the root step last begun (a step in a thread of its own goes below it)
        self._lock = threading.Lock()
        self._originals: list[tuple[object, str, object]] = []

    @property
    def _stack(self) -> list[list]:
        if not hasattr(self._local, "stack"):
            self._local.stack = []
        return self._local.stack

    def _forked(self) -> None:
        # A worker starts with a copy of the build's figures and open steps: they are the build's.
        self.wall, self.cpu, self.calls, self.whole = {}, {}, {}, {}
        self._local = threading.local()
        self._lock = threading.Lock()

    def __enter__(self) -> "StepTimer":
        os.register_at_fork(after_in_child=self._forked)
        for module_name, attribute, label, root in STEPS:
            owner = importlib.import_module(module_name)
            if not hasattr(owner, attribute):
                raise SystemExit(f"bench_epaper: {module_name}.{attribute} is gone; update STEPS to the build's "
                                 f"names (the step '{label}')")
            original = getattr(owner, attribute)
            wrapped = functools.wraps(original)(self._wrap(label, root, original))
            # Every module holding the function under that name (epaper.build imports
            # make_page_products): a task is pickled by its module and name, which must give back
            # the very function handed to the pool.
            for module in [m for name, m in sys.modules.items() if name.startswith("epaper")]:
                if getattr(module, attribute, None) is original:
                    self._originals.append((module, attribute, original))
                    setattr(module, attribute, wrapped)
        return self

    def __exit__(self, *exc) -> None:
        for owner, attribute, original in reversed(self._originals):
            setattr(owner, attribute, original)

    def _wrap(self, label: str, root: bool, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            stack = self._stack
            parent = stack[-1] if stack else None
            if root:
                path = self._root = (label,)
            else:  # below its caller, or (a thread's first step) below the root step that started it
                path = (*(parent[0] if parent is not None else self._root), label)
            # CPU seconds of this thread: a step run in a thread beside its caller is counted once.
            frame = [path, time.perf_counter(), time.thread_time(), 0.0, 0.0]
            stack.append(frame)
            try:
                result = function(*args, **kwargs)
            finally:
                stack.pop()
                wall, cpu = time.perf_counter() - frame[1], time.thread_time() - frame[2]
                with self._lock:
                    self.wall[path] = self.wall.get(path, 0.0) + wall - frame[3]
                    self.cpu[path] = self.cpu.get(path, 0.0) + cpu - frame[4]
                    self.calls[path] = self.calls.get(path, 0) + 1
                    if root:
                        self.whole[path] = self.whole.get(path, 0.0) + wall
                if parent is not None:
                    parent[3] += wall
                    parent[4] += cpu
                if root and os.getpid() != self._owner:
                    self._dump()
            self.results[label] = result
            return result

        return timed

    _owner = os.getpid()  # the build's process; a forked worker has another id

    def _dump(self) -> None:
        """This worker's figures so far, whole (a worker may be killed any time after)."""
        records = [[list(path), self.wall[path], self.cpu[path], self.calls[path], self.whole.get(path, 0.0)]
                   for path in self.wall]
        target = self.folder / f"{os.getpid()}.json"
        target.with_suffix(".partial").write_text(json.dumps(records), encoding="utf-8")
        os.replace(target.with_suffix(".partial"), target)

    def figures(self) -> dict[str, dict[str, float]]:
        """Every step's exclusive wall, CPU and calls (and a root step's whole wall time), this
        process's and its workers' summed, keyed by the step's path ("page products / draw
        reader PDF / photos")."""
        out: dict[str, dict[str, float]] = {}

        def add(path, wall, cpu, calls, whole):
            entry = out.setdefault(" / ".join(path), {"wall": 0.0, "cpu": 0.0, "calls": 0, "whole": 0.0})
            entry["wall"] += wall
            entry["cpu"] += cpu
            entry["calls"] += calls
            entry["whole"] += whole

        for path in self.wall:
            add(path, self.wall[path], self.cpu[path], self.calls[path], self.whole.get(path, 0.0))
        for record in sorted(self.folder.glob("*.json")):
            for path, wall, cpu, calls, whole in json.loads(record.read_text(encoding="utf-8")):
                add(path, wall, cpu, calls, whole)
        return out


def _peer_render(pdfs: list[Path], dpi: float) -> tuple[float, float]:
    """(wall, cpu) seconds for pypdfium2 rendering every page at ``dpi`` in this process."""
    import pypdfium2 as pdfium

    wall, cpu = time.perf_counter(), time.process_time()
    for pdf in pdfs:
        document = pdfium.PdfDocument(str(pdf))
        try:
            page = document[0]
            bitmap = page.render(scale=dpi / 72.0, may_draw_forms=False)
            bitmap.close()
            page.close()
        finally:
            document.close()
    return time.perf_counter() - wall, time.process_time() - cpu


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
        figures_dir = Path(tmp) / "figures"
        figures_dir.mkdir()
        out = Path(tmp) / "out"
        with StepTimer(figures_dir) as timer:
            wall, cpu = time.perf_counter(), _cpu()
            result = build_module.build_edition(edition, out, workers=workers)
            total_wall, total_cpu = time.perf_counter() - wall, _cpu() - cpu
        products = timer.results.get("page products: handing out and waiting")
        assert products, "the build made no page products"
        raster = RasterResult(pages=tuple(p.raster for p in products), tile_size=RasterSettings().tile_size,
                              workers=workers, seconds=0.0)
        page_pdfs = sorted((result.out_dir / "pages").glob("*.pdf"))
        peer_wall, peer_cpu = _peer_render(page_pdfs, raster.pages[0].dpi)
        run = {
            "pages": result.pages,
            "total_wall": total_wall,
            "total_cpu": total_cpu,
            "steps": timer.figures(),
            "peer_render_wall": peer_wall,
            "peer_render_cpu": peer_cpu,
        }
        if keep_bytes:
            run["bytes"] = measure_bytes(result.out_dir, raster)
        return run


def _raster_per_page(run: dict, kind: str) -> float:
    return sum(v[kind] for k, v in run["steps"].items() if k.split(" / ")[-1] in RASTER_STEPS) / run["pages"]


def summarize(runs: list[dict], workers: int, tmp_root: str) -> dict:
    med = lambda values: statistics.median(values)  # noqa: E731
    pages = runs[0]["pages"]
    order = {label: index for index, (_, _, label, _) in enumerate(STEPS)}
    # A step before the steps inside it, in the order of STEPS.
    paths = sorted(runs[0]["steps"], key=lambda path: [order.get(label, len(order)) for label in path.split(" / ")])
    steps = {path: {kind: med([r["steps"].get(path, {}).get(kind, 0.0) for r in runs]) for kind in ("wall", "cpu")}
             for path in paths}
    edition_steps = {p: v for p, v in steps.items() if not p.startswith(PRODUCTS + " /") and p != PRODUCTS}
    product_steps = {p: v for p, v in steps.items() if p == PRODUCTS or p.startswith(PRODUCTS + " /")}
    build_wall, build_cpu = med([r["total_wall"] for r in runs]), med([r["total_cpu"] for r in runs])
    return {
        "runs": len(runs),
        "workers": workers,
        "output_filesystem": tmp_root,
        "pages": pages,
        "build_wall_s": build_wall,
        "build_cpu_s": build_cpu,
        "edition_steps_s": edition_steps,
        "edition_other_wall_s": build_wall - sum(v["wall"] for v in edition_steps.values()),
        "page_product_steps_s": product_steps,
        "page_products_worker_wall_s": med([r["steps"][PRODUCTS]["whole"] for r in runs]),
        "page_products_worker_cpu_s": sum(v["cpu"] for v in product_steps.values()),
        "raster_tiles_wall_s_per_page": med([_raster_per_page(r, "wall") for r in runs]),
        "raster_tiles_cpu_s_per_page": med([_raster_per_page(r, "cpu") for r in runs]),
        "peer_plain_render_wall_s_per_page": med([r["peer_render_wall"] for r in runs]) / pages,
        "peer_plain_render_cpu_s_per_page": med([r["peer_render_cpu"] for r in runs]) / pages,
        "all_runs_build_wall_s": [round(r["total_wall"], 2) for r in runs],
        "bytes": runs[-1]["bytes"],
    }


def _kb(n: float | None) -> str:
    return "—" if n is None else f"{n / 1000:,.0f} kB" if n < 1_000_000 else f"{n / 1e6:,.2f} MB"


def print_table(s: dict) -> None:
    b, pages = s["bytes"], s["pages"]
    rows: list[tuple[str, str]] = []
    rows.append((f"build, median of {s['runs']} ({pages} pages, {s['workers']} workers)",
                 f"{s['build_wall_s']:6.2f} s wall  {s['build_cpu_s']:6.2f} s CPU (with workers)"))
    rows.append(("all runs, build wall", ", ".join(f"{v:.2f} s" for v in s["all_runs_build_wall_s"])))
    rows.append(("", ""))
    rows.append(("the edition's steps, in the build process", ""))
    for label, v in s["edition_steps_s"].items():
        rows.append((f"  {label}", f"{v['wall']:6.2f} s wall  {v['cpu']:6.2f} s CPU"))
    rows.append(("  other (between the steps)", f"{s['edition_other_wall_s']:6.2f} s wall"))
    rows.append(("", ""))
    rows.append((f"one page's products, worker seconds summed over {pages} pages",
                 f"{s['page_products_worker_wall_s']:6.2f} s wall  {s['page_products_worker_cpu_s']:6.2f} s CPU"
                 f"   ({s['page_products_worker_wall_s'] / pages:.3f} s wall, "
                 f"{s['page_products_worker_cpu_s'] / pages:.3f} s CPU a page)"))
    for path, v in s["page_product_steps_s"].items():
        parts = path.split(" / ")
        label = "rest" if len(parts) == 1 else parts[-1]
        rows.append((f"  {'  ' * (len(parts) - 2)}{label}",
                     f"{v['wall']:6.2f} s wall  {v['cpu']:6.2f} s CPU   {v['wall'] / pages * 1000:5.0f} ms a page"))
    rows.append(("", ""))
    rows.append(("raster+tiles per page, in a worker",
                 f"{s['raster_tiles_wall_s_per_page']:.3f} s wall  {s['raster_tiles_cpu_s_per_page']:.3f} s CPU"))
    rows.append(("peer: plain pypdfium2 render, same dpi",
                 f"{s['peer_plain_render_wall_s_per_page']:.3f} s wall  {s['peer_plain_render_cpu_s_per_page']:.3f} s CPU"))
    rows.append(("raster+tiles / peer (CPU)",
                 f"{s['raster_tiles_cpu_s_per_page'] / s['peer_plain_render_cpu_s_per_page']:.1f}x"))
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
        print(f"run {index + 1}/{args.runs}: build {runs[-1]['total_wall']:.2f} s wall, "
              f"{runs[-1]['total_cpu']:.2f} s CPU", file=sys.stderr)
    summary = summarize(runs, args.workers, str(args.tmp or tempfile.gettempdir()))
    summary["raster_settings"] = {k: v for k, v in vars(RasterSettings()).items() if k != "edition_url"}
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print_table(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
