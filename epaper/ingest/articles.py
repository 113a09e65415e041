"""One article file (``.json``, or ``.md`` with YAML front matter) into an :class:`Article`.

Every field is checked even after an earlier one failed, so one run lists all of a file's problems.
The texts that will be printed are returned alongside, so font coverage can be checked for articles
that have other problems too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epaper.ingest.characters import clean_text, clean_values
from epaper.ingest.fields import FieldReader, type_name
from epaper.ingest.images import check_image_ref
from epaper.ingest.languages import LANGUAGE_FIX, is_language_tag
from epaper.ingest.manifest import Manifest
from epaper.ingest.markdown import parse_body
from epaper.ingest.problems import ProblemLog, quote, suggest
from epaper.ingest.sources import load_json, load_yaml, read_text, split_front_matter
from epaper.ingest.typography import punctuate, punctuate_fields
from epaper.model import Article, Paragraph, Photo, Pin, slugify

__all__ = ["ARTICLE_SUFFIXES", "ArticleRead", "is_safe_id", "read_article"]

ARTICLE_SUFFIXES = (".json", ".md", ".markdown")

# Ids become file names (articles/<id>.html) and URL fragments; keep them boring.
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_TEXT_FIELDS = ("kicker", "headline", "subheadline", "byline", "dateline")
_KNOWN_KEYS = ("id", "section", "priority", *_TEXT_FIELDS, "published", "language", "body", "images", "tags", "pin")
_IMAGE_KEYS = ("src", "caption", "credit")
_PIN_KEYS = ("page", "slot", "columns")

# Sizes only a mistake reaches: the longest newspaper features run to ~10,000 words.
MAX_BODY_WORDS = 30_000
MAX_FIELD_CHARS = 2_000  # a headline, kicker, caption, byline …: a paragraph's worth at most
MAX_IMAGES = 50


def is_safe_id(value: str) -> bool:
    return bool(_SAFE_ID.match(value))


@dataclass(frozen=True)
class ArticleRead:
    """The outcome of reading one file: the article if it is sound, and what it would print."""

    file: str
    id: str | None
    article: Article | None
    texts: tuple[tuple[str, str], ...]  # (field, text) pairs to check for font coverage


def read_article(path: Path, root: Path, manifest: Manifest, problems: ProblemLog) -> ArticleRead:
    file = path.relative_to(root).as_posix()
    start = len(problems)
    data, markdown_body = _load(path, file, problems)
    if data is None:
        return ArticleRead(file, None, None, ())

    fields = FieldReader(data, file, problems)
    fields.warn_unknown(_KNOWN_KEYS, "Article")
    _check_lengths(fields, markdown_body)
    texts: list[tuple[str, str]] = []
    article_id = _read_id(fields, path)
    section = _read_section(fields, manifest)
    headline = fields.text("headline", required=True)
    optional = {key: fields.text(key) for key in _TEXT_FIELDS if key != "headline"}
    for key, value in (("headline", headline), *optional.items()):
        if value:
            texts.append((key, value))
    priority = fields.integer("priority", low=1, high=5, default=3, what=" (1 = lead story … 5 = filler)")
    published = _read_published(fields)
    language = _read_language(fields, manifest, section)
    body = _read_body(fields, markdown_body, texts, language)
    photos = _read_images(fields, root, texts)
    tags = fields.text_list("tags")
    pin = _read_pin(fields, manifest, section)

    # Spelled out (not any(... is None)) so the type checker sees each field is set below.
    if (len(problems) > start or article_id is None or section is None or headline is None or body is None
            or photos is None or tags is None or priority is None):
        return ArticleRead(file, article_id, None, tuple(texts))
    article = Article(
        id=article_id, section=section, headline=headline, body=body, source_file=path.resolve(),
        priority=priority, kicker=optional["kicker"] or "", subheadline=optional["subheadline"] or "",
        byline=optional["byline"] or "", dateline=optional["dateline"] or "", published=published or "",
        language=language, photos=photos, tags=tags, pin=pin,
    )
    article = punctuate_fields(article)  # curly quotes, dashes, no-break spaces (typography.py)
    return ArticleRead(file, article_id, article, tuple(texts))


def _load(path: Path, file: str, problems: ProblemLog) -> tuple[dict[str, Any] | None, str | None]:
    """The article's fields, and for Markdown files the body text below the front matter."""
    start = len(problems)
    text = read_text(path, file, problems)
    if text is None:
        return None, None
    markdown_body = None
    if path.suffix.lower() == ".json":
        data = load_json(text, file, problems)
        shape_fix = 'write the article as one JSON object: {"id": …, "section": …, "headline": …, "body": […]}'
    else:
        split = split_front_matter(text, file, problems)
        if split is None:
            return None, None
        shape_fix = "write the front matter as 'field: value' lines (id, section, headline, …)"
        if not split.header.strip():
            problems.add(file, "", "front matter is empty", shape_fix)
            return None, None
        data = load_yaml(split.header, file, problems, first_line=split.header_first_line)
        markdown_body = split.body
    if data is None and len(problems) > start:
        return None, None  # the parser said what is wrong
    if not isinstance(data, dict):  # 'null' is valid JSON and YAML, and would otherwise vanish
        problems.add(file, "", f"must hold a mapping of fields, not {type_name(data)}", shape_fix)
        return None, None
    data = clean_values(data, file, problems)
    if markdown_body is not None:
        markdown_body = clean_text(markdown_body, file, "body", problems)
        if markdown_body.strip() and data.get("body") is not None:
            problems.add(file, "body", "the article has two bodies: a 'body:' field in the front matter "
                         "and Markdown text below it", "keep one of them")
    return data, markdown_body


