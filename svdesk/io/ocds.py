"""Open Contracting Data Standard 1.1.5: a tender's award out as a release package, notices in as draft tenders.

**Out** (:func:`award_release_package`, :func:`write_release_package`): one release tagged ``award`` with the
buyer and every bidder in ``parties`` (roles ``buyer``, ``tenderer``, ``supplier``), the tender (value, status,
``awardCriteria = "ratedCriteria"`` with the criteria and weights in ``awardCriteriaDetails``, tenderers, periods)
and one award to the winning bid (value = its price, status ``active`` once the tender is awarded, ``pending``
before). Per-bidder scores are not part of OCDS core and are not published. Amounts are written as exact JSON
numbers (never through a float).

Addresses are published for the awarded supplier only; the other tenderers are
named without one (a sole trader's address is personal data).

The ``ocid`` is ``<prefix>-<tender reference>``. Real prefixes are registered with the Open Contracting
Partnership (Contracts Finder uses ``ocds-b5fd17``); svdesk's default, :data:`DEFAULT_OCID_PREFIX`, is a
clearly local placeholder. Set the council's prefix with ``SVDESK_OCID_PREFIX`` or ``--ocid-prefix``.

**In** (:func:`read_ocds_file`, :func:`ocds_to_tender`): a release, a release package, a record or a record
package (as Contracts Finder and Find a Tender publish them) becomes a new draft :class:`Tender` pre-filled with
title, description, buyer, value, key dates, the lots and items (listed in the description) and the suppliers of
any awards (as bids). Real notices are messy: HTML entities and tags, stray spaces, blank identifiers, empty or
malformed dates, integer ids and extra fields are tolerated and reported as warnings; only a file that is not
OCDS at all, or has no usable tender, is refused with a :class:`~svdesk.errors.FileFormatError`.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from svdesk.atomic import write_text_atomic
from svdesk.domain.money import MAX_MONEY, PENNY, format_gbp
from svdesk.domain.scoring import Results, score_tender
from svdesk.domain.tender import REFERENCE_MAX, Bid, CriterionKind, Tender, TenderStatus, check_tender
from svdesk.domain.values import TEXT_MAX
from svdesk.errors import FileFormatError, ValidationError
from svdesk.io.jsonfile import parse_json_text, read_json_file

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


def make_ocid(t: Tender, prefix: str | None = None) -> str:
    """``<prefix>-<reference>``, the reference reduced to letters, digits and hyphens."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", t.reference).strip("-") or "tender"
    return f"{ocid_prefix(prefix)}-{slug}"


