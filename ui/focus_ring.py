"""A keyboard-focus outline that is always visible (issue 14): a blue ring drawn around whatever has the focus,
in every window and dialog, whatever the widget and whatever Qt style is in use.

Qt's own focus rectangle is a faint dotted line in some styles and nothing at all in others (a flat list, a
stylesheet button). :class:`FocusRings` follows ``QApplication.focusChanged`` and keeps one transparent
:class:`FocusRing` per window over the focused widget (clicks go straight through it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

#: The ring: 2 px of the svdesk blue, with a 1 px white edge so it shows on blue (a selected row, a pressed
#: "Agreed" button) as well as on white.
RING = QColor("#1f6fb2")
EDGE = QColor("#ffffff")
WIDTH = 2


class FocusRing(QWidget):
    """The ring itself: a child of a window, above its other children, transparent to the mouse."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("svdesk-focus-ring")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.target: QWidget | None = None
        self.hide()

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.rect().adjusted(1, 1, -1, -1)
        p.setPen(QPen(EDGE, WIDTH + 2))
        p.drawRoundedRect(r, 3, 3)
        p.setPen(QPen(RING, WIDTH))
        p.drawRoundedRect(r, 3, 3)
        p.end()


class FocusRings(QObject):
    """Keeps a ring over the focused widget of the active window. Install once: ``FocusRings(app)``."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._rings: dict[int, FocusRing] = {}
        self._watched: QWidget | None = None
        self._window: QWidget | None = None
        app.focusChanged.connect(self._on_app_focus_changed)

    def ring_for(self, window: QWidget) -> FocusRing:
        """The ring of a window (made on first use)."""
        key = id(window)
        ring = self._rings.get(key)
        if ring is None or ring.parentWidget() is not window:
            ring = FocusRing(window)
            self._rings[key] = ring
            window.destroyed.connect(lambda _o=None, k=key: self._rings.pop(k, None))
        return ring

    @Slot(QWidget, QWidget)
    def _on_app_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        for w in (self._watched, self._window):
            if w is not None:
                w.removeEventFilter(self)
        self._watched = self._window = None
        if old is not None and old.window() is not None:
            ring = self._rings.get(id(old.window()))
            if ring is not None:
                ring.hide()
        if new is None or new.isWindow() or isinstance(new, FocusRing):
            return
        self._watched, self._window = new, new.window()
        new.installEventFilter(self)
        self._window.installEventFilter(self)   # the window resized: the widget moved within it
        self.place(new)

    def place(self, widget: QWidget) -> None:
        """Put the ring round ``widget`` (only the part of it that can be seen, e.g. inside a scroll area)."""
        window = widget.window()
        ring = self.ring_for(window)
        ring.target = widget
        parent = widget.parentWidget()
        target: QWidget = parent if isinstance(parent, QAbstractScrollArea) else widget
        seen = target.visibleRegion().boundingRect()
        if seen.isEmpty() or not target.isVisible():
            ring.hide()
            return
        top_left = target.mapTo(window, seen.topLeft())
        rect = QRect(top_left, seen.size()).adjusted(-WIDTH - 1, -WIDTH - 1, WIDTH + 1, WIDTH + 1)
        ring.setGeometry(rect.intersected(window.rect()))
        ring.raise_()
        ring.show()
        ring.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self._watched or watched is self._window) and self._watched is not None and (
                event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)):
            self.place(self._watched)
        return False
