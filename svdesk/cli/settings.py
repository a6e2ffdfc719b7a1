"""CLI command of the council's settings: ``svdesk settings`` shows them, ``svdesk settings set KEY VALUE``
changes one (audited; ``""`` clears it). Keys and checks: :mod:`svdesk.domain.council`."""

from __future__ import annotations

import argparse

from svdesk.cli.common import Subparsers, command, out
from svdesk.domain.council import SETTINGS


def register(sub: Subparsers) -> None:
    """Add ``settings`` to ``svdesk``."""
    keys = ", ".join(s.key for s in SETTINGS)
    p = command(sub, "settings", help="show the council's settings, or 'settings set KEY VALUE' to change one",
                       description=f"The council-wide settings kept in the database (printed on the papers, "
                       f"used for new tenders and OCDS exports). Keys: {keys}.")
    inner = p.add_subparsers(dest="settings_action", metavar="set")
    s = command(inner, "set", help="change one setting ('' clears it); the change is audited")
    s.add_argument("key", metavar="KEY", help=f"one of {keys}")
    s.add_argument("value", metavar="VALUE", help="the new value ('' clears it)")
    p.set_defaults(handler=cmd_settings)


def cmd_settings(args: argparse.Namespace) -> int:
    """``svdesk settings`` / ``svdesk settings set KEY VALUE``."""
    from svdesk.store import api
    from svdesk.store.lock import this_user

    if getattr(args, "settings_action", None) == "set":
        from svdesk.domain.council import check_setting

        check_setting(args.key, args.value)          # an unknown key or bad value: before the database opens
        with api.open_database(getattr(args, "db", None)) as db:
            before = db.council_settings().get(args.key)
            stored = db.set_council_setting(args.key, args.value, who=this_user())
        if stored == before:
            out(f"{args.key} is already {_shown(stored)}; nothing was changed")
        else:
            out(f"{args.key}: {_shown(before)} → {_shown(stored)} (recorded in the audit log)")
        return 0
    db_arg = getattr(args, "db", None)
    with api.open_database(db_arg, read_only=_exists(db_arg)) as db:
        council = db.council_settings()
        where = db.location
    out(f"Council settings in {where}:")
    width = max(len(s.key) for s in SETTINGS)
    for s in SETTINGS:
        out(f"  {s.key:<{width}}  {_shown(council.get(s.key))}")
    out("Change one with: svdesk settings set KEY VALUE")
    return 0


def _exists(db: str | None) -> bool:
    """Read-only when there is a file to read (a new database is created and set up first)."""
    import os
    from pathlib import Path

    from svdesk import paths

    if db is None and os.environ.get("SVDESK_DATABASE_URL"):
        return True
    return (Path(db) if db else paths.default_database()).exists()


def _shown(value: str) -> str:
    return "(not set)" if not value else value.replace("\n", " / ")
