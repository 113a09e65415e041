"""Page formats, templates and type styles, read from ``layouts/`` into frozen records in points."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from epaper.resources import layouts_dir

MM = 72 / 25.4
# Beside a headline, one under this share of its size reads as the lesser story's; at or over it
# the two read as alike (placement weighs them, the report counts them as drawn).
HEADLINE_SIZE_CONTRAST = 0.8

__all__ = [
    "HEADLINE_SIZE_CONTRAST",
    "NO_MICROTYPE",
    "HeadlineTier",
    "Microtype",
    "PageFormat",
    "Template",
    "TypeStyle",
    "available_formats",
    "available_templates",
    "load_format",
    "MM",
]


@dataclass(frozen=True)
class Microtype:
    """Per-style limits of microtypography (see :mod:`epaper.typeset.microtype`). ``letter_spacing``: the most each gap between two letters may shrink
    (negative) and grow, in ems of the type size. ``glyph_scaling``: the narrowest and widest
    horizontal scale of the glyphs (1.0 = as designed)."""

    letter_spacing: tuple[float, float] = (0.0, 0.0)
    glyph_scaling: tuple[float, float] = (1.0, 1.0)

    def __post_init__(self) -> None:
        lo, hi = self.letter_spacing
        if not (-0.1 <= lo <= 0.0 <= hi <= 0.1):
            raise ValueError(f"letter_spacing {self.letter_spacing}: needs -0.1 ≤ min ≤ 0 ≤ max ≤ 0.1 (ems)")
        lo, hi = self.glyph_scaling
        if not (0.9 <= lo <= 1.0 <= hi <= 1.1):
            raise ValueError(f"glyph_scaling {self.glyph_scaling}: needs 0.9 ≤ min ≤ 1 ≤ max ≤ 1.1")

    @property
    def active(self) -> bool:
        return self != NO_MICROTYPE

    def box_limits(self, width: float, letter_gaps: int, size: float) -> tuple[float, float]:
        """How much a word fragment of natural ``width`` with ``letter_gaps`` spaceable gaps may
        grow and shrink, in points."""
        stretch = width * (self.glyph_scaling[1] - 1.0) + letter_gaps * self.letter_spacing[1] * size
        shrink = width * (1.0 - self.glyph_scaling[0]) - letter_gaps * self.letter_spacing[0] * size
        return stretch, shrink

    def scale(self, m: float) -> float:
        """Glyph scale at adjustment ``m`` (-1 fully narrowed … 1 fully widened)."""
        lo, hi = self.glyph_scaling
        return 1.0 + m * ((hi - 1.0) if m >= 0 else (1.0 - lo))

    def spacing(self, m: float, size: float) -> float:
        """Extra space after each spaceable letter at adjustment ``m``, in points on the page."""
        lo, hi = self.letter_spacing
        return m * size * (hi if m >= 0 else -lo)


NO_MICROTYPE = Microtype()


@dataclass(frozen=True)
class TypeStyle:
    face: str
    size: float
    leading: float
    align: str = "left"
    indent: float = 0.0
    hyphenate: bool = False
    color: tuple[float, float, float] = (0.0, 0.0, 0.0)
    upper: bool = False
    space_before: float = 0.0
    lead_words: int = 0  # body style: a lead story's first paragraph opens with this many bold words
    # Justified text: what letters may give to even out word spaces (``letter_spacing`` in ems per
    # letter gap, least and most; ``glyph_scaling`` narrowest and widest). None: letters set as is.
    microtype: Microtype = NO_MICROTYPE


@dataclass(frozen=True)
class HeadlineTier:
    """Headline sizes allowed for one tier, largest first; copyfit may step down within the tier."""

    tier: int
    face: str
    sizes: tuple[float, ...]
    leading_ratio: float
    max_lines: int

    def style(self, size: float) -> TypeStyle:
        return TypeStyle(face=self.face, size=size, leading=round(size * self.leading_ratio, 2))


@dataclass(frozen=True)
class Template:
    name: str
    masthead: bool
    index: bool
    section_head: bool
    teasers: int = 0  # teasers for inside stories in a band under the masthead


@dataclass(frozen=True, eq=False)  # identity hash: formats are loaded once and used as cache keys
class PageFormat:
    name: str
    width: float
    height: float
    bleed: float
    margin_top: float
    margin_bottom: float
    margin_inside: float
    margin_outside: float
    columns: int
    gutter: float
    baseline: float
    folio_height: float
    masthead_height: float
    styles: dict[str, TypeStyle]
    tiers: dict[int, HeadlineTier]

    @property
    def column_width(self) -> float:
        usable = self.width - self.margin_inside - self.margin_outside
        return (usable - self.gutter * (self.columns - 1)) / self.columns

    def span_width(self, columns: int) -> float:
        """Width of a module ``columns`` wide (gutters between its columns included)."""
        return columns * self.column_width + (columns - 1) * self.gutter

    def column_x(self, page_left: float, column: int) -> float:
        return page_left + column * (self.column_width + self.gutter)

    def margin_left(self, page_number: int) -> float:
        """Inside margin is on the left of odd (right-hand) pages, on the right of even pages."""
        return self.margin_inside if page_number % 2 == 1 else self.margin_outside

    def style(self, name: str) -> TypeStyle:
        return self.styles[name]


class FormatError(ValueError):
    pass


def available_formats() -> list[str]:
    return sorted(p.stem for p in layouts_dir().glob("*.yaml") if _is_format(p))


def _is_format(path: Path) -> bool:
    return path.stem not in {"styles", "templates"}


@cache
def available_templates() -> dict[str, Template]:
    data = yaml.safe_load((layouts_dir() / "templates.yaml").read_text(encoding="utf-8"))
    return {
        name: Template(name=name, masthead=bool(spec.get("masthead")), index=bool(spec.get("index")),
                       section_head=bool(spec.get("section_head")),
                       teasers=int(spec.get("teasers", 0)))
        for name, spec in data.items()
    }


def _style(spec: dict) -> TypeStyle:
    fields = dict(spec)
    if "color" in fields:
        fields["color"] = tuple(fields["color"])
    if "letter_spacing" in fields or "glyph_scaling" in fields:
        (s_lo, s_hi), (g_lo, g_hi) = fields.pop("letter_spacing", (0.0, 0.0)), fields.pop("glyph_scaling", (1.0, 1.0))
        fields["microtype"] = Microtype((float(s_lo), float(s_hi)), (float(g_lo), float(g_hi)))
    return TypeStyle(**fields)


@cache
def load_format(name: str) -> PageFormat:
    path = layouts_dir() / f"{name}.yaml"
    if name not in available_formats():
        raise FormatError(f"unknown page format {name!r}; known: {', '.join(available_formats())}")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    styles_spec = yaml.safe_load((layouts_dir() / spec.get("styles", "styles.yaml")).read_text(encoding="utf-8"))
    tiers = {
        int(k): HeadlineTier(tier=int(k), face=v["face"], sizes=tuple(float(s) for s in v["sizes"]),
                             leading_ratio=float(v["leading_ratio"]), max_lines=int(v["max_lines"]))
        for k, v in styles_spec.pop("headline-tiers").items()
    }
    styles = {k: _style(v) for k, v in styles_spec.items()}
    margins = spec["margins_mm"]
    return PageFormat(
        name=spec["name"],
        width=spec["trim_mm"][0] * MM,
        height=spec["trim_mm"][1] * MM,
        bleed=spec.get("bleed_mm", 0) * MM,
        margin_top=margins["top"] * MM,
        margin_bottom=margins["bottom"] * MM,
        margin_inside=margins["inside"] * MM,
        margin_outside=margins["outside"] * MM,
        columns=int(spec["columns"]),
        gutter=spec["gutter_mm"] * MM,
        baseline=float(spec["baseline_pt"]),
        folio_height=spec["folio_height_mm"] * MM,
        masthead_height=spec["masthead_height_mm"] * MM,
        styles=styles,
        tiers=tiers,
    )
