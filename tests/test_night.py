"""A night: a main edition and its zone editions from one night.yaml (epaper.night).

Laid out on the five-page small edition (Front and City): zones inherit the main edition's pages,
replace or add pages and sections, and are refused when a jump would not land. The full build checks
that a shared page is the same file (one inode, one digest) in every edition that prints it."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image, ImageOps
import yaml

from epaper.build import ReplateError, published_edition
from epaper.cli import main as cli_main
from epaper.frame import LinkArea, TextRun
from epaper.ingest.problems import Problem
from epaper.night import NightError, build_night, lay_out_night, read_night, read_night_spec
from epaper.publish.versions import EditionVersion, write_version
from epaper.tile_sets import tile_set_of
from small_edition import make_small_edition


def _story(folder: Path, story_id: str, section: str, words: int = 160, priority: int = 3, **extra) -> None:
    body = [" ".join(f"{story_id.split('-')[0]}{i % 7} harbour notice" for i in range(words // 3))]
    data = {"id": story_id, "section": section, "priority": priority,
            "headline": f"Zone story {story_id.replace('-', ' ')}", "byline": "Zone desk", "body": body, **extra}
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "articles" / f"{story_id}.json").write_text(json.dumps(data), encoding="utf-8")


def _night(root: Path, variants: list[dict], name: str = "night.yaml") -> Path:
    path = root / name
    path.write_text(yaml.safe_dump({"main": "main", "variants": variants}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def night_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("night")
    make_small_edition(root / "main")
    return root


@pytest.fixture(scope="module")
def main_jumps(night_root):
    """The main edition's jumps (story, from page, to page), from laying it out alone."""
    from epaper.layout import lay_out

    laid = lay_out(read_night(_night(night_root, [{"edition": "probe"}])).main.edition)
    return laid, [(r.article_id, r.continued_from, page.number) for page in laid.pages for r in page.regions
                  if r.continued_from is not None]


def _free_page(main_jumps) -> int:
    """A City page no jump starts or ends on (a zone can make it its own alone)."""
    laid, jumps = main_jumps
    touched = {p for _, a, b in jumps for p in (a, b)}
    return next(p.number for p in reversed(laid.pages) if p.number not in touched and p.number > 1)


@pytest.fixture(scope="module")
def night(night_root, main_jumps):
    local = _free_page(main_jumps)
    for n in range(3):
        _story(night_root / "north", f"north-local-{n}", "City", words=200 + 40 * n)
    for n in range(2):
        _story(night_root / "north", f"north-extra-{n}", "North Shore", words=260)
    path = _night(night_root, name="zones-night.yaml", variants=[
        {"edition": "North", "replace_pages": [local],
         "add_sections": [{"name": "North Shore", "pages": 1, "after": "City"}]},
        {"edition": "Quiet"},  # prints the main edition's pages under its own masthead
    ])
    return local, lay_out_night(read_night(path)), path


def test_a_zone_inherits_every_page_it_does_not_make_itself(night):
    local, laid, _ = night
    main, north, quiet = laid.editions
    assert [e.night_edition.name for e in laid.editions] == ["city", "North", "Quiet"]
    assert len(north.pages) == len(main.pages) + 1  # the added section
    # The same page (same frame) wherever nothing on it names the zone; the front names it.
    assert quiet.differing_pages == (1,)
    assert all(p.same_as_main for p in quiet.pages[1:])
    front = " ".join(" ".join(i.text for i in quiet.laid_out.pages[0].items if hasattr(i, "text")).split())
    assert "Quiet edition" in front
    # North: its local page, the added section and the front differ; the pages before stay the same.
    assert local in north.differing_pages and 1 in north.differing_pages
    own = {p.number for p in north.pages if p.inherited_from is None}
    assert local in own and len(north.pages) in own
    unchanged = [p for p in north.pages if p.number not in (1, local, len(north.pages))]
    assert unchanged and all(p.same_as_main and main.id in p.shared_with for p in unchanged)



def test_a_zones_own_pages_name_it_in_the_folio_and_no_other_page_does(night):
    """A Hindi desk's audit: a zone's local page 5 and the main edition's page 5 had the same folio,
    so the plate room could put either on the zone's press. A page the zone makes names it; a page
    every edition may print (the main edition's, or one an added section moves on) names none."""
    local, laid, _ = night
    main, north, quiet = laid.editions

    def folio(page) -> str:
        return " ".join(" ".join(i.text for i in page.items
                                 if getattr(i, "source", None) and i.source.role == "folio").split())

    own = [p.number for p in north.pages if p.inherited_from is None and p.number > 1]
    assert local in own and len(north.pages) in own
    for number in own:
        assert "North edition" in folio(north.laid_out.pages[number - 1]), number
    others = [(e, p) for e in (main, north, quiet) for p in e.laid_out.pages[1:]
              if e is not north or p.number not in own]
    assert others and not any("edition" in folio(p) for _, p in others), [
        (e.night_edition.name, p.number, folio(p)) for e, p in others if "edition" in folio(p)]
    assert all(p.same_as_main for p in quiet.pages[1:])  # (so a quiet zone still shares every page)

def test_a_local_page_prints_the_zones_stories_and_says_what_it_replaced(night):
    local, laid, _ = night
    main, north, _ = laid.editions
    on_local = {r.article_id for r in north.laid_out.pages[local - 1].regions}
    assert on_local and all(a.startswith("north-local-") for a in on_local)
    replaced = {r.article_id for r in main.laid_out.pages[local - 1].regions if r.continued_from is None}
    left_out = {u.article_id: u.reason for u in north.night_edition.left_out}
    assert replaced <= set(left_out)
    assert all(f"replaces page {local}" in left_out[a] for a in replaced)
    added = {r.article_id for r in north.laid_out.pages[-1].regions}
    assert added == {"north-extra-0", "north-extra-1"}
    assert north.laid_out.pages[-1].section == "North Shore"


def test_jumps_teasers_and_the_index_are_right_in_every_edition(night):
    _, laid, _ = night
    for edition in laid.editions:
        pages = edition.laid_out.pages
        parts = {(r.article_id, p.number): r for p in pages for r in p.regions}
        for page in pages:
            for region in page.regions:
                if region.continued_to:
                    assert parts[(region.article_id, region.continued_to)].continued_from == page.number
        # Every "SECTION · PAGE N" teaser and the Inside index name a page of this edition's.
        front = pages[0]
        index = " ".join(" ".join(i.text for i in front.items
                                  if getattr(i, "source", None) and i.source.role == "index").split())
        first_pages = {}
        for page in pages:
            first_pages.setdefault(page.section, page.number)
        for name, number in first_pages.items():
            if number != 1:
                assert f"{name} {number}" in index, (edition.id, name, number, index)
        # Teasers and refer boxes link "<where>: <headline>" to the page that story is on in this edition.
        headlines = {p.number: {r.headline for r in p.regions} for p in pages}
        checked = 0
        for page in pages:
            for link in (i for i in page.items if isinstance(i, LinkArea) and i.page and ": " in i.label):
                assert link.label.split(": ", 1)[1] in headlines[link.page], (edition.id, page.number, link)
                checked += 1
        assert checked, edition.id  # the front's teasers at least


def test_a_jump_into_a_page_the_zone_replaces_is_refused_with_the_reason(night_root, main_jumps):
    _, jumps = main_jumps
    story, source, target = jumps[0]
    path = _night(night_root, [{"edition": "Jumpy", "zone_pages": [source]}])
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(path))
    [problem] = [p for p in caught.value.problems if f"'{story}'" in p.message]
    assert problem.file == "night.yaml" and problem.field == "variants[0]"
    assert f"'{story}' jumps from page {source} to page {target}" in problem.message
    # The whole fix: every page the jumps reach from the page the zone makes, and the section by name.
    assert f"zone_pages: [{', '.join(map(str, sorted(_jump_closure(jumps, {source}))))}]" in problem.fix
    assert "or replace section '" in problem.fix and "the section" not in problem.fix


def _jump_closure(jumps, pages: set[int]) -> set[int]:
    """``pages`` and every page a main-edition jump of theirs reaches, and so on."""
    pages = set(pages)
    while any((a in pages) != (b in pages) for _, a, b in jumps):
        pages |= {p for _, a, b in jumps if a in pages or b in pages for p in (a, b)}
    return pages


def test_a_jump_refused_for_a_zone_ad_names_the_page_as_the_ad_does(night_root, main_jumps):
    """Zone ads are given on the zone's page numbers: after an added section, the refusal names the
    main edition's page and the zone's, and says the zone's ads are what make it the zone's."""
    _, jumps = main_jumps
    story, source, target = next(j for j in jumps if j[1] > 1)
    _story(night_root / "adjump", "adjump-story", "Ad Jump News", words=200)
    path = _night(night_root, [{"edition": "Ad Jump", "folder": "adjump",
                                "add_sections": [{"name": "Ad Jump News", "pages": 1, "after": "Front"}],
                                "ads": [{"page": target + 1, "columns": 3, "height_mm": 60}]}],
                  name="adjump-night.yaml")
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(path))
    [problem] = [p for p in caught.value.problems if f"'{story}'" in p.message]
    assert f"page {target} (its page {target + 1}: the zone's ads there) itself" in problem.message, str(problem)
    assert f"inherits page {source} (its page {source + 1})" in problem.message, str(problem)



def test_a_jump_into_a_replaced_section_is_refused_for_the_section_not_for_the_zones_ad(night_root, main_jumps):
    """A Hindi desk's audit: a zone replacing the section a front story jumps into, with its own ad
    on the page, was told it made the page for its ads there, and to book the ad in the main ad's
    space or leave the page to the main edition, neither of which a zone replacing the section can
    do. The section is why, and giving the section back is the way out."""
    laid, jumps = main_jumps
    story, source, target = next(j for j in jumps if laid.pages[j[2] - 1].section != laid.pages[j[1] - 1].section)
    section = laid.pages[target - 1].section
    _story(night_root / "sectionjump", "sectionjump-story", section, words=150)
    path = _night(night_root, [{"edition": "Section Jump", "folder": "sectionjump", "replace_sections": [section],
                                "ads": [{"page": target, "columns": 3, "height_mm": 60}]}],
                  name="sectionjump-night.yaml")
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(path))
    [problem] = [p for p in caught.value.problems if f"'{story}'" in p.message]
    assert f"the zone makes page {target} itself" in problem.message, str(problem)
    assert "ads there" not in problem.message and "book the zone's ad" not in problem.fix, str(problem)
    assert problem.fix.endswith(f"or leave section '{section}' to the main edition (replace_sections)"), problem.fix

def test_a_jump_refusals_fix_names_every_page_the_jumps_reach_and_builds(night_root, main_jumps):
    """Not one refusal a run (make page 3 yours; then page 2; then page 1): the fix names every page
    the zone must make for no jump to cross, and the night it describes builds."""
    _, jumps = main_jumps
    story, source, target = next(j for j in jumps if j[1] > 1)
    _story(night_root / "chain", "chain-story", "City", words=150)
    path = _night(night_root, [{"edition": "Chain", "folder": "chain", "zone_pages": [target]}], name="chain-night.yaml")
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(path))
    fixes = {p.fix for p in caught.value.problems}
    assert len(fixes) == 1, fixes  # every crossing jump says the same, whole fix
    suggested = [int(n) for n in re.search(r"zone_pages: \[([\d, ]+)\]", fixes.pop()).group(1).split(", ")]
    assert suggested == sorted(_jump_closure(jumps, {target})) and source in suggested
    _night(night_root, [{"edition": "Chain", "folder": "chain", "zone_pages": suggested}], name="chain-night.yaml")
    zone = lay_out_night(read_night(path)).editions[1]
    assert "chain-story" in {r.article_id for p in zone.laid_out.pages for r in p.regions}


def test_making_both_pages_of_a_jump_the_zones_lets_it_land(night_root, main_jumps):
    _, jumps = main_jumps
    story, source, target = jumps[0]
    pages = _jump_closure(jumps, {source, target})
    _story(night_root / "lead", "lead-zone-story", "Front", words=220, priority=2)
    path = _night(night_root, [{"edition": "Lead", "folder": "lead", "zone_pages": sorted(pages)}])
    laid = lay_out_night(read_night(path))
    zone = laid.editions[1]
    placed = {r.article_id for p in zone.laid_out.pages for r in p.regions}
    assert "lead-zone-story" in placed and story in placed


