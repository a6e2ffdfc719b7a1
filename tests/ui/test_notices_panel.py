"""The Overview's notices panel: the Act's dates computed from the key dates, read only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from svdesk.domain.calendar import Nation
from svdesk.domain.tender import Tender, TenderStatus, set_key_date
from ui.pages.overview import NoticesPanel


def test_the_panel_shows_the_computed_dates(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = NoticesPanel()
    qtbot.addWidget(panel)
    t = Tender("NET-2026-01", "Network", status=TenderStatus.AWARDED)
    panel.show_tender(t, date(2026, 3, 1))
    assert "assessment summaries" in panel.next.text()
    t = set_key_date(set_key_date(t, "assessment_summaries_sent", date(2026, 3, 2)), "award_notice", date(2026, 3, 2))
    panel.show_tender(t, date(2026, 3, 5))
    assert panel.standstill.text() == "Wednesday 11 March 2026"
    assert panel.earliest.text() == "Thursday 12 March 2026"
    assert panel.next.text().startswith("Standstill")
    t = set_key_date(t, "contract_signed", date(2026, 3, 20))
    panel.show_tender(t, date(2026, 4, 20))
    assert panel.details_due.text() == "Saturday 18 April 2026"
    assert "UK7" in panel.next.text() and "OVERDUE" in panel.next.text()
    scot = replace(t, publication=replace(t.publication, nation=Nation.SCOTLAND))
    panel.show_tender(scot, date(2026, 3, 5))
    assert "Scotland" in panel._nation.text()


def test_the_overview_has_the_panel_and_no_typed_standstill(doc) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.overview import OverviewPage

    page = OverviewPage(doc)
    assert isinstance(page._notices, NoticesPanel)
    assert "standstill_end" not in page._dates
