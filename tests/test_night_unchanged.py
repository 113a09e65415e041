"""A night built again with nothing changed is left as it is (epaper.night.unchanged), and any change
— to a zone's story, the options, or a file of the output — builds it again as usual."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from epaper.cli import main as cli_main
from epaper.night import build_night, read_night_spec
from epaper.night.unchanged import NightInputs, output_state
from small_edition import make_small_edition


def _night(root: Path) -> Path:
    """The small edition and a zone that adds a page of its own stories."""
    make_small_edition(root / "main")
    for n in range(2):
        body = [" ".join(f"quay{i % 5} notice" for i in range(70 + 20 * n))]
        story = {"id": f"zone-{n}", "section": "Quay", "priority": 3, "headline": f"Zone story {n}",
                 "byline": "Zone desk", "body": body}
        (root / "zone" / "articles").mkdir(parents=True, exist_ok=True)
        (root / "zone" / "articles" / f"zone-{n}.json").write_text(json.dumps(story), encoding="utf-8")
    path = root / "night.yaml"
    path.write_text(yaml.safe_dump({"main": "main", "variants": [
        {"edition": "Quay", "folder": "zone", "add_sections": [{"name": "Quay", "pages": 1, "after": "City"}]}]}),
        encoding="utf-8")
    return path


def _files(out: Path) -> dict[str, tuple[int, int, str]]:
    """Every file of the output but the store: inode, modification time, digest."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns,
                                           hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(out.rglob("*")) if p.is_file() and ".store" not in p.relative_to(out).parts}


def test_the_inputs_key_follows_every_file_of_the_night_and_the_options(tmp_path):
    path = _night(tmp_path)
    spec = read_night_spec(path)
    key = NightInputs(spec, "knuth-plass", None).key()
    assert key == NightInputs(read_night_spec(path), "knuth-plass", None).key()
    assert NightInputs(spec, "knuth-plass", "https://example.org/").key() != key
    assert NightInputs(spec, "first-fit", None).key() != key
    story = tmp_path / "zone" / "articles" / "zone-1.json"
    story.write_text(story.read_text(encoding="utf-8").replace("quay1", "quay9"), encoding="utf-8")
    assert NightInputs(spec, "knuth-plass", None).key() != key
    photo = next((tmp_path / "main" / "images").iterdir())
    before = NightInputs(spec, "knuth-plass", None).key()
    photo.write_bytes(photo.read_bytes() + b"\0")
    assert NightInputs(spec, "knuth-plass", None).key() != before


def test_the_output_state_changes_with_any_file_written_linked_added_or_removed(tmp_path):
    out = tmp_path / "out"
    (out / "edition" / "pages").mkdir(parents=True)
    (out / ".store" / "objects").mkdir(parents=True)
    page = out / "edition" / "pages" / "001.pdf"
    page.write_bytes(b"%PDF page")
    (out / "edition" / "version.json").write_text("{}", encoding="utf-8")  # an edition: the night's own

    def state() -> str:
        return output_state(out, {"edition"})

    before = state()
    assert state() == before
    (out / ".store" / "objects" / "x").write_bytes(b"the store is not the output")
    assert state() == before
    with open(page, "r+b") as file:  # the same bytes written in place
        file.write(b"%PDF page")
    assert state() != before
    before = state()
    os.link(page, tmp_path / "elsewhere.pdf")  # another edition linking the same file
    assert state() != before
    before = state()
    (out / "edition" / "extra.txt").write_text("x", encoding="utf-8")
    assert state() != before
    before = state()
    (out / "edition" / "extra.txt").unlink()
    assert state() != before
    before = state()
    (out / "index.html").write_text("the archive", encoding="utf-8")
    assert state() != before


