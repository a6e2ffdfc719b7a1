"""The tender file's ``asks`` section: the negotiation checklist travels losslessly and errors name the place."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svdesk.domain import checklist as C
from svdesk.domain import negotiation as N
from svdesk.domain import text as text_rule
from svdesk.domain.checklist import AskStatus
from svdesk.domain.tender import Tender, TenderStatus
from svdesk.domain.values import Theme
from svdesk.errors import FileFormatError
from svdesk.io.tender_file import dumps, read_tender_file, read_tender_text, tender_to_document
from tests.conftest import ROOT
from tests.io.test_tender_file import DESIGN_EXAMPLE, names, tenders

WIFI_DEMO = ROOT / "resources" / "demo" / "parks-wifi-tender.json"

WITH_ASKS: dict[str, Any] = {
    **DESIGN_EXAMPLE,
    "asks": [
        {"id": "broadband-discount", "title": "Broadband discount for residents", "theme": "communities",
         "categories": ["ict"], "question": "Will you offer residents 10% off?",
         "formula": "discount_pct / 100 * households * monthly_bill * 12",
         "inputs": [{"name": "discount_pct", "label": "Discount", "unit": "%", "default": "10"},
                    {"name": "households", "label": "Households"},
                    {"name": "monthly_bill", "label": "Monthly bill", "unit": "£ per month"}],
         "clause": "The Supplier shall offer a {discount_pct}% discount.", "kpi": "Households",
         "reporting": "quarterly",
         "outcomes": [
             {"supplier": "Acme Networks Ltd", "status": "agreed", "offer": "10% off Fibre 150",
              "inputs": {"households": 1500, "monthly_bill": "30.00"}, "beneficiaries": 1500,
              "cost_to_council": "0", "delivered_by": "local_sme", "partner": "Dales IT Ltd",
              "follow_up": "2026-11-02", "notes": "Confirmed by email",
              "history": [{"on": "2026-10-01", "from": "not_asked", "to": "asked"},
                          {"on": "2026-10-08", "from": "asked", "to": "agreed", "note": "At the second meeting"}]},
         ]},
        {"id": "market-wifi", "title": "Wi-Fi for market traders", "theme": "growth", "custom": True},
    ],
}


def write(tmp_path: Path, doc: object) -> Path:
    p = tmp_path / "t.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


def test_reads_the_documented_example(tmp_path: Path) -> None:
    t = read_tender_file(write(tmp_path, WITH_ASKS))
    c = t.checklist
    assert [a.id for a in c.asks] == ["broadband-discount", "market-wifi"]
    assert c.item("market-wifi").custom and c.item("market-wifi").ask.categories == ("any",)
    o = c.outcome("broadband-discount", "Acme Networks Ltd")
    assert o.status is AskStatus.AGREED and o.inputs == {"households": Decimal(1500), "monthly_bill": Decimal(30)}
    assert o.delivered_by is C.DeliveredBy.LOCAL_SME and o.follow_up == date(2026, 11, 2)
    assert o.history[-1].note == "At the second meeting"
    assert N.supplier_totals(t, "Acme Networks Ltd").value_per_year == Decimal("54000.00")


def test_a_file_without_asks_has_an_empty_checklist_and_writes_none() -> None:
    t = read_tender_text(json.dumps(DESIGN_EXAMPLE))
    assert t.checklist == C.Checklist()
    assert "asks" not in tender_to_document(t)


def test_the_wifi_demo_is_mid_negotiation_with_a_mix_of_statuses() -> None:
    t = read_tender_file(WIFI_DEMO)
    assert t.status is TenderStatus.NEGOTIATION and len(t.bids) == 2
    statuses = {o.status for o in t.checklist.outcomes}
    assert statuses >= {AskStatus.ASKED, AskStatus.CONSIDERING, AskStatus.OFFERED, AskStatus.AGREED,
                        AskStatus.DECLINED}
    assert any(o.reopened for o in t.checklist.outcomes)
    assert any(i.custom for i in t.checklist.items)
    totals = N.tender_totals(t)
    assert all(x.agreed and x.value_per_year > 0 for _, x in totals.suppliers)
    assert read_tender_text(dumps(tender_to_document(t))) == t


@pytest.mark.parametrize(
    ("mutate", "where", "what"),
    [
        (lambda d: d.update(asks={}), "$.asks", "must be a list"),
        (lambda d: d["asks"][0].pop("theme"), "$.asks[0].theme", "is missing"),
        (lambda d: d["asks"][0].update(theme="happiness"), "$.asks[0].theme", "is not one of"),
        (lambda d: d["asks"][0].update(colour="red"), "$.asks[0].colour", "unknown field"),
        (lambda d: d["asks"][0].update(formula="households * (2"), "$.asks[0].formula", "closing bracket"),
        (lambda d: d["asks"][0].update(formula="nope * 2"), "$.asks[0].formula", "not a declared input"),
        (lambda d: d["asks"][0].update(reporting="hourly"), "$.asks[0].reporting", "is not one of"),
        (lambda d: d["asks"][0]["inputs"][0].update(default="ten"), "$.asks[0].inputs[0].default", "not a number"),
        (lambda d: d["asks"][1].update(id="broadband-discount"), "$.asks[1].id", "on the checklist twice"),
        (lambda d: d["asks"][1].update(custom="yes"), "$.asks[1].custom", "true or false"),
        (lambda d: d["asks"][0]["outcomes"][0].update(status="maybe"), "$.asks[0].outcomes[0].status",
         "is not one of"),
        (lambda d: d["asks"][0]["outcomes"][0].update(supplier="Nobody Ltd"), "$.asks[0].outcomes[0].supplier",
         "has no bid"),
        (lambda d: d["asks"][0]["outcomes"][0].pop("supplier"), "$.asks[0].outcomes[0].supplier", "is missing"),
        (lambda d: d["asks"][0]["outcomes"].append(dict(d["asks"][0]["outcomes"][0])),
         "$.asks[0].outcomes[1].supplier", "two outcomes"),
        (lambda d: d["asks"][0]["outcomes"][0].update(cost_to_council="-5"), "$.asks[0].outcomes[0].cost_to_council",
         "must not be negative"),
        (lambda d: d["asks"][0]["outcomes"][0].update(value_per_year="1.555"), "$.asks[0].outcomes[0].value_per_year",
         "2 decimal places"),
        (lambda d: d["asks"][0]["outcomes"][0].update(beneficiaries="2.5"), "$.asks[0].outcomes[0].beneficiaries",
         "whole number"),
        (lambda d: d["asks"][0]["outcomes"][0].update(follow_up="next week"), "$.asks[0].outcomes[0].follow_up",
         "not a date"),
        (lambda d: d["asks"][0]["outcomes"][0]["inputs"].update(bogus=1), "$.asks[0].outcomes[0].inputs.bogus",
         "has no input"),
        (lambda d: d["asks"][0]["outcomes"][0].update(delivered_by="local_sme", partner=""),
         "$.asks[0].outcomes[0].partner", "name the partner"),
        (lambda d: d["asks"][0]["outcomes"][0]["history"][1].update(to="offered"),
         "$.asks[0].outcomes[0].status", "history ends at offered"),
        (lambda d: d["asks"][0]["outcomes"][0]["history"][0].update(on="2026-13-01"),
         "$.asks[0].outcomes[0].history[0].on", "not a date"),
    ],
)
def test_every_asks_violation_names_file_path_and_problem(tmp_path: Path, mutate, where: str, what: str) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(WITH_ASKS))
    mutate(doc)
    path = write(tmp_path, doc)
    with pytest.raises(FileFormatError) as e:
        read_tender_file(path)
    assert (e.value.path, e.value.where) == (str(path), where)
    assert what in e.value.message


# --- lossless round trip with a checklist (hypothesis) ------------------------------------------------------

# Any text the one text rule accepts (svdesk/domain/text.py), already in its normal form (NFC, stripped).
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40).map(
    text_rule.normalise).filter(lambda s: text_rule.problem(s, one_line=True) is None)
numbers = st.decimals(min_value=-100000, max_value=100000, places=3)
money = st.decimals(min_value=0, max_value=Decimal("10000000"), places=2)
days = st.dates(date(2020, 1, 1), date(2040, 12, 31))
INPUTS = ("households", "bill", "rate")


@st.composite
def asks(draw: st.DrawFn, ask_id: str) -> C.Ask:
    used = draw(st.lists(st.sampled_from(INPUTS), unique=True, max_size=3))
    return C.Ask(
        id=ask_id, title=draw(names), theme=draw(st.sampled_from(list(Theme))),
        categories=tuple(draw(st.lists(st.sampled_from(list(C.CATEGORIES)), min_size=1, max_size=3, unique=True))),
        question=draw(texts), why=draw(texts), formula=" * ".join(used) if used else "",
        inputs=tuple(C.ValuationInput(n, draw(names), draw(texts)[:60], draw(st.none() | numbers)) for n in used),
        how_to_value=draw(texts), evidence=draw(texts), clause=draw(texts), kpi=draw(texts),
        reporting=draw(st.sampled_from(list(C.ReportingFrequency))),
    )


@st.composite
def outcomes(draw: st.DrawFn, ask: C.Ask, supplier: str) -> C.Outcome:
    path = draw(st.lists(st.sampled_from(list(AskStatus)), max_size=4))
    history, status = [], AskStatus.NOT_ASKED
    for s in path:
        if s in C.STATUS_TRANSITIONS[status]:
            history.append(C.StatusChange(draw(days), status, s, draw(texts)))
            status = s
    delivered = draw(st.sampled_from(list(C.DeliveredBy)))
    return C.Outcome(
        ask_id=ask.id, supplier=supplier, status=status, offer=draw(texts),
        inputs={i.name: draw(numbers) for i in ask.inputs if draw(st.booleans())},
        value_entered=draw(st.none() | money), beneficiaries=draw(st.none() | st.integers(0, 10**6)),
        cost_to_council=draw(money), delivered_by=delivered,
        partner=draw(names) if delivered is not C.DeliveredBy.SUPPLIER else draw(texts)[:300],
        follow_up=draw(st.none() | days), notes=draw(texts), history=tuple(history),
    )


@st.composite
def tenders_with_checklists(draw: st.DrawFn) -> Tender:
    t: Tender = draw(tenders())
    ids = draw(st.lists(st.from_regex(r"[a-z][a-z0-9._-]{0,20}", fullmatch=True), max_size=4, unique=True))
    items = [C.ChecklistItem(draw(asks(i)), draw(st.booleans())) for i in ids]
    found: list[C.Outcome] = []
    for item in items:
        for b in t.bids:
            if draw(st.booleans()):
                found.append(draw(outcomes(item.ask, b.supplier)))
    return N.set_checklist(t, C.Checklist(tuple(items), tuple(draw(st.permutations(found)))))


@settings(max_examples=150, deadline=None)
@given(tenders_with_checklists())
def test_write_then_read_is_lossless_with_a_checklist(t: Tender) -> None:
    back = read_tender_text(dumps(tender_to_document(t)))
    assert back == t
    assert back.checklist == t.checklist


def test_outcome_notes_can_be_left_out_of_files_sent_outside_the_council() -> None:
    from svdesk.io.asks_section import write_asks

    t = read_tender_text(json.dumps(WITH_ASKS))
    t = N.update_outcome(t, "market-wifi", "Acme Networks Ltd", notes="CANARY they would go lower")
    assert "CANARY" in json.dumps(write_asks(t.checklist), default=str)
    assert "CANARY" not in json.dumps(write_asks(t.checklist, private=False), default=str)


def test_status_change_notes_are_left_out_of_files_sent_outside_the_council() -> None:
    from datetime import date

    from svdesk.io.asks_section import write_asks

    t = read_tender_text(json.dumps(WITH_ASKS))
    supplier = "Acme Networks Ltd"
    status = t.checklist.outcome("market-wifi", supplier).status
    step = next(s for s in C.AskStatus if s is not status and s in C.STATUS_TRANSITIONS[status])
    t = N.set_ask_status(t, "market-wifi", supplier, step, on=date(2027, 2, 1), note="CANARY-STEP they would go lower")
    assert "CANARY-STEP" in json.dumps(write_asks(t.checklist), default=str)
    public = write_asks(t.checklist, private=False)
    assert "CANARY-STEP" not in json.dumps(public, default=str)
    # The steps themselves stay: when and from what to what.
    (item,) = [a for a in public or [] if isinstance(a, dict) and a["id"] == "market-wifi"]
    (outcome,) = [o for o in item["outcomes"] if o["supplier"] == supplier]
    last = outcome["history"][-1]
    assert (last["on"], last["to"]) == (date(2027, 2, 1), step.value) and "note" not in last
