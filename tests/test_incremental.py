"""Builds into the output of an earlier build, and replates: what is made again and what is reused,
checked by the files' digests (epaper.cache, epaper.products, epaper.publish.versions)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest

from browser_support import AXE, CHROMIUM, browser, run_axe, serve  # noqa: F401 - browser is a fixture
from small_edition import make_small_edition

import epaper.build
import epaper.pickled
import epaper.products
import epaper.tile_sets
from epaper.build import ReplateError, build_edition, replate_edition
from epaper.cache import Store
from epaper.cache.store import settle_discards
from epaper.cli import _page_list, main
from epaper.products import MEMO_STAGE, page_tasks, remembered, tile_files
from epaper.publish.versions import read_version, recover_edition
from epaper.tile_sets import collect_tile_sets, tile_set_name, tile_set_of, tile_sets_named

PAGE_FILES = ("pages/{}.pdf", "print/{}.pdf", "images/{}.jpg", "thumbs/{}.jpg", "alto/{}.xml")
TIMING_ONLY = {"report.json", "report.html", "report.json.gz", "report.html.gz", "version.json"}


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _page_digests(folder: Path, number: int) -> dict[str, str]:
    stem = f"{number:03d}"
    digests = {pattern.format(stem): hashlib.sha256((folder / pattern.format(stem)).read_bytes()).hexdigest()
               for pattern in PAGE_FILES}
    tiles = tile_set_of(folder, number)
    return digests | {f"tiles/{p.relative_to(tiles).as_posix()}": hashlib.sha256(p.read_bytes()).hexdigest()
                      for p in sorted(tiles.rglob("*")) if p.is_file() and p.name != "info.json"}


def _stray(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".building-" in p.name or ".old-" in p.name)


def _pages(folder: Path) -> list[dict]:
    return json.loads((folder / "layout.json").read_text(encoding="utf-8"))["pages"]


def _story_alone(result) -> tuple[int, str]:
    """A story past the front, not teased on it, on a page none of whose stories jump: (page, id)."""
    teased = {item.source.article_id for page in result.laid_out.pages for item in page.items
              if getattr(item, "source", None) is not None and item.source.role == "teaser"}
    for page in _pages(result.out_dir):
        if page["number"] == 1 or any(a["continued_to"] or a["continued_from"] for a in page["articles"]):
            continue
        for article in page["articles"]:
            if article["id"] not in teased:
                return page["number"], article["id"]
    raise AssertionError("no page without jumps in the test edition")


def _change_words(edition: Path, article_id: str) -> None:
    """One word of the story's body changed for another of the same length (a correction)."""
    path = next(p for p in (edition / "articles").iterdir() if p.stem == article_id)
    text = path.read_text(encoding="utf-8")
    match = re.search(r"(?<=[ \n])(the)(?= )", text.split("---")[-1] if path.suffix == ".md" else text)
    assert match, f"{path}: no 'the' in the body"
    head = text[: len(text) - len(text.split("---")[-1])] if path.suffix == ".md" else ""
    body = text[len(head):]
    path.write_text(head + body[:match.start()] + "its" + body[match.end():], encoding="utf-8")


@pytest.fixture()
def built(tmp_path):
    edition = make_small_edition(tmp_path / "edition")
    out = tmp_path / "out"
    first = build_edition(edition, out, workers=1)
    return edition, out, first


def test_a_replate_and_an_unchanged_build_read_no_pages_items_from_the_cache(built, monkeypatch):
    """The other pages' frames come from the build cache with their thousands of items still pickled
    (epaper.frame.Page.__getstate__), and nothing a replate of a page without jumps does, nor a build
    with nothing to make, reads them: everything the edition asks of every page comes beside them."""
    edition, out, first = built
    number, article = _story_alone(first)
    read: list[int] = []
    unpickled = epaper.pickled._unpickled
    monkeypatch.setattr(epaper.pickled, "_unpickled",
                        lambda name, data: (name == "items" and read.append(len(data))) or unpickled(name, data))
    _change_words(edition, article)
    result = replate_edition(out, number, workers=1)
    assert result.reuse.pages_made == (number,) and read == []
    build_edition(edition, out, workers=1)
    assert read == []


@pytest.mark.slow
def test_an_unchanged_rebuild_reuses_everything_and_says_so(built, capsys):
    edition, out, first = built
    before = _digests(first.out_dir)
    assert main(["build", str(edition), "--out", str(out), "--workers", "1"]) == 0
    said = capsys.readouterr().out
    assert re.search(r"From the previous build: reused the layout of (\d+) of \1 sections and (\d+) of \2 pages",
                     " ".join(said.split())), said
    report = json.loads((first.out_dir / "report.json").read_text(encoding="utf-8"))
    pages = [page["number"] for page in _pages(first.out_dir)]
    assert report["cache"]["pages_reused"] == pages and report["cache"]["pages_made"] == []
    assert report["cache"]["sections_laid_out"] == [] and report["cache"]["edition_files_reused"]
    after = _digests(first.out_dir)
    assert after.keys() == before.keys()  # the report's .gz copies too
    assert {k: v for k, v in after.items() if k not in TIMING_ONLY} == {
        k: v for k, v in before.items() if k not in TIMING_ONLY}
    # The edition's files are the store's objects (hard links), not copies.
    store = Store.of(out)
    pdf = first.out_dir / "pages" / "002.pdf"
    assert os.path.samefile(pdf, store.object_path(hashlib.sha256(pdf.read_bytes()).hexdigest()))


def test_a_pages_object_made_again_with_the_same_bytes_is_read_once_not_at_every_build(built, monkeypatch):
    """A page's record keeps its files' stamps; an object whose stamp changed but whose bytes did not
    (made again after a collection, or touched) is read to tell, the record then takes the new stamp;
    one whose bytes changed makes the page's products unknown (made again)."""
    _, out, first = built
    store = Store.of(out)
    [task, *_] = epaper.build.edition_page_tasks(first.laid_out, store, None)
    record = remembered(task)
    _, digest = record.files[0]
    os.utime(store.object_path(digest), ns=(1, 1))  # the same bytes, another stamp
    read: list[str] = []
    intact = Store.intact
    monkeypatch.setattr(Store, "intact", lambda self, d: read.append(d) or intact(self, d))
    assert remembered(task) is not None and read == [digest]
    assert remembered(task) is not None and read == [digest], "read once: the record took the new stamp"
    path = store.object_path(digest)
    path.chmod(0o644)
    with open(path, "ab") as tampered:
        tampered.write(b"%")
    assert remembered(task) is None and not store.has(digest)


