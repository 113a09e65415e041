"""``epaper build --base-url``: the IIIF ids start with it; without it, with ``epaper serve``'s address."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from epaper.tile_sets import tile_set_of

pytestmark = pytest.mark.slow  # full builds with and without a base URL

BASE = "https://epaper.example.org/archive/"
EDITION_ID = "the-base-gazette-2026-11-28-city"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "epaper", *args], capture_output=True, text=True, timeout=300,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def _edition(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "edition.yaml").write_text(yaml.safe_dump({
        "title": "The Base Gazette", "date": "2026-11-28", "edition": "city", "language": "en",
        "format": "tabloid", "sections": [{"name": "Front", "pages": 1, "template": "front"}]}), encoding="utf-8")
    body = ["The harbour ferry will run every twenty minutes from Monday, the council said. " * 3] * 4
    for i in range(2):
        (root / "articles" / f"story-{i}.md").write_text(
            "---\n" + yaml.safe_dump({"id": f"story-{i}", "section": "Front", "priority": i + 1,
                                      "headline": f"Ferry timetable changes number {i}"}) + "---\n\n"
            + "\n\n".join(body), encoding="utf-8")
    return root


def _ids(document: dict) -> list[str]:
    return re.findall(r'"id": "([^"]+)"', json.dumps(document))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("base-url")
    edition = _edition(tmp / "ed")
    absolute = _run("build", str(edition), "--out", str(tmp / "abs"), "--workers", "1", "--base-url", BASE.rstrip("/"))
    assert absolute.returncode == 0, absolute.stdout + absolute.stderr
    relative = _run("build", str(edition), "--out", str(tmp / "rel"), "--workers", "1")
    assert relative.returncode == 0, relative.stdout + relative.stderr
    return tmp / "abs", tmp / "rel"


def test_manifest_and_tile_ids_are_absolute_with_a_base_url(built):
    out = built[0] / EDITION_ID
    edition_url = BASE + EDITION_ID + "/"
    manifest = json.loads((out / "manifest.json").read_text())
    # Every id but the collection's and the tile sets' (the output root's: epaper.tile_sets) is the edition's.
    ids = [i for i in _ids(manifest) if i != manifest["partOf"][0]["id"] and not i.startswith(BASE + "tiles/")]
    assert ids and all(i.startswith(edition_url) for i in ids), [i for i in ids if not i.startswith(edition_url)]
    assert manifest["partOf"][0]["id"] == BASE + "collections/the-base-gazette.json"
    assert manifest["id"] == edition_url + "manifest.json"
    service = manifest["items"][0]["items"][0]["items"][0]["body"]["service"][0]
    assert service["id"] == BASE + "tiles/" + tile_set_of(out, 1).name
    info = json.loads((tile_set_of(out, 1) / "info.json").read_text())
    assert info["id"] == service["id"]
    # Every file an absolute id names is where the URL says, once OUT is served at BASE.
    for url in (manifest["id"], manifest["items"][0]["thumbnail"][0]["id"], info["id"] + "/info.json"):
        assert (built[0] / url[len(BASE):]).is_file(), url
    collection = json.loads((built[0] / "collection.json").read_text())
    assert collection["id"] == BASE + "collection.json"
    assert [item["id"] for item in collection["items"]] == [BASE + "collections/the-base-gazette.json"]
    title = json.loads((built[0] / "collections" / "the-base-gazette.json").read_text())
    assert [item["id"] for item in title["items"]] == [edition_url + "manifest.json"]


def test_without_a_base_url_ids_start_with_epaper_serves_address(built):
    out = built[1] / EDITION_ID
    edition_url = f"http://127.0.0.1:8000/{EDITION_ID}/"
    manifest = json.loads((out / "manifest.json").read_text())
    ids = _ids(manifest)
    own = [i for i in ids if i != manifest["partOf"][0]["id"] and not i.startswith("http://127.0.0.1:8000/tiles/")]
    assert own and all(i.startswith(edition_url) for i in own), [i for i in own if not i.startswith(edition_url)]
    assert manifest["partOf"][0]["id"] == "http://127.0.0.1:8000/collections/the-base-gazette.json"
    info = json.loads((tile_set_of(out, 1) / "info.json").read_text())
    assert info["id"] == "http://127.0.0.1:8000/tiles/" + tile_set_of(out, 1).name
    assert json.loads((built[1] / "collection.json").read_text())["id"] == "http://127.0.0.1:8000/collection.json"


@pytest.mark.parametrize("bad", ["epaper.example.org/archive", "ftp://example.org/", "https://example.org/?x=1", "/archive/"])
def test_a_base_url_that_is_not_an_absolute_http_url_is_a_usage_error(tmp_path, bad):
    edition = _edition(tmp_path / "ed")
    result = _run("build", str(edition), "--out", str(tmp_path / "out"), "--base-url", bad)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--base-url" in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()
