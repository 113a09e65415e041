"""The words of the laid-out pages, as drawn: each with its box, in lines, in blocks, in groups.

Read from the page frames alone (and the edition model for article languages). Every text run of
a frame is cut into words at its spaces; a word set in several runs (a bold lead-in and its
regular tail, a Devanagari word with Latin digits) becomes one word; a word broken at the end of
a line (a hyphenation point, a hard hyphen, a dash) becomes two parts that know the whole word,
also when the break falls between two pages of a jump. Two runs belong to one word exactly when
the frame's sources say so: the same article, block and paragraph, and the second starts at the
character where the first ended.

Blocks follow the page: a block per column leg of an article's body (a new leg begins where the
text moves up or into another column), one for its headline, deck, byline, caption and so on, an
illustration per photo. An article's blocks form its group, in reading order; page furniture
(folio, masthead, section heads, the index, teasers, refer boxes) and advertisements form groups
of their own. Groups are in the page's reading order: what stands above the editorial area, then
the articles in the order layout placed them (lead story first), then the rest as drawn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from epaper.archive.metrics import run_geometry
from epaper.frame import Box, FontRef, ImageItem, Page, TextRun
from epaper.model.scripts import letter_script, script_of_language

__all__ = ["Group", "Line", "PageText", "Picture", "TextBlock", "Word", "page_outline", "page_text", "page_texts"]

# An article's blocks in the order a reader takes them (jump lines read with the body: "continued
# from" is drawn before it and "continued on" after it, and equal ranks keep the drawing order).
ARTICLE_ROLES = {"kicker": 0, "headline": 1, "deck": 2, "byline": 3, "body": 4, "jump": 4, "photo": 5,
                 "caption": 6, "credit": 7, "pull-quote": 8}
_WORD = re.compile(r"\S+")
_SAME_LINE = 0.01  # points: runs on one baseline


@dataclass(frozen=True)
class Word:
    """One word as printed. ``part`` is 0 for a whole word, 1 and 2 for the parts of a word broken
    at a line end (``whole`` is then the word unbroken); ``hyphen`` is the box of a hyphen the
    typesetter added at the break (a hard hyphen or a dash stays in ``text``)."""

    text: str
    box: Box
    font: FontRef
    size: float
    part: int = 0
    whole: str = ""
    hyphen: Box | None = None
    language: str | None = None  # the word's own, where it is not its block's (see _worded_in)


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    box: Box
    baseline: float


@dataclass(frozen=True)
class TextBlock:
    role: str
    lines: tuple[Line, ...]
    box: Box
    language: str


@dataclass(frozen=True)
class Picture:
    role: str
    box: Box


Block = TextBlock | Picture


@dataclass(frozen=True)
class Group:
    """An article's blocks on one page (``article_id`` set), or a piece of furniture or an ad."""

    kind: str  # "article", or the furniture's role ("folio", "masthead", "teaser", "ad", ...)
    article_id: str | None
    blocks: tuple[Block, ...]
    box: Box


@dataclass(frozen=True)
class PageText:
    number: int
    label: str
    section: str
    width: float
    height: float
    language: str
    groups: tuple[Group, ...]


