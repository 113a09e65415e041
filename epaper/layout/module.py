"""An article's module at a given width: which blocks it has and how many grid rows each takes.

This is where headlines are sized (:func:`_headline`): the tier comes from the article's priority,
and within the tier the largest size whose lines fit the tier's limit at the module's width wins.
Everything is measured by the typesetter at the real widths; heights are whole grid rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from epaper.formats import PageFormat, TypeStyle
from epaper.i18n.messages import catalogue, fill
from epaper.layout.geometry import balanced_counts, units
from epaper.layout.pullquotes import pull_quote_text, quotation_position
from epaper.model import Article, Photo, Run
from epaper.typeset import BodySpec, TextBlock, broken_ties_of, set_body, set_plain
from epaper.typeset.ink import line_ink

__all__ = ["DesignOptions", "HeaderDesign", "ModuleDesign", "dateline_lead",
           "PhotoDesign", "PullQuoteDesign", "body_lines", "body_spec", "design_module"]

PHOTO_MIN_ASPECT = 0.45  # flattest crop allowed (height / width)
PHOTO_MAX_ASPECT = 1.15  # tallest
HEAD_GAP = 3.0  # points between kicker, headline and deck, at least (see head_gap)
# Air kept between one element's ink and the next one's, as a fraction of the lower one's size
# (at least INK_CLEARANCE_MIN points): descenders never touch the ascenders or marks below them.
INK_CLEARANCE = 0.06
INK_CLEARANCE_MIN = 1.0
FIRST_BASELINE = 0.92  # a text block's first baseline sits this many of its type sizes below its top
MIN_LINES_UNDER_PHOTO = 3  # a photo ends at the module's foot or at least this many lines above it


@dataclass(frozen=True)
class HeaderDesign:
    kicker: TextBlock | None
    headline: TextBlock
    deck: TextBlock | None
    headline_size: float
    tier: int
    rows: int
    # Points between the kicker and the headline, and between the headline and the deck: what
    # their ink needs (head_gap). Compose draws exactly these.
    kicker_gap: float = HEAD_GAP
    deck_gap: float = HEAD_GAP


@dataclass(frozen=True)
class PhotoDesign:
    photo: Photo
    cols: int  # the photo spans the module's rightmost ``cols`` columns, text runs beside it
    rows: int  # rows of the picture itself
    caption: TextBlock
    credit: TextBlock | None
    caption_rows: int

    @property
    def total_rows(self) -> int:
        return self.rows + self.caption_rows


@dataclass(frozen=True)
class PullQuoteDesign:
    """A quotation from the story set large at the head of one body column (see .pullquotes)."""

    text: TextBlock
    col: int   # the module column it heads; the body flows on below it
    rows: int  # grid rows it takes, with its rules above and below


@dataclass(frozen=True)
class DesignOptions:
    """A module's variant flags, as :func:`design_module` is asked for them. ``plan.json`` keeps
    them as they are (``dataclasses.asdict``) and :mod:`.lock` hands them back
    (``DesignOptions(**record)``): the one list of them, so a new flag is saved and replayed too."""

    tier: int | None = None
    headline_step: int = 0
    with_photo: bool = True
    with_deck: bool = True
    photo_rows: int | None = None
    jump_head: bool = False
    brief: bool = False
    pull_quote: bool = False
    headline_lines: int = 0
    photo_cols: int | None = None


@dataclass(frozen=True)
class ModuleDesign:
    """One candidate shape of an article: ``cols`` wide, with or without photo and deck."""

    article: Article
    cols: int
    header: HeaderDesign
    photo: PhotoDesign | None
    byline: TextBlock | None
    byline_rows: int
    body: TextBlock
    jump_head: bool = False
    brief: bool = False
    pull_quote: PullQuoteDesign | None = None
    options: DesignOptions = field(default=DesignOptions(), compare=False, repr=False)  # what it was made with
    # body_offsets by (extra_first, photo_rows): copyfit and placement ask for them many times over
    _offsets: dict = field(default_factory=dict, init=False, compare=False, hash=False, repr=False)

    @property
    def fixed_rows(self) -> int:
        """Rows above the body columns: the header (the photo sits inside the columns, see offsets)."""
        return self.header.rows

    def body_offsets(self, extra_first: int = 0, photo_rows: int | None = None) -> tuple[int, ...]:
        """Rows each body column starts below the header: the byline atop the first column, the photo
        (and caption) atop the columns it spans on the right."""
        key = (extra_first, photo_rows)
        found = self._offsets.get(key)
        if found is None:
            found = self._offsets[key] = self._body_offsets(extra_first, photo_rows)
        return found

    def _body_offsets(self, extra_first: int, photo_rows: int | None) -> tuple[int, ...]:
        offsets = [0] * self.cols
        if self.photo is not None:
            below_photo = (photo_rows if photo_rows is not None else self.photo.rows) + self.photo.caption_rows
            # A photo over the first column sits under the byline, so all its columns start lower.
            below_photo += self.photo_top_row
            for col in range(self.cols - self.photo.cols, self.cols):
                offsets[col] = below_photo
        if self.photo_top_row == 0:
            offsets[0] += self.byline_rows
        offsets[0] += extra_first
        if self.pull_quote is not None:
            offsets[self.pull_quote.col] += self.pull_quote.rows
        return tuple(offsets)

    @property
    def photo_top_row(self) -> int:
        """Rows below the header where the photo starts: under the byline when it spans column one."""
        return self.byline_rows if self.photo is not None and self.photo.cols == self.cols else 0

    def rows_for(self, line_count: int, extra_lines: int = 0, photo_rows: int | None = None) -> int:
        """Total rows (with the spacing row) to set ``line_count`` body lines in balanced legs."""
        total = line_count + extra_lines
        offsets = self.body_offsets(photo_rows=photo_rows)
        depth = max(offsets)
        short = total - sum(depth - o for o in offsets)
        if short > 0:  # below the deepest offset every column takes a line per row
            depth += -(-short // len(offsets))
        return self.fixed_rows + depth + 1

    def leaves_hole(self, line_count: int, extra_lines: int = 0, photo_rows: int | None = None) -> bool:
        """Whether this crop leaves a gap or a scrap: the photo reaching below the text beside it (the
        text columns would end more than a line short of the module's foot, a hole a reader sees), or
        only a line or two of text left under the photo."""
        total = line_count + extra_lines
        offsets = self.body_offsets(photo_rows=photo_rows)
        depth = self.rows_for(line_count, extra_lines, photo_rows) - 1 - self.fixed_rows
        lowest = max(offsets)
        if depth > lowest:
            # The lines under the photo (or a pull quote) as balanced legs set them: the last
            # columns a line short each until the count is exact, so three rows under it may hold
            # two lines. A line or two there reads as stray text (crop the photo to the bottom).
            counts = balanced_counts(total, offsets, depth)
            return max(n for n, o in zip(counts, offsets) if o == lowest) < MIN_LINES_UNDER_PHOTO
        active = sum(1 for o in offsets if depth > o)
        return sum(max(0, depth - o) for o in offsets) - total >= active

    @property
    def natural_rows(self) -> int:
        return self.rows_for(len(self.body))

    def capacity(self, rows: int, reserved_lines: int = 0, photo_rows: int | None = None) -> int:
        """Body lines that fit when the module is ``rows`` tall (spacing row included), its photo
        cropped to ``photo_rows`` (None: as it comes)."""
        depth = rows - 1 - self.fixed_rows
        if depth <= 0:
            return 0
        return max(0, sum(max(0, depth - o) for o in self.body_offsets(photo_rows=photo_rows)) - reserved_lines)


def dateline_lead(article: Article) -> str:
    """The words the story's body begins with, set bold: its dateline as its language ends one
    ("PORT ALDERY — ", "पोर्ट एल्डरी। "); "" without one."""
    if not article.dateline:
        return ""
    return fill(catalogue(article.language)["dateline_lead"], place=article.dateline.upper())


def body_spec(article: Article, fmt: PageFormat, breaker: str) -> BodySpec:
    """What the article's body is set from: its paragraphs, dateline and lead-in at one column's
    width (bodies are always set one column wide) in the format's body styles."""
    lead_in = (Run(dateline_lead(article), bold=True),) if article.dateline else ()
    body = fmt.style("body")
    return BodySpec(article.body, body, fmt.style("subhead"), fmt.column_width, article.language, lead_in,
                    body.lead_words if article.priority == 1 else 0, breaker)


def body_lines(article: Article, fmt: PageFormat, breaker: str) -> TextBlock:
    """The article body set at one column's width."""
    return set_body(body_spec(article, fmt, breaker))


def _headline(article: Article, fmt: PageFormat, width: float, tier: int, breaker: str,
              step: int = 0) -> tuple[TextBlock, float, int] | None:
    """Largest size of the tier (or the tiers below) whose headline fits the tier's line limit.
    ``step``: that many sizes smaller within the same tier (copyfit's smaller headline), or None if
    the tier has no such size that fits."""
    last = None
    for t in range(tier, max(fmt.tiers) + 1):
        spec = fmt.tiers[t]
        fitting = []
        for size in spec.sizes:
            block = set_plain(article.headline, spec.style(size), width, article.language, breaker_name=breaker)
            last = (block, size, t)
            if len(block) <= spec.max_lines:
                fitting.append(last)
                if len(fitting) > step:
                    return fitting[step]
        if fitting:
            return None
    assert last is not None
    return None if step else last


def _without_a_word_left_over(article: Article, style: TypeStyle, width: float, block: TextBlock,
                              breaker: str) -> TextBlock:
    """The headline ``block`` (set at ``width``) as it is, unless its last line is one word: then set
    at the narrowest measure that keeps its number of lines (found by halving the range down to 60 %
    of the width), its lines evened out ("Ferry strike ends as crews accept 11% pay / deal" reads
    "Ferry strike ends as crews / accept 11% pay deal"). The module stays ``width`` wide."""
    if len(block) < 2 or len(block.lines[-1].text.split()) > 1:
        return block
    # To within 1% of the width: narrower while the lines stay as many and part no more words read
    # as one (evened out, "4,200 करोड़" was parted again at the narrower measure).
    broken = broken_ties_of(block)

    def as_good(trial: TextBlock) -> bool:
        return len(trial) == len(block) and broken_ties_of(trial) <= broken

    found = next((trial for trial in reversed(_halving(article, style, 0.6 * width, width, 6, breaker, as_good))
                  if as_good(trial)), None)
    if found is None or len(found.lines[-1].text.split()) < 2:
        return block
    return replace(found, width=width)


def _halving(article: Article, style: TypeStyle, narrow: float, wide: float, steps: int, breaker: str,
             narrower: Callable[[TextBlock], bool]) -> list[TextBlock]:
    """The headline set at the middle of the measures from ``narrow`` to ``wide``, ``steps`` times, the
    range halved each time towards the narrow end when ``narrower`` says so of the block set, else
    towards the wide end: each block set, in order."""
    blocks = []
    for _ in range(steps):
        measure = (narrow + wide) / 2
        block = set_plain(article.headline, style, measure, article.language, breaker_name=breaker)
        blocks.append(block)
        if narrower(block):
            wide = measure
        else:
            narrow = measure
    return blocks


def _last_on(blocks: Sequence[TextBlock], lines: int) -> TextBlock | None:
    """The last of ``blocks`` on exactly ``lines`` lines, or None."""
    return next((block for block in reversed(blocks) if len(block) == lines), None)


def _stacked(article: Article, style: TypeStyle, width: float, lines: int, breaker: str) -> TextBlock | None:
    """The headline set on exactly ``lines`` lines at the widest measure that gives that many (found
    by halving the measure's range), or None if no measure down to 40% of the width does."""
    # To within 0.5% of the width: narrower while the lines are fewer.
    return _last_on(_halving(article, style, 0.4 * width, width, 7, breaker, lambda block: len(block) < lines), lines)


def descender_overhang(block: TextBlock) -> float:
    """How far the ink of a block's last line reaches below the block (its lines' leading): large
    type set tight (a headline at 1.04–1.1 leading) hangs its g, p and y below the block, and a
    photo or byline right under it must not cover them. Measured from the glyphs' outlines."""
    if not block.lines or not block.lines[-1].segments:
        return 0.0
    last = block.lines[-1]
    baseline = FIRST_BASELINE * max(seg.size for seg in last.segments)
    return max(0.0, baseline + line_ink(last).below - last.leading)


def ascender_overhang(block: TextBlock) -> float:
    """How far the ink of a block's first line reaches above the block's top (a Devanagari vowel
    sign above the headline bar, an accented capital); 0 if it stays inside."""
    if not block.lines or not block.lines[0].segments:
        return 0.0
    first = block.lines[0]
    return max(0.0, line_ink(first).above - FIRST_BASELINE * max(seg.size for seg in first.segments))


def head_gap(upper: TextBlock, lower: TextBlock) -> float:
    """Points between two stacked blocks of a header (kicker over headline, headline over deck):
    HEAD_GAP, or more when the upper block's descenders and the lower one's ascenders would come
    closer than the clearance, measured from their glyphs' real extents."""
    size = max((seg.size for line in lower.lines[:1] for seg in line.segments), default=0.0)
    clearance = max(INK_CLEARANCE_MIN, INK_CLEARANCE * size)
    below = descender_overhang(upper)
    # the lower block's first ink top, measured from its top (negative: ink starts below the top)
    above = ascender_overhang(lower) - _first_ink_drop(lower)
    return max(HEAD_GAP, below + above + clearance)


def _first_ink_drop(block: TextBlock) -> float:
    """How far below the block's top its first line's ink begins (0 if it reaches the top)."""
    if not block.lines or not block.lines[0].segments:
        return 0.0
    first = block.lines[0]
    return max(0.0, FIRST_BASELINE * max(seg.size for seg in first.segments) - line_ink(first).above)


@lru_cache(maxsize=20_000)
def design_module(
    article: Article,
    cols: int,
    fmt: PageFormat,
    *,
    breaker: str = "knuth-plass",
    tier: int | None = None,
    headline_step: int = 0,
    with_photo: bool = True,
    with_deck: bool = True,
    photo_rows: int | None = None,
    jump_head: bool = False,
    brief: bool = False,
    pull_quote: bool = False,
    headline_lines: int = 0,
    photo_cols: int | None = None,
) -> ModuleDesign:
    """``jump_head``: the continuation of a jump, under a small jump head. ``brief``: a short story
    set as a brief, under a run-in sized head, without kicker, deck or photo. ``pull_quote``: a
    quotation from the story heads one of its columns (if it quotes anyone at a readable length and
    the module is at least two columns wide). ``headline_lines``: the headline stacked on that many
    more lines (a narrower measure, the same size), if its tier allows so many. ``photo_cols``: the
    photo across that many of the module's columns (at most all), not :func:`photo_columns`'s."""
    options = DesignOptions(tier, headline_step, with_photo, with_deck, photo_rows, jump_head, brief, pull_quote,
                            headline_lines, photo_cols)
    width = fmt.span_width(cols)
    grid = fmt.baseline
    lang = article.language
    if jump_head or brief:
        head_style = fmt.style("brief-head" if brief else "jump-head")  # both: a continuation's small head
        headline = set_plain(article.headline, head_style, width, lang, breaker_name=breaker)
        header = HeaderDesign(None, headline, None, head_style.size, max(fmt.tiers) + 1,
                              units(headline.height + descender_overhang(headline) + HEAD_GAP, grid))
    else:
        tier = tier or min(max(article.priority, 1), max(fmt.tiers))
        # Narrow modules cannot carry the biggest type: a one- or two-column story drops a tier.
        tier = max(tier, {1: 4, 2: 3}.get(cols, 1))
        # A smaller size within the tier if copyfit asks and the tier has one that fits.
        chosen = _headline(article, fmt, width, tier, breaker, headline_step) if headline_step else None
        sized = chosen or _headline(article, fmt, width, tier, breaker)
        assert sized is not None  # without a step the tier's smallest size is the answer of last resort
        headline, size, tier = sized
        if headline_lines and len(headline) + headline_lines <= fmt.tiers[tier].max_lines:
            headline = _stacked(article, fmt.tiers[tier].style(size), width, len(headline) + headline_lines,
                                breaker) or headline
        else:
            headline = _without_a_word_left_over(article, fmt.tiers[tier].style(size), width, headline, breaker)
        kicker = set_plain(article.kicker, fmt.style("kicker"), width, lang, breaker_name=breaker) if article.kicker else None
        deck = None
        if with_deck and article.subheadline and cols >= 2:
            deck = set_plain(article.subheadline, fmt.style("deck"), width, lang, breaker_name=breaker)
        kicker_gap = head_gap(kicker, headline) if kicker else HEAD_GAP
        deck_gap = head_gap(headline, deck) if deck else HEAD_GAP
        height = headline.height + (kicker.height + kicker_gap if kicker else 0) + (deck.height + deck_gap if deck else 0)
        # The last block's descenders must clear what comes below (a photo, a byline, the body).
        height += descender_overhang(deck or headline)
        header = HeaderDesign(kicker, headline, deck, size, tier, units(height + HEAD_GAP, grid), kicker_gap, deck_gap)
    photo = None
    if with_photo and article.photos and not jump_head and not brief:
        picture = article.photos[0]
        aspect = min(max(picture.aspect, PHOTO_MIN_ASPECT), PHOTO_MAX_ASPECT)
        photo_cols = min(photo_cols, cols) if photo_cols else photo_columns(cols)
        photo_width = fmt.span_width(photo_cols)
        rows = photo_rows if photo_rows is not None else max(3, round(photo_width * aspect / grid))
        caption = set_plain(picture.caption, fmt.style("caption"), photo_width, lang, breaker_name=breaker) if picture.caption else None
        credit = set_plain(picture.credit, fmt.style("credit"), photo_width, lang, breaker_name=breaker) if picture.credit else None
        cap_height = (caption.height if caption else 0) + (credit.height if credit else 0) + 4
        caption_block = caption or set_plain(" ", fmt.style("caption"), photo_width, lang)
        photo = PhotoDesign(picture, photo_cols, rows, caption_block, credit, units(cap_height, grid))
    byline = None
    byline_rows = 0
    if article.byline and not jump_head:
        byline = set_plain(article.byline, fmt.style("byline"), fmt.column_width, lang, breaker_name=breaker)
        byline_rows = units(byline.height + 2, grid)
    quote = _pull_quote(article, cols, fmt, breaker) if pull_quote and not (jump_head or brief) else None
    return ModuleDesign(article=article, cols=cols, header=header, photo=photo, byline=byline,
                        byline_rows=byline_rows, body=body_lines(article, fmt, breaker), jump_head=jump_head,
                        brief=brief, pull_quote=quote, options=options)


PULL_QUOTE_GAP = 4.0  # points between a pull quote's rules and its text


def _pull_quote(article: Article, cols: int, fmt: PageFormat, breaker: str) -> PullQuoteDesign | None:
    """The quotation set one column wide at the head of a column away from where the story says it
    (under the photo and its caption if the photo spans that column; never the first column, where
    the story starts): the last column for a quotation from the story's first half, else the
    second. At the second column's head a quotation from the opening paragraphs stood beside its
    own words, the sentence broken around it (an outside editor's audit: "That is not" / the
    quotation / "acceptable when ..."). None for a one-column module or a story without one."""
    text = pull_quote_text(article)
    position = quotation_position(article)
    if text is None or position is None or cols < 2:
        return None
    col = cols - 1 if position < 0.5 else 1
    block = set_plain(text, fmt.style("pull-quote"), fmt.column_width, article.language, breaker_name=breaker)
    return PullQuoteDesign(block, col, units(block.height + 2 * PULL_QUOTE_GAP, fmt.baseline) + 1)


def photo_columns(cols: int) -> int:
    """How many of a module's columns its photo spans: all of a narrow module, about two thirds of a
    wide one (text runs down the columns to its left, so the story starts at the top left)."""
    return cols if cols <= 2 else {3: 2, 4: 3, 5: 3}.get(cols, 4)


def photo_row_range(design: ModuleDesign, fmt: PageFormat) -> tuple[int, int]:
    """Smallest and largest picture heights (rows) the photo may be cropped to at this width."""
    assert design.photo is not None
    width = fmt.span_width(design.photo.cols)
    lo = max(3, int(width * PHOTO_MIN_ASPECT / fmt.baseline))
    hi = int(width * PHOTO_MAX_ASPECT / fmt.baseline)
    return lo, hi
