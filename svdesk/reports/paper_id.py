"""A paper's identity in its PDF metadata: what ``svdesk verify`` reads back.

Every paper's footer prints its fingerprint and the audit-log head; the PDF's keywords carry the same two
(``svdesk-fingerprint=…``, ``svdesk-audit-head=…``) and ``svdesk-paper=…``: the kind of paper and the
options it was printed with (authority, officer, date, marking, and for an assessment summary the bidder),
as base64url JSON, all of which the paper shows anyway. With them the fingerprint can be recomputed from the
database's tender. Pure Python: no ReportLab (reading needs none: ReportLab writes the document information
dictionary uncompressed).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from svdesk.errors import SvdeskError
from svdesk.reports.options import ReportOptions

_HEX64 = re.compile(r"[0-9a-f]{64}")
#: A paper is a few MB at most; the metadata sits in the file's last part (ReportLab writes it near the end).
MAX_PAPER_BYTES = 200 * 1024 * 1024


def keywords(kind_id: str, reference: str, fingerprint: str, options: ReportOptions,
             extra: Mapping[str, Any]) -> list[str]:
    """The PDF keywords of a paper: its reference, then the three ``svdesk-…`` tokens."""
    record = {
        "kind": kind_id, "reference": reference, "authority": options.authority, "officer": options.officer,
        "report_date": options.report_date.isoformat() if options.report_date else None,
        "exempt_paragraph": options.exempt_paragraph, "extra": dict(extra),
    }
    packed = base64.urlsafe_b64encode(json.dumps(record, sort_keys=True, separators=(",", ":"),
                                                 ensure_ascii=False).encode("utf-8")).decode("ascii")
    return [reference, f"svdesk-fingerprint={fingerprint}", f"svdesk-audit-head={options.audit_head or 'none'}",
            f"svdesk-paper={packed}"]


@dataclass(frozen=True)
class PaperId:
    """What a paper says about itself.

    Attributes:
        kind: ``award``, ``assessment``, ``checklist`` or ``commitments``.
        reference: the tender's reference as printed.
        fingerprint: the printed fingerprint.
        audit_head: the printed audit-log head (``""``: printed from a tender file).
        options: the options it was printed with (audit head included).
        extra: what else the fingerprint covers (the bidder of an assessment summary).
    """

    kind: str
    reference: str
    fingerprint: str
    audit_head: str
    options: ReportOptions
    extra: Mapping[str, Any]


def _pdf_strings(data: bytes) -> list[str]:
    """The values of every ``/Keywords`` entry (literal or hex strings, PDFDocEncoding or UTF-16)."""
    out = []
    for m in re.finditer(rb"/Keywords\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", data, re.S):
        raw = m.group(1)
        if raw.startswith(b"<"):
            body = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode("ascii"))
        else:
            body = re.sub(rb"\\([nrtbf()\\]|[0-7]{1,3})", _unescape, raw[1:-1])
        out.append(body[2:].decode("utf-16-be", "replace") if body.startswith(b"\xfe\xff")
                   else body.decode("latin-1"))
    return out


def _unescape(m: re.Match[bytes]) -> bytes:
    c = m.group(1)
    if c[:1].isdigit():
        return bytes([int(c, 8) & 0xFF])
    return {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(c, c)


def read(data: bytes, name: str) -> PaperId:
    """The identity of the paper in ``data`` (the bytes of a PDF file called ``name``).

    Raises:
        SvdeskError: not a PDF, or not a paper printed by svdesk (or by one too old to record its identity).
    """
    if not data.startswith(b"%PDF-"):
        raise SvdeskError(f"{name}: not a PDF file (it does not start with %PDF-)")
    for value in reversed(_pdf_strings(data)):
        tokens = dict(t.strip().split("=", 1) for t in value.split(",") if "=" in t)
        fp, head, packed = (tokens.get(k, "") for k in ("svdesk-fingerprint", "svdesk-audit-head", "svdesk-paper"))
        if not (_HEX64.fullmatch(fp) and packed):
            continue
        try:
            record = json.loads(base64.urlsafe_b64decode(packed.encode("ascii")))
            when = record["report_date"]
            options = ReportOptions(
                authority=str(record["authority"]), officer=str(record["officer"]),
                report_date=date.fromisoformat(when) if when else None,
                exempt_paragraph=record["exempt_paragraph"], audit_head="" if head == "none" else head)
            kind, reference, extra = str(record["kind"]), str(record["reference"]), record["extra"]
        except (ValueError, KeyError, TypeError):
            continue
        if options.audit_head and not _HEX64.fullmatch(options.audit_head):
            continue
        if not isinstance(extra, dict):
            continue
        return PaperId(kind, reference, fp, options.audit_head, options, extra)
    raise SvdeskError(f"{name}: no svdesk paper identity found in the PDF's metadata (not printed by svdesk, or "
                      f"by a version older than 'svdesk verify'); compare its footer by hand with "
                      f"'svdesk check' instead")
