"""CLI commands for the files attached to bids (see ``svdesk.cli.main``): ``attach``, ``detach``, ``attachments``.

- ``svdesk attach REF SUPPLIER FILE [--kind response|pricing] [--criterion ID] [--label TEXT]`` attaches a file
  to a bid (one audited transaction).
- ``svdesk detach REF SUPPLIER NAME`` removes one (audited).
- ``svdesk attachments REF [--json]`` lists them; ``--save NAME --supplier S --out PATH`` writes one out,
  checked against its SHA-256 first.

The rules (types by extension and content, the limits, the freeze, the same file twice) are
:func:`svdesk.domain.rules.check_add_attachment`'s; a refusal is one line and exit status 2, the database
unchanged.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from svdesk.cli.common import Subparsers, command, confirmed, out
from svdesk.domain import limits
from svdesk.domain.attachments import Attachment, AttachmentKind, size_text
from svdesk.errors import SvdeskError

EXIT_OK = 0


def register(sub: Subparsers) -> None:
    """Add ``attach``, ``detach`` and ``attachments`` to ``svdesk``."""
    a = command(sub, "attach", help="attach a file (a response or a pricing schedule) to a bid",
                description="Attach FILE to SUPPLIER's bid on tender REF. Response files (quality and "
                "social-value responses, method statements, CVs) travel in the evaluators' packs; pricing "
                "files never do. PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TXT or CSV, checked by content too.")
    a.add_argument("reference", metavar="REF")
    a.add_argument("supplier", metavar="SUPPLIER")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--kind", choices=[k.value for k in AttachmentKind], default=AttachmentKind.RESPONSE.value,
                   help="response (default: sent to evaluators) or pricing (never sent)")
    a.add_argument("--criterion", metavar="ID", default=None, help="the criterion the file answers")
    a.add_argument("--label", metavar="TEXT", default="", help="what the file is, in a few words")
    a.set_defaults(handler=cmd_attach)

    d = command(sub, "detach", help="remove a file attached to a bid",
                description="Remove the file NAME from SUPPLIER's bid on tender REF (audited).")
    d.add_argument("reference", metavar="REF")
    d.add_argument("supplier", metavar="SUPPLIER")
    d.add_argument("name", metavar="NAME")
    d.add_argument("--yes", action="store_true",
                   help="remove without asking (the file's contents cannot be brought back but from a backup)")
    d.set_defaults(handler=cmd_detach)

    ls = command(sub, "attachments", help="list the files attached to a tender's bids, or save one",
                 description="List the files attached to tender REF's bids: supplier, name, kind, criterion, "
                 "size, SHA-256 and when added; or write one to --out (with --save NAME --supplier S).")
    ls.add_argument("reference", metavar="REF")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.add_argument("--save", metavar="NAME", default=None, help="the file to write out")
    ls.add_argument("--supplier", metavar="SUPPLIER", default=None)
    ls.add_argument("--out", metavar="PATH", default=None)
    ls.set_defaults(handler=cmd_attachments)


def _who() -> str:
    from svdesk.cli.panel import _who as who

    return who()


def _read(path: str) -> tuple[str, bytes]:
    """The file's own name and bytes, refusing a too-large file by its size before reading it."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise SvdeskError(f"{path}: is a folder, not a file")
        if size > limits.MAX_ATTACHMENT_BYTES:
            raise SvdeskError(f"{path}: is too large ({size:,} bytes; the limit is {limits.MAX_ATTACHMENT_BYTES:,} "
                              f"bytes a file): it was not attached")
        with p.open("rb") as fh:
            data = fh.read(limits.MAX_ATTACHMENT_BYTES + 1)
    except FileNotFoundError:
        raise SvdeskError(f"{path}: no such file") from None
    except OSError as e:
        raise SvdeskError(f"{path}: cannot be read ({e.strerror or e})") from None
    return p.name, data


def cmd_attach(args: argparse.Namespace) -> int:
    """``svdesk attach REF SUPPLIER FILE``."""
    from svdesk.cli.panel import open_database

    name, data = _read(args.file)
    with open_database(args) as db:
        a: Attachment = db.add_attachment(args.reference, args.supplier, name, data, who=_who(),
                                          kind=AttachmentKind(args.kind), criterion=args.criterion,
                                          label=args.label)
        where = f" (answers {a.criterion})" if a.criterion else ""
        never = "; it is never sent to evaluators" if a.kind is AttachmentKind.PRICING else ""
        out(f"Attached {a.name} ({a.kind.value}, {size_text(a.size)}, SHA-256 {a.sha256}) to {a.supplier}'s bid on "
            f"{args.reference}{where}{never}.")
        _stale_packs(db, args.reference, a, "this file is not in")
    return EXIT_OK


