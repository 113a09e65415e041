"""``epaper watch``: what a saved change asks of the published edition (epaper.layout.lock.changes_since,
epaper.watch), the replates it makes in one process, and the command as the desk runs it."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from small_edition import make_small_edition

from epaper.build import build_edition, with_jump_pages
from epaper.cli import main
from epaper.cache import Store
from epaper.ingest import read_edition
from epaper.layout.lock import Changes, changes_since, read_plan_record
from epaper.model import AdSlot
from epaper.watch import EditionWatch, WatchError

REPO = Path(__file__).resolve().parent.parent
PAGE_FILES = ("pages/{}.pdf", "print/{}.pdf", "images/{}.jpg", "thumbs/{}.jpg", "alto/{}.xml")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The small edition built once; each test works on a copy of the folder and of the output."""
    root = tmp_path_factory.mktemp("watch")
    edition = make_small_edition(root / "edition")
    result = build_edition(edition, root / "out", workers=1)
    return edition, root / "out", result


def _copy(published, tmp_path) -> tuple[Path, Path]:
    """The edition and its output copied (hard links kept: the store's objects), the output's
    version.json pointing at the copied folder."""
    edition, out, _ = published
    subprocess.run(["cp", "-a", str(edition), str(tmp_path / "edition")], check=True)
    subprocess.run(["cp", "-a", str(out), str(tmp_path / "out")], check=True)
    for version in (tmp_path / "out").glob("*/version.json"):
        data = json.loads(version.read_text(encoding="utf-8"))
        data["source"] = str((tmp_path / "edition").absolute())
        version.write_text(json.dumps(data), encoding="utf-8")
    return tmp_path / "edition", tmp_path / "out"


def _story_alone(out: Path, besides: int = 1) -> tuple[int, str]:
    """A story on a page past the front (and other than page ``besides``) none of whose stories
    jump: (page, id)."""
    [layout] = out.glob("*/layout.json")
    for page in json.loads(layout.read_text(encoding="utf-8"))["pages"]:
        if page["number"] not in (1, besides) and not any(a["continued_to"] or a["continued_from"]
                                                          for a in page["articles"]):
            return page["number"], page["articles"][0]["id"]
    raise AssertionError("no page without jumps in the small edition")


def _story_not_jumping(out: Path, besides: int) -> tuple[int, str]:
    """A story that does not jump, on a page past the front other than page ``besides`` (another
    story of its page may jump: a replate of it makes those pages too, build.with_jump_pages)."""
    [layout] = out.glob("*/layout.json")
    for page in json.loads(layout.read_text(encoding="utf-8"))["pages"]:
        for story in page["articles"] if page["number"] not in (1, besides) else ():
            if not (story["continued_to"] or story["continued_from"]):
                return page["number"], story["id"]
    raise AssertionError("no story without a jump in the small edition")


def _article_file(edition: Path, article_id: str) -> Path:
    return next(p for p in (edition / "articles").iterdir() if p.stem == article_id)


def _correct_a_word(edition: Path, article_id: str, times: int = 1) -> None:
    """A word of the story's body changed for another of the same length, ``times`` over (each a new text)."""
    path = _article_file(edition, article_id)
    text = path.read_text(encoding="utf-8")
    start = text.index("---", 3) if path.suffix == ".md" else text.index('"body"')
    for _ in range(times):
        match = re.compile(r"(?<= )(the|its)(?= )").search(text, start)
        assert match, f"{path}: no 'the' or 'its' in the body"
        text = text[:match.start()] + ("its" if match.group() == "the" else "the") + text[match.end():]
        start = match.end()
    path.write_text(text, encoding="utf-8")


def _page_digests(folder: Path, number: int) -> dict[str, str]:
    stem = f"{number:03d}"
    return {pattern.format(stem): hashlib.sha256((folder / pattern.format(stem)).read_bytes()).hexdigest()
            for pattern in PAGE_FILES}


def _edition_folder(out: Path) -> Path:
    [layout] = [p for p in out.glob("*/layout.json")]
    return layout.parent


