"""The reader's epaper on a phone (390x844, touch) and a desktop, in Debian's chromium: stories read in
place, double tap, escape, deep links, the page as text, read aloud (speech stubbed), share, saving for
offline reading, the archive calendar, search from disk, axe-core, and the first view's weight.

The sample edition is built once per session and served over http on port 0 by ``epaper serve``'s
server (service workers need http; the byte budget counts what it sends, gzip included).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from browser_support import (AXE, browser, chosen_from_the_strip_comes_up, playwright_or_skip, run_axe,  # noqa: F401
                             served_sample, wait_until)  # (browser: a fixture)

sync_api = playwright_or_skip()
expect = sync_api.expect

pytestmark = pytest.mark.slow

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
FIRST_VIEW_BUDGET = 400_000  # bytes transferred on a phone before the first page is readable
SHOTS = Path("/tmp/epaper-reader-shots")

# Speech synthesis stubbed: voices as a device would list them, and every utterance recorded.
SPEECH_STUB = """
(() => {
  const voices = %s;
  const spoken = [];
  let paused = false;
  const synth = {
    get paused() { return paused; }, speaking: false, pending: false,
    getVoices: () => voices.map(lang => ({lang, name: 'stub ' + lang, default: false, localService: true, voiceURI: lang})),
    speak: (u) => spoken.push({text: u.text, lang: u.lang}),
    cancel: () => { spoken.push({cancel: true}); },
    pause: () => { paused = true; }, resume: () => { paused = false; },
    addEventListener: () => {}, removeEventListener: () => {},
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.lang = ''; this.voice = null; } };
  window.__spoken = spoken;
})();
"""


@pytest.fixture(scope="module")
def site(sample_build):
    with served_sample(sample_build) as served:
        documents = json.loads((served["out_dir"] / "search.json").read_text())["documents"]
        yield {**served, "docs": {d["id"]: d for d in documents}}


class Context:
    """A browser context and its page, with every console error and uncaught exception collected."""

    def __init__(self, browser, **options) -> None:
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))

    def close(self) -> None:
        self.context.close()


def _context(browser, **options):
    """A browser context for a test, closed after it, which must have had no console error."""
    ctx = Context(browser, **options)
    yield ctx
    ctx.close()
    assert ctx.problems == []


@pytest.fixture
def phone(browser):
    yield from _context(browser, **PHONE)


@pytest.fixture
def desktop(browser):
    yield from _context(browser, viewport={"width": 1280, "height": 860})


def open_viewer(page, site, fragment: str = "") -> None:
    page.goto(site["url"] + "index.html" + fragment)
    wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=20)


def jumped_story(site) -> tuple[int, dict]:
    """A story that starts on a page and is continued on another (its panel must hold both parts)."""
    for page in site["layout"]["pages"]:
        for article in page["articles"]:
            if article.get("continued_to"):
                return page["number"], article
    pytest.skip("the sample edition has no jumped story")


def box_centre(page, article_id: str) -> tuple[float, float]:
    box = page.locator(f'#page-view a.hotspot[data-article="{article_id}"]').first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def zoom(page) -> float:
    return page.evaluate("window.epaper.zoom()")


def settled(page) -> None:
    wait_until(page, "!window.epaper.viewer || Math.abs(window.epaper.viewer.viewport.getZoom(false) - "
                     "window.epaper.viewer.viewport.getZoom(true)) < 1e-6")


def panel_frame(page):
    return page.frame_locator("#reader-frame")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_tap_a_story_reads_it_in_place_with_the_jumped_part(phone, site):
    page = phone.page
    number, article = jumped_story(site)
    doc = site["docs"][article["id"]]
    open_viewer(page, site, f"#p={number}")
    assert page.locator(f'#page-view a.hotspot[data-article="{article["id"]}"]').count() >= 1
    page.touchscreen.tap(*box_centre(page, article["id"]))
    dialog = page.locator("dialog#reader")
    expect(dialog).to_have_attribute("open", "")
    assert page.evaluate("document.querySelector('#reader').matches(':modal')"), "the panel is a modal dialog"
    expect(page.locator("#reader-title")).to_have_text(doc["headline"])
    assert page.evaluate("document.activeElement.closest('#reader') !== null"), "focus moved into the panel"
    frame = panel_frame(page)
    expect(frame.locator("h1")).to_have_text(doc["headline"])
    last_paragraph = doc["text"].split("\n")[-1]
    expect(frame.locator(".body")).to_contain_text(last_paragraph[:60])  # the part printed on the next page
    assert page.evaluate("window.epaper.state.page") == number
    assert re.search(rf"#p={number}&a={re.escape(article['id'])}$", page.url)
    shot(page, "phone-panel")


def test_double_tap_zooms_and_stays_on_the_page(phone, site):
    page = phone.page
    number, article = jumped_story(site)
    open_viewer(page, site, f"#p={number}")
    before = zoom(page)
    x, y = box_centre(page, article["id"])
    # The gap between the two taps as the page saw it: on a loaded machine the second tap can reach
    # the page later than a double tap's 320 ms, which a reader's fingers never do; then try again.
    page.evaluate("""() => { window.__downs = [];
        document.addEventListener('pointerdown', e => window.__downs.push(e.timeStamp), true); }""")
    for _attempt in range(3):
        page.evaluate("window.__downs.length = 0")
        page.touchscreen.tap(x, y)
        page.touchscreen.tap(x, y)
        page.wait_for_timeout(900)
        downs = page.evaluate("window.__downs")
        if downs[-1] - downs[0] < 250:
            break
        if page.locator("dialog#reader[open]").count():
            page.keyboard.press("Escape")
            expect(page.locator("dialog#reader")).not_to_have_attribute("open", "")
    settled(page)
    assert zoom(page) > 1.5 * before
    expect(page.locator("dialog#reader")).not_to_have_attribute("open", "")
    assert page.evaluate("window.epaper.state.page") == number
    assert page.url.endswith(f"#p={number}")
    shot(page, "phone-zoomed")


def test_escape_returns_to_the_same_page_and_zoom(phone, site):
    page = phone.page
    number, article = jumped_story(site)
    open_viewer(page, site, f"#p={number}")
    page.locator("#zoom-in").click()
    settled(page)
    zoomed = zoom(page)
    assert zoomed > 1.3
    centre = page.evaluate("(() => { const c = window.epaper.viewer.viewport.getCenter(true); return [c.x, c.y]; })()")
    # A story still on screen at this zoom: the first hotspot whose centre is inside the view.
    x, y = page.evaluate("""() => {
        const r = document.querySelector('#page-view').getBoundingClientRect();
        for (const a of document.querySelectorAll('#page-view a.hotspot')) {
            const b = a.getBoundingClientRect(), x = b.left + b.width / 2, y = b.top + Math.min(b.height / 2, 40);
            if (x > r.left && x < r.right && y > r.top && y < Math.min(r.bottom, innerHeight)) return [x, y];
        }
        return null;
    }""")
    page.touchscreen.tap(x, y)
    expect(page.locator("dialog#reader")).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(page.locator("dialog#reader")).not_to_have_attribute("open", "")
    settled(page)
    assert page.evaluate("window.epaper.state.page") == number
    assert zoom(page) == pytest.approx(zoomed, rel=0.02)
    after = page.evaluate("(() => { const c = window.epaper.viewer.viewport.getCenter(true); return [c.x, c.y]; })()")
    assert after == pytest.approx(centre, abs=0.01)
    assert page.url.endswith(f"#p={number}")


def test_keyboard_opens_the_panel_and_escape_restores_focus(desktop, site):
    page = desktop.page
    first = site["layout"]["pages"][0]["articles"][0]
    open_viewer(page, site, "#p=1")
    hotspot = page.locator(f'#page-view a.hotspot[data-article="{first["id"]}"]').first
    hotspot.focus()
    page.keyboard.press("Enter")
    expect(page.locator("dialog#reader")).to_have_attribute("open", "")
    # The story is there to read first, as a reader sees it. Escape pressed inside its frame is
    # passed up by the frame's deferred script, which marks the frame's page ``in-panel`` as it
    # starts listening: the headline is on screen before that (the whole suite on a busy machine
    # once pressed Escape in between and found the dialog still open).
    expect(panel_frame(page).locator("h1")).to_have_text(site["docs"][first["id"]]["headline"])
    expect(panel_frame(page).locator("html.in-panel")).to_have_count(1)
    # Focus is trapped: tabbing round the panel never reaches the page behind it.
    for _ in range(8):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#reader') !== null || "
                             "document.activeElement === document.body"), "focus left the dialog"
    page.keyboard.press("Escape")
    expect(page.locator("dialog#reader")).not_to_have_attribute("open", "")
    assert page.evaluate(f"document.activeElement.dataset.article") == first["id"]
    assert page.url.endswith("#p=1")


def test_deep_link_opens_page_region_and_panel(phone, site):
    page = phone.page
    number, article = jumped_story(site)
    target = article["continued_to"]
    doc = site["docs"][article["id"]]
    open_viewer(page, site, f"#p={target}&a={article['id']}")
    assert page.evaluate("window.epaper.state.page") == target
    expect(page.locator(f'#page-view a.hotspot.is-active[data-article="{article["id"]}"]').first).to_be_attached()
    expect(page.locator("dialog#reader")).to_have_attribute("open", "")
    expect(panel_frame(page).locator("h1")).to_have_text(doc["headline"])
    # Closing a deep-linked panel stays on the page (there is no earlier entry of ours to go back to).
    page.locator("#reader-close").click()
    expect(page.locator("dialog#reader")).not_to_have_attribute("open", "")
    assert page.evaluate("window.epaper.state.page") == target


def test_share_uses_web_share_with_the_deep_link(phone, site):
    page = phone.page
    page.add_init_script("navigator.share = (d) => { window.__shared = d; return Promise.resolve(); };")
    number, article = jumped_story(site)
    open_viewer(page, site, f"#p={number}&a={article['id']}")
    page.locator("#reader-share").click()
    wait_until(page, "window.__shared !== undefined")
    shared = page.evaluate("window.__shared")
    assert shared["url"] == f"{site['url']}index.html#p={number}&a={article['id']}"
    assert shared["title"] == site["docs"][article["id"]]["headline"]
    # The IIIF Content State link names the story's region on its canvas.
    import base64

    href = page.locator("#reader-iiif").get_attribute("href")
    encoded = re.search(r"iiif-content=([A-Za-z0-9_-]+)", href).group(1)
    state = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    assert re.fullmatch(rf"{re.escape(site['url'])}canvas/{number}#xywh=\d+,\d+,\d+,\d+", state["id"])
    assert state["partOf"][0]["id"] == site["url"] + "manifest.json"


def test_phone_opens_fitted_to_width_with_stories_outlined(phone, site):
    page = phone.page
    open_viewer(page, site, "#p=1")
    _fitted_to_width(page, site, 390)
    # OpenSeadragon's canvas is a tab stop: named, as the page view around it (a region) is.
    assert page.locator(".openseadragon-canvas").get_attribute("role") == "group"
    assert page.locator(".openseadragon-canvas").get_attribute("aria-label") == "Page image with article links"
    assert page.get_by_role("region", name="Page image with article links").count() == 1
    colour = page.evaluate("getComputedStyle(document.querySelector('#page-view a.hotspot')).borderTopColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), "stories are outlined on a touch screen"
    shot(page, "phone-first-view")


def _fitted_to_width(page, site, width: int, height: int | None = None) -> None:
    """The first page fills the view's width (where the screen is tall enough for the page at its
    width under the page's toolbar: else the view's height, the whole page on the screen): a story's
    box scales by drawn page/page, and the view is the screen's width."""
    view = page.locator("#page-view").bounding_box()
    drawn = page.evaluate("""() => { const v = window.epaper.viewer, b = v.world.getItemAt(0).getBounds(true);
        const tl = v.viewport.viewportToViewerElementCoordinates(b.getTopLeft());
        const br = v.viewport.viewportToViewerElementCoordinates(b.getBottomRight());
        return {width: br.x - tl.x, height: br.y - tl.y}; }""")
    first = site["layout"]["pages"][0]["articles"][0]
    hotspot = page.locator(f'#page-view a.hotspot[data-article="{first["id"]}"]').first
    pw, ph = site["layout"]["page_size"]
    assert view["width"] >= width - 5
    toolbar = page.locator(".toolbar").bounding_box()["height"]
    if height is None or width * ph / pw <= height - toolbar:
        assert drawn["width"] == pytest.approx(view["width"], abs=2)
    else:  # the whole page under the toolbar, as tall as the view
        assert drawn["height"] == pytest.approx(view["height"], abs=2)
        assert view["height"] <= height - toolbar + 1
    assert hotspot.bounding_box()["width"] == pytest.approx(first["boxes"][0][2] / pw * drawn["width"], rel=0.03)


