"""Bids and scores from spreadsheets: template, forgiving headers, preview, all-or-nothing, located errors."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from svdesk.domain.tender import TenderStatus
from svdesk.domain.values import Locality
from svdesk.errors import FileFormatError, SvdeskError, ValidationError
from svdesk.io.bids_import import (
    ImportRejectedError,
    apply_bids_import,
    header_key,
    preview_bids_file,
    preview_bids_import,
    template_table,
    write_template,
)
from svdesk.io.spreadsheet import read_csv_bytes, read_table
from svdesk.io.tender_file import read_tender_file
from tests.io.samples import DEMO, awarded, small_tender

D = Decimal


def csv(text: str, name: str = "bids.csv") -> object:
    return read_csv_bytes(text.encode("utf-8"), name)


def rejected(text: str) -> ImportRejectedError:
    with pytest.raises(ImportRejectedError) as e:
        preview_bids_import(small_tender(), csv(text))  # type: ignore[arg-type]
    return e.value


# --- template ----------------------------------------------------------------------------------------------


def test_template_columns_follow_the_criteria() -> None:
    t = small_tender()
    headers = template_table(t, evaluators=["AB"]).headers
    assert headers == (
        "Supplier", "SME (Yes/No)", "VCSE (Yes/No)", "Locality (local/regional/national)", "Price (£)",
        "Email", "CDP identifier", "Companies House number", "Charity number",
        "Service delivery score (0–5)", "Service delivery reason",
        "Social value approach score (0–10)", "Social value approach reason",
        "Service delivery score by AB", "Service delivery reason by AB",
        "Social value approach score by AB", "Social value approach reason by AB",
    )
    assert template_table(t, filled=False).rows == ()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_filled_template_imports_with_no_changes(tmp_path: Path, kind: str) -> None:
    for t in (small_tender(), replace(read_tender_file(DEMO), status=TenderStatus.EVALUATION)):
        path = write_template(t, tmp_path / f"bids.{kind}")
        preview = preview_bids_file(t, path)
        assert not preview.has_changes and len(preview.unchanged) == len(t.bids)
        assert apply_bids_import(t, preview) == t


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_empty_template_filled_in_creates_the_bids(tmp_path: Path, kind: str) -> None:
    t = replace(small_tender(), bids=())
    path = write_template(t, tmp_path / f"empty.{kind}", filled=False)
    table = read_table(path)
    assert table.rows == ()
    full = small_tender()
    filled = write_template(full, tmp_path / f"full.{kind}")
    after = apply_bids_import(t, preview_bids_file(t, filled))
    for got, want in zip(after.bids, full.bids, strict=True):
        # Commitments are not part of the bids sheet (they come from the negotiation or the tender file).
        assert replace(got, evaluator_reasons={}) == replace(want, commitments=())
        assert all(not r for marks in got.evaluator_reasons.values() for r in marks.values())


# --- headers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("Price (£)", "price"), ("PRICE £", " Price "), ("Service delivery score (0–5)", "service-delivery SCORE"),
    ("S.M.E.", "sme"), ("Social value approach reason", "social_value_approach_reason"),
    ("Q1 Score", "q1score"), ("Health & safety score", "health and safety score"),
])
def test_headers_forgive_case_spacing_punctuation(a: str, b: str) -> None:
    assert header_key(a) == header_key(b)


def test_brackets_with_names_are_not_dropped() -> None:
    assert header_key("Service delivery score (AB)") != header_key("Service delivery score")


def test_forgiving_headers_end_to_end() -> None:
    p = preview_bids_import(small_tender(), csv(  # type: ignore[arg-type]
        " supplier name ,PRICE (GBP),q1 SCORE,Service Delivery - Explanation,social value approach mark,sme\n"
        "acme networks ltd,\"£91,000.00\",5,Excellent,7,yes\n"
    ))
    (change,) = p.changes
    assert change.supplier == "Acme Networks Ltd" and not change.new      # matched ignoring case
    got = {c.field: (c.before, c.after) for c in change.changes}
    assert got == {
        "SME": ("No", "Yes"),
        "Price": ("£90,000.00", "£91,000.00"),
        "Service delivery score": ("4", "5"),
        "Service delivery reason": ("'Clear plan'", "'Excellent'"),
        "Social value approach score": ("6", "7"),
    }


def test_unknown_duplicate_and_missing_headers_are_located() -> None:
    e = rejected("Supplier,Prise,Price,price (£),Price score\nAcme,1,2,3,4\n")
    got = [(p.where, p.message.split(":")[0]) for p in e.problems]
    assert got[0] == ('row 1, column "Prise"', "is not a column svdesk knows")
    assert got[1][0] == 'row 1, column "price (£)"' and "same thing as column C" in e.problems[1].message
    assert got[2][0] == 'row 1, column "Price score"' and "takes no marks" in e.problems[2].message
    e = rejected("Name of firm,Price\nAcme,1\n")
    assert any("no Supplier column" in p.message for p in e.problems)


def test_a_value_under_no_heading_is_refused() -> None:
    e = rejected("Supplier,,Price\nAcme,oops,5\n")
    assert e.problems[0].where == "row 2, column B"


# --- preview and apply -------------------------------------------------------------------------------------


def test_preview_lists_new_and_changed_bids_before_to_after() -> None:
    t = small_tender()
    p = preview_bids_import(t, csv(  # type: ignore[arg-type]
        "Supplier,Price,Locality,Service delivery score,Service delivery reason,Service delivery score by CD\n"
        "Acme Networks Ltd,90000,,4,,4\n"
        "Dales Digital CIC,95000,local,3,Adequate,\n"
        "Fenland Fibre Ltd,\"88,500.50\",regional,2.5,Thin plan,\n"
    ))
    assert [c.supplier for c in p.new_bids] == ["Fenland Fibre Ltd"]
    assert [c.supplier for c in p.changed_bids] == ["Acme Networks Ltd"]
    assert p.unchanged == ("Dales Digital CIC",)
    (acme,) = p.changed_bids
    assert [(c.field, c.before, c.after) for c in acme.changes] == [("Service delivery score by CD", "3", "4")]
    new = p.after.bid("Fenland Fibre Ltd")
    assert new.price == D("88500.50") and new.locality is Locality.REGIONAL and new.scores == {"q1": D("2.5")}
    assert p.before == t and t.bid("Acme Networks Ltd").evaluator_scores["q1"]["CD"] == D(3)   # nothing written
    assert p.after.bid("Acme Networks Ltd").evaluator_scores["q1"] == {"AB": D(4), "CD": D(4)}
    assert "2 new" not in p.summary()[0] and "1 new bid(s), 1 changed, 1 unchanged" in p.summary()[0]


def test_blank_cells_leave_values_as_they_are() -> None:
    t = small_tender()
    p = preview_bids_import(t, csv("Supplier,Price,SME,Service delivery score\nAcme Networks Ltd,,,\n"))  # type: ignore[arg-type]
    assert not p.has_changes and p.after == t


def test_a_score_without_a_reason_is_a_warning_a_reason_without_a_score_an_error() -> None:
    t = small_tender()
    p = preview_bids_import(t, csv("Supplier,Price,Service delivery score\nNew Co,5,3\n"))  # type: ignore[arg-type]
    assert any("has no reason" in w for w in p.warnings)
    e = rejected("Supplier,Service delivery reason\nNew Co,Good\n")
    assert e.problems[0].where == 'row 2, column "Service delivery reason"'
    assert "no Service delivery score" in e.problems[0].message


def test_a_zero_price_is_accepted_with_a_warning() -> None:
    p = preview_bids_import(small_tender(), csv("Supplier,Price\nNil Ltd,0\n"))  # type: ignore[arg-type]
    assert any("£0 price" in w for w in p.warnings)


def test_every_problem_is_collected_and_none_is_applied() -> None:
    e = rejected(
        "Supplier,Price,Service delivery score,SME,Locality\n"
        "Acme Networks Ltd,-5,7,perhaps,abroad\n"
        "Good Ltd,100,3,yes,local\n"
        ",5,,,\n"
        "Bad\u202eLtd,NaN,3.333,,\n"
        "acme networks ltd,1,1,,\n"
    )
    where = [p.where for p in e.problems]
    assert where == [
        'row 2, column "Price"', 'row 2, column "Service delivery score"', 'row 2, column "SME"',
        'row 2, column "Locality"', 'row 4, column "Supplier"', 'row 5, column "Supplier"', 'row 5, column "Price"',
        'row 5, column "Service delivery score"', 'row 6, column "Supplier"',
    ]
    assert "must be between 0 and 5" in e.problems[1].message
    assert "U+202E" in e.problems[5].message
    assert "also on row 2" in e.problems[8].message
    assert str(e).startswith('bids.csv: row 2, column "Price": must not be negative')
    assert "8 more problems; nothing was imported" in str(e)
    assert isinstance(e, FileFormatError)


def test_apply_is_pure_and_refuses_a_stale_preview() -> None:
    t = small_tender()
    p = preview_bids_import(t, csv("Supplier,Price\nAcme Networks Ltd,1\n"))  # type: ignore[arg-type]
    after = apply_bids_import(t, p)
    assert after.bid("Acme Networks Ltd").price == D("1.00") and t.bid("Acme Networks Ltd").price == D("90000.00")
    with pytest.raises(SvdeskError, match="changed since"):
        apply_bids_import(after, p)


def test_an_awarded_tender_takes_no_import() -> None:
    with pytest.raises(ValidationError, match="awarded"):
        preview_bids_import(awarded(small_tender()), csv("Supplier,Price\nX,1\n"))  # type: ignore[arg-type]


def test_evaluator_columns_by_name_and_id() -> None:
    p = preview_bids_import(small_tender(), csv(  # type: ignore[arg-type]
        "Supplier,q1 score by EF,Service delivery reason by EF,sv1 Score By Jo Smith\n"
        "Dales Digital CIC,2,Weak on migration,8\n"
    ))
    b = p.after.bid("Dales Digital CIC")
    assert b.evaluator_scores == {"q1": {"EF": D(2)}, "sv1": {"Jo Smith": D(8)}}
    assert b.evaluator_reasons["q1"]["EF"] == "Weak on migration"


def test_cp1252_file_imports_with_a_warning() -> None:
    sheet = read_csv_bytes("Supplier,Price\nCafé Ltd,£1,500\n".replace("£1,500", '"£1,500"').encode("cp1252"),
                           "win.csv")
    p = preview_bids_import(small_tender(), sheet)
    assert p.after.bid("Café Ltd").price == D("1500.00")
    assert any("Windows-1252" in w for w in p.warnings)


def test_csv_apostrophe_escapes_are_undone_on_import() -> None:
    p = preview_bids_import(small_tender(), csv(  # type: ignore[arg-type]
        "Supplier,Service delivery score,Service delivery reason\n'=Acme,3,'- bullet point\n"
    ))
    b = p.after.bid("=Acme")
    assert b.explanations["q1"] == "- bullet point"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_full_size_sheet_imports(tmp_path: Path, kind: str) -> None:
    """The largest sheet allowed imports whole (its speed is a ./run-bench figure, not a timed test)."""
    from svdesk.io.spreadsheet import MAX_ROWS, Table, write_csv, write_xlsx

    t = replace(small_tender(), bids=())
    rows = tuple((f"Supplier {i}", D(1000 + i) + D("0.5"), D(3), f"Reason {i}") for i in range(MAX_ROWS))
    table = Table("Bids", ("Supplier", "Price", "Service delivery score", "Service delivery reason"), rows)
    path = tmp_path / f"big.{kind}"
    (write_csv if kind == "csv" else lambda p, tab: write_xlsx(p, [tab]))(path, table)
    preview = preview_bids_file(t, path)
    assert len(preview.new_bids) == MAX_ROWS and preview.after.bids[-1].price == D("10999.50")
