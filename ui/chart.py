"""The results bar chart, drawn with QPainter (QtCharts is not part of PySide6-Essentials).

One horizontal bar per bid, in rank order, split into each criterion's points so the officer sees *why* a bid
won; bids that are not ranked are listed with the reason instead of a bar.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from svdesk.domain.money import format_points
from svdesk.domain.scoring import Results
from svdesk.domain.tender import Tender

#: Colours for criteria, chosen to stay distinguishable for the common colour-vision deficiencies.
PALETTE = ("#1f6fb2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#0072b2", "#f0e442")


class ResultsChart(QWidget):
    """Total points per bid as stacked horizontal bars with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tender: Tender | None = None
        self._results: Results | None = None
        self.setAccessibleName("Results chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(140)

    def set_results(self, tender: Tender | None, results: Results | None) -> None:
        """Draw these results."""
        self._tender, self._results = tender, results
        if results is not None:
            lines = [f"{r.rank or '–'}. {r.supplier}: {format_points(r.total)} points" for r in results.results]
            self.setAccessibleDescription("; ".join(lines))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        n = len(self._results.results) if self._results else 3
        line = QFontMetrics(self.font()).height()
        return QSize(640, int(line * 2.2) * n + line * 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        if self._results is None or self._tender is None or not self._results.results:
            p.setPen(self.palette().placeholderText().color())
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No results to draw yet")
            p.end()
            return
        fm = QFontMetrics(self.font())
        line = fm.height()
        margin = line
        names = [f"{r.rank}. {r.supplier}" if r.rank else r.supplier for r in self._results.results]
        label_w = min(max(fm.horizontalAdvance(n) for n in names) + line, int(self.width() * 0.38))
        total_w = fm.horizontalAdvance("100.00") + line
        left = margin + label_w
        right = self.width() - margin - total_w
        width = max(10, right - left)
        bar_h = int(line * 1.5)
        step = int(line * 2.2)
        colours = {c.id: QColor(PALETTE[i % len(PALETTE)]) for i, c in enumerate(self._tender.criteria)}
        y = margin
        for r, name in zip(self._results.results, names, strict=True):
            p.setPen(self.palette().text().color())
            bold = QFont(self.font())
            bold.setBold(r.rank == 1)
            p.setFont(bold)
            elided = fm.elidedText(name, Qt.TextElideMode.ElideRight, label_w - line // 2)
            p.drawText(QRectF(margin, y, label_w, bar_h), Qt.AlignmentFlag.AlignVCenter, elided)
            p.setFont(self.font())
            if r.ranked:
                x = float(left)
                for c in self._tender.criteria:
                    pts = r.criteria.get(c.id, Decimal(0))
                    w = float(pts) / 100.0 * width
                    if w > 0:
                        p.fillRect(QRectF(x, y, w, bar_h), colours[c.id])
                    x += w
                p.setPen(self.palette().text().color())
                p.drawText(QRectF(x + 6, y, total_w, bar_h), Qt.AlignmentFlag.AlignVCenter, format_points(r.total))
            else:
                p.setPen(QColor("#8a8f98"))
                why = "excluded" if r.excluded else "not ranked"
                reason = r.reasons[0] if r.reasons else ""
                text = fm.elidedText(f"{why}: {reason}", Qt.TextElideMode.ElideRight, int(right - left + total_w))
                p.drawText(QRectF(left, y, right - left + total_w, bar_h), Qt.AlignmentFlag.AlignVCenter, text)
            y += step
        # scale line and legend
        p.setPen(QPen(self.palette().mid().color(), 1))
        p.drawLine(left, margin - 4, left, y - step + bar_h + 4)
        x = float(left)
        y += line // 2
        for c in self._tender.criteria:
            label = f"{c.name} ({format_points(c.weight).rstrip('0').rstrip('.')})"
            w = fm.horizontalAdvance(label) + line * 2
            if x + w > self.width() - margin:
                x = float(left)
                y += int(line * 1.4)
            p.fillRect(QRectF(x, y + 2, line * 0.8, line * 0.8), colours[c.id])
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(x + line, y, w, line * 1.2), Qt.AlignmentFlag.AlignVCenter, label)
            x += w
        p.end()
        needed = int(y + line * 2)
        if needed > self.minimumHeight():
            self.setMinimumHeight(needed)
