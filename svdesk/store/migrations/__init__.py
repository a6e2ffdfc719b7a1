"""Alembic migrations of svdesk's database (package data: shipped inside the executable).

Run by :mod:`svdesk.store.migrate` at open, after a verified backup, in ONE transaction. Each revision is
hand-written, self-contained (no imports from the rest of svdesk, so that old revisions never change
meaning when the code moves on) and must create what :mod:`svdesk.store.models` describes.
"""
