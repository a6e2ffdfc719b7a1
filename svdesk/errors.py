"""Errors the core raises for bad input: each names where the problem is, in plain English.

The CLI turns any ``SvdeskError`` into one line on stderr and exit status 2; the GUI into a dialog.
"""

from __future__ import annotations


class SvdeskError(Exception):
    """Base for every error caused by the user's input or data (never by a bug)."""


class ValidationError(SvdeskError):
    """A value is not acceptable.

    Attributes:
        field: where the value lives, e.g. ``price`` or ``criteria[2].weight``.
        message: what is wrong, in plain English.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message

    def within(self, prefix: str) -> ValidationError:
        """The same error with its field placed inside ``prefix`` (e.g. ``bids[1]``)."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return type(self)(field, self.message) if type(self) is ValidationError else ValidationError(
            field, self.message
        )


class ScoringError(SvdeskError):
    """The tender cannot be scored as it stands (e.g. weights do not total 100)."""


class FileFormatError(SvdeskError):
    """A file cannot be read: names the file, the place in it and what is wrong.

    Attributes:
        path: the file's name as the user gave it.
        where: a JSON path (``$.bids[1].price``), ``row 4, column "Price"`` or ``""``.
        message: what is wrong.
    """

    def __init__(self, path: str, where: str, message: str) -> None:
        parts = [p for p in (path, where) if p]
        super().__init__(": ".join([*parts, message]))
        self.path = path
        self.where = where
        self.message = message


class FrozenError(SvdeskError):
    """The tender is awarded or closed, and the edit, status change or delete would change its record."""


class StatusChangeError(ValidationError):
    """A status change is refused: the lifecycle does not allow it, or the tender is not ready for it.

    Attributes:
        reasons: one plain-English line per reason (the app lists them; the message joins them).
    """

    def __init__(self, field: str, message: str, reasons: tuple[str, ...] = ()) -> None:
        super().__init__(field, message)
        self.reasons = reasons or (message,)
