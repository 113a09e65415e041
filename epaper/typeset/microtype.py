"""Microtypography: letter spacing and glyph expansion as extra stretch and shrink for justification.

Narrow newspaper columns have about five word spaces a line; justified by those alone, many lines
open holes between words. Newspapers let the letters take part: InDesign's newspaper settings allow
letter spacing of a few percent and glyph scaling of 98–102 %, and pdfTeX's font expansion adds the
same to Knuth–Plass. Here both become stretch and shrink of the word boxes (:class:`Box`), so the
breaker chooses breaks knowing what the letters can absorb, and each justified line is then set so
that its word spaces come as close to natural as the limits allow: the letters absorb the slack
first (one factor ``m`` in [-1, 1] scales glyphs and letter spacing together), the spaces the rest.

Latin takes letter spacing and glyph scaling. Devanagari takes glyph scaling only: its letters hang
from one headline bar (shirorekha) that letter spacing would cut, and spacing the glyphs of a
syllable would pull its marks off their bases. Scaling a whole shaped run (PDF ``Tz``) keeps every
cluster whole and in order.

The PDF draws a line as set: each word is a text run with a horizontal scale (``Tz``) and a character
spacing (``Tc``); text extraction is untouched, since neither changes the drawn codes.
"""

from __future__ import annotations

from typing import NamedTuple

from epaper.formats import NO_MICROTYPE, Microtype

__all__ = ["NO_MICROTYPE", "LineFit", "Microtype", "fit_line"]




class LineFit(NamedTuple):
    """How one justified line is set: ``m`` for the letters (see :class:`Microtype`), ``ratio`` for
    the word spaces (0 natural, 1 fully stretched, -1 fully shrunk)."""

    m: float
    ratio: float


def fit_line(slack: float, letters_grow: float, letters_shrink: float, glue_stretch: float,
             glue_shrink: float) -> LineFit:
    """Share ``slack`` (measure minus natural width; negative: too wide) between the letters and
    the word spaces: the letters first, within their limits, so the spaces stay nearest natural."""
    if slack >= 0:
        if slack <= letters_grow:
            return LineFit(slack / letters_grow if letters_grow > 0 else 0.0, 0.0)
        rest = slack - letters_grow
        return LineFit(1.0 if letters_grow > 0 else 0.0, rest / glue_stretch if glue_stretch > 0 else 0.0)
    excess = -slack
    if excess <= letters_shrink:
        return LineFit(-excess / letters_shrink, 0.0)
    rest = excess - letters_shrink
    return LineFit(-1.0 if letters_shrink > 0 else 0.0, -rest / glue_shrink if glue_shrink > 0 else 0.0)