@pytest.mark.parametrize("width, height", [(360, 640), (640, 360), (844, 390)])
def test_a_small_or_landscape_phone_opens_the_first_page_fitted(browser, site, width, height):
    """A phone review: at 360 × 640 the first page was drawn 311 px wide with grey bands (fitted into
    the stylesheet's 78vh before the view was sized), on its side 199 × 320 in a grey screen. A
    later audit: the view fitted to the width left the page's foot off the screen (on its side, all
    but the masthead), so the view is no taller than the screen under the page's toolbar now: the
    page fills the view's width where the screen has the room, its height where not."""
    ctx = Context(browser, **{**PHONE, "viewport": {"width": width, "height": height}})
    try:
        open_viewer(ctx.page, site, "#p=1")
        _fitted_to_width(ctx.page, site, width, height)
    finally:
        ctx.close()
    assert ctx.problems == []


def test_a_page_chosen_below_the_page_on_a_phone_is_brought_into_view(phone, site):
    """A phone review: a thumbnail tapped in the strip under the page turned the page off screen,
    the document left scrolled to the strip."""
    page = phone.page
    open_viewer(page, site, "#p=1")
    chosen_from_the_strip_comes_up(page, lambda thumb: thumb.tap())


def test_text_toggle_shows_the_page_in_reading_order(phone, site):
    page = phone.page
    number, article = jumped_story(site)
    open_viewer(page, site, f"#p={number}")
    page.locator("#text-mode").click()
    expect(page.locator("#text-mode")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#page-text")).to_be_visible()
    expect(page.locator("#page-view")).to_be_hidden()
    layout_page = site["layout"]["pages"][number - 1]
    expected = [a["id"] for a in sorted(layout_page["articles"], key=lambda a: (a["boxes"][0][1], a["boxes"][0][0]))]
    # The stories come from the search index, loaded when text mode opens: wait for them (a loaded machine is slow).
    expect(page.locator("#page-text-body article")).to_have_count(len(expected))
    shown = page.locator("#page-text-body article").evaluate_all("els => els.map(e => e.dataset.article)")
    assert shown == expected
    body = page.locator(f'#page-text-body article[data-article="{article["id"]}"]')
    doc = site["docs"][article["id"]]
    expect(body).to_contain_text(doc["text"].split("\n")[-1][:60])
    expect(body.locator(".byline")).to_have_text(" · ".join(filter(None, (doc["byline"], doc["dateline"]))))
    assert doc["dateline"], "the sample's stories have datelines: the check above must see one"
    shot(page, "phone-text-mode")
    page.locator("#text-mode").click()
    expect(page.locator("#page-view")).to_be_visible()


def hindi_story(site) -> tuple[int, str]:
    for doc in site["docs"].values():
        if doc["lang"] == "hi":
            return doc["page"], doc["id"]
    pytest.skip("the sample edition has no Hindi story")


def test_listen_speaks_the_article_in_its_language(phone, site):
    page = phone.page
    page.add_init_script(SPEECH_STUB % json.dumps(["en-GB", "hi-IN"]))
    number, article_id = hindi_story(site)
    doc = site["docs"][article_id]
    open_viewer(page, site, f"#p={number}&a={article_id}")
    listen = page.locator("#reader-listen")
    expect(listen).to_have_attribute("lang", "hi")
    expect(listen).to_be_enabled()
    listen.click()
    spoken = page.evaluate("window.__spoken.filter(s => !s.cancel)")
    assert spoken[0] == {"text": doc["headline"], "lang": "hi"}
    assert [s["text"] for s in spoken[-len(doc["text"].split("\n")):]] == doc["text"].split("\n")
    expect(listen).to_have_text("Pause")
    listen.click()
    assert page.evaluate("window.speechSynthesis.paused")
    expect(listen).to_have_text("Resume")
    listen.click()
    assert not page.evaluate("window.speechSynthesis.paused")


def test_listen_says_when_no_voice_speaks_the_language(phone, site):
    page = phone.page
    page.add_init_script(SPEECH_STUB % json.dumps(["en-GB"]))
    number, article_id = hindi_story(site)
    open_viewer(page, site, f"#p={number}&a={article_id}")
    listen = page.locator("#reader-listen")
    expect(listen).to_be_disabled()
    expect(listen).to_have_text("No Hindi voice on this device")


def test_a_story_in_another_language_has_the_chrome_in_the_editions(phone, site):
    """A review: in a Hindi story's text view (an English edition), its date and "On page 18" sat in
    <article lang="hi">, English read in a Hindi voice; the panel's name, its Hindi headline, was
    marked English. Each part is in its own language: the story's words Hindi, the chrome English."""
    page = phone.page
    number, article_id = hindi_story(site)
    open_viewer(page, site, f"#p={number}&a={article_id}")
    lang_of = "e => e.closest('[lang]').lang"
    assert page.locator("#reader-title").evaluate(lang_of) == "hi"
    frame = panel_frame(page)
    expect(frame.locator("h1")).to_have_text(site["docs"][article_id]["headline"])
    story = ["article h1", "article .byline", "article .body p"]
    chrome = ["article .meta time", "article .on-pages a", "article .tags h2"]
    assert [frame.locator(part).first.evaluate(lang_of) for part in story + chrome] == ["hi"] * 3 + ["en"] * 3
    # A story in the edition's language has no lang of its own on the chrome (the page's is its).
    english = next(d for d in site["docs"].values() if d["lang"] == "en")
    open_viewer(page, site, f"#p={english['page']}&a={english['id']}")
    expect(frame.locator("h1")).to_have_text(english["headline"])
    assert frame.locator("article .meta time").get_attribute("lang") is None
    assert page.locator("#reader-title").evaluate(lang_of) == "en"


def test_text_mode_sets_a_storys_crossheads_as_headings(phone, site):
    """A phone review: in the viewer's text mode the crossheads ("The route", "The cost") were plain
    paragraphs, where the story's own page has them as headings."""
    doc = next(d for d in site["docs"].values() if d.get("heads"))
    page = phone.page
    open_viewer(page, site, f"#p={doc['page']}")
    page.locator("#text-mode").click()
    heads = page.locator(f'#page-text-body article[data-article="{doc["id"]}"] h4')
    lines = doc["text"].split("\n")
    expect(heads).to_have_text([lines[i] for i in doc["heads"]])


def test_read_this_page_in_reading_order(desktop, site):
    page = desktop.page
    page.add_init_script(SPEECH_STUB % json.dumps(["en-GB", "hi-IN"]))
    open_viewer(page, site, "#p=1")
    page.locator("#text-mode").click()
    page.locator("#read-page").click()
    spoken = page.evaluate("window.__spoken.filter(s => !s.cancel).map(s => s.text)")
    order = page.locator("#page-text-body article:not(:has(.jump)) h3").all_inner_texts()
    headlines = [text for text in spoken if text in order]
    assert headlines == order and len(order) >= 2


def test_read_this_page_asks_for_a_voice_in_the_pages_language(phone, site):
    """A review: on a देश page of the English sample, "Read this page" said "No English voice on this
    device" (on a device with none) and, with one, read the Hindi page in it: it asked for the
    edition's language, not the page's. It is the page's section's, again as the page turns."""
    page = phone.page
    page.add_init_script(SPEECH_STUB % json.dumps(["en-GB"]))
    number = next(p["number"] for p in site["layout"]["pages"] if p["section"] == "देश")
    open_viewer(page, site, f"#p={number}")
    page.locator("#text-mode").click()
    read = page.locator("#read-page")
    expect(read).to_have_attribute("lang", "hi")
    expect(read).to_be_disabled()
    expect(read).to_have_text("No Hindi voice on this device")
    page.evaluate("window.epaper.go(1)")
    expect(read).to_have_attribute("lang", "en")
    expect(read).to_be_enabled()
    expect(read).to_have_text("Read this page")


def test_a_page_not_saved_says_so_offline(browser, site):
    """A phone review: offline, a page of an edition not saved showed OpenSeadragon's "Unable to
    open [object Object]: Error loading image at images/001.jpg"."""
    ctx = Context(browser, **PHONE)
    page = ctx.page
    try:
        open_viewer(page, site, "#p=1")
        ctx.context.set_offline(True)
        page.evaluate("window.epaper.go(3)")
        message = page.locator("#page-view .view-message")
        expect(message).to_have_text("This page is not saved on this device: connect to the internet to read it, "
                                     "or save the edition for reading offline.", timeout=20_000)
        assert not page.locator(".openseadragon-message").is_visible()
        ctx.context.set_offline(False)
        page.evaluate("window.epaper.go(4)")
        expect(message).to_have_count(0, timeout=20_000)  # online again: the next page opens, the line goes
    finally:
        ctx.context.set_offline(False)
        ctx.close()


def test_save_edition_then_read_offline(browser, site):
    ctx = Context(browser, **PHONE)
    page = ctx.page
    try:
        number, article = jumped_story(site)
        open_viewer(page, site, f"#p={number}")
        page.locator("#save-edition").click()
        expect(page.locator("#save-edition")).to_have_text("Saved for offline reading", timeout=60_000)
        ctx.context.set_offline(True)
        page.reload()
        wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=20)
        assert page.evaluate("window.epaper.state.page") == number
        # The page image (not tiles) drawn from the saved copy: pixels, not an empty canvas.
        assert page.evaluate("window.epaper.viewer.world.getItemAt(0).getFullyLoaded()")
        page.touchscreen.tap(*box_centre(page, article["id"]))
        expect(panel_frame(page).locator("h1")).to_have_text(site["docs"][article["id"]]["headline"])
        shot(page, "phone-offline-panel")
    finally:
        ctx.context.set_offline(False)
        ctx.close()
    assert [p for p in ctx.problems if "ERR_INTERNET_DISCONNECTED" not in p] == []


