"""Crash-safe output: publishing by exchange, recovery after a kill, the edition lock, workers that
die with their build, plan.json checked before --lock trusts it, content fingerprints, and clear
errors for an output folder that cannot take the edition."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from epaper.cli import main
from epaper.layout.lock import LockError, _fingerprint, read_plan_record
from epaper.publish import output
from epaper.publish.build_lock import output_lock
from epaper.publish.output import OutputError, output_errors, recover, staged_output, stale_folders
from epaper.web.archive import find_editions
from small_edition import make_small_edition



def _edition(folder: Path, marker: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.json").write_text(json.dumps({"edition": {"date": "2026-11-28", "id": folder.name}, "marker": marker}))


def _marker(folder: Path) -> str:
    return json.loads((folder / "layout.json").read_text())["marker"]


def test_publishing_swaps_the_new_edition_in_and_leaves_nothing_behind(tmp_path):
    final = tmp_path / "ed"
    for marker in ("first", "second", "third"):
        with staged_output(final) as staging:
            _edition(staging, marker)
        assert _marker(final) == marker
        assert stale_folders(final) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ed"]  # no lock file either


def test_the_exchange_is_atomic_where_the_system_has_it(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    _edition(a, "A")
    _edition(b, "B")
    if not output.exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    assert _marker(a) == "B" and _marker(b) == "A"


def test_without_the_exchange_two_renames_are_used(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    final = tmp_path / "ed"
    for marker in ("first", "second"):
        with staged_output(final) as staging:
            _edition(staging, marker)
    assert _marker(final) == "second" and stale_folders(final) == []


def test_a_kill_between_the_two_renames_is_recovered_by_the_next_run(tmp_path):
    """The state two renames leave when killed between them: no ed/, the old edition in
    .ed.old-*, the new one in .ed.building-*. The next run puts the old one back first."""
    final = tmp_path / "ed"
    _edition(tmp_path / ".ed.old-4242", "previous")
    _edition(tmp_path / ".ed.building-abc", "new but unpublished")
    (tmp_path / ".ed.building-xyz").mkdir()  # a staging folder of an earlier kill, half written
    recover(final)
    assert _marker(final) == "previous"
    assert stale_folders(final) == []


def test_a_night_replate_tidies_the_editions_a_killed_build_left_leftovers_of_and_lists_the_folder_once(
        tmp_path, monkeypatch):
    """A night's replate looks for the night's editions among every edition in the output folder
    (a month of a desk's nights: 1,800) and tidies what killed builds left beside each: found in
    one listing of the folder, not one for each edition (~7 s in such a folder)."""
    import epaper.night.replate as night_replate
    from epaper.publish.versions import EditionVersion, write_version

    night_file = tmp_path / "night.yaml"
    night_file.write_text("main: main\n")
    earlier = [f"city-2026-11-{day}" for day in range(10, 27)]  # the nights before, of the same night file
    for name in ("city", "harbour", "city-2026-11-27", *earlier):
        (tmp_path / name).mkdir()
        write_version(tmp_path / name, EditionVersion(1, "2026-11-28T22:00:00+05:30", str(night_file), "knuth-plass",
                                                      None, night_edition=name))
    _edition(tmp_path / ".harbour.building-4242", "killed while staged")
    (tmp_path / ".city-2026-11-27.old-77").mkdir()
    # Killed between the two renames of its publish: the edition is only its old folder.
    between = tmp_path / ".islands.old-99"
    _edition(between, "published before")
    write_version(between, EditionVersion(1, "2026-11-28T22:00:00+05:30", str(night_file), "knuth-plass", None,
                                          night_edition="Islands"))
    assert output.editions_with_stale_folders(tmp_path) == {"harbour", "city-2026-11-27", "islands"}
    recovered, listed = [], []
    recover_edition = night_replate.recover_edition
    monkeypatch.setattr(night_replate, "recover_edition", lambda folder: (recovered.append(folder.name),
                                                                        recover_edition(folder)))
    listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": (listed.append(Path(path)), listdir(path))[1])
    found = night_replate._night_editions(tmp_path, night_file)
    assert sorted(found) == sorted(["city", "city-2026-11-27", "harbour", "islands", *earlier])
    assert sorted(recovered) == ["city-2026-11-27", "harbour", "islands"] and _marker(tmp_path / "islands") == \
        "published before"
    assert listed.count(tmp_path) <= 1 + 2 * len(recovered), "the folder listed again for editions with no leftovers"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".store") == sorted(
        ["city", "city-2026-11-27", "harbour", "islands", "night.yaml", *earlier])
    # What each version.json said is remembered while it is the same file: published again (built
    # by another night file now), it is read again.
    write_version(tmp_path / "harbour", EditionVersion(2, "2026-11-28T23:00:00+05:30", str(tmp_path / "other.yaml"),
                                                       "knuth-plass", None, night_edition="harbour"))
    assert "harbour" not in night_replate._night_editions(tmp_path, night_file)


def test_a_failed_build_leaves_the_previous_edition(tmp_path):
    final = tmp_path / "ed"
    _edition(final, "previous")
    with pytest.raises(RuntimeError), staged_output(final) as staging:
        _edition(staging, "half")
        raise RuntimeError("drawing failed")
    assert _marker(final) == "previous" and stale_folders(final) == []


def test_the_archive_never_lists_staging_or_old_folders(tmp_path):
    _edition(tmp_path / "real", "x")
    _edition(tmp_path / ".real.building-1", "x")
    _edition(tmp_path / ".real.old-2", "x")
    assert [e.folder for e in find_editions(tmp_path)] == ["real"]


def test_an_atomic_write_leaves_the_old_file_or_the_new_one(tmp_path, monkeypatch):
    target = tmp_path / "collection.json"
    target.write_text("old", encoding="utf-8")

    def interrupted(src, dst):  # a kill between writing the new text and moving it into place
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_text_atomically(target, "new")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old" and sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    output.write_text_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new" and oct(target.stat().st_mode & 0o777) == "0o644"


def test_the_archive_removes_what_a_killed_archive_write_left(tmp_path):
    from epaper.web.archive import write_archive

    _edition(tmp_path / "real", "x")
    (tmp_path / ".index.html.k3j2.partial").write_text("<html><body>half", encoding="utf-8")
    (tmp_path / "collections").mkdir()
    (tmp_path / "collections" / ".t.json.a1.partial").write_text("{", encoding="utf-8")
    write_archive(tmp_path)
    assert not list(tmp_path.rglob("*.partial"))
    assert (tmp_path / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from epaper.publish.build_lock import output_lock
    with output_lock(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
        Path(sys.argv[3]).write_text("released")
""")


