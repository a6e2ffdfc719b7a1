"""Rows ↔ domain values: load a whole tender, insert one, write only what an edit changed, list tenders.

Every function takes the caller's :class:`~sqlalchemy.orm.Session` and never commits: the caller owns the
transaction (:class:`svdesk.store.api.Database`). :func:`write_changes` compares the tender before and after
an edit and touches only the rows that differ, so one score edit on a 500-bid tender is a handful of
statements; it returns what changed (``what``/``before``/``after``) for the audit log.

Ordering on disk: criteria, bids, asks, commitments and descriptors carry a ``position``; positions may have
gaps (deleting a bid does not renumber the others) and are renumbered only when an edit reorders things.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from svdesk.domain.checklist import (
    Ask,
    AskStatus,
    Checklist,
    ChecklistItem,
    DeliveredBy,
    Outcome,
    ReportingFrequency,
    StatusChange,
    ValuationInput,
)
from svdesk.domain.money import PENNY
from svdesk.domain.publication import Publication, publication_from_json, publication_to_json
from svdesk.domain.report_texts import SECTIONS as REPORT_SECTIONS
from svdesk.domain.report_texts import ReportTexts
from svdesk.domain.tender import (
    IDENTITY_FIELDS,
    Bid,
    CommitmentScope,
    Criterion,
    CriterionKind,
    Descriptor,
    Tender,
    TenderStatus,
    TieBreak,
)
from svdesk.domain.values import Commitment, Locality, Theme
from svdesk.errors import ValidationError
from svdesk.store import panel_rows, response_rows
from svdesk.store.attachment_rows import load_attachments
from svdesk.store.audit import jsonable
from svdesk.store.errors import StoreError
from svdesk.store.models import (
    BidAttachmentRow,
    BidContactRow,
    BidResponseRow,
    BidRow,
    CommitmentRow,
    ConsensusScoreRow,
    CriterionRow,
    DescriptorRow,
    EvaluatorScoreRow,
    KeyDateRow,
    NegotiationAskRow,
    NegotiationInputRow,
    NegotiationOutcomeInputRow,
    NegotiationOutcomeRow,
    NegotiationStatusChangeRow,
    PublicationRow,
    ReportTextRow,
    TenderRow,
)
from svdesk.store.register import TenderSummary
from svdesk.store.types import ExactDecimal

Change = dict[str, Any]
#: Tender details stored in the ``tender`` row (status is written last, see :func:`write_changes`).
DETAILS = ("reference", "title", "category", "annual_value", "term_years", "extension_years", "description",
           "buyer", "officer", "tie_break", "notice_id")
_BID_FIELDS = ("price", "sme", "vcse", "locality", "address", "excluded", "exclusion_reason", "notes")
_CRITERION_FIELDS = ("name", "kind", "weight", "scale_max", "threshold", "method", "scope", "description")
_ASK_FIELDS = ("title", "theme", "categories", "question", "why", "formula", "how_to_value", "evidence", "clause",
               "kpi", "reporting")
_OUTCOME_FIELDS = ("status", "offer", "value_entered", "beneficiaries", "cost_to_council", "delivered_by",
                   "partner", "follow_up", "notes")


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _value(v: Any) -> Any:
    """A domain field value as the column wants it (enums by value)."""
    if hasattr(v, "value") and not isinstance(v, Decimal):
        return v.value
    return v


def _money(v: Decimal | None, field: str) -> Decimal | None:
    """Refuse an amount that cannot be stored exactly in pence (a clear error instead of a rounded value)."""
    if v is not None and (not v.is_finite() or v != v.quantize(PENNY)):
        raise ValidationError(field, f"£{v} has fractions of a penny; amounts are kept to the penny")
    return v


def supplier_key(name: str) -> str:
    """Suppliers are one per tender ignoring case (as the domain checks)."""
    return name.casefold()


# ---------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """A tender as stored: its row id, version and status."""

    id: int
    version: int
    status: str


def find(session: Session, reference: str) -> Stored | None:
    """The stored tender's id, version and status (``None`` when absent)."""
    row = session.execute(
        select(TenderRow.id, TenderRow.version, TenderRow.status).where(TenderRow.reference == reference)
    ).first()
    return None if row is None else Stored(row.id, row.version, row.status)