def test_a_saved_edition_replated_fetches_only_what_changed_and_shows_it(browser, site, tmp_path):
    """A phone review: after a replate, a saved edition showed the new "updated" mark with the old
    story text (the old worker served its copy while the new one re-saved), and the new worker
    fetched all 220 saved files (17 MB) again for a one-page change."""
    import functools
    import os
    import shutil
    import threading

    from epaper.serve import make_server
    from epaper.web.offline import write_service_worker

    root = tmp_path / "root"
    edition = root / site["out_dir"].name
    shutil.copytree(site["out_dir"], edition, copy_function=os.link)  # (a file changed below is written anew)
    server = make_server(root, "127.0.0.1", 0)
    asked: list[str] = []

    handler = server.RequestHandlerClass  # functools.partial(_Handler, directory=...)

    class Counting(handler.func):  # type: ignore[attr-defined]
        def send_head(self):  # noqa: ANN201 - files sent whole (a 304 sends none)
            body = super().send_head()
            if body is not None:
                asked.append(self.path.split("?")[0])
            return body

    server.RequestHandlerClass = functools.partial(Counting, *handler.args, **handler.keywords)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{edition.name}/"
    ctx = Context(browser, **PHONE)
    page = ctx.page
    try:
        page.goto(url + "index.html")
        wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=20)
        page.locator("#save-edition").click()
        expect(page.locator("#save-edition")).to_have_text("Saved for offline reading", timeout=60_000)
        # The replate: one story's text view corrected, the worker written again for the new files.
        number, article = jumped_story(site)
        view = edition / "articles" / f"{article['id']}.html"
        text = view.read_text(encoding="utf-8")
        view.unlink()
        view.write_text(text.replace("</h1>", " (corrected)</h1>", 1), encoding="utf-8")
        # ... and a page made again: its thumbnail at the same address, and the viewer's page (its
        # "updated" mark) with it.
        thumb = edition / "thumbs" / "001.jpg"
        old_thumb = thumb.read_bytes()
        with Image.open(thumb) as image:
            image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(thumb.with_name("new.jpg"))
        thumb.unlink()
        thumb.with_name("new.jpg").rename(thumb)
        viewer = edition / "index.html"
        page_html = viewer.read_text(encoding="utf-8")
        viewer.unlink()
        viewer.write_text(page_html.replace("</body>", "<!-- replated --></body>", 1), encoding="utf-8")
        for gzipped in (*(edition / "articles").glob(f"{article['id']}.html.gz"), *edition.glob("sw.js.gz"),
                        *edition.glob("index.html.gz")):
            gzipped.unlink()
        original = (site["out_dir"] / "sw.js").read_bytes()
        version = write_service_worker(edition, edition.name).version
        assert (site["out_dir"] / "sw.js").read_bytes() == original  # the copy's links left the build alone
        asked.clear()
        page.reload(wait_until="domcontentloaded")
        # At once, before the browser has the new worker: the page's files are the new ones (the
        # old worker served its saved thumbnail beside the new "updated" mark).
        got = page.evaluate("fetch('thumbs/001.jpg').then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))"
                            ".then(d => Array.from(new Uint8Array(d)).map(x => x.toString(16).padStart(2, '0')).join(''))")
        assert got == hashlib.sha256(thumb.read_bytes()).hexdigest() != hashlib.sha256(old_thumb).hexdigest()
        wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=20)
        wait_until(page, f"navigator.serviceWorker.controller && caches.keys().then(k => window.__keys = k) && "
                         f"(window.__keys || []).some(k => k.endsWith(':{version}')) && (window.__keys || []).length === 1",
                   timeout=60)
        config = json.loads((edition / "sw.js").read_text(encoding="utf-8").splitlines()[0]
                            .removeprefix("var CONFIG = ").removesuffix(";"))
        saved_files = {f"/{edition.name}/{name}" for name, _ in config["files"]}
        fetched = {path for path in asked if path in saved_files}
        changed = f"/{edition.name}/articles/{article['id']}.html"
        assert changed in fetched and fetched <= {changed, f"/{edition.name}/index.html", f"/{edition.name}/thumbs/001.jpg"}, fetched
        # A kept version (versions/<n>/, in the scope of the edition's worker) is not the saved edition.
        shutil.copytree(edition, edition / "versions" / "1", copy_function=os.link,
                        ignore=shutil.ignore_patterns("versions"))
        page.goto(url + "versions/1/index.html")
        wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=20)
        page.wait_for_timeout(500)
        expect(page.locator("#save-edition")).to_be_enabled()
        expect(page.locator("#save-edition")).not_to_have_text("Saved for offline reading")
        # Offline, the saved copy is the new one.
        ctx.context.set_offline(True)
        page.goto(url + f"articles/{article['id']}.html")
        assert "(corrected)" in page.locator("h1").inner_text()
    finally:
        ctx.context.set_offline(False)
        ctx.close()
        server.shutdown()
        server.server_close()


