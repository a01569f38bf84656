"""The bot works in private chats only: any other chat is told so once, then ignored.

A group, supergroup or channel is where a partner's answers, an invite link or a round's
figures would reach people they were not meant for, so nothing is done there at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from surveys.clock import Clock
from surveys.errors import maps_store_errors

OTHER_CHAT = ("PartnerPulse works only in a private chat, so that answers and figures stay "
              "between you and the bot. Please open {link} and write to me there.")


class _OtherChats(Protocol):
    async def first_contact(self, chat_id: int, now: datetime) -> bool: ...


def is_private(chat_id: int, user_id: int | None) -> bool:
    """A Telegram private chat's id is the id of the person in it."""
    return user_id is not None and chat_id == user_id


@maps_store_errors
class PrivateChatsOnly:
    """Decides what, if anything, the bot says in a chat that is not a private one."""

    def __init__(self, chats: _OtherChats, clock: Clock) -> None:
        self.chats = chats
        self.clock = clock

    async def notice(self, chat_id: int, bot_username: str) -> str | None:
        """The one message for a non-private chat, the first time; None ever after."""
        if not await self.chats.first_contact(chat_id, self.clock.now()):
            return None
        return OTHER_CHAT.format(link=f"https://t.me/{bot_username.lstrip('@')}")
