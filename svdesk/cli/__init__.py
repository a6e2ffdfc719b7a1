"""The headless face of svdesk, on the top floor: the parser (:mod:`svdesk.cli.main`) and every command.

One module per area, each with ``register(subparsers)``: :mod:`~svdesk.cli.score`, :mod:`~svdesk.cli.store`
(demo, check, backup, restore), :mod:`~svdesk.cli.files` (import, export, template), :mod:`~svdesk.cli.asks`
and :mod:`~svdesk.cli.reports`. Nothing below this package imports it. Heavy libraries (SQLAlchemy, ReportLab,
openpyxl, Alembic) are imported inside the handlers, so ``svdesk --version`` and ``svdesk score`` stay fast.
"""
