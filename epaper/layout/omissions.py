"""What the laid-out edition leaves out that the desk gave it, as warnings (never in silence).

Read from the laid-out pages themselves: a page with no story on it, a page with a hole in it (its
largest blank, :mod:`epaper.frame.blank`), and a photo, kicker, deck or byline of a placed story
that no page draws (layout's decisions only supply the reason). Stories that did not fit at all are
listed separately (``unplaced``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from epaper.frame import ImageItem, LaidOutEdition
from epaper.frame.blank import is_hole, page_blank
from epaper.ingest.edition import folder_of
from epaper.ingest.manifest import MANIFEST
from epaper.ingest.problems import LEFT_OUT_TO_FIT, PAGE_NOT_FILLED, Problem, ProblemLog, file_label
from epaper.layout.resolution import coarse_photos
from epaper.layout.retries import TO_PRINT_IT

__all__ = ["Hole", "holes", "layout_warnings"]


def layout_warnings(laid_out: LaidOutEdition, own: Mapping[int, tuple[str, str]] | None = None,
                    sections: Sequence[str] | None = None) -> tuple[Problem, ...]:
    """``own``: pages that another file gives the edition (a zone's own pages: the night file), by
    number, with that file and field; a blank or a hole on one is named there. ``sections``: the
    sections of the ``edition.yaml`` the other pages' warnings name, in its order (a zone's: its
    main edition's; by default the edition's own)."""
    where = _Where(own or {}, tuple(sections) if sections is not None else
                   tuple(section.name for section in laid_out.edition.sections))
    log = ProblemLog()
    _blank_pages(laid_out, log, where)
    _holes(laid_out, log, where)
    _photos_not_printed(laid_out, log)
    coarse_photos(laid_out, log)
    _fields_not_printed(laid_out, log)
    return log.warnings()


@dataclass(frozen=True)
class _Where:
    """The file and field a page's warning names."""

    own: Mapping[int, tuple[str, str]]
    sections: tuple[str, ...]

    def of(self, page: int, section: str, detail: str = "") -> tuple[str, str]:
        if page in self.own:
            return self.own[page]
        if section in self.sections:
            return MANIFEST, f"sections[{self.sections.index(section)}]{detail}"
        return MANIFEST, "sections"


def _too_long_to_print(laid_out: LaidOutEdition, section: str) -> list[str]:
    """The section's stories left out as too long to print at all: its pages are blank, or hold a
    hole, for want of them, not of copy — cutting one is the fix, not fewer pages or more stories."""
    by_id = {article.id: article.section for article in laid_out.edition.articles}
    return [u.article_id for u in laid_out.unplaced if by_id.get(u.article_id, "") == section and TO_PRINT_IT in u.reason]


def _left_out_words(left_out: Sequence[str]) -> tuple[str, str]:
    """What a page not filled says of the stories :func:`_too_long_to_print` names, and its fix."""
    return (f"without {', '.join(left_out)}, left out: see why in the stories not placed",
            f"cut {left_out[0]} as its reason says, so that it prints")


def _blank_pages(laid_out: LaidOutEdition, log: ProblemLog, where: _Where) -> None:
    with_stories = {article.section for article in laid_out.edition.articles}
    for section in laid_out.edition.sections:
        pages = [page for page in laid_out.pages if page.section == section.name]
        blank = [page.number for page in pages if not page.regions]
        if not blank:
            continue
        if section.name not in with_stories and not any(number in where.own for number in blank):
            continue  # ingest already said the section has no articles at all (not of a zone's own page)
        filled = len(pages) - len(blank)
        which = f"page {blank[0]}" if len(blank) == 1 else f"pages {', '.join(map(str, blank))}"
        # A zone's own page: the night file says which pages are the zone's (and an added section's
        # size); edition.yaml's sections are the main edition's.
        left_out = _too_long_to_print(laid_out, section.name)
        if left_out:
            copy, fix = _left_out_words(left_out)
        else:
            copy = f"its copy fills {filled} of its {len(pages)} pages"
            fix = (f"add stories of section '{section.name}' to the zone's folder, or make fewer pages the zone's "
                   "own (replace_pages, zone_pages, an added section's pages)"
                   if blank[0] in where.own else f"set pages: {max(filled, 1)} for this section, or add stories to it")
        log.warn(*where.of(blank[0], section.name, ".pages"),
                 f"section '{section.name}': {which} will have no story ({copy})", fix, kind=PAGE_NOT_FILLED)


