"""Exports: formula injection neutralised (CSV apostrophe, XLSX string cells), numbers stay numbers, values intact."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svdesk.domain.tender import Bid
from svdesk.domain.values import Commitment, Locality
from svdesk.errors import ScoringError, SvdeskError
from svdesk.io.bids_import import apply_bids_import, preview_bids_file
from svdesk.io.export import commitments_table, export_csv, export_xlsx, results_table, scores_table
from svdesk.io.spreadsheet import (
    FORMULA_TRIGGERS,
    Table,
    csv_bytes,
    escape_csv_text,
    unescape_csv_text,
    write_csv,
    xlsx_bytes,
)
from tests.io.samples import small_tender

D = Decimal
PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "=HYPERLINK(\"http://x\",\"y\")",
            "'=already quoted", "'plain", "- bullet", "@home"]


def _text(excluding: str = "") -> st.SearchStrategy[str]:
    body = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=excluding), max_size=30)
    lead = st.sampled_from([*sorted((FORMULA_TRIGGERS | {"'"}) - set(excluding)), ""])
    return st.builds(lambda a, b: a + b, lead, body) | st.sampled_from(PAYLOADS)


_money = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
_signed = st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


def _table(texts: st.SearchStrategy[str]) -> st.SearchStrategy[Table]:
    row = st.tuples(texts, _money, texts, _signed, st.integers(-1000, 1000), st.booleans() | st.none())
    return st.lists(row, max_size=6).map(
        lambda rows: Table("T", ("Text", "Money", "More", "Signed", "Int", "Flag"), tuple(rows), frozenset({1}))
    )


def _expected(v: object) -> object:
    return ("Yes" if v else "No") if isinstance(v, bool) else v


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_table(_text(excluding="\0")))
def test_csv_export_is_inert_and_reads_back_intact(table: Table) -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"), newline="")))
    assert rows[0] == list(table.headers)
    for got, want in zip(rows[1:], table.rows, strict=True):
        for cell, value in zip(got, want, strict=True):
            if isinstance(value, str):
                assert not cell or cell[0] not in FORMULA_TRIGGERS      # never starts a formula
                assert unescape_csv_text(cell) == value
                if value and (value[0] in FORMULA_TRIGGERS or value[0] == "'"):
                    assert cell.startswith("'")
            elif isinstance(value, bool):
                assert cell == ("Yes" if value else "No")
            elif value is None:
                assert cell == ""
            else:
                assert D(cell) == value and cell == (f"{value:f}" if isinstance(value, D) else str(value))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_table(_text(excluding="\0\r")))   # XML turns a CR into LF in any cell; svdesk text never holds one
def test_xlsx_export_has_no_formula_cell_and_reads_back_intact(table: Table) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([table])))
    ws = wb.active
    cells = list(ws.iter_rows(min_row=2, values_only=False))
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    for got, want in zip(cells, table.rows, strict=True):
        for cell, value in zip(got, want, strict=True):
            if value == "" or value is None:
                assert cell.value is None                      # an empty text cell is written blank
            elif isinstance(value, str | bool):
                assert cell.data_type == "s" and cell.value == _expected(value)
            else:
                assert cell.data_type == "n" and isinstance(cell.value, int | float)
                assert D(repr(cell.value)) == value


def test_a_naive_export_would_have_failed() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["=cmd|' /C calc'!A0"])
    buf = io.BytesIO()
    wb.save(buf)
    assert openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active["A1"].data_type == "f"   # the danger
    mine = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([Table("T", ("h",), (("=cmd|' /C calc'!A0",),))])))
    assert mine.active["A2"].data_type == "s"


def test_escape_is_a_bijection() -> None:
    for text in ["", "'", "''", "=", "'=", "a", "'a", "-5", "\t", *PAYLOADS]:
        assert unescape_csv_text(escape_csv_text(text)) == text


def hostile_tender() -> object:
    t = small_tender()
    bids = (
        replace(t.bids[0], supplier="=cmd|' /C calc'!A0", explanations={"q1": "+1 plan", "sv1": "@mentions"}),
        replace(t.bids[1], supplier="-Dales Digital CIC", explanations={"q1": "- adequate", "sv1": "Strong"}),
        Bid("@Plain Ltd", price=D("0.01"), locality=Locality.LOCAL, scores={"q1": D("2.5"), "sv1": D(10)},
            explanations={"q1": "Tab\tin the middle", "sv1": "'quoted"},
            commitments=(Commitment("=m", D("1.5"), D("99.99"), "+desc"),)),
    )
    return replace(t, bids=bids)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_scores_export_of_hostile_names_round_trips_through_import(tmp_path: Path, kind: str) -> None:
    t = hostile_tender()
    path = tmp_path / f"scores.{kind}"
    if kind == "csv":
        export_csv(t, path, "scores")   # type: ignore[arg-type]
    else:
        export_xlsx(t, path, ["scores"])   # type: ignore[arg-type]
    preview = preview_bids_file(t, path)   # type: ignore[arg-type]
    assert not preview.has_changes
    assert apply_bids_import(t, preview) == t   # type: ignore[arg-type]


def test_xlsx_workbook_reads_back_every_value(tmp_path: Path) -> None:
    t = hostile_tender()
    path = export_xlsx(t, tmp_path / "all.xlsx")   # type: ignore[arg-type]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Scores", "Results", "Commitments"]
    assert not [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    for name, table in (("Scores", scores_table(t)), ("Results", results_table(t)),   # type: ignore[arg-type]
                        ("Commitments", commitments_table(t))):   # type: ignore[arg-type]
        ws = wb[name]
        got = [[c for c in row] for row in ws.iter_rows(values_only=True)]
        assert tuple(got[0]) == table.headers
        for g, w in zip(got[1:], table.rows, strict=True):
            for cell, value in zip(g, w, strict=True):
                if isinstance(value, D) and not isinstance(value, bool):
                    assert D(repr(cell)) == value
                else:
                    assert cell == _expected(value)
    assert wb["Results"]["B2"].value == "=cmd|' /C calc'!A0" or wb["Results"]["B3"].value == "=cmd|' /C calc'!A0"
    assert wb["Scores"]["E2"].number_format == '"£"#,##0.00' and isinstance(wb["Scores"]["E2"].value, int | float)


def test_results_csv(tmp_path: Path) -> None:
    path = export_csv(small_tender(), tmp_path / "results.csv")
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["Rank", "Supplier", "Total"]
    assert [r[1] for r in rows[1:]] == ["Acme Networks Ltd", "Dales Digital CIC"]
    assert rows[1][0] == "1" and D(rows[1][2]) == D(rows[1][2]).quantize(D("0.01"))


def test_commitments_schedule_orders_by_rank(tmp_path: Path) -> None:
    table = commitments_table(small_tender())
    assert [r[1] for r in table.rows] == ["Acme Networks Ltd", "Dales Digital CIC"]
    assert table.rows[1][8] == D("4800")       # 40 × £120
    path = export_csv(small_tender(), tmp_path / "c.csv", "commitments")
    assert "'=HYPERLINK" in path.read_text("utf-8-sig")


def test_exports_are_atomic(tmp_path: Path) -> None:
    target = tmp_path / "results.csv"
    target.write_text("old")
    broken = replace(small_tender(), criteria=small_tender().criteria[:2])    # weights 80: cannot be scored
    with pytest.raises(ScoringError):
        export_csv(broken, target)
    assert target.read_text() == "old"
    with pytest.raises(SvdeskError, match="does not exist"):
        write_csv(tmp_path / "missing" / "x.csv", Table("T", ("a",), ()))
    export_csv(small_tender(), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]     # no temporary file left
    assert export_xlsx(broken, tmp_path / "partial.xlsx").exists()           # scores and commitments only
    assert openpyxl.load_workbook(tmp_path / "partial.xlsx").sheetnames == ["Scores", "Commitments"]
