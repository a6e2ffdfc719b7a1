"""Reading OCDS: a Contracts Finder or Find a Tender notice into a new draft tender (see the package docstring)."""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from svdesk.domain import text as text_rule
from svdesk.domain.money import MAX_MONEY, PENNY, format_gbp
from svdesk.domain.publication import METHODS, Address, Classification, Publication
from svdesk.domain.publication import Award as PublishedAward
from svdesk.domain.publication import Lot as PublishedLot
from svdesk.domain.tender import (
    REFERENCE_MAX,
    Bid,
    Tender,
    TenderStatus,
    check_tender,
    normalise_identity,
)
from svdesk.domain.values import TEXT_MAX
from svdesk.errors import FileFormatError, ValidationError
from svdesk.io.jsonfile import parse_json_text, read_json_file
from svdesk.io.ocds.writing import (
    _REFERENCE_OCID_RE,
    MAX_OCDS_BYTES,
    NAME_MAX,
    TITLE_MAX,
)

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
        suppliers: names of the awarded suppliers and other tenderers (each became a bid).
        notes: what the import read, for the officer (never published: it is not part of the description).
        awarded_value: the total of the notice's awards, or None.
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
    notes: str = ""
    awarded_value: Decimal | None = None


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
        if ch in "\n\t" or text_rule.hidden_character(ch) is None   # the one text rule (svdesk/domain/text.py)
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


def _london_time(v: Any) -> str | None:
    """The time of day (UK time, ``"HH:MM"``) a notice gives with a date, unless it is only the start or end of
    the day (svdesk's own date-only exports) or it has no time at all."""
    if not isinstance(v, str) or "T" not in v:
        return None
    try:
        at = datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if at.tzinfo is not None:
        from zoneinfo import ZoneInfo

        at = at.astimezone(ZoneInfo("Europe/London"))
    hm = f"{at.hour:02d}:{at.minute:02d}"
    return None if hm in ("00:00", "23:59") else hm


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
        w.add(f"{what} {text_rule.excerpt(getattr(raw, 'source', raw))} is not a plausible amount: ignored")
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


_SCHEME_FIELD = {"GB-PPON": "cdp_id", "GB-COH": "companies_house", "GB-CHC": "charity_number",
                 "GB-SC": "charity_number", "GB-NIC": "charity_number"}


def _identifiers(party: Mapping[str, Any], who: str, w: _Warnings) -> dict[str, str]:
    """A party's identifiers as bid fields (``cdp_id``, ``companies_house``, ``charity_number``); other schemes
    are named in a warning."""
    out: dict[str, str] = {}
    for ident in [_obj(party.get("identifier")), *[_obj(i) for i in _list(party.get("additionalIdentifiers"))]]:
        scheme, value = _ident(ident.get("scheme")).upper(), _ident(ident.get("id"))
        if not scheme or not value:
            continue
        name = _SCHEME_FIELD.get(scheme)
        if name is None:
            w.add(f"{who}'s identifier {scheme} {value[:40]} has a scheme svdesk does not keep: not recorded")
            continue
        if scheme == "GB-NIC" and not value.upper().startswith("NIC"):
            value = "NIC" + value
        try:
            tidy = normalise_identity(name, value, name)
        except ValidationError as e:
            w.add(f"{who}'s identifier {scheme} {value[:40]!r}: {e.message}; not recorded")
            continue
        out.setdefault(name, tidy)
    return out


def _structured_address(party: Mapping[str, Any]) -> Address:
    a = _obj(party.get("address"))
    country = _ident(a.get("countryName")) or "GB"
    return Address(street=_ident(a.get("streetAddress")), locality=_ident(a.get("locality")),
                   region=_ident(a.get("region")), postal_code=" ".join(_ident(a.get("postalCode")).split()),
                   country="GB" if country.casefold() in ("gb", "uk", "united kingdom", "england", "scotland",
                                                          "wales", "northern ireland") else country)


def _flag(details: Mapping[str, Any], *keys: str) -> bool:
    for k in keys:
        v = details.get(k)
        if isinstance(v, bool):
            return v
        if isinstance(v, str) and v.strip().lower() in ("true", "yes", "1"):
            return True
    return False


