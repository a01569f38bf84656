"""Rounds: created with their responses and invitation messages in one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database, from_db, to_db
from storage.errors import RecordMissing
from storage.outbox import insert_messages
from storage.records import NewMessage, Partner, PartnershipRef, Round, RoundTally

_COLUMNS = ("id, title, template_id, questionnaire, audience, anonymity, opens_at, deadline,"
            " reminder_policy, state, created_at, created_by, closed_at")
# The same columns as one JSON object, for a query that reads a round with something else.
ROUND_JSON = "json_object(" + ", ".join(f"'{c}', {c}" for c in _COLUMNS.split(", ")) + ")"


@dataclass(frozen=True)
class NewRound:
    """What a coordinator chose for a round."""

    title: str
    template_id: str
    questionnaire: dict[str, Any]
    audience: dict[str, list[str]]
    anonymity: str
    opens_at: datetime
    deadline: datetime
    reminder_policy: dict[str, Any]
    created_by: int | None = None


MessagesFor = Callable[[int, Partner], Sequence[NewMessage]]


def round_record(r: aiosqlite.Row | dict[str, Any]) -> Round:
    """A round from its row (or ROUND_JSON, decoded)."""
    return Round(
        id=r["id"], title=r["title"], template_id=r["template_id"],
        questionnaire=json.loads(r["questionnaire"]), audience=json.loads(r["audience"]),
        anonymity=r["anonymity"], opens_at=from_db(r["opens_at"]),  # type: ignore[arg-type]
        deadline=from_db(r["deadline"]),  # type: ignore[arg-type]
        reminder_policy=json.loads(r["reminder_policy"]), state=r["state"],
        created_at=from_db(r["created_at"]),  # type: ignore[arg-type]
        created_by=r["created_by"], closed_at=from_db(r["closed_at"]))


async def invite_partners(conn: aiosqlite.Connection, round_id: int,
                          partners: Sequence[Partner], messages_for: MessagesFor | None,
                          now: datetime) -> int:
    """Add partners to a round (a response each) and queue their invitations; returns added."""
    added = 0
    for p in partners:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO responses (round_id, partner_id, state, sector, organisation,"
            " partnerships, invited_at, updated_at) VALUES (?, ?, 'not_started', ?, ?, ?, ?, ?)",
            (round_id, p.id, p.sector, p.organisation, json.dumps(list(p.partnerships)),
             to_db(now), to_db(now)))
        added += cur.rowcount
        # Queued for every reachable invitee; the dedupe key keeps it to one per partner.
        if messages_for is not None and p.chat_id is not None:
            await insert_messages(conn, messages_for(round_id, p), now)
    return added


class RoundRepository:
    """Reads and writes rounds."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, new: NewRound, state: str, invitees: Sequence[Partner],
                     messages_for: MessagesFor | None, now: datetime) -> int:
        """Write the round, a response per invitee and their messages, all or nothing."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "INSERT INTO rounds (title, template_id, questionnaire, audience, anonymity,"
                " opens_at, deadline, reminder_policy, state, created_at, created_by)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new.title, new.template_id, json.dumps(new.questionnaire, ensure_ascii=False),
                 json.dumps(new.audience), new.anonymity, to_db(new.opens_at),
                 to_db(new.deadline), json.dumps(new.reminder_policy), state, to_db(now),
                 new.created_by))
            round_id = int(cur.lastrowid or 0)
            await invite_partners(conn, round_id, invitees, messages_for, now)
        return round_id

    async def get(self, round_id: int) -> Round:
        """One round, or RecordMissing."""
        async with self.db.read() as conn:   # one trip: this runs on every tap
            rows = await conn.execute_fetchall(f"SELECT {_COLUMNS} FROM rounds WHERE id = ?",
                                               (round_id,))
        if not rows:
            raise RecordMissing("round", round_id)
        return round_record(next(iter(rows)))

    async def all(self, states: Sequence[str] = ("scheduled", "open", "closed")) -> list[Round]:
        """Rounds in the given states, newest first."""
        marks = ",".join("?" * len(states))
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT {_COLUMNS} FROM rounds WHERE state IN ({marks}) ORDER BY id DESC",
                tuple(states))
            return [round_record(r) for r in await cur.fetchall()]

    async def overview(self, states: Sequence[str] = ("scheduled", "open", "closed"),
                       ) -> list[RoundTally]:
        """Rounds in the given states, newest first, each with its invited and submitted counts,
        in one query (not one per round)."""
        marks = ",".join("?" * len(states))
        columns = ", ".join(f"r.{c.strip()}" for c in _COLUMNS.split(","))
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT {columns}, COUNT(s.id) AS invited,"
                " COALESCE(SUM(s.state = 'submitted'), 0) AS submitted"
                " FROM rounds r LEFT JOIN responses s ON s.round_id = r.id AND s.is_ballot = 0"
                " AND s.observer_id IS NULL"
                f" WHERE r.state IN ({marks}) GROUP BY r.id ORDER BY r.id DESC", tuple(states))
            return [RoundTally(round_record(r), r["invited"], r["submitted"])
                    for r in await cur.fetchall()]

    async def open_round(self, round_id: int, partners: Sequence[Partner],
                         messages_for: MessagesFor, now: datetime) -> bool:
        """Open a scheduled round and queue its invitations; False if it was not scheduled."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "UPDATE rounds SET state = 'open' WHERE id = ? AND state = 'scheduled'",
                (round_id,))
            if not cur.rowcount:
                return False
            for p in partners:
                if p.chat_id is not None:
                    await insert_messages(conn, messages_for(round_id, p), now)
        return True

    async def close(self, round_id: int, messages: Sequence[NewMessage], now: datetime) -> bool:
        """Close a round, cancel its pending reminders and queue closing messages, at once."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "UPDATE rounds SET state = 'closed', closed_at = ? WHERE id = ? AND"
                " state != 'closed'", (to_db(now), round_id))
            if not cur.rowcount:
                return False
            await conn.execute(
                "UPDATE outbox SET state = 'cancelled' WHERE round_id = ? AND state = 'pending'"
                " AND kind IN ('invitation', 'reminder')", (round_id,))
            await insert_messages(conn, messages, now)
        return True

    async def partnerships(self) -> list[PartnershipRef]:
        """Every partnership, by name (what an observation record may be about)."""
        async with self.db.read() as conn:
            cur = await conn.execute("SELECT id, name FROM partnerships ORDER BY name")
            return [PartnershipRef(r["id"], r["name"]) for r in await cur.fetchall()]

    async def add_invitees(self, round_id: int, partners: Sequence[Partner],
                           messages_for: MessagesFor | None, now: datetime) -> int:
        """Invite partners who joined (or were added) while the round is open."""
        async with self.db.write() as conn:
            return await invite_partners(conn, round_id, partners, messages_for, now)
