"""The hostile and careless inputs of issue 13: each is a message naming file and field, never a
traceback, and nothing the desk gave is dropped without a warning.

Most tests read the folder (``read_edition``: errors and warnings); the command-line tests check
the exit code and that no traceback reaches the terminal, for ``validate`` and ``build`` alike.
"""

from __future__ import annotations

import dataclasses

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image

from epaper.ingest import Problem, read_edition
from epaper.ingest.images import MAX_PIXELS
from epaper.ingest.manifest import MAX_EDITION_PAGES, MAX_SECTION_PAGES
from epaper.model import MAX_ID_PART
from test_validate import LEAD, edition, only, with_lead, write_json  # noqa: F401 - the fixture

__all__ = ["edition"]


def errors(folder: Path) -> tuple[Problem, ...]:
    return read_edition(folder).problems


def warnings_of(folder: Path) -> tuple[Problem, ...]:
    return read_edition(folder).warnings


def one_warning(folder: Path, file: str, field: str) -> Problem:
    matches = [w for w in warnings_of(folder) if w.file == file and w.field == field]
    assert len(matches) == 1, [str(w) for w in warnings_of(folder)]
    return matches[0]


def set_manifest_text(folder: Path, old: str, new: str) -> None:
    path = folder / "edition.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# ---------------------------------------------------------------- crashes that became messages


def test_impossible_calendar_date_unquoted(edition: Path) -> None:
    set_manifest_text(edition, "date: '2026-11-28'", "date: 2026-02-30")
    assert "not a real calendar date" in only(errors(edition), "edition.yaml", "date").message


