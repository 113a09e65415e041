"""A headline does not leave one word alone on its last line ("Ferry strike ends as crews accept
11% pay / deal"): it is set at the narrowest measure that keeps its number of lines, its lines
evened out, in a module as wide as before."""

from __future__ import annotations

from pathlib import Path

from epaper.formats import load_format
from epaper.frame import TextRun
from epaper.layout.module import design_module
from epaper.model import Article, Paragraph, Run
from epaper.typeset import set_plain

HEADLINE = "Ferry strike ends as crews accept 11% pay deal"


def _story(headline: str) -> Article:
    return Article("ferry", "City", headline, (Paragraph((Run("Words. " * 40),)),), Path("ferry.json"), priority=2)


def test_a_headline_with_one_word_left_over_is_evened_out():
    fmt = load_format("broadsheet")
    # A width where the headline set plainly leaves "deal" alone (found, not assumed).
    for cols in range(1, fmt.columns + 1):
        design = design_module(_story(HEADLINE), cols, fmt)
        plain = set_plain(HEADLINE, fmt.tiers[design.header.tier].style(design.header.headline_size),
                          fmt.span_width(cols), "en")
        if len(plain) >= 2 and plain.lines[-1].text == "deal":
            break
    else:
        raise AssertionError("no width leaves 'deal' alone: pick another headline")
    headline = design.header.headline
    assert len(headline) == len(plain)  # as many lines: the module is as deep
    assert len(headline.lines[-1].text.split()) >= 2
    assert headline.width == fmt.span_width(cols)  # as wide
    assert " ".join(line.text for line in headline.lines) == HEADLINE  # every word, in order
    # A headline whose last line holds more than one word is set as it was.
    other = "Ferry strike ends"
    same = design_module(_story(other), cols, fmt).header.headline
    assert [line.text for line in same.lines] == [line.text for line in set_plain(
        other, fmt.tiers[design.header.tier].style(design.header.headline_size), fmt.span_width(cols), "en").lines]


def test_the_samples_headlines_rarely_leave_a_word_alone(sample_layout):
    """Drawn: of the sample's ~130 headlines, 23 ended in one word before; those left cannot be
    evened out at a narrower measure without another line (a word too long, a one-column module)."""
    alone = []
    for page in sample_layout.pages:
        lines: dict[str, dict[float, list[str]]] = {}
        for run in page.items_of(TextRun):
            if run.source.role == "headline":
                lines.setdefault(run.source.article_id, {}).setdefault(round(run.baseline, 1), []).append(run.text)
        for article_id, by_line in lines.items():
            last = by_line[max(by_line)] if len(by_line) > 1 else []
            if len(" ".join(last).split()) == 1:
                alone.append(article_id)
    assert len(alone) <= 8, alone
