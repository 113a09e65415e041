"""The build cache's store and keys (epaper.cache): what other stages and other machines rely on."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

from epaper.cache import STORE_DIR, Store, code_fingerprint, digest_of, file_digest
from epaper.cache.store import MEMO_DAYS, MEMO_MARK_HOURS, PRUNE_HOURS
from epaper.frame import Box, Source, TextRun


@dataclass(frozen=True)
class _Record:
    name: str
    size: float
    parts: tuple[int, ...]


class _Pair(NamedTuple):
    left: str
    right: float


class _OtherPair(NamedTuple):
    left: str
    right: float


def test_a_key_is_the_same_in_another_process():
    """Keys are never hash() or pickle bytes: a Dask worker or tomorrow's build computes the same one."""
    run = TextRun(1.5, 20.25, "serif", 8.5, "Devanagari नमस्ते", 40.0, Source("a-1", "body", 0, 0, 17))
    here = digest_of(run, {"b": 1, "a": (2.0, None)}, dt.date(2026, 11, 28))
    code = ("from epaper.cache import digest_of; import datetime as dt;"
            "from epaper.frame import Source, TextRun;"
            "run = TextRun(1.5, 20.25, 'serif', 8.5, 'Devanagari नमस्ते', 40.0, Source('a-1', 'body', 0, 0, 17));"
            "print(digest_of(run, {'a': (2.0, None), 'b': 1}, dt.date(2026, 11, 28)))")
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout.strip()
    assert there == here


@pytest.mark.parametrize("a, b", [(1, "1"), (1, 1.0), (True, 1), (None, "None"), (("a", "b"), ("ab",)),
                                  ({"a": 1}, {"a": "1"}), (b"x", "x"), (("a",), "a"),
                                  (_Record("x", 1.0, (1,)), _Record("x", 1.0, (1, 0))),
                                  (Box(0, 0, 1, 2), Box(0, 0, 2, 1)),
                                  (_Pair("a", 1.0), _Pair("a", 2.0)), (_Pair("a", 1.0), ("a", 1.0)),
                                  (_Pair("a", 1.0), _OtherPair("a", 1.0))])
def test_different_inputs_give_different_keys(a, b):
    assert digest_of(a) != digest_of(b)


def test_field_order_and_mapping_order():
    assert digest_of({"a": 1, "b": 2}) == digest_of({"b": 2, "a": 1})
    assert digest_of(frozenset({"x", "y"})) == digest_of(frozenset({"y", "x"}))
    assert digest_of("a", "b") != digest_of("b", "a")


def test_a_path_is_the_file_it_holds(tmp_path):
    """An input file is digested by its bytes: the same edition in another folder gives the same key,
    an edited file another."""
    one, two = tmp_path / "one" / "photo.jpg", tmp_path / "two" / "other.jpg"
    one.parent.mkdir()
    two.parent.mkdir()
    one.write_bytes(b"jpeg bytes")
    shutil.copyfile(one, two)
    assert digest_of(one) == digest_of(two)
    one.write_bytes(b"jpeg bytes, retouched")
    assert digest_of(one) != digest_of(two)



def test_a_path_is_digested_again_when_another_file_stands_there(tmp_path, monkeypatch):
    """File digests are remembered by the path as given and the file's identity (not its resolved
    path): a link pointed elsewhere, a file replaced by one of the same size, or a relative path
    from another folder is read again."""
    for name, data in (("a", b"font one"), ("b", b"font two")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "face.ttf").write_bytes(data)
    link = tmp_path / "face.ttf"
    link.symlink_to(tmp_path / "a" / "face.ttf")
    assert file_digest(link) == file_digest(tmp_path / "a" / "face.ttf")
    link.unlink()
    link.symlink_to(tmp_path / "b" / "face.ttf")
    assert file_digest(link) == file_digest(tmp_path / "b" / "face.ttf") != file_digest(tmp_path / "a" / "face.ttf")
    replacement = tmp_path / "new.ttf"
    replacement.write_bytes(b"font six")  # as long as "font one"
    os.utime(replacement, ns=(os.stat(tmp_path / "a" / "face.ttf").st_mtime_ns,) * 2)
    os.replace(replacement, tmp_path / "a" / "face.ttf")
    assert file_digest(tmp_path / "a" / "face.ttf") == hashlib.sha256(b"font six").hexdigest()
    monkeypatch.chdir(tmp_path / "a")
    one = file_digest("face.ttf")
    monkeypatch.chdir(tmp_path / "b")
    assert file_digest("face.ttf") != one

