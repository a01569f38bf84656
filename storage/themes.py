"""Themes files applied to a round, per question: the report themes from them when present."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database, to_db


class RoundThemesRepository:
    """Reads and writes the edited themes files of rounds."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, round_id: int, question_id: str, themes_toml: str,
                   now: datetime) -> None:
        """Store (or replace) the themes file of one question of a round."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO round_themes (round_id, question_id, themes_toml, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (round_id, question_id) DO UPDATE SET"
                " themes_toml = excluded.themes_toml, updated_at = excluded.updated_at",
                (round_id, question_id, themes_toml, to_db(now)))

    async def of_round(self, round_id: int) -> dict[str, str]:
        """The stored themes files of a round, by question id."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT question_id, themes_toml FROM round_themes WHERE round_id = ?",
                (round_id,))
            return {r["question_id"]: r["themes_toml"] for r in await cur.fetchall()}

    async def clear(self, round_id: int, question_id: str | None = None) -> int:
        """Forget the themes files of a round (or one question); returns how many."""
        async with self.db.write() as conn:
            if question_id is None:
                cur = await conn.execute("DELETE FROM round_themes WHERE round_id = ?",
                                         (round_id,))
            else:
                cur = await conn.execute(
                    "DELETE FROM round_themes WHERE round_id = ? AND question_id = ?",
                    (round_id, question_id))
            return cur.rowcount

    async def forget_partner(self, partner_id: int) -> int:
        """Drop the edited themes files of every round a partner gave answers in: they quote
        answers beside their keys, and an erased partner's must not stay on disk (the reports
        of those rounds theme afresh). Returns how many files went."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "DELETE FROM round_themes WHERE round_id IN (SELECT r.round_id FROM responses r"
                " WHERE (r.partner_id = ? OR r.observer_id = ?)"
                " AND (EXISTS (SELECT 1 FROM answers a WHERE a.response_id = r.id)"
                " OR EXISTS (SELECT 1 FROM answer_history h"
                " WHERE h.response_id = r.id)))", (partner_id, partner_id))
            return cur.rowcount
