"""ALTO per page and METS per edition, judged by the official schemas (lxml) and by the edition model:
the ALTO words of each article, in the page's reading order, are the article's own words, each once
(a word broken at a line end joined through SUBS_CONTENT), Hindi too; every word box lies on its page
and inside its article's region; METS points at files that exist, and a story that jumps spans two
pages in its logical structMap."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from pathlib import Path

import pytest

from epaper.archive import page_texts
from epaper.archive.alto import alto_document, mm10
from epaper.archive.mets import mets_document

etree = pytest.importorskip("lxml.etree")

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO.parent / "shared" / "schemas"
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}"


def _schema(name: str):
    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (the shared schemas sit beside the checkout)")
    return etree.XMLSchema(etree.parse(str(path)))


def _bytes(tree) -> bytes:
    out = io.BytesIO()
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return out.getvalue()


@pytest.fixture(scope="module")
def texts(sample_edition, sample_layout):
    return page_texts(sample_layout.pages, {a.id: a.language for a in sample_edition.articles},
                      sample_edition.languages_written)


@pytest.fixture(scope="module")
def alto_docs(texts):
    """Page number → the parsed ALTO document of that page."""
    return {t.number: etree.fromstring(_bytes(alto_document(t, source=f"pages/{t.number:03d}.pdf"))) for t in texts}


def test_every_alto_page_is_valid_alto_4_4(alto_docs):
    schema = _schema("alto-4-4.xsd")
    for number, doc in alto_docs.items():
        assert schema.validate(doc), f"page {number}: {schema.error_log.last_error}"


# --- the words of each article -------------------------------------------------------------------

def _blocks_in_reading_order(doc):
    """The page's blocks in the order its ReadingOrder lists them."""
    by_id = {e.get("ID"): e for e in doc.iter(f"{ALTO}TextBlock", f"{ALTO}Illustration", f"{ALTO}ComposedBlock")}
    refs = doc.find(f"{ALTO}ReadingOrder").iter(f"{ALTO}ElementRef")
    return [by_id[ref.get("REF")] for ref in refs]


def _article_of(block, doc) -> str | None:
    parent = block.getparent()
    if parent.tag == f"{ALTO}ComposedBlock" and parent.get("TYPE") == "article":
        return parent.get("ID").split("-art-", 1)[1]
    return None


def _role(block, doc) -> str:
    tags = {t.get("ID"): t.get("LABEL") for t in doc.iter(f"{ALTO}StructureTag")}
    return tags[block.get("TAGREFS")]


def _words(strings) -> list[str]:
    """The words of ``String`` elements in order, a word broken at a line end (maybe at a column
    or page break) given once, whole (SUBS_CONTENT)."""
    words: list[str] = []
    for string in strings:
        kind = string.get("SUBS_TYPE")
        if kind == "HypPart1":
            words.append(string.get("SUBS_CONTENT"))
        elif kind == "HypPart2":
            assert words and words[-1] == string.get("SUBS_CONTENT"), "a HypPart2 without its HypPart1"
        else:
            words.append(string.get("CONTENT"))
    return words


def _article_words(alto_docs) -> dict[tuple[str, str], list[list[str]]]:
    """(article, role) → the words of that role on each page the article is on, pages in order
    (a word broken over a jump counts on the page it starts on)."""
    strings: dict[tuple[str, str], list[tuple[int, object]]] = {}
    for number in sorted(alto_docs):
        doc = alto_docs[number]
        for block in _blocks_in_reading_order(doc):
            aid = _article_of(block, doc)
            if aid is not None and block.tag == f"{ALTO}TextBlock":
                strings.setdefault((aid, _role(block, doc)), []).extend(
                    (number, s) for s in block.iter(f"{ALTO}String"))
    out: dict[tuple[str, str], list[list[str]]] = {}
    for key, found in strings.items():
        words = _words([s for _, s in found])
        starts = [n for n, s in found if s.get("SUBS_TYPE") != "HypPart2"]
        pages = sorted(set(starts))
        out[key] = [[w for w, n in zip(words, starts) if n == page] for page in pages]
    return out