def _award_bids(
    rel: Mapping[str, Any], parties: Mapping[str, dict[str, Any]], w: _Warnings
) -> tuple[tuple[Bid, ...], dict[str, str], tuple[PublishedAward, ...], dict[str, Address]]:
    """The awarded suppliers (and other tenderers) as bids; their party ids; the awards as published; the awarded
    suppliers' structured addresses."""
    bids: dict[str, Bid] = {}
    first_award: dict[str, str] = {}
    party_ids: dict[str, str] = {}
    addresses: dict[str, Address] = {}
    multi: list[PublishedAward] = []

    def add(s: Mapping[str, Any], label: str, price: Decimal | None, awarded: bool) -> str | None:
        pid = _ident(s.get("id"))
        party = parties.get(pid, {})
        name = _text(s.get("name"), "a supplier's name", w, limit=NAME_MAX) or _text(
            party.get("name"), "a supplier's name", w, limit=NAME_MAX)
        if not name:
            w.add("an award names a supplier without a name: skipped")
            return None
        key = text_rule.lookalike_key(name)  # look-alike names are one supplier (the domain's rule)
        if key in bids:
            if not awarded:
                return bids[key].supplier
            first = bids[key].supplier
            same = f"“{name}”, the same supplier as “{first}”" if name != first else f"“{name}”"
            if first_award.get(key) == label:
                w.add(f"{label} names {same} twice: read as one supplier")
            elif key in first_award:
                lost = f"; its value {format_gbp(price)} was not used" if price is not None else ""
                w.add(f"{label} is to {same}, who already has a bid from an earlier award: the two were merged "
                      f"into one bid, priced from the earlier award{lost}")
            else:
                first_award[key] = label
                if price is not None and bids[key].price is None:
                    bids[key] = replace(bids[key], price=price)
            return first
        details = _obj(party.get("details"))
        scale = str(details.get("scale") or "").strip().lower()
        sme = scale in ("sme", "micro", "small", "medium") or _flag(details, "sme", "isSme")
        vcse = _flag(details, "vcse", "vco", "isVcse")
        idents = _identifiers(party, f"“{name}”", w)
        bids[key] = Bid(supplier=name, price=price, sme=sme, vcse=vcse, cdp_id=idents.get("cdp_id", ""),
                        companies_house=idents.get("companies_house", ""),
                        charity_number=idents.get("charity_number", ""))
        if awarded:
            first_award[key] = label
            address = _structured_address(party)
            if address:
                addresses[name] = address
        if pid and pid not in party_ids.values():
            party_ids[name] = pid
        return name

    for n, a in enumerate(_list(rel.get("awards")), start=1):
        a = _obj(a)
        status = str(a.get("status") or "").strip().lower()
        if status in ("cancelled", "unsuccessful"):
            continue
        suppliers = [_obj(s) for s in _list(a.get("suppliers"))]
        value = _amount(a.get("value"), "an award's value", w)
        label = f"award {_ident(a.get('id')) or n}"
        names = [add(s, label, value if len(suppliers) == 1 else None, True) for s in suppliers]
        lots = [_ident(x) for x in _list(a.get("relatedLots")) if _ident(x)]
        if len(lots) > 1:
            w.add(f"{label} is for {len(lots)} lots; svdesk records it against the first ({lots[0]})")
        title = _text(a.get("title"), f"{label}'s title", w, limit=TITLE_MAX)
        multi.append(PublishedAward(id=_ident(a.get("id")) or str(n), title=title, value=value,
                                    suppliers=tuple(x for x in dict.fromkeys(names) if x),
                                    lot=lots[0] if lots else ""))
    for s in _list(_obj(rel.get("tender")).get("tenderers")):
        add(_obj(s), "the tenderers", None, False)
    return tuple(bids.values()), party_ids, tuple(multi), addresses


def _reference(explicit: str | None, ocid: str, w: _Warnings) -> str:
    if explicit:
        return explicit.strip()
    if len(ocid) <= REFERENCE_MAX:
        return ocid
    w.add(f"the ocid is longer than a reference may be ({REFERENCE_MAX}); the reference was shortened")
    return ocid[:REFERENCE_MAX]


_CATEGORY = {"goods": "goods", "services": "services", "works": "works"}


