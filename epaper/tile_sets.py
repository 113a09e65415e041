"""A page's zoom tiles, published once for every edition and version in an output folder.

A page's IIIF tiles (about 80 images in 250 folders: the Image API's static layout) are made from its
frame alone (:mod:`epaper.products`). Linked into each edition folder as its PDFs are, they cost
thousands of links and folders for every version a replate published, every zone edition printing
the page and every build that changed one story: about 2,000 tiles in 5,800 folders for a 24-page
edition, a quarter of a replate's CPU, and 86,000 folders in an edition replated 14 times. So each
page's set is published once, in ``OUT/tiles/<name>/``, the name a digest of what the set is (its
tiles' bytes, its ``info.json``, the URL the output is served at, which that ``info.json``'s id
names). Every edition and kept version names it: the image service's id in its manifest, and
``../tiles/<name>`` in its viewer. A replate publishes the set of the page it makes again and nothing
for the pages it keeps; an edition folder holds no tiles.

A set appears whole or not at all (made in a hidden folder beside, then renamed), so a name that
is there is a set to trust. A set that no published manifest names any more goes with the output
folder's garbage (:func:`collect_tile_sets`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from epaper.cache import Store, digest_of
from epaper.cache.file_facts import FileFacts
from epaper.cache.store import STORE_DIR, ChildWork
from epaper.products import PageProducts, tile_files
from epaper.publish.output import exchange, write_text_atomically
from epaper.publish.versions import VERSIONS_DIR
from epaper.urls import TILE_SET_NAME_LENGTH, TILE_SETS_DIR

__all__ = ["TileSets", "collect_tile_sets", "tile_set_name", "tile_set_of", "tile_sets_named",
           "tile_sets_named_by_edition", "tile_sets_published"]

_BUILDING = ".building"  # a set being made: OUT/tiles/.<name>.building/
_OLD = ".old"  # a damaged set being replaced where folders cannot be swapped: OUT/tiles/.<name>.old/
_FACTS_STAGE = "tile-set-names"  # what each manifest in the output folder names (epaper.cache.file_facts)
_NAMED = re.compile(rb"/" + TILE_SETS_DIR.encode() + rb"/([0-9a-f]{%d})\"" % TILE_SET_NAME_LENGTH)  # in a manifest


def _set_files(products: PageProducts) -> list[tuple[str, str]]:
    """The page's tile images by their path in its set (``0,0,512,512/512,512/0/default.jpg``)."""
    top = len(products.raster.tiles) + 1
    return [(relative[top:], digest) for relative, digest in tile_files(products)]


def tile_set_name(products: PageProducts, root: str) -> str:
    """The name of the page's tile set in an output folder served at ``root`` (its URL)."""
    return digest_of("tile-set", root, products.tile_info, tuple(_set_files(products)))[:TILE_SET_NAME_LENGTH]


def _info_text(products: PageProducts, root: str, name: str) -> str:
    """The ``info.json`` of the set ``name``: its id is the set's address (IIIF viewers need an
    absolute one)."""
    info = json.loads(products.tile_info)
    return json.dumps({"@context": info.pop("@context"), "id": f"{root}{TILE_SETS_DIR}/{name}", **info}, indent=1)


class TileSets:
    """The tile sets of an edition's pages, being published (:func:`tile_sets_published`)."""

    def __init__(self, names: Mapping[int, str], made: ChildWork | None) -> None:
        self.names = dict(names)  # page number -> the name of its set
        self._made = made

    def href(self, number: int) -> str:
        """Where page ``number``'s set is from an edition's folder (``OUT/<id>/``): a relative URL."""
        return f"../{TILE_SETS_DIR}/{self.names[number]}"

    def finish(self) -> None:
        """Wait until every set is published (made here if the child failed): before an edition that
        names them is."""
        if self._made is not None:
            self._made.finish()


@contextmanager
def tile_sets_published(products: Sequence[PageProducts], store: Store, out_root: Path, root: str) -> Iterator[TileSets]:
    """Publish the tile set of each page of ``products`` that the output folder ``out_root`` (served
    at ``root``) has not, or has with a tile missing: by a child process while the block runs (the
    links and folders are system calls on the other core); the block calls :meth:`TileSets.finish`
    before it publishes an edition naming them, and the block's end waits for them. A set's
    ``info.json`` is never written again: one that ``epaper rebase`` moved to another URL stays
    as the editions that name it were moved."""
    sets = Path(out_root) / TILE_SETS_DIR
    names = {page.number: tile_set_name(page, root) for page in products}
    new: dict[str, PageProducts] = {}
    for page in products:
        name = names[page.number]
        if name not in new and not ((sets / name / "info.json").is_file() and _tiles_linked(sets / name, page, store)):
            new[name] = page  # not published, or a tile of it deleted or replaced since: made (again)
    if not new:
        yield TileSets(names, None)
        return
    sets.mkdir(exist_ok=True)
    made = ChildWork(lambda: _make(new, store, sets, root), again=lambda: _make(new, store, sets, root))
    try:
        yield TileSets(names, made)
    except BaseException:
        made.wait()
        raise
    made.finish()


