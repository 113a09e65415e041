"""The build's memos (epaper/memos.py): what they take from the store is what making it again gives."""

from __future__ import annotations

from pathlib import Path

from small_edition import make_small_edition

from epaper.cache import Store
from epaper.ingest import read_edition
from epaper.memos import StoredArticles


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