def ocds_to_tender(doc: Any, source: str = "", *, reference: str | None = None) -> OcdsImport:
    """A new draft tender pre-filled from a parsed OCDS document.

    Args:
        doc: a release, release package, record or record package (parsed JSON).
        source: the file name for messages.
        reference: the new tender's reference (default: the notice's ocid).

    Raises:
        FileFormatError: not OCDS, no releases, no tender or title at all, or an extension svdesk does not know.
    """
    kind = ocds_kind(doc)
    if kind is None:
        raise FileFormatError(source, "$", "is not an OCDS release, release package, record or record package")
    check_extensions(doc, source)
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
    if value == 0:
        w.add("the tender value is £0.00 (Contracts Finder writes 0 when no value is given): not recorded")
        value = None
    if value is None:
        value = _amount(tender.get("minValue"), "the tender's minimum value", w)
        if value is not None:
            w.add(f"the notice gives only a minimum value ({format_gbp(value)}): recorded as the contract's value")
    if value is None:
        value = _amount(_obj(_obj(rel.get("planning")).get("budget")).get("amount"), "the budget", w)
    awarded_total = sum((v for v in (_amount(_obj(a).get("value"), "an award's value", _Warnings())
                                     for a in _list(rel.get("awards"))
                                     if str(_obj(a).get("status") or "").lower() not in ("cancelled",
                                                                                          "unsuccessful"))
                         if v is not None), Decimal(0))
    if value is None and awarded_total:
        value = awarded_total
        w.add(f"the notice gives no tender value: the awards' total {format_gbp(value)} was recorded")
    start, end = _contract_dates(rel, w)
    term = _term_years(start, end)
    if term is None:
        months = [_obj(p).get("durationInMonths") for p in (
            tender.get("contractPeriod"), *[_obj(a).get("contractPeriod") for a in _list(rel.get("awards"))])]
        months_ok = [m for m in months if isinstance(m, int | Decimal) and not isinstance(m, bool) and m > 0]
        if months_ok:
            term = max(1, min(50, round(int(months_ok[0]) / 12)))
    annual: Decimal | None = None
    contract_total: Decimal | None = None
    if value is not None:
        years = term or 1
        annual = (value / years).quantize(PENNY, ROUND_HALF_UP)
        if term is None:
            w.add(f"the notice gives no contract period: its value {format_gbp(value)} was recorded as one "
                  "year's value (check the term and annual value)")
        elif annual * years != value:
            contract_total = value
            w.add(f"the notice's value {format_gbp(value)} over {years} years is not a whole number of pence a "
                  f"year: the annual value reads {format_gbp(annual)}, and the contract's total is kept "
                  f"exactly as published")

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
    for a in _list(rel.get("awards")):
        a = _obj(a)
        candidates.setdefault("assessment_summaries_sent", None)
        candidates["assessment_summaries_sent"] = candidates["assessment_summaries_sent"] or _day(
            a.get("assessmentSummariesDateSent"), "the date the assessment summaries were sent", w)
        candidates.setdefault("award_notice", None)
        candidates["award_notice"] = candidates["award_notice"] or _day(
            _obj(a.get("standstillPeriod")).get("startDate"), "the standstill's start", w)
    for c in _list(rel.get("contracts")):
        candidates.setdefault("contract_signed", None)
        candidates["contract_signed"] = candidates["contract_signed"] or _day(
            _obj(c).get("dateSigned"), "the date the contract was signed", w)
    dates = {k: v for k, v in candidates.items() if v is not None}
    raw_times = {
        "published": period.get("startDate"),
        "clarification_deadline": _obj(tender.get("enquiryPeriod")).get("endDate"),
        "bids_due": period.get("endDate"),
        "assessment_summaries_sent": next((_obj(a).get("assessmentSummariesDateSent") for a in _list(rel.get("awards"))
                                           if _obj(a).get("assessmentSummariesDateSent")), None),
        "contract_signed": next((_obj(c).get("dateSigned") for c in _list(rel.get("contracts"))
                                 if _obj(c).get("dateSigned")), None),
    }
    times = {k: hm for k, v in raw_times.items() if k in dates and (hm := _london_time(v)) is not None}

    lots, items = _lots_and_items(tender, w)
    description = _text(tender.get("description"), "the description", w, multiline=True, limit=TEXT_MAX)
    notes = [f"Imported from the OCDS notice {ocid}."]
    if value is not None:
        notes.append(f"Value in the notice: {format_gbp(value)} for the whole contract.")
    if items:
        notes.append("Items:\n" + "\n".join(
            "- " + " — ".join(x for x in (it.description, it.classification) if x) for it in items[:50]
        ))

    bids, party_ids, award_lots, addresses = _award_bids(rel, parties, w)
    classifications = _classifications(tender, w)
    buyer_party = _buyer_party(rel, parties)
    buyer_ids: dict[str, str] = {}
    for ident in [_obj(buyer_party.get("identifier")),
                  *[_obj(i) for i in _list(buyer_party.get("additionalIdentifiers"))]]:
        scheme, bid_ = _ident(ident.get("scheme")).upper(), _ident(ident.get("id"))
        if scheme and bid_:
            buyer_ids.setdefault("scheme", scheme)
            buyer_ids.setdefault("id", bid_)
    contact = _obj(buyer_party.get("contactPoint"))
    by_lot = {a.lot: a for a in award_lots if a.lot}
    published_lots = tuple(_with_award(lot, by_lot.get(lot.id)) for lot in lots)
    method = _ident(tender.get("procurementMethod")).lower()
    if method and method not in METHODS:
        w.add(f"the procurement method {method!r} is not one svdesk knows: not recorded")
        method = ""
    category = _CATEGORY.get(_ident(tender.get("mainProcurementCategory")).lower(), "")
    above = tender.get("aboveThreshold")
    techniques = _obj(tender.get("techniques"))
    publication = Publication(
        ocid=ocid if _REFERENCE_OCID_RE.match(ocid) else "",
        party_ids=party_ids,
        classifications=classifications,
        lots=published_lots,
        awards=award_lots,
        buyer_scheme=buyer_ids.get("scheme", ""),
        buyer_id=buyer_ids.get("id", ""),
        buyer_address=_structured_address(buyer_party),
        buyer_contact_name=_ident(contact.get("name")),
        buyer_email=_ident(contact.get("email")),
        buyer_telephone=_ident(contact.get("telephone")),
        supplier_addresses=addresses,
        method=method,
        method_details=_ident(tender.get("procurementMethodDetails"))[:500],
        main_category=category,
        above_threshold=above if isinstance(above, bool) else None,
        contract_value=contract_total,
        framework=bool(techniques.get("hasFrameworkAgreement") is True
                       or any(len(a.suppliers) > 1 for a in award_lots)),
        times=times,
    )
    for name in ("amendments", "implementation", "milestones", "documents", "bids", "relatedProcesses"):
        if _list(tender.get(name)) or _list(rel.get(name)) or (name == "implementation" and any(
                _obj(c).get("implementation") for c in _list(rel.get("contracts")))):
            w.add(f"the notice's {name} are not something svdesk keeps: not imported")
    t = Tender(
        reference=_reference(reference, ocid, w),
        title=title,
        status=TenderStatus.DRAFT,
        annual_value=annual,
        term_years=term or 1,
        description=description,
        buyer=buyer,
        key_dates=dates,
        bids=bids,
        publication=publication,
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
        notes="\n\n".join(notes),
        awarded_value=awarded_total or None,
    )


