"""What a tender needs for its notices on the central digital platform (Find a Tender), beyond the evaluation.

A :class:`Publication` rides on the :class:`~svdesk.domain.tender.Tender` and is stored apart from the frozen
evaluation rows (an awarded tender's notices are written after the award): the published ocid (kept for
ever once set), the stable party id of each bid, the CPV codes, lots, the buyer's identifier, address and
contact point, the procurement method, whether the contract is above the threshold, the contract's total
value exactly as published, and the council's nation (for the working-day calendar).

:func:`publication_to_json` / :func:`publication_from_json` are the one plain-JSON form, used by the store and
the tender file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from svdesk.domain.calendar import Nation
from svdesk.domain.values import check_text
from svdesk.errors import ValidationError

#: Procurement methods (OCDS ``method`` codelist) and the Act's procedures they stand for.
METHODS = {"open": "open procedure", "selective": "competitive flexible procedure", "limited": "direct award",
           "direct": "direct award"}
CATEGORIES = ("goods", "services", "works")
_OCID_RE = re.compile(r"^ocds-[A-Za-z0-9]+-\S+$")


@dataclass(frozen=True)
class Classification:
    """A code from a scheme, e.g. CPV ``72400000`` "Internet services"."""

    scheme: str
    id: str
    description: str = ""


@dataclass(frozen=True)
class Lot:
    """A lot of the contract: its id, title, value and the suppliers awarded it (by name)."""

    id: str
    title: str
    value: Decimal | None = None
    suppliers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Award:
    """An award as a notice published it: to one or several suppliers (a framework, a multi-supplier lot)."""

    id: str
    title: str = ""
    value: Decimal | None = None
    suppliers: tuple[str, ...] = ()
    lot: str = ""


@dataclass(frozen=True)
class Address:
    """A structured postal address (street, locality, region, postal code, country)."""

    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = "GB"

    def __bool__(self) -> bool:
        return bool(self.street or self.locality or self.postal_code)


@dataclass(frozen=True)
class Publication:
    """What the notices need that the evaluation does not.

    Attributes:
        ocid: the contracting process's ocid once published (never changes afterwards); "" until then.
        party_ids: each bid's party id (supplier name → id), assigned at first export, never reused.
        classifications: the CPV codes of what is bought.
        lots: the lots, where the contract is divided.
        awards: the awards as an imported notice published them (several suppliers each, by lot); when present
            they are exported as they are, instead of the top-ranked bid.
        buyer_scheme, buyer_id: the council's identifier (e.g. ``GB-PPON`` and its PPON).
        buyer_address, buyer_contact_name, buyer_email, buyer_telephone: how to reach the council.
        supplier_addresses: structured addresses of suppliers (name → address).
        method: OCDS procurement method (``open``, ``selective``, ``limited``, ``direct``).
        method_details: the procedure in words (e.g. "Open procedure (Procurement Act 2023 s.20)").
        legal_basis: the law the procurement is under (default: the Procurement Act 2023).
        main_category: ``goods``, ``services`` or ``works``.
        above_threshold: whether the contract value is above the relevant threshold (None: not stated).
        contract_value: the contract's total value exactly as published (overrides annual × term).
        framework: whether the award is a framework agreement (several suppliers).
        nation: whose bank holidays count as non-working days.
        times: the time of day (UK time, ``"HH:MM"``) of a key date, where it has one: a deadline at noon on
            15 October is ``{"bids_due": "12:00"}``. A date without a time is exported as the start of that day
            in Europe/London, or for a deadline its end (23:59:59).
    """

    ocid: str = ""
    party_ids: Mapping[str, str] = field(default_factory=dict)
    classifications: tuple[Classification, ...] = ()
    lots: tuple[Lot, ...] = ()
    awards: tuple[Award, ...] = ()
    buyer_scheme: str = ""
    buyer_id: str = ""
    buyer_address: Address = field(default_factory=Address)
    buyer_contact_name: str = ""
    buyer_email: str = ""
    buyer_telephone: str = ""
    supplier_addresses: Mapping[str, Address] = field(default_factory=dict)
    method: str = ""
    method_details: str = ""
    legal_basis: str = "Procurement Act 2023"
    main_category: str = ""
    above_threshold: bool | None = None
    contract_value: Decimal | None = None
    framework: bool = False
    nation: Nation = Nation.ENGLAND_AND_WALES
    times: Mapping[str, str] = field(default_factory=dict)


_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_KEY_RE = re.compile(r"^[a-z_]{1,40}$")


def parse_time(text: str, field_name: str = "time") -> str:
    """A time of day as the officer types it (``12:00``, ``9:30``, ``1730``): ``"HH:MM"``, or ``""`` for none.

    Raises:
        ValidationError: not a time of day.
    """
    t = text.strip().replace(".", ":")
    if not t:
        return ""
    if re.fullmatch(r"\d{3,4}", t):
        t = f"{t[:-2]}:{t[-2:]}"
    if re.fullmatch(r"\d:\d\d", t):
        t = "0" + t
    if not _TIME_RE.match(t):
        raise ValidationError(field_name, f"{text.strip()[:20]!r} is not a time of day (e.g. 12:00)")
    return t


def check_publication(p: Publication) -> Publication:
    """Validate the codes and the ocid.

    Raises:
        ValidationError: naming the field.
    """
    if p.ocid and not _OCID_RE.match(p.ocid):
        raise ValidationError("publication.ocid", f"{p.ocid!r} is not an ocid (it looks like ocds-b5fd17-…)")
    if p.method and p.method not in METHODS:
        raise ValidationError("publication.method", f"{p.method!r} is not one of {', '.join(METHODS)}")
    if p.main_category and p.main_category not in CATEGORIES:
        raise ValidationError("publication.main_category", f"{p.main_category!r} is not one of {', '.join(CATEGORIES)}")
    if p.contract_value is not None and (not p.contract_value.is_finite() or p.contract_value < 0):
        raise ValidationError("publication.contract_value", f"{p.contract_value} is not an amount")
    for key, at in p.times.items():
        if not _KEY_RE.match(key) or not _TIME_RE.match(at):
            raise ValidationError("publication.times", f"{key[:40]!r}: {at[:20]!r} is not a time of day (HH:MM)")
    if len(set(p.party_ids.values())) != len(p.party_ids):
        raise ValidationError("publication.party_ids", "two bids share a party id")
    return p


_CPV_RE = re.compile(r"^(\d{8})(?:-(\d))?$")


def parse_cpv_lines(text: str) -> tuple[Classification, ...]:
    """CPV codes as the officer types them, one a line: ``72400000 Internet services`` (the description is
    optional; ``72400000-4`` with its check digit is accepted).

    Raises:
        ValidationError: naming the line and what is wrong with it.
    """
    out: list[Classification] = []
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        code, _, description = line.partition(" ")
        m = _CPV_RE.match(code)
        if m is None:
            raise ValidationError("publication.classifications",
                                  f"line {n}: {code[:20]!r} is not a CPV code (eight digits, e.g. 72400000)")
        if m.group(1) in seen:
            raise ValidationError("publication.classifications", f"line {n}: {m.group(1)} is listed twice")
        seen.add(m.group(1))
        out.append(Classification("CPV", m.group(1), check_text(description.strip(), "CPV description",
                                                                 limit=200)))
    return tuple(out)


def cpv_lines(classifications: tuple[Classification, ...]) -> str:
    """The CPV codes as :func:`parse_cpv_lines` reads them."""
    return "\n".join(f"{c.id} {c.description}".strip() for c in classifications if c.scheme.upper() == "CPV")


def _address_json(a: Address) -> dict[str, str]:
    return {"street": a.street, "locality": a.locality, "region": a.region, "postal_code": a.postal_code,
            "country": a.country}


def _address(d: Any) -> Address:
    d = d if isinstance(d, dict) else {}
    return Address(**{k: str(d.get(k) or "") for k in ("street", "locality", "region", "postal_code")},
                   country=str(d.get("country") or "GB"))


def publication_to_json(p: Publication) -> dict[str, Any]:
    """Plain JSON (money as decimal strings); only fields that differ from the defaults."""
    out: dict[str, Any] = {}
    default = Publication()
    for name in Publication.__dataclass_fields__:
        v = getattr(p, name)
        if v == getattr(default, name):
            continue
        if name == "classifications":
            v = [{"scheme": c.scheme, "id": c.id, "description": c.description} for c in v]
        elif name == "lots":
            v = [{"id": lot.id, "title": lot.title, "value": None if lot.value is None else str(lot.value),
                  "suppliers": list(lot.suppliers)} for lot in v]
        elif name == "awards":
            v = [{"id": a.id, "title": a.title, "value": None if a.value is None else str(a.value),
                  "suppliers": list(a.suppliers), "lot": a.lot} for a in v]
        elif name == "buyer_address":
            v = _address_json(v)
        elif name == "supplier_addresses":
            v = {k: _address_json(a) for k, a in v.items()}
        elif name in ("party_ids", "times"):
            v = dict(v)
        elif name == "contract_value":
            v = str(v)
        elif name == "nation":
            v = v.value
        out[name] = v
    return out


def _money(v: Any, where: str) -> Decimal | None:
    if v is None or v == "":
        return None
    try:
        return Decimal(str(v))
    except InvalidOperation:
        raise ValidationError(where, f"{v!r} is not an amount") from None


def publication_from_json(d: Any) -> Publication:
    """The inverse of :func:`publication_to_json`.

    Raises:
        ValidationError: a value of the wrong kind, naming the field.
    """
    if not isinstance(d, dict):
        raise ValidationError("publication", "is not an object")
    try:
        p = Publication(
            ocid=str(d.get("ocid", "")),
            party_ids={str(k): str(v) for k, v in dict(d.get("party_ids", {})).items()},
            classifications=tuple(Classification(str(c["scheme"]), str(c["id"]), str(c.get("description", "")))
                                  for c in d.get("classifications", [])),
            lots=tuple(Lot(str(lot["id"]), str(lot.get("title", "")),
                           _money(lot.get("value"), "publication.lots.value"),
                           tuple(str(s) for s in lot.get("suppliers", []))) for lot in d.get("lots", [])),
            awards=tuple(Award(str(a["id"]), str(a.get("title", "")),
                               _money(a.get("value"), "publication.awards.value"),
                               tuple(str(x) for x in a.get("suppliers", [])), str(a.get("lot", "")))
                         for a in d.get("awards", [])),
            buyer_scheme=str(d.get("buyer_scheme", "")),
            buyer_id=str(d.get("buyer_id", "")),
            buyer_address=_address(d.get("buyer_address")),
            buyer_contact_name=str(d.get("buyer_contact_name", "")),
            buyer_email=str(d.get("buyer_email", "")),
            buyer_telephone=str(d.get("buyer_telephone", "")),
            supplier_addresses={str(k): _address(v) for k, v in dict(d.get("supplier_addresses", {})).items()},
            method=str(d.get("method", "")),
            method_details=str(d.get("method_details", "")),
            legal_basis=str(d.get("legal_basis", "Procurement Act 2023")),
            main_category=str(d.get("main_category", "")),
            above_threshold=None if d.get("above_threshold") is None else bool(d["above_threshold"]),
            contract_value=_money(d.get("contract_value"), "publication.contract_value"),
            framework=bool(d.get("framework", False)),
            nation=Nation(d.get("nation", Nation.ENGLAND_AND_WALES.value)),
            times={str(k): str(v) for k, v in dict(d.get("times", {})).items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ValidationError("publication", f"is not a publication record ({e})") from None
    return check_publication(p)


__all__ = [
    "CATEGORIES",
    "METHODS",
    "Address",
    "Award",
    "Classification",
    "Lot",
    "Publication",
    "check_publication",
    "cpv_lines",
    "parse_cpv_lines",
    "parse_time",
    "publication_from_json",
    "publication_to_json",
]
