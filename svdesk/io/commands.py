"""CLI commands of this area: ``import``, ``export`` and ``template`` (see ``svdesk/cli_commands.py``).

``svdesk import FILE`` recognises what it is given: a tender file (``svdesk-tender/1``) or an OCDS notice
becomes a new tender in the database; a CSV or XLSX sheet of bids goes into ``--tender REF`` after a preview
and a confirmation (``--yes`` confirms in advance; with no terminal to ask and no ``--yes`` it refuses).
``svdesk export REF`` writes a tender as a tender file, a CSV table, an XLSX workbook or an OCDS award release
package; ``svdesk template REF`` writes the bids template. REF may also be a tender file.

Heavy libraries (openpyxl, SQLAlchemy) are imported inside the handlers, so ``svdesk --version`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from svdesk.cli_commands import Subparsers
from svdesk.errors import FileFormatError, SvdeskError

EXIT_OK = 0
EXIT_BAD_INPUT = 2

KIND_TENDER = "tender"
KIND_OCDS = "ocds"
KIND_CSV = "csv"
KIND_XLSX = "xlsx"
KIND_RETURN = "return"


def register(sub: Subparsers) -> None:
    """Add ``import``, ``export`` and ``template`` to ``svdesk``."""
    p = sub.add_parser(
        "import", help="import a tender file, an OCDS notice, or bids and scores from CSV/XLSX",
        description="Import FILE. A tender file (svdesk-tender/1) or an OCDS notice (release, package or record, "
        "e.g. from Contracts Finder) becomes a new tender; a CSV or XLSX sheet of bids and scores goes into "
        "--tender REF after showing what will change.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--tender", metavar="REF",
                   help="for bids: the tender they belong to (a reference, or a tender file to update); "
                        "for a tender file or notice: the new tender's reference")
    p.add_argument("--yes", action="store_true", help="apply a bids import or merge a return without asking")
    p.add_argument("--include-moderated", action="store_true",
                   help="for an evaluator's return: also apply marks changed after moderation began")
    p.set_defaults(handler=cmd_import)

    e = sub.add_parser("export", help="export a tender as JSON, CSV, XLSX or an OCDS award release",
                       description="Write tender REF (a reference in the database, or a tender file) to --out.")
    e.add_argument("source", metavar="REF")
    e.add_argument("--format", choices=("json", "csv", "xlsx", "ocds"),
                   help="what to write (default: from the --out file's extension)")
    e.add_argument("--out", metavar="FILE", required=True)
    e.add_argument("--table", choices=("results", "scores", "commitments"), default="results",
                   help="for CSV: which table (default: results); XLSX has all three")
    e.add_argument("--ocid-prefix", metavar="PREFIX",
                   help="for OCDS: your registered ocid prefix (default: $SVDESK_OCID_PREFIX, else a placeholder)")
    e.add_argument("--publisher", metavar="NAME", help="for OCDS: the publisher's name (default: the buyer)")
    e.add_argument("--without-notes", action="store_true", help="for JSON: leave out officers' private notes")
    e.set_defaults(handler=cmd_export)

    t = sub.add_parser("template", help="write the bids and scores template for a tender (CSV or XLSX)",
                       description="Write the spreadsheet template for entering tender REF's bids and scores.")
    t.add_argument("source", metavar="REF")
    t.add_argument("--format", choices=("csv", "xlsx"), help="default: from the --out file's extension")
    t.add_argument("--out", metavar="FILE", required=True)
    t.add_argument("--empty", action="store_true", help="no rows (default: one row per existing bid)")
    t.add_argument("--evaluators", metavar="INITIALS",
                   help="comma-separated evaluators to give their own columns (default: those who marked bids)")
    t.set_defaults(handler=cmd_template)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def who() -> str:
    """The name recorded in the audit log for changes made from the command line."""
    import getpass

    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):
        user = "unknown user"
    return f"{user} (command line)"


def open_database(args: argparse.Namespace) -> AbstractContextManager[Any]:
    """The store's ``open_database`` (docs/contracts.md) for ``--db`` / ``$SVDESK_DB``.

    Raises:
        SvdeskError: the database layer is not part of this build.
    """
    try:
        api = importlib.import_module("svdesk.store.api")
    except ImportError:
        raise SvdeskError("the tender database is not available in this build (svdesk.store.api is missing); "
                          "use a tender file instead") from None
    manager: AbstractContextManager[Any] = api.open_database(getattr(args, "db", None))
    return manager


# --- recognising files ------------------------------------------------------------------------------------


def recognise_file(path: str) -> str:
    """What kind of file this is: ``tender``, ``ocds``, ``csv`` or ``xlsx`` (from its content, then its name).

    Raises:
        FileFormatError: missing, unreadable, or none of those.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise FileFormatError(path, "", "no such file") from None
    except IsADirectoryError:
        raise FileFormatError(path, "", "is a folder, not a file") from None
    except OSError as e:
        raise FileFormatError(path, "", f"cannot be read ({e.strerror or e})") from None
    from svdesk.io.spreadsheet import detect_kind

    lower = path.lower()
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if lower.endswith(".svpack"):
        return KIND_RETURN    # packs and returns are read (and refused) by svdesk.io.packs alone
    if lower.endswith(".json") or stripped.startswith((b"{", b"[")):
        return _json_kind(path)
    kind = detect_kind(path, head)
    if kind == "csv" and not lower.endswith((".csv", ".txt", ".tsv")):
        raise FileFormatError(path, "", "is not a file svdesk imports: use a tender file or OCDS notice (.json), "
                                        "or bids as .csv or .xlsx")
    return kind


