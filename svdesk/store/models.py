"""The database tables, as SQLAlchemy 2 typed ORM classes.

One row class per table; rows become domain values in :mod:`svdesk.store.mapping`, never outside the
store. The schema itself is owned by the Alembic migrations in ``svdesk/store/migrations``; these classes
must describe exactly what the migrations build (a test compares them).

Layout (every table STRICT on SQLite):

- ``tender``: one row per tender with its details and a ``version`` for optimistic concurrency.
- ``key_date``: the tender's named dates.
- ``criterion`` → ``descriptor``: the evaluation model, in order (``position``).
- ``bid``: one per supplier and tender. The supplier's details (SME, VCSE, locality, address) are kept as
  stated in that bid, so an awarded tender's papers never change when the same company bids again.
- ``consensus_score`` and ``evaluator_score``: raw marks with their reasons (either may be absent).
- ``commitment``: a bid's social-value commitments.
- ``negotiation_ask`` → ``negotiation_input``; ``negotiation_outcome`` (per ask and bid) →
  ``negotiation_outcome_input``, ``negotiation_status_change``: the negotiation checklist. Not frozen by
  award: follow-up dates and notes are kept up during the contract.
- ``bid_response``: each bid's answers to the quality and social-value questions.
- ``panel_member`` (with the member's declaration of interest and pack/return record) and
  ``panel_proceed``: the evaluation panel (:mod:`svdesk.store.panel_rows`). Not frozen by award: a
  declaration made late must still be recorded.
- ``bid_attachment``: files attached to a bid (revision 0011), with their bytes; ``response`` files travel in
  evaluator packs, ``pricing`` ones never do. Frozen by award (triggers), like the bid.
- ``audit_log``: append-only, SHA-256 chained (:mod:`svdesk.store.audit`).
- ``council_setting``: the council-wide settings, one row per key (:mod:`svdesk.domain.council`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, MetaData, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from svdesk.store.types import Day, ExactDecimal, Flag, Pence, UtcTime

#: Constraint names are fixed so that Alembic batch migrations can find them on every database.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Statuses whose evaluation is frozen (the committee has seen it).
FROZEN_STATUSES = ("awarded", "closed")

STRICT = {"sqlite_strict": True}


class Base(DeclarativeBase):
    """Declarative base holding svdesk's metadata."""

    metadata = MetaData(naming_convention=NAMING)


