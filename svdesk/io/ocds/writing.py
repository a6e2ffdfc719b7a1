"""Writing OCDS: a tender's award, or a Find a Tender notice (UK6, UK7), as a release package (see the package
docstring)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from svdesk.atomic import write_text_atomic
from svdesk.domain.calendar import earliest_contract_date, standstill_end
from svdesk.domain.publication import METHODS, Address, Classification
from svdesk.domain.scoring import Results, score_tender
from svdesk.domain.tender import (
    KEY_DATES,
    Bid,
    CriterionKind,
    Tender,
    TenderStatus,
)
from svdesk.errors import SvdeskError, ValidationError

OCDS_VERSION = "1.1"
#: The ocid prefix used until the council sets its own: obviously not a registered one.
DEFAULT_OCID_PREFIX = "ocds-local-unregistered"
OCID_PREFIX_ENV = "SVDESK_OCID_PREFIX"
MAX_OCDS_BYTES = 50 * 1024 * 1024
TITLE_MAX = 500
NAME_MAX = 300

_PREFIX_RE = re.compile(r"^ocds-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
_TENDER_STATUS = {
    TenderStatus.DRAFT: "planning",
    TenderStatus.NEGOTIATION: "active",
    TenderStatus.EVALUATION: "active",
    TenderStatus.AWARDED: "complete",
    TenderStatus.CLOSED: "complete",
    TenderStatus.CANCELLED: "cancelled",
}



# ---------------------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------------------


def ocid_prefix(explicit: str | None = None) -> str:
    """The ocid prefix: ``explicit``, else ``$SVDESK_OCID_PREFIX``, else the local placeholder.

    Raises:
        ValidationError: a prefix that does not look like ``ocds-xxxxxx``.
    """
    prefix = (explicit or os.environ.get(OCID_PREFIX_ENV) or DEFAULT_OCID_PREFIX).strip()
    if not _PREFIX_RE.match(prefix):
        raise ValidationError("ocid_prefix", f"{prefix!r} is not an ocid prefix (it looks like ocds-b5fd17)")
    return prefix


_REFERENCE_OCID_RE = re.compile(r"^ocds-[A-Za-z0-9]{6}-\S+$")
LONDON = ZoneInfo("Europe/London")
#: Open Government Licence v3.0: what UK public sector information is published under.
LICENSE = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PUBLICATION_POLICY_ENV = "SVDESK_PUBLICATION_POLICY"
#: The Cabinet Office guidance on what the central digital platform publishes, until the council sets its own.
DEFAULT_PUBLICATION_POLICY = ("https://www.gov.uk/government/publications/procurement-act-2023-guidance-documents-"
                              "define-phase/guidance-central-digital-platform-and-publication-of-information-html")
#: The UK extension and the nine it depends on, as Find a Tender declares them.
UK_EXTENSIONS = (
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteria_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_communication_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_otherRequirements_extension/master/"
    "extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_performance_failures_extension/master/"
    "extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_subcontracting_extension/master/"
    "extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_suitability_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json",
)
#: Declared beside the UK set: Find a Tender's SME flag (``details.scale``) and, where there are lots, the lots.
PARTY_SCALE_EXTENSION = ("https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyScale_extension/"
                         "master/extension.json")
LOTS_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json"
#: The notices svdesk writes: the contract award notice (opens the standstill) and the contract details notice.
NOTICES = {"UK6": "Contract award notice", "UK7": "Contract details notice"}


class NoticeIncompleteError(ValidationError):
    """A notice cannot be published: ``missing`` lists what the tender lacks, in the officer's words."""

    def __init__(self, notice: str, reference: str, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__("notice", f"{notice} for {reference} cannot be published yet; missing: "
                                   + "; ".join(self.missing))


def make_ocid(t: Tender, prefix: str | None = None) -> str:
    """The tender's ocid: the one it was published (or imported) with, else ``<prefix>-<reference>``.

    An imported notice keeps its own ocid (never prefixed again). A reference with characters other than letters,
    digits and hyphens gets a short digest of the exact reference, so ``NET/2026/01`` and ``NET-2026-01`` never
    share an ocid.
    """
    if t.publication.ocid:
        return t.publication.ocid
    if _REFERENCE_OCID_RE.match(t.reference):
        return t.reference
    slug = re.sub(r"[^A-Za-z0-9]+", "-", t.reference).strip("-") or "tender"
    if slug != t.reference:
        slug += "-" + hashlib.sha256(t.reference.encode()).hexdigest()[:8]
    return f"{ocid_prefix(prefix)}-{slug}"


def charity_scheme(number: str) -> tuple[str, str]:
    """The org-id scheme and id of a charity number: ``SC…`` is Scottish (``GB-SC``), ``NIC…`` or a 6-digit
    number from 100000 Northern Irish (``GB-NIC``), anything else England and Wales (``GB-CHC``)."""
    n = number.strip().upper().replace(" ", "")
    if n.startswith("SC"):
        return "GB-SC", n
    if n.startswith("NIC"):
        return "GB-NIC", n[3:]
    if re.fullmatch(r"1\d{5}", n) and n.startswith("10"):
        return "GB-NIC", n
    return "GB-CHC", n


def bid_identifiers(b: Bid) -> list[dict[str, str]]:
    """A bid's identifiers as OCDS Identifier objects, the platform's unique identifier first."""
    out = []
    if b.cdp_id:
        out.append({"scheme": "GB-PPON", "id": b.cdp_id})
    if b.companies_house:
        out.append({"scheme": "GB-COH", "id": b.companies_house})
    if b.charity_number:
        scheme, ident = charity_scheme(b.charity_number)
        out.append({"scheme": scheme, "id": ident})
    return out


def party_id(t: Tender, b: Bid) -> str:
    """A bid's party id, stable for the life of the tender: the one recorded, else its first identifier, else a
    digest of its name (never its position: removing a bid must not renumber the others)."""
    known = t.publication.party_ids.get(b.supplier)
    if known:
        return known
    ids = bid_identifiers(b)
    if ids:
        return f"{ids[0]['scheme']}-{ids[0]['id']}"
    return "supplier-" + hashlib.sha256(b.supplier.casefold().encode()).hexdigest()[:10]


def _start(d: date) -> str:
    """The first second of a day in Europe/London, with its offset (``2026-10-15T00:00:00+01:00``)."""
    return datetime.combine(d, time(0, 0), LONDON).isoformat()


def _end(d: date) -> str:
    """The last second of a day in Europe/London: a deadline on 15 October is open all that day."""
    return datetime.combine(d, time(23, 59, 59), LONDON).isoformat()


def _at(t: Tender, key: str, *, deadline: bool = False) -> str:
    """A key date as OCDS writes it, in Europe/London with its offset: at the time the officer gave
    (``Publication.times``), else at the start of the day, or for a deadline at its last second."""
    d = t.key_dates[key]
    at = t.publication.times.get(key)
    if at:
        hours, minutes = (int(x) for x in at.split(":"))
        return datetime.combine(d, time(hours, minutes), LONDON).isoformat()
    return _end(d) if deadline else _start(d)


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _gbp(amount: Decimal) -> dict[str, Any]:
    return {"amount": amount, "currency": "GBP"}


def _num(d: Decimal) -> str:
    return f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}"