def test_what_cannot_be_digested_is_refused():
    with pytest.raises(TypeError, match="cannot digest a object"):
        digest_of(object())


def test_the_code_fingerprint_is_stable():
    assert code_fingerprint() == code_fingerprint() and len(code_fingerprint()) == 64


def test_another_release_of_a_drawing_library_is_another_fingerprint(monkeypatch):
    """A new pypdfium2 may rasterize the same PDF otherwise: nothing made with the old one is reused."""
    from epaper.cache import keys

    before = code_fingerprint()
    real = keys._version
    monkeypatch.setattr(keys, "_version", lambda name: "999.0" if name == "pypdfium2" else real(name))
    code_fingerprint.cache_clear()
    try:
        assert code_fingerprint() != before
    finally:
        monkeypatch.undo()
        code_fingerprint.cache_clear()
    assert code_fingerprint() == before


def test_objects_are_named_by_their_bytes_and_written_once(tmp_path):
    store = Store.of(tmp_path)
    assert store.root == tmp_path.absolute() / STORE_DIR
    digest = store.put_bytes(b"page one")
    assert store.put_bytes(b"page one") == digest
    path = store.object_path(digest)
    assert path.read_bytes() == b"page one" and path.name == digest
    assert not (path.stat().st_mode & 0o222), "objects are read-only"
    assert list((store.root / "tmp").iterdir()) == [], "no temporary file is left"


def test_a_file_made_in_scratch_moves_in_and_links_into_an_edition(tmp_path):
    store = Store.of(tmp_path)
    with store.scratch() as folder:
        made = folder / "001.pdf"
        made.write_bytes(b"%PDF-1.7 page")
        digest = store.put_file(made)
        assert not made.exists()
        again = folder / "again.pdf"
        again.write_bytes(b"%PDF-1.7 page")
        assert store.put_file(again) == digest and not again.exists()
    assert not folder.exists()
    target = tmp_path / "edition" / "pages" / "001.pdf"
    store.link(digest, target)
    assert target.read_bytes() == b"%PDF-1.7 page"
    assert os.path.samefile(target, store.object_path(digest)), "a hard link, not a copy"


def test_link_all_makes_each_folder_once_and_links_every_file(tmp_path, monkeypatch):
    """An edition's tiles: many files, each in folders of their own, linked in one go."""
    store = Store.of(tmp_path)
    tile, page = store.put_bytes(b"tile"), store.put_bytes(b"%PDF page")
    files = [(f"tiles/001/{x},0,512,512/512,512/0/default.jpg", tile) for x in (0, 512, 1024)]
    files += [("tiles/001/full/128,/0/default.jpg", tile), ("pages/001.pdf", page), ("edition.pdf", page)]
    edition = tmp_path / "edition"
    edition.mkdir()
    (edition / "pages").mkdir()  # a folder there already (the edition's own files are linked after the pages')
    made: list[str] = []
    mkdir = os.mkdir
    monkeypatch.setattr(os, "mkdir", lambda path, *args: (made.append(os.path.relpath(path, edition)),
                                                          mkdir(path, *args)))
    store.link_all(files, edition)
    for relative, digest in files:
        assert os.path.samefile(edition / relative, store.object_path(digest)), relative
    assert len(made) == len(set(made)), "no folder is made twice"
    assert sorted(made) == made and "tiles/001/0,0,512,512/512,512/0" in made and "pages" in made
    with pytest.raises(FileNotFoundError):  # an object the store does not have: no link to nothing
        store.link_all([("thumbs/001.jpg", "0" * 64)], edition)
    assert not (edition / "thumbs" / "001.jpg").exists()


