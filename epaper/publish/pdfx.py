"""The print PDF's PDF/X-4 identification, added with pikepdf to a page the renderer drew in CMYK.

PDF/X-4 (ISO 15930-7) asks, beyond what the renderer draws (CMYK only, TrimBox and BleedBox, no
annotations on the page, every font embedded):

* an OutputIntent of subtype GTS_PDFX carrying the CMYK output profile the page was separated for;
* ``GTS_PDFXVersion`` in the XMP metadata (and, by custom, in the Info dictionary), a title, dates,
  ``Trapped`` set, and a document ID;
* PDF 1.6 or later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
import zlib
from functools import cache
from pathlib import Path
from typing import BinaryIO

import pikepdf

from epaper.formats.printing import PrintSpec
from epaper.publish.fonttags import retag_subsets

__all__ = ["PDFX_VERSION", "date_pdf", "load_output_profile", "write_print_pdf"]

PDFX_VERSION = "PDF/X-4"
# A page's PDF is dated the day of its edition, not the moment it was made: the file stays the same
# for the same page (a replate leaves the other plates byte for byte, two machines make one file),
# and an archive reads the paper's date (it read 2000-01-01 on every page, an outside print audit).
# Without an edition (tests drawing a page alone) a fixed date.
_EPOCH = dt.date(2000, 1, 1)


def _pdf_date(date: dt.date) -> pikepdf.String:
    return pikepdf.String(f"D:{date:%Y%m%d}000000Z")


def date_pdf(pdf: pikepdf.Pdf, date: dt.date | None) -> None:
    """Date the Info dictionary of ``pdf`` (created, modified) ``date``."""
    stamp = _pdf_date(date or _EPOCH)
    pdf.docinfo.CreationDate = stamp
    pdf.docinfo.ModDate = stamp


@cache
def _profile_bytes(profile: Path) -> bytes:
    return profile.read_bytes()


@cache
def _profile_deflated(profile: Path) -> bytes:
    """The profile compressed once a process (every print page embeds it)."""
    return zlib.compress(_profile_bytes(profile), 6)


def load_output_profile(spec: PrintSpec) -> None:
    """Read and compress the profile every print page of ``spec`` embeds, if this process has not
    (a warm process does it before its commands: :func:`epaper.build.warm_up`)."""
    _profile_deflated(spec.profile)


def _profile_description(data: bytes) -> str:
    """The profile's own description ('desc' tag), for the OutputIntent's /Info."""
    count = int.from_bytes(data[128:132], "big")
    for index in range(count):
        entry = data[132 + 12 * index: 144 + 12 * index]
        if entry[:4] == b"desc":
            offset, size = int.from_bytes(entry[4:8], "big"), int.from_bytes(entry[8:12], "big")
            tag = data[offset:offset + size]
            if tag[:4] == b"desc":  # ICC v2 textDescriptionType: ASCII count at 8, text at 12
                length = int.from_bytes(tag[8:12], "big")
                return tag[12:12 + length].rstrip(b"\0").decode("ascii", "replace")
            if tag[:4] == b"mluc":  # ICC v4: the first record, UTF-16BE
                rec_len, rec_off = int.from_bytes(tag[20:24], "big"), int.from_bytes(tag[24:28], "big")
                return tag[rec_off:rec_off + rec_len].decode("utf-16-be", "replace")
    return ""


def _output_intent(pdf: pikepdf.Pdf, spec: PrintSpec) -> pikepdf.Dictionary:
    data = _profile_bytes(spec.profile)
    profile = pikepdf.Stream(pdf, _profile_deflated(spec.profile))
    profile.Filter = pikepdf.Name.FlateDecode
    profile.N = 4
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=spec.output_condition,
        RegistryName=spec.registry,
        Info=_profile_description(data) or spec.output_condition,
        DestOutputProfile=profile,
    )
    return pdf.make_indirect(intent)


def write_print_pdf(drawn: bytes, target: Path | BinaryIO, *, spec: PrintSpec, title: str,
                    date: dt.date | None = None) -> None:
    """Make the page PDF ``drawn`` (ReportLab's output, drawn for the plant) a PDF/X-4 file at
    ``target`` (a path, or a file open for writing), dated ``date`` (its edition's)."""
    with pikepdf.open(io.BytesIO(drawn)) as pdf:
        retag_subsets(pdf)
        pdf.Root.OutputIntents = pikepdf.Array([_output_intent(pdf, spec)])
        pdf.docinfo.Title = title
        pdf.docinfo.GTS_PDFXVersion = PDFX_VERSION
        pdf.docinfo.Trapped = pikepdf.Name("/False")  # not Name.False_: pikepdf keeps the underscore
        date_pdf(pdf, date)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp.register_xml_namespace("http://www.npes.org/pdfx/ns/id/", "pdfxid")
            xmp["pdfxid:GTS_PDFXVersion"] = PDFX_VERSION
            # What the Info dictionary says, said again (a preflight compares the two).
            xmp["dc:title"] = title
            for info, field in (("/Author", "dc:creator"), ("/Subject", "dc:description")):
                if info in pdf.docinfo:
                    value = str(pdf.docinfo[info])
                    xmp[field] = [value] if field == "dc:creator" else value
            xmp["dc:format"] = "application/pdf"
            xmp["pdf:Trapped"] = "False"
            xmp["pdf:Producer"] = str(pdf.docinfo.get("/Producer", "epaper"))
            xmp["xmp:CreatorTool"] = "epaper"
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                xmp[key] = f"{(date or _EPOCH).isoformat()}T00:00:00Z"  # as the Info dictionary's
            # The document is the page of its edition (its title: the paper, its date, its page),
            # the same through its replates; each version of it is an instance of its own.
            xmp["xmpMM:DocumentID"] = f"uuid:{_uuid(title.encode())}"
            xmp["xmpMM:InstanceID"] = f"uuid:{_uuid(drawn)}"
            xmp["xmpMM:RenditionClass"] = "default"
        pdf.save(target, min_version="1.6", deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _uuid(data: bytes) -> str:
    return str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16]))
