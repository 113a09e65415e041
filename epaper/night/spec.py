"""``night.yaml``: a main edition and its zone editions (variants), as the desk writes it.

Only the file's own shape is checked here (types, names, numbers, duplicates); what needs the main
edition (does the section exist, is the page in it, do the zone's stories read) is checked when the
night is resolved (:mod:`.editions`). Every problem names ``night.yaml``, the field and the fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epaper.ingest.characters import clean_values
from epaper.ingest.fields import FieldReader, given, type_name
from epaper.ingest.manifest import EDITION_KEYS
from epaper.ingest.problems import Problem, ProblemLog, ProblemsError, quote
from epaper.ingest.sources import load_yaml, read_text
from epaper.model import slugify

__all__ = ["AddedSection", "NightError", "NightSpec", "VariantSpec", "read_night_spec"]

_NIGHT_KEYS = ("main", "variants")
_VARIANT_KEYS = ("edition", "folder", "replace_sections", "add_sections", "replace_pages", "zone_pages", "ads")
_ADDED_KEYS = ("name", "pages", "after", "template", "language")
MAX_VARIANTS = 100  # Bhaskar's biggest unit has ~60 sub-editions: more is a typo or a loop


class NightError(ProblemsError):
    """The night cannot be built; ``problems`` says why, each naming file, field and fix."""

    SUBJECT = "the night"


@dataclass(frozen=True)
class AddedSection:
    """A section only the zone has, placed after the main edition's section ``after``."""

    name: str
    pages: int
    after: str
    template: str = "standard"
    language: str | None = None


@dataclass(frozen=True)
class VariantSpec:
    """One zone edition as ``night.yaml`` gives it (``index`` is its place in ``variants``)."""

    index: int
    edition: str                       # the zone's name: the masthead's "<Name> edition", the id's last part
    folder: Path                       # its own articles/ and images/
    replace_sections: tuple[str, ...]  # main sections whose stories are all the zone's own
    add_sections: tuple[AddedSection, ...]
    replace_pages: tuple[int, ...]     # main pages that carry only the zone's stories (a local page)
    zone_pages: tuple[int, ...]        # main pages laid out again with the zone's stories added (a zoned front)
    ads: Any                           # the raw ads list: read against the zone's pages (see .editions)
    folder_named: bool = False         # night.yaml names the folder (else it is the zone's name's)

    @property
    def where(self) -> str:
        return f"variants[{self.index}]"


@dataclass(frozen=True)
class NightSpec:
    path: Path         # the night file
    main: Path         # the main edition's folder
    variants: tuple[VariantSpec, ...]
    # What the file says that is not used (a misspelt field): the night is built without it, and
    # each warning goes with the edition it concerns (see :meth:`warnings_of`).
    warnings: tuple[Problem, ...] = ()

    def warnings_of(self, variant: VariantSpec | None) -> tuple[Problem, ...]:
        """The file's warnings about ``variant`` (None: about the night as a whole, the main
        edition's)."""
        if variant is None:
            return tuple(w for w in self.warnings if not w.field.startswith("variants["))
        return tuple(w for w in self.warnings if w.field.startswith(f"{variant.where}."))

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def fingerprint(self) -> str:
        """What the night file says (its main edition, every zone as read), not how it says it: a
        comment or a key's order changed gives the same fingerprint."""
        # Folders as seen from the night file's: the same night read from another working folder, or
        # moved with its folders, is the same night.
        here = self.path.parent.resolve()

        def seen(folder: Path) -> Path:
            return Path(os.path.relpath(folder.resolve(), here))

        # Lists whose order says nothing in a canonical order; ads with their keys sorted.
        variants = tuple((variant.edition, str(seen(variant.folder)), sorted(variant.replace_sections),
                          variant.add_sections, sorted(variant.replace_pages), sorted(variant.zone_pages),
                          json.dumps(variant.ads, sort_keys=True, default=str)) for variant in self.variants)
        # What it warns of too: a misspelt field put right changes what the reports say.
        said = repr((str(seen(self.main)), variants, tuple((w.field, w.message) for w in self.warnings)))
        return hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]