def test_the_skip_link_keeps_the_readers_page(desktop, site):
    """A phone review: the skip link set the address to #main, and a reload then opened page 1."""
    page = desktop.page
    open_viewer(page, site, "#p=5")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    assert page.evaluate("location.hash") == "#p=5"
    page.reload()
    wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=20)
    assert page.evaluate("window.epaper.state.page") == 5


def test_the_proof_report_has_no_accessibility_violation_and_no_console_error(desktop, site):
    """A phone review: report.html had no main landmark (axe: landmark-one-main, region) and asked
    the server for /favicon.ico (a 404 in the console)."""
    page = desktop.page
    failed: list[str] = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(site["url"] + "report.html")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], v["impact"]) for v in result["violations"]] == []
    assert failed == []


def test_the_proof_reports_pages_are_cards_side_by_side_on_a_laptop(desktop, site):
    """An accessibility audit: the <main> landmark put around the report undid the grid its
    stylesheet gave <body>, and the page cards stacked one a row, each the laptop's full width."""
    page = desktop.page
    page.goto(site["url"] + "report.html")
    cards = page.locator("main > section.page")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 1 and second["x"] > first["x"] + first["width"], (first, second)
    assert page.locator("main > h1").bounding_box()["width"] > 2 * first["width"]  # the rest spans the row


def test_the_proof_report_fits_a_phone_screen(browser, site):
    """An outside desk audit: at 360 px the proof sheet was 576 px wide: the loosest line's words
    and story, set in the figures' large type and kept on one line, ran out of the screen."""
    ctx = Context(browser, **{**PHONE, "viewport": {"width": 360, "height": 740}})
    try:
        ctx.page.goto(site["url"] + "report.html")
        assert ctx.page.evaluate("document.documentElement.scrollWidth") <= 360
        where = ctx.page.locator("table.totals td small").first
        assert "page" in where.inner_text()  # the widest gap's line and story, under the figure
        assert ctx.problems == []
    finally:
        ctx.close()


