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


def _penalties(text: str, names: frozenset[str]) -> list[float]:
    fmt = load_format("broadsheet")
    from epaper.typeset import font_book
    from epaper.typeset.knuth_plass import Penalty

    items = paragraph.build_items((Run(text),), fmt.style("body"), "en", font_book(), names=names)
    return [item.penalty for item in items if isinstance(item, Penalty) and item.flagged]


def test_a_name_starting_a_sentence_breaks_as_a_name_when_the_story_says_it_is_one():
    """At a sentence's start any word has a capital: "Venkataraman" there breaks as an ordinary
    word, unless the story capitalises it elsewhere, where no sentence starts."""
    story = ["The budget was read by Councilmember Venkataraman on Friday.",
             "Venkataraman said the reserve would stay. Advocates agreed."]
    names = paragraph.story_names(story)
    assert names == frozenset({"Venkataraman", "Councilmember"})  # "Advocates" starts its sentence only
    assert "Advocates" not in paragraph.story_names(["Advocates agreed. Venkataraman left."])
    start = "Venkataraman said."
    typeset.clear_caches()
    as_word, as_name = _penalties(start, frozenset()), _penalties(start, names)
    assert HYPHEN_PENALTY in as_word  # breaks inside "Venkataraman" at a word's cost
    assert as_name and set(as_name) == {NAME_HYPHEN_PENALTY}
    # An ordinary word starting a sentence still breaks as one.
    assert HYPHEN_PENALTY in _penalties("Advocates agreed.", names)


def test_set_text_finds_the_storys_names_in_its_other_paragraphs():
    """The name starting a sentence, set at many measures: the patterns break it before a vowel
    too ("Venkatar-aman"), which a name's breaks never do."""
    fmt = load_format("broadsheet")
    named = (Paragraph((Run("The budget was read by Councilmember Venkataraman on Friday."),)),)
    starting = (Paragraph((Run("Venkataraman said the reserve would stay. Venkataraman left."),)),)

    def before_a_vowel(story: tuple[Paragraph, ...]) -> list[str]:
        return [line.text for width in range(40, 90, 2)
                for line in set_text(story, fmt.style("body"), fmt.style("subhead"), float(width), "en").lines
                if line.text.endswith("Venkatar-")]

    typeset.clear_caches()
    assert before_a_vowel(starting)  # alone, it starts its sentences only: an ordinary word's breaks
    assert not before_a_vowel(named + starting)  # capitalised where no sentence starts: a name's