def _logging_pids(monkeypatch, owner, name: str, log: Path) -> None:
    """``owner.name`` appends the process id that calls it to ``log`` (a child's calls too)."""
    real = getattr(owner, name)

    def logged(*args, **kwargs):
        with open(log, "a", encoding="ascii") as out:
            out.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)
    monkeypatch.setattr(owner, name, logged)


def _pids(log: Path) -> set[int]:
    return {int(line) for line in log.read_text(encoding="ascii").split()}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="work goes aside where the system forks")
def test_work_aside_is_done_by_another_process_and_made_good_here_when_that_failed(tmp_path):
    """ChildWork (an edition's PDF merged while its text views are written): done by a child; a
    child that fails is made good by finish(), here, and a failure here is what the caller sees."""
    from epaper.cache.store import ChildWork

    parent = os.getpid()
    done = tmp_path / "done"

    def work() -> None:
        done.write_text(str(os.getpid()))

    ChildWork(work).finish()
    assert int(done.read_text()) != parent

    def only_here() -> None:
        if os.getpid() != parent:
            raise OSError("the child's disk is full")
        work()

    aside = ChildWork(only_here)
    assert not aside.wait()  # the child failed...
    aside.finish()
    assert int(done.read_text()) == parent  # ...and its work was done here
    with pytest.raises(OSError, match="no room"):
        ChildWork(lambda: (_ for _ in ()).throw(OSError("no room"))).finish()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memos are written aside where the system forks")
def test_a_memo_written_aside_is_written_by_a_child_and_there_once_the_output_lock_is_let_go(tmp_path, monkeypatch):
    from epaper.publish.build_lock import output_lock

    out = tmp_path / "out"
    store = Store.of(out)
    _logging_pids(monkeypatch, Store, "write_memo", tmp_path / "writers")
    with output_lock(out):
        store.write_memo_aside("layout", "ab" * 32, _Record("layout", 1.0, (1, 2, 3)))
    assert store.read_memo("layout", "ab" * 32) == _Record("layout", 1.0, (1, 2, 3))
    writers = _pids(tmp_path / "writers")
    assert len(writers) == 1 and os.getpid() not in writers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memos are written aside where the system forks")
def test_clearing_the_scratch_folder_waits_for_a_memo_being_written_aside(tmp_path, monkeypatch):
    """A build clears ``tmp/`` at its end, where a memo's child may still be writing it: the memo
    is written whole first."""
    import pickle

    store = Store.of(tmp_path / "out")
    real_dump = pickle.dump
    monkeypatch.setattr(pickle, "dump", lambda *args, **kwargs: (time.sleep(1.0), real_dump(*args, **kwargs)))
    store.write_memo_aside("layout", "cd" * 32, _Record("slow", 2.0, (4,)))
    store.clear_scratch()
    assert store.read_memo("layout", "cd" * 32) == _Record("slow", 2.0, (4,))


def test_a_discarded_folder_leaves_at_once_and_is_deleted_by_a_process_that_holds_no_lock(tmp_path, monkeypatch):
    """A replaced edition is moved into the store's trash and deleted there by a process of its
    own: the build neither waits for it nor leaves it holding the output folder's lock."""
    import fcntl

    from epaper.cache import store as store_module
    from epaper.publish.build_lock import output_lock

    out = tmp_path / "out"
    store = Store.of(out)
    old = out / ".edition.old-1"
    (old / "tiles" / "001" / "0,0,512,512").mkdir(parents=True)
    (old / "tiles" / "001" / "0,0,512,512" / "default.jpg").write_bytes(b"tile")
    program, *_, script = store_module.EMPTY_TRASH
    # A slow deletion: what the build would otherwise wait for.
    monkeypatch.setattr(store_module, "EMPTY_TRASH", (
        program, "-c", f"import runpy, time\ntime.sleep(2.0)\nrunpy.run_path({script!r}, run_name='__main__')"))
    with output_lock(out):
        store.discard(old)
        assert not old.exists()
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError if anyone holds it
    finally:
        os.close(fd)
    assert os.listdir(store.root / "trash") != [], "not deleted yet: the build did not wait"
    store_module.settle_discards()
    assert os.listdir(store.root / "trash") == []


