"""From a paragraph's styled runs to boxes, glue and penalties, and from chosen breaks to set lines.

This is where text meets metrics: every word is measured (Latin from the font's advances, Devanagari
from HarfBuzz's shaped advances), hyphenation points become flagged penalties, and after a breaker
has chosen the breaks each line is set: its words get x positions and justified spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple, cast

from epaper.formats import NO_MICROTYPE, Microtype, TypeStyle
from epaper.frame import Glyph
from epaper.model import Run
from epaper.model.scripts import letter_script, script_of_language
from epaper.typeset.fonts import FontBook, script_of
from epaper.typeset.hyphenate import hyphenation_points, name_core, name_points
from epaper.typeset.items import INFINITE_PENALTY, Box, BreakResult, Glue, Item, Penalty
from epaper.typeset.microtype import fit_line
from epaper.typeset.ties import TIE_PENALTY, tied

__all__ = ["Fragment", "LineSegment", "SetLine", "build_items", "fragments_of", "set_lines", "story_names"]

# Measured on the sample edition at 136 pt (bench/bench_typeset.py): 100 rather than TeX's 50 cuts
# hyphenated lines by about a tenth with no more loose lines.
HYPHEN_PENALTY = 100
# A name broken: only where the line would otherwise be very loose (a line's demerits pass this
# one's square at an adjustment ratio of about 1.4, over half as wide again as its natural spaces).
NAME_HYPHEN_PENALTY = 300
EXPLICIT_HYPHEN_PENALTY = 50
# Word space glue, as fractions of the face's space: spaces may widen by 60% at ratio 1 and narrow
# to 60% of natural at most. TeX's fonts use 1/2 and 1/3; narrow newspaper columns (about five
# spaces a line) need the extra shrink: measured at 136 pt, shrink 0.3 left about 6% more lines
# stretched past half their stretchability than 0.4, for Knuth–Plass and greedy alike.
SPACE_STRETCH = 0.6
SPACE_SHRINK = 0.4
_AFTER_HYPHEN = Penalty(0, EXPLICIT_HYPHEN_PENALTY, flagged=True)
_AFTER_DASH = Penalty(0, EXPLICIT_HYPHEN_PENALTY, flagged=False)
# Finishing glue: lets the last line of a paragraph sit at natural width (TeX's \parfillskip).
FINISHING_STRETCH = 100_000.0

_TIE = Penalty(0, TIE_PENALTY)
# Ordinary spaces separate words; NBSP (U+00A0) and narrow NBSP (U+202F) stay inside them.
_SPACE = re.compile(r"[ \t\n\r\u2009\u200a]+")
# A word ending like this ends a sentence (closing quotes and brackets may follow the stop).
_SENTENCE_END = re.compile(r"[.!?\u0964\u0965][\"'\u2019\u201d)\]]*$")
# A word opening with one of these may begin a quoted (or bracketed) sentence of its own.
_OPENING_QUOTES = ("\"", "'", "\u201c", "\u2018", "\u201e", "\u00ab", "\u00bb", "(")
# Break opportunities inside a word: after a hard hyphen, after an em/en dash, after a slash in URLs.
_INNER_BREAK = re.compile(r"(?<=[\-\u2014\u2013/])(?=[^\s\-\u2014\u2013/])")


class Fragment(NamedTuple):
    """Part of a word in one face: what a box carries so the line can be drawn later. (A named
    tuple rather than a frozen dataclass: one is made for every word each time a paragraph is set,
    and a tuple is several times cheaper to make.)"""

    text: str
    face: str
    size: float
    width: float
    start: int  # offset of the fragment in the paragraph's text
    glyphs: tuple[Glyph, ...] | None = None


def fragments_of(box: Box) -> tuple[Fragment, ...]:
    """The fragments :func:`build_items` put in a box's payload (none for an indent box). The
    breakers keep payloads opaque (``object``); this is the one place that knows what they hold."""
    return cast("tuple[Fragment, ...]", box.payload or ())


class LineSegment(NamedTuple):
    """A run of text on a set line, ``x`` from the line's left edge. (A named tuple, like
    :class:`Fragment`: one is made for every word of every set line.)"""

    x: float
    text: str
    face: str
    size: float
    width: float
    start: int
    end: int
    glyphs: tuple[Glyph, ...] | None = None
    scale: float = 1.0  # horizontal glyph scale (microtypography); ``width`` is as drawn
    char_space: float = 0.0  # PDF's Tc: added after each character, before ``scale`` applies


@dataclass(frozen=True)
class SetLine:
    segments: tuple[LineSegment, ...]
    width: float  # the measure the line was set to
    natural_width: float
    ratio: float  # adjustment ratio of its spaces (0 natural, >0 stretched, <0 shrunk)
    hyphenated: bool
    paragraph: int
    first_of_paragraph: bool
    last_of_paragraph: bool
    leading: float
    justified: bool
    letters: float = 0.0  # how far the letters were spaced and scaled: -1 (tightest) … 1 (loosest)
    heading: bool = False  # a line of a crosshead: never the last line of a column (epaper.layout.columns)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments).strip()


def _face_name(style_face: str, run: Run) -> str:
    """The Latin face for a run: the style's face, switched to its bold/italic sibling."""
    base = style_face.split("-")[0]
    if base not in ("serif", "sans", "headline"):
        return style_face
    suffix = {(True, True): "-bold-italic", (True, False): "-bold", (False, True): "-italic"}.get(
        (run.bold, run.italic), "")
    if base == "headline":
        return "headline-italic" if run.italic else "headline"
    if base == "sans" and suffix == "-bold-italic":
        suffix = "-bold"
    return base + suffix if (run.bold or run.italic) else style_face


