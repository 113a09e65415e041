"""The static epaper site without a browser: escaping, CSP-safe markup, text views, photos, archive."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from epaper.web import Downloads, FileLink, PhotoError, human_size
from epaper.web.photos import export_photo
from synthetic_edition import XSS_HEADLINE, build_synthetic_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_synthetic_site(tmp_path_factory.mktemp("web"))


class Markup(HTMLParser):
    """Collects what the CSP cares about: scripts, inline handlers, style attributes and elements."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.inline_handlers: list[str] = []
        self.style_attributes = 0
        self.style_elements = 0
        self.csp: list[str] = []
        self.text_in: dict[str, list[str]] = {}
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
        if tag == "style":
            self.style_elements += 1
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(a["content"])
        self.inline_handlers += [k for k in a if k.startswith("on")]
        self.style_attributes += "style" in a
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self._stack:
            self.text_in.setdefault(self._stack[-1], []).append(data)


def parse(path: Path) -> Markup:
    parser = Markup()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def all_pages(site) -> list[Path]:
    return [site.out_dir / "index.html", site.out_root / "index.html", *sorted((site.out_dir / "articles").glob("*.html"))]


def test_every_page_is_csp_safe(site):
    for path in all_pages(site):
        markup = parse(path)
        assert markup.csp == ["default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"], path
        for script in markup.scripts:
            assert script.get("src") or script.get("type") == "application/json", (path, script)
        assert not markup.inline_handlers and not markup.style_attributes and not markup.style_elements, path


