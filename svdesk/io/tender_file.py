"""The tender file, ``svdesk-tender/1``: the public interchange format (DESIGN.md).

:func:`read_tender_file` reads and validates one; every problem raises
:class:`~svdesk.errors.FileFormatError` naming the file, the JSON path (``$.bids[1].price``) and what is
wrong. :func:`tender_to_document` and :func:`write_tender_file` write one losslessly: numbers are written as
decimal strings so no reader turns them into floats.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from svdesk.atomic import write_text_atomic
from svdesk.domain.attachments import Attachment
from svdesk.domain.limits import MAX_BIDS, MAX_CRITERIA, MAX_TENDER_FILE_BYTES
from svdesk.domain.money import parse_money, to_decimal
from svdesk.domain.publication import publication_from_json, publication_to_json
from svdesk.domain.report_texts import SECTIONS as REPORT_SECTIONS
from svdesk.domain.report_texts import ReportTexts, check_report_texts
from svdesk.domain.tender import (
    IDENTITY_FIELDS,
    KEY_DATES,
    Bid,
    CommitmentScope,
    Criterion,
    CriterionKind,
    Descriptor,
    Tender,
    TenderStatus,
    TieBreak,
    check_tender,
    normalise_identity,
)
from svdesk.domain.text import normalise
from svdesk.domain.values import Commitment, Locality, Theme
from svdesk.errors import FileFormatError, ValidationError
from svdesk.io.asks_section import read_asks, write_asks
from svdesk.io.jsonfile import parse_json_text, read_json_file
from svdesk.io.panel_section import read_panel, write_panel

FORMAT = "svdesk-tender/1"
_TENDER_FIELDS = {
    "reference", "title", "category", "status", "annual_value", "term_years", "extension_years",
    "description", "buyer", "officer", "key_dates", "tie_break", "notice_id", "publication",
}
E = TypeVar("E", bound=StrEnum)


def _json_default(o: object) -> object:
    if isinstance(o, Decimal):
        return _dec_str(o)
    if isinstance(o, date):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def _dec_str(d: Decimal) -> str:
    """A decimal as plain text without exponent, keeping its significant digits."""
    text = f"{d:f}"
    return text


def dumps(doc: Mapping[str, Any], *, indent: int | None = 2) -> str:
    """Serialise a document with decimals as strings (UTF-8, indented, stable key order).

    ``indent=None`` writes it on one line, with the C encoder (many times faster for a large tender; the
    paper fingerprint uses it).
    """
    return json.dumps(doc, default=_json_default, ensure_ascii=False, indent=indent) + "\n"


class _Reader:
    """Reads one document, turning every problem into a FileFormatError at a JSON path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> FileFormatError:
        return FileFormatError(self.source, where, message)

    def obj(self, value: Any, where: str, allowed: set[str] | None = None) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be an object, not {_kind(value)}")
        if allowed is not None:
            unknown = sorted(set(value) - allowed)
            if unknown:
                expected = ", ".join(sorted(allowed))
                raise self.fail(f"{where}.{unknown[0]}", f"unknown field (expected one of: {expected})")
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list, not {_kind(value)}")
        return value

    def text(self, value: Any, where: str, default: str = "") -> str:
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(where, f"must be text, not {_kind(value)}")
        return normalise(value)   # NFC; the one text rule is checked with the tender (check_text)

    def number(self, value: Any, where: str) -> Decimal:
        try:
            return to_decimal(value, "")
        except ValidationError as e:
            raise self.fail(where, e.message) from None

    def opt_number(self, value: Any, where: str) -> Decimal | None:
        return None if value is None else self.number(value, where)

    def money(self, value: Any, where: str) -> Decimal | None:
        if value is None:
            return None
        try:
            return parse_money(value, "")
        except ValidationError as e:
            raise self.fail(where, e.message) from None

    def integer(self, value: Any, where: str, default: int) -> int:
        if value is None:
            return default
        d = self.number(value, where)
        if d != d.to_integral_value():
            raise self.fail(where, f"must be a whole number (got {value})")
        return int(d)

    def boolean(self, value: Any, where: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(where, f"must be true or false, not {_kind(value)}")
        return value

    def enum(self, cls: type[E], value: Any, where: str, default: E | None = None) -> E:
        if value is None and default is not None:
            return default
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise self.fail(where, f"{value!r} is not one of: {names}") from None

    def opt_enum(self, cls: type[E], value: Any, where: str) -> E | None:
        return None if value is None else self.enum(cls, value, where)

    def day(self, value: Any, where: str) -> date:
        text = self.text(value, where)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self.fail(where, f"{text!r} is not a date (use YYYY-MM-DD)") from None

    def mapping(self, value: Any, where: str, item: Callable[[Any, str], Any]) -> dict[str, Any]:
        if value is None:
            return {}
        m = self.obj(value, where)
        return {str(k): item(v, f"{where}.{k}") for k, v in m.items()}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", Decimal: "a number"}.get(
        type(value), type(value).__name__
    )


