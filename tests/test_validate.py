"""Validation of edition folders: one test per kind of bad input, plus a valid folder end to end.

Each test builds a small edition in tmp_path from a valid baseline, breaks one thing, and asserts
the problem's file, field and a key phrase of its message — the contract the CLI prints from.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from PIL import Image

from epaper.ingest import InvalidEdition, Problem, load_edition, read_edition, validate_edition
from epaper.model import Paragraph, Run

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample-edition"

MANIFEST = {
    "title": "The Test Gazette",
    "date": "2026-11-28",
    "edition": "city",
    "language": "en",
    "format": "broadsheet",
    "sections": [
        {"name": "Front", "pages": 1, "template": "front"},
        {"name": "City", "pages": 2},
        {"name": "देश", "pages": 1, "language": "hi"},
    ],
    "ads": [{"page": 3, "columns": 3, "height_mm": 120, "position": "bottom-right", "image": "images/photo.png"}],
}

LEAD = {
    "id": "harbour-bridge",
    "section": "Front",
    "priority": 1,
    "kicker": "Transport",
    "headline": "Harbour bridge reopens after “two-year” repairs",
    "subheadline": "Council says tolls stay — for now",
    "byline": "By A. Writer",
    "dateline": "ALDERY",
    "published": "2026-11-28T06:15:00+05:30",
    "body": ["The bridge opened at 6\u00a0a.m. with **cheers** and *horns*.", "## Traffic", "Queues   were\nshort."],
    "images": [{"src": "images/photo.png", "caption": "The bridge at dawn.", "credit": "Courier photo"}],
    "tags": ["bridge", "council"],
}

HINDI_MD = """---
id: hi-mela
section: देश
headline: तट पर मेला शुरू
byline: संवाददाता
---
पहला अनुच्छेद, **मोटा** और _तिरछा_।

दूसरा अनुच्छेद।
"""


def write_json(folder: Path, name: str, data: object) -> Path:
    path = folder / "articles" / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_manifest(folder: Path, data: dict) -> None:
    (folder / "edition.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")


def with_manifest(folder: Path, **changes: object) -> None:
    write_manifest(folder, {**MANIFEST, **changes})


def with_lead(folder: Path, **changes: object) -> None:
    data = {**LEAD, **changes}
    write_json(folder, "lead.json", {k: v for k, v in data.items() if v is not REMOVE})


REMOVE = object()


def make_png(path: Path, size: tuple[int, int] = (40, 30)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 40, 40)).save(path)


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """A valid minimal edition: manifest, one JSON and one Markdown article, one tiny PNG."""
    folder = tmp_path / "edition"
    (folder / "articles").mkdir(parents=True)
    make_png(folder / "images" / "photo.png")
    write_manifest(folder, MANIFEST)
    with_lead(folder)
    (folder / "articles" / "hi-mela.md").write_text(HINDI_MD, encoding="utf-8")
    return folder


def only(problems: tuple[Problem, ...], file: str, field: str) -> Problem:
    """The single problem for ``file``/``field``; fails with the full list if there isn't exactly one."""
    matches = [p for p in problems if p.file == file and p.field == field]
    assert len(matches) == 1, "\n".join(str(p) for p in problems) or "no problems"
    return matches[0]


# ---------------------------------------------------------------- valid input


def test_valid_edition_has_no_problems(edition: Path) -> None:
    assert validate_edition(edition) == ()


def test_valid_edition_loads_model_values(edition: Path) -> None:
    loaded = load_edition(edition)
    assert loaded.title == "The Test Gazette"
    assert loaded.date.isoformat() == "2026-11-28"
    assert loaded.format == "broadsheet"
    assert [s.name for s in loaded.sections] == ["Front", "City", "देश"]
    assert loaded.sections[1].template == "standard"  # the default
    assert loaded.page_count == 4
    assert loaded.ads[0].page == 3 and loaded.ads[0].image == (edition / "images/photo.png").resolve()

    lead, hindi = sorted(loaded.articles, key=lambda a: a.id)
    assert lead.id == "harbour-bridge" and lead.priority == 1
    assert lead.headline == "Harbour bridge reopens after “two-year” repairs"  # curly quotes kept
    assert lead.subheadline == "Council says tolls stay — for now"
    assert lead.language == "en"  # the edition's
    assert lead.body[0] == Paragraph(runs=(
        Run("The bridge opened at 6\u00a0a.m. with "), Run("cheers", bold=True), Run(" and "),
        Run("horns", italic=True), Run("."),
    ))
    assert lead.body[1] == Paragraph(runs=(Run("Traffic"),), kind="subhead")
    assert lead.body[2].text == "Queues were short."  # spaces and newline collapsed
    photo = lead.photos[0]
    assert (photo.width_px, photo.height_px) == (40, 30)
    assert photo.path == (edition / "images" / "photo.png").resolve()
    assert photo.caption == "The bridge at dawn." and photo.credit == "Courier photo"
    assert lead.tags == ("bridge", "council")
    assert lead.source_file == (edition / "articles" / "lead.json").resolve()

    assert hindi.section == "देश" and hindi.priority == 3  # default priority
    assert hindi.language == "hi"  # inherited from the section
    assert [p.text for p in hindi.body] == ["पहला अनुच्छेद, मोटा और तिरछा।", "दूसरा अनुच्छेद।"]
    assert hindi.body[0].runs[1] == Run("मोटा", bold=True)


