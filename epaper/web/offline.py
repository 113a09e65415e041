"""Reading offline: what "Save edition" stores, how much it weighs, and the service worker that serves it.

The saved set is what a reader needs in airplane mode: the viewer (``index.html`` and its static
files), every page image and thumbnail, every text view with its photos, and the search index.
Deep-zoom tiles are left out on purpose (they are 3-4 times the page images); offline, the viewer
shows the page image instead. ``sw.js`` is written per build with a version made from the bytes of
every saved file, so a rebuild or a replate changes the worker, the browser installs it, and it
re-saves the new files under the new version and drops the old cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from epaper.publish.output import write_text_atomically


__all__ = ["OFFLINE_BUDGET_PER_PAGE", "OfflineSet", "offline_budget", "offline_bytes", "offline_set",
           "write_service_worker"]

# Stated budget: 25 MB for a 24-page edition (page images, thumbnails, text views, photos, index).
OFFLINE_BUDGET_PER_PAGE = 25_000_000 / 24

# Folders and files of the edition folder that the saved copy holds (relative, POSIX).
_WORKER = Path(__file__).resolve().parent / "templates" / "sw.js"
_FOLDERS = ("images", "thumbs", "articles", "photos", "static")
_FILES = ("index.html", "search.js")
# Not needed offline: OpenSeadragon's navigation button images (its own buttons are hidden) and
# precompressed copies (the browser stores what the server sent).
_SKIP_SUFFIXES = (".gz", ".br", ".png", ".txt")


@dataclass(frozen=True)
class OfflineSet:
    files: tuple[str, ...]  # relative to the edition folder, POSIX, sorted
    bytes: int
    version: str  # digest of the files' paths and bytes: changes with any change to a saved file
    digests: tuple[str, ...] = ()  # of each file's bytes (16 hex), as ``files``: a re-save keeps the same ones


def offline_budget(pages: int) -> int:
    return round(OFFLINE_BUDGET_PER_PAGE * pages)


def _offline_files(out_dir: Path) -> list[str]:
    """The saved set's files in ``out_dir``: relative, POSIX, sorted."""
    paths: list[Path] = [out_dir / name for name in _FILES if (out_dir / name).is_file()]
    for folder in _FOLDERS:
        paths.extend(p for p in (out_dir / folder).rglob("*") if p.is_file() and not p.name.startswith("."))
    paths = [p for p in paths if not p.name.endswith(_SKIP_SUFFIXES)]
    return sorted(p.relative_to(out_dir).as_posix() for p in paths)


def offline_bytes(out_dir: Path) -> int:
    """What the saved set in ``out_dir`` weighs, from the files' sizes (none is read)."""
    out_dir = Path(out_dir)
    return sum(os.stat(out_dir / name).st_size for name in _offline_files(out_dir))


def offline_set(out_dir: Path, *, known: Mapping[str, str] | None = None) -> OfflineSet:
    """Measure the saved set as it is on disk in ``out_dir`` (call it after everything is written).
    ``known``: the SHA-256 (hex) of files by their relative path, where the caller has it (the
    pages' images and thumbnails, objects of the build cache named by it): those are not read."""
    out_dir = Path(out_dir)
    known = known or {}
    rel = _offline_files(out_dir)
    digest = hashlib.sha256()
    total = 0
    each = []
    for name in rel:
        if name in known:
            total += os.stat(out_dir / name).st_size
            sha = bytes.fromhex(known[name])
        else:
            data = (out_dir / name).read_bytes()
            total += len(data)
            sha = hashlib.sha256(data).digest()
        digest.update(name.encode("utf-8") + b"\0" + sha)
        each.append(sha.hex()[:16])
    return OfflineSet(files=tuple(rel), bytes=total, version=digest.hexdigest()[:16], digests=tuple(each))


def write_service_worker(out_dir: Path, edition_id: str, *, known: Mapping[str, str] | None = None) -> OfflineSet:
    """Write ``sw.js`` for the edition as it now is on disk; return the saved set it names
    (``known``: files' digests the caller has, see :func:`offline_set`)."""
    saved = offline_set(out_dir, known=known)
    digests = dict(zip(saved.files, saved.digests))
    # [file, digest] pairs; "./" is index.html as the folder's address.
    files = [["./", digests.get("index.html", "")], *([name, digests[name]] for name in saved.files)]
    config = {"prefix": f"epaper:{edition_id}:", "version": saved.version, "files": files}
    # The worker's code is fixed (templates/sw.js); only its first line, the configuration, is per build.
    code = _WORKER.read_text(encoding="utf-8")
    line = "var CONFIG = " + json.dumps(config, ensure_ascii=False, separators=(",", ":")) + ";\n"
    # Replaced, not written over: a published edition's files are hard links (to the build
    # cache's objects, to a kept version's), and a test's copy made of links wrote into the original.
    write_text_atomically(Path(out_dir) / "sw.js", line + code)
    return saved
