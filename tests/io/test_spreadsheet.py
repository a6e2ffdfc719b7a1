"""Reading spreadsheets safely: cell values, encodings, caps, hostile XLSX (formulas, zip bombs, XML bombs)."""

from __future__ import annotations

import time
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from svdesk.errors import FileFormatError
from svdesk.io import spreadsheet as S
from svdesk.io.bids_import import template_table
from svdesk.io.spreadsheet import (
    CellError,
    clean_text,
    parse_money,
    parse_score,
    parse_uk_date,
    parse_yes_no,
    read_csv_bytes,
    read_table,
    read_xlsx_bytes,
    xlsx_bytes,
)
from tests.io.samples import small_tender
from tests.io.xlsx_tools import forge_declared_size, members, pack, sheet_xml, with_shared_strings, with_sheet

D = Decimal


@pytest.fixture(scope="module")
def template() -> bytes:
    return xlsx_bytes([template_table(small_tender())])


# --- cell values ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "expected"), [
    ("540000", "540000.00"), ("£540,000.00", "540000.00"), (" £ 1,234.5 ", "1234.50"), ("GBP 12", "12.00"),
    ("0", "0.00"), (540000, "540000.00"), (540000.1, "540000.10"), (D("12.30"), "12.30"),
    ("1,000,000", "1000000.00"), ("999999999999.99", "999999999999.99"),
])
def test_money_accepts_what_officers_type(cell: object, expected: str) -> None:
    assert parse_money(cell) == D(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(("cell", "why"), [
    ("-5", "negative"), ("(5)", "negative"), ("£-5", "negative"), ("−5", "negative"), (-1, "negative"),
    ("NaN", "not an amount"), ("inf", "not an amount"), ("1e308", "not an amount"), ("1E3", "not an amount"),
    (float("nan"), "not nan"), (float("inf"), "not inf"), (1e308, "too large"), ("1,23", "not an amount"),
    ("1.234,56", "not an amount"), ("12.345", "penny"), (0.30000000000000004, "penny"), ("", "not an amount"),
    (True, "TRUE/FALSE"), (datetime(2026, 1, 2), "date"), ("=1+1", "not an amount"), ("1000000000000.01", "too large"),
])
def test_money_refuses_anything_inexact_or_absurd(cell: object, why: str) -> None:
    with pytest.raises(CellError, match=why):
        parse_money(cell)  # type: ignore[arg-type]


def test_money_from_a_float_cell_goes_through_repr_not_binary() -> None:
    # Decimal(0.1) would be 0.1000000000000000055511151231257827…; repr gives what Excel shows.
    assert parse_money(0.1) == D("0.10")
    assert parse_money(1234567.89) == D("1234567.89")


@pytest.mark.parametrize(("cell", "expected"), [("3", "3"), ("3.5", "3.5"), (4, "4"), (2.25, "2.25"), ("0", "0")])
def test_scores(cell: object, expected: str) -> None:
    assert parse_score(cell) == D(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["-1", "three", "3.333", "1e2", "NaN", float("inf"), True, "", "3/5"])
def test_bad_scores(cell: object) -> None:
    with pytest.raises(CellError):
        parse_score(cell)  # type: ignore[arg-type]


def test_yes_no() -> None:
    assert [parse_yes_no(v) for v in ("Yes", " y", "TRUE", "1", "x", True, 1)] == [True] * 7
    assert [parse_yes_no(v) for v in ("no", "N", "false", "0", False, 0)] == [False] * 6
    with pytest.raises(CellError, match="not Yes or No"):
        parse_yes_no("maybe")


def test_uk_dates_are_day_first() -> None:
    assert parse_uk_date("01/02/2026") == date(2026, 2, 1)
    assert parse_uk_date("1-2-2026") == date(2026, 2, 1)
    assert parse_uk_date("2026-02-01") == date(2026, 2, 1)
    assert parse_uk_date(datetime(2026, 2, 1, 9, 30)) == date(2026, 2, 1)
    for bad in ("31/02/2026", "01/02/26", "2/1", "tomorrow"):
        with pytest.raises(CellError):
            parse_uk_date(bad)


@pytest.mark.parametrize("text", [
    "Acme\u202eLtd", "Acme\u2066Ltd", "Ac\u200bme", "Acme\x00", "Acme\x1b[31m", "Acme\u2028Ltd", "Ac\u00adme",
])
def test_hidden_characters_are_refused_by_code_point(text: str) -> None:
    with pytest.raises(CellError, match=r"U\+[0-9A-F]{4}"):
        clean_text(text)


def test_text_is_normalised_and_rtl_scripts_are_kept() -> None:
    assert clean_text("  Cafe\u0301 Ltd ") == "Café Ltd"                     # NFC
    assert clean_text("شركة النور") == "شركة النور"                           # Arabic is legitimate
    assert clean_text("line one\r\nline two", multiline=True) == "line one\nline two"
    with pytest.raises(CellError):
        clean_text("line one\nline two")
    with pytest.raises(CellError, match="too long"):
        clean_text("x" * 10_001)


# --- CSV: encodings and structure ---------------------------------------------------------------------------


def test_utf8_with_bom_and_cp1252_pound() -> None:
    bom = read_csv_bytes("Supplier,Price\nAcme,£5\n".encode("utf-8-sig"), "a.csv")
    assert bom.header == ("Supplier", "Price") and bom.rows[0][1] == ("Acme", "£5") and not bom.warnings
    win = read_csv_bytes("Supplier,Price\nCafé Ltd,£5\n".encode("cp1252"), "b.csv")
    assert win.rows[0][1] == ("Café Ltd", "£5")
    assert "Windows-1252" in win.warnings[0] and "line 2" in win.warnings[0]


def test_utf16_with_bom_tab_separated() -> None:
    s = read_csv_bytes("Supplier\tPrice\r\nAcme\t£5\r\n".encode("utf-16"), "u.txt")
    assert s.rows[0][1] == ("Acme", "£5")


def test_undecodable_bytes_are_named() -> None:
    with pytest.raises(FileFormatError) as e:
        read_csv_bytes(b"Supplier,Price\nAcme,\x81\x8d\n", "x.csv")
    assert e.value.where.startswith("byte ") and "UTF-8" in e.value.message


def test_nul_bytes_mean_a_binary_file() -> None:
    with pytest.raises(FileFormatError, match="NUL"):
        read_csv_bytes(b"Supplier\x00,Price\n", "x.csv")


def test_bad_quoting_names_the_line() -> None:
    with pytest.raises(FileFormatError) as e:
        read_csv_bytes(b'Supplier,Price\nAcme,"5\n', "x.csv")
    assert e.value.where.startswith("line ")


def test_quoted_newlines_and_blank_lines() -> None:
    s = read_csv_bytes(b'\n\nSupplier,Reason\r\n"Acme","two\r\nlines"\r\n\r\n,\r\nBeta,x\r\n', "x.csv")
    assert s.header_row == 3
    assert s.rows == ((4, ("Acme", "two\r\nlines")), (7, ("Beta", "x")))


def test_empty_file() -> None:
    with pytest.raises(FileFormatError, match="empty"):
        read_csv_bytes(b"", "x.csv")
    with pytest.raises(FileFormatError, match="empty"):
        read_csv_bytes(b"\n \n,,\n", "x.csv")


def test_caps_refuse_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(S.MAX_FILE_BYTES + 1)
    t0 = time.perf_counter()
    with pytest.raises(FileFormatError, match="too large"):
        read_table(big)
    assert time.perf_counter() - t0 < 0.5
    rows = b"Supplier,Price\n" + b"A,1\n" * (S.MAX_ROWS + 1)
    with pytest.raises(FileFormatError, match="too many rows"):
        read_csv_bytes(rows, "rows.csv")
    with pytest.raises(FileFormatError, match="columns"):
        read_csv_bytes(b",".join([b"c"] * (S.MAX_COLUMNS + 1)) + b"\n", "cols.csv")
    with pytest.raises(FileFormatError, match="too many rows"):
        read_csv_bytes(b"Supplier\n" + b"\n" * (S.MAX_ROWS + 2_000), "blank.csv")


def test_kind_from_content_not_only_name(tmp_path: Path, template: bytes) -> None:
    misnamed = tmp_path / "bids.csv"
    misnamed.write_bytes(template)
    assert read_table(misnamed).header[0] == "Supplier"
    fake = tmp_path / "bids.xlsx"
    fake.write_text("Supplier\nAcme\n")
    with pytest.raises(FileFormatError, match="not an Excel workbook"):
        read_table(fake)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(FileFormatError, match="97-2003"):
        read_table(old)
    with pytest.raises(FileFormatError, match="no such file"):
        read_table(tmp_path / "missing.csv")


# --- XLSX --------------------------------------------------------------------------------------------------


def test_xlsx_values_keep_their_types(template: bytes) -> None:
    data = with_sheet(template, [["Supplier", "Price", "SME"], ["Acme", 91000.5, True], ["Beta", 5, False]])
    s = read_xlsx_bytes(data, "b.xlsx")
    assert s.rows == ((2, ("Acme", 91000.5, True)), (3, ("Beta", 5, False)))


def test_shared_strings_like_excel_writes(template: bytes) -> None:
    data = with_shared_strings(template, [["Supplier", "Price"], ["Acme", "£5"], ["Beta", 7]])
    assert read_xlsx_bytes(data, "b.xlsx").rows == ((2, ("Acme", "£5")), (3, ("Beta", 7)))


def test_formula_with_a_saved_result_gives_the_result(template: bytes) -> None:
    data = with_sheet(template, [["Supplier", "Price"], ["Acme", ("f", "B3*2", 10)], ["Beta", 5]])
    assert read_xlsx_bytes(data, "b.xlsx").rows[0] == (2, ("Acme", 10))


def test_formula_without_a_saved_result_is_refused_and_located(template: bytes) -> None:
    data = with_sheet(template, [["Supplier", "Price"], ["Acme", 5], ["Beta", ("f", "B2*2", None)]])
    with pytest.raises(FileFormatError) as e:
        read_xlsx_bytes(data, "b.xlsx")
    assert e.value.where == 'row 3, column "Price"' and "formula" in e.value.message


def test_bids_sheet_is_chosen_by_name(template: bytes) -> None:
    wb = xlsx_bytes([S.Table("Notes", ("Hello",), (("x",),)), S.Table("Bids", ("Supplier",), (("Acme",),))])
    assert read_xlsx_bytes(wb, "b.xlsx").header == ("Supplier",)


def test_a_lying_dimension_does_not_pad_rows(template: bytes) -> None:
    parts = members(with_sheet(template, [["Supplier"], ["Acme"]]))
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>',
                                                      1).encode()
    t0 = time.perf_counter()
    assert read_xlsx_bytes(pack(parts), "b.xlsx").rows == ((2, ("Acme",)),)
    assert time.perf_counter() - t0 < 1