def test_json_nested_100000_deep(edition: Path) -> None:
    (edition / "articles" / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert "deeper than" in only(errors(edition), "articles/deep.json", "").message


@pytest.mark.parametrize("name, text", [
    ("long.json", '{"id": "long", "priority": ' + "9" * 5000 + "}"),
    ("long.md", "---\nid: long\npriority: " + "9" * 5000 + "\n---\n\nBody."),
])
def test_a_number_thousands_of_digits_long_is_a_problem_not_a_traceback(edition: Path, name: str, text: str) -> None:
    (edition / "articles" / name).write_text(text, encoding="utf-8")
    problem = only(errors(edition), f"articles/{name}", "")
    assert "number too long to read" in problem.message and "quotes" in problem.fix


def test_json_nested_a_little_too_deep(edition: Path) -> None:
    nested: object = "x"
    for _ in range(40):
        nested = {"a": nested}
    with_lead(edition, pin=nested)
    assert "deeper than" in only(errors(edition), "articles/lead.json", "").message


def test_yaml_billion_laughs_is_refused_quickly(edition: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = edition / "edition.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    assert "after YAML aliases are expanded" in only(errors(edition), "edition.yaml", "").message


def test_yaml_aliases_in_reason_still_work(edition: Path) -> None:
    (edition / "articles" / "alias.md").write_text(
        "---\nid: alias\nsection: &s City\nheadline: Aliased\ntags: [*s, *s]\n---\nText.\n", encoding="utf-8")
    assert errors(edition) == ()
    assert [a.tags for a in read_edition(edition).edition.articles if a.id == "alias"] == [("City", "City")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_image_symlink_loop(edition: Path) -> None:
    os.symlink("loop-b.jpg", edition / "images" / "loop-a.jpg")
    os.symlink("loop-a.jpg", edition / "images" / "loop-b.jpg")
    with_lead(edition, images=[{"src": "images/loop-a.jpg"}])
    problem = only(errors(edition), "articles/lead.json", "images[0].src")
    assert "loops back on itself" in problem.message


@pytest.mark.parametrize("src, phrase", [
    ("images/photo\x00.png", "control character (U+0000)"),
    ("images/" + "x" * 5000 + ".jpg", "5,011 characters long"),
    ("images/" + "y" * 300 + ".jpg", "longer than 255 bytes"),
    ("images/\ud83d.jpg", "lone UTF-16 surrogate"),
])
def test_image_paths_that_no_file_system_takes(edition: Path, src: str, phrase: str) -> None:
    # ASCII JSON: a lone surrogate can only be written as a "\ud83d" escape.
    (edition / "articles" / "lead.json").write_text(json.dumps({**LEAD, "images": [{"src": src}]}), encoding="utf-8")
    assert phrase in only(errors(edition), "articles/lead.json", "images[0].src").message


def test_truncated_jpeg_with_intact_header(edition: Path) -> None:
    """verify() passes it; only decoding the whole image finds the missing data (as a build would)."""
    image = Image.frombytes("RGB", (300, 200), os.urandom(300 * 200 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    (edition / "images" / "cut.jpg").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with_lead(edition, images=[{"src": "images/cut.jpg"}])
    problem = only(errors(edition), "articles/lead.json", "images[0].src")
    assert "truncated" in problem.message and "damaged" in problem.message


def test_id_with_a_lone_surrogate(edition: Path) -> None:
    (edition / "articles" / "sur.json").write_text(
        '{"id": "a\\ud83d", "section": "City", "headline": "x\\udc00", "body": ["y"]}', encoding="utf-8")
    found = errors(edition)
    assert "lone UTF-16 surrogate" in only(found, "articles/sur.json", "id").message
    assert "U+DC00" in only(found, "articles/sur.json", "headline").message
    for problem in found:  # every message can be written as UTF-8 (the terminal, report.json)
        str(problem).encode("utf-8")


def test_long_edition_title_gives_a_short_unique_folder_name(edition: Path) -> None:
    set_manifest_text(edition, "title: The Test Gazette", "title: " + "Very long title " * 20)
    first = read_edition(edition).edition
    set_manifest_text(edition, "title: " + "Very long title " * 20, "title: " + "Very long title " * 19 + "Other")
    second = read_edition(edition).edition
    assert first.id != second.id
    for built in (first, second):
        name = built.id
        assert len(name.split("-2026-11-28-")[0]) <= MAX_ID_PART and len(name.encode()) < 255
    assert second.id == read_edition(edition).edition.id  # deterministic


def test_title_without_latin_letters_keeps_editions_apart(edition: Path) -> None:
    set_manifest_text(edition, "title: The Test Gazette", "title: दैनिक समाचार")
    hindi = read_edition(edition).edition.id
    set_manifest_text(edition, "title: दैनिक समाचार", "title: नवभारत")
    assert hindi != read_edition(edition).edition.id
    assert hindi.isascii()


@pytest.mark.parametrize("pages, field", [(1_000_000_000, "sections[1].pages"), (MAX_SECTION_PAGES + 1, "sections[1].pages")])
def test_section_page_count_that_can_only_be_a_mistake(edition: Path, pages: int, field: str) -> None:
    set_manifest_text(edition, "pages: 2", f"pages: {pages}")
    assert "out of range" in only(errors(edition), "edition.yaml", field).message


def test_edition_page_count_limit(edition: Path) -> None:
    sections = "".join(f"- name: S{i}\n  pages: {MAX_SECTION_PAGES}\n" for i in range(MAX_EDITION_PAGES // MAX_SECTION_PAGES + 1))
    set_manifest_text(edition, "sections:\n", "sections:\n" + sections)
    assert f"more than {MAX_EDITION_PAGES}" in only(errors(edition), "edition.yaml", "sections").message


def test_article_too_long(edition: Path) -> None:
    with_lead(edition, body=["word " * 31_000])
    assert "31,000 words" in only(errors(edition), "articles/lead.json", "body").message


def test_headline_a_page_long(edition: Path) -> None:
    with_lead(edition, headline="Headline " * 300)
    assert "characters long" in only(errors(edition), "articles/lead.json", "headline").message


def test_image_with_too_many_pixels(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("epaper.ingest.images.MAX_PIXELS", 100 * 100)
    Image.new("RGB", (200, 100)).save(edition / "images" / "big.png")
    with_lead(edition, images=[{"src": "images/big.png"}])
    assert "too large" in only(errors(edition), "articles/lead.json", "images[0].src").message
    assert MAX_PIXELS >= 40_000_000  # a real camera's photo passes


@pytest.mark.parametrize("mode, what", [("I;16", "16-bit greyscale"), ("F", "32-bit floating-point")])
def test_image_modes_that_would_print_wrong_are_refused(edition: Path, mode: str, what: str) -> None:
    name = "deep.png" if mode == "I;16" else "float.tif"
    Image.new(mode, (40, 30), 1000 if mode == "I;16" else 0.5).save(edition / "images" / name)
    with_lead(edition, images=[{"src": f"images/{name}"}])
    problem = only(errors(edition), "articles/lead.json", "images[0].src")
    assert what in problem.message and "8-bit" in problem.fix


# ---------------------------------------------------------------- nothing dropped without a word


def test_misspelt_optional_keys_are_warned_with_a_suggestion(edition: Path) -> None:
    with_lead(edition, subhed="A deck", images=[{"src": "images/photo.png", "captoin": "Oops"}])
    assert "did you mean 'subheadline'" in one_warning(edition, "articles/lead.json", "subhed").message
    assert "did you mean 'caption'" in one_warning(edition, "articles/lead.json", "images[0].captoin").message


def test_unknown_manifest_and_ad_fields_are_warned(edition: Path) -> None:
    set_manifest_text(edition, "position: bottom-right", "position: bottom-right\n  label: Harbour Motors\n  tagline: Since 1962")
    set_manifest_text(edition, "format: broadsheet", "format: broadsheet\nedtion: late")
    assert "did you mean 'edition'" in one_warning(edition, "edition.yaml", "edtion").message
    label = one_warning(edition, "edition.yaml", "ads[0].label")
    assert "not used" in label.message and "artwork" in label.fix
    one_warning(edition, "edition.yaml", "ads[0].tagline")
    assert errors(edition) == ()


def test_duplicate_key_in_json(edition: Path) -> None:
    text = json.dumps(LEAD, ensure_ascii=False)
    (edition / "articles" / "lead.json").write_text(text[:-1] + ', "headline": "Second headline"}', encoding="utf-8")
    assert "given twice" in only(errors(edition), "articles/lead.json", "headline").message


def test_duplicate_key_in_front_matter(edition: Path) -> None:
    (edition / "articles" / "twice.md").write_text(
        "---\nid: twice\nsection: City\nheadline: One\nheadline: Two\n---\nBody.\n", encoding="utf-8")
    problem = only(errors(edition), "articles/twice.md", "headline")
    assert "given twice (again at line 5)" in problem.message


def test_yaml_merge_keys_are_not_duplicates(edition: Path) -> None:
    set_manifest_text(edition, "ads:\n", "defaults: &ad {columns: 3, height_mm: 120}\nads:\n")
    assert errors(edition) == ()


def test_markdown_file_with_two_bodies(edition: Path) -> None:
    (edition / "articles" / "two.md").write_text(
        "---\nid: two\nsection: City\nheadline: Two bodies\nbody: The field body.\n---\nThe Markdown body.\n",
        encoding="utf-8")
    assert "two bodies" in only(errors(edition), "articles/two.md", "body").message


@pytest.mark.parametrize("name, phrase", [
    ("story.yaml", "only .json, .md, .markdown files are articles"),
    ("story.txt", "only .json, .md, .markdown files are articles"),
    ("_draft-story.md", "marks a draft"),
    ("README.md", "a README is notes"),
    ("readme-first.json", "a README is notes"),
])
def test_files_that_are_not_read_are_named(edition: Path, name: str, phrase: str) -> None:
    (edition / "articles" / name).write_text("---\nid: x\n---\nText\n", encoding="utf-8")
    assert phrase in one_warning(edition, f"articles/{name}", "").message


def test_subfolder_of_articles_is_named(edition: Path) -> None:
    (edition / "articles" / "late").mkdir()
    write_json(edition, "late/story.json", {**LEAD, "id": "late-story"})
    assert "subfolders are not read" in one_warning(edition, "articles/late/", "").message


def test_hidden_files_are_passed_over_in_silence(edition: Path) -> None:
    (edition / "articles" / ".lead.json.swp").write_bytes(b"\x00\xff")
    (edition / "articles" / ".DS_Store").write_bytes(b"\x00")
    assert [w for w in warnings_of(edition) if w.file.startswith("articles/")] == []


def test_control_characters_are_removed_and_warned(edition: Path) -> None:
    with_lead(edition, body=["The bridge\x00 opened\x07 at dawn."], headline="Bridge\x1b opens")
    reading = read_edition(edition)
    assert reading.problems == ()
    lead = next(a for a in reading.edition.articles if a.id == "harbour-bridge")
    assert lead.body[0].text == "The bridge opened at dawn." and lead.headline == "Bridge opens"
    assert "U+0000, U+0007" in one_warning(edition, "articles/lead.json", "body[0]").message
    assert "U+001B" in one_warning(edition, "articles/lead.json", "headline").message


def test_markdown_link_prints_its_address(edition: Path) -> None:
    with_lead(edition, body=["Read [the full report](https://example.org/report/) online."])
    lead = next(a for a in read_edition(edition).edition.articles if a.id == "harbour-bridge")
    assert lead.body[0].text == "Read the full report (example.org/report) online."


def test_inline_image_in_a_body_is_warned(edition: Path) -> None:
    with_lead(edition, body=["Before ![the bridge at dawn](images/photo.png) after."])
    assert "images/photo.png" in one_warning(edition, "articles/lead.json", "body").message


def test_section_without_articles_is_warned(edition: Path) -> None:
    set_manifest_text(edition, "- name: City\n  pages: 2\n", "- name: City\n  pages: 2\n- name: Empty\n  pages: 3\n")
    warning = one_warning(edition, "edition.yaml", "sections[2]")
    assert "'Empty' has no articles" in warning.message and "3 pages will be blank" in warning.message


# ---------------------------------------------------------------- the command line


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "epaper", *args], capture_output=True, timeout=300,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def _output(result: subprocess.CompletedProcess) -> str:
    return (result.stdout + result.stderr).decode("utf-8", "replace")


def test_cli_prints_a_lone_surrogate_without_crashing(edition: Path) -> None:
    (edition / "articles" / "sur.json").write_text(
        '{"id": "a\\ud83d", "section": "City", "headline": "x", "body": ["y"]}', encoding="utf-8")
    for command in ("validate", "build"):
        result = _cli(command, str(edition), *(["--out", str(edition.parent / "out")] if command == "build" else []))
        assert result.returncode == 1 and "Traceback" not in _output(result)
        assert "articles/sur.json: id:" in _output(result)


def test_validate_strict_turns_warnings_into_exit_1(edition: Path) -> None:
    with_lead(edition, subhed="A deck")
    plain = _cli("validate", str(edition))
    assert plain.returncode == 0 and "did you mean 'subheadline'" in _output(plain)
    strict = _cli("validate", "--strict", str(edition))
    assert strict.returncode == 1 and "warning (--strict)" in _output(strict)


def test_validate_says_what_the_layout_warns_of_as_build_does_and_writes_nothing(edition: Path, tmp_path: Path) -> None:
    """A section given more pages than its copy fills reads right, but prints blank pages: validate
    lays the edition out (nothing written) and says so, so --strict refuses what build --strict does."""
    manifest = edition / "edition.yaml"
    fields = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    fields["sections"][-1]["pages"] = fields["sections"][-1]["pages"] + 3
    manifest.write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
    before = sorted(edition.rglob("*"))
    plain = _cli("validate", str(edition))
    assert plain.returncode == 0 and "will have no story" in " ".join(_output(plain).split())
    strict = _cli("validate", "--strict", str(edition))
    built = _cli("build", "--strict", str(edition), "--out", str(tmp_path / "out"))
    assert strict.returncode == built.returncode == 1
    said = " ".join(_output(strict).split())
    assert "warning (--strict)" in said and "will have no story" in said and "Traceback" not in said
    assert sorted(edition.rglob("*")) == before


def test_build_into_a_file_is_a_usage_error(edition: Path) -> None:
    out = edition.parent / "out"
    out.write_text("not a folder", encoding="utf-8")
    result = _cli("build", str(edition), "--out", str(out))
    assert result.returncode == 2 and "is a file, not a folder" in _output(result)
    assert "Traceback" not in _output(result)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_build_into_a_read_only_folder_is_a_message(edition: Path) -> None:
    out = edition.parent / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = _cli("build", str(edition), "--out", str(out), "--workers", "1")
    finally:
        out.chmod(0o700)
    assert result.returncode == 1 and "cannot write the output" in _output(result)
    assert "Traceback" not in _output(result)


# ---------------------------------------------------------------- what layout leaves out


def test_blank_pages_and_second_photo_are_warned_after_layout(edition: Path) -> None:
    from epaper.layout import lay_out
    from epaper.layout.omissions import layout_warnings

    Image.new("RGB", (60, 40), (20, 90, 160)).save(edition / "images" / "second.png")
    with_lead(edition, images=[{"src": "images/photo.png", "caption": "First"}, {"src": "images/second.png"}])
    write_json(edition, "city.json", {"id": "city-story", "section": "City", "headline": "Short city story",
                                      "body": ["Only a few words here."]})
    laid_out = lay_out(read_edition(edition).edition)
    found = layout_warnings(laid_out)
    blank = [w for w in found if w.field == "sections[1].pages"]
    assert len(blank) == 1, [str(w) for w in found]
    assert "section 'City': page 3 will have no story" in blank[0].message and "set pages: 1" in blank[0].fix
    # Page 2 holds the one short story: a hole, measured from what the page draws, not in silence.
    [hole] = [w for w in found if "empty space" in w.message and "page 2 " in w.message]
    assert hole.file == "edition.yaml" and hole.field == "sections[1]", str(hole)
    assert "page 2 (City) has an empty space of about 6 columns" in hole.message, hole.message
    assert "add a story to section 'City'" in hole.fix and "ad on page 2" in hole.fix
    # The proof report outlines each hole the build warned of on its page.
    from epaper.report import report_document, write_report_html

    report = report_document(laid_out)
    warned = {int(w.message.split()[1]) for w in found if "empty space" in w.message} | {3}  # and the blank page
    outlined = {p["number"] for p in report["pages"] if p["largest_blank"]["hole"]}
    assert outlined == warned
    write_report_html({**report, "warnings": []}, laid_out, edition / "report.html")
    assert (edition / "report.html").read_text(encoding="utf-8").count("class='hole'") == len(outlined)
    second = [w for w in found if w.file == "articles/lead.json" and w.field == "images[1]"]
    assert len(second) == 1 and "'images/second.png' is not printed" in second[0].message


def test_a_warning_names_a_zone_storys_photo_as_written_in_its_own_folder(edition: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A zone's story lives in the zone's folder, not in the main edition's (the edition's root):
    its photo is named as the story writes it, from the folder holding its articles/, never by a
    path of this machine; so is a story's in an edition named relative to where the command ran."""
    from epaper.layout import lay_out
    from epaper.layout.omissions import layout_warnings

    Image.new("RGB", (60, 40), (20, 90, 160)).save(edition / "images" / "second.png")
    with_lead(edition, images=[{"src": "images/photo.png", "caption": "First"}, {"src": "images/second.png"}])
    read = read_edition(edition).edition
    main = tmp_path / "main-edition"
    main.mkdir()
    as_zone = dataclasses.replace(read, root=main)  # the stories' folder is not the edition's root
    monkeypatch.chdir(edition.parent)
    relative = dataclasses.replace(read, root=Path(edition.name), articles=tuple(
        dataclasses.replace(a, source_file=Path(edition.name) / a.source_file.relative_to(read.root))
        for a in read.articles))
    for named in (as_zone, relative):
        assert all(photo.path.is_absolute() for a in named.articles for photo in a.photos)
        [second] = [w for w in layout_warnings(lay_out(named)) if w.field == "images[1]"]
        assert "photo 'images/second.png' is not printed" in second.message, second.message


@pytest.mark.slow
def test_build_lists_warnings_in_report_and_strict_writes_nothing(edition: Path) -> None:
    with_lead(edition, subhed="A deck")
    out = edition.parent / "out"
    strict = _cli("build", str(edition), "--out", str(out), "--workers", "1", "--strict")
    assert strict.returncode == 1 and "did you mean 'subheadline'" in _output(strict)
    assert not out.exists() or not any(out.iterdir())
    plain = _cli("build", str(edition), "--out", str(out), "--workers", "1")
    assert plain.returncode == 0, _output(plain)
    assert "warnings" in _output(plain) and "did you mean 'subheadline'" in _output(plain)
    report = json.loads(next(out.glob("*/report.json")).read_text(encoding="utf-8"))
    listed = {(w["file"], w["field"], w["severity"]) for w in report["warnings"]}
    assert ("articles/lead.json", "subhed", "warning") in listed
    assert ("edition.yaml", "sections[1]", "warning") in listed  # City has no articles


# ---------------------------------------------------------------- the repository stands alone


def test_limits_in_the_docs_are_the_limits_in_the_code() -> None:
    from epaper.ingest import articles, images, sources

    repo = Path(__file__).resolve().parent.parent
    readme = (repo / "README.md").read_text(encoding="utf-8")
    contracts = (repo / "docs" / "contracts.md").read_text(encoding="utf-8")
    stated = {
        f"{MAX_SECTION_PAGES} pages in a section": readme,
        f"{MAX_EDITION_PAGES} in\nan edition": readme,
        f"{articles.MAX_BODY_WORDS:,} words": readme,
        f"{articles.MAX_FIELD_CHARS:,} characters": readme,
        f"{images.MAX_PIXELS // 1_000_000} megapixels": readme,
        f"{sources.MAX_FILE_BYTES // 1_000_000} MB": readme,
        f"{sources.MAX_DEPTH} levels": readme,
        f"{sources.MAX_VALUES:,} values": readme,
        f"| pages in one section | {MAX_SECTION_PAGES} |": contracts,
        f"| pages in the edition | {MAX_EDITION_PAGES} |": contracts,
        f"| images listed by one article | {articles.MAX_IMAGES} |": contracts,
        f"{images.MAX_PATH_CHARS:,} characters; {images.MAX_NAME_BYTES} bytes": contracts,
        f"longer than {MAX_ID_PART} characters": contracts,
    }
    for phrase, text in stated.items():
        assert phrase in text, phrase
    assert (repo / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")


def test_version_option() -> None:
    from epaper import __version__

    result = _cli("--version")
    assert result.returncode == 0 and _output(result).strip() == f"epaper {__version__}"


@pytest.mark.parametrize("name, text", [("null.json", "null"), ("null.md", "---\nnull\n---\nBody.\n"),
                                        ("list.json", "[1, 2]")])
def test_article_file_holding_null_is_named(edition: Path, name: str, text: str) -> None:
    """Found by the fuzz suite: a file that parsed to null was dropped without a word."""
    (edition / "articles" / name).write_text(text, encoding="utf-8")
    assert "must hold a mapping of fields" in only(errors(edition), f"articles/{name}", "").message


@pytest.mark.parametrize("mode, colour, refused", [("RGBA", (0, 0, 0, 0), True), ("RGBA", (200, 40, 40, 255), False),
                                                   ("LA", (0, 128), True)])
def test_transparent_images_are_refused(edition: Path, mode: str, colour: tuple, refused: bool) -> None:
    """The renderer drops alpha: a transparent logo would print as a black box."""
    Image.new(mode, (40, 30), colour).save(edition / "images" / "logo.png")
    with_lead(edition, images=[{"src": "images/logo.png"}])
    found = [p for p in errors(edition) if p.field == "images[0].src"]
    assert bool(found) == refused and (not refused or "transparent areas" in found[0].message)