def test_a_discarded_folder_is_deleted_in_place_when_no_deleter_can_start(tmp_path, monkeypatch):
    """epaper embedded where ``sys.executable`` is no Python: the build deletes the folder itself."""
    from epaper.cache import store as store_module

    store = Store.of(tmp_path / "out")
    old = tmp_path / "out" / ".edition.old-1"
    (old / "pages").mkdir(parents=True)
    (old / "pages" / "001.pdf").write_bytes(b"%PDF")
    monkeypatch.setattr(store_module, "EMPTY_TRASH", (str(tmp_path / "no-such-python"), "-c", "pass"))
    store.discard(old)
    assert not old.exists() and os.listdir(store.root / "trash") == []


def test_memos_round_trip_and_damaged_ones_are_misses(tmp_path):
    store = Store.of(tmp_path)
    assert store.read_memo("pages", "ab" * 32) is None
    store.write_memo("pages", "ab" * 32, _Record("p", 2.5, (1, 2)))
    assert store.read_memo("pages", "ab" * 32) == _Record("p", 2.5, (1, 2))
    memo = next((store.root / "memos" / "pages").rglob("ab" * 32))
    memo.write_bytes(b"not a pickle")
    assert store.read_memo("pages", "ab" * 32) is None


def test_a_memo_is_read_with_the_cycle_collector_paused_and_left_as_it_was(tmp_path, monkeypatch):
    """Unpickling runs without the cycle collector (it walked a layout's objects over and over),
    which is on again afterwards if it was before, read or miss or damaged memo alike."""
    import gc
    import pickle

    store = Store.of(tmp_path)
    store.write_memo("pages", "ab" * 32, _Record("p", 2.5, (1, 2)))
    seen = []
    real_load = pickle.load
    monkeypatch.setattr(pickle, "load", lambda file: seen.append(gc.isenabled()) or real_load(file))
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            assert store.read_memo("pages", "ab" * 32) == _Record("p", 2.5, (1, 2))
            assert store.read_memo("pages", "cd" * 32) is None
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
    assert seen == [False, False]
    memo = next((store.root / "memos" / "pages").rglob("ab" * 32))
    memo.write_bytes(b"not a pickle")
    assert store.read_memo("pages", "ab" * 32) is None and gc.isenabled()


def test_memos_unused_for_weeks_are_collected_and_a_read_keeps_one(tmp_path):
    store = Store.of(tmp_path)
    for key in ("aa" * 32, "bb" * 32, "cc" * 32):
        store.write_memo("pages", key, key)
    weeks_ago = time.time() - (MEMO_DAYS + 1) * 86400
    for memo in (store.root / "memos" / "pages").rglob("*"):
        if memo.is_file():
            os.utime(memo, (weeks_ago, weeks_ago))
    assert store.read_memo("pages", "bb" * 32) == "bb" * 32  # read: used again
    store.write_memo("pages", "cc" * 32, "cc" * 32)  # written again
    store.collect_garbage()
    assert store.read_memo("pages", "aa" * 32) is None
    assert store.read_memo("pages", "bb" * 32) == "bb" * 32
    assert store.read_memo("pages", "cc" * 32) == "cc" * 32


