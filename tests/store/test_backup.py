"""Backups are verified copies kept in rotation; restores say what they undo; damaged files are kept aside."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from svdesk.domain import tender as T
from svdesk.store import api, backup
from svdesk.store.backup import BackupInfo
from tests.conftest import ROOT
from tests.store.helpers import demo

D = Decimal


def _db_with_tender(tmp_path: Path) -> Path:
    path = tmp_path / "council.sqlite3"
    with api.open_database(path) as db:
        db.create_tender(demo(), who="PS")
    return path


def test_a_backup_is_verified_complete_and_renamed_into_place(tmp_path: Path) -> None:
    path = _db_with_tender(tmp_path)
    with api.open_database(path) as db:
        made = db.backup()
        head = db.audit_head_entry()
    assert made.parent == tmp_path / "svdesk-backups" and made.name.endswith("-manual.sqlite3")
    assert not list(made.parent.glob(".*.part"))                     # no temporary file left behind
    manifest = json.loads(made.with_suffix(".json").read_text())
    assert manifest["integrity"] == "ok" and manifest["tenders"] == 1
    assert (manifest["audit"]["seq"], manifest["audit"]["hash"]) == head
    assert manifest["sha256"] == backup.file_sha256(made)
    conn = sqlite3.connect(made)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"   # one self-contained file
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT reference FROM tender").fetchall() == [("NET-2026-01",)]
    finally:
        conn.close()
    info = backup.verify_backup(backup.list_backups(path)[0])
    assert info.tenders == 1


def test_a_damaged_backup_is_not_trusted(tmp_path: Path) -> None:
    path = _db_with_tender(tmp_path)
    with api.open_database(path) as db:
        made = db.backup()
    with made.open("r+b") as fh:
        fh.seek(5000)
        fh.write(b"\xff" * 100)
    with pytest.raises(api.StoreError, match="changed since it was made"):
        backup.verify_backup(backup.list_backups(path)[0])
    daily = [b for b in backup.list_backups(path) if b.reason == "daily"]
    assert backup.newest_verified(path) == backup.verify_backup(daily[0])


def test_a_daily_backup_is_made_at_open_once_a_day(tmp_path: Path) -> None:
    path = _db_with_tender(tmp_path)
    with api.open_database(path) as db:
        assert [b.reason for b in db.backups()] == ["daily"]
    with api.open_database(path) as db:
        assert len(db.backups()) == 1 and db.backup_if_due() is None

    def age_newest() -> None:
        manifest = backup.list_backups(path)[0].manifest
        data = json.loads(manifest.read_text())
        data["created"] = (datetime.now(UTC) - timedelta(hours=25)).isoformat()
        manifest.write_text(json.dumps(data))

    age_newest()
    with api.open_database(path) as db:
        assert [b.reason for b in db.backups()] == ["daily", "daily"]
        age_newest()
        backup_path = db.backup_if_due()   # the window stays open for days: it asks now and then
        assert backup_path is not None and db.backups()[0].path == backup_path


def test_awarding_makes_a_backup(tmp_path: Path) -> None:
    path = _db_with_tender(tmp_path)
    with api.open_database(path) as db:
        t = db.load_tender("NET-2026-01")
        db.save_tender(T.set_status(t, T.TenderStatus.AWARDED), previous=t, who="PS", action="Award")
        assert db.backups()[0].reason == "award"


def test_rotation_keeps_recent_daily_monthly_and_special_backups() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    infos = []
    for days in range(0, 800, 1):
        for hour in (9, 17):
            created = now - timedelta(days=days, hours=hour)
            infos.append(BackupInfo(Path(f"b-{days}-{hour}.sqlite3"), created, "daily"))
    infos.append(BackupInfo(Path("award-old.sqlite3"), now - timedelta(days=700), "award"))
    infos.append(BackupInfo(Path("upgrade-old.sqlite3"), now - timedelta(days=500), "before-upgrade"))
    kept = backup.keep(infos, now)
    newest = sorted(infos, key=lambda b: b.created, reverse=True)
    assert {b.path for b in newest[:10]} <= kept                              # the newest ten
    days = {b.created.date() for b in infos if b.path in kept and now - b.created <= timedelta(days=14)}
    assert len(days) >= 14                                                    # one per day for two weeks
    months = {(b.created.year, b.created.month) for b in infos if b.path in kept}
    assert len(months) >= 12                                                  # one per month for a year
    assert Path("award-old.sqlite3") in kept and Path("upgrade-old.sqlite3") in kept
    assert not any(b.path in kept for b in infos if now - b.created > timedelta(days=400) and b.reason == "daily")
    assert len(kept) < 60


def test_restore_says_what_it_undoes_and_can_itself_be_undone(tmp_path: Path) -> None:
    path = _db_with_tender(tmp_path)
    with api.open_database(path) as db:
        good = db.backup()
        t = db.load_tender("NET-2026-01")
        changed = T.set_price(t, "Acme Networks Ltd", D("1.00"))
        db.save_tender(changed, previous=t, who="JM", action="Mistyped price")
        parks = demo("parks-wifi-tender.json")
        db.create_tender(parks, who="JM")
        plan = db.plan_restore(good)
        assert [e.action for e in plan.lost] == ["Mistyped price", f"Created tender {parks.reference}"]
        assert plan.tenders_gone == (parks.reference,) and plan.tenders_changed == ("NET-2026-01",)
        text = "\n".join(plan.describe())
        assert "undoes 2 changes" in text and "Mistyped price" in text and parks.reference in text
        safety = db.restore(plan, who="PS")
        assert db.load_tender("NET-2026-01") == t
        assert [s.reference for s in db.list_tenders()] == ["NET-2026-01"]
        assert db.audit_entries()[-1].action.startswith("Restored the backup of")
        assert db.verify_audit().ok and db.check().ok     # anchors of the undone history no longer count
        undo = db.plan_restore(safety)
        db.restore(undo, who="PS")
        assert db.load_tender("NET-2026-01") == changed and db.load_tender(parks.reference) == parks
        assert db.check().ok
    with api.open_database(path) as db:
        assert db.check().ok


@pytest.mark.parametrize("damage", ["page", "truncate", "garbage"])
def test_a_damaged_file_is_reported_kept_aside_and_replaced_by_the_newest_good_backup(tmp_path: Path,
                                                                                       damage: str) -> None:
    path = _db_with_tender(tmp_path)
    with api.open_database(path) as db:
        db.backup()
    size = path.stat().st_size
    with path.open("r+b") as fh:
        if damage == "page":
            fh.seek(size // 2)
            fh.write(os.urandom(4096))
        elif damage == "truncate":
            fh.truncate(size // 3)
        else:
            fh.seek(0)
            fh.write(os.urandom(size))
    damaged = path.read_bytes()
    with pytest.raises(api.DatabaseDamagedError) as err, api.open_database(path):
        pass
    assert "is damaged" in str(err.value) and "svdesk restore" in str(err.value)
    assert err.value.backup is not None and path.read_bytes() == damaged        # nothing changed, nothing deleted
    plan = api.plan_recovery(path, detail=err.value.detail)
    assert plan.damaged and "moved aside" in "\n".join(plan.describe())
    aside = api.recover_database(plan, who="PS")
    assert aside.read_bytes() == damaged
    with api.open_database(path) as db:
        assert db.load_tender("NET-2026-01") == demo() and db.check().ok
        assert "damaged_file_kept_as" in db.audit_entries()[-1].details


def test_a_backup_onto_a_full_disk_fails_cleanly_and_keeps_the_earlier_ones(tmp_path: Path) -> None:
    path = _db_with_tender(tmp_path)
    with api.open_database(path) as db:
        first = db.backup()
    before = sorted(p.name for p in first.parent.iterdir())
    code = (
        "import resource, signal, sys\n"
        "from svdesk.store import api\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "with api.open_database(sys.argv[1]) as db:\n"
        "    resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "    try:\n"
        "        db.backup()\n"
        "    except api.StoreError as e:\n"
        "        print('refused', e)\n"
        "    print('still usable', db.load_tender('NET-2026-01').reference)\n"
    )
    p = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    assert "refused Could not make a backup" in p.stdout and "earlier backups are untouched" in p.stdout
    assert "still usable NET-2026-01" in p.stdout
    assert sorted(x.name for x in first.parent.iterdir()) == before
    assert backup.verify_backup(backup.list_backups(path)[0]).path == first


def test_two_databases_with_the_same_stem_in_one_folder_keep_their_backups_apart(tmp_path: Path) -> None:
    """``council.sqlite3`` and ``council.db`` side by side: no false tamper alarm, no wrong restore offer."""
    first = _db_with_tender(tmp_path)
    second = tmp_path / "council.db"
    with api.open_database(second) as db:
        db.create_tender(demo("parks-wifi-tender.json"), who="JM")
        t = db.load_tender("WIFI-2027-03")
        db.save_tender(T.update_details(t, title="Public Wi-Fi"), previous=t, who="JM", action="Retitle")
        db.backup()
    with api.open_database(first) as db:
        made = db.backup()
        assert made.name.startswith("council.sqlite3-")
        mine = db.backups()
        assert {b.path for b in mine} == {p for p in made.parent.glob("council.sqlite3-*.sqlite3")}
        report = db.verify_audit()
        assert report.ok, report.problems                # the other database's heads are not anchors here
        plan = db.plan_restore()
        assert not plan.diverged and plan.backup.path.name.startswith("council.sqlite3-")
    with api.open_database(second) as db:
        theirs = db.backups()
        assert theirs and all(b.path.name.startswith("council.db-") for b in theirs)
        assert db.verify_audit().ok and db.check().ok
    # Rotation of one database never removes the other's backups (15 old ones, of which it would keep 10).
    with api.open_database(second) as db:
        assert db._raw is not None
        long_ago = datetime.now(UTC) - timedelta(days=500)
        for n in range(15):
            backup.make_backup(db._raw, second, "daily", now=long_ago + timedelta(minutes=n))
    theirs_before = {p.name for p in tmp_path.joinpath("svdesk-backups").iterdir() if p.name.startswith("council.db")}
    backup.rotate(first)
    assert {p.name for p in tmp_path.joinpath("svdesk-backups").iterdir()
            if p.name.startswith("council.db")} == theirs_before
    removed = backup.rotate(second)                          # its own rotation thins them as usual
    assert len(removed) >= 5 and all(p.name.startswith("council.db-") for p in removed)


def test_backups_named_the_old_way_are_still_found_for_their_own_database(tmp_path: Path) -> None:
    path = _db_with_tender(tmp_path)
    with api.open_database(path) as db:
        made = db.backup()
    # As an earlier svdesk named it: after the stem.
    old_name = made.with_name(made.name.replace("council.sqlite3-", "council-", 1))
    made.rename(old_name)
    backup.manifest_of(made).rename(backup.manifest_of(old_name))
    assert old_name in {b.path for b in backup.list_backups(path)}
    with api.open_database(path) as db:
        assert db.verify_audit().ok
        assert db.plan_restore(old_name).backup.path == old_name
    # Another database with the same stem does not take it for its own.
    other = tmp_path / "council.db"
    with api.open_database(other) as db:
        db.create_tender(demo("parks-wifi-tender.json"), who="JM")
        db.backup()
        assert old_name not in {b.path for b in db.backups()}
        assert db.verify_audit().ok
    # Without its manifest nobody can tell whose it is: neither database uses it while both are there ...
    backup.manifest_of(old_name).unlink()
    assert old_name not in {b.path for b in backup.list_backups(path)}
    assert old_name not in {b.path for b in backup.list_backups(other)}
    # ... and it is the database's own again when it is alone with its stem.
    other.unlink()
    assert old_name in {b.path for b in backup.list_backups(path)}
