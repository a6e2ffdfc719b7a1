"""The database's commands: ``demo``, ``check``, ``backup``, ``restore``.

Each opens the database named by ``--db``/``SVDESK_DB`` (or ``SVDESK_DATABASE_URL``, or the default file),
prints what it did in plain sentences and returns an exit status; problems are raised as
:class:`~svdesk.errors.SvdeskError` (one line, exit status 2). SQLAlchemy is imported inside the handlers.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from svdesk.cli.common import Subparsers, command, confirmed, notices, out
from svdesk.errors import SvdeskError

if TYPE_CHECKING:
    from svdesk.store.api import RestorePlan


def register(sub: Subparsers) -> None:
    """Add ``demo``, ``check``, ``backup`` and ``restore`` to ``svdesk``."""
    p = command(sub, "demo", help="put the demo tenders (resources/demo) into the database")
    p.set_defaults(handler=cmd_demo)
    p = command(sub, "check", help="check the database: file, links, every tender's rules, the audit trail")
    p.set_defaults(handler=cmd_check)
    p = command(sub, "backup", help="make a verified backup of the database now (or --list the backups)")
    p.add_argument("--list", action="store_true", help="list the backups instead, newest first")
    p.set_defaults(handler=cmd_backup)
    p = command(sub, "restore", help="replace the database by a backup (shows what will be lost, then asks)")
    p.add_argument("backup", nargs="?", metavar="BACKUP", help="the backup file (default: the newest good one)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_restore)


def _who() -> str:
    from svdesk.store.lock import this_user

    return this_user()


def cmd_demo(args: argparse.Namespace) -> int:
    """Import every ``resources/demo/*.json`` tender file; tenders already there are left as they are."""
    from svdesk.io.demo import add_demo_tenders, demo_files
    from svdesk.paths import resources_dir
    from svdesk.store import api

    if not demo_files():
        raise SvdeskError(f"no demo tenders found in {resources_dir() / 'demo'}")
    with api.open_database() as db:
        notices(db)
        done = add_demo_tenders(db, _who())
        for t in done.kept:
            out(f"{t.reference} ({t.title}) is already in the database: left as it is.")
        for t in done.added:
            out(f"Added {t.reference} ({t.title}, {t.status.value}, {len(t.bids)} bids).")
        added = len(done.added)
        total = len(db.list_tenders())
        out(f"{db.location} now holds {total} tender{'s' if total != 1 else ''}"
            + (f" ({added} added)." if added else "; nothing was added."))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Full check; exit status 0 when everything is in order, 1 when it found something wrong (tampering, damage).

    A database that cannot be opened at all (damaged, in use, not svdesk's) is exit status 2, as for bad input.
    """
    from svdesk.store import api

    with api.open_database() as db:
        notices(db)
        out(f"Checking {db.location}")
        report = db.check()
        for item in report.items:
            out(f"  {'ok' if item.ok else 'PROBLEM':<8} {item.name}: {item.detail}")
        last = db.last_backup()
        if db.path is not None:
            out(f"  {'':<8} newest backup: {last.astimezone().strftime('%d %b %Y %H:%M') if last else 'none yet'}")
    if report.ok:
        out("Everything is in order.")
        return 0
    sys.stderr.write("svdesk: the check found problems (listed above); keep the file, make no changes, and "
                     "restore a backup ('svdesk restore') or ask for help.\n")
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    """Make a verified backup now, or list the backups."""
    from svdesk.store import api

    if args.list:
        found = [] if os.environ.get("SVDESK_DATABASE_URL") and not os.environ.get("SVDESK_DB") else api.list_backups()
        if not found:
            out("No backups yet.")
        for b in found:
            tenders = "" if b.tenders < 0 else f", {b.tenders} tender{'s' if b.tenders != 1 else ''}"
            out(f"{b.created.astimezone().strftime('%d %b %Y %H:%M')}  {b.reason:<15} {b.path}{tenders}")
        return 0
    with api.open_database() as db:
        notices(db)
        path = db.backup()
        info = db.backups()[0]
    out(f"Backup written and verified: {path} ({info.tenders} tender{'s' if info.tenders != 1 else ''}, "
         f"audit head {info.audit_hash[:16]}…).")
    return 0


def _confirm(args: argparse.Namespace, plan: RestorePlan) -> bool:
    for line in plan.describe():
        out(line)
    return confirmed(args.yes, "Restore this backup? [y/N] ",
                     "restoring needs your confirmation and there is no terminal to ask on: run "
                     "'svdesk restore --yes' to confirm. Nothing was changed.")


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup (the newest good one by default) after showing what will be lost."""
    from svdesk.store import api

    chosen = Path(args.backup) if args.backup else None
    try:
        db = api.connect()
    except api.DatabaseDamagedError as e:
        plan = api.plan_recovery(e.path, chosen, detail=e.detail)
        if not _confirm(args, plan):
            out("Cancelled: nothing was changed.")
            return 1
        aside = api.recover_database(plan, who=_who())
        out(f"Restored {plan.backup.label()}. The damaged file is kept as {aside}.")
        return 0
    with db:
        notices(db)
        plan = db.plan_restore(chosen)
        if not _confirm(args, plan):
            out("Cancelled: nothing was changed.")
            return 1
        safety = db.restore(plan, who=_who())
    out(f"Restored {plan.backup.label()}. The database as it was just before is saved as {safety}.")
    return 0
