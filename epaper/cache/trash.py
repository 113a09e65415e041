"""Emptying the store's trash, in a process of its own (``python -I trash.py STORE``, the standard
library only, so that it starts fast wherever epaper runs): the folders builds let go of
(:meth:`epaper.cache.Store.discard`) are deleted while the next command goes on, and the objects
that only they linked are named for the next collection of garbage.

A month of a desk's nights leaves hundreds of thousands of objects in the store, and a collection
that looked at every one of them took seconds of every build (a stat each, ~4.4 µs here: an
unchanged build in bench/bench_month_folder.py's month, 750,000 objects, took 3.6 s against 0.16 s
alone). Each file deleted here after which only its object holds its bytes makes that object
garbage: its digest (its SHA-256, read from the file as it goes) is written to
``OUT/.store/garbage/<token>.digests``, one a line, and the next collection
(:meth:`Store.collect_garbage`, under the output folder's lock) looks at those objects alone. What
this misses — an object whose last link went some other way: a folder deleted by hand, a build
killed before it linked what it made, a list a full disk would not take — is found by the whole
walk the collection makes every few hours.

Naming an object is never deleting it: the collection removes it only if nothing links it then.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import stat
import sys
from collections.abc import Callable

GARBAGE_DIR = "garbage"  # OUT/.store/garbage/
LIST_SUFFIX = ".digests"  # a whole list
_PARTIAL = ".partial"  # a list being written (then renamed to its name)
_DIGEST = re.compile(r"[0-9a-f]{64}")


def empty(store: str) -> None:
    """Delete every entry of ``store``'s ``trash/`` (what an earlier deleter, cut off, left too),
    each named object list written once its entry is gone."""
    trash = os.path.join(store, "trash")
    try:
        entries = os.listdir(trash)
    except FileNotFoundError:
        return
    for entry in entries:
        digests = _delete(os.path.join(trash, entry), store)
        if digests:
            try:
                _write_list(store, digests)
            except OSError:  # (a full disk: the rest of the trash goes all the same; the walk finds these)
                pass


def _delete(path: str, store: str) -> list[str]:
    """Delete ``path`` (a folder, or a file) and everything in it; return the digests of the objects
    whose last link but the store's was one of its files."""
    digests: list[str] = []
    if not os.path.isdir(path) or os.path.islink(path):
        _unlink(path, store, digests)
        return digests
    for parent, folders, files in os.walk(path, topdown=False):
        for name in files:
            _unlink(os.path.join(parent, name), store, digests)
        for name in folders:
            _remove_folder(os.path.join(parent, name))
    _remove_folder(path)
    return digests


def _unlink(path: str, store: str, digests: list[str]) -> None:
    """Delete the file ``path``; if what was left of it then is one link, and that is its object in
    the store, name the object. Deleted while held open and counted after (not before): two deleters
    at once (each edition a night publishes starts one) may take a shared page's last two links,
    and each would count the other's."""
    try:
        status = os.lstat(path)
    except OSError:  # gone already (another deleter)
        return
    if not stat.S_ISREG(status.st_mode) or status.st_nlink < 2:
        _quietly(os.unlink, path)
        return
    try:
        held = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:  # unreadable: deleted unnamed (the collection's walk finds its object)
        _quietly(os.unlink, path)
        return
    try:
        os.unlink(path)
        if os.fstat(held).st_nlink == 1:
            with os.fdopen(os.dup(held), "rb") as file:
                digest = hashlib.file_digest(file, "sha256").hexdigest()
            kept = os.stat(os.path.join(store, "objects", digest[:2], digest))
            if (kept.st_ino, kept.st_dev) == (status.st_ino, status.st_dev):
                digests.append(digest)
    except OSError:  # deleted by another deleter meanwhile, or not the store's (linked twice in the folder)
        pass
    finally:
        os.close(held)


def _quietly(action: Callable[[str], object], path: str) -> None:
    try:
        action(path)
    except OSError:
        pass


def _remove_folder(path: str) -> None:
    _quietly(os.unlink if os.path.islink(path) else os.rmdir, path)


def _write_list(store: str, digests: list[str]) -> None:
    folder = os.path.join(store, GARBAGE_DIR)
    os.makedirs(folder, exist_ok=True)
    token = secrets.token_hex(8)
    partial = os.path.join(folder, f".{token}{_PARTIAL}")
    with open(partial, "w", encoding="ascii") as out:
        out.write("\n".join(digests) + "\n")
    os.replace(partial, os.path.join(folder, token + LIST_SUFFIX))


def remove_partial_lists(store: str, before: float) -> None:
    """Remove what deleters cut off while writing a list left, last changed before ``before``
    (seconds since the epoch: one still writing is not disturbed)."""
    folder = os.path.join(store, GARBAGE_DIR)
    try:
        names = [name for name in os.listdir(folder) if name.endswith(_PARTIAL)]
    except FileNotFoundError:
        return
    for name in names:
        try:
            if os.stat(path := os.path.join(folder, name)).st_mtime < before:
                os.unlink(path)
        except FileNotFoundError:
            pass


def named_lists(store: str) -> list[str]:
    """The paths of the whole object lists in ``store``'s ``garbage/`` now."""
    folder = os.path.join(store, GARBAGE_DIR)
    try:
        return [os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(LIST_SUFFIX)]
    except FileNotFoundError:
        return []


def digests_in(lists: list[str]) -> set[str]:
    """The digests the lists name (a line that is no digest, as a damaged list might have, is passed by)."""
    named: set[str] = set()
    for path in lists:
        try:
            with open(path, encoding="ascii", errors="replace") as file:
                named.update(line.strip() for line in file if _DIGEST.fullmatch(line.strip()))
        except OSError:
            pass
    return named


if __name__ == "__main__":
    empty(sys.argv[1])