def load(session: Session, tender_id: int) -> Tender:
    """The whole tender with this row id."""
    t = session.get_one(TenderRow, tender_id)
    key_dates = {r.name: r.day for r in session.execute(
        select(KeyDateRow.name, KeyDateRow.day).where(KeyDateRow.tender_id == tender_id))}
    crit_rows = session.scalars(
        select(CriterionRow).where(CriterionRow.tender_id == tender_id).order_by(CriterionRow.position,
                                                                                  CriterionRow.id)).all()
    code_of = _Codes({c.id: c.code for c in crit_rows}, t.reference)
    descs: dict[int, list[Descriptor]] = defaultdict(list)
    for d in session.execute(
        select(DescriptorRow.criterion_id, DescriptorRow.score, DescriptorRow.text)
        .join(CriterionRow, CriterionRow.id == DescriptorRow.criterion_id)
        .where(CriterionRow.tender_id == tender_id)
        .order_by(DescriptorRow.criterion_id, DescriptorRow.position, DescriptorRow.id)
    ):
        descs[d.criterion_id].append(Descriptor(d.score, d.text))
    criteria = tuple(
        Criterion(id=c.code, name=c.name, kind=CriterionKind(c.kind), weight=c.weight, scale_max=c.scale_max,
                  threshold=c.threshold, method=c.method, descriptors=tuple(descs.get(c.id, ())),
                  scope=CommitmentScope(c.scope), description=c.description)
        for c in crit_rows
    )
    bid_rows = session.execute(
        select(BidRow.id, BidRow.supplier, BidRow.price, BidRow.sme, BidRow.vcse, BidRow.locality, BidRow.address,
               BidRow.excluded, BidRow.exclusion_reason, BidRow.notes)
        .where(BidRow.tender_id == tender_id).order_by(BidRow.position, BidRow.id)).all()
    scores: dict[int, dict[str, Decimal]] = defaultdict(dict)
    reasons: dict[int, dict[str, str]] = defaultdict(dict)
    for s in session.execute(
        select(ConsensusScoreRow.bid_id, ConsensusScoreRow.criterion_id, ConsensusScoreRow.score,
               ConsensusScoreRow.reason)
        .join(BidRow, BidRow.id == ConsensusScoreRow.bid_id).where(BidRow.tender_id == tender_id)
        .order_by(ConsensusScoreRow.id)
    ):
        if s.score is not None:
            scores[s.bid_id][code_of[s.criterion_id]] = s.score
        if s.reason is not None:
            reasons[s.bid_id][code_of[s.criterion_id]] = s.reason
    marks: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    mark_reasons: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for e in session.execute(
        select(EvaluatorScoreRow.bid_id, EvaluatorScoreRow.criterion_id, EvaluatorScoreRow.evaluator,
               EvaluatorScoreRow.score, EvaluatorScoreRow.reason)
        .join(BidRow, BidRow.id == EvaluatorScoreRow.bid_id).where(BidRow.tender_id == tender_id)
        .order_by(EvaluatorScoreRow.id)
    ):
        code = code_of[e.criterion_id]
        if e.score is not None:
            marks[e.bid_id][code][e.evaluator] = e.score
        if e.reason is not None:
            mark_reasons[e.bid_id][code][e.evaluator] = e.reason
    commits: dict[int, list[Commitment]] = defaultdict(list)
    for c in session.execute(
        select(CommitmentRow.bid_id, CommitmentRow.measure, CommitmentRow.quantity, CommitmentRow.unit_value,
               CommitmentRow.description, CommitmentRow.theme, CommitmentRow.locality, CommitmentRow.from_ask)
        .join(BidRow, BidRow.id == CommitmentRow.bid_id).where(BidRow.tender_id == tender_id)
        .order_by(CommitmentRow.bid_id, CommitmentRow.position, CommitmentRow.id)
    ):
        commits[c.bid_id].append(Commitment(
            measure=c.measure, quantity=c.quantity, unit_value=c.unit_value, description=c.description,
            theme=None if c.theme is None else Theme(c.theme),
            locality=None if c.locality is None else Locality(c.locality), from_ask=c.from_ask))
    contacts = {c.bid_id: c for c in session.execute(
        select(BidContactRow.bid_id, BidContactRow.email, BidContactRow.cdp_id, BidContactRow.companies_house,
               BidContactRow.charity_number)
        .join(BidRow, BidRow.id == BidContactRow.bid_id).where(BidRow.tender_id == tender_id))}
    answers = response_rows.load_responses(session, tender_id, code_of)
    bids = tuple(
        _with_contact(Bid(supplier=b.supplier, price=b.price, sme=b.sme, vcse=b.vcse,
            locality=None if b.locality is None else Locality(b.locality), address=b.address,
            scores=scores.get(b.id, {}), explanations=reasons.get(b.id, {}),
            evaluator_scores={k: dict(v) for k, v in marks[b.id].items()} if b.id in marks else {},
            evaluator_reasons={k: dict(v) for k, v in mark_reasons[b.id].items()} if b.id in mark_reasons else {},
            commitments=tuple(commits.get(b.id, ())), excluded=b.excluded, exclusion_reason=b.exclusion_reason,
            notes=b.notes, responses=answers.get(b.id, {})), contacts.get(b.id))
        for b in bid_rows
    )
    supplier_of = {b.id: b.supplier for b in bid_rows}
    return Tender(
        reference=t.reference, title=t.title, category=t.category, status=TenderStatus(t.status),
        annual_value=t.annual_value, term_years=t.term_years, extension_years=t.extension_years,
        description=t.description, buyer=t.buyer, officer=t.officer, key_dates=key_dates, criteria=criteria,
        bids=bids, tie_break=TieBreak(t.tie_break), checklist=_load_checklist(session, tender_id, supplier_of),
        notice_id=t.notice_id, report=_load_report(session, tender_id),
        publication=_load_publication(session, tender_id),
        panel=panel_rows.load_panel(session, tender_id),
        attachments=load_attachments(session, tender_id),
    )


#: The ``report_text`` row that records the officer's choice to publish the bidders' details.
PUBLISH_FLAG = "publish_bidder_details"


def _load_report(session: Session, tender_id: int) -> ReportTexts:
    rows = dict(session.execute(select(ReportTextRow.name, ReportTextRow.text)
                                .where(ReportTextRow.tender_id == tender_id)).all())
    flag = rows.pop(PUBLISH_FLAG, "") == "true"
    known = {name for name, _, _ in REPORT_SECTIONS}
    return ReportTexts(publish_bidder_details=flag, **{k: v for k, v in rows.items() if k in known})


def _report_rows(tid: int, r: ReportTexts) -> list[dict[str, Any]]:
    rows = [{"tender_id": tid, "name": name, "text": r.text_of(name)} for name, _, _ in REPORT_SECTIONS
            if r.text_of(name)]
    if r.publish_bidder_details:
        rows.append({"tender_id": tid, "name": PUBLISH_FLAG, "text": "true"})
    return rows


def _write_report(session: Session, tid: int, old: Tender, new: Tender, changes: list[Change]) -> None:
    session.execute(delete(ReportTextRow).where(ReportTextRow.tender_id == tid))
    rows = _report_rows(tid, new.report)
    if rows:
        session.execute(insert(ReportTextRow), rows)
    for name, _, _ in REPORT_SECTIONS:
        if old.report.text_of(name) != new.report.text_of(name):
            _change(changes, f"report.{name}", old.report.text_of(name), new.report.text_of(name))
    if old.report.publish_bidder_details != new.report.publish_bidder_details:
        _change(changes, "report.publish_bidder_details", old.report.publish_bidder_details,
                new.report.publish_bidder_details)


def _load_publication(session: Session, tender_id: int) -> Publication:
    data = session.execute(select(PublicationRow.data).where(PublicationRow.tender_id == tender_id)).scalar()
    if data is None:
        return Publication()
    try:
        return publication_from_json(json.loads(data))
    except (ValueError, ValidationError) as e:
        raise StoreError(f"tender {tender_id}'s publication record is damaged: {e}") from None


def _write_publication(session: Session, tid: int, old: Publication | None, new: Publication) -> None:
    """Store the publication record (no row while it is empty)."""
    if old == new:
        return
    session.execute(delete(PublicationRow).where(PublicationRow.tender_id == tid))
    if new != Publication():
        session.execute(insert(PublicationRow).values(
            tender_id=tid, data=json.dumps(publication_to_json(new), ensure_ascii=False, sort_keys=True)))