@pytest.mark.parametrize("variant, field, words", [
    ({"edition": "A", "replace_sections": ["Cty"]}, "variants[0].replace_sections[0]", "did you mean 'City'"),
    ({"edition": "A", "replace_pages": [9]}, "variants[0].replace_pages", "not in the main edition (5 pages)"),
    ({"edition": "A", "add_sections": [{"name": "X", "pages": 1, "after": "Nowhere"}]},
     "variants[0].add_sections[0].after", "no section 'Nowhere'"),
    ({"edition": "A", "ads": [{"page": 8, "columns": 2, "height_mm": 50}]}, "variants[0].ads[0].page", "out of range"),
    ({"edition": "A", "replace_sections": ["City"], "folder": "missing"}, "variants[0].folder", "does not exist"),
    # A zoned front's folder misspelt printed the front without the zone's stories, silently.
    ({"edition": "A", "zone_pages": [1], "folder": "missing"}, "variants[0].folder", "does not exist"),
    ({"edition": "City"}, "variants[0].edition", "has too"),
    # An ad's image is looked for in the zone's folder: the message says which folder that is.
    ({"edition": "Bay", "ads": [{"page": 2, "columns": 2, "height_mm": 50, "image": "images/ads/gone.jpg"}]},
     "variants[0].ads[0].image", "'images/ads/gone.jpg' does not exist in the zone's folder "),
    ({"edition": "Zone \u2603"}, "variants[0].edition", "not covered by any configured font"),
])
def test_a_wrong_variant_names_the_file_the_field_and_the_fix(night_root, variant, field, words, monkeypatch):
    import epaper.night.layout as night_layout

    # Refused before anything is laid out (an audit's desk saw "drawing, rasterizing the night's
    # pages", then the refusal of a misspelt folder).
    for name in ("lay_out", "lay_out_cached"):
        monkeypatch.setattr(night_layout, name, lambda *a, **k: pytest.fail("laid out a night with wrong files"))
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(_night(night_root, [variant])))
    problem = next(p for p in caught.value.problems if p.field == field)
    assert problem.file == "night.yaml" and words in problem.message + problem.fix and problem.fix


def test_a_zone_ads_missing_image_names_the_zones_folder_and_the_near_file_there(night_root):
    (night_root / "near" / "images" / "ads").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (300, 100), (20, 90, 40)).save(night_root / "near" / "images" / "ads" / "old-quay-chandlery.png")
    path = _night(night_root, [{"edition": "Near", "folder": "near", "ads": [
        {"page": 2, "columns": 2, "height_mm": 50, "image": "images/ads/old-quay-chandlry.png"}]}], name="near.yaml")
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(path))
    [problem] = [p for p in caught.value.problems if p.field == "variants[0].ads[0].image"]
    assert problem.message == (f"image 'images/ads/old-quay-chandlry.png' does not exist in the zone's folder "
                               f"{night_root / 'near'} (did you mean 'images/ads/old-quay-chandlery.png'?)")


def test_a_key_given_twice_in_a_variant_is_named_with_the_variant(night_root):
    """Two variants may give the same key: the problem says which variant gave it twice."""
    path = night_root / "twice.yaml"
    path.write_text("main: main\nvariants:\n  - edition: One\n    replace_pages: [2]\n"
                    "  - edition: Two\n    replace_pages: [2]\n    replace_pages: [3]\n", encoding="utf-8")
    with pytest.raises(NightError) as caught:
        read_night_spec(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.field) == ("twice.yaml", "variants[1].replace_pages")
    assert "given twice (again at line 7)" in problem.message


@pytest.mark.parametrize("variant, words", [
    ({"edition": "Main"}, "zone 'Main' names no folder, and the one its name gives, 'main', is the main edition's"),
    ({"edition": "Bay", "folder": "./main/"}, "the folder of zone 'Bay', 'main', is the main edition's"),
])
def test_a_zone_whose_folder_is_the_main_editions_is_refused(night_root, variant, words):
    """Its stories would be the main edition's printed twice, and its ads' images looked for in the
    main edition's folder (a desk was told an ad image was missing)."""
    with pytest.raises(NightError) as caught:
        read_night_spec(_night(night_root, [variant], name="same-folder.yaml"))
    [problem] = caught.value.problems
    assert problem.field == "variants[0].folder" and words in problem.message and "folder:" in problem.fix


def test_zone_pages_without_the_zones_folder_are_warned_of(night_root, main_jumps):
    """zone_pages lay out the main edition's pages again with the zone's stories: with no folder of
    the zone's name (and no ads), there are none, and the desk is told so."""
    main, zone = lay_out_night(read_night(_night(night_root, [{"edition": "Folderless", "zone_pages": [_free_page(main_jumps)]}],
                                                 name="folderless-night.yaml"))).editions
    [warning] = [w for w in zone.warnings if w.field == "variants[0].zone_pages"]
    assert "has no folder folderless" in warning.message and "folderless/articles/" in warning.fix


def test_a_zones_wrong_section_language_and_wrong_ad_are_said_at_once(night_root):
    """Problems that leave the zone's pages standing do not hide the zone's ads' problems: the desk
    mends the night file once, not once per run."""
    variant = {"edition": "A", "add_sections": [{"name": "X", "pages": 1, "after": "City", "language": "english!"}],
               "ads": [{"page": 2, "columns": 9, "height_mm": 50}]}
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(_night(night_root, [variant], name="two-wrongs-night.yaml")))
    fields = {p.field for p in caught.value.problems}
    assert {"variants[0].add_sections[0].language", "variants[0].ads[0].columns"} <= fields, fields
    # With a section it cannot place (its pages cannot be told, nor its ads read), the language still.
    variant["add_sections"][0]["after"] = "Nowhere"
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(_night(night_root, [variant], name="two-wrongs-night.yaml")))
    fields = {p.field for p in caught.value.problems}
    assert {"variants[0].add_sections[0].language", "variants[0].add_sections[0].after"} <= fields, fields


@pytest.mark.parametrize("pages, other, why", [
    ({"zone_pages": [1], "replace_pages": [2]}, 1, "zone_pages"),  # the front's jumps go on in City
    ({"zone_pages": [3], "replace_pages": [2]}, 3, "zone_pages"),
    ({"replace_pages": [2], "ads": [{"page": 3, "columns": 3, "height_mm": 60}]}, 3, "the zone's ad on it"),
])
def test_a_local_page_laid_out_with_one_printing_main_stories_is_refused(night_root, main_jumps, pages, other, why):
    """A local page prints only the zone's stories; laid out together with a page printing the main
    edition's stories again, it would take their jumps and overflow (a desk's Marathi local page
    came out half Hindi main-edition copy): refused, naming both pages and the fix."""
    _story(night_root / "local", "local-story", "City", words=200)
    path = _night(night_root, [{"edition": "Local", "folder": "local", **pages}], name="local-night.yaml")
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(path))
    [problem] = caught.value.problems  # (the jumps' refusals are in its fix, not said again)
    assert (problem.file, problem.field) == ("local-night.yaml", "variants[0].replace_pages")
    assert f"page 2 is a local page (only the zone's stories), but page {other} ({why})" in problem.message
    # The fix it gives builds at the first go: every page the jumps of those pages reach named too.
    suggested = [int(n) for n in re.search(r"zone_pages: \[([\d, ]+)\]", problem.fix).group(1).split(", ")]
    ad_page = {other} if "ads" in pages else set()  # the zone's own by its ad already
    assert suggested == sorted(_jump_closure(main_jumps[1], {2, other} | set(pages.get("zone_pages", []))) - ad_page)
    path = _night(night_root, [{"edition": "Local", "folder": "local", "zone_pages": suggested,
                                **{k: v for k, v in pages.items() if k == "ads"}}], name="local-night.yaml")
    zone = lay_out_night(read_night(path)).editions[1]
    assert "local-story" in {r.article_id for p in zone.laid_out.pages for r in p.regions}
    # The other way out, every page local (the zone's ad's page too), is laid out as well.
    local = [int(n) for n in re.search(r"replace_pages: \[([\d, ]+)\]", problem.fix).group(1).split(", ")]
    path = _night(night_root, [{"edition": "Local", "folder": "local", "replace_pages": local,
                                **{k: v for k, v in pages.items() if k == "ads"}}], name="local-night.yaml")
    zone = lay_out_night(read_night(path)).editions[1]
    assert "local-story" in {r.article_id for p in zone.laid_out.pages for r in p.regions}


