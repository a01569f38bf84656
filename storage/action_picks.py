"""Suggested actions coordinators have picked in /actions and are agreeing (one each)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db, to_db


@dataclass(frozen=True)
class StoredPick:
    """A pick as stored: the suggestion, its wording so far, where and until when."""

    coordinator_id: int
    chat_id: int
    round_id: int
    area: int
    place: int
    digest: str
    wording: str
    offered: str
    picked_at: datetime
    expires_at: datetime


class ActionPickRepository:
    """Reads and writes coordinators' picks waiting for their wording."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def put(self, pick: StoredPick) -> None:
        """Store a coordinator's pick, replacing the one they had."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO action_picks (coordinator_id, chat_id, round_id, area, place,"
                " digest, wording, offered, picked_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (coordinator_id) DO UPDATE"
                " SET chat_id = excluded.chat_id, round_id = excluded.round_id,"
                " area = excluded.area, place = excluded.place, digest = excluded.digest,"
                " wording = excluded.wording, offered = excluded.offered,"
                " picked_at = excluded.picked_at, expires_at = excluded.expires_at",
                (pick.coordinator_id, pick.chat_id, pick.round_id, pick.area, pick.place,
                 pick.digest, pick.wording, pick.offered, to_db(pick.picked_at),
                 to_db(pick.expires_at)))

    async def get(self, coordinator_id: int) -> StoredPick | None:
        """The coordinator's pick, if they have one."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT coordinator_id, chat_id, round_id, area, place, digest, wording,"
                " offered, picked_at, expires_at FROM action_picks WHERE coordinator_id = ?",
                (coordinator_id,))
            r = await cur.fetchone()
        if r is None:
            return None
        return StoredPick(
            int(r["coordinator_id"]), int(r["chat_id"]), int(r["round_id"]), int(r["area"]),
            int(r["place"]), r["digest"], r["wording"], r["offered"],
            from_db(r["picked_at"]),  # type: ignore[arg-type]
            from_db(r["expires_at"]))  # type: ignore[arg-type]

    async def drop(self, coordinator_id: int) -> bool:
        """Forget the coordinator's pick; whether there was one."""
        async with self.db.write() as conn:
            cur = await conn.execute("DELETE FROM action_picks WHERE coordinator_id = ?",
                                     (coordinator_id,))
            return bool(cur.rowcount)