def test_article_language_overrides_and_defaults(edition: Path) -> None:
    with_lead(edition, language="en-GB")
    write_json(edition, "plain.json", {"id": "plain", "section": "City", "headline": "H", "body": "Text."})
    loaded = {a.id: a for a in load_edition(edition).articles}
    assert loaded["harbour-bridge"].language == "en-GB"
    assert loaded["plain"].language == "en"


def test_markdown_body_string_in_json(edition: Path) -> None:
    with_lead(edition, body="First *para*.\n\n## Sub\nSecond para.")
    lead = next(a for a in load_edition(edition).articles if a.id == "harbour-bridge")
    assert [(p.kind, p.text) for p in lead.body] == [("text", "First para."), ("subhead", "Sub"),
                                                     ("text", "Second para.")]


def test_crlf_line_endings_and_bom_are_accepted(edition: Path) -> None:
    path = edition / "articles" / "hi-mela.md"
    path.write_bytes(b"\xef\xbb\xbf" + HINDI_MD.replace("\n", "\r\n").encode("utf-8"))
    hindi = next(a for a in load_edition(edition).articles if a.id == "hi-mela")
    assert len(hindi.body) == 2


def test_unknown_fields_readmes_and_other_files_are_warnings_not_errors(edition: Path) -> None:
    with_manifest(edition, printer="Coast Press", deadline="22:30")
    with_lead(edition, desk_note="check spelling", word_count=412)
    (edition / "articles" / "README.md").write_text("How to write articles\n", encoding="utf-8")
    (edition / "articles" / "notes.txt").write_text("not an article", encoding="utf-8")
    (edition / "articles" / ".lead.json.swp").write_bytes(b"\x00\xff")
    (edition / "articles" / "drafts").mkdir()
    assert validate_edition(edition) == ()
    assert load_edition(edition).extra == {"printer": "Coast Press", "deadline": "22:30"}
    warned = {(w.file, w.field) for w in read_edition(edition).warnings}
    assert {("edition.yaml", "printer"), ("edition.yaml", "deadline"), ("articles/lead.json", "desk_note"),
            ("articles/lead.json", "word_count"), ("articles/README.md", ""), ("articles/notes.txt", ""),
            ("articles/drafts/", "")} <= warned
    assert not any(".swp" in file for file, _ in warned)  # hidden files are an editor's, not the desk's


def test_numeric_id_from_yaml_is_text(edition: Path) -> None:
    with_lead(edition, id=2024)
    assert "2024" in {a.id for a in load_edition(edition).articles}


def test_id_defaults_to_a_safe_file_name(edition: Path) -> None:
    write_json(edition, "late-news.json", {"section": "City", "headline": "Late", "body": ["Text."]})
    assert "late-news" in {a.id for a in load_edition(edition).articles}


def test_pin_is_read(edition: Path) -> None:
    with_lead(edition, pin={"page": 1, "slot": "lead", "columns": 4})
    lead = next(a for a in load_edition(edition).articles if a.id == "harbour-bridge")
    assert (lead.pin.page, lead.pin.slot, lead.pin.columns) == (1, "lead", 4)


# ---------------------------------------------------------------- the manifest


def test_missing_manifest(edition: Path) -> None:
    (edition / "edition.yaml").unlink()
    problem = only(validate_edition(edition), "edition.yaml", "")
    assert "is missing" in problem.message


def test_folder_that_does_not_exist(tmp_path: Path, capsys) -> None:
    problems = validate_edition(tmp_path / "nowhere")
    assert len(problems) == 1 and problems[0].message == "no such folder"
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    problems = validate_edition(tmp_path / "a-file")
    assert len(problems) == 1 and problems[0].message == "is not a folder"
    # epaper validate takes a night file too: a path misspelt is said to be neither (a desk review).
    from epaper.cli import main

    assert main(["validate", str(tmp_path / "night.yml")]) == 1
    said = " ".join(capsys.readouterr().out.split())
    assert "night.yml: no such folder or file — give an edition folder (it holds edition.yaml) or a night file" in said


def test_an_editions_yaml_given_for_its_folder_is_said_so(edition: Path, capsys) -> None:
    """An outside audit: epaper validate EDITION/edition.yaml read it as a night file and listed nine
    problems ('main is missing', "unknown field 'title'", ...). Each command taking a night file
    says which file it was given and what to give."""
    from epaper.cli import main

    manifest = edition / "edition.yaml"
    for command in (["validate"], ["watch"], ["build-night"]):
        assert main([*command, str(manifest)]) == 1
        said = " ".join(capsys.readouterr().out.split())
        assert f"{manifest} is an edition's edition.yaml:" in said and "main is missing" not in said
        assert (f"epaper build {edition}" if command == ["build-night"] else f"give its folder, {edition}") in said


