"""Where the raster's files go: a folder, or (for a page's products) straight into the build cache.

A page makes about 80 files in about 250 folders (the IIIF tile URLs, :mod:`epaper.raster.tiles`).
Made in a scratch folder and moved into the store, those folders cost more than encoding the tiles:
on this machine's ext4 a folder made and removed again costs ~1.5 ms, 0.4 s a page. A
:class:`Sink` takes each file as bytes under its path relative to the edition folder, so the
store's sink (:class:`epaper.products.StoreSink`) makes no folders at all; :class:`FolderSink`
writes them below a folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Protocol

__all__ = ["FolderSink", "Sink"]


class Sink(Protocol):
    def write(self, relative: str, data: bytes) -> None:
        """The file ``relative`` (a POSIX path below the edition folder) holds ``data``."""
        ...

    def alias(self, relative: str, existing: str) -> None:
        """The file ``relative`` holds the same bytes as ``existing``, written before."""
        ...


class FolderSink:
    """Files below ``root``, each folder made with one ``mkdir`` the first time it is needed."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._known: set[str] = set()

    def _folder_of(self, relative: str) -> str:
        parent, _, _ = relative.rpartition("/")
        path = str(self.root)
        for part in parent.split("/") if parent else ():
            path = f"{path}/{part}"
            if path not in self._known:
                # Path.mkdir(parents=True) first fails on the missing leaf and walks up: a page's
                # ~250 tile folders cost more that way than encoding the tiles.
                try:
                    os.mkdir(path)
                except FileExistsError:
                    pass
                self._known.add(path)
        return path

    def write(self, relative: str, data: bytes) -> None:
        self._folder_of(relative)
        with open(self.root / relative, "wb") as out:
            out.write(data)

    def alias(self, relative: str, existing: str) -> None:
        self._folder_of(relative)
        try:
            os.link(self.root / existing, self.root / relative)
        except OSError:
            shutil.copyfile(self.root / existing, self.root / relative)
