"""The tender and everything inside it: criteria, bids, scores and social-value commitments.

All values are frozen dataclasses holding ``Decimal`` numbers. Edits are pure functions that validate their
input and return a new value; an invalid edit raises :class:`~svdesk.errors.ValidationError` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from svdesk.domain.attachments import Attachment
from svdesk.domain.checklist import Checklist, check_checklist, drop_supplier
from svdesk.domain.limits import MAX_BIDS, MAX_CRITERIA
from svdesk.domain.members import Panel, check_mark_allowed, check_members
from svdesk.domain.money import MAX_MONEY
from svdesk.domain.price import PriceMethod as PriceMethod  # re-exported: a criterion names its formula
from svdesk.domain.publication import Publication, check_publication
from svdesk.domain.report_texts import SECTION_TITLES as REPORT_SECTION_TITLES
from svdesk.domain.report_texts import ReportTexts, check_report_texts
from svdesk.domain.text import excerpt, lookalike_key
from svdesk.domain.values import Commitment, Locality, check_text
from svdesk.errors import ValidationError

REFERENCE_MAX = 60
RESPONSE_MAX = 100_000      # a bidder's answer to one question, pasted in whole


class TenderStatus(StrEnum):
    """Where a tender is in its life."""

    DRAFT = "draft"
    NEGOTIATION = "negotiation"
    EVALUATION = "evaluation"
    AWARDED = "awarded"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The status as an officer reads it."""
        return self.value.capitalize()


#: Allowed moves. Going back one step is allowed before award (an officer reopens negotiation);
#: an awarded tender can only be closed, so its scores stay as the committee saw them.
TRANSITIONS: Mapping[TenderStatus, frozenset[TenderStatus]] = MappingProxyType(
    {
        TenderStatus.DRAFT: frozenset({TenderStatus.NEGOTIATION, TenderStatus.EVALUATION, TenderStatus.CANCELLED}),
        TenderStatus.NEGOTIATION: frozenset(
            {TenderStatus.DRAFT, TenderStatus.EVALUATION, TenderStatus.CANCELLED}
        ),
        TenderStatus.EVALUATION: frozenset(
            {TenderStatus.NEGOTIATION, TenderStatus.AWARDED, TenderStatus.CANCELLED}
        ),
        TenderStatus.AWARDED: frozenset({TenderStatus.CLOSED}),
        TenderStatus.CLOSED: frozenset(),
        TenderStatus.CANCELLED: frozenset({TenderStatus.DRAFT}),
    }
)


class CriterionKind(StrEnum):
    """What a criterion measures, which decides how it is scored."""

    PRICE = "price"
    QUALITY = "quality"
    SOCIAL_VALUE = "social_value"
    COMMITMENTS = "commitments"

    @property
    def label(self) -> str:
        """The kind as an officer reads it."""
        return {
            "price": "Price",
            "quality": "Quality",
            "social_value": "Social value (qualitative)",
            "commitments": "Social value commitments (£)",
        }[self.value]


class CommitmentMethod(StrEnum):
    """How monetised social-value commitments are scored."""

    HIGHEST_VALUE = "highest_value"


class CommitmentScope(StrEnum):
    """Which commitments a commitments criterion counts."""

    ALL = "all"
    LOCAL = "local"


class TieBreak(StrEnum):
    """How equal totals are separated, if at all."""

    NONE = "none"
    QUALITY = "quality"
    PRICE = "price"


#: Named key dates a tender can carry, in the order they happen, with their labels.
KEY_DATES: Mapping[str, str] = MappingProxyType(
    {
        "published": "Notice published",
        "clarification_deadline": "Clarification questions close",
        "bids_due": "Bids due",
        "evaluation_complete": "Evaluation complete",
        "award_decision": "Award decision",
        "assessment_summaries_sent": "Assessment summaries sent",
        "award_notice": "Contract award notice (UK6) published",
        "standstill_end": "Standstill ends",
        "contract_signed": "Contract entered into",
        "contract_details_notice": "Contract details notice (UK7) published",
        "contract_start": "Contract starts",
        "contract_end": "Contract ends",
    }
)

