"""No ink collides in a header: a kicker's, a headline's or a deck's glyphs never touch the next
element's (the deck, the byline, the photo, the body), on every headline of the sample. Checked
in pixels: each kind of element is drawn alone, and no pixel is inked by two of them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from epaper.frame import LinkArea, Page, TextRun
from epaper.layout.module import descender_overhang, head_gap
from epaper.render.pdf import render_page
from epaper.typeset import set_plain
from epaper.typeset.ink import line_ink

SCALE = 3  # pixels per point
HEADER = ("kicker", "headline", "deck")


def _ink(page: Page, items, path: Path) -> Image.Image:
    """Where ``items`` alone put ink on the page: pixels more than half covered."""
    render_page(replace(page, items=tuple(items)), path, title="t", author="t")
    doc = pdfium.PdfDocument(str(path))
    image = doc[0].render(scale=SCALE, grayscale=True).to_pil().convert("L")
    doc.close()
    return image.point(lambda v: 255 if v < 128 else 0, mode="1")


def _role(item) -> str:
    return item.source.role if isinstance(item, TextRun) and item.source.role in HEADER else "rest"


@pytest.mark.slow
def test_no_header_ink_touches_another_element(sample_layout, tmp_path: Path) -> None:
    headlines = 0
    for page in sample_layout.pages:
        drawn = [item for item in page.items if not isinstance(item, LinkArea)]
        masks = {role: _ink(page, [i for i in drawn if _role(i) == role], tmp_path / f"{page.number}-{role}.pdf")
                 for role in (*HEADER, "rest")}
        headlines += len({i.source.article_id for i in drawn if _role(i) == "headline"})
        for upper in HEADER:
            for other in (*HEADER, "rest"):
                if other == upper:
                    continue
                both = ImageChops.logical_and(masks[upper], masks[other]).getbbox()
                assert both is None, (f"page {page.number}: {upper} ink touches {other} ink around "
                                      f"{[round(v / SCALE) for v in both]} pt")
    assert headlines > 60


def test_a_deep_descender_pushes_the_deck_down(sample_edition) -> None:
    from epaper.formats import load_format

    fmt = load_format(sample_edition.format)
    tier = fmt.tiers[1].style(54)
    deck = set_plain("Deck under it", fmt.style("deck"), 400, "en")
    flat = set_plain("HEADLINE ON ONE LINE", tier, 900, "en")
    deep = set_plain("Hungry gypsy piping", tier, 900, "en")
    assert descender_overhang(deep) > descender_overhang(flat)
    assert head_gap(deep, deck) > head_gap(flat, deck)
    hindi = set_plain("युद्ध में कृषि", tier, 900, "hi")
    assert line_ink(hindi.lines[-1]).below > 0.25 * 54  # below-base marks (ु, ृ) hang deep,
    assert descender_overhang(hindi) == 0  # and the leading Devanagari is set at holds them (plain_leading)
