"""The hostile-import battery (reliability.md §6(e)): 10,000+ malformed CSV inputs and 1,000+ mutated XLSX files.

Property, for every input: reading and previewing it either
* is refused with a :class:`FileFormatError` (nothing else may escape), and every refusal is located — a row and
  a column for a cell, a row for a header or structure problem, a line or byte for a decoding problem, or one of
  a few whole-file reasons (empty, too large, not a workbook); or
* is accepted, and then every accepted value is valid: the tender passes ``check_tender``, texts are NFC with no
  hidden characters, money is finite, not negative and exact to the penny, scores lie on their scale.

Derandomised (the same inputs on every run) so CI is repeatable; the counters prove how many inputs ran.
"""

from __future__ import annotations

import random
import re
import struct
import unicodedata
import warnings
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svdesk.domain.money import MAX_MONEY
from svdesk.domain.tender import Tender, check_tender
from svdesk.errors import FileFormatError
from svdesk.io.bids_import import ImportRejectedError, preview_bids_import, template_table
from svdesk.io.spreadsheet import csv_bytes, read_csv_bytes, read_xlsx_bytes, xlsx_bytes
from tests.io.samples import small_tender
from tests.io.xlsx_tools import members, pack, with_shared_strings, with_sheet

TENDER: Tender = small_tender()
CSV_TEMPLATE = csv_bytes(template_table(TENDER, evaluators=["AB", "CD"]))
XLSX_TEMPLATE = xlsx_bytes([template_table(TENDER, evaluators=["AB"])])
XLSX_PARTS = members(XLSX_TEMPLATE)

FUZZ = settings(
    deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

HEADERS = [h for h in template_table(TENDER, evaluators=["AB"]).headers] + [
    "supplier", "PRICE", "q1 score", "sv1 reason", "Price score", "", "Unknown", "Supplier", "q1 score by",
    "Service delivery score (AB)", "Service delivery reason by \u202eAB", "=cmd|' /C calc'!A0",
]
HOSTILE = [
    "NaN", "nan", "inf", "-inf", "Infinity", "1e308", "-1e308", "1E3", "-0", "-1", "0", "0.00", "1,000,000.001",
    "£5", "£-5", "(5)", "£1,234.56", "1,23", "1.234,56", "12.345", "3.333", "5.5", "6", "2.25", "10", "11",
    "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "'=escaped", "''", "'", "Yes", "no", "TRUE", "maybe", "local",
    "Regional", "abroad", "Acme Networks Ltd", "acme networks ltd ", "Dales Digital CIC", "New Co",
    "Acme\u202eLtd", "Acme\u2066Ltd", "Ac\u200bme", "Ac\u200dme", "Acme\x00", "\x1b[31m", "line\nbreak",
    "line\r\nbreak", "\ttab", "شركة النور", "Cafe\u0301", "\ufeffBOM", "\u2028", "x" * 400, "y" * 10_001,
    " ", "", "\u00a0", "１２３", "٣", "½",
]
_WHOLE_FILE = re.compile(
    r"is empty|is too large|is an Excel workbook|is not an Excel workbook|is not a readable Excel workbook|"
    r"could not be read as an Excel workbook|has no worksheets|parts inside|is a chart sheet"
)
_CELL = re.compile(r'^row \d+, column ("[^"\n]*"|[A-Z]{1,3})$')
_ROW = re.compile(r"^row \d+$")
_FILE_PLACE = re.compile(r'^(line \d+|byte \d+|character \d+|zip member .+|sheet ".*"(, row \d+)?)$')
_HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}

COUNTS: dict[str, int] = {}


def _count(key: str) -> None:
    COUNTS[key] = COUNTS.get(key, 0) + 1


def _assert_located(e: FileFormatError) -> None:
    if isinstance(e, ImportRejectedError):
        assert e.problems, e
        for p in e.problems:
            assert _CELL.match(p.where) or _ROW.match(p.where), f"not located: {p!s}"
            assert p.message
        return
    where = e.where
    assert (_CELL.match(where) or _ROW.match(where) or _FILE_PLACE.match(where)
            or (where == "" and _WHOLE_FILE.search(e.message))), f"not located: {e!s}"


def _clean(text: str, *, multiline: bool = False) -> bool:
    return text == unicodedata.normalize("NFC", text) and text == text.strip() and all(
        ch == "\t" or (multiline and ch == "\n") or unicodedata.category(ch) not in _HIDDEN for ch in text
    )


def _assert_valid(after: Tender, before: Tender) -> None:
    check_tender(after)
    by_id = {c.id: c for c in after.criteria}
    assert len(after.bids) >= len(before.bids)
    old = {b.supplier: b for b in before.bids}
    for b in after.bids:
        assert _clean(b.supplier) and b.supplier
        if b.price is not None:
            assert b.price.is_finite() and Decimal(0) <= b.price <= MAX_MONEY
            assert b.price == b.price.quantize(Decimal("0.01"))
        for cid, v in b.scores.items():
            assert v.is_finite() and 0 <= v <= by_id[cid].scale_max and v == v.quantize(Decimal("0.01"))
        for marks in b.evaluator_scores.values():
            for ev, v in marks.items():
                assert _clean(ev) and 0 <= v <= 100
        for text in b.explanations.values():
            assert _clean(text, multiline=True)
        for reasons in b.evaluator_reasons.values():
            assert all(_clean(r, multiline=True) for r in reasons.values())
        if b.supplier in old:
            assert b.commitments == old[b.supplier].commitments      # an import never touches commitments