def test_too_many_rows_or_far_columns(template: bytes) -> None:
    rows: list[list[object]] = [["Supplier"], *([["A"]] * (S.MAX_ROWS + 1))]
    with pytest.raises(FileFormatError, match="too many rows"):
        read_xlsx_bytes(with_sheet(template, rows), "b.xlsx")
    far = sheet_xml([["Supplier"]]).replace(b"</row>", b'<c r="ZZ1" t="inlineStr"><is><t>x</t></is></c></row>')
    parts = members(template)
    parts["xl/worksheets/sheet1.xml"] = far
    with pytest.raises(FileFormatError, match="beyond column"):
        read_xlsx_bytes(pack(parts), "b.xlsx")


def test_zip_bomb_refused_before_openpyxl(template: bytes) -> None:
    parts = members(template)
    parts["xl/media/padding.bin"] = b"\0" * 5_000_000          # compresses about 1000 to 1
    bomb = pack(parts, level=9)
    t0 = time.perf_counter()
    with pytest.raises(FileFormatError, match="zip bomb"):
        read_xlsx_bytes(bomb, "bomb.xlsx")
    forged = forge_declared_size(template, "xl/worksheets/sheet1.xml", 2_000_000_000)
    with pytest.raises(FileFormatError, match="unpacks to more than"):
        read_xlsx_bytes(forged, "forged.xlsx")
    assert time.perf_counter() - t0 < 1


