"""The epaper in a real browser: Playwright driving Debian's chromium, headless, against a served folder.

The sample edition is built once per session (the shared ``sample_build`` fixture) and served with a
thread-based http.server; a tiny edition with a ``<script>`` headline is built for the escaping test.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from browser_support import browser, playwright_or_skip, serve, served_sample, wait_until  # noqa: F401 (browser: a fixture)
from epaper.frame import FillRect, LinkArea
from epaper.tile_sets import tile_set_of

pytestmark = pytest.mark.slow  # a browser drives the built sample edition

sync_api = playwright_or_skip()

XSS_HEADLINE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def sample(sample_build):
    with served_sample(sample_build) as site:
        yield {**site, "search": json.loads((site["out_dir"] / "search.json").read_text())}


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    from epaper.build import build_edition

    source = tmp_path_factory.mktemp("xss-edition")
    (source / "articles").mkdir()
    (source / "edition.yaml").write_text(
        "title: The XSS Gazette\ndate: 2026-11-29\nedition: test\nlanguage: en\nformat: tabloid\n"
        "sections:\n  - {name: Front, pages: 1, template: front}\n", encoding="utf-8")
    body = ["Councillors met on Tuesday to discuss the harbour wall and the ferry timetable. " * 6] * 4
    for article_id, headline, priority in (("script-headline", XSS_HEADLINE, 1),
                                           ("ferry-times", "Ferry timetable changes from Monday", 2),
                                           ("reading-room", "Library opens a reading room by the quay", 3)):
        (source / "articles" / f"{article_id}.json").write_text(json.dumps(
            {"id": article_id, "section": "Front", "priority": priority, "headline": headline,
             "byline": "By <b>Mallory</b>", "body": body}), encoding="utf-8")
    out_root = tmp_path_factory.mktemp("xss-output")
    result = build_edition(source, out_root)
    with serve(out_root) as url:
        yield {"url": f"{url}/{Path(result.out_dir).name}/"}


class Problems:
    """Console errors, uncaught exceptions and CSP violations seen by one page."""

    def __init__(self, page) -> None:
        self.items: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.items.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.items.append(f"pageerror: {e}"))
        page.on("console", lambda m: m.text.startswith("CSP violation") and self.items.append(m.text))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.warn('CSP violation: ' + e.violatedDirective + ' ' + e.sourceFile + ':' + e.lineNumber));")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    page = context.new_page()
    problems = Problems(page)
    yield page
    context.close()
    assert problems.items == [], "the page reported errors"


def open_viewer(page, sample, fragment: str = "") -> None:
    page.goto(sample["url"] + "index.html" + fragment)
    wait_until(page, "window.epaper !== undefined")


def current_page(page) -> int:
    return page.evaluate("window.epaper.state.page")


def expect_page(page, number: int, total: int) -> None:
    sync_api.expect(page.locator("#page-indicator")).to_contain_text(f"Page {number} of {total}")


def deep_zoom(page) -> bool:
    return page.evaluate("window.epaper.mode") == "deepzoom"


def test_archive_opens_the_edition(page, sample):
    page.goto(sample["root_url"] + "/index.html")
    edition = sample["layout"]["edition"]
    link = page.get_by_role("link", name=re.compile(re.escape(edition["title"])))
    sync_api.expect(link.first).to_be_visible()
    link.first.click()
    wait_until(page, "window.epaper !== undefined")
    expect_page(page, 1, len(sample["layout"]["pages"]))
    sync_api.expect(page.locator("h1")).to_have_text(edition["title"])


def test_page_three_by_thumbnail_and_by_keyboard(page, sample):
    total = len(sample["layout"]["pages"])
    open_viewer(page, sample)
    page.locator('.thumbs a[data-page="3"]').click()
    expect_page(page, 3, total)
    sync_api.expect(page.locator('.thumbs a[data-page="3"]')).to_have_attribute("aria-current", "page")
    sync_api.expect(page.locator('.article-list[data-page="3"]')).to_be_visible()
    assert page.locator("#page-pdf").get_attribute("href") == "pages/003.pdf"

    page.keyboard.press("Home")
    expect_page(page, 1, total)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect_page(page, 3, total)
    page.keyboard.press("PageDown")
    expect_page(page, 4, total)
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowLeft")
    expect_page(page, 2, total)
    page.go_back()  # pages are history entries
    expect_page(page, 3, total)


# The element with the focus: its id (or tag), and the tab stops of the page's toolbar.
FOCUSED = "document.activeElement.id || document.activeElement.tagName"
TOOLBAR_STOPS = "[...document.querySelectorAll('.toolbar [tabindex=\"0\"]')].map(e => e.id)"
TOOLBAR_ORDER = ["prev-page", "next-page", "text-mode", "zoom-out", "zoom-in", "zoom-home", "page-pdf"]


def test_the_page_toolbar_is_one_tab_stop_with_arrow_keys_between_its_controls(page, sample):
    """An accessibility audit: the page's toolbar had no toolbar's arrow keys, each of its seven
    controls a tab stop of its own. WAI-ARIA's toolbar pattern now: Tab enters it once, at the
    control last used in it; Left and Right go from control to control (round from the ends), Home
    and End to the first and the last, and none of them turns the page there. A control disabled is
    passed over; in a text field the arrows move the caret."""
    total = len(sample["layout"]["pages"])
    open_viewer(page, sample, "#p=2")
    toolbar = page.locator(".toolbar")
    sync_api.expect(toolbar).to_have_attribute("role", "toolbar")
    sync_api.expect(page.get_by_role("toolbar")).to_have_accessible_name("Page")
    assert page.evaluate(TOOLBAR_STOPS) == ["prev-page"]
    # One tab stop: from the sections bar Tab reaches "Previous page", and the next Tab the page.
    page.locator(".sections a").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "prev-page"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#page-view') !== null")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED) == "prev-page"
    # Right goes along the toolbar and round; Left back; Home and End to its ends.
    for expected in TOOLBAR_ORDER[1:] + TOOLBAR_ORDER[:2]:
        page.keyboard.press("ArrowRight")
        assert page.evaluate(FOCUSED) == expected
        assert page.evaluate(TOOLBAR_STOPS) == [expected]  # the roving tab stop went with it
    for expected in ("prev-page", "page-pdf", "zoom-home"):
        page.keyboard.press("ArrowLeft")
        assert page.evaluate(FOCUSED) == expected
    page.keyboard.press("Home")
    assert page.evaluate(FOCUSED) == "prev-page"
    page.keyboard.press("End")
    assert page.evaluate(FOCUSED) == "page-pdf"
    page.wait_for_timeout(300)
    assert current_page(page) == 2 and page.url.endswith("#p=2"), "no key in the toolbar turned the page"
    # Tab leaves it and Shift+Tab comes back to the control last used.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.toolbar') === null")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED) == "zoom-home"
    # A click makes its control the tab stop.
    page.locator("#next-page").click()
    expect_page(page, 3, total)
    assert page.evaluate(TOOLBAR_STOPS) == ["next-page"]
    # Over the page as text the zoom buttons are disabled: passed over, and never the tab stop.
    page.locator("#zoom-in").focus()
    page.locator("#text-mode").click()
    sync_api.expect(page.locator("#page-text")).to_be_visible()
    assert page.evaluate(TOOLBAR_STOPS) == ["text-mode"]
    page.keyboard.press("ArrowRight")
    assert page.evaluate(FOCUSED) == "page-pdf"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(FOCUSED) == "next-page"
    page.locator("#text-mode").click()
    sync_api.expect(page.locator("#page-view")).to_be_visible()
    # Outside the toolbar the arrows still turn the page.
    page.locator("#page-view .openseadragon-canvas").focus()
    page.keyboard.press("ArrowRight")
    expect_page(page, 4, total)
    # A text field in the toolbar (a search box, as a toolbar may hold): the arrows move its caret.
    page.evaluate("""() => { const input = document.createElement('input'); input.id = 'toolbar-field';
        input.value = 'harbour'; document.querySelector('#zoom-home').after(input); }""")
    field = page.locator("#toolbar-field")
    field.focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(FOCUSED) == "toolbar-field"
    assert field.evaluate("e => e.selectionStart") == len("harbour") - 2
    page.keyboard.press("Home")
    assert page.evaluate(FOCUSED) == "toolbar-field" and field.evaluate("e => e.selectionStart") == 0
    page.locator("#zoom-home").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(FOCUSED) == "toolbar-field"  # one of its controls, reached as they are
    expect_page(page, 4, total)


def test_a_hindi_storys_title_is_in_hindi_but_for_the_papers_name(page, sample):
    """An accessibility audit: a Hindi story's text view is a Hindi document (lang="hi"); its title
    is its headline and the paper's name, and no other word of another language (no English "page"
    or "edition" in it)."""
    title = sample["layout"]["edition"]["title"]
    hindi = [d for d in sample["search"]["documents"] if (d.get("lang") or "").startswith("hi")]
    assert hindi
    for doc in hindi[:3]:
        page.goto(sample["url"] + doc["href"])
        assert page.evaluate("document.documentElement.lang") == "hi"
        assert page.title() == f"{doc['headline']} · {title}"
        assert not re.search(r"[A-Za-z]", page.title().replace(title, "")), page.title()


def _scale_factor(url: str, width: int) -> int:
    region, size = url.split("/tiles/", 1)[1].split("/")[1:3]
    region_w = width if region == "full" else int(region.split(",")[2])
    size_w = width if size == "max" else int(size.split(",")[0])
    return round(region_w / size_w)


def test_zoom_loads_deeper_tiles_and_hotspots_stay_on_their_article(page, sample):
    requests: list[str] = []
    tiles = tile_set_of(sample["out_dir"], 3)
    page.on("request", lambda r: f"/tiles/{tiles.name}/" in r.url and r.url.endswith(".jpg") and requests.append(r.url))
    open_viewer(page, sample, "#page=3")
    if not deep_zoom(page):
        pytest.skip("OpenSeadragon is not vendored (npm not run): the viewer uses plain images")
    info = json.loads((tiles / "info.json").read_text())
    wait_until(page, "window.epaper.viewer.world.getItemCount() === 1 && window.epaper.viewer.world.getItemAt(0).getFullyLoaded()")
    before = min(_scale_factor(u, info["width"]) for u in requests)

    region = sample["layout"]["pages"][2]["articles"][0]
    hotspot = page.locator(f'#page-view a.hotspot[data-article="{region["id"]}"]').first
    sync_api.expect(hotspot).to_have_count(1)
    sync_api.expect(hotspot).to_be_visible()  # (an overlay is placed at the viewer's next frame)

    def expected_box() -> dict:
        return page.evaluate(
            """([x, y, w, h]) => {
                const v = window.epaper.viewer, item = v.world.getItemAt(0), size = item.getContentSize();
                const pw = %f, ph = %f;
                const r = v.viewport.viewportToViewerElementRectangle(item.imageToViewportRectangle(new OpenSeadragon.Rect(x / pw * size.x, y / ph * size.y, w / pw * size.x, h / ph * size.y)));
                const c = v.element.getBoundingClientRect();
                return {x: c.left + r.x, y: c.top + r.y, width: r.width, height: r.height};
            }""" % tuple(sample["layout"]["page_size"]),
            region["boxes"][0],
        )

    def assert_aligned() -> None:
        actual, expected = hotspot.bounding_box(), expected_box()
        for key in ("x", "y", "width", "height"):
            assert actual[key] == pytest.approx(expected[key], abs=2.5), (key, actual, expected)

    assert_aligned()
    home_width = hotspot.bounding_box()["width"]
    for _ in range(5):
        page.locator("#zoom-in").click()
    wait_until(page, "!window.epaper.viewer.viewport.getZoom(false) || Math.abs(window.epaper.viewer.viewport.getZoom(false) - window.epaper.viewer.viewport.getZoom(true)) < 1e-6")
    wait_until(page, "window.epaper.viewer.world.getItemAt(0).getFullyLoaded()", timeout=15)
    deeper = [u for u in requests if _scale_factor(u, info["width"]) < before]
    assert deeper, f"zooming in loaded no tile finer than scale factor {before}"
    assert min(_scale_factor(u, info["width"]) for u in requests) == 1
    assert_aligned()
    assert hotspot.bounding_box()["width"] > 4 * home_width


def test_clicking_an_article_reads_it_in_place(page, sample):
    first = sample["layout"]["pages"][0]["articles"][0]
    headline = next(d["headline"] for d in sample["search"]["documents"] if d["id"] == first["id"])
    open_viewer(page, sample, "#p=1")
    link = page.locator("#page-view").get_by_role("link", name=headline, exact=True)
    sync_api.expect(link).to_have_count(1)
    link.click()
    sync_api.expect(page.locator("dialog#reader")).to_have_attribute("open", "")
    sync_api.expect(page.frame_locator("#reader-frame").locator("h1")).to_have_text(headline)
    assert current_page(page) == 1
    # The standalone text view stays, one click away (for sharing and search engines).
    page.locator("#reader-open").click()
    page.wait_for_url(re.compile(rf"articles/{first['id']}\.html$"))
    sync_api.expect(page.locator("h1")).to_have_text(headline)
    assert page.locator(".body p").count() >= 2
    page.get_by_role("link", name=re.compile(r"Back to page 1")).click()
    wait_until(page, "window.epaper !== undefined")
    assert current_page(page) == 1
    sync_api.expect(page.locator(f'#page-view a.hotspot.is-active[data-article="{first["id"]}"]').first).to_be_attached()


def test_jump_link_goes_to_the_other_page(page, sample):
    jumps = [(p["number"], a) for p in sample["layout"]["pages"] for a in p["articles"] if a.get("continued_to")]
    if not jumps:
        pytest.skip("the sample edition has no jumped article")
    number, article = jumps[0]
    target = article["continued_to"]
    total = len(sample["layout"]["pages"])
    open_viewer(page, sample, f"#p={number}")
    link = page.locator(f'.article-list[data-page="{number}"] a.jump[href^="#p={target}&"]').first
    sync_api.expect(link).to_have_text(f"Continued on page {target}")
    link.click()
    expect_page(page, target, total)
    sync_api.expect(page.locator(f'#page-view a.hotspot.is-active[data-article="{article["id"]}"]').first).to_be_attached()
    # The printed jump line itself is a link on the page image, back to where the story started.
    back = page.locator(f'#page-view a.jump-link[href^="#p={number}"]')
    assert back.count() >= 1
    back.first.focus()
    page.keyboard.press("Enter")
    expect_page(page, number, total)


def test_a_refer_box_entry_goes_to_its_page(page, sample, sample_build):
    """A space nothing filled lists stories on other pages; each entry on the page image is a link."""
    laid_out = sample_build[0].laid_out
    refers = [(p.number, item) for p in laid_out.pages for item in p.items
              if isinstance(item, LinkArea) and any(isinstance(t, FillRect) and t.source and t.source.role == "refer"
                                                    and t.box.contains(item.box) for t in p.items)]
    if not refers:
        pytest.skip("the sample edition has no refer box")
    number, link_area = refers[0]
    open_viewer(page, sample, f"#page={number}")
    link = page.locator(f'#page-view a.jump-link[href^="#p={link_area.page}"]', has_text=link_area.label)
    sync_api.expect(link).to_have_count(1)
    link.click()
    expect_page(page, link_area.page, len(sample["layout"]["pages"]))


def _unique_word(documents: list[dict]) -> tuple[str, dict]:
    def fold(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()

    haystacks = [fold(" ".join([d["kicker"], d["headline"], d["deck"], d["text"], d["byline"], " ".join(d["tags"])]))
                 for d in documents]
    for doc in documents:
        for word in re.findall(r"[A-Za-z]{9,}", doc["text"]):
            w = fold(word)
            if sum(w in h for h in haystacks) == 1:
                return word, doc
    raise AssertionError("no word occurs in exactly one article")


def test_search_lands_on_the_article(page, sample):
    word, doc = _unique_word(sample["search"]["documents"])
    open_viewer(page, sample)
    page.locator("#search-input").fill(word.lower())
    hits = page.locator("#search-results a.search-hit")
    sync_api.expect(hits).to_have_count(1)
    sync_api.expect(hits.first).to_contain_text(doc["headline"])
    hits.first.click()
    expect_page(page, doc["page"], len(sample["layout"]["pages"]))
    sync_api.expect(page.locator(f'#page-view a.hotspot.is-active[data-article="{doc["id"]}"]').first).to_be_attached()
    sync_api.expect(page.locator("#reader")).to_be_visible()
    sync_api.expect(page.frame_locator("#reader-frame").locator("h1")).to_have_text(doc["headline"])
    page.keyboard.press("Escape")
    sync_api.expect(page.locator("#reader")).to_be_hidden()


def test_search_snippets_begin_and_end_on_whole_words(page, sample):
    """A snippet cut inside a word began a Hindi result with a vowel sign alone ("ि है।"): it is
    widened to whole words, whatever the script."""
    import unicodedata

    open_viewer(page, sample)
    for query in ("समुद्र", "council"):
        page.locator("#search-input").fill(query)
        snippets = page.locator("#search-results .hit-snippet")
        sync_api.expect(snippets.first).to_be_visible()
        texts = snippets.all_text_contents()
        docs = {" ".join(d["text"].split()) for d in sample["search"]["documents"]}
        for text in texts:
            body = text.strip("…")
            assert body and not unicodedata.category(body[0]).startswith("M"), text
            words = body.split()
            # Every word of it is a whole word of its story.
            assert any(f" {' '.join(words)} " in f" {d} " for d in docs), text


def test_download_a_page_pdf(page, sample):
    open_viewer(page, sample, "#page=3")
    link = page.locator("#page-pdf")
    size = (sample["out_dir"] / "pages/003.pdf").stat().st_size
    from epaper.web import human_size

    sync_api.expect(link).to_contain_text(human_size(size))
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "003.pdf"
    assert Path(download.path()).stat().st_size == size


def test_phone_layout(browser, sample, tmp_path):
    from PIL import Image

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = Problems(page)
    try:
        open_viewer(page, sample, "#page=2")
        page.wait_for_timeout(800)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling"
        thumbs = page.locator(".thumbs").bounding_box()
        view = page.locator("#page-view").bounding_box()
        assert view["width"] >= 380 and thumbs["y"] > view["y"], "page first, thumbnail strip below it"
        shot = tmp_path / "phone.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 30_000
        with Image.open(shot) as image:
            assert image.size == (780, 1688)
            assert len(image.convert("RGB").getcolors(1 << 20) or range(1 << 20)) > 200
        # A horizontal swipe turns the page (the page is at its fitted size).
        page.evaluate("""() => {
            const el = document.querySelector('#page-view .openseadragon-canvas') || document.querySelector('#page-view');
            const ev = (type, x) => new PointerEvent(type, {pointerType: 'touch', isPrimary: true, clientX: x, clientY: 400, bubbles: true});
            el.dispatchEvent(ev('pointerdown', 320)); el.dispatchEvent(ev('pointerup', 80));
        }""")
        expect_page(page, 3, len(sample["layout"]["pages"]))
        # The text view on a phone: large type, no sideways scrolling.
        page.goto(sample["url"] + "articles/" + sample["layout"]["pages"][0]["articles"][0]["id"] + ".html")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert float(page.evaluate("getComputedStyle(document.querySelector('.body p')).fontSize").rstrip("px")) >= 17
        page.screenshot(path=str(tmp_path / "phone-article.png"))
    finally:
        context.close()
    assert problems.items == []


def test_dark_mode_text_view(browser, sample):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(sample["url"] + "articles/" + sample["layout"]["pages"][0]["articles"][0]["id"] + ".html")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        r, g, b = map(int, re.findall(r"\d+", background)[:3])
        assert r + g + b < 150, background
    finally:
        context.close()


def test_fallback_without_openseadragon(browser, sample):
    """Without OpenSeadragon the page is a plain image and the article links still work."""
    context = browser.new_context()
    page = context.new_page()
    page.route("**/openseadragon.min.js", lambda route: route.abort())
    try:
        open_viewer(page, sample, "#page=1")
        assert page.evaluate("window.epaper.mode") == "plain"
        sync_api.expect(page.locator(".plain-page img")).to_have_attribute("src", "images/001.jpg")
        first = sample["layout"]["pages"][0]["articles"][0]
        hotspot = page.locator(f'.plain-page a.hotspot[data-article="{first["id"]}"]').first
        image = page.locator(".plain-page img").bounding_box()
        box = hotspot.bounding_box()
        pw, ph = sample["layout"]["page_size"]
        assert box["x"] == pytest.approx(image["x"] + first["boxes"][0][0] / pw * image["width"], abs=2)
        assert box["width"] == pytest.approx(first["boxes"][0][2] / pw * image["width"], abs=2)
        hotspot.click()
        sync_api.expect(page.locator("dialog#reader")).to_have_attribute("open", "")
        sync_api.expect(page.frame_locator("#reader-frame").locator("h1")).to_be_visible()
    finally:
        context.close()


def test_script_headline_shows_as_text(page, xss_site):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(xss_site["url"] + "index.html")
    wait_until(page, "window.epaper !== undefined")
    sync_api.expect(page.locator(".article-list").first.get_by_role("link", name=XSS_HEADLINE, exact=True)).to_be_visible()
    sync_api.expect(page.locator("#page-view").get_by_role("link", name=XSS_HEADLINE, exact=True)).to_have_count(1)
    page.locator("#search-input").fill("alert")
    sync_api.expect(page.locator("#search-results .hit-headline").first).to_have_text(XSS_HEADLINE)
    page.goto(xss_site["url"] + "articles/script-headline.html")
    sync_api.expect(page.locator("h1")).to_have_text(XSS_HEADLINE)
    sync_api.expect(page.locator(".byline")).to_have_text("By <b>Mallory</b>")
    assert dialogs == []


def test_a_hindi_search_typed_without_the_nukta_or_in_devanagari_digits_finds_the_story(page, sample):
    """A Hindi desk's audit: "जिला" found nothing where the copy has "ज़िला" (most readers and phone
    keyboards leave the nukta out), and "३५०" nothing where it has "350"."""
    import unicodedata

    documents = sample["search"]["documents"]

    def stories_with(word: str) -> set[str]:
        word = unicodedata.normalize("NFC", word)
        return {d["headline"] for d in documents if word in unicodedata.normalize("NFC", d["text"])}

    open_viewer(page, sample)
    hits = page.locator("#search-results a.search-hit .hit-headline")
    for typed, written in (("जिले", "ज़िले"), ("२०२७", "2027")):
        expected = stories_with(written) - stories_with(typed)  # found only by the folding
        assert expected, typed
        page.locator("#search-input").fill("")
        sync_api.expect(page.locator("#search-results")).to_be_hidden()  # (not the last query's hits)
        page.locator("#search-input").fill(typed)
        sync_api.expect(hits.first).to_be_visible()
        found = set(hits.all_text_contents())
        assert found & expected, (typed, found)
