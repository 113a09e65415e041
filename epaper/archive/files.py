"""The edition folder's per-page files, as the archive names them (``folder/NNN.suffix``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ALTO", "EDITION_PDF", "PAGE_FILES", "READER_PDF", "PageFiles"]


@dataclass(frozen=True)
class PageFiles:
    """One kind of per-page file: its METS file group, ID prefix, folder, suffix and MIME type."""

    use: str
    prefix: str
    folder: str
    suffix: str
    mimetype: str

    def path(self, number: int) -> str:
        return f"{self.folder}/{number:03d}{self.suffix}"


PAGE_FILES = (
    PageFiles("DEFAULT", "image", "images", ".jpg", "image/jpeg"),
    PageFiles("THUMBS", "thumb", "thumbs", ".jpg", "image/jpeg"),
    PageFiles("DOWNLOAD", "pdf", "pages", ".pdf", "application/pdf"),
    PageFiles("PRINT", "print", "print", ".pdf", "application/pdf"),
    PageFiles("FULLTEXT", "alto", "alto", ".xml", "text/xml"),
)
EDITION_PDF = "edition.pdf"
READER_PDF = PAGE_FILES[2]
ALTO = PAGE_FILES[-1]