_CRITERION_FIELDS = {"id", "name", "kind", "weight", "scale_max", "threshold", "method", "descriptors", "scope",
                     "description"}
_BID_FIELDS = {"supplier", "sme", "vcse", "locality", "address", "price", "scores", "explanations",
               "evaluator_scores", "evaluator_reasons", "commitments", "excluded", "exclusion_reason", "notes",
               "responses", "attachments", *IDENTITY_FIELDS}
_COMMITMENT_FIELDS = {"measure", "quantity", "unit_value", "description", "theme", "locality", "from_ask"}


def _criterion(r: _Reader, v: Any, where: str) -> Criterion:
    o = r.obj(v, where, _CRITERION_FIELDS)
    kind = r.enum(CriterionKind, o.get("kind"), f"{where}.kind")
    scale = r.opt_number(o.get("scale_max"), f"{where}.scale_max")
    descriptors = tuple(
        Descriptor(
            r.number(r.obj(d, f"{where}.descriptors[{i}]").get("score"), f"{where}.descriptors[{i}].score"),
            r.text(d.get("text"), f"{where}.descriptors[{i}].text"),
        )
        for i, d in enumerate(r.array(o.get("descriptors"), f"{where}.descriptors"))
    )
    if "weight" not in o:
        raise r.fail(f"{where}.weight", "is missing")
    return Criterion(
        id=r.text(o.get("id"), f"{where}.id"),
        name=r.text(o.get("name"), f"{where}.name"),
        kind=kind,
        weight=r.number(o.get("weight"), f"{where}.weight"),
        scale_max=scale if scale is not None else Decimal(5),
        threshold=r.opt_number(o.get("threshold"), f"{where}.threshold"),
        method=r.text(o.get("method"), f"{where}.method") or None,
        descriptors=descriptors,
        scope=r.enum(CommitmentScope, o.get("scope"), f"{where}.scope", CommitmentScope.ALL),
        description=r.text(o.get("description"), f"{where}.description"),
    )


def _commitment(r: _Reader, v: Any, where: str) -> Commitment:
    o = r.obj(v, where, _COMMITMENT_FIELDS)
    unit = r.money(o.get("unit_value"), f"{where}.unit_value")
    if unit is None:
        raise r.fail(f"{where}.unit_value", "is missing")
    qty = r.number(o.get("quantity", Decimal(1)), f"{where}.quantity")
    if qty < 0:
        raise r.fail(f"{where}.quantity", f"must not be negative (got {qty})")
    return Commitment(
        measure=r.text(o.get("measure"), f"{where}.measure"),
        quantity=qty,
        unit_value=unit,
        description=r.text(o.get("description"), f"{where}.description"),
        theme=r.opt_enum(Theme, o.get("theme"), f"{where}.theme"),
        locality=r.opt_enum(Locality, o.get("locality"), f"{where}.locality"),
        from_ask=r.text(o.get("from_ask"), f"{where}.from_ask") or None,
    )


def _non_empty(m: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in m.items() if v}


