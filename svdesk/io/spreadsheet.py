"""Spreadsheets in and out, safely: CSV and XLSX read into a plain grid, tables written without formulas.

Reading (:func:`read_table`, :func:`read_csv_bytes`, :func:`read_xlsx_bytes`) refuses hostile files quickly and
before the expensive work: the file size is capped before anything is read; an XLSX's zip directory is checked
(member count, declared uncompressed sizes, compression ratio) before openpyxl opens it, and openpyxl parses with
``defusedxml`` (billion-laughs and quadratic-blowup XML refused); rows and columns are capped while reading. CSV
text is decoded from UTF-8 (with or without a BOM) or UTF-16 with a BOM; a file that is not UTF-8 but reads as
Windows-1252 (what Excel on a UK PC saves: ``£`` is byte A3) is decoded as such with a warning. A formula cell
with no saved result is refused (svdesk never evaluates formulas). Every problem is a
:class:`~svdesk.errors.FileFormatError` naming the file, the place (``row 4, column "Price"``, ``line 7``,
``byte 12``) and what is wrong; nothing else escapes (openpyxl's many exception types are caught at one boundary).

Cells are parsed by :func:`parse_money`, :func:`parse_score`, :func:`parse_yes_no`, :func:`parse_uk_date` and
:func:`clean_text`, which raise :class:`CellError` (the caller adds the row and column).

Money from XLSX: openpyxl returns numeric cells as Python floats. svdesk turns a float into a ``Decimal`` through
``repr`` (the shortest text that reads back as the same float, i.e. what Excel displays at full precision) and
then refuses it unless it is exact to the penny: ``540000.1`` becomes ``Decimal("540000.1")``, while a computed
``0.30000000000000004`` is refused rather than silently rounded. Amounts above £1 trillion are refused, so every
accepted float had at most 15 significant digits and ``repr`` is exact.

Writing (:func:`write_csv`, :func:`write_xlsx`) neutralises formula injection (OWASP ASVS 1.2.10, CWE-1236):
in CSV a text cell starting with ``= + - @``, tab, CR, LF or NUL (or with an apostrophe) gets a leading
apostrophe, which :func:`read_csv_bytes` removes again; in XLSX every text cell is stored as a string cell
(never a formula). Numbers stay numbers. Files are written to a temporary file and renamed into place.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from svdesk.atomic import write_bytes_atomic
from svdesk.domain import text as text_rule
from svdesk.domain.money import MAX_MONEY, PENNY
from svdesk.errors import FileFormatError

#: Refuse files larger than this before reading them (a real bids sheet is a few hundred kB).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Data rows below the header (a tender with more bids than this is a mistake or an attack).
MAX_ROWS = 10_000
#: Columns (20 criteria × 2 columns × several evaluators still fits).
MAX_COLUMNS = 500
#: Characters in one cell (the longest text the domain accepts).
MAX_CELL_CHARS = 10_000
#: XLSX: zip members, total declared uncompressed size, and the largest plausible compression ratio.
MAX_ZIP_MEMBERS = 1_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
#: Scores are kept to 2 decimal places (halves and quarters are common; float noise is not).
SCORE_PLACES = 2

#: Text starting with one of these is a formula (or can become one) in a spreadsheet program.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\0")

CellValue = str | int | float | Decimal | bool | datetime | date | time | timedelta | None

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # old binary .xls (and other OLE files)


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why (the caller knows the row and column)."""