def test_a_second_build_waits_for_the_lock_and_says_who_holds_it(tmp_path):
    final = tmp_path / "ed"
    released = tmp_path / "released"
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(final), "1.5", str(released)],
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout.readline().strip() == "held"
        messages: list[str] = []
        with output_lock(final, messages.append):
            assert released.exists(), "the lock was taken while the other build still held it"
        assert len(messages) == 1
        assert f"pid {holder.pid}" in messages[0] and str(final) in messages[0]


def test_a_killed_holder_releases_the_lock(tmp_path):
    final = tmp_path / "ed"
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(final), "600", str(tmp_path / "never")],
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout.readline().strip() == "held"
        holder.send_signal(signal.SIGKILL)
    started = time.monotonic()
    with output_lock(final):
        pass
    assert time.monotonic() - started < 5


POOL = textwrap.dedent("""
    import multiprocessing, os, sys, time
    from epaper.workers import worker_pool
    pool = worker_pool(2, multiprocessing.get_context(sys.argv[1]))
    pids = set()
    while len(pids) < 2:
        futures = [pool.submit(time.sleep, 0.05) for _ in range(4)] + [pool.submit(os.getpid) for _ in range(4)]
        pids |= {f.result() for f in futures if f.result() is not None}
    print(" ".join(map(str, sorted(pids))), flush=True)
    pool.submit(time.sleep, 600)
    time.sleep(600)
""")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("start_method", ["fork", "forkserver"])  # forkserver: Linux's default from Python 3.14
def test_workers_die_with_a_killed_build(start_method):
    with subprocess.Popen([sys.executable, "-c", POOL, start_method], stdout=subprocess.PIPE, text=True) as parent:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        parent.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "a worker outlived its killed build"


def _record(tmp_path: Path, record) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(record if isinstance(record, str) else json.dumps(record), encoding="utf-8")
    return path


