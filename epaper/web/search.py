"""The client-side search index: the placed articles' headlines and text, as JSON and as a script.

Small enough to load whole (a day's paper is a few hundred kB of text), so the viewer needs no
server and no search library: it matches accent- and case-folded words in the browser. The viewer
loads ``search.js`` (the same index assigned to ``window.epaperSearch``) with a script element,
which works when ``index.html`` is opened from disk, where ``fetch`` of a file is refused; the text
view, the read-aloud and the offline copy read the same script. ``search.json`` is the same data
for other programs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .placements import PlacedArticle

__all__ = ["search_index", "search_script"]


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
                "dateline": article.dateline,
                "tags": list(article.tags),
                "text": "\n".join(paragraph.text for paragraph in article.body),
                # Which lines of "text" are crossheads: the viewer's text mode sets them as headings,
                # as the story's own page does (they read as paragraphs to a screen reader else).
                **({"heads": heads} if (heads := [i for i, paragraph in enumerate(article.body)
                                                  if paragraph.kind == "subhead"]) else {}),
            }
        )
    return {"version": 1, "documents": documents}


def search_script(index: dict) -> str:
    """``index`` as a script. ``</`` is escaped so the text can never close a script element."""
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return "window.epaperSearch = " + text + ";\n"
