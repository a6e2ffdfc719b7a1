"""CLI commands of the evaluation panel (see ``svdesk.cli.main``): ``panel``, ``pack`` and ``mark``.

- ``svdesk panel REF`` shows the panel; ``svdesk panel REF add KT --name "Kim Taylor"``, ``remove KT``,
  ``declare KT --no-conflict`` or ``declare KT --conflict TEXT --bidder NAME --mitigation does_not_mark``,
  ``proceed --reason TEXT`` change it (each one audited transaction).
- ``svdesk pack REF --evaluator KT --out KT.svpack`` writes a member's evaluator pack and records it.
- ``svdesk mark KT.svpack --from marks.csv --out KT-return.svpack`` makes a return without the app (no
  database needed: this is what the member's svdesk does).

Merging a return is ``svdesk import KT-return.svpack`` (:func:`cmd_import_return`, called by ``import``).
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from svdesk.cli.common import Subparsers, command, confirmed, out
from svdesk.domain.panel import Declaration, Mitigation
from svdesk.errors import SvdeskError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def register(sub: Subparsers) -> None:
    """Add ``panel``, ``pack`` and ``mark`` to ``svdesk``."""
    p = command(sub, "panel", help="show or change a tender's evaluation panel and declarations of interest",
                       description="Show tender REF's evaluation panel (members, declarations of interest, packs "
                       "sent and returned, marks done), or change it.")
    p.add_argument("reference", metavar="REF")
    acts = p.add_subparsers(dest="action", metavar="ACTION")
    a = acts.add_parser("add", help="put a member on the panel")
    a.add_argument("initials")
    a.add_argument("--name", default="")
    a.add_argument("--role", choices=("evaluator", "officer"), default="evaluator")
    r = acts.add_parser("remove", help="take a member off the panel (refused while they have marks)")
    r.add_argument("initials")
    d = acts.add_parser("declare", help="record a member's declaration of interest")
    d.add_argument("initials")
    g = d.add_mutually_exclusive_group(required=True)
    g.add_argument("--no-conflict", action="store_true", help="the member has no conflict of interest")
    g.add_argument("--conflict", metavar="TEXT", help="the conflict, in the member's words")
    d.add_argument("--bidder", action="append", default=[], metavar="SUPPLIER",
                   help="a bidder the conflict concerns (repeat for several)")
    d.add_argument("--mitigation", choices=("none", "does_not_mark", "other"), default="none")
    d.add_argument("--measure", default="", metavar="TEXT", help="for --mitigation other: the measure taken")
    d.add_argument("--on", metavar="YYYY-MM-DD", default=None, help="the date of the declaration (default: today)")
    pr = acts.add_parser("proceed", help="go on to moderation before every return is in, recording why")
    pr.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_panel)

    k = command(sub, "pack", help="write a panel member's evaluator pack (.svpack) to mark offline",
                       description="Write the evaluator pack for member --evaluator of tender REF: the criteria, "
                       "scales and descriptors and the bids to mark, without prices, other members' marks, "
                       "moderation or private notes. The pack is recorded on the panel.")
    k.add_argument("reference", metavar="REF")
    k.add_argument("--evaluator", required=True, metavar="INITIALS")
    k.add_argument("--out", required=True, metavar="FILE")
    k.set_defaults(handler=cmd_pack)

    m = command(sub, "mark", help="make a return from an evaluator pack and a CSV of marks (no database)",
                       description="Read evaluator pack PACK, add the marks in --from (CSV: supplier, criterion, "
                       "score, reason) and write the return to send back to the officer.")
    m.add_argument("pack", metavar="PACK")
    m.add_argument("--from", dest="marks", metavar="CSV", default=None)
    m.add_argument("--out", required=True, metavar="FILE")
    m.set_defaults(handler=cmd_mark)


def _who() -> str:
    """The name recorded in the audit log for changes made from the command line (as ``svdesk.cli.files``)."""
    import getpass

    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):
        user = "unknown user"
    return f"{user} (command line)"


def open_database(args: argparse.Namespace) -> Any:
    """The store's ``open_database`` for ``--db`` / ``$SVDESK_DB`` (here, not from files: it imports this)."""
    from svdesk.store import api

    return api.open_database(getattr(args, "db", None))


