"""A ReportLab drawing (the charts of :mod:`svdesk.reports.charts`) as a PNG image, for the Word committee report.

Word takes a chart as a picture. ReportLab 5's own bitmap renderer (``renderPM``) needs the ``rlPyCairo`` plugin
and pycairo, which has no Linux wheel (it is built against the system's cairo library); the older
``rl_renderPM`` accelerator is no longer used by ReportLab 5. So the drawing is painted here with Pillow, which
ReportLab already requires: the same shapes, fonts (DejaVu Sans from ``resources/fonts/``) and colours as in
the PDF, drawn at three times the resolution and reduced (smooth edges), offline and without Qt.

Only the shapes the charts use are drawn: ``Rect``, ``Line``, ``PolyLine``, ``Polygon``, ``Circle`` and
``String``, in groups that move and scale them (no rotated text); any other shape raises ``TypeError``, so a
chart that grows a new kind of shape fails its test rather than losing it silently.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color

from svdesk.paths import resources_dir
from svdesk.reports import styles

#: Dots per inch of the PNG (a chart 174 mm wide is about 1,370 pixels).
DPI = 200
#: Drawn this many times larger, then reduced: anti-aliased edges.
SUPERSAMPLE = 3

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(a: Matrix, b: Matrix) -> Matrix:
    """``a`` then ``b`` (PDF order: the point is multiplied by ``b`` first)."""
    a0, a1, a2, a3, a4, a5 = a
    b0, b1, b2, b3, b4, b5 = b
    return (a0 * b0 + a2 * b1, a1 * b0 + a3 * b1, a0 * b2 + a2 * b3, a1 * b2 + a3 * b3,
            a0 * b4 + a2 * b5 + a4, a1 * b4 + a3 * b5 + a5)


def _rgba(c: Any) -> tuple[int, int, int, int] | None:
    if c is None or not isinstance(c, Color):
        return None
    alpha = getattr(c, "alpha", 1) or 0
    return (round(c.red * 255), round(c.green * 255), round(c.blue * 255), round(alpha * 255))


class _Painter:
    def __init__(self, drawing: Drawing, dpi: int, supersample: int) -> None:
        from PIL import Image, ImageDraw

        self.scale = dpi / 72 * supersample
        self.height = float(drawing.height)
        size = (max(1, round(drawing.width * self.scale)), max(1, round(drawing.height * self.scale)))
        self.image = Image.new("RGB", size, (255, 255, 255))
        self.draw = ImageDraw.Draw(self.image, "RGBA")
        self._fonts: dict[tuple[str, float], Any] = {}

    def point(self, m: Matrix, x: float, y: float) -> tuple[float, float]:
        px = m[0] * x + m[2] * y + m[4]
        py = m[1] * x + m[3] * y + m[5]
        return px * self.scale, (self.height - py) * self.scale

    def width(self, m: Matrix, w: float) -> int:
        factor = math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
        return max(1, round(w * factor * self.scale))

    def font(self, name: str, size: float) -> Any:
        from PIL import ImageFont

        key = (name, size)
        if key not in self._fonts:
            file = styles._FONT_FILES.get(name, styles._FONT_FILES[styles.FONT])
            self._fonts[key] = ImageFont.truetype(str(resources_dir() / "fonts" / file), size)
        return self._fonts[key]

    def shape(self, node: Any, m: Matrix) -> None:
        if isinstance(node, Group):            # a Drawing is a Group too
            t = tuple(float(v) for v in getattr(node, "transform", _IDENTITY))
            inner = _mul(m, (t[0], t[1], t[2], t[3], t[4], t[5]))
            for child in node.getContents():
                self.shape(child, inner)
        elif isinstance(node, Rect):
            x, y, w, h = node.x, node.y, node.width, node.height
            self.polygon([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], node, m)
        elif isinstance(node, Polygon):
            pts = list(node.points)
            self.polygon(list(zip(pts[0::2], pts[1::2], strict=True)), node, m)
        elif isinstance(node, Line):
            self.lines([(node.x1, node.y1), (node.x2, node.y2)], node, m)
        elif isinstance(node, PolyLine):
            pts = list(node.points)
            self.lines(list(zip(pts[0::2], pts[1::2], strict=True)), node, m)
        elif isinstance(node, Circle):
            (x0, y0), (x1, y1) = (self.point(m, node.cx - node.r, node.cy - node.r),
                                  self.point(m, node.cx + node.r, node.cy + node.r))
            box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            self.draw.ellipse(box, fill=_rgba(node.fillColor), outline=_rgba(node.strokeColor),
                              width=self.width(m, node.strokeWidth or 0) if node.strokeColor is not None else 0)
        elif isinstance(node, String):
            self.text(node, m)
        else:
            raise TypeError(f"cannot paint a {type(node).__name__} in a chart image")

    def polygon(self, pts: Sequence[tuple[float, float]], node: Any, m: Matrix) -> None:
        xy = [self.point(m, x, y) for x, y in pts]
        fill, stroke = _rgba(node.fillColor), _rgba(node.strokeColor)
        if fill is not None:
            self.draw.polygon(xy, fill=fill)
        if stroke is not None and (node.strokeWidth or 0) > 0:
            self.draw.line([*xy, xy[0]], fill=stroke, width=self.width(m, node.strokeWidth), joint="curve")

    def lines(self, pts: Sequence[tuple[float, float]], node: Any, m: Matrix) -> None:
        stroke = _rgba(node.strokeColor)
        if stroke is None or (node.strokeWidth or 0) <= 0:
            return
        self.draw.line([self.point(m, x, y) for x, y in pts], fill=stroke, width=self.width(m, node.strokeWidth))

    def text(self, node: String, m: Matrix) -> None:
        if m[1] or m[2]:
            raise TypeError("cannot paint rotated text in a chart image")
        fill = _rgba(node.fillColor)
        if fill is None or not node.text:
            return
        size = node.fontSize * abs(m[3]) * self.scale
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}.get(node.textAnchor, "ls")
        self.draw.text(self.point(m, node.x, node.y), node.text, font=self.font(node.fontName, size), fill=fill,
                       anchor=anchor)


def drawing_png(drawing: Drawing, dpi: int = DPI, supersample: int = SUPERSAMPLE) -> bytes:
    """``drawing`` painted on white as a PNG of ``dpi`` dots per inch (its size in points kept)."""
    from PIL import Image

    painter = _Painter(drawing, dpi, max(1, supersample))
    painter.shape(drawing, _IDENTITY)
    image = painter.image
    if supersample > 1:
        image = image.resize((max(1, image.width // supersample), max(1, image.height // supersample)),
                             Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


__all__ = ["DPI", "drawing_png"]