def award_criteria_details(t: Tender) -> str:
    """The criteria and weights in words, e.g. ``Price 40% (lowest price); Service delivery 40% (quality, 0–5)``."""
    parts = []
    for c in t.criteria:
        if c.kind is CriterionKind.PRICE:
            how = c.price_method.value.replace("_", " ")
        elif c.kind is CriterionKind.COMMITMENTS:
            how = "social value commitments in £"
        else:
            how = f"{'quality' if c.kind is CriterionKind.QUALITY else 'social value'}, scored 0–{_num(c.scale_max)}"
            if c.threshold is not None:
                how += f", minimum {_num(c.threshold)}"
        parts.append(f"{c.name} {_num(c.weight)}% ({how})")
    return "; ".join(parts)


def award_criteria(t: Tender) -> str:
    """``priceOnly`` when price carries all the weight, else ``ratedCriteria``."""
    if t.criteria and all(c.kind is CriterionKind.PRICE for c in t.criteria if c.weight > 0):
        return "priceOnly"
    return "ratedCriteria"


def contract_value(t: Tender) -> Decimal | None:
    """The contract's total value: exactly as published when it was, else annual value × (term + extensions)."""
    return t.publication.contract_value if t.publication.contract_value is not None else t.whole_life_value


def _address(a: Address) -> dict[str, str]:
    out = {"streetAddress": a.street, "locality": a.locality, "region": a.region, "postalCode": a.postal_code,
           "countryName": "United Kingdom" if a.country == "GB" else a.country}
    return {k: v for k, v in out.items() if v}


