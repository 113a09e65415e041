"""Article bodies: Markdown paragraphs, subheads and *italic* / **bold** runs.

Block structure is split here by hand on purpose: a newspaper paragraph that starts "1984. The
year…" or "- said the minister" must stay a paragraph, not become a list, so the only block syntax
recognised is blank-line paragraph breaks and ``#`` headings (subheads). Inline emphasis is parsed
by markdown-it-py (CommonMark rules: intraword underscores in snake_case stay literal, ``\\*``
escapes, unmatched ``*`` stay text). HTML is off, so ``<b>`` stays visible text rather than vanishing.

Nothing a reader needs may vanish on paper: a link prints its address after its text
("the report (example.org/report)"), and an inline image, which has no place in a column, keeps its
alt text and is noted so the desk hears of it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from epaper.model import Paragraph, Run
from epaper.ingest.text import collapse_spaces

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["parse_body", "parse_inline"]

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")


@cache
def _parser() -> MarkdownIt:
    # Imported here: a build that reads no Markdown article (a replate of a JSON story: every other
    # article is remembered as read) does not load markdown-it (~15 ms).
    from markdown_it import MarkdownIt

    # Typographer stays off: quotes and dashes are kept exactly as the desk typed them.
    return MarkdownIt("commonmark", {"html": False, "typographer": False})


def parse_body(markdown: str, notes: list[str] | None = None) -> tuple[Paragraph, ...]:
    """A Markdown body as paragraphs: blank lines separate, ``## Heading`` lines are subheads.
    What cannot be printed as written is described in ``notes``, if given."""
    paragraphs: list[Paragraph] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            paragraph = _paragraph(" ".join(pending), "text", notes)
            if paragraph is not None:
                paragraphs.append(paragraph)
            pending.clear()

    for line in markdown.split("\n"):
        heading = _HEADING.match(line)
        if heading:
            flush()
            paragraph = _paragraph(heading.group(2) or "", "subhead", notes)
            if paragraph is not None:
                paragraphs.append(paragraph)
        elif collapse_spaces(line):
            pending.append(line)
        else:
            flush()
    flush()
    return tuple(paragraphs)


def _paragraph(source: str, kind: str, notes: list[str] | None) -> Paragraph | None:
    runs = parse_inline(source, notes)
    return Paragraph(runs=runs, kind=kind) if runs else None


def parse_inline(source: str, notes: list[str] | None = None) -> tuple[Run, ...]:
    """One paragraph's text as styled runs, whitespace collapsed and trimmed, adjacent styles merged."""
    text = collapse_spaces(source)
    if not text:
        return ()
    tokens = _parser().parseInline(text)[0].children or []
    runs: list[Run] = []
    bold = italic = 0  # depths, so **a **b** c** (odd but legal) unwinds correctly
    links: list[tuple[str, int]] = []  # open links: (address, len of the text before the link)
    for token in tokens:
        kind = token.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind in ("text", "code_inline", "html_inline"):
            _append(runs, Run(token.content, bold=bold > 0, italic=italic > 0))
        elif kind in ("softbreak", "hardbreak"):
            _append(runs, Run(" ", bold=bold > 0, italic=italic > 0))
        elif kind == "image":
            # An inline image has no place in a column of type; keep its alt text so no words vanish.
            _append(runs, Run(token.content, bold=bold > 0, italic=italic > 0))
            if notes is not None:
                notes.append(f"the inline image {str(token.attrs.get('src', ''))!r} in the body is not "
                             "printed (only its description is)")
        elif kind == "link_open":
            links.append((str(token.attrs.get("href", "")), sum(len(run.text) for run in runs)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            text = "".join(run.text for run in runs)[start:]
            shown = printed_address(href)
            if shown and shown not in text and href not in text:
                _append(runs, Run(f" ({shown})" if text.strip() else shown, bold=bold > 0, italic=italic > 0))
    return _trim(runs)


def printed_address(href: str) -> str:
    """How a link's address is printed: without the ``https://`` or ``mailto:`` a reader never types."""
    return re.sub(r"^(?:https?://|mailto:)", "", href, flags=re.IGNORECASE).rstrip("/")


def _append(runs: list[Run], run: Run) -> None:
    if not run.text:
        return
    if runs and runs[-1].bold == run.bold and runs[-1].italic == run.italic:
        runs[-1] = Run(runs[-1].text + run.text, bold=run.bold, italic=run.italic)
    else:
        runs.append(run)


def _trim(runs: list[Run]) -> tuple[Run, ...]:
    """Collapse spaces across run borders and drop space-only runs at the paragraph's ends."""
    cleaned: list[Run] = []
    for run in runs:
        text = re.sub(" {2,}", " ", run.text)
        if cleaned and cleaned[-1].text.endswith(" ") and text.startswith(" "):
            text = text[1:]
        if text:
            cleaned.append(Run(text, bold=run.bold, italic=run.italic))
    while cleaned and not cleaned[0].text.strip(" "):
        cleaned.pop(0)
    while cleaned and not cleaned[-1].text.strip(" "):
        cleaned.pop()
    if cleaned:
        cleaned[0] = Run(cleaned[0].text.lstrip(" "), bold=cleaned[0].bold, italic=cleaned[0].italic)
        cleaned[-1] = Run(cleaned[-1].text.rstrip(" "), bold=cleaned[-1].bold, italic=cleaned[-1].italic)
    return tuple(cleaned)
