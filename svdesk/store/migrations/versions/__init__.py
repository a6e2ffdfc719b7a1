"""Alembic revision scripts, oldest first: ``0001_core``, ``0002_negotiation``."""