def test_a_story_opened_before_shows_the_words_of_a_later_search(desktop, site):
    """A phone review: a story opened, closed, then opened again from a search showed no marks
    (the panel's frame changed only its #q=, and the words were marked only when it loaded)."""
    page = desktop.page
    doc = next(d for d in site["docs"].values() if d["lang"] == "en" and len(d["text"]) > 400)
    word = max(re.findall(r"[A-Za-z]{8,}", doc["text"]), key=len).lower()
    open_viewer(page, site, f"#p={doc['page']}&a={doc['id']}")
    expect(panel_frame(page).locator("h1")).to_have_text(doc["headline"])
    assert panel_frame(page).locator("mark").count() == 0
    page.locator("#reader-close").click()
    story = f"#p={doc['page']}&a={doc['id']}"
    page.evaluate("hash => { location.hash = hash; }", f"{story}&q={word}")
    expect(panel_frame(page).locator("mark").first).to_be_visible()
    assert panel_frame(page).locator("mark").first.inner_text().lower() == word
    page.evaluate("hash => { location.hash = hash; }", story)
    expect(panel_frame(page).locator("mark")).to_have_count(0)  # no search: no marks left


def test_search_counts_every_story_found_and_closes_on_a_tap_outside(phone, site):
    """A phone review: 24 Hindi stories held a word, the count said 20 (the list's length); and
    the results stayed open behind the story a tap outside them opened."""
    page = phone.page
    open_viewer(page, site, "#p=1")
    word = "council"
    found = [d for d in site["docs"].values()
             if word in " ".join(filter(None, [d.get("kicker"), d["headline"], d.get("deck"), d["text"], d.get("byline"),
                                               " ".join(d.get("tags") or [])])).lower()]
    assert len(found) > 20, "the sample has more than a list's worth of stories with the word"
    page.locator("#search-input").fill(word)
    status = page.locator("#search-results .search-status")
    expect(status).to_have_text(f"{len(found)} articles; the first 20 are shown — add a word to narrow the search")
    expect(page.locator("#search-results li")).to_have_count(20)
    page.touchscreen.tap(195, 800)  # on the page, under the results
    expect(page.locator("#search-results")).to_be_hidden()


def test_archive_calendar_opens_an_edition(desktop, site):
    page = desktop.page
    page.goto(site["root_url"] + "/index.html")
    # The front's thumbnail has its height before it loads: the list does not shift when it comes.
    from PIL import Image

    with Image.open(site["out_dir"] / "thumbs" / "001.jpg") as image:
        width, height = image.size
    thumb = page.locator(".editions img").first
    assert thumb.get_attribute("height") == str(round(120 * height / width))
    edition = site["layout"]["edition"]
    day = int(edition["date"][8:10])
    cell = page.locator("table.calendar td.has-edition", has=page.locator(".day", has_text=re.compile(rf"^{day}$")))
    expect(cell).to_have_count(1)
    cell.get_by_role("link").first.click()
    wait_until(page, "window.epaper !== undefined")
    expect(page.locator("h1")).to_have_text(edition["title"])
    shot(page, "archive")


def test_search_from_disk_and_hits_marked(browser, site):
    """index.html opened as a file: the index comes as a script, and the hit is marked in the text."""
    ctx = Context(browser, viewport={"width": 1280, "height": 860})
    page = ctx.page
    try:
        doc = next(d for d in site["docs"].values() if d["lang"] == "en" and len(d["text"]) > 400)
        word = max(re.findall(r"[A-Za-z]{8,}", doc["text"]), key=len)
        page.goto((site["out_dir"] / "index.html").as_uri())
        wait_until(page, "window.epaper !== undefined")
        page.locator("#search-input").fill(word.lower())
        hit = page.locator("#search-results a.search-hit", has_text=doc["headline"])
        expect(hit.first).to_be_visible()
        hit.first.click()
        expect(page.locator("dialog#reader")).to_have_attribute("open", "")
        expect(panel_frame(page).locator("mark").first).to_have_text(re.compile(re.escape(word), re.I))
    finally:
        ctx.close()
    assert [p for p in ctx.problems if "file:" not in p] == []



def test_a_searched_word_is_marked_in_whole_letters(desktop, site):
    """A Hindi desk's audit: "घड़ियाल" found in "घड़ियालों" was marked without its vowel sign, which
    was drawn apart on a dotted circle; "महत" in "महत्व" split a conjunct the same way. A mark
    begins and ends between letters (grapheme clusters), never before a vowel sign or after a virama."""
    page = desktop.page
    sign = re.compile(r"[\u093e-\u094d\u0901-\u0903]")
    cases = []  # (story, part searched): the part ends before a vowel sign, then before a virama
    for pattern in (r"([\u0915-\u0939]{2,})[\u093e-\u094c]", r"([\u0915-\u0939]{2,})\u094d"):
        doc, prefix = next((d, m.group(1)) for d in site["docs"].values() if d["lang"] == "hi"
                           for m in [re.search(pattern, d["text"])] if m)
        cases.append((doc, prefix))
    for doc, prefix in cases:
        page.goto(site["url"] + f"articles/{doc['id']}.html#q={prefix}")
        expect(page.locator("article mark").first).to_be_visible()
        marks = page.evaluate("""() => [...document.querySelectorAll('article mark')].map(m => [
            m.textContent, (m.nextSibling && m.nextSibling.textContent || '').slice(0, 1)])""")
        assert any(len(marked) > len(prefix) for marked, _ in marks), (prefix, marks)  # one widened
        for marked, after in marks:
            assert marked.startswith(prefix), (prefix, marked)
            assert not sign.fullmatch(after) and not marked.endswith("\u094d"), (prefix, marked, after)
            assert not sign.match(marked), marked

@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (npm ci installs the devDependencies)")
def test_axe_finds_no_serious_violation(browser, site):
    ctx = Context(browser, viewport={"width": 1280, "height": 860}, bypass_csp=True)
    page = ctx.page
    found = {}
    try:
        number, article = jumped_story(site)
        open_viewer(page, site, f"#p={number}")
        found["viewer"] = run_axe(page)
        page.goto(site["url"] + f"index.html#p={number}&a={article['id']}")
        open_viewer(page, site, f"#p={number}&a={article['id']}")
        expect(page.locator("dialog#reader")).to_have_attribute("open", "")
        found["panel"] = run_axe(page)
        page.goto(site["url"] + "index.html")
        open_viewer(page, site, f"#p={number}")
        page.locator("#text-mode").click()
        expect(page.locator("#page-text-body article").first).to_be_visible()
        found["text mode"] = run_axe(page)
        page.goto(site["url"] + f"articles/{article['id']}.html")
        found["text view"] = run_axe(page)
        page.goto(site["root_url"] + "/index.html")
        found["archive"] = run_axe(page)
        page.goto(site["url"] + "report.html")  # the desk's proof sheet
        expect(page.locator("section.page").first).to_be_visible()
        found["proof sheet"] = run_axe(page)
    finally:
        ctx.close()
    assert {k: v for k, v in found.items() if v} == {}


def first_view_bytes(browser, site) -> tuple[int, list[tuple[str, int]]]:
    """Bytes (headers and bodies as sent) of every request a phone started before the first page was
    drawn, from Playwright's network events."""
    ctx = Context(browser, **PHONE)
    page = ctx.page
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    try:
        open_viewer(page, site, "")
        shown = page.evaluate("window.epaper.shownAt")
        page.wait_for_timeout(300)
        counted = []
        for request in finished:
            if request.timing["startTime"] <= shown:
                sizes = request.sizes()
                counted.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
    finally:
        ctx.close()
    return sum(size for _, size in counted), counted


