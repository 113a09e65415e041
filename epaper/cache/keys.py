"""Stable digests of a stage's inputs: the keys of the store's memos.

A key must name the same inputs in every process and on every machine (a Dask worker elsewhere, the
next night's build), so it is a SHA-256 of a canonical encoding, never ``hash()`` (salted per
process) or pickle bytes (which change with protocol and object identity). The encoding is typed:
``1`` and ``"1"`` and ``1.0`` differ, a dataclass is its class name and its fields in order, a
mapping its items sorted, and a :class:`~pathlib.Path` the digest of the file's bytes, so an
unchanged edition copied to another folder gives the same keys. Floats are written with ``repr``,
the shortest string that reads back as the same IEEE double on every platform.

:func:`code_fingerprint` stands for the code that made a result: a digest of epaper's own source,
its layouts and its fonts. Every memo key includes it, so a changed program never reuses an old result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import os
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

__all__ = ["code_fingerprint", "digest_of", "file_digest", "forget_file_digests"]

_PACKAGE = Path(__file__).resolve().parent.parent  # epaper/
_DATA = (_PACKAGE.parent / "layouts", _PACKAGE.parent / "fonts")  # in a checkout; a wheel has them in the package


def digest_of(*parts: object) -> str:
    """The SHA-256 (hex) of ``parts`` in the canonical encoding described in the module."""
    sha = hashlib.sha256()
    write = sha.update
    for part in parts:
        _encode(part, write)
    return sha.hexdigest()


def file_digest(path: Path | str) -> str:
    """The SHA-256 (hex) of a file's bytes; read again only when the file (device and inode: the
    path as given, not resolved, since a replate asks for each page's fonts and photos ~1,700 times
    and resolving took a tenth of a second), its size or its mtime changed."""
    name = os.fspath(path)
    stat = os.stat(name)
    return _file_digest(name, stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_dev)


def forget_file_digests() -> None:
    """Read every file again at its next :func:`file_digest`: a file rewritten in place, to the same
    size, within its file system's mtime resolution (a second or two on some network shares) keeps
    its time and size. ``epaper watch --poll``, one process for a night, does it before each look."""
    _file_digest.cache_clear()


@lru_cache(maxsize=4096)
def _file_digest(path: str, _mtime_ns: int, _size: int, _inode: int, _device: int) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


# The libraries whose release can change what a build makes from the same inputs: shaping and line
# widths, drawing, rasterizing, encoding, hyphenation, CLDR dates, transliterated ids.
_LIBRARIES = ("reportlab", "rl_accel", "uharfbuzz", "pyphen", "pypdfium2", "pillow", "pikepdf", "numpy",
              "jinja2", "babel", "indic-transliteration", "markdown-it-py", "regex", "pyyaml")


@cache
def code_fingerprint() -> str:
    """A digest of the code that makes every cached result: epaper's source files (Python,
    templates, the viewer's static files), ``layouts/`` (formats, templates, styles, the print
    profile), ``fonts/`` (what every line was measured with) and the versions of the libraries
    that shape, draw, rasterize and encode. Read once per process (every command reads it: a
    replate's ~25 ms now, was ~45 with pathlib's glob and a metadata file parsed per library)."""
    roots = [_PACKAGE] + [folder for folder in _DATA if folder.is_dir()]
    return digest_of(*((relative, Path(path)) for relative, path in _code_files(roots)),
                     tuple((name, _version(name)) for name in _LIBRARIES), sys.version)


def _code_files(roots: Iterable[Path]) -> list[tuple[str, str]]:
    """(path relative to the checkout or the installed package's parent, path) of every file below
    ``roots`` but compiled bytecode, sorted."""
    top = len(str(_PACKAGE.parent)) + 1
    found = []
    for root in roots:
        for parent, folders, names in os.walk(root):
            folders[:] = [name for name in folders if name != "__pycache__"]
            found += [os.path.join(parent, name) for name in names if not name.endswith(".pyc")]
    return sorted((path[top:].replace(os.sep, "/"), path) for path in found)


def _version(distribution: str) -> str:
    """The installed version of ``distribution``: from the name of its ``name-version.dist-info``
    folder (what an installer writes, PEP 427/491), else from its metadata."""
    version = _dist_info_versions().get(_normal(distribution))
    if version:
        return version
    from importlib import metadata  # (rarely: importing it took ~15 ms of every command)

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


@cache
def _dist_info_versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # not a folder (a zip), or gone
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, version = name.removesuffix(".dist-info").partition("-")
                found.setdefault(_normal(project), version)  # the first on the path is imported
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --- the canonical encoding -------------------------------------------------------------------
# One tag byte per value, then its content; sequences and mappings give their length, strings
# their byte length, so no two different values encode alike.

def _encode(value: Any, write: Callable[[bytes], object]) -> None:
    encoder = _ENCODERS.get(type(value))
    if encoder is not None:
        encoder(value, write)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        _encode_dataclass(value, write)
    elif isinstance(value, tuple):  # a NamedTuple: its class, then its items
        write(b"n")
        _str(type(value).__qualname__, write)
        _encode(tuple(value), write)
    elif isinstance(value, Path):
        write(b"P")
        write(file_digest(value).encode("ascii"))
    elif isinstance(value, enum.Enum):
        write(b"E")
        _str(type(value).__qualname__, write)
        _encode(value.value, write)
    elif isinstance(value, (dt.date, dt.datetime, dt.time)):
        write(b"D")
        _str(value.isoformat(), write)
    else:
        raise TypeError(f"cannot digest a {type(value).__qualname__}: give a stage's key only data "
                        "(dataclasses, tuples, mappings, strings, numbers, paths of input files)")


def _str(value: str, write: Callable[[bytes], object]) -> None:
    data = value.encode("utf-8")
    write(b"s%d:" % len(data))
    write(data)


def _bytes(value: bytes, write: Callable[[bytes], object]) -> None:
    write(b"b%d:" % len(value))
    write(value)


def _sequence(tag: bytes) -> Callable[[Iterable, Callable[[bytes], object]], None]:
    def encode(values, write):  # type: ignore[no-untyped-def]
        items = list(values)
        write(tag + b"%d:" % len(items))
        for item in items:
            _encode(item, write)
    return encode


def _mapping(value: dict, write: Callable[[bytes], object]) -> None:
    encoded = sorted((digest_of(k), k, v) for k, v in value.items())
    write(b"m%d:" % len(encoded))
    for _, key, item in encoded:
        _encode(key, write)
        _encode(item, write)


def _unordered(value: set | frozenset, write: Callable[[bytes], object]) -> None:
    items = sorted(digest_of(item) for item in value)
    write(b"u%d:" % len(items))
    for item in items:
        write(item.encode("ascii"))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


_PLAIN: dict[type, bool] = {}
_PRIMITIVES = (str, int, float, bool, type(None))


def _plain(cls: type) -> bool:
    """Whether every field of the dataclass ``cls`` is, by its annotation, a string, number, bool,
    None, a tuple of those, or a plain dataclass: then ``repr`` is already canonical (floats by their
    shortest round-trip form, strings quoted, no mapping whose order could vary, no path)."""
    known = _PLAIN.get(cls)
    if known is None:
        _PLAIN[cls] = False  # a class that contains itself is not plain
        try:
            hints = typing.get_type_hints(cls)
            known = all(_plain_type(hints[name]) for name in _field_names(cls))
        except Exception:  # noqa: BLE001 - annotations that do not resolve: encode field by field
            known = False
        _PLAIN[cls] = known
    return known


def _plain_type(hint: Any) -> bool:
    if hint in _PRIMITIVES:
        return True
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return all(_plain_type(arg) for arg in typing.get_args(hint))
    if origin is tuple:
        return all(arg is Ellipsis or _plain_type(arg) for arg in typing.get_args(hint))
    return isinstance(hint, type) and dataclasses.is_dataclass(hint) and _plain(hint)


def _encode_dataclass(value: Any, write: Callable[[bytes], object]) -> None:
    cls = type(value)
    if _plain(cls):
        # The page frames' items (thousands a page) take this path: one repr in C and generated
        # code instead of an encoder call per field, about twice as fast.
        text = repr(value).encode("utf-8", "surrogatepass")
        write(b"r%d:" % len(text))
        write(text)
        return
    names = _field_names(cls)
    write(b"c")
    _str(cls.__qualname__, write)
    write(b"%d:" % len(names))
    for name in names:
        _encode(getattr(value, name), write)


_Encoder = Callable[[Any, Callable[[bytes], object]], object]
_ENCODERS: dict[type, _Encoder] = {
    type(None): lambda v, w: w(b"N"),
    bool: lambda v, w: w(b"T" if v else b"F"),
    int: lambda v, w: w(b"i%d;" % v),
    float: lambda v, w: w(b"f" + repr(v).encode("ascii") + b";"),
    str: _str,
    bytes: _bytes,
    tuple: _sequence(b"t"),
    list: _sequence(b"t"),  # a list and a tuple of the same items are the same input
    dict: _mapping,
    set: _unordered,
    frozenset: _unordered,
}
