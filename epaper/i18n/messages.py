"""The message catalogues: ``po/<language>.po``, one per language, English the fallback.

msgids are keys (``continued_on``), not English sentences, so code and templates name a message
the same way in every language, and the English text can change without touching a translation.
A message a language leaves empty (or marks fuzzy, as gettext does) is printed in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from babel.messages.pofile import read_po

__all__ = ["FALLBACK", "LANGUAGES", "PO_DIR", "catalogue", "fill", "base_language"]

PO_DIR = Path(__file__).resolve().parent / "po"
FALLBACK = "en"
LANGUAGES: tuple[str, ...] = tuple(sorted(path.stem for path in PO_DIR.glob("*.po")))


def base_language(language: str) -> str:
    """``hi-IN`` → ``hi``: catalogues are per language, not per region."""
    return (language or FALLBACK).replace("_", "-").split("-")[0].lower()


@cache
def _messages(language: str) -> Mapping[str, str]:
    """One .po file's translated messages (empty and fuzzy ones left out, as gettext does)."""
    with (PO_DIR / f"{language}.po").open("rb") as handle:
        po = read_po(handle, locale=language)
    return MappingProxyType({str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy})


@cache
def catalogue(language: str = FALLBACK) -> Mapping[str, str]:
    """Every message in ``language``: its own text where its catalogue has one, English otherwise."""
    merged = dict(_messages(FALLBACK))
    code = base_language(language)
    if code != FALLBACK and code in LANGUAGES:
        merged.update(_messages(code))
    return MappingProxyType(merged)


def fill(template: str, **values: object) -> str:
    """``fill("Page {page}", page="3")`` → ``"Page 3"`` (the viewer script's ``t()`` does the same).

    Values are put in as given: :class:`~epaper.i18n.Wording` writes numbers in the edition's digits first."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template
