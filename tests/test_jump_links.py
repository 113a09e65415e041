"""Jump lines are working links in the built PDFs: "Continued on page N" goes to page N, and
"Continued from page M" back to page M — read from the PDF itself (pypdf for the link annotations,
pdfium for the words under each link), not from the layout that asked for them."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.generic import ArrayObject

JUMP = re.compile(r"Continued (on|from) page (\d+)")


def _links(reader: PdfReader, index: int) -> list[tuple[tuple[float, ...], object]]:
    """(rect, action-or-destination) of every link annotation on a page."""
    page = reader.pages[index]
    out = []
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        if annot.get("/Subtype") != "/Link":
            continue
        rect = tuple(float(v) for v in annot["/Rect"])
        target = annot.get("/Dest")
        if target is None and "/A" in annot:
            action = annot["/A"].get_object()
            target = action.get("/D") if action.get("/S") == "/GoTo" else action
        out.append((rect, target))
    return out


def _page_index(reader: PdfReader, dest) -> int | None:
    if isinstance(dest, ArrayObject) and dest:
        ref = dest[0]
        for i, page in enumerate(reader.pages):
            if page.indirect_reference is not None and page.indirect_reference.idnum == ref.idnum:
                return i
    return None


def _text_under(textpage, rect: tuple[float, ...]) -> str:
    left, bottom, right, top = rect
    return " ".join(textpage.get_text_bounded(left - 1, bottom - 1, right + 1, top + 1).split())


def _expected_jumps(laid_out) -> set[tuple[int, str, int]]:
    """(page, "on"/"from", target page) for every jump line layout set."""
    jumps = set()
    for page in laid_out.pages:
        for region in page.regions:
            if region.continued_to:
                jumps.add((page.number, "on", region.continued_to))
            if region.continued_from:
                jumps.add((page.number, "from", region.continued_from))
    return jumps


def test_jump_links_in_the_edition_pdf_go_to_the_named_pages(sample_build):
    result, _ = sample_build
    laid_out = result.laid_out
    expected = _expected_jumps(laid_out)
    assert any(kind == "on" for _, kind, _ in expected), "the sample edition should have a jump"
    index_of = {page.number: i for i, page in enumerate(laid_out.pages)}
    pdf_path = result.out_dir / "edition.pdf"
    reader = PdfReader(pdf_path)
    document = pdfium.PdfDocument(pdf_path)
    found = set()
    for number, i in index_of.items():
        textpage = document[i].get_textpage()
        printed = set(JUMP.findall(" ".join(textpage.get_text_range().split())))
        linked = set()
        for rect, dest in _links(reader, i):
            match = JUMP.search(_text_under(textpage, rect))
            if not match:
                continue
            kind, target = match.group(1), int(match.group(2))
            assert _page_index(reader, dest) == index_of[target], (
                f"page {number}: link on 'Continued {kind} page {target}' goes to page index "
                f"{_page_index(reader, dest)}, not {index_of[target]}")
            linked.add((kind, str(target)))
            found.add((number, kind, target))
        assert printed <= linked, f"page {number}: jump lines without a working link: {printed - linked}"
    assert found == expected


def test_jump_links_in_the_page_pdfs_open_the_named_page_file(sample_build):
    """A single page PDF cannot hold page N, so its jump link opens N's own file next to it."""
    result, _ = sample_build
    checked = 0
    for page in result.laid_out.pages:
        targets = {r.continued_to for r in page.regions if r.continued_to}
        targets |= {r.continued_from for r in page.regions if r.continued_from}
        if not targets:
            continue
        path = result.out_dir / "pages" / f"{page.number:03d}.pdf"
        reader = PdfReader(path)
        textpage = pdfium.PdfDocument(path)[0].get_textpage()
        uris = {}
        for rect, action in _links(reader, 0):
            match = JUMP.search(_text_under(textpage, rect))
            if match and hasattr(action, "get"):
                uris[int(match.group(2))] = action.get("/URI") or action.get("/F")
        for target in targets:
            assert uris.get(target) == f"{target:03d}.pdf", (page.number, target, uris)
            assert (path.parent / uris[target]).is_file()
            checked += 1
    assert checked
