"""SQLite's errors after start-up reach callers as StoreFailed, in words, with nothing lost
(surveys says them as StorageError)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from storage.db import Database
from storage.errors import StoreFailed
from storage.partners import PartnerRepository
from storage.records import PartnerRow

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROW = PartnerRow("Asha Patel", "Fareham Borough Council", "Council", "Board", "Chair")


async def test_a_locked_database_is_a_storage_error(db: Database) -> None:
    partners = PartnerRepository(db)
    await db.conn.execute("PRAGMA busy_timeout=50")  # not 30 s: another program holds it
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreFailed, match="locked by another program") as caught:
            await partners.import_rows([ROW], NOW)
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    finally:
        other.execute("ROLLBACK")
        other.close()
    await partners.import_rows([ROW], NOW)  # free again: the write goes through
    assert [p.name for p in await partners.all()] == ["Asha Patel"]


async def test_a_read_only_database_is_a_storage_error(db: Database) -> None:
    partners = PartnerRepository(db)
    await db.conn.execute("PRAGMA query_only=ON")
    with pytest.raises(StoreFailed, match="read-only"):
        await partners.import_rows([ROW], NOW)
    await db.conn.execute("PRAGMA query_only=OFF")
    assert await partners.all() == []  # nothing half-written


async def test_a_failing_read_is_a_storage_error(db: Database) -> None:
    with pytest.raises(StoreFailed, match="could not be used"):
        async with db.read() as conn:
            await conn.execute("SELECT * FROM no_such_table")
