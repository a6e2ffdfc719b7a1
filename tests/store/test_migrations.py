"""Alembic owns the schema: an older database upgrades with zero data differences, a failure at any statement
of the upgrade leaves it exactly as before, a newer one is refused, and the models match the migrations.

The older database is ``fixtures/schema-0001.sql``, a committed text dump of a realistic database made by
schema revision 0001 (``fixtures/make_schema_0001.py``).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from svdesk.errors import SvdeskError
from svdesk.store import api, migrate
from svdesk.store.models import Base
from tests.conftest import ROOT
from tests.store.conftest import Target
from tests.store.test_faults import Faults, faults  # noqa: F401 - the fixture

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "schema-0001.sql"
TABLES_0001 = ("tender", "key_date", "criterion", "descriptor", "bid", "consensus_score", "evaluator_score",
               "commitment", "audit_log")


def _load_fixture(path: Path) -> Path:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    finally:
        conn.close()
    return path


def _file_dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Schema and every row of a closed database file (read directly: nobody holds it)."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        out: dict[str, list[tuple[Any, ...]]] = {
            "sqlite_master": sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
                                    key=repr)}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            out[name] = sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
    finally:
        conn.close()
    return out


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    return _load_fixture(tmp_path / "council.sqlite3")


def test_an_older_database_upgrades_with_zero_data_differences(old_db: Path) -> None:
    before = _file_dump(old_db)
    assert before["alembic_version"] == [("0001",)]
    with api.open_database(old_db) as db:
        backups = db.backups()
        assert [b.reason for b in backups] == ["before-upgrade"] and backups[0].tenders == len(before["tender"])
        report = db.check()
        assert report.ok, report
        entries = db.audit_entries()
        assert entries[-1].action == f"Database upgraded from schema 0001 to {migrate.HEAD}"
        for s in db.list_tenders():
            db.load_tender(s.reference)
    after = _file_dump(old_db)
    assert after["alembic_version"] == [(migrate.HEAD,)]
    for table in TABLES_0001:
        rows = after[table]
        if table == "audit_log":
            assert rows[:-1] == before[table] or sorted(rows, key=lambda r: r[0])[:-1] == sorted(
                before[table], key=lambda r: r[0])
            assert len(rows) == len(before[table]) + 1
        else:
            # Later revisions may add columns at the end (0004: tender.notice_id): the old data is unchanged
            # and every added column holds its default.
            width = len(before[table][0]) if before[table] else 0
            assert [r[:width] for r in rows] == before[table], table
            assert {r[width:] for r in rows} <= {(), ("",)}, table
    # Opening again is a no-op: no backup, no audit entry, nothing written.
    with api.open_database(old_db) as db:
        assert len(db.backups()) == 1 and len(db.audit_entries()) == len(entries)


def test_the_upgrade_freezes_the_tie_break_of_a_tender_awarded_before_it(old_db: Path) -> None:
    """Revision 0003: the tie-break rule of an awarded tender cannot change, even by a direct write."""
    from sqlalchemy import text

    from svdesk.domain import tender as T

    with api.open_database(old_db) as db:
        (ref,) = [s.reference for s in db.list_tenders() if s.status is T.TenderStatus.AWARDED]
        t = db.load_tender(ref)
        other = T.TieBreak.PRICE if t.tie_break is not T.TieBreak.PRICE else T.TieBreak.QUALITY
        with pytest.raises(api.FrozenError, match="tie-break"):
            db.save_tender(T.update_details(t, tie_break=other), previous=t, who="PS", action="Tie-break")
        with pytest.raises(api.FrozenError, match="tie-break"), db._session("tamper", write=True) as s:
            s.execute(text("UPDATE tender SET tie_break = :v WHERE reference = :r"), {"v": other.value, "r": ref})
        # A tender that is not awarded keeps an editable tie-break.
        (draft_ref,) = [s.reference for s in db.list_tenders() if s.status is T.TenderStatus.DRAFT]
        d = db.load_tender(draft_ref)
        changed = T.update_details(d, tie_break=T.TieBreak.PRICE if d.tie_break is not T.TieBreak.PRICE
                                   else T.TieBreak.NONE)
        db.save_tender(changed, previous=d, who="PS", action="Tie-break")
        assert db.load_tender(ref) == t and db.load_tender(draft_ref) == changed


def test_an_upgrade_failing_at_any_statement_leaves_the_database_exactly_as_it_was(old_db: Path,
                                                                                  faults: Faults) -> None:  # noqa: F811
    before = _file_dump(old_db)
    k = 0
    while True:
        k += 1
        faults.arm(k)
        try:
            with api.open_database(old_db):
                pass
        except SvdeskError as e:
            faults.disarm()
            assert faults.fired and "\n" not in str(e), e
            assert _file_dump(old_db) == before, f"statement {k} of the upgrade left something behind"
            continue
        finally:
            faults.disarm()
        break
    assert k > 20, k          # the sweep went through every statement of the upgrade, the last one included
    assert _file_dump(old_db)["alembic_version"] == [(migrate.HEAD,)]


def test_a_database_from_a_newer_svdesk_is_refused(old_db: Path) -> None:
    conn = sqlite3.connect(old_db)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    conn.close()
    before = old_db.read_bytes()
    with pytest.raises(api.DatabaseTooNewError, match="newer version of svdesk") as err, api.open_database(old_db):
        pass
    assert "0999" in str(err.value) and "nothing was changed" in str(err.value)
    assert old_db.read_bytes() == before


def test_a_file_that_is_not_svdesks_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    with conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.close()
    with pytest.raises(api.NotADatabaseError, match="not an svdesk database"), api.open_database(other):
        pass


def test_the_refusal_of_a_file_that_is_not_svdesks_names_the_file(tmp_path: Path) -> None:
    other = tmp_path / "contacts.sqlite3"
    conn = sqlite3.connect(other)
    with conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.close()
    before = other.read_bytes()
    with pytest.raises(api.NotADatabaseError) as err, api.open_database(other):
        pass
    assert str(err.value) == f"{other} is not an svdesk database (it holds other tables); nothing was changed"
    assert other.read_bytes() == before


def test_head_and_known_revisions_match_the_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrate.MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_heads() == [migrate.HEAD]                      # a single head
    assert tuple(r.revision for r in reversed(list(script.walk_revisions()))) == migrate.KNOWN


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    with api.open_database(path):
        pass
    code = (f"import sys; from svdesk.store import api\nwith api.open_database({str(path)!r}): pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('alembic')))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]"


@pytest.fixture
def migrated(fresh: Callable[[], Target]) -> Iterator[api.Database]:
    with fresh().open() as db:
        yield db


def test_the_models_describe_exactly_what_the_migrations_build(migrated: api.Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    def same_type(_ctx: Any, _col: Any, _meta_col: Any, inspected: Any, metadata: Any) -> bool | None:
        dialect = migrated._engine.dialect   # compare the DDL type names (TypeDecorators render their impl)
        return bool(metadata.compile(dialect=dialect).split("(")[0] != inspected.compile(dialect=dialect).split("(")[0])

    with migrated._engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": same_type})
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == []


def test_every_table_is_strict_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with api.open_database(path):
        pass
    conn = sqlite3.connect(path)
    try:
        tables = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
        with pytest.raises(sqlite3.IntegrityError, match="cannot store REAL"):
            conn.execute("INSERT INTO bid (tender_id, position, supplier, supplier_key, price, sme, vcse, address, "
                         "excluded, exclusion_reason, notes) VALUES (1, 0, 'x', 'x', 87.5, 0, 0, '', 0, '', '')")
    finally:
        conn.close()
    ours = {t.name for t in Base.metadata.sorted_tables}
    assert ours <= set(tables)
    assert all(tables[name].rstrip().endswith("STRICT") for name in ours), [n for n in ours if "STRICT" not in
                                                                            tables[n]]


def test_downgrade_and_upgrade_round_trip_on_an_empty_database(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    path = tmp_path / "d.sqlite3"
    with api.open_database(path) as db:
        for target in ("0001", "base", "head"):
            with db._engine.begin() as conn:
                cfg = Config()
                cfg.set_main_option("script_location", str(migrate.MIGRATIONS))
                cfg.attributes["connection"] = conn
                (command.upgrade if target == "head" else command.downgrade)(cfg, target)
        with db._engine.connect() as conn:
            assert migrate.stored_revision(conn) == migrate.HEAD
