"""The PDFs a reader can download, with sizes: the build measures them, the viewer shows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Downloads", "FileLink", "human_size"]


@dataclass(frozen=True)
class FileLink:
    """A file of the edition: ``path`` is POSIX, relative to the edition folder."""

    path: str
    bytes: int

    @property
    def size(self) -> str:
        return human_size(self.bytes)


@dataclass(frozen=True)
class Downloads:
    """``edition`` is edition.pdf; ``pages[i]`` is the PDF of page ``i + 1``."""

    edition: FileLink
    pages: tuple[FileLink, ...]

    def page(self, number: int) -> FileLink | None:
        return self.pages[number - 1] if 0 < number <= len(self.pages) else None

    @classmethod
    def from_files(cls, out_dir: Path, edition_pdf: Path, page_pdfs: Sequence[Path]) -> "Downloads":
        """Measure files already written inside ``out_dir``."""
        out_dir = Path(out_dir)

        def link(path: Path) -> FileLink:
            path = Path(path)
            return FileLink(path.relative_to(out_dir).as_posix(), path.stat().st_size)

        return cls(link(edition_pdf), tuple(link(p) for p in page_pdfs))

    @classmethod
    def scan(cls, out_dir: Path) -> "Downloads":
        """The contract's layout: ``edition.pdf`` and ``pages/NNN.pdf``."""
        out_dir = Path(out_dir)
        return cls.from_files(out_dir, out_dir / "edition.pdf", sorted((out_dir / "pages").glob("*.pdf")))


def human_size(size: int) -> str:
    """``1234567`` → ``"1.2 MB"``: decimal units, as operating systems show downloads."""
    if size < 1000:
        return f"{size} B"
    scaled = float(size)
    for unit in ("kB", "MB", "GB"):
        scaled /= 1000
        if scaled < 999.5 or unit == "GB":
            return f"{scaled:.1f} {unit}" if scaled < 10 else f"{scaled:.0f} {unit}"
    raise AssertionError("unreachable")
