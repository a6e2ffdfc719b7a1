"""Exports to spreadsheets: scores, results and the commitments schedule, as CSV or XLSX.

* **Scores** is the bids template filled in (:func:`svdesk.io.bids_import.template_table`), so an exported
  sheet can be edited and imported again.
* **Results** is the ranking from :func:`svdesk.domain.scoring.score_tender`: rank, supplier, total, weighted
  points per criterion, price, commitments value, exclusions with reasons, and flags. Points are rounded half-up
  to 2 dp, as ``svdesk score --json`` and the award papers show them (ranks come from the exact totals).
* **Commitments** is the social-value schedule: one row per commitment of every bid (ranked bids first), with
  quantity, unit value and value in pounds.

Formula injection is neutralised and files are written atomically by :mod:`svdesk.io.spreadsheet`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from svdesk.domain.money import round2
from svdesk.domain.scoring import Results, score_tender
from svdesk.domain.tender import Tender
from svdesk.errors import SvdeskError
from svdesk.io.bids_import import template_table
from svdesk.io.spreadsheet import Table, write_csv, write_xlsx

TABLES = ("scores", "results", "commitments")


def scores_table(t: Tender) -> Table:
    """Every bid with its price, consensus scores and reasons, and evaluators' marks (the import template)."""
    table = template_table(t, filled=True)
    return Table("Scores", table.headers, table.rows, table.money_columns)


def results_table(t: Tender, results: Results | None = None) -> Table:
    """The ranking: one row per bid in rank order (unranked bids last, with the reasons).

    Raises:
        ScoringError: the tender cannot be scored (weights do not total 100, or no criteria).
    """
    res = results if results is not None else score_tender(t, compare=False)
    headers = ["Rank", "Supplier", "Total"]
    headers += [f"{c.name} (points of {_num(c.weight)})" for c in t.criteria]
    headers += ["Price (£)", "Commitments value (£)", "Excluded", "Reasons", "Flags"]
    rows = []
    for r in res.results:
        rows.append((
            r.rank,
            r.supplier,
            round2(r.total),
            *(_points(r.criteria.get(c.id)) for c in t.criteria),
            r.price,
            r.commitments_value,
            r.excluded,
            "; ".join(r.reasons) or None,
            ", ".join(r.flags) or None,
        ))
    n = len(t.criteria)
    return Table("Results", tuple(headers), tuple(rows), frozenset({3 + n, 4 + n}))


def commitments_table(t: Tender, results: Results | None = None) -> Table:
    """The commitments schedule: every commitment of every bid, ranked bids first.

    The ranking is used only to order the rows; a tender that cannot be scored yet is listed in bid order.
    """
    order = [b.supplier for b in t.bids]
    ranks: dict[str, int | None] = {}
    try:
        res = results if results is not None else score_tender(t, compare=False)
    except SvdeskError:
        res = None
    if res is not None:
        ranks = {r.supplier: r.rank for r in res.results}
        order = sorted(order, key=lambda s: (ranks.get(s) is None, ranks.get(s) or 0, order.index(s)))
    headers = ("Rank", "Supplier", "Measure", "Description", "Theme", "Where the benefit lands", "Quantity",
               "Unit value (£)", "Value (£)", "From ask")
    rows = []
    for supplier in order:
        b = t.bid(supplier)
        for c in b.commitments:
            rows.append((
                ranks.get(supplier),
                supplier,
                c.measure,
                c.description or None,
                c.theme.label if c.theme else None,
                c.locality.value if c.locality else None,
                c.quantity,
                c.unit_value,
                c.value,
                c.from_ask,
            ))
    return Table("Commitments", headers, tuple(rows), frozenset({7, 8}))


def _points(d: Decimal | None) -> Decimal | None:
    return None if d is None else round2(d)


def _num(d: Decimal) -> str:
    return f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}"


def export_tables(t: Tender, which: Sequence[str] = TABLES) -> tuple[Table, ...]:
    """The named tables (``scores``, ``results``, ``commitments``) for a tender.

    Raises:
        SvdeskError: an unknown table name; ScoringError when results are asked for an unscorable tender.
    """
    out: list[Table] = []
    res: Results | None = None
    for name in which:
        if name == "scores":
            out.append(scores_table(t))
        elif name == "results":
            res = res or score_tender(t, compare=False)
            out.append(results_table(t, res))
        elif name == "commitments":
            out.append(commitments_table(t, res))
        else:
            raise SvdeskError(f"unknown table {name!r} (use one of: {', '.join(TABLES)})")
    return tuple(out)


def export_csv(t: Tender, path: str | os.PathLike[str], table: str = "results") -> Path:
    """Write one table of a tender as CSV (atomically).

    Raises:
        SvdeskError: unknown table, unscorable tender (for results), or the file cannot be written.
    """
    (tab,) = export_tables(t, (table,))
    return write_csv(path, tab)


def export_xlsx(t: Tender, path: str | os.PathLike[str], which: Sequence[str] | None = None) -> Path:
    """Write a workbook with one sheet per table (scores, results — when the tender can be scored — and
    commitments), atomically.

    Raises:
        SvdeskError: unknown table or the file cannot be written.
    """
    names = list(which) if which is not None else _scorable_tables(t)
    return write_xlsx(path, export_tables(t, names))


def _scorable_tables(t: Tender) -> list[str]:
    try:
        score_tender(t, compare=False)
    except SvdeskError:
        return ["scores", "commitments"]
    return list(TABLES)