def _union(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    left = min(b.x for b in boxes)
    top = min(b.y for b in boxes)
    return Box(left, top, max(b.right for b in boxes) - left, max(b.bottom for b in boxes) - top)


# --- words -----------------------------------------------------------------------------------------

@dataclass
class _Piece:
    """A word, or the part of one, drawn by one run (mutable while words are being assembled)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    run: TextRun  # the run the word starts in (its source, baseline, font)
    font: FontRef
    page: int
    open_start: bool  # the run's text starts with this piece (it may continue the previous run's word)
    open_end: bool  # the run's text ends with it, no space after (it may go on in the next run)
    hyphen: Box | None = None
    tail: TextRun | None = None  # the run the word ends in, when that is another one
    part: int = 0
    whole: str = ""

    @property
    def last_run(self) -> TextRun:
        return self.tail or self.run

    def extend(self, other: _Piece) -> None:
        self.text += other.text
        self.left, self.top = min(self.left, other.left), min(self.top, other.top)
        self.right, self.bottom = max(self.right, other.right), max(self.bottom, other.bottom)
        self.open_end = other.open_end
        self.hyphen = other.hyphen
        self.tail = other.run


def _has_span(run: TextRun) -> bool:
    return run.source.end > run.source.start


def _spans(run: TextRun, font: FontRef) -> list[tuple[int, int, tuple[float, float, float, float], tuple | None]]:
    """The words of ``run`` placed at x = 0 on baseline 0: (start, end, (left, top, right, bottom),
    the box of a hyphen the typesetter added or None) each, from the run's drawn geometry."""
    geometry = run_geometry(font, run.size, run.text, run.glyphs, run.scale, run.char_space)
    text = run.text
    core = text.rstrip()
    if core and core.split() == [core]:  # no whitespace in it (str.split cuts where isspace is true)
        spans = [(0, len(core))]  # the usual run: one word, maybe a space after it
    else:
        spans = [m.span() for m in _WORD.finditer(text)]
    out = []
    added_hyphen = run.breaks_word
    for index, (start, end) in enumerate(spans):
        hyphen = None
        if index == len(spans) - 1 and added_hyphen:
            hyphen = geometry.span(end - 1, end)
            end -= 1
        # Nothing inked cannot happen for letters; such a word would keep a box on its baseline.
        box = geometry.span(start, end) or (geometry.edges[start], -run.size * 0.7, geometry.edges[end], 0.0)
        out.append((start, end, box, hyphen))
    return out


def _pieces(run: TextRun, font: FontRef, page: int) -> list[_Piece]:
    text = run.text
    x, y = run.x, run.baseline
    out = []
    for start, end, (left, top, right, bottom), hyphen in _spans(run, font):
        out.append(_Piece(text[start:end], x + left, y + top, x + right, y + bottom, run=run, font=font, page=page,
                          open_start=start == 0, open_end=end + (hyphen is not None) == len(text),
                          hyphen=None if hyphen is None else Box(x + hyphen[0], y + hyphen[1], hyphen[2] - hyphen[0],
                                                                 hyphen[3] - hyphen[1])))
    return out


def _continues(before: _Piece, after: _Piece) -> bool:
    """Whether ``after`` is the rest of the word ``before`` began (by the runs' sources)."""
    a, b = before.last_run.source, after.run.source
    return (before.open_end and after.open_start and _has_span(before.last_run) and _has_span(after.run)
            and a.article_id == b.article_id and a.role == b.role and a.paragraph == b.paragraph and a.end == b.start)


def _on_baseline(before: _Piece, after: _Piece) -> bool:
    """The same page and baseline, ``after`` to the right of ``before``."""
    return (before.page == after.page and abs(before.run.baseline - after.run.baseline) < _SAME_LINE
            and after.left >= before.left)


def _same_line(before: _Piece, after: _Piece) -> bool:
    """Whether ``after`` goes on the line ``before`` is on. The typesetter ends every word followed
    by a space inside a line with that space, and never the last word of a line, so a word without
    one ends its line, however near the next word is drawn (a column away, or the other half of
    a folio); a justified line of two long words keeps its wide gap."""
    return not before.open_end and _on_baseline(before, after)


def _stream(run: TextRun) -> tuple:
    """The text stream a run belongs to: its article, block and paragraph. A word goes on from
    run to run only within one stream (:func:`_continues`)."""
    source = run.source
    return (source.article_id, source.role, source.paragraph)


def _assemble(pages: Sequence[Page]) -> dict[int, list[_Piece | ImageItem]]:
    """Every page's words (and photos) in drawing order; words continued across runs joined,
    broken words marked as parts (the streams of one article block and paragraph are followed
    across pages, so a word broken at a jump is found on both)."""
    by_page: dict[int, list[_Piece | ImageItem]] = {}
    last: dict[tuple, _Piece] = {}  # (article, role, paragraph) -> the last word of that stream
    for page in pages:
        fonts = {font.name: font for font in page.fonts}
        entries: list[_Piece | ImageItem] = []
        previous: _Piece | None = None  # the last word drawn on this page
        for item in page.items:
            if isinstance(item, ImageItem):
                entries.append(item)
                continue
            if not isinstance(item, TextRun):
                continue
            source = item.source
            key = _stream(item)
            for piece in _pieces(item, fonts[item.font], page.number):
                if _has_span(item):
                    before = last.get(key)
                    joins = before is not None and _continues(before, piece)
                else:  # furniture carries no spans: a word set in two faces has touching runs
                    before = previous
                    joins = (before is not None and before.open_end and piece.open_start
                             and before.run.source.role == source.role and abs(before.right - piece.left) < 0.01)
                if joins and before is not None and _on_baseline(before, piece):
                    before.extend(piece)
                    continue
                if joins and before is not None:
                    before.part = before.part or 1
                    piece.part = 2
                entries.append(piece)
                last[key] = previous = piece
        by_page[page.number] = entries
    # A broken word's parts learn the whole word (part 1 first, then part 2, maybe a page later).
    pending: dict[tuple, _Piece] = {}
    for number in sorted(by_page):
        for word in by_page[number]:
            if not isinstance(word, _Piece):
                continue
            piece = word
            key = _stream(piece.run)
            if piece.part == 2 and key in pending:
                first = pending.pop(key)
                first.whole = piece.whole = first.text + piece.text
            if piece.part == 1:
                pending[key] = piece
    return by_page


# --- lines and blocks ------------------------------------------------------------------------------

def _box(piece: _Piece) -> Box:
    return Box(piece.left, piece.top, piece.right - piece.left, piece.bottom - piece.top)


def _word(piece: _Piece) -> Word:
    return Word(text=piece.text, box=_box(piece), font=piece.font, size=piece.run.size, part=piece.part,
                whole=piece.whole, hyphen=piece.hyphen)


def _lines(pieces: Sequence[_Piece]) -> list[list[_Piece]]:
    """Pieces (of one group and role, in drawing order) cut into lines."""
    lines: list[list[_Piece]] = []
    for piece in pieces:
        if lines and _same_line(lines[-1][-1], piece):
            lines[-1].append(piece)
        else:
            lines.append([piece])
    return lines


def _legs(lines: Sequence[list[_Piece]]) -> list[list[list[_Piece]]]:
    """Lines cut into legs (columns): a new leg where the next line is not below the last one or
    does not overlap it across."""
    legs: list[list[list[_Piece]]] = []
    extent = (0.0, 0.0)  # the current leg's left and right
    for line in lines:
        left, right = line[0].left, line[-1].right
        if legs and line[0].run.baseline > legs[-1][-1][0].run.baseline and left < extent[1] and right > extent[0]:
            legs[-1].append(line)
            extent = (min(extent[0], left), max(extent[1], right))
        else:
            legs.append([line])
            extent = (left, right)
    return legs


def _text_blocks(role: str, pieces: Sequence[_Piece], language: str) -> list[TextBlock]:
    blocks = []
    for leg in _legs(_lines(pieces)):
        lines = []
        for line in leg:
            words = tuple(_word(p) for p in line)
            boxes = [w.box for w in words] + [w.hyphen for w in words if w.hyphen is not None]
            lines.append(Line(words, _union(boxes), line[0].run.baseline))
        blocks.append(TextBlock(role, tuple(lines), _union(ln.box for ln in lines), language))
    return blocks


def _in_order(items: Sequence[tuple[str, object]]) -> list[tuple[str, list]]:
    """(role, word or photo) in drawing order → runs of consecutive things of one role and kind."""
    runs: list[tuple[str, list]] = []
    for role, thing in items:
        if runs and runs[-1][0] == role and isinstance(runs[-1][1][0], ImageItem) == isinstance(thing, ImageItem):
            runs[-1][1].append(thing)
        else:
            runs.append((role, [thing]))
    return runs


def _group_blocks(items: Sequence[tuple[str, object]], language: str) -> list[Block]:
    blocks: list[Block] = []
    for role, things in _in_order(items):
        if isinstance(things[0], ImageItem):
            blocks += [Picture(role, thing.box) for thing in things]
        else:
            blocks += _text_blocks(role, things, language)
    return blocks


def _first_of_each_script(languages_written: Sequence[str]) -> dict[str, str]:
    first: dict[str, str] = {}
    for language in languages_written:
        first.setdefault(script_of_language(language), language)
    return first


def _worded_in(block: TextBlock, languages_written: Sequence[str]) -> TextBlock:
    """``block`` (furniture, in its page's language) with each word of another script marked with
    the first of ``languages_written`` written in that script: the folio of a Hindi page holds the
    paper's English title and date beside "देश | पृष्ठ 17", the front's index a Hindi section's name
    among English ones (an archive's audit: all of it was said to be the page's language)."""
    own = script_of_language(block.language)
    first = _first_of_each_script(languages_written)

    def language_of(word: Word) -> str | None:
        script = letter_script(word.whole or word.text)
        return None if script is None or script == own else first.get(script)

    lines = tuple(replace(line, words=tuple(replace(w, language=language_of(w)) for w in line.words))
                  for line in block.lines)
    return replace(block, lines=lines)


def _page_text(page: Page, entries: Sequence[_Piece | ImageItem], languages: Mapping[str, str],
               languages_written: Sequence[str] = ()) -> PageText:
    placed = [r.article_id for r in page.regions if r.article_id in languages]
    articles: dict[str, list[tuple[str, object]]] = {aid: [] for aid in placed}
    furniture: list[tuple[str, object]] = []  # (role, piece or image) in drawing order
    for entry in entries:
        source = entry.source if isinstance(entry, ImageItem) else entry.run.source
        if source.article_id in articles and source.role in ARTICLE_ROLES:
            articles[source.article_id].append((source.role, entry))
        else:
            furniture.append((source.role, entry))
    groups: list[Group] = []
    for aid in placed:
        items = sorted(articles[aid], key=lambda pair: ARTICLE_ROLES[pair[0]])  # stable: drawing order kept
        blocks = _group_blocks(items, languages[aid])
        if blocks:
            groups.append(Group("article", aid, tuple(blocks), _union(b.box for b in blocks)))
    above: list[Group] = []
    rest: list[Group] = []
    for role, things in _in_order(furniture):
        blocks = [_worded_in(block, languages_written) if isinstance(block, TextBlock) else block
                  for block in _group_blocks([(role, t) for t in things], page.language)]
        group = Group("advertisement" if role == "ad" else role, None, tuple(blocks), _union(b.box for b in blocks))
        (above if group.box.bottom <= page.editorial.y + 0.01 else rest).append(group)
    return PageText(page.number, page.label or str(page.number), page.section, page.width, page.height, page.language,
                    tuple(above + groups + rest))


def page_texts(pages: Sequence[Page], languages: Mapping[str, str],
               languages_written: Sequence[str] = ()) -> list[PageText]:
    """The words of ``pages`` in blocks and groups; ``languages`` maps each article id to its
    language (an id not in it, such as the front page's index, is furniture);
    ``languages_written``: the edition's own and its sections', for the furniture's words in
    another script than their page's."""
    words = _assemble(pages)
    return [_page_text(page, words[page.number], languages, languages_written) for page in pages]


def page_outline(text: PageText) -> PageText:
    """``text`` without its words: the page and its groups (kind, article, box), no blocks. What
    METS needs of a page, and what a page's products keep (its words, ~0.3 MB pickled, are in its
    ALTO file: unpickled for every page a build or replate takes from the build cache, they cost
    ~45 ms a page)."""
    return replace(text, groups=tuple(replace(group, blocks=()) for group in text.groups))


def page_text(page: Page, partners: Sequence[Page], languages: Mapping[str, str],
              languages_written: Sequence[str] = ()) -> PageText:
    """The words of ``page`` as :func:`page_texts` has them among ``partners`` (the pages its stories
    continue to or from: a word broken at a jump is whole on both). Of a partner only the runs of
    the streams ``page`` draws are read: no other run can join a word of ``page``."""
    streams = {_stream(item) for item in page.items if isinstance(item, TextRun)}
    shared = [replace(partner, items=tuple(item for item in partner.items
                                           if isinstance(item, TextRun) and _stream(item) in streams))
              for partner in partners]
    pages = sorted((page, *shared), key=lambda p: p.number)
    return _page_text(page, _assemble(pages)[page.number], languages, languages_written)
