"""The viewer on a phone, as an outside phone-reader audit found it (Chromium, touch, mobile mode):
search results begun off the screen's left edge; Close on a second story reopening the first; a
story followed from "More from …" in the panel shared (and named) as the one before; the zoom
buttons left enabled over the text view.

The sample edition (and, for the Hindi chrome's longer words, the Hindi one) built once and served
by ``epaper serve``'s server, read in Debian's chromium."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from browser_support import browser, playwright_or_skip, serve, served_sample, wait_until  # noqa: F401 (browser: a fixture)
from hindi_edition import make_hindi_edition

sync_api = playwright_or_skip()
expect = sync_api.expect

pytestmark = pytest.mark.slow

# The widths the audit measured, and the range a reader's screen (or window) may have.
WIDTHS = (320, 360, 375, 390, 393, 400, 412, 430, 480, 540, 600, 700, 800, 960, 1024, 1280)


@pytest.fixture(scope="module")
def site(sample_build):
    with served_sample(sample_build) as served:
        documents = json.loads((served["out_dir"] / "search.json").read_text())["documents"]
        yield {**served, "docs": {d["id"]: d for d in documents}}


@pytest.fixture(scope="module")
def hindi_site(tmp_path_factory):
    from epaper.build import build_edition

    root = tmp_path_factory.mktemp("hindi-phone")
    make_hindi_edition(root / "edition", digits="devanagari")
    result = build_edition(root / "edition", root / "out")
    with serve(root / "out") as url:
        yield {"url": f"{url}/{Path(result.out_dir).name}/"}


def phone_page(browser, width: int, height: int = 915):
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    return context, page, errors


@pytest.fixture
def phone(browser):
    context, page, errors = phone_page(browser, 360, 740)
    yield page
    context.close()
    assert errors == []


def open_viewer(page, url: str, fragment: str = "#p=1") -> None:
    page.goto(url + "index.html" + fragment)
    wait_until(page, "window.epaper !== undefined && window.epaper.shownAt !== undefined", timeout=20)


def panel_open(page) -> bool:
    return page.evaluate("document.getElementById('reader').open")


def tap_story(page, site, article_id: str) -> None:
    """Tap a story on the page image, as a finger does, and wait for it in the panel."""
    hotspot = page.locator(f'#page-view a.hotspot[data-article="{article_id}"]').first
    hotspot.scroll_into_view_if_needed()
    box = hotspot.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 40))
    expect(page.locator("dialog#reader")).to_have_attribute("open", "")
    expect(page.frame_locator("#reader-frame").locator("h1")).to_have_text(site["docs"][article_id]["headline"])


def results_on_screen(page, width: int) -> None:
    results, field = page.locator("#search-results"), page.locator("#search-input")
    expect(results.locator(".search-status")).to_be_visible()
    # Measured once the box has come to rest (the last letters typed still place it on a loaded machine).
    box, previous = results.bounding_box(), None
    for _ in range(40):
        if box == previous:
            break
        page.wait_for_timeout(50)
        previous, box = box, results.bounding_box()
    under = field.bounding_box()
    where = f"at {width} px: results {box['x']:.0f}..{box['x'] + box['width']:.0f}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, where
    assert box["y"] == pytest.approx(under["y"] + under["height"], abs=2), "under the search box"
    # What a reader reads first: the count, and each headline's start.
    assert page.locator("#search-results .search-status").bounding_box()["x"] >= 0, where
    assert page.locator("#search-results .hit-headline").first.bounding_box()["x"] >= 0, where


@pytest.mark.parametrize("width", WIDTHS)
def test_search_results_are_on_screen_under_the_search_box(browser, site, width):
    """The audit: at 412 px the results began at x = -151 (right-aligned with a search box that
    starts the masthead's second row), the count and the headlines' starts cut off."""
    context, page, errors = phone_page(browser, width)
    try:
        open_viewer(page, site["url"])
        page.locator("#search-input").tap()
        page.keyboard.type("seawall")
        results_on_screen(page, width)
    finally:
        context.close()
    assert errors == []


def test_search_results_stay_on_screen_when_the_phone_turns(browser, site):
    """Placed again as the screen's width changes (landscape to portrait: the masthead wraps)."""
    context, page, errors = phone_page(browser, 915, 412)
    try:
        open_viewer(page, site["url"])
        page.locator("#search-input").fill("seawall")
        results_on_screen(page, 915)
        page.set_viewport_size({"width": 412, "height": 915})
        page.wait_for_timeout(200)
        results_on_screen(page, 412)
    finally:
        context.close()
    assert errors == []


@pytest.mark.parametrize("width", (320, 360, 390, 540, 600, 1024))
def test_search_results_in_the_hindi_chrome_are_on_screen(browser, hindi_site, width):
    """The Hindi masthead's longer words wrap it elsewhere: off screen at 360 px (and 540, 600)."""
    context, page, errors = phone_page(browser, width)
    try:
        open_viewer(page, hindi_site["url"])
        page.locator("#search-input").fill("मछुआरे")
        results_on_screen(page, width)
    finally:
        context.close()
    assert errors == []


def front_stories(site) -> tuple[str, str]:
    """Two stories of the front page (the lead first)."""
    first, second = site["layout"]["pages"][0]["articles"][:2]
    return first["id"], second["id"]


@pytest.mark.parametrize("close", ["button", "escape"])
def test_closing_a_second_story_returns_to_the_page(phone, site, close):
    """The audit: Close on the second story opened showed the first one again (the frame's own
    history entry was what history.back() undid); Escape left its id in the address, which a reload
    opened again."""
    page = phone
    lead, other = front_stories(site)
    open_viewer(page, site["url"])
    for story in (lead, other):
        tap_story(page, site, story)
        if close == "button":
            page.locator("#reader-close").click()
        else:
            page.keyboard.press("Escape")
        expect(page.locator("dialog#reader")).to_be_hidden()
        wait_until(page, "!location.hash.includes('a=')")
        page.wait_for_timeout(400)  # (a second back, or a frame's navigation, would land by now)
        assert not panel_open(page), f"the panel opened again after closing {story}"
        assert page.evaluate("location.hash") == "#p=1"
    page.reload()
    wait_until(page, "window.epaper !== undefined")
    page.wait_for_timeout(300)
    assert not panel_open(page)


def related_elsewhere(site) -> tuple[int, str, str, int]:
    """A story and a "More from" story of its printed on another page: (page, story, other, its page)."""
    first: dict[str, int] = {}
    for layout_page in site["layout"]["pages"]:
        for article in layout_page["articles"]:
            first.setdefault(article["id"], layout_page["number"])
    for story, number in first.items():
        html = (site["out_dir"] / site["docs"][story]["href"]).read_text(encoding="utf-8")
        related = html.split('class="related"', 1)[-1] if 'class="related"' in html else ""
        for name in re.findall(r'<a href="([^"/]+)\.html"', related):
            if name in first and first[name] != number:
                return number, story, name, first[name]
    pytest.skip("no story of the sample lists one printed on another page")


def content_state(href: str) -> str:
    encoded = re.search(r"iiif-content=([A-Za-z0-9_-]+)", href).group(1)
    return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))["id"]


