"""Pull quotes: which quotation is pulled, how a quote heads its column, that it is drawn above the
body of that column, and that copyfit offers it as a way to make a module a few rows deeper."""

from __future__ import annotations

from dataclasses import replace

import pytest

from epaper.formats import load_format
from epaper.frame import Rule, TextRun
from epaper.layout import lay_out
from epaper.layout.copyfit import FitCatalog
from epaper.layout.module import design_module
from epaper.layout.pullquotes import pull_quote_text, quotation_position
from epaper.model import Paragraph, Run


def _with_body(article, *texts: str):
    return replace(article, body=tuple(Paragraph((Run(t),)) for t in texts))


def test_the_first_quotation_of_a_readable_length_is_pulled_word_for_word(sample_edition):
    article = next(a for a in sample_edition.articles if a.language == "en")
    quoted = _with_body(article,
                        'The council met on Tuesday. "Too short," she said.',
                        '\u201cWe will rebuild the pier before the summer storms arrive,\u201d the mayor said, '
                        '"and nobody will lose a job over it."')
    assert pull_quote_text(quoted) == "\u201cWe will rebuild the pier before the summer storms arrive.\u201d"
    assert pull_quote_text(_with_body(article, "Nobody was quoted in this story at all.")) is None
    long_quote = '"' + " ".join(["word"] * 40) + '"'
    assert pull_quote_text(_with_body(article, long_quote)) is None


def test_a_quotation_begun_mid_sentence_opens_with_a_capital(sample_edition):
    article = next(a for a in sample_edition.articles if a.language == "en")
    partial = _with_body(article, 'Critics called the plan \u201ca theme park with no exit for anyone who lives here,\u201d '
                                  'and left.')
    assert pull_quote_text(partial) == "\u201cA theme park with no exit for anyone who lives here.\u201d"
    # A word written with a capital inside it keeps its letters; so does a quotation already capitalised.
    branded = _with_body(article, 'She said \u201ciPhones are what most of the passengers will use to pay.\u201d')
    assert pull_quote_text(branded) == "\u201ciPhones are what most of the passengers will use to pay.\u201d"
    opened = _with_body(article, 'He said: \u201c[The] ferries will run all night until the backlog is cleared.\u201d')
    assert pull_quote_text(opened) == "\u201c[The] ferries will run all night until the backlog is cleared.\u201d"
    bracketed = _with_body(article, 'He said: \u201c[the] ferries will run all night until the backlog is cleared.\u201d')
    assert pull_quote_text(bracketed) == "\u201c[The] ferries will run all night until the backlog is cleared.\u201d"


def test_a_hindi_quotation_ends_with_a_danda(sample_edition):
    article = next(a for a in sample_edition.articles if a.language == "hi")
    quoted = _with_body(article, "मंत्री ने कहा, \u201cहम इस साल गर्मियों से पहले पुल को फिर से बनाएंगे,\u201d और चले गए।")
    assert pull_quote_text(quoted) == "\u201cहम इस साल गर्मियों से पहले पुल को फिर से बनाएंगे\u0964\u201d"


def _quoted_article(sample_edition):
    return next(a for a in sample_edition.articles
                if a.language == "en" and pull_quote_text(a) is not None and not a.photos)


