"""``svdesk asks …``: list the asks library, export it to share, import another council's asks.

Heavy imports go inside the handlers (see :mod:`svdesk.cli`).
"""

from __future__ import annotations

import argparse

from svdesk.cli.common import Subparsers, command, out


def register(sub: Subparsers) -> None:
    """Add ``svdesk asks list|export|import``."""
    p = command(sub, "asks", help="the asks library: list, export to share, import another's",
                       description="The library of citizen-benefit asks to put to suppliers.")
    asks = p.add_subparsers(dest="asks_command", metavar="list|export|import", required=True)

    ls = command(asks, "list", help="list the asks (shipped and your own)")
    ls.add_argument("--category", help="only asks suggested for this contract category (e.g. ict, energy)")
    ls.add_argument("--theme", help="only asks under this theme (skills, growth, communities, environment, "
                                    "innovation)")
    ls.set_defaults(handler=cmd_asks_list)

    ex = command(asks, "export", help="write the library to a file to share with another council")
    ex.add_argument("--out", required=True, metavar="FILE", help="the file to write (svdesk-asks/1 JSON)")
    ex.add_argument("--mine", action="store_true", help="only your own asks, not the ones svdesk ships")
    ex.add_argument("--name", default="", help="a name for the library, e.g. your council's")
    ex.set_defaults(handler=cmd_asks_export)

    im = command(asks, "import", help="add the asks in a library file to your own")
    im.add_argument("file", metavar="FILE", help="an svdesk-asks/1 JSON file")
    im.set_defaults(handler=cmd_asks_import)


def cmd_asks_list(args: argparse.Namespace) -> int:
    """Print the merged library, optionally only one category's suggestions or one theme."""
    from svdesk.domain.checklist import CATEGORIES
    from svdesk.domain.negotiation import suggest_asks
    from svdesk.domain.values import Theme
    from svdesk.errors import ValidationError
    from svdesk.io.asks_library import AskSource, library_entries

    entries = library_entries()
    if args.category:
        category = args.category.strip().lower()
        if category not in CATEGORIES:
            names = ", ".join(CATEGORIES)
            raise ValidationError("--category", f"unknown category {args.category!r} (use one of: {names})")
        wanted = {a.id for a in suggest_asks([e.ask for e in entries], category)}
        order = {a.id: i for i, a in enumerate(suggest_asks([e.ask for e in entries], category))}
        entries = tuple(sorted((e for e in entries if e.ask.id in wanted), key=lambda e: order[e.ask.id]))
    if args.theme:
        try:
            theme = Theme(args.theme.strip().lower())
        except ValueError:
            names = ", ".join(t.value for t in Theme)
            raise ValidationError("--theme", f"unknown theme {args.theme!r} (use one of: {names})") from None
        entries = tuple(e for e in entries if e.ask.theme is theme)
    if not entries:
        out("No asks match.")
        return 0
    width = max(len(e.ask.id) for e in entries)
    for e in entries:
        mark = "*" if e.source is AskSource.MINE else " "
        cats = ", ".join(e.ask.categories)
        out(f"{mark} {e.ask.id:<{width}}  {e.ask.theme.value:<12} {e.ask.title}  [{cats}]")
    mine = sum(1 for e in entries if e.source is AskSource.MINE)
    out(f"{len(entries)} asks" + (f" (* = yours: {mine})" if mine else ""))
    return 0


def cmd_asks_export(args: argparse.Namespace) -> int:
    """Write the library to ``--out``."""
    from svdesk.io.asks_library import export_library

    lib = export_library(args.out, mine_only=args.mine, name=args.name)
    out(f"Wrote {len(lib.asks)} asks to {args.out}")
    return 0


def cmd_asks_import(args: argparse.Namespace) -> int:
    """Merge a library file into the officer's own asks."""
    from svdesk.io.asks_library import import_library

    r = import_library(args.file)
    out(f"Imported {args.file}: {len(r.added)} new, {len(r.replaced)} replaced, {len(r.unchanged)} unchanged")
    if r.added or r.replaced:
        out(f"Your asks are in {r.path}")
    return 0