@dataclass(frozen=True)
class Sheet:
    """A table read from a file: the header row and the data rows, with their row numbers in the file.

    Attributes:
        source: the file's name as the user gave it (for messages).
        header: the header cells, as text (blank headers are ``""``).
        header_row: the header's row number in the file (1 for row 1 / the first line).
        rows: ``(row number, cells)`` for each non-blank data row; ``cells`` may be shorter than the header.
        warnings: things the officer should know that did not stop the read (e.g. "decoded as Windows-1252").
    """

    source: str
    header: tuple[str, ...]
    header_row: int
    rows: tuple[tuple[int, tuple[CellValue, ...]], ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table to write: a name (sheet title), column headers and rows of cells.

    Cells are text, ``Decimal``/``int`` numbers, ``bool`` (written as Yes/No), ``date`` or ``None`` (blank).
    ``money_columns`` are shown with a £ number format in XLSX (they stay numbers).
    """

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str | Decimal | int | bool | date | None, ...], ...]
    money_columns: frozenset[int] = field(default_factory=frozenset)


# ---------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------


def read_table(path: str | os.PathLike[str], *, kind: str | None = None) -> Sheet:
    """Read a CSV or XLSX file into a :class:`Sheet` (the kind from ``kind``, the content or the extension).

    Raises:
        FileFormatError: missing, too large, not a spreadsheet, hostile, or badly formed.
    """
    name = str(path)
    data = read_capped(path, MAX_FILE_BYTES)
    k = kind or detect_kind(name, data)
    if k == "xlsx":
        return read_xlsx_bytes(data, name)
    if k == "csv":
        return read_csv_bytes(data, name)
    raise FileFormatError(name, "", f"is not a CSV or XLSX file (unknown kind {k!r})")


def read_capped(path: str | os.PathLike[str], limit: int) -> bytes:
    """Read a whole file after checking its size against ``limit`` (so a huge file is refused at once)."""
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
        if size > limit:
            raise FileFormatError(name, "", f"is too large ({size:,} bytes; the limit is {limit:,})")
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise FileFormatError(name, "", "no such file") from None
    except IsADirectoryError:
        raise FileFormatError(name, "", "is a folder, not a file") from None
    except OSError as e:
        raise FileFormatError(name, "", f"cannot be read ({e.strerror or e})") from None
    if len(data) > limit:   # it grew while we looked
        raise FileFormatError(name, "", f"is too large (more than {limit:,} bytes)")
    return data


def detect_kind(name: str, data: bytes) -> str:
    """``"xlsx"`` or ``"csv"`` from the file's first bytes, falling back to its extension.

    Raises:
        FileFormatError: an old binary ``.xls`` workbook or another format svdesk cannot read.
    """
    if data.startswith(_XLSX_MAGIC):
        return "xlsx"
    if data.startswith(_OLE_MAGIC):
        raise FileFormatError(name, "", "is an old Excel 97-2003 (.xls) workbook: save it as .xlsx or CSV first")
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        raise FileFormatError(name, "", "is named .xlsx but is not an Excel workbook (it is not a zip file)")
    if lower.endswith(".xls"):
        raise FileFormatError(name, "", "is an old Excel (.xls) file: save it as .xlsx or CSV first")
    return "csv"


def decode_text(data: bytes, source: str) -> tuple[str, tuple[str, ...]]:
    """Decode CSV bytes: UTF-8 (BOM optional), UTF-16 with a BOM, or Windows-1252 (with a warning).

    Raises:
        FileFormatError: NUL bytes (a binary file), or text in none of those encodings (names the byte).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise FileFormatError(source, f"byte {e.start}", "is not valid UTF-16 text") from None
        return _no_nul(text.removeprefix("\ufeff"), source), ()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\0")
    if nul >= 0:
        raise FileFormatError(
            source, f"byte {nul}", "contains a NUL byte: this is not a text (CSV) file; if it is a spreadsheet, "
            "save it as CSV UTF-8 or .xlsx"
        )
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as e:
        first_bad = e.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise FileFormatError(
            source, f"byte {first_bad}",
            f"is not UTF-8 text (byte 0x{data[first_bad]:02X}), nor Windows-1252 (byte 0x{data[e.start]:02X} "
            f"at {e.start}): save the file as 'CSV UTF-8'",
        ) from None
    line = data.count(b"\n", 0, first_bad) + 1
    return text, (
        f"{source}: the file is not UTF-8; it was read as Windows-1252 (Excel's 'CSV' on a UK PC), "
        f"first such character on line {line}: check £ signs and accented names in the preview",
    )


def _no_nul(text: str, source: str) -> str:
    pos = text.find("\0")
    if pos >= 0:
        raise FileFormatError(source, f"character {pos}", "contains a NUL character: this is not a CSV file")
    return text


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    if "," in first:
        return ","
    if "\t" in first:
        return "\t"
    if ";" in first:
        return ";"
    return ","


def read_csv_bytes(data: bytes, source: str) -> Sheet:
    """Parse CSV bytes into a :class:`Sheet` (row numbers count records, the header being row 1).

    Raises:
        FileFormatError: too large, undecodable, badly quoted, too many rows/columns, ragged rows.
    """
    if len(data) > MAX_FILE_BYTES:
        raise FileFormatError(source, "", f"is too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})")
    if data.startswith(_XLSX_MAGIC):
        raise FileFormatError(source, "", "is an Excel workbook (.xlsx), not a CSV file: name it .xlsx")
    text, warnings = decode_text(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=True)
    header: tuple[str, ...] | None = None
    header_row = 0
    rows: list[tuple[int, tuple[CellValue, ...]]] = []
    record = 0
    try:
        for raw in reader:
            record += 1
            if record > MAX_ROWS + 1_000:   # blank lines count too: a file of empty lines is refused early
                raise FileFormatError(source, f"row {record}", f"too many rows: the limit is {MAX_ROWS:,}")
            if len(raw) > MAX_COLUMNS:
                raise FileFormatError(source, f"row {record}",
                                      f"has {len(raw):,} columns; the limit is {MAX_COLUMNS}")
            if header is None:
                if not any(c.strip() for c in raw):
                    continue
                header = tuple(unescape_csv_text(c) for c in raw)
                header_row = record
                continue
            if not any(c.strip() for c in raw):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileFormatError(source, f"row {record}", f"too many rows: the limit is {MAX_ROWS:,}")
            rows.append((record, tuple(unescape_csv_text(c) for c in raw)))
    except csv.Error as e:
        raise FileFormatError(source, f"line {reader.line_num}", f"is not valid CSV ({e})") from None
    if header is None:
        raise FileFormatError(source, "", "is empty: it has no header row")
    return Sheet(source, header, header_row, tuple(rows), warnings)


def check_zip(data: bytes, source: str) -> None:
    """Refuse a zip bomb before openpyxl sees it: member count, declared sizes and compression ratios.

    Raises:
        FileFormatError: not a zip file, or too many members / too large when uncompressed.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError,
            NotImplementedError, RuntimeError) as e:   # an unsupported zip version or method: not a workbook
        raise FileFormatError(source, "", f"is not a readable Excel workbook (damaged zip: {e})") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FileFormatError(source, "", f"has {len(infos):,} parts inside; a workbook has a few dozen")
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise FileFormatError(
                source, f"zip member {info.filename}",
                f"unpacks to more than {MAX_UNCOMPRESSED_BYTES:,} bytes (a zip bomb or a far too large workbook)",
            )
        if info.file_size > 1_000_000 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise FileFormatError(
                source, f"zip member {info.filename}",
                f"is compressed {info.file_size // max(info.compress_size, 1):,} to 1: refused as a zip bomb",
            )


def _openpyxl_is_defused() -> bool:
    from openpyxl.xml import DEFUSEDXML

    return bool(DEFUSEDXML)


def read_xlsx_bytes(data: bytes, source: str) -> Sheet:
    """Parse an XLSX workbook's bids sheet (``Bids`` if present, else the first sheet) into a :class:`Sheet`.

    Cells keep openpyxl's types (text, int/float, bool, datetime). Formula cells are replaced by their saved
    (cached) values; a formula with no saved value is refused.

    Raises:
        FileFormatError: anything wrong with the file, never another exception type.
    """
    if len(data) > MAX_FILE_BYTES:
        raise FileFormatError(source, "", f"is too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})")
    if not data.startswith(_XLSX_MAGIC):
        raise FileFormatError(source, "", "is not an Excel workbook (.xlsx)")
    check_zip(data, source)
    if not _openpyxl_is_defused():   # pragma: no cover - defusedxml is a runtime dependency
        raise FileFormatError(source, "", "cannot be read safely: the defusedxml package is missing")
    try:
        grid, formulas, title = _xlsx_grid(data, source, data_only=False)
        if formulas:
            cached, _, _ = _xlsx_grid(data, source, data_only=True)
            grid = _with_cached_values(grid, cached, formulas, source, title)
    except FileFormatError:
        raise
    except Exception as e:   # the one boundary: openpyxl raises a dozen exception types on damaged files
        raise FileFormatError(
            source, "", f"could not be read as an Excel workbook ({type(e).__name__}: {_short(e)})"
        ) from None
    return _sheet_from_grid(grid, source, title)


def _short(e: BaseException) -> str:
    text = str(e).replace("\n", " ").strip() or "no detail"
    return text[:200]


def _xlsx_grid(
    data: bytes, source: str, *, data_only: bool
) -> tuple[list[tuple[int, tuple[CellValue, ...]]], set[tuple[int, int]], str]:
    """Rows of one sheet as ``(row number, values)``; also the positions of formula cells (first pass)."""
    import openpyxl

    with warnings.catch_warnings():   # openpyxl warns about damaged parts it skips; the result is checked anyway
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False)
    try:
        names = list(wb.sheetnames)
        if not names:
            raise FileFormatError(source, "", "has no worksheets")
        chosen = next((n for n in names if n.strip().casefold() == "bids"), names[0])
        ws = wb[chosen]
        if not hasattr(ws, "reset_dimensions"):
            raise FileFormatError(source, f'sheet "{chosen}"', "is a chart sheet, not a table")
        ws.reset_dimensions()   # never trust the file's own <dimension>: a lying one pads every row
        rows: list[tuple[int, tuple[CellValue, ...]]] = []
        formulas: set[tuple[int, int]] = set()
        for seen, cells in enumerate(ws.iter_rows(), start=1):
            if seen > MAX_ROWS + 200:     # allow a few blank rows beyond the data cap
                raise FileFormatError(source, f'sheet "{chosen}", row {seen}',
                                      f"too many rows: the limit is {MAX_ROWS:,}")
            if len(cells) > MAX_COLUMNS and any(c.value is not None for c in cells[MAX_COLUMNS:]):
                raise FileFormatError(source, f"row {seen}", f"has cells beyond column {MAX_COLUMNS}; "
                                                              f"the limit is {MAX_COLUMNS} columns")
            values: list[CellValue] = []
            for col, c in enumerate(cells[:MAX_COLUMNS], start=1):
                if not data_only and getattr(c, "data_type", None) == "f":
                    formulas.add((seen, col))
                values.append(c.value)
            while values and values[-1] is None:
                values.pop()
            if values:
                rows.append((seen, tuple(values)))
        return rows, formulas, chosen
    finally:
        wb.close()


def _with_cached_values(
    grid: list[tuple[int, tuple[CellValue, ...]]],
    cached: list[tuple[int, tuple[CellValue, ...]]],
    formulas: set[tuple[int, int]],
    source: str,
    title: str,
) -> list[tuple[int, tuple[CellValue, ...]]]:
    by_row = dict(cached)
    header_cells = grid[0][1] if grid else ()
    out: list[tuple[int, tuple[CellValue, ...]]] = []
    for r, values in grid:
        saved = by_row.get(r, ())
        new: list[CellValue] = list(values)
        for c in range(1, len(values) + 1):
            if (r, c) not in formulas:
                continue
            v = saved[c - 1] if c - 1 < len(saved) else None
            if v is None:
                col = _column_label(header_cells, c)
                raise FileFormatError(
                    source, f"row {r}, column {col}",
                    "is a formula with no saved result (svdesk never calculates formulas): open the file in "
                    "Excel and save it, or paste the values in",
                )
            new[c - 1] = v
        out.append((r, tuple(new)))
    return out


def _column_label(header: Sequence[CellValue], col: int) -> str:
    text = header[col - 1] if 0 < col <= len(header) else None
    return column_name(text if isinstance(text, str) else "", col - 1)


def column_name(header: str, index: int) -> str:
    """How a message names a column: its heading in quotes (``"Price"``), or its letter (``C``) when the heading
    is blank, too long, or holds quotes or hidden characters (which must never reach a message)."""
    name = header.strip()
    if (not name or len(name) > 80 or '"' in name
            or any(unicodedata.category(ch) in _HIDDEN_CATEGORIES or ch in "\t\n" for ch in name)):
        return column_letter(index + 1)
    return f'"{name}"'


def column_letter(col: int) -> str:
    """Spreadsheet column letters for a 1-based column number (1 → A, 27 → AA)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sheet_from_grid(grid: list[tuple[int, tuple[CellValue, ...]]], source: str, title: str) -> Sheet:
    header: tuple[str, ...] | None = None
    header_row = 0
    rows: list[tuple[int, tuple[CellValue, ...]]] = []
    for r, values in grid:
        if not any(not _blank(v) for v in values):
            continue
        if header is None:
            header = tuple(_header_text(v) for v in values)
            header_row = r
            continue
        if len(rows) >= MAX_ROWS:
            raise FileFormatError(source, f"row {r}", f"too many rows: the limit is {MAX_ROWS:,}")
        rows.append((r, values))
    if header is None:
        raise FileFormatError(source, f'sheet "{title}"', "is empty: it has no header row")
    return Sheet(source, header, header_row, tuple(rows))


def _header_text(v: CellValue) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _blank(v: CellValue) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


# ---------------------------------------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------------------------------------

_MONEY_RE = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
_NUMBER_RE = re.compile(r"^\d+(?:\.(\d+))?$")
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def is_blank(v: CellValue) -> bool:
    """An empty cell (nothing, or only spaces)."""
    return _blank(v)


def clean_text(v: CellValue, *, limit: int = MAX_CELL_CHARS, multiline: bool = False) -> str:
    """A text cell: NFC-normalised, stripped, within ``limit``, with no hidden characters.

    Hidden characters are control and format characters (Unicode Cc/Cf/Cs/Zl/Zp): NUL, escape codes, the
    bidi overrides that make "Acme Ltd" display reversed (U+202E, "Trojan Source"), zero-width spaces. Tab is
    allowed; newlines only in ``multiline`` cells (reasons), where CRLF becomes LF.

    Raises:
        CellError: not text, too long, or a hidden character (named by its code point).
    """
    if isinstance(v, float) and math.isfinite(v):
        v = int(v) if v.is_integer() else Decimal(repr(v))
    if isinstance(v, bool) or not isinstance(v, str | int | Decimal):
        raise CellError(f"must be text, not {_describe(v)}")
    text = unicodedata.normalize("NFC", str(v)).replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise CellError(f"is too long ({len(text):,} characters; the limit is {limit:,})")
    wrong = text_rule.problem(text, lines=multiline)   # the one text rule (svdesk/domain/text.py)
    if wrong:
        raise CellError(wrong)
    return text


def _describe(v: CellValue) -> str:
    if isinstance(v, bool):
        return "TRUE/FALSE"
    if isinstance(v, datetime | date):
        return "a date"
    if isinstance(v, time | timedelta):
        return "a time"
    if isinstance(v, int | float | Decimal):
        return "a number"
    return type(v).__name__


def _exact_decimal(v: CellValue, what: str) -> Decimal:
    """A number cell as an exact Decimal (floats via repr: see the module docstring)."""
    if isinstance(v, bool):
        raise CellError(f"must be {what}, not TRUE/FALSE")
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, Decimal):
        if not v.is_finite():
            raise CellError(f"must be {what}, not {v}")
        return v
    if isinstance(v, float):
        if not math.isfinite(v):
            raise CellError(f"must be {what}, not {v}")
        return Decimal(repr(v))
    if isinstance(v, datetime | date | time | timedelta):
        raise CellError(f"must be {what}, not a date or time (check the cell's format in Excel)")
    raise CellError(f"must be {what}, not {_describe(v)}")