class TenderRow(Base):
    """A tender's details."""

    __tablename__ = "tender"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'negotiation', 'evaluation', 'awarded', 'closed', 'cancelled')", name="status"
        ),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("annual_value IS NULL OR annual_value >= 0", name="annual_value"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    annual_value: Mapped[Decimal | None] = mapped_column(Pence)
    term_years: Mapped[int] = mapped_column(Integer)
    extension_years: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    buyer: Mapped[str] = mapped_column(Text)
    officer: Mapped[str] = mapped_column(Text)
    tie_break: Mapped[str] = mapped_column(Text)
    notice_id: Mapped[str] = mapped_column(Text, server_default="")
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    updated_at: Mapped[datetime] = mapped_column(UtcTime)


class KeyDateRow(Base):
    """One named date of a tender (bids due, award decision, …)."""

    __tablename__ = "key_date"
    __table_args__ = (STRICT,)

    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(Text, primary_key=True)
    day: Mapped[date] = mapped_column(Day)


class ReportTextRow(Base):
    """One section the officer wrote for a tender's committee report (revision 0008); not frozen by an award."""

    __tablename__ = "report_text"
    __table_args__ = (STRICT,)

    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(Text, primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class CriterionRow(Base):
    """One award criterion. ``code`` is the criterion id the officer sees (``price``, ``q1``)."""

    __tablename__ = "criterion"
    __table_args__ = (
        UniqueConstraint("tender_id", "code"),
        CheckConstraint("kind IN ('price', 'quality', 'social_value', 'commitments')", name="kind"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(ExactDecimal)
    scale_max: Mapped[Decimal] = mapped_column(ExactDecimal)
    threshold: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    method: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)


class DescriptorRow(Base):
    """What a mark on a criterion's scale means."""

    __tablename__ = "descriptor"
    __table_args__ = (STRICT,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    score: Mapped[Decimal] = mapped_column(ExactDecimal)
    text: Mapped[str] = mapped_column(Text)


class BidRow(Base):
    """A supplier's bid for a tender. ``supplier_key`` (case-folded name) keeps names unique per tender."""

    __tablename__ = "bid"
    __table_args__ = (
        UniqueConstraint("tender_id", "supplier_key"),
        CheckConstraint("price IS NULL OR price >= 0", name="price"),
        CheckConstraint("excluded IN (0, 1) AND sme IN (0, 1) AND vcse IN (0, 1)", name="flags"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    supplier: Mapped[str] = mapped_column(Text)
    supplier_key: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal | None] = mapped_column(Pence)
    sme: Mapped[bool] = mapped_column(Flag)
    vcse: Mapped[bool] = mapped_column(Flag)
    locality: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str] = mapped_column(Text)
    excluded: Mapped[bool] = mapped_column(Flag)
    exclusion_reason: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)


class BidContactRow(Base):
    """Who a bidder is and how to reach it: email address and identifiers (revision 0004).

    Kept apart from :class:`BidRow` on purpose: they are not part of the evaluation, so they are not frozen
    by an award (the assessment summaries are sent after the decision, and a mistyped address must be
    correctable). One row per bid that has any of them.
    """

    __tablename__ = "bid_contact"
    __table_args__ = (STRICT,)

    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(Text)
    cdp_id: Mapped[str] = mapped_column(Text)
    companies_house: Mapped[str] = mapped_column(Text)
    charity_number: Mapped[str] = mapped_column(Text)


class PublicationRow(Base):
    """What a tender's notices need beyond the evaluation, as one JSON document (revision 0006).

    Not frozen by an award: the ocid and party ids are assigned when an awarded tender is first exported.
    """

    __tablename__ = "tender_publication"
    __table_args__ = (STRICT,)

    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[str] = mapped_column(Text)


class ConsensusScoreRow(Base):
    """The moderated mark for one bid and criterion, with its reason (either may be absent)."""

    __tablename__ = "consensus_score"
    __table_args__ = (UniqueConstraint("bid_id", "criterion_id"), STRICT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), index=True)
    score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    reason: Mapped[str | None] = mapped_column(Text)


class EvaluatorScoreRow(Base):
    """One evaluator's mark for one bid and criterion, with the evaluator's reason."""

    __tablename__ = "evaluator_score"
    __table_args__ = (UniqueConstraint("bid_id", "criterion_id", "evaluator"), STRICT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), index=True)
    evaluator: Mapped[str] = mapped_column(Text)
    score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    reason: Mapped[str | None] = mapped_column(Text)


class CommitmentRow(Base):
    """A social-value commitment in a bid (``quantity × unit_value`` pounds)."""

    __tablename__ = "commitment"
    __table_args__ = (CheckConstraint("unit_value >= 0", name="unit_value"), STRICT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    measure: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal)
    unit_value: Mapped[Decimal] = mapped_column(Pence)
    description: Mapped[str] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(Text)
    locality: Mapped[str | None] = mapped_column(Text)
    from_ask: Mapped[str | None] = mapped_column(Text)


class NegotiationAskRow(Base):
    """An ask on a tender's negotiation checklist: the tender's own copy of a library ask."""

    __tablename__ = "negotiation_ask"
    __table_args__ = (UniqueConstraint("tender_id", "code"), STRICT)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(Text)
    custom: Mapped[bool] = mapped_column(Flag)
    title: Mapped[str] = mapped_column(Text)
    theme: Mapped[str] = mapped_column(Text)
    categories: Mapped[str] = mapped_column(Text)  # comma-separated category ids (ids cannot hold commas)
    question: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    formula: Mapped[str] = mapped_column(Text)
    how_to_value: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(Text)
    kpi: Mapped[str] = mapped_column(Text)
    reporting: Mapped[str] = mapped_column(Text)


class NegotiationInputRow(Base):
    """A named number an ask's valuation formula uses."""

    __tablename__ = "negotiation_input"
    __table_args__ = (STRICT,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ask_id: Mapped[int] = mapped_column(ForeignKey("negotiation_ask.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    default_value: Mapped[Decimal | None] = mapped_column(ExactDecimal)


class NegotiationOutcomeRow(Base):
    """What one supplier (bid) said to one ask. ``position`` orders outcomes within their ask."""

    __tablename__ = "negotiation_outcome"
    __table_args__ = (
        UniqueConstraint("ask_id", "bid_id"),
        CheckConstraint("cost_to_council >= 0 AND (value_entered IS NULL OR value_entered >= 0)", name="money"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ask_id: Mapped[int] = mapped_column(ForeignKey("negotiation_ask.id", ondelete="CASCADE"))
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text)
    offer: Mapped[str] = mapped_column(Text)
    value_entered: Mapped[Decimal | None] = mapped_column(Pence)
    beneficiaries: Mapped[int | None] = mapped_column(Integer)
    cost_to_council: Mapped[Decimal] = mapped_column(Pence)
    delivered_by: Mapped[str] = mapped_column(Text)
    partner: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[date | None] = mapped_column(Day)
    notes: Mapped[str] = mapped_column(Text)


class NegotiationOutcomeInputRow(Base):
    """A valuation input the officer entered for one outcome."""

    __tablename__ = "negotiation_outcome_input"
    __table_args__ = (STRICT,)

    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation_outcome.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[Decimal] = mapped_column(ExactDecimal)


class NegotiationStatusChangeRow(Base):
    """One step of an outcome's status history, oldest first (``position``)."""

    __tablename__ = "negotiation_status_change"
    __table_args__ = (STRICT,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("negotiation_outcome.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Day)
    old_status: Mapped[str] = mapped_column(Text)
    new_status: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)


class BidResponseRow(Base):
    """A bidder's answer to one quality or social-value question (what evaluators read in their packs)."""

    __tablename__ = "bid_response"
    __table_args__ = (STRICT,)

    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), primary_key=True,
                                              index=True)
    text: Mapped[str] = mapped_column(Text)


class PanelMemberRow(Base):
    """A member of a tender's evaluation panel, their declaration of interest and their pack and return.

    The declaration is present when ``declared_on`` is set; ``bidders`` is a JSON array of supplier names.
    """

    __tablename__ = "panel_member"
    __table_args__ = (
        UniqueConstraint("tender_id", "initials_key"),
        CheckConstraint("role IN ('evaluator', 'officer')", name="role"),
        CheckConstraint("mitigation IN ('none', 'does_not_mark', 'other')", name="mitigation"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    initials: Mapped[str] = mapped_column(Text)
    initials_key: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    declared_on: Mapped[date | None] = mapped_column(Day)
    conflict: Mapped[bool] = mapped_column(Flag)
    details: Mapped[str] = mapped_column(Text)
    bidders: Mapped[str] = mapped_column(Text)
    mitigation: Mapped[str] = mapped_column(Text)
    mitigation_text: Mapped[str] = mapped_column(Text)
    pack_sent: Mapped[datetime | None] = mapped_column(UtcTime)
    pack_sha256: Mapped[str] = mapped_column(Text)
    returned: Mapped[datetime | None] = mapped_column(UtcTime)
    return_sha256: Mapped[str] = mapped_column(Text)


class PanelProceedRow(Base):
    """Why the officer went on to moderation before every evaluator's return came in."""

    __tablename__ = "panel_proceed"
    __table_args__ = (STRICT,)

    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)


class BidAttachmentRow(Base):
    """A file attached to a bid (revision 0011): its name as the officer's file had it, kind, bytes and SHA-256.

    The bytes are read only on demand (:meth:`svdesk.store.api.Database.attachment_bytes`), never with the
    tender. ``name_key`` (case-folded name) and the SHA-256 are unique per bid.
    """

    __tablename__ = "bid_attachment"
    __table_args__ = (
        UniqueConstraint("bid_id", "name_key"),
        UniqueConstraint("bid_id", "sha256"),
        CheckConstraint("kind IN ('response', 'pricing')", name="kind"),
        CheckConstraint("size > 0", name="size"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    criterion: Mapped[str | None] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(Text)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UtcTime)


class AuditRow(Base):
    """One entry of the append-only audit log (UPDATE and DELETE are refused by triggers)."""

    __tablename__ = "audit_log"
    __table_args__ = (STRICT,)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcTime)
    who: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    tender: Mapped[str | None] = mapped_column(Text, index=True)
    payload: Mapped[str] = mapped_column(Text)
    payload_sha256: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(Text, unique=True)


class CouncilSettingRow(Base):
    """One council-wide setting (revision 0009): its key (``council.name`` …) and its checked text."""

    __tablename__ = "council_setting"
    __table_args__ = (STRICT,)

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = [
    "FROZEN_STATUSES",
    "AuditRow",
    "Base",
    "BidAttachmentRow",
    "BidContactRow",
    "BidResponseRow",
    "BidRow",
    "CommitmentRow",
    "ConsensusScoreRow",
    "CouncilSettingRow",
    "CriterionRow",
    "DescriptorRow",
    "EvaluatorScoreRow",
    "KeyDateRow",
    "NegotiationAskRow",
    "NegotiationInputRow",
    "NegotiationOutcomeInputRow",
    "NegotiationOutcomeRow",
    "NegotiationStatusChangeRow",
    "PanelMemberRow",
    "PanelProceedRow",
    "PublicationRow",
    "ReportTextRow",
    "TenderRow",
]
