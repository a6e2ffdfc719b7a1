"""The smoke-test and start-up benchmark hook (``installers/smoke_test.py``, ``installers/bench_startup.py``).

With ``SVDESK_SMOKE_QUIT_AFTER_MS=N`` in the environment the app prints lines starting ``svdesk-smoke:`` on
standard output as it starts, and quits N ms after its window was shown, so a frozen build can be checked
without a screen or a person:

- the main window: ``window shown: TITLE`` once shown and the event loop has run once, ``register populated N
  rows`` once the register's first screen is painted, ``database opened`` (or ``no database``) after the start-up
  work, which always finishes before it quits (``ui/app.py``);
- a pack opened for marking (``svdesk KT.svpack``): ``marking window shown: TITLE`` and ``marking N bids on M
  criteria`` (``ui/panel.py``), or ``the pack cannot be opened: WHY`` and exit status 2 instead of a message
  box nobody would close.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def quit_after_ms() -> int | None:
    """N from ``SVDESK_SMOKE_QUIT_AFTER_MS``, or None when the app runs for a person."""
    value = os.environ.get("SVDESK_SMOKE_QUIT_AFTER_MS")
    return None if value is None else int(value)


def say(line: str) -> None:
    """One ``svdesk-smoke:`` line on standard output, flushed at once."""
    sys.stdout.write(f"svdesk-smoke: {line}\n")
    sys.stdout.flush()


def report_shown_then_quit(window: QWidget, what: str, *lines: str) -> None:
    """When smoke-testing: once ``window`` is shown, say ``WHAT shown: TITLE`` and ``lines``, then quit N ms later."""
    ms = quit_after_ms()
    if ms is None:
        return

    def shown() -> None:
        say(f"{what} shown: {window.windowTitle()}")
        for line in lines:
            say(line)
        QTimer.singleShot(ms, QApplication.quit)

    QTimer.singleShot(0, shown)
