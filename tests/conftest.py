"""Shared fixtures: a real SQLite file per test, a clock that moves by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.db import Database
from surveys.clock import ManualClock

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clock() -> ManualClock:
    """Monday 2 November 2026, 09:00 UTC, moving only when told."""
    return ManualClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database in a file under tmp_path."""
    database = await Database(tmp_path / "test.db").open()
    yield database
    await database.close()


@pytest.fixture
def roster_csv() -> Path:
    """The example roster shipped in examples/."""
    return ROOT / "examples" / "partners.csv"
