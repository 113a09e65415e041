"""Sections whose copy falls short of their pages: the hole their last page is left with.

    .venv/bin/python bench/short_copy.py [EDITION_DIR:SECTION:STORY_ID ...]

Each case lays one section out alone (``lay_out`` of the edition with only that section, its ads
renumbered) with a story spiked, twice in the same run: as layout does now, and with the section
not laid out again roomier when its last page is left a hole (``epaper.layout.hole_share`` made to
find none: the layout before that retry). It prints the largest blank of the last page (its share
of the type area, measured by ``epaper.frame.blank`` from the composed page, as report.json gives
it), the stories left out and the jumps. By default the cases are the sample's City with one of
two briefs spiked, and the tests' small edition (the sample's Front and City without ads) whole and
with its front's two long stories cut to three paragraphs.

A desk's own edition is given as ``DIR:SECTION:STORY`` (``-`` for no story spiked).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import epaper.layout
from epaper.ingest import load_edition
from epaper.layout import lay_out
from epaper.model import Edition

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the tests' small edition


def section_alone(edition: Edition, name: str) -> Edition:
    """The edition with only section ``name``, its stories and its ads (renumbered from page 1)."""
    spec = next(s for s in edition.sections if s.name == name)
    first = 1 + sum(s.pages for s in edition.sections[:edition.sections.index(spec)])
    pages = range(first, first + spec.pages)
    return dataclasses.replace(
        edition, sections=(spec,), articles=tuple(a for a in edition.articles if a.section == name),
        ads=tuple(dataclasses.replace(ad, page=ad.page - first + 1) for ad in edition.ads if ad.page in pages))


def without(edition: Edition, story: str) -> Edition:
    return dataclasses.replace(edition, articles=tuple(a for a in edition.articles if a.id != story))


def front_cut(edition: Edition) -> Edition:
    """The front's two long stories cut to three paragraphs (none of the front's stories jumps)."""
    return dataclasses.replace(edition, articles=tuple(
        dataclasses.replace(a, body=a.body[:3]) if a.id in ("ferry-strike-ends", "seawall-plan-approved") else a
        for a in edition.articles))


def figures(edition: Edition) -> str:
    laid = lay_out(edition)
    last = laid.pages[-1].quality.largest_blank.share
    jumps = sum(1 for page in laid.pages for region in page.regions if region.continued_to)
    return f"last page {last:6.1%} blank, {len(laid.unplaced)} left out, {jumps} jumps"


def measure(name: str, edition: Edition) -> None:
    retry: Callable = epaper.layout.hole_share
    now = figures(edition)
    epaper.layout.hole_share = lambda *args: 0.0  # type: ignore[assignment]
    try:
        before = figures(edition)
    finally:
        epaper.layout.hole_share = retry  # type: ignore[assignment]
    print(f"{name}\n  without the retry: {before}\n  now:               {now}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*", help="EDITION_DIR:SECTION:STORY_ID ('-': no story spiked)")
    args = parser.parse_args()
    if args.cases:
        for case in args.cases:
            folder, section, story = case.rsplit(":", 2)
            alone = section_alone(load_edition(Path(folder)), section)
            measure(case, alone if story == "-" else without(alone, story))
        return
    from small_edition import make_small_edition

    city = section_alone(load_edition(REPO / "sample-edition"), "City")
    for story in ("court-sentencing-arson", "harbour-hill-speed-cameras"):
        measure(f"sample City, {story} spiked", without(city, story))
    with tempfile.TemporaryDirectory() as tmp:
        small = load_edition(make_small_edition(Path(tmp) / "small"))
        measure("tests' small edition (Front and City, no ads)", small)
        measure("tests' small edition, its front's long stories cut", front_cut(small))


if __name__ == "__main__":
    main()
