"""Domain values (frozen dataclasses) and pure functions: no SQLAlchemy, no Qt, no I/O."""
