"""Page references in a story's text: ``{page:Business}`` prints the first page of section Business
in the edition being made.

An "Inside today" box, a "see page 10" line: copy that names pages is right in one edition and wrong
in the next, where a zone added a section and every later page moved on by one. Written as a
reference, the number is the edition's own: the main edition prints "Page 10", a zone with a
section added before Business "Page 11", each in its digits (Devanagari digits in a Hindi story
of an edition that uses them).

The body keeps what the desk wrote (:attr:`Article.written_body`) beside the body as this edition
prints it, so a zone resolves the main edition's stories again for its own pages
(:func:`with_page_numbers`). Every later stage reads ``body``: the page, the text view, ALTO and
search all say the same number.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable

from epaper.ingest.problems import ProblemLog, quote, suggest
from epaper.model import Article, Edition, section_pages

__all__ = ["PAGE_REFERENCE", "check_page_references", "sections_referenced", "with_page_numbers"]

PAGE_REFERENCE = re.compile(r"\{page:([^{}]*)\}")
_FIX = "write {page:NAME} with the name of a section of edition.yaml"


# The body's typography curls a typed apostrophe ("Editor's Picks" in the body reads "Editor’s"),
# edition.yaml's section names are as typed: both are compared with straight quotes.
_STRAIGHT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _name(reference: str) -> str:
    return unicodedata.normalize("NFC", reference.strip()).translate(_STRAIGHT)


def _references(article: Article) -> bool:
    return any("{page:" in paragraph.text for paragraph in article.body)


def _other_fields(article: Article) -> list[tuple[str, str]]:
    """(field, text) of the story's text outside its body: a page reference there is not printed as a
    number (only the body's are)."""
    fields = [("headline", article.headline), ("kicker", article.kicker), ("subheadline", article.subheadline),
              ("byline", article.byline), ("dateline", article.dateline)]
    for index, photo in enumerate(article.photos):
        fields += [(f"images[{index}].caption", photo.caption), (f"images[{index}].credit", photo.credit)]
    return fields


def check_page_references(articles: Iterable[Article], sections: tuple[str, ...], problems: ProblemLog,
                          folder: str = "articles") -> None:
    """An error, naming the story's file in ``folder`` and the field, for each page reference that
    names no section of ``sections``, is not closed, is split by formatting (``{page:**Busi**ness}``)
    or stands outside the body (a headline, deck, byline, dateline or caption: printed as written)."""
    known = {_name(name): name for name in sections}
    for article in articles:
        file = f"{folder}/{article.source_file.name}"
        for field, text in _other_fields(article):
            if "{page:" in text:
                problems.add(file, field, f"a page reference ({quote(text[text.index('{page:'):][:40])}) is "
                             f"printed as a number only in a story's body, not in its {field.split('.')[-1]}",
                             "move it to the body, or write the page number out")
        if not _references(article):
            continue
        for paragraph in article.body:
            opened = paragraph.text.count("{page:")
            closed = len(PAGE_REFERENCE.findall(paragraph.text))
            if closed < opened:
                problems.add(file, "body", f"a page reference in {quote(paragraph.text[:60])} is not closed",
                             "write it as {page:NAME}, with the closing brace")
            elif sum(len(PAGE_REFERENCE.findall(run.text)) for run in paragraph.runs) < closed:
                problems.add(file, "body", f"a page reference in {quote(paragraph.text[:60])} is split by "
                             "bold or italic", "format the words around {page:NAME}, not inside it")
            for run in paragraph.runs:
                for match in PAGE_REFERENCE.finditer(run.text):
                    if _name(match.group(1)) not in known:
                        problems.add(file, "body", f"the page reference {quote(match.group(0))} names no section"
                                     f"{suggest(_name(match.group(1)), tuple(known))}",
                                     f"{_FIX}: {', '.join(sections)}")


def sections_referenced(article: Article, sections: Iterable[str]) -> tuple[str, ...]:
    """The sections of ``sections`` (as edition.yaml names them) that the story's body, as written,
    sends its readers to with a page reference, in the order first named."""
    known = {_name(name): name for name in sections}
    named: dict[str, None] = {}
    for paragraph in article.written_body or article.body:
        for match in PAGE_REFERENCE.finditer(paragraph.text):
            if _name(match.group(1)) in known:
                named[known[_name(match.group(1))]] = None
    return tuple(named)


def with_page_numbers(edition: Edition) -> Edition:
    """``edition`` with every page reference of its stories' bodies printed as the first page of its
    section in this edition (checked by :func:`check_page_references`; a name that is no section
    is left as written)."""
    first = {_name(name): pages[0] for name, pages in section_pages(edition.sections).items()}
    articles = tuple(_numbered(article, first, edition) for article in edition.articles)
    return dataclasses.replace(edition, articles=articles)


def _numbered(article: Article, first: dict[str, int], edition: Edition) -> Article:
    written = article.written_body or article.body
    if article.written_body is None and not _references(article):
        return article
    words = edition.wording(article.language)

    def number(match: re.Match[str]) -> str:
        page = first.get(_name(match.group(1)))
        return match.group(0) if page is None else words.number(page)

    body = tuple(dataclasses.replace(p, runs=tuple(dataclasses.replace(run, text=PAGE_REFERENCE.sub(number, run.text))
                                                   for run in p.runs)) for p in written)
    return dataclasses.replace(article, body=body, written_body=written)