def _check_lengths(fields: FieldReader, markdown_body: str | None) -> None:
    """Refuse sizes that can only be a mistake (a whole file pasted into a headline, say)."""
    for key in _TEXT_FIELDS:
        value = fields.data.get(key)
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            fields.report(key, f"{key} is {len(value):,} characters long (at most {MAX_FIELD_CHARS:,})",
                          f"shorten the {key}; long text belongs in the body")
    body = fields.data.get("body")
    parts = [body] if isinstance(body, str) else body if isinstance(body, list) else []
    parts = [*parts, markdown_body or ""]
    words = sum(len(part.split()) for part in parts if isinstance(part, str))
    if words > MAX_BODY_WORDS:
        fields.report("body", f"body has {words:,} words (at most {MAX_BODY_WORDS:,})",
                      "split it into several articles; no page holds that much")
    images = fields.data.get("images")
    if isinstance(images, list) and len(images) > MAX_IMAGES:
        fields.report("images", f"lists {len(images)} images (at most {MAX_IMAGES})", "keep the photos to print")


def _read_id(fields: FieldReader, path: Path) -> str | None:
    value = fields.data.get("id")
    if value is None:
        # A missing id falls back to the file name, but only if that is itself a safe id.
        if is_safe_id(path.stem):
            return path.stem
        fields.report("id", "id is missing (and the file name is not a usable id)",
                      f"add an id made of a–z, 0–9 and '-', e.g. '{slugify(path.stem)}'")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # YAML reads `id: 2024` as a number; as text it is a fine id
    if not isinstance(value, str) or not is_safe_id(value):
        shown = value if isinstance(value, str) else str(value)
        fields.report("id", f"id {quote(value)} is not a safe id (only a–z, 0–9 and '-' are allowed)",
                      f"use an id like '{slugify(shown)}'")
        return None
    return value


def _read_section(fields: FieldReader, manifest: Manifest) -> str | None:
    section = fields.text("section", required=True)
    if section is None or not manifest.section_names:
        return section  # with no readable sections, edition.yaml's own problem says it all
    if section not in manifest.section_names:
        # Devanagari (and accented Latin) can be typed precomposed or decomposed ("ज़" is U+095B or
        # U+091C U+093C); the same name typed either way is the same section, spelt as the manifest does.
        for name in manifest.section_names:
            if unicodedata.normalize("NFC", name) == unicodedata.normalize("NFC", section):
                return name
        fields.report("section", f"unknown section {quote(section)}{suggest(section, manifest.section_names)}",
                      f"use one of: {', '.join(manifest.section_names)}")
        return None
    return section


def _read_published(fields: FieldReader) -> str | None:
    value = fields.text("published")
    if not value:
        return value
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        fields.report("published", f"published {quote(value)} is not an ISO 8601 date or time",
                      "write it like 2026-11-28 or 2026-11-28T06:15:00+05:30")
        return None
    return value


def _read_language(fields: FieldReader, manifest: Manifest, section: str | None) -> str:
    language = fields.text("language")
    if language and not is_language_tag(language):
        fields.report("language", f"language {quote(language)} is not a language code", LANGUAGE_FIX)
        language = None
    if language:
        return language
    return manifest.section_language(section) if section else manifest.language


