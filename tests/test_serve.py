"""``epaper serve`` as a user and a IIIF viewer meet it: CORS, gzip, clear errors, nothing outside its folder."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.error import HTTPError

import pytest

from served import epaper_serve


@dataclass(frozen=True)
class _Answer:
    """A response read whole and closed (an open one leaks its socket into a later test's warnings)."""

    status: int
    headers: Message
    body: bytes

    def read(self) -> bytes:
        return self.body


def _get(url: str, **headers: str) -> _Answer:
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=10)
    except HTTPError as error:
        response = error
    with response:
        return _Answer(response.status, response.headers, response.read())


def _serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "epaper", "serve", *args], capture_output=True, text=True,
                          timeout=60, env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"})


@pytest.fixture()
def root(tmp_path) -> Path:
    root = tmp_path / "out"
    (root / "ed" / "tiles" / "001").mkdir(parents=True)
    (root / "ed" / "manifest.json").write_text(json.dumps({"id": "x", "items": ["page"] * 500}), encoding="utf-8")
    (root / "ed" / "index.html").write_text("<!doctype html><title>t</title>" + "<p>text</p>" * 500, encoding="utf-8")
    (root / "ed" / "viewer.css").write_text("body { margin: 0 }\n" * 200, encoding="utf-8")
    (root / "ed" / "viewer.js").write_text("var a = 1;\n" * 200, encoding="utf-8")
    (root / "ed" / "tiles" / "001" / "tile.jpg").write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 20)
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "key.json").write_text('{"key": 1}', encoding="utf-8")
    return root


def test_cors_header_on_every_answer(root):
    with epaper_serve(root) as url:
        for path in ("ed/manifest.json", "ed/tiles/001/tile.jpg", "ed/", "missing.json"):
            assert _get(url + path).headers["Access-Control-Allow-Origin"] == "*", path


@pytest.mark.parametrize("path, media_type", [("ed/manifest.json", "application/json"), ("ed/index.html", "text/html"),
                                              ("ed/", "text/html"), ("ed/viewer.css", "text/css"),
                                              ("ed/viewer.js", "javascript")])
def test_text_is_gzipped_for_clients_that_accept_it(root, path, media_type):
    with epaper_serve(root) as url:
        answer = _get(url + path, **{"Accept-Encoding": "gzip, deflate"})
        body = answer.read()
        plain = _get(url + path).read()
    assert answer.headers["Content-Encoding"] == "gzip" and media_type in answer.headers["Content-Type"]
    assert answer.headers["Vary"] == "Accept-Encoding" and int(answer.headers["Content-Length"]) == len(body)
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 3


def test_no_gzip_for_images_or_clients_that_do_not_ask(root):
    with epaper_serve(root) as url:
        tile = _get(url + "ed/tiles/001/tile.jpg", **{"Accept-Encoding": "gzip"})
        assert tile.headers["Content-Encoding"] is None
        assert tile.read() == (root / "ed/tiles/001/tile.jpg").read_bytes()
        plain = _get(url + "ed/manifest.json", **{"Accept-Encoding": "identity"})
        assert plain.headers["Content-Encoding"] is None and json.loads(plain.read())["id"] == "x"