def test_a_pull_quote_heads_a_column_away_from_its_words_and_deepens_the_module(sample_edition):
    """A quotation from the story's first half heads the last column, one from its second half the
    second column: never beside its own words (an outside editor's audit found "That is not" / the
    quotation / "acceptable when ..." at the head of the second column), never the first column."""
    fmt = load_format(sample_edition.format)
    article = _quoted_article(sample_edition)
    said = pull_quote_text(article)
    early = _with_body(article, f"He said {said} " + "Words of the story. " * 60)
    late = _with_body(article, "Words of the story. " * 60 + f"He said {said}")
    assert quotation_position(early) < 0.1 and quotation_position(late) > 0.9
    for story, cols, col in ((early, 3, 2), (early, 4, 3), (late, 3, 1), (late, 4, 1), (early, 2, 1)):
        quoted = design_module(story, cols, fmt, pull_quote=True)
        assert quoted.pull_quote is not None and quoted.pull_quote.col == col, (cols, col)
    plain = design_module(early, 3, fmt)
    quoted = design_module(early, 3, fmt, pull_quote=True)
    assert plain.pull_quote is None
    # The quote's column starts that many rows lower; the others are as they were.
    assert quoted.body_offsets()[2] == plain.body_offsets()[2] + quoted.pull_quote.rows
    assert quoted.body_offsets()[:2] == plain.body_offsets()[:2]
    assert quoted.natural_rows > plain.natural_rows
    # A one-column module has no room for one.
    assert design_module(article, 1, fmt, pull_quote=True).pull_quote is None


def test_copyfit_offers_the_pull_quote_as_a_deeper_fit(sample_edition):
    fmt = load_format(sample_edition.format)
    article = _quoted_article(sample_edition)
    catalog = FitCatalog(fmt, "knuth-plass")
    offered = 0
    for cols in (2, 3, 4):  # a quoted fit of the same depth as a cheaper one is not kept: not at every width
        fits = catalog.fits(article, cols)
        quoted = [f for f in fits if "pull quote added" in f.adjustments]
        natural = min(fits, key=lambda f: f.cost)
        assert all(f.rows > natural.rows and f.cost > natural.cost for f in quoted)
        offered += len(quoted)
    assert offered


def test_a_placed_pull_quote_is_drawn_between_rules_above_its_column_of_body(sample_layout):
    found = 0
    for page in sample_layout.pages:
        for region in page.regions:
            box = region.boxes[0]  # the module (a quotation filling a space below it has a box of its own)
            quote = [i for i in page.items if isinstance(i, TextRun) and i.source.role == "pull-quote"
                     and i.source.article_id == region.article_id and box.y <= i.baseline <= box.bottom
                     and box.x <= i.x < box.right]
            if not quote:
                continue
            found += 1
            top, bottom = min(r.baseline for r in quote), max(r.baseline for r in quote)
            assert all(box.x <= r.x and r.x + r.width <= box.x + box.w + 0.5 for r in quote)
            assert box.y <= top and bottom <= box.y + box.h
            column_x = min(r.x for r in quote)
            rules = [i for i in page.items if isinstance(i, Rule) and abs(i.x1 - column_x) < 0.5
                     and top - 30 < i.y1 < bottom + 30]
            assert len(rules) == 2
            assert rules[0].y1 < top and bottom < rules[1].y1  # a rule above the quotation, one below
            column_end = rules[0].x2
            body = [i for i in page.items if isinstance(i, TextRun) and i.source.role == "body"
                    and i.source.article_id == region.article_id and column_x - 0.5 <= i.x < column_end]
            assert body and min(b.baseline for b in body) > rules[1].y1  # the column's body resumes below it
    assert found >= 1


@pytest.mark.slow
def test_the_pull_quote_survives_a_locked_page(sample_edition, tmp_path):
    first = lay_out(sample_edition)
    page = next(d.page for d in first.decisions if "pull quote added" in d.adjustments)
    # with the pages its stories continue from, and theirs (a jump's part is locked with its start)
    locked = {page}
    while True:
        sources = {r.continued_from for p in first.pages if p.number in locked for r in p.regions if r.continued_from}
        if sources <= locked:
            break
        locked |= sources
    again = lay_out(sample_edition, lock=first.plan, lock_pages=sorted(locked))
    quoted = {d.article_id for d in first.decisions if d.page == page and "pull quote added" in d.adjustments}
    assert quoted == {d.article_id for d in again.decisions if d.page == page and "pull quote added" in d.adjustments}
    assert [p for p in again.pages if p.number == page][0].items == [p for p in first.pages if p.number == page][0].items