def _contract_period(t: Tender) -> dict[str, Any]:
    period: dict[str, Any] = {}
    if "contract_start" in t.key_dates:
        period["startDate"] = _start(t.key_dates["contract_start"])
    if "contract_end" in t.key_dates:
        period["endDate"] = _end(t.key_dates["contract_end"])
    period["durationInMonths"] = t.term_years * 12
    if t.extension_years and "contract_end" in t.key_dates:
        end = t.key_dates["contract_end"]
        try:
            period["maxExtentDate"] = _end(end.replace(year=end.year + t.extension_years))
        except ValueError:                      # 29 February
            period["maxExtentDate"] = _end(end.replace(year=end.year + t.extension_years, day=28))
    return period


def _label(key: str) -> str:
    return KEY_DATES[key].lower().replace("(uk6)", "(UK6)").replace("(uk7)", "(UK7)")


def _missing(t: Tender, notice: str, winners: Sequence[Bid]) -> list[str]:
    p, k = t.publication, t.key_dates
    missing = []
    if not t.buyer.strip():
        missing.append("the buyer (the council's name)")
    if not (p.buyer_scheme and p.buyer_id):
        missing.append("the council's identifier (its PPON on the central digital platform)")
    if not p.buyer_address.postal_code:
        missing.append("the council's address with postcode")
    if not (p.buyer_email or p.buyer_telephone):
        missing.append("a contact email or telephone for the council")
    if t.status not in (TenderStatus.AWARDED, TenderStatus.CLOSED):
        missing.append("the award (the tender is not awarded yet)")
    if not winners:
        missing.append("a ranked winning bid")
    for b in winners:
        if b.price is None:
            missing.append(f"the price of {b.supplier}")
        if not bid_identifiers(b):
            missing.append(f"an identifier of {b.supplier} (PPON, Companies House or charity number)")
    if not p.classifications:
        missing.append("at least one CPV code")
    if not p.main_category:
        missing.append("the main procurement category (goods, services or works)")
    if not p.method:
        missing.append("the procurement method")
    if p.above_threshold is None:
        missing.append("whether the contract is above the threshold")
    if contract_value(t) is None:
        missing.append("the contract's value")
    if notice == "UK6":
        if p.above_threshold is False:
            missing.append("nothing to notify: a below-threshold contract needs no contract award notice; "
                           "publish the contract details notice (UK7)")
        for key in ("award_decision", "assessment_summaries_sent", "award_notice"):
            if key not in k:
                missing.append(f"the date: {_label(key)}")
    else:
        if p.above_threshold and "award_notice" not in k:
            missing.append("the contract award notice (UK6) first: its publication date")
        for key in ("contract_signed", "contract_start", "contract_end"):
            if key not in k:
                missing.append(f"the date: {_label(key)}")
        if "contract_signed" in k and "award_notice" in k and p.above_threshold:
            earliest = earliest_contract_date(k["award_notice"], p.nation)
            if k["contract_signed"] < earliest:
                missing.append(f"a contract date after the standstill (the earliest is {earliest:%d/%m/%Y})")
    return missing


def notice_gaps(t: Tender, notice: str) -> list[str]:
    """What ``notice`` (``"UK6"`` or ``"UK7"``) still needs from the tender, in the officer's words; empty when it
    can be published. The same list the export refuses with (the app's notice details show it as you type)."""
    if notice not in NOTICES:
        raise ValidationError("notice", f"{notice!r} is not a notice svdesk writes (use {' or '.join(NOTICES)})")
    by_lot = _lot_winners(t)
    if by_lot:
        return _missing(t, notice, by_lot)
    try:
        res = score_tender(t, compare=False)
    except SvdeskError:
        return [*_missing(t, notice, []), "bids that can be scored"]
    if len(res.winners) > 1 and not t.publication.framework:
        return ["a single winner (there is a tie for first place)", *_missing(t, notice, _winners(t, res))]
    return _missing(t, notice, _winners(t, res) if res.winners else [])