def _with_contact(b: Bid, row: Any) -> Bid:
    if row is None:
        return b
    return replace(b, email=row.email, cdp_id=row.cdp_id, companies_house=row.companies_house,
                   charity_number=row.charity_number)


def _contact_values(b: Bid) -> dict[str, str] | None:
    """The ``bid_contact`` row of a bid, or None when it has no email address or identifier."""
    values = {name: getattr(b, name) for name in IDENTITY_FIELDS}
    return values if any(values.values()) else None


class _Codes(dict[int, str]):
    """Criterion row id → code, with a clear error for a score that points at another tender's criterion."""

    def __init__(self, codes: Mapping[int, str], reference: str) -> None:
        super().__init__(codes)
        self.reference = reference

    def __missing__(self, key: int) -> str:
        raise StoreError(f"{self.reference} holds a score for a criterion of another tender: the database was "
                         f"changed outside svdesk (run 'svdesk check' and restore a backup)")


def _load_checklist(session: Session, tender_id: int, supplier_of: Mapping[int, str]) -> Checklist:
    ask_rows = session.scalars(
        select(NegotiationAskRow).where(NegotiationAskRow.tender_id == tender_id)
        .order_by(NegotiationAskRow.position, NegotiationAskRow.id)).all()
    if not ask_rows:
        return Checklist()
    code_of = {a.id: a.code for a in ask_rows}
    inputs: dict[int, list[ValuationInput]] = defaultdict(list)
    for i in session.execute(
        select(NegotiationInputRow.ask_id, NegotiationInputRow.name, NegotiationInputRow.label,
               NegotiationInputRow.unit, NegotiationInputRow.default_value)
        .join(NegotiationAskRow, NegotiationAskRow.id == NegotiationInputRow.ask_id)
        .where(NegotiationAskRow.tender_id == tender_id)
        .order_by(NegotiationInputRow.ask_id, NegotiationInputRow.position, NegotiationInputRow.id)
    ):
        inputs[i.ask_id].append(ValuationInput(i.name, i.label, i.unit, i.default_value))
    items = tuple(
        ChecklistItem(
            Ask(id=a.code, title=a.title, theme=Theme(a.theme), categories=tuple(a.categories.split(",")),
                question=a.question, why=a.why, formula=a.formula, inputs=tuple(inputs.get(a.id, ())),
                how_to_value=a.how_to_value, evidence=a.evidence, clause=a.clause, kpi=a.kpi,
                reporting=ReportingFrequency(a.reporting)),
            a.custom,
        )
        for a in ask_rows
    )
    out_rows = session.scalars(
        select(NegotiationOutcomeRow)
        .join(NegotiationAskRow, NegotiationAskRow.id == NegotiationOutcomeRow.ask_id)
        .where(NegotiationAskRow.tender_id == tender_id)
        .order_by(NegotiationAskRow.position, NegotiationAskRow.id, NegotiationOutcomeRow.position,
                  NegotiationOutcomeRow.id)).all()
    ids = [o.id for o in out_rows]
    entered: dict[int, dict[str, Decimal]] = defaultdict(dict)
    history: dict[int, list[StatusChange]] = defaultdict(list)
    for chunk in _chunks(ids):
        for v in session.execute(
            select(NegotiationOutcomeInputRow.outcome_id, NegotiationOutcomeInputRow.name,
                   NegotiationOutcomeInputRow.value)
            .where(NegotiationOutcomeInputRow.outcome_id.in_(chunk))
            .order_by(NegotiationOutcomeInputRow.outcome_id, NegotiationOutcomeInputRow.name)
        ):
            entered[v.outcome_id][v.name] = v.value
        for h in session.execute(
            select(NegotiationStatusChangeRow.outcome_id, NegotiationStatusChangeRow.day,
                   NegotiationStatusChangeRow.old_status, NegotiationStatusChangeRow.new_status,
                   NegotiationStatusChangeRow.note)
            .where(NegotiationStatusChangeRow.outcome_id.in_(chunk))
            .order_by(NegotiationStatusChangeRow.outcome_id, NegotiationStatusChangeRow.position,
                      NegotiationStatusChangeRow.id)
        ):
            history[h.outcome_id].append(StatusChange(h.day, AskStatus(h.old_status), AskStatus(h.new_status),
                                                      h.note))
    outcomes = tuple(
        Outcome(ask_id=code_of[o.ask_id], supplier=supplier_of[o.bid_id], status=AskStatus(o.status),
                offer=o.offer, inputs=entered.get(o.id, {}), value_entered=o.value_entered,
                beneficiaries=o.beneficiaries, cost_to_council=o.cost_to_council,
                delivered_by=DeliveredBy(o.delivered_by), partner=o.partner, follow_up=o.follow_up,
                notes=o.notes, history=tuple(history.get(o.id, ())))
        for o in out_rows
    )
    return Checklist(items, outcomes)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def summaries(session: Session, search: str = "", status: TenderStatus | None = None,
              category: str | None = None) -> list[TenderSummary]:
    """The register: tenders matching a search (reference or title), status and category, newest first."""
    bids = (select(BidRow.tender_id, func.count(BidRow.id).label("n")).group_by(BidRow.tender_id).subquery())
    q = (select(TenderRow.reference, TenderRow.title, TenderRow.category, TenderRow.status, TenderRow.annual_value,
                func.coalesce(bids.c.n, 0).label("n"), TenderRow.updated_at)
         .outerjoin(bids, bids.c.tender_id == TenderRow.id))
    if search.strip():
        pattern = _like(search.strip())
        q = q.where(TenderRow.reference.ilike(pattern, escape="\\") | TenderRow.title.ilike(pattern, escape="\\"))
    if status is not None:
        q = q.where(TenderRow.status == TenderStatus(status).value)
    if category is not None:
        q = q.where(TenderRow.category == category)
    q = q.order_by(TenderRow.updated_at.desc(), TenderRow.reference)
    return [TenderSummary(r.reference, r.title, r.category, TenderStatus(r.status), r.annual_value, int(r.n),
                          r.updated_at)
            for r in session.execute(q)]


# ---------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------


