"""The viewer's page on a phone, as a second outside phone-reader audit found it (Chromium, touch,
mobile mode, 360 × 740, 412 × 915 and 740 × 360):

- "Fit" left the page's foot under the screen's edge (the page view was the page fitted to the
  width, under 329 px of chrome; on its side only the masthead showed), and a vertical drag on the
  page panned it, even into grey, and never scrolled the document to what is under the page;
- links over the page too small to tap: the front's "Continued on page 2" 26 × 4 px, the refer box's
  entries 52 × 20 (axe-core's target-size, WCAG 2.5.8);
- the whole edition's PDF hidden at a phone's width, but under "All downloads" at the very foot;
- the archive calendar's count of a day's editions 27 × 24 px;
- Latin digits in Devanagari text ("38", "4,200") drawn in a Latin serif, larger and heavier than the
  Devanagari around them (the web face's rules covered Devanagari only).

The sample edition built once and served by ``epaper serve``'s server, read in Debian's chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from browser_support import (AXE, browser, chosen_from_the_strip_comes_up, playwright_or_skip, serve,  # noqa: F401
                             served_sample, wait_until)  # (browser: a fixture)

sync_api = playwright_or_skip()
expect = sync_api.expect

pytestmark = pytest.mark.slow

PHONES = ((360, 740), (412, 915), (740, 360))
HIT = 24  # CSS px: WCAG 2.5.8's least target


@pytest.fixture(scope="module")
def site(sample_build):
    with served_sample(sample_build) as served:
        documents = json.loads((served["out_dir"] / "search.json").read_text())["documents"]
        yield {**served, "docs": documents}


class Phone:
    def __init__(self, browser, width: int, height: int, **options) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=2,
                                           is_mobile=True, has_touch=True, **options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def __enter__(self):
        return self.page

    def __exit__(self, *exc) -> None:
        self.context.close()
        if exc[0] is None:
            assert self.errors == []


def open_viewer(page, url: str, fragment: str = "#p=1") -> None:
    page.goto(url + "index.html" + fragment)
    wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=20)


def settled(page) -> None:
    wait_until(page, "Math.abs(window.epaper.viewer.viewport.getZoom(false) - window.epaper.viewer.viewport.getZoom(true)) < 1e-6")
    page.wait_for_timeout(100)


def fit(page) -> None:
    page.locator("#zoom-home").click()
    settled(page)


# The page image as drawn (OpenSeadragon's item), in the document's CSS px, and the visual viewport.
DRAWN = """() => { const v = window.epaper.viewer, b = v.world.getItemAt(0).getBounds(true);
  const tl = v.viewport.viewportToViewerElementCoordinates(b.getTopLeft());
  const br = v.viewport.viewportToViewerElementCoordinates(b.getBottomRight());
  const r = document.querySelector('#page-view').getBoundingClientRect();
  return {left: r.x + tl.x, top: r.y + tl.y, right: r.x + br.x, bottom: r.y + br.y,
          width: visualViewport.width, height: visualViewport.height}; }"""


@pytest.mark.parametrize("width, height", PHONES)
def test_fit_shows_the_whole_page_on_the_screen(browser, site, width, height):
    """The audit: at 360 × 740 the page's foot was 167 px under the screen's edge after "Fit"; on
    its side (740 × 360) the page view was 1189 px tall under 179 px of chrome."""
    with Phone(browser, width, height) as page:
        open_viewer(page, site["url"])
        fit(page)
        drawn = page.evaluate(DRAWN)
        where = f"{width} × {height}: page drawn {drawn}"
        assert drawn["left"] >= -1 and drawn["top"] >= -1, where
        assert drawn["right"] <= drawn["width"] + 1 and drawn["bottom"] <= drawn["height"] + 1, where
        # The page fills the view one way (fitted, not shrunk) and the chrome took its share only.
        view = page.locator("#page-view").bounding_box()
        assert (drawn["right"] - drawn["left"] >= view["width"] - 2) or (drawn["bottom"] - drawn["top"] >= view["height"] - 2), where
        assert drawn["bottom"] - drawn["top"] >= 0.8 * height - 110, where


def touch_drag(page, x: float, y: float, dx: float, dy: float) -> None:
    """A finger's drag, through the browser's own input (touch-action and scrolling apply)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 11):
        page.wait_for_timeout(16)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + dx * i / 10, "y": y + dy * i / 10}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(400)
    cdp.detach()


CENTRE = "window.epaper.viewer.viewport.getCenter(true).y"


