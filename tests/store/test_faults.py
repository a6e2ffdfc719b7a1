"""Injected I/O errors at every statement of save, moderate, award, create and delete; a failing COMMIT;
read-only databases and read-only drives. After every failure: one clear sentence, the database logically
unchanged, the audit chain intact, and the same open database still usable.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from svdesk.domain import tender as T
from svdesk.domain import values as V
from svdesk.errors import SvdeskError
from svdesk.store import api, engine
from tests.conftest import ROOT
from tests.store.conftest import Target
from tests.store.helpers import demo, dump

D = Decimal
WHO = "Priya Shah"


class Faults:
    """Fails the k-th SQL statement (or the COMMIT) of whatever runs while armed, like a failing disk."""

    def __init__(self) -> None:
        self.fail_at: int | None = None
        self.fail_commit = False
        self.count = 0
        self.fired = False

    def install(self, eng: Engine) -> None:
        event.listen(eng, "before_cursor_execute", self._before_execute)
        event.listen(eng, "commit", self._on_commit)

    def arm(self, k: int) -> None:
        self.count, self.fail_at, self.fired = 0, k, False

    def disarm(self) -> None:
        self.fail_at, self.fail_commit = None, False

    def _error(self, conn: Any) -> Exception:
        if conn.dialect.name == "postgresql":
            import psycopg

            return psycopg.errors.DiskFull("could not extend file: No space left on device")
        return sqlite3.OperationalError("disk I/O error")

    def _before_execute(self, conn: Any, *_: Any) -> None:
        if self.fail_at is None:
            return
        self.count += 1
        if self.count == self.fail_at:
            self.fired = True
            raise self._error(conn)

    def _on_commit(self, conn: Any) -> None:
        if self.fail_commit:
            self.fired = True
            raise self._error(conn)


@pytest.fixture
def faults() -> Iterator[Faults]:
    f = Faults()
    engine.ENGINE_HOOKS.append(f.install)
    yield f
    engine.ENGINE_HOOKS.remove(f.install)


def _save(db: api.Database, t: T.Tender) -> Callable[[], None]:
    def run() -> None:
        new = T.set_price(t, "Acme Networks Ltd", D("531000.00"))
        new = T.set_commitments(new, "Acme Networks Ltd", (V.Commitment("local-jobs", D(3), D("25000.00")),))
        new = T.set_key_date(new, "standstill_end", date(2026, 12, 22))
        new = T.remove_bid(new, "Budget Links Ltd")
        new = T.add_bid(new, T.Bid("Late Bidder Ltd", D("600000.00")))
        db.save_tender(new, previous=t, who=WHO, action="Several changes")
    return run


def _moderate(db: api.Database, t: T.Tender) -> Callable[[], None]:
    def run() -> None:
        new = T.set_consensus_score(t, "Dales Digital CIC", "q2", D(4), "Moderated up after clarification")
        db.save_tender(new, previous=t, who=WHO, action="Moderate Dales q2")
    return run


def _award(db: api.Database, t: T.Tender) -> Callable[[], None]:
    def run() -> None:
        new = T.set_status(T.set_consensus_score(t, "Acme Networks Ltd", "sv1", D(4), "final"),
                           T.TenderStatus.AWARDED)
        db.save_tender(new, previous=t, who=WHO, action="Award")
    return run


def _create(db: api.Database, t: T.Tender) -> Callable[[], None]:
    def run() -> None:
        db.create_tender(demo("parks-wifi-tender.json"), who=WHO)
    return run


def _delete(db: api.Database, t: T.Tender) -> Callable[[], None]:
    def run() -> None:
        db.delete_tender(t.reference, who=WHO, reason="Duplicate")
    return run


OPERATIONS = {"save": _save, "moderate": _moderate, "award": _award, "create": _create, "delete": _delete}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_an_io_error_at_any_statement_changes_nothing(fresh: Callable[[], Target], faults: Faults,
                                                      operation: str) -> None:
    target = fresh()
    with target.open() as db:
        t = demo() if operation != "delete" else replace(demo(), status=T.TenderStatus.DRAFT)
        db.create_tender(t, who=WHO)
        before = dump(db)
        k, failures = 0, 0
        while True:
            k += 1
            faults.arm(k)
            try:
                OPERATIONS[operation](db, t)()
            except SvdeskError as e:
                faults.disarm()
                assert faults.fired, e
                failures += 1
                message = str(e)
                assert "\n" not in message and ("Nothing was changed" in message or "Reload" in message), message
                assert dump(db) == before, f"statement {k} left a change behind"
                continue
            finally:
                faults.disarm()
            break
        assert not faults.fired and failures == k - 1 >= 3
        assert dump(db) != before          # and then it worked, in the same open database
        assert db.verify_audit().ok
    with target.open() as db:
        assert db.check().ok


def test_a_failing_commit_changes_nothing(fresh: Callable[[], Target], faults: Faults) -> None:
    target = fresh()
    with target.open() as db:
        t = demo()
        db.create_tender(t, who=WHO)
        before = dump(db)
        faults.fail_commit = True
        with pytest.raises(SvdeskError):
            _moderate(db, t)()
        faults.disarm()
        assert dump(db) == before
        _moderate(db, t)()
        assert db.load_tender(t.reference).bid("Dales Digital CIC").scores["q2"] == D(4)


def test_read_only_open_refuses_every_write_and_changes_no_byte(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    t = demo()
    with api.open_database(path) as db:
        db.create_tender(t, who=WHO)
    size, data = path.stat().st_size, path.read_bytes()
    with api.open_database(path, read_only=True) as db:
        assert db.read_only and db.load_tender(t.reference) == t and db.check().ok
        with pytest.raises(api.ReadOnlyError, match="read-only"):
            db.save_tender(T.set_price(t, "Acme Networks Ltd", D(1)), previous=t, who=WHO, action="x")
        with pytest.raises(api.ReadOnlyError):
            db.create_tender(replace(t, reference="B"), who=WHO)
        with pytest.raises(api.ReadOnlyError):
            db.delete_tender(t.reference, who=WHO, reason="x")
    assert path.stat().st_size == size and path.read_bytes() == data
    assert not api.lock.sidecar(path).exists()


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=1m none /mnt"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.mark.skipif(sys.platform != "linux", reason="read-only mounts in a user namespace are Linux-only")
def test_a_database_on_a_read_only_drive_opens_read_only(tmp_path: Path) -> None:
    """A real read-only mount (root ignores chmod, so a mount it is): opened read-only, saves refused clearly."""
    if not _unshare_works():
        pytest.skip("unshare -Urm with a tmpfs mount is not available here (no user namespaces)")
    path = tmp_path / "drive.sqlite3"
    t = demo()
    with api.open_database(path) as db:
        db.create_tender(t, who=WHO)
    script = (
        "import sys; from decimal import Decimal as D; from svdesk.store import api; from svdesk.domain import "
        "tender as T\n"
        "with api.open_database(sys.argv[1]) as db:\n"
        "    t = db.load_tender('NET-2026-01')\n"
        "    print('read_only', db.read_only)\n"
        "    print('notice', any('cannot be written' in n for n in db.notices))\n"
        "    try:\n"
        "        db.save_tender(T.set_price(t, 'Acme Networks Ltd', D(1)), previous=t, who='x', action='x')\n"
        "    except api.ReadOnlyError as e:\n"
        "        print('refused', e)\n"
    )
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    shell = (f"mount -t tmpfs -o size=4m none {mnt} && cp {path} {mnt}/ && mount -o remount,ro {mnt} && "
             f"cd {ROOT} && {sys.executable} -c \"$0\" {mnt}/{path.name}")
    p = subprocess.run(["unshare", "-Urm", "sh", "-c", shell, script], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "SVDESK_HOME": str(tmp_path / "home")})
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert "read_only True" in lines and "notice True" in lines
    assert any(x.startswith("refused ") and "read-only" in x for x in lines), lines
