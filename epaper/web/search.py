"""The client-side search index: one JSON file with the placed articles' headlines and text.

Small enough to load whole (a day's paper is a few hundred kB of text), so the viewer needs no
server and no search library: it matches accent- and case-folded words in the browser.
"""

from __future__ import annotations

from collections.abc import Iterable

from .placements import PlacedArticle

__all__ = ["search_index"]


def search_index(placed: Iterable[PlacedArticle]) -> dict:
    documents = []
    for entry in placed:
        article = entry.article
        documents.append(
            {
                "id": article.id,
                "href": entry.href,
                "page": entry.first_page,
                "pages": list(entry.pages),
                "section": article.section,
                "lang": article.language,
                "kicker": article.kicker,
                "headline": article.headline,
                "deck": article.subheadline,
                "byline": article.byline,
                "tags": list(article.tags),
                "text": "\n".join(paragraph.text for paragraph in article.body),
            }
        )
    return {"version": 1, "documents": documents}