def _read_body(fields: FieldReader, markdown_body: str | None,
               texts: list[tuple[str, str]], language: str = "en") -> tuple[Paragraph, ...] | None:
    value: Any = markdown_body if markdown_body and markdown_body.strip() else fields.data.get("body")
    fix = "write the article text (paragraphs separated by blank lines)"
    if value is None:
        fields.report("body", "body is missing", fix)
        return None
    notes: list[str] = []
    if isinstance(value, str):
        paragraphs = parse_body(punctuate(value, language, markdown=True), notes)
    elif isinstance(value, list):
        collected: list[Paragraph] = []
        for index, entry in enumerate(value):
            if not isinstance(entry, str):
                fields.report(f"body[{index}]", f"paragraph must be text, not {type_name(entry)}",
                              "give each paragraph as a text string")
                return None
            collected.extend(parse_body(punctuate(entry, language, markdown=True), notes))  # each entry is Markdown too
        paragraphs = tuple(collected)
    else:
        fields.report("body", f"body must be text or a list of paragraphs, not {type_name(value)}", fix)
        return None
    for note in dict.fromkeys(notes):
        fields.problems.warn(fields.file, "body", note, "put photos in the article's images list")
    if not paragraphs:
        fields.report("body", "body is empty", fix)
        return None
    for paragraph in paragraphs:
        texts.append(("body", paragraph.text))
    return paragraphs


def _read_images(fields: FieldReader, root: Path, texts: list[tuple[str, str]]) -> tuple[Photo, ...] | None:
    value = fields.data.get("images")
    if value is None:
        return ()
    if not isinstance(value, list):
        fields.report("images", f"images must be a list, not {type_name(value)}",
                      'write images as a list: [{"src": "images/photo.jpg", "caption": "…", "credit": "…"}]')
        return None
    photos: list[Photo] = []
    ok = True
    for index, entry in enumerate(value):
        where = f"images[{index}]"
        if isinstance(entry, str):
            entry = {"src": entry}  # a bare path is a photo without caption
        if not isinstance(entry, dict):
            fields.report(where, f"each image must be a mapping, not {type_name(entry)}",
                          'write it as {"src": "images/photo.jpg", "caption": "…", "credit": "…"}')
            ok = False
            continue
        image = FieldReader(entry, fields.file, fields.problems, prefix=f"{where}.")
        image.warn_unknown(_IMAGE_KEYS, "An image's")
        src = image.text("src", required=True)
        caption = image.text("caption")
        credit = image.text("credit")
        for key, text in (("caption", caption), ("credit", credit)):
            if text:
                texts.append((f"{where}.{key}", text))
        if src is None or caption is None or credit is None:
            ok = False
            continue
        check = check_image_ref(root, src)
        if not check.ok or check.path is None:  # a sound check always has its resolved path
            image.report("src", check.message, check.fix)
            ok = False
            continue
        photos.append(Photo(path=check.path, caption=caption, credit=credit,
                            width_px=check.width_px, height_px=check.height_px))
    return tuple(photos) if ok else None


PIN_SLOTS = ("lead", "top", "bottom")  # where on its page a pinned story goes (see layout.placement)


def _read_pin(fields: FieldReader, manifest: Manifest, section: str | None) -> Pin | None:
    value = fields.data.get("pin")
    if value is None:
        return None
    fix = "write it as {page: 2, slot: lead, columns: 3} (page within the article's section; slot and columns optional)"
    if not isinstance(value, dict):
        fields.report("pin", f"pin must be a mapping, not {type_name(value)}", fix)
        return None
    pin = FieldReader(value, fields.file, fields.problems, prefix="pin.")
    pin.warn_unknown(_PIN_KEYS, "A pin's")
    page_range = manifest.page_ranges.get(section) if section else None
    page = pin.integer("page", low=1, high=manifest.last_page,
                       what=" (a page number of the edition)")
    if page is not None and page_range and not page_range[0] <= page <= page_range[1]:
        first, last = page_range
        pages = f"page {first}" if first == last else f"pages {first}–{last}"
        pin.report("page", f"pinned page {page} is not in section {quote(section)} ({pages})",
                   f"pin it to {pages} or move the article to the section of page {page}")
        page = None
    columns_total = manifest.format.columns if manifest.format else None
    columns = pin.integer("columns", low=1, high=columns_total,
                          what=f" (the page has {columns_total} columns)" if columns_total else "")
    slot = pin.text("slot")
    if slot and slot not in PIN_SLOTS:
        pin.report("slot", f"unknown slot {quote(slot)}",
                   "use lead (the page's lead position), top (above the fold) or bottom (below the fold)")
        slot = None
    return Pin(page=page, slot=slot or None, columns=columns)
