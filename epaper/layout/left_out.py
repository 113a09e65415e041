"""Stories the published version printed that pages made again (a replate, ``build --lock``) would
leave out.

A full build may leave a story out when its section cannot hold it, and says so. A replate must not
do it on its own: at midnight a story grown by 300 words pushed a printed feature out of the paper,
and a lead made longer than its page was dropped from every edition, each replate published with
one "not placed" line among the others (a desk review). The desk decides what goes: the replate is
refused, naming each such story with layout's reason (which says what it would take to fit) and
the fixes (:func:`refusal`), and nothing is published.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from epaper.frame import LaidOutEdition
from epaper.ingest.problems import file_label

__all__ = ["LeftOutNow", "left_out_now", "refusal"]


@dataclass(frozen=True)
class LeftOutNow:
    """A story the published version printed that the pages made again would leave out."""

    article: str
    pages: tuple[int, ...]  # where the published version printed it
    section_pages: tuple[int, ...]  # the pages of its section then
    reason: str  # layout's, now (with what it would take to fit)
    source_file: Path | None  # its file in the edition folder


def left_out_now(record: dict, laid_out: LaidOutEdition) -> tuple[LeftOutNow, ...]:
    """The stories ``record`` (the published ``plan.json``) placed that ``laid_out`` leaves out. A
    story taken out of the folder is not among them: it is gone, not left out."""
    printed: dict[str, list[int]] = {}
    sections: dict[str, list[int]] = {}
    for entry in record["pages"]:
        sections.setdefault(entry["section"], []).append(entry["number"])
        for placement in entry["placements"]:
            pages = printed.setdefault(placement["article"], [])
            if entry["number"] not in pages:
                pages.append(entry["number"])
    section_of = {entry["number"]: entry["section"] for entry in record["pages"]}
    files = {article.id: article.source_file for article in laid_out.edition.articles}
    return tuple(LeftOutNow(unplaced.article_id, tuple(printed[unplaced.article_id]),
                            tuple(sections[section_of[printed[unplaced.article_id][0]]]),
                            unplaced.reason, files.get(unplaced.article_id))
                 for unplaced in laid_out.unplaced if unplaced.article_id in printed)


def refusal(stories: Sequence[LeftOutNow], *, remake: Callable[[set[int]], str | None], folder: Path | None,
            where: str = "") -> str:
    """Why pages made again are refused, and the fixes: cut the story as its reason says, make the
    pages of its section with it (``remake``: the command that makes those pages again, None when
    they are made again already), or take it out of the folder (``folder``: the edition folder, to
    name its file relative to it). ``where``: the edition, in a night ("" alone)."""
    one = len(stories) == 1
    listed = "".join(f"\n  {story.article} (printed on page{'' if len(story.pages) == 1 else 's'} "
                     f"{', '.join(map(str, story.pages))}{where}): {story.reason}" for story in stories)
    # (The story that took its room is one of those on its pages made again, seldom the one left out.)
    on = sorted({page for story in stories for page in story.pages})
    fixes = [f"cut copy on page{'' if len(on) == 1 else 's'} {', '.join(map(str, on))} to make the room that says"]
    command = remake({page for story in stories for page in story.section_pages})
    if command:
        fixes.append(f"make {'its' if one else 'their'} section's pages again with "
                     f"{'it' if one else 'them'}: {command}")
    files = [file_label(story.source_file, folder) if folder is not None else str(story.source_file)
             for story in stories if story.source_file is not None]
    fixes.append(f"to leave {'it' if one else 'them'} out, take {', '.join(files) or 'the file'} out of the edition "
                 "folder and replate again")
    fix = "; or ".join(fixes)
    return (f"the pages made again would leave out {'a story' if one else f'{len(stories)} stories'} the published "
            f"version printed — nothing is published:{listed}\n{fix[0].upper()}{fix[1:]}.")

