"""Messages coordinators typed after their /actions pick expired, held until they say what
each one is (migration 0049)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db, to_db


@dataclass(frozen=True)
class HeldText:
    """A held message: whose, where, the words, the pick's suggestion and the question open
    when it came (none: `response_id` None), and what a tap filed it as ("" while held)."""

    coordinator_id: int
    chat_id: int
    text: str
    round_id: int
    area: int
    digest: str
    offered: str
    response_id: int | None
    question_id: str | None
    question: str | None
    held_at: datetime
    filed_as: str = ""
    id: int = 0


class HeldTextRepository:
    """Reads and writes held messages."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, held: HeldText) -> int:
        """Keep a message; its id (the question's buttons carry it)."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "INSERT INTO held_texts (coordinator_id, chat_id, text, round_id, area, digest,"
                " offered, response_id, question_id, question, held_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (held.coordinator_id, held.chat_id, held.text, held.round_id, held.area,
                 held.digest, held.offered, held.response_id, held.question_id, held.question,
                 to_db(held.held_at)))
            return int(cur.lastrowid or 0)

    async def get(self, held_id: int) -> HeldText | None:
        """A held message by id, filed or not."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT id, coordinator_id, chat_id, text, round_id, area, digest, offered,"
                " response_id, question_id, question, held_at, filed_as FROM held_texts"
                " WHERE id = ?", (held_id,))
            r = await cur.fetchone()
        if r is None:
            return None
        return HeldText(
            int(r["coordinator_id"]), int(r["chat_id"]), r["text"], int(r["round_id"]),
            int(r["area"]), r["digest"], r["offered"],
            None if r["response_id"] is None else int(r["response_id"]), r["question_id"],
            r["question"], from_db(r["held_at"]),  # type: ignore[arg-type]
            r["filed_as"] or "", int(r["id"]))

    async def answered_since(self, coordinator_id: int, chat_id: int, since: datetime
                             ) -> bool:
        """Whether the coordinator has filed a message held in this chat since `since` as
        an answer."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT 1 FROM held_texts WHERE coordinator_id = ? AND chat_id = ?"
                " AND filed_as = 'answer' AND held_at >= ? LIMIT 1",
                (coordinator_id, chat_id, to_db(since)))
            return await cur.fetchone() is not None

    async def file(self, held_id: int, kind: str) -> bool:
        """Mark a held message filed as "answer" or "wording"; False if it already was (a
        second tap, or both buttons at once: only one files it)."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "UPDATE held_texts SET filed_as = ? WHERE id = ? AND filed_as IS NULL",
                (kind, held_id))
            return bool(cur.rowcount)

    async def release(self, held_id: int) -> None:
        """Hold a message again after filing it failed (an answer the question refused)."""
        async with self.db.write() as conn:
            await conn.execute("UPDATE held_texts SET filed_as = NULL WHERE id = ?", (held_id,))
