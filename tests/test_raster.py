"""Rasterizing print PDFs: page images, thumbnails and IIIF level-0 tiles that OpenSeadragon can address."""

from __future__ import annotations

import json
import math

import pytest
from PIL import Image

from epaper.raster import RasterSettings, rasterize_pages
from epaper.raster.run import PAGE_IMAGE_QUALITY
from synthetic_edition import PAGE_H, PAGE_W, build_synthetic_site, make_synthetic_edition


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_synthetic_site(tmp_path_factory.mktemp("raster"))


def osd_tile_urls(info: dict) -> list[str]:
    """Every tile URL OpenSeadragon 6's IIIFTileSource asks a level-0 IIIF 3 service for (ported from
    its getTileUrl), relative to the service id."""
    width, height = info["width"], info["height"]
    tile = info["tiles"][0]["width"]
    factors = info["tiles"][0]["scaleFactors"]
    max_level = round(math.log2(max(factors)))
    urls = []
    for level in range(max_level + 1):
        scale = 0.5 ** (max_level - level)
        lw, lh = math.ceil(width * scale), math.ceil(height * scale)
        step = round(tile / scale)
        for y in range(math.ceil(lh / tile)):
            for x in range(math.ceil(lw / tile)):
                if lw < tile and lh < tile:
                    size = "max" if (lw, lh) == (width, height) else f"{lw},{lh}"
                    region = "full"
                else:
                    rx, ry = x * step, y * step
                    rw, rh = min(step, width - rx), min(step, height - ry)
                    region = "full" if (x, y, rw, rh) == (0, 0, width, height) else f"{rx},{ry},{rw},{rh}"
                    sw, sh = min(tile, lw - x * tile), min(tile, lh - y * tile)
                    size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                urls.append(f"{region}/{size}/0/default.jpg")
    return urls


def test_every_page_gets_image_thumbnail_and_tiles(site):
    out = site.out_dir
    assert [p.number for p in site.raster.pages] == [1, 2, 3, 4]
    for page in site.raster.pages:
        with Image.open(out / page.image) as image:
            assert image.size == page.image_size and image.width == 1600 and image.format == "JPEG"
        with Image.open(out / page.thumb) as thumb:
            assert thumb.size == page.thumb_size and thumb.width == 240
        assert page.image_bytes == (out / page.image).stat().st_size
        # Minus the image and thumbnail sizes, and full/max (the whole page, which level 0 requires).
        assert page.tile_count == sum(1 for _ in (out / page.tiles).rglob("*.jpg")) - 3


def test_full_raster_is_the_trimmed_page_at_200_dpi_or_more(site):
    page = site.raster.page(1)
    assert page.dpi >= 200
    # The bleed is cropped away: pixel 0 is the trim edge, so IR points convert by one scale.
    assert page.width == pytest.approx(PAGE_W * page.dpi / 72, abs=1)
    assert page.height == pytest.approx(PAGE_H * page.dpi / 72, abs=1)
    assert page.points == pytest.approx((PAGE_W, PAGE_H), abs=0.01)
    # 8 pt type at this resolution: at least 20 px on the body size.
    assert 8 * page.scale >= 20


def test_article_box_lands_on_the_same_pixels(site):
    """The synthetic PDF strokes each article box in grey: find that stroke where the IR says it is."""
    page_ir = site.source.pages[1]
    raster = site.raster.page(2)
    box = page_ir.regions[0].boxes[0]
    with Image.open(site.out_dir / raster.tiles / "full" / f"{raster.image_size[0]},{raster.image_size[1]}" / "0" / "default.jpg") as image:
        gray = image.convert("L")
        scale = image.width / PAGE_W
        x = round(box.x * scale)
        mid_y = round((box.y + box.h / 2) * scale)
        column = [gray.getpixel((x + dx, mid_y)) for dx in (-1, 0, 1)]
        assert min(column) < 220, column  # the stroke
        assert gray.getpixel((x - 8, mid_y)) > 240  # margin outside the box is paper


def test_info_json_is_a_level0_image_service_whose_tiles_all_exist(site):
    for page in site.raster.pages:
        folder = site.out_dir / page.tiles
        info = json.loads((folder / "info.json").read_text())
        assert info["type"] == "ImageService3" and info["profile"] == "level0"
        assert (info["width"], info["height"]) == (page.width, page.height)
        assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [lvl.scale_factor for lvl in page.levels]}]
        urls = osd_tile_urls(info)
        assert len(urls) == page.tile_count
        for url in urls:
            path = folder / url
            assert path.is_file(), url
        for size in info["sizes"]:
            with Image.open(folder / "full" / f"{size['width']},{size['height']}" / "0" / "default.jpg") as im:
                assert im.size == (size["width"], size["height"])
        # Tile pixel sizes match the size segment of their URL.
        with Image.open(folder / urls[-1]) as last:
            w, h = urls[-1].split("/")[1].split(",")
            assert last.size == (int(w), int(h))


def test_levels_halve_down_to_one_tile(site):
    levels = site.raster.page(1).levels
    assert [lvl.scale_factor for lvl in levels] == [2**i for i in range(len(levels))]
    assert levels[-1].count == 1 and levels[-2].count > 1
    assert all(lvl.bytes > 0 for lvl in levels)


def test_service_id_is_absolute_at_the_default_address(site):
    info = json.loads((site.out_dir / "tiles/001/info.json").read_text())
    assert info["id"] == f"http://127.0.0.1:8000/{site.out_dir.name}/tiles/001"