@pytest.mark.parametrize("width, height", ((360, 740), (740, 360)))
def test_a_vertical_drag_at_fit_scrolls_the_document_and_zoomed_in_pans(browser, site, width, height):
    """The audit: a vertical drag on the page panned the image (into grey past its foot) and the
    document never scrolled: the thumbnails and the story list under the page were out of reach."""
    with Phone(browser, width, height) as page:
        open_viewer(page, site["url"])
        fit(page)
        view = page.locator("#page-view").bounding_box()
        x, y = view["x"] + view["width"] / 2, min(view["y"] + view["height"] / 2, height - 40)
        scrolled, centre = page.evaluate("scrollY"), page.evaluate(CENTRE)
        touch_drag(page, x, y, 0, -120)
        assert page.evaluate("scrollY") > scrolled + 60, "the document scrolled under the finger"
        assert page.evaluate(CENTRE) == pytest.approx(centre, abs=1e-3), "the page stayed where it was fitted"
        # Zoomed in, the same drag pans the page and the document stays.
        fit(page)
        page.locator("#zoom-in").click()
        page.locator("#zoom-in").click()
        settled(page)
        view = page.locator("#page-view").bounding_box()
        x, y = view["x"] + view["width"] / 2, view["y"] + view["height"] / 2
        scrolled, centre = page.evaluate("scrollY"), page.evaluate(CENTRE)
        touch_drag(page, x, y, 0, -80)
        settled(page)
        assert page.evaluate("scrollY") == pytest.approx(scrolled, abs=2)
        assert page.evaluate(CENTRE) > centre + 0.01, "the page panned"


LINKS = """() => [...document.querySelectorAll('#page-view a')].map(a => { const r = a.getBoundingClientRect();
  return {name: a.textContent.trim().slice(0, 40) || a.dataset.article, jump: a.classList.contains('jump-link'),
          x: r.x, y: r.y, w: r.width, h: r.height}; })"""


@pytest.mark.parametrize("width, height", ((360, 740), (390, 844), (412, 915)))
def test_every_link_over_the_fitted_page_is_a_fingers_target(browser, site, width, height):
    """The audit: the front's "Continued on page 2" was 26 × 4 px, the refer box's entries 52 × 20,
    a hair apart (axe-core target-size, 5 elements). Each is tapped in an area at least 24 px each
    way now, and no area lies over another's (but a jump line over its own story)."""
    with Phone(browser, width, height, bypass_csp=True) as page:
        open_viewer(page, site["url"])
        fit(page)
        links = page.evaluate(LINKS)
        assert len(links) > 10
        small = [link for link in links if min(link["w"], link["h"]) < HIT - 0.01]
        assert small == [], small
        small_drawn = page.evaluate("[...document.querySelectorAll('#page-view a.grown')].length")
        assert small_drawn >= 5, "the small links are drawn at their printed size inside their areas"
        jumps = [link for link in links if link["jump"]]  # the refer entries and jump lines
        for i, a in enumerate(jumps):
            for b in jumps[i + 1:]:
                across = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
                along = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
                assert across <= 0.5 or along <= 0.5, (a, b)
        if AXE.is_file():
            page.add_script_tag(path=str(AXE))
            found = page.evaluate("axe.run(document, {runOnly: ['target-size']})"
                                  ".then(r => r.violations.map(v => [v.id, v.nodes.map(n => n.target)]))")
            assert found == []


def test_a_grown_link_still_leads_where_it_did(browser, site):
    """The front's "Continued on page 2" (4 px high as drawn) tapped in its grown area: page 2."""
    with Phone(browser, 360, 740) as page:
        open_viewer(page, site["url"])
        fit(page)
        link = page.locator('#page-view a.jump-link.grown[href^="#p=2&h="]').first
        drawn, area = link.locator(".box").bounding_box(), link.bounding_box()
        assert drawn["height"] < HIT <= area["height"]
        page.touchscreen.tap(area["x"] + area["width"] / 2, area["y"] + 2)  # off the drawn line, in the area
        wait_until(page, "window.epaper.state.page === 2")


def test_the_edition_pdf_is_in_the_top_controls_on_a_phone(browser, site):
    """The audit: at a phone's width the whole edition's PDF was only under "All downloads", at
    the very foot of the page."""
    with Phone(browser, 360, 740) as page:
        open_viewer(page, site["url"])
        pdf = page.locator(".masthead a.download-edition")
        expect(pdf).to_be_visible()
        box = pdf.bounding_box()
        assert box["y"] + box["height"] <= page.locator("#page-view").bounding_box()["y"]
        assert min(box["width"], box["height"]) >= 44 - 0.5
        assert pdf.get_attribute("href").endswith(".pdf")


