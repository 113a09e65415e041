"""Archive formats: ALTO 4.4 per page (``alto/NNN.xml``) and METS 1.12 per edition (``mets.xml``).

Born-digital, exact text: every word of every article, headline, byline and caption with the box it
was printed in, read from the page frames (what the PDF draws), never from OCR. The edition model
gives only each article's language and its catalogue data (headline, byline, section) for METS.

:func:`write_alto_mets` writes both into an edition folder; METS lists the other files the folder
already holds (page images, thumbnails, reader and print PDFs), so it is written last.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from epaper.archive.alto import alto_document
from epaper.archive.files import ALTO, PAGE_FILES, READER_PDF
from epaper.archive.mets import mets_document
from epaper.archive.text import PageText, page_texts
from epaper.frame import Page
from epaper.model import Edition

__all__ = ["ArchiveFiles", "METS_FILE", "PAGE_FILES", "page_texts", "write_alto", "write_alto_mets", "write_mets"]

METS_FILE = "mets.xml"


@dataclass(frozen=True)
class ArchiveFiles:
    alto: tuple[Path, ...]
    mets: Path


def _write(tree: ET.ElementTree, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def write_alto(texts: Sequence[PageText], out_dir: Path) -> tuple[Path, ...]:
    paths = []
    for page in texts:
        path = out_dir / ALTO.path(page.number)
        _write(alto_document(page, source=READER_PDF.path(page.number)), path)
        paths.append(path)
    return tuple(paths)


def write_mets(edition: Edition, texts: Sequence[PageText], out_dir: Path, *,
               known: Mapping[str, str] | None = None, version: tuple[int, str] | None = None) -> Path:
    """``mets.xml`` into ``out_dir``; ``known``: files' SHA-256 the caller has, ``version``: the
    replate's (see :func:`mets_document`)."""
    path = out_dir / METS_FILE
    _write(mets_document(edition, texts, out_dir, known=known, version=version), path)
    return path


def write_alto_mets(edition: Edition, pages: Sequence[Page], out_dir: Path) -> ArchiveFiles:
    """Write ``alto/NNN.xml`` for each page and ``mets.xml`` into the edition folder ``out_dir``."""
    texts = page_texts(pages, {article.id: article.language for article in edition.articles}, edition.languages_written)
    alto = write_alto(texts, out_dir)
    return ArchiveFiles(alto=alto, mets=write_mets(edition, texts, out_dir))
