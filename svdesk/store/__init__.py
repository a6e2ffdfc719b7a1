"""Storage: SQLAlchemy 2 and Alembic live only here. Rows become domain values at this boundary."""