def _iso_day(d: date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


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


def award_release_package(
    t: Tender,
    *,
    prefix: str | None = None,
    published: datetime | None = None,
    publisher: str | None = None,
    results: Results | None = None,
) -> dict[str, Any]:
    """An OCDS 1.1.5 release package announcing the award of ``t`` to its top-ranked bid.

    Args:
        prefix: the ocid prefix (default: :func:`ocid_prefix`).
        published: the package's and release's date (default: now, UTC).
        publisher: who publishes (default: the buyer).
        results: the tender's scores (default: scored now).

    Raises:
        ValidationError: no buyer, a cancelled tender, no ranked bid, or a tie for first place.
        ScoringError: the tender cannot be scored.
    """
    if not t.buyer.strip():
        raise ValidationError("buyer", f"{t.reference} has no buyer (the council's name): set it before publishing")
    if t.status is TenderStatus.CANCELLED:
        raise ValidationError("status", f"{t.reference} was cancelled: there is no award to publish")
    res = results if results is not None else score_tender(t, compare=False)
    winners = res.winners
    if not winners:
        raise ValidationError("bids", f"{t.reference} has no ranked bid yet: score the bids before publishing")
    if len(winners) > 1:
        names = ", ".join(w.supplier for w in winners)
        raise ValidationError("bids", f"{t.reference} has a tie for first place ({names}): resolve it first")
    winner = winners[0]
    when = published or datetime.now(UTC)
    ocid = make_ocid(t, prefix)

    parties: list[dict[str, Any]] = [{"id": "buyer", "name": t.buyer.strip(), "roles": ["buyer"]}]
    refs: dict[str, dict[str, str]] = {}
    for i, b in enumerate(t.bids, start=1):
        pid = f"tenderer-{i}"
        won = b.supplier == winner.supplier
        party: dict[str, Any] = {"id": pid, "name": b.supplier, "roles": ["tenderer", "supplier"] if won
                                 else ["tenderer"]}
        # Only the awarded supplier's address is published (contract award notices name it); an unsuccessful
        # tenderer is named only: a sole trader's address is personal data.
        if won and b.address:
            party["address"] = {"streetAddress": b.address}
        parties.append(party)
        refs[b.supplier] = {"id": pid, "name": b.supplier}

    tender: dict[str, Any] = {
        "id": t.reference,
        "title": t.title,
        "status": _TENDER_STATUS[t.status],
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": award_criteria_details(t),
        "numberOfTenderers": len(t.bids),
        "tenderers": [refs[b.supplier] for b in t.bids],
    }
    if t.description:
        tender["description"] = t.description
    if t.whole_life_value is not None:
        tender["value"] = _gbp(t.whole_life_value)
    if "bids_due" in t.key_dates:
        tender["tenderPeriod"] = {"endDate": _iso_day(t.key_dates["bids_due"])}
    if "clarification_deadline" in t.key_dates:
        tender["enquiryPeriod"] = {"endDate": _iso_day(t.key_dates["clarification_deadline"])}
    contract_period = {
        k: _iso_day(t.key_dates[d]) for k, d in (("startDate", "contract_start"), ("endDate", "contract_end"))
        if d in t.key_dates
    }
    if contract_period:
        tender["contractPeriod"] = contract_period

    award: dict[str, Any] = {
        "id": f"{ocid}-award-1",
        "title": f"Award of {t.title}",
        "status": "active" if t.status in (TenderStatus.AWARDED, TenderStatus.CLOSED) else "pending",
        "suppliers": [refs[winner.supplier]],
    }
    if "award_decision" in t.key_dates:
        award["date"] = _iso_day(t.key_dates["award_decision"])
    if winner.price is not None:
        award["value"] = _gbp(winner.price)
    if contract_period:
        award["contractPeriod"] = dict(contract_period)

    release: dict[str, Any] = {
        "ocid": ocid,
        "id": "",
        "date": _iso(when),
        "tag": ["award"],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": {"id": "buyer", "name": t.buyer.strip()},
        "tender": tender,
        "awards": [award],
    }
    # The release id identifies this content: the same award exported twice gets the same id, a changed
    # one a new id (OCDS requires ids unique within the ocid).
    digest = hashlib.sha256(dumps_ocds({k: v for k, v in release.items() if k != "date"}).encode()).hexdigest()
    release["id"] = f"{ocid}-award-{digest[:12]}"
    return {
        "uri": f"urn:svdesk:{release['id']}",
        "version": OCDS_VERSION,
        "publishedDate": _iso(when),
        "publisher": {"name": (publisher or t.buyer).strip()},
        "releases": [release],
    }


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
    """Write :func:`award_release_package` as a JSON file, atomically."""
    return write_text_atomic(path, dumps_ocds(award_release_package(t, **kwargs)))


# ---------------------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OcdsLot:
    """A lot in the notice."""

    id: str
    title: str
    value: Decimal | None = None


@dataclass(frozen=True)
class OcdsItem:
    """An item (line of what is bought) in the notice, with its classification (e.g. a CPV code)."""

    id: str
    description: str
    classification: str = ""


@dataclass(frozen=True)
class OcdsImport:
    """A tender pre-filled from an OCDS notice, with what was learnt and what had to be tolerated.

    Attributes:
        tender: a new draft tender.
        kind: ``release``, ``release package``, ``record`` or ``record package``.
        ocid: the contracting process's ocid.
        value: the notice's value exactly as published (GBP), or None.
        lots, items: what the notice says is bought (also listed in the tender's description).
        suppliers: names of awarded suppliers (each became a bid).
        warnings: quirks tolerated (HTML entities, blank identifiers, empty dates…), in plain English.
    """

    tender: Tender
    kind: str
    ocid: str
    value: Decimal | None
    lots: tuple[OcdsLot, ...] = ()
    items: tuple[OcdsItem, ...] = ()
    suppliers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


def load_json(data: bytes, source: str) -> Any:
    """Parse JSON bytes (UTF-8, BOM allowed) with the shared reader's rules (:mod:`svdesk.io.jsonfile`):
    numbers as ``Decimal``, NaN/Infinity and duplicate keys refused, too deep a nesting a clear error.

    Raises:
        FileFormatError: not UTF-8 or not JSON (names the line and column).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FileFormatError(source, f"byte {e.start}", "is not UTF-8 text") from None
    return parse_json_text(text, source)


def ocds_kind(doc: Any) -> str | None:
    """What OCDS document this is (``release``, ``release package``, ``record``, ``record package``), or None."""
    if isinstance(doc, list):
        return "release list" if doc and all(isinstance(r, dict) and "ocid" in r for r in doc) else None
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("records"), list):
        return "record package"
    if any(isinstance(doc.get(k), dict) for k in ("compiledRelease", "versionedRelease")):
        return "record"
    if "ocid" in doc and isinstance(doc.get("releases"), list) and "tag" not in doc:
        return "record"
    if isinstance(doc.get("releases"), list):
        return "release package"
    if "ocid" in doc:
        return "release"
    return None


class _Warnings:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        if text not in self.items:
            self.items.append(text)


def _merge(a: Any, b: Any) -> Any:
    """OCDS-style merge of a later release ``b`` over ``a``: objects field by field, arrays of objects by id."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for k, v in b.items():
            out[k] = _merge(a.get(k), v) if k in a else v
        return out
    if (isinstance(a, list) and isinstance(b, list) and a and b
            and all(isinstance(x, dict) and "id" in x for x in (*a, *b))):
        merged: dict[str, Any] = {str(x["id"]): x for x in a}
        for x in b:
            key = str(x["id"])
            merged[key] = _merge(merged[key], x) if key in merged else x
        return list(merged.values())
    return b if b is not None else a


def _flatten_versioned(v: Any) -> Any:
    """A versioned release's latest values (each field is a list of ``{releaseDate, releaseID, value}``)."""
    if isinstance(v, list) and v and all(isinstance(x, dict) and "releaseID" in x and "value" in x for x in v):
        return _flatten_versioned(v[-1]["value"])
    if isinstance(v, dict):
        return {k: _flatten_versioned(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_flatten_versioned(x) for x in v]
    return v


def _release_sort_key(r: Any) -> str:
    return str(r.get("date") or "") if isinstance(r, dict) else ""


def _compile(releases: Sequence[Any], source: str, where: str, w: _Warnings) -> dict[str, Any]:
    usable = [r for r in releases if isinstance(r, dict)]
    if not usable:
        raise FileFormatError(source, where, "holds no releases")
    full = [r for r in usable if any(k in r for k in ("tender", "buyer", "awards", "parties"))]
    if not full:
        raise FileFormatError(source, where, "holds only links to releases (no data): download the releases "
                                             "themselves")
    ocids = list(dict.fromkeys(str(r.get("ocid", "")) for r in full))
    if len(ocids) > 1:
        w.add(f"the file holds {len(ocids)} contracting processes; only the first ({ocids[0]}) was imported")
    chosen = sorted((r for r in full if str(r.get("ocid", "")) == ocids[0]), key=_release_sort_key)
    merged: dict[str, Any] = {}
    for r in chosen:
        merged = _merge(merged, r)
    merged["_first_date"] = chosen[0].get("date")
    return merged


def _release_of(doc: Any, kind: str, source: str, w: _Warnings) -> dict[str, Any]:
    if kind == "release":
        rel = dict(doc)
        rel["_first_date"] = doc.get("date")
        return rel
    if kind in ("release package", "release list"):
        releases = doc if kind == "release list" else doc["releases"]
        return _compile(releases, source, "$.releases", w)
    records = doc["records"] if kind == "record package" else [doc]
    if not records or not isinstance(records[0], dict):
        raise FileFormatError(source, "$.records", "holds no records")
    if len(records) > 1:
        w.add(f"the file holds {len(records)} records; only the first was imported")
    rec = records[0]
    where = "$.records[0]" if kind == "record package" else "$"
    releases = _list(rec.get("releases"))
    first_date = min((str(r.get("date")) for r in releases if isinstance(r, dict) and r.get("date")), default=None)
    if isinstance(rec.get("compiledRelease"), dict):
        rel = dict(rec["compiledRelease"])
    elif isinstance(rec.get("versionedRelease"), dict):
        rel = _flatten_versioned(rec["versionedRelease"])
    else:
        rel = _compile(releases, source, f"{where}.releases", w)
    rel["_first_date"] = first_date or rel.get("date")
    return rel


_TAG_RE = re.compile(r"<\s*/?\s*(p|br|div|ul|ol|li|strong|b|i|em|span|h[1-6]|u|table|tr|td|th|a)\b[^>]*>", re.I)
_BLOCK_TAG_RE = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.I)
_ENTITY_RE = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _text(v: Any, what: str, w: _Warnings, *, multiline: bool = False, limit: int = TEXT_MAX) -> str:
    """Clean one text field of a notice, noting every repair as a warning."""
    if v is None:
        return ""
    if isinstance(v, bool):
        w.add(f"{what} was true/false, not text: ignored")
        return ""
    if isinstance(v, int | Decimal):
        w.add(f"{what} was a number ({v}); read as text")
        v = str(v)
    if not isinstance(v, str):
        w.add(f"{what} was not text: ignored")
        return ""
    text = v
    if _TAG_RE.search(text):
        text = _BLOCK_TAG_RE.sub("\n", text)
        text = _TAG_RE.sub("", text)
        w.add(f"{what} contained HTML markup: removed")
    if _ENTITY_RE.search(text):
        text = html.unescape(text)
        w.add(f"{what} contained HTML entities (like &amp;): decoded")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = "".join(
        ch for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
    )
    if cleaned != text:
        w.add(f"{what} contained hidden control characters: removed")
    text = cleaned.replace("\t", " ")
    if multiline:
        lines = [re.sub(r"[ \u00a0]+", " ", line).strip() for line in text.split("\n")]
        tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    else:
        tidy = re.sub(r"\s+", " ", text).strip()
    if text.strip() != text or (not multiline and "  " in text):
        w.add(f"{what} had stray spaces: trimmed")
    if len(tidy) > limit:
        w.add(f"{what} was {len(tidy):,} characters long: cut to {limit:,}")
        tidy = tidy[: limit - 1].rstrip() + "…"
    return tidy


def _obj(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _day(v: Any, what: str, w: _Warnings) -> date | None:
    if v is None:
        return None
    if not isinstance(v, str):
        w.add(f"{what} was not a date ({v!r}): ignored")
        return None
    text = v.strip()
    if not text:
        w.add(f"{what} was empty: ignored")
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        w.add(f"{what} {text[:40]!r} is not a date: ignored")
        return None


def _amount(v: Any, what: str, w: _Warnings) -> Decimal | None:
    """A GBP amount from an OCDS Value object, or None (with a warning when something was wrong)."""
    if v is None:
        return None
    if not isinstance(v, dict):
        w.add(f"{what} was not a value object: ignored")
        return None
    raw = v.get("amount")
    if raw is None:
        return None
    currency = v.get("currency")
    if isinstance(currency, str) and currency.strip() and currency.strip().upper() != "GBP":
        w.add(f"{what} is in {currency.strip()}, not pounds: ignored")
        return None
    try:
        if isinstance(raw, bool):
            raise InvalidOperation
        d = Decimal(raw.strip().replace(",", "")) if isinstance(raw, str) else Decimal(raw)
    except (InvalidOperation, ValueError, TypeError):
        w.add(f"{what} {str(raw)[:40]!r} is not an amount: ignored")
        return None
    if not d.is_finite() or d < 0 or d > MAX_MONEY:
        w.add(f"{what} {str(raw)[:40]} is not a plausible amount: ignored")
        return None
    if d != d.quantize(PENNY):
        w.add(f"{what} {d} had fractions of a penny: rounded to {d.quantize(PENNY, ROUND_HALF_UP)}")
    return d.quantize(PENNY, ROUND_HALF_UP)


def _ident(v: Any) -> str:
    if isinstance(v, bool) or v is None:
        return ""
    return str(v).strip()


def _party_names(rel: Mapping[str, Any], w: _Warnings) -> dict[str, dict[str, Any]]:
    parties: dict[str, dict[str, Any]] = {}
    for i, p in enumerate(_list(rel.get("parties"))):
        if not isinstance(p, dict):
            continue
        ident = _obj(p.get("identifier"))
        if ident and not _ident(ident.get("id")) and not _ident(ident.get("scheme")):
            w.add("some organisations have a blank identifier (scheme and id empty): ignored")
        pid = _ident(p.get("id")) or f"#{i}"
        parties[pid] = p
    return parties


def _buyer(rel: Mapping[str, Any], parties: Mapping[str, dict[str, Any]], w: _Warnings) -> str:
    buyer = _obj(rel.get("buyer"))
    name = _text(buyer.get("name"), "the buyer's name", w, limit=NAME_MAX)
    if name:
        return name
    bid = _ident(buyer.get("id"))
    if bid and bid in parties:
        name = _text(parties[bid].get("name"), "the buyer's name", w, limit=NAME_MAX)
        if name:
            return name
    for p in parties.values():
        if "buyer" in [str(r) for r in _list(p.get("roles"))]:
            name = _text(p.get("name"), "the buyer's name", w, limit=NAME_MAX)
            if name:
                return name
    procuring = _obj(_obj(rel.get("tender")).get("procuringEntity"))
    name = _text(procuring.get("name"), "the procuring entity's name", w, limit=NAME_MAX)
    if not name:
        w.add("the notice names no buyer: fill it in")
    return name


def _contract_dates(rel: Mapping[str, Any], w: _Warnings) -> tuple[date | None, date | None]:
    tender = _obj(rel.get("tender"))
    periods = [_obj(tender.get("contractPeriod"))]
    periods += [_obj(_obj(a).get("contractPeriod")) for a in _list(rel.get("awards"))]
    periods += [_obj(_obj(c).get("period")) for c in _list(rel.get("contracts"))]
    start = end = None
    for p in periods:
        start = start or _day(p.get("startDate"), "a contract start date", w)
        end = end or _day(p.get("endDate"), "a contract end date", w)
    for m in _list(tender.get("milestones")):
        m = _obj(m)
        title = str(m.get("title") or "").casefold()
        if "contract" in title and "start" in title and start is None:
            start = _day(m.get("dueDate"), "the contract start milestone", w)
        elif "contract" in title and "end" in title and end is None:
            end = _day(m.get("dueDate"), "the contract end milestone", w)
    if start and end and end < start:
        w.add(f"the contract ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}): dates not used")
        return None, None
    return start, end


def _term_years(start: date | None, end: date | None) -> int | None:
    if start is None or end is None:
        return None
    days = (end - start).days + 1
    return max(1, min(50, round(days / 365.25)))


def _lots_and_items(tender: Mapping[str, Any], w: _Warnings) -> tuple[tuple[OcdsLot, ...], tuple[OcdsItem, ...]]:
    lots = []
    for i, lot in enumerate(_list(tender.get("lots"))):
        lot = _obj(lot)
        lid = _ident(lot.get("id")) or str(i + 1)
        title = _text(lot.get("title"), f"lot {lid}'s title", w, limit=TITLE_MAX) or f"Lot {lid}"
        lots.append(OcdsLot(lid, title, _amount(lot.get("value"), f"lot {lid}'s value", w)))
    items = []
    for i, it in enumerate(_list(tender.get("items"))):
        it = _obj(it)
        iid = _ident(it.get("id")) or str(i + 1)
        cls = _obj(it.get("classification"))
        code = _ident(cls.get("id"))
        scheme = _ident(cls.get("scheme"))
        label = _text(cls.get("description"), f"item {iid}'s classification", w, limit=NAME_MAX)
        classification = " ".join(x for x in (scheme, code) if x)
        if label:
            classification = f"{classification}: {label}" if classification else label
        items.append(OcdsItem(iid, _text(it.get("description"), f"item {iid}'s description", w, limit=1000),
                              classification))
    return tuple(lots), tuple(items)


def _award_bids(
    rel: Mapping[str, Any], parties: Mapping[str, dict[str, Any]], w: _Warnings
) -> tuple[Bid, ...]:
    bids: dict[str, Bid] = {}
    for n, a in enumerate(_list(rel.get("awards")), start=1):
        a = _obj(a)
        status = str(a.get("status") or "").strip().lower()
        if status in ("cancelled", "unsuccessful"):
            continue
        suppliers = [_obj(s) for s in _list(a.get("suppliers"))]
        value = _amount(a.get("value"), "an award's value", w)
        label = f"award {_ident(a.get('id')) or n}"
        for s in suppliers:
            party = parties.get(_ident(s.get("id")), {})
            name = _text(s.get("name"), "an awarded supplier's name", w, limit=NAME_MAX) or _text(
                party.get("name"), "an awarded supplier's name", w, limit=NAME_MAX
            )
            if not name:
                w.add("an award names a supplier without a name: skipped")
                continue
            key = name.casefold()
            if key in bids:
                # One bid per supplier (the domain's rule, ignoring case): say what happened to this award.
                first = bids[key].supplier
                same = f"“{name}”, the same supplier as “{first}”" if name != first else f"“{name}”"
                lost = (f"; its value {format_gbp(value)} was not used" if value is not None and len(suppliers) == 1
                        else "")
                w.add(f"{label} is to {same}, who already has a bid from an earlier award: the two were merged "
                      f"into one bid, priced from the earlier award{lost}")
                continue
            scale = str(_obj(party.get("details")).get("scale") or "").strip().lower()
            price = value if len(suppliers) == 1 else None
            bids[key] = Bid(supplier=name, price=price, sme=scale in ("sme", "micro", "small", "medium"))
        if len(suppliers) > 1 and value is not None:
            w.add("an award with several suppliers has one value for all of them: no prices were filled in")
    return tuple(bids.values())


def _reference(explicit: str | None, ocid: str, w: _Warnings) -> str:
    if explicit:
        return explicit.strip()
    if len(ocid) <= REFERENCE_MAX:
        return ocid
    w.add(f"the ocid is longer than a reference may be ({REFERENCE_MAX}); the reference was shortened")
    return ocid[:REFERENCE_MAX]


def ocds_to_tender(doc: Any, source: str = "", *, reference: str | None = None) -> OcdsImport:
    """A new draft tender pre-filled from a parsed OCDS document.

    Args:
        doc: a release, release package, record or record package (parsed JSON).
        source: the file name for messages.
        reference: the new tender's reference (default: the notice's ocid).

    Raises:
        FileFormatError: not OCDS, no releases, or no tender or title at all.
    """
    kind = ocds_kind(doc)
    if kind is None:
        raise FileFormatError(source, "$", "is not an OCDS release, release package, record or record package")
    w = _Warnings()
    try:
        rel = _release_of(doc, kind, source, w)
    except RecursionError:
        raise FileFormatError(source, "$", "is nested too deeply to be an OCDS notice") from None
    ocid = _ident(rel.get("ocid"))
    if not ocid:
        raise FileFormatError(source, "$.ocid", "is missing: this is not a usable OCDS release")
    tender = _obj(rel.get("tender"))
    title = _text(tender.get("title"), "the title", w, limit=TITLE_MAX)
    if not title:
        for a in _list(rel.get("awards")):
            title = _text(_obj(a).get("title"), "the award's title", w, limit=TITLE_MAX)
            if title:
                break
    if not title:
        title = f"Notice {ocid}"[:TITLE_MAX]
        w.add("the notice has no title: fill it in")
    parties = _party_names(rel, w)
    buyer = _buyer(rel, parties, w)
    value = _amount(tender.get("value"), "the tender value", w)
    if value is None:
        value = _amount(_obj(_obj(rel.get("planning")).get("budget")).get("amount"), "the budget", w)
    start, end = _contract_dates(rel, w)
    term = _term_years(start, end)
    annual: Decimal | None = None
    if value is not None:
        years = term or 1
        annual = (value / years).quantize(PENNY, ROUND_HALF_UP)
        if term is None:
            w.add(f"the notice gives no contract period: its value {format_gbp(value)} was recorded as one "
                  "year's value (check the term and annual value)")
        elif annual * years != value:
            w.add(f"the notice's value {format_gbp(value)} over {years} years is not a whole number of pence a "
                  f"year: recorded {format_gbp(annual)} a year ({format_gbp(annual * years)} in all); adjust it")

    period = _obj(tender.get("tenderPeriod"))
    published = _day(period.get("startDate"), "the tender period's start", w) or _day(
        rel.get("_first_date"), "the release date", w
    )
    candidates = {
        "published": published,
        "clarification_deadline": _day(_obj(tender.get("enquiryPeriod")).get("endDate"), "the enquiry deadline", w),
        "bids_due": _day(period.get("endDate"), "the tender deadline", w),
        "award_decision": _day(_obj(tender.get("awardPeriod")).get("startDate"), "the award date", w),
        "contract_start": start,
        "contract_end": end,
    }
    if candidates["award_decision"] is None:
        for a in _list(rel.get("awards")):
            candidates["award_decision"] = _day(_obj(a).get("date"), "an award's date", w)
            if candidates["award_decision"]:
                break
    dates = {k: v for k, v in candidates.items() if v is not None}

    lots, items = _lots_and_items(tender, w)
    description = _text(tender.get("description"), "the description", w, multiline=True, limit=TEXT_MAX - 2000)
    notes = [f"Imported from the OCDS notice {ocid}."]
    if value is not None:
        notes.append(f"Value in the notice: {format_gbp(value)} for the whole contract.")
    if lots:
        notes.append("Lots:\n" + "\n".join(
            f"- {lot.title}" + (f" ({format_gbp(lot.value)})" if lot.value is not None else "") for lot in lots[:50]
        ))
    if items:
        notes.append("Items:\n" + "\n".join(
            "- " + " — ".join(x for x in (it.description, it.classification) if x) for it in items[:50]
        ))
    appendix = "\n\n".join(notes)[:1900]
    full_description = f"{description}\n\n{appendix}" if description else appendix

    bids = _award_bids(rel, parties, w)
    t = Tender(
        reference=_reference(reference, ocid, w),
        title=title,
        status=TenderStatus.DRAFT,
        annual_value=annual,
        term_years=term or 1,
        description=full_description,
        buyer=buyer,
        key_dates=dates,
        bids=bids,
    )
    try:
        check_tender(t)
    except ValidationError as e:
        raise FileFormatError(source, f"$.{e.field}", e.message) from None
    return OcdsImport(
        tender=t,
        kind=kind,
        ocid=ocid,
        value=value,
        lots=lots,
        items=items,
        suppliers=tuple(b.supplier for b in bids),
        warnings=tuple(w.items),
    )


def read_ocds_file(path: str | os.PathLike[str], *, reference: str | None = None) -> OcdsImport:
    """Read an OCDS JSON file into a new draft tender (see :func:`ocds_to_tender`).

    Raises:
        FileFormatError: unreadable, too large, not JSON, not OCDS, or no usable tender.
    """
    return ocds_to_tender(read_json_file(path, limit=MAX_OCDS_BYTES), str(path), reference=reference)


__all__ = [
    "DEFAULT_OCID_PREFIX",
    "OcdsImport",
    "OcdsItem",
    "OcdsLot",
    "award_release_package",
    "dumps_ocds",
    "load_json",
    "make_ocid",
    "ocds_kind",
    "ocds_to_tender",
    "ocid_prefix",
    "read_ocds_file",
    "write_release_package",
]
