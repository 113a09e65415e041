"""Messages, dates, digits and output ids by language (issue 15 item 4): epaper/i18n."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from epaper import i18n
from epaper.i18n import Wording, catalogue
from epaper.i18n import messages as catalogue_module
from epaper.model import Edition

DATE = dt.date(2026, 11, 28)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize(("language", "digits", "expected"), [
    ("en", None, "Saturday, November 28, 2026"),
    ("en", "devanagari", "Saturday, November 28, 2026"),  # English text keeps Latin digits
    ("en", "latin", "Saturday, November 28, 2026"),
    ("hi", None, "शनिवार, 28 नवंबर 2026"),  # Hindi's usual digits (CLDR) are Latin
    ("hi", "latin", "शनिवार, 28 नवंबर 2026"),
    ("hi", "devanagari", "शनिवार, २८ नवंबर २०२६"),
    ("mr", None, "शनिवार, २८ नोव्हेंबर, २०२६"),  # Marathi's usual digits (CLDR) are Devanagari
    ("mr", "devanagari", "शनिवार, २८ नोव्हेंबर, २०२६"),
    ("mr", "latin", "शनिवार, 28 नोव्हेंबर, 2026"),
    ("hi-IN", "devanagari", "शनिवार, २८ नवंबर २०२६"),  # a region tag reads its language's catalogue
])
def test_long_dates_name_month_and_weekday_in_the_language_with_the_chosen_digits(language, digits, expected):
    assert Wording(language, digits).long_date(DATE) == expected


@pytest.mark.parametrize(("language", "digits", "month", "on_page", "time"), [
    ("en", "devanagari", "November 2026", "Continued on page 17", "06:15"),
    ("hi", "latin", "नवंबर 2026", "शेष पृष्ठ 17 पर", "06:15"),
    ("hi", "devanagari", "नवंबर २०२६", "शेष पृष्ठ १७ पर", "०६:१५"),
    ("mr", None, "नोव्हेंबर २०२६", "उर्वरित पान १७ वर", "०६:१५"),
    ("mr", "latin", "नोव्हेंबर 2026", "उर्वरित पान 17 वर", "06:15"),
])
def test_month_names_page_numbers_and_times_follow_language_and_digits(language, digits, month, on_page, time):
    words = Wording(language, digits)
    assert words.month_year(DATE) == month
    assert words.say("continued_on", page=17) == on_page
    assert words.clock_time(dt.datetime(2026, 11, 28, 6, 15)) == time


def test_weekday_and_language_names_come_from_cldr():
    assert Wording("hi").weekday_names() == ("सोम", "मंगल", "बुध", "गुरु", "शुक्र", "शनि", "रवि")
    assert Wording("en").weekday_names()[0] == "Mon"
    assert Wording("hi").language_name("hi") == "हिन्दी"
    assert Wording("en").language_name("mr") == "Marathi"


def test_text_values_are_put_in_as_given_and_numbers_in_the_digits():
    words = Wording("hi", "devanagari")
    assert words.say("section_page", section="खेल 2026", page=4) == "खेल 2026 · पृष्ठ ४"  # a name is not renumbered
    assert words.number("12a") == "१२a"


def _po(language: str) -> dict[str, str]:
    with (catalogue_module.PO_DIR / f"{language}.po").open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", ["hi", "mr"])
def test_each_translation_has_the_english_messages_and_their_placeholders(language):
    english, translated = _po("en"), _po(language)
    assert set(translated) == set(english), set(translated) ^ set(english)
    for key, text in translated.items():
        assert text, f"{language}.po leaves {key} empty"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), key
        # Names of standards and formats are written as they are in every language.
        words = set(re.findall(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", text))) - {"IIIF", "http", "PDF", "ALTO", "XML", "METS"}
        assert not words, f"{language}.po {key}: {text!r} reads as English"


def test_a_language_without_a_catalogue_and_a_missing_message_fall_back_to_english(tmp_path, monkeypatch):
    assert dict(catalogue("de")) == dict(catalogue("en"))
    assert catalogue("xx-YY")["continued_on"] == "Continued on page {page}"
    # A catalogue that leaves one message empty and marks another fuzzy: both print in English.
    folder = tmp_path / "po"
    folder.mkdir()
    (folder / "en.po").write_bytes((catalogue_module.PO_DIR / "en.po").read_bytes())
    (folder / "hi.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                                  'msgid "share"\nmsgstr "साझा करें"\n\nmsgid "close"\nmsgstr ""\n\n'
                                  '#, fuzzy\nmsgid "listen"\nmsgstr "सुनें"\n', encoding="utf-8")
    monkeypatch.setattr(catalogue_module, "PO_DIR", folder)
    catalogue_module._messages.cache_clear()
    catalogue_module.catalogue.cache_clear()
    try:
        hindi = catalogue("hi")
        assert (hindi["share"], hindi["close"], hindi["listen"]) == ("साझा करें", "Close", "Listen")
        assert Wording("hi").say("on_page", page=3) == "On page 3"
    finally:
        catalogue_module._messages.cache_clear()
        catalogue_module.catalogue.cache_clear()


def _edition(title: str, date: dt.date = DATE, edition: str = "city") -> Edition:
    return Edition(title=title, date=date, edition=edition, language="hi", format="broadsheet", sections=(),
                   articles=(), root=Path("."))


def test_a_devanagari_title_keeps_its_name_in_the_output_id():
    edition_id = _edition("दैनिक उदाहरण", edition="नगर").id
    assert re.fullmatch(r"dainika-udaharana-[0-9a-f]{8}-2026-11-28-nagara-[0-9a-f]{8}", edition_id), edition_id
    assert _edition("The Daily Example").id == "the-daily-example-2026-11-28-city"  # ASCII titles as before


def test_two_hindi_titles_on_one_date_write_to_different_folders():
    # दिन and दीन both romanise to "dina" once the long vowel's macron is dropped.
    first, second = _edition("दैनिक दिन"), _edition("दैनिक दीन")
    assert i18n.ascii_text(first.title) == i18n.ascii_text(second.title) == "dainika dina"
    assert first.id != second.id
    assert first.id.startswith("dainika-dina-") and second.id.startswith("dainika-dina-")
    assert _edition("दैनिक दिन").id == first.id  # the same title, the same folder: a re-run replaces it
    assert _edition("दैनिक दिन", date=dt.date(2026, 11, 29)).id != first.id


def test_one_name_typed_two_ways_is_one_folder():
    """An outside desk audit: a zone named फ़ुरसुंगी with फ़ typed as one character (U+095E), then as
    फ and a nukta (what most keyboards type), became two editions of one night (two folders, the
    first said no longer in night.yaml, replate --edition refused as ambiguous)."""
    from epaper.build import _names_one_edition

    composed, decomposed = "\u095eुरसुंगी", "\u092b\u093cुरसुंगी"
    assert composed != decomposed
    assert _edition("दैनिक जागृति", edition=composed).id == _edition("दैनिक जागृति", edition=decomposed).id
    assert _names_one_edition(composed, decomposed) and _names_one_edition(decomposed, composed)
    assert _edition("दैनिक जागृति", edition="फुरसुंगी").id != _edition("दैनिक जागृति", edition=decomposed).id


def test_distinct_places_sound_distinct_and_one_place_spelt_two_ways_alike():
    """What `replate --edition` takes a Hindi zone's name spelt as the desk spells it by (epaper.build)."""
    from epaper.i18n.transliterate import sounds_key
    from epaper.model import slugify

    def key(name: str) -> str:
        return sounds_key(slugify(i18n.ascii_text(name)))

    alike = {"देवास": "Dewas", "इंदौर": "Indore", "छिंदवाड़ा": "Chhindwara", "औरंगाबाद": "Aurangabad",
             "नाशिक": "Nashik", "होशंगाबाद": "Hoshangabad", "मंदसौर": "Mandsaur", "बैतूल": "Betul",
             "जयपुर": "Jaipur", "बरेली": "Bareilly", "ग़ाज़ियाबाद": "Ghaziabad", "मुजफ्फरपुर": "Muzaffarpur"}
    assert {hi: key(hi) for hi in alike} == {hi: key(en) for hi, en in alike.items()}
    assert len({key(hi) for hi in alike}) == len(alike)
    assert len({key(n) for n in ("धार", "देवास", "दमोह", "रीवा", "सागर", "सतना", "पटना", "पुणे", "ठाणे")}) == 9

