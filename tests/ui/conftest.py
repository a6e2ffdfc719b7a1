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
        #: (title, message) of every reason asked for (``ask_reason``); the answers come from ``texts``.
        self.reasons: list[tuple[str, str]] = []
        #: Files the officer "picks" in open/save dialogs, in order (``None`` or empty: cancelled).
        self.files: list[str] = []
        #: Choices the officer "makes" (indexes) in ``choose``; the items offered are kept in ``choices``.
        self.picks: list[int] = []
        self.choices: list[list[str]] = []
        #: Every svdesk dialog shown through ``run_dialog``; ``on_dialog`` answers (default: ``answer``).
        self.dialogs: list[object] = []
        self.on_dialog: object = None
        self.confirm_texts: list[str] = []
        #: (title, message, path) of every "saved — Open folder" confirmation.
        self.saved: list[tuple[str, str, Path]] = []


@pytest.fixture(autouse=True)
def _no_council_settings() -> None:
    """The window's council settings (held for the database it has open) start empty in every test."""
    from ui import settings

    settings.set_council(None)


@pytest.fixture(autouse=True)
def dialog_log(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    """Replace every dialog in ui.dialogs with a recorder; tests set answers."""
    from ui import dialogs

    log = DialogLog()
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, msg: log.errors.append((title, msg)))
    monkeypatch.setattr(dialogs, "show_info", lambda _p, title, msg: log.infos.append((title, msg)))

    def confirm(_p: object, title: str, msg: str, _yes: str = "") -> bool:
        log.confirms.append(title)
        log.confirm_texts.append(msg)
        return log.answer

    def ask_reason(_p: object, title: str, msg: str, _yes: str = "") -> str | None:
        log.reasons.append((title, msg))
        return log.texts.pop(0) if log.texts else None

    def choose(_p: object, _title: str, _label: str, items: list[str]) -> int | None:
        log.choices.append(list(items))
        return log.picks.pop(0) if log.picks else None

    def run_dialog(dlg: object) -> bool:
        log.dialogs.append(dlg)
        if callable(log.on_dialog):
            return bool(log.on_dialog(dlg))
        return log.answer

    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: log.texts.pop(0) if log.texts else None)
    monkeypatch.setattr(dialogs, "ask_multiline", lambda *_a, **_k: log.texts.pop(0) if log.texts else None)
    monkeypatch.setattr(dialogs, "ask_reason", ask_reason)
    monkeypatch.setattr(dialogs, "choose", choose)
    monkeypatch.setattr(dialogs, "open_file", lambda *_a, **_k: (log.files.pop(0) or None) if log.files else None)
    monkeypatch.setattr(dialogs, "save_file", lambda *_a, **_k: (log.files.pop(0) or None) if log.files else None)
    monkeypatch.setattr(dialogs, "run_dialog", run_dialog)
    monkeypatch.setattr(dialogs, "choose_folder",
                        lambda *_a, **_k: (log.files.pop(0) or None) if log.files else None)
    monkeypatch.setattr(dialogs, "show_saved", lambda _p, title, msg, path: log.saved.append((title, msg, path)))
    monkeypatch.setattr(dialogs, "open_folder", lambda path: log.saved.append(("opened", "", path)) or True)
    return log