def _json_kind(path: str) -> str:
    from svdesk.io.ocds import MAX_OCDS_BYTES, load_json, ocds_kind
    from svdesk.io.spreadsheet import read_capped

    doc = load_json(read_capped(path, MAX_OCDS_BYTES), path)
    if isinstance(doc, dict) and "format" in doc:
        if doc.get("format") == "svdesk-tender/1":
            return KIND_TENDER
        if str(doc.get("format")).startswith(("svdesk-return/", "svdesk-pack/")):
            return KIND_RETURN
        raise FileFormatError(path, "$.format", f"{doc.get('format')!r} is not a format svdesk reads "
                                                "(expected 'svdesk-tender/1')")
    if ocds_kind(doc) is not None:
        return KIND_OCDS
    raise FileFormatError(path, "$", "is neither an svdesk tender file nor an OCDS release, package or record")


# --- import -----------------------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    """``svdesk import FILE``: a new tender from a tender file or OCDS notice, or bids into a tender."""
    kind = recognise_file(args.file)
    if kind == KIND_RETURN:
        from svdesk.io.panel_commands import cmd_import_return

        return cmd_import_return(args)
    if kind in (KIND_CSV, KIND_XLSX):
        return _import_bids(args, kind)
    if kind == KIND_TENDER:
        from dataclasses import replace

        from svdesk.io.tender_file import read_tender_file

        tender = read_tender_file(args.file)
        if args.tender:
            tender = replace(tender, reference=args.tender.strip())
        warnings: tuple[str, ...] = ()
        what = "tender file"
    else:
        from svdesk.io.ocds import read_ocds_file

        result = read_ocds_file(args.file, reference=args.tender)
        tender = result.tender
        warnings = result.warnings
        what = f"OCDS {result.kind}"
    from svdesk.domain.rules import check_arrival
    from svdesk.domain.tender import check_tender
    from svdesk.errors import ValidationError

    try:
        check_tender(tender)
        check_arrival(tender)  # e.g. "evaluation" with weights at 95: refused as the app refuses the move
    except ValidationError as e:
        raise FileFormatError(args.file, e.field, e.message) from None
    with open_database(args) as db:
        db.create_tender(tender, who=who())
    _out(f"Created tender {tender.reference} ({tender.title}) from the {what} {args.file}")
    for w in warnings:
        _out(f"  note: {w}")
    if kind == KIND_OCDS:
        _out("  It is a draft: set the criteria and weights, and check the values and dates before you go on.")
    return EXIT_OK


