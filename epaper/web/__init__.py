"""The reader's epaper: viewer, article text views, IIIF manifest, search index and the archive.

Public API: :func:`write_site` (one edition folder), :func:`write_archive` (the output root) and
:class:`Downloads` (the PDFs and their sizes, measured by the build).
"""

from .archive import find_editions, write_archive
from .downloads import Downloads, FileLink, human_size
from .photos import PhotoError
from .site import write_site

__all__ = ["Downloads", "FileLink", "PhotoError", "find_editions", "human_size", "write_archive", "write_site"]
