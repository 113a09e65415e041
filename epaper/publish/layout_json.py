"""``layout.json``: the article map other tools read (docs/contracts.md, "layout.json"). Derived from
the page IR only."""

from __future__ import annotations

from collections.abc import Sequence

from epaper.frame import Page, Unplaced
from epaper.model import Edition

__all__ = ["layout_document"]


def layout_document(edition: Edition, pages: Sequence[Page], unplaced: Sequence[Unplaced]) -> dict:
    first = pages[0] if pages else None
    return {
        "edition": {"id": edition.id, "title": edition.title, "date": edition.date.isoformat(),
                    "edition": edition.edition, "language": edition.language, "format": edition.format,
                    # The digits of its Devanagari-script text (the manifest's, else its language's usual):
                    # the archive writes dates with them.
                    "digits": edition.digit_choice,
                    # edition.yaml's time zone (none: the building machine's): the archive's navDate.
                    "time_zone": edition.time_zone},
        "page_size": [round(first.width, 2), round(first.height, 2)] if first else [0, 0],
        "pages": [
            {
                "number": page.number,
                "section": page.section,
                "pdf": f"pages/{page.stem}.pdf",
                "image": f"images/{page.stem}.jpg",
                "articles": [
                    {
                        "id": region.article_id,
                        "headline": region.headline,
                        "boxes": [box.as_list() for box in region.boxes],
                        "headline_box": region.headline_box.as_list() if region.headline_box else None,
                        "continued_to": region.continued_to,
                        "continued_from": region.continued_from,
                    }
                    for region in page.regions
                ],
            }
            for page in pages
        ],
        "unplaced": [{"id": u.article_id, "reason": u.reason} for u in unplaced],
    }