def test_first_phone_view_is_within_budget(browser, site):
    total, counted = first_view_bytes(browser, site)
    assert any("/tiles/" in url or "/images/001" in url for url, _ in counted), "the page image was counted"
    # The sample's देश section tab is Devanagari. A phone has a Devanagari font of its own (Android's
    # Noto, iOS's Kohinoor), which the style sheets take first (static/fonts/faces.css); this test's
    # Chromium has none, so it fetched the face the output ships: counted apart, against its size.
    fonts = [(url, size) for url, size in counted if url.endswith(".woff2")]
    assert len(fonts) <= 1 and all(size <= 60_000 for _, size in fonts), fonts
    total -= sum(size for _, size in fonts)
    assert total <= FIRST_VIEW_BUDGET, sorted(counted, key=lambda c: -c[1])[:8]


# ---- a phone and accessibility review ---------------------------------------------------------------
TAP = 44  # CSS px: the least a finger's target measures (WCAG 2.5.5 AAA; Apple's and Android's guides)

# Every control a reader can tap in the document, as drawn: [name, width, height]. The links over the
# page image (stories, jump lines) are the printed page's own boxes, zoomable, and each has its
# equivalent, at size, in the story list under the page (WCAG 2.5.8's "equivalent" exception).
CONTROLS = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex="0"]')]
  .filter(el => !el.closest('#page-view, [hidden], dialog:not([open])') && el.getClientRects().length)
  .map(el => { const r = el.getBoundingClientRect();
    return [el.id ? '#' + el.id : el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' '
            + el.textContent.trim().slice(0, 30), Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10]; })"""


def too_small(where) -> list:
    """The controls of a page or frame under TAP × TAP (half a pixel allowed for rounding)."""
    return [c for c in where.evaluate(CONTROLS) if min(c[1], c[2]) < TAP - 0.5]


def test_every_control_on_a_phone_is_a_fingers_size(phone, site):
    """A phone review (390 × 844): the toolbar's buttons were 35 px square, the sections bar's links
    30 px high, the downloads' and story list's links 16 px, the reader panel's Close 35 px, the
    archive's calendar link 20 px."""
    page = phone.page
    number, article = jumped_story(site)
    open_viewer(page, site, f"#p={number + 1}")  # a page with a "continued from" line in its story list
    page.locator(".all-downloads summary").click()
    page.locator(".skip-link").focus()
    small = {"page": too_small(page)}
    shot(page, "phone-targets")
    page.locator("#search-input").fill("council")
    expect(page.locator("#search-results li").first).to_be_visible()
    small["search"] = too_small(page)
    page.keyboard.press("Escape")
    page.locator("#text-mode").click()
    expect(page.locator("#page-text-body article").first).to_be_visible()
    small["text mode"] = too_small(page)
    page.locator("#text-mode").click()
    page.evaluate("hash => { location.hash = hash; }", f"#p={number}&a={article['id']}")
    expect(panel_frame(page).locator("html.in-panel")).to_have_count(1)
    small["panel"] = too_small(page)
    small["panel's story"] = too_small(page.locator("#reader-frame").element_handle().content_frame())
    shot(page, "phone-panel-targets")
    page.goto(site["url"] + f"articles/{article['id']}.html")  # the story's own page, as a link opens it
    small["text view"] = too_small(page)
    page.goto(site["root_url"] + "/index.html")
    small["archive"] = too_small(page)
    assert {where: found for where, found in small.items() if found} == {}


def test_on_a_phone_focus_reaches_the_page_before_its_thumbnails(phone, desktop, site):
    """A phone review: Tab went from the sections bar through all the pages' thumbnails (drawn under
    the page) before it reached the page's toolbar."""
    page = phone.page
    open_viewer(page, site, "#p=1")
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("(e => e.closest('.toolbar, nav, header, aside')?.className || e.id || e.tagName)"
                                     "(document.activeElement)"))
        if reached[-1] in ("toolbar", "thumbs"):
            break
    assert reached[-1] == "toolbar", reached
    # The thumbnails still go where they were drawn: under the page on a phone, left of it on a desktop.
    assert page.locator(".thumbs").bounding_box()["y"] > page.locator("#page-view").bounding_box()["y"]
    open_viewer(desktop.page, site, "#p=1")
    thumbs, view = desktop.page.locator(".thumbs").bounding_box(), desktop.page.locator("#page-view").bounding_box()
    articles = desktop.page.locator(".page-articles").bounding_box()
    assert thumbs["x"] + thumbs["width"] <= view["x"] < articles["x"] and abs(thumbs["y"] - view["y"]) < 60


# Every change of a live region's words, as a screen reader hears it: [region, its text], once a batch
# (a region emptied says nothing).
LIVE = """() => {
  window.__said = [];
  new MutationObserver(records => {
    const regions = new Set(records.map(r => (r.target.nodeType === 1 ? r.target : r.target.parentElement)
      .closest('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]')).filter(Boolean));
    regions.forEach(region => region.textContent.trim() && window.__said.push([region.id, region.textContent.trim()]));
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_a_search_says_how_many_stories_it_found_once(phone, site):
    """A phone review: a screen reader was told nothing of a search's results, or (the whole results
    box being the live region) read the list again at each letter typed."""
    page = phone.page
    open_viewer(page, site, "#p=1")
    page.evaluate(LIVE)
    page.locator("#search-input").press_sequentially("council", delay=200)  # slower than the results' wait
    expect(page.locator("#search-results li").first).to_be_visible()
    page.wait_for_timeout(1500)
    count = page.locator("#search-results .search-status").inner_text()
    said = page.evaluate("window.__said")
    assert said == [["search-status", count]], said
    assert page.locator("#search-status").get_attribute("role") == "status"
    # Another search is said once more; the search emptied says nothing.
    page.evaluate("window.__said.length = 0")
    page.locator("#search-input").fill("xyzzy")
    page.wait_for_timeout(1500)
    page.keyboard.press("Escape")
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__said") == [["search-status", "No articles found"]]


def test_reduced_motion_zooms_and_pans_at_once(browser, phone, site):
    """A phone review: with the system's "reduce motion" on, every zoom still swept across the page for 0.6 s."""
    open_viewer(phone.page, site, "#p=1")
    assert phone.page.evaluate("window.epaper.viewer.viewport.zoomSpring.animationTime") > 0  # (the check can fail)
    ctx = Context(browser, **PHONE, reduced_motion="reduce")
    page = ctx.page
    try:
        open_viewer(page, site, "#p=1")
        # Zoomed in, panned to a story, home again: each drawn where it ends by the second frame.
        for action in ("document.getElementById('zoom-in').click()",
                       "window.epaper.viewer.viewport.panBy(new OpenSeadragon.Point(0.1, 0.2))",
                       "document.getElementById('zoom-home').click()"):
            moving = page.evaluate(f"""async () => {{ {action};
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                const v = window.epaper.viewer.viewport;
                return [v.getZoom(true) - v.getZoom(false), v.getCenter(true).distanceTo(v.getCenter(false))]; }}""")
            assert moving == [0, 0], (action, moving)
        hotspot = page.locator("#page-view a.hotspot").first
        assert hotspot.evaluate("e => getComputedStyle(e).transitionDuration") == "0s"
    finally:
        ctx.close()
    assert ctx.problems == []


def test_a_section_in_another_language_is_marked_in_the_counter_downloads_and_search(phone, site):
    """A phone review: 'Page 17 of 18 · देश' and the downloads' 'Page 17 · देश' were read in an English
    voice (the sections bar and the thumbnails mark देश as Hindi; these did not)."""
    page = phone.page
    number = next(p["number"] for p in site["layout"]["pages"] if p["section"] == "देश")
    open_viewer(page, site, f"#p={number}")
    total = len(site["layout"]["pages"])
    expect(page.locator("#page-indicator")).to_have_text(f"Page {number} of {total} · देश")
    expect(page.locator("#page-indicator span[lang=hi]")).to_have_text("देश")
    download = page.locator(".all-downloads li", has=page.locator(f'a[href="pages/{number:03d}.pdf"]'))
    expect(download.locator("a")).to_have_text(f"Page {number} · देश")
    expect(download.locator("a span[lang=hi]")).to_have_text("देश")
    hindi = next(d for d in site["docs"].values() if d["lang"] == "hi" and d["section"] == "देश")
    page.locator("#search-input").fill(hindi["headline"].split()[0])
    meta = page.locator("#search-results .hit-meta").first
    expect(meta.locator("span[lang=hi]")).to_have_text("देश")