def test_a_misspelt_field_is_said_with_the_problems_it_causes(night_root, tmp_path, capsys):
    """``variant:`` for ``variants:`` is "no variants are given"; ``replace_page:`` makes the zone's
    stories "in a section the zone inherits": the unused field is said with them, as their cause."""
    path = night_root / "typo-cause-night.yaml"
    path.write_text("main: main\nvariant: [{edition: A}]\n", encoding="utf-8")
    with pytest.raises(NightError) as caught:
        read_night_spec(path)
    [unused] = caught.value.warnings
    assert unused.field == "variant" and "did you mean 'variants'" in unused.message
    assert "perhaps the cause" in str(caught.value) and "did you mean 'variants'" in str(caught.value)
    _story(night_root / "typo-local", "typo-local-story", "City", words=200)
    path.write_text("main: main\nvariants: [{edition: A, folder: typo-local, replace_page: [2]}]\n", encoding="utf-8")
    assert cli_main(["build-night", str(path), "--out", str(tmp_path / "out")]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "section 'City' is inherited" in out
    assert "not used (perhaps the cause of the problems below):" in out and "(did you mean 'replace_pages'?)" in out
    # Said first: the desk reads the cause before the problems it caused (they blame the stories).
    heading = re.search(r"\d+ problems? in", out)
    assert heading and out.index("did you mean 'replace_pages'") < heading.start() < out.index("section 'City' is inherited")


def test_a_section_added_right_after_the_front_does_not_print_the_fronts_jumps_again(night_root):
    """The front's jumped stories go on on the City pages the zone keeps from the main edition; the
    section added between them does not take the rest of those stories too (it printed them twice)."""
    for n in range(2):
        _story(night_root / "early", f"early-news-{n}", "Early News", words=260)
    path = _night(night_root, [{"edition": "Early", "folder": "early", "add_sections": [
        {"name": "Early News", "pages": 1, "after": "Front"}]}], name="early-night.yaml")
    main, early = lay_out_night(read_night(path)).editions
    front_jumps = {r.article_id for r in main.laid_out.pages[0].regions if r.continued_to}
    assert front_jumps  # the test needs a front story that jumps
    parts = [(r.article_id, page.number) for page in early.laid_out.pages for r in page.regions if r.continued_from]
    assert len(parts) == len({article for article, _ in parts}), parts  # each story's rest printed once
    assert all(number > 2 for article, number in parts if article in front_jumps)  # on the City pages
    assert {r.article_id for r in early.laid_out.pages[1].regions} == {"early-news-0", "early-news-1"}


def test_a_main_page_with_an_ad_moved_on_by_a_section_added_before_it_is_the_main_editions_page(night_root, tmp_path):
    """A section added after the front moves the City pages on by one, their ads with them: an ad is
    the same ad on its page's new number, so those pages print as the main edition made them (they
    were laid out again, the front's jump landing on the zone's own page), and report.json says
    "moved"."""
    root = tmp_path / "night"
    shutil.copytree(night_root / "main", root / "main")
    manifest = yaml.safe_load((root / "main" / "edition.yaml").read_text(encoding="utf-8"))
    manifest["ads"] = [{"page": 3, "columns": 6, "height_mm": 80, "position": "bottom",
                        "image": "images/ads/harbour-motors.jpg"}]
    (root / "main" / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    for n in range(2):
        _story(root / "early", f"early-news-{n}", "Early News", words=260)
    path = _night(root, [{"edition": "Early", "folder": "early", "add_sections": [
        {"name": "Early News", "pages": 1, "after": "Front"}]}], name="early-ad-night.yaml")
    main, early = lay_out_night(read_night(path)).editions
    assert [ad.page for ad in early.laid_out.edition.ads] == [4]  # the ad moved on with its page
    assert not [w for w in early.warnings if "laid out again" in w.message], [str(w) for w in early.warnings]

    def placed(page, moved_on: int) -> list:
        """Each story's place on the page, and the page it continues from on the main edition's numbers."""
        return [(r.article_id, r.boxes, r.continued_from and r.continued_from - (r.continued_from > 1) * moved_on)
                for r in page.regions]

    for main_page in main.laid_out.pages[1:]:
        zone_page = early.laid_out.pages[main_page.number]  # one on: the zone's page main_page.number + 1
        assert placed(zone_page, 1) == placed(main_page, 0), main_page.number
    assert [(p.number, p.inherited_from) for p in early.pages] == [(1, 1), (2, None), (3, 2), (4, 3), (5, 4), (6, 5)]


def test_a_zone_ad_in_the_space_of_the_main_editions_ad_keeps_the_main_editions_page(night_root, tmp_path):
    """The commonest zoning: another advertiser in the very space of the main edition's ad. The
    stories stay where the main edition put them (no jump refused, no page laid out again); the
    page prints the zone's artwork, and report.json says why it differs. An ad of another size
    there makes the page the zone's own, as before."""
    root = tmp_path / "night"
    shutil.copytree(night_root / "main", root / "main")
    manifest = yaml.safe_load((root / "main" / "edition.yaml").read_text(encoding="utf-8"))
    space = {"page": 3, "columns": 6, "height_mm": 80, "position": "bottom"}
    manifest["ads"] = [{**space, "image": "images/ads/harbour-motors.jpg"}]
    (root / "main" / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    (root / "swap" / "images").mkdir(parents=True)
    shutil.copy(root / "main" / "images" / "ads" / "harbour-motors.jpg", root / "swap" / "images" / "other.jpg")
    with Image.open(root / "swap" / "images" / "other.jpg") as artwork:  # other artwork, the same size
        ImageOps.invert(artwork.convert("RGB")).save(root / "swap" / "images" / "other.jpg")
    path = _night(root, [{"edition": "Swap", "folder": "swap", "ads": [{**space, "image": "images/other.jpg"}]}],
                  name="swap-night.yaml")
    main, swap = lay_out_night(read_night(path)).editions
    assert swap.night_edition.origin == tuple(range(1, main.laid_out.edition.page_count + 1))
    page = swap.laid_out.pages[2]
    assert [(r.article_id, r.boxes) for r in page.regions] == [(r.article_id, r.boxes) for r in main.laid_out.pages[2].regions]
    assert [Path(i.path).name for i in page.items if getattr(i, "source", None) and i.source.role == "ad"] == ["other.jpg"]
    assert 3 in swap.differing_pages and 3 in swap.night_edition.ads_in_place
    from epaper.night.build import _why_different

    assert _why_different(swap, 3)["reason"] == "ads"
    # Another size in that space: the zone's own page, its stories placed around it again.
    path = _night(root, [{"edition": "Swap", "folder": "swap", "ads": [{**space, "height_mm": 60,
                                                                     "image": "images/other.jpg"}]}],
                  name="swap-night.yaml")
    try:
        swap = lay_out_night(read_night(path)).editions[1]
        assert swap.night_edition.origin[2] is None
    except NightError as refused:  # or refused for a jump to or from page 3, as any own page
        assert "page 3" in str(refused)


def test_a_jumped_story_whose_page_reference_moves_in_a_zone_is_laid_out_again_with_a_warning(night_root, tmp_path):
    """A front story that jumps and says "page {page:City}": in a zone with a section before City it
    reads another number, cannot be set again in its place (its jump would move), so its pages are
    laid out again for the zone (not refused, nothing printed twice) and the desk is told why."""
    root = tmp_path / "night"
    shutil.copytree(night_root / "main", root / "main")
    main_alone = lay_out_night(read_night(_night(root, [{"edition": "Probe"}], name="probe.yaml"))).editions[0]
    jumped = next(r.article_id for r in main_alone.laid_out.pages[0].regions if r.continued_to)
    path = next((root / "main" / "articles").glob(f"{jumped}.*"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["body"][0] += " Map: page {page:City}."
    path.write_text(json.dumps(data), encoding="utf-8")
    for n in range(2):
        _story(root / "early", f"early-news-{n}", "Early News", words=260)
    path = _night(root, [{"edition": "Early", "folder": "early", "add_sections": [
        {"name": "Early News", "pages": 1, "after": "Front"}]}])
    main, early = lay_out_night(read_night(path)).editions
    def said(edition) -> str:
        return next(a.body[0].text for a in edition.laid_out.edition.articles if a.id == jumped)

    assert said(main).endswith("Map: page 2.") and said(early).endswith("Map: page 3.")
    [warning] = [w for w in early.warnings if "page references" in w.message]
    assert (warning.file, warning.field) == ("night.yaml", "variants[0]") and jumped in warning.message
    assert "(the main edition's 1" in warning.message and "zone_pages" in warning.fix
    parts = [(r.article_id, page.number) for page in early.laid_out.pages for r in page.regions if r.continued_from]
    assert len(parts) == len({article for article, _ in parts}), parts
    # Laid out again, the front's jumps still go on in City, past the zone's own section (its
    # local page is not where a main story's rest goes).
    front = {r.article_id for r in early.laid_out.pages[0].regions if r.continued_to}
    rests = [(page.number, page.section) for page in early.laid_out.pages for r in page.regions
             if r.article_id in front and r.continued_from]
    assert front and rests and all(section == "City" for _, section in rests), rests


def test_a_main_story_sending_readers_to_a_section_the_zone_replaces_is_a_warning(night_root, tmp_path):
    """An audit's zoned front: its "Inside today" said "Sport: the Cup final preview, page 13", the
    zone's page 13 its own Sport, without the final. The reference finds the zone's section; the
    words are the main edition's: the desk is told, the zone built."""
    root = tmp_path / "night"
    shutil.copytree(night_root / "main", root / "main")
    manifest = yaml.safe_load((root / "main" / "edition.yaml").read_text(encoding="utf-8"))
    manifest["sections"].append({"name": "Sport", "pages": 1})
    (root / "main" / "edition.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    _story(root / "main", "cup-final-preview", "Sport", words=300, priority=1)
    _story(root / "east", "east-derby", "Sport", words=300, priority=1)
    probe = lay_out_night(read_night(_night(root, [{"edition": "Probe"}], name="probe.yaml"))).editions[0]
    teller, path = next((r.article_id, root / "main" / "articles" / f"{r.article_id}.json")
                        for r in probe.laid_out.pages[0].regions
                        if not r.continued_to and (root / "main" / "articles" / f"{r.article_id}.json").is_file())
    data = json.loads(path.read_text(encoding="utf-8"))
    data["body"][-1] += " Sport: the Cup final preview, page {page:Sport}."
    path.write_text(json.dumps(data), encoding="utf-8")
    night = lay_out_night(read_night(_night(root, [
        {"edition": "East", "folder": "east", "replace_sections": ["Sport"]},
        {"edition": "Quiet"}])))
    main, east, quiet = night.editions
    [warning] = [w for w in east.warnings if "sends readers" in w.message]
    assert (warning.file, warning.field, warning.severity) == ("night.yaml", "variants[0].replace_sections", "warning")
    assert f"story '{teller}'" in warning.message and "section 'Sport' ({page:Sport})" in warning.message
    assert "replace_pages" in warning.fix
    assert not [w for e in (main, quiet) for w in e.warnings if "sends readers" in w.message]
    assert "east-derby" in {r.article_id for page in east.laid_out.pages for r in page.regions}
    # A local page in its place (the section's first page, here its only one) is the same story.
    sport = sum(section["pages"] for section in manifest["sections"])
    night = lay_out_night(read_night(_night(root, [
        {"edition": "East", "folder": "east", "replace_pages": [sport]}], name="local-night.yaml")))
    [warning] = [w for w in night.editions[1].warnings if "sends readers" in w.message]
    assert warning.field == "variants[0].replace_pages" and "on its first page" in warning.message


def test_a_zone_story_in_a_section_the_zone_inherits_is_refused(night_root):
    _story(night_root / "stray", "stray-story", "City")
    path = _night(night_root, [{"edition": "Stray", "folder": "stray", "add_sections": [
        {"name": "Stray News", "pages": 1, "after": "City"}]}])
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(path))
    [problem] = caught.value.problems
    assert problem.file == "stray/articles/stray-story.json" and problem.field == "section"
    assert "inherited from the main edition" in problem.message and "replace" in problem.fix


def test_a_hole_on_a_zones_own_page_is_named_in_the_night_file(night_root):
    _story(night_root / "thin", "thin-notice", "Thin News", words=60)
    path = _night(night_root, [{"edition": "Thin", "folder": "thin", "add_sections": [
        {"name": "Thin News", "pages": 1, "after": "City"}]}], name="thin-night.yaml")
    main, thin = lay_out_night(read_night(path)).editions
    own = next(p.number for p in thin.laid_out.pages if p.section == "Thin News")
    [hole] = [w for w in thin.warnings if f"page {own} (Thin News) has an empty space" in w.message]
    assert (hole.file, hole.field) == ("thin-night.yaml", "variants[0]"), str(hole)
    assert not any(f"page {own} (Thin News)" in w.message for w in main.warnings)
    # The night's summary (what build-night prints under the edition) names it too, as the zone's own.
    from types import SimpleNamespace

    from epaper.night.unchanged import EditionSummary

    result = SimpleNamespace(reuse=SimpleNamespace(pages_made=(), pages_reused=()))
    [said] = [said for said in EditionSummary.of(thin, result).holes if said.hole.page == own]
    assert str(said) == str(said.hole)  # the zone's own page: no other edition's
    assert own not in [said.hole.page for said in EditionSummary.of(main, result).holes]


def test_a_hole_on_a_main_page_a_zone_prints_is_said_under_each_edition_printing_it(night_root, tmp_path,
                                                                                      monkeypatch, capsys):
    """A desk review: build-night said a main-edition page's hole under the main edition only, so
    the zone's summary (and its report.json, which lists it) disagreed, and a replate of the zone
    then told of the hole as if it were new. Each edition's summary is what that edition prints: a
    zone's page that is the main edition's says so, and which editions print the very same page."""
    from types import SimpleNamespace

    from epaper.night.unchanged import EditionSummary

    root = tmp_path / "holes"
    shutil.copytree(night_root / "main", root / "main")
    manifest = yaml.safe_load((root / "main" / "edition.yaml").read_text(encoding="utf-8"))
    manifest["sections"][1]["pages"] += 2  # City pages more than its copy fills: a hole, a blank page
    (root / "main" / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    path = _night(root, [{"edition": "Quiet"}, {"edition": "Late"}])
    main, quiet, late = lay_out_night(read_night(path)).editions
    result = SimpleNamespace(reuse=SimpleNamespace(pages_made=(), pages_reused=()))
    summaries = [EditionSummary.of(edition, result) for edition in (main, quiet, late)]
    told = summaries[0].holes
    blank = len(main.pages)
    assert blank in [said.hole.page for said in told if not said.hole.has_stories], [str(h) for h in told]
    for summary, edition in zip(summaries[1:], (quiet, late)):
        assert [said.hole for said in summary.holes] == [said.hole for said in told]  # the zone's own too
        other = late.id if edition is quiet else quiet.id
        for said in summary.holes:
            page = said.hole.page
            assert str(said) == f"{said.hole} (the main edition's page {page}; also printed by {main.id}, {other})"
    for said in told:
        assert str(said) == f"{said.hole} (also printed by {quiet.id}, {late.id})"
    # build-night prints them so, under each edition.
    import epaper.night

    night = SimpleNamespace(unchanged=False, seconds=1.0, summary=tuple(summaries), pages_made=1, pages_reused=2,
                            others=(), left_over=(), editions=())
    monkeypatch.setattr(epaper.night, "build_night", lambda *args, **kwargs: night)
    monkeypatch.setenv("COLUMNS", "400")
    assert cli_main(["build-night", str(path), "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    for summary in summaries:
        start = next(i for i, line in enumerate(lines) if line.startswith(f"  {summary.id}: "))
        under = lines[start + 1:start + 1 + len(summary.holes)]
        assert under == [f"    {said}" for said in summary.holes]


def test_build_night_counts_what_was_left_out_to_fit_and_says_the_other_warnings_once(tmp_path, monkeypatch, capsys):
    """The night audit: "34 warnings" under each edition hid the one that mattered (a photo too coarse
    to print) among the kickers and decks layout dropped so stories fit. Those are counted; the
    others are said in full, once: under a zone, one the main edition's pages give it was said above."""
    from types import SimpleNamespace

    import epaper.night
    from epaper.ingest.problems import LEFT_OUT_TO_FIT, PAGE_NOT_FILLED, ProblemLog
    from epaper.night.unchanged import EditionSummary

    log = ProblemLog()
    log.warn("articles/a.md", "kicker", "the kicker is not printed (dropped so the story fits its space)", "x",
             kind=LEFT_OUT_TO_FIT)
    log.warn("articles/a.md", "images[0]", "photo 'images/a.jpg' prints at 120 ppi on page 3", "supply it larger")
    log.warn("edition.yaml", "sections[1]", "page 4 (City) has an empty space", "add a story", kind=PAGE_NOT_FILLED)
    log.warn("night.yaml", "variants[0].ads[0]", "the ad's artwork is the wrong shape", "crop it")
    coarse = str(log.warnings()[1])
    own = Problem("z/articles/b.md", "byline", "a zone's own warning", "mend it", severity="warning")
    result = SimpleNamespace(reuse=SimpleNamespace(pages_made=(), pages_reused=()))

    def edition(edition_id: str, warnings) -> SimpleNamespace:
        laid_out = SimpleNamespace(unplaced=(), pages=(), edition=None)
        return SimpleNamespace(id=edition_id, pages=(), differing_pages=(), laid_out=laid_out, warnings=warnings,
                               night_edition=SimpleNamespace(is_main=True))

    monkeypatch.setattr("epaper.night.unchanged.holes", lambda laid_out: ())
    main = EditionSummary.of(edition("main-ed", log.warnings()[:3]), result, "night.yaml")
    zone = EditionSummary.of(edition("zone-ed", (*log.warnings(), own)), result, "night.yaml")
    assert (main.left_out, main.others) == (1, (coarse,))
    assert (zone.left_out, zone.others, zone.night_file_warnings) == (1, (coarse, str(own)), (str(log.warnings()[3]),))
    night = SimpleNamespace(unchanged=False, seconds=1.0, summary=(main, zone), pages_made=1, pages_reused=2,
                            others=(), left_over=(), editions=())
    monkeypatch.setattr(epaper.night, "build_night", lambda *args, **kwargs: night)
    monkeypatch.setenv("COLUMNS", "400")
    path = tmp_path / "night.yaml"
    path.write_text("main: main\n", encoding="utf-8")
    assert cli_main(["build-night", str(path), "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("  main-ed: 0 pages; differ from the main edition: none")
    assert lines[start + 1:start + 3] == [
        "    3 warnings (listed in main-ed/report.html): 1 left out so a story fits (a photo, kicker, deck or "
        "byline); and:", f"      {coarse}"]
    start = lines.index("  zone-ed: 0 pages; differ from the main edition: none")
    assert lines[start + 1:start + 4] == [
        f"    warning: {log.warnings()[3]}",
        "    5 warnings (listed in zone-ed/report.html): 1 left out so a story fits (a photo, kicker, deck or "
        "byline); 1 as said above; and:", f"      {own}"]


def test_layout_marks_the_parts_it_left_out_to_fit_and_its_holes(night, night_root):
    """The kinds the night's summary tells apart come from layout's own warnings (and only those)."""
    from epaper.ingest.problems import LEFT_OUT_TO_FIT, PAGE_NOT_FILLED

    _, laid, _ = night
    warnings = [w for edition in laid.editions for w in edition.warnings]
    left_out = [w for w in warnings if w.kind == LEFT_OUT_TO_FIT]
    assert left_out and all(" is not printed (" in w.message for w in left_out)
    assert any(w.kind == PAGE_NOT_FILLED for w in warnings)  # (the night's zones leave pages blank)
    assert all(w.kind == PAGE_NOT_FILLED for w in warnings if "will have no story" in w.message
               or "its stories do not fill it" in w.message)
    assert all(w.kind == "" for w in warnings if "is not printed" not in w.message and "no story" not in w.message
               and "do not fill" not in w.message)


def test_a_zones_own_page_left_blank_is_said_by_build_night_with_a_fix_the_zone_can_make(night_root):
    """A zone added section of two pages and copy for one: the second page goes to press blank. The
    warning names the night file, gives a fix the night file can make (not the main edition's
    section size), and is among what build-night prints under the zone."""
    _story(night_root / "short", "short-notice", "Short News", words=90)
    path = _night(night_root, [{"edition": "Short", "folder": "short", "add_sections": [
        {"name": "Short News", "pages": 2, "after": "City"}]}], name="short-night.yaml")
    main, short = lay_out_night(read_night(path)).editions
    blank = [p.number for p in short.laid_out.pages if p.section == "Short News" and not p.regions]
    assert len(blank) == 1, [(p.number, p.section, len(p.regions)) for p in short.laid_out.pages]
    [warning] = [w for w in short.warnings if "will have no story" in w.message]
    assert (warning.file, warning.field) == ("short-night.yaml", "variants[0]"), str(warning)
    assert f"page {blank[0]} will have no story" in warning.message
    assert "to the zone's folder, or make fewer pages the zone's own" in warning.fix and "set pages" not in warning.fix
    from types import SimpleNamespace

    from epaper.night.unchanged import EditionSummary

    result = SimpleNamespace(reuse=SimpleNamespace(pages_made=(), pages_reused=()))
    summary = EditionSummary.of(short, result, "short-night.yaml")
    assert str(warning) in summary.night_file_warnings
    assert not EditionSummary.of(main, result, "short-night.yaml").night_file_warnings
    # The blank page is among what build-night prints before the press sees it (as a hole is).
    [said] = [hole for hole in summary.holes if not hole.hole.has_stories]
    assert said.hole.page == blank[0] and str(said) == f"page {blank[0]} (Short News) is blank: no story on it"
    assert not [hole for hole in EditionSummary.of(main, result).holes if not hole.hole.has_stories]


def test_a_zone_ads_artwork_of_other_proportions_is_warned_of_in_the_night_file(night_root, main_jumps):
    from PIL import Image

    (night_root / "adzone" / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (900, 900), (20, 90, 40)).save(night_root / "adzone" / "images" / "square.png")
    # On a page no story jumps to or from: a page with the zone's own ad is the zone's own page.
    free = _free_page(main_jumps)
    path = _night(night_root, [{"edition": "Ad Zone", "folder": "adzone", "ads": [
        {"page": free, "columns": 6, "height_mm": 80, "position": "bottom", "image": "images/square.png"}]}],
        name="ad-night.yaml")
    main, zone = lay_out_night(read_night(path)).editions
    [warning] = [w for w in zone.warnings if w.field.endswith(".image")]
    assert (warning.file, warning.field) == ("ad-night.yaml", "variants[0].ads[0].image"), str(warning)
    assert "900 × 900 px (1.00:1)" in warning.message and "prints 80 × 80 mm" in warning.message
    assert not [w for w in main.warnings if w.field.endswith(".image")]
    [ad] = [item for page in zone.laid_out.pages if page.number == free for item in page.items
            if getattr(item, "path", "").endswith("square.png")]
    assert ad.box.w == pytest.approx(ad.box.h)  # square artwork prints square


def test_a_misspelt_field_of_the_night_file_is_warned_of_in_the_edition_it_concerns(night_root, main_jumps):
    """A zone's ``ad:`` for ``ads:`` would print the night without the zone's paid ad, silently: the
    zone's edition warns of it (build-night prints it, its report lists it), a
    misspelt top-level field the main edition; and putting it right is a change of the night."""
    free = _free_page(main_jumps)
    path = _night(night_root, [{"edition": "Typo Zone", "ad": [{"page": free, "columns": 6, "height_mm": 80}]}],
                  name="typo-night.yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "varients: []\n", encoding="utf-8")
    spec = read_night_spec(path)
    main, zone = lay_out_night(read_night(path)).editions
    [typo] = [w for w in zone.warnings if w.field == "variants[0].ad"]
    assert typo.file == "typo-night.yaml" and "(did you mean 'ads'?)" in typo.message, str(typo)
    [top] = [w for w in main.warnings if w.field == "varients"]
    assert "(did you mean 'variants'?)" in top.message, str(top)
    assert not [w for w in main.warnings if w.field.startswith("variants[")]
    assert not [w for w in zone.warnings if w.field == "varients"]
    path.write_text(text, encoding="utf-8")
    assert read_night_spec(path).fingerprint != spec.fingerprint


@pytest.mark.parametrize("text, field, words", [
    ("variants: []\n", "main", "main is missing"),
    ("main: nowhere\nvariants: [{edition: A}]\n", "main", "not an edition folder"),
    ("main: main\nvariants: {edition: A}\n", "variants", "must be a list"),
    ("main: main\nvariants: [{edition: A}, {edition: a}]\n", "variants[1].edition", "also variants[0]"),
    ("main: main\nvariants: [{edition: A, replace_pages: [two]}]\n", "variants[0].replace_pages[0]", "not text 'two'"),
    ("main: main\nvariants: [{edition: A, zone_pages: [3, [4]]}]\n", "variants[0].zone_pages[1]", "1 or more, not a list"),
    ("main: main\nvariants: [{folder: a}]\n", "variants[0].edition", "add an edition"),
    ("main: main\nvariants: [{edition: A, replace_pages: [2], zone_pages: [2]}]\n", "variants[0].zone_pages", "in one"),
    ("main: main\nvariants: [{edition: A\n", "", "YAML"),
    ("main: main\nvariants: [{edition: A, replace_pages: [" + "9" * 5000 + "]}]\n", "", "number too long to read"),
    ("- just\n- a list\n", "", "must be a mapping"),
    ("main: main\nvariants:\n  - edition: A\n\t  zone_pages: [1]\n", "",
     "line 4, column 1: a tab character before 'zone_pages: [1]', and YAML indents with spaces only"),
])
def test_a_wrong_night_file_names_the_field_and_the_fix(night_root, text, field, words):
    path = night_root / "bad-night.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NightError) as caught:
        read_night_spec(path)
    problem = next(p for p in caught.value.problems if p.field == field)
    assert problem.file == "bad-night.yaml" and words in str(problem) and problem.fix



def test_a_replate_finds_a_hindi_zone_by_its_name_as_the_desk_spells_it(tmp_path):
    """A Hindi desk's audit: `--edition dewas` and `--edition indore-nagar` found no edition (the
    folders are "devasa", "imdaura-nagara": IAST keeps every inherent vowel, writes व "v" and the
    anusvara "m"); only "devas" did. A spelling that sounds like one edition's name alone finds
    it; one that sounds like two is refused, naming both; one like none lists every edition."""
    for folder, name in (("malwa-devasa-1ee85d82", "देवास"), ("malwa-imdaura-nagara-54b2f7a3", "इंदौर नगर"),
                         ("malwa-ujjaina-9d03225c", "उज्जैन"), ("malwa-jabalapura-0c1d2e3f", "जबलपुर")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.json").write_text("{}", encoding="utf-8")
        write_version(tmp_path / folder, EditionVersion(number=1, made="2026-12-05T00:00:00+00:00", source="night.yaml",
                                                        breaker="knuth-plass", base_url=None, night_edition=name))
    for typed, folder in (("dewas", "malwa-devasa-1ee85d82"), ("Dewas", "malwa-devasa-1ee85d82"),
                          ("indore-nagar", "malwa-imdaura-nagara-54b2f7a3"), ("Indore Nagar", "malwa-imdaura-nagara-54b2f7a3"),
                          ("ujjain", "malwa-ujjaina-9d03225c"), ("jabalpur", "malwa-jabalapura-0c1d2e3f")):
        assert published_edition(tmp_path, typed) == tmp_path / folder, typed
    with pytest.raises(ReplateError) as caught:
        published_edition(tmp_path, "indore")  # not the name of any: the main edition is इंदौर नगर
    assert "no edition 'indore'" in str(caught.value) and "in Latin letters" in str(caught.value)
    (tmp_path / "malwa-devasa-2a2b2c2d").mkdir()  # a second zone whose name sounds the same
    (tmp_path / "malwa-devasa-2a2b2c2d" / "plan.json").write_text("{}", encoding="utf-8")
    write_version(tmp_path / "malwa-devasa-2a2b2c2d", EditionVersion(
        number=1, made="2026-12-05T00:00:00+00:00", source="night.yaml", breaker="knuth-plass", base_url=None,
        night_edition="देवसा"))
    with pytest.raises(ReplateError) as caught:
        published_edition(tmp_path, "dewas")
    assert "'dewas' could be any of: malwa-devasa-1ee85d82 ('देवास'), malwa-devasa-2a2b2c2d ('देवसा')" in str(caught.value)


def test_a_replate_finds_a_night_edition_by_its_folder_or_its_name_in_the_night_file(tmp_path):
    for folder, name in (("courier-city", "city"), ("courier-north-shore", "North Shore"), ("courier-solo", None),
                         ("courier-kolkata", "কলকাতা"), ("courier-kolhapura-37acb8e2", "कोल्हापुर")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.json").write_text("{}", encoding="utf-8")
        write_version(tmp_path / folder, EditionVersion(number=1, made="2026-12-05T00:00:00+00:00", source="night.yaml",
                                                        breaker="knuth-plass", base_url=None, night_edition=name))
    assert published_edition(tmp_path, "courier-solo") == tmp_path / "courier-solo"
    assert published_edition(tmp_path, "NORTH SHORE") == tmp_path / "courier-north-shore"
    assert published_edition(tmp_path, "north-shore") == tmp_path / "courier-north-shore"  # as its folder is spelt
    with pytest.raises(ReplateError, match="no edition 'edition'"):  # not any name that slugs to nothing
        published_edition(tmp_path, "edition")
    assert published_edition(tmp_path, "কলকাতা") == tmp_path / "courier-kolkata"
    # A Devanagari name typed in Latin letters as the desk spells it, without the inherent vowel the
    # romanised folder keeps (an outside Hindi-desk audit: only "kolhapura" found it).
    for typed in ("कोल्हापुर", "kolhapur", "Kolhapur", "kolhapura"):
        assert published_edition(tmp_path, typed) == tmp_path / "courier-kolhapura-37acb8e2", typed
    with pytest.raises(ReplateError, match="no edition 'চেন্নাই'"):  # another name in a script not romanised
        published_edition(tmp_path, "চেন্নাই")
    with pytest.raises(ReplateError) as caught:  # the edition's folder, as "Output:" printed it
        published_edition(tmp_path / "courier-city", None)
    assert f"give the folder it was built into (its --out) and the edition: {tmp_path} --edition courier-city" in str(
        caught.value)
    with pytest.raises(ReplateError) as caught:
        published_edition(tmp_path, "south")
    assert "no edition 'south'" in str(caught.value) and "courier-north-shore ('North Shore')" in str(caught.value)
    with pytest.raises(ReplateError) as caught:
        published_edition(tmp_path, None)
    assert "name one with --edition: courier-city ('city')" in str(caught.value)
    for name, reason in (("", "no edition ''"), ("North Shore", "2 editions are named 'North Shore'")):
        if name:  # another night's North Shore in the same folder
            (tmp_path / "gazette-north-shore").mkdir()
            (tmp_path / "gazette-north-shore" / "plan.json").write_text("{}", encoding="utf-8")
            write_version(tmp_path / "gazette-north-shore", EditionVersion(
                number=1, made="2026-12-05T00:00:00+00:00", source="other.yaml", breaker="knuth-plass", base_url=None,
                night_edition="North Shore"))
        with pytest.raises(ReplateError, match=reason):
            published_edition(tmp_path, name)


def test_zones_named_in_devanagari_are_two_zones_with_their_own_folders(night_root):
    path = night_root / "deva-night.yaml"
    path.write_text("main: main\nvariants: [{edition: पुणे}, {edition: नागपूर}]\n", encoding="utf-8")
    spec = read_night_spec(path)
    assert [v.folder.name for v in spec.variants] == ["पुणे", "नागपूर"]
    laid = lay_out_night(read_night(path))
    assert len({e.id for e in laid.editions}) == 3


def test_build_night_on_a_bad_night_file_is_exit_1_with_the_problem_and_no_traceback(night_root, tmp_path, capsys):
    path = night_root / "broken-night.yaml"
    path.write_text("main: main\nvariants: [{edition: A, replace_sections: [Sprt]}]\n", encoding="utf-8")
    assert cli_main(["build-night", str(path), "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out
    assert "broken-night.yaml: variants[0].replace_sections[0]" in out and "Traceback" not in out
    # No edition and no archive: at most the output folder's hidden lock and build cache.
    out_dir = tmp_path / "out"
    assert not out_dir.exists() or all(p.name.startswith(".") for p in out_dir.iterdir())


def test_validate_checks_a_night_file_and_its_folders_then_lays_it_out_writing_nothing(night_root, main_jumps,
                                                                                       tmp_path, capsys, monkeypatch):
    """The desk checks tonight's night file before the first build: the file, the main edition and
    every zone's stories and ads, every problem at once (nothing laid out while they have any);
    then the night laid out, nothing written, as build-night lays it out."""
    import epaper.night.layout as night_layout

    _story(night_root / "checked", "checked-story", "City", words=120)
    path = _night(night_root, [{"edition": "Checked", "folder": "checked", "replace_pages": [_free_page(main_jumps)]},
                               {"edition": "Quiet"}], name="checked-night.yaml")
    before = sorted(night_root.rglob("*"))
    monkeypatch.chdir(tmp_path)
    assert cli_main(["validate", str(path)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "the night's files are valid" in said and "and every jump lands in every zone" in said
    assert sorted(night_root.rglob("*")) == before and not any(tmp_path.iterdir())
    for name in ("lay_out", "lay_out_cached"):  # (build-night's layout checks the files first, too)
        monkeypatch.setattr(night_layout, name, lambda *a, **k: pytest.fail("validate laid out a night with problems"))
    (night_root / "checked" / "articles" / "broken.json").write_text('{"id": "broken", "section": "City"}')
    path = _night(night_root, [{"edition": "Checked", "folder": "checked", "replace_pages": [2], "zone_pages": [1]},
                               {"edition": "Typo", "folder": "nowhere"}], name="checked-night.yaml")
    try:
        assert cli_main(["validate", str(path)]) == 1
    finally:
        (night_root / "checked" / "articles" / "broken.json").unlink()
    out = " ".join(capsys.readouterr().out.split())
    assert "checked/articles/broken.json: headline" in out  # a zone story's problem
    assert "variants[0].replace_pages: zone 'Checked': page 2 is a local page" in out
    assert "variants[1].folder: the zone's folder nowhere does not exist" in out
    assert "Traceback" not in out


def test_validate_refuses_a_zone_whose_page_a_jump_needs_as_build_night_does(night_root, main_jumps, capsys):
    """A jump into a page the zone makes its own is found at validate time (the afternoon's check),
    with build-night's reason and fix, not at midnight."""
    _, jumps = main_jumps
    story, source, target = jumps[0]
    path = _night(night_root, [{"edition": "Jumpy", "zone_pages": [source]}], name="jumpy-night.yaml")
    assert cli_main(["validate", str(path)]) == 1
    said = " ".join(capsys.readouterr().out.split())
    assert f"'{story}' jumps from page {source} to page {target}" in said
    assert f"{path.name}: variants[0]" in said and "zone_pages: [" in said and "Traceback" not in said


class _Recording:
    """Wraps the night's runner: counts the page tasks handed to it without waiting for them."""

    def __init__(self, runner):
        self._runner, self.submitted = runner, []

    @property
    def workers(self):
        return self._runner.workers

    def map(self, task, items, *, progress=None):
        return self._runner.map(task, items, progress=progress)

    def submit(self, task, items):
        self.submitted.append(len(items))
        return self._runner.submit(task, items)


def _recording_runner(monkeypatch) -> list[_Recording]:
    from epaper.night import build as night_build

    runners: list[_Recording] = []
    real_open = night_build.open_runner

    @contextlib.contextmanager
    def recording(**kwargs):
        with real_open(**kwargs) as runner:
            runners.append(_Recording(runner))
            yield runners[-1]

    monkeypatch.setattr(night_build, "open_runner", recording)
    return runners


def test_the_main_editions_pages_are_made_while_the_zones_are_laid_out(night, tmp_path, monkeypatch):
    """The workers are not left waiting for the zones' layout: every page of the main edition is
    handed to them before the first zone is laid out, the zones' own pages after."""
    from epaper.night import layout as night_layout

    _, laid, path = night
    runners = _recording_runner(monkeypatch)
    seen: list[list[int]] = []
    real_resolve = night_layout.resolve_zone

    def resolve(*args, **kwargs):
        seen.append(list(runners[0].submitted))
        return real_resolve(*args, **kwargs)

    monkeypatch.setattr(night_layout, "resolve_zone", resolve)
    result = build_night(path, tmp_path / "out")
    assert seen[0] == [len(laid.main.laid_out.pages)]  # the main edition's pages, all of them, first
    assert sum(runners[0].submitted) == result.pages_made > seen[0][0]  # then the zones' own


def test_a_night_refused_after_its_main_pages_were_handed_over_writes_no_edition(night_root, main_jumps, tmp_path,
                                                                                 monkeypatch):
    """A zone refused while the main edition's pages are being made: no edition, no archive, and
    no task still writing once build_night has returned (what was under way is dropped or ended)."""
    _, jumps = main_jumps
    story, source, target = jumps[0]
    path = _night(night_root, [{"edition": "Jumpy", "zone_pages": [source]}], name="jumpy-night.yaml")
    runners = _recording_runner(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()  # the desk's (a folder the build made is removed whole: see the --strict test)
    with pytest.raises(NightError):
        build_night(path, out)
    assert runners[0].submitted  # the main edition's pages were under way
    before = sorted((p, p.stat().st_mtime_ns) for p in out.rglob("*"))
    assert all(p.name.startswith(".") for p in out.iterdir())
    assert not [p for p, _ in before if p.name.endswith(".partial")]
    time.sleep(1.0)
    assert sorted((p, p.stat().st_mtime_ns) for p in out.rglob("*")) == before  # nothing runs on


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_built_night_shares_its_same_pages_as_one_file_and_differs_where_the_zone_does(night, night_root, tmp_path):
    local, _, path = night
    out = tmp_path / "out"
    result = build_night(path, out)
    main, north, quiet = (out / e.id for e in result.night.editions)
    for folder in (main, north, quiet):  # every edition complete
        for name in ("edition.pdf", "manifest.json", "index.html", "layout.json", "report.html", "mets.xml"):
            assert (folder / name).is_file(), (folder, name)
    # A reader's tabs (and bookmarks) tell the editions apart.
    titles = [re.search(r"<title>(.*?)</title>", (folder / "index.html").read_text(encoding="utf-8")).group(1)
              for folder in (main, north, quiet)]
    assert [" · ".join(t.split(" · ")[1:2]) for t in titles] == [
        f"{e.night_edition.name.title()} edition" for e in result.night.editions], titles
    # So do a subeditor's proof reports, in their heading and tab.
    for folder, edition in zip((main, north, quiet), result.night.editions):
        proof = (folder / "report.html").read_text(encoding="utf-8")
        named = f"{edition.night_edition.name.title()} edition"
        assert named in re.search(r"<title>(.*?)</title>", proof).group(1), folder
        assert named in re.search(r"<h1>(.*?)</h1>", proof).group(1), folder
    shared = quiet / "pages" / "003.pdf", main / "pages" / "003.pdf"
    assert os.stat(shared[0]).st_ino == os.stat(shared[1]).st_ino
    for sub in ("print/003.pdf", "images/003.jpg", "thumbs/003.jpg", "alto/003.xml"):
        assert os.path.samefile(quiet / sub, main / sub)
    # The tiles are one set, beside the editions, which both name.
    assert tile_set_of(quiet, 3) == tile_set_of(main, 3) and (tile_set_of(main, 3) / "info.json").is_file()
    assert not (main / "tiles").exists()
    # The zone's own page differs; its front names the zone.
    assert _digest(north / "pages" / f"{local:03d}.pdf") != _digest(main / "pages" / f"{local:03d}.pdf")
    assert tile_set_of(north, local) != tile_set_of(main, local)
    assert _digest(quiet / "pages/001.pdf") != _digest(main / "pages/001.pdf")
    report = json.loads((north / "report.json").read_text(encoding="utf-8"))
    assert {d["page"] for d in report["night"]["differs_from_main"]} == set(result.night.editions[1].differing_pages)
    # Every edition of the night by name and pages; which editions print each page, of its own pages
    # only (every edition's in every report grew as editions² × pages).
    assert [e["id"] for e in report["night"]["editions"]] == [e.id for e in result.night.editions]
    [own] = [e for e in report["night"]["editions"] if "shared" in e]
    assert own["id"] == north.name and own["shared"] == {
        str(p.number): list(p.shared_with) for p in result.night.editions[1].pages if p.shared_with}
    assert result.night.main.id in own["shared"]["2"] and str(local) not in own["shared"]
    html = (north / "report.html").read_text(encoding="utf-8")
    assert "Pages that differ from the main edition" in html and f"Page {local}" in html
    archive = (out / "index.html").read_text(encoding="utf-8")
    assert "North" in archive and "Quiet" in archive and "shares" in archive
    # The night's fronts: its main edition first (the zones' lines name it), then the zones, named as
    # their mastheads print them ("city" in edition.yaml).
    assert re.findall(r'class="edition-name">([^<]+)<', archive) == ["City edition", "North edition", "Quiet edition"]
    # Every page that is the main edition's is the main's files; one whose stories' other parts are
    # the same too (ALTO joins a word broken at a jump) was not drawn again: it came from the store.
    main_id = result.night.main.id
    for edition, built in zip(result.night.editions[1:], result.editions[1:]):
        folder = out / edition.id
        same = {p.number for p in edition.pages if main_id in p.shared_with}
        for number in same:
            for sub in ("pages", "print"):
                assert os.path.samefile(folder / sub / f"{number:03d}.pdf", main / sub / f"{number:03d}.pdf")
        assert not set(built.reuse.pages_reused) - same
        # The main edition's jump pages are not drawn again for a zone whose front differs (its
        # masthead): they read only the jumped stories' words of the front, which are the same.
        front_jumps = {n for n in same for r in edition.laid_out.pages[n - 1].regions
                       if 1 in (r.continued_to, r.continued_from)}
        assert 1 not in same and front_jumps, (edition.id, same)
        assert same <= set(built.reuse.pages_reused), (edition.id, same, built.reuse)
    # Each distinct page of the night was made once (in one batch) and counted once, as made by the
    # first edition printing it.
    distinct = {os.stat(out / edition.id / "pages" / f"{page.number:03d}.pdf").st_ino
                for edition in result.night.editions for page in edition.laid_out.pages}
    assert result.pages_made == len(distinct) == sum(len(r.reuse.pages_made) for r in result.editions)
    assert set(result.editions[0].reuse.pages_made) == {p.number for p in result.night.main.laid_out.pages}
    # The same night again: nothing is drawn, and the shared files are still one file.
    again = build_night(path, out)
    assert again.pages_made == 0, [(r.out_dir.name, r.reuse.pages_made) for r in again.editions]
    assert os.path.samefile(quiet / "pages" / "003.pdf", main / "pages" / "003.pdf")
    assert _digest(north / "pages" / f"{local:03d}.pdf") != _digest(main / "pages" / f"{local:03d}.pdf")
    # A zone taken out of the night file: left as published, said by the build, and the archive no
    # longer says it shares the main edition's pages (they do not follow the main edition any more).
    as_filed = path.read_text(encoding="utf-8")
    try:
        fewer = build_night(_night(night_root, [{"edition": "Quiet"}], name=path.name), out)
        assert fewer.left_over == (north.name,) and not fewer.others and (north / "index.html").is_file()
        again = build_night(path, out)
        assert again.unchanged and again.left_over == (north.name,)  # said again while it is there
    finally:
        path.write_text(as_filed, encoding="utf-8")
    lines = dict(re.findall(r'class="edition-name">([^<]+)<.*?(?:class="edition-night">([^<]+)<|</li>)',
                            (out / "index.html").read_text(encoding="utf-8"), re.S))
    assert not lines["North edition"] and "shares" in lines["Quiet edition"], lines
    assert "North" not in lines["City edition"] and "Quiet" in lines["City edition"], lines
    # Another night file with the same main edition, built into the same folder: North is that
    # night's (night.yaml still names it), not one "built by this night before" (a desk review).
    other = build_night(_night(night_root, [{"edition": "Quiet"}], name="other-night.yaml"), out)
    assert not other.left_over and other.others == ((north.name, str(path.absolute())),), other.others


@pytest.mark.slow
def test_the_sample_night_lays_out_every_zone_as_its_file_says():
    laid = lay_out_night(read_night(Path(__file__).resolve().parent.parent / "sample-night" / "night.yaml"))
    editions = {e.night_edition.name: e for e in laid.editions}
    assert set(editions) == {"city", "Harbour", "North Shore", "Islands"}
    assert editions["Harbour"].differing_pages[:4] == (1, 2, 3, 4)
    assert editions["North Shore"].laid_out.pages[5].section == "North Shore"
    # Its ferry ad is in the space of the main edition's on page 9: that page keeps the main
    # edition's stories where they are, and prints the islands' ad.
    assert {p.number for p in editions["Islands"].pages if p.inherited_from is None} == {5}
    assert editions["Islands"].night_edition.ads_in_place == {9}
    page_9 = [(r.article_id, r.boxes) for r in editions["Islands"].laid_out.pages[8].regions]
    assert page_9 == [(r.article_id, r.boxes) for r in editions["city"].laid_out.pages[8].regions]
    # Its local page's refer boxes take stories of their own: the pages it inherits keep the main
    # edition's boxes (pages 14 and 15 had changed with them: two plates more a night).
    assert editions["Islands"].differing_pages == (1, 5, 9)
    # The front's "Inside today" says each edition's pages ({page:Business}): North Shore's section
    # moves Business on by one. Its front is the main edition's all the same, the box set again in
    # its place.
    def index(name: str) -> str:
        return next(" ".join(p.text for p in a.body) for a in editions[name].laid_out.edition.articles
                    if a.id == "index-inside-today")

    assert "six hydrogen ferries. Page 10." in index("city") and "six hydrogen ferries. Page 11." in index("North Shore")
    main_front, north_front = (editions[name].laid_out.plan["pages"][0]["placements"] for name in ("city", "North Shore"))
    assert [(p["article"], p["slot"]) for p in north_front] == [(p["article"], p["slot"]) for p in main_front]
    drawn = " ".join(" ".join(run.text for run in editions["North Shore"].laid_out.pages[0].items_of(TextRun)
                              if run.source.article_id == "index-inside-today").split())
    assert "Page 11." in drawn and "Page 10." not in drawn
    for edition in laid.editions:
        assert not edition.laid_out.unplaced, (edition.id, edition.laid_out.unplaced)
    assert all(p.same_as_main for p in editions["Harbour"].pages[4:])


@dataclasses.dataclass(frozen=True)
class SampleNight:
    src: Path  # copies of sample-edition/ and sample-night/
    out: Path
    folders: dict[str, Path]  # each edition's folder, by its name in the night file ("city": the main)


@pytest.fixture(scope="module")
def sample_night(tmp_path_factory) -> SampleNight:
    """The night the README tells the desk to build (sample-night/night.yaml), built whole once.
    The README test replates its main edition's front last: a test after it sees version 2."""
    repo = Path(__file__).resolve().parent.parent
    root = tmp_path_factory.mktemp("sample-night")
    src = root / "src"
    for folder in ("sample-edition", "sample-night"):
        shutil.copytree(repo / folder, src / folder)
    result = build_night(src / "sample-night" / "night.yaml", root / "out")
    folders = {(edition.version.night_edition if edition.version else None): edition.out_dir
               for edition in result.editions}
    return SampleNight(src, root / "out", folders)


def _assert_outside_tools_accept(edition: Path, out: Path, schemas: dict) -> None:
    """poppler's pdffonts, iiif-prezi3 and (where ../shared is) the ALTO and METS schemas accept the
    edition folder's files, METS's sizes and checksums are the files', and every image service its
    manifest names is a tile set of the output folder with that id. (qpdf: see the test.)"""
    from test_iiif import DEFAULT_ROOT, assert_loads_in_iiif_prezi3, check_manifest, edition_base
    from test_print_pdfs import pdffonts

    for pdf in (edition / "edition.pdf", *sorted(edition.glob("print/*.pdf"))):
        fonts = pdffonts(pdf)
        assert fonts and all(font["emb"] == "yes" for font in fonts), (pdf, fonts)
    manifest = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))
    assert_loads_in_iiif_prezi3(manifest, "Manifest")
    check_manifest(manifest, edition, edition_base(edition))
    services = [service for canvas in manifest["items"] for page in canvas["items"] for annotation in page["items"]
                for service in annotation["body"]["service"]]
    for service in services:
        tile_set = out / service["id"].removeprefix(DEFAULT_ROOT)  # tiles/<name>
        assert (tile_set / "info.json").is_file(), f"{edition.name}: no tile set at {service['id']}"
        info = json.loads((tile_set / "info.json").read_text(encoding="utf-8"))
        assert tile_set.parent.name == "tiles" and info["id"] == service["id"], (service["id"], info["id"])
    from lxml import etree

    mets = etree.parse(str(edition / "mets.xml"))
    if "mets" in schemas:
        assert schemas["mets"].validate(mets), f"{edition.name}: {schemas['mets'].error_log.last_error}"
    files = mets.findall(".//{http://www.loc.gov/METS/}file")
    assert len(files) >= 3 * 18
    for file in files:
        href = file.find("{http://www.loc.gov/METS/}FLocat").get("{http://www.w3.org/1999/xlink}href")
        data = (edition / href).read_bytes()
        assert int(file.get("SIZE")) == len(data), href
        assert file.get("CHECKSUMTYPE") == "SHA-256" and file.get("CHECKSUM") == hashlib.sha256(data).hexdigest(), href
    if "alto" in schemas:
        for alto in sorted(edition.glob("alto/*.xml")):
            assert schemas["alto"].validate(etree.parse(str(alto))), f"{alto}: {schemas['alto'].error_log.last_error}"


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("qpdf") and shutil.which("pdffonts")), reason="qpdf and poppler are not installed "
                    "(make test-deps)")
def test_outside_tools_accept_every_edition_of_the_sample_night(sample_night):
    """The zones' folders, made of the main edition's files and their own, are judged as the main
    edition's are: qpdf, pdffonts, iiif-prezi3, the ALTO and METS schemas, and the collections."""
    from lxml import etree
    from test_iiif import assert_loads_in_iiif_prezi3

    shared = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas"
    schemas = {kind: etree.XMLSchema(etree.parse(str(shared / name)))
               for kind, name in (("alto", "alto-4-4.xsd"), ("mets", "mets-1-12-1.xsd")) if (shared / name).is_file()}
    assert set(sample_night.folders) == {"city", "Harbour", "North Shore", "Islands"}
    for edition in sample_night.folders.values():
        _assert_outside_tools_accept(edition, sample_night.out, schemas)
    # qpdf reads the PDFs of the pages each zone prints of its own (North Shore's front, its added
    # page, and the first of the main edition's pages it prints renumbered), and the merged edition
    # of the zone whose pages are renumbered: ~0.1 s a page, 1.3 s an edition. The main edition's
    # files are judged by the sample build's tests, and a zone's shared pages are those very files.
    own = {"Harbour": (1, 2, 3, 4), "Islands": (1, 5, 9), "North Shore": (1, 6, 7)}
    main = sample_night.folders["city"]
    pdfs = [sample_night.folders[name] / kind / f"{number:03d}.pdf" for name, numbers in own.items()
            for number in numbers for kind in ("pages", "print")]
    assert not any(os.path.samefile(pdf, main / pdf.parent.name / pdf.name) for pdf in pdfs)
    for pdf in [*pdfs, sample_night.folders["North Shore"] / "edition.pdf"]:
        checked = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert checked.returncode == 0, f"{pdf}: {checked.stdout[-400:]} {checked.stderr[-400:]}"
    assert_loads_in_iiif_prezi3(json.loads((sample_night.out / "collection.json").read_text(encoding="utf-8")),
                                "Collection")
    for collection in sample_night.out.glob("collections/*.json"):
        assert_loads_in_iiif_prezi3(json.loads(collection.read_text(encoding="utf-8")), "Collection")


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed (make test-deps)")
def test_a_plate_of_a_zones_own_says_the_zone(sample_night):
    """A Hindi desk's audit: Islands' local page 5 and the main edition's page 5 printed the same
    folio and PDF title, and nothing on a plate said which press it was for. Read by poppler, each
    print PDF of a zone's own page names the zone in its folio and its title; the main edition's
    pages and a page a zone shares with it name none."""
    import pikepdf

    def top_line(pdf: Path) -> str:
        text = subprocess.run(["pdftotext", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        return " ".join(next(line for line in text.splitlines() if line.strip()).split())

    def title(pdf: Path) -> str:
        with pikepdf.open(pdf) as document:
            return str(document.docinfo["/Title"])

    islands, main = sample_night.folders["Islands"], sample_night.folders["city"]
    for number in (5, 9):  # its local page; the main edition's page with the zone's ad in its ad space
        printed = islands / "print" / f"{number:03d}.pdf"
        assert "· Islands edition" in top_line(printed) and "· Islands edition, Page" in title(printed), number
        assert "edition" not in top_line(main / "print" / f"{number:03d}.pdf") + title(main / "print" / f"{number:03d}.pdf")
    shared = islands / "print" / "006.pdf"
    assert shared.samefile(main / "print" / "006.pdf") and "edition" not in top_line(shared)

@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed (make test-deps)")
def test_the_sample_night_builds_as_the_readme_says(sample_night):
    """The night the README tells the desk to build, built whole and read back by poppler: each
    zone's own pages differ from the main edition's and the rest are the main edition's files;
    North Shore's front says its Business page; Harbour's zoned front prints its lead's photo.
    Then the front's lead cut late: the zones' own pages are not plated again."""
    src, folders = sample_night.src, sample_night.folders
    main = folders["city"]
    expected = {"Harbour": {1, 2, 3, 4}, "Islands": {1, 5, 9}}
    for name, differing in expected.items():
        for number in range(1, 19):
            pdf = f"pages/{number:03d}.pdf"
            assert os.path.samefile(folders[name] / pdf, main / pdf) is (number not in differing), (name, number)

    def text(pdf: Path) -> str:
        return " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                                       text=True).stdout.split())

    assert "hydrogen ferries. Page 10." in text(main / "pages" / "001.pdf")
    assert "hydrogen ferries. Page 11." in text(folders["North Shore"] / "print" / "001.pdf")
    assert "New pilot boat takes to the water" in text(folders["Harbour"] / "pages" / "001.pdf")
    warned = json.loads((folders["Harbour"] / "report.json").read_text(encoding="utf-8"))["warnings"]
    assert not [w for w in warned if "pilot-boat-wren.jpg" in w["message"]], "the zone's lead prints its photo"
    # The archive and the title's IIIF collection list the night as the night file does: the main
    # edition first, then the zones in their order there (not the alphabet's: Islands after North Shore).
    order = ["city", "Harbour", "North Shore", "Islands"]
    archive = (sample_night.out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'class="edition-name">([^<]+)<', archive) == ["City edition"] + [f"{n} edition" for n in order[1:]]
    collection = json.loads(next((sample_night.out / "collections").glob("*.json")).read_text(encoding="utf-8"))
    ids = [item["id"] for item in collection["items"]]
    assert ids == [next(i for i in ids if f"/{folders[name].name}/" in i) for name in order], ids

    # The front's lead cut to three paragraphs at 1 am: the front's refer box grows and names
    # stories a zone's own page named. That page is kept as it was (both may name one story), not
    # plated again: Islands' local page 5 and North Shore's added page 6 stay the very same files.
    own = {"Islands": "pages/005.pdf", "North Shore": "pages/006.pdf"}
    before = {name: (folders[name] / pdf).read_bytes() for name, pdf in own.items()}
    lead = src / "sample-edition" / "articles" / "seawall-plan-approved.md"
    head, body = re.match(r"(---\n.*?\n---\n)(.*)", lead.read_text(encoding="utf-8"), re.S).groups()
    lead.write_text(head + "\n\n".join([p for p in body.split("\n\n") if p.strip()][:3]) + "\n", encoding="utf-8")
    assert cli_main(["replate", str(sample_night.out), "--page", "1", "--edition", "city"]) == 0
    for name, pdf in own.items():
        version = json.loads((folders[name] / "version.json").read_text(encoding="utf-8"))
        assert version["number"] == 2 and int(pdf[6:9]) not in version["replated"], (name, version["replated"])
        assert (folders[name] / pdf).read_bytes() == before[name], name


def test_an_edition_waits_only_for_the_batches_holding_its_pages():
    """NightPages: waiting for an edition's pages collects the batches that hold them (in the order
    handed over) and no later one — a zone is published while the workers make the next zone's
    pages — and a page handed over twice is made once."""
    from types import SimpleNamespace

    from epaper.night.pages import NightPages

    collected: list[list[str]] = []

    class Batch:
        def __init__(self, keys):
            self.keys = keys

        def results(self, *, progress=None):
            collected.append(self.keys)
            return self.keys

        def cancel(self):
            pass

    class Runner:
        workers = 2

        def submit(self, task, items):
            return Batch([item.key for item in items])

    store = SimpleNamespace(read_memo=lambda stage, key: None)  # nothing made before
    task = lambda key: SimpleNamespace(key=key, store=store)  # noqa: E731
    pages = NightPages(Runner())
    pages.make([task("m1"), task("m2")])  # the main edition
    pages.make([task("m1"), task("z1")])  # a zone: one page its own
    pages.make([task("m2"), task("y1"), task("y2")])  # another
    pages.wait(["m1", "m2"])
    assert collected == [["m1", "m2"]]
    pages.wait(["m1", "z1"])  # the main edition's batch is in already: only the zone's
    assert collected == [["m1", "m2"], ["z1"]]
    pages.wait(["m2"])
    assert len(collected) == 2
    pages.wait(["m2", "y1", "y2"])
    assert collected[2:] == [["y1", "y2"]] and pages.made == {"m1", "m2", "z1", "y1", "y2"}


def _pdf_digests(folder: Path) -> dict[str, str]:
    """Every page's reader and print PDF in an edition folder, by path, to their digests."""
    return {p.relative_to(folder).as_posix(): _digest(p) for sub in ("pages", "print")
            for p in sorted((folder / sub).glob("*.pdf"))}


def _change_a_word(edition_folder: Path, article_id: str, word: str = "the", new: str = "its") -> None:
    """One word of the story's body for another of the same length (a late correction)."""
    path = next(p for p in (edition_folder / "articles").iterdir() if p.stem == article_id)
    text = path.read_text(encoding="utf-8")
    start = text.rindex("---") + 3 if path.suffix == ".md" else text.index('"body"')
    at = text.index(f" {word} ", start) + 1
    path.write_text(text[:at] + new + text[at + len(word):], encoding="utf-8")


def _append_paragraph(path: Path, text: str) -> None:
    """A paragraph added to the body of a JSON article file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["body"] = [*data["body"], text] if isinstance(data["body"], list) else f"{data['body']}\n\n{text}"
    path.write_text(json.dumps(data), encoding="utf-8")


def _version(folder: Path) -> dict:
    return json.loads((folder / "version.json").read_text(encoding="utf-8"))


def _built_copy(night_root: Path, night_file: Path, tmp_path: Path):
    """The night's folders copied (the test changes their stories) and built: (root, out, result)."""
    root = tmp_path / "night"
    shutil.copytree(night_root, root)
    out = tmp_path / "out"
    return root, out, build_night(root / night_file.name, out)


def _page_every_zone_prints(built) -> tuple[int, str]:
    """(page, its first story): a page past the front every zone prints as the main edition's, none
    of whose stories jumps or is teased on the front."""
    main, *zones = built.night.editions
    teased = {item.source.article_id for item in main.laid_out.pages[0].items
              if getattr(item, "source", None) is not None and item.source.role == "teaser"}
    return next((p.number, p.regions[0].article_id) for p in main.laid_out.pages
                if p.number > 1 and all(z.pages[p.number - 1].same_as_main for z in zones)
                and not any(r.continued_to or r.continued_from or r.article_id in teased for r in p.regions))


@pytest.mark.slow
def test_a_replate_in_a_night_reaches_every_edition_printing_the_page_and_no_other(night, night_root, tmp_path,
                                                                                    capsys):
    local, _, night_file = night
    root, out, built = _built_copy(night_root, night_file, tmp_path)
    main, north, quiet = built.night.editions
    assert [_version(out / e.id)["night_edition"] for e in built.night.editions] == ["city", "North", "Quiet"]
    page, story = _page_every_zone_prints(built)
    before = {e.id: _pdf_digests(out / e.id) for e in built.night.editions}
    placed = _plan_page(out / main.id, page)
    _change_a_word(root / "main", story)
    assert cli_main(["replate", str(out), "--page", str(page), "--edition", main.id]) == 0
    told = capsys.readouterr().out
    assert f"Also {north.id}: version 2" in told and f"Also {quiet.id}: version 2" in told
    # The corrected story is set again in its own slot: the page does not move.
    replated = _plan_page(out / main.id, page)
    assert [(p["article"], p["slot"]) for p in replated] == [(p["article"], p["slot"]) for p in placed]
    assert "set again in its place" in next(p for p in replated if p["article"] == story)["adjustments"]
    stem = f"{page:03d}.pdf"
    for edition in built.night.editions:  # in every edition that page, and only that page, changed
        folder = out / edition.id
        after = _pdf_digests(folder)
        assert {name for name in after if after[name] != before[edition.id][name]} == {f"pages/{stem}", f"print/{stem}"}
        assert _version(folder)["number"] == 2 and _version(folder)["replated"] == [page]
        assert _pdf_digests(folder / "versions" / "1") == before[edition.id]  # the version before, whole
        assert os.path.samefile(folder / "pages" / stem, out / main.id / "pages" / stem)  # still one page
        # Its proof report, kept, still links the night's other editions' reports and pages (an
        # audit: from versions/1/ they resolved inside versions/), as its report.json names them.
        for kept in (folder / "versions" / "1", folder):
            proof = (kept / "report.html").read_text(encoding="utf-8")
            linked = re.findall(r"(?:href|src)='([^':]+)'", proof)
            assert [link for link in linked if "../" in link], (kept, linked)
            assert all((kept / link).is_file() for link in linked), (kept, linked)
            named = json.loads((kept / "report.json").read_text(encoding="utf-8"))["night"]["main_folder"]
            assert (kept / named).resolve() == (out / main.id).resolve()
    # Each version replaced is filed whole: no object of the store is let go of (none is looked for).
    assert not [p for p in (out / ".store" / "objects").rglob("*") if p.is_file() and p.stat().st_nlink == 1]
    # A zone's own page: the zone alone publishes a new version.
    own_story = next(r.article_id for r in north.laid_out.pages[local - 1].regions)
    _change_a_word(root / "north", own_story, "notice", "advice")
    untouched = {e.id: (out / e.id / "version.json").stat().st_mtime_ns for e in (main, quiet)}
    before = _pdf_digests(out / north.id)
    placed = _plan_page(out / north.id, local)
    assert cli_main(["replate", str(out), "--page", str(local), "--edition", "north"]) == 0  # its name, any case
    assert "Also" not in capsys.readouterr().out
    replated = _plan_page(out / north.id, local)  # the zone's own page, too, keeps its place
    assert [(p["article"], p["slot"]) for p in replated] == [(p["article"], p["slot"]) for p in placed]
    assert "set again in its place" in next(p for p in replated if p["article"] == own_story)["adjustments"]
    after = _pdf_digests(out / north.id)
    assert {name for name in after if after[name] != before[name]} == {f"pages/{local:03d}.pdf", f"print/{local:03d}.pdf"}
    assert _version(out / north.id)["number"] == 3 and _version(out / north.id)["kept"] == [1, 2]
    assert {e.id: (out / e.id / "version.json").stat().st_mtime_ns for e in (main, quiet)} == untouched
    # The night built again after its replates: each edition its next version, the earlier ones kept.
    _change_a_word(root / "main", story)
    assert cli_main(["build-night", str(root / night_file.name), "--out", str(out)]) == 0
    assert [_version(out / e.id)["number"] for e in built.night.editions] == [3, 4, 3]
    # And says which plates to make again, edition by edition (it said nothing of them; the night audit).
    printed = capsys.readouterr().out
    told = " ".join(printed.split())
    # Its output not a terminal (a night's log), each step is a line as it begins, an edition's by its
    # name (it printed nothing until the end).
    steps = [line for line in printed.splitlines() if re.match(r"\[\d+:\d\d\] ", line)]
    assert steps[0] == "[0:00] laying out editions", printed
    assert [line.split("] ", 1)[1] for line in steps if "writing the epaper" in line] == [
        f"writing the epaper: {e.id}" for e in built.night.editions], printed
    assert printed.index(steps[-1]) < printed.index("Built the night")
    for edition, number in zip(built.night.editions, (3, 4, 3)):
        replated = _version(out / edition.id)["replated"]
        assert page in replated
        pages = f"page {page} prints" if replated == [page] else "pages " + ", ".join(map(str, replated)) + " print"
        assert f"version {number} (version {number - 1} kept): {pages} differently" in told, told
    assert all((out / e.id / "versions" / str(n) / "index.html").is_file()
               for e, kept in zip(built.night.editions, (2, 3, 2)) for n in range(1, kept + 1))
    # A zone's page that is the main edition's is replated there, not in the zone.
    assert cli_main(["replate", str(out), "--page", str(page), "--edition", quiet.id]) == 1
    refused = " ".join(capsys.readouterr().out.split())
    assert (f"page {page} of the Quiet edition is page {page} of the main edition" in refused
            and f"--edition {main.id} --page {page}" in refused)
    assert _version(out / quiet.id)["number"] == 3
    # A page a story jumps to: the page asked for is named, not the first of its jump pages.
    record = json.loads((out / main.id / "plan.json").read_text(encoding="utf-8"))
    target = next(entry["number"] for entry in record["pages"]
                  if any(placement["continued_from_page"] for placement in entry["placements"]))
    assert cli_main(["replate", str(out), "--page", str(target), "--edition", quiet.id]) == 1
    refused = " ".join(capsys.readouterr().out.split())
    assert f"page {target} of the Quiet edition is page {target} of the main edition" in refused, refused
    # A story changed on another page of the main edition too: refused, with the replate of both.
    from epaper.build import with_jump_pages

    record = json.loads((out / main.id / "plan.json").read_text(encoding="utf-8"))
    together = with_jump_pages(record, [page])
    other_page, other = next((entry["number"], entry["placements"][0]["article"]) for entry in record["pages"]
                             if entry["number"] not in together and entry["number"] > 1)
    _change_a_word(root / "main", story, "its", "the")
    _change_a_word(root / "main", other)
    assert cli_main(["replate", str(out), "--page", str(page), "--edition", main.id]) == 1
    refused = " ".join(capsys.readouterr().out.split())
    both = ",".join(map(str, sorted({page, other_page})))
    assert (f"page {other_page} of the main edition cannot stay as it was published: article '{other}' changed "
            f"since the previous run — replate it with this one: epaper replate {out} --edition {main.id} "
            f"--page {both}") in refused, refused
    assert cli_main(["replate", str(out), "--edition", main.id, "--page", both]) == 0
    assert set(_version(out / main.id)["replated"]) <= {page, other_page}
    # A zone renamed in night.yaml since: its published edition is no longer the night's.
    night_yaml = root / night_file.name
    night_yaml.write_text(night_yaml.read_text(encoding="utf-8").replace("Quiet", "Calm"), encoding="utf-8")
    assert cli_main(["replate", str(out), "--page", str(local), "--edition", quiet.id]) == 1
    assert f"{quiet.id} is no longer an edition of the night" in " ".join(capsys.readouterr().out.split())


def _plan_page(folder: Path, number: int) -> list[dict]:
    """Page ``number``'s placements as the edition's plan.json records them."""
    record = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    return next(page for page in record["pages"] if page["number"] == number)["placements"]


@pytest.mark.slow
def test_a_night_replate_stopped_between_editions_leaves_each_whole_and_a_second_run_finishes_it(
        night, night_root, tmp_path, monkeypatch, capsys):
    import epaper.night.build

    _, _, night_file = night
    root, out, built = _built_copy(night_root, night_file, tmp_path)
    main, north, quiet = built.night.editions
    page, story = _page_every_zone_prints(built)
    before = {e.id: _pdf_digests(out / e.id) for e in built.night.editions}
    _change_a_word(root / "main", story)
    publish = epaper.night.build.publish_edition
    published: list[str] = []

    def stopped_after_the_main_edition(laid_out, *args, **kwargs):
        if published:
            raise KeyboardInterrupt  # the desk's Ctrl-C while the zones are being published
        published.append(laid_out.edition.id)
        return publish(laid_out, *args, **kwargs)

    monkeypatch.setattr(epaper.night.build, "publish_edition", stopped_after_the_main_edition)
    assert cli_main(["replate", str(out), "--page", str(page), "--edition", main.id]) == 130  # said in one line
    assert "Stopped (Ctrl-C) before it finished" in capsys.readouterr().out
    # The main edition is its new version, each zone still wholly its old one.
    assert _version(out / main.id)["number"] == 2
    for zone in (north, quiet):
        assert _version(out / zone.id)["number"] == 1 and _pdf_digests(out / zone.id) == before[zone.id]
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".store" and not p.name.endswith(".lock")]
    monkeypatch.setattr(epaper.night.build, "publish_edition", publish)
    capsys.readouterr()
    assert cli_main(["replate", str(out), "--page", str(page), "--edition", main.id]) == 0
    stem = f"{page:03d}.pdf"
    # The main edition had its version 2 already: not another that differs in nothing but its time.
    assert _version(out / main.id)["number"] == 2
    assert f"{main.id} prints as version 2 has it already" in " ".join(capsys.readouterr().out.split())
    for zone in (north, quiet):  # now they follow, once
        assert _version(out / zone.id)["number"] == 2 and _version(out / zone.id)["replated"] == [page]
        assert os.path.samefile(out / zone.id / "pages" / stem, out / main.id / "pages" / stem)


@pytest.mark.slow
def test_a_zone_page_around_the_zones_own_ad_follows_a_main_story_made_again(night_root, main_jumps, tmp_path,
                                                                           capsys):
    """A page where the zone sells its own ad is the zone's own page, laid out around the ad with
    the main edition's stories: a replate of the main page changes it too."""
    root = tmp_path / "night"
    shutil.copytree(night_root, root)
    page = _free_page(main_jumps)
    ad = root / "shop" / "images" / "ads" / "aldery-ferries.jpg"
    ad.parent.mkdir(parents=True)
    shutil.copy(root / "main" / "images" / "ads" / ad.name, ad)
    night_file = _night(root, name="shop-night.yaml", variants=[{"edition": "Shop", "folder": "shop", "ads": [
        {"page": page, "columns": 3, "height_mm": 60, "position": "bottom-left", "image": f"images/ads/{ad.name}"}]}])
    out = tmp_path / "out"
    built = build_night(night_file, out)
    main, shop = built.night.editions
    assert page in shop.differing_pages and shop.pages[page - 1].inherited_from is None
    on_both = [r.article_id for r in main.laid_out.pages[page - 1].regions
               if r.article_id in {z.article_id for z in shop.laid_out.pages[page - 1].regions}]
    before = _pdf_digests(out / shop.id)
    _change_a_word(root / "main", on_both[0])
    assert cli_main(["replate", str(out), "--page", str(page), "--edition", main.id]) == 0
    told = " ".join(capsys.readouterr().out.split())
    after = _pdf_digests(out / shop.id)
    assert {name for name in after if after[name] != before[name]} == {f"pages/{page:03d}.pdf", f"print/{page:03d}.pdf"}
    assert _version(out / shop.id)["number"] == 2 and _version(out / shop.id)["replated"] == [page]
    # A word corrected: the story keeps its place on the main page and on the zone's, around its ad.
    assert "set again in its place" in next(p for p in _plan_page(out / shop.id, page)
                                            if p["article"] == on_both[0])["adjustments"]
    assert f"changed with it; planned again" not in told
    # Grown past its slot, it is planned again on both, and the desk is told why, edition by edition.
    path = next(p for p in (root / "main" / "articles").iterdir() if p.stem == on_both[0])
    late = " ".join(["Late copy from the night desk, long enough to need lines of its own in any column."] * 12)
    if path.suffix == ".md":
        path.write_text(path.read_text(encoding="utf-8").rstrip() + f"\n\n{late}\n", encoding="utf-8")
    else:
        _append_paragraph(path, late)
    assert cli_main(["replate", str(out), "--page", str(page), "--edition", main.id]) == 0
    told = " ".join(capsys.readouterr().out.split())
    assert f"Planned again, not kept as it was: {on_both[0]} " in told, told
    assert f"changed with it; planned again, not kept as it was: {on_both[0]} " in told, told


def test_a_versions_time_carries_its_date_when_the_desk_reads_it_on_another_day():
    """After midnight, a version made last evening is not "made at 18:02" (that reads as today's)."""
    import datetime as dt

    version = EditionVersion(number=2, made="2026-12-05T18:02:11+05:30", source="night.yaml", breaker="knuth-plass",
                             base_url=None)
    assert version.when(dt.date(2026, 12, 5)) == "18:02" == version.time
    assert version.when(dt.date(2026, 12, 6)) == "2026-12-05 18:02"


@pytest.mark.slow
def test_a_night_replate_that_would_leave_out_a_printed_story_is_refused_in_every_edition(night, night_root,
                                                                                         tmp_path, capsys):
    """Grown past its page and the pages kept beside it, a story pushed the stories printed with it
    out of every edition of the night (a desk review): refused, naming them; no edition published."""
    _, _, night_file = night
    root, out, built = _built_copy(night_root, night_file, tmp_path)
    main = built.night.main
    page, story = _page_every_zone_prints(built)
    before = {e.id: _pdf_digests(out / e.id) for e in built.night.editions}
    path = next(p for p in (root / "main" / "articles").iterdir() if p.stem == story)
    late = " ".join(f"Late copy word {n} from the night desk." for n in range(500))
    if path.suffix == ".json":
        _append_paragraph(path, late)
    else:
        path.write_text(path.read_text(encoding="utf-8").rstrip() + f"\n\n{late}\n", encoding="utf-8")
    assert cli_main(["replate", str(out), "--page", str(page), "--edition", main.id]) == 1
    said = " ".join(capsys.readouterr().out.split())
    assert "cannot replate: the pages made again would leave out " in said, said
    assert f" of {main.night_edition.name}): no room left in section" in said and "nothing is published" in said, said
    for edition in built.night.editions:
        assert _pdf_digests(out / edition.id) == before[edition.id] and _version(out / edition.id)["number"] == 1


def test_a_nights_folders_are_named_without_dot_dot(night_root, tmp_path):
    """A desk review: every message about the main edition's files named them as
    …/sample-night/../sample-edition/articles/…; the night file's folders are lexically normal."""
    elsewhere = tmp_path / "nights"
    elsewhere.mkdir()
    path = elsewhere / "night.yaml"
    path.write_text(yaml.safe_dump({"main": f"../{os.path.relpath(night_root / 'main', tmp_path)}",
                                    "variants": [{"edition": "North", "folder": "./north/../north"}]}),
                    encoding="utf-8")
    (elsewhere / "north").mkdir()
    spec = read_night_spec(path)
    assert ".." not in spec.main.parts and spec.main.samefile(night_root / "main")
    assert spec.variants[0].folder == elsewhere / "north"


def test_a_main_editions_ad_on_a_page_a_zone_replaces_is_warned_of(night_root, main_jumps, tmp_path, capsys):
    """A desk review: the main edition's paid ad on a page a zone made local went out of the zone
    without a word (nothing in the output, the report or not_printed)."""
    local = _free_page(main_jumps)
    root = tmp_path / "night"
    shutil.copytree(night_root / "main", root / "main")
    manifest = yaml.safe_load((root / "main" / "edition.yaml").read_text(encoding="utf-8"))
    manifest["ads"] = [{"page": local, "columns": 2, "height_mm": 90, "position": "bottom-right",
                        "image": "images/ads/harbour-motors.jpg"}]
    (root / "main" / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    for n in range(3):
        _story(root / "local", f"local-story-{n}", "City", words=200 + 40 * n)
    path = _night(root, [{"edition": "Local", "folder": "local", "replace_pages": [local]}], name="ad-night.yaml")
    main, zone = lay_out_night(read_night(path)).editions
    assert not zone.laid_out.edition.ads  # the local page has the zone's stories, not the ad
    [warning] = [w for w in zone.warnings if w.field == "variants[0].replace_pages"]
    assert warning.file == "ad-night.yaml" and warning.severity == "warning"
    assert (f"the main edition's ad on page {local} (harbour-motors.jpg, 2 columns × 90 mm) is not printed in zone "
            "'Local': the zone replaces that page with a local one") in warning.message, str(warning)
    assert f"page: {local}, columns: 2, height_mm: 90, position: bottom-right" in warning.fix
    assert not [w for w in main.warnings if "ad on page" in w.message]
    # --strict: a night with warnings publishes nothing (a blank zone page went to press with exit 0).
    out = tmp_path / "out"
    assert cli_main(["build-night", str(path), "--out", str(out), "--strict", "--workers", "1"]) == 1
    said = " ".join(capsys.readouterr().out.split())
    assert f"ad-night.yaml: variants[0].replace_pages: the main edition's ad on page {local}" in said, said
    # Not even the build cache of the pages made before it was refused: the folder was this build's
    # (it left 45 to 67 MB in a mistyped --out; the night audit).
    assert not out.exists()


def test_a_zones_own_front_with_no_story_of_its_own_is_a_warning_naming_the_zone(night_root, main_jumps):
    """An outside Hindi-desk audit followed a refusal's fix (make the front local too) for a zone
    with no front stories: its front printed blank, said on the console but not among the warnings
    (report.json, validate --strict), since a section with no story at all was taken to be one
    ingest had warned of — not so for a zone's own page of an inherited section."""
    _, jumps = main_jumps
    _story(night_root / "frontless", "frontless-story", "City", words=300)
    local = sorted(_jump_closure(jumps, {1}))
    path = _night(night_root, [{"edition": "Frontless", "folder": "frontless", "replace_pages": local}],
                  name="frontless-night.yaml")
    laid = lay_out_night(read_night(path))
    zone = laid.editions[1]
    assert not zone.laid_out.pages[0].regions  # the front: no story of the zone's for it
    [blank] = [w for w in zone.warnings if "page 1 will have no story" in w.message]
    assert blank.file == path.name and blank.field.startswith("variants[0]"), blank
    assert "add stories of section 'Front' to the zone's folder" in blank.fix


def test_a_night_stopped_between_two_editions_says_which_it_published(night_root, tmp_path, capsys, monkeypatch):
    """The night audit: Ctrl-C as the main edition was swapped in left it at its next version and
    the zones at their old one (their shared pages no longer the same), and the desk was told that
    nothing it had not published was published: true, and no help. It is told which are which."""
    import epaper.night.build as night_build

    path = _night(night_root, [{"edition": "Stopped Zone"}], name="stopped-night.yaml")
    publish = night_build.publish_edition
    calls: list[str] = []

    def stopping(laid_out, *args, **kwargs):
        calls.append(laid_out.edition.id)
        if len(calls) == 2:  # the zone's: the main edition is published already
            raise KeyboardInterrupt
        return publish(laid_out, *args, **kwargs)

    monkeypatch.setattr(night_build, "publish_edition", stopping)
    out = tmp_path / "out"
    assert cli_main(["build-night", str(path), "--out", str(out), "--workers", "1"]) == 130
    said = " ".join(capsys.readouterr().out.split())
    main_id, zone_id = calls
    assert (out / main_id / "index.html").is_file() and not (out / zone_id).exists()
    assert f"The night is mixed: {main_id} published anew, {zone_id} as they were" in said, said
    assert "run the same build-night again" in said


def test_a_refused_local_page_is_not_fixed_by_a_blank_front(night_root, main_jumps):
    """The night audit followed a refusal's fix — make the pages the jump reaches local too — to a
    zone whose front then printed blank (it had no front story). Where a page made local would
    print blank, the fix names the pages free of jumps instead, and following it builds."""
    _, jumps = main_jumps
    story, source, target = next(j for j in jumps if j[1] == 1)  # a front story going on inside
    _story(night_root / "frontjump", "frontjump-story", "City", words=250)
    path = _night(night_root, [{"edition": "Front Jump", "folder": "frontjump", "replace_pages": [target]}],
                  name="frontjump-night.yaml")
    with pytest.raises(NightError) as caught:
        lay_out_night(read_night(path))
    [problem] = [p for p in caught.value.problems if story in p.message]
    assert "replace_pages: [" not in problem.fix and "page 1 would print blank" in problem.fix, problem.fix
    free = [int(n) for n in re.search(r"instead \(pages? ([\d, ]+)\)", problem.fix).group(1).split(", ")]
    assert free and not {p for _, a, b in jumps for p in (a, b)} & set(free)
    path = _night(night_root, [{"edition": "Front Jump", "folder": "frontjump", "replace_pages": free[:1]}],
                  name="frontjump-night.yaml")
    zone = lay_out_night(read_night(path)).editions[1]
    assert all(page.regions for page in zone.laid_out.pages)  # no blank page
    assert "frontjump-story" in {r.article_id for p in zone.laid_out.pages for r in p.regions}
