"""Reflowed text views: ``articles/<id>.html`` for every placed article, with its photos copied."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from epaper.model import Article, Edition

from .photos import ExportedPhoto, PhotoReuse, export_opened, open_photo
from .placements import PlacedArticle
from .templating import render

__all__ = ["PhotoView", "related_articles", "write_text_views"]

RELATED_MAX = 5
PHOTO_THREADS = 2  # the machines this runs on have two cores or more; photos are a small part of a build


@dataclass(frozen=True)
class PhotoView:
    src: str  # relative to the edition folder
    width: int
    height: int
    caption: str
    credit: str


def related_articles(entry: PlacedArticle, placed: dict[str, PlacedArticle]) -> list[PlacedArticle]:
    """Other placed stories of the same section, most important first, then in page order."""
    same = [other for other in placed.values() if other.article.section == entry.article.section and other.id != entry.id]
    order = {other.id: index for index, other in enumerate(placed.values())}
    same.sort(key=lambda other: (other.article.priority, order[other.id]))
    return same[:RELATED_MAX]


def _published(edition: Edition, article: Article) -> tuple[str, str]:
    """A story's ``<time>``: its datetime attribute and its words (the edition's date if it has none)."""
    words = edition.wording()
    moment = article.published_moment
    if isinstance(moment, dt.datetime):
        return moment.isoformat(), f"{words.long_date(moment.date())}, {words.clock_time(moment)}"
    if moment is not None:
        return moment.isoformat(), words.long_date(moment)
    return edition.date.isoformat(), words.long_date(edition.date)


def write_text_views(edition: Edition, placed: dict[str, PlacedArticle], out_dir: Path, *,
                     photo_reuse: PhotoReuse | None = None) -> dict[str, list[PhotoView]]:
    """Write the text views and photos; return the photos written per article id. Photos
    ``photo_reuse`` has from an earlier build are taken from it, the others exported and given to it."""
    (out_dir / "articles").mkdir(parents=True, exist_ok=True)
    all_photos: dict[str, list[PhotoView]] = {}
    jobs = {f"photos/{entry.name}-{index}.jpg": photo.path for entry in placed.values()
            for index, photo in enumerate(entry.article.photos, start=1)}
    # Pillow decodes, resamples and encodes without holding the GIL: threads export photos side by
    # side, once this thread has opened and checked each (see open_photo). A photo that cannot be
    # opened is the error at once; else the first (in article order) that fails to decode.
    exported: dict[str, ExportedPhoto] = {}
    if photo_reuse is not None:
        for rel, source in jobs.items():
            found = photo_reuse.reuse(source, out_dir / rel)
            if found is not None:
                exported[rel] = found
    with ThreadPoolExecutor(max_workers=PHOTO_THREADS) as pool:
        pending = {rel: pool.submit(export_opened, open_photo(source), source, out_dir / rel)
                   for rel, source in jobs.items() if rel not in exported}
        made = {rel: future.result() for rel, future in pending.items()}
    if photo_reuse is not None:
        for rel, done in made.items():
            photo_reuse.remember(jobs[rel], done)
    exported.update(made)
    for entry in placed.values():
        article = entry.article
        photos = []
        for index, photo in enumerate(article.photos, start=1):
            rel = f"photos/{entry.name}-{index}.jpg"
            done = exported[rel]
            photos.append(PhotoView(rel, done.width, done.height, photo.caption, photo.credit))
        all_photos[article.id] = photos
        published_iso, published_label = _published(edition, article)
        # The chrome is in the edition's language (the html element's); <article> carries the story's.
        html = render(
            "article.html",
            edition.wording(),
            edition=edition,
            article=article,
            entry=entry,
            photos=photos,
            related=related_articles(entry, placed),
            published_iso=published_iso,
            published_label=published_label,
        )
        (out_dir / entry.href).write_text(html, encoding="utf-8")
    return all_photos