def _lot_winners(t: Tender) -> list[Bid]:
    """The suppliers of the awards as an imported notice published them, or none."""
    names = dict.fromkeys(s for a in t.publication.awards for s in a.suppliers)
    return [b for n in names for b in t.bids if b.supplier == n]


def _winners(t: Tender, res: Results) -> list[Bid]:
    if t.publication.framework:
        return [t.bid(r.supplier) for r in res.results if r.rank is not None]
    return [t.bid(w.supplier) for w in res.winners]


def release_package(
    t: Tender,
    *,
    notice: str | None = None,
    prefix: str | None = None,
    published: datetime | None = None,
    publisher: str | None = None,
    results: Results | None = None,
    stage: str = "award",
) -> dict[str, Any]:
    """An OCDS 1.1.5 release package for ``t``: its award (``notice=None``), or a Find a Tender notice.

    Args:
        notice: ``"UK6"`` (contract award notice: tag ``award``, with the standstill and the date the assessment
            summaries were sent) or ``"UK7"`` (contract details notice: tag ``contract``, with the contract signed,
            its value, period and extensions); None for a plain award release.
        prefix: the ocid prefix (default: :func:`ocid_prefix`).
        published: the package's and release's date (default: now, UTC).
        publisher: who publishes (default: the buyer).
        results: the tender's scores (default: scored now).
        stage: ``"tender"`` for a tender release (tag ``tender``, no award: what a notice imported before its
            award goes back out as).

    Raises:
        NoticeIncompleteError: a notice the tender cannot fill yet (lists everything missing).
        ValidationError: no buyer, a cancelled tender, no ranked bid, or a tie for first place.
        ScoringError: the tender cannot be scored.
    """
    if notice is not None and notice not in NOTICES:
        raise ValidationError("notice", f"{notice!r} is not a notice svdesk writes (use {' or '.join(NOTICES)})")
    if notice is None and not t.buyer.strip():
        raise ValidationError("buyer", f"{t.reference} has no buyer (the council's name): set it before publishing")
    if t.status is TenderStatus.CANCELLED:
        raise ValidationError("status", f"{t.reference} was cancelled: there is no award to publish")
    by_lot = _lot_winners(t)
    if stage == "tender":
        if notice is not None:
            raise ValidationError("notice", "a notice is an award or contract release, not a tender release")
        winners, tie = [], False
    elif by_lot:
        # The awards are by lot (as a notice published them): no scoring decides who won.
        winners, tie = by_lot, False
    else:
        res = results if results is not None else score_tender(t, compare=False)
        if notice is None:
            if not res.winners:
                raise ValidationError("bids", f"{t.reference} has no ranked bid yet: score the bids before "
                                              "publishing")
            if len(res.winners) > 1 and not t.publication.framework:
                names = ", ".join(w.supplier for w in res.winners)
                raise ValidationError("bids", f"{t.reference} has a tie for first place ({names}): resolve it "
                                              "first")
        winners = _winners(t, res) if res.winners else []
        tie = len(res.winners) > 1 and not t.publication.framework
    if notice is not None:
        if tie:
            raise NoticeIncompleteError(notice, t.reference, ["a single winner (there is a tie for first place)"])
        missing = _missing(t, notice, winners)
        if missing:
            raise NoticeIncompleteError(notice, t.reference, missing)
    when = published or datetime.now(UTC)
    ocid = make_ocid(t, prefix)
    p = t.publication
    won = {b.supplier for b in winners}

    parties: list[dict[str, Any]] = []
    buyer: dict[str, Any] = {"id": "buyer", "name": t.buyer.strip(), "roles": ["buyer"]}
    if p.buyer_scheme and p.buyer_id:
        buyer["id"] = f"{p.buyer_scheme}-{p.buyer_id}"
        buyer["identifier"] = {"scheme": p.buyer_scheme, "id": p.buyer_id, "legalName": t.buyer.strip()}
    if p.buyer_address:
        buyer["address"] = _address(p.buyer_address)
    contact = {k: v for k, v in (("name", p.buyer_contact_name), ("email", p.buyer_email),
                                 ("telephone", p.buyer_telephone)) if v}
    if contact:
        buyer["contactPoint"] = contact
    parties.append(buyer)
    refs: dict[str, dict[str, str]] = {}
    for b in t.bids:
        pid = party_id(t, b)
        party: dict[str, Any] = {"id": pid, "name": b.supplier,
                                 "roles": ["tenderer", "supplier"] if b.supplier in won else ["tenderer"]}
        ids = bid_identifiers(b)
        if ids:
            party["identifier"] = {**ids[0], "legalName": b.supplier}
            if ids[1:]:
                party["additionalIdentifiers"] = ids[1:]
        # Only an awarded supplier's address is published (contract award notices name it); an unsuccessful
        # tenderer is named only: a sole trader's address is personal data.
        if b.supplier in won:
            structured = p.supplier_addresses.get(b.supplier)
            if structured:
                party["address"] = _address(structured)
            elif b.address:
                party["address"] = {"streetAddress": b.address}
            if b.email:
                party["contactPoint"] = {"email": b.email}
        party["details"] = {"scale": "sme" if b.sme else "large", "vcse": b.vcse}
        parties.append(party)
        refs[b.supplier] = {"id": pid, "name": b.supplier}

    total = contract_value(t)
    tender: dict[str, Any] = {
        "id": t.reference,
        "title": t.title,
        "status": _TENDER_STATUS[t.status],
        "awardCriteria": award_criteria(t),
        "awardCriteriaDetails": award_criteria_details(t),
        "numberOfTenderers": len(t.bids),
        "tenderers": [refs[b.supplier] for b in t.bids],
    }
    if t.description:
        tender["description"] = t.description
    if total is not None:
        tender["value"] = _gbp(total)
    if p.method:
        tender["procurementMethod"] = p.method
        details = METHODS[p.method].capitalize()
        tender["procurementMethodDetails"] = f"{details} ({p.legal_basis})" if p.legal_basis else details
    if p.main_category:
        tender["mainProcurementCategory"] = p.main_category
    if p.above_threshold is not None:
        tender["aboveThreshold"] = p.above_threshold
    if p.classifications:
        tender["items"] = [{"id": str(i), "classification": _classification(c)}
                           for i, c in enumerate(p.classifications, start=1)]
    if p.lots:
        tender["lots"] = [{"id": lot.id, "title": lot.title, **({"value": _gbp(lot.value)} if lot.value is not None
                                                                 else {})} for lot in p.lots]
    period: dict[str, Any] = {}
    if "published" in t.key_dates:
        period["startDate"] = _at(t, "published")
    if "bids_due" in t.key_dates:
        period["endDate"] = _at(t, "bids_due", deadline=True)
    if period:
        tender["tenderPeriod"] = period
    if "clarification_deadline" in t.key_dates:
        tender["enquiryPeriod"] = {"endDate": _at(t, "clarification_deadline", deadline=True)}
    contract_period = _contract_period(t)
    tender["contractPeriod"] = contract_period

    awarded = t.status in (TenderStatus.AWARDED, TenderStatus.CLOSED)
    decided = t.key_dates.get("award_decision")
    # An award dated after the release would announce the future: before the decision, the award is pending
    # and undated.
    if decided is not None and datetime.combine(decided, time(0, 0), LONDON) > when:
        decided = None
    awards = [] if stage == "tender" else _awards(t, ocid, winners, refs, awarded, decided, contract_period)
    if notice == "UK6":
        notice_day = t.key_dates["award_notice"]
        for a in awards:
            a["standstillPeriod"] = {"startDate": _start(notice_day),
                                     "endDate": _end(standstill_end(notice_day, p.nation))}
            a["assessmentSummariesDateSent"] = _at(t, "assessment_summaries_sent")
            if p.main_category:
                a["mainProcurementCategory"] = p.main_category
            if p.above_threshold is not None:
                a["aboveThreshold"] = p.above_threshold
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": "",
        "date": _iso(when),
        "tag": ["contract"] if notice == "UK7" else [stage],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": {"id": buyer["id"], "name": t.buyer.strip()},
        "tender": tender,
    }
    if awards:
        release["awards"] = awards
    if notice == "UK7":
        release["contracts"] = _contracts(t, ocid, awards, contract_period, when)
    if notice is not None:
        doc = {"id": f"{notice}-{when:%Y%m%dT%H%M%SZ}", "documentType": "awardNotice" if notice == "UK6"
               else "contractNotice", "noticeType": notice, "title": f"{NOTICES[notice]}: {t.title}",
               "datePublished": _iso(when), "language": "en"}
        target = release["awards"][0] if notice == "UK6" else release["contracts"][0]
        target["documents"] = [doc]
    # The release id identifies this content at this date: the same release re-exported at another moment is a
    # new release (ids are unique within the ocid, and a record of both must hold both).
    digest = hashlib.sha256(dumps_ocds({k: v for k, v in release.items() if k != "id"}).encode()).hexdigest()
    release["id"] = f"{ocid}-{release['tag'][0]}-{digest[:12]}"
    package: dict[str, Any] = {
        "uri": f"urn:svdesk:{release['id']}",
        "version": OCDS_VERSION,
        "publishedDate": _iso(when),
        "publisher": {"name": (publisher or t.buyer).strip()},
        "license": LICENSE,
        "publicationPolicy": os.environ.get(PUBLICATION_POLICY_ENV) or DEFAULT_PUBLICATION_POLICY,
        "releases": [release],
    }
    if p.buyer_scheme and p.buyer_id and not publisher:
        package["publisher"].update({"scheme": p.buyer_scheme, "uid": p.buyer_id})
    # Every package uses UK fields (details.vcse, durationInMonths, aboveThreshold…), so each declares them.
    extensions = [*UK_EXTENSIONS, PARTY_SCALE_EXTENSION]
    if p.lots or any(a.get("relatedLots") for a in awards):
        extensions.append(LOTS_EXTENSION)
    package["extensions"] = extensions
    return package


