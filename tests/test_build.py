"""End-to-end: the sample edition built through the real pipeline, every output of the contract checked."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from epaper.build import build_edition
from epaper.cache import STORE_DIR
from epaper.ingest import InvalidEdition
from epaper.tile_sets import tile_set_of

from pathlib import Path

pytestmark = pytest.mark.slow  # full builds of the sample edition

SAMPLE = Path(__file__).resolve().parent.parent / "sample-edition"


def _edition_dir(sample_build):
    result, _ = sample_build
    return result.out_dir


def test_build_writes_every_output_of_the_contract(sample_build):
    result, out_root = sample_build
    out = result.out_dir
    assert out.parent == out_root and out.name == "the-aldery-courier-2026-11-28-city"
    assert result.pages >= 16
    for name in ("edition.pdf", "manifest.json", "layout.json", "report.json", "report.html", "index.html"):
        assert (out / name).is_file(), name
    for n in range(1, result.pages + 1):
        assert (out / "pages" / f"{n:03d}.pdf").is_file()
        assert (out / "images" / f"{n:03d}.jpg").is_file()
        assert (out / "thumbs" / f"{n:03d}.jpg").is_file()
        assert (tile_set_of(out, n) / "info.json").is_file()
    assert not (out / "tiles").exists()  # the tiles are published beside the editions (epaper.tile_sets)
    assert (out_root / "index.html").is_file()
    hidden = [p.name for p in out_root.iterdir() if p.name.startswith(".")]
    assert hidden == [STORE_DIR], f"staging folder left behind: {hidden}"  # the build cache stays


def test_layout_json_is_the_article_map(sample_build, sample_edition):
    out = _edition_dir(sample_build)
    doc = json.loads((out / "layout.json").read_text(encoding="utf-8"))
    assert doc["edition"]["date"] == "2026-11-28" and doc["edition"]["edition"] == "city"
    width, height = doc["page_size"]
    placed = set()
    for page in doc["pages"]:
        assert (out / page["pdf"]).is_file() and (out / page["image"]).is_file()
        for art in page["articles"]:
            placed.add(art["id"])
            assert (out / "articles" / f"{art['id']}.html").is_file()
            for x, y, w, h in art["boxes"]:
                assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
            if art["continued_to"]:
                assert art["continued_to"] > page["number"]
    unplaced = {u["id"] for u in doc["unplaced"]}
    assert placed | unplaced == {a.id for a in sample_edition.articles}
    assert all(u["reason"] for u in doc["unplaced"])


def test_report_json_has_the_quality_figures(sample_build):
    report = json.loads((_edition_dir(sample_build) / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["overset_lines"] == 0
    for page in report["pages"]:
        for key in ("fill_ratio", "overset_lines", "widows", "orphans", "tombstones", "hyphen_runs", "loosest_line"):
            assert key in page
        assert 0 <= page["fill_ratio"] <= 1.0
    assert isinstance(report["unplaced"], list)


def test_edition_pdf_has_bookmarks_trimbox_metadata(sample_build):
    out = _edition_dir(sample_build)
    reader = PdfReader(out / "edition.pdf")
    assert len(reader.pages) == sample_build[0].pages
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Front" in titles and "देश" in titles
    assert any(isinstance(item, list) and item for item in reader.outline), "no article bookmarks"
    page = reader.pages[0]
    assert page.trimbox != page.mediabox and float(page.trimbox.left) > 0
    assert "Aldery Courier" in reader.metadata.title
    assert reader.trailer["/Root"]["/Lang"] == "en"


def _words(text: str) -> list[str]:
    # pdfium reports a hyphen that ends a line inside a word as U+FFFE and joins the word.
    text = unicodedata.normalize("NFC", text).replace("\ufffe", "")
    # Lines may break after a dash or slash: make those separate tokens on both sides.
    text = re.sub(r"\s*([/\u2014\u2013])\s*", r" \1 ", text)
    text = re.sub(r"-\s+", "", text).replace("-", "")
    return [w for w in re.split(r"\s+", text) if w]


def _is_subsequence(needle: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(any(word == h for h in it) for word in needle)


def test_every_word_of_every_placed_latin_article_is_in_the_pdf_in_order(sample_build, sample_edition):
    out = _edition_dir(sample_build)
    doc = json.loads((out / "layout.json").read_text(encoding="utf-8"))
    pdf = pdfium.PdfDocument(out / "edition.pdf")
    page_words = {}
    for page in doc["pages"]:
        page_words[page["number"]] = _words(pdf[page["number"] - 1].get_textpage().get_text_range())
    pages_of: dict[str, list[int]] = {}
    for page in doc["pages"]:
        for art in page["articles"]:
            pages_of.setdefault(art["id"], []).append(page["number"])
    checked = 0
    for article in sample_edition.articles:
        if article.id not in pages_of or article.language != "en":
            continue
        hay = [w for n in pages_of[article.id] for w in page_words[n]]
        body = _words(" ".join(p.text for p in article.body))
        assert _is_subsequence(body, hay), article.id
        assert _is_subsequence(_words(article.headline), hay), article.id
        checked += 1
    assert checked >= 40


def test_devanagari_extracts_as_the_original_unicode(sample_build, sample_edition):
    out = _edition_dir(sample_build)
    doc = json.loads((out / "layout.json").read_text(encoding="utf-8"))
    hindi_page = next(p for p in doc["pages"] if p["section"] == "देश")
    text = pdfium.PdfDocument(out / "edition.pdf")[hindi_page["number"] - 1].get_textpage().get_text_range()
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in text), "private-use codes in extracted text"
    article = next(a for a in sample_edition.articles if a.id == hindi_page["articles"][0]["id"])
    assert "".join(article.headline.split()) in "".join(text.split())


def test_a_failed_build_leaves_the_previous_output_intact(sample_build, tmp_path, monkeypatch):
    edition = tmp_path / "edition"
    shutil.copytree(SAMPLE, edition)
    # The previous output: the session's build of the same edition, copied (not built a second time).
    built, built_root = sample_build
    out_root = tmp_path / "out"
    shutil.copytree(built_root, out_root)
    first_dir = out_root / built.out_dir.name
    before = sorted(p.relative_to(first_dir) for p in first_dir.rglob("*"))

    import epaper.build as build_module

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The report is written by every build (the edition's other files may all come from the build cache).
    monkeypatch.setattr(build_module, "write_report_html", broken)
    with pytest.raises(RuntimeError):
        build_edition(edition, out_root)
    assert sorted(p.relative_to(first_dir) for p in first_dir.rglob("*")) == before
    assert [p.name for p in out_root.iterdir() if p.name.startswith(".")] == [STORE_DIR]
    monkeypatch.undo()
    (edition / "articles" / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidEdition) as error:
        build_edition(edition, out_root)
    assert "articles/broken.json" in str(error.value)
    assert sorted(p.relative_to(first_dir) for p in first_dir.rglob("*")) == before
