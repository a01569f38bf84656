"""The database: migrations once, pragmas on, write transactions commit or roll back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from storage.db import Database, from_db, to_db


async def test_migrations_apply_once_and_twice_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "pp.db"
    async with Database(path) as db:
        async with db.read() as conn:
            cur = await conn.execute("SELECT version, name FROM schema_migrations")
            first = [tuple(r) for r in await cur.fetchall()]
            cur = await conn.execute("SELECT sql FROM sqlite_master ORDER BY name")
            schema = [r[0] for r in await cur.fetchall()]
        assert first[0] == (1, "0001_initial")
        assert await db.migrate() == []
    async with Database(path) as db:
        async with db.read() as conn:
            cur = await conn.execute("SELECT version, name FROM schema_migrations")
            assert [tuple(r) for r in await cur.fetchall()] == first
            cur = await conn.execute("SELECT sql FROM sqlite_master ORDER BY name")
            assert [r[0] for r in await cur.fetchall()] == schema


async def test_pragmas(db: Database) -> None:
    async with db.read() as conn:
        assert (await (await conn.execute("PRAGMA journal_mode")).fetchone())[0] == "wal"
        assert (await (await conn.execute("PRAGMA foreign_keys")).fetchone())[0] == 1
        assert (await (await conn.execute("PRAGMA secure_delete")).fetchone())[0] == 1


async def test_a_failed_write_rolls_back(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.write() as conn:
            await conn.execute("INSERT INTO partnerships (name) VALUES ('Board')")
            raise RuntimeError("boom")
    async with db.read() as conn:
        assert (await (await conn.execute("SELECT COUNT(*) FROM partnerships")).fetchone())[0] == 0
    async with db.write() as conn:
        await conn.execute("INSERT INTO partnerships (name) VALUES ('Board')")
    async with db.read() as conn:
        assert (await (await conn.execute("SELECT COUNT(*) FROM partnerships")).fetchone())[0] == 1


def test_times_round_trip_and_sort() -> None:
    a = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    b = a.astimezone(timezone(timedelta(hours=5)))
    assert to_db(a) == to_db(b)
    assert from_db(to_db(a)) == a
    assert to_db(a) < to_db(a + timedelta(microseconds=1)) < to_db(a + timedelta(days=400))
    assert from_db(None) is None
    with pytest.raises(ValueError):
        to_db(datetime(2026, 1, 1))


def test_every_migration_has_a_number_of_its_own() -> None:
    """A migration numbered like another would be skipped as applied; none is."""
    from storage.db import _migrations

    versions = [version for version, _, _ in _migrations()]
    assert versions == sorted(set(versions))
    assert len(versions) >= 10
