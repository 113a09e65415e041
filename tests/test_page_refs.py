"""Page references in a story's text: {page:Business} prints the first page of the section in the
edition being made (epaper.ingest.page_refs), so an "Inside today" box is right in every edition."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from epaper.build import build_edition
from epaper.ingest import read_edition

SECTIONS = [{"name": "Front", "pages": 1, "template": "front"}, {"name": "City", "pages": 2},
            {"name": "Business", "pages": 1}, {"name": "देश", "pages": 1, "language": "hi"}]


def _edition(folder: Path, index_body: list[str], *, sections=SECTIONS, digits: str | None = None,
             hindi: str = "पहला अनुच्छेद।") -> Path:
    (folder / "articles").mkdir(parents=True)
    manifest = {"title": "The Test Gazette", "date": "2026-11-28", "edition": "city", "language": "en",
                "format": "broadsheet", "sections": sections, **({"digits": digits} if digits else {})}
    (folder / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    stories = {"index": ("Front", index_body), "city": ("City", ["City news."]),
               "market": ("Business", ["Market news."])}
    for story_id, (section, body) in stories.items():
        (folder / "articles" / f"{story_id}.json").write_text(json.dumps(
            {"id": story_id, "section": section, "headline": f"The {story_id} story", "body": body}), encoding="utf-8")
    (folder / "articles" / "desh.md").write_text(
        f"---\nid: desh\nsection: देश\nheadline: तट पर मेला\n---\n{hindi}\n", encoding="utf-8")
    return folder


def _body(reading, story_id: str) -> list[str]:
    article = next(a for a in reading.edition.articles if a.id == story_id)
    return [paragraph.text for paragraph in article.body]


def test_a_page_reference_prints_the_first_page_of_its_section(tmp_path):
    folder = _edition(tmp_path / "e", ["Markets: **Page {page:Business}.** City: Page {page:City}."])
    reading = read_edition(folder)
    assert reading.problems == ()
    assert _body(reading, "index") == ["Markets: Page 4. City: Page 2."]
    index = next(a for a in reading.edition.articles if a.id == "index")
    assert index.written_body is not None and "{page:Business}" in index.written_body[0].text
    assert next(a for a in reading.edition.articles if a.id == "city").written_body is None  # no reference
    # Two pages more for City: the number follows the edition, the copy stays as written.
    grown = _edition(tmp_path / "g", ["Markets: Page {page:Business}."],
                     sections=[{**s, "pages": 4} if s["name"] == "City" else s for s in SECTIONS])
    assert _body(read_edition(grown), "index") == ["Markets: Page 6."]


def test_a_reference_in_a_devanagari_story_prints_the_editions_digits(tmp_path):
    folder = _edition(tmp_path / "e", ["Index."], digits="devanagari", hindi="देश: पृष्ठ {page:देश}।")
    assert _body(read_edition(folder), "desh") == ["देश: पृष्ठ ५।"]
    latin = _edition(tmp_path / "l", ["Index."], digits="latin", hindi="देश: पृष्ठ {page:देश}।")
    assert _body(read_edition(latin), "desh") == ["देश: पृष्ठ 5।"]


@pytest.mark.parametrize("body, phrase, fix", [
    (["Markets: Page {page:Busines}."], "the page reference '{page:Busines}' names no section (did you mean "
                                        "'Business'?)", "Front, City, Business, देश"),
    (["Sport: Page {page:Sport}."], "'{page:Sport}' names no section", "a section of edition.yaml"),
])
def test_a_reference_to_no_section_is_an_error_naming_the_story(tmp_path, body, phrase, fix):
    reading = read_edition(_edition(tmp_path / "e", body))
    [problem] = reading.problems
    assert (problem.file, problem.field) == ("articles/index.json", "body")
    assert phrase in problem.message and fix in problem.fix
    assert reading.edition is None  # nothing is built with it


def test_a_reference_to_a_section_whose_line_is_wrong_is_not_a_second_error(tmp_path):
    """An outside audit: City given "pages: 0" was said wrong, and the Inside box's {page:City} was
    said to name no section (City dropped from the list of sections it offered)."""
    sections = [dict(s, pages=0) if s["name"] == "City" else s for s in SECTIONS]
    reading = read_edition(_edition(tmp_path / "e", ["City: Page {page:City}."], sections=sections))
    assert reading.problems and all(p.file == "edition.yaml" for p in reading.problems), reading.problems
    assert any("pages" in p.field for p in reading.problems)


@pytest.mark.parametrize("markdown", ["See page {page:**Busi**ness} today.", "See page {**page**:Business} today."])
def test_a_reference_split_by_formatting_is_an_error(tmp_path, markdown):
    folder = _edition(tmp_path / "e", ["Index."])
    (folder / "articles" / "split.md").write_text(
        f"---\nid: split\nsection: City\nheadline: Split\n---\n{markdown}\n", encoding="utf-8")
    [problem] = read_edition(folder).problems
    assert problem.file == "articles/split.md" and "split by bold or italic" in problem.message


def test_a_reference_not_closed_or_outside_the_body_is_an_error_naming_the_field(tmp_path):
    folder = _edition(tmp_path / "e", ["Markets: Page {page:Business today."])
    [problem] = read_edition(folder).problems
    assert (problem.file, problem.field) == ("articles/index.json", "body") and "is not closed" in problem.message
    folder = _edition(tmp_path / "h", ["Index."])
    (folder / "articles" / "head.json").write_text(json.dumps(
        {"id": "head", "section": "City", "headline": "More on page {page:Business}", "body": ["Words."]}),
        encoding="utf-8")
    [problem] = read_edition(folder).problems
    assert (problem.file, problem.field) == ("articles/head.json", "headline")
    assert "only in a story's body, not in its headline" in problem.message and "write the page number out" in problem.fix


def test_a_section_named_with_an_apostrophe_is_found_from_curled_copy(tmp_path):
    sections = [*SECTIONS, {"name": "Editor's Picks", "pages": 1}]
    folder = _edition(tmp_path / "e", ["Picks: page {page:Editor's Picks}."], sections=sections)
    (folder / "articles" / "pick.json").write_text(json.dumps(
        {"id": "pick", "section": "Editor's Picks", "headline": "A pick", "body": ["Words."]}), encoding="utf-8")
    reading = read_edition(folder)
    assert reading.problems == ()
    assert _body(reading, "index") == ["Picks: page 6."]


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed (make test-deps)")
def test_the_printed_page_and_the_text_view_carry_the_number(tmp_path):
    """Read back by poppler from the PDFs built, not from the layout's own frames."""
    folder = _edition(tmp_path / "e", ["Markets: Page {page:Business}. City: Page {page:City}."])
    result = build_edition(folder, tmp_path / "out", workers=1)

    def text(pdf: Path) -> str:
        return " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                                       text=True).stdout.split())

    for printed in (result.out_dir / "pages" / "001.pdf", result.out_dir / "print" / "001.pdf"):
        assert "Markets: Page 4. City: Page 2." in text(printed)
        assert "{page:" not in text(printed)
    view = (result.out_dir / "articles" / "index.html").read_text(encoding="utf-8")
    assert "Markets: Page 4." in view and "{page:" not in view
    alto = (result.out_dir / "alto" / "001.xml").read_text(encoding="utf-8")
    assert 'CONTENT="4."' in alto and "{page:" not in alto