_ATTACHMENT_FIELDS = {"name", "label", "kind", "criterion", "size", "sha256", "media_type"}


def _listed_files(r: _Reader, v: Any, where: str) -> None:
    """Check a bid's ``attachments`` list (metadata only). It is read for information and never creates an
    attachment: the files' contents are not in a tender file (``docs/tender-file.md``)."""
    for i, item in enumerate(r.array(v, where)):
        o = r.obj(item, f"{where}[{i}]", _ATTACHMENT_FIELDS)
        r.text(o.get("name"), f"{where}[{i}].name")


def _bid(r: _Reader, v: Any, where: str) -> Bid:
    o = r.obj(v, where, _BID_FIELDS)
    _listed_files(r, o.get("attachments"), f"{where}.attachments")
    return Bid(
        supplier=r.text(o.get("supplier"), f"{where}.supplier"),
        price=r.money(o.get("price"), f"{where}.price"),
        sme=r.boolean(o.get("sme"), f"{where}.sme"),
        vcse=r.boolean(o.get("vcse"), f"{where}.vcse"),
        locality=r.opt_enum(Locality, o.get("locality"), f"{where}.locality"),
        address=r.text(o.get("address"), f"{where}.address"),
        scores=r.mapping(o.get("scores"), f"{where}.scores", r.number),
        explanations=r.mapping(o.get("explanations"), f"{where}.explanations", r.text),
        # An empty map of marks means "no marks": dropped, so a file and the database agree exactly.
        evaluator_scores=_non_empty(r.mapping(
            o.get("evaluator_scores"), f"{where}.evaluator_scores",
            lambda m, w: r.mapping(m, w, r.number),
        )),
        evaluator_reasons=_non_empty(r.mapping(
            o.get("evaluator_reasons"), f"{where}.evaluator_reasons",
            lambda m, w: r.mapping(m, w, r.text),
        )),
        commitments=tuple(
            _commitment(r, c, f"{where}.commitments[{i}]")
            for i, c in enumerate(r.array(o.get("commitments"), f"{where}.commitments"))
        ),
        excluded=r.boolean(o.get("excluded"), f"{where}.excluded"),
        exclusion_reason=r.text(o.get("exclusion_reason"), f"{where}.exclusion_reason"),
        notes=r.text(o.get("notes"), f"{where}.notes"),
        responses=r.mapping(o.get("responses"), f"{where}.responses", r.text),
        **{name: _identity(r, o.get(name), f"{where}.{name}", name) for name in IDENTITY_FIELDS},
    )


def _identity(r: _Reader, v: Any, where: str, name: str) -> str:
    try:
        return normalise_identity(name, r.text(v, where), where)
    except ValidationError as e:
        raise r.fail(where, e.message) from None


def _report(r: _Reader, value: Any) -> ReportTexts:
    """The ``report`` section: the officer's texts for the committee report (all optional)."""
    if value is None:
        return ReportTexts()
    names = {name for name, _, _ in REPORT_SECTIONS}
    o = r.obj(value, "$.report", names | {"publish_bidder_details"})
    flag = o.get("publish_bidder_details", False)
    if not isinstance(flag, bool):
        raise r.fail("$.report.publish_bidder_details", "must be true or false")
    texts = ReportTexts(publish_bidder_details=flag,
                        **{name: r.text(o.get(name), f"$.report.{name}") for name in sorted(names)})
    try:
        return check_report_texts(texts, "$.report")
    except ValidationError as e:
        raise r.fail(e.field, e.message) from None