def test_hostile_text_is_escaped_everywhere(site):
    viewer = (site.out_dir / "index.html").read_text()
    article = (site.out_dir / "articles/xss-test.html").read_text()
    for html in (viewer, article):
        assert "<script>alert(1)" not in html
        assert "<b>Mallory</b>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in article
    # Inside the JSON data block "<" is escaped too, so no "</script>" can close the block early.
    data_block = viewer.split('id="epaper-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block
    data = json.loads(data_block)
    assert data["pages"][0]["regions"][2]["headline"] == XSS_HEADLINE
    assert parse(site.out_dir / "articles/xss-test.html").text_in["h1"] == [XSS_HEADLINE]


def test_text_views_only_for_placed_articles(site):
    names = {p.stem for p in (site.out_dir / "articles").glob("*.html")}
    assert names == {"harbour-plan", "lighthouse", "xss-test", "market-day", "library-hours", "bridge-repairs", "hindi-news"}


def test_text_view_has_the_whole_article(site):
    html = (site.out_dir / "articles/harbour-plan.html").read_text()
    article = next(a for a in site.source.edition.articles if a.id == "harbour-plan")
    markup = parse(site.out_dir / "articles/harbour-plan.html")
    assert markup.text_in["h1"] == [article.headline]
    for expected in ("Council", "Ferry quay to be rebuilt by spring", "By Ada Lovelace", "ALDERY",
                     "Boats at the quay at dawn.", "Photo: A. Reporter", "Saturday, November 28, 2026, 06:15"):
        assert expected in html, expected
    for paragraph in article.body:
        for run in paragraph.runs:
            assert run.text in html
    assert "<strong>Bold start </strong>" in html and "<em> in italics</em>" in html
    assert f"<h2>{article.body[2].text}</h2>" in html  # the subhead
    assert '<li>Harbour</li>' in html and '<li>Council</li>' in html
    # Back to both pages of the jump, and related stories from the same section only.
    assert 'href="../index.html#p=1&amp;h=harbour-plan"' in html
    assert 'href="../index.html#p=3&amp;h=harbour-plan"' in html
    assert 'href="lighthouse.html"' in html and 'href="market-day.html"' not in html
    assert 'lang="en"' in html
    hindi = (site.out_dir / "articles/hindi-news.html").read_text()
    assert '<article lang="hi"' in hindi and "दिल्ली में सर्दी का मौसम शुरू" in hindi


@pytest.mark.parametrize("published, shown", [
    ("2011-04-13", '<time datetime="2011-04-13">Wednesday, April 13, 2011</time>'),  # a date alone: no 00:00
    ("2011-04-13T06:15:00", '<time datetime="2011-04-13T06:15:00">Wednesday, April 13, 2011, 06:15</time>'),
    ("2011-04-13T06:15:00+05:30", '<time datetime="2011-04-13T06:15:00+05:30">Wednesday, April 13, 2011, 06:15</time>'),
])
def test_a_text_view_shows_published_as_given(site, tmp_path, published, shown):
    """A review: a date-only ``published`` (docs/contracts.md: "an ISO 8601 date or time") was shown
    as "Wednesday, April 13, 2011, 00:00" with datetime="2011-04-13T00:00:00"."""
    from dataclasses import replace

    from epaper.web.placements import placed_articles
    from epaper.web.textview import write_text_views

    placed = placed_articles(site.source.edition, site.source.pages)
    placed = {"market-day": replace(placed["market-day"], article=replace(placed["market-day"].article, published=published))}
    write_text_views(site.source.edition, placed, tmp_path)
    assert shown in (tmp_path / "articles/market-day.html").read_text()


def test_more_from_a_section_in_another_language_marks_the_sections_name(site, tmp_path):
    """A review: a text view's "More from देश" (the section's other stories) was read in the
    edition's voice; the name is marked with its section's language, and only then."""
    from dataclasses import replace

    from epaper.web.placements import placed_articles
    from epaper.web.textview import write_text_views

    edition = site.source.edition
    placed = placed_articles(edition, site.source.pages)
    entry = next(e for e in placed.values()
                 if any(o.article.section == e.article.section and o.id != e.id for o in placed.values()))
    section = entry.article.section
    write_text_views(edition, placed, tmp_path / "en")
    assert f'More from {section}</h2>' in (tmp_path / "en" / entry.href).read_text()
    hindi = replace(edition, sections=tuple(replace(s, language="hi") if s.name == section else s
                                            for s in edition.sections))
    write_text_views(hindi, placed, tmp_path / "hi")
    assert f'More from <span lang="hi">{section}</span></h2>' in (tmp_path / "hi" / entry.href).read_text()


def test_photos_are_downsampled_jpegs(site):
    (photo,) = sorted((site.out_dir / "photos").glob("*.jpg"))
    with Image.open(photo) as image:
        assert image.format == "JPEG" and max(image.size) <= 1200
    assert photo.name == "harbour-plan-1.jpg"
    assert 'src="../photos/harbour-plan-1.jpg"' in (site.out_dir / "articles/harbour-plan.html").read_text()


def test_decompression_bombs_are_refused(tmp_path, monkeypatch):
    source = tmp_path / "big.png"
    Image.new("L", (120, 100)).save(source)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # the guard stays on, just lower
    with pytest.raises(PhotoError, match=r"big\.png.*decompression bomb"):
        export_photo(source, tmp_path / "out.jpg")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5_000)  # beyond 2x: Pillow itself raises
    with pytest.raises(PhotoError, match="decompression bomb"):
        export_photo(source, tmp_path / "out.jpg")
    assert not (tmp_path / "out.jpg").exists()