def parse_money(v: CellValue) -> Decimal:
    """A sum in pounds: ``£1,234.56``, ``1234.5``, ``540000``; never negative, at most 2 dp, below £1 trillion.

    Text may have a leading ``£`` (or ``GBP``) and thousands separators in the right places; nothing else
    (no exponents, no NaN/Infinity, no European ``1.234,56``).

    Raises:
        CellError: anything else, saying what was found.
    """
    if isinstance(v, str):
        text = unicodedata.normalize("NFKC", v).strip()
        shown = text if len(text) <= 40 else text[:40] + "…"
        if text.startswith(("-", "−", "(")):
            raise CellError(f"must not be negative (got {shown!r})")
        for prefix in ("£", "GBP", "gbp"):
            if text.startswith(prefix):
                text = text[len(prefix):].strip()
                break
        if text.startswith(("-", "−", "(")):
            raise CellError(f"must not be negative (got {shown!r})")
        m = _MONEY_RE.match(text)
        if not m:
            raise CellError(f"{shown!r} is not an amount in pounds (write it like 1,234.56)")
        d = Decimal(text.replace(",", ""))
    else:
        d = _exact_decimal(v, "an amount in pounds")
    if d < 0:
        raise CellError(f"must not be negative (got {d})")
    if d > MAX_MONEY:
        raise CellError(f"is too large (got {d:,}; the limit is £1 trillion)")
    if d != d.quantize(PENNY):
        raise CellError(f"is not exact to the penny (got {d}): round it to 2 decimal places")
    return d.quantize(PENNY)