def _edition_fields_note(data: dict) -> str:
    """What to say of edition.yaml's fields given in the night file (``time_zone: Asia/Kolkata`` at
    its top was warned of as unknown, and the night built on the machine's clock: an audit)."""
    named = sorted(key for key in data if key in EDITION_KEYS and key not in _NIGHT_KEYS + _VARIANT_KEYS)
    if not named:
        return ""
    return (f"; {', '.join(named)} {'is' if len(named) == 1 else 'are'} edition.yaml's: set "
            f"{'it' if len(named) == 1 else 'them'} in the main edition's edition.yaml, which every zone shares")


def read_night_spec(path: Path) -> NightSpec:
    """Read and check ``night.yaml``; raises :class:`NightError` listing every problem."""
    path = Path(path)
    file = path.name
    problems = ProblemLog()
    if not path.is_file():
        problems.add(str(path), "", "is not a file", "give the path of a night file (night.yaml)")
        raise NightError(problems.as_tuple())
    text = read_text(path, file, problems)
    data = load_yaml(text, file, problems) if text is not None else None
    if not isinstance(data, dict):
        if not problems:
            problems.add(file, "", f"must be a mapping of fields, not {type_name(data)}",
                         "write 'main: ../my-edition' and a 'variants:' list")
        raise NightError(problems.as_tuple())
    data = clean_values(data, file, problems)
    fields = FieldReader(data, file, problems)
    fields.warn_unknown(_NIGHT_KEYS, "night.yaml", _edition_fields_note(data))
    main_text = fields.text("main", required=True)
    # Lexically normal ("night/../city" is "city"): every message names its files by this path.
    main = Path(os.path.normpath(path.parent / main_text)) if main_text else None
    if main is not None and not (main / "edition.yaml").is_file():
        fields.report("main", f"{quote(main_text)} is not an edition folder (no edition.yaml in {main})",
                      "give the main edition's folder, relative to night.yaml")
    variants = _read_variants(data.get("variants"), path.parent, file, problems)
    for variant in variants:
        if main is not None and _same_folder(variant.folder, main):
            # (its stories would be the main edition's twice over, its ads' images looked for there)
            folder = quote(os.path.relpath(variant.folder, path.parent))
            said = (f"the folder of zone {quote(variant.edition)}, {folder}," if variant.folder_named else
                    f"zone {quote(variant.edition)} names no folder, and the one its name gives, {folder},")
            problems.add(file, f"{variant.where}.folder", f"{said} is the main edition's folder",
                         "give the zone a folder of its own with folder: (its articles/ and images/)")
    if problems or main is None:
        raise NightError(problems.as_tuple(), problems.warnings())
    return NightSpec(path=path, main=main, variants=variants, warnings=problems.warnings())