@dataclass(frozen=True)
class Hole:
    """An empty space on a page with stories, larger than :data:`~epaper.frame.blank.HOLE_LIMIT`."""

    page: int
    section: str
    columns: int  # how many of the format's columns wide, about
    height_cm: float
    share: float  # of the editorial area (the type area)
    has_stories: bool = True  # False: a blank page, no story on it at all

    def __str__(self) -> str:
        columns = f"{self.columns} column{'s' if self.columns != 1 else ''}"
        if not self.has_stories:
            return f"page {self.page} ({self.section}) is blank: no story on it"
        return (f"page {self.page} ({self.section}) has an empty space of about {columns} by "
                f"{self.height_cm:.0f} cm, {self.share:.0%} of its type area")


def holes(laid_out: LaidOutEdition) -> tuple[Hole, ...]:
    """The pages whose largest blank is a hole: with stories that do not fill it, or with none at
    all (a blank page: not one an ad fills)."""
    fmt = laid_out.format
    found = []
    for page in laid_out.pages:
        blank = page_blank(page)
        if not is_hole(blank) or blank.box is None:  # (a hole has a box: said again for the type checker)
            continue
        columns = max(1, round((blank.box.w + fmt.gutter) / (fmt.column_width + fmt.gutter)))
        found.append(Hole(page.number, page.section, columns, blank.box.h / 72 * 2.54, blank.share,
                          has_stories=bool(page.regions)))
    return tuple(found)


def _holes(laid_out: LaidOutEdition, log: ProblemLog, where: _Where) -> None:
    for hole in holes(laid_out):
        if not hole.has_stories:
            continue  # a blank page: its section's warning says it (_blank_pages)
        left_out = _too_long_to_print(laid_out, hole.section)
        if left_out:
            why, fix = _left_out_words(left_out)
        else:
            why = "its stories do not fill it"
            fix = f"add a story to section '{hole.section}' or lengthen one, or put an ad on page {hole.page}"
        log.warn(*where.of(hole.page, hole.section), f"{hole}: {why}", fix, kind=PAGE_NOT_FILLED)


def _photos_not_printed(laid_out: LaidOutEdition, log: ProblemLog) -> None:
    placed = {region.article_id for page in laid_out.pages for region in page.regions}
    drawn: dict[str, set[str]] = {}
    for page in laid_out.pages:
        for item in page.items_of(ImageItem):
            if item.source.article_id and item.source.role == "photo":
                drawn.setdefault(item.source.article_id, set()).add(item.path)
    root = laid_out.edition.root
    adjusted = _adjustments(laid_out)
    for article in laid_out.edition.articles:
        if article.id not in placed:
            continue
        for index, photo in enumerate(article.photos):
            if str(photo.path) in drawn.get(article.id, set()):
                continue
            if index == 0:
                why, fix = _reason(adjusted.get(article.id, set()), "photo")
                why += "; the text view shows it"
            else:
                why = "a story prints one photo on paper; the text view shows them all"
                fix = "put the photo to print first, or give it its own story"
            log.warn(file_label(article.source_file, root), f"images[{index}]",
                     f"photo '{file_label(photo.path, folder_of(article, root))}' is not printed ({why})", fix,
                     kind=LEFT_OUT_TO_FIT)


# Optional one-line fields and the role their text has on the page.
_FIELD_ROLES = (("kicker", "kicker"), ("subheadline", "deck"), ("byline", "byline"))


def _fields_not_printed(laid_out: LaidOutEdition, log: ProblemLog) -> None:
    placed = {region.article_id for page in laid_out.pages for region in page.regions}
    drawn = {role for page in laid_out.pages for role in page.drawn_roles()}
    adjusted = _adjustments(laid_out)
    root = laid_out.edition.root
    for article in laid_out.edition.articles:
        if article.id not in placed:
            continue
        for field, role in _FIELD_ROLES:
            if getattr(article, field) and (article.id, role) not in drawn:
                why, fix = _reason(adjusted.get(article.id, set()), role)
                log.warn(file_label(article.source_file, root), field, f"the {field} is not printed ({why})", fix,
                         kind=LEFT_OUT_TO_FIT)


def _reason(adjustments: set[str], thing: str) -> tuple[str, str]:
    """Why layout left ``thing`` out, from its own notes on the story, and what the desk can do."""
    if "set as a brief" in adjustments:
        return ("the story is set as a brief, without kicker, deck or photo",
                "raise the story's priority or length to print it as a full story, or remove the field")
    if f"{thing} dropped" in adjustments:
        return "dropped so the story fits its space", "shorten the story or give it more room"
    return "layout left it out", "shorten the story or give it more room"


def _adjustments(laid_out: LaidOutEdition) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for decision in laid_out.decisions:
        result.setdefault(decision.article_id, set()).update(decision.adjustments)
    return result
