"""Copy the viewer's CSS/JS (and OpenSeadragon, when it was vendored) into an output folder.

OpenSeadragon comes from npm (pinned in package.json). A wheel carries it in
``epaper/web/static/vendor/openseadragon/`` (setup.py copies it in, and refuses to build without it);
a checkout (editable install) finds it in ``node_modules`` after ``npm ci``. Without either, the
viewer falls back to plain page images.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from epaper.model import Edition
from epaper.model.scripts import DEVANAGARI_RANGES, written_in_devanagari
from epaper.publish.output import atomic_file

__all__ = ["STATIC_DIR", "STYLE_SHEETS", "copy_static", "copy_web_fonts", "openseadragon_dir", "shows_devanagari",
           "style_sheet"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
STYLE_SHEETS = ("text.css", "viewer.css", "report.css")
# The web fonts' @font-face rules (see that file): put at the head of each style sheet copied out.
_FONT_FACES = STATIC_DIR / "fonts" / "faces.css"
_VENDORED = STATIC_DIR / "vendor" / "openseadragon"
_NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules" / "openseadragon" / "build" / "openseadragon"


def openseadragon_dir() -> Path | None:
    for candidate in (_VENDORED, _NODE_MODULES):
        if (candidate / "openseadragon.min.js").is_file():
            return candidate
    return None


# What the web fonts cover (their unicode-range, fonts/faces.css), the joiners and dotted circle aside.
_DEVANAGARI = re.compile("[" + "".join(f"{low}-{high}" for low, high in DEVANAGARI_RANGES) + "]")


def shows_devanagari(edition: Edition) -> bool:
    """Whether the edition's epaper may show Devanagari: the edition, a section or a story is in a
    Devanagari-script language (its chrome, dates and digits then are too), or a word of its
    title, sections or stories is Devanagari (a name quoted in an English story)."""
    languages = {edition.language, *(s.language for s in edition.sections if s.language),
                 *(a.language for a in edition.articles)}
    if any(written_in_devanagari(language) for language in languages):
        return True
    words = [edition.title, *(s.name for s in edition.sections)]
    for a in edition.articles:
        words += [a.headline, a.kicker, a.subheadline, a.byline, a.dateline, *a.tags,
                  *(p.text for p in a.body), *(f"{p.caption} {p.credit}" for p in a.photos)]
    return any(_DEVANAGARI.search(word) for word in words)


def style_sheet(name: str) -> str:
    """The style sheet ``name`` (one of :data:`STYLE_SHEETS`) as an output folder has it: the web
    fonts' ``@font-face`` rules first, so that no page asks for a style sheet more."""
    return _FONT_FACES.read_text(encoding="utf-8") + (STATIC_DIR / name).read_text(encoding="utf-8")


def copy_web_fonts(static: Path) -> None:
    """The web fonts the style sheets name (and their licence) into ``static/fonts/``: each file
    that is not there already as it is here replaced whole (the output root's ``static/`` is
    served while a build writes it)."""
    fonts = static / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for source in sorted((STATIC_DIR / "fonts").iterdir()):
        if source == _FONT_FACES or source.name.startswith(".") or not source.is_file():
            continue
        data, target = source.read_bytes(), fonts / source.name
        if not (target.is_file() and target.read_bytes() == data):
            with atomic_file(target) as temporary:
                temporary.write_bytes(data)


def copy_static(target: Path, *, web_fonts: bool = True) -> bool:
    """Copy the static assets to ``target`` (a folder being made: nothing in it is replaced), the
    web fonts with them if ``web_fonts`` (an edition that shows no Devanagari never asks for them,
    and its saved copy, which holds static/, is lighter without); return whether OpenSeadragon is
    included."""
    shutil.copytree(STATIC_DIR, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("vendor", "fonts", ".*", *STYLE_SHEETS))
    for name in STYLE_SHEETS:
        (target / name).write_text(style_sheet(name), encoding="utf-8")
    if web_fonts:
        copy_web_fonts(target)
    source = openseadragon_dir()
    if source is None:
        return False
    vendor = target / "vendor" / "openseadragon"
    vendor.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "openseadragon.min.js", vendor / "openseadragon.min.js")
    if (source / "images").is_dir():
        shutil.copytree(source / "images", vendor / "images", dirs_exist_ok=True)
    license_file = next((p for p in (source / "LICENSE.txt", source.parents[1] / "LICENSE.txt") if p.is_file()), None)
    if license_file:
        shutil.copy2(license_file, vendor / "LICENSE.txt")
    return True
