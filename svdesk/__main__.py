"""Entry point for ``python -m svdesk`` and the frozen executable: the GUI with no arguments, else the CLI."""

from __future__ import annotations

import sys

from svdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
