"""Mirador (the IIIF community's viewer, an npm devDependency only) opens a manifest served by ``epaper serve``.

Mirador is served from one origin and the edition by ``epaper serve --port 0`` from another, so its
fetches of the manifest and info.json need our CORS header. The build is rebased to the served address
first (its ids start with the default http://127.0.0.1:8000/). Checked as a reader would see it: the first
page shows, zooming in loads full-resolution tiles, the table of contents lists sections and articles.
On failure a screenshot is kept in test-artifacts/ (or $EPAPER_TEST_ARTIFACTS).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from epaper.tile_sets import tile_set_of
from served import epaper_serve, serving

REPO = Path(__file__).resolve().parent.parent
MIRADOR = REPO / "node_modules" / "mirador" / "dist" / "mirador.min.js"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("EPAPER_TEST_ARTIFACTS", REPO / "test-artifacts"))

pytestmark = pytest.mark.slow

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make browser)", allow_module_level=True)
if not MIRADOR.is_file():
    if shutil.which("npm"):
        pytest.fail("Mirador is missing from node_modules: run `npm ci` (make test-deps does)", pytrace=False)
    pytest.skip("npm is not installed: Mirador (an npm devDependency) cannot be had", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make test-deps)")

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Mirador</title>
<script src="mirador.min.js"></script></head>
<body style="margin:0"><div id="viewer" style="position:absolute;inset:0"></div><script>
Mirador.viewer({id: "viewer", windows: [{manifestId: %s}],
                window: {sideBarOpenByDefault: true, defaultSideBarPanel: "canvas"},
                workspaceControlPanel: {enabled: false}});
</script></body></html>"""


def _scale_factor(url: str, full_width: int) -> float:
    region, size = url.split("/tiles/", 1)[1].split("/")[1:3]
    region_w = full_width if region == "full" else int(region.split(",")[2])
    size_w = full_width if size == "max" else int(size.split(",")[0])
    return region_w / size_w


def test_mirador_shows_the_page_zooms_into_tiles_and_lists_sections_and_articles(sample_build, tmp_path):
    result, out_root = sample_build
    root = tmp_path / "output"
    shutil.copytree(out_root, root)
    edition = root / Path(result.out_dir).name
    layout = json.loads((edition / "layout.json").read_text())
    tile_set = tile_set_of(edition, 1)
    info = json.loads((tile_set / "info.json").read_text())
    mirador = tmp_path / "mirador"
    mirador.mkdir()
    shutil.copy(MIRADOR, mirador / "mirador.min.js")

    with epaper_serve(root) as url:
        rebase = subprocess.run([sys.executable, "-m", "epaper", "rebase", str(root), url], capture_output=True,
                                text=True, timeout=120)
        assert rebase.returncode == 0, rebase.stdout + rebase.stderr
        manifest_url = f"{url}{edition.name}/manifest.json"
        (mirador / "index.html").write_text(PAGE % json.dumps(manifest_url), encoding="utf-8")
        with serving(mirador) as mirador_url, sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            tiles: list[tuple[int, str]] = []
            page.on("response", lambda r: f"/tiles/{tile_set.name}/" in r.url and r.url.endswith(".jpg")
                    and tiles.append((r.status, r.url)))
            try:
                # Another origin than the edition's (localhost, not 127.0.0.1): CORS is needed.
                page.goto(mirador_url.replace("127.0.0.1", "localhost"))
                title = layout["edition"]["title"]
                sync_api.expect(page.get_by_text(f"{title}, Saturday, November 28, 2026").first).to_be_visible(timeout=60_000)
                sync_api.expect(page.get_by_text("1 of 18")).to_be_visible(timeout=30_000)
                page.wait_for_function("document.querySelector('canvas') !== null", timeout=30_000)
                page.wait_for_timeout(2_000)
                assert tiles and {status for status, _ in tiles} == {200}, tiles
                first = min(_scale_factor(u, info["width"]) for _, u in tiles)

                for _ in range(5):
                    page.get_by_role("button", name="Zoom in").first.click()
                    page.wait_for_timeout(600)
                page.wait_for_timeout(3_000)
                deepest = min(_scale_factor(u, info["width"]) for _, u in tiles)
                assert deepest <= 1.0 < first, (first, deepest)
                assert {status for status, _ in tiles} == {200}

                page.get_by_role("tab", name="Table of contents").click()
                manifest = json.loads((edition / "manifest.json").read_text())
                sections = [next(iter(s["label"].values()))[0] for s in manifest["structures"]]
                assert len(sections) > 5
                toc = page.get_by_role("tree")
                for section in sections:
                    sync_api.expect(toc.get_by_text(section, exact=True)).to_be_visible()
                # The first page's section is open: its articles are listed by headline.
                front = [a for p in layout["pages"] if p["section"] == "Front" for a in p["articles"]]
                headlines = [next(iter(item["label"].values()))[0] for item in manifest["structures"][0]["items"]
                             if item["type"] == "Range"]
                assert len(headlines) == len({a["id"] for a in front})
                for headline in headlines:
                    sync_api.expect(toc.get_by_text(headline, exact=True)).to_be_visible()
                assert errors == []
            except BaseException:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                shot = ARTIFACTS / "mirador-failure.png"
                page.screenshot(path=str(shot))
                print(f"Mirador screenshot kept at {shot}")
                raise
            finally:
                browser.close()