def test_a_memo_read_is_marked_used_once_a_day_not_at_every_read(tmp_path):
    store = Store.of(tmp_path)
    store.write_memo("pages", "dd" * 32, "dd")
    memo = next((store.root / "memos" / "pages").rglob("dd" * 32))
    an_hour_ago = time.time() - 3600
    os.utime(memo, (an_hour_ago, an_hour_ago))
    assert store.read_memo("pages", "dd" * 32) == "dd" and memo.stat().st_mtime == pytest.approx(an_hour_ago)
    longer = time.time() - (MEMO_MARK_HOURS + 1) * 3600
    os.utime(memo, (longer, longer))
    assert store.read_memo("pages", "dd" * 32) == "dd" and memo.stat().st_mtime > time.time() - 60


def test_memos_are_searched_for_old_ones_now_and_then_not_at_every_build(tmp_path):
    store = Store.of(tmp_path)
    weeks_ago = time.time() - (MEMO_DAYS + 1) * 86400
    store.write_memo("pages", "aa" * 32, "aa")
    store.collect_garbage()  # searched: nothing old yet
    store.write_memo("pages", "bb" * 32, "bb")
    for memo in (store.root / "memos" / "pages").rglob("*"):
        if memo.is_file():
            os.utime(memo, (weeks_ago, weeks_ago))
    store.collect_garbage()  # an hour later at most: not searched again
    assert (store.root / "memos" / "pages" / "bb" / ("bb" * 32)).is_file()
    hours_ago = time.time() - (PRUNE_HOURS + 1) * 3600
    os.utime(store.root / "memos" / ".pruned", (hours_ago, hours_ago))
    store.collect_garbage()
    assert store.read_memo("pages", "aa" * 32) is None and store.read_memo("pages", "bb" * 32) is None


def test_garbage_is_what_no_edition_links(tmp_path):
    """(The store's first collection walks every object.)"""
    store = Store.of(tmp_path)
    kept, dropped = store.put_bytes(b"kept"), store.put_bytes(b"dropped")
    store.link(kept, tmp_path / "edition" / "kept.bin")
    assert store.collect_garbage() == 1
    assert store.has(kept) and not store.has(dropped)


def _walked_just_now(store: Store) -> None:
    """The store's whole walk for garbage marked as done now: the next collections look only at the
    objects the trash's deleters named."""
    (store.root / "garbage").mkdir(parents=True, exist_ok=True)
    (store.root / "garbage" / ".walked").touch()


def test_the_trash_names_the_objects_only_a_deleted_folder_linked_and_the_collection_takes_them(tmp_path):
    """A discarded edition's deleter names each object whose last link it deleted; the next
    collection removes those and looks at no other object (one let go of another way waits for the
    walk every few hours)."""
    from epaper.cache.store import settle_discards

    out = tmp_path / "out"
    store = Store.of(out)
    only_old, shared, elsewhere = store.put_bytes(b"only old"), store.put_bytes(b"shared"), store.put_bytes(b"elsewhere")
    old, new, by_hand = out / ".edition.old-1", out / "edition", out / "deleted-by-hand"
    store.link(only_old, old / "pages" / "001.pdf")
    store.link(shared, old / "pages" / "002.pdf")
    store.link(shared, new / "pages" / "002.pdf")
    (old / "pages" / "own.txt").write_bytes(b"not the store's")
    os.link(old / "pages" / "own.txt", old / "pages" / "own-again.txt")  # two links, neither the store's
    store.link(elsewhere, by_hand / "x.bin")
    assert store.collect_garbage() == 0  # the first: a whole walk (nothing to take)
    shutil.rmtree(by_hand)  # its object is garbage no deleter saw
    store.discard(old)
    settle_discards()
    assert os.listdir(store.root / "trash") == []
    [listed] = (store.root / "garbage").glob("*.digests")
    assert listed.read_text().split() == [only_old]
    assert store.collect_garbage() == 1
    assert not store.has(only_old) and store.has(shared) and store.has(elsewhere)
    assert not list((store.root / "garbage").glob("*.digests")), "a list is used once"
    assert store.collect_garbage() == 0 and store.has(elsewhere)
    hours_ago = time.time() - (PRUNE_HOURS + 1) * 3600
    os.utime(store.root / "garbage" / ".walked", (hours_ago, hours_ago))
    cut_off, writing = store.root / "garbage" / ".a1.partial", store.root / "garbage" / ".b2.partial"
    cut_off.write_text(only_old)  # a list a killed deleter left half-written
    os.utime(cut_off, (hours_ago, hours_ago))
    writing.write_text(only_old)  # one a deleter is writing now
    assert store.collect_garbage() == 1 and not store.has(elsewhere)  # the walk, hours later
    assert not cut_off.exists() and writing.exists()


