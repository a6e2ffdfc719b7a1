"""The domain's status rules hold in every face: the CLI's import, the app's import and the store refuse a
tender that is not ready for its status alike, with the same reasons (issue 14, "Steps are not guarded")."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from svdesk.cli.main import main
from svdesk.domain import tender as T
from svdesk.errors import FileFormatError, StatusChangeError
from svdesk.io.tender_file import read_tender_file, write_tender_file
from tests.io.samples import DEMO

REASON = "the weights total 95, not 100 (add 5)"


def at_95(status: T.TenderStatus) -> T.Tender:
    t = read_tender_file(DEMO)
    first = t.criteria[0]
    return replace(T.set_weight(t, first.id, first.weight - Decimal(5)), status=status)


def test_the_cli_refuses_a_tender_file_whose_status_it_is_not_ready_for(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "at-95.json"
    write_tender_file(at_95(T.TenderStatus.EVALUATION), file)
    db = tmp_path / "svdesk.sqlite3"
    assert main(["--db", str(db), "import", str(file)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(file) in err and "status" in err and REASON in err
    # The same file as a draft (allowed to be incomplete) imports, so nothing half-written stood in its way.
    write_tender_file(at_95(T.TenderStatus.DRAFT), file)
    assert main(["--db", str(db), "import", str(file)]) == 0


def test_the_app_refuses_the_same_file_with_the_same_reason(tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    from ui.files import read_tender

    file = tmp_path / "at-95.json"
    write_tender_file(at_95(T.TenderStatus.AWARDED), file)
    with pytest.raises(FileFormatError, match=r"status: .*is marked awarded but is not ready for it: the weights"):
        read_tender(str(file))


def test_the_store_refuses_the_move_and_writes_nothing(tmp_path: Path) -> None:
    from svdesk.store import api

    t = at_95(T.TenderStatus.NEGOTIATION)
    with api.open_database(tmp_path / "svdesk.sqlite3") as db:
        db.create_tender(t, who="KT")
        entries = len(db.audit_entries())
        with pytest.raises(StatusChangeError) as e:
            db.save_tender(replace(t, status=T.TenderStatus.EVALUATION), previous=t, who="KT", action="Evaluate")
        assert e.value.reasons == (REASON,) and e.value.field == "status"
        assert db.load_tender(t.reference) == t and len(db.audit_entries()) == entries
