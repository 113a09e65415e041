"""Pull quotes: a line someone said in the story, set large at the head of one of its columns.

Copyfit uses one to make a module a few rows deeper when that fills a small gap (the cascade's
"pull quote or brief"), and :mod:`.fillers` sets one in a hole beside its story. The quote is taken
from the story itself, never written: a direct quotation of a readable length (the first, for a
module's own), word for word, inside typographic or straight double quotes. Set apart, a quotation
that began mid-sentence ("a theme park with no exit") opens with a capital, as a subeditor sets it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from epaper.model import Article
from epaper.typeset.paragraph import default_script

__all__ = ["MAX_WORDS", "MIN_WORDS", "pull_quote_text", "quotation_position", "quotations"]

MIN_WORDS = 6    # shorter quotations say too little to stand alone
MAX_WORDS = 28   # longer ones would run the column down like body text

_QUOTED = re.compile(r"[\u201c\"]([^\u201c\u201d\"]+)[\u201d\"]")


def pull_quote_text(article: Article) -> str | None:
    """The first quotation in the article's body that reads on its own (see :func:`quotations`);
    None if the story quotes nobody at such a length."""
    return next(iter(quotations(article)), None)


def quotation_position(article: Article) -> float | None:
    """How far through the story's text (0 to 1, by characters) the quotation :func:`pull_quote_text`
    pulls is said; None if it pulls none."""
    return next((position for position, _ in _readable(article)), None)


def quotations(article: Article) -> list[str]:
    """The quotations in the article's body that read on their own, in order: between MIN_WORDS and
    MAX_WORDS words, in typographic quotes, with a trailing comma (cut where attribution followed)
    made a full stop (a danda in Devanagari) and a small first letter made a capital."""
    found = []
    for _, said in _readable(article):
        if said.endswith(","):
            said = said[:-1] + ("\u0964" if default_script(article.language) == "Deva" else ".")
        found.append(f"\u201c{_opening_capital(said)}\u201d")
    return found


def _readable(article: Article) -> Iterator[tuple[float, str]]:
    """Each quotation of a readable length in the body, in order, as said (spaces made single), with
    how far through the story's text it starts (0 to 1, by characters)."""
    total = sum(len(p.text) for p in article.body if p.kind == "text")
    before = 0
    for paragraph in article.body:
        if paragraph.kind != "text":
            continue
        for match in _QUOTED.finditer(paragraph.text):
            said = " ".join(match.group(1).split())
            if MIN_WORDS <= len(said.split()) <= MAX_WORDS:
                yield (before + match.start()) / total if total else 0.0, said
        before += len(paragraph.text)


def _opening_capital(said: str) -> str:
    """``said`` with its first letter a capital, if it is a small letter (a partial quotation:
    "a wake-up call, not a surprise."). A first word with a capital inside it ("iPhone") is left as
    written, as is a script without case (Devanagari)."""
    first = next((i for i, char in enumerate(said) if char.isalpha()), None)
    if first is None or not said[first].islower():
        return said
    word = said[first:].split(maxsplit=1)[0]
    if any(char.isupper() for char in word):
        return said
    return said[:first] + said[first].upper() + said[first + 1:]
