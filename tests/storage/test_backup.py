"""`partnerpulse backup`: a whole, consistent, private copy while the bot goes on writing."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from storage.backup import backup_database
from storage.db import Database
from storage.errors import StoreUnavailable
from storage.partners import PartnerRepository
from storage.records import PartnerRow

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def rows(start: int, n: int) -> list[PartnerRow]:
    return [PartnerRow(f"Partner {i:05d}", f"Organisation {i:05d}", "Council", "Board", "Member")
            for i in range(start, start + n)]


async def test_a_backup_taken_while_writing_is_whole_and_consistent(db: Database,
                                                                    tmp_path: Path) -> None:
    partners = PartnerRepository(db)
    await partners.import_rows(rows(0, 2000), NOW)
    stop, under_way = asyncio.Event(), asyncio.Event()
    written = 0

    async def keep_writing() -> None:  # the bot, importing and touching partners meanwhile
        nonlocal written
        while not stop.is_set():
            await partners.import_rows(rows(10_000 + written, 50), NOW + timedelta(seconds=1))
            written += 50
            if written >= 100:
                under_way.set()
            await asyncio.sleep(0)

    writer = asyncio.create_task(keep_writing())
    await under_way.wait()
    out = tmp_path / "backups" / "pp-backup.db"
    out.parent.mkdir()
    size = await backup_database(db.path, out)
    stop.set()
    await writer
    assert size == out.stat().st_size > 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not list(out.parent.glob("*.partial"))
    copy = sqlite3.connect(out)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        count = copy.execute("SELECT COUNT(*) FROM partners").fetchone()[0]
        members = copy.execute("SELECT COUNT(*) FROM memberships").fetchone()[0]
        migrations = copy.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    finally:
        copy.close()
    # A moment's state: whole imports only (50 at a time), each partner with their seat.
    assert 2000 + 100 <= count <= 2000 + written and (count - 2000) % 50 == 0
    assert members == count and migrations >= 7
    # The copy opens as a database of its own.
    restored = await Database(out).open()
    assert len(await PartnerRepository(restored).all()) == count
    await restored.close()


async def test_backup_refuses_to_overwrite_the_database(db: Database) -> None:
    with pytest.raises(StoreUnavailable, match="another file"):
        await backup_database(db.path, db.path)


def test_the_backup_command(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[database]\npath = {json.dumps(str(tmp_path / 'pp.db'))}\n")
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--config", str(config)]).exit_code == 0
    result = runner.invoke(cli, ["backup", "--out", str(tmp_path / "copy.db"), "--config",
                                 str(config)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output and (tmp_path / "copy.db").exists()
    missing = tmp_path / "none.toml"
    missing.write_text(f"[database]\npath = {json.dumps(str(tmp_path / 'absent.db'))}\n")
    result = runner.invoke(cli, ["backup", "--out", str(tmp_path / "x.db"), "--config",
                                 str(missing)])
    assert result.exit_code == 1 and "no database at" in result.output