def _with_award(lot: OcdsLot, award: PublishedAward | None) -> PublishedLot:
    if award is None:
        return PublishedLot(lot.id, lot.title, lot.value)
    return PublishedLot(lot.id, lot.title, lot.value if lot.value is not None else award.value, award.suppliers)


def _buyer_party(rel: Mapping[str, Any], parties: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    bid = _ident(_obj(rel.get("buyer")).get("id"))
    if bid and bid in parties:
        return parties[bid]
    for p in parties.values():
        if "buyer" in [str(r) for r in _list(p.get("roles"))]:
            return p
    return {}


def _classifications(tender: Mapping[str, Any], w: _Warnings) -> tuple[Classification, ...]:
    found: dict[tuple[str, str], Classification] = {}
    sources = [_obj(tender.get("classification"))]
    for it in _list(tender.get("items")):
        it = _obj(it)
        sources += [_obj(it.get("classification")), *[_obj(c) for c in _list(it.get("additionalClassifications"))]]
    for c in sources:
        scheme, code = _ident(c.get("scheme")).upper(), _ident(c.get("id"))
        if not code:
            continue
        label = _text(c.get("description"), "a classification's description", w, limit=NAME_MAX)
        found.setdefault((scheme or "CPV", code), Classification(scheme or "CPV", code, label))
    return tuple(found.values())


#: The extensions svdesk reads: the UK extension and its nine dependencies, partyScale and lots.
KNOWN_EXTENSIONS = ("ocds_uk_extension", "ocds_partyScale_extension", "ocds_lots_extension",
                    "ocds_awardCriteria_extension", "ocds_bid_extension",
                    "ocds_communication_extension", "ocds_location_extension", "ocds_otherRequirements_extension",
                    "ocds_performance_failures_extension", "ocds_subcontracting_extension",
                    "ocds_suitability_extension", "ocds_techniques_extension")


def check_extensions(doc: Any, source: str) -> None:
    """A package's ``extensions`` are URLs of extensions svdesk knows.

    Raises:
        FileFormatError: not a list of URLs, or an extension svdesk does not know (named with its JSON path).
    """
    if not isinstance(doc, dict) or "extensions" not in doc:
        return
    exts = doc["extensions"]
    if not isinstance(exts, list):
        raise FileFormatError(source, "$.extensions", "is not a list of extension URLs")
    for i, url in enumerate(exts):
        if not isinstance(url, str) or not url.strip():
            raise FileFormatError(source, f"$.extensions[{i}]", "is not an extension URL")
        if not any(f"/{name}/" in url for name in KNOWN_EXTENSIONS):
            raise FileFormatError(source, f"$.extensions[{i}]", f"is an extension svdesk does not know ({url[:120]}"
                                  "): only the UK extension and its dependencies are read")



def read_ocds_file(path: str | os.PathLike[str], *, reference: str | None = None) -> OcdsImport:
    """Read an OCDS JSON file into a new draft tender (see :func:`ocds_to_tender`).

    Raises:
        FileFormatError: unreadable, too large, not JSON, not OCDS, or no usable tender.
    """
    return ocds_to_tender(read_json_file(path, limit=MAX_OCDS_BYTES), str(path), reference=reference)
