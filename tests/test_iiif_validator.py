"""The IIIF Image API validator (``iiif-validator``, the IIIF community's) at level 0 against our tiles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from served import serving
from synthetic_edition import build_synthetic_site

iiif_validator = pytest.importorskip("iiif_validator.validator")

SQUARES_TEST = "id_squares"  # needs the validator's own test image: run on tiles of that image below


# Level-1 tests a static level-0 service passes too: the JSON-LD media type asked for (epaper serve).
STATIC_LEVEL_1 = ("jsonld",)


def level_0_failures(server: str, prefix: str, identifier: str, *, skip: tuple[str, ...] = (),
                     also: tuple[str, ...] = ()) -> dict[str, str]:
    """Run every Image API 3.0 level-0 test of the validator (and ``also``), as its command line
    does; {test: why it failed}."""
    from iiif_validator.validator import ImageAPI, TestSuite, ValidationInfo

    tests = TestSuite(ValidationInfo()).list_tests("3.0")
    names = sorted(name for name, test in tests.items() if test["level"] == 0 and name not in skip) + list(also)
    assert {"info_json", "id_basic", "format_jpg", "size_nofull"} <= set(names) and set(also) <= set(tests)
    failures = {}
    for name in names:
        result = ImageAPI(identifier, server, prefix, "http", "", "3.0", debug=False)
        TestSuite(ValidationInfo()).run_test(name, result)
        if result.exception:
            error = result.exception
            failures[name] = f"{error.type}: got {error.got!r}, expected {error.expected!r} {error.message} {result.urls}"
    return failures


def test_level_0_on_a_page_of_a_build(tmp_path):
    """tiles/NNN/info.json of a built edition, served by ``epaper serve``'s server and rebased to its address."""
    from epaper.rebase import rebase_output

    site = build_synthetic_site(tmp_path, workers=1)
    with serving(site.out_root) as url:
        rebase_output(site.out_root, url)
        server = url.removeprefix("http://").rstrip("/")
        failures = level_0_failures(server, f"{site.out_dir.name}/tiles", "001", skip=(SQUARES_TEST,),
                                    also=STATIC_LEVEL_1)
    assert failures == {}


@pytest.mark.slow
def test_level_0_on_a_tile_set_of_the_sample_build(sample_build, tmp_path):
    """A page's tile set as a build publishes it (OUT/tiles/<name>/, epaper.tile_sets), served and
    rebased to the server's address: what a reader's viewer and an archive's harvester ask for."""
    import os

    from epaper.rebase import rebase_output
    from epaper.tile_sets import tile_set_of

    result, out_root = sample_build
    root = tmp_path / "output"
    # Hard links: a rebase replaces each file it changes (never writes into one).
    shutil.copytree(out_root, root, copy_function=os.link, ignore=shutil.ignore_patterns(".store"))
    tile_set = tile_set_of(root / result.out_dir.name, 2)
    with serving(root) as url:
        rebase_output(root, url)
        failures = level_0_failures(url.removeprefix("http://").rstrip("/"), "tiles", tile_set.name,
                                    skip=(SQUARES_TEST,), also=STATIC_LEVEL_1)
    assert failures == {}


def test_level_0_with_the_validators_test_image(tmp_path):
    """All of level 0, the colour squares too: our tiler writes the validator's test image as the test expects."""
    from iiif_validator.validator import ValidationInfo

    from epaper.raster.sink import FolderSink
    from epaper.raster.tiles import info_json, write_tiles

    colours = ValidationInfo().colorInfo
    image = Image.new("RGB", (1000, 1000))
    for x in range(10):
        for y in range(10):
            image.paste(colours[x][y], (x * 100, y * 100, x * 100 + 100, y * 100 + 100))
    (tmp_path / "root").mkdir()
    with serving(tmp_path / "root") as url:
        tile_set = write_tiles(image, FolderSink(tmp_path / "root"), "squares", tile=256, quality=90)
        info = info_json(tile_set, width=1000, height=1000, tile=256, service=url + "squares")
        (tmp_path / "root" / "squares" / "info.json").write_text(json.dumps(info), encoding="utf-8")
        failures = level_0_failures(url.removeprefix("http://").rstrip("/"), "", "squares")
    assert failures == {}


def test_without_full_max_level_0_fails(tmp_path):
    """The check above can fail: a tile folder missing full/max (as before this was fixed) is caught."""
    site = build_synthetic_site(tmp_path, workers=1)
    from epaper.rebase import rebase_output

    shutil.rmtree(site.out_dir / "tiles" / "001" / "full" / "max")
    with serving(site.out_root) as url:
        rebase_output(site.out_root, url)
        failures = level_0_failures(url.removeprefix("http://").rstrip("/"), f"{site.out_dir.name}/tiles", "001",
                                    skip=(SQUARES_TEST,))
    assert "id_basic" in failures and "format_jpg" in failures
