"""``python -m svdesk``: the headless command line only (the desktop application is ``python -m ui``)."""

from __future__ import annotations

import sys

from svdesk.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