def _when(at: datetime | None) -> str:
    return "–" if at is None else at.astimezone(UTC).strftime("%d %b %Y %H:%M UTC").lstrip("0")


def describe_panel(tender: object) -> list[str]:
    """The panel's status in lines (what ``svdesk panel REF`` prints)."""
    from svdesk.domain.panel import returns_outstanding, status
    from svdesk.domain.tender import Tender

    assert isinstance(tender, Tender)
    lines = [f"{tender.reference}  evaluation panel"]
    rows = status(tender)
    if not rows:
        lines.append("  Nobody is on the panel yet: svdesk panel REF add INITIALS --name NAME")
        return lines
    for s in rows:
        m = s.member
        d = m.declaration
        lines.append(f"  {m.label}  {m.role.label}")
        said = "not made yet" if d is None else f"{d.declared_on.isoformat()} — {d.summary()}"
        lines.append(f"    Declaration: {said}")
        if m.role.value == "evaluator":
            lines.append(f"    Pack sent: {_when(m.pack_sent)}   Returned: {_when(m.returned)}   "
                         f"Marks: {s.marks_done} of {s.marks_due}")
            if s.barred_from:
                lines.append(f"    Does not mark: {', '.join(s.barred_from)}")
    out = returns_outstanding(tender)
    if out:
        lines.append(f"  Waiting for returns from: {', '.join(m.initials for m in out)}")
        if tender.panel.proceed_reason:
            lines.append(f"  Going on to moderation anyway: {tender.panel.proceed_reason}")
    return lines


def cmd_panel(args: argparse.Namespace) -> int:
    """``svdesk panel REF [add|remove|declare|proceed …]``."""
    from svdesk.domain import panel

    with open_database(args) as db:
        t = db.load_tender(args.reference)
        if args.action is None:
            for line in describe_panel(t):
                out(line)
            return EXIT_OK
        if args.action == "add":
            new = panel.add_member(t, args.initials, args.name, panel.Role(args.role))
            action = f"Added {args.initials.strip()} to the evaluation panel"
        elif args.action == "remove":
            new = panel.remove_member(t, args.initials)
            action = f"Took {args.initials.strip()} off the evaluation panel"
        elif args.action == "declare":
            new = panel.declare(t, args.initials, _declaration(args))
            action = f"Declaration of interest recorded for {args.initials.strip()}"
        else:
            new = panel.proceed_without_returns(t, args.reason)
            action = "Going on to moderation before every return is in"
        db.save_tender(new, previous=t, who=_who(), action=action)
    out(f"{action} ({t.reference}).")
    return EXIT_OK


def _declaration(args: argparse.Namespace) -> Declaration:

    on = date.today()
    if args.on:
        try:
            on = date.fromisoformat(args.on)
        except ValueError:
            raise SvdeskError(f"--on: {args.on!r} is not a date (use YYYY-MM-DD)") from None
    if args.no_conflict:
        if args.bidder or args.mitigation != "none" or args.measure:
            raise SvdeskError("declare: --no-conflict takes no --bidder, --mitigation or --measure")
        return Declaration(declared_on=on)
    return Declaration(declared_on=on, conflict=True, details=args.conflict, bidders=tuple(args.bidder),
                       mitigation=Mitigation(args.mitigation), mitigation_text=args.measure)


def cmd_pack(args: argparse.Namespace) -> int:
    """``svdesk pack REF --evaluator KT --out KT.svpack``."""
    with open_database(args) as db:
        t = db.load_tender(args.reference)
        sha = send_pack(db, t, args.evaluator, args.out, who=_who())
    out(f"Wrote the evaluator pack for {args.evaluator.strip()} to {args.out} (SHA-256 {sha})")
    from svdesk.io.packs import moderation_note

    note = moderation_note(t, t.panel.member(args.evaluator).initials)
    if note:
        out(f"Note: {note}")
    return EXIT_OK


