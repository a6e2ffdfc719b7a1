"""Council-wide settings live in the database (issue 14 item 3): checked, stored, audited, read by everyone."""

from __future__ import annotations

from pathlib import Path

import pytest

from svdesk.domain.council import KEYS, check_setting
from svdesk.errors import ValidationError
from svdesk.store import api
from svdesk.store.errors import ReadOnlyError

WHO = "Priya Shah"


def test_a_new_database_has_no_council_settings(db: api.Database) -> None:
    s = db.council_settings()
    assert set(s.values) == set(KEYS)
    assert s.name == "" and s.default_weights is None and s.default_panel == ()


def test_each_change_is_stored_and_audited_with_before_and_after(db: api.Database) -> None:
    db.set_council_setting("council.name", "  Ashbourne District Council ", who=WHO)
    db.set_council_setting("council.name", "Ashbourne Borough Council", who=WHO)
    db.set_council_setting("weights.default", "50, 30, 20", who=WHO)
    db.set_council_setting("panel.default", "kt ps jm", who=WHO)
    s = db.council_settings()
    assert s.name == "Ashbourne Borough Council"
    assert s.default_weights == (50, 30, 20)
    assert s.default_panel == ("KT", "PS", "JM")
    entries = [e for e in db.audit_entries() if e.action.startswith("Council setting")]
    assert [e.action for e in entries] == ["Council setting council.name set"] * 2 + [
        "Council setting weights.default set", "Council setting panel.default set"]
    assert entries[1].who == WHO and entries[1].tender is None
    assert entries[1].changes == [{"what": "council.name", "before": "Ashbourne District Council",
                                   "after": "Ashbourne Borough Council"}]
    assert db.verify_audit().ok


def test_setting_the_same_value_writes_nothing_and_clearing_is_audited(db: api.Database) -> None:
    db.set_council_setting("ocds.prefix", "ocds-b5fd17", who=WHO)
    n = len(db.audit_entries())
    db.set_council_setting("ocds.prefix", "ocds-b5fd17", who=WHO)
    assert len(db.audit_entries()) == n
    db.set_council_setting("ocds.prefix", "", who=WHO)
    assert db.council_settings().ocid_prefix == ""
    assert db.audit_entries()[-1].action == "Council setting ocds.prefix cleared"


@pytest.mark.parametrize(("key", "value", "says"), [
    ("council.nmae", "X", "is not a setting; the settings are council.name, council.address"),
    ("weights.default", "40,40,15", "must total 100 (these total 95)"),
    ("weights.default", "40,forty,20", "must be three numbers"),
    ("panel.default", "KT,KT", "KT is listed twice"),
    ("panel.default", "Kate Thomas", "'THOMAS' is not an evaluator's initials"),
    ("ocds.prefix", "b5fd17", "'b5fd17' is not an ocid prefix"),
    ("council.logo", "crest.gif", "must be a .png or .jpg or .jpeg file"),
    ("council.name", "Ashbourne\x1b", "contains a hidden or control character (U+001B"),
])
def test_a_bad_value_is_refused_with_the_key_and_nothing_is_written(db: api.Database, key: str, value: str,
                                                                      says: str) -> None:
    n = len(db.audit_entries())
    with pytest.raises(ValidationError) as e:
        db.set_council_setting(key, value, who=WHO)
    assert e.value.field == key and says in str(e.value)
    assert len(db.audit_entries()) == n
    assert all(v == "" for v in db.council_settings().values.values())


def test_the_address_keeps_its_lines() -> None:
    assert check_setting("council.address", "Town Hall\\n 1 Market Street \\n\\nAshbourne") == (
        "Town Hall\n1 Market Street\nAshbourne")


def test_a_read_only_database_refuses_a_change(tmp_path: Path) -> None:
    path = tmp_path / "council.sqlite3"
    with api.open_database(path) as db:
        db.set_council_setting("council.name", "Ashbourne District Council", who=WHO)
    with api.open_database(path, read_only=True) as db:
        assert db.council_settings().name == "Ashbourne District Council"
        with pytest.raises(ReadOnlyError):
            db.set_council_setting("council.name", "Other", who=WHO)
