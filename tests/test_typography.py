"""Typographic punctuation at ingest, by language: curly quotes and apostrophes, dashes, the
ellipsis, no-break spaces before units and after initials; a backslash keeps a straight quote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from epaper.ingest import load_edition
from epaper.ingest.typography import NBSP, punctuate


@pytest.mark.parametrize("source, printed", [
    ('"This is the missing piece," she said.', "\u201cThis is the missing piece,\u201d she said."),
    ("It's the 'new' ferry, rock'n'roll since the '90s", "It\u2019s the \u2018new\u2019 ferry, rock\u2019n\u2019roll since the \u201990s"),
    ('He said: "She told me \'no\'."', "He said: \u201cShe told me \u2018no\u2019.\u201d"),
    ("(\"quoted\")", "(\u201cquoted\u201d)"),
    ("wait -- no", "wait \u2014 no"),
    ("word--word", "word\u2014word"),
    ("city - and state", "city \u2014 and state"),
    ("well-known 1990-95", "well-known 1990-95"),
    ("and then...", "and then\u2026"),
    ("a 5.8 km route, 40 % more, 12 MW", f"a 5.8{NBSP}km route, 40{NBSP}% more, 12{NBSP}MW"),
    ("J. K. Rowling", f"J.{NBSP}K.{NBSP}Rowling"),
    ("a 12\\\" pipe and the \\'quote\\'", "a 12\" pipe and the 'quote'"),
])
def test_english(source: str, printed: str) -> None:
    assert punctuate(source, "en") == printed


@pytest.mark.parametrize("language, source, printed", [
    ("hi", '"यह सही है," उन्होंने कहा।', "\u201cयह सही है,\u201d उन्होंने कहा।"),
    ("mr", "60 किमी अंतर...", f"60{NBSP}किमी अंतर\u2026"),
    ("de", '"Guten Tag"', "\u201eGuten Tag\u201c"),
    ("fr", '"Bonjour"', "\u00ab\u202fBonjour\u202f\u00bb"),
])
def test_other_languages(language: str, source: str, printed: str) -> None:
    assert punctuate(source, language) == printed


def test_markdown_keeps_code_spans_and_leaves_the_escape_to_the_parser() -> None:
    source = 'Type `print("hi")` and say \\"hi\\" -- "twice"'
    assert punctuate(source, "en", markdown=True) == 'Type `print("hi")` and say \\"hi\\" \u2014 \u201ctwice\u201d'


def test_ingest_punctuates_every_printed_field(tmp_path: Path) -> None:
    root = tmp_path / "ed"
    (root / "articles").mkdir(parents=True)
    (root / "edition.yaml").write_text(yaml.safe_dump({
        "title": "The Quote Gazette", "date": "2026-11-28", "edition": "city", "language": "en",
        "format": "tabloid", "sections": [{"name": "Front", "pages": 1, "template": "front"}]}), encoding="utf-8")
    (root / "articles" / "a.json").write_text(json.dumps({
        "id": "a", "section": "Front", "headline": "Mayor: 'We won't wait'", "kicker": "Council's vote",
        "subheadline": "A \"new\" plan...", "body": ['"It\'s done," she said -- twice.', 'A 12\\" pipe, `x = "y"`.'],
    }), encoding="utf-8")
    (root / "articles" / "b.md").write_text(
        "---\nid: b\nsection: Front\nheadline: The \"other\" story\n---\n\n\"Quoted,\" he said. Not \\\"this\\\".\n",
        encoding="utf-8")
    edition = load_edition(root)
    a, b = sorted(edition.articles, key=lambda article: article.id)
    assert a.headline == "Mayor: \u2018We won\u2019t wait\u2019"
    assert a.kicker == "Council\u2019s vote"
    assert a.subheadline == "A \u201cnew\u201d plan\u2026"
    assert [p.text for p in a.body] == ["\u201cIt\u2019s done,\u201d she said \u2014 twice.", 'A 12" pipe, x = "y".']
    assert b.headline == "The \u201cother\u201d story"
    assert [p.text for p in b.body] == ["\u201cQuoted,\u201d he said. Not \"this\"."]
