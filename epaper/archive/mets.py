"""METS 1.12 for an edition: its files, its pages, and its sections and articles.

- ``fileSec``: a ``fileGrp`` per kind of file, each file with its size and SHA-256, and only files
  the edition folder holds: ``DEFAULT`` page images (``images/NNN.jpg``), ``THUMBS``
  (``thumbs/NNN.jpg``), ``DOWNLOAD`` the reader PDFs (``pages/NNN.pdf`` and ``edition.pdf``),
  ``PRINT`` the print PDFs (``print/NNN.pdf``), ``FULLTEXT`` the ALTO (``alto/NNN.xml``). The group
  names are those the DFG viewer and Kitodo read.
- ``structMap TYPE="PHYSICAL"``: the edition's pages in order, each pointing at its files.
- ``structMap TYPE="LOGICAL"``: the issue, its sections in page order, their articles; each
  article points at its ComposedBlock in the ALTO of every page it is on (``area BETYPE="IDREF"``),
  so a story that jumps spans two pages.
- ``structLink``: sections and articles to the pages they are on.
- ``dmdSec``: a small MODS record for the issue (title, date, edition, language) and each article
  (headline, deck, byline, language).

Nothing here carries the time of the build, so the same edition gives the same bytes; a replate's
version (2, 3, …) is an object of its own (``OBJID`` ``<id>-v<n>``) and says when it was made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from epaper import __version__
from epaper.archive.alto import group_id
from epaper.archive.files import EDITION_PDF, PAGE_FILES
from epaper.archive.text import PageText
from epaper.model import Article, Edition, edition_name

__all__ = ["METS_NS", "MODS_NS", "mets_document"]

METS_NS = "http://www.loc.gov/METS/"
MODS_NS = "http://www.loc.gov/mods/v3"
XLINK_NS = "http://www.w3.org/1999/xlink"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = (f"{METS_NS} https://www.loc.gov/standards/mets/version1121/mets.xsd "
                    f"{MODS_NS} https://www.loc.gov/standards/mods/v3/mods-3-8.xsd")


def _m(name: str, parent: ET.Element | None = None, **attributes: str) -> ET.Element:
    qualified = f"{{{METS_NS}}}{name}"
    return ET.Element(qualified, attributes) if parent is None else ET.SubElement(parent, qualified, attributes)


def _mods(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{MODS_NS}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _file(group: ET.Element, ident: str, path: Path, href: str, mimetype: str, known: str | None) -> None:
    if known is None:
        data = path.read_bytes()
        size, checksum = len(data), hashlib.sha256(data).hexdigest()
    else:  # the caller has the file's SHA-256 already: not read again
        size, checksum = path.stat().st_size, known
    file = _m("file", group, ID=ident, MIMETYPE=mimetype, SIZE=str(size), CHECKSUM=checksum, CHECKSUMTYPE="SHA-256")
    _m("FLocat", file, LOCTYPE="URL", **{f"{{{XLINK_NS}}}href": href})


def _dmd(root: ET.Element, ident: str) -> ET.Element:
    dmd = _m("dmdSec", root, ID=ident)
    wrap = _m("mdWrap", dmd, MDTYPE="MODS")
    return ET.SubElement(_m("xmlData", wrap), f"{{{MODS_NS}}}mods")


def _language(mods: ET.Element, code: str) -> None:
    _mods(_mods(mods, "language"), "languageTerm", code, type="code", authority="rfc5646")


def _edition_mods(root: ET.Element, edition: Edition) -> None:
    mods = _dmd(root, "dmd-edition")
    _mods(_mods(mods, "titleInfo"), "title", edition.title)
    _mods(mods, "genre", "newspaper issue")
    origin = _mods(mods, "originInfo")
    _mods(origin, "dateIssued", edition.date.isoformat(), encoding="w3cdtf", keyDate="yes")
    _mods(origin, "edition", edition_name(edition.edition))
    _language(mods, edition.language)
    if edition.rights or edition.attribution:  # what an archive may do with it, and who holds it
        condition = _mods(mods, "accessCondition", edition.attribution or edition.rights, type="use and reproduction")
        if edition.rights:
            condition.set(f"{{{XLINK_NS}}}href", edition.rights)


def _article_mods(root: ET.Element, article: Article) -> None:
    mods = _dmd(root, f"dmd-{article.id}")
    title = _mods(mods, "titleInfo")
    _mods(title, "title", article.headline)
    if article.subheadline:
        _mods(title, "subTitle", article.subheadline)
    if article.byline:
        _mods(_mods(mods, "name"), "displayForm", article.byline)
    _mods(mods, "genre", "article")
    moment = article.published_moment
    if moment is not None:
        # W3CDTF (ISO 8601's profile MODS names) has no time without its zone, nor the compact
        # 20260413 ingest takes: such a time is said as ISO 8601, a date in its extended form.
        naive = isinstance(moment, dt.datetime) and moment.tzinfo is None
        _mods(_mods(mods, "originInfo"), "dateIssued", moment.isoformat(), encoding="iso8601" if naive else "w3cdtf")
    _language(mods, article.language)


def _file_sec(root: ET.Element, out_dir: Path, numbers: Sequence[int], known: Mapping[str, str]) -> dict[int, list[str]]:
    """The fileSec; returns the file IDs each page has. ``known``: files' SHA-256 by relative path."""
    files = _m("fileSec", root)
    per_page: dict[int, list[str]] = {n: [] for n in numbers}
    for kind in PAGE_FILES:
        present = [n for n in numbers if (out_dir / kind.path(n)).is_file()]
        if not present and not (kind.use == "DOWNLOAD" and (out_dir / EDITION_PDF).is_file()):
            continue
        group = _m("fileGrp", files, USE=kind.use)
        if kind.use == "DOWNLOAD" and (out_dir / EDITION_PDF).is_file():
            _file(group, "edition-pdf", out_dir / EDITION_PDF, EDITION_PDF, kind.mimetype, known.get(EDITION_PDF))
        for number in present:
            ident = f"{kind.prefix}-{number:03d}"
            _file(group, ident, out_dir / kind.path(number), kind.path(number), kind.mimetype, known.get(kind.path(number)))
            per_page[number].append(ident)
    return per_page


