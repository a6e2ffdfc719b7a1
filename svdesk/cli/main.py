"""The headless face of svdesk: ``svdesk COMMAND …`` (the parser, and running a command).

Bad input never produces a traceback: an :class:`~svdesk.errors.SvdeskError` becomes one line on stderr and
exit status 2. Each command lives in its area's module of :mod:`svdesk.cli`, imported here directly; heavy
libraries (ReportLab, openpyxl, Alembic, Qt) are imported only by the commands that need them, so
``svdesk score`` starts fast and never loads Qt. Global options (``--db``) are accepted before or after the
command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import cast

from svdesk import __version__
from svdesk.cli import asks, attachments, files, panel, reports, score, settings, store, verify
from svdesk.cli.common import DB_HELP, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK
from svdesk.errors import SvdeskError

Handler = Callable[[argparse.Namespace], int]

#: The areas' ``register`` functions, in the order their commands appear in ``svdesk --help``.
COMMANDS = (score.register, store.register, files.register, asks.register, reports.register, panel.register,
            attachments.register, verify.register, settings.register)


# --- the GUI --------------------------------------------------------------------------------------------


def has_display() -> bool:
    """Whether a window can be shown (a display, or Qt told to draw offscreen)."""
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# --- main -----------------------------------------------------------------------------------------------


def build_parser() -> _Parser:
    """The argument parser for every command."""
    p = _Parser(
        prog="svdesk",
        description="Social Value Desk: tenders, citizen-benefit negotiation, bid scoring and award papers. "
        "Run with no command to open the desktop application.",
    )
    p.add_argument("--version", action="version", version=f"svdesk {__version__}")
    p.add_argument("--db", metavar="PATH", default=None, help=DB_HELP)
    sub = cast("argparse._SubParsersAction[argparse.ArgumentParser]",
               p.add_subparsers(dest="command", metavar="COMMAND"))
    for register in COMMANDS:
        register(sub)
    return p


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one plain line (exit status 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"svdesk: {message} (see 'svdesk --help')\n")
        raise SystemExit(EXIT_BAD_INPUT)


def main(argv: Sequence[str] | None = None, *, gui: Callable[[str | None], int] | None = None) -> int:
    """Run svdesk. Returns the exit status: 0 ok, 2 bad input, 1 internal error.

    Args:
        argv: the arguments (default ``sys.argv[1:]``).
        gui: starts the desktop application with the database path, for a run with no command. The core never
            imports the Qt face: ``ui/__main__.py`` (the ``svdesk`` executable) passes it in.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as e:      # argparse already printed a one-line usage error
        return int(e.code or 0) if isinstance(e.code, int) else EXIT_BAD_INPUT
    if args.db is not None:
        os.environ["SVDESK_DB"] = args.db
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is None:
            if not has_display():
                sys.stderr.write(
                    "svdesk: no display found, so the window cannot open. Running the headless demo instead "
                    "(use 'svdesk --help' for the commands).\n"
                )
                demo = getattr(args, "demo_handler", None) or score.headless_demo
                return demo(args)
            if gui is None:
                raise SvdeskError("no command given: this is the command line only (see 'svdesk --help'); "
                                  "the desktop application starts with the svdesk executable or 'python -m ui'")
            return gui(args.db)
        return handler(args)
    except SvdeskError as e:
        sys.stderr.write(f"svdesk: {e}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("svdesk: interrupted; nothing half-written was kept\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:
        sys.stderr.write(
            f"svdesk: something went wrong inside svdesk ({type(e).__name__}: {e}). Your data was not changed "
            f"by this command. Please report this message.\n"
        )
        if os.environ.get("SVDESK_DEBUG"):
            raise
        return EXIT_INTERNAL
