"""A page frame through pickle (the build cache, a worker's task): the same frame, its items read only
when something asks for them (a replate reads every page of the edition from the cache and looks at
few pages' thousands of items)."""

from __future__ import annotations

import dataclasses
import pickle
import threading

import pytest

import epaper.pickled
from epaper.cache import digest_of
from epaper.frame import FillRect, ImageItem, LinkArea, Page, Rule, TextRun
from epaper.products import JumpPartners, jump_partners, partner_pages


@pytest.fixture()
def items_read(monkeypatch) -> list[int]:
    """How many times a page's pickled items were unpickled (each time, the number of bytes)."""
    return _counting(monkeypatch, "items")


def _counting(monkeypatch, field: str) -> list[int]:
    """How many times a record's pickled ``field`` was unpickled (each time, the number of bytes)."""
    read: list[int] = []
    unpickled = epaper.pickled._unpickled

    def counting(name: str, data: bytes):
        if name == field:
            read.append(len(data))
        return unpickled(name, data)

    monkeypatch.setattr(epaper.pickled, "_unpickled", counting)
    return read


def _richest(layout) -> Page:
    """The sample page with the most kinds of items (photos, links, refer boxes if any)."""
    return max(layout.pages, key=lambda p: (len({type(i) for i in p.items}), len(p.items)))


def test_a_page_through_pickle_is_the_same_frame(sample_layout):
    for page in sample_layout.pages:
        back = pickle.loads(pickle.dumps(page))
        assert back == page
        assert back.items == page.items and type(back.items) is tuple
        for kind in (TextRun, Rule, FillRect, ImageItem, LinkArea):
            assert back.items_of(kind) == page.items_of(kind)
        assert back.drawn_roles() == page.drawn_roles()
    page = _richest(sample_layout)
    assert digest_of(pickle.loads(pickle.dumps(page))) == digest_of(page)
    assert hash(pickle.loads(pickle.dumps(page))) == hash(page)


def test_what_every_page_is_asked_does_not_unpickle_its_items(sample_layout, items_read):
    page = _richest(sample_layout)
    assert page.items_of(ImageItem) and page.items_of(LinkArea)
    back = pickle.loads(pickle.dumps(page))
    assert back.items_of(ImageItem) == page.items_of(ImageItem)
    assert back.items_of(LinkArea) == page.items_of(LinkArea)
    assert back.items_of(FillRect) == page.items_of(FillRect)
    assert back.drawn_roles() == page.drawn_roles()
    assert (back.number, back.section, back.regions, back.fonts) == (page.number, page.section, page.regions, page.fonts)
    again = pickle.loads(pickle.dumps(back))  # passed on (to a worker) still pickled: not read to be sent
    assert items_read == []
    # The text runs are read when asked for, once.
    assert back.items_of(TextRun) == page.items_of(TextRun)
    assert len(items_read) == 1
    assert again.items == page.items and len(items_read) == 2


def test_threads_reading_a_pages_items_at_once_get_one_tuple(sample_layout):
    page = _richest(sample_layout)
    for _ in range(20):
        back = pickle.loads(pickle.dumps(page))
        got: list[tuple] = []
        start = threading.Barrier(4)

        def read(back: Page = back) -> None:
            start.wait()
            got.append(back.items)

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(got) == 4 and all(items is back.items for items in got) and back.items == page.items


def test_a_pages_jump_partners_are_cut_when_asked_and_sent_cut(sample_layout, items_read):
    by_number = {p.number: p for p in sample_layout.pages}
    page = next(p for p in sample_layout.pages if partner_pages(p, by_number))
    stored = {n: pickle.loads(pickle.dumps(p)) for n, p in by_number.items()}  # as read from the cache
    jump = JumpPartners(stored[page.number], partner_pages(stored[page.number], stored))
    assert [p.number for p in jump.whole] == [p.number for p in jump_partners(page, by_number)]
    assert items_read == []  # knowing the partners reads none of their items
    sent = pickle.loads(pickle.dumps(jump))
    assert sent.whole == () and sent.cut() == jump.cut() == jump_partners(page, by_number)
    # What is sent is the partners' runs of the page's stories, not the partners whole.
    assert len(pickle.dumps(jump)) < sum(len(pickle.dumps(p)) for p in jump.whole) / 2


def test_a_text_block_through_pickle_is_the_same_and_reads_its_lines_when_asked(sample_layout, monkeypatch):
    """A set body comes out of the build cache (a section's plans) with its lines still pickled: its
    length is known without them, and they are read once, when asked for."""
    from epaper.layout.module import body_spec
    from epaper.typeset import set_body

    read = _counting(monkeypatch, "lines")
    story = max(sample_layout.edition.articles, key=lambda article: article.word_count)
    body = set_body(body_spec(story, sample_layout.format, "knuth-plass"))
    back = pickle.loads(pickle.dumps(body))
    assert len(back) == len(body) > 10 and back.width == body.width and back.spec == body.spec
    assert pickle.loads(pickle.dumps(back)).total_demerits == body.total_demerits  # passed on unread
    assert read == []
    assert back.lines == body.lines and back == body and back.height == body.height
    assert len(read) == 1


def test_which_pages_are_the_same_is_told_without_unpickling_what_decides_nothing(sample_layout, items_read):
    """A night asks which of its editions' pages of a number are the same (epaper.night.layout):
    pages read back from the cache are told apart by their other fields first, and told the same
    by their items' bytes when those are the same."""
    first, second = (pickle.loads(pickle.dumps(page)) for page in sample_layout.pages[:2])
    moved = pickle.loads(pickle.dumps(dataclasses.replace(sample_layout.pages[0], number=second.number)))
    assert not moved.same_as(second) and not second.same_as(moved)  # other stories: other regions
    assert items_read == []
    twin = pickle.loads(pickle.dumps(first))
    assert first.same_as(twin) and first.same_as(first)
    assert items_read == []
    # Only the items differ: they are read, and tell them apart; read as well, the two are equal.
    runs = sample_layout.pages[0].items_of(TextRun)
    fewer = pickle.loads(pickle.dumps(dataclasses.replace(sample_layout.pages[0],
                                                          items=tuple(i for i in sample_layout.pages[0].items
                                                                      if i is not runs[-1]))))
    assert not fewer.same_as(twin) and len(items_read) == 2
    assert twin.same_as(pickle.loads(pickle.dumps(sample_layout.pages[0]))) and twin.same_as(sample_layout.pages[0])
    assert not first.same_as(second) and not first.same_as("page 1")
