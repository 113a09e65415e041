"""``epaper watch NIGHT_FILE``: a night with zones kept in step with its folders (epaper.night.watch).

On the small edition's night of test_night (a main edition, a zone with a local page and a section
of its own, a zone printing the main edition's pages): a story saved in the main edition's folder
replates its page in every edition printing it, one saved in a zone's folder that zone's page
alone, and a changed night file builds the night whole; every other page's files stay as they were."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import yaml

from epaper.cli import main
from epaper.ingest import Problem
from epaper.night import build_night
from epaper.night.watch import NightWatch
from epaper.watch import WatchError
from test_night import _change_a_word, _night, _page_every_zone_prints, _story
from test_watch import watch_command
from small_edition import make_small_edition

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def night_source(tmp_path_factory) -> Path:
    """A main edition, a zone with a local page and a section of its own, a quiet zone."""
    root = tmp_path_factory.mktemp("night-source")
    make_small_edition(root / "main")
    for n in range(3):
        _story(root / "north", f"north-local-{n}", "City", words=200 + 40 * n)
    _story(root / "north", "north-extra-0", "North Shore", words=260)
    _night(root, [{"edition": "North", "replace_pages": [5],
                   "add_sections": [{"name": "North Shore", "pages": 1, "after": "City"}]},
                  {"edition": "Quiet"}])
    return root


@pytest.fixture(scope="module")
def night_built(night_source, tmp_path_factory):
    out = tmp_path_factory.mktemp("night-out") / "out"
    return out, build_night(night_source / "night.yaml", out)


def _copy(night_source: Path, night_built, tmp_path: Path) -> tuple[Path, Path]:
    """The night's folders and its published output, copied (hard links kept), as if the night had
    been built from the copy (each edition's ``version.json`` names its night file): (night file, out)."""
    root, out = tmp_path / "night", tmp_path / "out"
    shutil.copytree(night_source, root)
    subprocess.run(["cp", "-a", str(night_built[0]), str(out)], check=True)
    for path in out.glob("*/version.json"):
        version = json.loads(path.read_text(encoding="utf-8"))
        path.unlink()  # (a hard link to the store's object: not written through)
        path.write_text(json.dumps({**version, "source": str((root / "night.yaml").absolute())}), encoding="utf-8")
    return root / "night.yaml", out


def _digests(out: Path) -> dict[str, str]:
    """Every page PDF of every edition, by path below ``out``."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.glob("*/pages/*.pdf"))}


def _versions(out: Path) -> dict[str, int]:
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8"))["number"] for p in out.glob("*/version.json")}


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(path for path in before if before[path] != after.get(path))


def _touch_a_local_story(root: Path, zone_out: Path) -> None:
    """One word more in a story of the north zone's own folder that its local page (5) prints."""
    local = json.loads((zone_out / "plan.json").read_text(encoding="utf-8"))
    on_five = [p["article"] for entry in local["pages"] if entry["number"] == 5 for p in entry["placements"]]
    zone_story = next(story for story in on_five if story.startswith("north-local"))
    path = root / "north" / "articles" / f"{zone_story}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["body"] = [data["body"][0].replace(" harbour ", " harbours ", 1)]
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_watched_night_replates_a_main_story_in_every_edition_and_a_zone_story_in_its_zone(
        night_source, night_built, tmp_path):
    night_file, out = _copy(night_source, night_built, tmp_path)
    built = night_built[1]
    main_id, north_id, quiet_id = (edition.id for edition in built.night.editions)
    watch = NightWatch(night_file, out, workers=1)
    # At start: laid out again where anything changed since the night was published; nothing did.
    step = watch.next_step(watch.read())
    assert step.follow and step.pages == () and step.build is None
    before = _digests(out)
    result = watch.run(step)
    assert not result.published and _versions(out) == {main_id: 1, north_id: 1, quiet_id: 1}
    assert _digests(out) == before
    assert watch.next_step(watch.read()).idle  # the same folders: nothing to do

    # A main story on a page every zone prints: that page, in every edition, and nothing else.
    page, story = _page_every_zone_prints(built)
    _change_a_word(night_file.parent / "main", story)
    step = watch.next_step(watch.read())
    assert step.follow and step.pages == (page,), step
    result = watch.run(step)
    assert result.published and result.out_dir.name == main_id
    assert {other.out_dir.name for other in result.also} == {north_id, quiet_id}
    assert _versions(out) == {main_id: 2, north_id: 2, quiet_id: 2}
    after = _digests(out)
    assert _changed(before, after) == sorted(f"{edition}/pages/{page:03d}.pdf"
                                             for edition in (main_id, north_id, quiet_id)), _changed(before, after)
    for folder in (main_id, north_id, quiet_id):
        assert json.loads((out / folder / "version.json").read_text(encoding="utf-8"))["replated"] == [page]
    assert watch.next_step(watch.read()).idle

    # A story of the zone's own folder, on its local page: that zone's page alone.
    _touch_a_local_story(night_file.parent, out / north_id)
    before = after
    step = watch.next_step(watch.read())
    assert step.follow and step.pages == ()  # the main edition did not change
    result = watch.run(step)
    assert result.published and result.out_dir.name == north_id and result.also == ()
    assert _versions(out) == {main_id: 2, north_id: 3, quiet_id: 2}
    assert _changed(before, _digests(out)) == [f"{north_id}/pages/005.pdf"]


def test_a_changed_night_file_builds_the_night_whole(night_source, night_built, tmp_path):
    night_file, out = _copy(night_source, night_built, tmp_path)
    watch = NightWatch(night_file, out, workers=1)
    watch.run(watch.next_step(watch.read()))  # the start: nothing changed
    spec = yaml.safe_load(night_file.read_text(encoding="utf-8"))
    _story(night_file.parent / "quiet", "quiet-local-0", "City", words=260)
    spec["variants"][1]["replace_pages"] = [5]  # the quiet zone has a local page now
    night_file.write_text(yaml.safe_dump(spec), encoding="utf-8")
    step = watch.next_step(watch.read())
    assert step.build == "night.yaml changed" and not step.follow
    result = watch.run(step)
    assert result.published
    # The quiet zone's page 5 is its own now: no longer the main edition's file.
    quiet = next(other for other in result.also if other.out_dir.name.endswith("quiet"))
    main_page, quiet_page = (folder / "pages" / "005.pdf" for folder in (result.out_dir, quiet.out_dir))
    assert os.stat(main_page).st_ino != os.stat(quiet_page).st_ino
    # A comment, or the order of a zone's keys, does not change what the night says: nothing to build.
    spec = yaml.safe_load(night_file.read_text(encoding="utf-8"))
    spec["variants"] = [dict(reversed(list(variant.items()))) for variant in spec["variants"]]
    night_file.write_text("# the quiet zone prints its local page\n" + yaml.safe_dump(spec, sort_keys=False),
                          encoding="utf-8")
    assert watch.next_step(watch.read()).idle
    # A zone's edition gone from the output (a build stopped half-way, a folder removed): built whole.
    shutil.rmtree(quiet.out_dir)
    step = watch.next_step(watch.read())
    assert step.build is not None and quiet.out_dir.name in step.build and "not published" in step.build


def test_watching_a_night_refuses_an_output_inside_its_folders_and_names_a_bad_night_file(night_source, tmp_path,
                                                                                            capsys):
    with pytest.raises(WatchError, match="inside .* choose an --out outside it"):
        NightWatch(night_source / "night.yaml", night_source / "north" / "out")  # a zone's folder
    # Beside the night file (its folder is not watched: the file is looked at every few seconds).
    assert NightWatch(night_source / "night.yaml", night_source / "out").folders == (
        (night_source / "main").resolve(), (night_source / "north").resolve())
    bad = tmp_path / "night.yaml"
    bad.write_text("main: nowhere\nvariants: []\n", encoding="utf-8")
    assert main(["watch", str(bad), "--out", str(tmp_path / "out")]) == 1
    said = capsys.readouterr().out
    assert "night.yaml" in said and "main" in said and "variants" in said and "Traceback" not in said, said


def test_the_watch_command_on_a_night_file_replates_every_edition_printing_a_saved_story(
        night_source, night_built, tmp_path):
    night_file, out = _copy(night_source, night_built, tmp_path)
    built = night_built[1]
    page, story = _page_every_zone_prints(built)
    with watch_command(night_file, out, stop=signal.SIGTERM) as lines:  # as systemd or docker stop ends it
        said = "".join(lines.until("Watching"))
        assert "Unchanged: every page prints as version 1 has it" in said, said
        _change_a_word(night_file.parent / "main", story)
        said = "".join(lines.until("Done in"))
        assert f"replating page {page} of the main edition and what follows in the zones" in said, said
        for zone in built.night.editions[1:]:
            assert f"Also {zone.id}: version 2 (updated " in said and f"page {page} changed with it" in said, said
        # A story of the zone's own folder: that zone's page, named as a replate of that zone.
        north = built.night.editions[1].id
        _touch_a_local_story(night_file.parent, out / north)
        said = "".join(lines.until("Done in"))
        # (Taken as a save, or by the look right after the step before: whichever sees it first.)
        assert "laying out again what changed in the zones' folders" in said, said
        assert f"Version 3 of {north} (updated " in said and "page 5 printed anew;" in said, said
        pages = len(built.night.editions[1].pages)
        assert re.search(rf"{pages} pages in [\d.]+ s, 1 of them made again: ", said), said
        assert "Also " not in said, said
        # The zone's warnings its version before reported are not said as new (an audit: the watch
        # had printed none of the zone's, so each read as new), as a replate command says them.
        kept = json.loads((out / north / "versions" / "2" / "report.json").read_text(encoding="utf-8"))
        told = [str(Problem(**warning)) for warning in kept["warnings"]]
        assert told and not [line for line in told if f"  {line}" in said], said


def test_ctrl_c_in_the_middle_of_a_nights_step_says_what_it_leaves_and_exits_130(night_source, tmp_path, monkeypatch,
                                                                                  capsys):
    def watched_at_once(*folders, poll=False):
        yield ()
        raise AssertionError("the step at start was to be stopped")

    def interrupted(self, step, **_):
        raise KeyboardInterrupt

    monkeypatch.setattr("epaper.watch.saved_files", watched_at_once)
    monkeypatch.setattr(NightWatch, "run", interrupted)
    shutil.copytree(night_source, tmp_path / "night")
    # Nothing published in the output yet: the first step builds the night whole, and is stopped.
    assert main(["watch", str(tmp_path / "night" / "night.yaml"), "--out", str(tmp_path / "out")]) == 130
    said = " ".join(capsys.readouterr().out.split())
    assert ("Stopped (Ctrl-C) during the build of the whole night: an edition it had published by then keeps its new "
            "version, the others stay as they were") in said, said
