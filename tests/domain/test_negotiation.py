"""The negotiation checklist: asks put to suppliers, the status of each, what they are worth, and what is agreed.

The scenario is the seed article's: a council re-buying its £200k/yr network contract for three years asks
its suppliers for benefits to residents that cost the council nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from svdesk.domain import checklist as C
from svdesk.domain import negotiation as N
from svdesk.domain.checklist import AskStatus, DeliveredBy
from svdesk.domain.tender import Bid, Tender, check_tender, remove_bid, update_details
from svdesk.domain.values import Commitment, Locality, Theme
from svdesk.errors import ValidationError

D = Decimal
ON = date(2026, 10, 1)
ACME, BETA = "Acme Networks Ltd", "Beta Telecom plc"


def ask(ask_id: str, formula: str = "", *inputs: tuple[str, str | None], **kw: object) -> C.Ask:
    return C.Ask(
        ask_id, kw.pop("title", ask_id.replace("-", " ").capitalize()), kw.pop("theme", Theme.COMMUNITIES),  # type: ignore[arg-type]
        ("ict",), formula=formula,
        inputs=tuple(C.ValuationInput(n, n.replace("_", " "), default=None if d is None else D(d)) for n, d in inputs),
        **kw,  # type: ignore[arg-type]
    )


DISCOUNT = ask("broadband-discount", "discount_pct / 100 * households * monthly_bill * 12",
               ("discount_pct", "10"), ("households", None), ("monthly_bill", None),
               clause="A discount of {discount_pct}% for every household; {households} expected.", kpi="Households",
               reporting=C.ReportingFrequency.QUARTERLY)
FREE_SITES = ask("free-broadband-sites", "sites * monthly_cost * 12", ("sites", None), ("monthly_cost", None))
LITERACY = ask("digital-literacy", "sessions * cost_per_session", ("sessions", None), ("cost_per_session", None),
               theme=Theme.SKILLS)
WIFI = ask("public-wifi", "access_points * yearly_cost_per_point", ("access_points", None),
           ("yearly_cost_per_point", None))
ONBOARDING = ask("supplier-onboards", "residents * minutes_each / 60 * hourly_cost", ("residents", None),
                 ("minutes_each", "30"), ("hourly_cost", None))
SME = ask("local-sme-partner", "annual_contract_value * partner_share_pct / 100", ("annual_contract_value", None),
          ("partner_share_pct", None), theme=Theme.GROWTH)
SEED_ASKS = (DISCOUNT, FREE_SITES, LITERACY, WIFI, ONBOARDING, SME)


def network_tender(*asks: C.Ask) -> Tender:
    t = Tender("NET-2026-01", "Corporate network and broadband", category="ict", annual_value=D("200000.00"),
               term_years=3, extension_years=2, bids=(Bid(ACME), Bid(BETA)))
    for a in asks:
        t = N.add_ask(t, a)
    return t


def agree(t: Tender, ask_id: str, supplier: str = ACME, **outcome: object) -> Tender:
    t = N.set_ask_status(t, ask_id, supplier, AskStatus.ASKED, on=ON)
    t = N.set_ask_status(t, ask_id, supplier, AskStatus.AGREED, on=ON)
    return N.update_outcome(t, ask_id, supplier, **outcome) if outcome else t


# --- the seed's £200k/yr network example, worked through ---------------------------------------------------


def test_the_seed_network_example_worked_through() -> None:
    """Re-procuring a £200,000 a year network contract for 3 years, the officer agrees all six seed asks."""
    t = network_tender(*SEED_ASKS)
    # 10% off a £30 monthly bill for 1,500 households that take it up: 0.10 × 1,500 × £30 × 12 = £54,000 a year
    t = agree(t, "broadband-discount", inputs={"households": D(1500), "monthly_bill": D(30)}, beneficiaries=1500)
    # free broadband at 12 libraries, community centres and schools, each £45 a month: £6,480 a year
    t = agree(t, "free-broadband-sites", inputs={"sites": D(12), "monthly_cost": D(45)}, beneficiaries=12)
    # 48 digital-literacy sessions for older residents at £150 a session: £7,200 a year
    t = agree(t, "digital-literacy", inputs={"sessions": D(48), "cost_per_session": D(150)}, beneficiaries=400)
    # 8 new public Wi-Fi access points at £700 a year each: £5,600 a year
    t = agree(t, "public-wifi", inputs={"access_points": D(8), "yearly_cost_per_point": D(700)})
    # the supplier onboards the 1,500 households: 30 minutes each of council time at £28 an hour saved = £21,000
    t = agree(t, "supplier-onboards", inputs={"residents": D(1500), "hourly_cost": D(28)})
    # a local SME delivers 10% of the £200k contract: £20,000 a year spent locally
    t = agree(t, "local-sme-partner", inputs={"annual_contract_value": D(200000), "partner_share_pct": D(10)},
              delivered_by=DeliveredBy.LOCAL_SME, partner="Dales IT Ltd")

    c = t.checklist
    assert C.value_per_year(DISCOUNT, c.outcome("broadband-discount", ACME)) == D("54000.00")
    assert C.value_per_year(FREE_SITES, c.outcome("free-broadband-sites", ACME)) == D("6480.00")
    assert C.value_per_year(ONBOARDING, c.outcome("supplier-onboards", ACME)) == D("21000.00")
    totals = N.supplier_totals(t, ACME)
    assert totals.agreed == 6 and totals.put == 6 and totals.declined == 0 and totals.open == 0
    assert totals.value_per_year == D("114280.00")             # 54,000 + 6,480 + 7,200 + 5,600 + 21,000 + 20,000
    assert totals.value_over_term == D("342840.00")            # × 3 years
    assert N.supplier_totals(t, ACME, with_extensions=True).value_over_term == D("571400.00")   # × 5 years
    assert totals.beneficiaries == 1912
    assert totals.cost_over_term == D(0) and totals.net_benefit_over_term == D("342840.00")
    # … more than half the contract's own value returned to residents, at no cost to the council
    assert totals.value_per_year > t.annual_value / 2  # type: ignore[operator]


# --- the state machine ----------------------------------------------------------------------------------


def test_a_new_ask_is_not_asked_of_anyone() -> None:
    t = network_tender(DISCOUNT)
    assert t.checklist.outcome("broadband-discount", ACME).status is AskStatus.NOT_ASKED
    assert N.supplier_totals(t, ACME) == C.Totals(asks=1)


def test_the_normal_path_records_every_step() -> None:
    t = network_tender(DISCOUNT)
    for status in (AskStatus.ASKED, AskStatus.CONSIDERING, AskStatus.OFFERED, AskStatus.AGREED):
        t = N.set_ask_status(t, "broadband-discount", ACME, status, on=ON)
    o = t.checklist.outcome("broadband-discount", ACME)
    assert o.status is AskStatus.AGREED
    assert [(h.old, h.new) for h in o.history] == [
        (AskStatus.NOT_ASKED, AskStatus.ASKED), (AskStatus.ASKED, AskStatus.CONSIDERING),
        (AskStatus.CONSIDERING, AskStatus.OFFERED), (AskStatus.OFFERED, AskStatus.AGREED),
    ]
    assert not o.reopened


def test_no_agreed_without_a_supplier() -> None:
    t = network_tender(DISCOUNT)
    with pytest.raises(ValidationError, match="choose the supplier") as e:
        N.set_ask_status(t, "broadband-discount", "  ", AskStatus.AGREED, on=ON)
    assert e.value.field == "supplier"
    with pytest.raises(ValidationError, match="has no bid on this tender"):
        N.set_ask_status(t, "broadband-discount", "Nobody Ltd", AskStatus.AGREED, on=ON)
    # and a file or store cannot smuggle one in either
    bad = C.Checklist(t.checklist.items, (C.Outcome("broadband-discount", "Nobody Ltd", AskStatus.AGREED),))
    with pytest.raises(ValidationError, match="has no bid") as e:
        check_tender(Tender("R", "T", bids=(Bid(ACME),), checklist=bad))
    assert e.value.field == "asks[0].outcomes[0].supplier"


def test_supplier_names_match_the_bid_ignoring_case() -> None:
    t = N.set_ask_status(network_tender(DISCOUNT), "broadband-discount", "acme networks ltd ", AskStatus.ASKED, on=ON)
    assert t.checklist.outcomes[0].supplier == ACME


def test_declined_asks_count_zero_value() -> None:
    t = agree(network_tender(DISCOUNT), "broadband-discount", inputs={"households": D(1000), "monthly_bill": D(30)})
    assert N.supplier_totals(t, ACME).value_per_year == D("36000.00")
    t = N.set_ask_status(t, "broadband-discount", ACME, AskStatus.DECLINED, on=ON, note="Withdrawn by the supplier")
    o = t.checklist.outcome("broadband-discount", ACME)
    assert C.value_per_year(DISCOUNT, o) == D(0)
    totals = N.supplier_totals(t, ACME)
    assert totals.value_per_year == D(0) and totals.declined == 1 and totals.agreed == 0
    # a directly entered value does not count either once declined
    t = N.update_outcome(t, "broadband-discount", ACME, value_entered=D("99999.00"))
    assert N.supplier_totals(t, ACME).value_per_year == D(0)


def test_reopening_is_allowed_and_recorded_in_the_history() -> None:
    t = agree(network_tender(DISCOUNT), "broadband-discount")
    t = N.set_ask_status(t, "broadband-discount", ACME, AskStatus.CONSIDERING, on=date(2026, 10, 8),
                         note="Supplier wants to revisit the tariff")
    o = t.checklist.outcome("broadband-discount", ACME)
    assert o.status is AskStatus.CONSIDERING and o.reopened
    last = o.history[-1]
    assert last.reopened and last.old is AskStatus.AGREED and last.on == date(2026, 10, 8)
    assert last.note == "Supplier wants to revisit the tariff"
    # declined → offered is a reopening too
    t = N.set_ask_status(t, "broadband-discount", BETA, AskStatus.DECLINED, on=ON)
    t = N.set_ask_status(t, "broadband-discount", BETA, AskStatus.OFFERED, on=ON)
    assert t.checklist.outcome("broadband-discount", BETA).history[-1].reopened


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ((AskStatus.ASKED, AskStatus.OFFERED), AskStatus.NOT_ASKED),   # an offer cannot be un-asked
        ((AskStatus.ASKED, AskStatus.AGREED), AskStatus.NOT_ASKED),
        ((AskStatus.ASKED, AskStatus.CONSIDERING), AskStatus.NOT_ASKED),
    ],
)
def test_moves_that_are_not_allowed(start: tuple[AskStatus, ...], to: AskStatus) -> None:
    t = network_tender(DISCOUNT)
    for s in start:
        t = N.set_ask_status(t, "broadband-discount", ACME, s, on=ON)
    with pytest.raises(ValidationError, match="cannot become not asked") as e:
        N.set_ask_status(t, "broadband-discount", ACME, to, on=ON)
    assert e.value.field == "status"


def test_every_status_can_reach_agreed_and_declined_except_from_themselves() -> None:
    for s, targets in C.STATUS_TRANSITIONS.items():
        assert s not in targets
        for final in (AskStatus.AGREED, AskStatus.DECLINED):
            assert final in targets or final is s


def test_the_same_status_again_changes_nothing() -> None:
    t = N.set_ask_status(network_tender(DISCOUNT), "broadband-discount", ACME, AskStatus.ASKED, on=ON)
    assert N.set_ask_status(t, "broadband-discount", ACME, AskStatus.ASKED, on=ON) is t


def test_status_changes_only_through_set_ask_status_and_the_history_must_agree() -> None:
    t = network_tender(DISCOUNT)
    with pytest.raises(ValidationError, match="use set_ask_status"):
        N.update_outcome(t, "broadband-discount", ACME, status=AskStatus.AGREED)
    o = C.Outcome("broadband-discount", ACME, AskStatus.AGREED,
                  history=(C.StatusChange(ON, AskStatus.NOT_ASKED, AskStatus.ASKED),))
    with pytest.raises(ValidationError, match="history ends at asked"):
        C.check_outcome(o)
    o = C.Outcome("broadband-discount", ACME, AskStatus.AGREED, history=(
        C.StatusChange(ON, AskStatus.NOT_ASKED, AskStatus.ASKED),
        C.StatusChange(ON, AskStatus.OFFERED, AskStatus.AGREED)))
    with pytest.raises(ValidationError, match="change before ended at asked") as e:
        C.check_outcome(o, field="o")
    assert e.value.field == "o.history[1].from"


# --- outcomes -----------------------------------------------------------------------------------------------


def test_value_entered_directly_overrides_the_formula() -> None:
    t = agree(network_tender(DISCOUNT), "broadband-discount", inputs={"households": D(100), "monthly_bill": D(30)})
    o = t.checklist.outcome("broadband-discount", ACME)
    assert C.value_per_year(DISCOUNT, o) == D("3600.00")
    t = N.update_outcome(t, "broadband-discount", ACME, value_entered=D("5000.00"))
    assert C.value_per_year(DISCOUNT, t.checklist.outcome("broadband-discount", ACME)) == D("5000.00")


def test_a_value_is_unknown_until_every_input_is_entered() -> None:
    t = agree(network_tender(DISCOUNT), "broadband-discount", inputs={"households": D(100)})
    assert C.value_per_year(DISCOUNT, t.checklist.outcome("broadband-discount", ACME)) is None
    totals = N.supplier_totals(t, ACME)
    assert totals.unvalued == 1 and totals.value_per_year == D(0)
    t = N.set_input(t, "broadband-discount", ACME, "monthly_bill", D("25.50"))
    assert N.supplier_totals(t, ACME).value_per_year == D("3060.00")
    t = N.set_input(t, "broadband-discount", ACME, "monthly_bill", None)
    assert N.supplier_totals(t, ACME).unvalued == 1


@pytest.mark.parametrize(
    ("changes", "field", "what"),
    [
        ({"cost_to_council": D(-1)}, "outcome.cost_to_council", "zero or more"),
        ({"cost_to_council": D("1.001")}, "outcome.cost_to_council", "2 decimal places"),
        ({"value_entered": D("NaN")}, "outcome.value_per_year", "zero or more"),
        ({"beneficiaries": -3}, "outcome.beneficiaries", "whole number"),
        ({"delivered_by": DeliveredBy.LOCAL_SME}, "outcome.partner", "name the partner"),
        ({"inputs": {"bogus": D(1)}}, "outcome.inputs.bogus", "has no input"),
        ({"inputs": {"households": D("Infinity")}}, "outcome.inputs.households", "finite"),
        ({"offer": "bad\u202etext"}, "outcome.offer", "control character"),
        ({"colour": "red"}, "outcome.colour", "cannot be changed here"),
    ],
)
def test_invalid_outcomes_name_the_field(changes: dict[str, object], field: str, what: str) -> None:
    t = network_tender(DISCOUNT)
    with pytest.raises(ValidationError, match=what) as e:
        N.update_outcome(t, "broadband-discount", ACME, **changes)
    assert e.value.field == field


def test_the_whole_outcome_is_recorded() -> None:
    t = N.set_ask_status(network_tender(SME), "local-sme-partner", BETA, AskStatus.OFFERED, on=ON)
    t = N.update_outcome(t, "local-sme-partner", BETA, offer="  Dales IT to do site surveys  ",
                         delivered_by=DeliveredBy.LOCAL_SME, partner="Dales IT Ltd", beneficiaries=0,
                         cost_to_council=D("0.00"), follow_up=date(2026, 11, 1), notes="Call Sam")
    o = t.checklist.outcome("local-sme-partner", BETA)
    assert (o.offer, o.partner, o.follow_up, o.notes) == ("Dales IT to do site surveys", "Dales IT Ltd",
                                                          date(2026, 11, 1), "Call Sam")


# --- the checklist --------------------------------------------------------------------------------------


def test_add_remove_move_and_edit_asks() -> None:
    t = network_tender(DISCOUNT, FREE_SITES, LITERACY)
    custom = C.Ask("market-wifi", "Wi-Fi for market traders", Theme.GROWTH, ("ict",))
    t = N.add_ask(t, custom, custom=True, position=1)
    assert [a.id for a in t.checklist.asks] == ["broadband-discount", "market-wifi", "free-broadband-sites",
                                                "digital-literacy"]
    assert t.checklist.item("market-wifi").custom
    with pytest.raises(ValidationError, match="already on the checklist"):
        N.add_ask(t, custom)
    t = N.move_ask(t, "digital-literacy", 0)
    t = N.move_ask(t, "broadband-discount", 99)
    assert [a.id for a in t.checklist.asks] == ["digital-literacy", "market-wifi", "free-broadband-sites",
                                                "broadband-discount"]
    t = agree(t, "free-broadband-sites")
    t = N.remove_ask(t, "free-broadband-sites")
    assert [a.id for a in t.checklist.asks] == ["digital-literacy", "market-wifi", "broadband-discount"]
    assert t.checklist.outcomes == ()
    t = N.update_ask(t, "market-wifi", question="Will you cover the market square?")
    assert t.checklist.item("market-wifi").ask.question == "Will you cover the market square?"
    with pytest.raises(ValidationError, match="cannot be renamed"):
        N.update_ask(t, "market-wifi", id="other")
    with pytest.raises(ValidationError, match="not a declared input"):
        N.update_ask(t, "market-wifi", formula="traders * 2")
    with pytest.raises(ValidationError, match="no ask 'nope'"):
        N.remove_ask(t, "nope")


def test_an_ask_cannot_lose_an_input_an_outcome_uses() -> None:
    t = agree(network_tender(FREE_SITES), "free-broadband-sites", inputs={"sites": D(3)})
    with pytest.raises(ValidationError, match="has no input with this name"):
        N.update_ask(t, "free-broadband-sites", formula="12", inputs=())


def test_outcomes_keep_a_canonical_order() -> None:
    a = C.Outcome("b", ACME)
    b = C.Outcome("a", ACME)
    items = (C.ChecklistItem(C.Ask("a", "A", Theme.SKILLS)), C.ChecklistItem(C.Ask("b", "B", Theme.SKILLS)))
    assert C.Checklist(items, (a, b)) == C.Checklist(items, (b, a))
    assert C.Checklist() == C.Checklist((), ())


def test_removing_a_bid_removes_its_outcomes_and_other_edits_still_work() -> None:
    t = agree(agree(network_tender(DISCOUNT), "broadband-discount"), "broadband-discount", BETA)
    t = remove_bid(t, BETA)
    assert t.checklist.suppliers == (ACME,)
    check_tender(t)
    assert update_details(t, title="New title").checklist == t.checklist


def test_suggestions_come_from_the_category_then_any_contract() -> None:
    library = (
        C.Ask("e1", "Energy one", Theme.ENVIRONMENT, ("energy",)),
        C.Ask("i1", "ICT one", Theme.COMMUNITIES, ("ict", "energy")),
        C.Ask("a1", "Any one", Theme.GROWTH, ("any",)),
    )
    assert [a.id for a in N.suggest_asks(library, "ict")] == ["i1", "a1"]
    assert [a.id for a in N.suggest_asks(library, "energy")] == ["e1", "i1", "a1"]
    assert [a.id for a in N.suggest_asks(library, "cleaning")] == ["a1"]
    t = N.set_checklist(Tender("R", "T", category="energy"), N.suggested_checklist(library, "energy"))
    assert [a.id for a in t.checklist.asks] == ["e1", "i1", "a1"]


@pytest.mark.parametrize(
    ("changes", "field", "what"),
    [
        ({"id": "has space"}, "ask.id", "letters, digits"),
        ({"title": " "}, "ask.title", "must not be empty"),
        ({"categories": ()}, "ask.categories", "at least one"),
        ({"categories": ("ict", "ict")}, "ask.categories", "twice"),
        ({"formula": "households * (2"}, "ask.formula", "closing bracket"),
        ({"formula": "x * 2", "inputs": ()}, "ask.formula", "not a declared input"),
        ({"formula": "", "inputs": (C.ValuationInput("x", "X"),)}, "ask.formula", "declares inputs"),
        ({"formula": "x", "inputs": (C.ValuationInput("x", "X"), C.ValuationInput("x", "Y"))},
         "ask.inputs[1].name", "used twice"),
        ({"formula": "1x", "inputs": (C.ValuationInput("1x", "X"),)}, "ask.inputs[0].name", "start with a letter"),
        ({"theme": "vibes"}, "ask.theme", "is not one of"),
    ],
)
def test_invalid_asks_name_the_field(changes: dict[str, object], field: str, what: str) -> None:
    with pytest.raises(ValidationError, match=what) as e:
        C.check_ask(N.replace_ask(DISCOUNT, changes))
    assert e.value.field == field


# --- totals ----------------------------------------------------------------------------------------------


def test_totals_per_supplier_and_per_tender_over_the_term() -> None:
    t = network_tender(DISCOUNT, FREE_SITES, LITERACY, WIFI)
    t = agree(t, "broadband-discount", inputs={"households": D(1000), "monthly_bill": D(30)}, beneficiaries=1000,
              cost_to_council=D("500.00"))                                    # £36,000/yr, council pays £500/yr
    t = N.set_ask_status(t, "free-broadband-sites", ACME, AskStatus.OFFERED, on=ON)
    t = N.update_outcome(t, "free-broadband-sites", ACME, inputs={"sites": D(5), "monthly_cost": D(40)})   # £2,400
    t = N.set_ask_status(t, "digital-literacy", ACME, AskStatus.DECLINED, on=ON)
    t = agree(t, "digital-literacy", BETA, value_entered=D("7000.00"), beneficiaries=80)
    t = N.set_ask_status(t, "public-wifi", BETA, AskStatus.ASKED, on=ON)

    acme = N.supplier_totals(t, ACME)
    assert (acme.asks, acme.put, acme.open, acme.agreed, acme.declined) == (4, 3, 1, 1, 1)
    assert acme.value_per_year == D("36000.00") and acme.value_over_term == D("108000.00")
    assert acme.offered_value_per_year == D("38400.00")                    # agreed + on the table
    assert acme.cost_per_year == D("500.00") and acme.net_cost_over_term == D("1500.00")
    assert acme.net_benefit_over_term == D("106500.00")
    assert acme.beneficiaries == 1000

    totals = N.tender_totals(t)
    assert totals.years == 3
    assert [s for s, _ in totals.suppliers] == [ACME, BETA]
    assert totals.supplier(BETA).value_over_term == D("21000.00")
    assert totals.overall.put == 5 and totals.overall.agreed == 2 and totals.overall.declined == 1
    assert totals.overall.value_per_year == D("43000.00") and totals.best_value_per_year == D("36000.00")
    assert totals.overall.beneficiaries == 1080
    assert N.tender_totals(t, with_extensions=True).supplier(ACME).value_over_term == D("180000.00")


# --- agreed asks become commitments and schedule rows -----------------------------------------------------


def test_agreed_asks_become_commitments_of_the_bid_when_the_officer_chooses() -> None:
    t = network_tender(DISCOUNT, FREE_SITES, LITERACY)
    t = agree(t, "broadband-discount", inputs={"households": D(1000), "monthly_bill": D(30)},
              offer="10% off Fibre 150")
    t = agree(t, "free-broadband-sites", inputs={"sites": D(2), "monthly_cost": D(50)})
    t = agree(t, "digital-literacy")                                         # agreed, not valued yet
    hand = Commitment("local-jobs", D(2), D(25000))
    from svdesk.domain.tender import set_commitments

    t = set_commitments(t, ACME, (hand,))
    assert N.tender_totals(t) == N.tender_totals(t)                          # reading does not change anything
    before = t
    t = N.apply_agreed_asks(t, ACME)
    assert before.checklist == t.checklist and before.bid(ACME).commitments == (hand,)   # pure
    cms = t.bid(ACME).commitments
    assert cms[0] == hand                                                    # entered by hand: kept
    assert [c.from_ask for c in cms[1:]] == ["broadband-discount", "free-broadband-sites"]  # unvalued one left out
    disc = cms[1]
    assert disc.value == D("108000.00") and disc.quantity == D(3) and disc.unit_value == D("36000.00")
    assert disc.theme is Theme.COMMUNITIES and disc.locality is Locality.LOCAL
    assert disc.description == "10% off Fibre 150"
    # choosing again replaces the ask commitments rather than doubling them
    t = N.apply_agreed_asks(t, ACME, ["free-broadband-sites"])
    assert [c.from_ask for c in t.bid(ACME).commitments] == [None, "free-broadband-sites"]
    with pytest.raises(ValidationError, match="no value yet"):
        N.apply_agreed_asks(t, ACME, ["digital-literacy"])
    with pytest.raises(ValidationError, match="has not agreed"):
        N.apply_agreed_asks(t, BETA, ["broadband-discount"])
    t = N.apply_agreed_asks(t, ACME, [])
    assert t.bid(ACME).commitments == (hand,)


def test_the_commitments_schedule() -> None:
    t = network_tender(DISCOUNT, LITERACY)
    t = agree(t, "broadband-discount", inputs={"households": D(1200), "monthly_bill": D(30)}, beneficiaries=1200,
              offer="10% off", delivered_by=DeliveredBy.LOCAL_SME, partner="Dales IT Ltd", follow_up=date(2027, 1, 5))
    t = agree(t, "digital-literacy", BETA, value_entered=D("2500.00"))
    t = N.set_ask_status(t, "digital-literacy", ACME, AskStatus.OFFERED, on=ON)       # not agreed: not scheduled
    rows = N.commitments_schedule(t)
    assert [(r.supplier, r.ask_id) for r in rows] == [(ACME, "broadband-discount"), (BETA, "digital-literacy")]
    r = rows[0]
    assert r.clause == "A discount of 10% for every household; 1,200 expected."
    assert (r.kpi, r.reporting, r.value_per_year, r.value_over_term) == (
        "Households", C.ReportingFrequency.QUARTERLY, D("43200.00"), D("129600.00"))
    assert (r.delivered_by, r.partner, r.beneficiaries, r.follow_up) == (
        DeliveredBy.LOCAL_SME, "Dales IT Ltd", 1200, date(2027, 1, 5))
    assert [x.ask_id for x in N.commitments_schedule(t, "beta telecom plc")] == ["digital-literacy"]


def test_a_formula_below_zero_is_refused_naming_the_ask_and_the_supplier() -> None:
    """A benefit is never worth less than nothing: no "£-100.00 a year" on the commitments schedule."""
    refund = ask("bill-refund", "discount_pct - 100", ("discount_pct", None), title="Bill refund")
    t = agree(network_tender(refund), "bill-refund", inputs={"discount_pct": D(0)})
    o = t.checklist.outcome("bill-refund", ACME)
    for work_out in (lambda: C.value_per_year(refund, o), lambda: N.supplier_totals(t, ACME),
                     lambda: N.commitments_schedule(t, ACME)):
        with pytest.raises(ValidationError, match="below zero") as e:
            work_out()
        assert "“Bill refund” (bill-refund)" in str(e.value) and ACME in str(e.value)
        assert "−£100.00 a year" in str(e.value) and "\n" not in str(e.value)
    # Entered directly, the value stands; zero is a value like any other.
    t2 = N.update_outcome(t, "bill-refund", ACME, value_entered=D("250.00"))
    assert C.value_per_year(refund, t2.checklist.outcome("bill-refund", ACME)) == D("250.00")
    t3 = N.set_input(t, "bill-refund", ACME, "discount_pct", D(100))
    assert C.value_per_year(refund, t3.checklist.outcome("bill-refund", ACME)) == D("0.00")


def test_a_formula_dividing_by_zero_names_the_ask_and_the_supplier() -> None:
    t = agree(network_tender(ONBOARDING), "supplier-onboards", BETA,
              inputs={"residents": D(10), "minutes_each": D(30), "hourly_cost": D(12)})
    per_minute = N.update_ask(t, "supplier-onboards", formula="residents * hourly_cost / (minutes_each - 30)")
    o = per_minute.checklist.outcome("supplier-onboards", BETA)
    with pytest.raises(ValidationError, match="divides by zero") as e:
        C.computed_value(per_minute.checklist.item("supplier-onboards").ask, o)
    assert "“Supplier onboards” (supplier-onboards)" in str(e.value) and f"for {BETA}" in str(e.value)
    assert e.value.field == f"asks.supplier-onboards.outcomes.{BETA}.value_per_year"