def parse_tender_document(doc: Any, source: str = "") -> Tender:
    """Turn a parsed ``svdesk-tender/1`` document into a validated :class:`Tender`.

    Raises:
        FileFormatError: names ``source``, the JSON path and the problem.
    """
    r = _Reader(source)
    top = r.obj(doc, "$", {"format", "tender", "criteria", "bids", "asks", "report", "panel"})
    if top.get("format") != FORMAT:
        raise r.fail("$.format", f"expected {FORMAT!r}, found {top.get('format')!r}")
    if "tender" not in top:
        raise r.fail("$.tender", "is missing")
    tf = r.obj(top["tender"], "$.tender", _TENDER_FIELDS)
    for part, limit in (("criteria", MAX_CRITERIA), ("bids", MAX_BIDS)):   # refused before any is read
        if isinstance(top.get(part), list) and len(top[part]) > limit:
            raise r.fail(f"$.{part}", f"holds {len(top[part]):,} {part}; a tender has at most {limit:,}")
    tender = Tender(
        reference=r.text(tf.get("reference"), "$.tender.reference"),
        title=r.text(tf.get("title"), "$.tender.title"),
        category=r.text(tf.get("category"), "$.tender.category", "any") or "any",
        status=r.enum(TenderStatus, tf.get("status"), "$.tender.status", TenderStatus.DRAFT),
        annual_value=r.money(tf.get("annual_value"), "$.tender.annual_value"),
        term_years=r.integer(tf.get("term_years"), "$.tender.term_years", 1),
        extension_years=r.integer(tf.get("extension_years"), "$.tender.extension_years", 0),
        description=r.text(tf.get("description"), "$.tender.description"),
        buyer=r.text(tf.get("buyer"), "$.tender.buyer"),
        officer=r.text(tf.get("officer"), "$.tender.officer"),
        key_dates=r.mapping(tf.get("key_dates"), "$.tender.key_dates", r.day),
        tie_break=r.enum(TieBreak, tf.get("tie_break"), "$.tender.tie_break", TieBreak.NONE),
        notice_id=r.text(tf.get("notice_id"), "$.tender.notice_id"),
        criteria=tuple(
            _criterion(r, c, f"$.criteria[{i}]") for i, c in enumerate(r.array(top.get("criteria"), "$.criteria"))
        ),
        bids=tuple(_bid(r, b, f"$.bids[{i}]") for i, b in enumerate(r.array(top.get("bids"), "$.bids"))),
        report=_report(r, top.get("report")),
    )
    if tf.get("publication") is not None:
        try:
            tender = replace(tender, publication=publication_from_json(tf["publication"]))
        except ValidationError as e:
            raise r.fail(f"$.tender.{e.field}" if e.field.startswith("publication") else "$.tender.publication",
                         e.message) from None
    try:
        checklist = read_asks(top.get("asks"), "$.asks")
        tender = check_tender(replace(tender, checklist=checklist, panel=read_panel(top.get("panel"))))
    except ValidationError as e:
        field = e.field
        head = field.split(".", 1)[0].split("[", 1)[0]
        if head in _TENDER_FIELDS:
            field = f"tender.{field}"
        where = field if field.startswith("$") else f"$.{field}"
        raise r.fail(where, e.message) from None
    return tender


def read_tender_text(text: str, source: str = "") -> Tender:
    """Parse the text of a tender file."""
    return parse_tender_document(parse_json_text(text, source), source)


def read_tender_file(path: str | os.PathLike[str]) -> Tender:
    """Read and validate a tender file.

    Raises:
        FileFormatError: missing, too large, not UTF-8, not JSON or not a valid tender.
    """
    return parse_tender_document(read_json_file(path, limit=MAX_TENDER_FILE_BYTES), str(path))


def _criterion_doc(c: Criterion) -> dict[str, Any]:
    d: dict[str, Any] = {"id": c.id, "name": c.name, "kind": c.kind.value, "weight": c.weight}
    if c.kind in (CriterionKind.QUALITY, CriterionKind.SOCIAL_VALUE) or c.scale_max != Decimal(5):
        d["scale_max"] = c.scale_max
    if c.threshold is not None:
        d["threshold"] = c.threshold
    if c.method is not None:
        d["method"] = c.method
    if c.descriptors:
        d["descriptors"] = [{"score": x.score, "text": x.text} for x in c.descriptors]
    if c.scope is not CommitmentScope.ALL:
        d["scope"] = c.scope.value
    if c.description:
        d["description"] = c.description
    return d


