"""Figure 3's input: a database with 10,000 tenders and about 2,000,000 score rows, made once and kept.

The file is created through the store (``svdesk.store.api.open_database``: the real migrations, triggers,
settings and audit log), then filled with SQLAlchemy Core ``insert()`` executemany in batches, with the values
the store itself writes (whole pence, exact decimal text, UTC ISO times, case-folded supplier keys). Tenders are
inserted as drafts and given their real status last, as the store does, because the freeze triggers refuse
rows added to an awarded tender. It is then opened once through the store and checked (every tender listed,
one loaded and valid).

Per tender: a price criterion and seven quality criteria, ten bids, each bid marked on every quality criterion
by two evaluators with an agreed score: 10,000 × 10 × 7 × 3 = 2,100,000 score rows (700,000 agreed scores and
1,400,000 evaluators' marks). No audit entries are made for the generated tenders.

The file is kept in ``build/bench/`` under a name holding the schema revision and this generator's version, so
a rerun reuses it (about 30 s to make) and a schema change makes a new one.
"""

from __future__ import annotations

import os
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import BUILD

TENDERS = 10_000
BIDS = 10
QUALITY = 7
EVALUATORS = ("PS", "JM")
#: Bump when the generated content changes, so a cached file from an older generator is not reused.
GENERATOR = 1
BATCH = 100_000

WORDS = ("Highways", "Grounds", "Library", "Leisure", "Waste", "Housing", "Broadband", "Parks", "Schools",
         "Transport", "Cleaning", "Catering", "Energy", "Security", "Printing", "Software", "Legal", "Audit")
KINDS = ("maintenance", "services", "framework", "supply", "repairs", "upgrade", "support", "consultancy")
CATEGORY = ("ict", "facilities", "construction", "transport", "care", "consultancy", "waste", "any")
STATUSES = ("draft", "negotiation", "evaluation", "awarded", "closed", "cancelled")


def path_for(revision: str) -> Path:
    """Where the database for this schema revision and generator version is kept."""
    return BUILD / f"register-{TENDERS // 1000}k-schema{revision}-gen{GENERATOR}.sqlite3"


def register_database() -> Path:
    """The 10,000-tender database (made on first use)."""
    from svdesk.store import migrate

    path = path_for(migrate.HEAD)
    if path.is_file():
        return path
    BUILD.mkdir(parents=True, exist_ok=True)
    for old in BUILD.glob("register-*.sqlite3*"):
        old.unlink()
    tmp = path.with_name(path.name + ".partial")
    for leftover in tmp.parent.glob(tmp.name + "*"):
        leftover.unlink()
    print(f"bench: making {path.relative_to(BUILD.parent.parent)} (10,000 tenders, 2.1 million score rows; "
          f"once per schema version, about 30 s)", flush=True)
    _make(tmp)
    for suffix in ("-wal", "-journal", ".svdesk-lock"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)
    _check(path)
    shutil.rmtree(BUILD / "svdesk-backups", ignore_errors=True)   # made by the check's open; runs use a copy
    return path