def test_every_id_is_a_file_name_of_ascii_letters_digits_and_hyphens():
    for title in ("महाराष्ट्र टाइम्स", "लोकमत", "Le Café", "ज़िंदगी · 2026", "।।।"):
        assert re.fullmatch(r"[a-z0-9-]+", _edition(title).id), title


def _manifest(tmp_path: Path, extra: str):
    from epaper.ingest.manifest import read_manifest
    from epaper.ingest.problems import ProblemLog

    (tmp_path / "edition.yaml").write_text("title: दैनिक उदाहरण\ndate: 2026-11-28\nlanguage: hi\n" + extra +
                                           "sections:\n  - {name: देश, pages: 1}\n", encoding="utf-8")
    problems = ProblemLog()
    return read_manifest(tmp_path, problems), problems


@pytest.mark.parametrize(("line", "digits"), [("", None), ("digits: devanagari\n", "devanagari"),
                                              ("digits: latin\n", "latin")])
def test_the_manifest_chooses_the_digits(tmp_path, line, digits):
    manifest, problems = _manifest(tmp_path, line)
    assert not problems.as_tuple() and not problems.warnings() and manifest.digits == digits


def test_an_unknown_digit_choice_is_an_error_naming_file_field_and_fix(tmp_path):
    _, problems = _manifest(tmp_path, "digits: arabic\n")
    (problem,) = problems.as_tuple()
    text = str(problem)
    assert "edition.yaml" in text and "digits" in text and "devanagari" in text and "latin" in text


