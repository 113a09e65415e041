"""Emergency breaks: a word wider than its measure is split before a line breaker sees it.

Neither breaker can set a stretch of material that has no legal break inside and is wider than the
line: Knuth–Plass and greedy would both leave it overfull, and the page would print it into the
next column or off the page. Such stretches are rare (a chemical name, a long URL or identifier, a
one-word headline at display size), so this runs only when a paragraph has one at the width asked
for, and splits only those stretches, at the first kind of point that gives pieces that fit:

1. hyphenation points from the language's patterns, ignoring the usual restraint about names,
   acronyms and digits (a hyphen in a name beats ink over another story);
2. after ``/`` ``-`` ``_`` ``.`` (URLs, identifiers, file names), without a hyphen;
3. between grapheme clusters, with a hyphen: the last resort. A cluster is never cut, and in
   Devanagari a conjunct, a vowel sign or a virama stays with its akshara.

Each piece is cut as long as the measure allows (a piece starts a line in the worst case), and the
cuts become penalties that cost more than any ordinary break, so a breaker uses them only when it
must. The breakers themselves are untouched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from epaper.model.scripts import VIRAMA
from epaper.typeset.fonts import FontBook
from epaper.typeset.hyphenate import pattern_points
from epaper.typeset.items import Box, Item, Penalty
from epaper.typeset.knuth_plass import PreparedParagraph
from epaper.typeset.paragraph import Fragment, fragments_of

__all__ = ["EMERGENCY_PENALTY", "break_patterns", "fit_to_measure", "widest_unbreakable"]

# Dearer than any ordinary break (hyphens cost 50–100), below "forbidden": a breaker takes one of
# these only where the alternative would be an overfull line.
EMERGENCY_PENALTY = 5_000
_EPS = 1e-6
_AFTER = frozenset("/-_.")

HYPHENATION, PUNCTUATION, CLUSTER = 0, 1, 2  # kinds of cut, in the order they are tried


@dataclass(frozen=True)
class _Cut:
    offset: int  # in the stretch's text: the piece ends before this character
    kind: int

    @property
    def hyphen(self) -> bool:
        return self.kind != PUNCTUATION


def widest_unbreakable(prep: PreparedParagraph) -> float:
    """The width of the widest stretch between two legal breaks (with the hyphen its ending break
    adds): the narrowest measure this paragraph can be set to without an overfull line."""
    widest = 0.0
    start = 0.0
    for end, after in zip(prep.width, prep.after):
        widest = max(widest, end - start)
        start = after[0]
    return widest


def fit_to_measure(prep: PreparedParagraph, width: float, language: str, book: FontBook) -> PreparedParagraph:
    """``prep`` itself if every stretch fits ``width``, otherwise its items with each stretch that
    does not fit split into pieces that do (see the module's docstring)."""
    if widest_unbreakable(prep) <= width + _EPS:
        return prep
    items = prep.items
    breaks = set(prep.pos)
    out: list[Item] = []
    group: list[Box] = []  # the boxes since the last legal break

    def flush(extra: float) -> None:
        """Emit the boxes in ``group``: split if they (plus ``extra``, the ending break's hyphen)
        do not fit."""
        if sum(b.width for b in group) + extra > width + _EPS:
            out.extend(_split(group, width, extra, language, book))
        else:
            out.extend(group)
        group.clear()

    for index, item in enumerate(items):
        if type(item) is Box:
            group.append(item)
            continue
        # A break here ends the stretch (a hyphen's penalty adds its width); glue or a forbidden
        # break that is no legal break ends it too, as nothing after it joins the boxes before.
        flush(item.width if type(item) is Penalty and index in breaks else 0.0)
        out.append(item)
    flush(0.0)
    return PreparedParagraph(out)


def _split(boxes: Sequence[Box], width: float, extra: float, language: str, book: FontBook) -> list[Item]:
    """The boxes of one unbreakable stretch as pieces that each fit ``width``, with the penalties
    between them. An indent box stays in front of the first piece and counts against it."""
    lead = 0.0
    out: list[Item] = []
    while boxes and not boxes[0].payload:  # an indent (or an empty box): keep it, it takes room
        lead += boxes[0].width
        out.append(boxes[0])
        boxes = boxes[1:]
    fragments = [f for b in boxes for f in fragments_of(b)]
    if not fragments:
        return [*out, *boxes]
    text = "".join(f.text for f in fragments)
    cuts = _cuts(text, language)
    pos = 0
    room = width - lead
    while pos < len(text):
        rest = _measure(fragments, pos, len(text), book)
        if rest.width + extra <= room + _EPS:
            out.append(rest)
            break
        cut = _longest_fit(fragments, pos, cuts, room, book)
        piece = _measure(fragments, pos, cut.offset, book)
        out.append(piece)
        hyphen = _hyphen_width(piece, book) if cut.hyphen else 0.0
        out.append(Penalty(hyphen, EMERGENCY_PENALTY, flagged=cut.hyphen))
        pos = cut.offset
        room = width
    return out


def _longest_fit(fragments: Sequence[Fragment], pos: int, cuts: Sequence[_Cut], room: float,
                 book: FontBook) -> _Cut:
    """The cut after ``pos`` of the most preferred kind whose piece (with its hyphen) fits ``room``,
    the furthest such; if no piece fits at all (a measure narrower than one letter), the first
    cluster, so every piece holds something and the split ends."""
    ahead = [c for c in cuts if c.offset > pos]
    for kind in (HYPHENATION, PUNCTUATION, CLUSTER):
        best = None
        for cut in (c for c in ahead if c.kind == kind):
            piece = _measure(fragments, pos, cut.offset, book)
            hyphen = _hyphen_width(piece, book) if cut.hyphen else 0.0
            if piece.width + hyphen > room + _EPS:
                break  # pieces only grow from here
            best = cut
        if best is not None:
            return best
    clusters = [c for c in ahead if c.kind == CLUSTER]
    return clusters[0] if clusters else ahead[0]


@cache
def break_patterns() -> tuple[Any, Any]:
    """Grapheme clusters and letter runs (``regex``: Unicode's cluster rules and properties, which
    ``re`` lacks), compiled when a word first needs an emergency break (most builds never do,
    and importing ``regex`` took ~8 ms of each), or by a warm process before its commands."""
    import regex

    return regex.compile(r"\X"), regex.compile(r"[\p{L}\p{M}\u200c\u200d]+")


def _cuts(text: str, language: str) -> list[_Cut]:
    """Every place ``text`` may be cut, each with its kind (a place is given its best kind)."""
    grapheme, letter_run = break_patterns()
    kinds: dict[int, int] = {}
    offset = 0
    for cluster in grapheme.findall(text):
        offset += len(cluster)
        if offset < len(text) and _cluster_boundary(text, offset):
            kinds[offset] = CLUSTER
    for i, ch in enumerate(text[:-1]):
        if ch in _AFTER and text[i + 1] not in _AFTER:
            kinds[i + 1] = PUNCTUATION
    for match in letter_run.finditer(text):
        for point in pattern_points(match.group(), language):
            kinds[match.start() + point] = HYPHENATION
    return [_Cut(offset, kind) for offset, kind in sorted(kinds.items())]


def _cluster_boundary(text: str, offset: int) -> bool:
    """Whether a cut before ``text[offset]`` keeps every akshara whole. The grapheme rules of the
    Unicode data ``regex`` ships keep conjuncts together (Unicode 15.1); this also holds with older
    data: never after a virama or a joiner, never before a mark or a joiner."""
    before, after = text[offset - 1], text[offset]
    if before == VIRAMA or before in "\u200c\u200d" or after in "\u200c\u200d":
        return False
    return unicodedata.category(after)[0] != "M"


def _measure(fragments: Sequence[Fragment], start: int, end: int, book: FontBook) -> Box:
    """A box holding the text from ``start`` to ``end`` of the stretch, measured again (shaped again
    for shaped faces) piece by piece of each face."""
    parts: list[Fragment] = []
    offset = 0
    for frag in fragments:
        lo, hi = max(start, offset), min(end, offset + len(frag.text))
        if lo < hi:
            if lo == offset and hi == offset + len(frag.text):
                parts.append(frag)
            else:
                parts.append(_cut_fragment(frag, lo - offset, hi - offset, book))
        offset += len(frag.text)
    return Box(sum(p.width for p in parts), tuple(parts))


def _cut_fragment(frag: Fragment, lo: int, hi: int, book: FontBook) -> Fragment:
    face = book.face(frag.face)
    part = frag.text[lo:hi]
    if frag.glyphs is None:
        return Fragment(part, frag.face, frag.size, face.width(part, frag.size), frag.start + lo)
    shaped = face.shape(part, frag.size)
    return Fragment(part, frag.face, frag.size, shaped.width, frag.start + lo, shaped.glyphs)


def _hyphen_width(piece: Box, book: FontBook) -> float:
    """The hyphen set after ``piece``, in the face of its last fragment (as set_lines draws it)."""
    last = fragments_of(piece)[-1]
    face = book.face(last.face)
    return face.shape("-", last.size).width if last.glyphs is not None else face.width("-", last.size)

