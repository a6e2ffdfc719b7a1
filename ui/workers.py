"""Long work off the GUI thread, with progress and cancel: reports, imports, backups.

:func:`run_task` runs a function on the global ``QThreadPool`` and shows a progress dialog (after a short
delay, so quick jobs do not flash one). The function receives a :class:`Progress` to report to and to check
for cancellation. Results come back to the GUI thread through queued signals. Only thread-safe work goes
here: pure domain code, PDF rendering, file parsing, and store methods documented as safe for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from svdesk.errors import SvdeskError

#: What a background function returns, and its ``on_done`` receives.
T = TypeVar("T")


class CancelledError(Exception):
    """The officer pressed Cancel."""


class Progress:
    """Handed to the background function: report progress, and stop when cancelled."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._cancel = threading.Event()
        self._final = False

    def report(self, percent: int, text: str = "") -> None:
        """Say how far the work has got (0–100)."""
        self.check()
        self._task.progressed.emit(max(0, min(100, percent)), text)

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether Cancel was pressed (before the point of no return)."""
        return self._cancel.is_set() and not self._final

    def check(self) -> None:
        """Raise :class:`CancelledError` if Cancel was pressed."""
        if self.cancelled:
            raise CancelledError

    def point_of_no_return(self) -> None:
        """From here the work cannot be stopped half-way (deleting, restoring): a Cancel pressed before now
        stops it here; after now Cancel is ignored and its button removed, so the result is always reported."""
        self.check()
        self._final = True
        self._task.committed.emit()


class Task(QObject):
    """One piece of background work.

    Signals:
        progressed(int, str): percent done and what is happening.
        succeeded(object): the function's result.
        failed(str): a plain-English reason it failed.
        cancelled(): it stopped because Cancel was pressed.
        committed(): it passed its point of no return (Cancel no longer stops it).
        finished(): it ended, whichever way.
    """

    progressed = Signal(int, str)
    committed = Signal()
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, fn: Callable[[Progress], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self.progress = Progress(self)
        #: Set on the worker thread just before ``finished`` is emitted.
        self.done = False

    def run(self) -> None:
        """Run the function (on a worker thread)."""
        try:
            result = self._fn(self.progress)
            if self.progress.cancelled:
                raise CancelledError
        except CancelledError:
            self.cancelled.emit()
        except SvdeskError as e:
            self.failed.emit(str(e))
        except Exception as e:  # a bug: logged by the receiver, shown calmly
            import logging

            logging.getLogger("svdesk.ui").exception("background task failed")
            self.failed.emit(f"Something went wrong inside svdesk ({type(e).__name__}). Your data was not changed.")
        else:
            self.succeeded.emit(result)
        finally:
            self.done = True
            self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self._task.run()


_RUNNING: set[Task] = set()   # Python references until each task ends (Qt does not own them)


def run_task(
    parent: QWidget | None,
    title: str,
    fn: Callable[[Progress], T],
    on_done: Callable[[T], object] | None = None,
    on_failed: Callable[[str], None] | None = None,
    *,
    show_after_ms: int = 400,
) -> Task:
    """Run ``fn`` in the background with a cancellable progress dialog; call back on the GUI thread."""
    task = Task(fn)
    dialog = QProgressDialog(title, "Cancel", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(show_after_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    dialog.canceled.connect(task.progress.cancel)

    @Slot(int, str)
    def _on_task_progressed(percent: int, text: str) -> None:
        dialog.setValue(percent)
        if text:
            dialog.setLabelText(text)

    def _finish() -> None:
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()

    task.progressed.connect(_on_task_progressed)
    task.committed.connect(lambda: dialog.setCancelButton(None))   # no button: Cancel would not stop it now
    task.finished.connect(_finish)
    return _start(task, on_done, on_failed)


def start_task(
    fn: Callable[[Progress], T],
    on_done: Callable[[T], object] | None = None,
    on_failed: Callable[[str], None] | None = None,
) -> Task:
    """Run ``fn`` in the background with no progress dialog (housekeeping the officer need not watch, such
    as the daily backup); call back on the GUI thread."""
    return _start(Task(fn), on_done, on_failed)


def _start(task: Task, on_done: Callable[[T], object] | None, on_failed: Callable[[str], None] | None) -> Task:
    _RUNNING.add(task)
    if on_done is not None:
        task.succeeded.connect(on_done)
    if on_failed is not None:
        task.failed.connect(on_failed)
    task.finished.connect(lambda: QTimer.singleShot(0, lambda: _RUNNING.discard(task)))
    QThreadPool.globalInstance().start(_Runnable(task))
    return task


def wait_for(task: Task, timeout_ms: int = 120_000) -> bool:
    """Keep the window painting until ``task`` ends (or the time runs out); returns whether it ended.

    For the few places that must not go on before background work is done (closing the database).
    """
    if task.done:
        return True
    loop = QEventLoop()
    task.finished.connect(loop.quit)
    if task.done:   # it ended between the first look and the connect: the quit would never come
        return True
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    return task.done