def test_photo_that_is_not_an_image(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg")
    with pytest.raises(PhotoError, match="bad.jpg"):
        export_photo(bad, tmp_path / "out.jpg")


def test_a_message_filled_with_markup_escapes_all_but_the_markup():
    from markupsafe import Markup

    from epaper.i18n import Wording
    from epaper.web.templating import environment

    template = environment().from_string("{{ say_html('page_download', label=3, section=name) }}")
    marked = Markup('<span lang="en">A&amp;B</span>')
    assert template.render(words=Wording("hi", "devanagari"), name=marked) == f"पृष्ठ ३ · {marked}"
    assert template.render(words=Wording("en"), name="<b>") == "Page 3 · &lt;b&gt;"


def test_viewer_lists_pages_sections_and_downloads(site):
    html = (site.out_dir / "index.html").read_text()
    for n in range(1, 5):
        assert f'href="#p={n}" data-page="{n}"' in html
        assert f'href="pages/00{n}.pdf" download' in html
    size = human_size((site.out_dir / "edition.pdf").stat().st_size)
    assert f'href="edition.pdf" download>Edition PDF <span class="size">{size}</span>' in html
    # A section named in another language than the edition's is marked so (a screen reader's voice).
    assert 'data-page="4" lang="hi">देश</a>' in html and '<span lang="hi">देश</span>' in html
    assert 'download>Page 4 · <span lang="hi">देश</span></a>' in html  # in the downloads list too
    assert 'data-page="2">City</a>' in html
    assert "Continued on page 3" in html and "Continued from page 1" in html
    assert 'src="static/viewer.js"' in html
    assert (site.out_dir / "static/viewer.js").is_file() and (site.out_dir / "static/text.css").is_file()


def test_openseadragon_is_copied_when_vendored(site):
    from epaper.web.assets import openseadragon_dir

    html = (site.out_dir / "index.html").read_text()
    if openseadragon_dir() is None:
        assert "openseadragon" not in html
        pytest.skip("OpenSeadragon is not vendored here (run `make install` with npm)")
    assert (site.out_dir / "static/vendor/openseadragon/openseadragon.min.js").is_file()
    assert (site.out_dir / "static/vendor/openseadragon/images").is_dir()
    assert 'src="static/vendor/openseadragon/openseadragon.min.js"' in html


@pytest.mark.slow
def test_without_openseadragon_the_site_still_builds(tmp_path, monkeypatch):
    import epaper.web.assets as assets

    monkeypatch.setattr(assets, "openseadragon_dir", lambda: None)
    site = build_synthetic_site(tmp_path, workers=1)
    assert "openseadragon" not in (site.out_dir / "index.html").read_text()
    assert not (site.out_dir / "static/vendor").exists()


def test_search_index_covers_placed_articles(site):
    index = json.loads((site.out_dir / "search.json").read_text())
    docs = {d["id"]: d for d in index["documents"]}
    assert "not-placed" not in docs and "harbour-plan" in docs
    assert docs["harbour-plan"]["pages"] == [1, 3] and docs["harbour-plan"]["href"] == "articles/harbour-plan.html"
    assert "Bold start" in docs["harbour-plan"]["text"]
    assert docs["hindi-news"]["lang"] == "hi"


def test_archive_says_a_zones_renumbered_pages_are_the_main_editions():
    """An outside desk audit: a zone that adds a section before Nation numbers the main edition's
    pages on by one, and the archive said "pages that differ: 1, 6, 7, 8, …, 19", read as fifteen
    pages the zone made. Its own pages are said apart from the main edition's renumbered ones."""
    from dataclasses import replace

    from epaper.i18n import Wording
    from epaper.web.archive import EditionEntry, _night_line

    moved = list(range(7, 20))
    night = {"edition": "zone", "editions": [
        {"id": "main", "name": "city", "main": True, "pages": 18, "differs_from_main": []},
        {"id": "zone", "name": "North Shore", "main": False, "pages": 19, "differs_from_main": [1, 6, *moved]}],
        "differs_from_main": [{"page": 1, "reason": "front"}, {"page": 6, "reason": "own"},
                              *({"page": n, "reason": "moved"} for n in moved)]}
    entry = EditionEntry("zone", "zone", "The Courier", "2026-11-28", "north-shore", 19, "en", night=night)
    line = _night_line(entry, Wording("en", None))
    assert line == ("Zone edition of the City edition: shares 4 of its 19 pages (pages that differ: 1, 6; "
                    "pages 7–19: the main edition's, renumbered)")
    hindi = _night_line(entry, Wording("hi", "devanagari"))
    assert "१, ६" in hindi and "७–१९" in hindi and "मुख्य संस्करण के ही" in hindi
    # Without renumbered pages (or the reasons: an older report), as before.
    plain = {**night, "editions": [night["editions"][0], {**night["editions"][1], "differs_from_main": [1, 6], "pages": 18}],
             "differs_from_main": night["differs_from_main"][:2]}
    assert _night_line(replace(entry, night=plain), Wording("en", None)) == (
        "Zone edition of the City edition: shares 16 of its 18 pages (pages that differ: 1, 6)")


def test_archive_lists_editions_newest_first(site, tmp_path):
    import shutil

    from epaper.web import write_archive

    root = tmp_path / "out"
    shutil.copytree(site.out_dir, root / site.out_dir.name)
    older = root / "the-test-courier-2026-11-27-city"
    older.mkdir()
    (older / "layout.json").write_text(json.dumps({"edition": {"id": older.name, "title": "The Test Courier",
                                                               "date": "2026-11-27", "edition": "city"}, "pages": []}))
    (root / "junk").mkdir()
    (root / "junk" / "layout.json").write_text("{not json")
    write_archive(root)
    html = (root / "index.html").read_text()
    listed = html[html.index('class="editions"'):]  # the list under the month's calendar
    assert listed.index("Saturday, November 28, 2026") < listed.index("Friday, November 27, 2026")
    # The calendar links each day that has an edition to it, by date and edition name.
    assert re.search(r'<td class="has-edition"><span class="day">28</span><a href="[^"]+/index.html"[^>]*>City</a>', html)
    assert re.search(r'<td class="has-edition"><span class="day">27</span><a href="the-test-courier-2026-11-27-city/index.html"', html)
    assert f'href="{site.out_dir.name}/index.html"' in html and "junk" not in html
    assert (root / "static/text.css").is_file()
    collection = json.loads((root / "collection.json").read_text())
    assert [i["id"] for i in collection["items"]] == ["http://127.0.0.1:8000/collections/the-test-courier.json"]
    title = json.loads((root / "collections/the-test-courier.json").read_text())
    # Oldest first, each edition by its manifest's own id (the older one has none: its URL under the root).
    assert [i["id"] for i in title["items"]] == [f"http://127.0.0.1:8000/{older.name}/manifest.json",
                                                 json.loads((root / site.out_dir.name / "manifest.json").read_text())["id"]]
    assert [i["navDate"] for i in title["items"]] == ["2026-11-27T00:00:00Z", "2026-11-28T00:00:00Z"]


def test_archive_day_of_many_editions_shows_their_number_and_leads_to_their_fronts(tmp_path):
    """A night's zone editions share a date: the calendar cell shows how many (names would break in
    a phone's narrow cell) and leads to that day's first front in the list below."""
    from lxml import html as lxml_html

    from epaper.web.archive import write_archive

    root = tmp_path / "out"
    for date, edition in (("2026-11-28", "city"), ("2026-11-28", "harbour"), ("2026-11-28", "north shore"),
                          ("2026-11-27", "city")):
        folder = root / f"the-test-courier-{date}-{edition.replace(' ', '-')}"
        folder.mkdir(parents=True)
        (folder / "layout.json").write_text(json.dumps({"edition": {
            "id": folder.name, "title": "The Test Courier", "date": date, "edition": edition}, "pages": []}))
    write_archive(root)
    page = lxml_html.fromstring((root / "index.html").read_text(encoding="utf-8"))
    busy, quiet = (page.xpath(f'//table[@class="calendar"]//td[span[@class="day"]="{day}"]')[0] for day in (28, 27))
    [count] = busy.xpath('a')
    assert count.get("class") == "day-editions" and count.text == "3" and count.get("href") == "#d-2026-11-28"
    assert count.get("aria-label") == "3 editions of Saturday, November 28, 2026"
    assert [a.text for a in quiet.xpath("a")] == ["City"]  # one edition: its name as its masthead prints it, straight to it
    cards = page.xpath('//ul[@class="editions"]/li')
    assert [li.get("id") for li in cards] == ["d-2026-11-28", None, None, "d-2026-11-27"]
    assert [li.xpath('string(.//span[@class="edition-name"])') for li in cards][-1] == "City edition"


def test_human_sizes():
    assert human_size(999) == "999 B"
    assert human_size(1234) == "1.2 kB"
    assert human_size(250_400) == "250 kB"
    assert human_size(2_800_000) == "2.8 MB"
    assert FileLink("pages/001.pdf", 412_000).size == "412 kB"


def test_downloads_scan(site):
    downloads = Downloads.scan(site.out_dir)
    assert downloads.edition.path == "edition.pdf"
    assert [p.path for p in downloads.pages] == [f"pages/00{n}.pdf" for n in range(1, 5)]
    assert downloads.page(5) is None


def test_local_links_of_the_built_pages_resolve(sample_build):
    """Stylesheets, scripts, images and links of the real build point at files that exist
    (report.html's static/report.css included)."""
    import re
    from urllib.parse import unquote, urlsplit

    result, _ = sample_build
    out = Path(result.out_dir)
    pages = [out / "report.html", out / "index.html", *sorted((out / "articles").glob("*.html"))[:5]]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r"""(?:href|src)=["']([^"'#]+)""", html):
            if urlsplit(url).scheme or url.startswith("//"):
                continue
            target = (page.parent / unquote(urlsplit(url).path)).resolve()
            assert target.exists(), f"{page.name} links {url}, which the build did not write"


