"""CLI commands beyond ``score``: each area of the core registers its command here.

Each entry of :data:`REGISTER` takes the subparsers object, adds one command and sets ``handler``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeAlias

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

REGISTER: list[Callable[[Subparsers], None]] = []


def headless_demo(args: argparse.Namespace) -> int:
    """What ``svdesk`` does with no display: score a demo tender and print the ranking."""
    from svdesk.cli import cmd_score
    from svdesk.paths import resources_dir

    demo = resources_dir() / "demo" / "network-tender.json"
    ns = argparse.Namespace(source=str(demo), json=False, db=args.db)
    return cmd_score(ns)
