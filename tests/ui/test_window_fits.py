"""The window fits a council laptop (issue 14 item 6): it opens within the screen's available area, remembers
its size and place per screen, and every button of every page can be reached without maximising it.

Screens are given as the available area in logical pixels (what Qt works in): 1366×768 at 100 % less a 40 px
taskbar, and 1280×720 at 125 % and at 150 % (1280×680 available, divided by the scale).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget

from svdesk.domain.tender import Tender
from svdesk.io.tender_file import read_tender_file
from tests.ui.conftest import DEMO
from tests.ui.fake_store import FakeDatabase
from ui import main_window
from ui.guide import PAGES
from ui.main_window import FRAME_ALLOWANCE, MainWindow

SCREENS = {
    "1366x768 at 100%": QRect(0, 0, 1366, 728),
    "1280x720 at 125%": QRect(0, 0, 1024, 544),
    "1280x720 at 150%": QRect(0, 0, 853, 453),
}


@pytest.fixture
def tenders() -> list[Tender]:
    return [read_tender_file(p) for p in sorted(DEMO.glob("*.json"))]


def _window(qtbot, monkeypatch: pytest.MonkeyPatch, area: QRect, db: FakeDatabase) -> MainWindow:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(main_window, "available_geometry", lambda _w: QRect(area))
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(db)
    return w


def _inside(w: MainWindow, area: QRect) -> bool:
    g = w.geometry()
    return (g.x() >= area.x() and g.y() >= area.y() and g.width() + FRAME_ALLOWANCE.width() <= area.width()
            and g.height() + FRAME_ALLOWANCE.height() <= area.height())


def _reach(button: QAbstractButton) -> None:
    """Scroll every scroll area around the button (innermost first) until it is in view, as the officer would."""
    parent: QWidget | None = button.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(button, 4, 4)
        parent = parent.parentWidget()
    QApplication.processEvents()


def _unreachable(w: MainWindow, root: QWidget) -> list[str]:
    missed = []
    for b in root.findChildren(QAbstractButton):
        if not b.isVisibleTo(root) or b.width() <= 1:
            continue
        _reach(b)
        seen = b.visibleRegion().boundingRect()
        on_window = QRect(b.mapTo(w, seen.topLeft()), seen.size())
        # Reachable: scrolled into view, enough of it shows to click (all of it, unless it is wider than the
        # page's view, like a long link-like warning), and what shows is inside the window.
        wanted_w = b.width() if b.width() <= 400 else 100
        if (not w.rect().contains(on_window) or seen.height() < min(b.height(), 16)
                or seen.width() < min(wanted_w, 16 if b.width() > 400 else b.width())):
            missed.append(f"{b.text() or b.accessibleName() or type(b).__name__} at "
                          f"{QRect(b.mapTo(w, QPoint(0, 0)), b.size()).getRect()}")
    return missed


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_window_opens_within_the_screen_and_can_shrink_to_it(qtbot, monkeypatch: pytest.MonkeyPatch,
                                                                  tenders: list[Tender], screen: str) -> None:  # type: ignore[no-untyped-def]
    area = SCREENS[screen]
    w = _window(qtbot, monkeypatch, area, FakeDatabase(tenders))
    assert _inside(w, area), f"{w.geometry().getRect()} does not fit {screen}"
    limit = area.size() - FRAME_ALLOWANCE
    for t in tenders:
        ws = w.open_tender(t.reference)
        assert ws is not None
        for key in PAGES:
            ws.show_page(key)
            hint = w.minimumSizeHint()
            assert hint.width() <= limit.width() and hint.height() <= limit.height(), (
                f"{t.reference} {key}: the window needs at least {hint.toTuple()} on {screen}")


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_button_of_every_page_is_reachable_without_maximising(qtbot, monkeypatch: pytest.MonkeyPatch,
                                                                     tenders: list[Tender], screen: str) -> None:  # type: ignore[no-untyped-def]
    area = SCREENS[screen]
    w = _window(qtbot, monkeypatch, area, FakeDatabase(tenders))
    assert not w.isMaximized() and _inside(w, area)
    missed = _unreachable(w, w.register)
    for t in tenders:
        ws = w.open_tender(t.reference)
        assert ws is not None
        for key in PAGES:
            page = ws.show_page(key)
            QApplication.processEvents()
            missed += [f"{t.reference} {key}: {m}" for m in _unreachable(w, page)]
    assert not missed, f"out of reach on {screen}:\n" + "\n".join(missed)


def test_size_and_place_are_remembered_per_screen(qtbot, monkeypatch: pytest.MonkeyPatch,
                                                  tenders: list[Tender]) -> None:  # type: ignore[no-untyped-def]
    big, small = QRect(0, 0, 1920, 1040), SCREENS["1280x720 at 150%"]
    w = _window(qtbot, monkeypatch, big, FakeDatabase(tenders))
    w.resize(1500, 900)
    w.move(100, 60)
    w.save_layout()
    w.close()
    again = _window(qtbot, monkeypatch, big, FakeDatabase(tenders))
    assert again.size().toTuple() == (1500, 900)
    assert again.geometry().topLeft().toTuple() == w.geometry().topLeft().toTuple()
    laptop = _window(qtbot, monkeypatch, small, FakeDatabase(tenders))   # another screen: its own layout
    assert _inside(laptop, small)
    laptop.resize(700, 400)
    laptop.save_layout()
    back = _window(qtbot, monkeypatch, big, FakeDatabase(tenders))
    assert back.size().toTuple() == (1500, 900)
    assert _window(qtbot, monkeypatch, small, FakeDatabase(tenders)).size().toTuple() == (700, 400)


_PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from svdesk.io.tender_file import read_tender_file
from tests.ui.conftest import DEMO
from tests.ui.fake_store import FakeDatabase
from ui.guide import PAGES
from ui.main_window import MainWindow
tenders = [read_tender_file(p) for p in sorted(DEMO.glob("*.json"))]
w = MainWindow()
w.show()
w.set_database(FakeDatabase(tenders))
area = app.primaryScreen().availableGeometry()
needs = [w.minimumSizeHint().toTuple()]
for t in tenders:
    ws = w.open_tender(t.reference)
    for key in PAGES:
        ws.show_page(key)
        app.processEvents()
        needs.append(w.minimumSizeHint().toTuple())
print(json.dumps({"area": area.getRect(), "window": w.frameGeometry().getRect(), "needs": needs,
                  "ratio": app.primaryScreen().devicePixelRatio()}))
"""


@pytest.mark.parametrize(("width", "height", "scale"), [(1366, 768, "1"), (1280, 720, "1.25"), (1280, 720, "1.5")])
def test_the_window_fits_a_real_scaled_screen(tmp_path: Path, width: int, height: int, scale: str) -> None:  # type: ignore[no-untyped-def]
    """With QT_SCALE_FACTOR and a screen of that size (Qt's offscreen platform), as on the laptop itself."""
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale,
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    ax, ay, aw, ah = got["area"]
    assert abs(aw - width / float(scale)) <= 1 and abs(ah - height / float(scale)) <= 1   # the scale took
    x, y, w, h = got["window"]
    assert x >= ax and y >= ay and x + w <= ax + aw and y + h <= ay + ah, f"window {got['window']} on {got['area']}"
    room = (aw - FRAME_ALLOWANCE.width(), ah - FRAME_ALLOWANCE.height())
    assert all(nw <= room[0] and nh <= room[1] for nw, nh in got["needs"]), got["needs"]