def test_a_file_a_replate_replaced_is_never_answered_as_unchanged(root):
    """A replate puts another file at a page image's address, often a hard link to an object of the
    build cache made before the one the browser holds: revalidation by modification time alone
    (If-Modified-Since) answered 304 and the reader kept the old page. Every answer says no-cache;
    files carry an ETag of the file itself, and only the very file is a 304."""
    import os

    tile = root / "ed" / "tiles" / "001" / "tile.jpg"
    older = root.parent / "object-made-earlier"
    older.write_bytes(b"\xff\xd8\xff" + b"the page as it was before" * 40)
    os.utime(older, (1_000_000_000, 1_000_000_000))  # 2001: older than the tile the browser has
    with epaper_serve(root) as url:
        for path, encoding in (("ed/tiles/001/tile.jpg", "identity"), ("ed/manifest.json", "gzip")):
            first = _get(url + path, **{"Accept-Encoding": encoding})
            assert first.status == 200 and first.headers["Cache-Control"] == "no-cache"
            tag, modified = first.headers["ETag"], first.headers["Last-Modified"]
            again = _get(url + path, **{"Accept-Encoding": encoding, "If-None-Match": tag, "If-Modified-Since": modified})
            assert again.status == 304 and again.body == b"" and again.headers["ETag"] == tag
        plain_tag = _get(url + "ed/manifest.json").headers["ETag"]
        assert plain_tag != _get(url + "ed/manifest.json", **{"Accept-Encoding": "gzip"}).headers["ETag"]
        seen = _get(url + "ed/tiles/001/tile.jpg")
        tile.unlink()
        os.link(older, tile)  # the replate: the address now links an older object
        after = _get(url + "ed/tiles/001/tile.jpg", **{"If-None-Match": seen.headers["ETag"],
                                                        "If-Modified-Since": seen.headers["Last-Modified"]})
        assert after.status == 200 and after.body == older.read_bytes()
        assert _get(url + "missing.json").headers["ETag"] is None


def test_a_tile_of_a_set_published_beside_the_editions_may_be_kept_for_a_year(root):
    """A tile's address names its bytes (OUT/tiles/<name>/, epaper.tile_sets): a browser or CDN may
    keep it. Its set's info.json (rewritten by a rebase) and every other file are asked for again."""
    name = "0123456789abcdef01234567"
    tile = root / "tiles" / name / "0,0,512,512" / "512,512" / "0" / "default.jpg"
    tile.parent.mkdir(parents=True)
    tile.write_bytes(b"\xff\xd8\xff" + b"a tile" * 40)
    (root / "tiles" / name / "info.json").write_text('{"id": "x"}')
    with epaper_serve(root) as url:
        kept = _get(url + f"tiles/{name}/0,0,512,512/512,512/0/default.jpg")
        assert kept.status == 200 and kept.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        for path in (f"tiles/{name}/info.json", "ed/tiles/001/tile.jpg", "ed/manifest.json"):
            assert _get(url + path).headers["Cache-Control"] == "no-cache", path
        missing = _get(url + f"tiles/{name}/0,512,512,512/512,512/0/default.jpg")  # (a set being mended)
        assert missing.status == 404 and missing.headers["Cache-Control"] == "no-cache"


def test_symlinks_out_of_the_folder_are_refused(root):
    (root / "ed" / "leak.txt").symlink_to(root.parent / "secret.txt")
    (root / "secrets").symlink_to(root.parent / "secrets", target_is_directory=True)
    (root / "ed" / "same.json").symlink_to(root / "ed" / "manifest.json")  # inside: fine
    (root / "linked").mkdir()
    (root / "linked" / "index.html").symlink_to(root.parent / "secret.txt")
    with epaper_serve(root) as url:
        for path in ("ed/leak.txt", "secrets/key.json", "linked/", "../secret.txt", "%2e%2e/secret.txt",
                     "ed/../../secret.txt"):
            for encoding in ("identity", "gzip"):
                answer = _get(url + path, **{"Accept-Encoding": encoding})
                assert answer.status == 404, path
                assert b"outside" not in answer.read() and b"key" not in answer.read()
        assert _get(url + "ed/same.json").status == 200


def test_port_0_takes_a_free_port_and_prints_it(root):
    with epaper_serve(root) as url:
        port = int(url.rsplit(":", 1)[1].rstrip("/"))
        assert port > 0
        assert json.loads(_get(url + "ed/manifest.json").read())["id"] == "x"


def test_a_busy_port_is_one_line_and_exit_1(root):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _serve(str(root), "--port", str(port))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and f"port {port}" in lines[0] and "already in use" in lines[0], result.stdout


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_an_invalid_port_is_a_usage_error(root, port):
    result = _serve(str(root), "--port", port)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--port" in result.stderr and "0 to 65535" in result.stderr