def _classification(c: Classification) -> dict[str, str]:
    out = {"scheme": c.scheme, "id": c.id}
    if c.description:
        out["description"] = c.description
    return out


def _awards(t: Tender, ocid: str, winners: Sequence[Bid], refs: Mapping[str, dict[str, str]], awarded: bool,
            decided: date | None, contract_period: Mapping[str, Any]) -> list[dict[str, Any]]:
    status = "active" if awarded else "pending"
    awards: list[dict[str, Any]] = []
    groups: list[tuple[str, str, list[Bid], Decimal | None, list[str]]] = []
    if t.publication.awards:
        for a in t.publication.awards:
            bids = [b for b in winners if b.supplier in a.suppliers]
            groups.append((a.id, a.title, bids, a.value, [a.lot] if a.lot else []))
    else:
        value: Decimal | None
        value = winners[0].price if len(winners) == 1 else contract_value(t)
        groups.append((f"{ocid}-award-1", f"Award of {t.title}", list(winners), value, []))
    for aid, title, bids, value, related in groups:
        award: dict[str, Any] = {"id": aid, **({"title": title} if title else {}), "status": status,
                                 "suppliers": [refs[b.supplier] for b in bids]}
        if decided is not None:
            award["date"] = _start(decided)
        if value is not None:
            award["value"] = _gbp(value)
        if related:
            award["relatedLots"] = related
        award["contractPeriod"] = dict(contract_period)
        awards.append(award)
    return awards