# ---- an outside accessibility audit: keyboard only, forced colours, live regions (1280 x 800) ----

KEYBOARD = {"viewport": {"width": 1280, "height": 800}, "reduced_motion": "reduce"}
FOCUSED = "(e => e === document.body ? 'BODY' : e.id || e.dataset.article || e.className)(document.activeElement)"


@pytest.fixture
def keyboard(browser):
    yield from _context(browser, **KEYBOARD)


def still(page) -> None:
    """The page's zoom and its pan at their targets."""
    wait_until(page, "(v => Math.abs(v.getZoom(false) - v.getZoom(true)) < 1e-6 && v.getCenter(false).distanceTo(v.getCenter(true)) < 1e-6)"
                     "(window.epaper.viewer.viewport)")
    page.wait_for_timeout(50)


def overlays_on(page, number: int) -> None:
    wait_until(page, f"window.epaper.state.page === {number} && document.querySelector('#page-view a.hotspot') !== null"
                     f" && window.epaper.viewer.world.getItemCount() === 1")
    page.wait_for_timeout(200)


def test_next_page_to_the_last_page_keeps_the_focus(keyboard, site):
    """The audit: "Next page" pressed on the page before the last was disabled under the focus, which
    fell to <body> (WCAG 2.4.3); "Previous page" on the second page alike."""
    page = keyboard.page
    total = len(site["layout"]["pages"])
    open_viewer(page, site, f"#p={total - 1}")
    page.locator("#next-page").focus()
    page.keyboard.press("Enter")
    overlays_on(page, total)
    assert page.evaluate(FOCUSED) == "next-page"
    expect(page.locator("#next-page")).to_have_attribute("aria-disabled", "true")
    page.keyboard.press("Enter")  # nothing past the last page
    page.wait_for_timeout(300)
    assert page.evaluate("window.epaper.state.page") == total and page.url.endswith(f"#p={total}")
    open_viewer(page, site, "#p=2")
    page.locator("#prev-page").focus()
    page.keyboard.press("Space")
    overlays_on(page, 1)
    assert page.evaluate(FOCUSED) == "prev-page"
    expect(page.locator("#prev-page")).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#next-page")).to_have_attribute("aria-disabled", "false")


def test_a_jump_line_followed_from_the_keyboard_focuses_the_storys_other_part(keyboard, site):
    """The audit: "Continued on page 2" followed with Enter made the page's links again, and the focus,
    on a link that was gone, fell to <body>."""
    page = keyboard.page
    number, article = jumped_story(site)
    open_viewer(page, site, f"#p={number}")
    jump = page.locator("#page-view a.jump-link", has_text=f"Continued on page {article['continued_to']}").first
    jump.focus()
    page.keyboard.press("Enter")
    overlays_on(page, article["continued_to"])
    assert page.evaluate(FOCUSED) == article["id"]
    assert page.evaluate("document.activeElement.matches('#page-view a.hotspot')")


def test_a_story_opened_from_a_search_gives_the_focus_back_to_the_search(keyboard, site):
    """The audit: closing a story opened from a search's hit left the focus on the hit, hidden with
    the results: on <body>."""
    page = keyboard.page
    open_viewer(page, site, "#p=1")
    page.locator("#search-input").fill("council")
    hit = page.locator("#search-results a.search-hit").first
    expect(hit).to_be_visible()
    hit.focus()
    page.keyboard.press("Enter")
    expect(page.locator("dialog#reader")).to_have_attribute("open", "")
    expect(panel_frame(page).locator("html.in-panel")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("dialog#reader")).not_to_have_attribute("open", "")
    assert page.evaluate(FOCUSED) == "search-input"


def test_save_edition_keeps_the_focus_and_says_saved_once_done(browser, site):
    """The audit: "Save edition" was disabled under the focus (to <body>); its status (role=status)
    was rewritten 23 times in 1.5 s ("Saving… 10 of 222"…) and then emptied: "Saved" was never said."""
    ctx = Context(browser, **KEYBOARD)
    page = ctx.page
    try:
        open_viewer(page, site, "#p=1")
        page.evaluate(LIVE)
        page.evaluate("""() => { window.__writes = 0; new MutationObserver(() => window.__writes++)
            .observe(document.getElementById('save-status'), {subtree: true, childList: true, characterData: true}); }""")
        page.locator("#save-edition").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#save-edition")).to_have_text("Saved for offline reading", timeout=60_000)
        page.wait_for_timeout(300)
        assert page.evaluate(FOCUSED) == "save-edition"
        expect(page.locator("#save-edition")).to_have_attribute("aria-disabled", "true")
        said = [text for region, text in page.evaluate("window.__said") if region == "save-status"]
        assert said and said[-1] == "Saved for offline reading", said
        assert len(said) <= 6 and page.evaluate("window.__writes") <= 6, said
        # Said, not drawn twice: the button shows it.
        assert page.locator("#save-status").bounding_box()["width"] <= 1
    finally:
        ctx.close()
    assert ctx.problems == []


def test_arrow_keys_pan_a_page_zoomed_in_and_turn_it_at_fit(keyboard, site):
    """The audit: zoomed in with +, the arrow keys turned the page (and the zoom was lost); the page
    zoomed in could not be panned from the keyboard at all (WCAG 2.1.1)."""
    page = keyboard.page
    open_viewer(page, site, "#p=2")
    # The page opened first (on a busy machine it opened after the "+", set the view home and took
    # the zoom back: the arrows then turned the page, as at fit).
    overlays_on(page, 2)
    page.locator("#page-view .openseadragon-canvas").focus()
    page.keyboard.press("+")
    page.keyboard.press("+")
    wait_until(page, "window.epaper.zoom() > 2")
    still(page)
    centre = "(() => { const c = window.epaper.viewer.viewport.getCenter(true); return [c.x, c.y]; })()"
    before = page.evaluate(centre)
    for key, axis, sign in (("ArrowRight", 0, 1), ("ArrowDown", 1, 1), ("ArrowLeft", 0, -1), ("w", 1, -1)):
        page.keyboard.press(key)
        still(page)
        after = page.evaluate(centre)
        assert (after[axis] - before[axis]) * sign > 0.01, (key, before, after)
        assert page.evaluate("window.epaper.state.page") == 2 and zoom(page) > 2
        before = after
    page.keyboard.press("0")  # fit: the arrows turn pages again
    still(page)
    page.keyboard.press("ArrowRight")
    wait_until(page, "window.epaper.state.page === 3")