def _tender_values(t: Tender) -> dict[str, Any]:
    return {"reference": t.reference, "title": t.title, "category": t.category, "status": t.status.value,
            "annual_value": _money(t.annual_value, "annual_value"), "term_years": t.term_years,
            "extension_years": t.extension_years, "description": t.description, "buyer": t.buyer,
            "officer": t.officer, "tie_break": t.tie_break.value, "notice_id": t.notice_id}


def insert_tender(session: Session, t: Tender, now: datetime) -> int:
    """Insert a whole new tender (version 1); returns its row id.

    The row starts as a draft and gets its real status last, in the same transaction (as in
    :func:`write_changes`): the freeze triggers refuse rows added to an awarded or closed tender, and an
    awarded tender imported from a file arrives with all its criteria, bids and scores.
    """
    tid: int = session.execute(
        insert(TenderRow).values(**{**_tender_values(t), "status": TenderStatus.DRAFT.value}, version=1,
                                 created_at=now, updated_at=now)
        .returning(TenderRow.id)).scalar_one()
    if t.key_dates:
        session.execute(insert(KeyDateRow), [{"tender_id": tid, "name": k, "day": d} for k, d in t.key_dates.items()])
    _insert_criteria(session, tid, list(enumerate(t.criteria)))
    _insert_bids(session, tid, list(enumerate(t.bids)), _criterion_ids(session, tid))
    _insert_asks(session, tid, list(enumerate(t.checklist.items)))
    _insert_outcomes(session, tid, t.checklist)
    if not t.report.is_empty:
        session.execute(insert(ReportTextRow), _report_rows(tid, t.report))
    _write_publication(session, tid, None, t.publication)
    panel_rows.insert_panel(session, tid, t.panel)
    if t.status is not TenderStatus.DRAFT:
        session.execute(update(TenderRow).where(TenderRow.id == tid).values(status=t.status.value))
    return tid


def _criterion_values(c: Criterion) -> dict[str, Any]:
    return {"name": c.name, "kind": c.kind.value, "weight": c.weight, "scale_max": c.scale_max,
            "threshold": c.threshold, "method": c.method, "scope": c.scope.value, "description": c.description}


def _insert_criteria(session: Session, tid: int, items: list[tuple[int, Criterion]]) -> None:
    if not items:
        return
    ids = session.execute(
        insert(CriterionRow).returning(CriterionRow.id, sort_by_parameter_order=True),
        [{"tender_id": tid, "position": pos, "code": c.id, **_criterion_values(c)} for pos, c in items],
    ).scalars().all()
    _insert_descriptors(session, [(cid, c) for cid, (_, c) in zip(ids, items, strict=True)])


def _insert_descriptors(session: Session, items: list[tuple[int, Criterion]]) -> None:
    rows = [{"criterion_id": cid, "position": i, "score": d.score, "text": d.text}
            for cid, c in items for i, d in enumerate(c.descriptors)]
    if rows:
        session.execute(insert(DescriptorRow), rows)


def _criterion_ids(session: Session, tid: int) -> dict[str, int]:
    return {r.code: r.id for r in session.execute(
        select(CriterionRow.code, CriterionRow.id).where(CriterionRow.tender_id == tid))}


def _bid_values(b: Bid, where: str) -> dict[str, Any]:
    return {"supplier": b.supplier, "supplier_key": supplier_key(b.supplier),
            "price": _money(b.price, f"{where}.price"), "sme": b.sme, "vcse": b.vcse,
            "locality": _value(b.locality), "address": b.address,
            "excluded": b.excluded, "exclusion_reason": b.exclusion_reason, "notes": b.notes}


def _criterion_id(crit: Mapping[str, int], code: str, where: str) -> int:
    try:
        return crit[code]
    except KeyError:
        raise ValidationError(where, f"no criterion has the id {code!r}") from None


