"""The build's memos (epaper/memos.py): what they take from the store is what making it again gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_edition import make_small_edition

import epaper.build
from epaper.build import _product_settings, edition_page_tasks
from epaper.cache import Store
from epaper.ingest import load_edition, read_edition
from epaper.layout import lay_out
from epaper.memos import StoredArticles, StoredSections
from epaper.products import page_key, page_tasks


class _Counting(StoredArticles):
    """Counts the article files actually read (not taken from the store)."""

    def __init__(self, store: Store, context: str) -> None:
        super().__init__(store, context)
        self.read: list[str] = []

    def __call__(self, path, manifest, read):
        def counted(log):
            self.read.append(path.name)
            return read(log)

        return super().__call__(path, manifest, counted)


def test_only_the_changed_article_file_is_read_again_and_its_warnings_come_with_the_rest(tmp_path: Path):
    edition = make_small_edition(tmp_path / "edition")
    stories = sorted((edition / "articles").glob("*.md"))
    # A warning to be remembered with its article: an unknown field.
    stories[0].write_text(stories[0].read_text(encoding="utf-8").replace("---\n", "---\nmood: grey\n", 1),
                          encoding="utf-8")
    store = Store.of(tmp_path / "out")
    first = _Counting(store, "context")
    read_edition(edition, article_memo=first)
    first.remember()
    assert len(first.read) == len(list((edition / "articles").iterdir()))

    changed = stories[-1]
    changed.write_text(changed.read_text(encoding="utf-8").replace(" the ", " its ", 1), encoding="utf-8")
    second = _Counting(store, "context")
    remembered = read_edition(edition, article_memo=second)
    assert second.read == [changed.name]
    fresh = read_edition(edition)
    assert remembered == fresh
    assert any("mood" in warning.message or warning.field == "mood" for warning in remembered.warnings)

    # Another context (the edition's photos or folder changed): every article is read again.
    third = _Counting(store, "another context")
    read_edition(edition, article_memo=third)
    assert len(third.read) == len(first.read)


@pytest.mark.slow
def test_a_layout_through_the_memo_is_the_layout_made_afresh(tmp_path: Path, monkeypatch):
    """Sections and pages taken from the memo after a teased story's headline and another story's
    words changed: the pages are those a layout without any memo makes (the front's teasers follow
    the headline; pages of unchanged sections are taken as composed before), and so are the keys of
    their products."""
    folder = make_small_edition(tmp_path / "edition")
    store = Store.of(tmp_path / "out")
    first = lay_out(load_edition(folder), memo=StoredSections(store))
    edition_page_tasks(first, store, None)  # remembers each page's key by what it was composed from
    teased = next(item.source.article_id for item in first.pages[0].items
                  if getattr(item, "source", None) is not None and item.source.role == "teaser")
    on_front = {region.article_id for region in first.pages[0].regions}
    other = next(region.article_id for page in first.pages[1:] for region in page.regions
                 if region.article_id not in on_front | {teased})
    for article_id, old, new in ((teased, "headline: ", "headline: Late, "), (other, " the ", " its ")):
        path = next(p for p in (folder / "articles").iterdir() if p.stem == article_id)
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            old, new = ('"headline": "', '"headline": "Late, ') if old.startswith("headline") else (old, new)
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    edition = load_edition(folder)
    memo = StoredSections(store)
    remembered = lay_out(edition, memo=memo)
    fresh = lay_out(edition)
    assert memo.reused, "no section was taken from the memo"
    assert remembered.pages == fresh.pages
    assert remembered.decisions == fresh.decisions and remembered.plan == fresh.plan
    digested = []
    monkeypatch.setattr(epaper.build, "page_key", lambda page, *rest: digested.append(page.number) or page_key(page, *rest))
    keys = [task.key for task in edition_page_tasks(remembered, store, None)]
    settings = _product_settings(edition, fresh)
    languages = {article.id: article.language for article in edition.articles}
    assert keys == [task.key for task in page_tasks(fresh.pages, settings, languages, Store.of(tmp_path / "fresh"))]
    assert digested  # every page's source changed here: each key was digested again
    # The front's teaser says the new headline (its runs name no story; its photo does).
    assert any(getattr(item, "text", "").startswith("Late,") for item in remembered.pages[0].items
               if getattr(item, "source", None) is not None and item.source.role == "teaser")


def test_a_section_laid_out_again_sets_only_its_changed_story_and_lays_out_as_if_set_afresh(tmp_path: Path):
    """One story's words changed: its section is planned again, every other story's body taken as
    set by the earlier build (the memo's bodies, in a process that set none), and the layout is the
    one made with every body set afresh. The same in a replate, whose locked pages are made from
    the record before the section is planned."""
    from epaper.layout.module import body_spec
    from epaper.typeset import clear_caches, set_body

    class Keeping(StoredSections):
        def __init__(self, store):
            super().__init__(store)
            self.set_again: list[str] = []

        def keep_bodies(self, blocks):
            self.set_again += [block.spec.paragraphs[0].runs[0].text[:40] for block in blocks]
            super().keep_bodies(blocks)

    folder = make_small_edition(tmp_path / "edition")
    store = Store.of(tmp_path / "out")
    first = lay_out(load_edition(folder), memo=StoredSections(store))
    changed = next(region.article_id for page in first.pages[2:] for region in page.regions)
    path = next(p for p in (folder / "articles").iterdir() if p.stem == changed)
    text = path.read_text(encoding="utf-8")
    body = text.rindex("---") if path.suffix == ".md" else text.index('"body"')  # a word of the body, not the heads
    assert " the " in text[body:]
    path.write_text(text[:body] + text[body:].replace(" the ", " its ", 1), encoding="utf-8")
    edition = load_edition(folder)
    clear_caches()  # as a new process: nothing set yet
    memo = Keeping(store)
    remembered = lay_out(edition, memo=memo)
    article = next(a for a in edition.articles if a.id == changed)
    section = [a for a in edition.articles_in(article.section)]
    assert len(section) > 1 and memo.made  # a section with other stories, planned again
    assert memo.set_again == [article.body[0].runs[0].text[:40]]
    # The others were not set again: each body layout measured is the very one read from the memo.
    specs = [body_spec(a, first.format, "knuth-plass") for a in section if a.id != changed]
    assert all(set_body(spec) is block for spec, block in zip(specs, memo.bodies(specs), strict=True))
    clear_caches()
    fresh = lay_out(edition)
    assert remembered.pages == fresh.pages and remembered.plan == fresh.plan
    # A replate of the story's page: the section's locked pages are made from the record with the
    # bodies as remembered too.
    from epaper.build import with_jump_pages

    page = next(p.number for p in fresh.pages if any(r.article_id == changed for r in p.regions))
    remake = with_jump_pages(fresh.plan, {page})
    locked = [p.number for p in fresh.pages if p.number not in remake]
    clear_caches()
    memo = Keeping(store)
    replated = lay_out(edition, lock=fresh.plan, lock_pages=locked, memo=memo)
    assert memo.made and not memo.set_again  # the section planned again; the new body was remembered before
    assert all(set_body(spec) is block for spec, block in zip(specs, memo.bodies(specs), strict=True))
    clear_caches()
    assert replated.pages == lay_out(edition, lock=fresh.plan, lock_pages=locked).pages


@pytest.mark.slow
def test_a_word_changed_in_a_teased_story_leaves_the_front_as_composed(tmp_path: Path):
    """The front's teaser band prints a teased story's headline, photo, section and page, not its
    body: a word of the body changed, its own page is composed again, the front is not (a replate
    of that page digested and drew the front again), and every page is the one made afresh."""
    class Counting(StoredSections):
        def __init__(self, store):
            super().__init__(store)
            self.composed: list[int] = []

        def page(self, key, make):
            def counted():
                page = make()
                self.composed.append(page.number)
                return page

            return super().page(key, counted)

    folder = make_small_edition(tmp_path / "edition")
    store = Store.of(tmp_path / "out")
    first = lay_out(load_edition(folder), memo=StoredSections(store))
    teased = next(item.source.article_id for item in first.pages[0].items
                  if getattr(item, "source", None) is not None and item.source.role == "teaser")
    path = next(p for p in (folder / "articles").iterdir() if p.stem == teased)
    text = path.read_text(encoding="utf-8")
    body = text.rindex("---") if path.suffix == ".md" else text.index('"body"')
    assert " the " in text[body:]
    path.write_text(text[:body] + text[body:].replace(" the ", " its ", 1), encoding="utf-8")
    edition = load_edition(folder)
    memo = Counting(store)
    remembered = lay_out(edition, memo=memo)
    own = next(p.number for p in remembered.pages if any(r.article_id == teased for r in p.regions))
    assert own in memo.composed and 1 not in memo.composed
    assert remembered.pages == lay_out(edition).pages


@pytest.mark.slow
def test_another_edition_of_the_same_pages_composes_only_its_front_again(tmp_path: Path):
    """A zone printing the main edition's pages under its own edition name: only the front, whose
    masthead names the edition, is composed again; every page is the one a layout without a memo makes."""
    import dataclasses

    class Counting(StoredSections):
        composed = 0

        def page(self, key, make):
            def counted():
                Counting.composed += 1
                return make()

            return super().page(key, counted)

    edition = load_edition(make_small_edition(tmp_path / "edition"))
    store = Store.of(tmp_path / "out")
    lay_out(edition, memo=Counting(store))
    first = Counting.composed
    zone = dataclasses.replace(edition, edition="harbour")
    Counting.composed = 0
    remembered = lay_out(zone, memo=Counting(store))
    assert first == len(remembered.pages) and Counting.composed == 1
    assert remembered.pages == lay_out(zone).pages


@pytest.mark.slow
def test_a_page_key_is_digested_again_only_when_the_page_or_a_jump_partner_was_composed_again(
        tmp_path: Path, monkeypatch):
    """The products' keys of a zone printing the main edition's pages under its own name: those of
    the front (composed again: its masthead) and of the pages its stories jump to are digested
    again; the others are found by what they were composed from, and every key is the one
    digesting the zone's pages afresh gives."""
    import dataclasses

    edition = load_edition(make_small_edition(tmp_path / "edition"))
    store = Store.of(tmp_path / "out")
    edition_page_tasks(lay_out(edition, memo=StoredSections(store)), store, None)
    zone = dataclasses.replace(edition, edition="harbour")
    laid = lay_out(zone, memo=StoredSections(store))
    digested: list[int] = []
    monkeypatch.setattr(epaper.build, "page_key",
                        lambda page, *rest: digested.append(page.number) or page_key(page, *rest))
    tasks = edition_page_tasks(laid, store, None)
    front_partners = {n for r in laid.pages[0].regions for n in (r.continued_to, r.continued_from) if n}
    assert front_partners, "the small edition's front jumps nowhere"
    assert digested == sorted({1} | front_partners)
    fresh = page_tasks(laid.pages, _product_settings(zone, laid), {a.id: a.language for a in zone.articles},
                       Store.of(tmp_path / "fresh"))
    assert [task.key for task in tasks] == [task.key for task in fresh]


@pytest.mark.slow
def test_editions_sharing_kept_results_replay_the_same_objects_without_reading_the_store(tmp_path: Path, monkeypatch):
    """Two editions laid out with one ``kept`` (a night's): the second takes the first's sections
    and pages as the very objects, nothing is read back from the store, it counts the sections as
    reused all the same, and the pages are those a layout without any memo makes."""
    import dataclasses

    edition = load_edition(make_small_edition(tmp_path / "edition"))
    store = Store.of(tmp_path / "out")
    kept: dict = {}
    first = lay_out(edition, memo=StoredSections(store, kept))
    reads: list[str] = []
    real_read = Store.read_memo
    monkeypatch.setattr(Store, "read_memo", lambda self, stage, key: reads.append(stage) or real_read(self, stage, key))
    zone = dataclasses.replace(edition, edition="harbour")
    memo = StoredSections(store, kept)
    again = lay_out(zone, memo=memo)
    assert set(memo.reused) == {spec.name for spec in edition.sections} and not memo.made
    assert reads == [StoredSections.PAGE_STAGE]  # the front only (its masthead names the edition): made anew
    assert all(a is b for a, b in zip(again.pages[1:], first.pages[1:]))
    assert again.pages == lay_out(zone).pages
    # Without ``kept`` (another process, the next night) they come from the store, equal.
    reads.clear()
    from_store = lay_out(zone, memo=StoredSections(store))
    assert from_store.pages == again.pages and StoredSections.STAGE in reads


def test_sections_written_aside_are_written_by_one_child_when_asked(tmp_path: Path, monkeypatch):
    """A build's layout memo writes what it made in one child process after the layout (not one
    file at a time on the build's path); until then it has them itself."""
    from epaper.cache.store import settle_memos

    store = Store.of(tmp_path / "out")
    batches: list[int] = []
    write_memos_aside = Store.write_memos_aside
    monkeypatch.setattr(Store, "write_memos_aside", lambda self, memos: (
        batches.append(len(memos := list(memos))), write_memos_aside(self, memos))[1])
    memo = StoredSections(store, written_aside=True)
    assert memo("news", "k1", lambda: "plan one") == "plan one"
    assert memo.page("p1", lambda: "page one") == "page one"
    assert memo("news", "k1", lambda: pytest.fail("made again")) == "plan one"  # kept here meanwhile
    assert StoredSections(store).peek("news", "k1", lambda found: True) is None  # not in the store yet
    memo.write_aside()
    settle_memos()
    assert batches == [2]
    assert StoredSections(store)("news", "k1", lambda: pytest.fail("not written")) == "plan one"
    assert StoredSections(store).page("p1", lambda: pytest.fail("not written")) == "page one"
