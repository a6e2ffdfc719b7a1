"""What an officer chooses when printing award papers: who the authority is, the date, the marking.

Pure Python (no ReportLab), so the UI and the CLI can build and check options without loading the PDF library.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType
from typing import Any

from svdesk.domain.council import CouncilSettings
from svdesk.domain.tender import Tender
from svdesk.domain.values import check_text
from svdesk.errors import ValidationError
from svdesk.reports.letterhead import Logo

#: Part 1 of Schedule 12A to the Local Government Act 1972 (England): the descriptions of exempt
#: information. A committee paper carrying one is taken in private session if the public interest in
#: keeping it confidential outweighs the interest in disclosing it.
SCHEDULE_12A: Mapping[int, str] = MappingProxyType(
    {
        1: "Information relating to any individual.",
        2: "Information which is likely to reveal the identity of an individual.",
        3: "Information relating to the financial or business affairs of any particular person "
           "(including the authority holding that information).",
        4: "Information relating to any consultations or negotiations, or contemplated consultations or "
           "negotiations, in connection with any labour relations matter arising between the authority or a "
           "Minister of the Crown and employees of, or office holders under, the authority.",
        5: "Information in respect of which a claim to legal professional privilege could be maintained in "
           "legal proceedings.",
        6: "Information which reveals that the authority proposes (a) to give under any enactment a notice "
           "under or by virtue of which requirements are imposed on a person; or (b) to make an order or "
           "direction under any enactment.",
        7: "Information relating to any action taken or to be taken in connection with the prevention, "
           "investigation or prosecution of crime.",
    }
)

_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ReportOptions:
    """Choices for one printed paper.

    Attributes:
        authority: the council's name, printed on every page and set as the PDF's author. Empty: the
            tender's ``buyer``.
        officer: who prepared the paper (named on the cover and in the sign-off block). Empty: the tender's
            ``officer``.
        report_date: the date printed on the paper. ``None``: today, or in deterministic mode the tender's
            award-decision date (else the paper says "Not dated").
        exempt_paragraph: mark the paper "Not for publication" as exempt information under this paragraph
            (1–7) of Part 1 of Schedule 12A to the Local Government Act 1972; ``None`` for a public paper.
        audit_head: hex SHA-256 of the newest audit-log entry when printed from the database (``""`` when
            printed from a tender file: the footer says so).
        deterministic: the same input gives the same bytes (fixed PDF dates and document ID), for tests and
            for checking a paper has not changed.
        address: the council's address (lines), printed under its name on the first page (``council.address``).
        logo: the council's logo, printed above its name on the first page (``council.logo``), or ``None``.
        logo_problem: why the ``council.logo`` setting could not be used, in one line, for the CLI and the app
            to say (the paper prints without the logo); ``""`` when there is nothing to say.
        word_template: the council's Word template for the committee report (``report.template``), a path;
            ``""`` for the built-in one. A template named for one paper (``svdesk report --template``) wins.

    The letterhead (address and logo) is the council's, not the tender's: it is not part of the fingerprint,
    so a paper still verifies after the council moves office or changes its logo.
    """

    authority: str = ""
    officer: str = ""
    report_date: date | None = None
    exempt_paragraph: int | None = None
    audit_head: str = ""
    deterministic: bool = False
    address: str = ""
    logo: Logo | None = None
    logo_problem: str = ""
    word_template: str = ""

    def checked(self) -> ReportOptions:
        """These options, validated and stripped.

        Raises:
            ValidationError: a hidden control character, an unknown Schedule 12A paragraph or a malformed hash.
        """
        authority = check_text(self.authority, "authority", limit=200)
        officer = check_text(self.officer, "officer", limit=200)
        address = check_text(self.address, "address", limit=500)
        if self.exempt_paragraph is not None and self.exempt_paragraph not in SCHEDULE_12A:
            raise ValidationError("exempt_paragraph", f"must be 1 to 7 (got {self.exempt_paragraph})")
        head = self.audit_head.strip().lower()
        if head and not _HEX64.fullmatch(head):
            raise ValidationError("audit_head", "must be a SHA-256 hash written as 64 hexadecimal characters")
        return replace(self, authority=authority, officer=officer, audit_head=head, address=address)

    def for_tender(self, tender: Tender, *, today: date | None = None) -> ReportOptions:
        """Fill what was left empty from the tender (authority, officer, date), after :meth:`checked`."""
        o = self.checked()
        when = o.report_date
        if when is None:
            when = tender.key_dates.get("award_decision") if o.deterministic else (today or date.today())
        return replace(
            o,
            authority=o.authority or tender.buyer.strip() or "The council",
            officer=o.officer or tender.officer.strip(),
            report_date=when,
        )

    @property
    def marking(self) -> str:
        """The exempt-information marking, or ``""`` for a public paper."""
        if self.exempt_paragraph is None:
            return ""
        return (
            f"NOT FOR PUBLICATION: exempt information under paragraph {self.exempt_paragraph} of Part 1 of "
            f"Schedule 12A to the Local Government Act 1972"
        )


def with_council(options: ReportOptions, council: CouncilSettings) -> ReportOptions:
    """The council's settings (issue 14 item 3) fill what the officer left empty: the authority's name comes
    from ``council.name`` before the tender's buyer, so every paper printed here names this council; its
    address and logo (``council.address``, ``council.logo``) make the letterhead on each paper's first page;
    its Word template (``report.template``) is the one the Word committee report is built on.

    The letterhead is this council's: a paper printed for another authority named explicitly (``--authority``)
    gets none. The logo file is read here, once: a file that is missing, unreadable or not a PNG/JPEG image never
    stops printing: the options carry no logo and ``logo_problem`` says why, for the caller to tell the officer.
    """
    out = options
    named = options.authority.strip()
    if named and council.name and named != council.name:
        return options                       # another authority's paper: not this council's letterhead
    if not named and council.name:
        out = replace(out, authority=council.name)
    if not out.address.strip() and council.address:
        out = replace(out, address=council.address)
    template = council.get("report.template")
    if template and not out.word_template:
        out = replace(out, word_template=template)
    path = council.get("council.logo")
    if path and out.logo is None:
        from svdesk.reports.letterhead import load_logo

        logo, problem = load_logo(path)
        out = replace(out, logo=logo, logo_problem=problem)
    return out


def fingerprint(kind: str, tender: Tender, options: ReportOptions, extra: Mapping[str, Any] | None = None) -> str:
    """SHA-256 of everything a paper is printed from: the tender without private notes, and the options.

    Two papers with the same fingerprint were printed from the same content, whatever the PDF bytes.
    The deterministic flag is left out: it changes the bytes, not the content.
    """
    from svdesk.io.tender_file import dumps, tender_to_document

    doc = {
        "kind": kind,
        "tender": tender_to_document(tender, private=False),
        "options": {
            "authority": options.authority,
            "officer": options.officer,
            "report_date": options.report_date.isoformat() if options.report_date else None,
            "exempt_paragraph": options.exempt_paragraph,
            "audit_head": options.audit_head,
        },
        "extra": dict(extra or {}),
    }
    plain = json.loads(dumps(doc, indent=None))       # decimals and dates as strings, by the C encoder
    canonical = json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
