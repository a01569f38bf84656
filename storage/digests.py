"""Weekly digests: one per period and recipient, recorded with its outbox row."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from storage.db import Database, to_db
from storage.outbox import insert_messages
from storage.records import NewMessage


class DigestRepository:
    """Reads and writes the `digests` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def recipients(self, period: str) -> set[int]:
        """Chats that already have the digest of a period."""
        async with self.db.read() as conn:
            cur = await conn.execute("SELECT recipient FROM digests WHERE period = ?", (period,))
            return {int(r[0]) for r in await cur.fetchall()}

    async def previous(self, recipient: int, before: str) -> dict[str, Any] | None:
        """The figures of the latest digest before `period` (this recipient's, else anyone's)."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT summary FROM digests WHERE period < ? ORDER BY period DESC,"
                " recipient = ? DESC LIMIT 1", (before, recipient))
            row = await cur.fetchone()
        return json.loads(row[0]) if row else None

    async def record(self, period: str, recipient: int, summary: dict[str, Any],
                     message: NewMessage | None, now: datetime) -> bool:
        """Record a period's digest for a chat and queue it, at once; False if already sent."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO digests (period, recipient, sent_at, summary)"
                " VALUES (?, ?, ?, ?)",
                (period, recipient, to_db(now), json.dumps(summary, ensure_ascii=False)))
            if not cur.rowcount:
                return False
            if message is not None:
                await insert_messages(conn, [message], now)
        return True
