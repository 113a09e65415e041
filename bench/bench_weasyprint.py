"""The whole cold ``epaper build`` of an edition against WeasyPrint printing the same articles to PDF.

    .venv/bin/pip install -e '.[bench]'   # WeasyPrint is a bench dependency only
    .venv/bin/python bench/bench_weasyprint.py [EDITION_DIR] [--runs 3] [--workers 2] [--tmp DIR] [--json]

epaper: the real command a desk runs, ``epaper build EDITION_DIR --out DIR`` (ingest, typesetting,
layout, reader and print PDFs, ALTO/METS, page images, thumbnails, zoom tiles, viewer, text views,
report), in a fresh process into a fresh folder, with ``--workers`` processes.

Peer: WeasyPrint printing the articles that build placed, each in its section: one HTML document,
every section starting a new page and flowed through six CSS columns (``columns: 6``, the format's
gutter) on the format's trimmed page and margins, headline, deck, byline and dateline, the body
justified and hyphenated at the body style's size and leading, photos one column wide with their
captions, in the same font files. That is WeasyPrint's fastest honest form of the job: no page
furniture, no placement decisions, no copyfitting; one PDF, nothing else written. It also runs in
a fresh process, writing into the same temporary folder, and the two alternate run by run.

Figures are medians of ``--runs`` (wall-clock seconds, and CPU seconds of the process and its
children, since the machine is shared); the ratio is WeasyPrint's median wall time over epaper's.

Where epaper's time goes, measured in the same run against the issue's target (epaper at least 4x
faster, i.e. within a quarter of WeasyPrint's time): two of the build's parts alone, each in a fresh
process on ``--workers`` processes as the build runs them: the layout (``lay_out``, as
bench_layout.py times it) and the rasterizing and tiling of the drawn pages (``rasterize_pages``
over the built page PDFs: page images, thumbnails, zoom tiles). Each is a part of the build that
the others do not replace, so the build cannot take less than either.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from compiled import compile_epaper

REPO = Path(__file__).resolve().parent.parent


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of ``command`` run to completion in a fresh process (its children included).
    epaper too starts a process of its own (``EPAPER_WARM=0``: not in a warm process a command before
    left, see epaper/warm.py), as WeasyPrint does: a cold build, its imports counted."""
    wall, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env={**os.environ, "EPAPER_WARM": "0"})
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - wall, _children_cpu() - cpu


def placed_ids(out_root: Path) -> dict[str, list[str]]:
    """The ids of the articles a build placed, by section (layout.json), in page order."""
    [layout] = out_root.glob("*/layout.json")
    document = json.loads(layout.read_text(encoding="utf-8"))
    by_section: dict[str, list[str]] = {}
    for page in document["pages"]:
        ids = by_section.setdefault(page["section"], [])
        ids += [a["id"] for a in page["articles"] if a["id"] not in ids]
    return by_section


def _font_faces() -> str:
    """@font-face rules for the faces the styles name, from the repository's own font files."""
    import yaml

    fonts = REPO / "fonts"
    faces = yaml.safe_load((fonts / "fonts.yaml").read_text(encoding="utf-8"))["faces"]
    return "\n".join(f"@font-face {{ font-family: '{name}'; src: url('{(fonts / face['file']).as_uri()}'); }}"
                     for name, face in faces.items())