@pytest.mark.parametrize(("language", "digits", "hindi_story"), [
    ("mr", None, "शेष पृष्ठ १७ पर"),  # a Marathi edition's usual digits reach its Hindi stories too
    ("hi", None, "शेष पृष्ठ 17 पर"),
    ("en", None, "शेष पृष्ठ 17 पर"),
    ("en", "devanagari", "शेष पृष्ठ १७ पर"),  # an English edition's Hindi section, by the desk's choice
    ("mr", "latin", "शेष पृष्ठ 17 पर"),
])
def test_one_edition_writes_all_its_devanagari_text_with_one_set_of_digits(language, digits, hindi_story):
    edition = Edition(title="x", date=DATE, edition="city", language=language, format="broadsheet", sections=(),
                      articles=(), root=Path("."), digits=digits)
    assert edition.wording("hi").say("continued_on", page=17) == hindi_story
    assert edition.wording("en").say("continued_on", page=17) == "Continued on page 17"


@pytest.mark.parametrize("language, place, lead", [
    ("en", "Port Aldery", "PORT ALDERY — "),
    ("hi", "पोर्ट एल्डरी", "पोर्ट एल्डरी। "),  # a Hindi desk ends its datelines with a danda, not a dash
    ("mr", "पुणे", "पुणे : "),
])
def test_a_storys_dateline_ends_as_its_language_writes_it(language, place, lead):
    from pathlib import Path

    from epaper.formats import load_format
    from epaper.layout.module import body_spec
    from epaper.model import Article, Paragraph, Run

    story = Article("s", "City", "Headline", (Paragraph((Run("Words."),)),), Path("s.json"), dateline=place,
                    language=language)
    [run] = body_spec(story, load_format("broadsheet"), "knuth-plass").lead_in
    assert run.text == lead and run.bold
