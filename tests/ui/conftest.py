"""Fixtures for the desktop application's tests: a demo tender, a fake database, an open document."""

from __future__ import annotations

from pathlib import Path

import pytest

from svdesk.domain.tender import Tender
from svdesk.io.tender_file import read_tender_file
from tests.conftest import ROOT
from tests.ui.fake_store import FakeDatabase

DEMO = ROOT / "resources" / "demo"


@pytest.fixture
def demo_tender() -> Tender:
    """The fully scored network tender from the demo data."""
    return read_tender_file(DEMO / "network-tender.json")


@pytest.fixture
def fake_db(demo_tender: Tender) -> FakeDatabase:
    """An in-memory database holding the demo tender."""
    return FakeDatabase([demo_tender])


@pytest.fixture
def doc(qtbot: object, fake_db: FakeDatabase, demo_tender: Tender):  # type: ignore[no-untyped-def]
    """The demo tender open as a document."""
    from ui.document import TenderDocument

    return TenderDocument(fake_db, demo_tender, who="Tester")


@pytest.fixture
def demo_files() -> list[Path]:
    return sorted(DEMO.glob("*.json"))


class DialogLog:
    """What the window would have shown in dialogs (tests never block on a modal dialog)."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.confirms: list[str] = []
        self.answer = True
        self.texts: list[str] = []


@pytest.fixture(autouse=True)
def dialog_log(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    """Replace every dialog in ui.dialogs with a recorder; tests set answers."""
    from ui import dialogs

    log = DialogLog()
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, msg: log.errors.append((title, msg)))
    monkeypatch.setattr(dialogs, "show_info", lambda _p, title, msg: log.infos.append((title, msg)))

    def confirm(_p: object, title: str, _msg: str, _yes: str = "") -> bool:
        log.confirms.append(title)
        return log.answer

    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: log.texts.pop(0) if log.texts else None)
    monkeypatch.setattr(dialogs, "ask_multiline", lambda *_a, **_k: log.texts.pop(0) if log.texts else None)
    return log
