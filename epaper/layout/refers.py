"""Refer boxes: a hole that no story and no quotation filled points readers to stories on other pages.

A make-up editor fills what is left of a page with a refer box ("Also in this edition"): the
headlines of stories elsewhere in the paper and the page each is on. So does this, once every
section is laid out (a refer names its page), in the front teasers' type, every entry of a box at
one size. Stories in the page's language come first (a Hindi page names Hindi stories), then
stories on later pages (the reader reads on), the most important first; each story is referred to
once in the edition, never one the front already teases and never one with a part on the page itself. Every entry links to its page, in the PDF and in the web viewer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from epaper.formats import PageFormat
from epaper.frame import Box, FillRect, Item, LinkArea, Rule, Source
from epaper.i18n import Wording
from epaper.i18n.messages import base_language
from epaper.layout.compose import RULE_GREY, text_items
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.plan import REFER_LABEL_GAP, PagePlan, Refer, ReferBox
from epaper.layout.wording import also_in_this_edition, section_page
from epaper.model import Article
from epaper.typeset import TextBlock, set_plain

__all__ = ["drawn_refers", "fill_with_refers", "refer_box_items"]

PAD = 5.0          # points between the box's edge and its type
ENTRY_GAP = 7.0    # points between two entries in a column (a hairline sits in the middle)
SKIPS = 4          # candidates passed over (too tall for the room left) before a box is closed
MAX_SHARE = 0.2    # of a page's grid at most: a bigger space is missing copy (the build warns: omissions.holes)
# Lines an entry's headline may take at the box's one size (the front teasers' headline size): at
# three, two of five of the sample's headlines could never be named, most of them the important ones.
ENTRY_MAX_LINES = 4
TINT = (0.95, 0.94, 0.91)


def _first_top(heading: TextBlock) -> float:
    return PAD + heading.height + ENTRY_GAP / 2


@dataclass(frozen=True)
class _Candidate:
    article: Article
    page: int
    section: str


def fill_with_refers(plans: Sequence[PagePlan], teased: set[str], languages: dict[str, str],
                     digits: str | None = None) -> list[PagePlan]:
    """The pages with a refer box in each empty space that takes at least one entry (``plan.refers``;
    the spaces filled leave ``plan.empty_slots``), the largest first, up to :data:`MAX_SHARE` of the
    page. ``teased``: stories the front's teasers point to; ``languages``: each section's (the box
    is headed in its page's).

    A locked page's boxes (``plan.kept_refers``) are filled first, each with the stories it named
    while every one of them can still be named (not on its page, not teased; another kept box may
    name one too): a page kept as it was, or a zone's page replaying the main edition's, is then
    the same page, whatever the pages made again chose before it. Then
    the boxes a replate's pages made again named before (``plan.preferred_refers``), the same way;
    then every other space, with stories no box names yet, or, when none is left, with stories
    another page's box names too (a space left empty is a hole in the page)."""
    if not plans:
        return []
    fmt = plans[0].grid.fmt
    stories = [_Candidate(p.article, plan.number, plan.section) for plan in plans if plan.template != "front"
               for p in plan.placements if p.continued_from_page is None]
    by_id = {story.article.id: story for story in stories}
    parts_on: dict[str, set[int]] = {}
    for plan in plans:
        for p in plan.placements:
            parts_on.setdefault(p.article.id, set()).add(plan.number)
    used = set(teased)
    boxes: dict[int, list[ReferBox]] = {plan.number: [] for plan in plans}
    empty = {plan.number: list(plan.empty_slots) for plan in plans}
    budget = {plan.number: MAX_SHARE * plan.cells for plan in plans}

    def wording(plan: PagePlan) -> Wording:
        return Wording(languages.get(plan.section, "en"), digits)

    def place(plan: PagePlan, box: ReferBox) -> None:
        boxes[plan.number].append(box)
        empty[plan.number].remove(box.slot)
        budget[plan.number] -= box.slot.cols * box.slot.height
        used.update(r.article.id for r in box.refers)

    for kept_pass, recorded in ((True, lambda plan: plan.kept_refers), (False, lambda plan: plan.preferred_refers)):
        # Kept boxes are not given up for one another: in a zone, the main edition's pages it
        # inherits and its own pages were chosen in different runs and may name one story twice,
        # which costs less than a plate made again (a kept page stays the very same page).
        blocked = set(used) if kept_pass else used
        for plan in plans:
            for space, ids in recorded(plan):
                kept = [by_id[i] for i in ids if i in by_id and i not in blocked and plan.number not in parts_on[i]]
                if space in empty[plan.number] and ids and len(kept) == len(ids):
                    box = _arrange(fmt, space, kept, wording(plan))
                    if box is not None and len(box.refers) == len(ids):  # else chosen again below
                        place(plan, box)
    for plan in plans:
        number = plan.number
        for space in sorted(empty[number], key=lambda s: (-s.cols * s.height, s.top, s.col)):
            if space.cols * space.height > budget[number]:
                continue

            language = base_language(wording(plan).language)

            def candidates(named_elsewhere: bool, any_language: bool) -> list[_Candidate]:
                here = {r.article.id for box in boxes[number] for r in box.refers}
                return sorted((c for c in stories if number not in parts_on[c.article.id] and c.article.id not in here
                               and (named_elsewhere or c.article.id not in used)
                               and (any_language or base_language(c.article.language) == language)),
                              key=lambda c: (c.page < number, c.article.priority, abs(c.page - number), c.page,
                                             c.article.id))
            # Each story named once in the edition, while there are stories to name; when every one
            # is named (a zone replaying the main edition's pages, their boxes kept, takes them all),
            # a box names some again rather than leave a space of the page empty. Stories in the
            # page's language first: a Hindi desk found English Sport headlines in the box of its
            # Hindi page ("SPORT · पृष्ठ 13"), which its readers do not read.
            box = next((found for named_elsewhere, any_language in ((False, False), (True, False), (False, True),
                                                                     (True, True))
                        if (found := _arrange(fmt, space, candidates(named_elsewhere, any_language), wording(plan)))),
                       None)
            if box is not None:
                place(plan, box)
    return [replace(plan, refers=plan.refers + tuple(boxes[plan.number]),
                    empty_slots=tuple(s for s in plan.empty_slots if s in empty[plan.number]))
            if boxes[plan.number] else plan for plan in plans]


class _Entry(NamedTuple):
    """A candidate measured for the box: sorted by page, then by preference."""

    page: int
    preference: int
    article: Article
    where: str
    label: TextBlock
    headline: TextBlock


def _arrange(fmt: PageFormat, space: Slot, candidates: Sequence[_Candidate], wording: Wording) -> ReferBox | None:
    """As many entries as ``space`` takes, the preferred first, set in page order down the box's
    first column, then the next; None if not one fits."""
    language = wording.language
    width = fmt.column_width - 2 * PAD
    kicker = fmt.style("teaser-kicker")
    heading = set_plain(also_in_this_edition(wording), kicker, fmt.span_width(space.cols) - 2 * PAD, language)
    room = (space.height - 1) * fmt.baseline - PAD  # the last row is the box's spacing
    chosen: list[_Entry] = []
    refers: list[Refer] = []
    skipped = 0
    teaser = fmt.style("teaser")
    for preference, candidate in enumerate(candidates):
        # One size for every entry of a box, as a desk sets a refer box: a headline that would need
        # more lines at it is not shrunk (a box of headlines in three sizes reads as filler), the
        # next story is referred to instead.
        headline = set_plain(candidate.article.headline, teaser, width, candidate.article.language)
        if len(headline) > ENTRY_MAX_LINES:
            continue
        where = section_page(candidate.section, candidate.page, wording)
        entry = _Entry(candidate.page, preference, candidate.article, where, set_plain(where, kicker, width, language),
                       headline)
        trial = sorted(chosen + [entry])
        packed = _pack(trial, space.cols, _first_top(heading), room)
        if packed is None:
            skipped += 1
            if skipped > SKIPS:
                break
            continue
        chosen, refers = trial, packed
    return ReferBox(space, heading, tuple(refers)) if refers else None


def _pack(entries: Sequence[_Entry], columns: int, first: float, room: float) -> list[Refer] | None:
    """The entries down the first column, then the next (each from ``first`` to ``room`` points
    below the box's top); None if they need more columns than the box has."""
    column, top = 0, first
    refers = []
    for entry in entries:
        refer = Refer(entry.article, entry.page, entry.where, entry.label, entry.headline, column, top)
        if top + refer.height > room:
            column, top = column + 1, first
            if column == columns or top + refer.height > room:
                return None
            refer = replace(refer, column=column, top=top)
        refers.append(refer)
        top += refer.height + ENTRY_GAP
    return refers


def drawn_refers(boxes: Sequence[ReferBox]) -> tuple:
    """What :func:`refer_box_items` draws of ``boxes``: of each story named, its headline, not the
    rest of it (a page's key: a story's body changed does not change a box that names it)."""
    return tuple((box.slot, box.heading, tuple((refer.page, refer.where, refer.label, refer.headline, refer.column,
                                                refer.top, refer.article.headline) for refer in box.refers))
                 for box in boxes)


def refer_box_items(box: ReferBox, grid: PageGrid) -> list[Item]:
    """A tinted box under a strong rule: the heading, then each entry (the section and page, the
    headline) as one link to its page, hairlines between the entries of a column."""
    fmt = grid.fmt
    area = grid.box(box.slot)
    items: list[Item] = [FillRect(area, fill=TINT, source=Source(None, "refer")),
                         Rule(area.x, area.y, area.right, area.y, 1.2, (0.0, 0.0, 0.0))]
    kicker = fmt.style("teaser-kicker")
    items += text_items(box.heading, area.x + PAD, area.y + PAD, Source(None, "refer"), color=kicker.color)
    for refer in box.refers:
        x = grid.x(box.slot.col + refer.column)
        top = area.y + refer.top
        if refer.top > _first_top(box.heading):  # not the column's first entry: a hairline above it
            rule_y = top - ENTRY_GAP / 2
            items.append(Rule(x + PAD, rule_y, x + fmt.column_width - PAD, rule_y, 0.4, RULE_GREY))
        items += text_items(refer.label, x + PAD, top, Source(None, "refer"), color=kicker.color)
        items += text_items(refer.headline, x + PAD, top + refer.label.height + REFER_LABEL_GAP, Source(None, "refer"))
        items.append(LinkArea(Box(x, top, fmt.column_width, refer.height), page=refer.page,
                              label=f"{refer.where}: {refer.article.headline}"))
    return items
