"""Poppler's ``pdftotext`` reads the sample edition's Hindi pages as the Unicode the articles were
written in: every headline and paragraph of each story wholly on the page, in logical order
(conjuncts, reph and the i-matra drawn before its consonant included), no private-use codes."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _squeeze(text: str) -> str:
    # Line ends break words at hyphens (the typesetter's and the text's own): compare without them.
    return unicodedata.normalize("NFC", re.sub(r"[\s\-]", "", text))


def test_pdftotext_reads_the_hindi_pages_as_their_unicode_text(sample_build, sample_edition):
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is missing: run `make system-tools`"
    result, _ = sample_build
    articles = {a.id: a for a in sample_edition.articles}
    hindi_pages = [p for p in result.laid_out.pages if p.language == "hi"]
    assert len(hindi_pages) == 2
    checked = 0
    for page in hindi_pages:
        pdf = Path(result.out_dir) / "pages" / f"{page.number:03d}.pdf"
        text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert not any("\ue000" <= ch <= "\uf8ff" for ch in text), f"private-use codes on page {page.number}"
        # One space between words, as written (the word's /ActualText carried its space, and poppler
        # added one for the gap to the next word: two).
        assert "  " not in text, f"double spaces on page {page.number}: {text[text.index('  ') - 30:][:60]!r}"
        squeezed = _squeeze(text)
        for region in page.regions:
            article = articles.get(region.article_id)
            if article is None or region.continued_to or region.continued_from:
                continue  # a jumped story's paragraphs may be cut between pages
            for piece in [article.headline] + [p.text for p in article.body]:
                assert _squeeze(piece) in squeezed, f"page {page.number}, {article.id}: {piece[:40]!r}"
                checked += 1
    assert checked > 50