def parse_score(v: CellValue) -> Decimal:
    """A raw score: a number that is not negative, with at most 2 decimal places (the range is checked later).

    Raises:
        CellError: not such a number.
    """
    if isinstance(v, str):
        text = unicodedata.normalize("NFKC", v).strip()
        shown = text if len(text) <= 40 else text[:40] + "…"
        if text.startswith(("-", "−")):
            raise CellError(f"must not be negative (got {shown!r})")
        if not _NUMBER_RE.match(text):
            raise CellError(f"{shown!r} is not a score (write a number such as 3 or 3.5)")
        d = Decimal(text)
    else:
        d = _exact_decimal(v, "a score")
    if d < 0:
        raise CellError(f"must not be negative (got {d})")
    if d > Decimal(1_000_000):
        raise CellError(f"is far too large for a score (got {d})")
    if d != d.quantize(Decimal(1).scaleb(-SCORE_PLACES)):
        raise CellError(f"has more than {SCORE_PLACES} decimal places (got {d})")
    return d.normalize() if d == d.to_integral_value() else d


_YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔"})
_NO = frozenset({"no", "n", "false", "0"})


def parse_yes_no(v: CellValue) -> bool:
    """Yes/No, Y/N, TRUE/FALSE, 1/0 or a tick.

    Raises:
        CellError: anything else.
    """
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and v in (0, 1):
        return bool(v)
    if isinstance(v, float) and v in (0.0, 1.0):
        return bool(v)
    if isinstance(v, str):
        t = v.strip().casefold()
        if t in _YES:
            return True
        if t in _NO:
            return False
        shown = v.strip() if len(v.strip()) <= 40 else v.strip()[:40] + "…"
        raise CellError(f"{shown!r} is not Yes or No")
    raise CellError(f"must be Yes or No, not {_describe(v)}")