GOOD = {"version": 2, "edition": "e", "format": "broadsheet", "pages": [{
    "number": 1, "section": "Front", "quotations": [], "refer_boxes": [[0, 2, 10, 5]],
    "placements": [{"article": "a", "fingerprint": "f", "slot": [0, 3, 0, 20], "lines": [0, 40],
                    "continued_to_part": False, "continued_from_page": None, "photo_rows": None,
                    "design": {"tier": 1, "headline_step": 0, "with_photo": True, "with_deck": False,
                               "photo_rows": None, "jump_head": False, "brief": False, "pull_quote": False,
                               "headline_lines": 2},
                    "adjustments": []}]}]}


def _damaged(path: list, value) -> dict:
    record = json.loads(json.dumps(GOOD))
    target = record
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return record


@pytest.mark.parametrize("record, expected", [
    ("{not json", "cannot read"),
    ("[]", "another epaper version"),
    (_damaged(["pages"], {"1": 2}), "the record.pages"),
    (_damaged(["pages", 0, "number"], "one"), "pages[0].number"),
    (_damaged(["pages", 0, "placements", 0, "slot"], [0, 3, 0]), "pages[0].placements[0].slot"),
    (_damaged(["pages", 0, "placements", 0, "lines"], [40, 0]), "pages[0].placements[0].lines"),
    (_damaged(["pages", 0, "placements", 0, "fingerprint"], KeyError), "has no 'fingerprint'"),
    (_damaged(["pages", 0, "placements", 0, "design", "tier"], True), "design.tier"),
    (_damaged(["pages", 0, "placements", 0, "design", "wobble"], 1), "unknown key 'wobble'"),
    (_damaged(["pages", 0, "refer_boxes"], [["a"]]), "refer_boxes"),
    (_damaged(["pages", 0, "refers"], [[7]]), "refers"),
    (_damaged(["pages", 0, "refers"], [["a"], ["b"]]), "refers names the stories of 2 refer boxes, not of its 1"),
    (_damaged(["pages", 0, "roomier"], -0.5), "pages[0].roomier"),
    (_damaged(["pages", 0, "roomier"], "much"), "pages[0].roomier"),
])
def test_a_damaged_plan_is_an_error_naming_it(tmp_path, record, expected):
    path = _record(tmp_path, record)
    with pytest.raises(LockError) as caught:
        read_plan_record(path)
    assert str(path) in str(caught.value) and expected in str(caught.value)


def test_real_plans_pass_the_checks(sample_layout):
    from epaper.layout.plan_record_check import record_problem

    assert record_problem(GOOD) is None
    assert record_problem(json.loads(json.dumps(sample_layout.plan))) is None
    # A one-page section with a short story laid out again roomier: 3x its hole's share, above 1.
    assert record_problem(_damaged(["pages", 0, "roomier"], 2.4)) is None


def test_fingerprints_depend_on_content_not_on_where_the_folder_lives(tmp_path):
    from epaper.ingest import load_edition

    here = make_small_edition(tmp_path / "one")
    there = tmp_path / "elsewhere" / "two"
    shutil.copytree(here, there)
    first, second = load_edition(here), load_edition(there)
    assert [_fingerprint(a) for a in first.articles] == [_fingerprint(a) for a in second.articles]
    # a changed photo changes the fingerprint of its story
    story = next(a for a in second.articles if a.photos)
    with open(story.photos[0].path, "ab") as photo:
        photo.write(b"\0")
    changed = {a.id: _fingerprint(a) for a in load_edition(there).articles}
    assert changed[story.id] != _fingerprint(next(a for a in first.articles if a.id == story.id))


def test_an_out_that_is_a_file_is_an_output_error(tmp_path):
    """(The command line says so before building, as a usage error; the library says it too.)"""
    from epaper.build import build_edition

    target = tmp_path / "out"
    target.write_text("not a folder")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        build_edition(make_small_edition(tmp_path / "edition"), target)
    assert target.read_text() == "not a folder"


@pytest.mark.parametrize("code, advice", [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"),
                                          (errno.EACCES, "permission denied")])
def test_failures_to_write_the_output_are_named(tmp_path, code, advice):
    with pytest.raises(OutputError) as caught, output_errors(tmp_path):
        raise OSError(code, os.strerror(code), str(tmp_path / ".ed.building-1" / "pages" / "001.pdf"))
    assert advice in str(caught.value) and "untouched" in str(caught.value)
    with pytest.raises(OSError), output_errors(tmp_path):  # reading an input elsewhere is not the output's fault
        raise OSError(errno.EACCES, "Permission denied", "/somewhere/else/photo.jpg")


# --- builds ----------------------------------------------------------------------------------------

def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _stray(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".building-" in p.name or ".old-" in p.name or p.name.endswith(".tmp"))