def default_script(language: str) -> str:
    """The script a paragraph in ``language`` is set in: what script-neutral words (digits and
    punctuation standing alone) take, as a Hindi paper sets them."""
    return script_of_language(language)


@lru_cache(maxsize=100_000)
def script_runs(book: FontBook, face_name: str, text: str, default: str) -> tuple[tuple[str, int, int], ...]:
    """``text`` cut into runs that one face each can set: (face name, start, end).

    Letters go to the face for their script (``face_name`` for Latin, its Devanagari sibling for
    Devanagari). Digits and punctuation stay with the script of the letters before them (after
    them at the start of a word; ``default`` in a word of none), if that face has them; a character
    the script's face lacks goes to the other script's face if that one has it. Combining marks
    and joiners always stay with the character before them, so a syllable is never cut."""
    if text.isascii() and default == "Latn":  # the common case, answered without a scan
        return ((book.face_for(face_name, "Latn").name, 0, len(text)),)
    scripts = [letter_script(ch) for ch in text]
    strong = next((sc for sc in scripts if sc is not None), default)
    resolved = []
    for sc in scripts:
        if sc is not None:
            strong = sc
        resolved.append(strong)
    faces = {sc: book.face_for(face_name, sc) for sc in ("Latn", "Deva")}
    runs: list[list] = []
    for index, (ch, sc) in enumerate(zip(text, resolved)):
        category = unicodedata.category(ch)
        if runs and (category[0] == "M" or category == "Cf"):
            runs[-1][2] = index + 1
            continue
        face = faces[sc]
        if not face.covers(ch):
            other = faces["Deva" if sc == "Latn" else "Latn"]
            if other.covers(ch):
                face = other
        if runs and runs[-1][0] == face.name:
            runs[-1][2] = index + 1
        else:
            runs.append([face.name, index, index + 1])
    return tuple((name, start, end) for name, start, end in runs)


@lru_cache(maxsize=200_000)  # news copy repeats its words: measure (and shape) each once
def _measure(book: FontBook, face_name: str, text: str, size: float,
             default: str = "Latn") -> tuple[tuple[str, int, str, float, tuple[Glyph, ...] | None], ...]:
    """The pieces of ``text`` by face (see :func:`script_runs`): (face, offset, text, width, glyphs).
    Runs with Devanagari are shaped by HarfBuzz (glyphs set); Latin runs are measured from the
    font's advances, which is also how ReportLab draws them."""
    pieces: list[tuple[str, int, str, float, tuple[Glyph, ...] | None]] = []
    for name, start, end in script_runs(book, face_name, text, default):
        face = book.face(name)
        part = text[start:end]
        if script_of(part) == "Latn":
            pieces.append((name, start, part, face.width(part, size), None))
        else:
            shaped = face.shape(part, size)
            pieces.append((name, start, part, shaped.width, shaped.glyphs))
    return tuple(pieces)


def _words(runs: Sequence[Run]) -> list[list[tuple[Run, str, int]]]:
    """Split styled runs into words; a word is a list of (run, text, start offset) pieces."""
    words: list[list[tuple[Run, str, int]]] = []
    current: list[tuple[Run, str, int]] = []
    offset = 0
    for run in runs:
        pos = 0
        for match in _SPACE.finditer(run.text):
            if match.start() > pos:
                current.append((run, run.text[pos:match.start()], offset + pos))
            if current:
                words.append(current)
                current = []
            pos = match.end()
        if pos < len(run.text):
            current.append((run, run.text[pos:], offset + pos))
        offset += len(run.text)
    if current:
        words.append(current)
    return words


