"""The few words layout prints itself inside the news columns, in the language of what they sit in.

A Hindi story's jump line reads as a Hindi newspaper's does ("शेष पृष्ठ 5 पर", "पृष्ठ 1 का शेष"),
a Marathi one's as a Marathi paper's ("उर्वरित पान 5 वर", "पान 1 वरून"); a refer box on a Hindi
page is headed in Hindi. The words are the message catalogue's (:mod:`epaper.i18n`), the page
numbers in the edition's digits (``Wording``).
"""

from __future__ import annotations

from epaper.i18n import Wording

__all__ = ["also_in_this_edition", "continued_from", "continued_on", "section_page"]


def continued_on(page: int, wording: Wording) -> str:
    """The jump line at the foot of a story's first part."""
    return wording.say("continued_on", page=page)


def continued_from(page: int, wording: Wording) -> str:
    """The line heading a jumped story's continuation."""
    return wording.say("continued_from", page=page)


def also_in_this_edition(wording: Wording) -> str:
    """A refer box's heading."""
    return wording.say("also_in_edition")


def section_page(section: str, page: int, wording: Wording) -> str:
    """Where a teased or referred story is: "Sport · page 14"."""
    return wording.say("section_page", section=section, page=page)