def _contracts(t: Tender, ocid: str, awards: Sequence[Mapping[str, Any]], period: Mapping[str, Any],
               when: datetime) -> list[dict[str, Any]]:
    out = []
    for n, a in enumerate(awards, start=1):
        c: dict[str, Any] = {"id": f"{ocid}-contract-{n}", "awardID": a["id"], "title": f"Contract for {t.title}",
                             "status": "active", "period": dict(period),
                             "dateSigned": _at(t, "contract_signed")}
        if "value" in a:
            c["value"] = dict(a["value"])
        if t.publication.above_threshold is not None:
            c["aboveThreshold"] = t.publication.above_threshold
        out.append(c)
    return out


def published_form(t: Tender, fmt: str, prefix: str | None = None) -> Tender:
    """The tender as an export in ``fmt`` publishes it: for an OCDS format, with its ocid and party ids assigned
    (:func:`assign_identities`; the caller saves it back when it differs, so they never change afterwards);
    any other format, as it is. The command line and the app both export through this."""
    return assign_identities(t, ocid_prefix(prefix)) if fmt.startswith("ocds") else t


def recorded_identities(current: Tender, published: Tender) -> Tender:
    """``current`` (the tender as it is now, perhaps edited while the export ran) with the ocid and party ids
    that ``published`` was exported with."""
    p = current.publication
    ids = {**published.publication.party_ids, **p.party_ids}
    return replace(current, publication=replace(p, ocid=p.ocid or published.publication.ocid, party_ids=ids))