@pytest.mark.parametrize("host", ["no-such-host.invalid", "192.0.2.1"])
def test_an_invalid_host_is_a_clear_error(root, host):
    result = _serve(str(root), "--host", host, "--port", "0")
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"host {host!r}" in result.stdout and "--host" in result.stdout and len(result.stdout.splitlines()) == 1


def test_serve_says_how_to_rebase_when_the_ids_point_elsewhere(root):
    (root / "collection.json").write_text(json.dumps({"id": "http://127.0.0.1:8000/collection.json"}))
    process = subprocess.Popen([sys.executable, "-m", "epaper", "serve", str(root), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"})
    try:
        first, second = process.stdout.readline(), process.stdout.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
    url = first.split(" at ")[1].split()[0]
    assert "http://127.0.0.1:8000/" in second and f"epaper rebase {root} {url}" in second


def test_an_image_services_address_answers_with_its_image_information(root):
    """An archive's audit: the address of a page's tiles (its IIIF image service) answered a listing
    of its tile folders; the Image API asks for its info.json there (a 303 to it, recommended)."""
    (root / "ed" / "tiles" / "001" / "info.json").write_text('{"id": "x", "type": "ImageService3"}', encoding="utf-8")
    with epaper_serve(root) as url:
        for path in ("ed/tiles/001", "ed/tiles/001/"):
            request = urllib.request.Request(url + path)
            opener = urllib.request.build_opener(_NoRedirect)
            try:
                opener.open(request, timeout=10)
                raise AssertionError("no redirect")
            except HTTPError as answer:
                with answer:
                    assert answer.status == 303 and answer.headers["Location"] == "/ed/tiles/001/info.json", path
            followed = _get(url + path)  # followed as a viewer would
            assert followed.status == 200 and json.loads(followed.read())["type"] == "ImageService3"
        assert _get(url + "ed/").status == 200  # a folder with an index.html is still its page


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


def test_iiif_documents_are_json_ld_to_a_client_that_asks_and_json_to_others(root):
    """The Image and Presentation APIs: application/json, unless JSON-LD is asked for (Accept); then
    application/ld+json with the API's context as profile (the IIIF validator's jsonld test failed)."""
    (root / "ed" / "tiles" / "001" / "info.json").write_text('{"id": "x", "type": "ImageService3"}', encoding="utf-8")
    (root / "collection.json").write_text('{"id": "c"}', encoding="utf-8")
    (root / "ed" / "layout.json").write_text('{"pages": []}', encoding="utf-8")
    asked = {"Accept": "application/ld+json"}
    with epaper_serve(root) as url:
        for path, api in (("ed/tiles/001/info.json", "image"), ("ed/manifest.json", "presentation"),
                          ("collection.json", "presentation")):
            plain, linked = _get(url + path), _get(url + path, **asked)
            assert plain.headers["Content-Type"] == "application/json", path
            assert linked.headers["Content-Type"] == (
                f'application/ld+json;profile="http://iiif.io/api/{api}/3/context.json"'), path
            assert linked.read() == plain.read() and "Accept" in linked.headers.get_all("Vary"), path
            assert linked.headers["ETag"] != plain.headers["ETag"], path  # another representation
        packed = _get(url + "ed/manifest.json", **asked, **{"Accept-Encoding": "gzip"})  # still gzipped
        assert packed.headers["Content-Encoding"] == "gzip" and "ld+json" in packed.headers["Content-Type"]
        assert gzip.decompress(packed.read()) == _get(url + "ed/manifest.json").read()
        # Not an IIIF document: JSON whatever is asked.
        assert _get(url + "ed/layout.json", **asked).headers["Content-Type"] == "application/json"
        for refused in ("application/ld+json;q=0", 'application/ld+json;profile="x"; q=0.0'):
            assert _get(url + "ed/manifest.json", Accept=refused).headers["Content-Type"] == "application/json"

