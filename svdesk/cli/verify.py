"""The command ``svdesk verify PAPER.pdf`` (svdesk/reports/verify.py); the store is imported in the handler."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svdesk.cli.common import Subparsers, command


def register(sub: Subparsers) -> None:
    """Add ``svdesk verify`` to the command line."""
    p = command(
        sub, "verify", help="say whether the database still holds exactly what a printed paper (PDF) shows",
        description="Read the fingerprint and audit-log head from an svdesk paper (PDF) and say whether the "
        "database still holds exactly the state the paper was printed from, or what changed since, by whom and "
        "when. Exit status 0: verified; 1: changed, or the database cannot vouch for it; 2: not an svdesk paper.")
    p.add_argument("paper", metavar="PAPER.pdf", help="the paper, as printed by svdesk (from the agenda pack)")
    p.set_defaults(handler=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify one paper against the database named by ``--db``/``SVDESK_DB`` (opened read-only)."""
    from svdesk.reports.verify import read_paper, verify_paper
    from svdesk.store import api

    paper = read_paper(Path(args.paper))   # a bad paper is refused before the database is opened
    with api.open_database(read_only=True) as db:
        verdict = verify_paper(paper, db)
    for line in verdict.lines:
        sys.stdout.write(line + "\n")
    return 0 if verdict.holds else 1
