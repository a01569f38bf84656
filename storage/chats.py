"""Chats other than a private one that the bot has told it works in private chats only."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database, to_db


class OtherChatRepository:
    """Group, supergroup and channel chats by id; nothing about who wrote in them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def first_contact(self, chat_id: int, now: datetime) -> bool:
        """Record the chat as told; True only the first time."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO other_chats (chat_id, told_at) VALUES (?, ?)",
                (chat_id, to_db(now)))
            return cur.rowcount > 0
