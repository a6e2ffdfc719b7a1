"""The Qt face of svdesk: the only package that imports PySide6."""
