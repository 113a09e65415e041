"""Typesetting: text in, measured lines out. Layout asks "how many lines at this width?" here.

:func:`set_text` sets body copy (justified, hyphenated, indented paragraphs, crossheads);
:func:`set_plain` sets one-style text such as headlines, decks and captions (ragged right). Both are
cached, because layout measures every article at every candidate width.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, lru_cache

from epaper.formats import TypeStyle
from epaper.model import Paragraph, Run
from epaper.model.scripts import is_devanagari
from epaper.pickled import KeptPickled
from epaper.typeset.emergency_breaks import fit_to_measure
from epaper.typeset.fonts import font_book, script_of
from epaper.typeset.items import BreakResult, LineBreaker, constant_width
from epaper.typeset.knuth_plass import DEFAULT_PARAMS, PreparedParagraph, break_into, break_lines
from epaper.typeset.paragraph import LineSegment, SetLine, build_items, set_lines, story_names
from epaper.typeset.ties import broken_ties, tied

__all__ = ["LOOSENESS_MAX_LINES", "BodySpec", "LineSegment", "SetLine", "TextBlock", "adopt_bodies", "bold_lead",
           "breaker", "clear_caches", "font_book", "rebreak", "script_of", "set_body",
           "broken_ties_of", "set_plain", "set_text"]

DEFAULT_BREAKER = "knuth-plass"


def breaker(name: str) -> LineBreaker:
    """The line breaker called ``name``: "knuth-plass" (total fit, the default) or "greedy" (first fit)."""
    if name == "greedy":
        from epaper.typeset import greedy

        return greedy.break_lines
    if name == "knuth-plass":
        from epaper.typeset import knuth_plass

        return knuth_plass.break_lines
    raise ValueError(f"unknown line breaker {name!r}: use 'knuth-plass' or 'greedy'")


@dataclass(frozen=True)
class TextBlock(KeptPickled):
    """Set lines of one block of text at one width. Heights are in whole lines of ``leading``."""

    pickled_field = "lines"  # see __getstate__

    lines: tuple[SetLine, ...]
    width: float
    total_demerits: float = 0.0
    spec: BodySpec | None = field(default=None, compare=False, repr=False)  # body text: how to set it again

    @property
    def height(self) -> float:
        return sum(line.leading for line in self.lines)

    def __len__(self) -> int:
        counted = self.__dict__.get("_line_count")
        return counted if counted is not None else len(self.lines)

    # A block comes out of a pickle (a section's plans in the build cache, a worker's planned
    # section) with its lines still pickled, read the first time something asks for them
    # (epaper.pickled): a replate reads every section it does not plan again from the cache, and
    # draws none of their stories (its other pages are read whole), so their thousands of set lines
    # were unpickled for nothing (about 10 ms a section). How many lines there are comes beside them.
    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["_line_count"] = len(self)
        return state


def _break(items: PreparedParagraph, width: float, breaker_name: str) -> BreakResult:
    # Knuth–Plass takes the prepared paragraph (its breaks and sums are computed once for every
    # width); the greedy breakers walk the plain item tuple.
    return breaker(breaker_name)(items if breaker_name == "knuth-plass" else items.items, constant_width(width))


def clear_caches() -> None:
    """Empty every typesetting cache (set blocks, paragraph items, measured and shaped words,
    hyphenation): the next calls start cold, as in a fresh process with its fonts loaded."""
    from epaper.typeset import fonts, hyphenate, paragraph

    set_body.cache_clear()
    _ADOPTED.clear()
    set_plain.cache_clear()
    paragraph_items.cache_clear()
    paragraph.clear_caches()
    fonts._shape.cache_clear()
    hyphenate.hyphenation_points.cache_clear()
    hyphenate.name_points.cache_clear()


NOUNS_CAPITALISED = frozenset({"de", "lb"})  # German, Luxembourgish: a capital mid-sentence is no name


@lru_cache(maxsize=20_000)
def paragraph_items(runs: tuple[Run, ...], style: TypeStyle, language: str, indent: float, justify: bool,
                    hyphenate: bool, names: frozenset[str] = frozenset(), ties: bool = False
                    ) -> PreparedParagraph:
    """The item list of one paragraph, built once: items do not depend on the width, and layout
    sets every article at several widths. ``names``: the story's (see :func:`story_names`);
    ``ties``: see :func:`~epaper.typeset.paragraph.build_items`."""
    return PreparedParagraph(build_items(runs, style, language, font_book(), indent=indent, justify=justify,
                                         hyphenate=hyphenate, names=names, ties=ties))


@dataclass(frozen=True)
class BodySpec:
    """What set_text was asked, kept so one paragraph can be set again (see :func:`rebreak`); equal
    specs give equal bodies (the build's memo of set bodies is keyed by :attr:`inputs`)."""

    paragraphs: tuple[Paragraph, ...]
    body: TypeStyle
    subhead: TypeStyle
    width: float
    language: str
    lead_in: tuple[Run, ...]
    lead_words: int
    breaker_name: str
    _items: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    # (paragraph, looseness, line that must not end in a hyphen) -> re-set lines or None
    _rebroken: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def inputs(self) -> tuple:
        """What the body is set from: every field but the caches."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)

    def __getstate__(self) -> dict:
        # Pickled (a layout memo, a worker's planned section) without its caches, which are made
        # again when a paragraph is set again: they were three quarters of a section memo's bytes
        # and of the time to read it back.
        return {**self.__dict__, "_items": {}, "_rebroken": {}}

    @cached_property
    def _names(self) -> frozenset[str]:
        """Words the story uses as names (a name starting a sentence is hyphenated as one): from
        its text paragraphs (a crosshead may be in title case), and none in a language that
        capitalises its nouns."""
        if self.language.split("-")[0].lower() in NOUNS_CAPITALISED:
            return frozenset()
        return story_names(paragraph.text for paragraph in self.paragraphs if paragraph.kind != "subhead")

    def items(self, index: int) -> tuple[PreparedParagraph, bool]:
        cached = self._items.get(index)
        if cached is None:
            cached = self._items[index] = self._build(index)
        return cached

    def _build(self, index: int) -> tuple[PreparedParagraph, bool]:
        paragraph = self.paragraphs[index]
        is_subhead = paragraph.kind == "subhead"
        style = self.subhead if is_subhead else self.body
        runs = paragraph.runs
        if index == 0 and self.lead_words and not is_subhead:
            runs = bold_lead(runs, self.lead_words)
        if index == 0 and self.lead_in:
            runs = self.lead_in + runs
        justify = style.align == "justify" and not is_subhead
        indent_first = index > 0 and self.paragraphs[index - 1].kind != "subhead"
        text = "".join(run.text for run in runs)
        names = frozenset(name for name in self._names if name in text)  # the paragraph's: its items' key
        items = paragraph_items(tuple(runs), style, self.language, style.indent if indent_first else 0.0, justify,
                                style.hyphenate and not is_subhead, names)
        return fit_to_measure(items, self.width, self.language, font_book()), justify

    def set(self, index: int, result: BreakResult) -> list[SetLine]:
        items, justify = self.items(index)
        # Body and crossheads share the body leading so every line stays on the baseline grid.
        lines = set_lines(items.items, result, [self.width], paragraph=index, leading=self.body.leading,
                          justify=justify, book=font_book(), micro=self.body.microtype)
        if self.paragraphs[index].kind == "subhead":
            return [replace(line, heading=True) for line in lines]
        return lines


def set_text(
    paragraphs: tuple[Paragraph, ...],
    body: TypeStyle,
    subhead: TypeStyle,
    width: float,
    language: str,
    *,
    lead_in: tuple[Run, ...] = (),
    lead_words: int = 0,
    breaker_name: str = DEFAULT_BREAKER,
) -> TextBlock:
    """Set an article body: first paragraph and those after a crosshead are not indented.

    ``lead_in``: runs set before the first paragraph (a bold dateline). ``lead_words``: the first
    that many words of the first paragraph are set bold (a lead story's lead-in); they are measured
    in the bold face like any other run, so line counts stay exact.
    """
    return set_body(BodySpec(paragraphs, body, subhead, width, language, lead_in, lead_words, breaker_name))


# Bodies set before, handed over by :func:`adopt_bodies` (read back from the build's memo).
_ADOPTED: dict[BodySpec, TextBlock] = {}


def adopt_bodies(blocks: Iterable[TextBlock]) -> None:
    """Take bodies set before (by another process, another build) as set: :func:`set_text` returns
    them for what they were set from instead of setting them again."""
    for block in blocks:
        if block.spec is not None:
            _ADOPTED[block.spec] = block


@lru_cache(maxsize=50_000)
def set_body(spec: BodySpec) -> TextBlock:
    """The body ``spec`` asks for (see :func:`set_text`), set or adopted."""
    adopted = _ADOPTED.pop(spec, None)  # from now on in the cache above (a long night adopts many)
    if adopted is not None:
        return adopted
    lines: list[SetLine] = []
    demerits = 0.0
    for index in range(len(spec.paragraphs)):
        items, _ = spec.items(index)
        result = _break(items, spec.width, spec.breaker_name)
        demerits += result.total_demerits
        lines += spec.set(index, result)
    return TextBlock(lines=tuple(lines), width=spec.width, total_demerits=demerits, spec=spec)


def rebreak(block: TextBlock, line: int, *, looseness: int = 0) -> TextBlock | None:
    """``block`` with the paragraph of line ``line`` set again by Knuth–Plass: with ``looseness`` 0
    so that this line does not end in a hyphen (same number of lines), otherwise with exactly
    ``looseness`` lines more (or fewer). None if that is impossible or ``block`` is not body text.
    Layout uses it at column breaks (no hyphen at a column foot, no widow or orphan)."""
    spec = block.spec
    if spec is None or not 0 <= line < len(block.lines):
        return None
    paragraph = block.lines[line].paragraph
    first = next(i for i, ln in enumerate(block.lines) if ln.paragraph == paragraph)
    count = sum(1 for ln in block.lines if ln.paragraph == paragraph)
    key = (paragraph, looseness, None if looseness else line - first)
    if key not in spec._rebroken:  # a costly search (every line count is kept apart): done once
        spec._rebroken[key] = _reset_paragraph(spec, paragraph, count, looseness, line - first)
    new = spec._rebroken[key]
    if new is None:
        return None
    lines = block.lines[:first] + new + block.lines[first + count:]
    return replace(block, lines=lines)


# Setting a paragraph a line longer or shorter keeps line counts apart in the search: its cost grows
# with length, and a long paragraph has other ways out (its neighbours), so it is not tried.
LOOSENESS_MAX_LINES = 14
# ... and only within the normal tolerance: a line more or fewer is wanted to clear a widow or fill a
# row, never at the price of the emergency pass's very loose lines (layout refuses those anyway), and
# that pass was three quarters of the time re-setting took.
_LOOSENESS_PARAMS = replace(DEFAULT_PARAMS, emergency_tolerance=DEFAULT_PARAMS.tolerance, emergency_stretch=0.0)


def _reset_paragraph(spec: BodySpec, paragraph: int, count: int, looseness: int,
                     avoid_line: int) -> tuple[SetLine, ...] | None:
    if looseness and count > LOOSENESS_MAX_LINES:
        return None
    items, _ = spec.items(paragraph)
    if looseness:
        result = break_into(items, spec.width, count + looseness, params=_LOOSENESS_PARAMS)
    else:
        result = break_lines(items, constant_width(spec.width), avoid_hyphen_lines=(avoid_line,))
        if result.line_count != count and count <= LOOSENESS_MAX_LINES:
            # The best way round the hyphen takes a line more or fewer: the best one that keeps the count.
            result = break_into(items, spec.width, count, avoid_hyphen_lines=(avoid_line,)) or result
    if result is None or result.line_count != count + looseness or result.overfull_lines:
        return None
    if not looseness and result.breaks[avoid_line].hyphenated:
        return None
    return tuple(spec.set(paragraph, result))


@lru_cache(maxsize=20_000)
def set_plain(text: str, style: TypeStyle, width: float, language: str, *, breaker_name: str = DEFAULT_BREAKER) -> TextBlock:
    """Set one-style ragged text (headline, deck, caption, byline); upper-cased if the style says so."""
    book = font_book()
    if style.upper:
        text = text.upper()
    items = fit_to_measure(paragraph_items((Run(text),), style, language, 0.0, False, False), width, language, book)
    result = _break(items, width, breaker_name)
    # Words read as one kept on one line ("Council approves / $412 million seawall", not "$412 /
    # million"; epaper.typeset.ties), where that takes no more lines: the block is as deep either way.
    # (Knuth–Plass only: first fit takes the first break that fits, whatever it costs.)
    if breaker_name == DEFAULT_BREAKER and any(tied(a, b) for a, b in itertools.pairwise(text.split())):
        tied_items = fit_to_measure(paragraph_items((Run(text),), style, language, 0.0, False, False, ties=True),
                                    width, language, book)
        # Exactly as many lines: Knuth–Plass's best of any count would rather add one.
        tied_result = break_into(tied_items, width, len(result.breaks))
        if tied_result is not None and tied_result.emergency <= result.emergency:
            items, result = tied_items, tied_result
    lines = set_lines(items.items, result, [width], paragraph=0, leading=plain_leading(text, style), justify=False,
                      book=book)
    if style.align == "right":
        lines = [_align_right(line) for line in lines]
    return TextBlock(lines=tuple(lines), width=width, total_demerits=result.total_demerits)


def broken_ties_of(block: TextBlock) -> int:
    """How many ties between words (:mod:`epaper.typeset.ties`) the lines of ``block`` break."""
    return broken_ties([line.text for line in block.lines])


# Devanagari's signs reach far above and below its letters: in the headline face a vowel sign above
# (ो, ि) tops out 0.90 em over the baseline and one below (ु, ृ) 0.28 em under it, 1.18 em in all.
# Display type led as tight as Latin headlines (1.04) ran the ु of "समुद्र" into the ो of "करोड़"
# on the next line (a Hindi desk's audit of the sample). Lines with Devanagari are led at least this.
DEVANAGARI_MIN_LEADING = 1.2  # × the type size


def plain_leading(text: str, style: TypeStyle) -> float:
    """The leading ``text`` is set at in ``style`` by :func:`set_plain`: the style's, or for text
    with Devanagari in it at least :data:`DEVANAGARI_MIN_LEADING` times the size."""
    if style.leading < DEVANAGARI_MIN_LEADING * style.size and any(is_devanagari(ch) for ch in text):
        return round(DEVANAGARI_MIN_LEADING * style.size, 2)
    return style.leading


_WORD_GAP = re.compile(r"[ \t\n\r\u2009\u200a]+")


def bold_lead(runs: Sequence[Run], words: int) -> tuple[Run, ...]:
    """``runs`` with their first ``words`` words made bold (italic kept); the space after the last
    bold word stays in the regular run, so only words change face."""
    out: list[Run] = []
    left = words
    for run in runs:
        if left <= 0 or run.bold:
            if run.bold and left > 0:
                left -= len(run.text.split())
            out.append(run)
            continue
        cut = None
        seen = 0
        pos = 0
        for gap in _WORD_GAP.finditer(run.text):
            if gap.start() > pos:
                seen += 1
                if seen == left:
                    cut = gap.start()
                    break
            pos = gap.end()
        if cut is None:  # the run ends inside the lead-in
            left -= seen + (1 if pos < len(run.text) else 0)
            out.append(replace(run, bold=True))
            continue
        out.append(replace(run, text=run.text[:cut], bold=True))
        out.append(replace(run, text=run.text[cut:]))
        left = 0
    return tuple(out)


def _align_right(line: SetLine) -> SetLine:
    shift = line.width - line.natural_width
    segments = tuple(s._replace(x=s.x + shift) for s in line.segments)
    return replace(line, segments=segments)
