"""Names break only where a line would otherwise be very loose, and only before a consonant
(epaper.typeset.hyphenate.name_points, the paragraph's NAME_HYPHEN_PENALTY)."""

from __future__ import annotations

import pytest

from epaper import typeset
from epaper.formats import load_format
from epaper.model import Paragraph, Run
from epaper.typeset import hyphenate, paragraph, set_text
from epaper.typeset.hyphenate import hyphenation_points, name_points
from epaper.typeset.paragraph import HYPHEN_PENALTY, NAME_HYPHEN_PENALTY


def _broken(word: str) -> list[str]:
    return [f"{word[:p]}-{word[p:]}" for p in name_points(word, "en")]


def test_a_name_breaks_only_before_a_consonant():
    # The patterns are English; before a vowel they cut names where no reader would ("Northg-ate").
    assert _broken("Venkataraman,") == ["Ven-kataraman,", "Venkatara-man,"]
    assert _broken("Penhaligon") == ["Pen-haligon", "Penhali-gon"]
    assert _broken("Northgate") == [] and _broken("Moriarty") == []
    assert all(not hyphenate._vowel(b.split("-")[1][0]) for w in ("Whitcombe", "Haverford", "Súilleabháin")
               for b in _broken(w))


def test_short_names_acronyms_and_other_words_are_no_names_to_break():
    assert name_points("Priya", "en") == ()  # under seven letters
    assert name_points("UNESCO's", "en") == ()  # an acronym
    assert name_points("consolidation", "en") == ()  # an ordinary word: hyphenation_points breaks it
    assert name_points("Carraway-Bell", "en") == ()  # breaks at its own hyphen
    assert name_points("वेंकटरमन", "hi") == ()  # no capitals: Devanagari names are words like any other
    # The ordinary word's points leave names alone, as before.
    assert hyphenation_points("Venkataraman", "en") == ()


def _lines(text: str, width: float) -> list:
    fmt = load_format("broadsheet")
    block = set_text((Paragraph((Run(text),)),), fmt.style("body"), fmt.style("subhead"), width, "en")
    return list(block.lines)


def test_a_name_breaks_where_the_line_would_otherwise_be_very_loose(monkeypatch):
    """The sample's line "Councilmember          Priya": "Venkataraman," could not follow, and the
    line was set nearly three ems between its two words. A name's break costs more than a word's,
    so it is taken only where a line would be far looser without it."""
    assert NAME_HYPHEN_PENALTY > HYPHEN_PENALTY
    text = ("Councilmember Priya Venkataraman said the storm reserve was “the most responsible line in "
            "this budget” and that she would oppose any attempt to reduce it.")
    width = load_format("broadsheet").column_width
    typeset.clear_caches()
    broken = _lines(text, width)
    monkeypatch.setattr(paragraph, "name_points", lambda word, language: ())
    typeset.clear_caches()
    try:
        whole = _lines(text, width)
    finally:
        monkeypatch.undo()
        typeset.clear_caches()
    loosest = lambda lines: max(line.ratio for line in lines[:-1])  # noqa: E731 (the last line is not justified)
    assert whole[0].text == "Councilmember Priya"
    assert broken[0].text == "Councilmember Priya Venkatara-" and broken[1].text.startswith("man said")
    assert loosest(broken) < 1.0 < loosest(whole), (loosest(broken), loosest(whole))


@pytest.mark.parametrize("word", ["Ven-kataraman", "Haver-ford"])
def test_a_name_break_is_a_syllable(word):
    name = word.replace("-", "")
    assert word in _broken(name)