def test_malformed_yaml_reports_line_and_column(edition: Path) -> None:
    (edition / "edition.yaml").write_text("title: X\ndate: 2026-11-28\nsections: [a, b\nformat: tabloid\n",
                                          encoding="utf-8")
    problem = only(validate_edition(edition), "edition.yaml", "")
    assert "not valid YAML at line 4, column" in problem.message
    assert "that begins at line 3, column 11" in problem.message  # the bracket left open


def test_a_quote_never_closed_in_front_matter_is_said_where_it_begins(edition: Path) -> None:
    """The parser stops at the end of the front matter; the desk is sent to the line of the quote."""
    story = next((edition / "articles").glob("*.md"))
    text = story.read_text(encoding="utf-8")
    head, _, rest = text.partition("\nheadline:")
    line = head.count("\n") + 2  # the headline's line in the file (the first is '---')
    story.write_text(head + '\nheadline: "An unclosed quote' + rest.partition("\n")[2], encoding="utf-8")
    problem = only(validate_edition(edition), f"articles/{story.name}", "")
    assert f"while scanning a quoted scalar that begins at line {line}, column 11)" in problem.message, problem.message


def test_a_tab_in_the_manifest_is_said_to_be_one(edition: Path) -> None:
    """PyYAML's "found character that cannot start any token" does not say the character is a tab,
    which most editors show as spaces."""
    text = (edition / "edition.yaml").read_text(encoding="utf-8")
    (edition / "edition.yaml").write_text(text.replace("\n  pages: 2", "\n\tpages: 2"), encoding="utf-8")
    line = text.partition("\n  pages: 2")[0].count("\n") + 2
    problem = only(validate_edition(edition), "edition.yaml", "")
    assert problem.message == (f"is not valid YAML at line {line}, column 1: a tab character before 'pages: 2', "
                               "and YAML indents with spaces only"), problem.message
    assert problem.fix.startswith(f"replace the tab on line {line} with spaces")


def test_a_tab_in_front_matter_is_said_on_the_files_line(edition: Path) -> None:
    story = edition / "articles" / "hi-mela.md"
    story.write_text(HINDI_MD.replace("byline:", "\tbyline:"), encoding="utf-8")
    line = HINDI_MD.partition("byline:")[0].count("\n") + 1  # the file's line, the '---' counted
    problem = only(validate_edition(edition), "articles/hi-mela.md", "")
    assert f"at line {line}, column 1: a tab character before 'byline: संवाददाता'" in problem.message, problem.message
    assert "YAML indents with spaces only" in problem.message and f"line {line}" in problem.fix