def test_two_deleters_at_once_name_an_object_whose_last_two_links_they_take(tmp_path, monkeypatch):
    """Each edition a night publishes starts a deleter, and zones share the main edition's pages: two
    deleters may each look at one of a page's last two links before either is gone (link count 3
    for both). The one whose deletion leaves the object alone names it all the same."""
    from epaper.cache import trash

    store = Store.of(tmp_path / "out")
    page = store.put_bytes(b"a page two zones printed")
    links = [store.root / "trash" / zone / "001.pdf" for zone in ("north", "harbour")]
    for link in links:
        store.link(page, link)
    seen = {str(link): os.lstat(link) for link in links}  # both looked at first
    assert {status.st_nlink for status in seen.values()} == {3}
    monkeypatch.setattr(trash.os, "lstat", lambda path: seen[str(path)])
    named: list[str] = []
    for link in links:
        trash._unlink(str(link), str(store.root), named)
    monkeypatch.undo()
    assert named == [page] and not any(link.exists() for link in links)


def test_a_named_object_that_something_links_again_is_kept(tmp_path):
    """Between the deleter naming an object and the collection, a build linked it again (the same
    page in the next build): the collection looks, and keeps it. A damaged list is passed by."""
    from epaper.cache.store import settle_discards

    out = tmp_path / "out"
    store = Store.of(out)
    page = store.put_bytes(b"page")
    store.link(page, out / ".old" / "001.pdf")
    _walked_just_now(store)
    store.discard(out / ".old")
    settle_discards()
    store.link(page, out / "edition" / "001.pdf")
    (store.root / "garbage" / "damaged.digests").write_bytes(b"../../etc\n\xff\xfe\n")
    assert store.collect_garbage() == 0 and store.has(page)
    assert not list((store.root / "garbage").glob("*.digests"))


def test_the_store_is_hidden_from_the_archive_and_serve(tmp_path):
    """The archive finds editions by their folders and skips hidden ones; serve neither serves nor lists them."""
    import urllib.request
    from urllib.error import HTTPError

    from served import serving

    from epaper.web.archive import find_editions

    store = Store.of(tmp_path)
    digest = store.put_bytes(b'{"edition": {"date": "2026-11-28"}}')
    store.link(digest, store.root / "layout.json")  # as if an edition were there: still not one
    (tmp_path / "ed").mkdir()
    (tmp_path / "ed" / "page.txt").write_text("visible", encoding="utf-8")
    assert find_editions(tmp_path) == []
    with serving(tmp_path) as url:
        with urllib.request.urlopen(url, timeout=10) as response:  # closed: a leaked socket fails a later test
            listing = response.read().decode()
        assert "ed/" in listing and STORE_DIR not in listing
        for path in (f"{STORE_DIR}/layout.json", f"{STORE_DIR}/objects/{digest[:2]}/{digest}", f"{STORE_DIR}/"):
            with pytest.raises(HTTPError) as answer:
                urllib.request.urlopen(url + path, timeout=10)
            assert answer.value.code == 404
            answer.value.close()
        with urllib.request.urlopen(url + "ed/page.txt", timeout=10) as response:
            assert response.read() == b"visible"


def test_a_written_file_is_adopted_as_an_object_in_place(tmp_path):
    store = Store.of(tmp_path)
    written = tmp_path / "edition" / "index.html"
    written.parent.mkdir()
    written.write_bytes(b"<!doctype html>")
    digest = store.adopt(written)
    assert os.path.samefile(written, store.object_path(digest)) and written.read_bytes() == b"<!doctype html>"
    again = tmp_path / "edition" / "copy.html"
    again.write_bytes(b"<!doctype html>")
    assert store.adopt(again) == digest and os.path.samefile(again, written), "one inode for the same bytes"
    assert sorted(p.name for p in written.parent.iterdir()) == ["copy.html", "index.html"]


