"""What every command shares: exit statuses, output, the ``--db`` option wherever it is written, loading a tender.

Heavy libraries are imported inside the functions (see :mod:`svdesk.cli`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TypeAlias

from svdesk.domain.tender import Tender
from svdesk.io.formats import looks_like_file

if TYPE_CHECKING:
    from svdesk.store.api import Database

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

DB_HELP = "database file (default: $SVDESK_DB, or svdesk.sqlite3 in your data folder)"


def out(text: str = "") -> None:
    """One line on stdout."""
    sys.stdout.write(text + "\n")


def confirmed(yes: bool, question: str, no_terminal: str) -> bool:
    """Whether the officer agrees to something hard to take back: ``--yes``, or "y" typed at ``question``.

    Raises:
        SvdeskError: no ``--yes`` and no terminal to ask on (``no_terminal`` says what to do).
    """
    if yes:
        return True
    if not sys.stdin.isatty():
        from svdesk.errors import SvdeskError

        raise SvdeskError(no_terminal)
    try:
        answer = input(question)
    except EOFError:
        answer = ""
    return answer.strip().casefold() in ("y", "yes")


def err(text: str) -> None:
    """One line on stderr."""
    sys.stderr.write(text + "\n")


def global_options() -> argparse.ArgumentParser:
    """The options accepted after any command too (``svdesk demo --db X``), given to every subparser.

    Their default is "not given" so that a value written before the command is not overwritten.
    """
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP)
    return p


def command(sub: Subparsers, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """Add the command ``name`` (with the global options) to ``sub``."""
    return sub.add_parser(name, parents=[global_options()], **kwargs)


def load_tender(arg: str, args: argparse.Namespace) -> Tender:
    """A tender from a tender file or, by reference, from the database."""
    if looks_like_file(arg):
        from svdesk.io.tender_file import read_tender_file

        return read_tender_file(arg)
    from svdesk.store import api

    with api.open_database(getattr(args, "db", None)) as db:
        tender: Tender = db.load_tender(arg)
    return tender


def notices(db: Database) -> None:
    """What the store had to say on opening (a migration, a backup made first …), on stderr."""
    for notice in db.notices:
        err(f"svdesk: note: {notice}")
