"""Files attached to bids in the app: the Bids page's Attachments… dialog (add with kind and criterion, a refusal
as one message, remove after confirming, open in the viewer, greyed once awarded) and the member's marking window
opening a bid's file from the pack. No real dialog or viewer opens: ``QDesktopServices`` and the file dialogs
are replaced."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

import ui.attachments
from svdesk.domain import panel as P
from svdesk.domain import rules
from svdesk.domain.attachments import AttachmentKind
from svdesk.domain.tender import Tender, TenderStatus
from svdesk.io import packs
from tests.io import attachment_samples as S
from tests.io.test_packs import panel_tender
from tests.ui.conftest import DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.attachments import AttachmentsDialog
from ui.document import TenderDocument
from ui.pages.bids import BidsPage


class Viewer:
    """Stands in for ``QDesktopServices``: records what would have been opened."""

    def __init__(self) -> None:
        self.opened: list[Path] = []

    def openUrl(self, url: QUrl) -> bool:
        self.opened.append(Path(url.toLocalFile()))
        return True


@pytest.fixture
def viewer(monkeypatch: pytest.MonkeyPatch) -> Viewer:
    v = Viewer()
    monkeypatch.setattr(ui.attachments, "QDesktopServices", v)
    return v


def _page(qtbot, t: Tender) -> tuple[BidsPage, FakeDatabase, TenderDocument]:  # type: ignore[no-untyped-def]
    db = FakeDatabase([t])
    doc = TenderDocument(db, t, who="Officer")  # type: ignore[arg-type]
    page = BidsPage(doc)
    qtbot.addWidget(page)
    page.select("Acme Ltd")
    return page, db, doc


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_add_open_and_remove_from_the_bids_page(qtbot, tmp_path: Path, dialog_log: DialogLog,  # type: ignore[no-untyped-def]
                                                viewer: Viewer) -> None:
    page, db, doc = _page(qtbot, panel_tender())
    assert page.attachments_button.isEnabled() and page.attachments_button.text() == "Attachments…"
    shown: list[AttachmentsDialog] = []

    def answer(dlg: object) -> bool:
        assert isinstance(dlg, AttachmentsDialog)
        shown.append(dlg)
        dlg.criterion.setCurrentIndex(dlg.criterion.findData("q1"))
        dlg.label.setText("Method statement")
        dialog_log.files.append(str(_file(tmp_path, "Method.pdf", S.PDF)))
        dlg.add_button.click()                                  # Add… → the (replaced) file dialog → attached
        return True

    dialog_log.on_dialog = answer
    page.attachments_button.click()
    (dlg,) = shown
    assert "Undo does not take it back" in dlg.note.text()
    (a,) = doc.tender.attachments
    assert (a.supplier, a.name, a.kind, a.criterion, a.label) == ("Acme Ltd", "Method.pdf", AttachmentKind.RESPONSE,
                                                                  "q1", "Method statement")
    assert db.load_tender(doc.reference).attachments == (a,)
    assert db.audit[-1].action.startswith("Attached response file Method.pdf to Acme Ltd's bid (SHA-256 ")
    assert page.attachments_button.text() == "Attachments (1)…"
    cells = [dlg.table.item(0, col) for col in range(dlg.table.columnCount())]
    assert dlg.table.rowCount() == 1 and [c.text() for c in cells if c is not None][:5] == [
        "Method.pdf", "Method statement", "Response", "Service delivery", "77 B"]

    # A pricing schedule, then a refusal: one plain message, nothing stored.
    dlg.kind.setCurrentIndex(dlg.kind.findData("pricing"))
    assert dlg.add_file(_file(tmp_path, "prices.xlsx", S.xlsx())) is not None
    assert dlg.add_file(_file(tmp_path, "renamed.pdf", S.plain_zip())) is None
    assert dialog_log.errors[-1][0] == "The file was not attached"
    assert "'renamed.pdf' is named as a PDF but its content is a zip archive" in dialog_log.errors[-1][1]
    assert dlg.add_file(_file(tmp_path, "tool.exe", b"MZ")) is None
    assert "is a .exe file" in dialog_log.errors[-1][1]
    assert [x.name for x in db.load_tender(doc.reference).attachments] == ["Method.pdf", "prices.xlsx"]

    # Open: the bytes, checked, in a private folder under the file's own name, handed to the viewer.
    dlg.table.selectRow(0)
    path = dlg.open_selected()
    assert path is not None and viewer.opened == [path]
    assert path.name == "Method.pdf" and path.read_bytes() == S.PDF

    # Remove, after confirming (cancelling keeps it).
    dialog_log.answer = False
    dlg.table.selectRow(1)
    dlg.remove_button.click()
    assert len(doc.tender.attachments) == 2
    dialog_log.answer = True
    dlg.remove_button.click()
    assert [x.name for x in doc.tender.attachments] == ["Method.pdf"]
    assert db.audit[-1].action.startswith("Removed pricing file prices.xlsx from Acme Ltd's bid")
    assert "Undo does not bring it back" in dialog_log.confirm_texts[-1]


def test_an_undo_after_adding_a_file_keeps_the_file(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page, db, doc = _page(qtbot, panel_tender())
    page._edit("address", "1 High Street")
    dlg = page.attachments_dialog()
    assert dlg is not None
    dlg.add_file(_file(tmp_path, "cv.docx", S.docx()))
    doc.undo_stack.undo()                                        # the address edit, not the file
    assert doc.tender.bid("Acme Ltd").address == ""
    assert [a.name for a in doc.tender.attachments] == ["cv.docx"]
    assert [a.name for a in db.load_tender(doc.reference).attachments] == ["cv.docx"]


def test_removing_a_bid_with_files_warns_and_the_files_go(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          dialog_log: DialogLog) -> None:
    page, db, doc = _page(qtbot, panel_tender())
    dlg = page.attachments_dialog()
    assert dlg is not None and dlg.add_file(_file(tmp_path, "m.pdf", S.PDF)) is not None
    dialog_log.answer = False
    page._remove.click()
    assert "has 1 attached file. Removing the bid deletes it for good" in dialog_log.confirm_texts[-1]
    assert "Acme Ltd" in [b.supplier for b in doc.tender.bids]
    dialog_log.answer = True
    page._remove.click()
    assert "Acme Ltd" not in [b.supplier for b in doc.tender.bids] and doc.tender.attachments == ()
    assert db.load_tender(doc.reference).attachments == ()
    doc.undo_stack.undo()                                        # the bid comes back, its file does not
    assert "Acme Ltd" in [b.supplier for b in doc.tender.bids] and doc.tender.attachments == ()


def test_the_dialog_is_greyed_with_the_reason_once_awarded_and_still_opens_files(  # type: ignore[no-untyped-def]
        qtbot, viewer: Viewer) -> None:
    t = panel_tender()
    a = rules.check_add_attachment(t, "Acme Ltd", "m.pdf", S.PDF)
    t = replace(t, status=TenderStatus.AWARDED, attachments=(a,))
    page, db, _doc = _page(qtbot, t)
    db.files[(t.reference, "Acme Ltd", "m.pdf")] = S.PDF
    dlg = page.attachments_dialog()
    assert dlg is not None
    assert not dlg.add_button.isEnabled() and not dlg.remove_button.isEnabled()
    assert "is awarded: its bids' attached files are frozen" in dlg.add_button.toolTip()
    assert "frozen" in dlg.status.text()
    assert dlg.open_button.isEnabled()
    path = dlg.open_selected()
    assert path is not None and path.read_bytes() == S.PDF


def test_the_marking_window_opens_a_bids_file_from_the_pack(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            viewer: Viewer, dialog_log: DialogLog) -> None:
    from ui.panel import MarkingWindow

    t = P.declare(P.add_member(panel_tender(), "KT"), "KT", P.Declaration(date(2026, 12, 1)))
    method = rules.check_add_attachment(t, "Acme Ltd", "Method statement.pdf", S.PDF, criterion="q1")
    cv = rules.check_add_attachment(t, "Acme Ltd", "CVs.docx", S.docx())
    price = rules.check_add_attachment(t, "Acme Ltd", "prices.csv", S.CSV, kind=AttachmentKind.PRICING)
    t = replace(t, attachments=(cv, method, price))
    contents = {("Acme Ltd", "Method statement.pdf"): S.PDF, ("Acme Ltd", "CVs.docx"): S.docx()}
    data, _ = packs.make_pack(t, "KT", audit_head="", attachments=contents)
    pack = packs.write_file(tmp_path / "KT.svpack", data)
    assert pack.read_bytes().startswith(b"PK\x03\x04")          # svdesk-pack/2
    mw = MarkingWindow(pack)
    qtbot.addWidget(mw)
    mw.select("Acme Ltd", "q1")
    assert [f.name for f in mw.files.files] == ["Method statement.pdf", "CVs.docx"]   # q1's file first
    assert mw.files.open_button.isEnabled()
    mw.files.open_button.click()
    (opened,) = viewer.opened
    assert opened.name == "Method statement.pdf" and opened.read_bytes() == S.PDF
    assert opened.parent.parent == ui.attachments.private_folder()
    mw.select("Bramble CIC", "q1")
    assert mw.files.files == () and not mw.files.open_button.isEnabled()
    # the pack replaced on disk after it was opened: the file is read again, its SHA-256 checked, and refused
    import zipfile

    with zipfile.ZipFile(pack) as z:
        members = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(pack, "w") as z:
        for i, data in members:
            z.writestr(i, data.replace(b"Catalog", b"Katalog"))
    mw.select("Acme Ltd", "q1")
    mw.files.open_button.click()
    assert len(viewer.opened) == 1
    title, said = dialog_log.errors[-1][:2]
    assert title == "The file was not opened" and "the pack changed on disk since it was opened" in said, said



def test_the_bids_context_menu_opens_a_bids_attachments(qtbot, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    page, _db, _doc = _page(qtbot, panel_tender())
    shown: list[str] = []
    dialog_log.on_dialog = lambda dlg: shown.append(dlg.windowTitle()) or True  # type: ignore[attr-defined]
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 0).data() == "Bramble CIC")
    menu = page.table_menu.build(page.proxy.index(row, 0))
    item = next(a for a in menu.actions() if a.text() == "&Attachments…")
    item.trigger()
    assert shown == ["Files attached to Bramble CIC's bid"]
    selected = page.selected()
    assert selected is not None and selected.supplier == "Bramble CIC"


def test_the_dialog_says_whose_pack_is_out_of_date(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    t = P.declare(P.add_member(panel_tender(), "KT"), "KT", P.Declaration(date(2026, 12, 1)))
    t = P.record_pack_sent(t, "KT", datetime.now(UTC), "ab" * 32)
    page, _db, _doc = _page(qtbot, t)
    dlg = page.attachments_dialog()
    assert dlg is not None and not dlg.stale.isVisibleTo(dlg)
    assert dlg.add_file(_file(tmp_path, "m.pdf", S.PDF)) is not None
    assert dlg.stale.isVisibleTo(dlg) and "Send KT a new pack" in dlg.stale.text()
    dlg.kind.setCurrentIndex(dlg.kind.findData("pricing"))
    assert dlg.add_file(_file(tmp_path, "p.csv", S.CSV)) is not None
    assert not dlg.stale.isVisibleTo(dlg)                        # a pricing file never goes in a pack
