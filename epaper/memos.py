"""The build's memos on the output root's store (:mod:`epaper.cache`) for stages that take a hook:
each article file's reading, layout's sections and pages, the text views' photo copies and the ``.gz``
copies of the edition's text files. Each is keyed by :func:`digest_of` over
the code's fingerprint and what the result is made from, and counts what it reused."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from epaper.cache import Store, code_fingerprint, digest_of
from epaper.ingest.articles import ArticleRead
from epaper.ingest.manifest import Manifest
from epaper.ingest.problems import ProblemLog
from epaper.typeset import BodySpec, TextBlock
from epaper.web.photos import ExportedPhoto

__all__ = ["StoredArticles", "StoredPacks", "StoredPhotos", "StoredSections"]


class StoredArticles:
    """Ingest's article memo (:class:`epaper.ingest.edition.ArticleMemo`) on the store. An article
    is keyed by its file (name, place and bytes), the manifest, and ``context``: the digest of the
    edition folder's other files (the photos an article names are checked when it is read).
    What is read is kept in memory until :meth:`remember` (the output folder may not exist yet)."""

    STAGE = "ingest-article"

    def __init__(self, store: Store, context: str) -> None:
        self.store = store
        self.context = context
        self._made: list[tuple[str, tuple[ArticleRead, ProblemLog]]] = []
        self._manifest: tuple[Manifest, str] | None = None  # the manifest every article is read with, digested

    def _manifest_digest(self, manifest: Manifest) -> str:
        # One manifest for the edition's every article; it holds the whole format (styles, tiers):
        # digested once, not once an article.
        if self._manifest is None or self._manifest[0] is not manifest:
            self._manifest = (manifest, digest_of(manifest))
        return self._manifest[1]

    def __call__(self, path: Path, manifest: Manifest,
                 read: Callable[[ProblemLog], ArticleRead]) -> tuple[ArticleRead, ProblemLog]:
        key = digest_of(self.STAGE, code_fingerprint(), self.context, path.name, os.path.realpath(path), path,
                        self._manifest_digest(manifest))
        found = self.store.read_memo(self.STAGE, key)
        if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], ArticleRead):
            return found
        log = ProblemLog()
        made = (read(log), log)
        self._made.append((key, made))
        return made

    def remember(self) -> None:
        """Keep what was read for the next build (call once the output folder takes files)."""
        for key, made in self._made:
            self.store.write_memo(self.STAGE, key, made)
        self._made.clear()


class StoredSections:
    """Layout's memo (:class:`epaper.layout.LayoutMemo`) on the store: each section's plans, each
    page's composition and each story's body as set; counts the sections it reused.

    ``kept`` (one dict for the editions of a night) holds what this process made or read, by
    stage and key: a zone's inherited sections and pages are then the main edition's very objects
    (frozen), not read and unpickled from the store again — ~45 ms a page — and a page the same in
    two editions is one object (digested once, compared at once: :mod:`epaper.night.layout`)."""

    STAGE = "layout-section"
    PAGE_STAGE = "layout-page"
    BODY_STAGE = "typeset-body"  # an article's body set, by what it is set from (its text and styles)

    def __init__(self, store: Store, kept: dict[tuple[str, str], Any] | None = None, *,
                 written_aside: bool = False) -> None:
        self.store = store
        self.written_aside = written_aside  # what is made is written by write_aside, not at once
        self.reused: dict[str, None] = {}
        self.made: dict[str, None] = {}
        self._kept = kept if kept is not None else {}
        self._used: set[tuple[str, str]] = set()
        self._unwritten: list[tuple[str, str, Any]] = []  # made here, for write_aside

    def _read(self, stage: str, key: str) -> Any | None:
        self._used.add((stage, key))
        found = self._kept.get((stage, key))
        if found is None:
            found = self.store.read_memo(stage, key)
            if found is not None:
                self._kept[stage, key] = found
        return found

    def _write(self, stage: str, key: str, value: Any) -> None:
        if self.written_aside:
            self._unwritten.append((stage, key, value))
        else:
            self.store.write_memo(stage, key, value)
        self._kept[stage, key] = value
        self._used.add((stage, key))

    def write_aside(self) -> None:
        """Write what was made since into the store (``written_aside``), by a child process
        (:meth:`Store.write_memos_aside`): pickling and writing a replate's section and pages took
        ~35 ms of its critical path."""
        unwritten, self._unwritten = self._unwritten, []
        self.store.write_memos_aside(unwritten)

    def keep_only_used(self, *others: StoredSections) -> None:
        """Let go of what ``kept`` holds that neither this memo nor ``others`` sharing it (the other
        editions of a night) read or made: a process that keeps it from build to build (``epaper
        watch``) then holds one build's layout, not every one's."""
        used = self._used.union(*(other._used for other in others))
        for entry in [entry for entry in self._kept if entry not in used]:
            del self._kept[entry]

    def peek(self, section: str, key: str, accept: Callable[[Any], bool]) -> Any | None:
        found = self._read(self.STAGE, digest_of(self.STAGE, code_fingerprint(), key))
        if found is None or not accept(found):
            return None
        self.reused[section] = None
        return found

    def __call__(self, section: str, key: str, make: Callable[[], Any]) -> Any:
        stored = digest_of(self.STAGE, code_fingerprint(), key)
        found = self._read(self.STAGE, stored)
        if found is not None:
            self.reused[section] = None
            return found
        made = make()
        self._write(self.STAGE, stored, made)
        self.made[section] = None
        return made

    def _body_key(self, spec: BodySpec) -> str:
        return digest_of(self.BODY_STAGE, code_fingerprint(), spec.inputs)

    def bodies(self, specs: Sequence[BodySpec]) -> tuple[TextBlock, ...]:
        found = (self._read(self.BODY_STAGE, self._body_key(spec)) for spec in specs)
        return tuple(block for block in found if isinstance(block, TextBlock))

    def keep_bodies(self, blocks: Sequence[TextBlock]) -> None:
        for block in blocks:
            if block.spec is not None:
                self._write(self.BODY_STAGE, self._body_key(block.spec), block)

    def page(self, key: str, make: Callable[[], Any]) -> Any:
        stored = digest_of(self.PAGE_STAGE, code_fingerprint(), key)
        found = self._read(self.PAGE_STAGE, stored)
        if found is not None:
            return found
        made = make()
        self._write(self.PAGE_STAGE, stored, made)
        return made


class StoredPhotos:
    """The text views' photo copies (:class:`epaper.web.photos.PhotoReuse`) on the store, by the
    source photo's bytes: an object of the store, linked into the edition, with its size."""

    STAGE = "text-view-photo"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reused = 0

    def _key(self, source: Path) -> str:
        return digest_of(self.STAGE, code_fingerprint(), Path(source))  # a Path is digested by its bytes

    def reuse(self, source: Path, target: Path) -> ExportedPhoto | None:
        found = self.store.read_memo(self.STAGE, self._key(source))
        if not (isinstance(found, tuple) and len(found) == 3 and self.store.intact(found[0])):
            return None
        digest, width, height = found
        self.store.link(digest, target)
        self.reused += 1
        return ExportedPhoto(target, width, height)

    def remember(self, source: Path, exported: ExportedPhoto) -> None:
        digest = self.store.adopt(exported.path)
        self.store.write_memo(self.STAGE, self._key(source), (digest, exported.width, exported.height))


class StoredPacks:
    """The ``.gz`` copies of text files (:class:`epaper.web.compress.PackedReuse`) on the store, by
    the bytes they pack: an object of the store, linked (through a replace) where it is wanted."""

    STAGE = "gzip"

    def __init__(self, store: Store) -> None:
        self.store = store

    def _key(self, data: bytes) -> str:
        return digest_of(self.STAGE, code_fingerprint(), hashlib.sha256(data).hexdigest())

    def reuse(self, data: bytes, target: Path) -> bool:
        digest = self.store.read_memo(self.STAGE, self._key(data))
        if not (isinstance(digest, str) and self.store.intact(digest)):
            return False
        self.store.link_over(digest, target)
        return True

    def remember(self, data: bytes, target: Path) -> None:
        self.store.write_memo(self.STAGE, self._key(data), self.store.adopt(target))