# --- what changed since the published run ---------------------------------------------------------


def test_changes_since_names_the_pages_printing_a_changed_story_and_nothing_when_nothing_changed(published, tmp_path):
    edition, out = _copy(published, tmp_path)
    record = read_plan_record(_edition_folder(out) / "plan.json")
    assert changes_since(record, read_edition(edition).edition) == Changes()
    number, article = _story_alone(out)
    _correct_a_word(edition, article)
    assert changes_since(record, read_edition(edition).edition) == Changes(pages=(number,))


def test_changes_since_plans_again_the_section_of_a_page_whose_ad_changed(published, tmp_path):
    edition, out = _copy(published, tmp_path)
    record = read_plan_record(_edition_folder(out) / "plan.json")
    read = read_edition(edition).edition
    with_ad = dataclasses.replace(read, ads=(AdSlot(page=3, columns=2, height_mm=60.0, position="bottom-right"),))
    assert changes_since(record, with_ad) == Changes(pages=tuple(sorted(_section_pages(record, "City"))),
                                                     why=("an ad on page 3 changed",))


def _new_story(edition: Path, like: str) -> str:
    """A story new to the folder, a copy of ``like`` under another id (its section): the new id."""
    source = _article_file(edition, like)
    (edition / "articles" / f"late-{source.name}").write_text(re.sub(
        rf"^(\s*\"?id\"?:\s*\"?){re.escape(like)}", rf"\1late-{like}", source.read_text(encoding="utf-8"), count=1,
        flags=re.MULTILINE), encoding="utf-8")
    return f"late-{like}"


def _section_pages(record: dict, section: str) -> set[int]:
    return {page["number"] for page in record["pages"] if page["section"] == section}


def test_changes_since_plans_again_the_section_a_story_comes_to_and_the_page_one_leaves(published, tmp_path):
    edition, out = _copy(published, tmp_path)
    record = read_plan_record(_edition_folder(out) / "plan.json")
    number, article = _story_alone(out)
    section = next(a.section for a in read_edition(edition).edition.articles if a.id == article)
    # A new story: only planning its section again finds it a place.
    late = _new_story(edition, article)
    assert changes_since(record, read_edition(edition).edition) == Changes(
        pages=tuple(sorted(_section_pages(record, section))), why=(f"{late} is new to section {section!r}",))
    _article_file(edition, late).unlink()
    # A placed story gone: its page.
    source = _article_file(edition, article)
    kept = source.read_text(encoding="utf-8")
    source.unlink()
    assert changes_since(record, read_edition(edition).edition) == Changes(
        pages=(number,), why=(f"{article} is no longer in the edition",))
    source.write_text(kept, encoding="utf-8")
    # The sections' pages: the edition as a whole.
    read = read_edition(edition).edition
    longer = dataclasses.replace(read, sections=tuple(dataclasses.replace(s, pages=s.pages + 1) if i == 1 else s
                                                      for i, s in enumerate(read.sections)))
    assert changes_since(record, longer) == Changes(elsewhere="the edition's sections or their pages changed")


# --- the watch's decisions ----------------------------------------------------------------------------


def test_the_watch_builds_an_edition_not_published_yet_and_refuses_an_output_inside_the_folder(tmp_path):
    edition = make_small_edition(tmp_path / "edition")
    watch = EditionWatch(edition, tmp_path / "out", workers=1)
    step = watch.next_step(watch.read())
    assert step.build is not None and "is published in" in step.build and not step.pages
    with pytest.raises(WatchError, match="inside the edition folder"):
        EditionWatch(edition, edition / "output")


def test_edition_yaml_is_judged_by_what_it_says_and_a_nights_edition_is_refused(published, tmp_path):
    edition, out = _copy(published, tmp_path)
    watch = EditionWatch(edition, out, workers=1)
    manifest = edition / "edition.yaml"
    later = time.time() + 60
    os.utime(manifest, (later, later))  # saved as it was
    assert watch.next_step(watch.read()).idle
    manifest.write_text(manifest.read_text(encoding="utf-8") + "digits: latin\n", encoding="utf-8")
    step = watch.next_step(watch.read())
    assert step.build == "edition.yaml changed (the edition's title, date, language, digits or format)", step
    version = _edition_folder(out) / "version.json"
    data = json.loads(version.read_text(encoding="utf-8"))
    version.write_text(json.dumps({**data, "night_edition": "Harbour"}), encoding="utf-8")
    with pytest.raises(WatchError, match="epaper build-night.*watch the night: epaper watch "):
        watch.next_step(watch.read())


