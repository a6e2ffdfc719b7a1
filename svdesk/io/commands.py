"""CLI commands of this area (see ``svdesk/cli_commands.py``). Heavy imports go inside the handlers."""

from __future__ import annotations

from svdesk.cli_commands import Subparsers


def register(sub: Subparsers) -> None:
    """Add this area's subcommands to ``svdesk`` (none yet)."""
