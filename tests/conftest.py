"""Shared test set-up: offscreen Qt, a private SVDESK_HOME, and paths to the shared reference data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before any QApplication exists
# Session- and module-scoped fixtures run before the per-test home below: they too must never write into a real
# profile (backups, the witness file).
os.environ.setdefault("SVDESK_HOME", tempfile.mkdtemp(prefix="svdesk-test-home-"))

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own SVDESK_HOME, so none touches a real profile or another test's files."""
    home = tmp_path_factory.mktemp("svdesk-home")
    monkeypatch.setenv("SVDESK_HOME", str(home))
    monkeypatch.delenv("SVDESK_DB", raising=False)
    monkeypatch.delenv("SVDESK_DATABASE_URL", raising=False)
    return home


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` (skips with the reason when this checkout has no shared/ beside it)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA} (shared/ must sit beside the checkout)")
    return SHARED_DATA