def test_a_more_from_story_is_the_one_shared_and_named(phone, site):
    """The audit: after "More from …" the panel read the new story but Share copied the one before,
    and the panel's name, "Open as page" and the IIIF link named it too; Close then went back to it."""
    page = phone
    page.add_init_script("navigator.share = (d) => { window.__shared = d; return Promise.resolve(); };")
    number, story, other, other_page = related_elsewhere(site)
    open_viewer(page, site["url"], f"#p={number}")
    page.locator(f'.article-list[data-page="{number}"] a[data-article="{story}"]').click()
    frame = page.frame_locator("#reader-frame")
    expect(frame.locator("h1")).to_have_text(site["docs"][story]["headline"])
    frame.locator(f'.related a[href="{other}.html"]').click()
    headline = site["docs"][other]["headline"]
    expect(frame.locator("h1")).to_have_text(headline)
    wait_until(page, f"location.hash === '#p={other_page}&a={other}'")
    page.locator("#reader-share").click()
    wait_until(page, "window.__shared !== undefined")
    assert page.evaluate("window.__shared") == {"title": headline, "url": f"{site['url']}index.html#p={other_page}&a={other}"}
    expect(page.locator("#reader")).to_have_accessible_name(headline)
    expect(page.locator("#reader-open")).to_have_attribute("href", f"articles/{other}.html")
    iiif = page.locator("#reader-iiif").get_attribute("href")
    assert iiif.endswith(f"#p={other_page}&a={other}")
    assert re.fullmatch(rf"{re.escape(site['url'])}canvas/{other_page}#xywh=[\d,]+", content_state(iiif))
    assert page.evaluate("window.epaper.state.page") == other_page  # the page behind it is the story's
    # Close returns to the page the reader was on, the panel closed.
    page.locator("#reader-close").click()
    wait_until(page, f"location.hash === '#p={number}'")
    page.wait_for_timeout(400)
    assert not panel_open(page)
    assert page.evaluate("window.epaper.state.page") == number


