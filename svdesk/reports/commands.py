"""CLI commands of this area (see ``svdesk/cli_commands.py``): ``svdesk report``. ReportLab loads in the handler."""

from __future__ import annotations

import argparse
import importlib
from datetime import date
from pathlib import Path

from svdesk.cli_commands import Subparsers
from svdesk.errors import SvdeskError
from svdesk.reports.options import ReportOptions

KINDS = ("award", "assessment", "checklist", "commitments", "conflicts")


def register(sub: Subparsers) -> None:
    """Add ``svdesk report`` to the command line."""
    p = sub.add_parser(
        "report",
        help="print award papers as PDF: award report, assessment summaries, negotiation checklist, commitments",
        description="Print a tender's award papers as PDF. 'assessment' writes one summary per bidder into the "
        "folder given by --out.",
    )
    p.add_argument("source", metavar="REF|FILE", help="a tender file, or a tender's reference in the database")
    p.add_argument("--kind", choices=KINDS, required=True, help="which paper to print")
    p.add_argument("--out", metavar="PATH", required=True,
                   help="the PDF to write (for --kind assessment: a folder, created if missing)")
    p.add_argument("--authority", metavar="NAME", default="", help="the council's name (default: the tender's buyer)")
    p.add_argument("--officer", metavar="NAME", default="", help="who prepared the paper (default: the tender's)")
    p.add_argument("--date", metavar="YYYY-MM-DD", default=None, help="the date printed on the paper (default: today)")
    p.add_argument("--exempt", metavar="PARAGRAPH", type=int, default=None, choices=range(1, 8),
                   help="mark the paper exempt under this paragraph (1-7) of Schedule 12A to the Local Government "
                   "Act 1972")
    p.add_argument("--supplier", metavar="NAME", default=None,
                   help="checklist/commitments: only this supplier (default: every supplier)")
    p.add_argument("--deterministic", action="store_true",
                   help="same input, same bytes: fixed PDF dates and ID (the date defaults to the award decision)")
    p.set_defaults(handler=cmd_report)


def _options(args: argparse.Namespace) -> ReportOptions:
    when: date | None = None
    if args.date:
        try:
            when = date.fromisoformat(args.date)
        except ValueError:
            raise SvdeskError(f"--date: {args.date!r} is not a date (use YYYY-MM-DD)") from None
    return ReportOptions(authority=args.authority, officer=args.officer, report_date=when,
                         exempt_paragraph=args.exempt, audit_head=_audit_head(args),
                         deterministic=args.deterministic)


def _audit_head(args: argparse.Namespace) -> str:
    """The audit-log head when the tender comes from the database; ``""`` for a tender file."""
    from svdesk.cli import looks_like_file

    if looks_like_file(args.source):
        return ""
    try:   # the store (issue 3) may not be built yet in this checkout
        api = importlib.import_module("svdesk.store.api")
    except ImportError:
        return ""
    with api.open_database(args.db, read_only=True) as db:
        head: str = db.audit_head()
    return head


def cmd_report(args: argparse.Namespace) -> int:
    """Render the chosen paper and write it (atomically) where ``--out`` says."""
    from svdesk.cli import load_tender
    from svdesk.domain.scoring import score_tender
    from svdesk.io.atomic import write_bytes_atomic

    tender = load_tender(args.source, args)
    options = _options(args)
    out = Path(args.out)
    if args.kind == "award":
        from svdesk.reports.award import AwardReport

        data = AwardReport(tender, score_tender(tender), options).render()
        write_bytes_atomic(out, data)
        print(f"Wrote {out} ({len(data):,} bytes)")
    elif args.kind == "assessment":
        from svdesk.paths import folder_problem
        from svdesk.reports.assessment import AssessmentSummary, safe_filename
        from svdesk.reports.readiness import check_assessment_ready

        results = score_tender(tender)
        check_assessment_ready(tender, results)
        if out.exists() and not out.is_dir():
            raise SvdeskError(f"{out}: for --kind assessment, --out must be a folder (one PDF per bidder)")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise SvdeskError(f"{out}: could not create the folder for the assessment summaries "
                              f"({folder_problem(e, out)}); nothing was written") from None
        width = len(str(len(tender.bids)))
        for i, bid in enumerate(tender.bids, 1):
            name = safe_filename(bid.supplier) or "bidder"
            path = out / f"{safe_filename(tender.reference) or 'tender'}-assessment-{i:0{width}d}-{name}.pdf"
            write_bytes_atomic(path, AssessmentSummary(tender, results, bid.supplier, options).render())
            print(f"Wrote {path}  ({bid.supplier})")
    elif args.kind == "conflicts":
        from svdesk.reports.panel import ConflictsRecord

        data = ConflictsRecord(tender, options).render()
        write_bytes_atomic(out, data)
        print(f"Wrote {out} ({len(data):,} bytes)")
    else:
        from svdesk.reports.negotiation import CommitmentsSchedule, NegotiationChecklist

        cls = NegotiationChecklist if args.kind == "checklist" else CommitmentsSchedule
        data = cls(tender, options, supplier=args.supplier).render()
        write_bytes_atomic(out, data)
        print(f"Wrote {out} ({len(data):,} bytes)")
    return 0
