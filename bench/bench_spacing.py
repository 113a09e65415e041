"""Word spacing and quote marks as printed, against typst setting the same paragraphs (issue 15).

Measured from the PDFs themselves (``epaper/report/spacing.py``: pdfium's character boxes; each
Devanagari word's ink, where pdfium's character boxes do not show where a syllable ends): for every
justified body line, the widest gap between two words in ems, and the share of lines over 0.5 em
and over 0.8 em; the share of straight quotes among the quote marks of body text.

Data sets, each set by epaper and, in the same run, by typst (PyPI ``typst``, a bench-only
dependency) at the same measure, font (Noto Serif SemiCondensed), size (9 pt) and first-line indent,
justified and hyphenated:
* ``sample``: the sample edition laid out and drawn page by page; typst sets the placed English
  stories' body paragraphs;
* ``gen seed N``: generated bench editions (``bench/edition_generator.py``), likewise;
* ``corpus``: the real wire copy in ``../shared/corpus/articles.json`` (read at run time, if there),
  punctuated as ingest would, set in one column by both.
typst sets Latin text only here (its Devanagari lines cannot be measured the same way from its PDF).

Typesetting time: every body paragraph of the sample and generated editions set at one column
(cold caches, CPU time, median of ``--runs``), with the body style's microtypography and without
it, and with ``--baseline DIR`` also by the epaper checked out in DIR (e.g. the commit before
microtypography: ``git archive COMMIT | tar -x -C DIR``), in fresh processes in the same run.

    .venv/bin/python bench/bench_spacing.py [--seeds 1 2] [--runs 3] [--baseline DIR] [--json]

Targets: lines over 0.8 em at most 2 % (typst 6.6 % on real copy), over 0.5 em at most 25 %,
straight quotes 0 in English copy, typesetting at most 1.5× the time before microtypography.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from epaper.formats import load_format  # noqa: E402
from epaper.frame import Box, Page, Source, TextRun  # noqa: E402
from epaper.ingest import load_edition  # noqa: E402
from epaper.ingest.markdown import parse_body  # noqa: E402
from epaper.ingest.typography import punctuate  # noqa: E402
from epaper.layout import lay_out, page_fonts  # noqa: E402
from epaper.model import Paragraph  # noqa: E402
from epaper.render.pdf import render_page  # noqa: E402
from epaper.report.spacing import (LineProbe, body_line_probes, measure_gaps, page_chars,  # noqa: E402
                                   quote_counts, spacing_figures)
from epaper.typeset import set_text  # noqa: E402

SAMPLE = REPO / "sample-edition"
CORPUS = REPO.parent / "shared" / "corpus" / "articles.json"
FONTS = REPO / "fonts"


def _figures(gaps: list[float], texts: list[str]) -> dict:
    return spacing_figures(gaps, texts).as_dict()


def _edition_figures(folder: Path, workdir: Path) -> tuple[dict, dict, list[list[Paragraph]], float]:
    """Ours, from the drawn pages: all justified body lines, Latin ones and Devanagari ones; and
    the English body paragraphs placed (for typst) with the column width."""
    edition = load_edition(folder)
    laid = lay_out(edition)
    fmt = load_format(edition.format)
    gaps: dict[str, list[float]] = {"all": [], "latin": [], "devanagari": []}
    texts: list[str] = []
    for page in laid.pages:
        path = workdir / f"{folder.name}-{page.number:03d}.pdf"
        render_page(page, path, title="bench", author="bench")
        probes = body_line_probes(page)
        for name, chosen in (("latin", [p for p in probes if not p.shaped]),
                             ("devanagari", [p for p in probes if p.shaped])):
            found = measure_gaps(path, [chosen])
            gaps[name] += found
            gaps["all"] += found
        texts += [i.text for i in page.items if isinstance(i, TextRun) and i.source.role == "body"
                  and i.glyphs is None]
    placed = {r.article_id for p in laid.pages for r in p.regions}
    english = [list(a.body) for a in edition.articles if a.id in placed and a.language.startswith("en")]
    return ({name: _figures(g, texts if name != "devanagari" else []) for name, g in gaps.items()},
            {"pages": len(laid.pages)}, english, fmt.column_width)


def _column_pdf(articles: list[list[Paragraph]], width: float, path: Path, language: str = "en") -> list[LineProbe]:
    """Ours, without page make-up: each article's body set at ``width`` (as layout sets a column)
    and drawn one line under another; the probes of its justified lines."""
    fmt = load_format("broadsheet")
    body, subhead = fmt.style("body"), fmt.style("subhead")
    items: list[TextRun] = []
    y = 20.0
    for paragraphs in articles:
        block = set_text(tuple(paragraphs), body, subhead, width, language)
        for line in block.lines:
            y += line.leading
            for seg in line.segments:
                items.append(TextRun(x=10 + seg.x, baseline=y, font=seg.face, size=seg.size, text=seg.text,
                                     width=seg.width, glyphs=seg.glyphs, source=Source("c", "body", line.paragraph),
                                     scale=seg.scale, char_space=seg.char_space))
        y += 20
    page = Page(number=1, section="c", width=width + 20, height=y + 20, items=tuple(items), regions=(),
                editorial=Box(0, 0, width + 20, y + 20), fonts=page_fonts(items))
    render_page(page, path, title="bench", author="bench")
    return body_line_probes(page)


TYPST = """#set page(width: {width}pt, height: auto, margin: (x: 0pt, y: 10pt))
#set text(font: "Noto Serif", stretch: 87.5%, size: 9pt, lang: "en", hyphenate: true)
#set par(justify: true, leading: 1.5pt, first-line-indent: (amount: 9pt, all: false), spacing: 1.5pt)
#let paras = json("paras.json")
#for p in paras [#par(p)
]
"""


def _typst_gaps(articles: list[list[Paragraph]], width: float, workdir: Path) -> tuple[list[float], float]:
    """typst's widest word gap (ems) on every justified line (lines that reach the measure), read
    back from its PDF the same way as ours; and its compile time in seconds."""
    import time

    import pypdfium2 as pdfium
    import typst

    paras = [p.text for paragraphs in articles for p in paragraphs if p.kind == "text"]
    (workdir / "paras.json").write_text(json.dumps(paras), encoding="utf-8")
    (workdir / "main.typ").write_text(TYPST.format(width=round(width, 3)), encoding="utf-8")
    start = time.perf_counter()
    typst.compile(str(workdir / "main.typ"), output=str(workdir / "typst.pdf"), font_paths=[str(FONTS)])
    seconds = time.perf_counter() - start
    doc = pdfium.PdfDocument(str(workdir / "typst.pdf"))
    probes_by_page = []
    for page in doc:
        textpage = page.get_textpage()
        rows: dict[int, tuple[float, float]] = {}  # row -> (baseline, right edge)
        for _, _, right, baseline in page_chars(textpage):
            key = round(baseline * 2)
            rows[key] = (baseline, max(right, rows.get(key, (0.0, 0.0))[1]))
        # A line that reaches the measure is justified (a paragraph's last line falls short).
        probes_by_page.append([LineProbe(-0.5, width + 0.5, baseline, 9.0)
                               for baseline, right in rows.values() if right >= width - 0.5])
        textpage.close()
    doc.close()
    return measure_gaps(workdir / "typst.pdf", probes_by_page), seconds


def _corpus() -> list[list[Paragraph]]:
    if not CORPUS.exists():
        return []
    articles = json.loads(CORPUS.read_text(encoding="utf-8"))
    out = []
    for article in articles:
        if article.get("language") != "en":
            continue
        body = article["body"] if isinstance(article["body"], list) else [article["body"]]
        out.append([p for text in body for p in parse_body(punctuate(text, "en", markdown=True))])
    return out


TIMING = """
import sys, time, json
# The checkout given, not the installed (editable) epaper: drop the editable finder first.
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in str(getattr(f, "__module__", ""))]
sys.path.insert(0, sys.argv[1])
from dataclasses import replace
import epaper
assert epaper.__file__.startswith(sys.argv[1]), epaper.__file__
from epaper.formats import load_format
from epaper.ingest import load_edition
from epaper import typeset
from epaper.typeset import set_text
folders, micro, runs = json.loads(sys.argv[2]), sys.argv[3] == "on", int(sys.argv[4])
fmt = load_format("broadsheet")
body, subhead = fmt.style("body"), fmt.style("subhead")
if not micro and hasattr(body, "microtype"):
    from epaper.formats import NO_MICROTYPE
    body = replace(body, microtype=NO_MICROTYPE)
