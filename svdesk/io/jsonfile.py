"""Reading JSON files safely: one place that turns every way a file can be bad into a located message.

Numbers come back as ``Decimal`` (never a float); NaN, Infinity and duplicate keys are refused; a file nested
deeply enough to exhaust Python's recursion limit is refused like any other malformed file.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from svdesk.errors import FileFormatError

MAX_FILE_BYTES = 50 * 1024 * 1024


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number svdesk accepts")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"the key {k!r} appears twice in one object")
        out[k] = v
    return out


def _number(text: str) -> Decimal:
    """A JSON number as a Decimal; one too long or too large for arithmetic becomes an
    :class:`~svdesk.domain.money.UnreadableNumber`, which the field that reads it refuses by name."""
    from svdesk.domain.money import MAX_NUMBER_CHARS, UnreadableNumber

    if len(text) > MAX_NUMBER_CHARS:
        return UnreadableNumber.of(text[:MAX_NUMBER_CHARS + 1])
    try:
        return Decimal(text)
    except ArithmeticError:   # an exponent beyond what decimal arithmetic can hold
        return UnreadableNumber.of(text)


def loads_exact(text: str) -> Any:
    """Parse JSON with every number as ``Decimal``, refusing NaN/Infinity and duplicate keys.

    Raises:
        ValueError: not valid JSON (``json.JSONDecodeError`` names line and column) or nested too deeply.
    """
    try:
        return json.loads(
            text, parse_float=_number, parse_int=_number, parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicates,
        )
    except RecursionError:
        raise ValueError("it is nested too deeply") from None


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def prescan(text: str, source: str) -> None:
    """Refuse, before parsing, a JSON text with too many values or nested too deeply (bounded time and memory:
    a 40 MB file of 20 million numbers is refused in well under a second, not parsed into gigabytes).

    Raises:
        FileFormatError: names the limit (:mod:`svdesk.domain.limits`).
    """
    from svdesk.domain.limits import MAX_JSON_DEPTH, MAX_JSON_VALUES

    skeleton = _STRING.sub('""', text)   # what is inside strings cannot open a list or separate values
    values = skeleton.count(",") + 1
    brackets = skeleton.count("[") + skeleton.count("{")
    if values > MAX_JSON_VALUES or brackets > MAX_JSON_VALUES:
        raise FileFormatError(source, "", f"holds {max(values, brackets):,} values or more; svdesk reads at most "
                                          f"{MAX_JSON_VALUES:,} (this is not a tender or a notice)")
    depth = 0
    for m in _BRACKET.finditer(skeleton):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            line = skeleton.count("\n", 0, m.start()) + 1
            raise FileFormatError(source, f"line {line}", f"is nested too deeply (more than {MAX_JSON_DEPTH} levels)")


def parse_json_text(text: str, source: str) -> Any:
    """:func:`loads_exact`, with failures as a :class:`FileFormatError` naming ``source`` and the place."""
    prescan(text, source)
    try:
        return loads_exact(text)
    except json.JSONDecodeError as e:
        raise FileFormatError(source, f"line {e.lineno}, column {e.colno}", f"is not valid JSON ({e.msg})") from None
    except ValueError as e:
        raise FileFormatError(source, "", f"is not valid JSON ({e})") from None


def read_json_file(path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES) -> Any:
    """Read a UTF-8 JSON file (a BOM is allowed) of at most ``limit`` bytes.

    Raises:
        FileFormatError: missing, a folder, unreadable, too large, not UTF-8, or not valid JSON.
    """
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
        if size > limit:
            raise FileFormatError(name, "", f"is too large ({size:,} bytes; the limit is {limit:,})")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FileFormatError(name, "", "no such file") from None
    except IsADirectoryError:
        raise FileFormatError(name, "", "is a folder, not a file") from None
    except OSError as e:
        raise FileFormatError(name, "", f"cannot be read ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FileFormatError(name, f"byte {e.start}", "is not UTF-8 text") from None
    return parse_json_text(text, name)
