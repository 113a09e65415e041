"""The reader's epaper: viewer, article text views, IIIF manifest, search index and the archive.

Public API: :func:`write_site` (or its two halves, :func:`write_reading` and :func:`write_viewer_site`,
when the edition's PDFs are still being written) and :func:`write_manifest` (one edition folder), :func:`write_archive`
(the output root and its IIIF collections), :class:`Downloads` (the PDFs and their sizes, measured
by the build) and :func:`precompress` (``.gz`` beside the edition's text files, once all are written).
"""

from .archive import find_editions, title_collection_path, write_archive
from .compress import precompress
from .downloads import Downloads, FileLink, human_size
from .photos import PhotoError
from .site import write_manifest, write_reading, write_site, write_viewer_site

__all__ = ["Downloads", "FileLink", "PhotoError", "find_editions", "human_size", "precompress",
           "title_collection_path", "write_archive", "write_manifest", "write_reading", "write_site",
           "write_viewer_site"]
