"""ReportLab's paragraph, made cheap to measure twice: the one ``Paragraph`` every paper uses.

A table cell's paragraph is wrapped several times at the same width: once when its table is measured, again
when a long table is split across pages (each part re-measures the rows it keeps) and once more before it is
drawn. Line breaking is most of the time of a long paper, so :class:`Paragraph` keeps the lines of its last
wrap and returns them when asked again at the same width (the lines do not depend on the height offered).
Markup is also parsed once per distinct text and style: a 500-bid paper has tens of thousands of cells but
only a few thousand different ones ("—", "4", a criterion's name), so the parsed fragments are shared — they
are only read when lines are broken and drawn, never changed.

The output is byte for byte what ReportLab's own paragraph draws (a test renders papers both ways).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import paragraph as _rl

#: Parsed markup per (text, style); bounded, so one huge paper cannot hold on to every cell it ever printed.
_PARSED: dict[tuple[str, int], tuple[Any, Any, Any, Any]] = {}
_PARSED_MAX = 50_000


class Paragraph(_rl.Paragraph):  # type: ignore[misc]  # ReportLab ships no type hints
    """A paragraph that parses its markup once per distinct text and breaks its lines once per width."""

    def _setup(self, text: str, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:  # noqa: N803
        if frags is not None or bulletText is not None:
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        key = (text, id(style))
        hit = _PARSED.get(key)
        if hit is not None and hit[0] is style:
            _style, self.text, self.frags, self.style = hit
            self.bulletText = None
            self.debug = 0
            return
        super()._setup(text, style, bulletText, frags, cleaner)
        if self.bulletText is None:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            # The style is kept in the entry, so its id cannot be reused by another style while cached.
            _PARSED[key] = (style, self.text, self.frags, self.style)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if availWidth == getattr(self, "_wrapped_at", None) and hasattr(self, "blPara"):
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth if availWidth >= _rl._FUZZ and hasattr(self, "blPara") else None
        return size