def test_a_story_moved_to_another_section_or_pinned_to_another_page_plans_that_section_again(published, tmp_path):
    edition, out = _copy(published, tmp_path)
    record = read_plan_record(_edition_folder(out) / "plan.json")
    watch = EditionWatch(edition, out, workers=1)
    number, article = _story_alone(out)
    path = _article_file(edition, article)
    text = path.read_text(encoding="utf-8")
    moved = re.sub(r"^(\s*\"?section\"?:\s*\"?)City", r"\1Front", text, count=1, flags=re.MULTILINE)
    assert moved != text
    path.write_text(moved, encoding="utf-8")
    step = watch.next_step(watch.read())
    assert step.pages == tuple(sorted(_section_pages(record, "Front") | {number})) and step.build is None
    assert step.why == (f"{article} moved from section 'City' to 'Front'",)
    target = max(_section_pages(record, "City") - {number})  # another page of its section
    pinned = (re.sub(r'^(\s*)"section"', rf'\1"pin": {{"page": {target}}},\n\1"section"', text, count=1,
                     flags=re.MULTILINE)
              if path.suffix == ".json" else re.sub(r"^section:", f"pin:\n  page: {target}\nsection:", text, count=1,
                                                   flags=re.MULTILINE))
    path.write_text(pinned, encoding="utf-8")
    step = watch.next_step(watch.read())
    assert step.pages == tuple(sorted(_section_pages(record, "City") | {number}))
    assert step.why == (f"{article} is pinned to page {target} (it was on page {number})",)


def test_a_new_story_is_placed_by_planning_its_section_again_and_other_pages_keep_their_decisions(published, tmp_path):
    """The section's pages are planned again; every other page keeps its placements and its refer
    boxes' stories, and its files, but for a box's label where a story it names moved page."""
    edition, out = _copy(published, tmp_path)
    folder = _edition_folder(out)
    record = read_plan_record(folder / "plan.json")
    number, article = _story_alone(out)
    late = _new_story(edition, article)
    watch = EditionWatch(edition, out, workers=1)
    step = watch.next_step(watch.read())
    city = _section_pages(record, "City")
    assert step.pages == tuple(sorted(city))
    others = sorted({page["number"] for page in record["pages"]} - city)
    before = {n: _page_digests(folder, n) for n in others}
    result = watch.run(step)
    assert result.version is not None and result.version.number == 2
    placed = {a["id"] for page in json.loads((folder / "layout.json").read_text(encoding="utf-8"))["pages"]
              for a in page["articles"]}
    assert late in placed and not result.laid_out.unplaced  # the section had room (a hole on its last page)
    # A page outside the section changes only where its refer box names a story that moved page
    # (the box says where it is now); the box still names the stories it named.
    after = read_plan_record(folder / "plan.json")
    pages_of = [{p["article"]: page["number"] for page in r["pages"] for p in page["placements"]}
                for r in (record, after)]
    moved = {story for story, number in pages_of[0].items() if pages_of[1].get(story) != number}
    pointing = {page["number"] for page in record["pages"] if moved & {i for box in page.get("refers", []) for i in box}}
    assert {n: _page_digests(folder, n) for n in others if n not in pointing} == {
        n: digests for n, digests in before.items() if n not in pointing}
    for old, new in zip(record["pages"], after["pages"]):
        if old["number"] in others:
            assert new["placements"] == old["placements"]
            assert [sorted(box) for box in new.get("refers", [])] == [sorted(box) for box in old.get("refers", [])]
    assert watch.next_step(watch.read()).idle


