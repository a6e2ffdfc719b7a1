"""SQLite settings are what we say they are (every PRAGMA checked), and network drives are recognised."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from svdesk.store import api, engine
from svdesk.store.engine import PragmaError, is_network_location

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:26 / /tmp rw,nosuid shared:5 - tmpfs tmpfs rw
40 22 0:40 / /mnt/council rw,relatime shared:9 - cifs //fileserver/procurement rw,vers=3.0
41 22 0:41 / /mnt/nfs\\040share rw,relatime - nfs4 server:/export rw
42 22 0:42 / /home/priya/remote rw - fuse.sshfs priya@host: rw
43 22 0:43 / /mnt/council/local-cache rw - ext4 /dev/sdb1 rw
"""


@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("/home/priya/svdesk.sqlite3", False),
        ("/tmp/x.sqlite3", False),
        ("/mnt/council/tenders.sqlite3", True),
        ("/mnt/council/local-cache/x.sqlite3", False),   # the longest mount point wins
        ("/mnt/nfs share/x.sqlite3", True),
        ("/home/priya/remote/x.sqlite3", True),
        ("/mnt/councilx/x.sqlite3", False),              # a prefix of a name is not a mount point
    ],
)
def test_linux_network_drives_are_recognised(path: str, network: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SVDESK_NETWORK_DRIVE", raising=False)
    assert is_network_location(Path(path), platform="linux", mountinfo=MOUNTINFO) is network


@pytest.mark.parametrize(
    ("path", "drive_type", "network"),
    [
        ("\\\\fileserver\\procurement\\svdesk.sqlite3", 3, True),
        ("//fileserver/procurement/svdesk.sqlite3", 3, True),
        ("Z:\\svdesk.sqlite3", 4, True),      # a mapped drive: DRIVE_REMOTE
        ("C:\\Users\\priya\\svdesk.sqlite3", 3, False),
        ("E:\\svdesk.sqlite3", 2, False),     # removable
    ],
)
def test_windows_network_drives_are_recognised(path: str, drive_type: int, network: bool,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SVDESK_NETWORK_DRIVE", raising=False)
    assert is_network_location(Path(path), platform="win32", drive_type=lambda _root: drive_type) is network


def test_local_file_settings(tmp_path: Path) -> None:
    with api.open_database(tmp_path / "x.sqlite3") as db:
        assert db._raw is not None and not db.network_drive
        pragma = {name: db._raw.execute(f"PRAGMA {name}").fetchone()[0]
                  for name in ("journal_mode", "synchronous", "foreign_keys", "locking_mode", "trusted_schema")}
        assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "locking_mode": "exclusive",
                          "trusted_schema": 0}
    conn = sqlite3.connect(tmp_path / "x.sqlite3")
    try:   # closed: one self-contained file again, which read-only opens and copies rely on
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert not (tmp_path / "x.sqlite3-wal").exists()
    assert (tmp_path / "x.sqlite3").stat().st_mode & 0o077 == 0   # only the officer can read it


def test_network_drive_uses_the_rollback_journal_and_says_so(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVDESK_NETWORK_DRIVE", "1")
    with api.open_database(tmp_path / "x.sqlite3") as db:
        assert db.network_drive and db._raw is not None
        assert db._raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert db._raw.execute("PRAGMA synchronous").fetchone()[0] == 3
        assert any("network drive" in n for n in db.notices)


def test_a_refused_pragma_is_an_error_not_ignored() -> None:
    class Cursor:
        def execute(self, sql: str) -> Any:
            self.last = sql
            return self

        def fetchone(self) -> tuple[int]:
            return (0,)   # SQLite "ignored" the setting

    with pytest.raises(PragmaError, match="foreign_keys=ON"):
        engine._require(Cursor(), "foreign_keys", "ON", 1)  # type: ignore[arg-type]


def test_a_database_left_by_a_crash_is_not_opened_read_only(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    with api.open_database(path):
        pass
    conn = sqlite3.connect(path, isolation_level=None)   # leave a WAL file behind, as a crash would
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
    (tmp_path / "copy.sqlite3").write_bytes(path.read_bytes())
    (tmp_path / "copy.sqlite3-wal").write_bytes(Path(str(path) + "-wal").read_bytes())
    conn.close()
    with pytest.raises(api.StoreError, match="not closed properly"), \
            api.open_database(tmp_path / "copy.sqlite3", read_only=True):
        pass


def test_the_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(api.StoreError, match="does not exist"), api.open_database(tmp_path / "nope" / "x.sqlite3"):
        pass
    with pytest.raises(api.StoreError, match="folder, not a database"), api.open_database(tmp_path):
        pass
    with pytest.raises(api.StoreError, match="no database"), api.open_database(tmp_path / "x.sqlite3",
                                                                              read_only=True):
        pass
    assert not (tmp_path / "x.sqlite3").exists()