_UK_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_uk_date(v: CellValue) -> date:
    """A date as a UK officer writes it: ``31/12/2026`` (day first), ``31-12-2026``, ``2026-12-31`` or a date cell.

    Two-digit years are refused (``01/02/03`` is ambiguous).

    Raises:
        CellError: not such a date, or no such day.
    """
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if not isinstance(v, str):
        raise CellError(f"must be a date (dd/mm/yyyy), not {_describe(v)}")
    text = v.strip()
    m = _UK_DATE_RE.match(text)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _ISO_DATE_RE.match(text)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise CellError(f"{text!r} is not a real day") from None
    shown = text if len(text) <= 40 else text[:40] + "…"
    raise CellError(f"{shown!r} is not a date (write it as dd/mm/yyyy)")


# ---------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------


def escape_csv_text(text: str) -> str:
    """Make a text cell inert in a spreadsheet program: a leading apostrophe when it could start a formula.

    Also prefixed: text that already starts with an apostrophe, so :func:`unescape_csv_text` is its exact
    inverse.
    """
    if text and (text[0] in FORMULA_TRIGGERS or text[0] == "'"):
        return "'" + text
    return text


def unescape_csv_text(text: str) -> str:
    """Undo :func:`escape_csv_text` (an apostrophe before a formula character or another apostrophe)."""
    if len(text) > 1 and text[0] == "'" and (text[1] in FORMULA_TRIGGERS or text[1] == "'"):
        return text[1:]
    return text


