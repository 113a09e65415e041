"""Placement snapshots: tiny hand-made editions laid out and drawn as ASCII grids, for readable diffs.

Each page is drawn one character per column and one line per ``ROWS_PER_LINE`` grid rows (the
cell at the top row of each band): a letter per article (in the order of the edition's articles),
``#`` for an ad, ``.`` for empty grid. Under the grid: which letter is which story, and its jumps
(``B>3`` continues on page 3, ``B<2`` is continued from page 2).

The expected drawings are the placements of the layout code when they were recorded; when
placement changes on purpose, look at the diff and re-record them:

    EPAPER_UPDATE_SNAPSHOTS=1 .venv/bin/pytest -q tests/test_placement_snapshots.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from epaper.frame import FillRect
from epaper.layout import lay_out
from epaper.model import AdSlot, Article, Edition, Paragraph, Photo, Run, SectionSpec

ROWS_PER_LINE = 5
UPDATE = os.environ.get("EPAPER_UPDATE_SNAPSHOTS") == "1"
HERE = Path(__file__)
_WORDS = ("harbour council ferry budget lighthouse tide market fishermen quay storm mayor school library "
          "railway bridge museum festival orchard bakery weather river island vote season crew pier").split()


def _body(seed: int, words: int) -> tuple[Paragraph, ...]:
    """Plain paragraphs of about ``words`` words (deterministic, no hyphen-prone oddities)."""
    paras, count, i = [], 0, 0
    while count < words:
        n = min(45 + (seed * 7 + i * 13) % 30, words - count)
        text = " ".join(_WORDS[(seed * 11 + i * 5 + k * 3) % len(_WORDS)] for k in range(max(n, 1)))
        paras.append(Paragraph((Run(text.capitalize() + "."),)))
        count += n
        i += 1
    return tuple(paras)


def _article(root: Path, aid: str, section: str, priority: int, words: int, *, photo: tuple[int, int] | None = None,
             deck: bool = False, kicker: str = "") -> Article:
    photos = ()
    if photo:  # layout only needs the pixel size; the file is never opened here
        photos = (Photo(path=root / "images" / f"{aid}.jpg", caption="A caption under the photo.",
                        credit="Photo: Staff", width_px=photo[0], height_px=photo[1]),)
    return Article(id=aid, section=section, headline=f"{aid.replace('-', ' ').capitalize()} in the harbour town",
                   body=_body(len(aid) + priority, words), source_file=root / "articles" / f"{aid}.json",
                   priority=priority, kicker=kicker, subheadline="A deck that explains the story" if deck else "",
                   byline="By Staff Reporter" if priority <= 3 else "", photos=photos)


def _edition(root: Path, sections, articles, ads=()) -> Edition:
    return Edition(title="The Snapshot Times", date=dt.date(2026, 11, 28), edition="city", language="en",
                   format="broadsheet", sections=tuple(sections), articles=tuple(articles), root=root, ads=tuple(ads))


def front_page(root: Path) -> Edition:
    return _edition(root, [SectionSpec("Front", 1, "front")], [
        _article(root, "lead-story", "Front", 1, 700, photo=(1600, 1000), deck=True, kicker="Council"),
        _article(root, "second-story", "Front", 2, 450, photo=(1200, 1200)),
        _article(root, "third-story", "Front", 3, 350),
        _article(root, "fourth-story", "Front", 3, 300),
        _article(root, "brief-one", "Front", 5, 60),
        _article(root, "brief-two", "Front", 5, 50),
    ])


def inside_page_with_ad(root: Path) -> Edition:
    return _edition(root, [SectionSpec("City", 1)], [
        _article(root, "city-lead", "City", 1, 600, photo=(1500, 1000)),
        _article(root, "city-second", "City", 2, 400),
        _article(root, "city-third", "City", 3, 300, photo=(1000, 1500)),
        _article(root, "city-fourth", "City", 4, 200),
        _article(root, "city-brief", "City", 5, 70),
    ], ads=[AdSlot(page=1, columns=3, height_mm=120, position="bottom-right")])


def two_pages_with_a_jump(root: Path) -> Edition:
    return _edition(root, [SectionSpec("Nation", 2)], [
        _article(root, "long-read", "Nation", 1, 1200, photo=(1600, 900), deck=True),
        _article(root, "nation-second", "Nation", 2, 900),
        _article(root, "nation-third", "Nation", 2, 800),
        _article(root, "nation-fourth", "Nation", 3, 500),
        _article(root, "nation-fifth", "Nation", 3, 450),
        _article(root, "nation-sixth", "Nation", 4, 300),
        _article(root, "nation-brief", "Nation", 5, 80),
    ], ads=[AdSlot(page=2, columns=6, height_mm=90, position="bottom")])


def draw(laid_out) -> str:
    """The edition's pages as ASCII grids (see the module docstring)."""
    fmt = laid_out.format
    letters = {a.id: chr(ord("A") + i) for i, a in enumerate(laid_out.edition.articles)}
    out = []
    for page in laid_out.pages:
        left = fmt.margin_left(page.number)
        starts = [fmt.column_x(left, c) for c in range(fmt.columns)]
        rows = round(page.editorial.h / fmt.baseline) + 1
        grid = [["."] * fmt.columns for _ in range(rows)]

        def paint(box, char):
            col = min(range(fmt.columns), key=lambda c: abs(starts[c] - box.x))
            span = max(1, round((box.w + fmt.gutter) / (fmt.column_width + fmt.gutter)))
            top = round((box.y - page.editorial.y) / fmt.baseline)
            height = round(box.h / fmt.baseline) + 1  # with the spacing row under the module
            for r in range(max(0, top), min(rows, top + height)):
                for c in range(col, min(fmt.columns, col + span)):
                    grid[r][c] = char

        for item in page.items:
            if isinstance(item, FillRect) and item.stroke is not None:
                paint(item.box, "#")
        for region in page.regions:
            for box in region.boxes:
                paint(box, letters.get(region.article_id, "?"))
        out.append(f"page {page.number} {page.section}")
        out += ["".join(grid[r]) for r in range(0, rows, ROWS_PER_LINE)]
        legend = []
        for region in page.regions:
            mark = letters.get(region.article_id, "?")
            if region.continued_to:
                mark += f">{region.continued_to}"
            if region.continued_from:
                mark += f"<{region.continued_from}"
            legend.append(f"{mark}={region.article_id}")
        out.append(" ".join(legend))
    unplaced = " ".join(letters.get(u.article_id, "?") for u in laid_out.unplaced)
    out.append(f"unplaced: {unplaced or '-'}")
    return "\n".join(out)


