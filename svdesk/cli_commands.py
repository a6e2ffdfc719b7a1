"""CLI commands beyond ``score``: each area of the core contributes its commands here.

Each area's ``commands`` module has ``register(subparsers)`` that adds its subcommands and sets ``handler``
(a function ``(argparse.Namespace) -> int``). Those modules must import heavy libraries (SQLAlchemy,
ReportLab, openpyxl, Alembic) inside the handlers, never at module level: ``svdesk --version`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import TypeAlias

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

#: The modules that contribute commands, in the order they appear in ``svdesk --help``.
COMMAND_MODULES = (
    "svdesk.store.commands",       # demo, check, backup, restore
    "svdesk.io.commands",          # import, export
    "svdesk.io.asks_commands",     # asks (library export/import)
    "svdesk.reports.commands",     # report
    "svdesk.io.panel_commands",    # panel, pack, mark (and import of a return)
)


def _registrars() -> list[Callable[[Subparsers], None]]:
    out = []
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        out.append(module.register)
    return out


REGISTER: list[Callable[[Subparsers], None]] = []


def load() -> list[Callable[[Subparsers], None]]:
    """Every area's ``register`` function."""
    if not REGISTER:
        REGISTER.extend(_registrars())
    return REGISTER


def headless_demo(args: argparse.Namespace) -> int:
    """What ``svdesk`` does with no display: score a demo tender and print the ranking."""
    from svdesk.cli import cmd_score
    from svdesk.paths import resources_dir

    demo = resources_dir() / "demo" / "network-tender.json"
    ns = argparse.Namespace(source=str(demo), json=False, db=args.db)
    return cmd_score(ns)