def test_a_more_from_story_on_the_same_page_keeps_the_page(phone, site):
    """A story of the page behind the panel: the page stays, the address names the new story."""
    page = phone
    lead, _ = front_stories(site)
    html = (site["out_dir"] / site["docs"][lead]["href"]).read_text(encoding="utf-8")
    on_front = {a["id"] for a in site["layout"]["pages"][0]["articles"]}
    names = [n for n in re.findall(r'<a href="([^"/]+)\.html"', html.split('class="related"', 1)[-1]) if n in on_front]
    if not names:
        pytest.skip("the lead story lists no other front-page story")
    open_viewer(page, site["url"])
    tap_story(page, site, lead)
    page.frame_locator("#reader-frame").locator(f'.related a[href="{names[0]}.html"]').click()
    expect(page.frame_locator("#reader-frame").locator("h1")).to_have_text(site["docs"][names[0]]["headline"])
    wait_until(page, f"location.hash === '#p=1&a={names[0]}'")
    expect(page.locator(f'#page-view a.hotspot.is-active[data-article="{names[0]}"]').first).to_be_attached()
    page.keyboard.press("Escape")
    wait_until(page, "location.hash === '#p=1'")
    expect(page.locator("dialog#reader")).to_be_hidden()


def test_zoom_buttons_are_disabled_in_the_text_view(phone, site):
    """The audit: +, − and Fit stayed enabled over the text view, and did nothing there."""
    page = phone
    open_viewer(page, site["url"])
    zooms = [page.locator(f"#{name}") for name in ("zoom-in", "zoom-out", "zoom-home")]
    for button in zooms:
        expect(button).to_be_enabled()
    page.locator("#text-mode").click()
    expect(page.locator("#page-text")).to_be_visible()
    for button in zooms:
        expect(button).to_be_disabled()
    page.locator("#text-mode").focus()
    page.keyboard.press("+")  # nor does the key zoom the hidden page, to be found zoomed on the way back
    page.locator("#text-mode").click()
    expect(page.locator("#page-view")).to_be_visible()
    for button in zooms:
        expect(button).to_be_enabled()
    # At the page's fitted size (once the deep-zoom view has measured the page view shown again).
    wait_until(page, "Math.abs(window.epaper.zoom() - 1) < 0.05")
    page.locator("#zoom-in").click()
    wait_until(page, "window.epaper.zoom() > 1.3")
