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