def mets_document(edition: Edition, pages: Sequence[PageText], out_dir: Path, *,
                  known: Mapping[str, str] | None = None, version: tuple[int, str] | None = None) -> ET.ElementTree:
    """The METS of the edition written in ``out_dir`` (its files must be there already). ``known``:
    the SHA-256 (hex) of files by their path relative to ``out_dir``, where the caller has it (the
    pages' files are objects of the build cache, named by it): those are not read to checksum them.
    ``version``: (number, when made, ISO 8601) of a replate's version (the first has none)."""
    for prefix, namespace in (("mets", METS_NS), ("mods", MODS_NS), ("xlink", XLINK_NS), ("xsi", _XSI)):
        ET.register_namespace(prefix, namespace)
    # The issue as an archive names it: title, date and edition (a night's zones are issues of one date).
    label = f"{edition.title}, {edition.date.isoformat()}, {edition_name(edition.edition)}"
    # A replate's version is an object of its own, and when it was made is its header's (an archive's
    # audit: version 1, kept in versions/1/, and version 2 had one OBJID, and an ingest keyed on it
    # overwrites one with the other). The edition's id stays, as the record's other id.
    number, made = version if version is not None else (1, None)
    root = _m("mets", OBJID=edition.id if number == 1 else f"{edition.id}-v{number}", TYPE="Newspaper",
              LABEL=label if number == 1 else f"{label}, version {number}")
    root.set(f"{{{_XSI}}}schemaLocation", _SCHEMA_LOCATION)
    header = _m("metsHdr", root, **({"CREATEDATE": made} if made else {}))
    agent = _m("agent", header, ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _m("name", agent).text = f"epaper {__version__}"
    _m("altRecordID", header, TYPE="EDITION").text = edition.id

    articles = {a.id: a for a in edition.articles}
    # Each placed article's parts: (page number, ComposedBlock ID), in page order.
    parts: dict[str, list[tuple[int, str]]] = {}
    for page in pages:
        for index, group in enumerate(page.groups, start=1):
            if group.article_id in articles:
                parts.setdefault(group.article_id, []).append((page.number, group_id(page.number, group, index)))

    _edition_mods(root, edition)
    for aid in parts:
        _article_mods(root, articles[aid])
    numbers = [page.number for page in pages]
    files = _file_sec(root, out_dir, numbers, known or {})

    physical = _m("structMap", root, TYPE="PHYSICAL")
    sequence = _m("div", physical, ID="physical", TYPE="physSequence", LABEL=edition.title)
    for page in pages:
        div = _m("div", sequence, ID=f"page-{page.number:03d}", TYPE="page", ORDER=str(page.number),
                 ORDERLABEL=page.label, LABEL=page.section)
        for ident in files[page.number]:
            _m("fptr", div, FILEID=ident)

    logical = _m("structMap", root, TYPE="LOGICAL")
    issue = _m("div", logical, ID="issue", TYPE="issue", DMDID="dmd-edition", LABEL=label)
    if (out_dir / EDITION_PDF).is_file():
        _m("fptr", issue, FILEID="edition-pdf")
    links: list[tuple[str, int]] = []
    for index, section in enumerate(edition.sections, start=1):
        ident = f"section-{index}"
        div = _m("div", issue, ID=ident, TYPE="section", LABEL=section.name)
        links += [(ident, page.number) for page in pages if page.section == section.name]
        for aid in parts:
            if articles[aid].section != section.name:
                continue
            article = _m("div", div, ID=f"art-{aid}", TYPE="article", DMDID=f"dmd-{aid}", LABEL=articles[aid].headline)
            seq = _m("seq", _m("fptr", article))
            for number, block in parts[aid]:
                if f"alto-{number:03d}" in files[number]:
                    _m("area", seq, FILEID=f"alto-{number:03d}", BETYPE="IDREF", BEGIN=block)
                links.append((f"art-{aid}", number))
            if not len(seq):  # no ALTO to point into: the article still names its pages (structLink)
                article.remove(article[0])
        if not len(div):
            issue.remove(div)
    link = _m("structLink", root)
    for source, number in links:
        _m("smLink", link, **{f"{{{XLINK_NS}}}from": source, f"{{{XLINK_NS}}}to": f"page-{number:03d}"})
    if not len(link):
        root.remove(link)
    return ET.ElementTree(root)
