"""The commands for files in and out: ``import``, ``export`` and ``template``.

``svdesk import FILE`` recognises what it is given: a tender file (``svdesk-tender/1``) or an OCDS notice
becomes a new tender in the database; a CSV or XLSX sheet of bids goes into ``--tender REF`` after a preview
and a confirmation (``--yes`` confirms in advance; with no terminal to ask and no ``--yes`` it refuses).
``svdesk export REF`` writes a tender as a tender file, a CSV table, an XLSX workbook or an OCDS award release
package; ``svdesk template REF`` writes the bids template. REF may also be a tender file.

Heavy libraries (openpyxl, SQLAlchemy) are imported inside the handlers, so ``svdesk --version`` stays fast.
"""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from svdesk.cli.common import EXIT_BAD_INPUT, EXIT_OK, Subparsers, command, confirmed, err, load_tender, out
from svdesk.errors import FileFormatError, SvdeskError
from svdesk.io.formats import (
    CSV_TABLES,
    EXPORT_FORMATS,
    IMPORT_KINDS,
    KIND_OCDS,
    ExportOptions,
    export_format,
    import_kind,
    looks_like_file,
    read_tender,
    recognise_file,
)

TEMPLATE_FORMATS = ("csv", "xlsx")


def register(sub: Subparsers) -> None:
    """Add ``import``, ``export`` and ``template`` to ``svdesk``."""
    p = command(
        sub, "import", help="import a tender file, an OCDS notice, or bids and scores from CSV/XLSX",
        description="Import FILE. A tender file (svdesk-tender/1) or an OCDS notice (release, package or record, "
        "e.g. from Contracts Finder) becomes a new tender; a CSV or XLSX sheet of bids and scores goes into "
        "--tender REF after showing what will change.",
    )
    p.add_argument("file", metavar="FILE", help="; ".join(f"{k.label}: {k.becomes}" for k in IMPORT_KINDS))
    p.add_argument("--tender", metavar="REF",
                   help="for bids: the tender they belong to (a reference, or a tender file to update); "
                        "for a tender file or notice: the new tender's reference")
    p.add_argument("--yes", action="store_true", help="apply a bids import or merge a return without asking")
    p.add_argument("--include-moderated", action="store_true",
                   help="for an evaluator's return (.svpack): also apply marks changed after moderation began")
    p.set_defaults(handler=cmd_import)

    keys = tuple(f.key for f in EXPORT_FORMATS)
    e = command(sub, "export", help="export a tender as " + ", ".join(f.label for f in EXPORT_FORMATS),
                       description="Write tender REF (a reference in the database, or a tender file) to --out.")
    e.add_argument("source", metavar="REF")
    e.add_argument("--format", choices=keys,
                   help="what to write (default: from the --out file's extension): "
                        + "; ".join(f"{f.key}: {f.purpose}" for f in EXPORT_FORMATS))
    e.add_argument("--out", metavar="FILE", required=True)
    e.add_argument("--table", choices=[key for key, _name in CSV_TABLES], default=CSV_TABLES[0][0],
                   help="for CSV: which table (default: results); XLSX has all three")
    e.add_argument("--ocid-prefix", metavar="PREFIX",
                   help="for OCDS: your registered ocid prefix (default: the ocds.prefix setting, else "
                   "$SVDESK_OCID_PREFIX, else a placeholder)")
    e.add_argument("--publisher", metavar="NAME", help="for OCDS: the publisher's name (default: the buyer)")
    e.add_argument("--notice", choices=("UK6", "UK7"), help="for OCDS: the Find a Tender notice to write: UK6 "
                   "contract award notice, UK7 contract details notice (default: a plain award release)")
    e.add_argument("--without-notes", action="store_true", help="for JSON: leave out officers' private notes")
    e.set_defaults(handler=cmd_export)

    t = command(sub, "template", help="write the bids and scores template for a tender (CSV or XLSX)",
                       description="Write the spreadsheet template for entering tender REF's bids and scores.")
    t.add_argument("source", metavar="REF")
    t.add_argument("--format", choices=TEMPLATE_FORMATS, help="default: from the --out file's extension")
    t.add_argument("--out", metavar="FILE", required=True)
    t.add_argument("--empty", action="store_true", help="no rows (default: one row per existing bid)")
    t.add_argument("--evaluators", metavar="INITIALS",
                   help="comma-separated evaluators to give their own columns (default: those who marked bids)")
    t.set_defaults(handler=cmd_template)


def who() -> str:
    """The name recorded in the audit log for changes made from the command line."""
    import getpass

    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):
        user = "unknown user"
    return f"{user} (command line)"


def open_database(args: argparse.Namespace) -> AbstractContextManager[Any]:
    """The store's ``open_database`` (docs/contracts.md) for ``--db`` / ``$SVDESK_DB``."""
    from svdesk.store import api

    manager: AbstractContextManager[Any] = api.open_database(getattr(args, "db", None))
    return manager