def test_the_output_state_goes_through_the_nights_editions_and_tiles_not_the_other_editions_of_the_folder(tmp_path):
    """A desk's folder holds a month of other nights (1,800 folders, ~900,000 files): each counts by
    its own folder's entry — built again, replaced or removed beside the night, the state changes —
    and what is inside it is not gone through. The night's editions' tile sets are; the others'
    count by their folder too."""
    out = tmp_path / "out"
    ours, theirs = "the-courier-2026-11-28-city", "the-courier-2026-11-27-city"
    sets = {name: out / "tiles" / name for name in ("a" * 24, "b" * 24)}
    for tile_set in sets.values():
        (tile_set / "full").mkdir(parents=True)
        (tile_set / "full" / "default.jpg").write_bytes(b"tile")
    for edition, tile_set in ((ours, "a" * 24), (theirs, "b" * 24)):
        (out / edition).mkdir()
        (out / edition / "version.json").write_text("{}", encoding="utf-8")
        (out / edition / "manifest.json").write_text(json.dumps({"service": [{"id": f"http://x/tiles/{tile_set}"}]}))
    before = output_state(out, {ours})
    for inside in (out / theirs / "version.json", sets["b" * 24] / "full" / "default.jpg"):
        inside.write_text("edited in place", encoding="utf-8")
        assert output_state(out, {ours}) == before, inside
    (sets["a" * 24] / "full" / "default.jpg").write_text("edited in place", encoding="utf-8")
    assert output_state(out, {ours}) != before
    before = output_state(out, {ours})
    (out / theirs / "new.txt").write_text("added", encoding="utf-8")  # its folder's times change
    assert output_state(out, {ours}) != before
    before = output_state(out, {ours})
    shutil.rmtree(out / theirs)
    assert output_state(out, {ours}) != before


@pytest.mark.slow
def test_an_unchanged_night_is_left_as_it_is_and_a_changed_one_built_again(tmp_path, capsys):
    path = _night(tmp_path / "night")
    # A misspelt field of the zone's (said on the command line, the night built without it).
    night = yaml.safe_load(path.read_text(encoding="utf-8"))
    night["variants"][0]["add_section"] = []
    path.write_text(yaml.safe_dump(night), encoding="utf-8")
    out = tmp_path / "out"
    first = build_night(path, out, workers=1)
    assert not first.unchanged and first.pages_made
    files = _files(out)
    # Unchanged: nothing read, laid out or written; the desk is told so, edition by edition, with
    # what the night file warns of.
    assert cli_main(["build-night", str(path), "--out", str(out), "--workers", "1"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "The night is unchanged" in said and all(f"{e.id}: " in said for e in first.summary), said
    assert ("warning: night.yaml: variants[0].add_section: unknown field 'add_section' is not used "
            "(did you mean 'add_sections'?)") in said, said
    assert _files(out) == files
    again = build_night(path, out, workers=1)
    assert again.unchanged and again.pages_made == 0 and again.summary == tuple(
        e.left_as_built() for e in first.summary)
    assert build_night(path, out, workers=2).unchanged  # the files do not depend on the processes
    # A file of an edition rewritten in place: built again, the file is the build's again.
    viewer = out / first.summary[1].id / "index.html"
    original = viewer.read_bytes()
    viewer.chmod(0o644)
    viewer.write_bytes(b"edited by hand")
    fixed = build_night(path, out, workers=1)
    assert not fixed.unchanged and fixed.pages_made == 0
    assert viewer.read_bytes() == original
    # A file removed, and another build's leftover folder: built again, whole.
    removed = out / first.summary[0].id / "pages" / "002.pdf"
    removed.unlink()
    (out / f".{first.summary[0].id}.building-x").mkdir()
    rebuilt = build_night(path, out, workers=1)
    assert not rebuilt.unchanged and removed.is_file() and not (out / f".{first.summary[0].id}.building-x").exists()
    assert build_night(path, out, workers=1).unchanged
    # Another option, then a zone's story changed: built again; only the zone's page is drawn.
    assert not build_night(path, out, workers=1, base_url="https://example.org/news/").unchanged
    story = tmp_path / "night" / "zone" / "articles" / "zone-0.json"
    story.write_text(story.read_text(encoding="utf-8").replace("quay1", "quay8"), encoding="utf-8")
    changed = build_night(path, out, workers=1, base_url="https://example.org/news/")
    assert not changed.unchanged and changed.pages_made
    assert {e.id for e in changed.summary if e.pages_made} == {first.summary[1].id}
    shutil.rmtree(out / first.summary[1].id)
    assert not build_night(path, out, workers=1, base_url="https://example.org/news/").unchanged
    assert (out / first.summary[1].id / "index.html").is_file()
