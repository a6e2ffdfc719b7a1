"""An officer's whole day, driven through the real window.

create tender → prepare asks, meet a supplier and record an agreed ask → add three bids → two evaluators
mark → moderate → the results show the right winner → save the award PDF. Then the database and the PDF are
checked. Uses the real store when it is installed (svdesk.store.api), else the in-memory fake.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from svdesk.domain.checklist import AskStatus
from svdesk.domain.tender import CriterionKind, TenderStatus
from tests.ui.conftest import DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.main_window import MainWindow
from ui.new_tender import NewTenderDialog

D = Decimal
HAS_STORE = importlib.util.find_spec("svdesk.store.api") is not None


@contextmanager
def database(tmp_path: Path) -> Iterator[object]:
    if HAS_STORE:
        from svdesk.store import api  # type: ignore[attr-defined]

        with api.open_database(tmp_path / "e2e.sqlite3") as db:
            yield db
    else:
        yield FakeDatabase()


def fill_new_tender(self: NewTenderDialog) -> int:
    self.reference.setText("LIB-2027-01")
    self.title.setText("Library public Wi-Fi")
    self.category.setCurrentText("ict")
    self.annual.setText("£50,000")
    self.term.setValue(3)
    self.start.setCurrentIndex(0)            # the default weights: price 40, quality 40, social value 20
    self._on_buttons_accepted()
    return int(self.result())


def test_an_officers_day(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialog_log: DialogLog) -> None:
    monkeypatch.setattr(NewTenderDialog, "exec", fill_new_tender)
    with database(tmp_path) as db:
        w = MainWindow()
        qtbot.addWidget(w)
        w.show()
        w.set_database(db)  # type: ignore[arg-type]

        # --- create the tender ----------------------------------------------------------------------------
        ws = w.new_tender()
        assert ws is not None and ws.doc.reference == "LIB-2027-01"
        assert w.register.model.total() == 1
        t = ws.doc.tender
        assert t.weight_total == 100 and t.annual_value == D("50000.00")
        evaluation = ws.show_page("evaluation")
        assert "Weights total 100" in evaluation.total.text()  # type: ignore[attr-defined]

        # --- three bids (suppliers are needed before meeting them) -----------------------------------------
        bids = ws.show_page("bids")
        assert bids.add_bid("Alpha Ltd", None)  # type: ignore[attr-defined]
        assert bids.add_bid("Beta CIC", None, sme=True, vcse=True)  # type: ignore[attr-defined]
        assert bids.add_bid("Gamma plc", None)  # type: ignore[attr-defined]
        m = bids.model  # type: ignore[attr-defined]
        for supplier, amount in (("Alpha Ltd", "150,000"), ("Beta CIC", "£160,000.00"), ("Gamma plc", "140000")):
            assert m.setData(m.index(m.row_of(supplier), m.PRICE), amount)
        assert ws.doc.tender.bid("Beta CIC").price == D("160000.00")

        # --- negotiation: prepare asks, meet Beta CIC, record an agreed ask -------------------------------
        assert ws.request_status(TenderStatus.NEGOTIATION)
        neg = ws.show_page("negotiation")
        neg._on_suggest_clicked()  # type: ignore[attr-defined]
        checklist = ws.doc.tender.checklist
        assert len(checklist.items) >= 3
        neg.set_supplier("Beta CIC")  # type: ignore[attr-defined]
        neg.set_meeting_mode(True)  # type: ignore[attr-defined]
        meeting = neg.meeting_view  # type: ignore[attr-defined]
        assert meeting.isVisible()
        first = checklist.items[0].ask
        meeting.offer.setPlainText("Free connections for two community centres")
        qtbot.mouseClick(meeting.buttons[AskStatus.AGREED], Qt.MouseButton.LeftButton)
        assert ws.doc.tender.checklist.outcome(first.id, "Beta CIC").status is AskStatus.AGREED
        assert ws.doc.tender.checklist.outcome(first.id, "Beta CIC").offer.startswith("Free connections")
        meeting.step(1)
        qtbot.mouseClick(meeting.buttons[AskStatus.DECLINED], Qt.MouseButton.LeftButton)
        neg.set_meeting_mode(False)  # type: ignore[attr-defined]
        # value the agreed ask by hand, then make it a commitment of Beta's bid
        neg.table.selectRow(0)  # type: ignore[attr-defined]
        value = neg.answer_form.value  # type: ignore[attr-defined]
        value.setFocus()
        qtbot.keyClicks(value, "6000")
        qtbot.keyClick(value, Qt.Key.Key_Return)
        assert ws.doc.tender.checklist.outcome(first.id, "Beta CIC").value_entered == D("6000.00")
        neg._on_apply_clicked()  # type: ignore[attr-defined]
        beta = ws.doc.tender.bid("Beta CIC")
        assert [c.from_ask for c in beta.commitments] == [first.id]
        assert beta.commitments_value() == D("18000.00")       # £6,000 a year × 3 years

        # --- evaluation: two evaluators mark, prices hidden ------------------------------------------------
        assert ws.request_status(TenderStatus.EVALUATION)
        scoring = ws.show_page("scoring")
        assessed = [c for c in ws.doc.tender.criteria if c.is_assessed]
        assert all(c.kind is not CriterionKind.PRICE for c in assessed)
        marks = {
            "AB": {"Alpha Ltd": 3, "Beta CIC": 5, "Gamma plc": 2},
            "CD": {"Alpha Ltd": 3, "Beta CIC": 4, "Gamma plc": 2},
        }
        for who, by_supplier in marks.items():
            scoring.set_evaluator(who)  # type: ignore[attr-defined]
            panel = scoring.mark_panel  # type: ignore[attr-defined]
            for c in assessed:
                for supplier, mark in by_supplier.items():
                    ix = scoring.marks_model.cell_of(supplier, c.id)  # type: ignore[attr-defined]
                    scoring.marks.setCurrentIndex(ix)  # type: ignore[attr-defined]
                    panel.mark.setText(str(mark))
                    panel.reason.setPlainText(f"{who}: evidence in section {mark}")
                    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
        beta = ws.doc.tender.bid("Beta CIC")
        assert beta.evaluator_scores[assessed[0].id] == {"AB": D(5), "CD": D(4)}
        assert not dialog_log.errors

        # --- moderation: agree every score with a reason ---------------------------------------------------
        scoring.set_mode(moderate=True)  # type: ignore[attr-defined]
        mod = scoring.moderation_model  # type: ignore[attr-defined]
        agree = scoring.agree_panel  # type: ignore[attr-defined]
        for r in range(mod.rowCount()):
            scoring.moderation.selectRow(r)  # type: ignore[attr-defined]
            x = mod.row(r)
            agreed = max(mod.marks(r).values())
            agree.mark.setText(str(agreed))
            agree.reason.setPlainText(f"Agreed at moderation for {x.supplier}")
            qtbot.mouseClick(agree.save, Qt.MouseButton.LeftButton)
        assert all(c.id in b.scores for b in ws.doc.tender.bids for c in assessed)

        # --- results -------------------------------------------------------------------------------------
        results = ws.show_page("results")
        res = results.results  # type: ignore[attr-defined]
        assert res is not None
        assert [r.supplier for r in res.winners] == ["Beta CIC"]
        assert "Highest score: Beta CIC" in results.summary.text()  # type: ignore[attr-defined]
        assert "provisional" not in results.summary.text().lower()  # type: ignore[attr-defined]

        # --- undo/redo still round-trips at the end of the day ----------------------------------------------
        before = ws.doc.tender
        w.undo_action.trigger()
        assert ws.doc.tender != before
        w.redo_action.trigger()
        assert ws.doc.tender == before

        # --- the award PDF --------------------------------------------------------------------------------
        reports = ws.show_page("reports")
        reports.select("award")  # type: ignore[attr-defined]
        pdf_path = tmp_path / "award.pdf"
        if reports.save.isEnabled():  # type: ignore[attr-defined]
            reports.save_to(pdf_path)  # type: ignore[attr-defined]
            qtbot.waitUntil(pdf_path.exists, timeout=30_000)
            data = pdf_path.read_bytes()
            assert data.startswith(b"%PDF")
            from pypdf import PdfReader

            text = "\n".join(p.extract_text() or "" for p in PdfReader(pdf_path).pages)
            assert "Beta CIC" in text and "LIB-2027-01" in text
        else:
            pytest.skip("the award renderer (svdesk.reports.award) is not installed yet")

        # --- the database holds what the window showed ------------------------------------------------------
        stored = db.load_tender("LIB-2027-01")  # type: ignore[attr-defined]
        assert stored == ws.doc.tender
        assert stored.status is TenderStatus.EVALUATION
        assert stored.bid("Beta CIC").scores[assessed[0].id] == D(5)


def test_cancelled_dialog_creates_nothing(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(NewTenderDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))
    db = FakeDatabase()
    w = MainWindow()
    qtbot.addWidget(w)
    w.set_database(db)
    assert w.new_tender() is None and db.tenders == {}
