"""``svdesk report``: print a tender's award papers as PDF (the papers are :data:`svdesk.reports.papers.PAPERS`).

The council's settings in the database fill the options (its name, address and logo: a logo that cannot be used
is one note on stderr, and the paper prints without it). For the committee report, a note lists the sections
nobody has written yet (they print as "[to be completed: …]"). ReportLab loads in the renderers, never at import.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from svdesk.cli.common import Subparsers, command, err, load_tender, out
from svdesk.domain.tender import Tender
from svdesk.errors import SvdeskError
from svdesk.io.formats import looks_like_file
from svdesk.reports.options import ReportOptions, with_council
from svdesk.reports.papers import PAPERS, paper

#: Every ``--kind`` value: each paper's key, then the aliases kept for old scripts.
KINDS = tuple(p.key for p in PAPERS) + tuple(a for p in PAPERS for a in p.aliases)


def register(sub: Subparsers) -> None:
    """Add ``svdesk report`` to the command line."""
    p = command(
        sub, "report",
        help="print award papers as PDF: " + "; ".join(f"{k.key}: {k.name}" for k in PAPERS),
        description="Print a tender's award papers as PDF. 'assessment' writes one summary per bidder into the "
        "folder given by --out.",
    )
    p.add_argument("source", metavar="REF|FILE", help="a tender file, or a tender's reference in the database")
    p.add_argument("--kind", choices=KINDS, required=True,
                   help="which paper to print: " + "; ".join(f"{k.key}: {k.what}" for k in PAPERS))
    p.add_argument("--out", metavar="PATH", required=True,
                   help="the PDF to write, or a .docx for the committee report in Word (for --kind assessment: "
                   "a folder, created if missing)")
    p.add_argument("--authority", metavar="NAME", default="",
                   help="the council's name (default: the council.name setting, else the tender's buyer)")
    p.add_argument("--officer", metavar="NAME", default="", help="who prepared the paper (default: the tender's)")
    p.add_argument("--date", metavar="YYYY-MM-DD", default=None, help="the date printed on the paper (default: today)")
    p.add_argument("--exempt", metavar="PARAGRAPH", type=int, default=None, choices=range(1, 8),
                   help="mark the paper exempt under this paragraph (1-7) of Schedule 12A to the Local Government "
                   "Act 1972")
    p.add_argument("--supplier", metavar="NAME", default=None,
                   help="/".join(k.key for k in PAPERS if k.by_supplier)
                   + ": only this supplier (default: every supplier)")
    p.add_argument("--template", metavar="DOCX", default=None,
                   help="for a .docx --out: the council's Word template with {{report}} and other placeholders")
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
    from svdesk.store.api import read_council_settings

    options = ReportOptions(authority=args.authority, officer=args.officer, report_date=when,
                            exempt_paragraph=args.exempt, audit_head=_audit_head(args),
                            deterministic=args.deterministic)
    return with_council(options, read_council_settings(getattr(args, "db", None)))


def _audit_head(args: argparse.Namespace) -> str:
    """The audit-log head when the tender comes from the database; ``""`` for a tender file."""
    if looks_like_file(args.source):
        return ""
    from svdesk.store import api

    with api.open_database(args.db, read_only=True) as db:
        head: str = db.audit_head()
    return head


def cmd_report(args: argparse.Namespace) -> int:
    """Render the chosen paper and write it (atomically) where ``--out`` says."""
    from svdesk.atomic import write_bytes_atomic
    from svdesk.domain.scoring import score_tender

    tender = load_tender(args.source, args)
    options = _options(args)
    target = Path(args.out)
    chosen = paper(args.kind)
    word = target.suffix.lower() == ".docx" or chosen.extension == ".docx" or bool(args.template)
    if word and chosen.key not in ("award", "committee", "committee-word"):
        raise SvdeskError(f"{target}: only the award or committee report can be written as Word (.docx)")
    if options.logo_problem:
        err(f"svdesk: note: {options.logo_problem}")
    if word:
        # Word picked by the extension: the committee report, on the council's template if given.
        from svdesk.reports.docx import render_committee_docx

        data = render_committee_docx(tender, score_tender(tender), options,
                                     Path(args.template) if args.template else None)
        write_bytes_atomic(target, data)
        out(f"Wrote {target} ({len(data):,} bytes)")
        _committee_notes(tender)
        return 0
    if not chosen.per_bidder:
        data = chosen.render(tender, options, args.supplier)
        write_bytes_atomic(target, data)
        out(f"Wrote {target} ({len(data):,} bytes)")
        if chosen.key == "committee":
            _committee_notes(tender)
        return 0
    from svdesk.paths import folder_problem
    from svdesk.reports.assessment import safe_filename
    from svdesk.reports.readiness import check_assessment_ready

    check_assessment_ready(tender, score_tender(tender))   # everything missing is named before a file is written
    if target.exists() and not target.is_dir():
        raise SvdeskError(f"{target}: for --kind {chosen.key}, --out must be a folder (one PDF per bidder)")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SvdeskError(f"{target}: could not create the folder for the papers "
                          f"({folder_problem(e, target)}); nothing was written") from None
    width = len(str(len(tender.bids)))
    for i, bid in enumerate(tender.bids, 1):
        name = safe_filename(bid.supplier) or "bidder"
        path = target / f"{safe_filename(tender.reference) or 'tender'}-{chosen.key}-{i:0{width}d}-{name}.pdf"
        write_bytes_atomic(path, chosen.render(tender, options, bid.supplier))
        out(f"Wrote {path}  ({bid.supplier})")
    return 0


def _committee_notes(tender: Tender) -> None:
    """What the committee report still needs (printing is allowed): the unwritten sections, one note line."""
    from svdesk.reports.readiness import committee_sections_to_write

    missing = committee_sections_to_write(tender)
    if missing:
        err(f"svdesk: note: the committee report has {len(missing)} section{'s' if len(missing) != 1 else ''} "
            f"nobody has written yet, printed as \"[to be completed: …]\": {', '.join(missing)}")
