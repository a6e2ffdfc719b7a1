"""Builders and inspectors for the store tests: demo and large tenders, logical dumps, random edits."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from svdesk.domain import checklist as C
from svdesk.domain import negotiation as N
from svdesk.domain import tender as T
from svdesk.domain import values as V
from svdesk.io.tender_file import read_tender_file
from svdesk.store import api
from svdesk.store.models import Base
from tests.conftest import ROOT

D = Decimal
DEMO = ROOT / "resources" / "demo"


def demo(name: str = "network-tender.json") -> T.Tender:
    """A demo tender from ``resources/demo``."""
    return read_tender_file(DEMO / name)


def big_tender(bids: int = 500, reference: str = "BIG-1", evaluators: tuple[str, ...] = ("PS", "JM")) -> T.Tender:
    """A realistic large tender: price, four quality criteria, commitments; every bid scored by two evaluators."""
    criteria = (
        T.Criterion("price", "Price", T.CriterionKind.PRICE, D(40), method="lowest_price"),
        *(T.Criterion(f"q{i}", f"Quality {i}", T.CriterionKind.QUALITY, D(12), scale_max=D(5), threshold=D(1),
                      descriptors=tuple(T.Descriptor(D(s), f"{s} of 5") for s in range(6)))
          for i in range(1, 5)),
        T.Criterion("sv", "Commitments", T.CriterionKind.COMMITMENTS, D(12), method="highest_value"),
    )
    rnd = random.Random(bids)
    out = []
    for n in range(bids):
        scores = {f"q{i}": D(rnd.randint(1, 5)) for i in range(1, 5)}
        out.append(T.Bid(
            supplier=f"Supplier {n:04d} Ltd", price=D(rnd.randint(100_000, 900_000)) + D("0.37"), sme=n % 3 == 0,
            locality=V.Locality.LOCAL if n % 2 else V.Locality.NATIONAL, address=f"{n} High Street",
            scores=scores, explanations={k: f"Reason for {k} of bid {n}" for k in scores},
            evaluator_scores={k: dict.fromkeys(evaluators, v) for k, v in scores.items()},
            evaluator_reasons={k: {e: f"{e} on {k}" for e in evaluators} for k in scores},
            commitments=(V.Commitment("local-jobs", D(2), D("25000.00"), "Two apprentices", V.Theme.SKILLS,
                                      V.Locality.LOCAL),),
        ))
    return T.Tender(reference, "Large framework", category="ict", status=T.TenderStatus.EVALUATION,
                    annual_value=D("1000000.00"), term_years=3, criteria=criteria, bids=tuple(out),
                    key_dates={"bids_due": date(2026, 10, 15)})


def dump(db: api.Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every svdesk table (and the schema revision), sorted: the database's logical content."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db._engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            names = ", ".join(f'"{c.name}"' for c in table.columns)
            rows = conn.execute(text(f"SELECT {names} FROM {table.name}")).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
        out["alembic_version"] = [tuple(r) for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
        conn.rollback()
    return out


def scored_tender(reference: str = "T-1") -> T.Tender:
    """The demo network tender under another reference."""
    return replace(demo(), reference=reference)


# --- random edits: every kind of change the UI can make, for the round-trip property ----------------------


def _ask(i: int) -> C.Ask:
    return C.Ask(f"ask-{i}", f"Ask number {i}", V.Theme.COMMUNITIES, categories=("any",),
                 question=f"Will you do {i}?", formula="households * 2" if i % 2 else "",
                 inputs=(C.ValuationInput("households", "Households", "homes", D(10)),) if i % 2 else ())


def random_edit(t: T.Tender, rnd: random.Random) -> tuple[T.Tender, str]:
    """One random valid edit of ``t`` and its description (edits that do not apply are retried)."""
    for _ in range(50):
        kind = rnd.choice(["score", "evaluator", "price", "add_bid", "remove_bid", "detail", "key_date",
                           "commitments", "exclude", "weight", "add_criterion", "remove_criterion", "move_bid",
                           "add_ask", "ask_status", "outcome", "remove_ask", "move_ask", "descriptor"])
        try:
            new = _apply(t, kind, rnd)
        except (T.ValidationError, IndexError, ValueError):
            continue
        if new is not None and new != t:
            return T.check_tender(new), kind
    raise AssertionError("no edit applied")


def _apply(t: T.Tender, kind: str, rnd: random.Random) -> T.Tender | None:
    assessed = [c for c in t.criteria if c.is_assessed]
    if kind == "score" and t.bids and assessed:
        b, c = rnd.choice(t.bids), rnd.choice(assessed)
        value = None if rnd.random() < 0.2 else D(rnd.randint(0, int(c.scale_max) * 2)) / 2
        return T.set_consensus_score(t, b.supplier, c.id, value, f"moderated {rnd.random():.3f}")
    if kind == "evaluator" and t.bids and assessed:
        b, c = rnd.choice(t.bids), rnd.choice(assessed)
        value = None if rnd.random() < 0.2 else D(rnd.randint(0, int(c.scale_max)))
        return T.set_evaluator_score(t, b.supplier, c.id, rnd.choice(["PS", "JM", "AB"]), value, "because")
    if kind == "price" and t.bids:
        return T.set_price(t, rnd.choice(t.bids).supplier, D(rnd.randint(0, 10**11)) / 100)
    if kind == "add_bid":
        return T.add_bid(t, T.Bid(f"New Supplier {rnd.randint(0, 10**6)}", D("1000.01"), sme=True))
    if kind == "remove_bid" and t.bids:
        return T.remove_bid(t, rnd.choice(t.bids).supplier)
    if kind == "move_bid" and len(t.bids) > 1:
        bids = list(t.bids)
        b = bids.pop(rnd.randrange(len(bids)))
        bids.insert(rnd.randrange(len(bids) + 1), b)
        return replace(t, bids=tuple(bids))
    if kind == "detail":
        return T.update_details(t, title=f"Title {rnd.randint(0, 999)}", annual_value=D(rnd.randint(0, 10**8)) / 100,
                                description=rnd.choice(["", "Described", "Ünïcödé £ text"]))
    if kind == "key_date":
        return T.set_key_date(t, rnd.choice(list(T.KEY_DATES)),
                              None if rnd.random() < 0.3 else date(2026, rnd.randint(1, 12), rnd.randint(1, 28)))
    if kind == "commitments" and t.bids:
        n = rnd.randint(0, 3)
        cs = tuple(V.Commitment(f"m{i}", D(rnd.randint(1, 9)), D(rnd.randint(0, 99999)) / 100,
                                locality=rnd.choice([None, V.Locality.LOCAL])) for i in range(n))
        return T.set_commitments(t, rnd.choice(t.bids).supplier, cs)
    if kind == "exclude" and t.bids:
        b = rnd.choice(t.bids)
        return T.reinstate_bid(t, b.supplier) if b.excluded else T.exclude_bid(t, b.supplier, "Failed the check")
    if kind == "weight" and t.criteria:
        return T.set_weight(t, rnd.choice(t.criteria).id, D(rnd.randint(0, 10000)) / 100)
    if kind == "add_criterion":
        cid = f"c{rnd.randint(0, 10**6)}"
        return T.add_criterion(t, T.Criterion(cid, f"Criterion {cid}", T.CriterionKind.QUALITY, D(5)))
    if kind == "remove_criterion" and len(t.criteria) > 1:
        return T.remove_criterion(t, rnd.choice(t.criteria).id)
    if kind == "descriptor" and assessed:
        c = rnd.choice(assessed)
        return T.update_criterion(t, c.id, descriptors=(T.Descriptor(D(0), "none"), T.Descriptor(D(1), "some")))
    if kind == "add_ask":
        return N.add_ask(t, _ask(rnd.randint(0, 10**6)), custom=rnd.random() < 0.5,
                         position=rnd.randint(0, len(t.checklist.items)))
    if kind == "remove_ask" and t.checklist.items:
        return N.remove_ask(t, rnd.choice(t.checklist.items).ask.id)
    if kind == "move_ask" and t.checklist.items:
        return N.move_ask(t, rnd.choice(t.checklist.items).ask.id, rnd.randint(0, len(t.checklist.items)))
    if kind == "ask_status" and t.checklist.items and t.bids:
        a, b = rnd.choice(t.checklist.items), rnd.choice(t.bids)
        return N.set_ask_status(t, a.ask.id, b.supplier, rnd.choice(list(C.AskStatus)),
                                on=date(2026, 11, rnd.randint(1, 28)), note="at the meeting")
    if kind == "outcome" and t.checklist.items and t.bids:
        a, b = rnd.choice(t.checklist.items), rnd.choice(t.bids)
        changes: dict[str, Any] = {"offer": f"Offer {rnd.randint(0, 99)}", "cost_to_council": D(rnd.randint(0, 999)),
                                   "beneficiaries": rnd.choice([None, rnd.randint(0, 5000)]),
                                   "follow_up": rnd.choice([None, date(2027, 1, 5)])}
        if a.ask.inputs:
            changes["inputs"] = {"households": D(rnd.randint(1, 900))}
        return N.update_outcome(t, a.ask.id, b.supplier, **changes)
    return None