# --- import -----------------------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    """``svdesk import FILE``: a new tender from a tender file or OCDS notice, or bids into a tender."""
    if args.file.lower().endswith(".svpack"):     # an evaluator's return: read (and refused) by svdesk.io.packs
        from svdesk.cli.panel import cmd_import_return

        return cmd_import_return(args)
    kind = recognise_file(args.file)
    if import_kind(kind).bids:
        return _import_bids(args, kind)
    got = read_tender(args.file, reference=args.tender)
    tender, warnings, what = got.tender, got.warnings, got.what
    from svdesk.domain.panel import with_default_panel

    with open_database(args) as db:
        tender = with_default_panel(tender, db.council_settings().default_panel)
        db.create_tender(tender, who=who())
    out(f"Created tender {tender.reference} ({tender.title}) from the {what} {args.file}")
    if tender.panel.members and tender.panel.members != got.tender.panel.members:
        out(f"  The council's default evaluation panel was added: "
            f"{', '.join(m.initials for m in tender.panel.members)}")
    for w in warnings:
        out(f"  note: {w}")
    if kind == KIND_OCDS:
        out("  It is a draft: set the criteria and weights, and check the values and dates before you go on.")
    return EXIT_OK


def _import_bids(args: argparse.Namespace, kind: str) -> int:
    from svdesk.io.bids_import import ImportRejectedError, apply_bids_import, preview_bids_file

    if not args.tender:
        raise SvdeskError(f"{args.file}: bids need a tender: add --tender REF (the tender they belong to)")
    ref = args.tender.strip()
    if looks_like_file(ref):
        from svdesk.io.tender_file import read_tender_file, write_tender_file

        tender = read_tender_file(ref)
        preview = _preview_or_report(lambda: preview_bids_file(tender, args.file, kind=kind), ImportRejectedError)
        if preview is None:
            return EXIT_BAD_INPUT
        if not _confirm(preview, args, ref):
            return EXIT_OK
        write_tender_file(apply_bids_import(tender, preview), ref)
        out(f"Imported into the tender file {ref}.")
        return EXIT_OK
    with open_database(args) as db:
        tender = db.load_tender(ref)
        preview = _preview_or_report(lambda: preview_bids_file(tender, args.file, kind=kind), ImportRejectedError)
        if preview is None:
            return EXIT_BAD_INPUT
        if not _confirm(preview, args, ref):
            return EXIT_OK
        db.save_tender(apply_bids_import(tender, preview), previous=tender, who=who(),
                       action=f"Import bids and scores from {Path(args.file).name}")
    out(f"Imported into {ref}.")
    return EXIT_OK


def _preview_or_report(make: Any, rejected: type[FileFormatError]) -> Any:
    """Run the preview; an import refused for several reasons prints every one (one line each)."""
    try:
        return make()
    except rejected as e:
        problems = getattr(e, "problems", (e,))
        more = getattr(e, "more", 0)
        err(f"svdesk: {e.path}: nothing was imported; fix these problems and try again:")
        for p in problems:
            err(f"svdesk: {p}")
        if more:
            err(f"svdesk: … and {more} more")
        return None


def _confirm(preview: Any, args: argparse.Namespace, ref: str) -> bool:
    for line in preview.summary():
        out(line)
    for warning in getattr(preview, "warnings", ()):
        out(f"Warning: {warning}")
    if not preview.has_changes:
        out("Nothing to change.")
        return False
    if not confirmed(args.yes, f"Apply these changes to {ref}? [y/N] ",
                     f"{args.file}: not imported: there is no terminal to ask for confirmation; check the preview "
                     "above and run again with --yes"):
        out("Nothing was changed.")
        return False
    return True


# --- export and template ----------------------------------------------------------------------------------


def _format(args: argparse.Namespace, allowed: tuple[str, ...]) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix in allowed:
        return suffix
    raise SvdeskError(f"{args.out}: cannot tell the format from the file name: add --format "
                      f"({'|'.join(allowed)})")


def cmd_export(args: argparse.Namespace) -> int:
    """``svdesk export REF --format json|csv|xlsx|ocds --out FILE``."""
    fmt = _format(args, tuple(f.key for f in EXPORT_FORMATS))
    tender = load_tender(args.source, args)
    prefix = args.ocid_prefix
    if fmt.startswith("ocds") and not prefix:       # the council's setting, before $SVDESK_OCID_PREFIX
        from svdesk.store.api import read_council_settings

        prefix = read_council_settings(getattr(args, "db", None)).ocid_prefix or None
    options = ExportOptions(table=args.table, private=not args.without_notes, ocid_prefix=prefix,
                            publisher=args.publisher, notice=args.notice)
    from svdesk.io.ocds import published_form

    published = published_form(tender, fmt, prefix)     # an OCDS export's ocid and party ids, kept from now on
    for note in export_format(fmt).write(published, args.out, options):
        err(f"svdesk: note: {note}")
    if published != tender and not looks_like_file(args.source):
        with open_database(args) as db:
            db.save_tender(published, previous=tender, who=who(), action="Record the published ocid")
    out(f"Wrote {args.out} ({fmt}{', ' + args.table if fmt == 'csv' else ''})")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    """``svdesk template REF --format csv|xlsx --out FILE``."""
    from svdesk.io.bids_import import write_template

    fmt = _format(args, TEMPLATE_FORMATS)
    tender = load_tender(args.source, args)
    evaluators = None
    if args.evaluators is not None:
        evaluators = [e.strip() for e in args.evaluators.split(",") if e.strip()]
    write_template(tender, args.out, kind=fmt, evaluators=evaluators, filled=not args.empty)
    out(f"Wrote the bids template for {tender.reference} to {args.out}")
    return EXIT_OK