def _set(edition: Path, article_id: str, field: str, value) -> None:
    """A top-level field of a story set (JSON, or Markdown's front matter)."""
    path = _article_file(edition, article_id)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        path.write_text(json.dumps({**json.loads(text), field: value}, ensure_ascii=False, indent=2), encoding="utf-8")
        return
    _, front, body = text.split("---", 2)
    path.write_text("---\n" + yaml.safe_dump({**yaml.safe_load(front), field: value}, allow_unicode=True) + "---" + body,
                    encoding="utf-8")


def test_a_front_planned_again_lands_a_new_jump_past_the_locked_first_page_of_the_next_section(tmp_path):
    edition = make_small_edition(tmp_path / "edition")
    # A front none of whose stories jump: its two long stories cut short.
    _set(edition, "ferry-strike-ends", "body", json.loads(_article_file(edition, "ferry-strike-ends").read_text(
        encoding="utf-8"))["body"][:3])
    seawall = _article_file(edition, "seawall-plan-approved")
    head, front, body = seawall.read_text(encoding="utf-8").split("---", 2)
    seawall.write_text("---" + front + "---\n\n" + "\n\n".join([p for p in body.split("\n\n") if p.strip()][:4]) + "\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    build_edition(edition, out, workers=1)
    folder = _edition_folder(out)
    laid_out = json.loads((folder / "layout.json").read_text(encoding="utf-8"))["pages"]
    assert not any(a["continued_to"] for a in laid_out[0]["articles"])
    # The two longest City stories on pages past City's first that no jump joins to another, moved
    # to the front (one alone, the front found room for it): the front is planned again with their
    # pages, page 2 (City's first) stays locked.
    moved = sorted(((page["number"], a["id"]) for page in laid_out[2:] for a in page["articles"]
                    if not any(b["continued_to"] or b["continued_from"] for b in page["articles"])),
                   key=lambda found: len(_article_file(edition, found[1]).read_text(encoding="utf-8")))[-2:]
    for _, story in moved:
        _set(edition, story, "section", "Front")
    watch = EditionWatch(edition, out, workers=1)
    step = watch.next_step(watch.read())
    assert step.pages == tuple(sorted({1, *(number for number, _ in moved)}))
    result = watch.run(step)
    pages = json.loads((folder / "layout.json").read_text(encoding="utf-8"))["pages"]
    jumps = [(a["id"], page["number"], a["continued_to"]) for page in pages for a in page["articles"] if a["continued_to"]]
    assert jumps, "the front's stories no longer fit whole: one jumps"
    for article, page, target in jumps:  # each lands, on a page made again (not page 2, kept as it was)
        assert target != 2 and any(a["id"] == article and a["continued_from"] == page
                                   for a in pages[target - 1]["articles"]), (article, page, target)
    assert not result.laid_out.unplaced


def test_a_story_left_out_changed_and_still_left_out_is_tried_once(tmp_path):
    edition = make_small_edition(tmp_path / "edition")
    manifest = yaml.safe_load((edition / "edition.yaml").read_text(encoding="utf-8"))
    # City on two pages: stories are left out.
    manifest["sections"] = [{**s, "pages": 2} if s["name"] == "City" else s for s in manifest["sections"]]
    (edition / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    first = build_edition(edition, out, workers=1)
    left_out = next(u.article_id for u in first.laid_out.unplaced
                    if re.search(r"(?<= )(the|its)(?= )", _article_file(edition, u.article_id).read_text(encoding="utf-8")))
    _correct_a_word(edition, left_out)
    watch = EditionWatch(edition, out, workers=1)
    step = watch.next_step(watch.read())
    assert step.why == (f"{left_out}, left out before, changed",) and step.pages
    result = watch.run(step)
    assert not result.published and left_out in {u.article_id for u in result.laid_out.unplaced}
    # plan.json keeps the story as it was: the same step would be asked for again and again.
    assert watch.next_step(watch.read()).idle
    assert watch.next_step(watch.read(), saved=False).idle


def test_a_step_is_made_from_the_reading_it_was_decided_on_and_a_story_saved_meanwhile_is_the_next(published,
                                                                                                  tmp_path):
    edition, out = _copy(published, tmp_path)
    number, article = _story_alone(out)
    other_page, other = _story_not_jumping(out, besides=number)
    watch = EditionWatch(edition, out, workers=1)
    _correct_a_word(edition, article)
    step = watch.next_step(watch.read())
    assert step.pages == (number,)
    _correct_a_word(edition, other)  # saved while the replate runs
    result = watch.run(step)  # made from the reading: no "--lock" refusal for the other page
    assert result.version is not None and result.version.replated == (number,)
    assert watch.next_step(watch.read()).pages == (other_page,)


def test_with_poll_a_story_rewritten_to_the_same_size_within_the_same_second_is_seen(published, tmp_path):
    edition, out = _copy(published, tmp_path)
    number, article = _story_alone(out)
    watch = EditionWatch(edition, out, workers=1, poll=True)
    assert watch.next_step(watch.read()).idle
    path = _article_file(edition, article)
    before = path.stat()
    _correct_a_word(edition, article)  # "the" for "its" or back: the same size, in place
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # a share's whole-second time: unchanged
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert watch.next_step(watch.read()).pages == (number,)


def test_replates_in_one_watch_read_no_page_from_the_cache_and_make_only_the_changed_page(published, tmp_path,
                                                                                           monkeypatch):
    edition, out = _copy(published, tmp_path)
    folder = _edition_folder(out)
    number, article = _story_alone(out)
    watch = EditionWatch(edition, out, workers=1)
    watch.warm(watch.next_step(watch.read()))
    hits: list[str] = []
    read_memo = Store.read_memo

    def counting(self, stage, key):
        found = read_memo(self, stage, key)
        if found is not None and stage.startswith("layout"):
            hits.append(stage)
        return found

    monkeypatch.setattr(Store, "read_memo", counting)
    for time_ in (1, 2):
        before = {n: _page_digests(folder, n) for n in range(1, 6)}
        _correct_a_word(edition, article, times=time_)
        step = watch.next_step(watch.read())
        assert step.pages == (number,)
        result = watch.run(step)
        assert result.version is not None and result.version.number == 1 + time_
        assert result.version.replated == (number,)
        after = {n: _page_digests(folder, n) for n in range(1, 6)}
        assert [n for n in before if before[n] != after[n]] == [number]
        # Every other page's frame and every other section's plan was in memory: none read back.
        assert hits == [], hits
    assert watch.next_step(watch.read()).idle


# --- the command, in this process (saves scripted: epaper.watch.saved_files replaced) --------------------


def _scripted(monkeypatch, *saves):
    """``saved_files`` replaced: watching at once, then for each of ``saves`` (a function that changes
    the folder and returns the files it saved) its files; then Ctrl-C."""
    def saved_files(edition_dir, *, poll=False):
        yield ()
        for save in saves:
            yield tuple(save())
        raise KeyboardInterrupt

    monkeypatch.setattr("epaper.watch.saved_files", saved_files)


def test_the_watch_goes_on_after_a_fault_of_its_own_and_says_the_edition_stayed(published, tmp_path, monkeypatch,
                                                                              capsys):
    edition, out = _copy(published, tmp_path)
    number, article = _story_alone(out)
    path = _article_file(edition, article)

    def fails(*_, **__):
        raise RuntimeError("a worker died")

    monkeypatch.setattr("epaper.watch.replate_pages", fails)
    # Saved, then two looks of the watch's own (no event), then saved again as it is.
    _scripted(monkeypatch, lambda: (_correct_a_word(edition, article), [f"articles/{path.name}"])[1],
              lambda: [], lambda: [], lambda: [f"articles/{path.name}"])
    assert main(["watch", str(edition), "--out", str(out), "--workers", "1"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert (f"the replate of page {number} failed (RuntimeError: a worker died); the published edition stays as it "
            "was") in said, said
    assert said.count("failed (RuntimeError") == 2, said  # not again at the looks; again at the save
    assert "Not done; watching" in said and "Stopped watching." in said
    assert json.loads((_edition_folder(out) / "version.json").read_text(encoding="utf-8"))["number"] == 1


def test_ctrl_c_in_the_middle_of_a_replate_says_nothing_of_it_is_published_and_exits_130(published, tmp_path,
                                                                                         monkeypatch, capsys):
    edition, out = _copy(published, tmp_path)
    number, article = _story_alone(out)

    def interrupted(self, step, **_):
        raise KeyboardInterrupt

    monkeypatch.setattr(EditionWatch, "run", interrupted)
    _scripted(monkeypatch, lambda: (_correct_a_word(edition, article), ["articles/x"])[1])
    assert main(["watch", str(edition), "--out", str(out), "--workers", "1"]) == 130
    said = " ".join(capsys.readouterr().out.split())
    assert f"Stopped (Ctrl-C) during the replate of page {number}: nothing of it is published" in said, said


def test_a_story_found_changed_at_start_is_replated_and_one_saved_during_a_replate_follows_it(published, tmp_path,
                                                                                             monkeypatch, capsys):
    edition, out = _copy(published, tmp_path)
    folder = _edition_folder(out)
    number, article = _story_alone(out)
    other_page, other = _story_not_jumping(out, besides=number)
    with_jumps = sorted(with_jump_pages(read_plan_record(folder / "plan.json"), {other_page}))
    _correct_a_word(edition, article)  # saved while nothing watched
    run = EditionWatch.run

    def and_a_save_meanwhile(self, step, **kwargs):
        if step.pages == (number,):
            _correct_a_word(edition, other)
        return run(self, step, **kwargs)

    monkeypatch.setattr(EditionWatch, "run", and_a_save_meanwhile)
    _scripted(monkeypatch)
    assert main(["watch", str(edition), "--out", str(out), "--workers", "1"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert f"At start: replating page {number}" in said, said
    assert f"Saved while that was made: replating page {other_page}" in said, said
    # Its jump partners were laid out again with it but print as before: the plant is told of its own.
    assert other_page in with_jumps
    assert json.loads((folder / "version.json").read_text(encoding="utf-8"))["replated"] == [other_page]


# --- the command ------------------------------------------------------------------------------------


class _Lines:
    """The watch's output, line by line, read by a thread (so a test can wait with a timeout)."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self._queue.put(line)
        self._queue.put(None)

    def until(self, text: str, timeout: float = 120.0) -> list[str]:
        """The lines up to the first holding ``text``."""
        lines, deadline = [], time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {text!r} in {timeout} s; the watch said:\n{''.join(self.seen)}") from None
            if line is None:
                raise AssertionError(f"the watch ended before {text!r}:\n{''.join(self.seen)}")
            self.seen.append(line)
            lines.append(line)
            if text in line:
                return lines


@contextlib.contextmanager
def watch_command(watched: Path, out: Path, *, stop: signal.Signals = signal.SIGINT) -> Iterator[_Lines]:
    """``epaper watch`` of ``watched`` into ``out`` running (one worker), its output read line by
    line; on leaving, stopped with ``stop``, Ctrl-C or a service manager's SIGTERM (it must say so
    and exit 0), or killed if it hangs."""
    # Ctrl-C as at a terminal: a test run started in the background by a script (``make test &``)
    # ignores SIGINT, and its children would inherit that (the watch would never hear the Ctrl-C).
    process = subprocess.Popen([sys.executable, "-m", "epaper", "watch", str(watched), "--out", str(out),
                                "--workers", "1"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "COLUMNS": "250"},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        lines = _Lines(process)
        yield lines
        process.send_signal(stop)
        assert process.wait(timeout=60) == 0
        assert "Stopped watching." in "".join(lines.until("Stopped watching."))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


def test_the_watch_command_replates_a_saved_story_says_what_is_wrong_with_a_bad_save_and_stops_on_ctrl_c(
        published, tmp_path):
    edition, out = _copy(published, tmp_path)
    folder = _edition_folder(out)
    number, article = _story_alone(out)
    with watch_command(edition, out) as lines:
        said = "".join(lines.until("Watching"))
        assert "Version 1 of " in said and "is as the folder is now; reading its layout" in said, said
        before = {n: _page_digests(folder, n) for n in range(1, 6)}
        _correct_a_word(edition, article)
        said = "".join(lines.until("Done in"))
        assert "Output: " in said
        assert f"Saved articles/{_article_file(edition, article).name}: replating page {number}" in said, said
        assert f"Version 2 (updated " in said and f"page {number} printed anew;" in said, said
        assert f"Set again in the place it had (the page kept as it was): {article} on page {number}" in said, said
        # Its warnings are version 1's (its report told them): a count, as `epaper replate` says it.
        assert re.search(r"\d+ warnings?, as before \(report.html lists them\)\.", said), said
        after = {n: _page_digests(folder, n) for n in range(1, 6)}
        assert [n for n in before if before[n] != after[n]] == [number]
        # A save the edition cannot read: named, and the published version stays.
        path = _article_file(edition, article)
        good = path.read_text(encoding="utf-8")
        path.write_text(good[:20], encoding="utf-8")  # cut off in its opening fields (JSON or front matter)
        said = "".join(lines.until("The published edition stays as it is"))
        assert f"articles/{path.name}" in said and "problem" in said, said
        assert re.search(rf"\d\d:\d\d Saved articles/{re.escape(path.name)}: not replated", said), said  # when, what
        assert json.loads((folder / "version.json").read_text(encoding="utf-8"))["number"] == 2
        # Saved whole again, as version 2 has it: nothing to make.
        path.write_text(good, encoding="utf-8")
        said = "".join(lines.until("stays as it is"))
        assert "nothing any page prints changed; version 2 stays as it is" in said, said
        # Corrected again: the stories left out and the warnings printed before are not printed again.
        _correct_a_word(edition, article, times=2)
        said = "".join(lines.until("Done in"))
        assert "Output: " not in said  # said once
        assert f"Version 3 (updated " in said, said
        assert re.search(r"\d+ warnings?, as before \(report.html lists them\)\.", said), said
        assert not re.search(r"^  \S+\.(json|md|yaml): ", said, flags=re.MULTILINE), said  # none listed again


def test_a_temporary_copy_renamed_over_a_story_is_not_named_as_saved(tmp_path):
    """A desk review: a story saved by `sed -i` (a temporary copy renamed over it) was announced as
    "Saved articles/sedfgxbg7, articles/story.md", the temporary file long gone."""
    from epaper.watch import saved_files

    (tmp_path / "articles").mkdir()
    story = tmp_path / "articles" / "story.md"
    story.write_text("---\nheadline: A\n---\nBody.\n", encoding="utf-8")
    saves = saved_files(tmp_path)
    assert next(saves) == ()
    temporary = tmp_path / "articles" / "sedfgxbg7"
    temporary.write_text("---\nheadline: B\n---\nBody.\n", encoding="utf-8")
    os.replace(temporary, story)
    seen: set[str] = set()
    while "articles/story.md" not in seen:
        seen.update(next(saves))
    saves.close()
    assert seen == {"articles/story.md"}, seen


def test_a_changed_story_whose_jump_lands_in_another_section_is_not_said_to_have_moved(published, tmp_path):
    """A desk review: a front story's new photo was reported as "(ferry-strike-ends moved from
    section 'City' to 'Front')": its rest is on a City page, where it always was."""
    edition, out = _copy(published, tmp_path)
    record = read_plan_record(_edition_folder(out) / "plan.json")
    sections = {a.id: a.section for a in read_edition(edition).edition.articles}
    jumped = [(page["number"], entry["article"]) for page in record["pages"] for entry in page["placements"]
              if entry["continued_from_page"] and sections[entry["article"]] != page["section"]]
    assert jumped, "the test edition has a story jumping into another section"
    _, article = jumped[0]
    _correct_a_word(edition, article)
    changes = changes_since(record, read_edition(edition).edition)
    assert not [why for why in changes.why if "moved from section" in why], changes.why
    assert {number for number, story in jumped if story == article} <= set(changes.pages)
