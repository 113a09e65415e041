"""Article bodies from Markdown: paragraphs, subheads, bold/italic runs, text kept as written."""

from __future__ import annotations

import pytest

from epaper.ingest.markdown import parse_body, parse_inline
from epaper.model import Paragraph, Run


def test_paragraphs_are_separated_by_blank_lines_and_lines_are_joined() -> None:
    body = parse_body("First line\nsame paragraph.\n\n\n  Second   paragraph.  \n")
    assert [p.text for p in body] == ["First line same paragraph.", "Second paragraph."]
    assert all(p.kind == "text" for p in body)


@pytest.mark.parametrize("line", ["## Subhead", "# Subhead", "### Subhead ###", "##   Subhead  "])
def test_heading_lines_become_subheads(line: str) -> None:
    body = parse_body(f"Before.\n{line}\nAfter.")
    assert body == (Paragraph((Run("Before."),)), Paragraph((Run("Subhead"),), kind="subhead"),
                    Paragraph((Run("After."),)))


def test_hashtags_and_numbers_are_not_block_syntax() -> None:
    body = parse_body("#harbour trends.\n\n1984. The year the bridge closed.\n\n- said the mayor.")
    assert [(p.kind, p.text) for p in body] == [
        ("text", "#harbour trends."), ("text", "1984. The year the bridge closed."),
        ("text", "- said the mayor."),
    ]


@pytest.mark.parametrize("source, runs", [
    ("a **b** c", (Run("a "), Run("b", bold=True), Run(" c"))),
    ("a *b* _c_", (Run("a "), Run("b", italic=True), Run(" "), Run("c", italic=True))),
    ("***both***", (Run("both", bold=True, italic=True),)),
    ("*a **b** c*", (Run("a ", italic=True), Run("b", bold=True, italic=True), Run(" c", italic=True))),
    ("snake_case_name and 5 * 3", (Run("snake_case_name and 5 * 3"),)),
    (r"\*not italic\*", (Run("*not italic*"),)),
    ("<b>shown</b>", (Run("<b>shown</b>"),)),
    ("see [the report](http://x.example)", (Run("see the report (x.example)"),)),  # the address is printed
])
def test_inline_emphasis(source: str, runs: tuple[Run, ...]) -> None:
    assert parse_inline(source) == runs


def test_typography_is_kept_exactly() -> None:
    text = "“Quoted” ‘single’ — en–dash… 5\u00a0km, 20\u202f% and M.\u00a0Dupont"
    assert parse_inline(text) == (Run(text),)


def test_whitespace_is_collapsed_and_trimmed_but_nbsp_kept() -> None:
    assert parse_inline("  a \t b\n c\u00a0\u00a0d  ") == (Run("a b c\u00a0\u00a0d"),)
    assert parse_inline(" **bold** ") == (Run("bold", bold=True),)
    assert parse_inline("   ") == ()


def test_devanagari_with_joiners_is_unchanged() -> None:
    text = "क्\u200dष और क्\u200cष — **श्री**"
    assert parse_inline(text) == (Run("क्\u200dष और क्\u200cष — "), Run("श्री", bold=True))
