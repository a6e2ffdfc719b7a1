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


def main() -> int:
    """Entry point of the ``svdesk`` command and the frozen executable."""
    return cli_main(gui=run_gui)


if __name__ == "__main__":
    sys.exit(main())
