"""The outbox: messages to send, written in the same transaction as what caused them."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

import aiosqlite

from storage.db import Database, from_db, to_db
from storage.records import NewMessage, OutboxMessage

_COLUMNS = ("id, chat_id, kind, payload, not_before, state, attempts, partner_id, round_id,"
            " dedupe_key, sent_at, last_error")
# Noted on rows put back in the queue after a crash: Telegram may already have had them.
IN_FLIGHT_AT_CRASH = "in flight at a crash: may have been delivered before"


async def insert_messages(conn: aiosqlite.Connection, messages: Sequence[NewMessage],
                          now: datetime) -> int:
    """Queue messages inside the caller's transaction; a repeated dedupe_key is ignored."""
    added = 0
    for m in messages:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO outbox (chat_id, partner_id, round_id, kind, payload,"
            " dedupe_key, not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (m.chat_id, m.partner_id, m.round_id, m.kind,
             json.dumps(m.payload, ensure_ascii=False), m.dedupe_key, to_db(m.not_before),
             to_db(now)))
        added += cur.rowcount
    return added


def _message(r: aiosqlite.Row) -> OutboxMessage:
    return OutboxMessage(
        id=r["id"], chat_id=r["chat_id"], kind=r["kind"], payload=json.loads(r["payload"]),
        not_before=from_db(r["not_before"]) or datetime.min, state=r["state"],
        attempts=r["attempts"], partner_id=r["partner_id"], round_id=r["round_id"],
        dedupe_key=r["dedupe_key"], sent_at=from_db(r["sent_at"]), last_error=r["last_error"])


class OutboxRepository:
    """Queue, claim and settle outgoing messages."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(self, messages: Sequence[NewMessage], now: datetime) -> int:
        """Queue messages in a transaction of their own; returns how many were new."""
        async with self.db.write() as conn:
            return await insert_messages(conn, messages, now)

    async def claim_due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Mark up to `limit` due messages as being sent, oldest first, and return them."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND not_before <= ?"
                " ORDER BY not_before, id LIMIT ?", (to_db(now), limit))
            rows = [_message(r) for r in await cur.fetchall()]
            if rows:
                marks = ",".join("?" * len(rows))
                await conn.execute(
                    f"UPDATE outbox SET state = 'sending', claimed_at = ?,"
                    f" attempts = attempts + 1 WHERE id IN ({marks})",
                    (to_db(now), *(m.id for m in rows)))
        return rows

    async def claim_next(self, now: datetime,
                         skip_chats: Collection[int] = ()) -> OutboxMessage | None:
        """Mark the oldest due message as being sent and return it, passing over `skip_chats`.

        Claimed one at a time, right before its send, so that after a crash the rows left
        'sending' are exactly those whose request may have reached Telegram.
        """
        skip = sorted(set(skip_chats))
        marks = ",".join("?" * len(skip))
        where = f" AND chat_id NOT IN ({marks})" if skip else ""
        async with self.db.write() as conn:
            cur = await conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND not_before <= ?"
                f"{where} ORDER BY not_before, id LIMIT 1", (to_db(now), *skip))
            row = await cur.fetchone()
            if row is None:
                return None
            message = _message(row)
            await conn.execute(
                "UPDATE outbox SET state = 'sending', claimed_at = ?, attempts = attempts + 1"
                " WHERE id = ?", (to_db(now), message.id))
        return replace(message, state="sending", attempts=message.attempts + 1)

    async def recover(self) -> list[OutboxMessage]:
        """After a crash: messages claimed but never settled go back to the queue; returns them.

        Their request may have reached Telegram before the crash, so each may arrive twice.
        """
        async with self.db.write() as conn:
            cur = await conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE state = 'sending'")
            rows = [_message(r) for r in await cur.fetchall()]
            await conn.execute(
                "UPDATE outbox SET state = 'pending', last_error = ? WHERE state = 'sending'",
                (IN_FLIGHT_AT_CRASH,))
        return rows

    async def mark_sent(self, message_id: int, telegram_message_id: int | None,
                        now: datetime) -> None:
        """Record that Telegram accepted the message."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ?, telegram_message_id = ?,"
                # A crash note stays: it tells which deliveries may have been doubled.
                " last_error = CASE WHEN last_error = ? THEN last_error END WHERE id = ?",
                (to_db(now), telegram_message_id, IN_FLIGHT_AT_CRASH, message_id))

    async def retry_later(self, message_id: int, not_before: datetime, error: str,
                          *, count_attempt: bool = True) -> None:
        """Put a message back in the queue to try again at `not_before`."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE outbox SET state = 'pending', not_before = ?, last_error = ?,"
                " attempts = attempts - ? WHERE id = ?",
                (to_db(not_before), error[:500], 0 if count_attempt else 1, message_id))

    async def mark_failed(self, message_id: int, error: str) -> None:
        """Give up on a message (blocked by the partner, or out of attempts)."""
        async with self.db.write() as conn:
            await conn.execute("UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ?",
                               (error[:500], message_id))

    async def mark_blocked(self, message_id: int, partner_id: int | None, error: str,
                           now: datetime) -> None:
        """Give up on a message the partner blocked and mark them unreachable, at once."""
        async with self.db.write() as conn:
            await conn.execute("UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ?",
                               (error[:500], message_id))
            if partner_id is not None:
                await conn.execute(
                    "UPDATE partners SET reachable = 0, updated_at = ? WHERE id = ?",
                    (to_db(now), partner_id))

    async def cancel(self, *, round_id: int, kinds: Sequence[str]) -> int:
        """Cancel pending messages of a round (e.g. reminders once it closes)."""
        marks = ",".join("?" * len(kinds))
        async with self.db.write() as conn:
            cur = await conn.execute(
                f"UPDATE outbox SET state = 'cancelled' WHERE round_id = ? AND kind IN ({marks})"
                " AND state = 'pending'", (round_id, *kinds))
            return cur.rowcount

    async def due_count(self, now: datetime) -> int:
        """Messages due by `now` and not yet settled (claimed ones included)."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE state = 'sending'"
                " OR (state = 'pending' AND not_before <= ?)", (to_db(now),))
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def next_due(self, after: datetime | None = None) -> datetime | None:
        """When the earliest pending message comes due (of those due later than `after`)."""
        later, params = ("", ()) if after is None else (" AND not_before > ?", (to_db(after),))
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT MIN(not_before) FROM outbox WHERE state = 'pending'{later}", params)
            row = await cur.fetchone()
        return from_db(row[0]) if row else None

    async def messages(self, *, round_id: int | None = None,
                       kind: str | None = None) -> list[OutboxMessage]:
        """Messages, optionally of one round and kind, in order."""
        where: list[str] = ["1"]
        params: list[int | str] = []
        if round_id is not None:
            where.append("round_id = ?")
            params.append(round_id)
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE {' AND '.join(where)} ORDER BY id", params)
            return [_message(r) for r in await cur.fetchall()]

    async def counts(self, round_id: int, kind: str) -> dict[str, int]:
        """How many of a round's messages of a kind are in each state."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT state, COUNT(*) FROM outbox WHERE round_id = ? AND kind = ?"
                " GROUP BY state", (round_id, kind))
            return {r[0]: r[1] for r in await cur.fetchall()}


def backoff(attempt: int, base: float = 1.0, cap: float = 300.0) -> timedelta:
    """Exponential backoff for 500s and timeouts: 1 s, 2 s, 4 s … up to `cap`."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempt - 1)))
