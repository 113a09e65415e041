"""Helpers for the browser tests: Debian's chromium for a test module, epaper's own server (gzip, port 0)
for an output folder, and a CSP-safe wait."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from served import serving

__all__ = ["CHROMIUM", "LAUNCH_ARGS", "browser", "playwright_or_skip", "serve", "served_sample", "wait_until"]

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


def playwright_or_skip():
    """Playwright's sync API, for a browser test module to call at its top: the module is skipped
    where Debian's chromium or Playwright is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make browser installs it)",
                    allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make test-deps)")


@pytest.fixture(scope="module")
def browser():
    """Headless chromium for a test module (import this fixture into the module that uses it)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make test-deps)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """``epaper serve``'s server for ``directory`` (gzip as a reader's browser gets it); yields its
    URL without the trailing slash."""
    with serving(Path(directory)) as url:
        yield url.rstrip("/")


@contextlib.contextmanager
def served_sample(sample_build) -> Iterator[dict]:
    """The sample edition's build served: its URLs, its folder and its layout.json (the browser
    modules add what else they read)."""
    result, out_root = sample_build
    out_dir = Path(result.out_dir)
    with serve(Path(out_root)) as url:
        yield {
            "root_url": url,
            "url": f"{url}/{out_dir.name}/",
            "out_dir": out_dir,
            "layout": json.loads((out_dir / "layout.json").read_text()),
        }


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll a JS expression with page.evaluate. (Playwright's wait_for_function re-evaluates its
    predicate with eval(), which the pages' strict CSP rightly refuses.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"  # npm ci


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def chosen_from_the_strip_comes_up(page, choose) -> None:
    """In one scrolling column (a phone, a small tablet) the thumbnails are under the page: one
    chosen there (``choose(locator)``: a click, a tap), with the page scrolled off the screen above,
    turns the page and brings it up, its toolbar at the screen's top."""
    thumb = page.locator(".thumbs a").nth(3)
    # Scrolled to the strip's middle: the whole page fits the screen as the viewer opens, so the
    # strip starts just under its edge and "if needed" scrolled too little to leave the page.
    thumb.evaluate("e => e.scrollIntoView({block: 'center'})")
    assert page.locator("#main").bounding_box()["y"] < -100  # the page is above the screen now
    choose(thumb)
    wait_until(page, "window.epaper.state.page === 4")
    page.wait_for_timeout(300)
    top = page.locator("#main").bounding_box()["y"]
    assert -2 <= top <= 2, top