def _commitment_doc(c: Commitment) -> dict[str, Any]:
    d: dict[str, Any] = {"measure": c.measure, "quantity": c.quantity, "unit_value": c.unit_value}
    if c.description:
        d["description"] = c.description
    if c.theme is not None:
        d["theme"] = c.theme.value
    if c.locality is not None:
        d["locality"] = c.locality.value
    if c.from_ask is not None:
        d["from_ask"] = c.from_ask
    return d


def _attachment_doc(a: Attachment) -> dict[str, Any]:
    d: dict[str, Any] = {"name": a.name, "kind": a.kind.value}
    if a.label:
        d["label"] = a.label
    if a.criterion:
        d["criterion"] = a.criterion
    d.update(size=a.size, sha256=a.sha256, media_type=a.media_type)
    return d


def _bid_doc(b: Bid, *, private: bool, files: tuple[Attachment, ...] = ()) -> dict[str, Any]:
    d: dict[str, Any] = {"supplier": b.supplier, "sme": b.sme}
    if b.vcse:
        d["vcse"] = True
    if b.locality is not None:
        d["locality"] = b.locality.value
    if b.address:
        d["address"] = b.address
    d["price"] = b.price
    d["scores"] = dict(b.scores)
    d["explanations"] = dict(b.explanations)
    if b.evaluator_scores:
        d["evaluator_scores"] = {k: dict(v) for k, v in b.evaluator_scores.items()}
    if b.evaluator_reasons:
        d["evaluator_reasons"] = {k: dict(v) for k, v in b.evaluator_reasons.items()}
    d["commitments"] = [_commitment_doc(c) for c in b.commitments]
    if b.excluded:
        d["excluded"] = True
        d["exclusion_reason"] = b.exclusion_reason
    if private and b.notes:
        d["notes"] = b.notes
    for name in IDENTITY_FIELDS:
        if getattr(b, name):
            d[name] = getattr(b, name)
    if b.responses:
        d["responses"] = dict(b.responses)
    if files:       # what is attached, for the record: the contents stay in the database
        d["attachments"] = [_attachment_doc(a) for a in files]
    return d


def tender_to_document(t: Tender, *, private: bool = True) -> dict[str, Any]:
    """The ``svdesk-tender/1`` document for a tender.

    Args:
        private: include the officer's private notes (``False`` for files sent outside the council).
    """
    td: dict[str, Any] = {
        "reference": t.reference,
        "title": t.title,
        "category": t.category,
        "status": t.status.value,
        "annual_value": t.annual_value,
        "term_years": t.term_years,
    }
    if t.extension_years:
        td["extension_years"] = t.extension_years
    for name in ("description", "buyer", "officer", "notice_id"):
        if getattr(t, name):
            td[name] = getattr(t, name)
    if t.key_dates:
        td["key_dates"] = {k: t.key_dates[k] for k in KEY_DATES if k in t.key_dates}
    if t.tie_break is not TieBreak.NONE:
        td["tie_break"] = t.tie_break.value
    publication = publication_to_json(t.publication)
    if publication:
        td["publication"] = publication
    doc: dict[str, Any] = {
        "format": FORMAT,
        "tender": td,
        "criteria": [_criterion_doc(c) for c in t.criteria],
        "bids": [_bid_doc(b, private=private, files=t.attachments_of(b.supplier)) for b in t.bids],
    }
    asks = write_asks(t.checklist, private=private)
    if asks is not None:
        doc["asks"] = asks
    if not t.report.is_empty:
        report: dict[str, Any] = {name: t.report.text_of(name) for name, _, _ in REPORT_SECTIONS
                                  if t.report.text_of(name)}
        if t.report.publish_bidder_details:
            report["publish_bidder_details"] = True
        doc["report"] = report
    panel = write_panel(t.panel)
    if panel is not None:
        doc["panel"] = panel
    return doc


def write_tender_file(t: Tender, path: str | os.PathLike[str], *, private: bool = True) -> Path:
    """Write a tender file atomically (never half-written)."""
    return write_text_atomic(path, dumps(tender_to_document(t, private=private)))