def _fold(words) -> list[str]:
    return [unicodedata.normalize("NFC", w).casefold() for w in words]  # kickers are set in capitals


def _expected_body(article) -> list[str]:
    from epaper.layout.module import dateline_lead

    return dateline_lead(article).split() + [w for p in article.body for w in p.text.split()]  # "PORT ALDERY — " leads it


def test_alto_words_of_each_article_are_its_own_words_once_in_reading_order(sample_edition, sample_layout, alto_docs):
    found = _article_words(alto_docs)
    articles = {a.id: a for a in sample_edition.articles}
    placed = {aid for aid, _ in found}
    checked_hindi = 0
    for aid in placed:
        article = articles[aid]
        body = [w for part in found.get((aid, "body"), []) for w in part]
        assert _fold(body) == _fold(_expected_body(article)), f"{aid}: body words differ"
        for part in found.get((aid, "headline"), []):  # a jumped story repeats its headline over the jump
            assert _fold(part) == _fold(article.headline.split()), aid
        for role, text in (("kicker", article.kicker), ("deck", article.subheadline), ("byline", article.byline),
                           ("caption", article.photos[0].caption if article.photos else ""),
                           ("credit", article.photos[0].credit if article.photos else "")):
            for part in found.get((aid, role), []):
                assert _fold(part) == _fold(text.split()), f"{aid}: {role}"
        checked_hindi += article.language == "hi"
    assert placed == {r.article_id for p in sample_layout.pages for r in p.regions if r.article_id in articles}
    assert checked_hindi >= 10, "the sample's Hindi section must be among the articles checked"


def test_hindi_words_are_unicode_devanagari(alto_docs):
    contents = [s.get("CONTENT") for s in alto_docs[17].iter(f"{ALTO}String")]
    devanagari = [c for c in contents if re.search("[\u0900-\u097f]", c)]
    assert len(devanagari) > 1000
    assert not any("\ue000" <= ch <= "\uf8ff" for c in contents for ch in c), "private-use codes in ALTO"
    assert "सुरक्षा" in contents  # a conjunct (क्ष) and a matra, as written


def test_furniture_words_of_another_script_say_their_language(alto_docs):
    """An archive's audit: the folio of a Hindi page said LANG="hi" over the paper's English title
    and date, the front's English index held the Hindi section's "देश". A word whose script is not
    its block's language's says its own; a story's words are its story's."""
    from epaper.archive.text import ARTICLE_ROLES

    def strings(page: int, role: str) -> list[tuple[str, str | None, str]]:
        found = []
        for block in alto_docs[page].iter(f"{ALTO}TextBlock"):
            if block.get("TAGREFS") == f"role-{role}":
                found += [(s.get("CONTENT"), s.get("LANG"), block.get("LANG")) for s in block.iter(f"{ALTO}String")]
        return found

    folio = strings(17, "folio")
    assert ("Aldery", "en", "hi") in folio and ("देश", None, "hi") in folio, folio
    index = strings(1, "index")
    assert ("देश", "hi", "en") in index and ("City", None, "en") in index, index
    for doc in alto_docs.values():
        for block in doc.iter(f"{ALTO}TextBlock"):
            said = {s.get("LANG") for s in block.iter(f"{ALTO}String")} - {None}
            assert block.get("LANG") not in said
            if said:  # furniture only (a story's blocks say its language)
                assert block.get("TAGREFS").removeprefix("role-") not in ARTICLE_ROLES, block.get("TAGREFS")


def test_broken_words_are_two_parts_with_the_whole_word(alto_docs):
    parts = 0
    for doc in alto_docs.values():
        for line in doc.iter(f"{ALTO}TextLine"):
            strings = line.findall(f"{ALTO}String")
            last, hyp = strings[-1], line.find(f"{ALTO}HYP")
            if hyp is not None:
                assert last.get("SUBS_TYPE") == "HypPart1" and hyp.get("CONTENT") == "-"
                assert float(hyp.get("HPOS")) >= float(last.get("HPOS")) + float(last.get("WIDTH")) - 1
            if last.get("SUBS_TYPE") == "HypPart1":
                parts += 1
                whole = last.get("SUBS_CONTENT")
                assert whole.startswith(last.get("CONTENT")) and len(whole) > len(last.get("CONTENT"))
    assert parts > 100


