"""Writing an edition's output crash-safely: build in a staging folder, then swap it into place.

``OUT/<id>/`` always holds a complete edition, whenever the build is killed:

* the new edition is written in ``OUT/.<id>.building-*`` (same file system, so moves are renames);
* it is published by exchanging the two folders in one step (Linux ``renameat2`` with
  ``RENAME_EXCHANGE``): no moment exists without ``OUT/<id>/``; the old edition, now in the
  staging folder's place, is renamed ``.<id>.old-*`` and removed;
* where the exchange is unavailable (another OS, a file system without it), two renames are used:
  ``<id>`` → ``.<id>.old-*`` then staging → ``<id>``. A kill between them leaves no ``<id>``; the
  next build (:func:`recover`) renames the old edition back before it does anything else;
* a first build renames the staging folder to ``<id>``, which is atomic.

Every build holds its output folder's lock (:mod:`epaper.publish.build_lock`), so :func:`recover` may
remove whatever staging and old folders of its edition it finds: no other build is writing them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

__all__ = ["OutputError", "atomic_file", "atomic_folder", "check_output_root", "editions_with_stale_folders", "exchange",
           "output_errors", "published_folders", "recover", "remove_partial_files", "remove_partials_below", "scratch_beside",
           "staged_output", "stale_folders", "walk_unsealed", "write_text_atomically"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2 << 0  # include/uapi/linux/fs.h


_PARTIAL = ".partial"  # the suffix of a file being written; a kill may leave one, the next writer removes it


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``path`` so that a reader (or a kill) sees the old file or the new one, never half of it.

    For files outside a staged edition folder (the output root's archive and collections, a rebase).
    """
    with atomic_file(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A hidden ``.<name>.*.partial`` path beside ``path`` to write to; it replaces ``path`` when the
    block ends (and is removed when the block raises). A reader, a kill or a second writer of the
    same file never leaves half of it at ``path``: a task that Dask runs again after its worker
    died writes its own temporary file and replaces the whole file (see :mod:`epaper.tasks`)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_PARTIAL, dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the file from a web server's user
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A hidden ``.<name>.*.partial`` folder beside ``path`` to fill; it becomes ``path`` when the block
    ends. When ``path`` exists already (an earlier run of the same idempotent task finished it) the
    new copy is dropped: the folder is made whole or not at all, and only once."""
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=_PARTIAL, dir=path.parent))
    try:
        yield temporary
        os.chmod(temporary, 0o755)
        try:
            os.rename(temporary, path)
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not path.is_dir():
                raise
            shutil.rmtree(temporary)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def walk_unsealed(folder: Path, sealed: Collection[str] = ()) -> Iterator[tuple[str, list[str], list[str]]]:
    """:func:`os.walk` of ``folder`` (top down) that does not go into the folders named in ``sealed``
    (paths relative to ``folder``): folders that are not the caller's to look through, such as the
    versions a replated edition keeps (``versions/``), each a whole edition."""
    top = len(os.fspath(folder)) + 1
    for parent, folders, files in os.walk(folder):
        if sealed:
            here = parent[top:] + "/" if len(parent) >= top else ""
            folders[:] = [name for name in folders if here + name not in sealed]
        yield parent, folders, files


def remove_partials_below(folder: Path) -> None:
    """Remove every ``.partial`` file and folder below ``folder``: what a killed task (a Dask worker
    that died mid-write) left behind. Call it when no task writes into ``folder`` any more."""
    for parent, folders, files in os.walk(folder):
        for name in files:
            if name.startswith(".") and name.endswith(_PARTIAL):
                os.unlink(os.path.join(parent, name))
        for name in [n for n in folders if n.startswith(".") and n.endswith(_PARTIAL)]:
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)
            folders.remove(name)


def remove_partial_files(folder: Path) -> None:
    """Remove the ``.partial`` files a killed :func:`write_text_atomically` left in ``folder``.
    Call it while holding the output folder's lock (no other writer is at work)."""
    for leftover in folder.glob(f".*{_PARTIAL}"):
        leftover.unlink(missing_ok=True)


class OutputError(Exception):
    """The output folder cannot take the edition; the message says why and what to do."""


# What each failure to write means for the desk, by errno.
_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and build again",
    errno.EDQUOT: "the disk quota is used up: free some space and build again",
    errno.EROFS: "the file system is read-only: choose another --out",
    errno.EACCES: "permission denied: choose another --out or make it writable",
    errno.EPERM: "permission denied: choose another --out or make it writable",
    errno.ENOTDIR: "a file stands where a folder should be: choose another --out",
    errno.EEXIST: "a file stands where a folder should be: choose another --out",
}


def check_output_root(root: Path) -> None:
    """Raise :class:`OutputError` if ``root`` is a file or a folder this process cannot write in."""
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root}: is a file, not a folder — choose another --out")
    if root.is_dir() and not os.access(root, os.W_OK | os.X_OK):
        raise OutputError(f"{root}: the output folder is not writable — choose another --out or make it writable")
    parent = next((p for p in root.absolute().parents if p.exists()), None)
    if not root.exists() and parent is not None and (not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK)):
        raise OutputError(f"{root}: cannot be created in {parent} (not a writable folder) — choose another --out")