def _looks_like_file(arg: str) -> bool:
    from svdesk.cli import looks_like_file

    return looks_like_file(arg)


def _import_bids(args: argparse.Namespace, kind: str) -> int:
    from svdesk.io.bids_import import ImportRejectedError, apply_bids_import, preview_bids_file

    if not args.tender:
        raise SvdeskError(f"{args.file}: bids need a tender: add --tender REF (the tender they belong to)")
    ref = args.tender.strip()
    if _looks_like_file(ref):
        from svdesk.io.tender_file import read_tender_file, write_tender_file

        tender = read_tender_file(ref)
        preview = _preview_or_report(lambda: preview_bids_file(tender, args.file, kind=kind), ImportRejectedError)
        if preview is None:
            return EXIT_BAD_INPUT
        if not _confirm(preview, args, ref):
            return EXIT_OK
        write_tender_file(apply_bids_import(tender, preview), ref)
        _out(f"Imported into the tender file {ref}.")
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
    _out(f"Imported into {ref}.")
    return EXIT_OK


def _preview_or_report(make: Any, rejected: type[FileFormatError]) -> Any:
    """Run the preview; an import refused for several reasons prints every one (one line each)."""
    try:
        return make()
    except rejected as e:
        problems = getattr(e, "problems", (e,))
        more = getattr(e, "more", 0)
        _err(f"svdesk: {e.path}: nothing was imported; fix these problems and try again:")
        for p in problems:
            _err(f"svdesk: {p}")
        if more:
            _err(f"svdesk: … and {more} more")
        return None


def _confirm(preview: Any, args: argparse.Namespace, ref: str) -> bool:
    for line in preview.summary():
        _out(line)
    if not preview.has_changes:
        _out("Nothing to change.")
        return False
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise SvdeskError(f"{args.file}: not imported: there is no terminal to ask for confirmation; "
                          "check the preview above and run again with --yes")
    try:
        answer = input(f"Apply these changes to {ref}? [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().casefold() not in ("y", "yes"):
        _out("Nothing was changed.")
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


def _load(args: argparse.Namespace) -> Any:
    from svdesk.cli import load_tender

    return load_tender(args.source, args)


def cmd_export(args: argparse.Namespace) -> int:
    """``svdesk export REF --format json|csv|xlsx|ocds --out FILE``."""
    fmt = _format(args, ("json", "csv", "xlsx", "ocds"))
    tender = _load(args)
    if fmt == "json":
        from svdesk.io.tender_file import write_tender_file

        write_tender_file(tender, args.out, private=not args.without_notes)
    elif fmt == "csv":
        from svdesk.io.export import export_csv

        export_csv(tender, args.out, args.table)
    elif fmt == "xlsx":
        from svdesk.io.export import export_xlsx

        export_xlsx(tender, args.out)
    else:
        from svdesk.io.ocds import DEFAULT_OCID_PREFIX, ocid_prefix, write_release_package

        prefix = ocid_prefix(args.ocid_prefix)
        write_release_package(tender, args.out, prefix=prefix, publisher=args.publisher)
        if prefix == DEFAULT_OCID_PREFIX:
            _err(f"svdesk: note: the ocid uses the placeholder prefix {DEFAULT_OCID_PREFIX!r}; before publishing, "
                 "set SVDESK_OCID_PREFIX (or --ocid-prefix) to your registered prefix")
    _out(f"Wrote {args.out} ({fmt}{', ' + args.table if fmt == 'csv' else ''})")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    """``svdesk template REF --format csv|xlsx --out FILE``."""
    from svdesk.io.bids_import import write_template

    fmt = _format(args, ("csv", "xlsx"))
    tender = _load(args)
    evaluators = None
    if args.evaluators is not None:
        evaluators = [e.strip() for e in args.evaluators.split(",") if e.strip()]
    write_template(tender, args.out, kind=fmt, evaluators=evaluators, filled=not args.empty)
    _out(f"Wrote the bids template for {tender.reference} to {args.out}")
    return EXIT_OK