@pytest.mark.slow
def test_a_full_disk_during_a_build_leaves_the_previous_edition(tmp_path, monkeypatch):
    from epaper import build

    edition = make_small_edition(tmp_path / "edition")
    out = tmp_path / "out"
    first = build.build_edition(edition, out, workers=1)
    before = _digests(first.out_dir)

    def full(*args, **kwargs):  # linking the pages' files into the staged edition (rebuilt or reused)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(args[2] / "pages" / "001.pdf"))

    monkeypatch.setattr(build, "link_page_products", full)
    # A headline changed: the edition is written again in a staging folder (an unchanged one is not).
    story = next((edition / "articles").glob("*.md"))
    story.write_text(story.read_text(encoding="utf-8").replace("headline: ", "headline: New ", 1), encoding="utf-8")
    with pytest.raises(OutputError, match="disk is full"):
        build.build_edition(edition, out, workers=1)
    assert _digests(first.out_dir) == before
    assert _stray(out) == []


@pytest.mark.slow
def test_a_full_disk_during_an_unchanged_rebuild_leaves_the_previous_report(tmp_path, monkeypatch):
    """An unchanged rebuild replaces only the report and version, each whole: a full disk while
    they are written leaves the published edition as it was, with nothing left beside it."""
    from epaper import build

    edition = make_small_edition(tmp_path / "edition")
    out = tmp_path / "out"
    first = build.build_edition(edition, out, workers=1)
    before = _digests(first.out_dir)
    write_json = build._write_json

    def full(path, data):  # report.json, written after the report's other figures were measured
        write_json(path, data)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(build, "_write_json", full)
    with pytest.raises(OutputError, match="disk is full"):
        build.build_edition(edition, out, workers=1)
    assert _digests(first.out_dir) == before
    assert _stray(out) == []


@pytest.mark.slow
def test_a_damaged_plan_json_makes_lock_exit_1_with_one_line(tmp_path, capsys):
    edition = make_small_edition(tmp_path / "edition")
    out = tmp_path / "out"
    assert main(["build", str(edition), "--out", str(out), "--workers", "1"]) == 0
    (plan,) = out.glob("*/plan.json")
    record = json.loads(plan.read_text())
    record["pages"][0]["placements"][0]["slot"] = "wide"
    plan.write_text(json.dumps(record))
    capsys.readouterr()
    assert main(["build", str(edition), "--out", str(out), "--lock", "1"]) == 1
    text = capsys.readouterr().out
    assert "damaged" in text and "plan.json" in text and "Traceback" not in text
    # an unchanged edition copied to another folder locks against the same output
    shutil.copytree(edition, tmp_path / "copy")
    assert main(["build", str(edition), "--out", str(out), "--workers", "1"]) == 0
    assert main(["build", str(tmp_path / "copy"), "--out", str(out), "--workers", "1", "--lock", "1"]) == 0


KILLS = 6


@pytest.mark.slow
def test_builds_killed_at_random_moments_never_lose_the_edition(tmp_path):
    """SIGKILL ``epaper build`` at seeded random moments; after each kill the edition folder is the
    previous one byte for byte, or (killed after publishing) the new one complete; its workers are
    gone; and the next build leaves no stray entries."""
    edition = make_small_edition(tmp_path / "edition")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "epaper", "build", str(edition), "--out", str(out), "--workers", "2"]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.monotonic() - started
    (final,) = [p.parent for p in out.glob("*/layout.json")]
    previous = _digests(final)
    rng = random.Random(13)
    survived = 0
    for _ in range(KILLS):
        with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as build:
            time.sleep(rng.uniform(0.2, duration * 1.1))
            children = _children(build.pid)
            build.send_signal(signal.SIGKILL)
        now = _digests(final)
        timing_only = {"report.json", "report.html", "report.json.gz", "report.html.gz", "version.json"}
        same = now == previous
        complete_new = now.keys() == previous.keys() and all(
            now[k] == previous[k] for k in now if k not in timing_only)
        differing = sorted(k for k in now.keys() | previous.keys() if now.get(k) != previous.get(k))
        assert same or complete_new, f"the edition folder is neither the previous edition nor a complete new one: {differing}"
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in children), "a worker outlived its killed build"
        survived += 1
        previous = now
    subprocess.run(command, check=True, capture_output=True)
    assert _stray(out) == []
    print(f"kills survived: {survived} of {KILLS}")


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out
