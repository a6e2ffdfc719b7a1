"""Plain-English errors: no officer ever sees a traceback.

:func:`install_excepthook` replaces ``sys.excepthook``: an unexpected error is written to the log file in
svdesk's data folder and shown as a calm dialog; an :class:`~svdesk.errors.SvdeskError` (bad input or data,
never a bug) is shown as its own one-line message.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from svdesk import paths
from svdesk.errors import SvdeskError
from ui import dialogs

log = logging.getLogger("svdesk.ui")


def log_file() -> Path:
    """Where the desktop application writes what went wrong."""
    return paths.home() / "svdesk.log"


def setup_logging() -> None:
    """Log warnings and errors to :func:`log_file` (created on first use)."""
    if any(isinstance(h, logging.FileHandler) for h in log.handlers):
        return
    try:
        log_file().parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_file(), encoding="utf-8", delay=True)
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def message_for(exc: BaseException) -> tuple[str, str]:
    """The dialog title and text for an exception."""
    if isinstance(exc, SvdeskError):
        return "That could not be done", str(exc)
    return (
        "Something went wrong inside svdesk",
        "svdesk hit a problem it did not expect, so it stopped what it was doing.\n\n"
        "Your work is safe: every change you made before this was saved as you made it.\n\n"
        f"The details were written to {log_file()}. Please send that file to whoever looks after svdesk.",
    )


def install_excepthook(show: Callable[[str, str], None] | None = None) -> None:
    """Show uncaught errors as dialogs (and log them) instead of printing a traceback."""
    setup_logging()

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if isinstance(exc, SvdeskError):
            log.warning("refused: %s", exc)
        else:
            log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        title, text = message_for(exc)
        try:
            if show is not None:
                show(title, text)
            else:
                dialogs.show_error(None, title, text)
        except Exception:  # the dialog itself failed: the log has the details
            log.exception("could not show the error dialog")

    sys.excepthook = hook