def story_names(texts: Iterable[str]) -> frozenset[str]:
    """The words a story's ``texts`` (its paragraphs) use as names: capitalised where no sentence
    starts (:func:`~epaper.typeset.hyphenate.name_core`). Only where a sentence starts can a name
    not be told from an ordinary word by its capital; the story's other uses of it tell."""
    found = set()
    for text in texts:
        words = _SPACE.split(text)
        for before, word in zip(["."] + words, words):
            # A quotation or what follows a colon may begin a sentence of its own: no evidence.
            if before and not _SENTENCE_END.search(before) and not before.endswith(":") \
                    and not word.startswith(_OPENING_QUOTES):
                core = name_core(word)
                if core is not None:
                    found.add(core)
    return frozenset(found)


def build_items(
    runs: Sequence[Run],
    style: TypeStyle,
    language: str,
    book: FontBook,
    *,
    indent: float = 0.0,
    justify: bool = True,
    hyphenate: bool = True,
    names: frozenset[str] = frozenset(),
    ties: bool = False,
) -> list[Item]:
    """The Knuth–Plass item list of one paragraph. Boxes carry a tuple of :class:`Fragment`.
    ``names``: words the story uses as names (:func:`story_names`); one that starts a sentence is
    hyphenated as a name, not as an ordinary word capitalised there. ``ties``: a break between
    two words read as one (:mod:`epaper.typeset.ties`) costs :data:`~epaper.typeset.ties.TIE_PENALTY`."""
    size = style.size
    script = default_script(language)
    ((_, _, _, space_width, _),) = _measure(book, style.face, " ", size, script)
    items: list[Item] = []
    if indent:
        items.append(Box(indent, ()))
    # Ragged text gets a large stretch so lines break sensibly but are drawn at natural spacing.
    stretch = space_width * SPACE_STRETCH if justify else size * 3
    shrink = space_width * SPACE_SHRINK if justify else 0.0
    words = _words(runs)
    sentence_start = True
    space = Glue(space_width, stretch, shrink)  # items are immutable: every space shares one
    for index, pieces in enumerate(words):
        if index:
            if ties and tied(words[index - 1][-1][1], pieces[0][1]):
                items.append(_TIE)  # (the glue after it is then no place to break)
            items.append(space)
        named = sentence_start and bool(names) and name_core(pieces[0][1]) in names
        _add_word(items, pieces, style, language, book, hyphenate, sentence_start and not named, script,
                  style.microtype if justify else NO_MICROTYPE)
        sentence_start = _SENTENCE_END.search(pieces[-1][1]) is not None
    items.append(Penalty(0, INFINITE_PENALTY))
    items.append(Glue(0, FINISHING_STRETCH, 0))
    items.append(Penalty(0, -INFINITE_PENALTY))
    return items


def _add_word(items, pieces, style, language, book, hyphenate, sentence_start=False,
              script="Latn", micro: Microtype = NO_MICROTYPE) -> None:
    size = style.size
    hyphenate = hyphenate and len(pieces) == 1  # a word with inline style changes is not hyphenated
    for run, text, start in pieces:
        for entry in _piece_items(book, _face_name(style.face, run), text, size, language, hyphenate,
                                  sentence_start, script):
            if type(entry) is Penalty:
                items.append(entry)
                continue
            offset, measured = entry
            if len(measured) == 1:
                face, _, part, width, glyphs = measured[0]
                frags: tuple[Fragment, ...] = (Fragment(part, face, size, width, start + offset, glyphs),)
            else:  # several scripts or faces in one part: one box, a fragment per face
                frags = tuple(Fragment(text_, face_, size, w, start + offset + rel, g)
                              for face_, rel, text_, w, g in measured)
                width = sum(f.width for f in frags)
            if micro.active:
                # Counted as if the box ended its word (one letter gap fewer than letters): the
                # breaker never counts on more than the line can give.
                stretch, shrink = micro.box_limits(width, sum(_letter_gaps(f) for f in frags) - 1, size)
                items.append(Box(width, frags, max(stretch, 0.0), max(shrink, 0.0)))
            else:
                items.append(Box(width, frags))


def _letter_gaps(frag: Fragment) -> int:
    """Letter-spaceable gaps a fragment brings (one after each letter): Latin only. Shaped
    (Devanagari) text is only ever scaled whole: spacing would cut its headline bar and could pull
    a syllable's marks off their bases."""
    return len(frag.text) if frag.glyphs is None else 0


