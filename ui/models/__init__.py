"""Table models: each adapts domain values for one table and owns no business rule (STYLE.md rule 5).

What they share is in :mod:`ui.models.base`. ``setData`` never writes: it builds a :mod:`ui.commands` command
and pushes it through the document.
"""
