"""``svdesk score FILE_OR_REF [--json]``: score a tender and print the ranking (and what a headless start shows)."""

from __future__ import annotations

import argparse
import json

from svdesk.cli.common import EXIT_OK, Subparsers, command, load_tender, out


def register(sub: Subparsers) -> None:
    """Add ``svdesk score``."""
    s = command(sub, "score", help="score a tender file or a tender in the database")
    s.add_argument("source", metavar="FILE_OR_REF")
    s.add_argument("--json", action="store_true", help="print the results as JSON")
    s.set_defaults(handler=cmd_score)


def cmd_score(args: argparse.Namespace) -> int:
    """Score a tender file (or a tender in the database) and print the ranking."""
    from svdesk.domain.money import format_gbp, format_points
    from svdesk.domain.scoring import results_as_json, score_tender

    tender = load_tender(args.source, args)
    res = score_tender(tender)
    if args.json:
        out(json.dumps(results_as_json(res), ensure_ascii=False, indent=2))
        return EXIT_OK
    out(f"{tender.reference}  {tender.title}")
    ids = [c.id for c in tender.criteria]
    width = max([len("Supplier"), *(len(r.supplier) for r in res.results)])
    head = f"{'Rank':>4}  {'Supplier':<{width}}  " + "  ".join(f"{i:>8}" for i in ids) + f"  {'Total':>8}  Price"
    out(head)
    out("-" * len(head))
    for r in res.results:
        rank = str(r.rank) if r.rank is not None else "–"
        cells = "  ".join(f"{format_points(r.criteria.get(i)):>8}" for i in ids)
        out(f"{rank:>4}  {r.supplier:<{width}}  {cells}  {format_points(r.total):>8}  {format_gbp(r.price)}")
        for reason in r.reasons:
            out(f"{'':>4}  {'':<{width}}  ! {reason}")
        if r.flags:
            out(f"{'':>4}  {'':<{width}}  flags: {', '.join(r.flags)}")
    for w in res.warnings:
        out(f"Warning: {w}")
    return EXIT_OK


def headless_demo(args: argparse.Namespace) -> int:
    """What ``svdesk`` does with no display: score a demo tender and print the ranking."""
    from svdesk.paths import resources_dir

    demo = resources_dir() / "demo" / "network-tender.json"
    return cmd_score(argparse.Namespace(source=str(demo), json=False, db=getattr(args, "db", None)))