def _tiles_linked(folder: Path, page: PageProducts, store: Store) -> bool:
    """Whether every tile of the page is in the set ``folder`` as made, so that a set someone took a
    tile from is made again: each tile's size and modification time are its object's when the page
    was made (a hard link is the same file). One stat a tile, by its path as a string: comparing
    each with its object (two stats, through pathlib) took ~40 ms of every replate."""
    if len(page.stamps) != len(page.files):  # (a record without them: each compared with its object)
        return all(store.linked(folder / relative, digest) for relative, digest in _set_files(page))
    stamps = {digest: stamp for (_, digest), stamp in zip(page.files, page.stamps)}  # each object's
    base = os.fspath(folder) + os.sep
    for relative, digest in _set_files(page):
        try:
            seen = os.stat(base + relative)
        except OSError:
            return False
        if (seen.st_size, seen.st_mtime_ns) != stamps[digest]:
            return False
    return True


def _make(new: dict[str, PageProducts], store: Store, sets: Path, root: str) -> None:
    """Make each set of ``new`` (by name) in a hidden folder, then move it into place (swapped for a
    damaged one there). Done again after a try cut off part way (the child failed), it makes the
    sets that try did not publish, from the start."""
    for name, page in new.items():
        final, building, old = sets / name, sets / f".{name}{_BUILDING}", sets / f".{name}{_OLD}"
        shutil.rmtree(building, ignore_errors=True)  # what a try cut off left
        if (final / "info.json").is_file() and _tiles_linked(final, page, store):
            continue  # published by the try before
        building.mkdir()
        store.link_all(_set_files(page), building)
        write_text_atomically(building / "info.json", _info_text(page, root, name))
        if final.is_dir() and exchange(building, final):  # a damaged set: the new one in its place at once
            shutil.rmtree(building)
            continue
        if final.is_dir():  # (where folders cannot be swapped: set aside first, so never none there)
            shutil.rmtree(old, ignore_errors=True)
            os.rename(final, old)
        os.rename(building, final)
        shutil.rmtree(old, ignore_errors=True)


def tile_sets_named(folder: Path) -> tuple[str, ...]:
    """The names of the tile sets that the manifest of the edition (or kept version) in ``folder``
    names, in its pages' order; none if it has no manifest (a folder a build left half-written)."""
    return _names_in(folder / "manifest.json")


def _names_in(manifest: Path) -> tuple[str, ...]:
    try:
        return tuple(match.decode("ascii") for match in _NAMED.findall(manifest.read_bytes()))
    except OSError:
        return ()


def tile_set_of(folder: Path, number: int) -> Path:
    """The folder of page ``number``'s tiles, for the edition published in ``folder`` (``OUT/<id>/``)
    or a version it keeps (``OUT/<id>/versions/<n>/``). Raises LookupError if its manifest names none."""
    names = tile_sets_named(folder)
    if not 0 < number <= len(names):
        raise LookupError(f"{folder / 'manifest.json'}: no tile set of page {number}")
    out_root = folder.parent.parent.parent if folder.parent.name == VERSIONS_DIR else folder.parent
    return out_root / TILE_SETS_DIR / names[number - 1]


def _named_sets(facts: FileFacts) -> set[str]:
    """The tile sets that a manifest in the output folder names: every edition's and every version
    kept, and those of folders a build left beside an edition (a version swapped out and not filed
    yet). Each manifest is read once, then again only when it is another file (``facts``): a desk's
    folder holds a month of editions (1,800 manifests took ~0.4 s of every build)."""
    named: set[str] = set()
    for entry in os.scandir(facts.root):
        if entry.is_dir(follow_symlinks=False) and entry.name not in (TILE_SETS_DIR, STORE_DIR):
            named.update(facts.read(f"{entry.name}/manifest.json", _names_in))
            for number in _kept_versions(entry.path):
                named.update(facts.read(f"{entry.name}/{VERSIONS_DIR}/{number}/manifest.json", _names_in))
    return named


def tile_sets_named_by_edition(folder: Path) -> set[str]:
    """The tile sets that the edition in ``folder`` and the versions it keeps name."""
    named = set(tile_sets_named(folder))
    for number in _kept_versions(os.fspath(folder)):
        named.update(tile_sets_named(folder / VERSIONS_DIR / number))
    return named


def _kept_versions(folder: str) -> list[str]:
    """The folders in the edition folder's ``versions/`` (none for most editions)."""
    try:
        return [kept.name for kept in os.scandir(os.path.join(folder, VERSIONS_DIR)) if kept.is_dir()]
    except OSError:
        return []


def collect_tile_sets(out_root: Path, store: Store) -> int:
    """Let go of the tile sets in ``out_root`` that no manifest names (and what a killed build left
    of one): into the store's trash, deleted by a process of its own. Return how many. Call with the
    output folder's lock held, after publishing. Their tiles are the store's garbage once the trash
    is emptied (:meth:`Store.collect_garbage` of this build, after :func:`settle_discards`, or of
    the next). Every manifest of the output folder is read (~0.1 MB a 24-page edition's), or what it
    named is remembered."""
    sets = Path(out_root) / TILE_SETS_DIR
    if not sets.is_dir():
        return 0
    facts = FileFacts(Path(out_root), _FACTS_STAGE)
    named = _named_sets(facts)
    facts.save()
    unnamed = [sets / name for name in os.listdir(sets) if name not in named]
    store.discard(*unnamed)
    return len(unnamed)