def test_level_0_has_the_whole_page_at_max_and_every_listed_size(site):
    """Image API 3 level 0: ``full/max`` and each ``sizes`` entry as ``full/w,h`` are files, of that size.

    ``max`` is the page image (linked, not encoded again), so info.json bounds responses to its size."""
    folder = site.out_dir / "tiles/001"
    info = json.loads((folder / "info.json").read_text())
    assert (info["maxWidth"], info["maxHeight"]) == site.raster.page(1).image_size
    assert (folder / "full/max/0/default.jpg").samefile(site.out_dir / "images/001.jpg")
    with Image.open(folder / "full/max/0/default.jpg") as whole:
        assert whole.size == (info["maxWidth"], info["maxHeight"]) and whole.format == "JPEG"
        assert whole.width / whole.height == pytest.approx(info["width"] / info["height"], rel=2e-3)
    assert info["sizes"]
    for size in info["sizes"]:
        with Image.open(folder / f"full/{size['width']},{size['height']}/0/default.jpg") as image:
            assert image.size == (size["width"], size["height"])


def test_single_worker_matches_and_reports_progress(tmp_path):
    source = make_synthetic_edition(tmp_path / "src")
    seen: list[int] = []
    result = rasterize_pages(source.page_pdfs[:2], tmp_path / "out", progress=seen.append,
                             settings=RasterSettings(edition_url="https://cdn.example/ed/"))
    assert seen == [1, 2]  # pages done so far
    assert result.workers == 1 and result.seconds_per_page > 0
    info = json.loads((tmp_path / "out/tiles/002/info.json").read_text())
    assert info["id"] == "https://cdn.example/ed/tiles/002"



def test_reused_render_buffers_leave_nothing_of_the_previous_page(tmp_path):
    """Workers reuse their pixel buffers from page to page: page 2's files, written after page 3
    in the same worker, must be exactly what a fresh render of page 2 alone encodes to."""
    import io

    from epaper.raster.pages import render_page

    source = make_synthetic_edition(tmp_path / "src")
    order = [source.page_pdfs[2], source.page_pdfs[1]]  # page 3 first, then page 2, in one worker
    result = rasterize_pages(order, tmp_path / "out")
    fresh = render_page(order[1], dpi=result.pages[1].dpi, widths=(1600,))  # new pdfium-owned bitmaps
    page = result.page(2)
    tile = fresh.image.crop((0, 0, 512, 512))
    encoded = io.BytesIO()
    tile.save(encoded, "JPEG", quality=RasterSettings().quality)
    assert (tmp_path / "out" / page.tiles / "0,0,512,512" / "512,512" / "0" / "default.jpg").read_bytes() == encoded.getvalue()
    encoded = io.BytesIO()
    fresh.at_widths[1600].save(encoded, "JPEG", quality=PAGE_IMAGE_QUALITY)
    assert (tmp_path / "out" / page.image).read_bytes() == encoded.getvalue()
    # The overview levels (a phone's first view) at their own quality: a quarter of the raster's width.
    import math

    from PIL import Image

    from epaper.raster.tiles import OVERVIEW_QUALITY

    level = fresh.image
    for factor in (2, 4):
        level = level.reduce(2)
        target = (math.ceil(fresh.image.width / factor), math.ceil(fresh.image.height / factor))
        if level.size != target:
            level = level.resize(target, Image.Resampling.BILINEAR)
    encoded = io.BytesIO()
    level.crop((0, 0, 512, 512)).save(encoded, "JPEG", quality=OVERVIEW_QUALITY)
    assert OVERVIEW_QUALITY < RasterSettings().quality
    assert (tmp_path / "out" / page.tiles / "0,0,2048,2048" / "512,512" / "0" / "default.jpg").read_bytes() == \
        encoded.getvalue()


class _RecordingSink:
    """A sink that keeps what is written, in order (for when things happen, not where)."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, relative: str, data: bytes) -> None:
        self.written.append(relative)

    def alias(self, relative: str, existing: str) -> None:
        self.written.append(relative)


def test_pdfium_is_free_before_the_images_are_encoded_and_holds_nothing_of_them(tmp_path):
    """A page's word gaps are read with pdfium (not thread-safe) while its raster is encoded in
    another thread: rasterize_page says when pdfium is done with the page, before the first image
    is written, and the images it encodes then hold no pdfium object."""
    import gc

    import pypdfium2 as pdfium

    from epaper.raster.pages import RenderBuffers, render_page
    from epaper.raster.run import rasterize_page

    source = make_synthetic_edition(tmp_path / "src")
    sink = _RecordingSink()
    written_when_done: list[int] = []
    raster = rasterize_page(source.page_pdfs[0], 1, sink, RasterSettings(),
                            pdfium_done=lambda: written_when_done.append(len(sink.written)))
    assert written_when_done == [0]  # once, and before anything was encoded
    assert "images/001.jpg" in sink.written and raster.tile_set
    rendered = render_page(source.page_pdfs[0], dpi=100, widths=(400,), buffers=RenderBuffers())
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, pdfium.PdfBitmap)]
    assert rendered.image.getpixel((5, 5))[:3] == (255, 255, 255)  # the pixels outlive the bitmap


def test_pdfium_is_said_free_when_the_page_cannot_be_rendered(tmp_path):
    from epaper.raster.run import rasterize_page

    told: list[bool] = []
    with pytest.raises(Exception):
        rasterize_page(tmp_path / "missing.pdf", 1, _RecordingSink(), RasterSettings(),
                       pdfium_done=lambda: told.append(True))
    assert told == [True]  # a caller waiting for pdfium is not left waiting