# BEGIN SNAPSHOTS (recorded by EPAPER_UPDATE_SNAPSHOTS=1; edit by re-recording, not by hand)
EXPECTED = {
    "front_page": """\
page 1 Front
AAAACC
AAAACC
AAAACC
AAAACC
AAAACC
AAAACC
AAAACC
AAAACC
AAAACC
AAAACC
AAAABB
AAAABB
AAAABB
AAAABB
AAAABB
AAAABB
DDDDBB
DDDDBB
DDDDBB
DDDDBB
DDDDBB
EEEEBB
FFFFBB
....BB
A=lead-story C=third-story B=second-story D=fourth-story E=brief-one F=brief-two
unplaced: -
""",
    "inside_page_with_ad": """\
page 1 City
AAAAAA
AAAAAA
AAAAAA
AAAAAA
AAAAAA
AAAAAA
AAAAAA
AAAAAA
AAAAAA
AAAAAA
AAAAAA
AAAAAA
BBBCCC
BBBCCC
BBBCCC
BBBCCC
BBBCCC
BBBCCC
BBBCCC
BBB...
BBB###
DDE###
DDE###
DDE###
DDE###
DD.###
DD.###
A=city-lead B=city-second D=city-fourth E=city-brief C=city-third
unplaced: -
""",
    "two_pages_with_a_jump": """\
page 1 Nation
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
AAAAAD
FFFFGD
FFFFGD
FFFFGD
FFFFGD
FFFFGD
......
......
A=long-read D=nation-fourth F=nation-sixth G=nation-brief
page 2 Nation
BBBBBB
BBBBBB
BBBBBB
BBBBBB
BBBBBB
BBBBBB
BBBBBB
BBBBBB
BBBBBB
CCCCEE
CCCCEE
CCCCEE
CCCCEE
CCCCEE
CCCCEE
CCCCEE
CCCCEE
CCCCEE
CCCCEE
CCCCEE
CCCCEE
......
######
######
######
######
######
B=nation-second C=nation-third E=nation-fifth
unplaced: -
""",
}
# END SNAPSHOTS


def _record(name: str, drawing: str) -> None:
    EXPECTED[name] = drawing
    source = HERE.read_text(encoding="utf-8")
    body = "".join(f'    "{key}": """\\\n{EXPECTED[key]}\n""",\n' for key in sorted(EXPECTED))
    source = re.sub(r"(# BEGIN SNAPSHOTS[^\n]*\nEXPECTED = \{\n).*?(\}\n# END SNAPSHOTS)",
                    lambda m: m.group(1) + body + m.group(2), source, flags=re.S)
    HERE.write_text(source, encoding="utf-8")


@pytest.mark.parametrize("build", [front_page, inside_page_with_ad, two_pages_with_a_jump], ids=lambda f: f.__name__)
def test_placement_snapshot(build, tmp_path):
    drawing = draw(lay_out(build(tmp_path)))
    name = build.__name__
    if UPDATE:
        _record(name, drawing)
        return
    assert name in EXPECTED, f"no snapshot for {name}: record with EPAPER_UPDATE_SNAPSHOTS=1"
    assert drawing == EXPECTED[name].rstrip("\n")


def test_the_drawing_marks_every_placed_article_and_ad(tmp_path):
    """The helper itself: every region and ad shows up, and the grid is the page's width."""
    laid_out = lay_out(inside_page_with_ad(tmp_path))
    drawing = draw(laid_out)
    grid_lines = [line for line in drawing.splitlines() if re.fullmatch(r"[A-Z#.?]+", line)]
    assert grid_lines and all(len(line) == laid_out.format.columns for line in grid_lines)
    assert "#" in drawing
    for region in laid_out.pages[0].regions:
        letter = chr(ord("A") + [a.id for a in laid_out.edition.articles].index(region.article_id))
        assert any(letter in line for line in grid_lines), region.article_id


def test_a_front_only_edition_jumps_no_story_to_a_missing_page(tmp_path):
    import sys

    sys.path.insert(0, str(HERE.resolve().parent.parent / "bench"))
    from layout_checks import check_edition

    figures = check_edition(lay_out(front_page(tmp_path)))
    assert figures.listed_and_placed == []
    assert figures.text_mismatches == []