SCALE_PRESETS: Mapping[int, tuple[tuple[int, str], ...]] = MappingProxyType(
    {
        4: (
            (0, "Unacceptable: no answer, or fails to meet the requirement"),
            (1, "Poor: meets few requirements, with major doubts"),
            (2, "Acceptable: meets most requirements, some doubts"),
            (3, "Good: meets all requirements with minor doubts"),
            (4, "Excellent: exceeds requirements, fully evidenced"),
        ),
        5: (
            (0, "No answer, or wholly unacceptable"),
            (1, "Very poor: significant gaps, little evidence"),
            (2, "Poor: meets some requirements, weak evidence"),
            (3, "Satisfactory: meets the requirements"),
            (4, "Good: meets all requirements, well evidenced"),
            (5, "Excellent: exceeds requirements, fully evidenced, added value"),
        ),
        10: tuple((i, f"{i} of 10") for i in range(11)),
        100: ((0, "Nothing of value"), (50, "Meets the requirement"), (100, "Exceptional")),
    }
)


@dataclass(frozen=True)
class Descriptor:
    """What a raw score on a criterion's scale means."""

    score: Decimal
    text: str


@dataclass(frozen=True)
class Criterion:
    """One award criterion with its weight (percentage points of the total)."""

    id: str
    name: str
    kind: CriterionKind
    weight: Decimal
    scale_max: Decimal = Decimal(5)
    threshold: Decimal | None = None
    method: str | None = None
    descriptors: tuple[Descriptor, ...] = ()
    scope: CommitmentScope = CommitmentScope.ALL
    description: str = ""

    @property
    def is_assessed(self) -> bool:
        """Scored by evaluators' judgement (quality or qualitative social value)."""
        return self.kind in (CriterionKind.QUALITY, CriterionKind.SOCIAL_VALUE)

    @property
    def price_method(self) -> PriceMethod:
        """The price formula (price criteria only; ``lowest_price`` when not set)."""
        return PriceMethod(self.method or PriceMethod.LOWEST_PRICE)


def _frozen_map(m: Mapping[str, object] | None = None) -> Mapping[str, object]:
    return MappingProxyType(dict(m or {}))


@dataclass(frozen=True)
class Bid:
    """A supplier's bid: price, scores (consensus and per evaluator) and commitments.

    ``scores`` are the moderated (consensus) raw scores by criterion id and ``explanations`` their
    reasons; ``evaluator_scores[criterion][evaluator]`` are individual marks, with reasons in
    ``evaluator_reasons``. ``notes`` are the officer's private notes: never printed.
    """

    supplier: str
    price: Decimal | None = None
    sme: bool = False
    vcse: bool = False
    locality: Locality | None = None
    address: str = ""
    scores: Mapping[str, Decimal] = field(default_factory=dict)
    explanations: Mapping[str, str] = field(default_factory=dict)
    evaluator_scores: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    evaluator_reasons: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    commitments: tuple[Commitment, ...] = ()
    excluded: bool = False
    exclusion_reason: str = ""
    notes: str = ""
    #: How the council reaches the supplier (reg. 31(2)(b) of the Procurement Regulations 2024).
    email: str = ""
    #: The supplier's unique identifier on the central digital platform (its PPON, e.g. ``PABC-1234-DEFG``).
    cdp_id: str = ""
    companies_house: str = ""
    charity_number: str = ""
    #: The bidder's answer to each quality or social-value question (criterion id → text), as the officer
    #: entered or pasted it: what the evaluators read in their packs.
    responses: Mapping[str, str] = field(default_factory=dict)

    def commitments_value(self, scope: CommitmentScope = CommitmentScope.ALL) -> Decimal:
        """Σ quantity × unit value, of all commitments or only those landing locally."""
        return sum(
            (
                c.value
                for c in self.commitments
                if scope is CommitmentScope.ALL or c.locality is Locality.LOCAL
            ),
            Decimal(0),
        )