def send_pack(db: object, t: object, initials: str, out: str | Path, *, who: str) -> str:
    """Write a member's pack to ``out`` and record it on the panel (one audited save); returns its fingerprint.

    The file is written first and removed again if the database refuses the record, so a pack exists only
    when the database knows its fingerprint.
    """
    from svdesk.domain.panel import record_pack_sent
    from svdesk.domain.tender import Tender
    from svdesk.io.packs import make_pack, write_file

    assert isinstance(t, Tender)
    now = datetime.now(UTC)
    ref = t.reference

    def read(supplier: str, name: str) -> bytes:      # the bids' response files, checked by SHA-256
        return bytes(db.attachment_bytes(ref, supplier, name))  # type: ignore[attr-defined]

    data, sha = make_pack(t, initials, audit_head=db.audit_head(), now=now,  # type: ignore[attr-defined]
                          attachments=read)
    member = t.panel.member(initials)
    new = record_pack_sent(t, member.initials, now, sha)
    target = write_file(out, data)
    try:
        db.save_tender(new, previous=t, who=who,  # type: ignore[attr-defined]
                       action=f"Evaluator pack sent to {member.initials} (SHA-256 {sha})")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return sha


def cmd_mark(args: argparse.Namespace) -> int:
    """``svdesk mark PACK [--from CSV] --out RETURN``: the evaluator's side, with no database."""
    from svdesk.io.packs import make_return, read_marks_csv, read_pack, write_file

    pack = read_pack(args.pack)
    out(f"{pack.greeting} ({pack.title})")
    marks = dict(pack.marks) if args.marks is None else read_marks_csv(pack, args.marks)
    data, sha = make_return(pack, marks)
    write_file(args.out, data)
    out(f"{len(marks)} of {pack.marks_due} marks given. Wrote the return to {args.out} (SHA-256 {sha}): "
         f"send it to the officer.")
    return EXIT_OK


def cmd_import_return(args: argparse.Namespace) -> int:
    """``svdesk import KT-return.svpack``: preview every mark that changes, then merge when confirmed."""
    who = _who
    from svdesk.io.packs import PackError, apply_merge, merge_action, preview_merge, read_return
    from svdesk.store.errors import TenderNotFoundError

    ret = read_return(args.file)
    ref = (args.tender or ret.reference).strip()
    if ref != ret.reference:
        raise PackError(args.file, "$.tender.reference", f"is a return for {ret.reference}, not {ref}; it was not "
                                                         f"merged")
    with open_database(args) as db:
        try:
            t = db.load_tender(ref)
        except TenderNotFoundError:
            raise PackError(args.file, "$.tender.reference",
                            f"is a return for {ret.reference}, which is not in {db.location}; it was not "
                            f"merged") from None
        preview = preview_merge(t, ret, expected_reference=ref)
        for line in preview.summary():
            out(line)
        for warning in preview.warnings:
            out(f"Warning: {warning}")
        held = preview.flagged if not args.include_moderated else ()
        if held:
            out(f"{len(held)} mark{'s' if len(held) != 1 else ''} changed after moderation began "
                 f"{'are' if len(held) != 1 else 'is'} held back (run again with --include-moderated to apply "
                 f"{'them' if len(held) != 1 else 'it'})")
        if not preview.changes:
            out("No marks change; the return will be recorded as received.")
        if not _confirmed(args, f"Merge {preview.initials}'s return into {ref}? [y/N] "):
            out("Nothing was changed.")
            return EXIT_OK
        merged = apply_merge(t, preview, include_moderated=args.include_moderated)
        db.save_tender(merged, previous=t, who=preview.initials, action=merge_action(preview, who()))
    applied = len(preview.changes) - len(held)
    out(f"Merged {applied} mark{'s' if applied != 1 else ''} from {preview.initials}'s return into {ref}.")
    return EXIT_OK


def _confirmed(args: argparse.Namespace, question: str) -> bool:
    return confirmed(args.yes, question, f"{args.file}: not merged: there is no terminal to ask for confirmation; "
                                         "check the preview above and run again with --yes")