def test_service_worker_names_the_saved_files_and_versions_them(site, tmp_path):
    import hashlib
    import shutil

    from epaper.web.offline import offline_set, write_service_worker

    first_line = (site.out_dir / "sw.js").read_text(encoding="utf-8").splitlines()[0]
    config = json.loads(first_line.removeprefix("var CONFIG = ").removesuffix(";"))
    files = {name for name, _ in config["files"]}
    # Each with the digest of its bytes: a re-save (after a replate) takes the unchanged ones from the older copy.
    for name, digest in config["files"]:
        path = site.out_dir / ("index.html" if name == "./" else name)
        assert digest == hashlib.sha256(path.read_bytes()).hexdigest()[:16], name
    on_disk = lambda folder: {p.relative_to(site.out_dir).as_posix() for p in (site.out_dir / folder).glob("*.jpg")}
    assert {"./", "index.html", "search.js", "static/viewer.js", "static/viewer.css"} <= files
    assert on_disk("images") <= files and on_disk("thumbs") <= files and on_disk("photos") <= files
    assert {p.relative_to(site.out_dir).as_posix() for p in (site.out_dir / "articles").glob("*.html")} <= files
    assert not any(f.startswith("tiles/") or f.endswith(".gz") for f in files), "no deep-zoom tiles, no .gz copies"
    assert config["prefix"].startswith("epaper:") and config["version"] == offline_set(site.out_dir).version
    # A replate (one page image changed) gives another version, hence another sw.js.
    copy = tmp_path / "copy"
    shutil.copytree(site.out_dir, copy)
    image = sorted((copy / "images").glob("*.jpg"))[0]
    image.write_bytes(image.read_bytes() + b"\0")
    assert write_service_worker(copy, "x").version != config["version"]
    assert (copy / "sw.js").read_bytes() != (site.out_dir / "sw.js").read_bytes()


