"""Seams of the zoomed page: whether a light line runs down the page where OpenSeadragon's tiles meet.

    .venv/bin/python bench/tile_seams.py [--edition DIR] [--zoom 3.375]

Builds the sample edition (or takes ``--edition``, an already built edition folder), serves it with
epaper serve's server, opens page 1 in Debian's chromium on a phone's width (390x844 CSS px, a 1x
screen: one screen pixel a CSS pixel), zooms in ``--zoom`` times the fitted view and screenshots a
strip of text. For each column of pixels it counts the rows where that column is lighter (by more
than 40 of 255) than its two neighbours while both are dark (type): a seam through the letters is
such a column in row after row. It prints the count at the tile edges (each edge and the columns
beside it, from the tiles OpenSeadragon draws) against the most of any other column, and how the
drawn tiles meet (in device pixels: how far each overlaps the next, and whether the edges fall on
whole pixels).

A phone review found the seams ("counci|lmembers"): at this zoom the edges counted 17-22, other
columns at most 10. The cause was OpenSeadragon's canvas drawer, which draws each tile of a source
without tile overlap one CSS pixel too large, so the next tile hid its last column and row of type.
The viewer now draws the tiles edge to edge on whole device pixels (``tilesEdgeToEdge`` in
epaper/web/static/viewer.js): the edges count no more than elsewhere (5 against 12), and
tests/test_tile_seams.py holds it there. Kept as a measure for a change of OpenSeadragon or the drawer.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's helpers: epaper serve in-process, waits

LIGHTER = 40  # of 255: the column's excess over its neighbours' mean
DARK = 140  # of 255: a neighbour this dark is type


def lighter_columns(png: bytes):
    """For each pixel column (but the first and last), the rows where it is lighter than two dark neighbours."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L")).astype(float)
    left, mid, right = pixels[:, :-2], pixels[:, 1:-1], pixels[:, 2:]
    return ((left < DARK) & (right < DARK) & (mid - (left + right) / 2 > LIGHTER)).sum(axis=0)


# How the drawn tiles of the finest level drawn meet, in device pixels: each tile's edges, and the
# exact edges of the page region it shows (from OpenSeadragon's image-to-screen maths).
TILE_EDGES = """() => {
  const v = window.epaper.viewer, item = v.world.getItemAt(0), r = OpenSeadragon.pixelDensityRatio;
  const drawn = item.getTilesToDraw(), level = Math.max(...drawn.map(t => t.level));
  const source = item.source, side = source.getTileWidth(level) * Math.pow(2, source.maxLevel - level);
  const screen = (x, y) => item.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y)).times(r);
  return drawn.filter(t => t.level === level).map(t => {
    const p = t.tile.position, s = t.tile.size;
    const a = screen(t.tile.x * side, t.tile.y * side);
    const b = screen(Math.min((t.tile.x + 1) * side, source.width), Math.min((t.tile.y + 1) * side, source.height));
    return {col: t.tile.x, row: t.tile.y, left: p.x * r, top: p.y * r, right: (p.x + s.x) * r, bottom: (p.y + s.y) * r,
            exact: [a.x, a.y, b.x, b.y]};
  });
}"""


def tile_meeting(tiles: list[dict]) -> dict:
    """From TILE_EDGES: the most any tile overlaps (or, negative, falls short of) its right or lower
    neighbour, and the farthest any drawn edge is from a whole device pixel and from its exact place."""
    at = {(t["col"], t["row"]): t for t in tiles}
    overlaps = [t["right"] - at[t["col"] + 1, t["row"]]["left"] for t in tiles if (t["col"] + 1, t["row"]) in at]
    overlaps += [t["bottom"] - at[t["col"], t["row"] + 1]["top"] for t in tiles if (t["col"], t["row"] + 1) in at]
    edges = [(t[k], t["exact"][i]) for t in tiles for i, k in enumerate(("left", "top", "right", "bottom"))]
    return {"overlap": max(overlaps, key=abs, default=0.0),
            "off_pixel": max(abs(e - round(e)) for e, _ in edges),
            "off_exact": max(abs(e - exact) for e, exact in edges)}


def measure_page(page, edition_url: str, zoom: float) -> dict:
    """Page 1 of the edition at ``edition_url`` opened in ``page`` (a Playwright page 390 CSS px wide),
    zoomed ``zoom`` times the fitted view: the light columns at the tile edges and elsewhere."""
    from browser_support import wait_until

    page.goto(edition_url + "index.html#p=1")
    wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=30)
    page.evaluate(f"() => {{ const v = window.epaper.viewer; "
                  f"v.viewport.zoomTo(v.viewport.getHomeZoom() * {zoom}, null, true); }}")
    wait_until(page, "window.epaper.viewer.world.getItemAt(0).getFullyLoaded()", timeout=30)
    page.wait_for_timeout(500)
    edges = sorted(set(page.evaluate("() => window.epaper.viewer.world.getItemAt(0).getTilesToDraw()"
                                     ".map(t => Math.round(t.tile.position.x))")))
    tiles = page.evaluate(TILE_EDGES)
    view = page.locator("#page-view").bounding_box()
    shot = page.screenshot(clip={"x": 0, "y": view["y"] + 250, "width": 390, "height": 200})
    counts = lighter_columns(shot)  # index i is pixel column i + 1
    near = {x + dx - 1 for x in edges for dx in (-1, 0, 1) if 0 <= x + dx - 1 < len(counts)}
    return {"edges": [x for x in edges if 0 < x < 390],
            "at_edges": max((int(counts[i]) for i in near), default=0),
            "elsewhere": max(int(n) for i, n in enumerate(counts) if i not in near),
            "tiles": tiles, "shot": shot}


def measure(edition_url: str, zoom: float) -> dict:
    from playwright.sync_api import sync_playwright

    from browser_support import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1,
                                       is_mobile=True, has_touch=True).new_page()
            return measure_page(page, edition_url, zoom)
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", type=Path, help="an edition folder already built (default: build the sample)")
    parser.add_argument("--zoom", type=float, default=3.375, help="times the fitted view (default 3.375)")
    args = parser.parse_args()
    from served import serving

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.edition
        if folder is None:
            from epaper.build import build_edition

            folder = build_edition(ROOT / "sample-edition", Path(scratch)).out_dir
        with serving(folder.parent) as url:
            found = measure(f"{url}{folder.name}/", args.zoom)
    print(f"tile edges on the screen at x = {', '.join(map(str, found['edges']))}")
    print(f"rows where a column is lighter than its dark neighbours: at the tile edges {found['at_edges']}, "
          f"any other column at most {found['elsewhere']}")
    meeting = tile_meeting(found["tiles"])
    print(f"tiles drawn: each overlaps the next by {meeting['overlap']:.2f} device px; edges at most "
          f"{meeting['off_pixel']:.2f} px off a whole pixel and {meeting['off_exact']:.2f} px off their exact place")
    print("seams" if found["at_edges"] > found["elsewhere"] + 2 else "no seams")


if __name__ == "__main__":
    main()
