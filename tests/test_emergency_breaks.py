"""Words wider than their measure are broken, never set overfull (epaper/typeset/emergency_breaks.py).

Each hostile word is set by both breakers; every line must fit its measure at natural width, every
character must be set exactly once, and the kind of break must be the best one available."""

from __future__ import annotations

import unicodedata

import pyphen
import pytest
import regex

from epaper.formats import load_format
from epaper.model import Paragraph, Run
from epaper.typeset import SetLine, set_plain, set_text
from epaper.typeset.hyphenate import pattern_language

FMT = load_format("broadsheet")
WIDTH = FMT.column_width
BREAKERS = ("knuth-plass", "greedy")

CHEMICAL = "Tetrachlorodibenzoparadioxinmethylenedioxymethamphetamine"  # 57 letters, capitalised: never hyphenated normally
URL = "https://example.org/archive/2026/annual_report.final-version/appendix_b/table.of.contents/index.html"
TOKEN = "Q" * 300
HINDI = "अन्तर्राष्ट्रीयकरणप्रक्रियाक्षेत्रविस्तारीकरणसम्बन्धीव्यवस्थाओंकेअन्तर्गतसंशोधित"


def body(text: str, breaker: str, language: str = "en") -> tuple[SetLine, ...]:
    return set_text((Paragraph((Run(text),)),), FMT.style("body"), FMT.style("subhead"), WIDTH, language,
                    breaker_name=breaker).lines


def covered(lines: tuple[SetLine, ...]) -> str:
    """The paragraph's characters as the lines set them, from the segments' source offsets (a
    hyphen added at a break has none)."""
    spans = sorted((seg.start, seg.end, seg.text) for line in lines for seg in line.segments)
    return "".join(text[:end - start] for start, end, text in spans)


def assert_fits_and_conserves(lines: tuple[SetLine, ...], text: str, width: float) -> None:
    for line in lines:
        # A line may be set a little tighter than its natural width by letter spacing (microtype),
        # within its shrink: overfull is past that (a ratio under -1).
        assert line.natural_width <= width + 1e-6 or (line.letters < 0 and line.ratio >= -1 - 1e-6), \
            f"overfull line {line.text!r}: {line.natural_width} > {width}"
        for seg in line.segments:  # the drawn width of the words agrees with the line's
            assert seg.x + seg.width <= width + 1e-6
    assert covered(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("breaker", BREAKERS)
def test_a_long_capitalised_chemical_name_is_hyphenated_by_the_patterns(breaker):
    text = f"Traces of {CHEMICAL} and {CHEMICAL} were found in the river."
    lines = body(text, breaker)
    assert_fits_and_conserves(lines, text, WIDTH)
    broken = [ln for ln in lines if ln.hyphenated]
    assert broken, "the name must be broken"
    import pyphen
    # the patterns epaper hyphenates English with (the same minimum of 2 letters before, 3 after)
    points = set(pyphen.Pyphen(lang=pattern_language("en"), left=2, right=3).positions(CHEMICAL.lower()))
    for ln in broken:  # each break is at a pattern point of the name, not between arbitrary letters
        end = ln.segments[-1].end
        (name_start,) = [m.start() for m in regex.finditer(CHEMICAL, text) if m.start() < end < m.end()]
        assert end - name_start in points, ln.text


@pytest.mark.parametrize("breaker", BREAKERS)
def test_a_url_breaks_after_its_slashes_dots_and_underscores_without_a_hyphen(breaker):
    text = f"The report is at {URL} for anyone."
    lines = body(text, breaker)
    assert_fits_and_conserves(lines, text, WIDTH)
    inside = [ln for ln in lines[:-1] if ln.segments[-1].end < text.find(URL) + len(URL)
              and ln.segments[-1].end > text.find(URL)]
    assert inside, "the URL must have been broken"
    for ln in inside:
        assert not ln.hyphenated, f"a URL gets no hyphen: {ln.text!r}"
        assert text[ln.segments[-1].end - 1] in "/._-", ln.text


@pytest.mark.parametrize("breaker", BREAKERS)
def test_a_300_character_token_is_broken_between_letters_with_a_hyphen(breaker):
    lines = body(TOKEN, breaker)
    assert_fits_and_conserves(lines, TOKEN, WIDTH)
    assert len(lines) > 10
    assert all(ln.hyphenated for ln in lines[:-1])
    # pieces are as long as the measure allows: only the last line is short
    assert all(ln.natural_width > WIDTH * 0.85 for ln in lines[:-1])


@pytest.mark.parametrize("breaker", BREAKERS)
def test_devanagari_is_broken_between_aksharas_only(breaker):
    text = f"{HINDI} {HINDI} है।"
    lines = body(text, breaker, "hi")
    assert_fits_and_conserves(lines, text, WIDTH)
    assert len(lines) >= 3
    for ln in lines[:-1]:
        end = ln.segments[-1].end
        before, after = text[end - 1], text[end]
        assert before != "\u094d", f"cut after a virama: {ln.text!r}"
        assert unicodedata.category(after)[0] != "M", f"cut before a vowel sign: {ln.text!r}"
        # the cut is a grapheme cluster boundary of the whole word
        bounds = {m.end() for m in regex.finditer(r"\X", text)}
        assert end in bounds


@pytest.mark.parametrize("breaker", BREAKERS)
def test_an_indented_paragraph_still_fits(breaker):
    paras = (Paragraph((Run("First."),)), Paragraph((Run(TOKEN[:60]),)))
    block = set_text(paras, FMT.style("body"), FMT.style("subhead"), WIDTH, "en", breaker_name=breaker)
    indent = FMT.style("body").indent
    assert indent > 0
    first_of_second = next(ln for ln in block.lines if ln.paragraph == 1)
    assert first_of_second.segments[0].x == pytest.approx(indent)
    for ln in block.lines:
        assert ln.segments[-1].x + ln.segments[-1].width <= WIDTH + 1e-6


def test_ordinary_text_is_set_exactly_as_before():
    """Nothing changes where every word fits: no emergency penalty enters the items."""
    from epaper.typeset import paragraph_items
    from epaper.typeset.emergency_breaks import fit_to_measure
    from epaper.typeset.fonts import font_book
    prep = paragraph_items((Run("An ordinary sentence with ordinary words in it."),), FMT.style("body"), "en", 0.0,
                           True, True)
    assert fit_to_measure(prep, WIDTH, "en", font_book()) is prep


@pytest.mark.parametrize("breaker", BREAKERS)
def test_a_200_character_one_word_headline_is_broken_within_its_measure(breaker):
    tier = FMT.tiers[1]
    width = FMT.span_width(3)
    word = "W" * 200
    for size in tier.sizes:
        block = set_plain(word, tier.style(size), width, "en", breaker_name=breaker)
        assert covered(block.lines) == word
        for ln in block.lines:
            assert ln.segments[-1].x + ln.segments[-1].width <= width + 1e-6