def test_the_saved_set_made_from_known_digests_is_the_one_read_from_disk(site):
    """The build gives the service worker the digests of the pages' files it has (objects of the
    build cache): the saved set is the same, weight and version, as when every file is read."""
    import hashlib

    from epaper.web.offline import offline_bytes, offline_set

    read = offline_set(site.out_dir)
    known = {name: hashlib.sha256((site.out_dir / name).read_bytes()).hexdigest()
             for name in read.files if name.startswith(("images/", "thumbs/"))}
    assert known and offline_set(site.out_dir, known=known) == read
    assert offline_bytes(site.out_dir) == read.bytes
    wrong = dict(known, **{next(iter(known)): "00" * 32})  # the digest is what the version is made from
    assert offline_set(site.out_dir, known=wrong).version != read.version


def test_saved_copy_is_measured_and_within_budget(site):
    from epaper.web.offline import offline_budget, offline_set

    saved = offline_set(site.out_dir)
    assert saved.bytes == sum((site.out_dir / f).stat().st_size for f in saved.files)
    pages = len(list((site.out_dir / "images").glob("*.jpg")))
    assert saved.bytes <= offline_budget(pages)
    data = json.loads(re.search(r'id="epaper-data">(.*?)</script>', (site.out_dir / "index.html").read_text()).group(1))
    assert data["offline"]["bytes"] <= saved.bytes and data["offline"]["size"] == human_size(data["offline"]["bytes"])