def test_the_calendars_count_of_a_days_editions_is_a_fingers_size(browser, tmp_path):
    """The audit: a day of four editions showed "4" in a badge 27 × 24 px."""
    from epaper.web.archive import write_archive

    root = tmp_path / "out"
    for date, edition in (("2026-11-28", "city"), ("2026-11-28", "harbour"), ("2026-11-28", "north shore"),
                          ("2026-11-28", "late"), ("2026-11-27", "city")):
        folder = root / f"the-test-courier-{date}-{edition.replace(' ', '-')}"
        folder.mkdir(parents=True)
        (folder / "layout.json").write_text(json.dumps({"edition": {
            "id": folder.name, "title": "The Test Courier", "date": date, "edition": edition}, "pages": []}))
    write_archive(root)
    with serve(root) as url, Phone(browser, 360, 740) as page:
        page.goto(url + "/index.html")
        count = page.locator("a.day-editions")
        expect(count).to_have_text("4")
        box = count.bounding_box()
        assert min(box["width"], box["height"]) >= 44 - 0.5, box
        count.tap()
        wait_until(page, "location.hash === '#d-2026-11-28'")


# The fonts a node's text was drawn in (Chromium's own account), for the first run of Latin digits in
# Devanagari text under `selector`, wrapped in a span for the asking.
PROBE = r"""(selector) => { const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) { const m = /[0-9]+/.exec(n.data);
    if (m && /[\u0900-\u097f]/.test(n.data)) { const range = document.createRange();
      range.setStart(n, m.index); range.setEnd(n, m.index + m[0].length);
      const probe = document.createElement('span'); probe.id = 'digits-probe'; range.surroundContents(probe); return probe.textContent; } }
  return null; }"""


def digit_fonts(page, selector: str) -> tuple[str, set[str]]:
    digits = page.evaluate(PROBE, selector)
    assert digits, f"no Latin digits in Devanagari text under {selector}"
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(200)
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#digits-probe"})["nodeId"]
        fonts = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    finally:
        cdp.detach()
    return digits, fonts


def devanagari_faces() -> set[str]:
    from epaper.web.assets import STATIC_DIR

    faces = (STATIC_DIR / "fonts" / "faces.css").read_text(encoding="utf-8")
    return {"Noto Serif Devanagari", *re.findall(r'local\("([^"]+)"\)', faces)}


def test_digits_in_devanagari_text_are_the_devanagari_faces(browser, site):
    """The audit: "38" in a Hindi story (its text view, the viewer's text mode) was drawn in a Latin
    serif (DejaVu Serif here), not in the Devanagari face around it. An English story's digits stay
    in the Latin fonts."""
    story = next(d for d in site["docs"] if (d.get("lang") or "").startswith("hi") and re.search(r"[0-9]", d["text"]))
    english = next(d for d in site["docs"] if not (d.get("lang") or "en").startswith("hi") and re.search(r"[0-9]", d["text"]))
    faces = devanagari_faces()
    with Phone(browser, 412, 915) as page:
        page.goto(site["url"] + story["href"])
        digits, fonts = digit_fonts(page, "article")
        assert fonts and fonts <= faces, (digits, fonts)
        open_viewer(page, site["url"], f"#p={story['page']}")
        page.locator("#text-mode").click()
        expect(page.locator(f'#page-text-body article[data-article="{story["id"]}"]')).to_be_visible()
        digits, fonts = digit_fonts(page, f'#page-text-body article[data-article="{story["id"]}"]')
        assert fonts and fonts <= faces, (digits, fonts)
        page.goto(site["url"] + english["href"])
        page.evaluate("document.fonts.ready.then(() => true)")
        drawn = page.evaluate("""() => { const p = [...document.querySelectorAll('article p')].find(p => /[0-9]/.test(p.textContent));
            return getComputedStyle(p).fontFamily; }""")
        assert "Devanagari Digits" not in drawn, drawn


@pytest.fixture(scope="module")
def hindi_site(tmp_path_factory):
    from epaper.build import build_edition
    from hindi_edition import make_hindi_edition

    root = tmp_path_factory.mktemp("hindi-fit")
    make_hindi_edition(root / "edition")
    result = build_edition(root / "edition", root / "out")
    out_dir = Path(result.out_dir)
    with serve(root / "out") as url:
        yield {"url": f"{url}/{out_dir.name}/",
               "docs": json.loads((out_dir / "search.json").read_text())["documents"]}


