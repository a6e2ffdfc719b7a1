"""Files attached to bids in the store: added and removed in one audited transaction each, loaded with the tender
as metadata only, their bytes read one at a time and checked by SHA-256; revision 0011 upgrades a 0010 database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from svdesk.domain.attachments import AttachmentKind, sha256_hex
from svdesk.errors import ValidationError
from svdesk.store import api, migrate
from svdesk.store.engine import sqlite_engine
from tests.io import attachment_samples as S
from tests.io.test_packs import panel_tender
from tests.store.conftest import Target
from tests.store.test_migrations import _load_fixture


def test_attachments_are_stored_audited_and_read_back(fresh: Callable[[], Target]) -> None:
    t = panel_tender()
    with fresh().open() as db:
        db.create_tender(t, who="officer")
        a = db.add_attachment(t.reference, "Acme Ltd", "Method.pdf", S.PDF, who="PS", criterion="q1",
                              label="Method statement")
        p = db.add_attachment(t.reference, "Acme Ltd", "prices.xlsx", S.xlsx(), who="PS", kind=AttachmentKind.PRICING)
        loaded = db.load_tender(t.reference)
        assert loaded.attachments == (a, p)
        assert loaded.attachments_of("Acme Ltd") == (a, p) and loaded.attachments_of("Bramble CIC") == ()
        assert (a.size, a.sha256, a.media_type, a.added_by) == (len(S.PDF), sha256_hex(S.PDF), "application/pdf", "PS")
        assert db.attachment_bytes(t.reference, "Acme Ltd", "method.PDF") == S.PDF
        # Saving the tender as loaded earlier (without the files) neither removes them nor conflicts.
        from svdesk.domain.tender import update_details

        db.save_tender(update_details(t, title="Library Wi-Fi 2"), previous=t, who="PS", action="Title")
        assert db.load_tender(t.reference).attachments == (a, p)
        removed = db.remove_attachment(t.reference, "Acme Ltd", "prices.xlsx", who="PS")
        assert removed == p and db.load_tender(t.reference).attachments == (a,)
        with pytest.raises(ValidationError, match="no file named"):
            db.attachment_bytes(t.reference, "Acme Ltd", "prices.xlsx")
        entries = [e for e in db.audit_entries(t.reference) if "file" in e.action]
        assert entries[0].details["attached"]["sha256"] == sha256_hex(S.PDF)
        assert entries[-1].details["removed"]["kind"] == "pricing"
        assert db.verify_audit().ok
        assert db.check().ok


def test_a_refused_file_leaves_nothing(fresh: Callable[[], Target]) -> None:
    t = panel_tender()
    with fresh().open() as db:
        db.create_tender(t, who="officer")
        n = len(db.audit_entries())
        with pytest.raises(ValidationError, match="content is a zip"):
            db.add_attachment(t.reference, "Acme Ltd", "x.pdf", S.plain_zip(), who="PS")
        assert db.load_tender(t.reference).attachments == () and len(db.audit_entries()) == n


def test_revision_0011_upgrades_a_0010_database(tmp_path: Path) -> None:
    path = _load_fixture(tmp_path / "council.sqlite3")
    raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    engine = sqlite_engine(raw)
    try:
        migrate.upgrade(engine, target="0010")
    finally:
        engine.dispose()
        raw.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0010",)
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'bid_attachment'").fetchall()
    finally:
        conn.close()
    with api.open_database(path) as db:
        assert db.audit_entries()[-1].action == f"Database upgraded from schema 0010 to {migrate.HEAD}"
        report = db.check()
        assert report.ok, report
        ref = next(s.reference for s in db.list_tenders() if s.status.value not in ("awarded", "closed")
                   and s.bid_count)
        t = db.load_tender(ref)
        assert t.attachments == ()
        a = db.add_attachment(ref, t.bids[0].supplier, "cv.docx", S.docx(), who="PS")
        assert db.load_tender(ref).attachments == (a,)
    conn = sqlite3.connect(path)
    try:
        triggers = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'bid_attachment'")}
    finally:
        conn.close()
    assert triggers == {"bid_attachment_frozen_insert", "bid_attachment_frozen_update",
                        "bid_attachment_frozen_delete"}


def test_removing_a_bid_removes_its_files_and_the_audit_entry_names_them(fresh: Callable[[], Target]) -> None:
    from dataclasses import replace

    t = panel_tender()
    with fresh().open() as db:
        db.create_tender(t, who="officer")
        a = db.add_attachment(t.reference, "Cobalt Ltd", "cv.docx", S.docx(), who="PS")
        db.add_attachment(t.reference, "Acme Ltd", "m.pdf", S.PDF, who="PS")
        db.save_tender(replace(t, bids=tuple(b for b in t.bids if b.supplier != "Cobalt Ltd")), previous=t,
                       who="PS", action="Removed Cobalt's bid")
        assert [x.name for x in db.load_tender(t.reference).attachments] == ["m.pdf"]
        changes = db.audit_entries(t.reference)[-1].details["changes"]
        assert {"what": "bids[Cobalt Ltd].attachments[cv.docx]",
                "before": {"name": "cv.docx", "kind": "response", "sha256": a.sha256}, "after": None} in changes


def test_an_awarded_tenders_files_are_frozen_by_the_database_too(fresh: Callable[[], Target]) -> None:
    from dataclasses import replace

    from sqlalchemy import text

    from svdesk.domain.tender import TenderStatus

    t = panel_tender()
    with fresh().open() as db:
        db.create_tender(t, who="officer")
        db.add_attachment(t.reference, "Acme Ltd", "m.pdf", S.PDF, who="PS")
        db.save_tender(replace(t, status=TenderStatus.AWARDED), previous=t, who="PS", action="Award")
        with pytest.raises(api.FrozenError, match="is awarded: its bids' attached files are frozen"):
            db.add_attachment(t.reference, "Acme Ltd", "n.txt", b"new", who="PS")
        for sql in ("DELETE FROM bid_attachment", "UPDATE bid_attachment SET label = 'x'"):
            with pytest.raises(api.FrozenError), db._session("tamper", write=True) as s:
                s.execute(text(sql))
        assert db.attachment_bytes(t.reference, "Acme Ltd", "m.pdf") == S.PDF
        assert db.check().ok
