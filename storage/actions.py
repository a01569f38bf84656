"""Agreed actions and their dated notes, and which earlier round a round is compared with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.db import Database, from_db, to_db
from storage.errors import RecordMissing
from storage.outbox import insert_messages
from storage.records import NewMessage

_COLUMNS = ("a.id, a.round_id, a.text, a.area, a.question_id, a.owner_partner_id,"
            " a.owner_organisation, a.due_on, a.status, a.source_theme, a.created_at,"
            " a.updated_at, a.created_by, p.name AS owner_name, p.organisation AS owner_org,"
            " p.chat_id AS owner_chat_id")
_FROM = " FROM actions a LEFT JOIN partners p ON p.id = a.owner_partner_id"


@dataclass(frozen=True)
class ActionNote:
    """One dated entry of an action's history: a status set, a note, or both."""

    at: datetime
    status: str | None
    note: str | None
    by_role: str
    by_partner_id: int | None = None


@dataclass(frozen=True)
class StoredAction:
    """An agreed action as stored, with its owner's name and its history, oldest first."""

    id: int
    round_id: int
    text: str
    area: str | None
    question_id: str | None
    owner_partner_id: int | None
    owner_organisation: str | None
    due_on: date
    status: str
    source_theme: str | None
    created_at: datetime
    updated_at: datetime
    created_by: int | None = None
    owner_name: str | None = None
    owner_partner_organisation: str | None = None
    owner_chat_id: int | None = None
    notes: tuple[ActionNote, ...] = ()
    # The answers (response or ballot ids, to `question_id`) it was suggested in, of those
    # still stored.
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class NewAction:
    """An action as a coordinator agreed it, before it is stored."""

    round_id: int
    text: str
    owner_partner_id: int
    due_on: date
    area: str | None = None
    question_id: str | None = None
    owner_organisation: str | None = None
    status: str = "agreed"
    source_theme: str | None = None
    created_by: int | None = None
    note: str | None = None
    sources: tuple[int, ...] = ()   # the answers to `question_id` it was suggested in


# Given the new action's id, the messages to queue with it (the owner's card).
MessagesFor = Callable[[int, NewAction], Sequence[NewMessage]]


def _action(r: aiosqlite.Row, notes: Sequence[ActionNote],
            sources: Sequence[int] = ()) -> StoredAction:
    return StoredAction(
        id=r["id"], round_id=r["round_id"], text=r["text"], area=r["area"],
        question_id=r["question_id"], owner_partner_id=r["owner_partner_id"],
        owner_organisation=r["owner_organisation"], due_on=date.fromisoformat(r["due_on"]),
        status=r["status"], source_theme=r["source_theme"],
        created_at=from_db(r["created_at"]),  # type: ignore[arg-type]
        updated_at=from_db(r["updated_at"]),  # type: ignore[arg-type]
        created_by=r["created_by"], owner_name=r["owner_name"],
        owner_partner_organisation=r["owner_org"], owner_chat_id=r["owner_chat_id"],
        notes=tuple(notes), sources=tuple(sources))