def test_digits_in_the_hindi_chrome_and_its_stories_are_the_devanagari_faces(browser, hindi_site):
    """A Hindi edition (Latin digits): its stories' digits and its chrome's (the masthead's date)."""
    faces = devanagari_faces()
    story = next(d for d in hindi_site["docs"] if re.search(r"[0-9]", d["text"]))
    with Phone(browser, 412, 915) as page:
        page.goto(hindi_site["url"] + story["href"])
        digits, fonts = digit_fonts(page, "article")
        assert fonts and fonts <= faces, (digits, fonts)
        open_viewer(page, hindi_site["url"])
        digits, fonts = digit_fonts(page, ".masthead")
        assert fonts and fonts <= faces, (digits, fonts)
        # The proof sheet too: a Hindi desk reads its figures there.
        page.goto(hindi_site["url"] + "report.html")
        digits, fonts = digit_fonts(page, "main")
        assert fonts and fonts <= faces, (digits, fonts)


def test_the_page_gets_the_phones_screen_as_the_viewer_opens(browser, site):
    """A third phone audit: upright at 360 × 740 the chrome over the page (masthead, date, search,
    "Save edition", "Edition PDF" on a row of its own, the sections bar, the toolbar in two rows) took
    313 px and the page's foot was 150 px under the screen's edge; on its side (740 × 360) the page was
    drawn 189 px wide, in a view that began 185 px down. Upright the page view begins 170 px down at
    most now, the whole page on the screen, and every control is still shown, a finger's size; on
    its side the page is larger, and whole on the screen as it opens."""
    with Phone(browser, 360, 740, bypass_csp=True) as page:
        open_viewer(page, site["url"])
        settled(page)
        drawn = page.evaluate(DRAWN)
        assert drawn["top"] <= 170 and drawn["bottom"] <= drawn["height"] + 1, drawn
        assert drawn["right"] - drawn["left"] >= 360 - 2, drawn  # the screen's width
        controls = ["a.archive-link", "#search-input", "#save-edition", ".masthead a.download-edition", ".sections a",
                    "#prev-page", "#page-indicator", "#next-page", "#text-mode", "#zoom-out", "#zoom-in",
                    "#zoom-home", "#page-pdf"]
        for selector in controls:
            expect(page.locator(selector).first).to_be_visible()
            box = page.locator(selector).first.bounding_box()
            assert box["y"] + box["height"] <= drawn["top"] + 1, selector  # over the page, on the screen
            if selector != "#page-indicator":
                assert min(box["width"], box["height"]) >= 44 - 0.5, (selector, box)
        # Named as before, though drawn as icons.
        expect(page.locator("#save-edition")).to_have_accessible_name(re.compile(r"^Save edition"))
        expect(page.locator(".masthead a.download-edition")).to_have_accessible_name(re.compile(r"^Edition PDF"))
        expect(page.locator("a.archive-link")).to_have_accessible_name("Archive")
        if AXE.is_file():
            page.add_script_tag(path=str(AXE))
            found = page.evaluate("axe.run(document).then(r => r.violations.map(v => [v.id, v.nodes.map(n => n.target)]))")
            assert found == []
    with Phone(browser, 740, 360) as page:
        open_viewer(page, site["url"])
        settled(page)
        drawn = page.evaluate(DRAWN)
        assert drawn["top"] >= -1 and drawn["bottom"] <= drawn["height"] + 1, drawn
        assert drawn["right"] - drawn["left"] >= 195, drawn  # 189 px before