def test_a_link_tabbed_to_on_a_page_zoomed_in_is_panned_into_view(keyboard, site):
    """The audit: tabbing through the stories of a page zoomed in, the focused link (a jump line) was
    off the view (WCAG 2.4.11)."""
    page = keyboard.page
    open_viewer(page, site, "#p=1")
    page.locator("#page-view .openseadragon-canvas").focus()
    for _ in range(3):
        page.keyboard.press("+")
    still(page)
    links = page.locator("#page-view a.hotspot:not([tabindex='-1']), #page-view a.jump-link").count()
    seen = 0
    for _ in range(links):
        page.keyboard.press("Tab")
        if not page.evaluate("document.activeElement.closest('#page-view') !== null"):
            break
        still(page)
        box = page.evaluate("""(() => { const r = document.activeElement.getBoundingClientRect(),
            v = document.getElementById('page-view').getBoundingClientRect();
            return [r.left - v.left, r.top - v.top, v.right - r.right, v.bottom - r.bottom, r.width < v.width, r.height < v.height]; })()""")
        # Inside the view, wholly where it fits in it, else its top left.
        assert box[0] >= -1 and box[1] >= -1 and (box[2] >= -1 or not box[4]) and (box[3] >= -1 or not box[5]), (seen, box)
        assert page.evaluate("[...document.querySelectorAll('#page-view .openseadragon-container, #page-view .openseadragon-canvas')]"
                             ".every(e => e.scrollLeft === 0 && e.scrollTop === 0)")
        seen += 1
    assert seen >= 5


def test_arrow_keys_on_a_button_do_not_turn_the_page(keyboard, site):
    """The audit: the toolbar was role="toolbar" without a toolbar's arrow keys, and an arrow key
    pressed on one of its buttons turned the page under it. (It is a toolbar with its arrow keys
    now: test_browser.py's test_the_page_toolbar_is_one_tab_stop_with_arrow_keys_between_its_controls.)"""
    page = keyboard.page
    open_viewer(page, site, "#p=2")
    for button in ("#zoom-in", "#text-mode", "#next-page"):
        page.locator(button).focus()
        for key in ("ArrowRight", "ArrowLeft", "End", "Home"):
            page.keyboard.press(key)
    page.wait_for_timeout(300)
    assert page.evaluate("window.epaper.state.page") == 2 and page.url.endswith("#p=2")


def test_the_front_pages_teasers_come_before_its_stories_in_the_tab_order(keyboard, site):
    """The audit: the teaser strip printed over the lead story was reached after every story."""
    page = keyboard.page
    open_viewer(page, site, "#p=1")
    order = page.evaluate("""[...document.querySelectorAll("#page-view a.hotspot:not([tabindex='-1']), #page-view a.jump-link")]
        .map(a => [a.dataset.article || 'jump', a.getBoundingClientRect().top])""")
    first_story = next(i for i, (kind, _) in enumerate(order) if kind != "jump")
    top = order[first_story][1]
    assert first_story > 0 and all(kind == "jump" for kind, _ in order[:first_story])
    # Every link printed over the first story comes before it.
    assert all(i < first_story for i, (kind, y) in enumerate(order) if kind == "jump" and y < top - 10), order
    page.locator("#page-view .openseadragon-canvas").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#page-view a.jump-link')")


def test_forced_colours_mark_the_focused_story_and_the_current_page(browser, site):
    """The audit, in forced colours (Windows' contrast themes): every hotspot had the same border in the
    system's colour, the focused one not told apart; the current thumbnail and section lost their mark."""
    ctx = Context(browser, **KEYBOARD, forced_colors="active")
    page = ctx.page
    try:
        open_viewer(page, site, "#p=2")
        style = """e => { const s = getComputedStyle(e.querySelector(':scope > .box') || e);
            return [s.borderTopColor, s.borderTopStyle, s.outlineStyle, s.outlineColor].join(' '); }"""
        hotspots = page.locator("#page-view a.hotspot:not([tabindex='-1'])")
        idle = {hotspots.nth(i).evaluate(style) for i in range(hotspots.count())}
        assert len(idle) == 1 and next(iter(idle)).startswith("rgba(0, 0, 0, 0)"), idle
        page.locator("#page-view .openseadragon-canvas").focus()
        page.keyboard.press("Tab")
        while not page.evaluate("document.activeElement.matches('a.hotspot')"):
            page.keyboard.press("Tab")
        focused = page.evaluate(f"({style})(document.activeElement)")
        assert focused not in idle and "solid" in focused, focused
        thumbs = page.locator(".thumbs a")
        current = thumbs.nth(1).evaluate("e => getComputedStyle(e).borderTopColor")
        assert current != thumbs.nth(0).evaluate("e => getComputedStyle(e).borderTopColor")
        sections = page.locator(".sections a")
        marked = page.locator(".sections a[aria-current]").evaluate("e => getComputedStyle(e).backgroundColor")
        assert marked != sections.nth(0).evaluate("e => getComputedStyle(e).backgroundColor")
    finally:
        ctx.close()
    assert ctx.problems == []


def test_a_touch_tablets_keyboard_focus_on_the_page_is_drawn(browser, site):
    """The audit: on a touch screen (hover: none) the page's canvas never drew its focus, a tablet's
    keyboard's either."""
    ctx = Context(browser, viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=True)
    page = ctx.page
    try:
        open_viewer(page, site, "#p=1")
        assert page.evaluate("matchMedia('(hover: none)').matches")
        page.locator("#page-view a.hotspot").first.focus()  # then back to the page, from the keyboard
        page.keyboard.press("Shift+Tab")
        while not page.evaluate("document.activeElement.matches('.openseadragon-canvas')"):
            page.keyboard.press("Shift+Tab")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    finally:
        ctx.close()
    assert ctx.problems == []


def test_the_page_counter_is_said_only_when_it_changes(keyboard, site):
    """The audit: #page-indicator (aria-live) was written again, the same words, as each story opened
    and closed."""
    page = keyboard.page
    open_viewer(page, site, "#p=1")
    page.evaluate(LIVE)
    first = site["layout"]["pages"][0]["articles"][0]
    page.locator(f'#page-view a.hotspot[data-article="{first["id"]}"]').first.focus()
    page.keyboard.press("Enter")
    expect(panel_frame(page).locator("html.in-panel")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("dialog#reader")).not_to_have_attribute("open", "")
    page.wait_for_timeout(300)
    assert [region for region, _ in page.evaluate("window.__said")].count("page-indicator") == 0
    page.locator("#next-page").click()
    overlays_on(page, 2)
    assert [region for region, _ in page.evaluate("window.__said")].count("page-indicator") == 1


def test_a_story_in_another_language_is_a_document_in_it_and_photos_are_not_read_twice(keyboard, site):
    """The audit: a Hindi story's text view was <html lang="en"> with a Hindi <title>; each photo's alt
    repeated its caption, read twice."""
    page = keyboard.page
    hindi = next(d for d in site["docs"].values() if d["lang"] == "hi")
    page.goto(site["url"] + hindi["href"])
    assert page.evaluate("document.documentElement.lang") == "hi"
    assert hindi["headline"] in page.title()
    lang_of = "e => e.closest('[lang]').lang"
    for chrome in (".skip-link", ".site-bar a", ".back a", "article .meta time"):
        assert page.locator(chrome).first.evaluate(lang_of) == "en", chrome
    assert page.locator("article h1").evaluate(lang_of) == "hi"
    english = next(d for d in site["docs"].values() if d["lang"] == "en")
    page.goto(site["url"] + english["href"])
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".site-bar").get_attribute("lang") is None
    captioned = 0
    for name in sorted(p.name for p in (site["out_dir"] / "articles").glob("*.html")):
        page.goto(site["url"] + "articles/" + name)
        for figure in page.locator("article figure").all():
            if figure.locator("figcaption").count() and figure.locator("figcaption").inner_text().strip():
                assert figure.locator("img").get_attribute("alt") == "", name
                captioned += 1
        if captioned >= 3:
            break
    assert captioned
