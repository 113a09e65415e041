"""The parts of one page's products that run beside each other or skip the file system: a photo
asked for by two threads is made once, and the raster written straight into the store is the
same files, byte for byte, as the raster written into a folder."""

from __future__ import annotations

import dataclasses
import io
import functools
import threading
import time

import pytest
from PIL import Image

from epaper.build import build_edition, edition_page_tasks
from epaper.cache import Store
from epaper.frame import Box, ImageItem, Source
from epaper.products import StoreSink, make_page_products, recorded
from epaper.raster.sink import FolderSink
from epaper.raster.tiles import write_tiles
from epaper.render import pdf as render_pdf
from epaper.render.targets import SCREEN
from small_edition import make_small_edition


def test_a_photo_two_threads_ask_for_at_once_is_made_once(tmp_path, monkeypatch):
    Image.new("RGB", (400, 300), (120, 60, 30)).save(tmp_path / "photo.jpg", "JPEG")
    item = ImageItem(Box(10.0, 20.0, 144.0, 108.0), str(tmp_path / "photo.jpg"), Source("story", "photo"))
    made: list[int] = []
    release = threading.Event()
    original = render_pdf._photo_bytes.__wrapped__

    def slow(*key):  # the first maker holds on until the second thread is waiting
        made.append(1)
        release.wait(5)
        return original(*key)

    monkeypatch.setattr(render_pdf, "_photo_bytes", functools.lru_cache(maxsize=8)(slow))
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(render_pdf._photo(SCREEN, item))) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the second thread asks meanwhile: made twice, unless it waits for the first
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(results) == 2 and results[0] == results[1] and results[0][:2] == b"\xff\xd8"
    assert made == [1]


def test_tiles_into_the_store_are_the_files_a_folder_gets(tmp_path):
    page = Image.new("RGB", (1300, 900), "white")
    page.paste((20, 20, 20), (100, 100, 1200, 160))  # a rule of type across the page
    folder = tmp_path / "edition"
    folder_set = write_tiles(page, FolderSink(folder), "tiles/001", tile=256, quality=80)
    store = Store.of(tmp_path / "out")
    sink = StoreSink(store)
    store_set = write_tiles(page, sink, "tiles/001", tile=256, quality=80)
    assert store_set == folder_set
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(sink.files) == written and len(written) > 10
    for relative, digest in sink.files.items():
        assert store.object_path(digest).read_bytes() == (folder / relative).read_bytes()
    # The store made no folder for them: each tile is an object named by its bytes.
    assert not [p for p in (store.root / "tmp").rglob("*") if p.is_dir()]


def test_a_page_made_again_draws_the_photos_an_earlier_process_drew(tmp_path, monkeypatch):
    """Its photos come from the build cache, not decoded, cut and encoded again: the same PDFs."""
    result = build_edition(make_small_edition(tmp_path / "edition"), tmp_path / "out", workers=1)
    store = Store.of(tmp_path / "out")
    task = next(t for t in edition_page_tasks(result.laid_out, store, None) if t.page.items_of(ImageItem))
    before = recorded(task)
    assert before is not None
    render_pdf._photo_bytes.cache_clear()  # as in another process
    render_pdf._KNOWN_PHOTOS.clear()
    monkeypatch.setattr(render_pdf, "visible_photo", lambda *args: pytest.fail(f"photo decoded again: {args}"))
    again = make_page_products(dataclasses.replace(task, key="f" * 64))  # not found: made again
    pdfs = [name for name, _ in before.files if name.endswith(".pdf")]
    assert len(pdfs) == 2 and all(dict(again.files)[name] == dict(before.files)[name] for name in pdfs)


def test_a_photo_replaced_under_the_same_name_is_drawn_anew_in_the_same_process(tmp_path):
    """``epaper watch`` is one process for a night: a photo the desk replaces in place (same file
    name) must be drawn from its new bytes, not from what the process made of the old ones."""
    path = tmp_path / "photo.jpg"
    item = ImageItem(Box(10.0, 20.0, 144.0, 108.0), str(path), Source("story", "photo"))
    Image.new("RGB", (400, 300), (200, 30, 30)).save(path, "JPEG")
    first = render_pdf.photo_bytes(SCREEN, item)
    Image.new("RGB", (400, 300), (30, 30, 200)).save(path, "JPEG", quality=70)
    second = render_pdf.photo_bytes(SCREEN, item)
    assert second != first
    with Image.open(io.BytesIO(second)) as drawn:
        assert drawn.convert("RGB").getpixel((5, 5))[2] > 150  # blue, as the file is now