# --- where the words are -------------------------------------------------------------------------

def _box(element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(element.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    return x, y, x + w, y + h


def test_word_boxes_lie_on_the_page_and_inside_their_articles_region(sample_layout, alto_docs):
    checked = 0
    for page in sample_layout.pages:
        doc = alto_docs[page.number]
        width, height = mm10(page.width), mm10(page.height)
        regions = {r.article_id: [(mm10(b.x), mm10(b.y), mm10(b.right), mm10(b.bottom)) for b in r.boxes]
                   for r in page.regions}
        for block in doc.iter(f"{ALTO}TextBlock"):
            aid = _article_of(block, doc)
            for string in block.iter(f"{ALTO}String"):
                left, top, right, bottom = _box(string)
                assert 0 <= left < right <= width and 0 <= top < bottom <= height, string.get("CONTENT")
                if aid is None:
                    continue
                # Three mm10 (0.85 pt) of slack: boxes are whole mm10 rounded outwards, and a box holds
                # the word's ink, which for a Devanagari vowel sign (ु) under the last line of a module
                # at the foot of the page reaches 0.62 pt below the module's box (sample page 17).
                assert any(left >= x0 - 3 and top >= y0 - 3 and right <= x1 + 3 and bottom <= y1 + 3
                           for x0, y0, x1, y1 in regions[aid]), f"page {page.number}: {string.get('CONTENT')} ({aid})"
                checked += 1
    assert checked > 40_000


def test_the_alto_page_is_the_trimmed_page_to_the_nearest_mm10(sample_layout, alto_docs):
    """A 330.00 mm trim (935.43 pt) is 3300 mm10 wide, as an archive measures the page PDF (whose
    CropBox is the trim); rounded outwards like a word's box it said 3301."""
    for page in sample_layout.pages:
        element = alto_docs[page.number].find(f".//{ALTO}Page")
        assert (int(element.get("WIDTH")), int(element.get("HEIGHT"))) == (round(mm10(page.width)),
                                                                          round(mm10(page.height)))
    assert alto_docs[1].find(f".//{ALTO}Page").get("WIDTH") == "3300"  # the sample's broadsheet, 330 mm


def test_word_boxes_sit_on_the_ink(tmp_path, sample_layout, alto_docs):
    """Render a page from its frame and check the boxes against the pixels: nearly every dark
    pixel of text lies in a word box (the rest are rules: about 1.6 %; boxes 0.5 mm too low leave
    3-6 % out), and every word box holds ink."""
    pdfium = pytest.importorskip("pypdfium2")
    from epaper.render.pdf import render_page

    for number in (1, 17):
        page = next(p for p in sample_layout.pages if p.number == number)
        path = tmp_path / f"{number}.pdf"
        render_page(page, path, title="t", author="t")
        pdf_page = pdfium.PdfDocument(str(path))[0]
        media, trim = pdf_page.get_mediabox(), pdf_page.get_trimbox()
        crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
        image = pdf_page.render(scale=150 / 72, crop=crop).to_pil().convert("L")
        scale = image.width / mm10(page.width)
        doc = alto_docs[number]
        from PIL import Image, ImageChops, ImageDraw

        mask = Image.new("L", image.size, 0)
        draw = ImageDraw.Draw(mask)
        for element in doc.iter(f"{ALTO}String", f"{ALTO}HYP", f"{ALTO}Illustration"):
            left, top, right, bottom = _box(element)
            draw.rectangle([left * scale - 1, top * scale - 1, right * scale + 1, bottom * scale + 1], fill=255)
        dark = image.point(lambda v: 255 if v < 100 else 0)
        total = dark.histogram()[255]
        outside = ImageChops.subtract(dark, mask).histogram()[255]
        assert outside / total < 0.025, f"page {number}: {outside} of {total} dark pixels outside every box"
        pixels = image.load()
        for string in list(doc.iter(f"{ALTO}String"))[::25]:
            left, top, right, bottom = (v * scale for v in _box(string))
            inked = any(pixels[x, y] < 128 for x in range(int(left), int(right) + 1)
                        for y in range(int(top), int(bottom) + 1) if x < image.width and y < image.height)
            assert inked, f"page {number}: no ink in the box of {string.get('CONTENT')!r}"


# --- METS --------------------------------------------------------------------------------------------

def test_mets_of_a_layout_is_valid_and_jumps_span_two_pages(tmp_path, sample_edition, sample_layout, texts):
    """Without a build folder, METS lists only the ALTO written here; every article still has its
    pages, and a jumped story's two parts point at its blocks on both pages."""
    from epaper.archive import write_alto

    write_alto(texts, tmp_path)
    doc = etree.fromstring(_bytes(mets_document(sample_edition, texts, tmp_path)))
    schema = _schema("mets-1-12-1.xsd")
    assert schema.validate(doc), schema.error_log.last_error
    _check_jumps(doc, sample_layout, tmp_path)
    # The issue names its edition as the document does (a night's zones are issues of one date).
    issue = next(d for d in doc.iter(f"{METS}div") if d.get("TYPE") == "issue")
    assert issue.get("LABEL") == doc.get("LABEL") == "The Aldery Courier, 2026-11-28, City"


def test_a_replates_mets_is_valid_mets_with_an_id_and_date_of_its_own(tmp_path, sample_edition, texts):
    """A replate's version as an archive takes it (its OBJID, CREATEDATE and altRecordID), judged by
    the METS schema, not by our own reading of it."""
    from epaper.archive import write_alto

    write_alto(texts, tmp_path)
    doc = etree.fromstring(_bytes(mets_document(sample_edition, texts, tmp_path,
                                                version=(3, "2026-11-28T23:41:07+05:30"))))
    schema = _schema("mets-1-12-1.xsd")
    assert schema.validate(doc), schema.error_log.last_error
    assert doc.get("OBJID") == f"{sample_edition.id}-v3" and doc.get("LABEL").endswith(", version 3")
    header = doc.find(f"{METS}metsHdr")
    assert header.get("CREATEDATE") == "2026-11-28T23:41:07+05:30"
    assert header.find(f"{METS}altRecordID").text == sample_edition.id


def test_mets_with_known_checksums_is_the_mets_read_from_the_files(tmp_path, sample_edition, texts):
    """The build gives METS the SHA-256 of the pages' files (objects of the build cache, named by
    it): the document is the same as when each file is read and checksummed."""
    import hashlib

    from epaper.archive import write_alto

    write_alto(texts, tmp_path)
    read = _bytes(mets_document(sample_edition, texts, tmp_path))
    known = {p.relative_to(tmp_path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in (tmp_path / "alto").glob("*.xml")}
    assert known and _bytes(mets_document(sample_edition, texts, tmp_path, known=known)) == read
    name = sorted(known)[0]
    told = _bytes(mets_document(sample_edition, texts, tmp_path, known={name: "ab" * 32}))
    assert told != read and ("ab" * 32).encode() in told  # the checksum told is the one written


def _check_jumps(doc, layout, edition_dir: Path) -> None:
    jumped = {r.article_id: (p.number, r.continued_to) for p in layout.pages for r in p.regions if r.continued_to}
    assert jumped, "the sample edition has stories that jump"
    files = {f.get("ID"): f.find(f"{METS}FLocat").get(f"{XLINK}href") for f in doc.iter(f"{METS}file")}
    logical = next(s for s in doc.iter(f"{METS}structMap") if s.get("TYPE") == "LOGICAL")
    divs = {d.get("ID"): d for d in logical.iter(f"{METS}div")}
    for aid, (first, second) in jumped.items():
        areas = divs[f"art-{aid}"].findall(f"{METS}fptr/{METS}seq/{METS}area")
        assert [files[a.get("FILEID")] for a in areas] == [f"alto/{first:03d}.xml", f"alto/{second:03d}.xml"], aid
        for area in areas:
            assert area.get("BETYPE") == "IDREF"
            alto = etree.parse(str(edition_dir / files[area.get("FILEID")]))
            block = alto.find(f".//{ALTO}ComposedBlock[@ID='{area.get('BEGIN')}']")
            assert block is not None and block.get("TYPE") == "article", area.get("BEGIN")


@pytest.fixture(scope="module")
def built(sample_build):
    result, _ = sample_build
    return Path(result.out_dir)


@pytest.mark.slow
def test_a_build_writes_alto_per_page_and_a_valid_mets(built, sample_layout):
    alto_schema, mets_schema = _schema("alto-4-4.xsd"), _schema("mets-1-12-1.xsd")
    pages = sorted((built / "alto").glob("*.xml"))
    assert [p.name for p in pages] == [f"{n:03d}.xml" for n in range(1, len(sample_layout.pages) + 1)]
    for path in pages:
        assert alto_schema.validate(etree.parse(str(path))), f"{path.name}: {alto_schema.error_log.last_error}"
    doc = etree.parse(str(built / "mets.xml"))
    assert mets_schema.validate(doc), mets_schema.error_log.last_error
    _check_jumps(doc.getroot(), sample_layout, built)


@pytest.mark.slow
def test_a_builds_alto_says_the_language_of_furniture_words_of_another_script(built):
    """As page_texts has it (test_furniture_words_of_another_script_say_their_language), through
    the build's own path (each page's products, epaper.products)."""
    def lang_of(page: int, content: str) -> set[str | None]:
        doc = etree.parse(str(built / "alto" / f"{page:03d}.xml"))
        return {s.get("LANG") for s in doc.iter(f"{ALTO}String") if s.get("CONTENT") == content}

    assert lang_of(17, "Aldery") == {"en"} and lang_of(1, "देश") == {"hi"} and lang_of(2, "Aldery") == {None}


@pytest.mark.slow
def test_every_file_mets_references_exists_with_its_size_and_checksum(built, sample_layout):
    doc = etree.parse(str(built / "mets.xml"))
    uses = set()
    for group in doc.iter(f"{METS}fileGrp"):
        uses.add(group.get("USE"))
        for file in group.iter(f"{METS}file"):
            path = built / file.find(f"{METS}FLocat").get(f"{XLINK}href")
            assert path.is_file(), path
            data = path.read_bytes()
            assert int(file.get("SIZE")) == len(data)
            assert file.get("CHECKSUM") == hashlib.sha256(data).hexdigest()
    assert {"DEFAULT", "DOWNLOAD", "FULLTEXT"} <= uses
    physical = next(s for s in doc.iter(f"{METS}structMap") if s.get("TYPE") == "PHYSICAL")
    pages = physical.findall(f"{METS}div/{METS}div")
    assert len(pages) == len(sample_layout.pages)
    for div in pages:  # each page points at its image, its PDF and its ALTO
        ids = {f.get("FILEID").split("-")[0] for f in div.findall(f"{METS}fptr")}
        assert {"image", "pdf", "alto"} <= ids, div.get("ID")


@pytest.mark.parametrize("published, issued, encoding", [
    ("2011-04-13", "2011-04-13", "w3cdtf"),
    ("20110413", "2011-04-13", "w3cdtf"),  # ingest takes ISO 8601's compact form; W3CDTF has none
    ("2011-04-13T06:15:00+05:30", "2011-04-13T06:15:00+05:30", "w3cdtf"),
    ("2011-04-13T06:15", "2011-04-13T06:15:00", "iso8601"),  # a time without its zone is no W3CDTF
])
def test_a_storys_date_issued_is_in_the_encoding_it_claims(published, issued, encoding):
    """A review: METS wrote ``published`` as given with encoding="w3cdtf", which a time without its
    zone or the compact 20110413 is not."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    from epaper.archive.mets import _article_mods
    from epaper.model import Article

    root = ET.Element("mets")
    _article_mods(root, Article(id="a", section="City", headline="H", body=(), source_file=Path("a.md"),
                                published=published))
    (date,) = [e for e in root.iter() if e.tag.endswith("dateIssued")]
    assert (date.text, date.get("encoding")) == (issued, encoding)
