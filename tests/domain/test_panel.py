"""The evaluation panel: members who stay before they mark, declarations of interest, mitigations enforced."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from svdesk.domain import panel as P
from svdesk.domain.scoring import score_tender
from svdesk.domain.tender import check_tender, set_evaluator_score
from svdesk.errors import ValidationError
from tests.builders import bid, price, quality, tender

D = Decimal
DAY = date(2026, 12, 1)


def two_bids() -> object:
    return tender(price(50), quality("q1", 50),
                  bids=(bid("Acme Ltd", 100, evaluator_scores={"q1": {"JM": D(3)}}), bid("Cobalt Ltd", 120)))


def test_an_evaluator_added_before_marking_stays_on_the_panel() -> None:
    """Issue 14, major 1: add PS, then JM: both are on the panel, PS with no mark yet."""
    t = P.add_member(P.add_member(two_bids(), "PS", "Priya Shah"), "JM")  # type: ignore[arg-type]
    assert [m.initials for m in t.panel.members] == ["PS", "JM"]
    assert P.evaluators(t) == ["PS", "JM"]
    assert P.evaluators(two_bids()) == ["JM"]                   # an older tender: whoever has marked  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'ps' is already on the panel"):
        P.add_member(t, "ps")
    with pytest.raises(ValidationError, match="JM has marks on this tender"):
        P.remove_member(t, "JM")
    assert [m.initials for m in P.remove_member(t, "PS").panel.members] == ["JM"]
    check_tender(t)


def test_initials_are_checked() -> None:
    t = two_bids()
    for bad in ("", " ", "A/B", "x" * 21, "-KT"):
        with pytest.raises(ValidationError):
            P.add_member(t, bad)  # type: ignore[arg-type]


def test_a_conflict_names_bidders_that_bid_and_a_mitigation_in_words_when_other() -> None:
    t = P.add_member(two_bids(), "KT")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="names the bidders concerned"):
        P.declare(t, "KT", P.Declaration(DAY, conflict=True, details="Knows Acme"))
    with pytest.raises(ValidationError, match="'Zed Ltd' has no bid"):
        P.declare(t, "KT", P.Declaration(DAY, conflict=True, details="x", bidders=("Zed Ltd",)))
    with pytest.raises(ValidationError, match="mitigation_text: must not be empty"):
        P.declare(t, "KT", P.Declaration(DAY, True, "x", ("Acme Ltd",), P.Mitigation.OTHER))
    with pytest.raises(ValidationError, match="no conflict names no bidders"):
        P.declare(t, "KT", P.Declaration(DAY, bidders=("Acme Ltd",)))
    d = P.declare(t, "KT", P.Declaration(DAY, True, "Knows Acme", ("acme ltd",), P.Mitigation.OTHER,
                                         "A second evaluator checks every mark")).panel.member("KT").declaration
    assert d is not None and d.bidders == ("Acme Ltd",)        # the bid's own spelling
    assert d.summary() == "Conflict (Acme Ltd): Knows Acme Mitigation: A second evaluator checks every mark."


def test_a_member_who_does_not_mark_a_bidder_cannot_mark_it_and_their_earlier_marks_go() -> None:
    t = P.add_member(two_bids(), "JM")  # type: ignore[arg-type]
    t = P.declare(t, "JM", P.Declaration(DAY, True, "Sister works at Acme", ("Acme Ltd",)))
    with pytest.raises(ValidationError, match="not yet mitigated"):
        set_evaluator_score(t, "Cobalt Ltd", "q1", "JM", D(3))
    assert t.bid("Acme Ltd").evaluator_scores == {"q1": {"JM": D(3)}}      # kept until mitigated
    t = P.declare(t, "JM", P.Declaration(DAY, True, "Sister works at Acme", ("Acme Ltd",), P.Mitigation.DOES_NOT_MARK))
    assert t.bid("Acme Ltd").evaluator_scores == {}                          # the audit log keeps the old mark
    with pytest.raises(ValidationError, match="JM declared a conflict of interest with Acme Ltd"):
        set_evaluator_score(t, "Acme Ltd", "q1", "JM", D(4))
    t = set_evaluator_score(t, "Cobalt Ltd", "q1", "JM", D(4))
    assert P.marks_due(t, "JM") == [("Cobalt Ltd", "q1")]
    [s] = P.status(t)
    assert (s.marks_done, s.marks_due, s.barred_from) == (1, 1, ("Acme Ltd",))
    with pytest.raises(ValidationError, match="has marks for it"):
        check_tender(replace(t, bids=(replace(t.bids[0], evaluator_scores={"q1": {"JM": D(5)}}), t.bids[1])))


def test_scoring_leaves_out_marks_a_declaration_rules_out() -> None:
    t = P.add_member(P.add_member(two_bids(), "JM"), "KT")  # type: ignore[arg-type]
    t = set_evaluator_score(t, "Acme Ltd", "q1", "KT", D(5))
    barred = P.declare(t, "JM", P.Declaration(DAY, True, "x", ("Acme Ltd",), P.Mitigation.DOES_NOT_MARK))
    # a tender put together without the edits (e.g. by another tool) still holds JM's mark:
    sneaked = replace(barred, bids=t.bids)
    res = score_tender(sneaked)
    acme = res.for_supplier("Acme Ltd")
    assert acme.criteria["q1"] == D(50)                        # KT's 5 alone, not the mean of 5 and 3
    assert "JM's marks for Acme Ltd are not counted: JM declared a conflict of interest" in res.warnings
    assert score_tender(t).for_supplier("Acme Ltd").criteria["q1"] == D(40)    # mean of 5 and 3 without the bar


def test_returns_outstanding_and_the_reason_to_go_on() -> None:
    from datetime import UTC, datetime

    t = P.add_member(two_bids(), "KT")  # type: ignore[arg-type]
    t = P.record_pack_sent(t, "KT", datetime(2026, 12, 1, 9, tzinfo=UTC), "a" * 64)
    assert [m.initials for m in P.returns_outstanding(t)] == ["KT"]
    t = P.proceed_without_returns(t, "KT is on leave; moderation meeting cannot move")
    assert t.panel.proceed_reason.startswith("KT is on leave")
    t = P.record_return(t, "KT", datetime(2026, 12, 2, 9, tzinfo=UTC), "b" * 64)
    assert P.returns_outstanding(t) == []
    with pytest.raises(ValidationError, match="64 lower-case hex"):
        check_tender(P.record_return(t, "KT", datetime(2026, 12, 2, tzinfo=UTC), "XYZ"))


def test_a_bidders_answers_are_kept_per_assessed_criterion() -> None:
    from svdesk.domain.tender import remove_criterion, set_response

    t = set_response(two_bids(), "Acme Ltd", "q1", "  Our plan is in section 3.  ")  # type: ignore[arg-type]
    assert t.bid("Acme Ltd").responses == {"q1": "Our plan is in section 3."}
    with pytest.raises(ValidationError, match="evaluators read no answer"):
        set_response(t, "Acme Ltd", "price", "£100")
    assert set_response(t, "Acme Ltd", "q1", "").bid("Acme Ltd").responses == {}
    assert remove_criterion(t, "q1").bid("Acme Ltd").responses == {}
    with pytest.raises(ValidationError, match=r"responses\.zz: no criterion has this id"):
        check_tender(replace(t, bids=(replace(t.bids[0], responses={"zz": "x"}), t.bids[1])))


def test_a_new_tender_gets_the_councils_default_panel_unless_it_has_its_own() -> None:
    t = tender()
    got = P.with_default_panel(t, ("KT", "PS"))
    assert [m.initials for m in got.panel.members] == ["KT", "PS"]
    assert all(m.role is P.Role.EVALUATOR for m in got.panel.members)
    own = P.add_member(t, "JM")
    assert P.with_default_panel(own, ("KT", "PS")) == own              # a tender naming its panel keeps it
    marked = tender(quality("q1", 100), bids=(bid("Acme", 100, evaluator_scores={"q1": {"AB": Decimal(3)}}),))
    assert P.with_default_panel(marked, ("KT", "PS")) == marked        # marks already name their evaluators
    assert P.with_default_panel(t, ()) == t