@pytest.mark.slow
def test_each_pages_tiles_are_published_once_beside_the_editions(built):
    """An edition folder holds no tiles: each page's set is in the output root's tiles/<name>/, its
    tile images the page's products' objects (hard links) and its info.json naming the set, which
    the manifest's image service and the viewer name too."""
    _, out, first = built
    store = Store.of(out)
    products = [remembered(task) for task in epaper.build.edition_page_tasks(first.laid_out, store, None)]
    assert all(p is not None for p in products)
    assert not (first.out_dir / "tiles").exists()
    names = tile_sets_named(first.out_dir)
    assert list(names) == [tile_set_name(p, "http://127.0.0.1:8000/") for p in products]
    assert sorted(os.listdir(out / "tiles")) == sorted(names)
    viewer = json.loads(re.search(r'id="epaper-data">(.*?)</script>',
                                  (first.out_dir / "index.html").read_text(encoding="utf-8")).group(1))
    assert [page["tiles"] for page in viewer["pages"]] == [f"../tiles/{name}" for name in names]
    for page, name in zip(products, names):
        folder = out / "tiles" / name
        top = len(page.raster.tiles) + 1
        expected = {relative[top:]: digest for relative, digest in tile_files(page)}
        present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        assert present == set(expected) | {"info.json"}
        assert all(os.path.samefile(folder / relative, store.object_path(digest)) for relative, digest in expected.items())
        info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        assert info["id"] == f"http://127.0.0.1:8000/tiles/{name}" and info["width"] == page.raster.width


@pytest.mark.slow
def test_an_unchanged_rebuild_mends_a_published_edition_someone_changed(built):
    """A rebuild with nothing changed replaces only the report when the published folder is what it
    would write; a file removed, added or edited in place there (an edition's or a page's) makes it
    write the edition again, as it should be."""
    edition, out, first = built
    before = _digests(first.out_dir)
    tile = next(p for p in tile_set_of(first.out_dir, 2).rglob("*.jpg"))
    tile.unlink()
    (first.out_dir / "notes.txt").write_text("the desk's notes", encoding="utf-8")
    viewer = first.out_dir / "index.html"
    viewer.chmod(0o644)
    viewer.write_text("edited in place", encoding="utf-8")
    # A page's PDF appended to in place, as root may without a chmod: the build cache's object is
    # that file (a hard link), so the page is made again, not taken from the cache as it now is.
    page_pdf = first.out_dir / "pages" / "002.pdf"
    page_pdf.chmod(0o644)
    with open(page_pdf, "ab") as appended:
        appended.write(b"% tampered\n")
    build_edition(edition, out, workers=1)
    after = _digests(first.out_dir)
    assert {k: v for k, v in after.items() if k not in TIMING_ONLY} == {
        k: v for k, v in before.items() if k not in TIMING_ONLY}
    tiles = tile_set_of(first.out_dir, 2)
    page = next(p for p in (remembered(task) for task in epaper.build.edition_page_tasks(
        first.laid_out, Store.of(out), None)) if p is not None and p.number == 2)
    top = len(page.raster.tiles) + 1
    digest = next(d for relative, d in tile_files(page) if tiles / relative[top:] == tile)
    assert Store.of(out).linked(tile, digest), "the tile is put back as made: a link to its object"
    assert not [name for name in os.listdir(out / "tiles") if name.startswith(".")]
    # And with nothing touched, the report is new but every other file is the very same file.
    inodes = {p: p.stat().st_ino for p in first.out_dir.rglob("*") if p.is_file() and p.name not in TIMING_ONLY}
    build_edition(edition, out, workers=1)
    assert {p: p.stat().st_ino for p in first.out_dir.rglob("*")
            if p.is_file() and p.name not in TIMING_ONLY} == inodes


@pytest.mark.slow
def test_one_story_changed_makes_only_its_page_again(built):
    edition, out, first = built
    number, article = _story_alone(first)
    before = {n: _page_digests(first.out_dir, n) for n in (p["number"] for p in _pages(first.out_dir))}
    photos = {p.name: p.stat().st_ino for p in (first.out_dir / "photos").iterdir()}
    assert photos, "the test edition has photos in its text views"
    packed = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (first.out_dir / "articles").glob("*.html.gz")}
    _change_words(edition, article)
    result = build_edition(edition, out, workers=1)
    assert result.reuse.pages_made == (number,), result.reuse
    # The text views' photo copies are taken from the store, not decoded and encoded again; so are
    # the .gz copies of the text views whose bytes did not change (all but the changed story's and
    # its neighbours' "related" lists, which name it by headline only: the same bytes).
    assert {p.name: p.stat().st_ino for p in (result.out_dir / "photos").iterdir()} == photos
    now = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (result.out_dir / "articles").glob("*.html.gz")}
    assert now.keys() == packed.keys()
    same_bytes = [name for name in now if now[name][1] == packed[name][1]]
    assert same_bytes and all(now[name][0] == packed[name][0] for name in same_bytes)
    assert f"{article}.html.gz" not in same_bytes
    assert result.version is not None and result.version.number == 1 and not result.version.kept
    for n, digests in before.items():
        now = _page_digests(result.out_dir, n)
        if n == number:
            assert now["pages/%03d.pdf" % n] != digests["pages/%03d.pdf" % n]
        else:
            assert now == digests, f"page {n} changed"
    section = next(p["section"] for p in _pages(result.out_dir) if p["number"] == number)
    assert result.reuse.sections_laid_out == (section,)
    # The report names the others in the edition's order.
    names = [spec.name for spec in result.laid_out.edition.sections]
    assert list(result.reuse.sections_reused) == [name for name in names if name != section]


