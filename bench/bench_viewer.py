"""The reader's viewer by weight: what a phone downloads before the first page shows, the viewer's own
JS+CSS gzipped, and the saved (offline) copy of the edition, each against its budget.

    .venv/bin/python bench/bench_viewer.py [--edition DIR] [--runs 3]

Builds the sample edition (or measures ``--edition``, an already built edition folder), serves it on
127.0.0.1 (port 0) with epaper serve's server (gzip), and loads the viewer in Debian's
chromium: a phone (390x844 CSS px, 3x screen, touch) and, as the peer measured in the same run, a
1280x860 desktop. "First view" counts headers and bodies of every request started before the viewer
reports the first page fully drawn (window.epaper.shownAt), from Playwright's network events; the
median of ``--runs`` fresh browser contexts. Results go to bench/results/viewer.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's helpers: epaper serve in-process, waits

FIRST_VIEW_BUDGET = 400_000
# The viewer's own code, gzipped: 18,328 bytes before session 27's reader fixes (tile seams, 44 px
# targets, focus order, the search's status, reduced motion, languages marked), 20,457 after.
VIEWER_ASSETS_BUDGET = 21_000
VIEWER_ASSETS = ("static/viewer.js", "static/viewer.css", "static/text.js")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 860}}


def gzipped(path: Path) -> int:
    packed = path.with_name(path.name + ".gz")
    return packed.stat().st_size if packed.is_file() else len(gzip.compress(path.read_bytes(), 9, mtime=0))


def first_view(browser, url: str, options: dict) -> tuple[int, int]:
    """(bytes, requests) a fresh context transfers before the first page is drawn."""
    from browser_support import wait_until

    context = browser.new_context(**options)
    page = context.new_page()
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    try:
        page.goto(url)
        wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=60)
        shown = page.evaluate("window.epaper.shownAt")
        page.wait_for_timeout(300)
        counted = [r for r in finished if r.timing["startTime"] <= shown]
        total = 0
        for request in counted:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total, len(counted)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edition", type=Path, help="a built edition folder (default: build the sample)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from browser_support import serve
    from epaper.web.offline import offline_budget, offline_set

    with tempfile.TemporaryDirectory() as scratch:
        if args.edition:
            edition = args.edition.resolve()
        else:
            from epaper.build import build_edition

            edition = Path(build_edition(ROOT / "sample-edition", Path(scratch)).out_dir)
        pages = len(list((edition / "images").glob("*.jpg")))
        assets = {name: gzipped(edition / name) for name in VIEWER_ASSETS}
        saved = offline_set(edition)
        results: dict = {
            "edition": edition.name,
            "pages": pages,
            "viewer_assets_gzip_bytes": assets,
            "viewer_assets_gzip_total": sum(assets.values()),
            "viewer_assets_budget": VIEWER_ASSETS_BUDGET,
            "offline_bytes": saved.bytes,
            "offline_files": len(saved.files),
            "offline_budget": offline_budget(pages),
        }
        with serve(edition.parent) as root, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu"])
            url = f"{root}/{edition.name}/index.html"
            for name, options in (("phone", PHONE), ("desktop", DESKTOP)):
                runs = [first_view(browser, url, options) for _ in range(args.runs)]
                results[f"first_view_{name}_bytes"] = statistics.median(b for b, _ in runs)
                results[f"first_view_{name}_requests"] = statistics.median(n for _, n in runs)
            browser.close()
        results["first_view_budget"] = FIRST_VIEW_BUDGET
        results["phone_to_desktop_ratio"] = round(results["first_view_phone_bytes"] / results["first_view_desktop_bytes"], 2)

    out = ROOT / "bench" / "results" / "viewer.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(json.dumps(results, indent=1))
    within = (results["first_view_phone_bytes"] <= FIRST_VIEW_BUDGET
              and results["viewer_assets_gzip_total"] <= VIEWER_ASSETS_BUDGET
              and saved.bytes <= results["offline_budget"])
    print("within budget" if within else "OVER BUDGET")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
