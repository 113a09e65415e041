"""``epaper rebase OUT_DIR URL``: a finished build moved to another host, its ids rewritten, nothing re-rendered."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from epaper.publish.versions import EditionVersion, write_version
from epaper.web.compress import precompress
from synthetic_edition import build_synthetic_site

NEW = "https://news.example.org/epaper/"


def _rebase(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "epaper", "rebase", *args], capture_output=True, text=True,
                          timeout=120, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def _iiif_documents(root: Path) -> list[Path]:
    return [root / "collection.json", *root.glob("collections/*.json"), *root.glob("*/manifest.json"),
            *root.glob("*/tiles/*/info.json"), *root.glob("tiles/*/info.json")]


def _urls(path: Path) -> list[str]:
    return re.findall(r'"(https?://[^"]+)"', path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_synthetic_site(tmp_path_factory.mktemp("rebase"), workers=1)


def test_rebase_rewrites_every_id_and_touches_nothing_else(site):
    root = site.out_root
    precompress(site.out_dir)  # as a build leaves it: .gz copies beside the JSON, for static hosts
    documents = _iiif_documents(root)
    before = {p: _urls(p) for p in documents}
    copies = {p.with_name(p.name + ".gz") for p in documents if p.with_name(p.name + ".gz").exists()}
    assert site.out_dir / "manifest.json.gz" in copies
    # As a build for the default address records it (the synthetic site is made stage by stage).
    write_version(site.out_dir, EditionVersion(1, "2026-11-28T23:00:00+05:30", "/desk/city", "knuth-plass", None))
    version = site.out_dir / "version.json"
    untouched = {p: p.stat().st_mtime_ns for p in root.rglob("*")
                 if p.is_file() and p not in before and p not in copies and p != version}
    result = _rebase(str(root), NEW.rstrip("/"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "http://127.0.0.1:8000/" in result.stdout and NEW in result.stdout
    ours = ("http://127.0.0.1:8000/", NEW)
    for path, urls in before.items():
        after = _urls(path)
        assert len(after) == len(urls), path
        for old, new in zip(urls, after):
            if old.startswith("http://iiif.io/") or old.startswith("http://www.loc.gov/"):
                assert new == old  # contexts, protocols and profiles are not ours to move
            else:
                assert old.startswith(ours[0]) and new == NEW + old[len(ours[0]):], (path, old, new)
    for copy in copies:  # a host serving the .gz copy sends the new ids too
        assert gzip.decompress(copy.read_bytes()) == copy.with_suffix("").read_bytes(), copy
    # Nothing rendered again: every other file (images, tiles, PDFs, HTML) is as it was.
    assert {p: p.stat().st_mtime_ns for p in untouched} == untouched
    # A replate builds for the base version.json names: the new one.
    assert json.loads(version.read_text())["base_url"] == NEW
    manifest = json.loads((site.out_dir / "manifest.json").read_text())
    assert manifest["id"] == f"{NEW}{site.out_dir.name}/manifest.json"
    info = json.loads((site.out_dir / "tiles/001/info.json").read_text())
    assert info["id"] == f"{NEW}{site.out_dir.name}/tiles/001"
    import iiif_prezi3

    iiif_prezi3.Manifest(**manifest)
    iiif_prezi3.Collection(**json.loads((root / "collection.json").read_text()))

    again = _rebase(str(root), NEW)
    assert again.returncode == 0 and "0 ids in 0 files" in again.stdout


def test_a_kept_version_built_for_another_address_is_moved_too(site, tmp_path):
    """A replated edition built again with another --base-url: its new version names the new address,
    the versions it keeps the old one, which no edition's manifest names any more. Rebase moved
    only the addresses the editions name, and left the kept versions pointing at the old host."""
    import shutil

    root = tmp_path / "root"
    shutil.copytree(site.out_root, root)
    edition = root / site.out_dir.name
    kept = edition / "versions" / "1"
    (kept / "tiles").mkdir(parents=True)
    old = "https://old-host.example/"
    current = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))["id"].removesuffix(
        f"{edition.name}/manifest.json")
    for relative in ("manifest.json", *(p.relative_to(edition).as_posix() for p in edition.glob("tiles/*/info.json"))):
        target = kept / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (edition / relative).read_text(encoding="utf-8")
        target.write_text(text.replace(f"{current}{edition.name}/", f"{old}{edition.name}/versions/1/"), encoding="utf-8")
    assert old in (kept / "manifest.json").read_text(encoding="utf-8")
    result = _rebase(str(root), NEW)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in [kept / "manifest.json", *kept.glob("tiles/*/info.json")]:
        urls = [u for u in _urls(path) if not u.startswith(("http://iiif.io/", "http://www.loc.gov/"))]
        assert urls and all(u.startswith(NEW) for u in urls), (path, [u for u in urls if not u.startswith(NEW)][:3])
        assert any(u.startswith(f"{NEW}{edition.name}/versions/1/") for u in urls), path


def test_a_later_build_lists_a_rebased_edition_by_its_own_id(site, tmp_path):
    """The collection names each manifest by the id it gives itself, whatever base the newest build used."""
    from epaper.web import write_archive

    write_archive(site.out_root)  # as a build without --base-url would
    title = json.loads(next(site.out_root.glob("collections/*.json")).read_text())
    assert [item["id"] for item in title["items"]] == [json.loads((site.out_dir / "manifest.json").read_text())["id"]]


@pytest.mark.parametrize("url", ["news.example.org", "ftp://news.example.org/", "https://x.example/?a=1"])
def test_a_bad_url_is_a_usage_error(site, url):
    result = _rebase(str(site.out_root), url)
    assert result.returncode == 2 and "URL must be an absolute http(s) URL" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_an_edition_folder_or_a_missing_one_is_a_clear_error(site, tmp_path):
    edition = _rebase(str(site.out_dir), NEW)
    assert edition.returncode == 1 and "one edition's folder" in edition.stdout and str(site.out_root) in edition.stdout
    missing = _rebase(str(tmp_path / "nowhere"), NEW)
    assert missing.returncode == 1 and "no such folder" in missing.stdout
    (tmp_path / "empty").mkdir()
    empty = _rebase(str(tmp_path / "empty"), NEW)
    assert empty.returncode == 1 and "no edition" in empty.stdout
    assert "Traceback" not in edition.stdout + missing.stdout + empty.stdout + edition.stderr + empty.stderr
