"""Every word the reader's chrome shows (viewer, reader panel, text views, archive), in one catalogue.

Templates read a catalogue as ``ui`` (``{{ ui.save_edition }}``); the viewer's script gets the same
catalogue in its JSON data block, so no user-facing string lives in ``viewer.js``. Placeholders are
written ``{name}`` and filled by :func:`fill` in Python and by the script's ``t()`` in the browser.
Only English exists for now; a catalogue per language (Hindi, Marathi) slots in by adding a mapping
to ``CATALOGUES`` with the same keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["CATALOGUES", "catalogue", "fill"]

_EN: dict[str, str] = {
    # masthead, navigation
    "skip_to_content": "Skip to content",
    "archive": "Archive",
    "all_editions": "All editions",
    "edition_suffix": "{edition} edition",
    "search_label": "Search this edition",
    "search_unavailable": "Search is not available (the index could not be loaded).",
    "search_none": "No articles found",
    "search_one": "1 article",
    "search_many": "{count} articles",
    "search_meta": "{section} · page {page}",
    "edition_pdf": "Edition PDF",
    "sections": "Sections",
    "pages": "Pages",
    "page_toolbar": "Page",
    "previous_page": "Previous page",
    "next_page": "Next page",
    "page_of": "Page {label} of {total}",
    "page_of_section": "Page {label} of {total} · {section}",
    "page_title": "Page {label}",
    "page_image_alt": "Page {label}: {section}",
    "page_view_label": "Page image with article links",
    "zoom_out": "Zoom out",
    "zoom_in": "Zoom in",
    "fit_page": "Fit page",
    "fit": "Fit",
    "page_pdf": "Page PDF",
    "text_mode": "Text",
    "text_mode_label": "Show this page as text",
    "page_text_label": "Articles of page {label} in reading order",
    "on_this_page": "On this page",
    "continued_on": "Continued on page {page}",
    "continued_from": "Continued from page {page}",
    "page_n": "Page {page}",
    "all_downloads": "All downloads",
    "whole_edition": "Whole edition",
    "page_download": "Page {label} · {section}",
    "iiif_manifest": "IIIF manifest",
    # offline
    "save_edition": "Save edition",
    "save_size": "Save edition ({size}) for reading offline",
    "saving": "Saving… {done} of {total}",
    "saved": "Saved for offline reading",
    "save_failed": "Could not save the edition: {reason}",
    "save_needs_http": "Saving for offline reading needs the edition served over http(s)",
    # reader panel
    "article": "Article",
    "article_text": "Article text",
    "close_article": "Close article",
    "close": "Close",
    "open_article": "Open as page",
    "share": "Share",
    "share_article": "Share this article",
    "link_copied": "Link copied",
    "copy_link": "Copy this link",
    "iiif_link": "IIIF link",
    "iiif_link_label": "IIIF Content State link to this article on its page",
    # read aloud
    "listen": "Listen",
    "listen_label": "Read this article aloud",
    "pause": "Pause",
    "resume": "Resume",
    "stop": "Stop",
    "read_page": "Read this page",
    "read_page_label": "Read this page's articles aloud in reading order",
    "speech_unavailable": "Read aloud is not available in this browser",
    "voice_unavailable": "No {language} voice on this device",
    # text views
    "tags": "Tags",
    "more_from": "More from {section}",
    "page_ref": "page {page}",
    "on_page": "On page {page}",
    "also_on_page": "Also on page {page}",
    "back_to_page": "← Back to page {page}",
    # archive
    "archive_title": "Archive",
    "editions": "Editions",
    "no_editions": "No editions have been built here yet.",
    "pages_count": "{count} pages",
    "night_main": "Main edition of the night; its zone editions: {zones}",
    "night_zone": "Zone edition of the {main} edition: shares {shared} of its {pages} pages (its own: {own})",
    "calendar_label": "Editions of {month}",
    "iiif_collection": "IIIF collection of all editions",
    "weekdays": "Mon Tue Wed Thu Fri Sat Sun",
    # language names, for "No Hindi voice on this device"
    "lang_en": "English",
    "lang_hi": "Hindi",
    "lang_mr": "Marathi",
}

CATALOGUES: Mapping[str, Mapping[str, str]] = MappingProxyType({"en": MappingProxyType(_EN)})


def catalogue(lang: str = "en") -> Mapping[str, str]:
    """The chrome's strings for ``lang``: its own catalogue where one exists, else English."""
    return CATALOGUES.get(lang.split("-")[0].lower(), CATALOGUES["en"])


def fill(template: str, **values: object) -> str:
    """``fill("Page {page}", page=3)`` → ``"Page 3"`` (the browser's ``t()`` does the same)."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template
