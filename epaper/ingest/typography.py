"""Typographic punctuation, by language, applied once at ingest to every text that prints.

Wire copy arrives typed on keyboards: straight quotes, double hyphens, three dots, ordinary spaces
between a number and its unit. A newspaper prints curly quotes and apostrophes, dashes, the
ellipsis, and keeps "5.8 km" and "J. K. Rowling" on one line. Done here, once, the PDF, the text
view, the search index and the ALTO all carry the same characters.

The desk keeps a straight quote where it means one with a backslash: ``\\"`` and ``\\'`` (12\\" for
inches, a code sample). In a Markdown body, text inside backticks (a code span) is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from epaper.model import Article

__all__ = ["Quotes", "punctuate", "punctuate_fields", "quotes_for"]


@dataclass(frozen=True)
class Quotes:
    open_double: str
    close_double: str
    open_single: str
    close_single: str  # also the apostrophe


_ENGLISH = Quotes("\u201c", "\u201d", "\u2018", "\u2019")
# Hindi and Marathi newspapers use the English curly quotes; German and French their own.
_QUOTES = {"de": Quotes("\u201e", "\u201c", "\u201a", "\u2018"),
           "fr": Quotes("\u00ab\u202f", "\u202f\u00bb", "\u2039\u202f", "\u202f\u203a")}
_APOSTROPHE = "\u2019"

NBSP = "\u00a0"
# Units that stay on the line of their number (Latin and Devanagari spellings).
_UNITS = ("km/h", "km", "cm", "mm", "m", "kg", "mg", "g", "t", "ha", "ml", "l", "kWh", "kW", "MW", "GW", "mph",
          "°C", "°F", "%", "किमी", "किलोमीटर", "मीटर", "किलो", "किग्रा", "प्रतिशत", "हेक्टेयर")
_UNIT = re.compile(r"(?<=\d) (?=(?:" + "|".join(re.escape(u) for u in _UNITS) + r")(?![\w]))")
# A single capital initial ("J. K. Rowling"): the space after it does not break.
_INITIAL = re.compile(r"(?<![\w.])([A-Z])\. (?=[A-Z])")
_EM_DASH = re.compile(r"(?<=[^\s-])---?(?=[^\s-])|(?<= )---?(?= )")
_SPACED_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
# Opening context: a quote after these (or at the start) opens.
_OPENERS = set(" \t\n([{\u2014\u2013-/\u201c\u2018\u00a0")


def quotes_for(language: str) -> Quotes:
    return _QUOTES.get(language.split("-")[0].split("_")[0].lower(), _ENGLISH)


def punctuate(text: str, language: str, *, markdown: bool = False) -> str:
    """``text`` with typographic punctuation for ``language``. ``markdown``: the text is Markdown
    source, whose parser removes the backslash of an escaped quote itself and whose code spans
    (in backticks) stay untouched; otherwise the escaping backslash is removed here."""
    if not text:
        return text
    if markdown:
        parts = re.split(r"(`+[^`]*`+)", text)  # code spans at odd indices
        return "".join(part if k % 2 else _plain(part, language, True) for k, part in enumerate(parts))
    return _plain(text, language, False)


def _plain(text: str, language: str, keep_escape: bool) -> str:
    text = _EM_DASH.sub("\u2014", text)
    text = _SPACED_HYPHEN.sub(" \u2014 ", text)
    text = _ELLIPSIS.sub("\u2026", text)
    text = _quotes(text, quotes_for(language), keep_escape)
    text = _UNIT.sub(NBSP, text)
    return _INITIAL.sub(r"\1." + NBSP, text)


def _quotes(text: str, q: Quotes, keep_escape: bool) -> str:
    out: list[str] = []
    prev = ""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "\"'":
            if keep_escape:
                out.append(ch)
            out.append(text[i + 1])
            prev = text[i + 1]
            i += 2
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        opening = (not prev or prev in _OPENERS) and nxt != "" and not nxt.isspace()
        if ch == '"':
            out.append(q.open_double if opening else q.close_double)
        elif ch == "'":
            if prev.isalnum() and nxt.isalnum():
                out.append(_APOSTROPHE)  # don't, it's, rock'n'roll
            elif opening and nxt.isdigit():
                out.append(_APOSTROPHE)  # '90s
            else:
                out.append(q.open_single if opening else q.close_single)
        else:
            out.append(ch)
        prev = ch
        i += 1
    return "".join(out)


def punctuate_fields(article: Article) -> Article:
    """``article`` with its one-line texts (kicker, headline, deck, byline, dateline) and its
    photos' captions and credits punctuated for its language. The body is punctuated as Markdown
    source before it is parsed (see :func:`punctuate`), where its escapes are still visible."""
    lang = article.language
    photos = tuple(replace(p, caption=punctuate(p.caption, lang), credit=punctuate(p.credit, lang))
                   for p in article.photos)
    return replace(article, kicker=punctuate(article.kicker, lang), headline=punctuate(article.headline, lang),
                   subheadline=punctuate(article.subheadline, lang), byline=punctuate(article.byline, lang),
                   dateline=punctuate(article.dateline, lang), photos=photos)
