"""The headless face of svdesk: ``svdesk COMMAND …`` (and the GUI with no arguments).

Bad input never produces a traceback: an :class:`~svdesk.errors.SvdeskError` becomes one line on stderr and
exit status 2. Heavy libraries (ReportLab, openpyxl, Alembic, Qt) are imported only by the commands that
need them, so ``svdesk score`` starts fast and never loads Qt.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from svdesk import __version__
from svdesk.domain.tender import Tender
from svdesk.errors import SvdeskError

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1

Handler = Callable[[argparse.Namespace], int]


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def looks_like_file(arg: str) -> bool:
    """A FILE_OR_REF argument names a file when it exists or ends in ``.json``; otherwise it is a reference.

    References may contain slashes (``ICT/2026/001``), so a slash alone does not make a path.
    """
    return arg.lower().endswith(".json") or Path(arg).is_file()


def load_tender(arg: str, args: argparse.Namespace) -> Tender:
    """A tender from a tender file or, by reference, from the database."""
    if looks_like_file(arg):
        from svdesk.io.tender_file import read_tender_file

        return read_tender_file(arg)
    from svdesk.store import api

    with api.open_database(args.db) as db:
        tender: Tender = db.load_tender(arg)
    return tender


# --- score ----------------------------------------------------------------------------------------------


def cmd_score(args: argparse.Namespace) -> int:
    """Score a tender file (or a tender in the database) and print the ranking."""
    from svdesk.domain.money import format_gbp, format_points
    from svdesk.domain.scoring import results_as_json, score_tender

    tender = load_tender(args.source, args)
    res = score_tender(tender)
    if args.json:
        _out(json.dumps(results_as_json(res), ensure_ascii=False, indent=2))
        return EXIT_OK
    _out(f"{tender.reference}  {tender.title}")
    ids = [c.id for c in tender.criteria]
    width = max([len("Supplier"), *(len(r.supplier) for r in res.results)])
    head = f"{'Rank':>4}  {'Supplier':<{width}}  " + "  ".join(f"{i:>8}" for i in ids) + f"  {'Total':>8}  Price"
    _out(head)
    _out("-" * len(head))
    for r in res.results:
        rank = str(r.rank) if r.rank is not None else "–"
        cells = "  ".join(f"{format_points(r.criteria.get(i)):>8}" for i in ids)
        _out(f"{rank:>4}  {r.supplier:<{width}}  {cells}  {format_points(r.total):>8}  {format_gbp(r.price)}")
        for reason in r.reasons:
            _out(f"{'':>4}  {'':<{width}}  ! {reason}")
        if r.flags:
            _out(f"{'':>4}  {'':<{width}}  flags: {', '.join(r.flags)}")
    for w in res.warnings:
        _out(f"Warning: {w}")
    return EXIT_OK


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
    p.add_argument("--db", metavar="PATH", default=None,
                   help="database file (default: $SVDESK_DB, or svdesk.sqlite3 in your data folder)")
    sub = cast("argparse._SubParsersAction[argparse.ArgumentParser]",
               p.add_subparsers(dest="command", metavar="COMMAND"))

    s = sub.add_parser("score", help="score a tender file or a tender in the database")
    s.add_argument("source", metavar="FILE_OR_REF")
    s.add_argument("--json", action="store_true", help="print the results as JSON")
    s.set_defaults(handler=cmd_score)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return p


# Commands contributed by other parts of the core register themselves here (each adds its subparser and
# sets ``handler``), so this file stays the one place that knows the command line.
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []  # see cli_commands


def _names_a_command(args: list[str]) -> bool:
    """Anything but ``svdesk`` with nothing or only ``--db PATH``: the desktop application starts then."""
    if not args:
        return False
    if args[0] == "--db" and len(args) == 2:
        return False
    return not (args[0].startswith("--db=") and len(args) == 1)


def _register_extras() -> None:
    from svdesk import cli_commands

    _EXTRA_COMMANDS[:] = cli_commands.load()


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
    if _names_a_command(args_list):   # the window's start does not wait for every command's parser
        _register_extras()
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
                demo = getattr(args, "demo_handler", None) or _headless_demo
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


def _headless_demo(args: argparse.Namespace) -> int:
    """Without a display: score the demo tender and print it."""
    from svdesk.cli_commands import headless_demo

    return headless_demo(args)