def _plain_decimal(d: Decimal) -> str:
    text = f"{d:f}"
    return text


def _csv_cell(v: str | Decimal | int | bool | date | None) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "Yes" if v else "No"
    if isinstance(v, Decimal):
        if not v.is_finite():
            raise ValueError(f"cannot write {v} to a spreadsheet")
        return _plain_decimal(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    return escape_csv_text(v)


def csv_bytes(table: Table) -> bytes:
    """A table as CSV: UTF-8 with a BOM (so Excel shows £ correctly), CRLF, formula injection neutralised."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([escape_csv_text(h) for h in table.headers])
    for row in table.rows:
        w.writerow([_csv_cell(v) for v in row])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def write_csv(path: str | os.PathLike[str], table: Table) -> Path:
    """Write a table as a CSV file atomically (temporary file, then rename)."""
    return write_bytes_atomic(path, csv_bytes(table))


#: What XML 1.0 cannot hold: C0 controls but tab/newline/CR, lone surrogates, U+FFFE and U+FFFF (issue 16: a
#: supplier named with U+FFFF made a workbook that no reader, svdesk included, would open).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_bytes(tables: Iterable[Table]) -> bytes:
    """Tables as an XLSX workbook, one sheet each: text cells are string cells (never formulas)."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    first = True
    for table in tables:
        if first:
            ws = wb.active
            ws.title = _sheet_title(table.name)
            first = False
        else:
            ws = wb.create_sheet(_sheet_title(table.name))
        for col, h in enumerate(table.headers, start=1):
            cell = ws.cell(row=1, column=col)
            _set_text(cell, h)
            cell.font = Font(bold=True)
        for r, row in enumerate(table.rows, start=2):
            for col, v in enumerate(row, start=1):
                cell = ws.cell(row=r, column=col)
                _set_value(cell, v)
                if col - 1 in table.money_columns and isinstance(v, Decimal | int) and not isinstance(v, bool):
                    cell.number_format = '"£"#,##0.00'
        ws.freeze_panes = "B2"
        for col, h in enumerate(table.headers, start=1):
            ws.column_dimensions[column_letter(col)].width = min(max(len(h) + 2, 12), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", _ILLEGAL_XML.sub(" ", name)).strip() or "Sheet"
    return cleaned[:31]


def _set_text(cell: Any, text: str) -> None:
    cell.value = _ILLEGAL_XML.sub("\ufffd", text)
    cell.data_type = "s"   # a string cell even when the text starts with "=": never a formula


def _set_value(cell: Any, v: str | Decimal | int | bool | date | None) -> None:
    if v is None or v == "":   # an empty text cell is a blank cell
        return
    if isinstance(v, bool):
        _set_text(cell, "Yes" if v else "No")
    elif isinstance(v, Decimal | int):
        cell.value = v
    elif isinstance(v, date):
        cell.value = v
        cell.number_format = "DD/MM/YYYY"
    else:
        _set_text(cell, v)


def write_xlsx(path: str | os.PathLike[str], tables: Iterable[Table]) -> Path:
    """Write tables as an XLSX workbook atomically (temporary file, then rename)."""
    return write_bytes_atomic(path, xlsx_bytes(tables))


def money_text(d: Decimal | None) -> str:
    """An amount for messages and previews: ``£1,234.56`` (``blank`` when none)."""
    return "blank" if d is None else f"£{d:,.2f}"
