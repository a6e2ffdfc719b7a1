"""Issue 14: the council's default evaluation panel (setting ``panel.default``) fills a new tender's panel."""

from __future__ import annotations

from svdesk.domain.tender import Tender
from tests.ui.fake_store import FakeDatabase
from ui.main_window import MainWindow


def test_a_tender_created_in_the_window_starts_with_the_default_panel(qtbot, fake_db: FakeDatabase) -> None:  # type: ignore[no-untyped-def]
    fake_db.set_council_setting("council.name", "Ashbourne District Council", who="PS")
    fake_db.set_council_setting("panel.default", "KT,PS,JM", who="PS")
    w = MainWindow()
    qtbot.addWidget(w)
    w.set_database(fake_db)  # type: ignore[arg-type]
    assert w.create_tender(Tender("NEW-2027-01", "Library Wi-Fi")) is not None
    assert [m.initials for m in fake_db.load_tender("NEW-2027-01").panel.members] == ["KT", "PS", "JM"]
    fake_db.set_council_setting("panel.default", "", who="PS")
    assert w.create_tender(Tender("NEW-2027-02", "Parks")) is not None
    assert fake_db.load_tender("NEW-2027-02").panel.members == ()