@pytest.mark.slow
def test_a_replate_makes_one_page_again_and_keeps_the_previous_version(built, capsys):
    edition, out, first = built
    number, article = _story_alone(first)
    before = _digests(first.out_dir)
    _change_words(edition, article)
    path = next(p for p in (edition / "articles").iterdir() if p.stem == article)
    misspelt = (re.sub(r"^\{", '{"kikcer": "Late",', path.read_text(encoding="utf-8"), count=1) if path.suffix == ".json"
                else re.sub(r"^---\n", "---\nkikcer: Late\n", path.read_text(encoding="utf-8"), count=1))
    path.write_text(misspelt, encoding="utf-8")  # a warning new in this version
    assert main(["replate", str(out), "--page", str(number), "--workers", "1"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert f"Version 2 (updated " in said and f"page {number} printed anew;" in said, said
    # The desk is told what is new since the version replated; what it was told then, as a count.
    assert first.warnings and not any(str(w) in said for w in first.warnings), said
    assert f"{len(first.warnings) + 1} warnings (printed without; --strict makes them errors), " \
           f"{len(first.warnings)} of them as before:" in said, said
    assert "kikcer" in said
    # Not "Built 5 pages": the replate says how many it made again.
    assert re.search(rf"{first.pages} pages in [\d.]+ s, 1 of them made again: ", said), said
    folder = first.out_dir
    after = _digests(folder)
    changed = {k for k in before if k not in TIMING_ONLY and after.get(k) != before[k]}
    stem = f"{number:03d}"
    per_page = {k for k in changed if re.match(r"(pages|print|images|thumbs|alto|tiles)/", k)}
    assert per_page and all(stem in k for k in per_page), sorted(per_page)
    assert "edition.pdf" in changed  # merged again
    # The previous version is whole in versions/1/, file for file (its manifest and tile ids moved there).
    kept = {k.removeprefix("versions/1/"): v for k, v in after.items() if k.startswith("versions/1/")}
    # (and its viewer's links made from versions/1/, with its note that a newer version is out)
    moved = {"manifest.json", "manifest.json.gz", "index.html", "index.html.gz"} | {
        k for k in before if k.endswith("info.json")}
    assert {k for k in kept if k not in moved} == {k for k in before if k not in moved and k != "info.json.gz"}
    assert all(kept[k] == before[k] for k in kept if k not in moved)
    manifest = json.loads((folder / "versions" / "1" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["id"].endswith(f"/{folder.name}/versions/1/manifest.json")
    version = json.loads((folder / "version.json").read_text(encoding="utf-8"))
    assert version["number"] == 2 and version["kept"] == [1] and number in version["replated"]
    # An archive's audit: the two versions were one object to it (one METS OBJID, the same manifest
    # but its URLs), and the kept one named a collection that does not list it.
    latest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "partOf" not in manifest and latest["partOf"]
    said = {m["label"]["en"][0]: m["value"]["en"][0] for m in latest["metadata"] if "en" in m["value"]}
    assert re.fullmatch(r"2, updated \d\d:\d\d", said["Version"]), said
    assert "Version" not in {m["label"]["en"][0] for m in manifest["metadata"]}
    mets = {n: ET.parse(f).getroot() for n, f in (("latest", folder / "mets.xml"),
                                                   ("kept", folder / "versions" / "1" / "mets.xml"))}
    assert mets["latest"].get("OBJID") == f"{folder.name}-v2" and mets["kept"].get("OBJID") == folder.name
    header = mets["latest"].find("{http://www.loc.gov/METS/}metsHdr")
    assert header.get("CREATEDATE") == version["made"]
    assert header.find("{http://www.loc.gov/METS/}altRecordID").text == folder.name
    viewer = (folder / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="edition-updated" href="versions/1/index.html".*updated \d\d:\d\d', viewer)
    kept_viewer = (folder / "versions" / "1" / "index.html").read_text(encoding="utf-8")
    assert "edition-updated" not in kept_viewer
    assert '<p class="superseded"><a href="../../index.html">A newer version of this edition is out' in kept_viewer
    assert '<p class="superseded" hidden>' in viewer and '<p class="superseded">' not in viewer
    assert 'class="archive-link" href="../../../index.html"' in kept_viewer  # the archive, from versions/1/
    assert 'class="archive-link" href="../index.html"' in viewer
    assert (folder / "versions" / "1" / "../../../index.html").resolve() == (out / "index.html").resolve()
    # A second replate keeps both earlier versions.
    _change_words(edition, article)
    result = replate_edition(out, number, workers=1)
    assert result.version is not None and result.version.number == 3 and result.version.kept == (1, 2)
    # The archive lists the earlier versions with the edition.
    archive = (out / "index.html").read_text(encoding="utf-8")
    for kept in (1, 2):
        assert f'href="{folder.name}/versions/{kept}/index.html"' in archive
    assert re.search(r'class="edition-versions"><time datetime="[^"]+">updated \d\d:\d\d</time> · earlier versions:',
                     archive), archive
    assert _digests(folder / "versions" / "1") == {k.removeprefix("versions/1/"): v for k, v in after.items()
                                                     if k.startswith("versions/1/")}
    # Each viewer's "updated" mark leads to the version before it, from where it is kept too.
    for viewer in (folder / "index.html", folder / "versions" / "2" / "index.html"):
        href = re.search(r'class="edition-updated" href="([^"]+)"', viewer.read_text(encoding="utf-8")).group(1)
        assert (viewer.parent / href).resolve().is_file(), (viewer, href)


def _archive_with_versions(built, times: Sequence[str] = ("23:10", "23:41", "23:52", "23:52", "23:52")) -> Path:
    """The built edition as its next version after the earlier ones made at ``times`` (by default
    five, three in one minute), kept, and the archive written for it: the output root."""
    from epaper.web.archive import write_archive

    _, out, first = built
    folder = first.out_dir
    shutil.rmtree(folder / "versions", ignore_errors=True)
    made = [f"2026-11-28T{time}:00+05:30" for time in times]
    for number, when in enumerate(made, start=1):
        kept = folder / "versions" / str(number)
        kept.mkdir(parents=True, exist_ok=True)
        (kept / "index.html").write_text("<!doctype html>", encoding="utf-8")
        (kept / "version.json").write_text(json.dumps({"number": number, "made": when, "source": "x",
                                                       "breaker": "knuth-plass", "base_url": None}), encoding="utf-8")
    record = folder / "version.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    record.unlink()  # a link to the store's object: replaced, not written through
    record.write_text(json.dumps({**data, "number": len(made) + 1, "made": "2026-11-28T23:58:00+05:30",
                                  "kept": list(range(1, len(made) + 1))}), encoding="utf-8")
    write_archive(out)
    return out


def test_the_archive_lists_the_last_earlier_versions_and_all_of_them_one_click_away(built):
    """A watched edition makes a version a save: dozens a night, many in the same minute."""
    out = _archive_with_versions(built)
    archive = (out / "index.html").read_text(encoding="utf-8")
    inline = re.search(r'class="edition-versions">(.*?)</span>', archive, flags=re.S).group(1)
    shown = re.findall(r'versions/(\d+)/index.html"><time datetime="[^"]+">([^<]+)</time>', inline)
    assert shown == [("3", "version 3, 23:52"), ("4", "version 4, 23:52"), ("5", "version 5, 23:52")], inline
    listed = re.search(r'<details class="edition-all-versions"><summary>all 5 earlier versions</summary>(.*?)</details>',
                       archive, flags=re.S).group(1)
    assert re.findall(r'versions/(\d+)/index.html"><time datetime="[^"]+">([^<]+)</time>', listed) == [
        ("5", "version 5, 23:52"), ("4", "version 4, 23:52"), ("3", "version 3, 23:52"), ("2", "version 2, 23:41"),
        ("1", "version 1, 23:10")]


def test_the_archive_labels_earlier_versions_alike_numbered_only_when_two_share_a_minute(built):
    """An audit read "22:42 · version 2, 22:45 · version 3, 22:45": the first as if unnumbered."""
    def shown(times: tuple[str, ...]) -> list[str]:
        archive = (_archive_with_versions(built, times) / "index.html").read_text(encoding="utf-8")
        inline = re.search(r'class="edition-versions">(.*?)</span>', archive, flags=re.S).group(1)
        return re.findall(r'versions/\d+/index.html"><time datetime="[^"]+">([^<]+)</time>', inline)

    assert shown(("22:42", "22:45", "22:45")) == ["version 1, 22:42", "version 2, 22:45", "version 3, 22:45"]
    assert shown(("22:42", "22:45", "22:50")) == ["22:42", "22:45", "22:50"]


@pytest.mark.slow
@pytest.mark.skipif(not AXE.is_file() or not CHROMIUM.is_file(),
                    reason="axe-core or chromium is not installed (make test installs both)")
def test_the_archive_with_its_versions_open_has_no_serious_accessibility_violation(built, browser):
    out = _archive_with_versions(built)
    with serve(out) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)  # axe is injected
        try:
            page = context.new_page()
            page.goto(url + "/index.html")
            page.locator("details.edition-all-versions summary").first.click()
            assert page.locator("details.edition-all-versions").first.get_attribute("open") is not None
            assert run_axe(page) == []
        finally:
            context.close()


@pytest.mark.slow
@pytest.mark.skipif(not AXE.is_file() or not CHROMIUM.is_file(),
                    reason="axe-core (npm) or Chromium is missing: run make test-deps")
def test_a_kept_version_tells_its_reader_a_newer_one_is_out(built, browser):
    """A reader who followed an old link to a replated edition meets its kept version: told that a
    newer one is out, one tap from it, on a phone; the latest says nothing of the kind."""
    edition, out, first = built
    number, article = _story_alone(first)
    _change_words(edition, article)
    replate_edition(out, number, workers=1)
    with serve(out) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)  # axe is injected
        try:
            page = context.new_page()
            page.goto(f"{url}/{first.out_dir.name}/versions/1/index.html")
            note = page.locator("p.superseded")
            assert note.is_visible() and "A newer version of this edition is out" in note.inner_text()
            assert run_axe(page) == []
            note.locator("a").click()
            page.wait_for_url(f"{url}/{first.out_dir.name}/index.html")
            assert not page.locator("p.superseded").is_visible()
            assert page.locator("a.edition-updated").is_visible()
        finally:
            context.close()


@pytest.mark.slow
def test_a_previous_version_a_killed_replate_had_not_filed_yet_is_filed_by_the_next_build(built, monkeypatch):
    """A replate that dies once the new version is published, half-way through moving the previous
    one into it (the earlier versions moved, itself not): the next replate files it whole."""
    edition, out, first = built
    folder = first.out_dir
    number, article = _story_alone(first)
    _change_words(edition, article)
    replate_edition(out, number, workers=1)  # version 2, keeping 1
    second = {k: v for k, v in _digests(folder).items() if not k.startswith("versions/")}

    def dies_half_way(old: Path, final: Path, previous) -> None:
        (final / "versions").mkdir()
        os.rename(old / "versions" / "1", final / "versions" / "1")
        raise RuntimeError("killed")

    monkeypatch.setattr(epaper.build, "file_previous", dies_half_way)
    _change_words(edition, article)
    with pytest.raises(RuntimeError, match="killed"):
        replate_edition(out, number, workers=1)  # version 3 published, version 2 beside it
    assert json.loads((folder / "version.json").read_text(encoding="utf-8"))["kept"] == [1, 2]
    assert not (folder / "versions" / "2").exists()
    monkeypatch.undo()
    _change_words(edition, article)
    result = replate_edition(out, number, workers=1)
    assert result.version.kept == (1, 2, 3)
    kept = _digests(folder / "versions" / "2")
    # Its manifest's and tiles' ids moved to its place, and its viewer's link to version 1 from there.
    moved = {k for k in second if k.startswith(("manifest.json", "index.html")) or "info.json" in k}
    assert {k for k in kept if k not in moved} == {k for k in second if k not in moved}
    assert all(kept[k] == second[k] for k in kept if k not in moved)
    manifest = json.loads((folder / "versions" / "2" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["id"].endswith(f"/{folder.name}/versions/2/manifest.json"), manifest["id"]
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".store"]


@pytest.mark.slow
def test_a_locked_build_over_an_edition_without_a_version_record_keeps_it_through_a_kill(built, monkeypatch):
    """An edition folder with no version.json (a night's, or built before versions were recorded)
    locked and built again, killed once the new version is published and before the old one is
    filed: the next build files it as version 1, whole."""
    edition, out, first = built
    folder = first.out_dir
    (folder / "version.json").unlink()
    before = _digests(folder)
    number, article = _story_alone(first)
    _change_words(edition, article)

    def dies_at_once(old: Path, final: Path, previous) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(epaper.build, "file_previous", dies_at_once)
    others = [p["number"] for p in _pages(folder) if p["number"] != number]
    with pytest.raises(RuntimeError, match="killed"):
        build_edition(edition, out, workers=1, lock_pages=others)
    monkeypatch.undo()
    recover_edition(folder)  # what the next build does first
    kept = _digests(folder / "versions" / "1")
    moved = {k for k in before if k.startswith(("manifest.json", "index.html")) or "info.json" in k}
    assert {k for k in kept if k not in moved} == {k for k in before if k not in moved} | {"version.json"}
    assert all(kept[k] == before[k] for k in before if k not in moved)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".store"]


@pytest.mark.slow
def test_a_replate_of_a_page_with_a_jump_makes_the_jump_pages_again(built):
    """The page a story jumps to is made again with it, and so on (a page laid out again may move
    another of its stories' jumps); every page not made again is the same files."""
    edition, out, first = built
    pages = _pages(first.out_dir)
    jumped = next(((p["number"], a) for p in pages for a in p["articles"] if a["continued_to"]), None)
    if jumped is None:
        pytest.skip("no jump in the test edition")
    number, article = jumped
    before = {p["number"]: _page_digests(first.out_dir, p["number"]) for p in pages}
    _change_words(edition, article["id"])  # late news in the story that jumps (else nothing is made again)
    result = replate_edition(out, number, workers=1)
    assert result.published
    remade = set(result.version.replated)
    assert {number, article["continued_to"]} <= remade
    for page in _pages(result.out_dir):
        partners = {a[k] for a in page["articles"] for k in ("continued_to", "continued_from") if a[k]}
        if page["number"] in remade:
            assert partners <= remade, f"page {page['number']} was made again without its jump pages"
        else:
            assert _page_digests(result.out_dir, page["number"]) == before[page["number"]]


@pytest.mark.slow
def test_the_page_keys_a_replate_finds_are_those_made_afresh(built):
    """The products' keys a build takes from its memo (by the digests of a page's frame and its
    jump partners' frames) are the keys page_key makes from the frames, after a replate that
    changed a story that jumps too (its pages and their partners composed again)."""
    edition, out, first = built
    jumped = next(((p["number"], a["id"]) for p in _pages(first.out_dir) for a in p["articles"]
                   if a["continued_to"]), None)
    if jumped is None:
        pytest.skip("no jump in the test edition")
    number, article = jumped
    _change_words(edition, article)
    result = replate_edition(out, number, workers=1)
    store = Store.of(out)
    found = epaper.build.edition_page_tasks(result.laid_out, store, None)
    laid_out = result.laid_out
    languages = {a.id: a.language for a in laid_out.edition.articles}
    settings = epaper.build._product_settings(laid_out.edition, laid_out)
    afresh = page_tasks(laid_out.pages, settings, languages, store)  # each key page_key of the frames
    assert [task.key for task in found] == [task.key for task in afresh]
    assert any(task.partners for task in found)
    assert all(remembered(task) is not None for task in found), "every page's products are under its key"


@pytest.mark.slow
def test_a_replate_publishes_the_tiles_of_the_page_it_makes_and_no_others(built):
    """A replate's new version names the tile sets of the version before for every page it keeps
    (the same folders: nothing linked, nothing made) and a new set for the page it makes again; the
    version it keeps still names, and finds, its own (its viewer two folders further down)."""
    edition, out, first = built
    number, article = _story_alone(first)
    before = tile_sets_named(first.out_dir)
    made = {name: os.stat(out / "tiles" / name).st_ino for name in before}
    _change_words(edition, article)
    result = replate_edition(out, number, workers=1)
    after = tile_sets_named(result.out_dir)
    assert [n for n, (old, new) in enumerate(zip(before, after), start=1) if old != new] == [number]
    assert {name: os.stat(out / "tiles" / name).st_ino for name in before} == made
    kept = result.out_dir / "versions" / "1"
    assert tile_sets_named(kept) == before
    viewer = (kept / "index.html").read_text(encoding="utf-8")
    assert f'"tiles": "../../../tiles/{before[0]}"' in viewer and '"../tiles/' not in viewer
    assert all((kept / f"../../../tiles/{name}/info.json").is_file() for name in before)
    # A whole build afterwards keeps both versions (the edition is on the press): every set stays.
    build_edition(edition, out, workers=1)
    settle_discards()
    assert {*before, *after} <= set(os.listdir(out / "tiles"))
    assert _stray(out) == [] and not [name for name in os.listdir(out / "tiles") if name.startswith(".")]


def test_the_tile_sets_a_manifest_names_are_read_again_only_when_it_changed(built, monkeypatch):
    """Each build looks through every manifest in the output folder for the sets none names (a
    month of a desk's editions: 1,800 manifests). What a manifest names is remembered while it is
    the same file, and read again when it is replaced or changed in place: a set it names now is
    kept, one it no longer names goes."""
    edition, out, first = built
    store = Store.of(out)
    manifest = first.out_dir / "manifest.json"
    extra = "2" * 24
    shutil.copytree(out / "tiles" / tile_sets_named(first.out_dir)[0], out / "tiles" / extra, copy_function=os.link)
    read: list[str] = []  # the manifests read (not those of folders with none: static/, collections/)
    read_bytes = Path.read_bytes

    def reading(path: Path) -> bytes:
        data = read_bytes(path)
        read.append(path.name)
        return data

    monkeypatch.setattr(Path, "read_bytes", reading)
    assert collect_tile_sets(out, store) == 1 and read == []  # (the set no manifest names; the build read them)
    shutil.copytree(out / "tiles" / tile_sets_named(first.out_dir)[0], out / "tiles" / extra, copy_function=os.link)
    text = manifest.read_text(encoding="utf-8")
    named = json.dumps({**json.loads(text), "service": [{"id": f"http://127.0.0.1:8000/tiles/{extra}"}]})
    read.clear()
    (first.out_dir / "manifest.new").write_text(named, encoding="utf-8")
    os.replace(first.out_dir / "manifest.new", manifest)  # published again: another file
    assert collect_tile_sets(out, store) == 0 and read == ["manifest.json"] and (out / "tiles" / extra).is_dir()
    read.clear()
    assert collect_tile_sets(out, store) == 0 and read == []
    manifest.chmod(0o644)
    manifest.write_text(text + " ", encoding="utf-8")  # changed in place: names the set no more
    assert collect_tile_sets(out, store) == 1 and read == ["manifest.json"]
    settle_discards()
    assert not (out / "tiles" / extra).exists()


@pytest.mark.slow
def test_a_build_lets_go_of_the_tile_sets_no_edition_names(built):
    """A build that replaces an edition (one story changed, never replated) lets go of the set of
    the page it made again, of a set published by a build killed before its edition was, and of
    what a killed build left of a set; a set that only a folder a kill left beside another edition
    names (a version swapped out, not filed yet: the next build of that edition files it) stays."""
    edition, out, first = built
    number, article = _story_alone(first)
    before = tile_sets_named(first.out_dir)
    (out / "tiles" / ".0123456789abcdef01234567.building" / "full").mkdir(parents=True)
    shutil.copytree(out / "tiles" / before[0], out / "tiles" / ("0" * 24), copy_function=os.link)  # named by none
    stranded = out / ".another-edition.old-4242"
    stranded.mkdir()
    (stranded / "manifest.json").write_text(json.dumps({"service": [{"id": f"http://127.0.0.1:8000/tiles/{'1' * 24}"}]}))
    shutil.copytree(out / "tiles" / before[0], out / "tiles" / ("1" * 24), copy_function=os.link)
    _change_words(edition, article)
    result = build_edition(edition, out, workers=1)
    after = tile_sets_named(result.out_dir)
    assert before[number - 1] != after[number - 1]
    settle_discards()
    assert sorted(os.listdir(out / "tiles")) == sorted({*after, "1" * 24})
    assert not (out / ".store" / "trash").exists() or not os.listdir(out / ".store" / "trash")


@pytest.mark.slow
def test_a_version_published_with_its_own_tiles_is_kept_with_their_ids_moved(built):
    """An edition published before the tiles were shared held them (tiles/NNN/, their info.json's
    id its address): replated, its kept version's ids are moved to versions/<n>/ with the
    manifest's, so an IIIF viewer of the kept version finds its tiles there."""
    edition, out, first = built
    number, article = _story_alone(first)
    own = first.out_dir / "tiles" / "001"
    (own / "full" / "max" / "0").mkdir(parents=True)
    (own / "full" / "max" / "0" / "default.jpg").write_bytes(b"\xff\xd8\xff a tile")
    address = f"http://127.0.0.1:8000/{first.out_dir.name}/"
    (own / "info.json").write_text(json.dumps({"id": f"{address}tiles/001", "type": "ImageService3"}))
    _change_words(edition, article)
    result = replate_edition(out, number, workers=1)
    kept = result.out_dir / "versions" / "1"
    assert json.loads((kept / "tiles/001/info.json").read_text())["id"] == f"{address}versions/1/tiles/001"
    assert (kept / "tiles/001/full/max/0/default.jpg").is_file() and not (result.out_dir / "tiles").exists()


@pytest.mark.parametrize("swapped", [True, False], ids=["folders swapped", "set aside, then renamed"])
def test_a_damaged_set_is_made_again_in_its_place(built, monkeypatch, swapped):
    """A set a tile was taken from is made again and put in its place: swapped with it where the
    system swaps folders, else the damaged one set aside first (never no set there)."""
    _, out, first = built
    store = Store.of(out)
    products = [remembered(task) for task in epaper.build.edition_page_tasks(first.laid_out, store, None)]
    folder = tile_set_of(first.out_dir, 1)
    taken = next(folder.rglob("*.jpg"))
    taken.unlink()
    if not swapped:
        monkeypatch.setattr(epaper.tile_sets, "exchange", lambda a, b: False)
    with epaper.tile_sets.tile_sets_published(products, store, out, "http://127.0.0.1:8000/") as sets:
        assert sets.href(1) == f"../tiles/{folder.name}"
        sets.finish()
    assert taken.is_file() and epaper.tile_sets._tiles_linked(folder, products[0], store)
    assert sorted(os.listdir(out / "tiles")) == sorted(set(tile_sets_named(first.out_dir)))


def test_sets_a_failed_child_published_are_kept_and_the_rest_made_here(built, monkeypatch):
    """A child that published one set and failed at the next: the build keeps the one (whole, in
    place) and makes the other itself."""
    _, out, first = built
    store = Store.of(out)
    products = [remembered(task) for task in epaper.build.edition_page_tasks(first.laid_out, store, None)]
    names = tile_sets_named(first.out_dir)
    for name in names[:2]:
        shutil.rmtree(out / "tiles" / name)
    parent, written = os.getpid(), []
    write = epaper.tile_sets.write_text_atomically

    def failing_at_the_second(path, text):  # in the child only: its second set's info.json
        written.append(path)
        if os.getpid() != parent and len(written) == 2:
            raise OSError(28, "No space left on device")
        write(path, text)

    renamed: list[str] = []
    rename = os.rename
    monkeypatch.setattr(epaper.tile_sets, "write_text_atomically", failing_at_the_second)
    monkeypatch.setattr(epaper.tile_sets.os, "rename", lambda a, b: (renamed.append(Path(b).name), rename(a, b))[1])
    with epaper.tile_sets.tile_sets_published(products, store, out, "http://127.0.0.1:8000/") as sets:
        sets.finish()
    assert renamed == [names[1]], "the first set, published by the child, is not made again here"
    assert all(epaper.tile_sets._tiles_linked(out / "tiles" / name, page, store)
               and (out / "tiles" / name / "info.json").is_file() for name, page in zip(names[:2], products))
    assert not [name for name in os.listdir(out / "tiles") if name.startswith(".")]


@pytest.mark.slow
def test_a_set_whose_child_failed_is_made_here_and_a_set_is_never_half_there(built, monkeypatch):
    """The sets are made by a child process; when it fails, the build makes them itself. A set is
    made in a hidden folder and renamed into place."""
    edition, out, first = built
    number, article = _story_alone(first)
    renamed: list[tuple[str, str]] = []
    rename = os.rename
    monkeypatch.setattr(epaper.tile_sets.os, "rename",
                        lambda a, b: (renamed.append((Path(a).name, Path(b).name)), rename(a, b))[1])
    made = epaper.tile_sets.ChildWork
    monkeypatch.setattr(epaper.tile_sets, "ChildWork", lambda work, again: made(lambda: 1 / 0, again=again))
    _change_words(edition, article)
    result = replate_edition(out, number, workers=1)
    name = tile_sets_named(result.out_dir)[number - 1]
    assert [move for move in renamed if move[1] in tile_sets_named(result.out_dir)] == [(f".{name}.building", name)]
    assert (out / "tiles" / name / "info.json").is_file()


def test_a_replate_refused_leaves_nothing_behind(built):
    """A replate refused after it began (a story on a page it keeps changed too) leaves no folder."""
    edition, out, first = built
    number, article = _story_alone(first)
    other = next(a["id"] for p in _pages(first.out_dir) if p["number"] != number for a in p["articles"]
                 if not a["continued_from"])
    _change_words(edition, other)
    with pytest.raises(ReplateError) as refused:
        replate_edition(out, number, workers=1)
    settle_discards()
    assert _stray(out) == []
    # Said as a replate, with the way out: the page that cannot stay replated with this one, which
    # then publishes both.
    other_page = next(p["number"] for p in _pages(first.out_dir) if other in [a["id"] for a in p["articles"]])
    said = str(refused.value)
    assert said.startswith(f"page {other_page} cannot stay as it was published: article '{other}' changed since "
                           f"the previous run — replate it with page {number}: epaper replate {out} --page "), said
    together = said.rpartition("--page ")[2]
    assert _page_list(together) == sorted({number, other_page})
    assert main(["replate", str(out), "--page", together, "--workers", "1"]) == 0


@pytest.mark.slow
def test_a_replate_that_changes_nothing_publishes_no_version_and_says_so(built, capsys):
    edition, out, first = built
    number, _ = _story_alone(first)
    folder = first.out_dir
    before = _digests(folder)
    version = (folder / "version.json").read_bytes()
    assert main(["replate", str(out), "--page", str(number), "--workers", "1"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    made = json.loads(version)["made"][11:16]  # HH:MM: a story saved before then is in it already
    assert (f"Nothing changed: every page prints as version 1 (made at {made}) has it, so no new version is published "
            f"— a story saved before {made} is in it") in said and str(edition) in said, said
    assert "Version 2" not in said
    assert f"{len(first.warnings)} warnings, as before (report.html lists them)." in said, said  # not each again
    assert (folder / "version.json").read_bytes() == version and not (folder / "versions").exists()
    assert _digests(folder) == before  # not a file rewritten: the report too is the published one's


@pytest.mark.slow
def test_a_build_after_a_replate_is_the_next_version_and_keeps_the_earlier_ones(built, capsys):
    """Once replated, readers hold links to the edition's versions: a plain build publishes the next
    one (not version 1 again, which threw the versions away), and one that would write the very
    files published none."""
    edition, out, first = built
    number, article = _story_alone(first)
    folder = first.out_dir
    _change_words(edition, article)
    replate_edition(out, number, workers=1)
    # The first whole build after it: the replate's plan.json notes its locked pages, this one's does not.
    _change_words(edition, article)
    result = build_edition(edition, out, workers=1)
    assert result.published and result.version.number == 3 and result.version.kept == (1, 2)
    assert result.version.replated == (number,)  # a whole build names its new plates too
    assert (folder / "versions" / "2" / "index.html").is_file() and (folder / "versions" / "1" / "index.html").is_file()
    archive = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{folder.name}/versions/{n}/index.html"' in archive for n in (1, 2))
    third = _digests(folder)
    assert main(["build", str(edition), "--out", str(out), "--workers", "1"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "Unchanged: every page prints as version 3 has it; no new version." in said, said
    assert _digests(folder) == third
    # A replate, then a whole build with nothing changed: the build lays out and draws what the
    # replate published (its plan.json notes no locked page), and that is no new version either.
    _change_words(edition, article)
    replate_edition(out, number, workers=1)
    fourth = _digests(folder)
    assert json.loads((folder / "version.json").read_text(encoding="utf-8"))["number"] == 4
    assert main(["build", str(edition), "--out", str(out), "--workers", "1"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "Unchanged: every page prints as version 4 has it; no new version." in said, said
    assert _digests(folder) == fourth
    # A new base URL changes no page but the manifest's ids: the next version, not "unchanged".
    result = build_edition(edition, out, workers=1, base_url="https://epaper.example/")
    assert result.published and result.version.number == 5
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["id"].startswith("https://epaper.example/")


@pytest.mark.slow
def test_an_edition_of_version_1_with_a_versions_folder_is_not_taken_for_unchanged(built):
    """Only a replated edition keeps versions/: one whose version.json says version 1 (or is lost)
    and that has one anyway is not what a build writes, so it is published again."""
    edition, out, first = built
    stray = first.out_dir / "versions" / "7"
    stray.mkdir(parents=True)
    (stray / "index.html").write_text("stray", encoding="utf-8")
    result = build_edition(edition, out, workers=1)
    assert result.published and result.version.number == 1
    assert not (first.out_dir / "versions").exists()


@pytest.mark.slow
def test_a_replate_of_an_unchanged_page_keeps_it_even_where_planning_it_alone_would_not(tmp_path, capsys):
    """Planned alone, the rest of its section locked, a page need not come out as planning the
    section whole made it (the sample's pages 13, 15 and 16 did not): a replate pressed before the
    story was saved must not reshuffle the page. Its stories unchanged, the page is kept."""
    edition = tmp_path / "edition"
    shutil.copytree(Path(__file__).resolve().parent.parent / "sample-edition", edition)
    out = tmp_path / "out"
    folder = build_edition(edition, out, workers=2).out_dir
    before = _digests(folder)
    for number in (13, 15, 16):
        assert main(["replate", str(out), "--page", str(number)]) == 0
        assert "Nothing changed: every page prints as version 1 (made at" in " ".join(capsys.readouterr().out.split())
    assert _digests(folder) == before and not (folder / "versions").exists()


def _placements(folder: Path, number: int) -> list[tuple]:
    page = next(p for p in json.loads((folder / "plan.json").read_text(encoding="utf-8"))["pages"]
                if p["number"] == number)
    return [(p["article"], p["slot"], p["lines"], p["photo_rows"]) for p in page["placements"]]


@pytest.mark.slow
def test_a_replate_of_a_word_corrected_keeps_the_page_as_it_was(tmp_path, capsys):
    """A subeditor correcting one word at midnight expects the page not to move. Planned again
    alone, the rest of its section kept, the sample's pages 13, 15 and 16 came out rearranged (the
    lead 74 rows deep instead of 81, other crops): the story is now set again in its own slot."""
    edition = tmp_path / "edition"
    shutil.copytree(Path(__file__).resolve().parent.parent / "sample-edition", edition)
    out = tmp_path / "out"
    folder = build_edition(edition, out, workers=2).out_dir
    for number in (13, 15, 16):
        page = next(p for p in _pages(folder) if p["number"] == number)
        story = [a for a in page["articles"] if not a["continued_to"] and not a["continued_from"]][-1]["id"]
        before, pdfs = _placements(folder, number), _digests(folder / "pages")
        _change_words(edition, story)
        assert main(["replate", str(out), "--page", str(number)]) == 0
        said = " ".join(capsys.readouterr().out.split())
        assert f"page {number} printed anew;" in said
        assert f"Set again in the place it had (the page kept as it was): {story} on page {number}" in said
        assert _placements(folder, number) == before
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        decided = next(p for p in report["pages"] if p["number"] == number)["articles"]
        assert "set again in its place" in next(a for a in decided if a["id"] == story)["adjustments"]
        after = _digests(folder / "pages")
        assert {name for name in pdfs if after[name] != pdfs[name]} == {f"{number:03d}.pdf"}
    # Grown by a paragraph, the story no longer fills its slot: the page is planned again, and the
    # desk is told why it moved.
    path = next(p for p in (edition / "articles").iterdir() if p.stem == story)
    late = [f"Paragraph {n} of late copy from the night desk, long enough to need lines of its own in any "
            "column of the story, and then a few more words to be sure of it." for n in range(1, 6)]
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        data["body"] = [*data["body"], *late] if isinstance(data["body"], list) else "\n\n".join([data["body"], *late])
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        path.write_text("\n\n".join([path.read_text(encoding="utf-8").rstrip(), *late]) + "\n", encoding="utf-8")
    assert main(["replate", str(out), "--page", str(number)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert f"Planned again, not kept as it was: {story} no longer fills the " in said, said


@pytest.mark.slow
def test_replate_refuses_a_page_the_edition_does_not_have(built, capsys):
    _, out, _ = built
    assert main(["replate", str(out), "--page", "99"]) == 1
    assert "--page 99: the edition" in " ".join(capsys.readouterr().out.split())
    assert main(["replate", str(out.parent / "nothing"), "--page", "1"]) == 1
    assert "nothing: no such folder — give the folder an edition was built into" in " ".join(
        capsys.readouterr().out.split())
    (out.parent / "notes.txt").write_text("a file", encoding="utf-8")
    assert main(["replate", str(out.parent / "notes.txt"), "--page", "1"]) == 1
    assert "notes.txt: a file, not an output folder" in " ".join(capsys.readouterr().out.split())
    assert main(["replate", str(out), "--page", "4,x"]) == 2
    assert "--page takes page numbers, 1 or more, like 4 or 4,6 (got 4,x)" in " ".join(capsys.readouterr().out.split())
    for wrong in ("[/x]", "1-999999999"):  # markup the console must not read; a range no edition has
        assert main(["replate", str(out), "--page", wrong]) == 2
        assert f"(got {wrong})" in capsys.readouterr().out


KILLS = 4


def test_a_replate_composes_only_the_page_it_makes_again(built, monkeypatch):
    """The other pages of its section are found by their decisions (their records, the stories'
    fingerprints, the files they name), which a story changed elsewhere in the section does not
    change: they are neither composed nor digested again, and print as they did."""
    import epaper.layout

    edition, out, first = built
    number, article = _story_alone(first)
    section = next(page.section for page in first.laid_out.pages if page.number == number)
    neighbours = [p.number for p in first.laid_out.pages if p.section == section and p.number != number]
    assert neighbours  # (else this test shows nothing)
    before = {n: _page_digests(first.out_dir, n) for n in neighbours}
    composed: list[int] = []
    compose = epaper.layout._compose_page
    monkeypatch.setattr(epaper.layout, "_compose_page",
                        lambda edition, fmt, plan, *rest: (composed.append(plan.number), compose(edition, fmt, plan, *rest))[1])
    for _ in range(2):  # the first replate after the build, and one after a replate
        composed.clear()
        _change_words(edition, article)
        result = replate_edition(out, number, workers=1)
        assert result.reuse.pages_made == (number,) and composed == [number], composed
        assert {n: _page_digests(result.out_dir, n) for n in neighbours} == before


def _unlinked(out: Path) -> list[Path]:
    """The store's objects no edition links (garbage)."""
    return [p for p in (out / ".store" / "objects").rglob("*") if p.is_file() and p.stat().st_nlink == 1]


def test_a_replate_lets_go_of_no_object_and_does_not_walk_the_store_for_garbage(built, monkeypatch):
    """A replate files the version it replaces whole (in versions/<n>): no object of the store is
    left unlinked, so it does not look for any (a walk of every object, each replate)."""
    edition, out, first = built
    number, article = _story_alone(first)
    _change_words(edition, article)
    monkeypatch.setattr(Store, "collect_garbage", lambda self: pytest.fail("a replate walked the store"))
    replate_edition(out, number, workers=1)
    assert (first.out_dir / "versions" / "1" / "manifest.json").is_file()
    assert not _unlinked(out)
    # Nor the next, whose kept version's viewer is rewritten to link from versions/2/ (the files
    # it replaces are let go of at once).
    _change_words(edition, article)
    replate_edition(out, number, workers=1)
    assert 'href="../1/index.html"' in (first.out_dir / "versions" / "2" / "index.html").read_text(encoding="utf-8")
    assert not _unlinked(out)


def test_a_build_lets_go_of_what_the_edition_it_replaced_alone_linked_without_walking_the_store(built, monkeypatch):
    """A build that changed a story replaces the edition and its page's tile set; once they are
    deleted, the next build removes every object only they linked (the deleter named them), and
    looks at no other: the walk of every object (seconds in a month's store) is left to every
    few hours."""
    edition, out, first = built
    number, article = _story_alone(first)
    monkeypatch.setattr(Store, "_walk_for_garbage", lambda self, objects: pytest.fail("the store was walked"))
    _change_words(edition, article)
    build_edition(edition, out, workers=1)
    settle_discards()
    assert _unlinked(out), "the replaced edition's page: objects no edition links"
    assert build_edition(edition, out, workers=1).reuse.pages_made == ()
    assert not _unlinked(out)


def test_a_replate_does_not_keep_a_page_whose_ad_or_section_changed(built):
    """edition.yaml changed under a published edition: a page whose ad changed would print its stories
    under the new ad, pages a section given another page moved would print under the wrong section.
    The replate refuses, says why and what to do, and the published edition stays as it was."""
    import yaml

    edition, out, first = built
    number, _ = _story_alone(first)
    before = _digests(first.out_dir)
    manifest_path = edition / "edition.yaml"
    original = manifest_path.read_text(encoding="utf-8")
    manifest = yaml.safe_load(original)
    other = next(n for n in range(2, 6) if n not in epaper.build.with_jump_pages(
        json.loads((first.out_dir / "plan.json").read_text(encoding="utf-8")), [number]))
    manifest["ads"] = [{"page": other, "columns": 3, "height_mm": 60, "position": "bottom-right",
                        "image": "images/ads/harbour-motors.jpg"}]
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ReplateError, match=rf"^page {other} cannot stay as it was published: an ad on page {other} "
                                           rf"changed in edition.yaml since it was made — replate it with page "
                                           rf"{number}: epaper replate {out} --page "):
        replate_edition(out, number, workers=1)
    manifest = yaml.safe_load(original)
    manifest["sections"][0]["pages"] += 1  # the front: every City page moves on by one
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ReplateError, match=r"is in section 'Front' now, not 'City' as when it was made \(edition.yaml's "
                                           rf"sections changed\) — build the edition again: epaper build {edition} "):
        replate_edition(out, number, workers=1)
    settle_discards()
    assert _digests(first.out_dir) == before and _stray(out) == []


def test_a_replate_of_an_edition_whose_folder_moved_or_now_names_another_edition_says_to_build(built):
    """The edition folder renamed, or its edition.yaml given a new date: there is nothing to replate
    from, and the desk is told what happened and the build that publishes it, not a lock's message."""
    import yaml

    edition, out, first = built
    number, _ = _story_alone(first)
    before = _digests(first.out_dir)
    manifest = yaml.safe_load((edition / "edition.yaml").read_text(encoding="utf-8"))
    manifest["date"] = "2026-11-29"
    (edition / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    refusal = (rf"now makes the edition '.*2026-11-29.*' \(edition.yaml's title, date or edition name changed\), "
               rf"not {first.out_dir.name} — build it: epaper build {edition} --out {out}")
    with pytest.raises(ReplateError, match=refusal):
        replate_edition(out, number, workers=1)
    # Built too, the new edition does not take the old one's replate (its pages, its numbers).
    build_edition(edition, out, workers=1)
    with pytest.raises(ReplateError, match=refusal):
        replate_edition(out, number, edition_id=first.out_dir.name, workers=1)
    edition.rename(edition.with_name("moved"))
    with pytest.raises(ReplateError, match=rf"was built from {edition}, which is not there now — build the edition "
                                           "from where its folder is now"):
        replate_edition(out, number, edition_id=first.out_dir.name, workers=1)
    settle_discards()
    assert _digests(first.out_dir) == before and _stray(out) == []


@pytest.mark.slow
def test_a_killed_replate_leaves_the_previous_version_whole(built):
    """SIGKILL ``epaper replate`` at seeded random moments: the edition folder is the previous version
    byte for byte, or the new one complete with the previous one kept; the next replate leaves no
    stray folder."""
    edition, out, first = built
    number, article = _story_alone(first)
    command = [sys.executable, "-m", "epaper", "replate", str(out), "--page", str(number), "--workers", "2"]
    _change_words(edition, article)
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.monotonic() - started
    previous = _digests(first.out_dir)
    rng = random.Random(7)
    for _ in range(KILLS):
        _change_words(edition, article)  # every replate has a page to make again
        with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as replate:
            time.sleep(rng.uniform(0.1, duration))
            replate.send_signal(signal.SIGKILL)
        # What every build does first: a kill in the milliseconds the previous version was being
        # filed into the new one left it whole beside it (tested on its own above), filed now.
        recover_edition(first.out_dir)
        now = _digests(first.out_dir)
        if now != previous:  # published before the kill: a complete new version
            version = json.loads((first.out_dir / "version.json").read_text(encoding="utf-8"))
            kept = {k.removeprefix(f"versions/{version['kept'][-1]}/"): v for k, v in now.items()
                    if k.startswith(f"versions/{version['kept'][-1]}/")}
            # (Its manifest names its new place, and its viewer links the version before from
            # there: their .gz copies went.)
            assert kept.keys() >= {k for k in previous if not k.startswith("versions/") and "info.json" not in k
                                   and not k.startswith(("manifest.json", "index.html"))}
            for name in ("index.html", "edition.pdf", "layout.json", "manifest.json", "mets.xml"):
                assert name in now
        # Whenever it was killed, every tile set the published edition names is there, whole.
        names = tile_sets_named(first.out_dir)
        assert len(names) == first.pages and all((out / "tiles" / name / "info.json").is_file() for name in names)
        previous = now
    subprocess.run(command, check=True, capture_output=True)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".store"]


def _grow(edition: Path, article_id: str, words: int) -> None:
    """The story made ``words`` words longer (late copy), and a lead (priority 1)."""
    path = next(p for p in (edition / "articles").iterdir() if p.stem == article_id)
    late = " ".join(f"Late copy word {n} from the night desk." for n in range(words // 7))
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        data["body"] = [*data["body"], late] if isinstance(data["body"], list) else "\n\n".join([data["body"], late])
        data["priority"] = 1
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        text = re.sub(r"(?m)^priority: *\d+\n", "", path.read_text(encoding="utf-8"))
        path.write_text(text.replace("---\n", "---\npriority: 1\n", 1).rstrip() + "\n\n" + late + "\n", encoding="utf-8")


def test_a_replate_that_would_leave_out_a_printed_story_is_refused_and_names_the_fixes(built, capsys):
    """A desk review: a story grown past its page pushed the stories printed beside it out of the
    paper, the replate published with a "not placed" line for each. The desk decides what goes:
    refused, nothing published, each story named with what it would take and the fixes."""
    edition, out, first = built
    number, story = _story_alone(first)
    before = _digests(first.out_dir)
    path = next(p for p in (edition / "articles").iterdir() if p.stem == story)
    as_filed = path.read_bytes()
    _grow(edition, story, 3000)
    assert main(["replate", str(out), "--page", str(number)]) == 1
    lines = capsys.readouterr().out.splitlines()
    said = " ".join(" ".join(lines).split())
    assert "cannot replate: the pages made again would leave out " in said
    assert "the published version printed — nothing is published:" in said, said
    printed = {a["id"]: page["number"] for page in _pages(first.out_dir) for a in page["articles"]}
    named = [line.split()[0] for line in lines if line.startswith("  ") and "(printed on page" in line]
    assert named and all(f"{name} (printed on page {printed[name]}" in said for name in named), said
    assert "no room left in section" in said and "or to leave " in said and " out of the edition folder" in said
    assert f"Cut copy on page {number} to make the room that says" in said or "Cut copy on pages " in said, said
    section = [page["number"] for page in _pages(first.out_dir) if page["section"] == next(
        p["section"] for p in _pages(first.out_dir) if p["number"] == number)]
    if set(section) != {number}:
        assert f"--page {section[0]}-{section[-1]}" in said or f"--page {section[0]}" in said, said
    assert _digests(first.out_dir) == before  # nothing published, not even a version
    assert read_version(first.out_dir).number == 1
    # The desk cuts the story back: the replate goes through.
    path.write_bytes(as_filed)
    _change_words(edition, story)
    assert main(["replate", str(out), "--page", str(number)]) == 0
    capsys.readouterr()
    assert read_version(first.out_dir).number == 2
