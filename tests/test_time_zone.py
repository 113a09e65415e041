"""edition.yaml's ``time_zone``: the edition's times told in the zone it is made in, not the
building machine's (a desk in India building on a UTC cloud machine saw "updated 18:45" at 00:15)."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import zoneinfo

import pytest
import yaml

from epaper.build import build_edition, replate_edition
from epaper.ingest import read_edition
from epaper.night.spec import read_night_spec
from epaper.time_zones import nav_date, now
from small_edition import make_small_edition
from test_incremental import _change_words, _story_alone


def _with_time_zone(edition, name: str) -> None:
    manifest = yaml.safe_load((edition / "edition.yaml").read_text(encoding="utf-8"))
    manifest["time_zone"] = name
    (edition / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")


@pytest.fixture()
def utc_machine(monkeypatch):
    """The building machine's clock in UTC (a cloud machine's, a container's), put back after."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_an_edition_made_in_kolkata_tells_its_times_and_its_date_there(tmp_path, utc_machine):
    from iiif_prezi3 import Collection, Manifest

    assert dt.datetime.now().astimezone().utcoffset() == dt.timedelta(0)
    edition = make_small_edition(tmp_path / "edition")
    _with_time_zone(edition, "Asia/Kolkata")
    result = build_edition(edition, tmp_path / "out", workers=1)
    folder = result.out_dir
    made = dt.datetime.fromisoformat(json.loads((folder / "version.json").read_text(encoding="utf-8"))["made"])
    assert made.utcoffset() == dt.timedelta(hours=5, minutes=30)
    there = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert abs((there - made).total_seconds()) < 600 and result.version.time == made.strftime("%H:%M")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["navDate"] == "2026-11-28T00:00:00+05:30"
    Manifest(**manifest)  # an outside reader of IIIF takes the offset
    layout = json.loads((folder / "layout.json").read_text(encoding="utf-8"))
    assert layout["edition"]["time_zone"] == "Asia/Kolkata"
    collection_file = next((tmp_path / "out" / "collections").glob("*.json"))
    collection = json.loads(collection_file.read_text(encoding="utf-8"))
    assert [item["navDate"] for item in collection["items"]] == ["2026-11-28T00:00:00+05:30"]
    Collection(**collection)


def test_without_a_time_zone_the_machines_local_time_and_navdate_at_midnight_utc():
    assert nav_date("2026-11-28") == "2026-11-28T00:00:00Z"
    assert dt.datetime.fromisoformat(now()).utcoffset() == dt.datetime.now().astimezone().utcoffset()
    # A zone's offset is its date's: London in summer and in winter.
    assert nav_date("2026-07-01", "Europe/London") == "2026-07-01T00:00:00+01:00"
    assert nav_date("2026-11-28", "Europe/London") == "2026-11-28T00:00:00+00:00"


def test_a_misspelt_time_zone_is_named_with_the_field_and_a_near_name(tmp_path):
    edition = make_small_edition(tmp_path / "edition")
    # (A folder of the tz database, "Asia", opened as a zone, raised IsADirectoryError: a review.
    # The machine's own "localtime" and the placeholder "Factory" were taken; "IST" was told "MST"
    # and "Asia" "Asia/Oral": an audit.)
    for given, near in (("Asia/Kolkatta", "Asia/Kolkata"), ("asia/kolkata", "Asia/Kolkata"), ("IST", None),
                        ("../../etc/passwd", None), ("Asia", None), ("localtime", None), ("Factory", None)):
        _with_time_zone(edition, given)
        reading = read_edition(edition)
        [problem] = [p for p in reading.problems if p.field == "time_zone"]
        assert problem.file == "edition.yaml" and f"'{given}' is not one of the tz database" in problem.message
        assert ("did you mean" in problem.message) == (near is not None), problem
        assert near is None or f"did you mean '{near}'" in problem.message
        assert "time_zone: Asia/Kolkata" in problem.fix and reading.edition is None
    _with_time_zone(edition, "")  # a template's blank: not the machine's clock, silently
    [problem] = [p for p in read_edition(edition).problems if p.field == "time_zone"]
    assert problem.message == "time_zone is empty" and "leave the field out" in problem.fix


def test_earlier_versions_made_before_the_time_zone_was_set_are_told_in_it_too(tmp_path, utc_machine):
    """An audit's archive read "updated 05:01 · earlier versions: 23:31": version 1 made on the UTC
    clock, version 2 after time_zone was set, each at its own offset."""
    edition = make_small_edition(tmp_path / "edition")
    out = tmp_path / "out"
    first = build_edition(edition, out, workers=1)
    number, article = _story_alone(first)
    _with_time_zone(edition, "Asia/Kolkata")
    _change_words(edition, article)
    second = replate_edition(out, number, workers=1)
    kept = json.loads((second.out_dir / "versions" / "1" / "version.json").read_text(encoding="utf-8"))["made"]
    assert kept.endswith("+00:00")
    in_kolkata = dt.datetime.fromisoformat(kept).astimezone(zoneinfo.ZoneInfo("Asia/Kolkata")).strftime("%H:%M")
    archive = (out / "index.html").read_text(encoding="utf-8")
    # (Numbered when both were made in the same minute, as here when the machine is quick.)
    assert re.search(f'<time datetime="{re.escape(kept)}">(version 1, )?{in_kolkata}</time>', archive), archive
    assert f"updated {second.version.time}" in archive and second.version.made.endswith("+05:30")


def test_time_zone_in_the_night_file_is_said_to_belong_in_edition_yaml(tmp_path):
    make_small_edition(tmp_path / "main")
    path = tmp_path / "night.yaml"
    path.write_text("main: main\ntime_zone: Asia/Kolkata\nvariants:\n  - edition: Quiet\n    time_zone: UTC\n",
                    encoding="utf-8")
    warnings = [w for w in read_night_spec(path).warnings if "time_zone" in w.field]
    assert [w.field for w in warnings] == ["time_zone", "variants[0].time_zone"]
    assert all("time_zone is edition.yaml's: set it in the main edition's edition.yaml" in w.fix for w in warnings)