@lru_cache(maxsize=200_000)  # words repeat: split, hyphenate and measure each once
def _piece_items(book: FontBook, face_name: str, text: str, size: float, language: str, hyphenate: bool,
                 sentence_start: bool, script: str) -> tuple:
    """What one piece of a word (the part in one styled run) becomes, with offsets in ``text``:
    (offset, measured parts) for each box (see :func:`_measure`) and the penalties between them."""
    out: list = []
    chunks = _INNER_BREAK.split(text)
    chunk_start = 0
    for chunk_index, chunk in enumerate(chunks):
        points: tuple[int, ...] = ()
        cost = HYPHEN_PENALTY
        if hyphenate:
            points = hyphenation_points(chunk, language, sentence_start and chunk_index == 0)
            if not points:
                points, cost = name_points(chunk, language), NAME_HYPHEN_PENALTY
        cuts = [0, *points, len(chunk)]
        for k in range(len(cuts) - 1):
            measured = _measure(book, face_name, chunk[cuts[k]:cuts[k + 1]], size, script)
            out.append((chunk_start + cuts[k], measured))
            if k < len(cuts) - 2:
                out.append(_hyphen(book, measured[-1][0], size, cost))
        if chunk_index < len(chunks) - 1:
            # After a hard hyphen or dash: a break costs like a hyphen but adds no glyph.
            out.append(_AFTER_HYPHEN if chunk.endswith("-") else _AFTER_DASH)
        chunk_start += len(chunk)
    return tuple(out)


@lru_cache(maxsize=1024)
def _hyphen(book: FontBook, face: str, size: float, cost: int = HYPHEN_PENALTY) -> Penalty:
    """The penalty of a hyphenation point before which the word is set in ``face``."""
    return Penalty(book.face(face).width("-", size), cost, flagged=True)


def clear_caches() -> None:
    """Forget every measured word (the benchmark's cold runs)."""
    for cached in (_piece_items, _hyphen, _measure, script_runs):
        cached.cache_clear()


def set_lines(
    items: Sequence[Item],
    result: BreakResult,
    widths: Sequence[float],
    *,
    paragraph: int,
    leading: float,
    justify: bool,
    book: FontBook,
    micro: Microtype = NO_MICROTYPE,
) -> list[SetLine]:
    """Position the words of each line chosen by the breaker. A justified line's slack goes to its
    letters first, within ``micro``'s limits, then to its word spaces (see
    :func:`~epaper.typeset.microtype.fit_line`), so the spaces stay as near natural as they can."""
    lines: list[SetLine] = []
    start = 0
    count = len(result.breaks)
    for line_no, brk in enumerate(result.breaks):
        end = brk.position
        # Discardable items at the start of a line (glue, penalties) are dropped.
        while start < end and type(items[start]) is not Box:
            start += 1
        segment_items = items[start:end]
        breaking = items[end]
        hyphenated = type(breaking) is Penalty and breaking.width > 0
        last = line_no == count - 1
        width = widths[min(line_no, len(widths) - 1)]
        ratio = brk.ratio
        # The last line is set at natural width, unless it had to shrink to fit (never overfull).
        justify_line = justify and (not last or ratio < 0)
        natural = breaking.width if hyphenated else 0.0
        for item in segment_items:
            if type(item) is not Penalty:
                natural += item.width
        letters = 0.0
        if justify_line and micro.active:
            fit = _fit(segment_items, breaking.width if hyphenated else 0.0, width - natural, micro)
            letters, ratio = fit.m, fit.ratio
        segments = _position(segment_items, ratio if justify_line else 0.0, hyphenated, book, letters, micro)
        lines.append(SetLine(
            segments=tuple(segments), width=width, natural_width=natural,
            ratio=ratio if justify_line else min(ratio, 0.0), hyphenated=hyphenated, paragraph=paragraph,
            first_of_paragraph=line_no == 0, last_of_paragraph=last, leading=leading, justified=justify_line,
            letters=letters,
        ))
        start = end + 1
    return lines


def _fit(line_items: Sequence[Item], hyphen: float, slack: float, micro: Microtype):
    """How one line shares ``slack`` between letters and spaces: what its letters can really give
    (every letter gap inside a word, the hyphen's too), not the breaker's lower estimate."""
    glyph_width = hyphen
    gaps_em = 0.0  # letter gaps, each weighted by its type size
    stretch = shrink = 0.0
    for k, item in enumerate(line_items):
        if type(item) is Box:
            frags = fragments_of(item)
            for f in frags:
                glyph_width += f.width
                gaps_em += _letter_gaps(f) * f.size
            if frags and frags[-1].glyphs is None and not _word_continues(line_items, k, hyphen > 0):
                gaps_em -= frags[-1].size  # no spacing after a word's last letter
        elif type(item) is Glue:
            stretch += item.stretch
            shrink += item.shrink
    (lo_space, hi_space), (lo_scale, hi_scale) = micro.letter_spacing, micro.glyph_scaling
    grow = glyph_width * (hi_scale - 1.0) + gaps_em * hi_space
    give = glyph_width * (1.0 - lo_scale) - gaps_em * lo_space
    return fit_line(slack, grow, give, stretch, shrink)