def peer_html(edition_dir: Path, sections: dict[str, list[str]]) -> str:
    """The placed articles as one HTML document for WeasyPrint (see the module docstring)."""
    from epaper.formats import load_format
    from epaper.ingest import read_edition
    from epaper.layout.module import dateline_lead

    edition = read_edition(edition_dir).edition
    assert edition is not None, f"{edition_dir} does not read cleanly"
    fmt = load_format(edition.format)
    articles = {a.id: a for a in edition.articles}
    mm = 72 / 25.4
    width, height = fmt.width / mm, fmt.height / mm
    css = f"""
{_font_faces()}
@page {{ size: {width:.1f}mm {height:.1f}mm;
        margin: {fmt.margin_top / mm:.1f}mm {fmt.margin_outside / mm:.1f}mm {fmt.margin_bottom / mm:.1f}mm {fmt.margin_inside / mm:.1f}mm; }}
body {{ margin: 0; font-family: serif, deva; font-size: 9pt; line-height: 10.5pt; }}
section {{ break-before: page; columns: {fmt.columns}; column-gap: {fmt.gutter / mm:.1f}mm; column-fill: auto; }}
section > h1 {{ column-span: all; font-family: headline, deva-headline; font-size: 26pt; line-height: 28pt; margin: 0 0 6pt; }}
article {{ margin: 0 0 10.5pt; }}
h2 {{ font-family: headline, deva-headline; font-size: 22pt; line-height: 24pt; margin: 0 0 4pt; }}
.deck {{ font-family: serif-italic, deva; font-size: 13pt; line-height: 15.5pt; margin: 0 0 4pt; }}
.byline {{ font-family: sans-bold, deva-bold; font-size: 8.5pt; text-transform: uppercase; margin: 0; }}
p {{ margin: 0; text-indent: 9pt; text-align: justify; hyphens: auto; }}
figure {{ margin: 0 0 6pt; }} img {{ width: 100%; display: block; }}
figcaption {{ font-family: sans, deva; font-size: 8pt; line-height: 9.5pt; }}
"""
    parts = [f"<!doctype html><html lang='{edition.language}'><head><meta charset='utf-8'><style>{css}</style></head><body>"]
    for section, ids in sections.items():
        parts.append(f"<section><h1>{html.escape(section)}</h1>")
        for article in (articles[i] for i in ids if i in articles):
            parts.append(f"<article lang='{article.language}'><h2>{html.escape(article.headline)}</h2>")
            if article.subheadline:
                parts.append(f"<p class='deck'>{html.escape(article.subheadline)}</p>")
            if article.byline:
                parts.append(f"<p class='byline'>{html.escape(article.byline)}</p>")
            for photo in article.photos:
                parts.append(f"<figure><img src='{photo.path.resolve().as_uri()}'>"
                             f"<figcaption>{html.escape(photo.caption)}</figcaption></figure>")
            for index, paragraph in enumerate(article.body):
                text = html.escape(paragraph.text)
                if index == 0 and article.dateline:
                    text = f"<b>{html.escape(dateline_lead(article))}</b>{text}"
                parts.append(f"<p>{text}</p>")
            parts.append("</article>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


_RASTER_ALONE = """
import sys
from pathlib import Path
from epaper.raster import rasterize_pages
from epaper.tasks import LocalRunner
pdfs = sorted(Path(sys.argv[1]).glob("*/pages/*.pdf"))
runner = LocalRunner(int(sys.argv[3]))
rasterize_pages(pdfs, Path(sys.argv[2]), runner=runner)
runner.close()
"""


def parts_alone(edition: Path, built: Path, scratch: Path, workers: int, runs: int) -> dict[str, float]:
    """Median wall seconds of the layout alone and of rasterizing and tiling the pages of ``built``
    alone (see the module docstring), each in fresh processes."""
    from bench_layout import _run_worker

    layout = statistics.median(_run_worker("layout", edition, workers)["seconds"] for _ in range(runs))
    raster = statistics.median(
        timed([sys.executable, "-c", _RASTER_ALONE, str(built), str(scratch / f"raster-{run}"), str(workers)])[0]
        for run in range(runs))
    return {"layout_alone_s": round(layout, 3), "raster_alone_s": round(raster, 3)}


_WEASYPRINT = """
import sys
from weasyprint import HTML
HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("edition", nargs="?", default=str(REPO / "sample-edition"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tmp", default=None, help="where the outputs go (default: the system's temp folder)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    compile_epaper()  # as installed (WeasyPrint's own modules are): see compiled.py
    try:
        import weasyprint
    except ImportError:
        print("WeasyPrint is not installed: pip install -e '.[bench]'")
        return 2
    edition = Path(args.edition).resolve()
    epaper = str(Path(sys.executable).with_name("epaper"))
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="bench-weasyprint-") as tmp:
        folder = Path(tmp)
        # One build first, untimed: which articles were placed (the peer prints those).
        build = [epaper, "build", str(edition), "--workers", str(args.workers)]
        timed(build + ["--out", str(folder / "placed")])
        document = folder / "peer.html"
        document.write_text(peer_html(edition, placed_ids(folder / "placed")), encoding="utf-8")
        peer = [sys.executable, "-c", _WEASYPRINT, str(document), str(folder / "peer.pdf")]
        for run in range(args.runs):
            out = folder / f"run-{run}"
            # Alternate which goes first, so a change in the machine's load does not favour one.
            order = [("epaper", build + ["--out", str(out)]), ("weasyprint", peer)]
            figures: dict[str, float] = {}
            for name, command in order if run % 2 == 0 else order[::-1]:
                figures[f"{name}_wall"], figures[f"{name}_cpu"] = timed(command)
            runs.append(figures)
        parts = parts_alone(edition, folder / "placed", folder, args.workers, args.runs)
        import pypdf

        peer_pages = len(pypdf.PdfReader(folder / "peer.pdf").pages)
        pages = len(list((folder / "placed").glob("*/pages/*.pdf")))
    med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    summary = {
        "runs": args.runs, "workers": args.workers, "edition": str(edition), "epaper_pages": pages,
        "weasyprint_pages": peer_pages, "weasyprint_version": weasyprint.__version__,
        **{f"{k}_s": round(v, 3) for k, v in med.items()},
        "ratio_wall": round(med["weasyprint_wall"] / med["epaper_wall"], 2),
        "ratio_cpu": round(med["weasyprint_cpu"] / med["epaper_cpu"], 2),
        "budget_at_4x_s": round(med["weasyprint_wall"] / 4, 3), **parts,
        "per_run": runs,
    }
    if args.json:
        print(json.dumps(summary, indent=1))
        return 0
    print(f"{edition.name}: epaper {pages} pages, WeasyPrint {peer_pages} pages "
          f"(WeasyPrint {weasyprint.__version__}); median of {args.runs} runs, epaper with {args.workers} workers")
    print(f"  epaper build (everything)   {med['epaper_wall']:7.2f} s wall  {med['epaper_cpu']:7.2f} s cpu")
    print(f"  WeasyPrint (one PDF)        {med['weasyprint_wall']:7.2f} s wall  {med['weasyprint_cpu']:7.2f} s cpu")
    print(f"  WeasyPrint / epaper         {summary['ratio_wall']:7.2f}x wall   {summary['ratio_cpu']:7.2f}x cpu")
    budget = summary["budget_at_4x_s"]
    print(f"  target 4x: the whole build within {budget:.2f} s; parts of it alone, same run:")
    for label, key in (("laying out", "layout_alone_s"), ("rasterizing and tiling", "raster_alone_s")):
        print(f"    {label:<26}{summary[key]:7.2f} s wall  ({summary[key] / budget:.0%} of that budget)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