def _stale_packs(db: object, reference: str, a: Attachment, change: str) -> None:
    """Tell the officer which members' packs no longer show the bid's response files as they are."""
    if a.kind is not AttachmentKind.RESPONSE:
        return
    from svdesk.io.packs import stale_pack_note

    note = stale_pack_note(db.load_tender(reference), a.supplier, change)  # type: ignore[attr-defined]
    if note:
        out(f"Note: {note}")


def cmd_detach(args: argparse.Namespace) -> int:
    """``svdesk detach REF SUPPLIER NAME``."""
    from svdesk.cli.panel import open_database
    from svdesk.domain.rules import check_remove_attachment

    with open_database(args) as db:
        found = check_remove_attachment(db.load_tender(args.reference), args.supplier, args.name)  # refusals first
        if not confirmed(args.yes, f"Remove {found.name} from {found.supplier}'s bid on {args.reference}? Its "
                         "contents cannot be brought back except from a backup (the audit log keeps its SHA-256). "
                         "[y/N] ", f"{found.name}: not removed: there is no terminal to ask for confirmation; run "
                         "again with --yes to remove it"):
            out("Nothing was removed.")
            return EXIT_OK
        a = db.remove_attachment(args.reference, args.supplier, found.name, who=_who())
        out(f"Removed {a.name} ({a.kind.value}, SHA-256 {a.sha256}) from {a.supplier}'s bid on {args.reference}.")
        _stale_packs(db, args.reference, a, "they still have this file in")
    return EXIT_OK


def attachment_doc(a: Attachment) -> dict[str, object]:
    """One attachment as ``svdesk attachments --json`` prints it."""
    return {"supplier": a.supplier, "name": a.name, "kind": a.kind.value, "criterion": a.criterion,
            "label": a.label, "size": a.size, "sha256": a.sha256, "media_type": a.media_type,
            "added_by": a.added_by, "added": None if a.added_at is None else a.added_at.isoformat()}


def cmd_attachments(args: argparse.Namespace) -> int:
    """``svdesk attachments REF [--json]`` or ``--save NAME --supplier S --out PATH``."""
    from svdesk.atomic import write_bytes_atomic
    from svdesk.cli.panel import open_database

    saving = (args.save, args.supplier, args.out)
    if any(saving) and not all(saving):
        raise SvdeskError("attachments: --save NAME needs --supplier SUPPLIER and --out PATH")
    with open_database(args) as db:
        if args.save:
            data = db.attachment_bytes(args.reference, args.supplier, args.save)
            target = Path(args.out)
            if target.is_dir():                            # --out a folder: the file keeps its own name there
                t = db.load_tender(args.reference)
                target = target / next(a.name for a in t.attachments_of(t.bid(args.supplier).supplier)
                                       if a.name.casefold() == args.save.strip().casefold())
            target = write_bytes_atomic(target, data)
            out(f"Wrote {args.save} of {args.supplier}'s bid ({size_text(len(data))}, SHA-256 checked) to {target}.")
            return EXIT_OK
        t = db.load_tender(args.reference)
    if args.json:
        out(json.dumps({"tender": t.reference, "attachments": [attachment_doc(a) for a in t.attachments]},
                        ensure_ascii=False, indent=2))
        return EXIT_OK
    if not t.attachments:
        out(f"{t.reference}: no files are attached to its bids (svdesk attach REF SUPPLIER FILE).")
        return EXIT_OK
    names = {c.id: c.name for c in t.criteria}
    out(f"{t.reference}  files attached to the bids (--json for every field, with the full SHA-256)")
    for supplier in dict.fromkeys(a.supplier for a in t.attachments):
        out(f"  {supplier}")
        for a in t.attachments_of(supplier):
            added = "" if a.added_at is None else a.added_at.strftime("%d %b %Y %H:%M UTC").lstrip("0")
            about = f" — {a.label}" if a.label else ""
            answers = names.get(a.criterion, a.criterion) if a.criterion else "the bid as a whole"
            never = ", never sent to evaluators" if a.kind is AttachmentKind.PRICING else ""
            out(f"    {a.name}{about}")
            out(f"      {a.kind.value}{never}; answers {answers}; {size_text(a.size)}; SHA-256 {a.sha256[:16]}…; "
                f"added {added} by {a.added_by}")
    return EXIT_OK
