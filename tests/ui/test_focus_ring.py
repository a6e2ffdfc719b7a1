"""Issue 14: a visible keyboard-focus outline everywhere — whatever has the focus has a ring round it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidget, QPushButton, QVBoxLayout, QWidget

from ui.focus_ring import RING, FocusRing, FocusRings


def test_the_ring_follows_the_keyboard_focus(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    rings = FocusRings(app)
    try:
        w = QWidget()
        qtbot.addWidget(w)
        layout = QVBoxLayout(w)
        edit, button, lst = QLineEdit(), QPushButton("Save"), QListWidget()
        lst.addItems(["a", "b"])
        for x in (edit, button, lst):
            layout.addWidget(x)
        w.resize(300, 300)
        w.show()
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow)
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus)
        ring = w.findChild(FocusRing)
        assert ring is not None and ring.isVisible()
        assert ring.geometry().contains(edit.geometry())
        qtbot.keyClick(edit, Qt.Key.Key_Tab)                 # Tab: the ring moves on with the focus
        assert button.hasFocus() and ring.geometry().contains(button.geometry())
        assert not ring.geometry().contains(edit.geometry())
        image = w.grab().toImage()
        g = ring.geometry()
        edge = [image.pixelColor(g.center().x(), g.top() + dy) for dy in range(5)]   # drawn, in svdesk blue
        assert any(abs(c.red() - RING.red()) + abs(c.green() - RING.green()) + abs(c.blue() - RING.blue()) < 60
                   for c in edge), [c.name() for c in edge]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)   # clicks go through the ring
        qtbot.keyClick(button, Qt.Key.Key_Tab)
        assert lst.hasFocus() and ring.geometry().contains(lst.geometry())
    finally:
        app.focusChanged.disconnect(rings._on_app_focus_changed)
        rings.deleteLater()
