"""Who each bidder is (email address, central digital platform identifier, company and charity numbers) and
the tender notice's reference: checked in the domain, kept by the store (editable after award), carried by the
tender file and the bids spreadsheet."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from svdesk.domain import tender as T
from svdesk.errors import FileFormatError, ValidationError
from svdesk.io.bids_import import apply_bids_import, preview_bids_import, template_table
from svdesk.io.spreadsheet import read_csv_bytes
from svdesk.io.tender_file import read_tender_file, read_tender_text, tender_to_document, write_tender_file
from svdesk.store import api
from tests.store.helpers import demo

WHO = "Priya Shah"
ACME = "Acme Networks Ltd"


def with_identity(t: T.Tender) -> T.Tender:
    t = T.update_bid(t, ACME, email=" bids@acme.example ", cdp_id="pabc-1234-defg", companies_house="sc 123456")
    return T.update_details(t, notice_id="FTS-012345-2026")


def test_identity_fields_are_tidied_and_checked() -> None:
    t = with_identity(demo())
    b = t.bid(ACME)
    assert (b.email, b.cdp_id, b.companies_house, b.charity_number) == (
        "bids@acme.example", "PABC-1234-DEFG", "SC123456", "")
    assert t.notice_id == "FTS-012345-2026"
    for field, bad, says in (("email", "acme at example", "not an email address"),
                             ("cdp_id", "PABC/1234", "central digital platform"),
                             ("companies_house", "123", "Companies House number"),
                             ("charity_number", "#12", "charity number")):
        with pytest.raises(ValidationError, match=says) as e:
            T.update_bid(t, ACME, **{field: bad})
        assert e.value.field == field
    # A hand-made bid that is not tidied is refused by the whole-tender check, saying how to write it.
    untidy = replace(demo(), bids=(replace(demo().bids[0], cdp_id="pabc-1"),))
    with pytest.raises(ValidationError, match="'PABC-1'"):
        T.check_tender(untidy)


def test_the_store_keeps_them_and_they_stay_editable_after_award(db: api.Database) -> None:
    t = demo()
    db.create_tender(t, who=WHO)
    t2 = with_identity(t)
    db.save_tender(t2, previous=t, who=WHO, action="Supplier details")
    assert db.load_tender(t.reference) == t2
    changes = db.audit_entries(t.reference)[-1].details["changes"]
    assert {c["what"] for c in changes} >= {f"bids[{ACME}].email", f"bids[{ACME}].cdp_id", "notice_id"}
    awarded = T.set_status(t2, T.TenderStatus.AWARDED)
    db.save_tender(awarded, previous=t2, who=WHO, action="Award")
    # Not part of the evaluation: a mistyped address is corrected after the award ...
    fixed = T.update_bid(awarded, ACME, email="tenders@acme.example", charity_number="1234567")
    db.save_tender(fixed, previous=awarded, who=WHO, action="Correct email")
    assert db.load_tender(t.reference).bid(ACME).email == "tenders@acme.example"
    cleared = T.update_bid(fixed, ACME, email="", cdp_id="", companies_house="", charity_number="")
    db.save_tender(cleared, previous=fixed, who=WHO, action="Clear")
    assert db.load_tender(t.reference) == cleared
    # ... while the evaluation stays frozen.
    with pytest.raises(api.FrozenError):
        db.save_tender(T.set_price(cleared, ACME, None), previous=cleared, who=WHO, action="Price after award")


def test_the_tender_file_round_trips_them(tmp_path: Path) -> None:
    t = with_identity(demo())
    path = tmp_path / "t.json"
    write_tender_file(t, path)
    assert read_tender_file(path) == t
    doc = tender_to_document(t, private=False)
    assert doc["tender"]["notice_id"] == "FTS-012345-2026"
    assert doc["bids"][0]["cdp_id"] == "PABC-1234-DEFG"
    text = path.read_text(encoding="utf-8").replace("PABC-1234-DEFG", " pabc-1234-defg ")
    assert read_tender_text(text, "t.json").bid(ACME).cdp_id == "PABC-1234-DEFG"
    bad = path.read_text(encoding="utf-8").replace("bids@acme.example", "bids-at-acme")
    with pytest.raises(FileFormatError, match=r"t\.json: \$\.bids\[0\]\.email: .*not an email address"):
        read_tender_text(bad, "t.json")


def test_the_bids_spreadsheet_carries_them() -> None:
    t = demo()
    headers = template_table(t).headers
    assert {"Email", "CDP identifier", "Companies House number", "Charity number"} <= set(headers)
    sheet = read_csv_bytes((f"Supplier,E-mail address,PPON,Company number\n"
                            f"{ACME},bids@acme.example,pabc-1234-defg,01234567\n").encode(), "ids.csv")
    preview = preview_bids_import(t, sheet)
    new = apply_bids_import(t, preview)
    b = new.bid(ACME)
    assert (b.email, b.cdp_id, b.companies_house) == ("bids@acme.example", "PABC-1234-DEFG", "01234567")
    labels = {c.field for change in preview.changed_bids for c in change.changes}
    assert {"Email", "CDP identifier", "Companies House number"} <= labels
    bad = read_csv_bytes(f"Supplier,Email\n{ACME},nobody\n".encode(), "bad.csv")
    with pytest.raises(FileFormatError, match=r"bad\.csv.*row 2.*Email.*not an email address"):
        preview_bids_import(t, bad)