class ActionRepository:
    """Reads and writes agreed actions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, actions: Sequence[NewAction], messages_for: MessagesFor | None,
                  now: datetime, by_role: str = "cli") -> list[int]:
        """Store actions, their first history entry and their messages, all or nothing."""
        ids: list[int] = []
        async with self.db.write() as conn:
            for new in actions:
                cur = await conn.execute(
                    "INSERT INTO actions (round_id, text, area, question_id, owner_partner_id,"
                    " owner_organisation, due_on, status, source_theme, created_at, updated_at,"
                    " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (new.round_id, new.text, new.area, new.question_id, new.owner_partner_id,
                     new.owner_organisation, new.due_on.isoformat(), new.status,
                     new.source_theme, to_db(now), to_db(now), new.created_by))
                action_id = int(cur.lastrowid or 0)
                await _note(conn, action_id, now, new.status, new.note, None, by_role)
                if new.sources and new.question_id:
                    await conn.executemany(
                        "INSERT OR IGNORE INTO action_sources (action_id, response_id,"
                        " question_id) VALUES (?, ?, ?)",
                        [(action_id, rid, new.question_id) for rid in sorted(new.sources)])
                if messages_for is not None:
                    await insert_messages(conn, messages_for(action_id, new), now)
                ids.append(action_id)
        return ids

    async def get(self, action_id: int) -> StoredAction:
        """One action with its history, or RecordMissing."""
        found = await self.find(ids=[action_id])
        if not found:
            raise RecordMissing("action", action_id)
        return found[0]

    async def find(self, *, ids: Sequence[int] | None = None,
                   round_ids: Sequence[int] | None = None,
                   owner_partner_id: int | None = None,
                   statuses: Sequence[str] | None = None) -> list[StoredAction]:
        """Actions matching every filter given, by round, area and id."""
        where, params = ["1"], []
        for column, values in (("a.id", ids), ("a.round_id", round_ids),
                               ("a.status", statuses)):
            if values is not None:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                params += list(values)
        if owner_partner_id is not None:
            where.append("a.owner_partner_id = ?")
            params.append(owner_partner_id)
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT {_COLUMNS}{_FROM} WHERE {' AND '.join(where)}"
                " ORDER BY a.round_id, a.id", params)
            rows = await cur.fetchall()
            notes = await _notes(conn, [int(r["id"]) for r in rows])
            sources = await _sources(conn, [int(r["id"]) for r in rows])
        return [_action(r, notes.get(int(r["id"]), ()), sources.get(int(r["id"]), ()))
                for r in rows]

    async def update(self, action_id: int, *, status: str | None, note: str | None,
                     by_role: str, by_partner_id: int | None, now: datetime,
                     messages: Sequence[NewMessage] = ()) -> StoredAction:
        """Set a status and/or add a note, with the messages it causes, in one transaction."""
        async with self.db.write() as conn:
            cur = await conn.execute("SELECT 1 FROM actions WHERE id = ?", (action_id,))
            if await cur.fetchone() is None:
                raise RecordMissing("action", action_id)
            if status is not None:
                await conn.execute(
                    "UPDATE actions SET status = ?, updated_at = ? WHERE id = ?",
                    (status, to_db(now), action_id))
            else:
                await conn.execute("UPDATE actions SET updated_at = ? WHERE id = ?",
                                   (to_db(now), action_id))
            await _note(conn, action_id, now, status, note, by_partner_id, by_role)
            await insert_messages(conn, messages, now)
        return await self.get(action_id)

    async def queue(self, messages: Sequence[NewMessage], now: datetime) -> int:
        """Queue actions' messages (a repeated dedupe key is ignored); returns how many."""
        async with self.db.write() as conn:
            return await insert_messages(conn, messages, now)

    async def fired(self, action_ids: Sequence[int]) -> dict[int, set[str]]:
        """The follow-up points already sent, per action."""
        if not action_ids:
            return {}
        marks = ",".join("?" * len(action_ids))
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT action_id, point FROM action_reminders WHERE action_id IN ({marks})",
                tuple(action_ids))
            out: dict[int, set[str]] = {}
            for r in await cur.fetchall():
                out.setdefault(int(r["action_id"]), set()).add(r["point"])
        return out

    async def queue_follow_ups(self, follow_ups: Sequence[tuple[int, str, NewMessage | None]],
                               now: datetime) -> int:
        """Record follow-up points as fired and queue their messages, in one transaction.

        A point with no message (the owner cannot be reached) is still recorded, so it is not
        tried again at every tick. Returns how many messages were queued.
        """
        queued = 0
        async with self.db.write() as conn:
            for action_id, point, message in follow_ups:
                cur = await conn.execute(
                    "INSERT OR IGNORE INTO action_reminders (action_id, point, fired_at)"
                    " VALUES (?, ?, ?)", (action_id, point, to_db(now)))
                if cur.rowcount and message is not None:
                    queued += await insert_messages(conn, [message], now)
        return queued

    async def ask_note(self, partner_id: int, action_id: int, now: datetime) -> None:
        """Remember that the partner's next typed message is a note on this action."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO action_note_requests (partner_id, action_id, asked_at)"
                " VALUES (?, ?, ?) ON CONFLICT (partner_id) DO UPDATE SET"
                " action_id = excluded.action_id, asked_at = excluded.asked_at",
                (partner_id, action_id, to_db(now)))

    async def take_note_request(self, partner_id: int, since: datetime) -> int | None:
        """The action a partner was asked to note since `since`, forgetting the request."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "DELETE FROM action_note_requests WHERE partner_id = ?"
                " RETURNING action_id, asked_at", (partner_id,))
            row = await cur.fetchone()
            await cur.close()
        if row is None or (from_db(row["asked_at"]) or since) < since:
            return None
        return int(row["action_id"])

    async def changed_between(self, start: datetime, end: datetime) -> list[StoredAction]:
        """Actions with a history entry in [start, end): what moved this week."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT DISTINCT action_id FROM action_notes WHERE at >= ? AND at < ?",
                (to_db(start), to_db(end)))
            ids = [int(r[0]) for r in await cur.fetchall()]
        return await self.find(ids=ids) if ids else []


async def _note(conn: aiosqlite.Connection, action_id: int, now: datetime, status: str | None,
                note: str | None, by_partner_id: int | None, by_role: str) -> None:
    await conn.execute(
        "INSERT INTO action_notes (action_id, at, status, note, by_partner_id, by_role)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (action_id, to_db(now), status, note, by_partner_id, by_role))


async def _notes(conn: aiosqlite.Connection,
                 action_ids: Sequence[int]) -> dict[int, list[ActionNote]]:
    out: dict[int, list[ActionNote]] = {}
    if not action_ids:
        return out
    # Chunked: SQLite caps the parameters of one statement.
    for start in range(0, len(action_ids), 500):
        chunk = action_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        cur = await conn.execute(
            "SELECT action_id, at, status, note, by_role, by_partner_id FROM action_notes"
            f" WHERE action_id IN ({marks}) ORDER BY at, id", tuple(chunk))
        for r in await cur.fetchall():
            out.setdefault(int(r["action_id"]), []).append(ActionNote(
                at=from_db(r["at"]),  # type: ignore[arg-type]
                status=r["status"], note=r["note"], by_role=r["by_role"],
                by_partner_id=r["by_partner_id"]))
    return out


async def _sources(conn: aiosqlite.Connection,
                   action_ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for start in range(0, len(action_ids), 500):
        chunk = action_ids[start:start + 500]
        cur = await conn.execute(
            "SELECT action_id, response_id FROM action_sources"
            f" WHERE action_id IN ({','.join('?' * len(chunk))}) ORDER BY action_id, response_id",
            tuple(chunk))
        for r in await cur.fetchall():
            out.setdefault(int(r["action_id"]), []).append(int(r["response_id"]))
    return out


class ComparisonRepository:
    """Which earlier round each round is compared with."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def link(self, round_id: int, compare_with: int, chosen_by: str) -> None:
        """Compare `round_id` with `compare_with` (replacing an earlier choice)."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO round_comparisons (round_id, compare_with, chosen_by)"
                " VALUES (?, ?, ?) ON CONFLICT (round_id) DO UPDATE SET"
                " compare_with = excluded.compare_with, chosen_by = excluded.chosen_by",
                (round_id, compare_with, chosen_by))

    async def compared_with(self, round_id: int) -> int | None:
        """The round `round_id` is compared with, if one was recorded."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT compare_with FROM round_comparisons WHERE round_id = ?", (round_id,))
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def invited(self, round_id: int) -> set[int]:
        """Partners invited to a round (ballots carry no partner and are not counted)."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT partner_id FROM responses WHERE round_id = ? AND partner_id IS NOT NULL",
                (round_id,))
            return {int(r[0]) for r in await cur.fetchall()}
