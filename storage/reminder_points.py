"""Reminder points: which of a round's policy points have fired, recorded with their reminders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db, to_db
from storage.outbox import insert_messages
from storage.records import NewMessage


@dataclass(frozen=True)
class ReminderPoint:
    """A policy point of a round that has been dealt with."""

    round_id: int
    point: str
    due_at: datetime
    fired_at: datetime
    outcome: str          # "sent" or "skipped"
    queued: int = 0


class ReminderPointRepository:
    """Records reminder points, atomically with the reminders they queue."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def all(self) -> list[ReminderPoint]:
        """Every recorded point, by round then due time."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT round_id, point, due_at, fired_at, outcome, queued FROM reminder_points"
                " ORDER BY round_id, due_at")
            return [ReminderPoint(r["round_id"], r["point"], from_db(r["due_at"]),  # type: ignore[arg-type]
                                  from_db(r["fired_at"]), r["outcome"],  # type: ignore[arg-type]
                                  r["queued"]) for r in await cur.fetchall()]

    async def fire(self, round_id: int, point: str, due_at: datetime,
                   reminders: Sequence[tuple[int, NewMessage]], now: datetime, *,
                   reminded_at: datetime | None = None,
                   skipped: Sequence[tuple[str, datetime]] = ()) -> int | None:
        """Record a point (and earlier ones skipped) and queue its reminders in one transaction.

        Returns how many reminders were queued, or None if the point had already fired.
        Each queued reminder counts against its response, as of `reminded_at` (when it goes).
        """
        async with self.db.write() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO reminder_points (round_id, point, due_at, fired_at,"
                " outcome) VALUES (?, ?, ?, ?, 'sent')",
                (round_id, point, to_db(due_at), to_db(now)))
            if not cur.rowcount:
                return None
            for name, at in skipped:
                await conn.execute(
                    "INSERT OR IGNORE INTO reminder_points (round_id, point, due_at, fired_at,"
                    " outcome) VALUES (?, ?, ?, ?, 'skipped')",
                    (round_id, name, to_db(at), to_db(now)))
            queued = 0
            for response_id, message in reminders:
                if await insert_messages(conn, [message], now):
                    await conn.execute(
                        "UPDATE responses SET reminders_sent = reminders_sent + 1,"
                        " last_reminded_at = ? WHERE id = ?",
                        (to_db(reminded_at or now), response_id))
                    queued += 1
            await conn.execute(
                "UPDATE reminder_points SET queued = ? WHERE round_id = ? AND point = ?",
                (queued, round_id, point))
        return queued