@contextmanager
def output_errors(root: Path) -> Iterator[None]:
    """Turn a failure to write into ``root`` (a full disk, a read-only folder) into an
    :class:`OutputError` naming the folder; other errors pass unchanged. The previous edition is
    untouched then: only the staging folder was being written, and it is removed."""
    try:
        yield
    except OSError as error:
        advice = _ADVICE.get(error.errno or 0)
        inside = error.filename is None or Path(os.fsdecode(error.filename)).absolute().is_relative_to(root.absolute())
        if advice is None or not inside:
            raise
        where = error.filename or root
        raise OutputError(f"{where}: cannot write the edition ({error.strerror}) — {advice}; "
                          f"the previous edition in {root} is untouched") from None


_BUILDING_MARK, _OLD_MARK = ".building-", ".old-"  # .<edition>.building-<pid>, .<edition>.old-<pid>


def _building_prefix(final: Path) -> str:
    return f".{final.name}{_BUILDING_MARK}"


def _old_prefix(final: Path) -> str:
    return f".{final.name}{_OLD_MARK}"


def published_folders(out_root: Path) -> list[str]:
    """The names of the folders in ``out_root`` that are not hidden (the editions, and the archive's
    own: ``tiles``, ``collections``, ``static``), sorted; no staging, old or store folder."""
    return sorted(entry.name for entry in os.scandir(out_root) if entry.is_dir() and not entry.name.startswith("."))


def editions_with_stale_folders(out_root: Path) -> set[str]:
    """The names of the editions in ``out_root`` that have staging or old folders beside them (left
    by builds that did not finish): one listing of the folder, where :func:`stale_folders` of each
    edition of a month's folder would list it once for each (1,800 editions: ~7 s)."""
    found = set()
    for name in os.listdir(out_root):
        if name.startswith("."):
            for marker in (_BUILDING_MARK, _OLD_MARK):
                edition, mark, _ = name[1:].rpartition(marker)
                if mark:
                    found.add(edition)
    return found


def stale_folders(final: Path) -> list[Path]:
    """Staging and old folders of the edition ``final`` left by builds that did not finish."""
    if not final.parent.is_dir():
        return []
    prefixes = (_building_prefix(final), _old_prefix(final))
    # Names, not Paths, filtered: asked of each edition a build or night publishes, in a folder that
    # may hold a month of editions.
    return sorted(final.parent / name for name in os.listdir(final.parent) if name.startswith(prefixes))


def recover(final: Path) -> None:
    """Put back an edition a killed publish left in ``.<id>.old-*`` (only where two renames had to
    be used), then remove every stale staging and old folder of this edition. Call with the
    output folder's lock held."""
    if not final.exists():
        complete = [p for p in stale_folders(final)
                    if p.name.startswith(_old_prefix(final)) and (p / "layout.json").is_file()]
        if complete:
            os.rename(max(complete, key=lambda p: p.stat().st_mtime), final)
    for folder in stale_folders(final):
        shutil.rmtree(folder, ignore_errors=True)


@cache
def _renameat2():
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` atomically; False if this system cannot (nothing moved)."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _publish(staging: Path, final: Path, keep_old: Callable[[Path], None] | None) -> None:
    os.chmod(staging, 0o755)
    if not final.exists():
        os.rename(staging, final)
        return
    if exchange(staging, final):  # staging now holds the previous edition
        old = staging.rename(final.with_name(f"{_old_prefix(final)}{os.getpid()}"))
    else:
        old = final.rename(final.with_name(f"{_old_prefix(final)}{os.getpid()}"))
        # A kill here leaves no <id>/: recover() renames the old edition back on the next run.
        os.rename(staging, final)
    if keep_old is None:
        shutil.rmtree(old, ignore_errors=True)
    else:
        keep_old(old)


@contextmanager
def scratch_beside(final: Path) -> Iterator[Path]:
    """A scratch folder beside the edition folder ``final``, removed afterwards; named like a
    staging folder, so :func:`recover` removes one a kill left behind."""
    final.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=_building_prefix(final), dir=final.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _new_staging(final: Path) -> Path:
    """A new, empty staging folder for the edition ``final`` (:func:`recover` removes it if the
    build that made it does not finish)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=_building_prefix(final), dir=final.parent))


@contextmanager
def staged_output(final: Path, *, keep_old: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield a staging folder beside ``final``; on success it replaces ``final`` (see the module).
    The replaced edition is removed, or given to ``keep_old`` (in a ``.<id>.old-*`` folder, which
    ``keep_old`` must move away: :func:`recover` removes what is left there)."""
    staging = _new_staging(final)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    remove_partials_below(staging)
    _publish(staging, final, keep_old)