def _make(path: Path) -> None:
    from sqlalchemy import column, create_engine, insert, table, text

    from svdesk.store import api
    from svdesk.store.models import (
        BidRow,
        ConsensusScoreRow,
        CriterionRow,
        EvaluatorScoreRow,
        TenderRow,
    )
    from svdesk.store.repository import supplier_key
    from svdesk.store.types import utc_text

    with api.open_database(path):        # creates the file and runs the real migrations
        pass

    def plain(model: type) -> object:
        """The table with untyped columns: values go in exactly as the store's column types write them."""
        t = model.__table__  # type: ignore[attr-defined]
        return table(t.name, *(column(c.name) for c in t.columns))

    tender_t, crit_t, bid_t = plain(TenderRow), plain(CriterionRow), plain(BidRow)
    cons_t, eval_t = plain(ConsensusScoreRow), plain(EvaluatorScoreRow)
    rnd = random.Random(9)
    start = datetime(2022, 1, 1, tzinfo=UTC)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        tenders, criteria, bids, agreed, marks, statuses = [], [], [], [], [], []
        crit_id = bid_id = 0
        for i in range(1, TENDERS + 1):
            made = start + timedelta(minutes=rnd.randint(0, 60 * 24 * 365 * 4))
            changed = made + timedelta(minutes=rnd.randint(0, 60 * 24 * 90))
            tenders.append({
                "id": i, "reference": f"REG-{i:05d}",
                "title": f"{rnd.choice(WORDS)} {rnd.choice(KINDS)} {2022 + i % 5}/{i % 97:02d}",
                "category": rnd.choice(CATEGORY), "status": "draft",
                "annual_value": rnd.randint(10_000, 5_000_000) * 100, "term_years": rnd.randint(1, 5),
                "extension_years": rnd.randint(0, 2), "description": "", "buyer": "Ashbourne District Council",
                "officer": "Priya Shah", "tie_break": "none", "version": 1,
                "created_at": utc_text(made), "updated_at": utc_text(changed),
            })
            statuses.append({"id": i, "status": rnd.choice(STATUSES)})
            quality_ids = []
            crit_id += 1
            criteria.append({"id": crit_id, "tender_id": i, "position": 0, "code": "price", "name": "Price",
                             "kind": "price", "weight": "30", "scale_max": "5", "threshold": None,
                             "method": "lowest_price", "scope": "all", "description": ""})
            for q in range(QUALITY):
                crit_id += 1
                quality_ids.append(crit_id)
                criteria.append({"id": crit_id, "tender_id": i, "position": q + 1, "code": f"q{q + 1}",
                                 "name": f"Quality question {q + 1}", "kind": "quality", "weight": "10",
                                 "scale_max": "5", "threshold": None, "method": None, "scope": "all",
                                 "description": ""})
            for b in range(BIDS):
                bid_id += 1
                name = f"Supplier {rnd.randint(1, 3000):04d} {b} Ltd"
                bids.append({"id": bid_id, "tender_id": i, "position": b, "supplier": name,
                             "supplier_key": supplier_key(name), "price": rnd.randint(50_000, 9_000_000) * 100,
                             "sme": int(b % 3 == 0), "vcse": int(b % 7 == 0), "locality": "local" if b % 2 else None,
                             "address": "", "excluded": 0, "exclusion_reason": "", "notes": ""})
                for cid in quality_ids:
                    agreed.append({"bid_id": bid_id, "criterion_id": cid, "score": str(rnd.randint(1, 5)),
                                   "reason": "Evidence in the method statement."})
                    for who in EVALUATORS:
                        marks.append({"bid_id": bid_id, "criterion_id": cid, "evaluator": who,
                                      "score": str(rnd.randint(1, 5)), "reason": None})
            if len(marks) >= BATCH:
                _flush(conn, insert, ((tender_t, tenders), (crit_t, criteria), (bid_t, bids), (cons_t, agreed),
                                      (eval_t, marks)))
        _flush(conn, insert, ((tender_t, tenders), (crit_t, criteria), (bid_t, bids), (cons_t, agreed),
                              (eval_t, marks)))
        # The real statuses last: the freeze triggers refuse criteria, bids and scores for an awarded tender.
        conn.execute(text("UPDATE tender SET status = :status WHERE id = :id"), statuses)
    engine.dispose()


def _flush(conn: object, insert: object, batches: tuple[tuple[object, list[dict[str, object]]], ...]) -> None:
    for t, rows in batches:
        if rows:
            conn.execute(insert(t), rows)  # type: ignore[attr-defined,operator]
            rows.clear()


def _check(path: Path) -> None:
    from svdesk.domain.tender import check_tender
    from svdesk.store import api

    with api.open_database(path) as db:
        rows = db.list_tenders()
        assert len(rows) == TENDERS, len(rows)
        check_tender(db.load_tender(rows[len(rows) // 2].reference))


def scoring_database(bids: int = 500, criteria: int = 20, evaluators: int = 3) -> tuple[Path, str]:
    """Figure 6's input: one tender of ``bids`` bids in evaluation, made through the store (cached like above).

    Every evaluator's mark has a reason (the grid asks for one); half the bids have agreed scores.
    """
    from benchmarks.workloads import big_tender
    from svdesk.store import api, migrate

    tender = big_tender(bids, criteria, evaluators, reasons=True)
    path = BUILD / f"scoring-{bids}x{criteria}x{evaluators}-schema{migrate.HEAD}-gen{GENERATOR + 1}.sqlite3"
    if not path.is_file():
        BUILD.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".partial")
        tmp.unlink(missing_ok=True)
        with api.open_database(tmp) as db:
            db.create_tender(tender, who="Benchmark")
        os.replace(tmp, path)
        shutil.rmtree(BUILD / "svdesk-backups", ignore_errors=True)
        for old in BUILD.glob(f"scoring-{bids}x*.sqlite3"):
            if old != path:
                old.unlink()
    return path, tender.reference