editions = [load_edition(__import__("pathlib").Path(f)) for f in folders]
jobs = [(a.body, a.language) for e in editions for a in e.articles]
set_text((jobs[0][0][0],), body, subhead, fmt.column_width, jobs[0][1])  # fonts loaded
times = []
for _ in range(runs):
    typeset.clear_caches()
    start = time.process_time()
    for paragraphs, language in jobs:
        set_text(paragraphs, body, subhead, fmt.column_width, language)
    times.append(time.process_time() - start)
print(json.dumps(times))
"""


def _timing(root: Path, folders: list[Path], micro: bool, runs: int) -> float:
    out = subprocess.run([sys.executable, "-c", TIMING, str(root), json.dumps([str(f) for f in folders]),
                          "on" if micro else "off", str(runs)], capture_output=True, text=True, check=True,
                         cwd=str(root))
    return statistics.median(json.loads(out.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="an epaper checkout to time as 'before'")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from edition_generator import generate_edition

    results: dict = {"sets": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folders = [("sample", SAMPLE)]
        for seed in args.seeds:
            folder = work / f"gen-{seed}"
            generate_edition(folder, seed)
            folders.append((f"gen seed {seed}", folder))
        for label, folder in folders:
            ours, info, english, width = _edition_figures(folder, work)
            tdir = work / f"typst-{label.replace(' ', '-')}"
            tdir.mkdir()
            typst_gaps, _ = _typst_gaps(english, width, tdir)
            results["sets"][label] = {**info, "epaper": ours, "typst": _figures(typst_gaps, [])}
        corpus = _corpus()
        if corpus:
            width = load_format("broadsheet").column_width
            cdir = work / "corpus"
            cdir.mkdir()
            probes = _column_pdf(corpus, width, cdir / "ours.pdf")
            ours = measure_gaps(cdir / "ours.pdf", [probes])
            straight, curly = quote_counts(p.text for paragraphs in corpus for p in paragraphs)
            typst_gaps, _ = _typst_gaps(corpus, width, cdir)
            results["sets"]["corpus"] = {"epaper": {"latin": {**_figures(ours, [p.text for a in corpus for p in a])}},
                                         "typst": _figures(typst_gaps, []), "quotes": [straight, curly]}
        if not args.json:
            _print_sets(results["sets"])
        gen_folders = [f for _, f in folders]
        timing = {"microtype on": _timing(REPO, gen_folders, True, args.runs),
                  "microtype off": _timing(REPO, gen_folders, False, args.runs)}
        if args.baseline:
            timing["baseline"] = _timing(args.baseline.resolve(), gen_folders, False, args.runs)
            timing["ratio to baseline"] = round(timing["microtype on"] / timing["baseline"], 3)
        timing["ratio on/off"] = round(timing["microtype on"] / timing["microtype off"], 3)
        results["typesetting_cpu_seconds"] = timing
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print("typesetting CPU seconds (median):", json.dumps(results["typesetting_cpu_seconds"]))


def _print_sets(sets: dict) -> None:
    print(f"{'set':<12} {'who':<18} {'lines':>6} {'>0.5em':>7} {'>0.8em':>7} {'widest':>7} {'straight':>8}")
    for label, entry in sets.items():
        rows = [(f"epaper {k}", v) for k, v in entry["epaper"].items()] + [("typst latin", entry["typst"])]
        for who, f in rows:
            share = f["straight_quote_share"]
            straight = "no marks" if share is None else f"{share:.1%}"
            print(f"{label:<12} {who:<18} {f['justified_lines']:>6} {f['share_over_0_5_em']:>7.1%} "
                  f"{f['share_over_0_8_em']:>7.1%} {f['widest_gap_em']:>7.2f} {straight:>8}",
                  flush=True)


if __name__ == "__main__":
    main()