def test_an_object_changed_in_place_is_not_used_again(tmp_path):
    """An edition's file is the store's object: one rewritten in place (a tool, a desk's edit) is
    found out and dropped, the edition keeping its file."""
    store = Store.of(tmp_path)
    digest = store.put_bytes(b'{"version": 2}')
    edition_file = tmp_path / "edition" / "plan.json"
    store.link(digest, edition_file)
    assert store.intact(digest)
    os.chmod(edition_file, 0o644)
    edition_file.write_bytes(b'{"damaged": 1}')  # in place: the same inode
    assert not store.intact(digest) and not store.has(digest)
    assert edition_file.read_bytes() == b'{"damaged": 1}'


def test_a_function_per_object_is_called_once_for_an_object_and_again_for_an_equal_new_one():
    import gc
    from dataclasses import dataclass

    from epaper.cache.per_object import per_object

    @dataclass(frozen=True)
    class Story:
        words: str

    calls: list[str] = []

    @per_object
    def length(story: Story) -> int:
        calls.append(story.words)
        return len(story.words)

    story = Story("late news")
    assert length(story) == length(story) == 9 and calls == ["late news"]
    other = Story("late news")  # equal, another object: its own call (no hashing of fields)
    assert length(other) == 9 and calls == ["late news", "late news"]
    del story, other
    gc.collect()
    assert length(Story("a correction")) == 12 and calls[-1] == "a correction"


def test_the_code_fingerprint_reads_the_files_and_versions_pathlib_and_metadata_find():
    """The fingerprint's walk and its versions read from the .dist-info folders' names are what
    pathlib's glob and importlib.metadata (which parses each one's metadata) give."""
    from importlib import metadata

    from epaper.cache import keys

    for name in keys._LIBRARIES:
        try:
            expected = metadata.version(name)
        except metadata.PackageNotFoundError:
            expected = ""
        assert keys._version(name) == expected, name
    roots = [keys._PACKAGE] + [folder for folder in keys._DATA if folder.is_dir()]
    found = sorted((p.relative_to(keys._PACKAGE.parent).as_posix(), str(p)) for root in roots for p in root.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    assert len(found) > 100 and keys._code_files(roots) == found


_LINKS_THEN_KILLED = """
import os, sys, time
from pathlib import Path
from epaper.cache import Store
store = Store.of(Path(sys.argv[1]))
digest = store.put_bytes(b"tile")
real_link = os.link
os.link = lambda *args, **kwargs: (time.sleep(0.01), real_link(*args, **kwargs))  # ~10 s for 1,000
(Path(sys.argv[1]) / "staging").mkdir()
from epaper.cache.store import ChildWork
files = [(f"tiles/{n}.jpg", digest) for n in range(1000)]
links = ChildWork(lambda: store.link_all(files, Path(sys.argv[1]) / "staging"))  # as a tile set is made
while not (Path(sys.argv[1]) / "staging" / "tiles" / "0.jpg").exists():  # linking
    time.sleep(0.01)
print(links._child, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel kills the child (Linux)")
def test_a_child_linking_for_a_killed_build_dies_with_it(tmp_path):
    """Links into a staging folder stop when the build making it is killed: the next build removes
    that folder, which no orphan may go on filling."""
    with subprocess.Popen([sys.executable, "-c", _LINKS_THEN_KILLED, str(tmp_path)], stdout=subprocess.PIPE,
                          text=True) as build:
        child = int(build.stdout.readline())
        assert Path(f"/proc/{child}").exists()
        build.kill()
    deadline = time.monotonic() + 5
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{child}").exists()
    assert len(list((tmp_path / "staging" / "tiles").iterdir())) < 1000