def test_member_larger_than_declared_is_refused(template: bytes) -> None:
    lying = forge_declared_size(template, "xl/worksheets/sheet1.xml", 100)
    with pytest.raises(FileFormatError):
        read_xlsx_bytes(lying, "lying.xlsx")


def test_billion_laughs_refused(template: bytes) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        b'<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    )
    wb = with_shared_strings(template, [["Supplier"], ["Acme"]])
    parts = members(wb)
    parts["xl/sharedStrings.xml"] = laughs
    t0 = time.perf_counter()
    with pytest.raises(FileFormatError, match="could not be read"):
        read_xlsx_bytes(pack(parts), "lol.xlsx")
    sheet_parts = members(template)
    sheet_parts["xl/worksheets/sheet1.xml"] = laughs.replace(b"<sst", b"<worksheet").replace(b"</sst>", b"</worksheet>")
    with pytest.raises(FileFormatError):
        read_xlsx_bytes(pack(sheet_parts), "lol2.xlsx")
    assert time.perf_counter() - t0 < 1


def test_damaged_workbooks_give_one_error_type(template: bytes) -> None:
    for damaged in (template[:100], template[: len(template) // 2], b"PK\x03\x04" + b"\0" * 50,
                    pack({"hello.txt": b"hi"}), template.replace(b"worksheet", b"workshee7", 3)):
        with pytest.raises(FileFormatError):
            read_xlsx_bytes(damaged, "d.xlsx")


def test_zip_with_too_many_members() -> None:
    buf = pack({f"f{i}.txt": b"" for i in range(S.MAX_ZIP_MEMBERS + 1)})
    with pytest.raises(FileFormatError, match="parts inside"):
        read_xlsx_bytes(buf, "many.xlsx")
    assert zipfile.is_zipfile(__import__("io").BytesIO(buf))
