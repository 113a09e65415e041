"""The content-addressed store under an output root: ``OUT/.store/``.

``objects/ab/abcdef…`` holds immutable files named by the SHA-256 of their bytes; an edition's
files are hard links to them (never copies), so a page shared by two editions, or kept from the
previous build, is one file on disk. ``memos/<stage>/ab/<key>`` maps a stage's key (a digest of its
inputs, :mod:`epaper.cache.keys`) to its result, a small pickled record (digests of the objects it
made, figures). Both are written as a temporary file in ``tmp/`` and moved into place with
``os.replace``: a killed or retried task never leaves half an object or memo, and writing the same
object twice is harmless (the second write replaces identical bytes).

``trash/`` holds editions builds replaced while a process of their own deletes them
(:meth:`Store.discard`); ``garbage/`` lists the objects only they linked, for the next collection
(:mod:`epaper.cache.trash`).

The store is hidden (a dot folder) so the archive, ``epaper serve`` and ``epaper rebase`` pass it by,
and it lives in the output root so that hard links into every edition folder stay on one file system.

Objects are made read-only: an edition's file is the store's object, and a tool that rewrote one in
place (rather than replacing it) would change it in every edition linking it. Epaper itself only
ever replaces such files (``os.replace``), which makes a new file and leaves the object alone.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from epaper.stops import held
from epaper.workers import killed_with_parent

from . import trash

__all__ = ["MEMO_DAYS", "MEMO_PICKLE_PROTOCOL", "STORE_DIR", "ChildWork", "Store", "settle_discards", "settle_memos"]

STORE_DIR = ".store"
MEMO_PICKLE_PROTOCOL = 5
MEMO_DAYS = 21  # a memo unused this long is removed (a weekly edition's are used every seven days)
MEMO_MARK_HOURS = 24  # a memo read is marked as used when its mark is older than this
# How often the memos are searched for those (each build, it took ~40 ms of a replate), and the
# objects walked for garbage that no deleter named (at each build, that took ~3.5 s in a month's store:
# bench_month_folder's unchanged build on 1abf8eb, before the deleters named any).
PRUNE_HOURS = 6
# Linux forks cheaply and safely for a child that only pickles and writes a file; macOS's system
# libraries do not promise that, and Windows has no fork: there memos are written in the build.
_FORKS = hasattr(os, "fork") and sys.platform.startswith("linux")
_ASIDE: list[int] = []  # children writing memos (Store.write_memo_aside), not waited for yet
_DISCARDING: list[subprocess.Popen] = []  # emptying trash (Store.discard), not waited for yet


def _in_child(work: Callable[[], None], *, dies_with_parent: bool = False) -> int:
    """Run ``work`` in a child process forked for it; return its process id. The child exits 0 when
    ``work`` returned, 1 when it raised. ``dies_with_parent``: killed if this process dies first
    (on Linux), for work that is worth nothing then."""
    parent = os.getpid()
    # held(): a Ctrl-C raised in os.fork's at-fork callbacks (logging's) was lost, and the command
    # went on to publish and exit 0 after the desk had stopped it (the night audit, 1 run in 8).
    # The parent raises it as the block ends; the child never leaves the block (it ends in
    # os._exit), so a stop held there is not raised into the command's code in the child.
    with warnings.catch_warnings(), held():  # Python 3.12+ warns of forking beside threads: the child uses none
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
        if not child:
            _run_in_child(work, parent, dies_with_parent)
    return child


def _run_in_child(work: Callable[[], None], parent: int, dies_with_parent: bool) -> NoReturn:
    """The child's part of :func:`_in_child`: only this thread exists here, and only ``work`` runs;
    no finalizer, no flush of the parent's buffered output, no exit handler."""
    gc.disable()
    code = 1
    try:
        if dies_with_parent:
            _die_with(parent)
        work()
        code = 0
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Killed when the parent ``parent`` dies (:func:`~epaper.workers.killed_with_parent`), and
    ended now if it is gone already. (A child killed because the thread that forked it ended has
    failed, and is made good as any failed child is.)"""
    killed_with_parent()
    if os.getppid() != parent:
        raise SystemExit(1)


# The process that empties a store's trash (its one argument is the store): Python itself, so that it
# runs wherever epaper does; isolated (-I), so that nothing beside the script shadows the standard library.
EMPTY_TRASH = (sys.executable, "-I", trash.__file__)


def _due(stamp: Path) -> bool:
    """Whether the upkeep ``stamp`` marks was last done :data:`PRUNE_HOURS` ago or more (or never)."""
    try:
        return time.time() - stamp.stat().st_mtime >= PRUNE_HOURS * 3600
    except FileNotFoundError:
        return True


def _mark(stamp: Path) -> None:
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()


def settle_discards() -> None:
    """Wait until every folder this process discarded (:meth:`Store.discard`) is deleted: deleting an
    edition's hard links changes the other links' change times (``epaper build-night`` records
    the output folder's state)."""
    while _DISCARDING:
        _DISCARDING.pop().wait()


def settle_memos() -> None:
    """Wait for every memo being written aside (:meth:`Store.write_memo_aside`). A build calls it
    before it lets go of the output folder's lock, so that no child of it writes into the store
    after."""
    while _ASIDE:
        try:
            os.waitpid(_ASIDE.pop(), 0)
        except ChildProcessError:  # reaped already
            pass


class ChildWork:
    """``work`` run in a child process forked for it while this one goes on (run here, at once, where
    the system does not fork): the caller waits for it with :meth:`finish`. What it made is worth
    nothing once the process that waits for it is gone (killed): the child dies with it."""

    def __init__(self, work: Callable[[], None], *, again: Callable[[], None] | None = None) -> None:
        self._again = again or work  # what finish() runs here when the child failed
        self._child: int | None = None
        self._done = True
        if _FORKS:
            self._child = _in_child(work, dies_with_parent=True)
        else:
            work()

    def wait(self) -> bool:
        """Wait for the child (once); whether it did all of its work."""
        child, self._child = self._child, None
        if child is not None:
            self._done = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0
        return self._done

    def finish(self) -> None:
        """:meth:`wait`, and do the work here if the child failed: that raises what it met (a full
        disk), else the child was cut off part way."""
        if not self.wait():
            self._again()
            self._done = True


@dataclass(frozen=True)
class Store:
    """The store of the output root ``root.parent`` (``root`` is ``OUT/.store``). Picklable, so a
    worker process (or a Dask worker with the same file system) writes into the same store."""

    root: Path

    @classmethod
    def of(cls, out_root: Path) -> "Store":
        """The store of the output folder ``out_root`` (created on first write)."""
        return cls(Path(out_root).absolute() / STORE_DIR)

    # --- objects --------------------------------------------------------------------------------

    def object_path(self, digest: str) -> Path:
        return Path(self._object_file(digest))

    def _object_file(self, digest: str) -> str:
        # A string: a build asks has() of every file of every page whose products it reuses
        # (~2,000 in a replate), and pathlib's joins and is_file took four times as long.
        return f"{self.root}/objects/{digest[:2]}/{digest}"

    def has(self, digest: str) -> bool:
        return os.path.isfile(self._object_file(digest))

    def stamp(self, digest: str) -> tuple[int, int] | None:
        """The object's size and modification time (ns), None if it is not there. An object is
        never written after it is made: a stamp unlike the one taken then says it was rewritten in
        place (through an edition's hard link to it), or made again — :meth:`intact` tells which."""
        try:
            seen = os.stat(self._object_file(digest))
        except FileNotFoundError:
            return None
        return seen.st_size, seen.st_mtime_ns

    def release(self, data: bytes) -> None:
        """Let go of the object holding ``data`` if no edition links it any more: a kept version's
        file that was rewritten in its place (see epaper.publish.versions), so that a replate,
        which does not walk the store for garbage, leaves none."""
        path = self._object_file(hashlib.sha256(data).hexdigest())
        try:
            if os.stat(path).st_nlink == 1:
                os.unlink(path)
        except FileNotFoundError:
            pass

    def linked(self, path: Path, digest: str) -> bool:
        """Whether ``path`` is a hard link to the object ``digest`` (as every published file is):
        the same file, not merely the same bytes. False if either is missing."""
        try:
            here, kept = os.stat(path), os.stat(self.object_path(digest))
        except OSError:
            return False
        return (here.st_ino, here.st_dev) == (kept.st_ino, kept.st_dev)

    def intact(self, digest: str) -> bool:
        """Whether the object is there and still holds the bytes it is named by. An object is an
        edition's file too: a tool that rewrote that file in place changed the object; it is then
        removed (the edition keeps its file) and made again."""
        path = self.object_path(digest)
        try:
            with open(path, "rb") as file:
                if hashlib.file_digest(file, "sha256").hexdigest() == digest:
                    return True
        except FileNotFoundError:
            return False
        path.unlink(missing_ok=True)
        return False

    def put_bytes(self, data: bytes) -> str:
        """Store ``data``; return its digest."""
        digest = hashlib.sha256(data).hexdigest()
        if not self.has(digest):
            handle, temporary = tempfile.mkstemp(dir=self._tmp(), suffix=".object")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                self._commit(Path(temporary), digest)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return digest

    def put_file(self, path: Path) -> str:
        """Move the finished file ``path`` into the store (it must be on the store's file system:
        a file made in :meth:`scratch`); return its digest. ``path`` is gone afterwards."""
        with open(path, "rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
        if self.has(digest):
            os.unlink(path)
        else:
            self._commit(Path(path), digest)
        return digest

    def _commit(self, temporary: Path, digest: str) -> None:
        target = self.object_path(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(temporary, 0o444)
        os.replace(temporary, target)

    def adopt(self, path: Path) -> str:
        """Make the finished file ``path`` (in an edition folder being written) an object of the
        store, linked where it is; return its digest. Afterwards ``path`` must only ever be replaced,
        never rewritten in place (it is the object)."""
        with open(path, "rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
        target = self._object_file(digest)
        if not os.path.isfile(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.chmod(path, 0o444)
            try:
                os.link(path, target)
                return digest
            except FileExistsError:
                pass  # made meanwhile by another task: link that one instead
        # The same bytes are an object already: ``path`` becomes a link to it (one inode, not two).
        self.link_over(digest, path)
        return digest

    def link_over(self, digest: str, path: Path) -> None:
        """Make ``path`` a hard link to the object, replacing the file there (in one rename: a
        reader sees the old file or the object, never neither)."""
        # String paths: a replate adopts its ~300 edition files (most of them objects already).
        folder, name = os.path.split(os.fspath(path))
        temporary = os.path.join(folder, f".{name}.partial")
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        os.link(self._object_file(digest), temporary)
        os.replace(temporary, path)

    def link(self, digest: str, target: Path) -> None:
        """Make ``target`` (a new path in an edition folder being written) a hard link to the object."""
        try:
            os.link(self.object_path(digest), target)
        except FileNotFoundError:  # its folder is new (first link there); trying first spares a tile's mkdir
            if not self.has(digest):
                raise
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(self.object_path(digest), target)

    def link_all(self, files: Iterable[tuple[str, str]], folder: Path) -> None:
        """Hard-link objects into ``folder`` (a folder being written: an edition's, a tile set's):
        ``files`` are (path relative to ``folder``, object digest), none of them there yet. Every
        folder on the way is made once, parents first: a tile set has three folders for every tile,
        and making them as each link found its folder missing took ~0.4 s of a replate
        (pathlib's ``mkdir(parents=True)`` tries each level again per file)."""
        base, objects = os.fspath(folder), os.fspath(self.root / "objects")
        files = list(files)
        folders: set[str] = set()
        for relative, _ in files:
            parent = os.path.dirname(relative)
            while parent and parent not in folders:
                folders.add(parent)
                parent = os.path.dirname(parent)
        for parent in sorted(folders):  # a folder's path sorts before the paths in it
            try:
                os.mkdir(os.path.join(base, parent))
            except FileExistsError:
                pass
        for relative, digest in files:
            os.link(os.path.join(objects, digest[:2], digest), os.path.join(base, relative))

    def discard(self, *folders: Path) -> None:
        """Remove ``folders`` (an edition a build replaced, tile sets no edition names; on the store's
        file system): moved into the store's ``trash/`` at once, and deleted there by a process of
        its own, which the build does not wait for (an edition's ~8,000 files and folders, when it
        held its tiles, took ~0.3 s, the last thing a build did; :func:`settle_discards` waits).
        That process also takes what an earlier one, cut off, left in ``trash/``. It is started
        with no descriptor of this one (not the output folder's lock, not its output streams).
        Until it is done, the objects only the discarded folders linked are not garbage yet: it
        names them (:mod:`epaper.cache.trash`), and the next build's :meth:`collect_garbage` takes
        them."""
        if not folders:
            return
        trash_folder = self.root / "trash"
        moved = False
        for folder in folders:
            try:
                trash_folder.mkdir(parents=True, exist_ok=True)
                # Straight into trash/, under a name of its own: a deleter still running empties
                # trash/ of what it finds there, and a folder made to hold this one might be gone before it.
                os.rename(folder, trash_folder / f"{folder.name}.{secrets.token_hex(8)}")
                moved = True
            except OSError:  # what was to be published is: the old one goes here, as it can
                shutil.rmtree(folder, ignore_errors=True)
        if not moved:
            return
        _DISCARDING[:] = [deleter for deleter in _DISCARDING if deleter.poll() is None]  # those done: reaped
        try:
            _DISCARDING.append(subprocess.Popen([*EMPTY_TRASH, str(self.root)], stdin=subprocess.DEVNULL,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                start_new_session=True))
        except OSError:  # no Python to start (epaper embedded in another program): emptied here
            trash.empty(str(self.root))

    @contextmanager
    def scratch(self) -> Iterator[Path]:
        """A private temporary folder on the store's file system, removed afterwards: a task makes
        its files here, then :meth:`put_file` moves them in."""
        folder = Path(tempfile.mkdtemp(dir=self._tmp(), prefix="task-"))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _tmp(self) -> Path:
        folder = self.root / "tmp"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    # --- memos ----------------------------------------------------------------------------------

    def _memo_path(self, stage: str, key: str) -> Path:
        return self.root / "memos" / stage / key[:2] / key

    def read_memo(self, stage: str, key: str) -> Any | None:
        """The result remembered for ``key`` in ``stage``, or None (never made, or unreadable: a
        memo from another Python or a damaged file is made again, not trusted)."""
        path = self._memo_path(stage, key)
        # Unpickling makes tens of thousands of objects (a whole edition's frames: ~300,000), none
        # in a reference cycle; the cycle collector would walk them all again and again while they
        # come in (a 14 MB layout: 0.51 s with it running, 0.25 s paused).
        collecting = gc.isenabled()
        gc.disable()
        try:
            with open(path, "rb") as file:
                used = os.fstat(file.fileno()).st_mtime
                found = pickle.load(file)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - any unreadable memo is a miss, and is written again
            return None
        finally:
            if collecting:
                gc.enable()
        # Used now: kept by collect_garbage for another MEMO_DAYS. Marked once a day, not at each
        # read: a replate reads ~400 memos, and each mark is a write to the disk's journal.
        if time.time() - used > MEMO_MARK_HOURS * 3600:
            try:
                os.utime(path)
            except OSError:
                pass
        return found

    def write_memo(self, stage: str, key: str, value: Any) -> None:
        target = self._memo_path(stage, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self._tmp(), suffix=".memo")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=MEMO_PICKLE_PROTOCOL)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def write_memo_aside(self, stage: str, key: str, value: Any) -> None:
        """:meth:`write_memo` in a child process forked for it, where the system forks: the build goes
        on meanwhile on its copy of ``value`` (pickling a whole edition's layout took ~0.2 s of a
        build's critical path). :func:`settle_memos` waits for the children; one that fails leaves
        no memo, which is a miss the next time (made again)."""
        self.write_memos_aside([(stage, key, value)])

    def write_memos_aside(self, memos: Sequence[tuple[str, str, Any]]) -> None:
        """:meth:`write_memo_aside` of each ``(stage, key, value)`` of ``memos``, all by one child."""
        memos = list(memos)

        def write_all() -> None:
            for stage, key, value in memos:
                self.write_memo(stage, key, value)

        if _FORKS and memos:
            _ASIDE.append(_in_child(write_all))
        else:
            write_all()

    # --- upkeep ---------------------------------------------------------------------------------

    def clear_scratch(self) -> None:
        """Remove what killed tasks left in ``tmp/``. Call with the output folder's lock held. The
        memos this process is writing aside are written first: their files are in ``tmp/`` until
        they are whole."""
        settle_memos()
        shutil.rmtree(self.root / "tmp", ignore_errors=True)

    def collect_garbage(self) -> int:
        """Remove objects no edition links any more (link count 1: only the store holds them);
        return how many. Those the trash's deleters named (:mod:`epaper.cache.trash`: the objects
        only the replaced editions and tile sets linked) are looked at; every object is, once every
        :data:`PRUNE_HOURS` (what no deleter named: a folder deleted by hand, what a killed build
        made and never linked). Memos naming a removed object are misses from then on (a memo is
        checked against the store before it is used). Memos neither written nor read for
        :data:`MEMO_DAYS` days go too: a desk building every night into one output folder would
        otherwise keep every layout it ever made. Call with the output folder's lock held, after
        publishing, so no build is between making an object and linking it."""
        self._prune_memos_now_and_then()
        objects = self.root / "objects"
        if not objects.is_dir():
            return 0
        lists = trash.named_lists(str(self.root))  # before the walk: what is named later waits for the next
        walked = self.root / trash.GARBAGE_DIR / ".walked"
        if _due(walked):
            removed = self._walk_for_garbage(objects)
            trash.remove_partial_lists(str(self.root), time.time() - PRUNE_HOURS * 3600)
            _mark(walked)
        else:
            removed = sum(self._remove_if_unlinked(digest) for digest in trash.digests_in(lists))
        for path in lists:
            Path(path).unlink(missing_ok=True)
        return removed

    def _remove_if_unlinked(self, digest: str) -> bool:
        try:
            if os.stat(path := self._object_file(digest)).st_nlink <= 1:
                os.unlink(path)
                return True
        except FileNotFoundError:
            pass
        return False

    @staticmethod
    def _walk_for_garbage(objects: Path) -> int:
        removed = 0
        # os.scandir, not pathlib: pathlib's stat of each object took ~25 ms of a replate of ~4,000.
        for folder in os.scandir(objects):
            for entry in os.scandir(folder.path):
                try:
                    if entry.stat(follow_symlinks=False).st_nlink <= 1:
                        os.unlink(entry.path)
                        removed += 1
                except FileNotFoundError:
                    pass
        return removed

    def _prune_memos_now_and_then(self) -> None:
        """:meth:`_prune_memos` once every :data:`PRUNE_HOURS`, not at every build: walking every
        memo took ~40 ms of each replate, for memos that go after weeks. ``memos/.pruned`` says
        when it was last done."""
        stamp = self.root / "memos" / ".pruned"
        if _due(stamp):
            self._prune_memos(time.time() - MEMO_DAYS * 86400)
            _mark(stamp)

    def _prune_memos(self, before: float) -> None:
        """Remove the memos last written or read before ``before`` (seconds since the epoch)."""
        for parent, _, names in os.walk(self.root / "memos"):
            for name in names:
                path = os.path.join(parent, name)
                try:
                    if os.stat(path).st_mtime < before:
                        os.unlink(path)
                except FileNotFoundError:
                    pass