@dataclass(frozen=True)
class Tender:
    """A contract being bought: its details, evaluation model, bids and negotiation checklist."""

    reference: str
    title: str
    category: str = "any"
    status: TenderStatus = TenderStatus.DRAFT
    annual_value: Decimal | None = None
    term_years: int = 1
    extension_years: int = 0
    description: str = ""
    buyer: str = ""
    officer: str = ""
    key_dates: Mapping[str, date] = field(default_factory=dict)
    criteria: tuple[Criterion, ...] = ()
    bids: tuple[Bid, ...] = ()
    tie_break: TieBreak = TieBreak.NONE
    checklist: Checklist = field(default_factory=Checklist)
    #: The tender notice (or tender documents) reference the papers name, e.g. a Find a Tender notice id.
    notice_id: str = ""
    #: What the officer wrote for the committee report (purpose, background, implications …).
    report: ReportTexts = field(default_factory=ReportTexts)
    panel: Panel = field(default_factory=Panel)
    #: What the notices need beyond the evaluation (ocid, party ids, CPV codes, lots, buyer's details…).
    publication: Publication = field(default_factory=Publication)
    #: The files attached to the bids, metadata only (:mod:`svdesk.domain.attachments`). Added and removed
    #: through their own audited store calls, never by saving the tender, so they take no part in comparing
    #: two tenders (an edit, its undo and the conflict check look at what a save writes).
    attachments: tuple[Attachment, ...] = field(default=(), compare=False)

    def criterion(self, cid: str) -> Criterion:
        """The criterion with this id.

        Raises:
            ValidationError: no such criterion.
        """
        for c in self.criteria:
            if c.id == cid:
                return c
        raise ValidationError("criteria", f"there is no criterion {cid!r}")

    def attachments_of(self, supplier: str) -> tuple[Attachment, ...]:
        """The files attached to this supplier's bid, in the order they were added."""
        return tuple(a for a in self.attachments if a.supplier == supplier)

    def bid(self, supplier: str) -> Bid:
        """The bid from this supplier.

        Raises:
            ValidationError: no such bid.
        """
        for b in self.bids:
            if b.supplier == supplier:
                return b
        key = " ".join(supplier.split()).casefold()
        near = next((b.supplier for b in self.bids if " ".join(b.supplier.split()).casefold() == key), None)
        if near is not None:
            raise ValidationError("bids", f"there is no bid from {supplier!r}: did you mean {near!r}?")
        names = [b.supplier for b in self.bids]
        shown = ", ".join(repr(n) for n in names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        raise ValidationError("bids", f"there is no bid from {supplier!r}" + (f"; the bids are from {shown}"
                                                                              if names else "; it has no bids yet"))

    @property
    def weight_total(self) -> Decimal:
        """The sum of all criteria weights (must be 100 to score)."""
        return sum((c.weight for c in self.criteria), Decimal(0))

    @property
    def whole_life_value(self) -> Decimal | None:
        """Annual value × (term + extensions), the contract's maximum value."""
        if self.annual_value is None:
            return None
        return self.annual_value * (self.term_years + self.extension_years)


# ---------------------------------------------------------------------------------------------------------
# Validation of single values
# ---------------------------------------------------------------------------------------------------------


def check_weight(weight: Decimal, field: str = "weight") -> Decimal:
    """A weight is 0–100 percentage points."""
    if not weight.is_finite() or not Decimal(0) <= weight <= Decimal(100):
        raise ValidationError(field, f"must be between 0 and 100 (got {weight})")
    return weight


def check_raw_score(c: Criterion, value: Decimal, field: str = "score") -> Decimal:
    """A raw score must lie on the criterion's scale, 0 to ``scale_max``."""
    if not c.is_assessed:
        raise ValidationError(field, f"{c.name} is a {c.kind.label} criterion and takes no marks")
    if not value.is_finite() or value < 0 or value > c.scale_max:
        raise ValidationError(field, f"must be between 0 and {c.scale_max} for {c.name} (got {value})")
    return value


def check_price(price: Decimal | None, field: str = "price") -> Decimal | None:
    """A price is not negative, finite and at most 2 dp (a zero price is allowed but flagged when scored)."""
    if price is None:
        return None
    if not price.is_finite() or price < 0:
        raise ValidationError(field, f"must be zero or more (got {price})")
    if price > MAX_MONEY:
        raise ValidationError(field, f"is too large (got {price})")
    if price != price.quantize(Decimal("0.01")):
        raise ValidationError(field, f"has more than 2 decimal places (got {price})")
    return price


def check_criterion(c: Criterion, field: str = "criterion") -> Criterion:
    """Validate one criterion on its own."""
    if not c.id or not c.id.replace("-", "").replace("_", "").isalnum() or len(c.id) > 40:
        raise ValidationError(f"{field}.id", f"{c.id!r} must be letters, digits, - or _ (at most 40)")
    check_text(c.name, f"{field}.name", required=True, limit=200, one_line=True)
    check_weight(c.weight, f"{field}.weight")
    if not c.scale_max.is_finite() or c.scale_max <= 0:
        raise ValidationError(f"{field}.scale_max", f"must be more than 0 (got {c.scale_max})")
    if c.threshold is not None and (c.threshold < 0 or c.threshold > c.scale_max):
        raise ValidationError(f"{field}.threshold", f"must be between 0 and {c.scale_max} (got {c.threshold})")
    if c.kind is CriterionKind.PRICE:
        if c.method is not None and c.method not in {m.value for m in PriceMethod}:
            names = ", ".join(m.value for m in PriceMethod)
            raise ValidationError(f"{field}.method", f"unknown price method {c.method!r} (use one of {names})")
    elif c.kind is CriterionKind.COMMITMENTS:
        if c.method is not None and c.method != CommitmentMethod.HIGHEST_VALUE:
            raise ValidationError(f"{field}.method", f"unknown commitments method {c.method!r} (use highest_value)")
    elif c.method is not None:
        raise ValidationError(f"{field}.method", f"a {c.kind.value} criterion takes no method")
    for i, d in enumerate(c.descriptors):
        if d.score < 0 or d.score > c.scale_max:
            raise ValidationError(f"{field}.descriptors[{i}].score", f"must be between 0 and {c.scale_max}")
    return c


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CDP_ID = re.compile(r"[A-Z0-9][A-Z0-9-]{0,39}")
_COMPANY = re.compile(r"[A-Z0-9]{2}[0-9]{6}")
_CHARITY = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")
#: Bid fields that say who the supplier is (checked by :func:`check_supplier_identity`).
IDENTITY_FIELDS = ("email", "cdp_id", "companies_house", "charity_number")


def normalise_identity(name: str, value: str, field: str) -> str:
    """Tidy one identity field (spaces stripped, identifiers upper-cased) and check its shape.

    Raises:
        ValidationError: the value cannot be an email address, PPON, company or charity number.
    """
    text = check_text(value, field, limit=254)
    if not text:
        return ""
    if "\n" in text:
        raise ValidationError(field, "must be on one line")
    if name == "email":
        if not _EMAIL.fullmatch(text):
            raise ValidationError(field, f"{text[:60]!r} is not an email address (name@example.org)")
        return text
    compact = text.replace(" ", "").upper()
    if name == "cdp_id" and not _CDP_ID.fullmatch(compact):
        raise ValidationError(field, f"{text[:60]!r} is not a central digital platform identifier "
                                     "(letters, digits and hyphens, e.g. PABC-1234-DEFG)")
    if name == "companies_house" and not _COMPANY.fullmatch(compact):
        raise ValidationError(field, f"{text[:60]!r} is not a Companies House number (8 characters, e.g. "
                                     "01234567 or SC123456)")
    if name == "charity_number" and not _CHARITY.fullmatch(compact):
        raise ValidationError(field, f"{text[:60]!r} is not a charity number (e.g. 1234567 or SC012345)")
    return compact


def check_supplier_identity(b: Bid, where: str) -> None:
    """The bid's email address and identifiers are empty or well formed (and already tidied)."""
    for name in IDENTITY_FIELDS:
        value = getattr(b, name)
        tidy = normalise_identity(name, value, f"{where}.{name}")
        if tidy != value:
            raise ValidationError(f"{where}.{name}", f"must be written as {tidy!r}")


def evaluated_part(b: Bid) -> Bid:
    """The bid without its email address and identifiers: what an award freezes."""
    return replace(b, email="", cdp_id="", companies_house="", charity_number="")


def with_identity(b: Bid) -> Bid:
    """The bid with its identity fields tidied by :func:`normalise_identity`."""
    return replace(
        b, email=normalise_identity("email", b.email, "email"), cdp_id=normalise_identity("cdp_id", b.cdp_id, "cdp_id"),
        companies_house=normalise_identity("companies_house", b.companies_house, "companies_house"),
        charity_number=normalise_identity("charity_number", b.charity_number, "charity_number"))


def check_tender(t: Tender) -> Tender:
    """Validate a whole tender: details, criteria, bids and their scores against the criteria.

    Weights need not total 100 here (a draft is allowed to be incomplete); scoring checks that.
    """
    check_text(t.reference, "reference", required=True, limit=REFERENCE_MAX, one_line=True)
    check_text(t.title, "title", required=True, limit=500, one_line=True)
    for name in ("category", "description", "buyer", "officer"):
        check_text(getattr(t, name), name)
    check_text(t.notice_id, "notice_id", limit=200)
    check_report_texts(t.report)
    check_publication(t.publication)
    if t.annual_value is not None and (t.annual_value < 0 or not t.annual_value.is_finite()):
        raise ValidationError("annual_value", f"must not be negative (got {t.annual_value})")
    if not 0 < t.term_years <= 50:
        raise ValidationError("term_years", f"must be between 1 and 50 (got {t.term_years})")
    if not 0 <= t.extension_years <= 50:
        raise ValidationError("extension_years", f"must be between 0 and 50 (got {t.extension_years})")
    for k in t.key_dates:
        if k not in KEY_DATES:
            raise ValidationError(f"key_dates.{k}", f"unknown date (use one of {', '.join(KEY_DATES)})")
    if len(t.criteria) > MAX_CRITERIA:
        raise ValidationError("criteria", f"{len(t.criteria):,} criteria; a tender has at most {MAX_CRITERIA}")
    if len(t.bids) > MAX_BIDS:
        raise ValidationError("bids", f"{len(t.bids):,} bids; a tender has at most {MAX_BIDS}")
    ids: set[str] = set()
    for i, c in enumerate(t.criteria):
        check_criterion(c, f"criteria[{i}]")
        check_text(c.description, f"criteria[{i}].description")
        for j, d in enumerate(c.descriptors):
            check_text(d.text, f"criteria[{i}].descriptors[{j}].text", limit=1000)
        if c.id in ids:
            raise ValidationError(f"criteria[{i}].id", f"{c.id!r} is used twice")
        ids.add(c.id)
    by_id = {c.id: c for c in t.criteria}
    names: dict[str, int] = {}
    for i, b in enumerate(t.bids):
        where = f"bids[{i}]"
        check_text(b.supplier, f"{where}.supplier", required=True, limit=300, one_line=True)
        key = lookalike_key(b.supplier)
        if key in names:
            j = names[key]
            same = b.supplier.casefold() == t.bids[j].supplier.casefold()
            raise ValidationError(f"{where}.supplier", f"{excerpt(b.supplier)} has two bids (bids[{j}] is the same "
                                  f"supplier)" if same else f"{excerpt(b.supplier)} looks the same as bids[{j}]."
                                  f"supplier {excerpt(t.bids[j].supplier)} once case, letter forms and invisible "
                                  f"characters are ignored: two suppliers must be told apart on paper")
        names[key] = i
        check_price(b.price, f"{where}.price")
        for name in ("address", "exclusion_reason", "notes"):
            check_text(getattr(b, name), f"{where}.{name}")
        check_supplier_identity(b, where)
        for cid, v in b.scores.items():
            if cid not in by_id:
                raise ValidationError(f"{where}.scores.{cid}", "no criterion has this id")
            check_raw_score(by_id[cid], v, f"{where}.scores.{cid}")
        for cid, text in b.explanations.items():
            if cid not in by_id:
                raise ValidationError(f"{where}.explanations.{cid}", "no criterion has this id")
            check_text(text, f"{where}.explanations.{cid}")
        for cid, reasons in b.evaluator_reasons.items():
            if cid not in by_id:
                raise ValidationError(f"{where}.evaluator_reasons.{cid}", "no criterion has this id")
            for ev, text in reasons.items():
                check_text(text, f"{where}.evaluator_reasons.{cid}.{ev}")
        for cid, marks in b.evaluator_scores.items():
            if cid not in by_id:
                raise ValidationError(f"{where}.evaluator_scores.{cid}", "no criterion has this id")
            for ev, v in marks.items():
                check_text(ev, f"{where}.evaluator_scores.{cid}", required=True, limit=100, one_line=True)
                check_raw_score(by_id[cid], v, f"{where}.evaluator_scores.{cid}.{ev}")
        for j, cm in enumerate(b.commitments):
            if not cm.quantity.is_finite() or cm.quantity < 0:
                raise ValidationError(f"{where}.commitments[{j}].quantity", f"must not be negative ({cm.quantity})")
            if not cm.unit_value.is_finite() or cm.unit_value < 0 or cm.unit_value > MAX_MONEY:
                raise ValidationError(
                    f"{where}.commitments[{j}].unit_value", f"must be zero or more (got {cm.unit_value})"
                )
            if cm.value > MAX_MONEY:
                raise ValidationError(
                    f"{where}.commitments[{j}].quantity",
                    f"makes the commitment worth more than £1 trillion ({cm.quantity} × £{cm.unit_value})",
                )
            for name in ("measure", "description"):
                check_text(getattr(cm, name), f"{where}.commitments[{j}].{name}", limit=1000)
        for cid, text in b.responses.items():
            if cid not in by_id:
                raise ValidationError(f"{where}.responses.{cid}", "no criterion has this id")
            check_text(text, f"{where}.responses.{cid}", limit=RESPONSE_MAX)
        if b.excluded and not b.exclusion_reason.strip():
            raise ValidationError(f"{where}.exclusion_reason", "an excluded bid needs a reason")
    check_checklist(t.checklist, (b.supplier for b in t.bids))
    check_members(t.panel, t.bids)
    return t


# ---------------------------------------------------------------------------------------------------------
# Edits: pure functions returning a new Tender
# ---------------------------------------------------------------------------------------------------------


def set_status(t: Tender, new: TenderStatus) -> Tender:
    """Move the tender along its lifecycle.

    Raises:
        ValidationError: the move is not allowed (e.g. awarded back to draft).
    """
    if new == t.status:
        return t
    if new not in TRANSITIONS[t.status]:
        allowed = ", ".join(s.value for s in sorted(TRANSITIONS[t.status])) or "nothing"
        raise ValidationError("status", f"a tender that is {t.status.value} cannot become {new.value} "
                                        f"(it can become: {allowed})")
    return replace(t, status=new)


def _replace_criterion(t: Tender, cid: str, new: Criterion) -> Tender:
    t.criterion(cid)
    return replace(t, criteria=tuple(new if c.id == cid else c for c in t.criteria))


def set_weight(t: Tender, cid: str, weight: Decimal) -> Tender:
    """Change one criterion's weight (0–100)."""
    c = t.criterion(cid)
    return _replace_criterion(t, cid, replace(c, weight=check_weight(weight)))


def update_criterion(t: Tender, cid: str, **changes: object) -> Tender:
    """Change fields of one criterion (name, weight, scale_max, threshold, method, descriptors …)."""
    c = t.criterion(cid)
    new = check_criterion(replace(c, **changes))  # type: ignore[arg-type]
    return _replace_criterion(t, cid, new)


def add_criterion(t: Tender, c: Criterion) -> Tender:
    """Append a criterion (its id must be new)."""
    check_criterion(c)
    if any(x.id == c.id for x in t.criteria):
        raise ValidationError("criterion.id", f"{c.id!r} is already used")
    return replace(t, criteria=(*t.criteria, c))


def remove_criterion(t: Tender, cid: str) -> Tender:
    """Remove a criterion and every score given against it."""
    t.criterion(cid)

    def strip(b: Bid) -> Bid:
        return replace(
            b,
            scores={k: v for k, v in b.scores.items() if k != cid},
            explanations={k: v for k, v in b.explanations.items() if k != cid},
            evaluator_scores={k: v for k, v in b.evaluator_scores.items() if k != cid},
            evaluator_reasons={k: v for k, v in b.evaluator_reasons.items() if k != cid},
            responses={k: v for k, v in b.responses.items() if k != cid},
        )

    return replace(t, criteria=tuple(c for c in t.criteria if c.id != cid), bids=tuple(strip(b) for b in t.bids))


def _replace_bid(t: Tender, supplier: str, new: Bid) -> Tender:
    t.bid(supplier)
    return replace(t, bids=tuple(new if b.supplier == supplier else b for b in t.bids))


def add_bid(t: Tender, bid: Bid) -> Tender:
    """Add a bid; supplier names must be unique (ignoring case)."""
    name = check_text(bid.supplier, "supplier", required=True, limit=300, one_line=True)
    key = lookalike_key(name)
    for b in t.bids:
        if lookalike_key(b.supplier) == key:
            raise ValidationError("supplier", f"{excerpt(name)} already has a bid" if b.supplier.casefold() ==
                                  name.casefold() else f"{excerpt(name)} looks the same as the bid from "
                                  f"{excerpt(b.supplier)}: two suppliers must be told apart on paper")
    check_price(bid.price)
    return replace(t, bids=(*t.bids, replace(bid, supplier=name)))


def remove_bid(t: Tender, supplier: str) -> Tender:
    """Remove a supplier's bid (and what they said to the negotiation checklist's asks)."""
    t.bid(supplier)
    return replace(t, bids=tuple(b for b in t.bids if b.supplier != supplier),
                   checklist=drop_supplier(t.checklist, supplier))


def set_price(t: Tender, supplier: str, price: Decimal | None) -> Tender:
    """Record a bid's price."""
    return _replace_bid(t, supplier, replace(t.bid(supplier), price=check_price(price)))


def set_consensus_score(t: Tender, supplier: str, cid: str, value: Decimal | None, reason: str) -> Tender:
    """Record the moderated score and its reason (``None`` clears it). Evaluators' marks are kept."""
    c = t.criterion(cid)
    b = t.bid(supplier)
    scores = dict(b.scores)
    explanations = dict(b.explanations)
    if value is None:
        scores.pop(cid, None)
        explanations.pop(cid, None)
    else:
        scores[cid] = check_raw_score(c, value)
        explanations[cid] = check_text(reason, "reason")
    return _replace_bid(t, supplier, replace(b, scores=scores, explanations=explanations))


def set_evaluator_score(
    t: Tender, supplier: str, cid: str, evaluator: str, value: Decimal | None, reason: str = ""
) -> Tender:
    """Record one evaluator's mark and reason (``None`` clears it)."""
    c = t.criterion(cid)
    b = t.bid(supplier)
    who = check_text(evaluator, "evaluator", required=True, limit=100)
    marks = {k: dict(v) for k, v in b.evaluator_scores.items()}
    reasons = {k: dict(v) for k, v in b.evaluator_reasons.items()}
    if value is None:
        marks.get(cid, {}).pop(who, None)
        reasons.get(cid, {}).pop(who, None)
    else:
        check_mark_allowed(t.panel, who, b.supplier)
        marks.setdefault(cid, {})[who] = check_raw_score(c, value)
        reasons.setdefault(cid, {})[who] = check_text(reason, "reason")
    marks = {k: v for k, v in marks.items() if v}
    reasons = {k: v for k, v in reasons.items() if v}
    return _replace_bid(t, supplier, replace(b, evaluator_scores=marks, evaluator_reasons=reasons))


def exclude_bid(t: Tender, supplier: str, reason: str) -> Tender:
    """Exclude a bid from ranking; a reason is required (it goes in the award papers)."""
    text = check_text(reason, "exclusion_reason", required=True)
    return _replace_bid(t, supplier, replace(t.bid(supplier), excluded=True, exclusion_reason=text))


def reinstate_bid(t: Tender, supplier: str) -> Tender:
    """Undo an exclusion."""
    return _replace_bid(t, supplier, replace(t.bid(supplier), excluded=False, exclusion_reason=""))


def set_commitments(t: Tender, supplier: str, commitments: tuple[Commitment, ...]) -> Tender:
    """Replace a bid's social-value commitments."""
    b = replace(t.bid(supplier), commitments=tuple(commitments))
    check_tender(replace(t, bids=(b,), criteria=t.criteria, checklist=Checklist()))
    return _replace_bid(t, supplier, b)


#: Tender details an officer edits on the overview page (everything but the reference, status, criteria,
#: bids and checklist, which have their own edits).
DETAIL_FIELDS = frozenset(
    {"title", "category", "annual_value", "term_years", "extension_years", "description", "buyer", "officer",
     "tie_break", "notice_id"}
)
#: Bid details edited in place (price, scores, exclusions and commitments have their own edits).
BID_DETAIL_FIELDS = frozenset({"sme", "vcse", "locality", "address", "notes", *IDENTITY_FIELDS})


def update_details(t: Tender, **changes: object) -> Tender:
    """Change the tender's details (title, category, values, term, description, buyer, officer, tie-break).

    Raises:
        ValidationError: an unknown field, or a value :func:`check_tender` refuses.
    """
    unknown = sorted(set(changes) - DETAIL_FIELDS)
    if unknown:
        raise ValidationError(unknown[0], "cannot be changed here")
    for name in ("title", "category", "description", "buyer", "officer", "notice_id"):
        if name in changes:
            changes[name] = check_text(str(changes[name]), name, required=name in ("title", "category"))
    new = replace(t, **changes)  # type: ignore[arg-type]
    if new.annual_value is not None:
        check_price(new.annual_value, "annual_value")
    if new.publication.contract_value is not None and any(
            getattr(new, k) != getattr(t, k) for k in ("annual_value", "term_years", "extension_years")):
        # The total as a notice published it no longer holds once the officer changes the value or term.
        new = replace(new, publication=replace(new.publication, contract_value=None))
    check_tender(replace(new, criteria=(), bids=(), checklist=Checklist()))
    return new


def set_key_date(t: Tender, key: str, day: date | None) -> Tender:
    """Set (or with ``None`` clear) one of the :data:`KEY_DATES`."""
    if key not in KEY_DATES:
        raise ValidationError(f"key_dates.{key}", f"unknown date (use one of {', '.join(KEY_DATES)})")
    dates = dict(t.key_dates)
    if day is None:
        dates.pop(key, None)
    else:
        dates[key] = day
    return replace(t, key_dates={k: dates[k] for k in KEY_DATES if k in dates})


def update_bid(t: Tender, supplier: str, **changes: object) -> Tender:
    """Change a bid's details: SME, VCSE, locality, address, private notes, email address and identifiers."""
    unknown = sorted(set(changes) - BID_DETAIL_FIELDS)
    if unknown:
        raise ValidationError(unknown[0], "cannot be changed here")
    for name in ("address", "notes"):
        if name in changes:
            changes[name] = check_text(str(changes[name]), name)
    for name in IDENTITY_FIELDS:
        if name in changes:
            changes[name] = normalise_identity(name, str(changes[name]), name)
    if "locality" in changes and changes["locality"] is not None:
        changes["locality"] = Locality(str(changes["locality"]))
    return _replace_bid(t, supplier, replace(t.bid(supplier), **changes))  # type: ignore[arg-type]


def set_report_text(t: Tender, name: str, value: str | bool) -> Tender:
    """The tender with one section of its committee report (or the publish choice) set, checked.

    Raises:
        ValidationError: an unknown section, or text :func:`check_report_texts` refuses.
    """
    if name == "publish_bidder_details":
        texts = replace(t.report, publish_bidder_details=bool(value))
    elif name in REPORT_SECTION_TITLES:
        texts = check_report_texts(replace(t.report, **{name: str(value)}))  # type: ignore[arg-type]  # a text field
    else:
        raise ValidationError(f"report.{name}", "is not a section of the committee report")
    return replace(t, report=texts)
def set_response(t: Tender, supplier: str, cid: str, text: str) -> Tender:
    """Record the bidder's answer to a quality or social-value question ("" removes it)."""
    c = t.criterion(cid)
    if not c.is_assessed:
        raise ValidationError("responses", f"{c.name} is a {c.kind.label} criterion: evaluators read no answer to it")
    b = t.bid(supplier)
    answer = check_text(text, "response", limit=RESPONSE_MAX)
    responses = {k: v for k, v in b.responses.items() if k != cid}
    if answer:
        responses[cid] = answer
    return _replace_bid(t, supplier, replace(b, responses=responses))


def descriptors_for(c: Criterion) -> tuple[Descriptor, ...]:
    """The criterion's own descriptors, or the preset for its scale (what evaluators mark against)."""
    if c.descriptors:
        return c.descriptors
    if c.scale_max == c.scale_max.to_integral_value():
        preset = SCALE_PRESETS.get(int(c.scale_max), ())
        return tuple(Descriptor(Decimal(s), t) for s, t in preset)
    return ()