def test_empty_manifest(edition: Path) -> None:
    (edition / "edition.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert "is empty" in only(validate_edition(edition), "edition.yaml", "").message


def test_manifest_that_is_not_a_mapping(edition: Path) -> None:
    (edition / "edition.yaml").write_text("- Front\n- City\n", encoding="utf-8")
    assert "must be a mapping" in only(validate_edition(edition), "edition.yaml", "").message


def test_missing_title(edition: Path) -> None:
    with_manifest(edition, title=None)
    assert "title is missing" in only(validate_edition(edition), "edition.yaml", "title").message


@pytest.mark.parametrize("value, phrase", [
    ("28/11/2026", "not a YYYY-MM-DD date"),
    ("2026-02-30", "not a real calendar date"),
    (20261128, "not a YYYY-MM-DD date"),
])
def test_bad_date(edition: Path, value: object, phrase: str) -> None:
    with_manifest(edition, date=value)
    problem = only(validate_edition(edition), "edition.yaml", "date")
    assert phrase in problem.message and "YYYY-MM-DD" in problem.fix


def test_rights_are_a_licence_or_statement_uri_and_carried_with_the_attribution(edition: Path) -> None:
    """An archive's audit: no rights statement anywhere (ingest profiles require one). edition.yaml
    gives one (IIIF takes Creative Commons and RightsStatements.org URIs) and who holds it."""
    with_manifest(edition, rights="all rights reserved")
    problem = only(validate_edition(edition), "edition.yaml", "rights")
    assert "not a Creative Commons or RightsStatements.org URI" in problem.message
    assert "http://rightsstatements.org/vocab/InC/1.0/" in problem.fix and "attribution" in problem.fix
    with_manifest(edition, rights="https://creativecommons.org/licenses/by/4.0/", attribution="© 2026 The Courier")
    loaded = load_edition(edition)
    assert (loaded.rights, loaded.attribution) == ("https://creativecommons.org/licenses/by/4.0/", "© 2026 The Courier")
    assert not [w for w in read_edition(edition).warnings if w.field in ("rights", "attribution")]


def test_unknown_format_lists_known_ones(edition: Path) -> None:
    with_manifest(edition, format="berliner")
    problem = only(validate_edition(edition), "edition.yaml", "format")
    assert "unknown format 'berliner'" in problem.message
    assert "broadsheet" in problem.fix and "tabloid" in problem.fix


def test_unknown_template(edition: Path) -> None:
    sections = [dict(s) for s in MANIFEST["sections"]]
    sections[2]["template"] = "fornt"
    with_manifest(edition, sections=sections)
    problem = only(validate_edition(edition), "edition.yaml", "sections[2].template")
    assert "unknown template 'fornt'" in problem.message and "front" in problem.fix


@pytest.mark.parametrize("pages, phrase", [(0, "out of range"), ("two", "must be a whole number"),
                                           (-1, "out of range"), (1.5, "must be a whole number")])
def test_pages_must_be_a_positive_whole_number(edition: Path, pages: object, phrase: str) -> None:
    sections = [dict(s) for s in MANIFEST["sections"]]
    sections[1]["pages"] = pages
    with_manifest(edition, sections=sections)
    assert phrase in only(validate_edition(edition), "edition.yaml", "sections[1].pages").message


def test_duplicate_section_names(edition: Path) -> None:
    with_manifest(edition, sections=[*MANIFEST["sections"], {"name": "City", "pages": 1}])
    problem = only(validate_edition(edition), "edition.yaml", "sections[3].name")
    assert "duplicate section name 'City'" in problem.message


@pytest.mark.parametrize("sections", [None, []])
def test_no_sections(edition: Path, sections: object) -> None:
    with_manifest(edition, sections=sections)
    problems = validate_edition(edition)
    assert "no sections" in only(problems, "edition.yaml", "sections").message
    # Articles are not buried under follow-on "unknown section" errors.
    assert not [p for p in problems if p.field == "section"]


def test_section_language_and_manifest_language_are_checked(edition: Path) -> None:
    sections = [dict(s) for s in MANIFEST["sections"]]
    sections[2]["language"] = "Hindi!"
    with_manifest(edition, sections=sections, language=False)  # YAML's reading of `language: no`
    problems = validate_edition(edition)
    assert "not a language code" in only(problems, "edition.yaml", "sections[2].language").message
    problem = only(problems, "edition.yaml", "language")
    assert "YAML read false" in problem.message and "quotes" in problem.fix


@pytest.mark.parametrize("change, field, phrase", [
    ({"page": 9}, "ads[0].page", "9 is out of range"),
    ({"columns": 7}, "ads[0].columns", "7 is out of range"),
    ({"columns": 0}, "ads[0].columns", "0 is out of range"),
    ({"position": "middle"}, "ads[0].position", "'middle' is not one of"),
    ({"height_mm": -5}, "ads[0].height_mm", "out of range"),
    ({"height_mm": "tall"}, "ads[0].height_mm", "must be a number"),
    # What was given, said once: not "a list a list" or "true/false true".
    ({"height_mm": [120]}, "ads[0].height_mm", "height_mm must be a number, not a list"),
    ({"columns": True}, "ads[0].columns", "columns must be a whole number, not true"),
    ({"page": "2"}, "ads[0].page", "page must be a whole number, not text '2'"),
    ({"position": "botom"}, "ads[0].position", "did you mean 'bottom'?"),
    ({"position": 3}, "ads[0].position", "position must be one of the allowed values, not the number 3"),
    ({"image": "images/missing.jpg"}, "ads[0].image", "does not exist"),
])
def test_bad_ads(edition: Path, change: dict, field: str, phrase: str) -> None:
    with_manifest(edition, ads=[{**MANIFEST["ads"][0], **change}])
    problem = only(validate_edition(edition), "edition.yaml", field)
    assert phrase in problem.message
    if field == "ads[0].columns":
        assert "6 columns" in problem.fix


def test_a_required_field_misspelt_is_named_in_its_missing_error(edition: Path) -> None:
    """A desk review: an ad booked with "column:" and "height:" was said to lack columns and
    height_mm, the misspellings warned of apart (among errors, a night does not show warnings)."""
    ad = {key: value for key, value in MANIFEST["ads"][0].items() if key not in ("columns", "height_mm")}
    with_manifest(edition, ads=[{**ad, "column": 2, "height": 80}])
    problems = validate_edition(edition)
    assert only(problems, "edition.yaml", "ads[0].columns").message == \
        "columns is missing ('column' is given: a misspelling of it?)"
    assert only(problems, "edition.yaml", "ads[0].height_mm").message == \
        "height_mm is missing ('height' is given: a misspelling of it?)"


def test_ad_artwork_of_other_proportions_than_its_booking_is_warned_of(edition: Path) -> None:
    # 3 broadsheet columns are 152 mm: booked 152 × 60 mm (2.53:1), the artwork is 4:3.
    make_png(edition / "images" / "ad.png", (400, 300))
    with_manifest(edition, ads=[{**MANIFEST["ads"][0], "height_mm": 60, "image": "images/ad.png"}])
    reading = read_edition(edition)
    assert reading.problems == ()
    problem = only(reading.warnings, "edition.yaml", "ads[0].image")
    assert "400 × 300 px (1.33:1)" in problem.message and "booked 3 columns × 60 mm (152 × 60 mm" in problem.message
    assert "prints 80 × 60 mm, centred" in problem.message and "never stretched" in problem.message
    assert "supply artwork of 152 × 60 mm (at 300 dpi 1795 × 709 px), or book the ad 114 mm deep" in problem.fix
    assert reading.edition is not None and reading.edition.ads[0].image_size == (400, 300)


def test_ad_artwork_within_a_rounding_of_its_booking_is_not_warned_of(edition: Path) -> None:
    make_png(edition / "images" / "ad.png", (1520, 610))  # 152 × 61 mm: 1.6 % deeper than booked
    with_manifest(edition, ads=[{**MANIFEST["ads"][0], "height_mm": 60, "image": "images/ad.png"}])
    assert [w for w in read_edition(edition).warnings if w.field == "ads[0].image"] == []


# ---------------------------------------------------------------- article files


def test_malformed_json_reports_line_and_column(edition: Path) -> None:
    (edition / "articles" / "lead.json").write_text('{\n  "id": "x",\n  "section": "City"\n  "headline": "H"\n}',
                                                    encoding="utf-8")
    problem = only(validate_edition(edition), "articles/lead.json", "")
    assert "not valid JSON at line 4, column 3" in problem.message


@pytest.mark.parametrize("name", ["lead.json", "hi-mela.md"])
def test_an_empty_story_file_is_said_to_be_empty_not_malformed(edition: Path, name: str) -> None:
    """A story saved half-way (0 bytes, or only a line break) reads as what it is."""
    (edition / "articles" / name).write_text("\n", encoding="utf-8")
    problem = only(validate_edition(edition), f"articles/{name}", "")
    assert problem.message == "is empty (nothing in the file)" and "save the story again in full" in problem.fix


def test_malformed_front_matter_reports_line_in_the_file(edition: Path) -> None:
    (edition / "articles" / "hi-mela.md").write_text(
        "---\nid: hi-mela\nsection: देश\nheadline: [unclosed\n---\nबॉडी।\n", encoding="utf-8")
    problem = only(validate_edition(edition), "articles/hi-mela.md", "")
    assert "not valid YAML at line" in problem.message
    assert "line 5" in problem.message  # the closing '---' line of the file, not of the header


@pytest.mark.parametrize("text, phrase", [
    ("id: x\nheadline: H\n\nBody.\n", "no front matter"),
    ("---\nid: x\nheadline: H\nBody.\n", "not closed"),
    ("---\n---\nBody.\n", "front matter is empty"),
])
def test_bad_front_matter_shape(edition: Path, text: str, phrase: str) -> None:
    (edition / "articles" / "hi-mela.md").write_text(text, encoding="utf-8")
    assert phrase in only(validate_edition(edition), "articles/hi-mela.md", "").message


def test_article_that_is_not_a_mapping(edition: Path) -> None:
    write_json(edition, "lead.json", ["a", "list"])
    assert "must hold a mapping" in only(validate_edition(edition), "articles/lead.json", "").message


def test_non_utf8_file(edition: Path) -> None:
    (edition / "articles" / "lead.json").write_bytes('{"headline": "Caf\u00e9"}'.encode("latin-1"))
    problem = only(validate_edition(edition), "articles/lead.json", "")
    assert "not UTF-8" in problem.message and "0xE9" in problem.message and "UTF-8" in problem.fix


@pytest.mark.parametrize("field", ["headline", "section", "body"])
def test_missing_required_field(edition: Path, field: str) -> None:
    with_lead(edition, **{field: REMOVE})
    assert f"{field} is missing" in only(validate_edition(edition), "articles/lead.json", field).message


@pytest.mark.parametrize("body", ["", "   \n\n  ", [], ["", "  "]])
def test_empty_body(edition: Path, body: object) -> None:
    with_lead(edition, body=body)
    assert "body is empty" in only(validate_edition(edition), "articles/lead.json", "body").message


def test_empty_markdown_body(edition: Path) -> None:
    (edition / "articles" / "hi-mela.md").write_text(HINDI_MD.split("---\n", 2)[0] + "---\n" +
                                                   HINDI_MD.split("---\n")[1] + "---\n\n", encoding="utf-8")
    assert "body is missing" in only(validate_edition(edition), "articles/hi-mela.md", "body").message


def test_empty_headline(edition: Path) -> None:
    with_lead(edition, headline="   ")
    assert "headline is empty" in only(validate_edition(edition), "articles/lead.json", "headline").message


@pytest.mark.parametrize("change, field, phrase", [
    ({"headline": ["a", "b"]}, "headline", "must be text, not a list"),
    ({"body": 42}, "body", "must be text or a list of paragraphs"),
    ({"body": ["ok", {"p": 1}]}, "body[1]", "paragraph must be text"),
    ({"images": "images/photo.png"}, "images", "must be a list"),
    ({"images": [42]}, "images[0]", "must be a mapping"),
    ({"tags": {"a": 1}}, "tags", "must be a list of text"),
    ({"pin": 3}, "pin", "must be a mapping"),
])
def test_wrong_types(edition: Path, change: dict, field: str, phrase: str) -> None:
    with_lead(edition, **change)
    assert phrase in only(validate_edition(edition), "articles/lead.json", field).message


def test_unknown_section_lists_valid_ones(edition: Path) -> None:
    with_lead(edition, section="city")
    problem = only(validate_edition(edition), "articles/lead.json", "section")
    assert "unknown section 'city' (did you mean 'City'?)" in problem.message
    assert problem.fix == "use one of: Front, City, देश"
    assert str(problem).startswith("articles/lead.json: section: unknown section 'city'")


def test_duplicate_id_names_both_files(edition: Path) -> None:
    write_json(edition, "zz-copy.json", {**LEAD, "section": "City"})
    problem = only(validate_edition(edition), "articles/zz-copy.json", "id")
    assert "duplicate id 'harbour-bridge'" in problem.message and "articles/lead.json" in problem.message


@pytest.mark.parametrize("bad_id", ["Harbour-Bridge", "../etc/passwd", "a.b", "", "a b", "-lead", -17, 1.5])
def test_unsafe_id(edition: Path, bad_id: object) -> None:
    with_lead(edition, id=bad_id)
    problem = only(validate_edition(edition), "articles/lead.json", "id")
    assert "not a safe id" in problem.message and "a–z, 0–9" in problem.message


def test_missing_id_with_unusable_file_name(edition: Path) -> None:
    (edition / "articles" / "lead.json").unlink()
    write_json(edition, "Lead Story.json", {k: v for k, v in LEAD.items() if k != "id"})
    problem = only(validate_edition(edition), "articles/Lead Story.json", "id")
    assert "id is missing" in problem.message and "'lead-story'" in problem.fix


@pytest.mark.parametrize("priority, phrase", [(0, "0 is out of range"), (6, "6 is out of range"),
                                              ("high", "must be a whole number"), (True, "must be a whole number")])
def test_priority_out_of_range(edition: Path, priority: object, phrase: str) -> None:
    with_lead(edition, priority=priority)
    problem = only(validate_edition(edition), "articles/lead.json", "priority")
    assert phrase in problem.message and "1–5" in problem.fix


def test_bad_language_and_published(edition: Path) -> None:
    with_lead(edition, language="english please", published="yesterday")
    problems = validate_edition(edition)
    assert "not a language code" in only(problems, "articles/lead.json", "language").message
    assert "not an ISO 8601" in only(problems, "articles/lead.json", "published").message


def test_pin_outside_the_section_and_too_wide(edition: Path) -> None:
    with_lead(edition, section="City", pin={"page": 1, "columns": 9})
    problems = validate_edition(edition)
    page = only(problems, "articles/lead.json", "pin.page")
    assert "pinned page 1 is not in section 'City' (pages 2–3)" in page.message
    assert "9 is out of range" in only(problems, "articles/lead.json", "pin.columns").message


def test_pin_page_beyond_the_edition(edition: Path) -> None:
    with_lead(edition, pin={"page": 12})
    assert "12 is out of range" in only(validate_edition(edition), "articles/lead.json", "pin.page").message


def test_a_wrong_page_count_hides_only_the_page_numbers_it_makes_unknowable(edition: Path) -> None:
    """A desk review: with a section's `pages: 0`, a pin outside its story's section and an ad past
    any edition's end were not said (every page number was taken as unknown): the section's pages
    were fixed, validated again, and then the others came. The pages before the broken section are
    known, and no edition has more than 200 pages, so both are said with it at once; an ad or a pin
    that only the broken count could make wrong is not."""
    sections = [MANIFEST["sections"][0], {**MANIFEST["sections"][1], "pages": 0}, MANIFEST["sections"][2]]
    with_manifest(edition, sections=sections, ads=[{**MANIFEST["ads"][0], "page": 250}, MANIFEST["ads"][0]])
    with_lead(edition, pin={"page": 3})  # a Front story: Front is page 1, whatever City's count
    hindi = (edition / "articles" / "hi-mela.md").read_text(encoding="utf-8")
    (edition / "articles" / "hi-mela.md").write_text(hindi.replace("section: देश\n", "section: देश\npin: {page: 7}\n"),
                                                     encoding="utf-8")  # after City: may be right
    problems = validate_edition(edition)
    assert "pages 0 is out of range" in only(problems, "edition.yaml", "sections[1].pages").message
    assert "pinned page 3 is not in section 'Front' (page 1)" in only(problems, "articles/lead.json", "pin.page").message
    ad = only(problems, "edition.yaml", "ads[0].page")
    assert ad.message == "page 250 is out of range" and "1–200 (an edition has at most 200 pages)" in ad.fix
    assert {(p.file, p.field) for p in problems} == {("edition.yaml", "sections[1].pages"), ("edition.yaml", "ads[0].page"),
                                                    ("articles/lead.json", "pin.page")}, problems


def test_a_section_whose_name_is_wrong_still_counts_its_pages(edition: Path) -> None:
    """Sections Front 1, City 2, City 1 (the name twice) and देश 1 are 5 pages whatever the second
    City is to be called: an ad on page 5 is on a page of the edition (the count was 4, the wrong
    section's page left out, and the ad said to be out of range), one on page 6 is not."""
    sections = [*MANIFEST["sections"][:2], {"name": "City", "pages": 1}, MANIFEST["sections"][2]]
    with_manifest(edition, sections=sections, ads=[{**MANIFEST["ads"][0], "page": 5}, {**MANIFEST["ads"][0], "page": 6}])
    problems = validate_edition(edition)
    assert "duplicate section name" in only(problems, "edition.yaml", "sections[2].name").message
    assert "page 6 is out of range" in only(problems, "edition.yaml", "ads[1].page").message
    assert not [p for p in problems if p.field == "ads[0].page"], problems


# ---------------------------------------------------------------- images


def image_problem(edition: Path, src: str) -> Problem:
    with_lead(edition, images=[{"src": src, "caption": "c"}])
    return only(validate_edition(edition), "articles/lead.json", "images[0].src")


def test_image_missing(edition: Path) -> None:
    problem = image_problem(edition, "images/nope.jpg")
    assert problem.message == "image 'images/nope.jpg' does not exist"  # no file of a name like it
    assert "check the file name" in problem.fix


@pytest.mark.parametrize("src, meant", [
    ("images/en-wn-clok.jpg", "images/en-wn-clock.jpg"),  # a letter left out
    ("./images/EN-WN-Clock.jpg", "./images/en-wn-clock.jpg"),  # case, the folder as written
    ("images/en-wn-clock.jpeg", "images/en-wn-clock.jpg"),
])
def test_a_missing_image_suggests_the_near_identical_file_in_its_folder(edition: Path, src: str, meant: str) -> None:
    make_png(edition / "images" / "en-wn-clock.jpg")  # (a PNG so named: only the name matters here)
    make_png(edition / "images" / "en-wn-dock-strike.jpg")
    problem = image_problem(edition, src)
    assert problem.message == f"image '{src}' does not exist (did you mean '{meant}'?)", problem.message
    assert "check the file name" in problem.fix


def test_a_missing_image_in_a_folder_that_is_not_there_suggests_nothing(edition: Path) -> None:
    assert image_problem(edition, "imgs/photo.png").message == "image 'imgs/photo.png' does not exist"


def test_image_that_is_not_an_image(edition: Path) -> None:
    (edition / "images" / "fake.jpg").write_text("this is text, not a JPEG", encoding="utf-8")
    problem = image_problem(edition, "images/fake.jpg")
    assert "'images/fake.jpg' is not an image" in problem.message and "JPEG or PNG" in problem.fix


def test_truncated_image(edition: Path) -> None:
    good = (edition / "images" / "photo.png").read_bytes()
    (edition / "images" / "broken.png").write_bytes(good[: len(good) // 2])
    assert "damaged" in image_problem(edition, "images/broken.png").message


def test_image_outside_the_folder(edition: Path) -> None:
    make_png(edition.parent / "outside.png")
    assert "outside the edition folder" in image_problem(edition, "../outside.png").message


def test_image_absolute_path_outside_the_folder(edition: Path) -> None:
    make_png(edition.parent / "abs.png")
    assert "outside the edition folder" in image_problem(edition, str(edition.parent / "abs.png")).message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_image_symlink_pointing_outside_the_folder(edition: Path) -> None:
    make_png(edition.parent / "secret.png")
    (edition / "images" / "link.png").symlink_to(edition.parent / "secret.png")
    assert "outside the edition folder" in image_problem(edition, "images/link.png").message


def test_image_web_address(edition: Path) -> None:
    assert "web address" in image_problem(edition, "https://example.com/a.jpg").message


@pytest.mark.parametrize("size", [(10, 15), (30, 30)])  # Pillow's warning band, then its error band
def test_image_too_large(edition: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    make_png(edition / "images" / f"bomb-{size[0]}.png", size)
    problem = image_problem(edition, f"images/bomb-{size[0]}.png")
    assert "is too large (" in problem.message and "megapixels" in problem.message


def test_image_missing_src(edition: Path) -> None:
    with_lead(edition, images=[{"caption": "no file"}])
    assert "src is missing" in only(validate_edition(edition), "articles/lead.json", "images[0].src").message


# ---------------------------------------------------------------- fonts


def test_character_no_font_covers_is_reported(edition: Path) -> None:
    with_lead(edition, headline="Celebrations \U0001F600 at the harbour",
              body=["Visitors from 中国 arrived."],
              images=[{"src": "images/photo.png", "caption": "Fans \U0001F600"}])
    problems = validate_edition(edition)
    headline = only(problems, "articles/lead.json", "headline")
    assert "U+1F600 GRINNING FACE" in headline.message
    assert headline.fix == "remove it or add a font that covers it to fonts/fonts.yaml"
    body = [p for p in problems if p.field == "body"]
    assert [p.message.split(" (")[0] for p in body] == ["character U+4E2D CJK UNIFIED IDEOGRAPH-4E2D",
                                                         "character U+56FD CJK UNIFIED IDEOGRAPH-56FD"]
    assert "U+1F600" in only(problems, "articles/lead.json", "images[0].caption").message


def test_devanagari_and_typographic_characters_are_covered(edition: Path) -> None:
    with_lead(edition, headline="“Quotes” ‘single’ — en–dash … 5\u202f% ₹ €",
              body=["क्षत्रिय श्री ज़िला \u200dक्\u200d ॐ। Soft\u00adhyphen"])
    assert validate_edition(edition) == ()


def test_uncovered_character_in_an_otherwise_broken_article_is_still_reported(edition: Path) -> None:
    with_lead(edition, section="Nowhere", headline="Flag \U0001F1EE")
    fields = {p.field for p in validate_edition(edition)}
    assert fields == {"section", "headline"}


# ---------------------------------------------------------------- all at once


def test_many_problems_are_reported_at_once(edition: Path) -> None:
    sections = [dict(s) for s in MANIFEST["sections"]]
    sections[1]["template"] = "nope"
    with_manifest(edition, format="berliner", date="soon", sections=sections)
    with_lead(edition, section="Sports", priority=9, headline=REMOVE,
              images=[{"src": "images/missing.jpg"}])
    write_json(edition, "second.json", {"id": "Bad Id", "section": "City", "headline": "H", "body": []})
    (edition / "articles" / "third.json").write_text("{not json", encoding="utf-8")
    (edition / "articles" / "hi-mela.md").write_bytes(b"---\nid: x\n---\n\xff\xfe")

    problems = validate_edition(edition)
    found = {(p.file, p.field) for p in problems}
    assert found == {
        ("edition.yaml", "format"), ("edition.yaml", "date"), ("edition.yaml", "sections[1].template"),
        ("articles/lead.json", "section"), ("articles/lead.json", "priority"),
        ("articles/lead.json", "headline"), ("articles/lead.json", "images[0].src"),
        ("articles/second.json", "id"), ("articles/second.json", "body"),
        ("articles/third.json", ""), ("articles/hi-mela.md", ""),
    }
    with pytest.raises(InvalidEdition) as raised:
        load_edition(edition)
    assert raised.value.problems == problems
    assert str(raised.value).startswith(f"{len(problems)} problems in the edition folder:")


def test_articles_folder_missing_or_empty(edition: Path) -> None:
    for path in (edition / "articles").iterdir():
        path.unlink()
    assert "has no articles" in only(validate_edition(edition), "articles/", "").message
    (edition / "articles").rmdir()
    assert "folder is missing" in only(validate_edition(edition), "articles/", "").message


def test_problem_str_is_one_line_with_the_fix() -> None:
    problem = Problem("articles/foo.json", "section", "unknown section 'Sports'", "use one of: Front, City")
    assert str(problem) == "articles/foo.json: section: unknown section 'Sports' — use one of: Front, City"
    assert str(Problem("edition.yaml", "", "is missing")) == "edition.yaml: is missing"


# ---------------------------------------------------------------- the real sample


def test_sample_edition_is_valid() -> None:
    if not (SAMPLE / "edition.yaml").is_file() or not any((SAMPLE / "articles").glob("*.*")):
        pytest.skip("sample-edition/ is not written yet")
    reading = read_edition(SAMPLE)
    assert reading.problems == (), "\n".join(str(p) for p in reading.problems)
    assert reading.warnings == (), "\n".join(str(p) for p in reading.warnings)  # the example is clean


def test_section_name_typed_in_another_unicode_form_matches(edition: Path) -> None:
    sections = [dict(s) for s in MANIFEST["sections"]]
    sections[1]["name"] = "Caf\u00e9"  # precomposed é
    with_manifest(edition, sections=sections)
    with_lead(edition, section="Cafe\u0301", pin=REMOVE)  # e + combining acute
    lead = next(a for a in load_edition(edition).articles if a.id == "harbour-bridge")
    assert lead.section == "Caf\u00e9"


def test_pin_slot_must_be_a_known_position(edition: Path) -> None:
    with_lead(edition, pin={"page": 1, "slot": "middle"})
    problem = only(validate_edition(edition), "articles/lead.json", "pin.slot")
    assert "unknown slot 'middle'" in problem.message
    assert "lead" in problem.fix and "top" in problem.fix and "bottom" in problem.fix
