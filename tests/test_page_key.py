"""A page's products key (epaper.products.page_key): it changes whenever what the page's products
are made from changes — the frame, the settings, and what the page reads of the pages its stories
jump to or from — and only then (a jump page is not made again for a front that names another zone)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import time

import pytest

from epaper.archive.text import page_texts
from epaper.build import _product_settings
from epaper.cache import Store
from epaper.frame import Box, ImageItem, Page, Source, TextRun
from epaper.products import jump_partners, page_key, page_tasks


def _jumping(layout) -> list[Page]:
    pages = [p for p in layout.pages if any(r.continued_to or r.continued_from for r in p.regions)]
    assert pages, "the sample edition has no jump"
    return pages


def _languages(layout) -> dict[str, str]:
    return {a.id: a.language for a in layout.edition.articles}


def _replace_item(page: Page, index: int, item) -> Page:
    return dataclasses.replace(page, items=page.items[:index] + (item,) + page.items[index + 1:])


def _run_of(page: Page, story: str) -> int:
    return next(i for i, item in enumerate(page.items)
                if isinstance(item, TextRun) and item.source.article_id == story and item.source.role == "body")


@pytest.fixture(scope="module")
def keyed(sample_layout, tmp_path_factory):
    """(layout, settings, a page with a jump, its full partners by number, the jumped story's id)."""
    settings = _product_settings(sample_layout.edition, sample_layout)
    page = _jumping(sample_layout)[0]
    region = next(r for r in page.regions if r.continued_to or r.continued_from)
    by_number = {p.number: p for p in sample_layout.pages}
    return sample_layout, settings, page, by_number, region.article_id


def test_a_page_reads_of_its_jump_partners_only_what_its_key_digests(sample_layout):
    """ALTO (the only product that reads the partners) is the same from the cut-down partners the
    key digests as from the whole partner pages: a word broken at a jump is still joined."""
    languages = _languages(sample_layout)
    by_number = {p.number: p for p in sample_layout.pages}
    trimmed_any = False
    for page in _jumping(sample_layout):
        cut = jump_partners(page, by_number)
        assert cut, page.number
        whole = tuple(by_number[p.number] for p in cut)
        trimmed_any |= any(len(c.items) < len(w.items) for c, w in zip(cut, whole))

        def text(partners: tuple[Page, ...]):
            pages = sorted((page, *partners), key=lambda p: p.number)
            return page_texts(pages, languages)[pages.index(page)]

        assert text(cut) == text(whole), page.number
    assert trimmed_any, "no partner had anything to leave out: the test shows nothing"


def test_the_key_changes_with_the_frame_the_settings_and_the_jumped_storys_other_part(keyed):
    layout, settings, page, by_number, story = keyed
    partners = jump_partners(page, by_number)
    key = page_key(page, partners, settings)
    assert key == page_key(page, jump_partners(page, by_number), settings)  # stable
    index = _run_of(page, story)
    run = page.items[index]
    moved = _replace_item(page, index, dataclasses.replace(run, x=run.x + 0.01))
    assert page_key(moved, partners, settings) != key
    retyped = _replace_item(page, index, dataclasses.replace(run, text=run.text + "x"))
    assert page_key(retyped, partners, settings) != key
    assert page_key(page, partners, dataclasses.replace(settings, title=settings.title + "!")) != key
    assert page_key(page, partners, dataclasses.replace(settings, languages=(("x", "hi"),))) != key
    # The story's other part, on the page it jumps to or from: ALTO joins a word broken there.
    other = by_number[partners[0].number]
    where = _run_of(other, story)
    changed = _replace_item(other, where, dataclasses.replace(other.items[where], text="changed"))
    assert page_key(page, jump_partners(page, {**by_number, other.number: changed}), settings) != key


def test_the_key_ignores_what_the_page_does_not_read_of_its_partners(keyed, tmp_path):
    """Another zone's masthead or teasers on the front a story jumps from, or another story there,
    change neither the jump page's key nor (see above) its files."""
    layout, settings, page, by_number, story = keyed
    key = page_key(page, jump_partners(page, by_number), settings)
    other = by_number[jump_partners(page, by_number)[0].number]
    elsewhere = next(i for i, item in enumerate(other.items) if isinstance(item, TextRun)
                     and item.source.article_id not in {r.article_id for r in page.regions})
    masthead = TextRun(x=10.0, baseline=20.0, font=other.fonts[0].name, size=30.0, text="North Shore Edition",
                       width=200.0, source=Source(None, "masthead"))
    zoned = dataclasses.replace(_replace_item(other, elsewhere, dataclasses.replace(other.items[elsewhere], text="zoned")),
                                items=other.items + (masthead,), editorial=Box(1.0, 2.0, 3.0, 4.0))
    assert page_key(page, jump_partners(page, {**by_number, other.number: zoned}), settings) == key
    # page_tasks keys the same way, with the languages of the page's own stories.
    tasks = page_tasks(layout.pages, settings, _languages(layout), Store.of(tmp_path))
    task = next(t for t in tasks if t.page.number == page.number)
    assert {aid for aid, _ in task.settings.languages} == {r.article_id for r in page.regions}
    assert task.key == page_key(page, task.partners, task.settings)


def test_a_page_keyed_again_after_its_photo_changed_gets_another_key(keyed, tmp_path):
    """The frame's digest is remembered per page object (a night's editions share them), but never
    past a change of the bytes of a photo or font it names."""
    layout, settings, _, _, _ = keyed
    page = next(p for p in layout.pages if any(isinstance(i, ImageItem) for i in p.items))
    index = next(i for i, item in enumerate(page.items) if isinstance(item, ImageItem))
    photo = tmp_path / "photo.jpg"
    shutil.copy(page.items[index].path, photo)
    page = _replace_item(page, index, dataclasses.replace(page.items[index], path=str(photo)))
    key = page_key(page, (), settings)
    assert page_key(page, (), settings) == key
    assert page_key(dataclasses.replace(page), (), settings) == key  # an equal frame, another object
    photo.write_bytes(photo.read_bytes() + b"\0")
    os.utime(photo, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # a new mtime, whatever the clock
    assert page_key(page, (), settings) != key


def test_a_pages_items_by_kind_are_found_once_and_neither_compared_digested_nor_pickled():
    import pickle

    from epaper.cache import digest_of
    from epaper.frame import LinkArea

    run = TextRun(x=1.0, baseline=2.0, font="f", size=9.0, text="word", width=20.0, source=Source("a", "body"))
    link = LinkArea(box=Box(0.0, 0.0, 5.0, 5.0), page=3)
    page = Page(number=1, section="City", width=100.0, height=100.0, items=(run, link, run), regions=(),
                editorial=Box(0.0, 0.0, 100.0, 100.0))
    fresh = dataclasses.replace(page)
    assert page.items_of(TextRun) == (run, run) and page.items_of(LinkArea) == (link,)
    assert page.items_of(TextRun) is page.items_of(TextRun)  # found once for the page object
    assert page == fresh and digest_of(page) == digest_of(fresh)
    assert pickle.dumps(page) == pickle.dumps(fresh)
    assert pickle.loads(pickle.dumps(page)).items_of(LinkArea) == (link,)
