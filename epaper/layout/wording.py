"""The few words layout prints itself inside the news columns, in the language of what they sit in.

A Hindi story's jump line reads as a Hindi newspaper's does ("शेष पृष्ठ 5 पर", "पृष्ठ 1 का शेष"),
a Marathi one's as a Marathi paper's ("उर्वरित पान 5 वर", "पान 1 वरून"); a refer box on a Hindi
page is headed in Hindi. The page furniture (folio, masthead) stays in the edition's language.
A language not listed here gets the English words.
"""

from __future__ import annotations

__all__ = ["also_in_this_edition", "continued_from", "continued_on", "section_page"]

_WORDS = {
    "en": {"on": "Continued on page {page}", "from": "Continued from page {page}",
           "also": "Also in this edition", "page": "{section} · page {page}"},
    "hi": {"on": "शेष पृष्ठ {page} पर", "from": "पृष्ठ {page} का शेष",
           "also": "इस अंक में और", "page": "{section} · पृष्ठ {page}"},
    "mr": {"on": "उर्वरित पान {page} वर", "from": "पान {page} वरून",
           "also": "या अंकात आणखी", "page": "{section} · पान {page}"},
}


def _words(language: str) -> dict[str, str]:
    return _WORDS.get(language.split("-")[0], _WORDS["en"])


def continued_on(page: int, language: str) -> str:
    """The jump line at the foot of a story's first part."""
    return _words(language)["on"].format(page=page)


def continued_from(page: int, language: str) -> str:
    """The line heading a jumped story's continuation."""
    return _words(language)["from"].format(page=page)


def also_in_this_edition(language: str) -> str:
    """A refer box's heading."""
    return _words(language)["also"]


def section_page(section: str, page: int, language: str) -> str:
    """Where a teased or referred story is: "Sport · page 14"."""
    return _words(language)["page"].format(section=section, page=page)
