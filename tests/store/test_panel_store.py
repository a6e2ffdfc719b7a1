"""The panel is stored, audited and in the tender file, whether or not a member has marked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from svdesk.domain import panel as P
from svdesk.io.tender_file import read_tender_file, tender_to_document, write_tender_file
from tests.io.test_packs import panel_tender
from tests.store.conftest import Target

DAY = date(2026, 12, 1)


def full_panel() -> object:
    t = P.add_member(P.add_member(panel_tender(), "KT", "Kim Taylor"), "PS")
    t = P.add_member(t, "AO", "Alex Officer", P.Role.OFFICER)
    t = P.declare(t, "KT", P.Declaration(DAY))
    t = P.declare(t, "PS", P.Declaration(DAY, True, "Partner at Cobalt", ("Cobalt Ltd",), P.Mitigation.DOES_NOT_MARK))
    return P.record_pack_sent(t, "KT", datetime(2026, 12, 1, 10, 30, tzinfo=UTC), "c" * 64)


def test_the_panel_is_stored_and_every_change_is_audited(fresh: Callable[[], Target]) -> None:
    t = full_panel()
    with fresh().open() as db:
        db.create_tender(t, who="officer")  # type: ignore[arg-type]
        assert db.load_tender(t.reference) == t  # type: ignore[attr-defined]
        new = P.add_member(t, "JM")  # type: ignore[arg-type]
        db.save_tender(new, previous=t, who="officer", action="Added JM")  # type: ignore[arg-type]
        newer = P.declare(P.remove_member(new, "PS"), "JM", P.Declaration(DAY))
        newer = P.proceed_without_returns(newer, "KT is away")
        db.save_tender(newer, previous=new, who="officer", action="Panel changes")
        assert db.load_tender(t.reference) == newer  # type: ignore[attr-defined]
        entries = db.audit_entries(t.reference)  # type: ignore[attr-defined]
    created, added, changed = entries[-3:]
    assert created.details["after"]["panel"]["members"][1]["declaration"]["bidders"] == ["Cobalt Ltd"]
    assert [c["what"] for c in added.details["changes"]] == ["panel.members[JM]"]
    whats = [c["what"] for c in changed.details["changes"]]
    assert whats == ["panel.members[PS]", "panel.members[JM]", "panel.proceed_reason"]
    assert changed.details["changes"][0]["after"] is None


def test_the_panel_round_trips_through_the_tender_file(tmp_path: Path) -> None:
    t = full_panel()
    path = write_tender_file(t, tmp_path / "t.json")  # type: ignore[arg-type]
    assert read_tender_file(path) == t
    doc = tender_to_document(t)  # type: ignore[arg-type]
    assert doc["panel"]["members"][0] == {
        "initials": "KT", "name": "Kim Taylor", "role": "evaluator",
        "declaration": {"declared_on": "2026-12-01", "conflict": False},
        "pack_sent": "2026-12-01T10:30:00+00:00", "pack_sha256": "c" * 64}
    assert "panel" not in tender_to_document(panel_tender())


def test_a_bad_panel_in_a_tender_file_is_one_located_message(tmp_path: Path) -> None:
    import json

    import pytest

    from svdesk.errors import FileFormatError

    doc = tender_to_document(full_panel())  # type: ignore[arg-type]
    for change, message in (
        (lambda d: d["panel"]["members"][1].update(initials="kt"), "$.panel.members[1].initials: 'kt' is on the "
                                                                   "panel twice"),
        (lambda d: d["panel"]["members"][0]["declaration"].update(declared_on="1 Dec"),
         "$.panel.members[0].declaration.declared_on: '1 Dec' is not a date"),
        (lambda d: d["panel"]["members"][0].update(role="chair"), "$.panel.members[0].role: 'chair' is not one of"),
    ):
        bad = json.loads(json.dumps(doc, default=str))
        change(bad)
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(bad))
        with pytest.raises(FileFormatError) as err:
            read_tender_file(path)
        assert message in str(err.value)


def test_a_bidders_answers_are_stored_and_audited(fresh: Callable[[], Target]) -> None:
    from svdesk.domain.tender import remove_criterion, set_response

    t = panel_tender()
    with fresh().open() as db:
        db.create_tender(t, who="officer")
        assert db.load_tender(t.reference) == t
        new = set_response(set_response(t, "Cobalt Ltd", "q1", "Phased roll-out."), "Acme Ltd", "sv1", "")
        db.save_tender(new, previous=t, who="officer", action="Answers")
        assert db.load_tender(t.reference) == new
        gone = remove_criterion(new, "q1")
        db.save_tender(gone, previous=new, who="officer", action="Remove q1")
        assert db.load_tender(t.reference) == gone
        entry = db.audit_entries(t.reference)[-2]
    whats = {c["what"]: c["after"] for c in entry.details["changes"]}
    assert whats == {"bids[Acme Ltd].responses.sv1": None, "bids[Cobalt Ltd].responses.q1": "Phased roll-out."}