def _run(data: bytes, kind: str) -> None:
    try:
        sheet = read_csv_bytes(data, "fuzz.csv") if kind == "csv" else read_xlsx_bytes(data, "fuzz.xlsx")
        preview = preview_bids_import(TENDER, sheet)
    except FileFormatError as e:
        _assert_located(e)
        _count(f"{kind} rejected")
        return
    _assert_valid(preview.after, TENDER)
    _count(f"{kind} accepted")


# --- CSV ---------------------------------------------------------------------------------------------------


# Each input is built from a seed drawn by Hypothesis (plus, for the structured inputs, one free text drawn by
# it): a handful of draws per input instead of dozens keeps 10,000 inputs within seconds, and a failure still
# prints the seed and text that reproduce it.
_seeds = st.integers(0, 2**64 - 1)


def mutate_bytes(rnd: random.Random, base: bytes) -> bytes:
    """A valid file with 1–6 random edits: flipped, inserted or deleted bytes, truncation, duplicated lines,
    hostile cells pasted in."""
    data = bytearray(base)
    for _ in range(rnd.randint(1, 6)):
        op = rnd.choice(["flip", "insert", "delete", "truncate", "dup-line", "replace-cell"])
        pos = rnd.randint(0, max(len(data) - 1, 0))
        if op == "flip" and data:
            data[pos] = rnd.randint(0, 255)
        elif op == "insert":
            data[pos:pos] = rnd.choice([b'"', b",", b"\n", b"\r", b"\0", b"\xa3", b"\xff\xfe", b"=",
                                        b"\xe2\x80\xae", b"'", b"-", b"\t"])
        elif op == "delete":
            del data[pos: pos + rnd.randint(1, 20)]
        elif op == "truncate":
            del data[pos:]
        elif op == "dup-line":
            lines = bytes(data).split(b"\n")
            i = rnd.randrange(len(lines))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        else:
            cell = rnd.choice(HOSTILE).encode("utf-8")
            end = data.find(b",", pos)
            data[pos: end if end > pos else pos] = cell
    return bytes(data)


def hostile_csv(rnd: random.Random, free: str) -> bytes:
    """A CSV built from known and hostile headers and cells, random delimiters, quoting, line ends, encodings."""
    header = [rnd.choice(HEADERS) for _ in range(rnd.randint(1, 8))]
    if rnd.random() < 0.6:
        header = ["Supplier", *header]
    pool = [*HOSTILE, free, free[:3], free + " Ltd"]
    rows = [[rnd.choice(pool) for _ in range(rnd.randint(0, len(header) + 1))] for _ in range(rnd.randint(0, 6))]
    delim = rnd.choice([",", ",", ",", ";", "\t"])
    eol = rnd.choice(["\n", "\r\n", "\r"])

    def cell(v: str) -> str:
        if rnd.random() < 0.3 or any(c in v for c in f'"{delim}\r\n'):
            return '"' + v.replace('"', '""') + '"'
        return v

    text = eol.join(delim.join(cell(v) for v in row) for row in [header, *rows])
    encoding = rnd.choice(["utf-8", "utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"])
    return text.encode(encoding, errors="replace")


def test_csv_random_bytes() -> None:
    before = COUNTS.get("csv accepted", 0) + COUNTS.get("csv rejected", 0)

    @settings(FUZZ, max_examples=2_500)
    @given(st.binary(max_size=400) | st.builds(lambda b: b"Supplier,Price\n" + b, st.binary(max_size=200)))
    def run(data: bytes) -> None:
        _run(data, "csv")

    run()
    assert COUNTS.get("csv accepted", 0) + COUNTS.get("csv rejected", 0) - before >= 2_500


def test_csv_mutated_template() -> None:
    before = COUNTS.get("csv accepted", 0) + COUNTS.get("csv rejected", 0)

    @settings(FUZZ, max_examples=4_000)
    @given(_seeds)
    def run(seed: int) -> None:
        _run(mutate_bytes(random.Random(seed), CSV_TEMPLATE), "csv")

    run()
    assert COUNTS.get("csv accepted", 0) + COUNTS.get("csv rejected", 0) - before >= 4_000


def test_csv_structured_hostile_rows() -> None:
    before = COUNTS.get("csv accepted", 0) + COUNTS.get("csv rejected", 0)
    accepted = COUNTS.get("csv accepted", 0)

    @settings(FUZZ, max_examples=4_000)
    @given(_seeds, st.text(max_size=20))
    def run(seed: int, free: str) -> None:
        _run(hostile_csv(random.Random(seed), free), "csv")

    run()
    assert COUNTS.get("csv accepted", 0) + COUNTS.get("csv rejected", 0) - before >= 4_000
    assert COUNTS.get("csv accepted", 0) - accepted > 100       # the battery reaches the accepting paths too


