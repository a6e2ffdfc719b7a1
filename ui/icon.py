"""svdesk's icon for every window, dialog and the taskbar button."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from svdesk.paths import resources_dir


def window_icon() -> QIcon:
    """The icon in resources/icons (bundled by the PyInstaller spec with the rest of resources/)."""
    icons = resources_dir() / "icons"
    icon = QIcon()
    for name in ("svdesk.png", "svdesk.ico"):
        if (icons / name).is_file():
            icon.addFile(str(icons / name))
    return icon