@pytest.mark.parametrize("touch", (True, False))
def test_a_landscape_tablet_has_the_chrome_in_few_rows_and_the_refer_box_a_fingers_targets(browser, site, touch):
    """An outside audit at 1024 × 768 (a tablet on its side): the chrome took 289 of 768 px (the
    masthead 139 px in two rows, the toolbar 107 in two, "Page PDF" wrapped), the page was drawn 298 ×
    479 px, and five of the refer box's links were grown to 43 × 20–23 px only: at that size the eight
    entries had 190 px between the story over them and the page's foot, and 8 × 24.5 px do not go
    into it. The masthead and the toolbar are one row each now; the page is drawn larger, and every
    link over it is a finger's target."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=touch, bypass_csp=True)
    page = context.new_page()
    try:
        open_viewer(page, site["url"])
        settled(page)
        one_row = """s => { const tops = [...document.querySelector(s).children].filter(e => e.offsetParent !== null)
            .map(e => e.getBoundingClientRect()); return Math.max(...tops.map(r => r.top)) < Math.min(...tops.map(r => r.bottom)); }"""
        assert page.evaluate(f"({one_row})('.toolbar')"), "the toolbar in one row"
        assert page.evaluate(f"({one_row})('.masthead')"), "the masthead in one row"
        view = page.locator("#page-view").bounding_box()
        assert view["y"] <= 160, view
        drawn = page.evaluate(DRAWN)
        assert drawn["bottom"] - drawn["top"] >= 600 and drawn["bottom"] <= 768 + 2, drawn
        links = page.evaluate(LINKS)
        small = [link for link in links if min(link["w"], link["h"]) < HIT - 0.01]
        assert small == [], small
        if AXE.is_file():
            page.add_script_tag(path=str(AXE))
            found = page.evaluate("axe.run(document, {runOnly: ['target-size']})"
                                  ".then(r => r.violations.map(v => [v.id, v.nodes.map(n => n.target)]))")
            assert found == []
    finally:
        context.close()


# The viewer's every layout, as it opens: the phone's (touch, mobile), the one column of a small tablet
# or a narrow window (641 to 960 px wide), a tablet on its side and a laptop.
FIRST_VIEWS = ((360, 740, True), (390, 844, True), (641, 700, False), (700, 560, False), (800, 1280, False),
               (960, 600, False), (1024, 768, False), (1366, 768, False))


def whole_on_screen(page, width: int, height: int) -> dict:
    """The page drawn whole on the screen under the chrome, fitted into its view (not shrunk)."""
    settled(page)
    drawn = page.evaluate(DRAWN)
    view = page.locator("#page-view").bounding_box()
    toolbar = page.locator(".toolbar").bounding_box()
    where = f"{width} × {height}: page drawn {drawn}, view {view}"
    assert drawn["top"] >= -1 and drawn["left"] >= -1, where
    assert drawn["bottom"] <= height + 1 and drawn["right"] <= width + 1, where
    assert toolbar["y"] >= -1 and toolbar["y"] + toolbar["height"] <= drawn["top"] + 1, where  # the toolbar over it, on screen
    assert (drawn["right"] - drawn["left"] >= view["width"] - 2) or (drawn["bottom"] - drawn["top"] >= view["height"] - 2), where
    return drawn


class Window(Phone):
    """A tablet's or a laptop's browser window: no touch, no mobile mode."""

    def __init__(self, browser, width: int, height: int) -> None:  # (not Phone's: a phone's context)
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))


@pytest.mark.parametrize("width, height, phone", FIRST_VIEWS)
def test_the_whole_page_is_on_the_screen_as_the_viewer_opens(browser, site, width, height, phone):
    """An accessibility audit at 700 × 560 (a small tablet, a short window): between 641 and 960 px
    the page view was the stylesheet's 78vh under 176 px of chrome, and the page's foot was 53 px
    under the screen's edge as the viewer opened (641 × 700: 22 px; 960 × 600: 18 px). The page view
    is the room the chrome leaves now, the whole page on the screen, as on a phone and a desktop."""
    with (Phone if phone else Window)(browser, width, height) as page:
        open_viewer(page, site["url"])
        assert page.evaluate("scrollY") == 0
        whole_on_screen(page, width, height)


def test_a_window_narrowed_to_a_small_tablets_size_keeps_the_page_whole(browser, site):
    """The page view sized again as a laptop's window is made 700 × 560 (it kept the 78vh, the page's
    foot off the screen), and again as it is widened back."""
    with Window(browser, 1366, 768) as page:
        open_viewer(page, site["url"])
        whole_on_screen(page, 1366, 768)
        for width, height in ((700, 560), (1366, 768)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(400)  # (viewer.js sizes the view 150 ms after the last resize)
            whole_on_screen(page, width, height)


def test_a_page_chosen_under_the_page_on_a_small_tablet_is_brought_up(browser, site):
    """In the one column of a 700 × 560 window the thumbnails are under the page, as on a phone: a
    page chosen there was turned off the screen, the document left scrolled to the strip."""
    with Window(browser, 700, 560) as page:
        open_viewer(page, site["url"])
        chosen_from_the_strip_comes_up(page, lambda thumb: thumb.click())
        whole_on_screen(page, 700, 560)
