"""What the officer writes for the committee report: kept per tender by the store (revision 0008), editable
after the award, audited, and carried by the tender file's ``report`` section."""

from __future__ import annotations

from dataclasses import replace

import pytest

from svdesk.domain import tender as T
from svdesk.domain.report_texts import ReportTexts, check_report_texts, unwritten
from svdesk.errors import FileFormatError, ValidationError
from svdesk.io.tender_file import read_tender_text, tender_to_document
from svdesk.store import api
from tests.store.helpers import demo

WHO = "Priya Shah"
TEXTS = ReportTexts(committee="Policy and Resources Committee", purpose="To approve the award.",
                    wards="All wards", key_decision="Yes, Forward Plan reference FP/2026/041")


def test_the_store_keeps_them_and_they_stay_editable_after_award(db: api.Database) -> None:
    t = demo()
    db.create_tender(replace(t, report=ReportTexts(purpose="Draft purpose.")), who=WHO)
    t1 = db.load_tender(t.reference)
    assert t1.report == ReportTexts(purpose="Draft purpose.")
    t2 = replace(t1, report=TEXTS)
    db.save_tender(t2, previous=t1, who=WHO, action="Committee report texts")
    assert db.load_tender(t.reference) == t2
    changes = db.audit_entries(t.reference)[-1].details["changes"]
    assert {c["what"] for c in changes} == {"report.committee", "report.purpose", "report.wards",
                                            "report.key_decision"}
    awarded = T.set_status(t2, T.TenderStatus.AWARDED)
    db.save_tender(awarded, previous=t2, who=WHO, action="Award")
    later = replace(awarded, report=replace(TEXTS, background="Written after the award.",
                                            publish_bidder_details=True))
    db.save_tender(later, previous=awarded, who=WHO, action="Redraft")
    assert db.load_tender(t.reference).report == later.report


def test_the_tender_file_carries_them_and_names_a_bad_field() -> None:
    import json

    t = replace(demo(), report=replace(TEXTS, publish_bidder_details=True))
    doc = tender_to_document(t)
    assert doc["report"]["wards"] == "All wards" and doc["report"]["publish_bidder_details"] is True
    assert read_tender_text(json.dumps(doc, default=str), "t.json").report == t.report
    assert "report" not in tender_to_document(demo())
    doc["report"]["publish_bidder_details"] = "yes"
    with pytest.raises(FileFormatError, match=r"t\.json: \$\.report\.publish_bidder_details: must be true or false"):
        read_tender_text(json.dumps(doc, default=str), "t.json")
    doc["report"] = {"purpose": "ok\u202eevil"}
    with pytest.raises(FileFormatError, match=r"\$\.report\.purpose"):
        read_tender_text(json.dumps(doc, default=str), "t.json")


def test_unwritten_sections_are_listed_in_report_order() -> None:
    gaps = unwritten(TEXTS)
    assert "Purpose of the report" not in gaps and "Wards affected" not in gaps
    assert gaps[:2] == ("Date of meeting", "Delegation")
    assert len(unwritten(ReportTexts())) == 16
    with pytest.raises(ValidationError):
        check_report_texts(ReportTexts(risk="x" * 10_001))
