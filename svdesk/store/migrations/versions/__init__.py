"""Alembic revision scripts, oldest first: ``0001_core``, ``0002_negotiation``, ``0003_tie_break_frozen``,
``0004_supplier_identity``, ``0006_ocds``."""