# --- XLSX --------------------------------------------------------------------------------------------------

_XLSX_VALUES: list[object] = [
    *HOSTILE, float("nan"), float("inf"), float("-inf"), 1e308, -1.0, 0.1 + 0.2, 3.5, 540000.1, 12, 10**15, -(10**15),
    True, False, None, None, ("f", "1+1", None), ("f", "1+1", 3), ("f", "A1", "#REF!"), ("f", "B2*2", 90000),
]


def _random_float(rnd: random.Random) -> float:
    value: float = struct.unpack("<d", rnd.getrandbits(64).to_bytes(8, "little"))[0]
    return value


def xlsx_cells(rnd: random.Random, free: str) -> bytes:
    """A workbook whose sheet holds known and hostile headings and cells (inline or shared strings)."""
    header: list[object] = [rnd.choice(HEADERS) for _ in range(rnd.randint(1, 7))]
    if rnd.random() < 0.6:
        header = ["Supplier", *header]
    pool = [*_XLSX_VALUES, free, free + " Ltd"]

    def value() -> object:
        r = rnd.random()
        return _random_float(rnd) if r < 0.05 else rnd.randint(-1000, 10**6) if r < 0.1 else rnd.choice(pool)

    rows = [[value() for _ in range(rnd.randint(0, len(header) + 1))] for _ in range(rnd.randint(0, 5))]
    build = with_shared_strings if rnd.random() < 0.5 else with_sheet
    return build(XLSX_TEMPLATE, [header, *rows])


def xlsx_parts_mutated(rnd: random.Random) -> bytes:
    """The template with one part's XML damaged (bytes, tags, formulas without values, DOCTYPEs), re-zipped."""
    parts = dict(XLSX_PARTS)
    name = rnd.choice(sorted(parts))
    data = bytearray(parts[name])
    for _ in range(rnd.randint(1, 4)):
        pos = rnd.randint(0, max(len(data) - 1, 0))
        op = rnd.choice(["flip", "insert", "delete", "type"])
        if op == "flip" and data:
            data[pos] = rnd.randint(0, 255)
        elif op == "insert":
            data[pos:pos] = rnd.choice([b"<", b">", b"&", b'"', b"<f>1+1</f>", b"<v/>", b"\0",
                                        b'<c r="ZZZ9"><v>1</v></c>', b"<!DOCTYPE x>", b't="e"'])
        elif op == "delete":
            del data[pos: pos + rnd.randint(1, 40)]
        else:
            data = bytearray(bytes(data).replace(b"inlineStr", rnd.choice([b"n", b"b", b"e", b"s", b"str"]), 1))
    parts[name] = bytes(data)
    if rnd.random() < 0.2:
        parts.pop(rnd.choice(sorted(parts)))
    return pack(parts)


def xlsx_bytes_mutated(rnd: random.Random) -> bytes:
    """The template's bytes flipped or truncated (mostly a damaged zip)."""
    data = bytearray(XLSX_TEMPLATE)
    for _ in range(rnd.randint(1, 3)):
        pos = rnd.randrange(len(data))
        if rnd.random() < 0.5:
            data[pos] = rnd.randint(0, 255)
        else:
            del data[pos:]
            break
    return bytes(data)


def xlsx_input(seed: int, free: str) -> bytes:
    rnd = random.Random(seed)
    r = rnd.random()
    if r < 0.5:
        return xlsx_cells(rnd, free)
    if r < 0.85:
        return xlsx_parts_mutated(rnd)
    return xlsx_bytes_mutated(rnd)


def test_xlsx_mutations() -> None:
    before = sum(v for k, v in COUNTS.items() if k.startswith("xlsx"))

    @settings(FUZZ, max_examples=1_200)
    @given(_seeds, st.text(max_size=20))
    def run(seed: int, free: str) -> None:
        _run(xlsx_input(seed, free), "xlsx")

    with warnings.catch_warnings():
        warnings.simplefilter("error")        # openpyxl's own warnings must not leak out of the reader either
        run()
    assert sum(v for k, v in COUNTS.items() if k.startswith("xlsx")) - before >= 1_000
    assert COUNTS.get("xlsx accepted", 0) > 50


def test_battery_totals() -> None:
    """Runs after the battery (file order): at least 10,000 CSV and 1,000 XLSX inputs in this session."""
    csv_total = COUNTS.get("csv accepted", 0) + COUNTS.get("csv rejected", 0)
    xlsx_total = COUNTS.get("xlsx accepted", 0) + COUNTS.get("xlsx rejected", 0)
    if csv_total == 0 and xlsx_total == 0:
        return   # run on its own (e.g. -k): nothing to add up
    print(f"import fuzz battery: {COUNTS}")
    assert csv_total >= 10_000 and xlsx_total >= 1_000