def assign_identities(t: Tender, prefix: str | None = None) -> Tender:
    """``t`` with its ocid and every bid's party id recorded in its :class:`Publication`, so that they never
    change afterwards (renaming the reference, or removing a bid, renumbers nothing). Save the result. An ocid
    with the placeholder prefix is not recorded (it is not for publication)."""
    p = t.publication
    ids = dict(p.party_ids)
    used = set(ids.values())
    for b in t.bids:
        if b.supplier in ids:
            continue
        pid = party_id(replace(t, publication=replace(p, party_ids={})), b)
        n = 2
        while pid in used:                       # two bids sharing an identifier keep apart
            pid = f"{party_id(replace(t, publication=replace(p, party_ids={})), b)}-{n}"
            n += 1
        ids[b.supplier] = pid
        used.add(pid)
    ocid = make_ocid(t, prefix)
    # A placeholder ocid is not for publication: it is not kept, so the registered prefix applies once it is set.
    keep = "" if ocid.startswith(DEFAULT_OCID_PREFIX + "-") else ocid
    return replace(t, publication=replace(p, ocid=keep, party_ids=ids))


def award_release_package(t: Tender, **kwargs: Any) -> dict[str, Any]:
    """An OCDS 1.1.5 release package announcing the award of ``t`` (see :func:`release_package`)."""
    return release_package(t, **kwargs)



def dumps_ocds(doc: Any, indent: int | None = 2) -> str:
    """JSON text with ``Decimal`` amounts written as exact JSON numbers (``540000.00``), not strings or floats."""
    out: list[str] = []
    _encode(doc, out, indent, 0)
    return "".join(out) + ("\n" if indent is not None else "")


def _encode(o: Any, out: list[str], indent: int | None, level: int) -> None:
    if isinstance(o, Decimal):
        if not o.is_finite():
            raise ValueError(f"{o} is not a JSON number")
        out.append(f"{o:f}")
    elif isinstance(o, dict):
        if not o:
            out.append("{}")
            return
        out.append("{")
        for i, (k, v) in enumerate(o.items()):
            if i:
                out.append(",")
            out.append(_newline(indent, level + 1))
            out.append(json.dumps(str(k), ensure_ascii=False))
            out.append(": ")
            _encode(v, out, indent, level + 1)
        out.append(_newline(indent, level) + "}")
    elif isinstance(o, list | tuple):
        if not o:
            out.append("[]")
            return
        out.append("[")
        for i, v in enumerate(o):
            if i:
                out.append(",")
            out.append(_newline(indent, level + 1))
            _encode(v, out, indent, level + 1)
        out.append(_newline(indent, level) + "]")
    else:
        out.append(json.dumps(o, ensure_ascii=False))


def _newline(indent: int | None, level: int) -> str:
    return "" if indent is None else "\n" + " " * (indent * level)


def write_release_package(t: Tender, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Write :func:`release_package` (an award, or the notice ``notice=``) as a JSON file, atomically: a notice
    the tender cannot fill raises before anything is written."""
    return write_text_atomic(path, dumps_ocds(release_package(t, **kwargs)))
