"""Alembic revision scripts, oldest first: ``0001_core``, ``0002_negotiation``, ``0003_tie_break_frozen``,
``0004_supplier_identity``, ``0006_ocds``, ``0008_report_texts``, ``0009_settings``, ``0010_panel`` (0005 and
0007 were numbers kept for work that needed no schema of its own or moved later)."""