def test_precompressed_copies_match_their_files(site, tmp_path):
    import gzip
    import shutil

    from epaper.web import precompress

    out = tmp_path / "edition"
    shutil.copytree(site.out_dir, out)
    assert precompress(out) > 0
    packed = sorted(out.rglob("*.gz"))
    names = {p.relative_to(out).as_posix() for p in packed}
    assert {"index.html.gz", "search.js.gz", "search.json.gz", "manifest.json.gz", "static/viewer.js.gz"} <= names
    for path in packed:
        original = path.with_name(path.name[:-3])
        assert gzip.decompress(path.read_bytes()) == original.read_bytes(), path


def test_search_script_is_the_index(site):
    script = (site.out_dir / "search.js").read_text(encoding="utf-8")
    assert script.startswith("window.epaperSearch = ") and "</" not in script
    index = json.loads(script.removeprefix("window.epaperSearch = ").rstrip().removesuffix(";").replace("<\\/", "</"))
    assert index == json.loads((site.out_dir / "search.json").read_text(encoding="utf-8"))


def test_every_string_the_viewer_script_shows_is_in_the_catalogue():
    from epaper.i18n import catalogue

    source = (Path(__file__).resolve().parents[1] / "epaper/web/static/viewer.js").read_text(encoding="utf-8")
    keys = set(re.findall(r'\bt\("([a-z_]+)"', source)) | set(re.findall(r'prepareListen\([^)]*"([a-z_]+)"\)', source))
    assert keys and keys <= set(catalogue("en")), keys - set(catalogue("en"))
    # No sentence typed into the script itself: what it shows comes from the catalogue.
    assert not re.search(r'textContent = "[A-Z][a-z]+ ', source)


_COMPILES = """
import sys
from pathlib import Path
from epaper.web import templating
templating.keep_compiled_templates(Path(sys.argv[1]))
env = templating.environment()
compiled, compile = [], env.compile
env.compile = lambda *args, **kwargs: (compiled.append(args[1]), compile(*args, **kwargs))[1]
templating.load_templates()
print(len(compiled), len(env.list_templates()))
"""


def test_the_templates_are_compiled_once_for_the_processes_after(tmp_path):
    """A build keeps the compiled templates in its build cache: the next process loads them."""
    def run() -> list[int]:
        done = subprocess.run([sys.executable, "-c", _COMPILES, str(tmp_path)], capture_output=True, text=True,
                              check=True)
        return [int(n) for n in done.stdout.split()]

    first, second = run(), run()
    assert first[0] == first[1] > 3 and second == [0, first[1]]
    assert len(list(tmp_path.glob("*.cache"))) == first[1]


