"""Crop and registration marks for the plant, drawn in the slug outside the bleed (PDF space, y up).

Marks are drawn in the registration colour (``/Separation /All``), so they appear on every plate,
and stop short of the bleed so nothing of them lands on the trimmed page or its bleed.
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColorSep
from reportlab.pdfgen.canvas import Canvas

__all__ = ["draw_marks"]

REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")
LINE = 0.25  # pt, the usual hairline of crop marks


def draw_marks(canvas: Canvas, trim: tuple[float, float, float, float], bleed: float, slug: float) -> None:
    """Crop marks at the four corners of ``trim`` (x0, y0, x1, y1) and a registration target at the
    middle of each side, all between the bleed's edge and the media's edge ``slug`` further out."""
    x0, y0, x1, y1 = trim
    start, end = bleed + 1.0, bleed + slug - 1.0  # distance from the trim edge
    canvas.saveState()
    canvas.setStrokeColor(REGISTRATION)
    canvas.setLineWidth(LINE)
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            canvas.line(x + sx * start, y, x + sx * end, y)  # marks the horizontal trim line
            canvas.line(x, y + sy * start, x, y + sy * end)  # marks the vertical trim line
    radius = (end - start) / 4
    middle = bleed + slug / 2
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    for cx, cy in ((mx, y1 + middle), (mx, y0 - middle), (x0 - middle, my), (x1 + middle, my)):
        canvas.circle(cx, cy, radius, stroke=1, fill=0)
        canvas.line(cx - 2 * radius, cy, cx + 2 * radius, cy)
        canvas.line(cx, cy - 2 * radius, cx, cy + 2 * radius)
    canvas.restoreState()