def _score_rows(bid_id: int, b: Bid, crit: Mapping[str, int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    where = f"bids[{b.supplier}]"
    consensus = [
        {"bid_id": bid_id, "criterion_id": _criterion_id(crit, code, f"{where}.scores.{code}"),
         "score": b.scores.get(code), "reason": b.explanations.get(code)}
        for code in dict.fromkeys([*b.scores, *b.explanations])
    ]
    evaluator = []
    for code in dict.fromkeys([*b.evaluator_scores, *b.evaluator_reasons]):
        marks, why = b.evaluator_scores.get(code, {}), b.evaluator_reasons.get(code, {})
        cid = _criterion_id(crit, code, f"{where}.evaluator_scores.{code}")
        evaluator += [{"bid_id": bid_id, "criterion_id": cid, "evaluator": ev, "score": marks.get(ev),
                       "reason": why.get(ev)} for ev in dict.fromkeys([*marks, *why])]
    return consensus, evaluator


def _commitment_rows(bid_id: int, b: Bid) -> list[dict[str, Any]]:
    return [{"bid_id": bid_id, "position": i, "measure": c.measure, "quantity": c.quantity,
             "unit_value": _money(c.unit_value, f"bids[{b.supplier}].commitments[{i}].unit_value"),
             "description": c.description, "theme": _value(c.theme), "locality": _value(c.locality),
             "from_ask": c.from_ask}
            for i, c in enumerate(b.commitments)]


def _insert_bids(session: Session, tid: int, items: list[tuple[int, Bid]], crit: Mapping[str, int]) -> None:
    if not items:
        return
    ids = session.execute(
        insert(BidRow).returning(BidRow.id, sort_by_parameter_order=True),
        [{"tender_id": tid, "position": pos, **_bid_values(b, f"bids[{b.supplier}]")} for pos, b in items],
    ).scalars().all()
    consensus: list[dict[str, Any]] = []
    evaluator: list[dict[str, Any]] = []
    commitments: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    for bid_id, (_, b) in zip(ids, items, strict=True):
        answers += response_rows.response_rows(bid_id, b, crit)
        c, e = _score_rows(bid_id, b, crit)
        consensus += c
        evaluator += e
        commitments += _commitment_rows(bid_id, b)
        contact = _contact_values(b)
        if contact is not None:
            contacts.append({"bid_id": bid_id, **contact})
    for table, rows in ((ConsensusScoreRow, consensus), (EvaluatorScoreRow, evaluator), (CommitmentRow, commitments),
                        (BidContactRow, contacts), (BidResponseRow, answers)):
        if rows:
            session.execute(insert(table), rows)


def _ask_values(a: Ask) -> dict[str, Any]:
    return {"title": a.title, "theme": a.theme.value, "categories": ",".join(a.categories), "question": a.question,
            "why": a.why, "formula": a.formula, "how_to_value": a.how_to_value, "evidence": a.evidence,
            "clause": a.clause, "kpi": a.kpi, "reporting": a.reporting.value}


def _insert_asks(session: Session, tid: int, items: list[tuple[int, ChecklistItem]]) -> None:
    if not items:
        return
    ids = session.execute(
        insert(NegotiationAskRow).returning(NegotiationAskRow.id, sort_by_parameter_order=True),
        [{"tender_id": tid, "position": pos, "code": i.ask.id, "custom": i.custom, **_ask_values(i.ask)}
         for pos, i in items],
    ).scalars().all()
    _insert_inputs(session, [(aid, i.ask) for aid, (_, i) in zip(ids, items, strict=True)])


def _insert_inputs(session: Session, items: list[tuple[int, Ask]]) -> None:
    rows = [{"ask_id": aid, "position": n, "name": v.name, "label": v.label, "unit": v.unit, "default_value": v.default}
            for aid, a in items for n, v in enumerate(a.inputs)]
    if rows:
        session.execute(insert(NegotiationInputRow), rows)


def _outcome_values(o: Outcome) -> dict[str, Any]:
    where = f"asks.{o.ask_id}.outcomes.{o.supplier}"
    return {"status": o.status.value, "offer": o.offer,
            "value_entered": _money(o.value_entered, f"{where}.value_per_year"),
            "beneficiaries": o.beneficiaries, "cost_to_council": _money(o.cost_to_council, f"{where}.cost_to_council"),
            "delivered_by": o.delivered_by.value, "partner": o.partner, "follow_up": o.follow_up, "notes": o.notes}


def _ask_ids(session: Session, tid: int) -> dict[str, int]:
    return {r.code: r.id for r in session.execute(
        select(NegotiationAskRow.code, NegotiationAskRow.id).where(NegotiationAskRow.tender_id == tid))}


def _bid_ids(session: Session, tid: int, suppliers: Iterable[str] | None = None) -> dict[str, int]:
    q = select(BidRow.supplier, BidRow.id).where(BidRow.tender_id == tid)
    if suppliers is None:
        return {r.supplier: r.id for r in session.execute(q)}
    names = list(dict.fromkeys(suppliers))
    out: dict[str, int] = {}
    for chunk in _chunks(names):
        out.update({r.supplier: r.id for r in session.execute(q.where(BidRow.supplier.in_(chunk)))})
    return out


def _group_positions(c: Checklist) -> dict[tuple[str, str], int]:
    """Each outcome's position among the outcomes of its ask."""
    seen: dict[str, int] = defaultdict(int)
    out = {}
    for o in c.outcomes:
        out[(o.ask_id, o.supplier)] = seen[o.ask_id]
        seen[o.ask_id] += 1
    return out


def _insert_outcomes(session: Session, tid: int, c: Checklist,
                     only: set[tuple[str, str]] | None = None) -> None:
    chosen = [o for o in c.outcomes if only is None or (o.ask_id, o.supplier) in only]
    if not chosen:
        return
    asks = _ask_ids(session, tid)
    bids = _bid_ids(session, tid, (o.supplier for o in chosen))
    pos = _group_positions(c)
    rows = []
    for o in chosen:
        if o.supplier not in bids:
            raise ValidationError(f"asks.{o.ask_id}.outcomes", f"{o.supplier!r} has no bid on this tender")
        rows.append({"ask_id": asks[o.ask_id], "bid_id": bids[o.supplier], "position": pos[(o.ask_id, o.supplier)],
                     **_outcome_values(o)})
    ids = session.execute(
        insert(NegotiationOutcomeRow).returning(NegotiationOutcomeRow.id, sort_by_parameter_order=True), rows,
    ).scalars().all()
    _insert_outcome_details(session, list(zip(ids, chosen, strict=True)))


def _insert_outcome_details(session: Session, items: list[tuple[int, Outcome]], history_from: int = 0) -> None:
    inputs = [{"outcome_id": oid, "name": k, "value": v} for oid, o in items for k, v in o.inputs.items()]
    if inputs:
        session.execute(insert(NegotiationOutcomeInputRow), inputs)
    steps = [{"outcome_id": oid, "position": n, "day": h.on, "old_status": h.old.value, "new_status": h.new.value,
              "note": h.note}
             for oid, o in items for n, h in enumerate(o.history) if n >= history_from]
    if steps:
        session.execute(insert(NegotiationStatusChangeRow), steps)


# --- the diff ---------------------------------------------------------------------------------------------


def _change(changes: list[Change], what: str, before: Any, after: Any) -> None:
    changes.append({"what": what, "before": jsonable(before), "after": jsonable(after)})


def plan_positions(old_order: Sequence[Any], stored: Mapping[Any, int], new_order: Sequence[Any]) -> dict[Any, int]:
    """New ``position`` values for a reordered/extended list, touching as few rows as possible.

    Args:
        old_order: keys in their previous order (unused, kept for clarity of call sites).
        stored: the stored positions of the keys that survive.
        new_order: keys in their new order.

    Returns:
        ``{key: position}`` for every key whose position must be written (new keys included).
    """
    kept = [k for k in new_order if k in stored]
    increasing = all(stored[a] < stored[b] for a, b in itertools.pairwise(kept))
    first_new = next((i for i, k in enumerate(new_order) if k not in stored), len(new_order))
    only_appended = all(k not in stored for k in new_order[first_new:])
    if increasing and only_appended:
        top = max(stored.values(), default=-1)
        return {k: top + 1 + i for i, k in enumerate(new_order[first_new:])}
    return {k: i for i, k in enumerate(new_order) if stored.get(k) != i}


def write_changes(session: Session, tid: int, old: Tender, new: Tender) -> list[Change]:
    """Write what differs between ``old`` (as stored) and ``new``; returns the changes for the audit log.

    The status is written last, so that awarding in the same save as the final moderation is allowed by the
    freeze triggers (they guard an awarded tender's rows).
    """
    changes: list[Change] = []
    values = {}
    for name in DETAILS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            values[name] = _value(after)
            _change(changes, name, before, after)
    if values:
        if "annual_value" in values:
            _money(new.annual_value, "annual_value")
        session.execute(update(TenderRow).where(TenderRow.id == tid).values(**values))
    if old.key_dates != new.key_dates:
        _write_key_dates(session, tid, old, new, changes)
    removed_outcomes = _remove_outcomes(session, tid, old, new, changes)
    if old.criteria != new.criteria:
        _write_criteria(session, tid, old, new, changes)
    if old.bids != new.bids:
        _write_bids(session, tid, old, new, changes)
    if old.checklist != new.checklist:
        _write_checklist(session, tid, old, new, changes, removed_outcomes)
    if old.report != new.report:
        _write_report(session, tid, old, new, changes)
    if old.publication != new.publication:
        _write_publication(session, tid, old.publication, new.publication)
        _change(changes, "publication", publication_to_json(old.publication), publication_to_json(new.publication))
    panel_rows.write_panel(session, tid, old, new, changes)
    if old.status != new.status:
        session.execute(update(TenderRow).where(TenderRow.id == tid).values(status=new.status.value))
        _change(changes, "status", old.status, new.status)
    return changes


def _write_key_dates(session: Session, tid: int, old: Tender, new: Tender, changes: list[Change]) -> None:
    for k in sorted(set(old.key_dates) | set(new.key_dates)):
        before, after = old.key_dates.get(k), new.key_dates.get(k)
        if before == after:
            continue
        if after is None:
            session.execute(delete(KeyDateRow).where(KeyDateRow.tender_id == tid, KeyDateRow.name == k))
        elif before is None:
            session.execute(insert(KeyDateRow).values(tender_id=tid, name=k, day=after))
        else:
            session.execute(update(KeyDateRow).where(KeyDateRow.tender_id == tid, KeyDateRow.name == k)
                            .values(day=after))
        _change(changes, f"key_dates.{k}", before, after)


def _write_criteria(session: Session, tid: int, old: Tender, new: Tender, changes: list[Change]) -> None:
    old_by = {c.id: c for c in old.criteria}
    new_by = {c.id: c for c in new.criteria}
    removed = [k for k in old_by if k not in new_by]
    if removed:
        session.execute(delete(CriterionRow).where(CriterionRow.tender_id == tid, CriterionRow.code.in_(removed)))
        for k in removed:
            _change(changes, f"criteria[{k}]", old_by[k], None)
    stored = {r.code: (r.id, r.position) for r in session.execute(
        select(CriterionRow.code, CriterionRow.id, CriterionRow.position).where(CriterionRow.tender_id == tid))}
    for k, c in new_by.items():
        before = old_by.get(k)
        if before is None or before == c:
            continue
        row_id = stored[k][0]
        values = {f: v for f, v in _criterion_values(c).items() if _criterion_values(before)[f] != v}
        if values:
            session.execute(update(CriterionRow).where(CriterionRow.id == row_id).values(**values))
        if before.descriptors != c.descriptors:
            session.execute(delete(DescriptorRow).where(DescriptorRow.criterion_id == row_id))
            _insert_descriptors(session, [(row_id, c)])
        _change(changes, f"criteria[{k}]", before, c)
    new_order = [c.id for c in new.criteria]
    positions = plan_positions([c.id for c in old.criteria], {k: v[1] for k, v in stored.items()}, new_order)
    added = [(positions[c.id], c) for c in new.criteria if c.id not in old_by]
    for k, pos in positions.items():
        if k in stored:
            session.execute(update(CriterionRow).where(CriterionRow.id == stored[k][0]).values(position=pos))
    if added:
        _insert_criteria(session, tid, added)
        for _, c in added:
            _change(changes, f"criteria[{c.id}]", None, c)
    if [c.id for c in old.criteria if c.id in new_by] != [k for k in new_order if k in old_by]:
        _change(changes, "criteria.order", [c.id for c in old.criteria], new_order)


def _write_bids(session: Session, tid: int, old: Tender, new: Tender, changes: list[Change]) -> None:
    old_by = {b.supplier: b for b in old.bids}
    new_by = {b.supplier: b for b in new.bids}
    removed = [k for k in old_by if k not in new_by]
    if removed:
        # The bids' attached files go with them (ON DELETE CASCADE): each is named in the audit entry.
        for r in session.execute(
                select(BidRow.supplier, BidAttachmentRow.name, BidAttachmentRow.kind, BidAttachmentRow.sha256)
                .join(BidRow, BidRow.id == BidAttachmentRow.bid_id)
                .where(BidRow.tender_id == tid, BidRow.supplier.in_(removed)).order_by(BidAttachmentRow.id)):
            _change(changes, f"bids[{r.supplier}].attachments[{r.name}]",
                    {"name": r.name, "kind": r.kind, "sha256": r.sha256}, None)
    for chunk in _chunks(removed):
        session.execute(delete(BidRow).where(BidRow.tender_id == tid, BidRow.supplier.in_(chunk)))
    for k in removed:
        _change(changes, f"bids[{k}]", old_by[k], None)
    changed = [k for k, b in new_by.items() if k in old_by and old_by[k] is not b and old_by[k] != b]
    old_kept = [b.supplier for b in old.bids if b.supplier in new_by]
    new_kept = [b.supplier for b in new.bids if b.supplier in old_by]
    reordered = old_kept != new_kept
    added_any = len(new_kept) != len(new.bids)
    crit: dict[str, int] | None = None
    if changed:
        ids = _bid_ids(session, tid, changed)
        crit = _criterion_ids(session, tid)
        for k in changed:
            _write_bid(session, ids[k], old_by[k], new_by[k], crit, changes)
    if reordered or added_any:
        stored = {r.supplier: r.position for r in session.execute(
            select(BidRow.supplier, BidRow.position).where(BidRow.tender_id == tid))}
        positions = plan_positions([b.supplier for b in old.bids], stored, [b.supplier for b in new.bids])
        moved = [(k, pos) for k, pos in positions.items() if k in stored]
        if moved:
            ids = _bid_ids(session, tid, [k for k, _ in moved])
            for k, pos in moved:
                session.execute(update(BidRow).where(BidRow.id == ids[k]).values(position=pos))
        added = [(positions[b.supplier], b) for b in new.bids if b.supplier not in old_by]
        if added:
            _insert_bids(session, tid, added, crit if crit is not None else _criterion_ids(session, tid))
            for _, b in added:
                _change(changes, f"bids[{b.supplier}]", None, b)
        if reordered:
            _change(changes, "bids.order", old_kept, new_kept)


_EVALUATOR_TABLE: Table = EvaluatorScoreRow.__table__  # type: ignore[assignment]
_EVALUATOR_MATCH = and_(_EVALUATOR_TABLE.c.bid_id == bindparam("b_bid"),
                        _EVALUATOR_TABLE.c.criterion_id == bindparam("b_cid"),
                        _EVALUATOR_TABLE.c.evaluator == bindparam("b_ev"))
_EVALUATOR_DELETE = delete(_EVALUATOR_TABLE).where(_EVALUATOR_MATCH)
_EVALUATOR_UPDATE = update(_EVALUATOR_TABLE).where(_EVALUATOR_MATCH).values(
    score=bindparam("b_score", type_=ExactDecimal()), reason=bindparam("b_reason"))


def _write_bid(session: Session, bid_id: int, old: Bid, new: Bid, crit: Mapping[str, int],
               changes: list[Change]) -> None:
    where = f"bids[{new.supplier}]"
    before_values, after_values = _bid_values(old, where), _bid_values(new, where)
    values = {f: after_values[f] for f in _BID_FIELDS if before_values[f] != after_values[f]}
    if values:
        session.execute(update(BidRow).where(BidRow.id == bid_id).values(**values))
        for f in values:
            _change(changes, f"{where}.{f}", getattr(old, f), getattr(new, f))
    before_contact, after_contact = _contact_values(old), _contact_values(new)
    if before_contact != after_contact:
        session.execute(delete(BidContactRow).where(BidContactRow.bid_id == bid_id))
        if after_contact is not None:
            session.execute(insert(BidContactRow).values(bid_id=bid_id, **after_contact))
        for f in IDENTITY_FIELDS:
            if getattr(old, f) != getattr(new, f):
                _change(changes, f"{where}.{f}", getattr(old, f), getattr(new, f))
    for code in dict.fromkeys([*old.scores, *old.explanations, *new.scores, *new.explanations]):
        before = (old.scores.get(code), old.explanations.get(code))
        after = (new.scores.get(code), new.explanations.get(code))
        if before == after or (after == (None, None) and code not in crit):  # criterion removed: rows went with it
            continue
        cid = _criterion_id(crit, code, f"{where}.scores.{code}")
        match = and_(ConsensusScoreRow.bid_id == bid_id, ConsensusScoreRow.criterion_id == cid)
        if after == (None, None):
            session.execute(delete(ConsensusScoreRow).where(match))
        elif before == (None, None):
            session.execute(insert(ConsensusScoreRow).values(bid_id=bid_id, criterion_id=cid, score=after[0],
                                                             reason=after[1]))
        else:
            session.execute(update(ConsensusScoreRow).where(match).values(score=after[0], reason=after[1]))
        _change(changes, f"{where}.scores.{code}", {"score": before[0], "reason": before[1]},
                {"score": after[0], "reason": after[1]})
    if old.evaluator_scores != new.evaluator_scores or old.evaluator_reasons != new.evaluator_reasons:
        keys: dict[tuple[str, str], None] = {}
        for b in (old, new):
            for m in (b.evaluator_scores, b.evaluator_reasons):
                for code, per in m.items():
                    keys.update({(code, ev): None for ev in per})
        gone: list[dict[str, Any]] = []
        kept: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []
        for code, ev in keys:
            before = (old.evaluator_scores.get(code, {}).get(ev), old.evaluator_reasons.get(code, {}).get(ev))
            after = (new.evaluator_scores.get(code, {}).get(ev), new.evaluator_reasons.get(code, {}).get(ev))
            if before == after or (after == (None, None) and code not in crit):
                continue
            cid = _criterion_id(crit, code, f"{where}.evaluator_scores.{code}")
            row = {"b_bid": bid_id, "b_cid": cid, "b_ev": ev, "b_score": after[0], "b_reason": after[1]}
            (gone if after == (None, None) else added if before == (None, None) else kept).append(row)
            _change(changes, f"{where}.evaluator_scores.{code}.{ev}", {"score": before[0], "reason": before[1]},
                    {"score": after[0], "reason": after[1]})
        # One statement each, executed for many rows: a merged evaluator's return is thousands of marks.
        if gone:
            session.connection().execute(_EVALUATOR_DELETE, gone)
        if kept:
            session.connection().execute(_EVALUATOR_UPDATE, kept)
        if added:
            session.execute(insert(EvaluatorScoreRow), [
                {"bid_id": r["b_bid"], "criterion_id": r["b_cid"], "evaluator": r["b_ev"], "score": r["b_score"],
                 "reason": r["b_reason"]} for r in added])
    if old.commitments != new.commitments:
        session.execute(delete(CommitmentRow).where(CommitmentRow.bid_id == bid_id))
        rows = _commitment_rows(bid_id, new)
        if rows:
            session.execute(insert(CommitmentRow), rows)
        _change(changes, f"{where}.commitments", old.commitments, new.commitments)
    response_rows.write_responses(session, bid_id, old, new, crit, changes)


def _outcome_key(o: Outcome) -> tuple[str, str]:
    return (o.ask_id, o.supplier)


def _remove_outcomes(session: Session, tid: int, old: Tender, new: Tender, changes: list[Change]) -> set[Any]:
    """Delete outcomes that are gone (before bids are deleted, so their suppliers can still be found)."""
    if old.checklist == new.checklist:
        return set()
    new_keys = {_outcome_key(o) for o in new.checklist.outcomes}
    new_asks = {i.ask.id for i in new.checklist.items}
    gone = [o for o in old.checklist.outcomes if _outcome_key(o) not in new_keys]
    if gone:
        asks = _ask_ids(session, tid)
        bids = _bid_ids(session, tid, (o.supplier for o in gone))
        for o in gone:
            if o.supplier in bids and o.ask_id in asks:
                session.execute(delete(NegotiationOutcomeRow).where(
                    NegotiationOutcomeRow.ask_id == asks[o.ask_id], NegotiationOutcomeRow.bid_id == bids[o.supplier]))
            if o.ask_id in new_asks:  # outcomes of a removed ask are reported with the ask
                _change(changes, f"asks[{o.ask_id}].outcomes[{o.supplier}]", o, None)
    return {_outcome_key(o) for o in gone}


def _write_checklist(session: Session, tid: int, old: Tender, new: Tender, changes: list[Change],
                     removed_outcomes: set[Any]) -> None:
    oc, nc = old.checklist, new.checklist
    old_items = {i.ask.id: i for i in oc.items}
    new_items = {i.ask.id: i for i in nc.items}
    removed = [k for k in old_items if k not in new_items]
    if removed:
        session.execute(delete(NegotiationAskRow).where(NegotiationAskRow.tender_id == tid,
                                                        NegotiationAskRow.code.in_(removed)))
        for k in removed:
            _change(changes, f"asks[{k}]", old_items[k], None)
    stored = {r.code: (r.id, r.position) for r in session.execute(
        select(NegotiationAskRow.code, NegotiationAskRow.id, NegotiationAskRow.position)
        .where(NegotiationAskRow.tender_id == tid))}
    for k, item in new_items.items():
        before = old_items.get(k)
        if before is None or before == item:
            continue
        row_id = stored[k][0]
        values = {f: v for f, v in _ask_values(item.ask).items() if _ask_values(before.ask)[f] != v}
        if before.custom != item.custom:
            values["custom"] = item.custom
        if values:
            session.execute(update(NegotiationAskRow).where(NegotiationAskRow.id == row_id).values(**values))
        if before.ask.inputs != item.ask.inputs:
            session.execute(delete(NegotiationInputRow).where(NegotiationInputRow.ask_id == row_id))
            _insert_inputs(session, [(row_id, item.ask)])
        _change(changes, f"asks[{k}]", before, item)
    new_order = [i.ask.id for i in nc.items]
    positions = plan_positions([i.ask.id for i in oc.items], {k: v[1] for k, v in stored.items()}, new_order)
    for k, pos in positions.items():
        if k in stored:
            session.execute(update(NegotiationAskRow).where(NegotiationAskRow.id == stored[k][0]).values(position=pos))
    added = [(positions[i.ask.id], i) for i in nc.items if i.ask.id not in old_items]
    if added:
        _insert_asks(session, tid, added)
        for _, i in added:
            _change(changes, f"asks[{i.ask.id}]", None, i)
    if [i.ask.id for i in oc.items if i.ask.id in new_items] != [k for k in new_order if k in old_items]:
        _change(changes, "asks.order", [i.ask.id for i in oc.items], new_order)
    # Outcomes: new ones, changed ones, and positions within each ask.
    old_out = {_outcome_key(o): o for o in oc.outcomes if _outcome_key(o) not in removed_outcomes}
    new_out = {_outcome_key(o): o for o in nc.outcomes}
    fresh = {k for k in new_out if k not in old_out}
    changed = [k for k in new_out if k in old_out and old_out[k] != new_out[k]]
    old_pos, new_pos = _group_positions(oc), _group_positions(nc)
    moved = [k for k in new_out if k in old_out and old_pos.get(k) != new_pos[k]]
    if changed or moved:
        asks = _ask_ids(session, tid)
        bids = _bid_ids(session, tid, (supplier for _, supplier in [*changed, *moved]))
        rows = {key: session.execute(select(NegotiationOutcomeRow.id).where(
            NegotiationOutcomeRow.ask_id == asks[key[0]], NegotiationOutcomeRow.bid_id == bids[key[1]])).scalar_one()
            for key in dict.fromkeys([*changed, *moved])}
        for key in moved:
            session.execute(update(NegotiationOutcomeRow).where(NegotiationOutcomeRow.id == rows[key])
                            .values(position=new_pos[key]))
        for key in changed:
            _write_outcome(session, rows[key], old_out[key], new_out[key], changes)
    if fresh:
        _insert_outcomes(session, tid, nc, fresh)
        for key in sorted(fresh):
            _change(changes, f"asks[{key[0]}].outcomes[{key[1]}]", None, new_out[key])


def _write_outcome(session: Session, row_id: int, old: Outcome, new: Outcome, changes: list[Change]) -> None:
    before, after = _outcome_values(old), _outcome_values(new)
    values = {f: after[f] for f in _OUTCOME_FIELDS if before[f] != after[f]}
    if values:
        session.execute(update(NegotiationOutcomeRow).where(NegotiationOutcomeRow.id == row_id).values(**values))
    if old.inputs != new.inputs:
        session.execute(delete(NegotiationOutcomeInputRow).where(NegotiationOutcomeInputRow.outcome_id == row_id))
        rows = [{"outcome_id": row_id, "name": k, "value": v} for k, v in new.inputs.items()]
        if rows:
            session.execute(insert(NegotiationOutcomeInputRow), rows)
    if old.history != new.history:
        n = len(old.history)
        if new.history[:n] == old.history:  # the usual case: one more step
            _insert_outcome_details(session, [(row_id, Outcome(new.ask_id, new.supplier, history=new.history))],
                                    history_from=n)
        else:
            session.execute(delete(NegotiationStatusChangeRow).where(NegotiationStatusChangeRow.outcome_id == row_id))
            _insert_outcome_details(session, [(row_id, Outcome(new.ask_id, new.supplier, history=new.history))])
    _change(changes, f"asks[{new.ask_id}].outcomes[{new.supplier}]",
            {f: getattr(old, f) for f in (*_OUTCOME_FIELDS, "inputs") if getattr(old, f) != getattr(new, f)},
            {f: getattr(new, f) for f in (*_OUTCOME_FIELDS, "inputs") if getattr(old, f) != getattr(new, f)})


def delete_tender(session: Session, tid: int) -> None:
    """Delete a tender and everything in it (the audit log keeps its history)."""
    session.execute(delete(TenderRow).where(TenderRow.id == tid))


def touch(session: Session, stored: Stored, now: datetime) -> bool:
    """Bump the version if it is still ``stored.version`` (optimistic concurrency); False when it changed."""
    result = session.execute(
        update(TenderRow).where(TenderRow.id == stored.id, TenderRow.version == stored.version)
        .values(version=stored.version + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    return bool(getattr(result, "rowcount", 0) == 1)


def now_utc() -> datetime:
    """The current moment in UTC."""
    return datetime.now(UTC)
