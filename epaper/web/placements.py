"""Which article is where, taken from the laid-out pages' regions (never re-discovered from the PDF)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from epaper.frame import ArticleRegion, Page
from epaper.model import Article, Edition, slugify

__all__ = ["PlacedArticle", "Placement", "placed_articles", "reading_position", "safe_name"]

_SAFE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


def safe_name(article_id: str) -> str:
    """A file name for an article id: the id itself when it is already safe, else a slug plus a hash
    (so two unsafe ids that slug alike still get different files)."""
    if _SAFE.fullmatch(article_id):
        return article_id
    digest = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8]
    return f"{slugify(article_id)[:80]}-{digest}"


@dataclass(frozen=True)
class Placement:
    page: int
    region: ArticleRegion


@dataclass(frozen=True)
class PlacedArticle:
    article: Article
    placements: tuple[Placement, ...]  # in page order; two when the article jumps

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def name(self) -> str:
        return safe_name(self.article.id)

    @property
    def href(self) -> str:
        """The text view, relative to the edition folder."""
        return f"articles/{self.name}.html"

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(p.page for p in self.placements)

    @property
    def first_page(self) -> int:
        return self.placements[0].page


def reading_position(region: ArticleRegion) -> tuple[float, float]:
    """Where a reader meets the region on its page: the top, then the left, of its first box."""
    first = region.boxes[0] if region.boxes else region.headline_box
    return (first.y, first.x) if first else (0.0, 0.0)


def placed_articles(edition: Edition, pages: Sequence[Page]) -> dict[str, PlacedArticle]:
    """Articles that appear on a page, keyed by id, in reading order (page, then top-to-bottom)."""
    by_id = {article.id: article for article in edition.articles}
    found: dict[str, list[Placement]] = {}
    order: list[tuple[int, float, float, str]] = []
    for page in sorted(pages, key=lambda p: p.number):
        for region in page.regions:
            if region.article_id not in by_id:
                continue  # an IR region for an article the model does not know: nothing to link to
            if region.article_id not in found:
                found[region.article_id] = []
                order.append((page.number, *reading_position(region), region.article_id))
            found[region.article_id].append(Placement(page.number, region))
    return {
        article_id: PlacedArticle(by_id[article_id], tuple(found[article_id]))
        for *_, article_id in sorted(order)
    }
