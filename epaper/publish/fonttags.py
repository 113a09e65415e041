"""Subset tags: every embedded font subset gets its own six-letter tag (the ``ABCDEF+`` of its name).

ReportLab names subsets by their index only, so every font's first subset is ``AAAAAA+`` in every
file, and the edition PDF (a merge of page files) holds many different subsets of one font under
one name — which the PDF spec forbids and which makes viewers and RIPs that cache fonts by name
draw the wrong glyphs. Here each tag is derived from the subset's own font program (so the same
file always gets the same tags) and made unique within the document.
"""

from __future__ import annotations

import hashlib
import re

import pikepdf

__all__ = ["retag_subsets"]

_TAGGED = re.compile(r"^[A-Z]{6}\+")
_FONT_FILES = ("/FontFile2", "/FontFile3", "/FontFile")


def _tag(digest: bytes) -> str:
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def retag_subsets(pdf: pikepdf.Pdf) -> int:
    """Give every subset font in ``pdf`` a distinct tag derived from its font program; returns how
    many were renamed."""
    used: set[str] = set()
    renamed: dict[str, str] = {}  # old name of a CIDFont -> new, for the Type0 fonts above them
    count = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" or "/FontDescriptor" not in obj:
            continue
        name = str(obj.get("/BaseFont", ""))
        if not _TAGGED.match(name.lstrip("/")):
            continue
        descriptor = obj.FontDescriptor
        program = next((descriptor[key] for key in _FONT_FILES if key in descriptor), None)
        base = name.lstrip("/")[7:]
        seed = hashlib.sha256(base.encode() + (program.read_raw_bytes() if program is not None else b""))
        tag = _tag(seed.digest())
        while tag in used:  # the same subset twice in one file (a merged edition): still two names
            seed.update(b"+")
            tag = _tag(seed.digest())
        used.add(tag)
        new = pikepdf.Name(f"/{tag}+{base}")
        renamed[name] = str(new)
        obj.BaseFont = new
        descriptor.FontName = new
        count += 1
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0" and str(obj.get("/BaseFont", "")) in renamed:
            obj.BaseFont = pikepdf.Name(renamed[str(obj.BaseFont)])
    return count
