"""The daily backup while the window stays open, and the store's notices passed on to the officer.

The store makes a daily backup when the database is opened, but a window left open for days gets no other one,
so :class:`BackupKeeper` calls ``Database.backup_if_due()`` every hour and once more when the window closes,
always off the GUI thread (copying and verifying a large file on a network drive takes seconds). The store
never raises from ``backup_if_due``: a failure becomes a line in ``Database.notices``, which the keeper hands
on (each line once) for the window to show.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ui.store_port import DatabaseLike
from ui.workers import Progress, Task, start_task, wait_for

#: How often the window asks the store whether the daily backup is due.
INTERVAL_MS = 60 * 60 * 1000


class BackupKeeper(QObject):
    """Asks the store for the daily backup now and then, and reports what it has to say.

    Signals:
        checked(object): a check ended: the new backup's path, or ``None`` (not due, or it failed).
        notices_added(list): lines from ``Database.notices`` not passed on before (each is shown once).
    """

    checked = Signal(object)
    notices_added = Signal(list)

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._db: DatabaseLike | None = None
        self._seen = 0
        self._task: Task | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._on_timer_timeout)

    @property
    def running(self) -> bool:
        """Whether a check is under way."""
        return self._task is not None and not self._task.done

    def set_database(self, db: DatabaseLike | None) -> None:
        """Look after this database (or none); its notices so far are passed on at once."""
        self._db = db
        self._seen = 0
        if self._can_back_up(db):
            self.timer.start()
        else:
            self.timer.stop()
        self.pass_on_notices()

    @staticmethod
    def _can_back_up(db: DatabaseLike | None) -> bool:
        return db is not None and not db.read_only and callable(getattr(db, "backup_if_due", None))

    def pass_on_notices(self) -> None:
        """Emit the notices the store added since the last look."""
        notices = list(getattr(self._db, "notices", None) or [])
        new = notices[self._seen:]
        self._seen = len(notices)
        if new:
            self.notices_added.emit(new)

    def check_now(self) -> Task | None:
        """Ask the store for the daily backup in the background (``None``: nothing to do, or one is running)."""
        db = self._db
        if not self._can_back_up(db) or self.running:
            return None
        assert db is not None

        def work(_progress: Progress) -> Path | None:
            return db.backup_if_due()

        self._task = start_task(work, self._on_task_done, self._on_task_failed)
        return self._task

    def finish(self, timeout_ms: int = 120_000) -> None:
        """At close: wait for a check under way, then make the daily backup if it is due, before the database
        is closed. The window keeps painting meanwhile."""
        self.timer.stop()
        if self._task is not None:
            wait_for(self._task, timeout_ms)
        task = self.check_now()
        if task is not None:
            wait_for(task, timeout_ms)
        self._db = None

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.check_now()

    def _on_task_done(self, path: Path | None) -> None:
        self.pass_on_notices()
        self.checked.emit(path)

    def _on_task_failed(self, message: str) -> None:
        # backup_if_due reports through notices; anything else (e.g. the database was closed) is said once here.
        self.pass_on_notices()
        self.notices_added.emit([f"The daily backup was not made: {message}"])
        self.checked.emit(None)