def _read_variants(value: Any, base: Path, file: str, problems: ProblemLog) -> tuple[VariantSpec, ...]:
    shape = "list the zone editions, e.g. '- {edition: harbour, replace_sections: [City]}'"
    if value is None or value == []:
        problems.add(file, "variants", "no variants are given", shape)
        return ()
    if not isinstance(value, list):
        problems.add(file, "variants", f"variants must be a list, not {type_name(value)}", shape)
        return ()
    if len(value) > MAX_VARIANTS:
        problems.add(file, "variants", f"{len(value)} variants, more than {MAX_VARIANTS}",
                     "split the night into several night files")
        return ()
    variants = []
    names: dict[str, int] = {}
    for index, entry in enumerate(value):
        where = f"variants[{index}]"
        if not isinstance(entry, dict):
            problems.add(file, where, f"each variant must be a mapping, not {type_name(entry)}", shape)
            continue
        start = len(problems)
        fields = FieldReader(entry, file, problems, prefix=f"{where}.")
        fields.warn_unknown(_VARIANT_KEYS, "A variant's", _edition_fields_note(entry))
        name = fields.text("edition", required=True)
        if name:
            # Exact repeats here; two names that still make one edition id are caught with the ids
            # themselves (epaper.night.layout), whatever the id's rules for a script are.
            if name.casefold() in names:
                fields.report("edition", f"edition {quote(name)} is also variants[{names[name.casefold()]}]",
                              "give each zone edition its own name")
            names.setdefault(name.casefold(), index)
        folder = fields.text("folder", default=_default_folder(name) if name else "")
        added = _read_added(entry.get("add_sections"), fields, problems)
        variant = VariantSpec(
            index=index, edition=name or "", folder=Path(os.path.normpath(base / (folder or ""))),
            replace_sections=_text_list(fields, "replace_sections"),
            add_sections=added,
            replace_pages=_page_list(fields, "replace_pages"),
            zone_pages=_page_list(fields, "zone_pages"),
            ads=entry.get("ads"), folder_named=fields.has("folder"))
        overlap = set(variant.replace_pages) & set(variant.zone_pages)
        if overlap:
            fields.report("zone_pages", f"page {min(overlap)} is in replace_pages and zone_pages",
                          "name a page in one of them: replace_pages prints only the zone's stories, "
                          "zone_pages adds them to the main edition's")
        if len(problems) == start and name:
            variants.append(variant)
    return tuple(variants)


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:  # (a loop of links: not the same as a folder that resolves)
        return False


def _default_folder(name: str) -> str:
    """The zone's folder when night.yaml names none: its name as a slug, or as written when it has
    no Latin letters or digits to make one of (a Devanagari zone name)."""
    slug = slugify(name)
    return slug if re.search("[a-z0-9]", name.lower()) else name


def _text_list(fields: FieldReader, key: str) -> tuple[str, ...]:
    names = fields.text_list(key) or ()
    seen: set[str] = set()
    for name in names:
        if name in seen:
            fields.report(key, f"section {quote(name)} is named twice", "name each section once")
        seen.add(name)
    return tuple(names)


def _page_list(fields: FieldReader, key: str) -> tuple[int, ...]:
    value = fields.data.get(key)
    if value is None:
        return ()
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    shape = f"write it as {key}: [1, 3] (page numbers of the main edition)"
    if not isinstance(value, list):
        fields.report(key, f"{key} must be a list of page numbers, not {given(value)}", shape)
        return ()
    wrong = False
    for index, page in enumerate(value):  # each wrong entry named, not "not a list" of the whole
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            fields.report(f"{key}[{index}]", f"a page number must be a whole number 1 or more, not {given(page)}",
                          shape)
            wrong = True
    if wrong:
        return ()
    if len(set(value)) != len(value):
        fields.report(key, f"{key} names a page twice", "name each page once")
    return tuple(sorted(set(value)))


def _read_added(value: Any, parent: FieldReader, problems: ProblemLog) -> tuple[AddedSection, ...]:
    if value is None:
        return ()
    shape = "write it as a list, e.g. '- {name: Harbour, pages: 2, after: City}'"
    if not isinstance(value, list):
        parent.report("add_sections", f"add_sections must be a list, not {type_name(value)}", shape)
        return ()
    added = []
    for index, entry in enumerate(value):
        where = f"{parent.prefix}add_sections[{index}]"
        if not isinstance(entry, dict):
            problems.add(parent.file, where, f"each added section must be a mapping, not {type_name(entry)}", shape)
            continue
        start = len(problems)
        fields = FieldReader(entry, parent.file, problems, prefix=f"{where}.")
        fields.warn_unknown(_ADDED_KEYS, "An added section's")
        name = fields.text("name", required=True)
        pages = fields.integer("pages", low=1, high=64, required=True, what=" (pages of the zone's section)")
        after = fields.text("after", required=True)
        template = fields.text("template", default="standard")
        language = fields.text("language", default="") or None
        if len(problems) == start and name and pages and after and template:
            added.append(AddedSection(name=name, pages=pages, after=after, template=template, language=language))
    return tuple(added)