def _position(line_items: Sequence[Item], ratio: float, hyphenated: bool, book: FontBook, letters: float = 0.0,
              micro: Microtype = NO_MICROTYPE) -> list[LineSegment]:
    """Merge adjacent fragments into segments and give each its x (glue adjusted by ``ratio``,
    glyphs scaled and letters spaced by ``letters``, see :class:`Microtype`)."""
    scale = micro.scale(letters) if letters else 1.0
    segments: list[LineSegment] = []
    x = 0.0
    pending: list[tuple[Fragment, float, float]] = []  # fragment, width as drawn, its Tc
    pending_x = 0.0
    count = len(line_items)

    def flush(space_after: bool = False) -> None:
        """Turn the pending fragments into segments; ``space_after``: the last one gets the space
        that follows the word as text (see below)."""
        if not pending:
            return
        # Fragments of one word in one face become one segment so the PDF holds whole words.
        group = [pending[0]]
        gx = pending_x
        for entry in pending[1:] + [None]:  # type: ignore[list-item]
            if (entry is not None and entry[0].face == group[-1][0].face and entry[0].glyphs is None
                    and group[-1][0].glyphs is None):
                group.append(entry)
                continue
            first = group[0][0]
            if len(group) == 1:
                text, glyphs = first.text, first.glyphs
            else:
                text = "".join(f.text for f, _, _ in group)
                glyphs = None
            width = sum(w for _, w, _ in group)
            if text:
                if space_after and entry is None:
                    text += " "
                segments.append(LineSegment(gx, text, first.face, first.size, width, first.start,
                                            group[-1][0].start + len(group[-1][0].text), glyphs, scale, group[0][2]))
            gx += width
            if entry is not None:
                group = [entry]
        pending.clear()

    for k, item in enumerate(line_items):
        if type(item) is Box:
            if not pending:
                pending_x = x
            frags = fragments_of(item)
            if not frags:  # an indent box
                flush()
                x += item.width
                pending_x = x
                continue
            if not letters:
                pending.extend((f, f.width, 0.0) for f in frags)
                x += item.width
                continue
            continues = _word_continues(line_items, k, hyphenated)
            for j, f in enumerate(frags):
                if f.glyphs is None:
                    spacing = micro.spacing(letters, f.size)
                    gaps = len(f.text) - (0 if continues or j + 1 < len(frags) else 1)
                    width = f.width * scale + gaps * spacing
                    pending.append((f, width, spacing / scale))  # PDF scales Tc by Tz too
                else:
                    width = f.width * scale
                    pending.append((f, width, 0.0))
                x += width
        elif type(item) is Glue:
            flush(space_after=True)
            if segments and not segments[-1].text.endswith(" "):
                # A real space after the word: PDF text extraction then never has to guess word
                # boundaries from gaps (shrunk spaces are narrower than extractors' thresholds).
                segments[-1] = segments[-1]._replace(text=segments[-1].text + " ")
            adjust = item.stretch if ratio >= 0 else item.shrink
            x += item.width + ratio * adjust
    flush()
    if hyphenated and segments:
        last = segments[-1]
        face = book.face(last.face)
        glyphs = last.glyphs
        if glyphs is not None:  # shaped text: the hyphen must be a glyph of the same face too
            shaped = face.shape("-", last.size)
            offset = len(last.text)  # the hyphen's cluster follows the word's text
            glyphs = glyphs + tuple(replace(g, cluster=g.cluster + offset) for g in shaped.glyphs)
            hyphen_width = shaped.width
        else:
            hyphen_width = face.width("-", last.size)
        segments[-1] = last._replace(text=last.text + "-", width=last.width + hyphen_width * scale, glyphs=glyphs)
    return segments


def _word_continues(line_items: Sequence[Item], k: int, hyphenated: bool) -> bool:
    """Whether the box at ``k`` is followed on its line by more of its word (another box across
    only penalties, or the hyphen the line ends with): then its last letter is spaced too."""
    j = k + 1
    while j < len(line_items) and type(line_items[j]) is Penalty:
        j += 1
    if j == len(line_items):
        return hyphenated
    return type(line_items[j]) is Box