def test_templates_are_rendered_when_the_folder_keeping_them_is_gone(tmp_path):
    """A process that named an output folder for its compiled templates, then lost it (removed
    while it builds others), still renders every template."""
    code = _COMPILES.replace("templating.load_templates()", "import shutil; shutil.rmtree(sys.argv[1]); "
                             "templating.load_templates()")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "gone")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    compiled, templates = map(int, done.stdout.split())
    assert compiled == templates > 3


def test_web_fonts_go_with_an_edition_that_shows_devanagari(site, tmp_path):
    """The Devanagari web fonts (static/fonts/) are copied into an edition whose pages can show
    Devanagari (the synthetic one has a Hindi story), and its style sheets ask for them by a
    Devanagari-only unicode-range; an English-only edition gets the same style sheets without the
    files (its saved copy is the lighter)."""
    from dataclasses import replace

    from epaper.web.assets import copy_static, shows_devanagari

    edition = site.source.edition
    assert shows_devanagari(edition)
    assert sorted(p.name for p in (site.out_dir / "static" / "fonts").iterdir()) == [
        "OFL.txt", "noto-serif-devanagari-400.woff2", "noto-serif-devanagari-700.woff2"]
    css = (site.out_dir / "static" / "text.css").read_text(encoding="utf-8")
    assert css.startswith("/* Devanagari for readers") and "unicode-range: U+0900-097F" in css
    assert 'url("fonts/noto-serif-devanagari-400.woff2")' in css
    assert (site.out_root / "static" / "fonts" / "noto-serif-devanagari-700.woff2").is_file()  # the archive's

    english = replace(edition, articles=tuple(a for a in edition.articles if a.language == "en"),
                      sections=tuple(s for s in edition.sections if s.name != "देश"))
    assert not shows_devanagari(english)
    quoted = replace(english.articles[0], headline=english.articles[0].headline + " (नगर निगम)")
    assert shows_devanagari(replace(english, articles=(quoted, *english.articles[1:])))
    assert shows_devanagari(replace(english, language="mr"))
    copy_static(tmp_path / "en", web_fonts=False)
    assert (tmp_path / "en" / "text.css").read_text(encoding="utf-8") == css and not (tmp_path / "en" / "fonts").exists()


def test_the_font_rules_are_those_the_font_tool_writes():
    """static/fonts/faces.css is made by fonts/tools/webfonts.py from the same list of faces and
    Devanagari blocks (epaper.model.scripts) as the font files: edited by hand, it would name files
    or ranges the fonts were not made with."""
    import importlib.util

    from epaper.web.assets import STATIC_DIR

    tool = Path(__file__).resolve().parent.parent / "fonts" / "tools" / "webfonts.py"
    spec = importlib.util.spec_from_file_location("webfonts", tool)
    assert spec is not None and spec.loader is not None
    webfonts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(webfonts)
    assert (STATIC_DIR / "fonts" / "faces.css").read_text(encoding="utf-8") == webfonts.faces_css()
    assert {face.file for face in webfonts.FACES} == {p.name for p in (STATIC_DIR / "fonts").glob("*.woff2")}


def _archived_edition(root: Path, name: str, date: str, *, night: dict | None = None) -> Path:
    """An edition folder with what the archive reads: layout.json, report.json, version.json, manifest.json."""
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "layout.json").write_text(json.dumps({"edition": {"id": name, "title": "The Test Courier", "date": date,
                                                                "edition": "city"}, "pages": [{}, {}]}))
    (folder / "report.json").write_text(json.dumps({"night": night} if night else {}))
    (folder / "version.json").write_text(json.dumps({"number": 1, "made": f"{date}T21:00:00+05:30", "source": "x",
                                                     "breaker": "knuth-plass"}))
    (folder / "manifest.json").write_text(json.dumps({"id": f"https://news.example/{name}/manifest.json"}))
    return folder


