"""``epaper rebase OUT_DIR URL``: move a finished build to another host without rendering anything again.

Every IIIF id is absolute (see :mod:`epaper.urls`), so a build served from a new address needs new
ids. They all start with the base URL the output root was built for: the collection's own id and
each edition's manifest id say which (editions built at different times may differ). Every JSON file
under the output root is read, each string that starts with one of those old bases is given the new
one, and a changed file replaces the old one atomically. Files whose ids already match are left
untouched, so a rebase to the same URL changes nothing. An edition's ``version.json`` built for the
default address is given the new base too (a replate builds for the base it names).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from epaper.publish.build_lock import output_lock
from epaper.publish.output import remove_partial_files, write_text_atomically
from epaper.publish.versions import VERSION_FILE, VERSIONS_DIR
from epaper.web.compress import compress_beside
from epaper.urls import root_url

__all__ = ["RebaseError", "RebaseResult", "rebase_output"]


class RebaseError(Exception):
    """The folder is not an output root epaper built (the message says what to pass instead)."""


@dataclass(frozen=True)
class RebaseResult:
    new_base: str
    old_bases: tuple[str, ...]
    files_changed: int
    ids_changed: int


def _load(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def _document_id(path: Path) -> object:
    """The top-level ``id`` of a JSON document (None when the document is not an object)."""
    document = _load(path)
    return document.get("id", "") if isinstance(document, dict) else None


def _old_bases(out_root: Path) -> set[str]:
    """The base URLs the root's collection and each edition's manifest (and each kept version's)
    were written for."""
    bases: set[str] = set()
    collection = out_root / "collection.json"
    if collection.is_file():
        document_id = _document_id(collection)
        if isinstance(document_id, str) and document_id.endswith("/collection.json"):
            bases.add(document_id[: -len("collection.json")])
    # Each edition's, and each version a replated edition keeps (built, perhaps, for a base no
    # edition has now: a build given another --base-url moves only the new version).
    for manifest in sorted([*out_root.glob("*/manifest.json"), *out_root.glob(f"*/{VERSIONS_DIR}/*/manifest.json")]):
        suffix = "/" + manifest.relative_to(out_root).as_posix()
        document_id = _document_id(manifest)
        if isinstance(document_id, str) and document_id.endswith(suffix):
            bases.add(document_id[: -len(suffix) + 1])
    return {base for base in bases if "://" in base}


def _rewrite(value: object, bases: list[str], new_base: str, count: list[int]) -> object:
    if isinstance(value, str):
        for old in bases:
            if value.startswith(old):
                rebased = new_base + value[len(old):]
                count[0] += rebased != value
                return rebased
        return value
    if isinstance(value, list):
        return [_rewrite(item, bases, new_base, count) for item in value]
    if isinstance(value, dict):
        return {key: _rewrite(item, bases, new_base, count) for key, item in value.items()}
    return value


def _json_files(out_root: Path) -> Iterator[Path]:
    for path in sorted(out_root.rglob("*.json")):
        # Never follow a link out of the folder, and skip the hidden staging folders of a build running now.
        if path.is_symlink() or any(part.startswith(".") for part in path.relative_to(out_root).parts):
            continue
        yield path


def rebase_output(out_root: Path, new_base: str) -> RebaseResult:
    """Rewrite the ids of every edition under ``out_root`` (and its collections) to start with ``new_base``.

    Raises :class:`RebaseError` when ``out_root`` holds no build epaper wrote.
    """
    out_root = Path(out_root)
    new_base = root_url(new_base)
    if not out_root.is_dir():
        raise RebaseError(f"{out_root}: no such folder (pass the output folder a build wrote, e.g. output/)")
    if (out_root / "manifest.json").is_file() and not (out_root / "collection.json").is_file():
        raise RebaseError(f"{out_root} is one edition's folder: pass the output folder that holds it "
                          f"({out_root.parent}), which is what gets served")
    try:
        bases = _old_bases(out_root)
    except (OSError, ValueError, AttributeError) as error:
        raise RebaseError(f"{out_root}: cannot read its collection or manifests ({error}); build again") from error
    if not bases:
        raise RebaseError(f"{out_root}: no edition with absolute IIIF ids found (build one with epaper build "
                          f"EDITION_DIR --out {out_root})")
    ordered = sorted(bases, key=len, reverse=True)  # the longest first, should one base hold another
    files = ids = 0
    with output_lock(out_root):  # no build writes the archive or an edition meanwhile
        for path in _json_files(out_root):
            try:
                document = _load(path)
            except (OSError, ValueError):
                continue  # not a JSON document epaper wrote: leave it alone
            count = [0]
            rewritten = _rewrite(document, ordered, new_base, count)
            if path.name == VERSION_FILE and isinstance(rewritten, dict) and rewritten.get("base_url") is None \
                    and root_url(None) in bases:
                # Built for the default address: the edition's ids moved, and a replate (which builds
                # for the base its version.json names) and a replate's kept version must follow them.
                rewritten = {**rewritten, "base_url": new_base}
            if rewritten != document:
                remove_partial_files(path.parent)  # what a killed rebase left here
                write_text_atomically(path, json.dumps(rewritten, ensure_ascii=False, indent=1))
                if path.with_name(path.name + ".gz").exists():
                    compress_beside(path)  # a host serving the .gz copy must see the new ids too
                files += 1
                ids += count[0]
    return RebaseResult(new_base=new_base, old_bases=tuple(sorted(bases)), files_changed=files, ids_changed=ids)
