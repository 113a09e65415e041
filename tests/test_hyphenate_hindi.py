"""Hindi is hyphenated with the hyph-hi patterns epaper ships (epaper/typeset/patterns/), not with
pyphen's Marathi ones, breaks only between aksharas, leaves two of them on each side (as a Hindi
desk requires), and the pattern file travels with a plain (non-editable) install."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import unicodedata
from importlib import resources
from pathlib import Path

import pyphen
import pytest

from epaper.typeset.hyphenate import _dictionary, akshara_starts, hyphenation_points, pattern_language, pattern_points

REPO = Path(__file__).resolve().parent.parent
VIRAMA, ZWJ = "\u094d", "\u200d"
DEVANAGARI_WORD = re.compile(r"[\u0900-\u097f\u200c\u200d]+")


def _shipped_file():
    return resources.files("epaper.typeset") / "patterns" / "hyph_hi_IN.dic"


def _misplaced_breaks(word: str, points) -> list[int]:
    """Break points that would put a sign at the start of a line or split a conjunct."""
    return [
        p for p in points
        if unicodedata.category(word[p]) in ("Mn", "Mc")  # matra, anusvara, candrabindu, nukta, virama
        or word[p - 1] in (VIRAMA, ZWJ)  # inside a conjunct (half form or explicit joiner)
    ]


def test_hindi_resolves_to_the_shipped_patterns_and_marathi_to_pyphens():
    assert pattern_language("hi") == pattern_language("hi-IN") == pattern_language("hi_IN") == "hi"
    assert pattern_language("mr") == "mr"
    with resources.as_file(_shipped_file()) as path:
        assert _dictionary("hi").hd is pyphen.hdcache[Path(path)]
    assert _dictionary("mr").hd is pyphen.hdcache[pyphen.LANGUAGES["mr"]]
    assert _dictionary("hi").hd is not _dictionary("mr").hd


def test_hindi_and_marathi_patterns_break_differently():
    # hyph-hi breaks after an independent vowel but not before it; pyphen's hyph_mr_IN breaks on
    # both sides. Both words are from the sample edition's Hindi articles.
    assert pattern_points("रामअवतार", "hi") == (2, 4, 5)  # रा-मअ-व-तार
    assert pattern_points("रामअवतार", "mr") == (2, 3, 4, 5)  # रा-म-अ-व-तार
    assert pattern_points("एसएमएस", "hi") == (3,)  # एसए-मएस
    assert pattern_points("एसएमएस", "mr") == (2, 3)  # एस-ए-मएस


@pytest.mark.parametrize(
    "word, expected",
    [
        ("प्रधानमंत्रियों", (3, 5, 6, 8, 12)),  # प्र-धा-न-मं-त्रि-यों: conjuncts whole, anusvara kept
        ("ज़िम्मेदारियाँ", (3, 7, 9, 11)),  # ज़ि-म्मे-दा-रि-याँ: nukta and candrabindu stay on
        ("डॉक्टरों", (2, 5)),  # डॉ-क्ट-रों: candra o (not in the patterns) is not split off
        ("पहुँचाया", (4,)),  # पहुँ-चाया
        ("सर्वश्रेष्ठ", (4, 8)),  # सर्व-श्रे-ष्ठ: reph and the conjuncts whole
        ("पड़ोसियों", (4, 6)),  # पड़ो-सि-यों
    ],
)
def test_hindi_patterns_break_between_aksharas(word, expected):
    points = pattern_points(word, "hi")
    assert points == expected
    assert _misplaced_breaks(word, points) == []
    assert _misplaced_breaks(word, hyphenation_points(word, "hi")) == []


@pytest.mark.parametrize("language", ["hi", "mr"])
@pytest.mark.parametrize(
    "word, expected",
    [
        # A Hindi desk's audit of the sample sent back one akshara left on a line ("कि-नारे", "हो-गा।",
        # "जा-एगी।"), two-akshara words split ("स्वा-स्थ्य", "मं-त्री"), a reph starting a line
        # ("विद्या-र्थियों", "नि-र्णय"), and a dropped schwa starting one ("ढला-नदार", "पाइ-पलाइन").
        ("किनारे", ()), ("होगा।", ()), ("जाएगी।", ()), ("स्वास्थ्य", ()), ("मंत्री", ()), ("निर्णय", ()),
        ("विद्यार्थियों", ()),
        ("ढलानदार", (4,)),  # ढलान-दार
        ("पाइपलाइन", (4,)),  # पाइप-लाइन
        ("प्रधानमंत्रियों", (6, 8)),  # प्रधान-मंत्रियों, प्रधानमं-त्रियों
        ("परियोजना", (3,)),  # परि-योजना (योजना is spoken "yoj-naa")
    ],
)
def test_a_break_leaves_two_aksharas_each_side_and_no_reph_or_silent_consonant_first(word, expected, language):
    assert hyphenation_points(word, language) == expected
    starts = akshara_starts(word.rstrip("।"))
    for point in expected:
        assert sum(s < point for s in starts) >= 2 and sum(s >= point for s in starts) >= 2


def test_aksharas_are_counted_by_syllable_not_code_point():
    assert akshara_starts("स्वास्थ्य") == (0, 4)  # स्वा · स्थ्य
    assert akshara_starts("ज़िम्मेदारियाँ") == (0, 3, 7, 9, 11)  # ज़ि · म्मे · दा · रि · याँ
    assert akshara_starts("रामअवतार") == (0, 2, 3, 4, 5, 7)  # रा · म · अ · व · ता · र


def test_sample_edition_hindi_words_never_break_before_a_sign_or_inside_a_conjunct():
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "sample-edition" / "articles").glob("hi-*")))
    words = {w for w in DEVANAGARI_WORD.findall(unicodedata.normalize("NFC", text)) if len(w) >= 5}
    assert len(words) > 200, "the sample edition should have Hindi articles"
    broken = 0
    for word in sorted(words):
        points = hyphenation_points(word, "hi")
        assert _misplaced_breaks(word, points) == [], f"{word}: {points}"
        broken += bool(points)
    # The patterns are in use, not silently missing: a quarter of the words of five letters or more
    # have four aksharas or more and a break that leaves two on each side (277 of 1,038).
    assert broken > len(words) // 5


def test_misplaced_break_check_catches_bad_points():
    # The check used above is not vacuous: break points a pattern set without 2्2 / 2ं1 would give.
    assert _misplaced_breaks("प्रधानमंत्रियों", (2,)) == [2]  # प्-रधान…: after a virama
    assert _misplaced_breaks("प्रधानमंत्रियों", (7,)) == [7]  # …म-ंत्रियों: before an anusvara
    assert _misplaced_breaks("ज़िम्मेदारियाँ", (1,)) == [1]  # ज-़िम्मे…: before the nukta


def test_pattern_file_is_package_data():
    dic = _shipped_file()
    assert dic.is_file()
    lines = dic.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "UTF-8"
    patterns = [ln for ln in lines[1:] if ln and not ln.startswith(("%", "LEFTHYPHENMIN", "RIGHTHYPHENMIN"))]
    assert len(patterns) == 70 and "2\u094d2" in patterns and "2\u0902" + "1" in patterns
    licence = (resources.files("epaper.typeset") / "patterns" / "LICENSE-hyph_hi.txt").read_text(encoding="utf-8")
    assert "Santhosh Thottingal" in licence and "Permission is hereby granted, free of charge" in licence
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "epaper.typeset.patterns" in config["packages"]  # a data folder is declared as a package
    globs = config["package-data"]["epaper.typeset.patterns"]
    shipped = {p.name for p in (REPO / "epaper" / "typeset" / "patterns").iterdir() if p.is_file()}
    matched = {p.name for g in globs for p in (REPO / "epaper" / "typeset" / "patterns").glob(g) if p.is_file()}
    assert {"hyph_hi_IN.dic", "LICENSE-hyph_hi.txt"} <= shipped <= matched


def test_plain_install_finds_the_hindi_patterns(tmp_path):
    """Build the package as a non-editable install lays it out (setuptools' build_py into a
    folder), then hyphenate Hindi from that folder in a fresh interpreter."""
    pytest.importorskip("setuptools")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    src = tmp_path / "src"
    src.mkdir()
    for name in ["pyproject.toml", "README.md"]:
        shutil.copy(REPO / name, src / name)
    for folder in {d.split("/")[0] for d in config["package-dir"].values()}:
        shutil.copytree(REPO / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (src / "setup.py").write_text("from setuptools import setup\nsetup()\n", encoding="utf-8")
    lib = tmp_path / "lib"
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "-d", str(lib)], cwd=src, check=True,
                   capture_output=True)
    assert (lib / "epaper" / "typeset" / "patterns" / "hyph_hi_IN.dic").is_file()
    probe = (
        "import epaper, pyphen\n"
        "from epaper.typeset.hyphenate import hyphenation_points\n"
        "print(epaper.__file__)\n"
        "print(hyphenation_points('रामअवतार', 'hi'))\n"
        "print(*[str(p) for p in pyphen.hdcache])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(lib)}
    out = subprocess.run([sys.executable, "-c", probe], cwd=lib, env=env, check=True, capture_output=True,
                         text=True).stdout.splitlines()
    assert Path(out[0]).is_relative_to(lib)  # the built copy, not the source tree
    assert out[1] == "(5,)"  # रामअव-तार
    assert str(lib / "epaper" / "typeset" / "patterns" / "hyph_hi_IN.dic") in out[2].split()
