"""Front-page teasers: a band under the masthead pointing readers to the best stories inside.

The band's height is reserved before placement (the template says how many teasers it carries);
what goes in it is chosen after every section is laid out, because a teaser names its page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from epaper.formats import PageFormat
from epaper.frame import Box, ImageItem, Item, LinkArea, Rule, Source
from epaper.i18n import Wording
from epaper.layout.compose import crop_to_box, text_items
from epaper.layout.plan import PagePlan
from epaper.layout.wording import section_page
from epaper.model import Article, Photo
from epaper.typeset import set_plain

__all__ = ["Teaser", "TeaserFace", "choose_teasers", "fitted_headline", "teaser_band", "teaser_band_height"]

TEASER_ROWS = 6          # grid rows the band takes under the masthead
HEADLINE_MAX_LINES = 3
SMALLEST_HEADLINE = 8.0  # points; a teaser headline that needs more lines is set smaller, never cut


@dataclass(frozen=True)
class Teaser:
    article: Article
    page: int
    section: str

    @property
    def printed(self) -> TeaserFace:
        """What the band prints of the story: all a front depends on of it (not its body, so a
        changed word in a teased story leaves the front as it was)."""
        article = self.article
        return TeaserFace(article.id, article.headline, article.language, article.photos[0] if article.photos else None,
                          self.page, self.section)


@dataclass(frozen=True)
class TeaserFace:
    """A teaser as the band prints it: thumbnail, "SECTION · PAGE N" and headline, linked to the page."""

    article_id: str
    headline: str
    language: str
    photo: Photo | None
    page: int
    section: str


def teaser_band_height(fmt: PageFormat, count: int) -> float:
    return TEASER_ROWS * fmt.baseline if count else 0.0


def choose_teasers(plans: Sequence[PagePlan], count: int) -> list[Teaser]:
    """The most important story of as many different inside sections as there are teasers (photo
    stories first among equals), in page order."""
    candidates = [
        Teaser(p.article, plan.number, plan.section)
        for plan in plans if plan.template != "front"
        for p in plan.placements if p.continued_from_page is None
    ]
    candidates.sort(key=lambda t: (t.article.priority, not t.article.photos, t.page))
    chosen: list[Teaser] = []
    for teaser in candidates:
        if len(chosen) < count and all(t.section != teaser.section for t in chosen):
            chosen.append(teaser)
    return sorted(chosen, key=lambda t: t.page)


def teaser_band(fmt: PageFormat, left: float, top: float, teasers: Sequence[Teaser], count: int,
                wording: Wording = Wording()) -> list[Item]:
    """Equal cells across the page: thumbnail, "SECTION · PAGE N" (in the page's ``wording``: its
    language, the edition's digits) and the headline, all one link."""
    if not teasers:
        return []
    height = teaser_band_height(fmt, count) - fmt.baseline  # the last row is spacing
    total = fmt.span_width(fmt.columns)
    cell = (total - fmt.gutter * (count - 1)) / count
    items: list[Item] = []
    for i, face in enumerate(teaser.printed for teaser in teasers):  # the band prints nothing else of them
        x = left + i * (cell + fmt.gutter)
        text_x, text_w = x, cell
        if face.photo is not None:
            box = Box(x, top + 2, height - 4, height - 4)
            items.append(ImageItem(box=box, path=str(face.photo.path), source=Source(face.article_id, "teaser"),
                                   crop=crop_to_box(face.photo.aspect, box)))
            text_x, text_w = x + box.w + 6, cell - box.w - 6
        kicker_style = fmt.style("teaser-kicker")
        label = section_page(face.section, face.page, wording)
        kicker = set_plain(label, kicker_style, text_w, face.language)
        items += text_items(kicker, text_x, top + 2, Source(None, "teaser"), color=kicker_style.color)
        headline = fitted_headline(fmt, face.headline, face.language, text_w)
        items += text_items(headline, text_x, top + 4 + kicker.height, Source(None, "teaser"))
        items.append(LinkArea(Box(x, top, cell, height), page=face.page, label=f"{label}: {face.headline}"))
        if i:
            rule_x = x - fmt.gutter / 2
            items.append(Rule(rule_x, top + 2, rule_x, top + height - 2, 0.4, (0.55, 0.55, 0.55)))
    bottom = top + height + fmt.baseline / 2
    items.append(Rule(left, bottom, left + total, bottom, 0.8))
    return items


def fitted_headline(fmt: PageFormat, headline: str, language: str, width: float):
    """A story's headline in the teaser style at ``width``, set smaller until it takes at most
    :data:`HEADLINE_MAX_LINES` lines (never cut)."""
    style = fmt.style("teaser")
    while True:
        block = set_plain(headline, style, width, language)
        if len(block) <= HEADLINE_MAX_LINES or style.size <= SMALLEST_HEADLINE:
            return block
        style = replace(style, size=style.size - 0.5, leading=style.leading - 0.5)
