"""The svdesk executable (and ``python -m ui``): the desktop application with no command, else the command line.

This is the one place that joins the two faces: the headless core (``svdesk.cli.main``) is given the function that
starts the window, so nothing under ``svdesk/`` imports Qt or ``ui``.
"""

from __future__ import annotations

import sys

from svdesk.cli.main import main as cli_main


def run_gui(db: str | None) -> int:
    """Start the desktop application (Qt is imported only now: ``svdesk --version`` stays instant)."""
    from ui.app import run

    return run(db)


def started_from_explorer() -> bool:
    """Whether this is the Windows executable started by Explorer (a double-click, a file's "Open with"): it
    then owns a console that PyInstaller hid at once, so nothing it prints would ever be seen."""
    if sys.platform != "win32" or not getattr(sys, "frozen", False):
        return False
    import ctypes

    try:
        processes = (ctypes.c_uint32 * 2)()
        alone = ctypes.windll.kernel32.GetConsoleProcessList(processes, 2) == 1
        return bool(alone and sys.stdout is not None and sys.stdout.isatty())
    except (AttributeError, OSError):
        return False


def run_command_in_a_message_box(argv: list[str]) -> int:
    """Run a command line and show what it printed in a message box (its one-line error, or what it did)."""
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        status = cli_main(argv, gui=run_gui)
    text = printed.getvalue().strip()
    if text:
        from PySide6.QtWidgets import QApplication

        from ui import dialogs
        from ui.icon import window_icon

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        app.setWindowIcon(window_icon())
        lines = text.splitlines()
        if len(lines) > 40:
            lines = [*lines[:40], f"… and {len(lines) - 40} more lines"]
        if status == 0:
            dialogs.show_info(None, "svdesk", "\n".join(lines))
        else:
            dialogs.show_error(None, "svdesk: that did not work", "\n".join(lines))
    return int(status)


def main() -> int:
    """Entry point of the ``svdesk`` command and the frozen executable.

    ``svdesk KT.svpack`` (or double-clicking a pack) opens the pack for marking, with no database. A command
    started from Explorer (a tender file's "Open with", which runs ``svdesk import FILE``) shows what it printed
    in a message box, since its console is hidden.
    """
    args = sys.argv[1:]
    if len(args) == 1 and args[0].lower().endswith(".svpack"):
        from ui.panel import run_marking

        return run_marking(args[0])
    if args and started_from_explorer():
        return run_command_in_a_message_box(args)
    return cli_main(gui=run_gui)


if __name__ == "__main__":
    sys.exit(main())