def test_the_archive_reads_an_editions_files_again_only_when_they_changed(tmp_path):
    """A desk's folder holds thousands of editions, and every build and replate writes the archive
    from all of them: what was read from a file is kept (the build cache) while the file is the same
    file, and read again once it is replaced or changed."""
    from epaper.cache.file_facts import FileFacts
    from epaper.web.archive import FACTS_STAGE, find_editions, write_archive

    root = tmp_path / "out"
    folders = [_archived_edition(root, f"the-test-courier-2026-11-{day}-city", f"2026-11-{day}") for day in (26, 27, 28)]

    def listed() -> tuple[list, int]:
        facts = FileFacts(root, FACTS_STAGE)
        entries = find_editions(root, facts)
        facts.save()
        return entries, facts.files_read

    first, read = listed()
    assert read == 3 * 3  # layout.json, report.json and version.json of each
    assert listed() == (first, 0)
    # Published again (a new file in its place, as every build writes), and changed where it is.
    replaced = folders[1] / "report.json"
    main = folders[1].name  # built again as a night's main edition
    replaced.with_suffix(".new").write_text(json.dumps({"night": {"main": main, "edition": main, "editions": [
        {"id": main, "name": "city", "main": True, "pages": 2, "differs_from_main": []}]}}))
    os.replace(replaced.with_suffix(".new"), replaced)
    layout = folders[0] / "layout.json"
    layout.write_text(layout.read_text().replace('"city"', '"harbour"'))
    entries, read = listed()
    assert read == 2
    assert [e.edition for e in entries] == ["city", "city", "harbour"] and entries[1].night is not None
    # A file gone is asked for each time (what it meant is not remembered); a folder without
    # layout.json is no edition.
    (folders[2] / "report.json").unlink()
    assert listed() == (entries, 1) and listed() == (entries, 1)
    (folders[2] / "layout.json").unlink()
    entries, read = listed()
    assert [e.folder for e in entries] == [f.name for f in reversed(folders[:2])] and read == 0
    # The archive's page and collections, written from what is remembered, are what reading every
    # file makes, and follow a change at once: here one that makes another edition the first of its day.
    def same_as_from_scratch(copy: str) -> None:
        write_archive(root)
        write_archive(root)  # all remembered now: every card, manifest id and thumbnail
        fresh = tmp_path / copy
        shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(".store"))
        write_archive(fresh)  # nothing known there
        for name in ("index.html", "collection.json", "collections/the-test-courier.json"):
            assert (root / name).read_text() == (fresh / name).read_text(), name

    (folders[2] / "layout.json").write_text(json.dumps({"edition": {
        "id": folders[2].name, "title": "The Test Courier", "date": "2026-11-28", "edition": "city"}, "pages": [{}]}))
    same_as_from_scratch("fresh")
    # An edition moved to the 28th ahead of the one there, unchanged, which is no longer the first.
    older = folders[0] / "layout.json"
    older.write_text(older.read_text().replace("2026-11-26", "2026-11-28").replace('"harbour"', '"bay"'))
    same_as_from_scratch("fresher")
    cards = re.findall(r'<li( id="d-[-0-9]+")?>\s*<a href="([^/]+)/', (root / "index.html").read_text())
    assert cards == [(' id="d-2026-11-28"', folders[0].name), ("", folders[2].name), (' id="d-2026-11-27"', folders[1].name)]
    (folders[1] / "version.json").write_text(json.dumps({"number": 2, "made": "2026-11-27T23:41:00+05:30", "source": "x",
                                                         "breaker": "knuth-plass", "kept": [1]}))
    (folders[1] / "versions" / "1").mkdir(parents=True)
    (folders[1] / "versions" / "1" / "version.json").write_text((folders[0] / "version.json").read_text())
    (folders[1] / "versions" / "1" / "index.html").write_text("")
    write_archive(root)
    assert ">updated 23:41<" in (root / "index.html").read_text()
