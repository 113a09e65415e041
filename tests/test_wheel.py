"""A wheel built from a clean checkout, installed outside it, builds the sample with a zooming viewer.

What a user of ``pip install`` gets: OpenSeadragon and its licence inside the wheel (taken from the
npm package when the wheel is built, see setup.py), no setuptools warnings while building, and a build
without OpenSeadragon refused loudly rather than a viewer that cannot zoom.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from served import serving

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
VENDOR = "epaper/web/static/vendor/openseadragon/"
# What setuptools says when the configuration is out of date (licence table, data declared the old way).
SETUPTOOLS_COMPLAINT = re.compile(r"Warning|deprecated|is absent from the `packages`|!!", re.IGNORECASE)
HARMLESS = re.compile(r"byte-compiling is disabled|^WARNING: Location '")  # pip -v chatter, this machine's index

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=timeout)


@pytest.fixture(scope="module")
def clean_checkout(tmp_path_factory) -> Path:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: a wheel needs OpenSeadragon from npm")
    head = _run("git", "-C", REPO, "rev-parse", "HEAD").stdout.strip()
    clone = tmp_path_factory.mktemp("clone") / "epaper"
    assert _run("git", "clone", "--quiet", "--no-checkout", REPO, clone).returncode == 0
    checkout = _run("git", "-C", clone, "checkout", "--quiet", "--detach", head)
    assert checkout.returncode == 0, checkout.stderr
    return clone


def test_a_wheel_without_openseadragon_is_refused(clean_checkout, tmp_path):
    assert not (clean_checkout / "node_modules").exists()
    result = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp_path, clean_checkout)
    assert result.returncode != 0
    assert "OpenSeadragon" in result.stdout + result.stderr and "npm ci --omit=dev" in result.stdout + result.stderr
    assert not list(tmp_path.glob("*.whl"))


def test_the_wheel_carries_openseadragon_and_builds_a_zooming_sample(clean_checkout, tmp_path):
    npm = _run("npm", "ci", "--omit=dev", "--no-audit", "--no-fund", cwd=clean_checkout)
    assert npm.returncode == 0, npm.stderr
    dist = tmp_path / "dist"
    built = _run(sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", dist, clean_checkout)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    complaints = [line for line in (built.stdout + built.stderr).splitlines()
                  if SETUPTOOLS_COMPLAINT.search(line) and not HARMLESS.search(line)]
    assert complaints == []
    (wheel,) = dist.glob("epaper-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {VENDOR + "openseadragon.min.js", VENDOR + "LICENSE.txt", "epaper/web/static/viewer.js",
            "epaper/_fonts/fonts.yaml", "epaper/typeset/patterns/hyph_hi_IN.dic",
            "epaper/i18n/po/en.po", "epaper/i18n/po/hi.po", "epaper/i18n/po/mr.po",
            "epaper/web/static/fonts/faces.css", "epaper/web/static/fonts/noto-serif-devanagari-400.woff2",
            "epaper/web/static/fonts/noto-serif-devanagari-700.woff2", "epaper/web/static/fonts/OFL.txt"} <= names
    assert any(n.startswith(VENDOR + "images/") for n in names)

    venv = tmp_path / "venv"  # outside the checkout: nothing can be found through node_modules
    assert _run(sys.executable, "-m", "venv", venv).returncode == 0
    installed = _run(venv / "bin" / "pip", "install", "-q", wheel)
    assert installed.returncode == 0, installed.stderr[-3000:]
    out = tmp_path / "output"
    build = _run(venv / "bin" / "epaper", "build", clean_checkout / "sample-edition", "--out", out, cwd=tmp_path)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (edition,) = [p for p in out.iterdir() if (p / "manifest.json").is_file()]
    osd = edition / "static/vendor/openseadragon"
    assert (osd / "openseadragon.min.js").is_file() and "OpenSeadragon contributors" in (osd / "LICENSE.txt").read_text()
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with serving(out) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        tiles: list[int] = []
        page.on("response", lambda r: "/tiles/" in r.url and r.url.endswith(".jpg") and tiles.append(r.status))
        page.goto(f"{url}{edition.name}/index.html#page=1")
        # Polled with evaluate: wait_for_function re-evaluates with eval(), which the viewer's CSP refuses.
        loaded = ("!!(window.OpenSeadragon && window.epaper && window.epaper.viewer && "
                  "window.epaper.viewer.world.getItemCount() === 1 && "
                  "window.epaper.viewer.world.getItemAt(0).getFullyLoaded())")
        for _ in range(600):
            if page.evaluate(loaded):
                break
            page.wait_for_timeout(100)
        assert page.evaluate(loaded), "the viewer's OpenSeadragon did not load the page's tiles in 60 s"
        browser.close()
    assert tiles and set(tiles) == {200}
    manifest = json.loads((edition / "manifest.json").read_text())
    assert manifest["id"].startswith("http://127.0.0.1:8000/")
